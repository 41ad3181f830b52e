r"""Denoising score matching: the minimiser, the per-scale weighting, and the score near and
far from the data.

Assignment, "Unanswered questions in assignment 07": the DSM objective
L = E_{x, sigma} w(sigma) ||s_theta(x + sigma eps, sigma) + eps / sigma||^2.

- For data x ~ N(mu, s^2) and a score model s(x~) = a (x~ - mu) + b, the loss at one scale
  is (s^2 + sigma^2) (a + 1 / (s^2 + sigma^2))^2 + b^2 + s^2 / (sigma^2 (s^2 + sigma^2)):
  the minimiser is -(x~ - mu) / (s^2 + sigma^2), the score of the noised density
  N(mu, s^2 + sigma^2), as "the score approximates the true gradient of log p_sigma" says.
  A positive weight w(sigma) multiplies the loss and does not move the minimiser, so the
  notes' "choice of w(sigma) impacts consistency" does not hold for a model that can fit each
  scale (every w > 0 gives the noised score); what w balances is the loss at the optimum, s^2 / (sigma^2 (s^2 + sigma^2)) ~ 1 / sigma^2 as
  sigma -> 0, which w = sigma^2 turns into s^2 / (s^2 + sigma^2) <= 1.
- Near the data the score is large: for one data point the noised score is -eps / sigma, of
  mean square 1 / sigma^2 under p_sigma.
- Far from the data the notes say the score "becomes ill-defined or tends toward 0". For a
  data set {-1, 1} noised by N(0, sigma^2), p_sigma > 0 everywhere (the score is defined
  everywhere) and the score is -(x - m(x)) / sigma^2 with m(x) a weighted mean of the data
  points: it grows linearly, s(x) / x -> -1 / sigma^2. The same holds for any finite data
  set (m(x) stays between the smallest and the largest point): an erratum.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import sympy as sp
from scipy.special import logsumexp

from derive import (
    Comparison,
    Correction,
    CrossCheck,
    Derivation,
    E,
    Hypothesis,
    Source,
    Step,
    erratum,
    random_variable,
)
from numeric import montecarlo
from numeric.rates import fit_power_law

from ._notes import ASSIGNMENT

SECTION = "Unanswered questions in assignment 07"
Sampler = Callable[[np.random.Generator, int], np.ndarray]

OBJECTIVE_QUOTE = (r"Recall the DSM objective is: $$\mathcal{L} = \mathbb{E}_{x, \sigma} "
                   r"w(\sigma) \|s * \theta(x + \sigma \epsilon, \sigma) + \frac{\epsilon}"
                   r"{\sigma}\|^2.$$ Choice of $w(\sigma)$ impacts consistency (Proper weighting "
                   r"ensures that the score approximates the true gradient of $\log "
                   r"p_\sigma(x)$)")
WEIGHTING_QUOTE = (r"Choice of $w(\sigma)$ impacts consistency (Proper weighting ensures that "
                   r"the score approximates the true gradient of $\log p_\sigma(x)$), and "
                   r"sampling quality if small- σ terms are overweighted, it causes instability")
NEAR_QUOTE = (r"Near the data manifold density changes rapidly. The true score $\nabla_x \log "
              r"p_\sigma(x)$ has very large magnitude.")
FAR_QUOTE = ("In low-density regions (regions far from data): The density is extremely small, "
             "and the score (gradient of log-density) becomes ill-defined or tends toward 0. "
             "(在低密度區域：Score (對數密度的梯度) 變得難以定義或趨近於 0。)")

mu, a, b, x = sp.symbols("mu a b x", real=True)
s, sigma, w = sp.symbols("s sigma w", positive=True)
data = random_variable("x", mean=mu, variance=s**2)
noise = random_variable("epsilon", mean=0, variance=1)
x_data, eps = data.symbol, noise.symbol
NOISED_VARIANCE = s**2 + sigma**2
GAUSSIAN_HYPOTHESES = [
    Hypothesis(r"x \sim N(\mu, s^2), \quad \epsilon \sim N(0, 1) \text{ independent}",
               note="data and noise; only their means and variances enter the loss"),
    Hypothesis(r"s(\tilde{x}) = a (\tilde{x} - \mu) + b",
               note="an affine score model at one scale; it contains the noised score"),
]


def _loss(weight: sp.Expr = sp.S.One) -> sp.Expr:
    return weight * E((a * (x_data + sigma * eps - mu) + b + eps / sigma) ** 2, data, noise)


def _completed_square(weight: sp.Expr = sp.S.One) -> sp.Expr:
    return weight * (NOISED_VARIANCE * (a + 1 / NOISED_VARIANCE) ** 2 + b**2
                     + s**2 / (sigma**2 * NOISED_VARIANCE))


# ---------------------------------------------------------------- the minimiser (numerics)

MU0, S0, SIGMA0 = 1.0, 1.0, 0.5
BATCH, BATCHES = 256, 4096


def _dsm_slope_sampler(noise_scale: float) -> Sampler:
    """Per batch of BATCH DSM pairs (x~ - mu, -eps / sigma): the least-squares slope."""
    def sample(rng: np.random.Generator, size: int) -> np.ndarray:
        clean = MU0 + S0 * rng.standard_normal((size, BATCH))
        epsilon = rng.standard_normal((size, BATCH))
        centred = clean + noise_scale * epsilon - MU0
        target = -epsilon / noise_scale
        slopes: np.ndarray = np.sum(centred * target, axis=1) / np.sum(centred**2, axis=1)
        return slopes
    return sample


def dsm_least_squares_slope(seed: int) -> Comparison:
    """The slope of a linear score fitted to DSM samples against -1 / (s^2 + sigma^2)."""
    result = montecarlo.estimate(_dsm_slope_sampler(SIGMA0), BATCHES, seed=seed)
    return Comparison(
        estimate=float(result.mean), stderr=float(result.stderr),
        expected=-1 / (S0**2 + SIGMA0**2),
        alternatives={"-1 / s^2 (the clean data's score)": -1 / S0**2,
                      "-1 / sigma^2 (the noise's score)": -1 / SIGMA0**2},
        details=f"x ~ N({MU0:g}, {S0:g}^2), sigma = {SIGMA0:g}: least-squares slope of "
                f"-eps / sigma on x~ - mu through the origin, {BATCHES} batches of {BATCH} "
                f"pairs (the slope is unbiased: E[-eps / sigma | x~] is linear in x~)")


dsm_gaussian_minimiser = Derivation(
    id="dsm-gaussian-minimiser",
    title="For Gaussian data the DSM minimiser is -(x~ - mu) / (s^2 + sigma^2), the noised score",
    source=Source(ASSIGNMENT, SECTION, OBJECTIVE_QUOTE),
    start=Step(_loss(),
               r"\mathbb{E}\left[\left(a (x + \sigma \epsilon - \mu) + b + \frac{\epsilon}"
               r"{\sigma}\right)^2\right]",
               "the DSM loss at one scale for the affine model s(x~) = a (x~ - mu) + b"),
    steps=[
        Step(a**2 * NOISED_VARIANCE + 2 * a + b**2 + 1 / sigma**2,
             r"a^2 (s^2 + \sigma^2) + 2 a + b^2 + \frac{1}{\sigma^2}",
             "E[(x - mu)^2] = s^2, E[eps^2] = 1, independence"),
        Step(_completed_square(),
             r"(s^2 + \sigma^2) \left(a + \frac{1}{s^2 + \sigma^2}\right)^2 + b^2 + "
             r"\frac{s^2}{\sigma^2 (s^2 + \sigma^2)}",
             "complete the square: minimised at a = -1 / (s^2 + sigma^2), b = 0, i.e. "
             "s(x~) = -(x~ - mu) / (s^2 + sigma^2)"),
    ],
    hypotheses=GAUSSIAN_HYPOTHESES,
    crosschecks=[CrossCheck("least-squares linear score on DSM samples", dsm_least_squares_slope)],
)

x_tilde = sp.Symbol("xtilde", real=True)
NOISED_DENSITY = (sp.exp(-(x_tilde - mu) ** 2 / (2 * NOISED_VARIANCE))
                  / sp.sqrt(2 * sp.pi * NOISED_VARIANCE))

SCORE_POINT, SCORE_HALF_WIDTH, SCORE_DRAWS = 2.0, 0.02, 2**20


def dsm_target_mean_near_point(seed: int) -> Comparison:
    """E[-eps / sigma | x~ near x0] from DSM pairs of N(mu, s^2) data, x0 = mu + 1, against
    -(x0 - mu) / (s^2 + sigma^2); the bin's bias is O(width^2)."""
    rng = np.random.default_rng(seed)
    epsilon = rng.standard_normal(SCORE_DRAWS)
    noised = MU0 + S0 * rng.standard_normal(SCORE_DRAWS) + SIGMA0 * epsilon
    target = -epsilon[np.abs(noised - SCORE_POINT) < SCORE_HALF_WIDTH] / SIGMA0
    offset = SCORE_POINT - MU0
    return Comparison(
        estimate=float(target.mean()), stderr=float(target.std(ddof=1) / math.sqrt(target.size)),
        expected=-offset / (S0**2 + SIGMA0**2),
        alternatives={"-(x~ - mu) / sigma^2 (the noise's score)": -offset / SIGMA0**2,
                      "-(x~ - mu) / s^2 (the clean data's score)": -offset / S0**2},
        details=f"x ~ N({MU0:g}, {S0:g}^2), sigma = {SIGMA0:g}: mean of -eps / sigma over the "
                f"{target.size} of {SCORE_DRAWS} pairs with |x~ - {SCORE_POINT:g}| < "
                f"{SCORE_HALF_WIDTH}")


