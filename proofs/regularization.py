r"""Constrained and penalised ridge regression, and weight decay.

Lecture notes, the first "Regularization" section (the constrained problem
argmin 1/2 |y - (Xw - b)|^2 subject to |w|^2 <= R and its KKT Lagrangian), "Weight
Decay" and "Ridge Regression (L2 Regularization)" ("alpha 越大,模型越簡單").  The notes'
model is Xw - b: the intercept is -b, a sign convention that changes nothing (the
constrained and penalised problems leave b free); b is removed by centring here.

Equivalence (for every radius R below |w_OLS|^2 there is one alpha > 0 with the same
solution).  With the SVD X = U diag(s) V^T (d = 2 here, s_j > 0) and c = U^T y, the ridge
solution in the coordinates V^T w is w_j(alpha) = s_j c_j / (s_j^2 + alpha), so

    |w(alpha)|^2 = sum_j s_j^2 c_j^2 / (s_j^2 + alpha)^2,
    d/d alpha |w(alpha)|^2 = -2 sum_j s_j^2 c_j^2 / (s_j^2 + alpha)^3 < 0 (unless c = 0):

the norm falls continuously and strictly from |w_OLS|^2 (alpha = 0) to 0 (alpha -> oo), so
each R in (0, |w_OLS|^2) is |w(alpha)|^2 for exactly one alpha > 0.  At that alpha, w(alpha)
is stationary for the Lagrangian 1/2 |y - Xw|^2 + alpha/2 (|w|^2 - R), is feasible with
the constraint active, and alpha > 0: the KKT conditions hold, and they suffice for this
convex problem, so w(alpha) is the constrained solution.  For R >= |w_OLS|^2 the constraint
is inactive and alpha = 0.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize
import sympy as sp

from derive import Comparison, CrossCheck, Derivation, Hypothesis, Source, Step
from numeric.linear import least_squares, ridge

from ._notes import LECTURE_NOTES

REGULARIZATION = "Regularization"
RIDGE = "Ridge Regression (L2 Regularization)"
WEIGHT_DECAY = "Weight Decay"
CONSTRAINED_QUOTE = (r"\text{argmin}_{w \in \mathbb{R}^d} \frac{1}{2} | y - (Xw - b)|^2 "
                     r"\newline \text{subject to } |w|^2 \leq R")
ALPHA_QUOTE = r"$\alpha$: regularization parameter,控制正則化項的權重,$\alpha$ 越大,模型越簡單"

alpha = sp.Symbol("alpha", positive=True)
R = sp.Symbol("R", positive=True)
s1, s2 = sp.symbols("s1 s2", positive=True)
c1, c2 = sp.symbols("c1 c2", real=True)
singular_values, projections = (s1, s2), (c1, c2)


def _ridge_coordinate(s, c) -> sp.Expr:
    """w_j(alpha) = s_j c_j / (s_j^2 + alpha) in the coordinates V^T w."""
    return s * c / (s**2 + alpha)


SQUARED_NORM = sp.Add(*[_ridge_coordinate(s, c) ** 2
                        for s, c in zip(singular_values, projections, strict=True)])
NORM_SLOPE = -2 * sp.Add(*[s**2 * c**2 / (s**2 + alpha) ** 3
                           for s, c in zip(singular_values, projections, strict=True)])

SVD_NOTATION = {"s": sp.Matrix(singular_values), "c": sp.Matrix(projections), "d": 2}
"""s_j, c_j: the singular values and U^T y, in the concrete dimension d = 2."""

SVD_HYPOTHESES = [
    Hypothesis(CONSTRAINED_QUOTE, quote="By KKT,可以轉成 unconstrained problem"),
    Hypothesis(r"X = U \operatorname{diag}(s) V^\top, \; s_j > 0, \; c = U^\top y", quote=None,
               note="X centred (b removed) with full column rank d = 2"),
]

# ---------------------------------------------------------------- cross-checks

SIZE, TRUE_WEIGHTS, NOISE_SD = 30, np.array([1.5, -2.0, 0.7]), 0.5


def _data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    features = rng.standard_normal((SIZE, TRUE_WEIGHTS.size))
    return features, features @ TRUE_WEIGHTS + NOISE_SD * rng.standard_normal(SIZE)


def _ridge_norm(features: np.ndarray, labels: np.ndarray, penalty: float) -> float:
    coef = ridge(features, labels, penalty, fit_intercept=False).coef
    return float(coef @ coef)


def _constrained_fit(features: np.ndarray, labels: np.ndarray, radius: float) -> np.ndarray:
    """argmin 1/2 |y - Xw|^2 subject to |w|^2 <= R, by SLSQP (no penalty involved)."""
    start = np.zeros(features.shape[1])
    result = scipy.optimize.minimize(
        lambda w: 0.5 * float((labels - features @ w) @ (labels - features @ w)), start,
        jac=lambda w: features.T @ (features @ w - labels), method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda w: radius - float(w @ w),
                      "jac": lambda w: -2 * w}], options={"ftol": 1e-14, "maxiter": 500})
    return np.asarray(result.x)


def alpha_for_radius(seed: int) -> Comparison:
    """For R = |w_OLS|^2 / 4, solve |w(alpha)|^2 = R for alpha (brentq) and compare ridge(alpha)
    with the constrained solution found by SLSQP."""
    features, labels = _data(seed)
    ols = least_squares(features, labels, fit_intercept=False).coef
    radius = float(ols @ ols) / 4
    penalty = scipy.optimize.brentq(
        lambda a: _ridge_norm(features, labels, a) - radius, 1e-9, 1e9, xtol=1e-14)
    constrained = _constrained_fit(features, labels, radius)
    fitted = ridge(features, labels, penalty, fit_intercept=False).coef
    shrunk = ols * np.sqrt(radius / float(ols @ ols))
    return Comparison(
        estimate=float(np.max(np.abs(constrained - fitted))), expected=0.0, tolerance=1e-5,
        alternatives={"w_OLS scaled into the ball": float(np.max(np.abs(constrained - shrunk)))},
        details=f"N = {SIZE}, d = 3, R = |w_OLS|^2 / 4 = {radius:.4g}, alpha = {penalty:.4g}; "
                f"max |w_constrained - w_ridge(alpha)|")


def norm_decreases(seed: int) -> Comparison:
    """The largest increase of |w(alpha)|^2 between neighbours on a log grid of 200 alphas."""
    features, labels = _data(seed)
    norms = np.array([_ridge_norm(features, labels, a) for a in np.logspace(-3, 4, 200)])
    return Comparison(
        estimate=float(max(np.diff(norms).max(), 0.0)), expected=0.0, tolerance=1e-12,
        alternatives={"its largest decrease (were the norm increasing)":
                      float(-np.diff(norms).min())},
        details="numeric.linear.ridge on a grid alpha = 1e-3 .. 1e4",
        data={"plot": "curves", "x": np.logspace(-3, 4, 200).tolist(), "logx": True,
              "curves": {"|w(alpha)|^2": norms.tolist()}, "xlabel": "alpha",
              "ylabel": "|w(alpha)|^2"})


def weight_decay_limit(seed: int) -> Comparison:
    """Iterate w <- (1 - eta alpha) w - eta X^T (Xw - y); the limit is ridge(alpha)."""
    features, labels = _data(seed)
    penalty, w = 10.0, np.zeros(TRUE_WEIGHTS.size)
    eta = 1.0 / (np.linalg.norm(features, 2) ** 2 + penalty)
    for _ in range(2000):
        w = (1 - eta * penalty) * w - eta * features.T @ (features @ w - labels)
    fitted = ridge(features, labels, penalty, fit_intercept=False).coef
    ols = least_squares(features, labels, fit_intercept=False).coef
    return Comparison(estimate=float(np.max(np.abs(w - fitted))), expected=0.0, tolerance=1e-8,
                      alternatives={"least squares (no decay)": float(np.max(np.abs(w - ols)))},
                      details="2000 steps, eta = 1 / (|X|_2^2 + alpha), alpha = 10")


# ---------------------------------------------------------------- derivations

ridge_norm_decreasing = Derivation(
    id="ridge-solution-norm-decreases-in-alpha",
    title="d/d alpha |w(alpha)|^2 = -2 sum_j s_j^2 c_j^2 / (s_j^2 + alpha)^3 <= 0",
    source=Source(LECTURE_NOTES, RIDGE, ALPHA_QUOTE),
    start=Step(sp.diff(SQUARED_NORM, alpha),
               r"\frac{d}{d\alpha} \sum_{j=1}^{d} \frac{s_j^2 c_j^2}{(s_j^2 + \alpha)^2}",
               "|w(alpha)|^2 in the SVD coordinates"),
    steps=[
        Step(NORM_SLOPE, r"-2 \sum_{j=1}^{d} \frac{s_j^2 c_j^2}{(s_j^2 + \alpha)^3}"),
        Step(sp.Integer(0), r"0", "a sum of non-positive terms", relation="<="),
    ],
    hypotheses=[*SVD_HYPOTHESES, Hypothesis(r"\alpha > 0", quote=ALPHA_QUOTE)],
    crosschecks=[CrossCheck("|w(alpha)|^2 on a grid of alpha", norm_decreases)],
    notation=SVD_NOTATION,
)

lagrangian_gradient = sp.Matrix([
    s**2 * _ridge_coordinate(s, c) - s * c + alpha * _ridge_coordinate(s, c)
    for s, c in zip(singular_values, projections, strict=True)])

ridge_kkt_stationarity = Derivation(
    id="ridge-solution-solves-constrained-problem",
    title="w(alpha) is stationary for the Lagrangian; with |w(alpha)|^2 = R it solves the "
          "constrained problem (KKT)",
    source=Source(LECTURE_NOTES, REGULARIZATION,
                  r"\text{argmin}w \text{max}{\alpha, \alpha \ge 0} \frac{1}{2} (| y - (Xw )|^2"
                  r" + \alpha( w^T S w - R))"),
    start=Step(lagrangian_gradient,
               r"\nabla_w \frac{1}{2} \left(| y - Xw|^2 + \alpha (|w|^2 - R)\right)"
               r"\Big|_{w = w(\alpha)}",
               "in the coordinates V^T w: s_j^2 w_j - s_j c_j + alpha w_j"),
    steps=[Step(sp.zeros(2, 1), r"0",
                "stationarity; R = |w(alpha)|^2 makes the constraint active (complementary "
                "slackness) and alpha > 0 is dual feasible: every KKT condition holds")],
    hypotheses=[*SVD_HYPOTHESES,
                Hypothesis(r"0 < R < |w_{OLS}|^2", quote=None,
                           note="then exactly one alpha > 0 has |w(alpha)|^2 = R "
                                "(ridge-solution-norm-decreases-in-alpha); for larger R the "
                                "constraint is inactive and alpha = 0")],
    crosschecks=[CrossCheck("alpha from R: ridge against the constrained fit (SLSQP)",
                            alpha_for_radius)],
    notation=SVD_NOTATION,
)

w = sp.Matrix(sp.symbols("w1 w2", real=True))
gradient = sp.Matrix(sp.symbols("g1 g2", real=True))
eta = sp.Symbol("eta", positive=True)

def _linear_loss(weights: sp.Matrix) -> sp.Expr:
    """g^T w: a loss whose gradient at w is g (only the gradient at w enters the step)."""
    return (gradient.T * weights)[0, 0]


weight_decay_step = Derivation(
    id="weight-decay-gradient-step",
    title="A gradient step on loss + alpha/2 |w|^2 first shrinks w by (1 - eta alpha)",
    source=Source(LECTURE_NOTES, WEIGHT_DECAY, "所以可以加上一個 Term 來去程罰複雜的模型"),
    start=Step(w - eta * (gradient + alpha * w),
               r"w - \eta \nabla_w \left(\text{loss}(w) + \frac{\alpha}{2} |w|^2\right)",
               "g = grad loss(w)"),
    steps=[Step((1 - eta * alpha) * w - eta * gradient,
                r"(1 - \eta \alpha) w - \eta \nabla_w \text{loss}(w)",
                "the weights decay by the factor 1 - eta alpha before the loss step")],
    hypotheses=[Hypothesis(r"\text{penalty } \frac{\alpha}{2} |w|^2",
                           quote=r"\frac{\alpha}{2} |w|^2",
                           note="the ridge penalty of 'Ridge Regression (L2 Regularization)'")],
    crosschecks=[CrossCheck("weight-decay iteration converges to ridge", weight_decay_limit)],
    notation={"w": w, r"\text{loss}": _linear_loss},
)
