r"""ML and MAP estimation: consistency of the MLE, the claim that it has the smallest MSE,
and the variance of the MAP estimator.

Lecture notes, "ML and MAP estimation".  The estimation problem is the simplest one the
notes' claims cover: x_1, ..., x_N i.i.d. N(theta, sigma^2) (sigma known), for which the
MLE is the sample mean, and the Gaussian prior theta ~ N(0, lambda^{-1}) of "Linear
Regression via MAP", for which the MAP estimator is the shrunken mean

    theta_MAP = sum_i x_i / (N + lambda sigma^2) = N / (N + k) * x-bar,   k = lambda sigma^2.

theta_MAP is consistent (its bias -k theta / (N + k) and its variance vanish), yet its MSE
is smaller than the MLE's whenever theta^2 < (2N + k) sigma^2 / (N k), for every N: the
notes' "for N large enough the MLE has the smallest MSE among consistent estimators" is
false.  Hodges' estimator (x-bar, set to 0 when |x-bar| <= N^{-1/4}) is another: consistent,
and at theta = 0 its MSE is a vanishing fraction of sigma^2 / N.  What is true: under
regularity the MLE is asymptotically efficient (N MSE -> sigma^2, the Cramer-Rao bound,
which binds unbiased estimators, and estimators that beat it do so only on a set of
parameters of measure zero in the limit); the MAP estimator beats it by at most
k (2N + k) sigma^2 / (N (N + k)^2) = O(1/N^2), a vanishing fraction of sigma^2 / N.

For consistency, the exponential model p(x | lambda) = lambda exp(-lambda x): the expected
score E[1/lambda - x] vanishes at the true rate when the data are exponential (the model
is well specified), and at the KL projection theta*/2, not at theta*, when the data are
Gamma(2, theta*) (not in the model).
"""

from __future__ import annotations

import numpy as np
import scipy.stats
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
    random_variable,
)
from numeric.montecarlo import estimate

from ._notes import LECTURE_NOTES

SECTION = "ML and MAP estimation"
MSE_QUOTE = ("在樣本數 ($N$) 足夠大的情況下,跟其他所有也是「準確(一致)」的估計方法相比,"
             "MLE 的均方誤差 (MSE) 是最小的。")
MAP_QUOTE = ("MAP estimator 可以用在 $N$ 較小的情況下,因為它加入了 prior knowledge,"
             "可以幫助減少 overfitting 的風險,減少模型的 variance")
CONSISTENCY_QUOTE = (r"ML estimator $\theta_{ML}$ 是 consistent 的,也就是說當樣本數 $N \to "
                     r"\infty$ 時,$\theta_{ML} \to \theta^*$,只要 $P(y|x; \theta^*)$ 是在我們"
                     r"假設的 $F$ 裡面")

N = sp.Symbol("N", integer=True, positive=True)
theta = sp.Symbol("theta", real=True)
sigma = sp.Symbol("sigma", positive=True)
k = sp.Symbol("k", positive=True)                 # lambda sigma^2
i = sp.Symbol("i", integer=True, positive=True)
x = iid_sample("x", N, mean=theta, variance=sigma**2)
x_bar = sp.Sum(x[i], (i, 1, N)) / N
shrink = N / (N + k)
theta_map = shrink * x_bar

ESTIMATORS = {r"\hat{\theta}_{MAP}": theta_map, r"\hat{\theta}_{ML}": x_bar}
MSE_GAP = (N * k**2 * theta**2 - k * (2 * N + k) * sigma**2) / (N * (N + k) ** 2)
LARGEST_GAIN = -k * (2 * N + k) * sigma**2 / (N * (N + k) ** 2)

GAUSSIAN_MODEL = Hypothesis(r"x_i \sim \mathcal{N}(\theta, \sigma^2) \text{ i.i.d.}, \sigma "
                            r"\text{ known}", quote=None,
                            note="a well-specified, regular model: the MLE is x-bar")