dsm_minimiser_is_score = Derivation(
    id="dsm-minimiser-is-noised-score",
    title="-(x~ - mu) / (s^2 + sigma^2) is d/dx~ log p_sigma(x~) for p_sigma = N(mu, s^2 + sigma^2)",
    source=Source(ASSIGNMENT, SECTION, OBJECTIVE_QUOTE),
    start=Step(sp.Derivative(sp.log(NOISED_DENSITY), x_tilde),
               r"\frac{d}{d\tilde{x}} \log p_\sigma(\tilde{x})",
               "p_sigma = N(mu, s^2 + sigma^2), the law of x~ = x + sigma eps"),
    steps=[
        Step(-(x_tilde - mu) / NOISED_VARIANCE, r"-\frac{\tilde{x} - \mu}{s^2 + \sigma^2}"),
        Step(-(1 / sigma) * (sigma / NOISED_VARIANCE) * (x_tilde - mu),
             r"-\frac{1}{\sigma} \mathbb{E}[\epsilon \mid \tilde{x}] = -\frac{1}{\sigma} "
             r"\frac{\operatorname{Cov}(\epsilon, \tilde{x})}{\operatorname{Var}(\tilde{x})} "
             r"(\tilde{x} - \mu)",
             "Gaussian conditioning, Cov(eps, x~) = sigma: the conditional mean of the DSM "
             "target -eps / sigma, which minimises the squared loss (dsm-gaussian-minimiser)"),
    ],
    hypotheses=GAUSSIAN_HYPOTHESES[:1],
    notation={r"\tilde{x}": x_tilde, "p_sigma": sp.Lambda(x_tilde, NOISED_DENSITY)},
    crosschecks=[CrossCheck("the DSM target's mean near a point", dsm_target_mean_near_point)],
)


