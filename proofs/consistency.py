r"""Consistency of the sample mean and of the plug-in variance, by Chebyshev's inequality.

Lecture notes, "Consistency": an estimator is consistent when
lim_{N -> oo} P(|theta_N - theta| > eps) = 0 for every eps > 0.  By Chebyshev (Markov on
the squared error), P(|theta_N - theta| > eps) <= E[(theta_N - theta)^2] / eps^2, so an
estimator whose MSE tends to 0 is consistent:

- the sample mean: E[(x-bar - mu)^2] = sigma^2 / N (any law with a variance);
- the plug-in variance (1/N) sum (x_i - x-bar)^2 for normal draws:
  E[(sigma-hat^2 - sigma^2)^2] = (2N - 1) sigma^4 / N^2 (bias^2 sigma^4/N^2 plus variance
  2 (N - 1) sigma^4 / N^2), biased for every N yet consistent.

The cross-checks estimate the probability itself by Monte Carlo and compare it with its
exact value (normal draws: x-bar is normal, N sigma-hat^2 / sigma^2 is chi-square with N - 1
degrees of freedom), which lies below the Chebyshev bound and falls with N.
"""

from __future__ import annotations

import numpy as np
import scipy.stats
import sympy as sp

from derive import (
    Comparison,
    CrossCheck,
    Derivation,
    E,
    Hypothesis,
    Source,
    Step,
    iid_sample,
)
from numeric.montecarlo import estimate

from ._notes import LECTURE_NOTES

SECTION = "Consistency"
QUOTE = (r"\lim_{N \to \infty} P(|\hat{\theta}_N - \theta| > \epsilon) = 0, \quad "
         r"\forall \epsilon > 0")

N = sp.Symbol("N", integer=True, positive=True)
mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
eps = sp.Symbol("epsilon", positive=True)
i = sp.Symbol("i", integer=True, positive=True)

DEFINITION = Hypothesis(QUOTE, quote="Consistency 衡量估計值隨著樣本數增加而收斂到真實值的能力")
CHEBYSHEV = Hypothesis(r"P(|\hat{\theta}_N - \theta| > \epsilon) \le \frac{\mathbb{E}[(\hat{\theta}"
                       r"_N - \theta)^2]}{\epsilon^2}", quote=None,
                       note="Chebyshev / Markov's inequality, the first line of each chain")

# ---------------------------------------------------------------- cross-checks

MEAN, SD, EPSILON, REPLICATES = 1.0, 2.0, 0.5, 30_000
SIZES = (10, 40, 160)


def _deviates(statistic, target: float, size_n: int):
    def draws(rng: np.random.Generator, size: int) -> np.ndarray:
        sample = rng.normal(MEAN, SD, size=(size, size_n))
        return (np.abs(statistic(sample) - target) > EPSILON).astype(float)
    return draws


def _sample_mean(sample: np.ndarray) -> np.ndarray:
    return sample.mean(axis=1)


def _plug_in_variance(sample: np.ndarray) -> np.ndarray:
    return sample.var(axis=1)


def _mean_exact(size_n: int) -> float:
    return float(2 * scipy.stats.norm.sf(EPSILON * np.sqrt(size_n) / SD))


def _variance_exact(size_n: int) -> float:
    chi2 = scipy.stats.chi2(size_n - 1)
    scale = size_n / SD**2
    return float(chi2.sf(scale * (SD**2 + EPSILON)) + chi2.cdf(scale * (SD**2 - EPSILON)))


def _probability_curve(seed: int, statistic, target: float, exact, bound) -> Comparison:
    """P(|theta_N - theta| > eps) at N = 10, 40, 160; the comparison is at the largest N."""
    results = [estimate(_deviates(statistic, target, n_), REPLICATES // len(SIZES) * 2,
                        seed=seed + n_) for n_ in SIZES]
    last, size_n = results[-1], SIZES[-1]
    return Comparison(
        estimate=float(last.mean), stderr=float(last.stderr), expected=exact(size_n),
        alternatives={"the Chebyshev bound (not the probability)": bound(size_n),
                      f"no convergence: the probability at N = {SIZES[0]}": exact(SIZES[0])},
        details=f"N({MEAN}, {SD}^2) draws, eps = {EPSILON}; at N = {size_n}",
        data={"plot": "curves", "x": list(SIZES), "logx": True,
              "curves": {"Monte Carlo": [float(r.mean) for r in results],
                         "exact": [exact(n_) for n_ in SIZES],
                         "Chebyshev bound": [min(1.0, bound(n_)) for n_ in SIZES]},
              "xlabel": "N", "ylabel": "P(|theta_N - theta| > eps)"})


