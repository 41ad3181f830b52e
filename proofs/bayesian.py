r"""Bayesian estimation: the posterior predictive of the Gaussian linear model.

Lecture notes, "Bayesian Estimation": y-hat = argmax_y P(y | x', X) =
argmax_y int P(y, Theta | x', X) dTheta.  For the model of "Linear Regression via MAP"
(prior w ~ N(0, lambda^{-1} I), (y | x, w) ~ N(w^T x, beta^{-1})) the posterior is
N(m_N, S_N), S_N = (lambda I + beta X^T X)^{-1}, m_N = beta S_N X^T y, and the predictive
integral is Gaussian: y | x', X ~ N(m_N^T x', 1/beta + x'^T S_N x').

- Its mean, the notes' argmax (a Gaussian density peaks at its mean), is the MAP (ridge,
  alpha = lambda / beta) prediction m_N^T x'.
- Its variance adds the parameter uncertainty x'^T S_N x' to the noise 1/beta.

The chains write the posterior draw as w = m_N + L z with z ~ N(0, I) and S_N = L L^T
(Cholesky), d = 2, and the noise as an independent epsilon with variance 1/beta; the
predictive moments are then expectations over (z, epsilon).  The cross-check integrates
over the posterior without its closed form: draws from the prior weighted by the likelihood.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive import (
    Comparison,
    CrossCheck,
    Derivation,
    E,
    Hypothesis,
    Source,
    Step,
    Var,
    random_variable,
)

from ._notes import LECTURE_NOTES

SECTION = "Bayesian Estimation"
QUOTE = (r"\hat{y} = \argmax_y P(y | x^\prime, \mathbf{X}) = \argmax_y \int P(y, \Theta | "
         r"x^\prime, \mathbf{X}) d\Theta")

beta = sp.Symbol("beta", positive=True)
x1, x2, m1, m2, y_value = sp.symbols("x1 x2 m1 m2 y", real=True)
l11, l22 = sp.symbols("L11 L22", positive=True)
l21 = sp.Symbol("L21", real=True)
z1 = random_variable("z1", mean=0, variance=1)
z2 = random_variable("z2", mean=0, variance=1)
noise = random_variable("epsilon", mean=0, variance=1 / beta)

x_new = sp.Matrix([x1, x2])
mean_n = sp.Matrix([m1, m2])
cholesky = sp.Matrix([[l11, 0], [l21, l22]])
posterior_covariance = cholesky * cholesky.T
posterior_draw = mean_n + cholesky * sp.Matrix([z1.symbol, z2.symbol])
prediction = (x_new.T * posterior_draw)[0, 0] + noise.symbol
PREDICTIVE_MEAN = (mean_n.T * x_new)[0, 0]
PREDICTIVE_VARIANCE = 1 / beta + (x_new.T * posterior_covariance * x_new)[0, 0]

NOTATION = {"x_prime": x_new, "m_N": mean_n, "S_N": posterior_covariance,
            r"\mathbf{X}": sp.Symbol("D")}
"""x' the new input, m_N and S_N the posterior's mean and covariance, X the data (fixed)."""

HYPOTHESES = [
    Hypothesis(r"w \sim \mathcal{N}(0, \lambda^{-1} I)",
               quote=r"如果假設 $w \sim \mathcal{N}(0, \lambda^{-1} I)$",
               note="from 'Linear Regression via MAP'"),
    Hypothesis(r"y \mid x, w \sim \mathcal{N}(w^\top x, \beta^{-1})", quote=None,
               note="the Gaussian likelihood of 'Linear Regression via MLE'"),
    Hypothesis(r"w \mid \mathbf{X} \sim \mathcal{N}(m_N, S_N), \; S_N = L L^\top", quote=None,
               note="the Gaussian posterior (map-posterior-mean, map-posterior-covariance); "
                    "d = 2"),
]

# ---------------------------------------------------------------- cross-check

LAMBDA, BETA, SIZE, DRAWS = 2.0, 4.0, 8, 100_000
TRUE_WEIGHTS, QUERY = np.array([0.8, -0.5]), np.array([3.0, -2.0])


def _posterior(features: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    covariance = np.linalg.inv(LAMBDA * np.eye(2) + BETA * features.T @ features)
    return BETA * covariance @ features.T @ labels, covariance


def _weighted_prior_draws(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Data, and prior draws of w with normalised likelihood weights (importance sampling)."""
    rng = np.random.default_rng(seed)
    features = rng.standard_normal((SIZE, 2))
    labels = features @ TRUE_WEIGHTS + rng.standard_normal(SIZE) / np.sqrt(BETA)
    draws = rng.standard_normal((DRAWS, 2)) / np.sqrt(LAMBDA)
    log_weight = -BETA / 2 * ((labels - draws @ features.T) ** 2).sum(axis=1)
    weight = np.exp(log_weight - log_weight.max())
    return features, labels, draws, weight / weight.sum()