# ---------------------------------------------------------------- weighting

WEIGHTED_SCALES = np.array([SIGMA0, 2.0])
SCALE_WEIGHTS = WEIGHTED_SCALES**2


def _weighted_fit_sampler(rng: np.random.Generator, size: int) -> np.ndarray:
    """Per batch of BATCH DSM pairs at each of two scales: the slope at the first scale of the
    weighted least-squares fit, weights w(sigma) = sigma^2, own (a, b) at each scale."""
    clean = MU0 + S0 * rng.standard_normal((size, 2, BATCH))
    epsilon = rng.standard_normal((size, 2, BATCH))
    centred = clean + WEIGHTED_SCALES[None, :, None] * epsilon - MU0
    target = -epsilon / WEIGHTED_SCALES[None, :, None]
    design = np.zeros((size, 2 * BATCH, 4))
    for k in range(2):
        rows = slice(k * BATCH, (k + 1) * BATCH)
        design[:, rows, 2 * k], design[:, rows, 2 * k + 1] = centred[:, k], 1.0
    weights = np.repeat(SCALE_WEIGHTS, BATCH)
    gram = np.einsum("nri,r,nrj->nij", design, weights, design)
    moment = np.einsum("nri,r,nr->ni", design, weights, target.reshape(size, -1))
    slopes: np.ndarray = np.linalg.solve(gram, moment[..., None])[:, 0, 0]
    return slopes