def sample_mean_probability(seed: int) -> Comparison:
    return _probability_curve(seed, _sample_mean, MEAN, _mean_exact,
                              lambda n_: SD**2 / (n_ * EPSILON**2))


def plug_in_variance_probability(seed: int) -> Comparison:
    return _probability_curve(seed, _plug_in_variance, SD**2, _variance_exact,
                              lambda n_: (2 * n_ - 1) * SD**4 / (n_**2 * EPSILON**2))


# ---------------------------------------------------------------- derivations

x = iid_sample("x", N, mean=mu, variance=sigma**2)
normal_x = iid_sample("x", N, mean=mu, variance=sigma**2, distribution="normal")


def _mean_of(sample) -> sp.Expr:
    return sp.Sum(sample[i], (i, 1, N)) / N


def _plug_in(sample) -> sp.Expr:
    return sp.Sum((sample[i] - _mean_of(sample)) ** 2, (i, 1, N)) / N


sample_mean_consistent = Derivation(
    id="sample-mean-consistent",
    title="Chebyshev: P(|x-bar - mu| > eps) <= sigma^2 / (N eps^2) -> 0",
    source=Source(LECTURE_NOTES, SECTION, QUOTE),
    start=Step(E((_mean_of(x) - mu) ** 2, x) / eps**2,
               r"\frac{\mathbb{E}[(\hat{\mu}_N - \mu)^2]}{\epsilon^2}",
               "Chebyshev's bound on P(|mu-hat_N - mu| > eps)"),
    steps=[Step(sigma**2 / (N * eps**2), r"\frac{\sigma^2}{N \epsilon^2}",
                "x_i i.i.d. with variance sigma^2; the bound -> 0 as N -> oo for every eps")],
    hypotheses=[DEFINITION, CHEBYSHEV,
                Hypothesis(r"x_i \text{ i.i.d.}, \; \text{Var}[x_i] = \sigma^2 < \infty",
                           quote=None)],
    notation={r"\hat{\mu}_N": _mean_of(x)},
    crosschecks=[CrossCheck("Monte Carlo P(|x-bar - mu| > eps) against N",
                            sample_mean_probability)],
)

plug_in_variance_consistent = Derivation(
    id="plug-in-variance-consistent",
    title="Chebyshev: P(|sigma-hat^2 - sigma^2| > eps) <= (2N - 1) sigma^4 / (N^2 eps^2) -> 0",
    source=Source(LECTURE_NOTES, SECTION, QUOTE),
    start=Step(E((_plug_in(normal_x) - sigma**2) ** 2, normal_x) / eps**2,
               r"\frac{\mathbb{E}[(\hat{\sigma}_N^2 - \sigma^2)^2]}{\epsilon^2}",
               "Chebyshev's bound on P(|sigma-hat^2_N - sigma^2| > eps)"),
    steps=[Step((2 * N - 1) * sigma**4 / (N**2 * eps**2),
                r"\frac{(2N - 1) \sigma^4}{N^2 \epsilon^2}",
                "bias^2 sigma^4 / N^2 + variance 2 (N - 1) sigma^4 / N^2 (normal draws); "
                "-> 0 as N -> oo")],
    hypotheses=[DEFINITION, CHEBYSHEV,
                Hypothesis(r"x_i \sim \mathcal{N}(\mu, \sigma^2) \text{ i.i.d.}", quote=None,
                           note="fixes the fourth moment; any law with a finite fourth "
                                "moment is consistent too")],
    notation={r"\hat{\sigma}_N": sp.sqrt(_plug_in(normal_x))},
    crosschecks=[CrossCheck("Monte Carlo P(|sigma-hat^2 - sigma^2| > eps) against N",
                            plug_in_variance_probability)],
)