def _weighted_mean(values: np.ndarray, weight: np.ndarray) -> tuple[float, float]:
    """Self-normalised importance-sampling mean and its delta-method standard error."""
    mean = float(weight @ values)
    return mean, float(np.sqrt(weight**2 @ (values - mean) ** 2))


def predictive_variance(seed: int) -> Comparison:
    """int (w^T x' - m_N^T x')^2 P(w | X) dw + 1/beta by importance sampling."""
    features, labels, draws, weight = _weighted_prior_draws(seed)
    mean, covariance = _posterior(features, labels)
    spread = (draws @ QUERY - mean @ QUERY) ** 2 + 1 / BETA
    value, stderr = _weighted_mean(spread, weight)
    return Comparison(estimate=value, stderr=stderr,
                      expected=1 / BETA + float(QUERY @ covariance @ QUERY),
                      alternatives={"the noise alone, 1/beta": 1 / BETA},
                      details=f"N = {SIZE}, lambda = {LAMBDA}, beta = {BETA}, x' = {QUERY}; "
                              f"{DRAWS} prior draws weighted by the likelihood")


def predictive_mean(seed: int) -> Comparison:
    """int w^T x' P(w | X) dw by importance sampling against the MAP prediction m_N^T x'."""
    features, labels, draws, weight = _weighted_prior_draws(seed)
    mean, _ = _posterior(features, labels)
    value, stderr = _weighted_mean(draws @ QUERY, weight)
    least_squares = np.linalg.lstsq(features, labels, rcond=None)[0]
    return Comparison(estimate=value, stderr=stderr, expected=float(mean @ QUERY),
                      alternatives={"the ML (least-squares) prediction":
                                    float(least_squares @ QUERY)},
                      details=f"N = {SIZE}, x' = {QUERY}; {DRAWS} weighted prior draws")


# ---------------------------------------------------------------- derivations

predictive_variance_closed_form = Derivation(
    id="bayesian-predictive-variance",
    title="The predictive variance is 1/beta + x'^T S_N x': noise plus parameter uncertainty",
    source=Source(LECTURE_NOTES, SECTION, QUOTE),
    start=Step(Var(prediction, z1, z2, noise),
               r"\text{Var}[y \mid x^\prime, \mathbf{X}]",
               "y = w^T x' + epsilon, w = m_N + L z from the posterior"),
    steps=[Step(PREDICTIVE_VARIANCE, r"\frac{1}{\beta} + x^{\prime\top} S_N x^\prime",
                "independent noise and posterior draw; Var(x'^T L z) = x'^T L L^T x'")],
    hypotheses=HYPOTHESES,
    crosschecks=[CrossCheck("importance-sampled predictive variance", predictive_variance)],
    notation={**NOTATION, "y": prediction},
)

predictive_mean_is_map = Derivation(
    id="bayesian-predictive-mean-is-map",
    title="The predictive mean is the MAP prediction m_N^T x'",
    source=Source(LECTURE_NOTES, SECTION, QUOTE),
    start=Step(E(prediction, z1, z2, noise), r"\mathbb{E}[y \mid x^\prime, \mathbf{X}]"),
    steps=[Step(PREDICTIVE_MEAN, r"m_N^\top x^\prime",
                "m_N is the posterior mean, which is the MAP (ridge) weight")],
    hypotheses=HYPOTHESES,
    crosschecks=[CrossCheck("importance-sampled predictive mean", predictive_mean)],
    notation={**NOTATION, "y": prediction},
)

gaussian_log_density = (-(y_value - PREDICTIVE_MEAN) ** 2 / (2 * PREDICTIVE_VARIANCE)
                        - sp.log(2 * sp.pi * PREDICTIVE_VARIANCE) / 2)

argmax_is_mean = Derivation(
    id="bayesian-predictive-argmax-is-mean",
    title="argmax_y of the Gaussian predictive is its mean: the score vanishes there",
    source=Source(LECTURE_NOTES, SECTION, QUOTE),
    start=Step(sp.diff(gaussian_log_density, y_value).subs(y_value, PREDICTIVE_MEAN),
               r"\frac{\partial}{\partial y} \log \mathcal{N}(y \mid m_N^\top x^\prime, "
               r"\frac{1}{\beta} + x^{\prime\top} S_N x^\prime) \Big|_{y = m_N^\top x^\prime}",
               "the log-density is a concave quadratic in y, so its stationary point is the "
               "argmax"),
    steps=[Step(sp.Integer(0), r"0")],
    hypotheses=HYPOTHESES,
    crosschecks=[CrossCheck("importance-sampled predictive mean", predictive_mean)],
    notation={**NOTATION, "y": y_value, "beta": beta},
)