def weighted_fit_keeps_minimiser(seed: int) -> Comparison:
    """The first-scale slope of a weighted least-squares score fit (w = sigma^2, scales 0.5 and
    2) against -1 / (s^2 + sigma^2); a slope shared by the scales would depend on w."""
    result = montecarlo.estimate(_weighted_fit_sampler, 1024, seed=seed)
    variances = S0**2 + WEIGHTED_SCALES**2
    shared = -float(SCALE_WEIGHTS.sum() / (SCALE_WEIGHTS @ variances))
    return Comparison(
        estimate=float(result.mean), stderr=float(result.stderr),
        expected=-1 / variances[0],
        alternatives={"a slope shared by the scales, moved by w = sigma^2": shared,
                      "w times the noised score, -w / (s^2 + sigma^2)":
                      -SCALE_WEIGHTS[0] / variances[0]},
        details=f"x ~ N({MU0:g}, {S0:g}^2), scales {WEIGHTED_SCALES.tolist()}, weights "
                f"{SCALE_WEIGHTS.tolist()}; 1024 batches of {BATCH} pairs per scale")


def weighted_optimal_loss(seed: int) -> Comparison:
    """Monte Carlo sigma^2 times the loss at the optimum, sigma = 0.5, s = 1, against
    s^2 / (s^2 + sigma^2)."""
    def sample(rng: np.random.Generator, size: int) -> np.ndarray:
        weighted: np.ndarray = SIGMA0**2 * _optimal_loss_sampler(SIGMA0)(rng, size)
        return weighted
    result = montecarlo.estimate(sample, LOSS_DRAWS, seed=seed)
    return Comparison(
        estimate=float(result.mean), stderr=float(result.stderr),
        expected=S0**2 / (S0**2 + SIGMA0**2),
        alternatives={"1 (sigma^2 times 1 / sigma^2: the data's s^2 dropped)": 1.0,
                      "the unweighted loss s^2 / (sigma^2 (s^2 + sigma^2))":
                      S0**2 / (SIGMA0**2 * (S0**2 + SIGMA0**2))},
        details=f"x ~ N(0, {S0:g}^2), sigma = {SIGMA0:g}, {LOSS_DRAWS} draws of sigma^2 (a* "
                f"(x~ - mu) + eps / sigma)^2 at a* = -1 / (s^2 + sigma^2)")


dsm_weight_keeps_minimiser = Derivation(
    id="dsm-weight-keeps-minimiser",
    title="A weight w(sigma) > 0 rescales the loss at each scale and keeps its minimiser, the "
          "noised score: consistency does not depend on the choice of w",
    source=Source(ASSIGNMENT, SECTION, WEIGHTING_QUOTE),
    start=Step(_loss(w),
               r"w \, \mathbb{E}\left[\left(a (x + \sigma \epsilon - \mu) + b + "
               r"\frac{\epsilon}{\sigma}\right)^2\right]",
               "the weighted loss at one scale, w = w(sigma) > 0"),
    steps=[Step(_completed_square(),
                r"(s^2 + \sigma^2) \left(a + \frac{1}{s^2 + \sigma^2}\right)^2 + b^2 + "
                r"\frac{s^2}{\sigma^2 (s^2 + \sigma^2)}",
                "w times the unweighted loss: the same minimiser, the noised score, for every "
                "w > 0. A model with its own parameters at each scale is consistent whatever "
                "the weights; they matter only where scales share (limited) parameters",
                relation="= const +", wrt=(a, b), scale=w)],
    hypotheses=[*GAUSSIAN_HYPOTHESES, Hypothesis(r"w(\sigma) > 0")],
    crosschecks=[CrossCheck("weighted least-squares score fit at two scales",
                            weighted_fit_keeps_minimiser)],
)