PRIOR = Hypothesis(r"\theta \sim \mathcal{N}(0, \lambda^{-1}), \; k = \lambda \sigma^2 > 0",
                   quote=r"如果假設 $w \sim \mathcal{N}(0, \lambda^{-1} I)$",
                   note="the prior of 'Linear Regression via MAP', one parameter")

# ---------------------------------------------------------------- cross-checks

SIZE, SD, K, THETA, REPLICATES = 40, 1.0, 1.0, 0.2, 200_000
SHRINK = SIZE / (SIZE + K)


def _means(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.normal(THETA, SD, size=(size, SIZE)).mean(axis=1)


def _mse_gap_draws(rng: np.random.Generator, size: int) -> np.ndarray:
    means = _means(rng, size)
    return (SHRINK * means - THETA) ** 2 - (means - THETA) ** 2


def _map_spread_draws(rng: np.random.Generator, size: int) -> np.ndarray:
    return (SHRINK * _means(rng, size) - SHRINK * THETA) ** 2


def map_beats_mle(seed: int) -> Comparison:
    """MSE(theta_MAP) - MSE(x-bar) by Monte Carlo, at N = 40, theta = 0.2, sigma = k = 1."""
    result = estimate(_mse_gap_draws, REPLICATES // 10, seed=seed)
    gap = float(MSE_GAP.subs({N: SIZE, k: K, theta: THETA, sigma: SD}))
    return Comparison(estimate=result.mean, stderr=result.stderr, expected=gap,
                      alternatives={"the notes: the MLE is best, gap >= 0": 0.0},
                      details=f"{REPLICATES // 10} samples of N = {SIZE} draws N({THETA}, {SD}^2); "
                              f"MAP shrinks by N / (N + k), k = {K}")


def map_variance(seed: int) -> Comparison:
    """Var(theta_MAP) by Monte Carlo against N sigma^2 / (N + k)^2, not sigma^2 / N."""
    result = estimate(_map_spread_draws, REPLICATES, seed=seed)
    return Comparison(estimate=result.mean, stderr=result.stderr,
                      expected=SIZE * SD**2 / (SIZE + K) ** 2,
                      alternatives={"the MLE's variance sigma^2 / N": SD**2 / SIZE},
                      details=f"{REPLICATES} samples of N = {SIZE} draws; mean of "
                              f"(theta_MAP - E theta_MAP)^2")


HODGES_SIZE = 16


def _hodges_squared_error(rng: np.random.Generator, size: int) -> np.ndarray:
    """(theta_H - theta)^2 at theta = 0 for Hodges' estimator: x-bar if |x-bar| > N^{-1/4},
    else 0 (consistent: the threshold -> 0 slower than x-bar's spread)."""
    means = rng.normal(0.0, SD, size=(size, HODGES_SIZE)).mean(axis=1)
    return np.where(np.abs(means) > HODGES_SIZE ** -0.25, means, 0.0) ** 2


def hodges_beats_mle(seed: int) -> Comparison:
    """MSE of Hodges' estimator at theta = 0: (sigma^2/N) E[Z^2; |Z| > c], c = N^{1/4}/sigma,
    = (sigma^2/N) 2 (c phi(c) + 1 - Phi(c)), far below the MLE's sigma^2 / N."""
    result = estimate(_hodges_squared_error, REPLICATES // 4, seed=seed)
    c = HODGES_SIZE**0.25 / SD
    tail = 2 * (c * scipy.stats.norm.pdf(c) + scipy.stats.norm.sf(c))
    return Comparison(estimate=result.mean, stderr=result.stderr,
                      expected=float(SD**2 / HODGES_SIZE * tail),
                      alternatives={"the MLE's MSE sigma^2 / N (the notes' minimum)":
                                    SD**2 / HODGES_SIZE},
                      details=f"{REPLICATES // 4} samples of N = {HODGES_SIZE} N(0, {SD}^2) "
                              f"draws")


RATE, ML_SIZE, ML_REPLICATES = 1.5, 200, 20_000


def _exponential_mle(rng: np.random.Generator, size: int) -> np.ndarray:
    return 1.0 / rng.exponential(1.0 / RATE, size=(size, ML_SIZE)).mean(axis=1)


def _gamma_data_mle(rng: np.random.Generator, size: int) -> np.ndarray:
    return 1.0 / rng.gamma(2.0, 1.0 / RATE, size=(size, ML_SIZE)).mean(axis=1)


def mle_well_specified(seed: int) -> Comparison:
    """E[1 / x-bar] for exponential data: exactly N theta* / (N - 1) (sum ~ Gamma(N, theta*))."""
    result = estimate(_exponential_mle, ML_REPLICATES, seed=seed)
    return Comparison(estimate=result.mean, stderr=result.stderr,
                      expected=ML_SIZE * RATE / (ML_SIZE - 1),
                      alternatives={"the KL projection of Gamma(2) data, theta*/2": RATE / 2},
                      details=f"{ML_REPLICATES} data sets of N = {ML_SIZE} Exp({RATE}) draws")


def mle_misspecified(seed: int) -> Comparison:
    """E[1 / x-bar] for Gamma(2, theta*) data: exactly N theta* / (2N - 1), near theta*/2."""
    result = estimate(_gamma_data_mle, ML_REPLICATES, seed=seed)
    return Comparison(estimate=result.mean, stderr=result.stderr,
                      expected=ML_SIZE * RATE / (2 * ML_SIZE - 1),
                      alternatives={"theta* (as if well specified)": RATE},
                      details=f"{ML_REPLICATES} data sets of N = {ML_SIZE} Gamma(2, rate "
                              f"{RATE}) draws, fitted by the exponential model")


# ---------------------------------------------------------------- derivations

mle_smallest_mse = Derivation(
    id="mle-smallest-mse-among-consistent",
    title="The consistent MAP estimator N x-bar / (N + k) has a smaller MSE than the MLE near "
          "theta = 0, for every N",
    source=Source(LECTURE_NOTES, SECTION, MSE_QUOTE),
    start=Step(E((theta_map - theta) ** 2, x) - E((x_bar - theta) ** 2, x),
               r"\mathbb{E}[(\hat{\theta}_{MAP} - \theta)^2] - \mathbb{E}[(\hat{\theta}_{ML}"
               r" - \theta)^2]",
               "theta_MAP = N x-bar / (N + k) is consistent: bias and variance -> 0"),
    steps=[
        Step(MSE_GAP, r"\frac{N k^2 \theta^2 - k (2N + k) \sigma^2}{N (N + k)^2}",
             "bias^2 + variance of each estimator"),
        Step(sp.Integer(0), r"0", "the notes: the MLE's MSE is the smallest", relation=">="),
    ],
    expected=erratum(Correction(
        2, Step(LARGEST_GAIN, r"-\frac{k (2N + k) \sigma^2}{N (N + k)^2}", relation=">="),
        "false for every N: at theta^2 < (2N + k) sigma^2 / (N k) the consistent MAP "
        "estimator has the smaller MSE.  What holds: the gain is at most "
        "k (2N + k) sigma^2 / (N (N + k)^2) = O(1/N^2), so N MSE of both tends to sigma^2 "
        "(the MLE is asymptotically efficient under regularity; the Cramer-Rao bound "
        "sigma^2 / N binds unbiased estimators only)")),
    hypotheses=[GAUSSIAN_MODEL, PRIOR,
                Hypothesis(r"N \text{ large}", quote="在樣本數 ($N$) 足夠大的情況下",
                           note="the counterexample holds for every N")],
    notation=ESTIMATORS,
    crosschecks=[CrossCheck("Monte Carlo MSE gap at theta = 0.2", map_beats_mle),
                 CrossCheck("Hodges' superefficient estimator at theta = 0", hodges_beats_mle)],
)

map_reduces_variance = Derivation(
    id="map-reduces-variance",
    title="The MAP (shrunken) estimator has variance N sigma^2 / (N + k)^2 < sigma^2 / N",
    source=Source(LECTURE_NOTES, SECTION, MAP_QUOTE),
    start=Step(Var(theta_map, x) - Var(x_bar, x),
               r"\text{Var}[\hat{\theta}_{MAP}] - \text{Var}[\hat{\theta}_{ML}]"),
    steps=[
        Step(N * sigma**2 / (N + k) ** 2 - sigma**2 / N,
             r"\frac{N \sigma^2}{(N + k)^2} - \frac{\sigma^2}{N}", "Var(c x-bar) = c^2 sigma^2/N"),
        Step(-k * (2 * N + k) * sigma**2 / (N * (N + k) ** 2),
             r"-\frac{k (2N + k) \sigma^2}{N (N + k)^2}"),
        Step(sp.Integer(0), r"0", "k = lambda sigma^2 > 0", relation="<"),
    ],
    hypotheses=[GAUSSIAN_MODEL, PRIOR],
    notation=ESTIMATORS,
    crosschecks=[CrossCheck("Monte Carlo variance of the MAP estimator", map_variance)],
)

true_rate = sp.Symbol("theta^*", positive=True)
rate = sp.Symbol("lambda", positive=True)
exponential_draw = random_variable("x", mean=1 / true_rate, variance=1 / true_rate**2)
gamma_draw = random_variable("x", mean=2 / true_rate, variance=2 / true_rate**2)


SCORE_NOTATION = {"P": lambda point, parameter: parameter * sp.exp(-parameter * point),
                  r"\theta^*": true_rate, r"\lambda": rate}
"""P(x; lambda) = lambda e^{-lambda x}, the exponential model F."""


def _expected_score(draw, at) -> sp.Expr:
    r"""E[d/d lambda log(lambda e^{-lambda x})] = E[1/lambda - x] at lambda = ``at``."""
    return E(1 / at - draw.symbol, draw)


mle_consistency = Derivation(
    id="mle-consistent-when-well-specified",
    title="Exponential model, exponential data: the expected score vanishes at theta*",
    source=Source(LECTURE_NOTES, SECTION, CONSISTENCY_QUOTE),
    start=Step(_expected_score(exponential_draw, true_rate),
               r"\mathbb{E}_{x \sim P(x; \theta^*)}\left[\frac{\partial}{\partial \lambda}"
               r" \log P(x; \lambda)\right]_{\lambda = \theta^*}",
               "P(x; lambda) = lambda e^{-lambda x}; the MLE solves the empirical score "
               "equation 1/lambda = x-bar"),
    steps=[Step(sp.Integer(0), r"0", "E[x] = 1/theta*: theta* maximises E log P(x; lambda)")],
    hypotheses=[Hypothesis(r"P(x; \theta^*) \in F = \{\lambda e^{-\lambda x}\}",
                           quote=r"只要 $P(y|x; \theta^*)$ 是在我們假設的 $F$ 裡面")],
    crosschecks=[CrossCheck("Monte Carlo mean of the MLE 1 / x-bar", mle_well_specified)],
    notation={"x": exponential_draw, **SCORE_NOTATION},
)

mle_misspecified_limit = Derivation(
    id="mle-limit-when-misspecified",
    title="Exponential model, Gamma(2, theta*) data: the MLE tends to the KL projection "
          "theta*/2",
    source=Source(LECTURE_NOTES, SECTION, CONSISTENCY_QUOTE),
    start=Step(_expected_score(gamma_draw, true_rate / 2),
               r"\mathbb{E}_{x \sim \Gamma(2, \theta^*)}\left[\frac{\partial}{\partial "
               r"\lambda} \log P(x; \lambda)\right]_{\lambda = \theta^* / 2}",
               "outside the notes' hypothesis: the data law is not in F"),
    steps=[Step(sp.Integer(0), r"0",
                "E[x] = 2/theta*: lambda = theta*/2 minimises KL(Gamma(2, theta*) || "
                "Exp(lambda)), and the MLE converges there, not to theta*")],
    hypotheses=[Hypothesis(r"x \sim \Gamma(2, \theta^*) \notin F", quote=None,
                           note="the case the notes exclude")],
    crosschecks=[CrossCheck("Monte Carlo mean of the MLE 1 / x-bar", mle_misspecified)],
    notation={"x": gamma_draw, **SCORE_NOTATION},
)
