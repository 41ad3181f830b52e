r"""Bias and variance of the sample mean and of the sample variance.

Lecture notes, "Sample Mean Estimator" and "Sample Variance Estimator".  The
draws x_1, ..., x_n are i.i.d. with mean mu and variance sigma^2; every result
holds for symbolic n.  The notes write N in the definitions and n in the
derivations; both are the sample size ``n`` here.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from derive import (
    Comparison,
    Correction,
    CrossCheck,
    Derivation,
    E,
    Hypothesis,
    Source,
    Step,
    Var,
    erratum,
    iid_sample,
)
from numeric.montecarlo import estimate

from ._notes import LECTURE_NOTES

n = sp.Symbol("n", integer=True, positive=True)
mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
i, j = sp.symbols("i j", integer=True, positive=True)
x = iid_sample("x", n, mean=mu, variance=sigma**2)

mu_hat = sp.Sum(x[i], (i, 1, n)) / n
plug_in_variance = sp.Sum((x[i] - mu_hat) ** 2, (i, 1, n)) / n
unbiased_variance = sp.Sum((x[i] - mu_hat) ** 2, (i, 1, n)) / (n - 1)
delta = sp.KroneckerDelta(i, j)

# What the notes' LaTeX names mean (the notes write N in definitions, n in derivations).
NOTATION = {"N": n, r"\hat{\mu}": mu_hat, r"\hat{\sigma}": sp.sqrt(plug_in_variance),
            r"\sigma_{\text{x}}": sigma}


def _double_sum(term):
    return sp.Sum(sp.Sum(term, (i, 1, n)), (j, 1, n))


# ---------------------------------------------------------------- cross-checks
# Normal draws with MEAN and SD; SIZE draws per sample; REPLICATES samples.

MEAN, SD, SIZE, REPLICATES = 1.0, 2.0, 5, 400_000


def _samples(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.normal(MEAN, SD, size=(size, SIZE))


def _squared_error_of_mean(rng, size):
    return (_samples(rng, size).mean(axis=1) - MEAN) ** 2


def _plug_in_variance(rng, size):
    return _samples(rng, size).var(axis=1, ddof=0)


def _unbiased_variance(rng, size):
    return _samples(rng, size).var(axis=1, ddof=1)


def _plug_in_variance_error(rng, size):
    return _samples(rng, size).var(axis=1, ddof=0) - SD**2


def _plug_in_sd(rng, size):
    return _samples(rng, size).std(axis=1, ddof=0)


def _sample_mean(rng, size):
    return _samples(rng, size).mean(axis=1)


def _monte_carlo(sampler, seed: int, expected: float, alternatives: dict, details: str) -> Comparison:
    result = estimate(sampler, REPLICATES, seed=seed)
    return Comparison(estimate=result.mean, stderr=result.stderr, expected=expected,
                      alternatives=alternatives,
                      details=f"{details}; {REPLICATES} samples of {SIZE} N({MEAN}, {SD}^2) draws")


def sample_mean_unbiased(seed: int) -> Comparison:
    return _monte_carlo(_sample_mean, seed, MEAN, {"0 (a biased estimator)": 0.0},
                        "mean of the sample mean")


def sample_mean_variance(seed: int) -> Comparison:
    variance = SD**2
    return _monte_carlo(_squared_error_of_mean, seed, variance / SIZE,
                        {"sigma^2 (no 1/n)": variance, "sigma^2/n^2": variance / SIZE**2},
                        "mean of (mu_hat - mu)^2")


def plug_in_variance_mean(seed: int) -> Comparison:
    variance = SD**2
    return _monte_carlo(_plug_in_variance, seed, (SIZE - 1) / SIZE * variance,
                        {"sigma^2 (unbiased)": variance}, "mean of the 1/n sample variance")


def unbiased_variance_mean(seed: int) -> Comparison:
    variance = SD**2
    return _monte_carlo(_unbiased_variance, seed, variance,
                        {"(n-1)/n sigma^2": (SIZE - 1) / SIZE * variance},
                        "mean of the 1/(n-1) sample variance")


def plug_in_variance_bias(seed: int) -> Comparison:
    """E[sigma_hat^2] - sigma^2 by Monte Carlo: -sigma^2 / n."""
    variance = SD**2
    return _monte_carlo(_plug_in_variance_error, seed,
                        -variance / SIZE,
                        {"0 (an unbiased estimator)": 0.0,
                         "-sigma^2 / (n - 1)": -variance / (SIZE - 1)},
                        "mean of the 1/n sample variance minus sigma^2")


def plug_in_sd_mean(seed: int) -> Comparison:
    """E[sigma_hat] for normal draws: sqrt((n-1)/n) c4(n) sigma, not (n-1)/n sigma^2."""
    c4 = math.sqrt(2 / (SIZE - 1)) * math.gamma(SIZE / 2) / math.gamma((SIZE - 1) / 2)
    return _monte_carlo(_plug_in_sd, seed, math.sqrt((SIZE - 1) / SIZE) * c4 * SD,
                        {"the notes' E[sigma_hat] = (n-1)/n sigma^2": (SIZE - 1) / SIZE * SD**2},
                        "mean of the 1/n sample standard deviation")


# ---------------------------------------------------------------- derivations

# ---------------------------------------------------------------- hypotheses

IID = Hypothesis(r"x_1, \dots, x_N \text{ i.i.d.}", quote=None,
                 note="the notes' sample D = {x_1, ..., x_N}; they use independence in the line "
                      "n(n-1) E[x^(i)] E[x^(j)] without stating it (iid_sample)")
MOMENTS = Hypothesis(r"\mathbb{E}[x_i] = \mu, \ \text{Var}(x_i) = \sigma^2, \ \sigma > 0",
                     quote=r"\frac{1}{N} \sum_{i=1}^{N} \mu",
                     note="mu real, sigma positive (symbol assumptions); no law beyond the first "
                          "two moments (the expectation algebra)")
SIZE_ANY = Hypothesis(r"N \in \{1, 2, \dots\}", quote=None,
                      note="n: Symbol(integer=True, positive=True): every sample size at once")
SIZE_TWO = Hypothesis(r"N \geq 2", quote=None,
                      note="1/(N - 1) is defined only for N >= 2, as the notes' formula implies")


MEAN_SECTION = "Sample Mean Estimator"
VARIANCE_SECTION = "Sample Variance Estimator"

sample_mean_bias = Derivation(
    id="sample-mean-unbiased",
    notation=NOTATION,
    title="The sample mean is unbiased",
    source=Source(LECTURE_NOTES, MEAN_SECTION,
                  r"\mathbb{E}[\hat{\mu}] = \mathbb{E}\left[\frac{1}{N} \sum_{i=1}^{N} x_i\right]"
                  r" = \frac{1}{N} \sum_{i=1}^{N} \mathbb{E}[x_i] = \frac{1}{N} \sum_{i=1}^{N} \mu"
                  r" = \mu"),
    start=Step(E(mu_hat, x), r"\mathbb{E}[\hat{\mu}]"),
    steps=[
        Step(E(sp.Sum(x[i], (i, 1, n)) / n, x),
             r"\mathbb{E}\left[\frac{1}{N} \sum_{i=1}^{N} x_i\right]", "definition of mu_hat"),
        Step(sp.Sum(E(x[i], x), (i, 1, n)) / n, r"\frac{1}{N} \sum_{i=1}^{N} \mathbb{E}[x_i]",
             "linearity of expectation"),
        Step(sp.Sum(mu, (i, 1, n)) / n, r"\frac{1}{N} \sum_{i=1}^{N} \mu", "E[x_i] = mu"),
        Step(mu, r"\mu"),
    ],
    crosschecks=[CrossCheck("Monte Carlo mean of the sample mean", sample_mean_unbiased)],
    hypotheses=[IID, MOMENTS, SIZE_ANY],
)

sample_mean_variance_derivation = Derivation(
    id="sample-mean-variance",
    notation=NOTATION,
    title="The variance of the sample mean is sigma^2 / n",
    source=Source(LECTURE_NOTES, MEAN_SECTION,
                  r"\text{Var}(\hat{\mu}) = \mathbb{E}[(\hat{\mu} - \mathbb{E}[\hat{\mu}])^2] = "
                  r"\dots = \frac{1}{n} (\mathbb{E}[x^2] - \mu^2) = \frac{1}{n} \sigma_{\text{x}}^2"),
    start=Step(Var(mu_hat, x), r"\text{Var}_{\mathbb{X}}(\hat{\mu})"),
    steps=[
        Step(E((mu_hat - E(mu_hat, x)) ** 2, x),
             r"\mathbb{E}_{\mathbb{X}}[(\hat{\mu} - \mathbb{E}_{\mathbb{X}}[\hat{\mu}])^2]",
             "definition of variance"),
        Step(E(mu_hat**2 - 2 * mu_hat * mu + mu**2, x),
             r"\mathbb{E}[\hat{\mu}^2 - 2\hat{\mu}\mu + \mu^2]", "E[mu_hat] = mu, expand"),
        Step(E(mu_hat**2, x) - mu**2, r"\mathbb{E}[\hat{\mu}^2] - \mu^2", "linearity"),
        Step(E(_double_sum(x[i] * x[j]) / n**2, x) - mu**2,
             r"\mathbb{E}\left[\frac{1}{n^2} \sum_{i,j} x^{(i)}x^{(j)}\right] - \mu^2",
             "square of a sum"),
        Step(_double_sum(E(x[i] * x[j], x)) / n**2 - mu**2,
             r"\frac{1}{n^2} \sum_{i,j} \mathbb{E}[x^{(i)}x^{(j)}] - \mu^2", "linearity"),
        Step((_double_sum(delta * E(x[i] * x[j], x))
              + _double_sum((1 - delta) * E(x[i] * x[j], x))) / n**2 - mu**2,
             r"\frac{1}{n^2} \left( \sum_{i=j} \mathbb{E}[x^{(i)}x^{(j)}] + \sum_{i \neq j} "
             r"\mathbb{E}[x^{(i)}x^{(j)}] \right) - \mu^2", "split the pairs i = j and i != j"),
        Step((sp.Sum(E(x[i] ** 2, x), (i, 1, n)) + n * (n - 1) * E(x[i], x) * E(x[j], x)) / n**2
             - mu**2,
             r"\frac{1}{n^2} \left( \sum_{i} \mathbb{E}[x^{(i)2}] + n(n-1)\mathbb{E}[x^{(i)}]"
             r"\mathbb{E}[x^{(j)}] \right) - \mu^2", "independence of distinct draws"),
        Step(E(x[i] ** 2, x) / n + (n - 1) / n * mu**2 - mu**2,
             r"\frac{1}{n} \mathbb{E}[x^2] + \frac{(n-1)}{n} \mu^2 - \mu^2"),
        Step((E(x[i] ** 2, x) - mu**2) / n, r"\frac{1}{n} (\mathbb{E}[x^2] - \mu^2)"),
        Step(sigma**2 / n, r"\frac{1}{n} \sigma_{\text{x}}^2", "E[x^2] - mu^2 = sigma^2"),
    ],
    crosschecks=[CrossCheck("Monte Carlo mean of (mu_hat - mu)^2", sample_mean_variance)],
    hypotheses=[IID, MOMENTS, SIZE_ANY],
)

_PLUG_IN_CHAIN = [
    Step(E(plug_in_variance, x),
         r"\text{E}\left[\frac{1}{n} \sum_i (x^{(i)} - \hat{\mu})^2 \right]",
         "definition of sigma_hat^2"),
    Step(E((sp.Sum(x[i] ** 2, (i, 1, n)) - 2 * sp.Sum(x[i] * mu_hat, (i, 1, n))
            + sp.Sum(mu_hat**2, (i, 1, n))) / n, x),
         r"\text{E}\left[ \frac{1}{n} (\sum_i x^{(i)2} - 2\sum_i x^{(i)}\hat{\mu} + "
         r"\sum_i \hat{\mu}^2) \right]", "expand the square"),
    Step(E((sp.Sum(x[i] ** 2, (i, 1, n)) - n * mu_hat**2) / n, x),
         r"\text{E}\left[ \frac{1}{n} (\sum_i x^{(i)2} - n\hat{\mu}^2) \right]",
         "sum_i x_i = n mu_hat"),
    Step((sp.Sum(E(x[i] ** 2, x), (i, 1, n)) - n * E(mu_hat**2, x)) / n,
         r"\frac{1}{n} \left( \sum_i \text{E}[x^{(i)2}] - n\text{E}[\hat{\mu}^2] \right)",
         "linearity"),
    Step(E(x[i] ** 2, x) - E(mu_hat**2, x), r"\text{E}[x^2] - \text{E}[\hat{\mu}^2]",
         "identically distributed draws"),
    Step(E((x[i] - mu) ** 2 + 2 * x[i] * mu - mu**2, x) - E(mu_hat**2, x),
         r"\text{E}[(x-\mu)^2 + 2x\mu - \mu^2] - \text{E}[\hat{\mu}^2]"),
    Step((sigma**2 + mu**2) - (Var(mu_hat, x) + E(mu_hat, x) ** 2),
         r"(\sigma^2 + \mu^2) - (\text{Var}[\hat{\mu}] + \text{E}[\hat{\mu}]^2)"),
    Step(sigma**2 + mu**2 - sigma**2 / n - mu**2,
         r"\sigma^2 + \mu^2 - \frac{1}{n}\sigma^2 - \mu^2",
         "Var[mu_hat] = sigma^2/n and E[mu_hat] = mu"),
    Step((n - 1) / n * sigma**2, r"\frac{n-1}{n}\sigma^2"),
]

sample_variance_expectation = Derivation(
    id="sample-variance-expectation",
    notation=NOTATION,
    title="E[plug-in variance] = (n-1)/n sigma^2 (the notes write E[sigma_hat] on the left)",
    source=Source(LECTURE_NOTES, VARIANCE_SECTION,
                  r"\text{E}_{\mathbb{X}}[\hat{\sigma}] &= \text{E}\left[\frac{1}{n} \sum_i "
                  r"(x^{(i)} - \hat{\mu})^2 \right] = \dots = \frac{n-1}{n}\sigma^2 \neq \sigma^2"),
    start=Step(E(sp.sqrt(plug_in_variance), x), r"\text{E}_{\mathbb{X}}[\hat{\sigma}]",
               "as written: the expectation of sigma_hat, not of sigma_hat^2"),
    steps=_PLUG_IN_CHAIN,
    expected=erratum(Correction(
        0, Step(E(plug_in_variance, x), r"\text{E}_{\mathbb{X}}[\hat{\sigma}^2]"),
        "the chain computes the expectation of the squared estimator sigma_hat^2; "
        "E[sigma_hat] is smaller (Jensen) and is not (n-1)/n sigma^2")),
    crosschecks=[
        CrossCheck("Monte Carlo mean of the 1/n sample variance", plug_in_variance_mean),
        CrossCheck("Monte Carlo mean of sigma_hat (the notes' left-hand side)", plug_in_sd_mean),
    ],
    hypotheses=[IID, MOMENTS, SIZE_ANY],
)

sample_variance_bias = Derivation(
    id="sample-variance-bias",
    notation=NOTATION,
    title="The bias of the plug-in variance is -sigma^2 / N",
    source=Source(LECTURE_NOTES, VARIANCE_SECTION,
                  r"\text{Bias}(\hat{\sigma}^2) = \mathbb{E}[\hat{\sigma}^2] - \sigma^2 = "
                  r"-\frac{1}{N} \sigma^2"),
    start=Step(E(plug_in_variance, x) - sigma**2, r"\mathbb{E}[\hat{\sigma}^2] - \sigma^2",
               "definition of bias"),
    steps=[Step(-sigma**2 / n, r"-\frac{1}{N} \sigma^2")],
    crosschecks=[CrossCheck("Monte Carlo bias of the 1/n sample variance", plug_in_variance_bias)],
    hypotheses=[IID, MOMENTS, SIZE_ANY],
)

unbiased_sample_variance = Derivation(
    id="sample-variance-unbiased-correction",
    notation=NOTATION,
    title="Dividing by N - 1 gives an unbiased estimator",
    source=Source(LECTURE_NOTES, VARIANCE_SECTION,
                  r"\hat{\sigma}^2 = \frac{1}{N-1} \sum_{i=1}^{N} (x_i - \hat{\mu})^2"),
    start=Step(E(unbiased_variance, x),
               r"\mathbb{E}\left[\frac{1}{N-1} \sum_{i=1}^{N} (x_i - \hat{\mu})^2\right]"),
    steps=[Step(sigma**2, r"\sigma^2", "(n-1)/n sigma^2 times n/(n-1)")],
    crosschecks=[CrossCheck("Monte Carlo mean of the 1/(n-1) sample variance",
                            unbiased_variance_mean)],
    hypotheses=[IID, MOMENTS, SIZE_TWO],
)