min_loss = s**2 / (sigma**2 * NOISED_VARIANCE)
dsm_weighted_minimum = Derivation(
    id="dsm-sigma-squared-weight-balances-scales",
    title="The DSM loss at the optimum grows like 1 / sigma^2; with w = sigma^2 it stays below 1",
    source=Source(ASSIGNMENT, SECTION, WEIGHTING_QUOTE),
    start=Step(sigma**2 * min_loss,
               r"\sigma^2 \cdot \frac{s^2}{\sigma^2 (s^2 + \sigma^2)}",
               "w = sigma^2 times the minimum of the loss at one scale (dsm-gaussian-minimiser), "
               "which is ~ 1 / sigma^2 as sigma -> 0"),
    steps=[Step(s**2 / NOISED_VARIANCE, r"\frac{s^2}{s^2 + \sigma^2}"),
           Step(sp.S.One, r"1", "comparable at every scale", relation="<=")],
    hypotheses=GAUSSIAN_HYPOTHESES,
    crosschecks=[CrossCheck("Monte Carlo sigma^2 times the loss at the optimum",
                            weighted_optimal_loss)],
)

SCALES = (0.01, 0.0141, 0.02, 0.0283, 0.04, 0.0566, 0.08)
LOSS_DRAWS = 2**15


def _optimal_loss_sampler(noise_scale: float) -> Sampler:
    """Draws of (a* (x~ - mu) + eps / sigma)^2 at the optimum a* = -1 / (s^2 + sigma^2)."""
    slope = -1 / (S0**2 + noise_scale**2)

    def sample(rng: np.random.Generator, size: int) -> np.ndarray:
        clean = S0 * rng.standard_normal(size)
        epsilon = rng.standard_normal(size)
        return (slope * (clean + noise_scale * epsilon) + epsilon / noise_scale) ** 2
    return sample


def optimal_loss_rate(seed: int) -> Comparison:
    """Log-log slope of the Monte Carlo loss at the optimum against sigma: -2 + O(sigma^2)."""
    estimates = [montecarlo.estimate(_optimal_loss_sampler(scale), LOSS_DRAWS,
                                     seed=np.random.SeedSequence(seed, spawn_key=(k,)))
                 for k, scale in enumerate(SCALES)]
    losses = [float(e.mean) for e in estimates]
    fit = fit_power_law(SCALES, losses)
    exact = [S0**2 / (q**2 * (S0**2 + q**2)) for q in SCALES]
    claimed = fit_power_law(SCALES, exact).slope
    weighted = {"unweighted loss at the optimum": losses,
                "w = sigma^2: sigma^2 times the loss": [q**2 * v for q, v in zip(SCALES, losses, strict=False)]}
    threshold = fit.t_threshold()
    return Comparison(
        estimate=fit.slope, stderr=fit.slope_stderr, expected=claimed, z_threshold=threshold,
        alternatives={"0 (losses already comparable across scales)": 0.0,
                      "-1 (a loss ~ 1 / sigma)": -1.0},
        details=f"{fit}; expected: the slope fitted to the exact s^2 / (sigma^2 (s^2 + "
                f"sigma^2)) on the same sigmas; {LOSS_DRAWS} draws per scale, s = {S0:g}; "
                f"threshold {threshold:.1f} standard errors (the Student t quantile, "
                f"{fit.n_points - 2} degrees of freedom, with the tail of z = 5)",
        data={"plots": [
            {"plot": "loglog", "x": list(SCALES), "y": losses,
             "yerr": [float(e.stderr) for e in estimates], "slope": fit.slope,
             "intercept": fit.intercept, "expected_slope": -2.0,
             "title": "DSM loss at the optimum", "xlabel": "sigma", "ylabel": "loss"},
            {"plot": "curves", "x": list(SCALES), "curves": weighted, "logx": True, "logy": True,
             "title": "Per-scale losses with and without w = sigma^2", "xlabel": "sigma",
             "ylabel": "loss at the optimum"}]})


dsm_optimal_loss = Derivation(
    id="dsm-loss-at-optimum",
    title="Without weighting, the DSM loss at the optimum is s^2 / (sigma^2 (s^2 + sigma^2))",
    source=Source(ASSIGNMENT, SECTION, WEIGHTING_QUOTE),
    start=Step(_loss().subs({a: -1 / NOISED_VARIANCE, b: 0}),
               r"\mathbb{E}\left[\left(-\frac{\tilde{x} - \mu}{s^2 + \sigma^2} + "
               r"\frac{\epsilon}{\sigma}\right)^2\right]",
               "the loss at the minimiser (dsm-gaussian-minimiser)"),
    steps=[Step(min_loss, r"\frac{s^2}{\sigma^2 (s^2 + \sigma^2)}",
                "~ 1 / sigma^2 as sigma -> 0: small scales dominate an unweighted sum")],
    hypotheses=GAUSSIAN_HYPOTHESES[:1],
    notation={r"\tilde{x}": x_data + sigma * eps},
    crosschecks=[CrossCheck("log-log slope of the Monte Carlo loss at the optimum against sigma",
                            optimal_loss_rate)],
)


# ---------------------------------------------------------------- near and far from the data

DATA = np.array([-1.0, 0.5, 2.0])
NEAR_SIGMA, FAR_SIGMA, NEAR_DRAWS = 0.1, 0.5, 2**16


def mixture_score(points: np.ndarray, noise_scale: float) -> np.ndarray:
    """d/dx log p_sigma(x), p_sigma = mean_k N(x; DATA_k, sigma^2), computed stably."""
    distance = points[:, None] - DATA[None, :]
    log_weights = -distance**2 / (2 * noise_scale**2)
    weights = np.exp(log_weights - logsumexp(log_weights, axis=1, keepdims=True))
    score: np.ndarray = -(weights * distance).sum(axis=1) / noise_scale**2
    return score


def _noised_data(rng: np.random.Generator, size: int, noise_scale: float) -> np.ndarray:
    return rng.choice(DATA, size) + noise_scale * rng.standard_normal(size)


def near_data_score(seed: int) -> Comparison:
    """E|s(x~)|^2 under p_sigma for a three-point data set, sigma = 0.1, against 1 / sigma^2."""
    def sample(rng: np.random.Generator, size: int) -> np.ndarray:
        return mixture_score(_noised_data(rng, size, NEAR_SIGMA), NEAR_SIGMA) ** 2
    result = montecarlo.estimate(sample, NEAR_DRAWS, seed=seed)
    at_data = np.abs(mixture_score(DATA, NEAR_SIGMA)).max()
    return Comparison(
        estimate=float(result.mean), stderr=float(result.stderr), expected=1 / NEAR_SIGMA**2,
        alternatives={"1 / (Var(data) + sigma^2): one Gaussian fitted to the noised data":
                      1 / (float(DATA.var()) + NEAR_SIGMA**2)},
        details=f"data {DATA.tolist()}, sigma = {NEAR_SIGMA}, {NEAR_DRAWS} noised draws; the "
                f"points are far apart in units of sigma, so the mixture's mean square score "
                f"is 1 / sigma^2 up to exp(-28); at the data points themselves |s| <= "
                f"{at_data:.1e}: the magnitude is large at distance ~sigma, not on the data")


one_point = random_variable("epsilon", mean=0, variance=1)
near_data_magnitude = Derivation(
    id="dsm-score-near-data-mean-square",
    title="Near a data point the noised score has mean square 1 / sigma^2: large for small sigma",
    source=Source(ASSIGNMENT, SECTION, NEAR_QUOTE),
    start=Step(E((-(mu + sigma * one_point.symbol - mu) / sigma**2) ** 2, one_point),
               r"\mathbb{E}\left[\left(-\frac{\tilde{x} - x_1}{\sigma^2}\right)^2\right], "
               r"\quad \tilde{x} = x_1 + \sigma \epsilon",
               "one data point x_1 (here mu): p_sigma = N(x_1, sigma^2), whose score is "
               "-(x~ - x_1) / sigma^2"),
    steps=[Step(E(one_point.symbol**2, one_point) / sigma**2,
                r"\frac{\mathbb{E}[\epsilon^2]}{\sigma^2}"),
           Step(1 / sigma**2, r"\frac{1}{\sigma^2}")],
    hypotheses=[Hypothesis(r"\epsilon \sim N(0, 1)")],
    notation={"x_1": mu},
    crosschecks=[CrossCheck("mean square score of a noised three-point data set",
                            near_data_score)],
)

u = sp.exp(x / sigma**2)
e_minus = sp.exp(-(x + 1) ** 2 / (2 * sigma**2))
e_plus = sp.exp(-(x - 1) ** 2 / (2 * sigma**2))
TWO_POINT_SCORE = -(x - (u - 1 / u) / (u + 1 / u)) / sigma**2
TWO_POINT_HYPOTHESIS = Hypothesis(
    r"p_\sigma(x) = \tfrac{1}{2} N(x; -1, \sigma^2) + \tfrac{1}{2} N(x; 1, \sigma^2)",
    quote="In low-density regions (regions far from data)",
    note="a small data set {-1, 1} noised at scale sigma")

TWO_POINTS = np.array([-1.0, 1.0])
BIN_CENTRE, BIN_HALF_WIDTH, BIN_DRAWS = 0.3, 0.02, 2**20


def _two_point_score(point: float, noise_scale: float) -> float:
    """-(x - tanh(x / sigma^2)) / sigma^2, the score of the noised data set {-1, 1}."""
    return -(point - math.tanh(point / noise_scale**2)) / noise_scale**2


def dsm_target_conditional_mean(seed: int) -> Comparison:
    """E[-eps / sigma | x~ near x0] from DSM pairs of the data set {-1, 1} against s(x0)."""
    rng = np.random.default_rng(seed)
    epsilon = rng.standard_normal(BIN_DRAWS)
    noised = rng.choice(TWO_POINTS, BIN_DRAWS) + FAR_SIGMA * epsilon
    target = -epsilon[np.abs(noised - BIN_CENTRE) < BIN_HALF_WIDTH] / FAR_SIGMA
    return Comparison(
        estimate=float(target.mean()), stderr=float(target.std(ddof=1) / math.sqrt(target.size)),
        expected=_two_point_score(BIN_CENTRE, FAR_SIGMA),
        alternatives={"-x~ / sigma^2 (the score of the noise alone)": -BIN_CENTRE / FAR_SIGMA**2,
                      "-x~ / (Var(data) + sigma^2) (a Gaussian fitted to the noised data)":
                      -BIN_CENTRE / (1 + FAR_SIGMA**2)},
        details=f"data {{-1, 1}}, sigma = {FAR_SIGMA}: the mean of the DSM target -eps / sigma "
                f"over the {target.size} of {BIN_DRAWS} pairs with |x~ - {BIN_CENTRE}| < "
                f"{BIN_HALF_WIDTH} (the least-squares optimum there), against the exact score of "
                f"p_sigma at {BIN_CENTRE}; the bin's bias is O(width^2)")


two_point_score = Derivation(
    id="dsm-two-point-noised-score",
    title="The score of a noised data set {-1, 1} is -(x - m(x)) / sigma^2 with |m(x)| < 1",
    source=Source(ASSIGNMENT, SECTION, FAR_QUOTE),
    start=Step(sp.Derivative(sp.log(e_minus + e_plus), x),
               r"\frac{d}{dx} \log\left(e^{-(x + 1)^2 / 2 \sigma^2} + "
               r"e^{-(x - 1)^2 / 2 \sigma^2}\right)",
               "the score of p_sigma (its constant factor drops out); p_sigma > 0 everywhere"),
    steps=[
        Step((-(x + 1) * e_minus - (x - 1) * e_plus) / (sigma**2 * (e_minus + e_plus)),
             r"\frac{-(x + 1) e^{-(x + 1)^2 / 2 \sigma^2} - (x - 1) e^{-(x - 1)^2 / 2 \sigma^2}}"
             r"{\sigma^2 \left(e^{-(x + 1)^2 / 2 \sigma^2} + e^{-(x - 1)^2 / 2 \sigma^2}\right)}"),
        Step(TWO_POINT_SCORE,
             r"-\frac{1}{\sigma^2} \left(x - \frac{e^{x / \sigma^2} - e^{-x / \sigma^2}}"
             r"{e^{x / \sigma^2} + e^{-x / \sigma^2}}\right)",
             "divide by e^{-(x^2 + 1) / 2 sigma^2}: m(x) = tanh(x / sigma^2) is a weighted "
             "mean of the data points -1, 1"),
    ],
    hypotheses=[TWO_POINT_HYPOTHESIS],
    crosschecks=[CrossCheck("the DSM optimum E[-eps / sigma | x~] against this score",
                            dsm_target_conditional_mean)],
)

FAR_POINTS = np.array([5.0, 10.0, 20.0, 40.0, 80.0])


def far_score_growth(seed: int) -> Comparison:
    """sigma^2 s(x) / x at x = 80 for a noised three-point data set against -1."""
    grid = np.linspace(-12, 12, 241)
    far = mixture_score(FAR_POINTS, FAR_SIGMA) * FAR_SIGMA**2 / FAR_POINTS
    return Comparison(
        estimate=float(far[-1]), expected=-1.0, tolerance=2 * float(DATA.max()) / FAR_POINTS[-1],
        alternatives={"0: the notes' score tending to 0": 0.0},
        details=f"data {DATA.tolist()}, sigma = {FAR_SIGMA}; sigma^2 s(x) / x at x = "
                f"{FAR_POINTS.tolist()}: {np.round(far, 4).tolist()}; |sigma^2 s(x) + x| <= "
                f"max |x_k| = {DATA.max():g}, so the tolerance is 2 max|x_k| / x",
        data={"plot": "curves", "x": grid.tolist(),
              "curves": {"exact score s(x) of the noised data": mixture_score(
                  grid, FAR_SIGMA).tolist(),
                         "-x / sigma^2": (-grid / FAR_SIGMA**2).tolist(),
                         "the notes' far-field limit 0": [0.0] * grid.size},
              "title": "The score of a noised three-point data set, sigma = 0.5",
              "xlabel": "x", "ylabel": "d/dx log p_sigma(x)"})


far_score = Derivation(
    id="dsm-score-far-from-data",
    title="Far from the data the noised score grows linearly; it does not tend to 0",
    source=Source(ASSIGNMENT, SECTION, FAR_QUOTE),
    start=Step(sp.Limit(TWO_POINT_SCORE / x, x, sp.oo),
               r"\lim_{x \to \infty} \frac{1}{x} \frac{d}{dx} \log p_\sigma(x)",
               "the score of the noised data set {-1, 1} (dsm-two-point-noised-score) over x"),
    steps=[Step(sp.S.Zero, r"0", "the notes: the score tends to 0 far from the data (then so "
                "does the score over x)")],
    expected=erratum(Correction(
        1, Step(-1 / sigma**2, r"-\frac{1}{\sigma^2}"),
        "the score is -(x - m(x)) / sigma^2 with m(x) between the smallest and the largest data "
        "point, so |s(x)| ~ |x| / sigma^2 grows linearly far from the data (for any finite "
        "data set); p_sigma > 0 everywhere, so the score is defined everywhere")),
    hypotheses=[TWO_POINT_HYPOTHESIS],
    notation={"p_sigma": sp.Lambda(x, (e_minus + e_plus) / (2 * sp.sqrt(2 * sp.pi) * sigma))},
    crosschecks=[CrossCheck("the exact score of a noised three-point data set far away",
                            far_score_growth)],
)
