r"""Cross-entropy and squared loss for classification; absolute and squared loss for regression.

Assignment, "Unanswered questions in assignment 02".

- Binary and multiclass cross-entropy are the negative log-likelihoods of the Bernoulli and
  the categorical model ("arises from the maximum-likelihood formulation").
- Through a sigmoid / softmax their gradient with respect to the logits is p-hat - y (for
  the softmax, for a symbolic number of classes K).
- The squared loss through a sigmoid has the gradient (p-hat - y) sigma'(z): a factor
  sigma'(z) = sigma (1 - sigma) <= 1/4 that vanishes when the prediction is confidently wrong
  ("梯度很小，容易造成訓練緩慢").  Under gradient flow from the logit -a, cross-entropy needs
  a time growing like a, the squared loss one growing like e^a; gradient descent on the same
  data with the same step shows it.
- The regression losses (y - f)^2 and |y - f| are minimised in expectation by the mean and by
  the median of y; they differ when the distribution is skewed.
- For the piecewise target y = 0 (x < 0), 5 (x >= 0) observed with noise in x, the squared
  loss regression predicts 5 P(y = 5 | x), a value such as 2.5 that no class label takes.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import scipy.integrate
import scipy.optimize
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
    random_variable,
)
from numeric import montecarlo
from numeric.functions import log_sigmoid, sigmoid, softmax

from ._notes import ASSIGNMENT

SECTION = "Unanswered questions in assignment 02"
HALF, QUARTER = sp.Rational(1, 2), sp.Rational(1, 4)
BINARY_QUOTE = r"L(\theta) = -[y \log \hat{p}_\theta(x) + (1 - y) \log (1 - \hat{p}_\theta(x))]"
MULTICLASS_QUOTE = r"L(\theta) = - \sum_{k=1}^K \mathbf{1}(y = k) \log (\hat{p}_\theta(y = k | x))"
ML_QUOTE = ("The most common loss function used in classification is the **cross-entropy loss**, "
            "which arises from the maximum-likelihood formulation of probabilistic classifiers, "
            "which we discussed in the class.")
SLOW_QUOTE = "而且梯度很小，容易造成訓練緩慢。"
SENSITIVE_QUOTE = "對神經網路來說，交叉熵能提供更「敏感」的梯度，讓訓練收斂更快。"
REGRESSION_QUOTE = (r"$$L(\theta) = |y - f_\theta(x)| \quad \text{or} \quad L(\theta) = "
                    r"(y - f_\theta(x))^2,$$"
                    "\n\n"
                    r"which reflects how close the prediction is to the "
                    r"true value.")
UNSEEN_QUOTE = ("Regression can generalize to unseen values. If the target arises from an "
                "underlying continuous process—even if the outputs appear discontinuous—"
                "regression models can predict values not seen in training. Classification "
                "models are restricted to a fixed set of labels.")
EXAMPLE_QUOTE = (r"$$y = \begin{cases} 0, & x < 0, \\ 5, & x \geq 0. \end{cases}$$"
                 "\n\n"
                 r"Although "
                 r"this can be treated as a two-class problem, the value 5 may have numeric "
                 r"meaning. Regression preserves this structure, whereas classification "
                 r"discards it.")

z = sp.Symbol("z", real=True)
y = sp.Symbol("y", real=True)
sigma = 1 / (1 + sp.exp(-z))                             # p-hat = sigma(z)
SIGMOID = {r"\sigma": lambda t: 1 / (1 + sp.exp(-t))}   # sigma(t), for the notes' LaTeX
LABELS_01 = Hypothesis(r"y \in \{0, 1\}", r"For labels $y \in \{0, 1\}$",
                       "the identities hold for every real y, so y is a real symbol")
LOGIT = Hypothesis(r"\hat{p} = \sigma(z) = \frac{1}{1 + e^{-z}}", None,
                   "the predicted probability is the sigmoid of a logit z")


def _bce(label: sp.Expr) -> sp.Expr:
    return -(label * sp.log(sigma) + (1 - label) * sp.log(1 - sigma))


def _sigmoid_squared_loss(label: sp.Expr | int) -> sp.Expr:
    return HALF * (sigma - label) ** 2


# ================================================================ likelihoods


def _bernoulli_check(seed: int) -> Comparison:
    """The BCE formula against scipy's Bernoulli log-pmf at random (y, p)."""
    rng = np.random.default_rng(seed)
    p, labels = rng.uniform(0.01, 0.99, 1000), rng.integers(0, 2, 1000)
    bce = -(labels * np.log(p) + (1 - labels) * np.log(1 - p))
    nll = -scipy.stats.bernoulli.logpmf(labels, p)
    return Comparison(
        estimate=float(np.max(np.abs(bce - nll))), expected=0.0, tolerance=1e-12,
        alternatives={"the squared error (y - p)^2": float(np.max(np.abs((labels - p) ** 2
                                                                           - nll)))},
        details="1000 random (y, p), p in [0.01, 0.99]; -log Bernoulli(y; p) from scipy.stats")


bce_likelihood = Derivation(
    id="bce-is-bernoulli-negative-log-likelihood",
    title="Binary cross-entropy is -log of the Bernoulli likelihood p^y (1 - p)^(1 - y)",
    source=Source(ASSIGNMENT, SECTION, BINARY_QUOTE),
    start=Step(-sp.log(sigma**y * (1 - sigma) ** (1 - y)),
               r"-\log \left(\hat{p}^{y} (1 - \hat{p})^{1 - y}\right)",
               "the Bernoulli likelihood of a label y in {0, 1}"),
    steps=[Step(_bce(y), r"-[y \log \hat{p} + (1 - y) \log (1 - \hat{p})]",
                "log of a product of positive powers")],
    hypotheses=[LABELS_01, LOGIT],
    crosschecks=[CrossCheck("BCE against scipy's Bernoulli log-pmf", _bernoulli_check)],
    notation={r"\hat{p}": sigma},
)

K = sp.Symbol("K", integer=True, positive=True)
cls, extra = sp.Symbol("c", integer=True, positive=True), sp.Symbol("r", integer=True,
                                                                    nonnegative=True)
kk, jj = sp.symbols("k j", integer=True, positive=True)
prob = sp.IndexedBase("p", positive=True)
CLASSES = cls + extra                                    # K = c + r >= c: the label c is a class


def _categorical_check(seed: int) -> Comparison:
    """The multiclass cross-entropy against scipy's one-draw multinomial log-pmf."""
    rng = np.random.default_rng(seed)
    worst, worst_wrong = 0.0, 0.0
    for _ in range(200):
        p = softmax(rng.normal(0.0, 2.0, 6))
        label = int(rng.integers(0, 6))
        nll = -scipy.stats.multinomial.logpmf(np.eye(6)[label], 1, p)
        worst = max(worst, abs(-np.log(p[label]) - nll))
        worst_wrong = max(worst_wrong, abs(-np.log(p).sum() / 6 - nll))
    return Comparison(
        estimate=float(worst), expected=0.0, tolerance=1e-12,
        alternatives={"the mean of -log p_k over all classes": float(worst_wrong)},
        details="200 random softmax vectors of K = 6 classes and labels")


categorical_likelihood = Derivation(
    id="multiclass-cross-entropy-is-categorical-negative-log-likelihood",
    title="Multiclass cross-entropy is -log of the categorical likelihood prod_k p_k^1(y=k)",
    source=Source(ASSIGNMENT, SECTION, MULTICLASS_QUOTE),
    start=Step(-sp.log(sp.Product(prob[kk] ** sp.KroneckerDelta(kk, cls), (kk, 1, CLASSES))),
               r"-\log \prod_{k=1}^{K} \hat{p}_k^{\mathbf{1}(y = k)}",
               "the categorical likelihood of the label y = c, K = c + r classes"),
    steps=[
        Step(-sp.Sum(sp.KroneckerDelta(kk, cls) * sp.log(prob[kk]), (kk, 1, CLASSES)),
             r"-\sum_{k=1}^{K} \mathbf{1}(y = k) \log \hat{p}_k", "log of a product"),
        Step(-sp.log(prob[cls]), r"-\log \hat{p}_y", "one term survives"),
    ],
    hypotheses=[Hypothesis(r"y \in \{1, \dots, K\}", None, "K = c + r with the label y = c"),
                Hypothesis(r"\hat{p}_k > 0", None)],
    crosschecks=[CrossCheck("cross-entropy against scipy's categorical log-pmf",
                            _categorical_check)],
    notation={r"\hat{p}": prob, "K": CLASSES, "y": cls},
)


# ================================================================ gradients


def _finite_difference_check(seed: int) -> Comparison:
    """d BCE / dz by central differences against sigma(z) - y."""
    rng = np.random.default_rng(seed)
    zs, labels, h = rng.normal(0.0, 3.0, 500), rng.integers(0, 2, 500), 1e-5

    def loss(t: np.ndarray) -> np.ndarray:
        return np.asarray(-(labels * np.log(sigmoid(t)) + (1 - labels) * np.log(1 - sigmoid(t))))

    numeric_grad = (loss(zs + h) - loss(zs - h)) / (2 * h)
    p = sigmoid(zs)
    return Comparison(
        estimate=float(np.max(np.abs(numeric_grad - (p - labels)))), expected=0.0,
        tolerance=1e-6,
        alternatives={"the squared loss's (p - y) sigma'(z)":
                      float(np.max(np.abs(numeric_grad - (p - labels) * p * (1 - p))))},
        details="500 random logits z ~ N(0, 9), labels in {0, 1}; central differences h = 1e-5")


bce_gradient = Derivation(
    id="bce-gradient-through-sigmoid",
    title="d/dz of the binary cross-entropy of sigma(z) is sigma(z) - y",
    source=Source(ASSIGNMENT, SECTION, BINARY_QUOTE),
    start=Step(sp.Derivative(_bce(y), z),
               r"\frac{\partial}{\partial z} -[y \log \sigma(z) + (1 - y) \log (1 - \sigma(z))]"),
    steps=[Step(sigma - y, r"\sigma(z) - y", "sigma' = sigma (1 - sigma)")],
    hypotheses=[LABELS_01, LOGIT],
    crosschecks=[CrossCheck("central differences of the BCE", _finite_difference_check)],
    notation=SIGMOID,
)

logit = sp.IndexedBase("z", real=True)
unit = sp.Symbol("m", integer=True, positive=True)
SOFTMAX_CLASSES = cls + unit + extra                      # K >= c and K >= m
partition = sp.Sum(sp.exp(logit[jj]), (jj, 1, SOFTMAX_CLASSES))


def _softmax_gradient_check(seed: int) -> Comparison:
    """Central differences of -log softmax_y(z) against softmax(z) - e_y, K = 7."""
    rng = np.random.default_rng(seed)
    worst, worst_wrong, h = 0.0, 0.0, 1e-6
    for _ in range(100):
        logits, label = rng.normal(0.0, 2.0, 7), int(rng.integers(0, 7))
        steps = np.eye(7) * h
        loss = [(-np.log(softmax(logits + s)[label]) + np.log(softmax(logits - s)[label]))
                / (2 * h) for s in steps]
        p = softmax(logits)
        worst = max(worst, float(np.max(np.abs(np.array(loss) - (p - np.eye(7)[label])))))
        worst_wrong = max(worst_wrong, float(np.max(np.abs(np.array(loss) - (p * (1 - p)
                                                                             - np.eye(7)[label])))))
    return Comparison(
        estimate=worst, expected=0.0, tolerance=1e-7,
        alternatives={"the diagonal of the softmax Jacobian, p (1 - p) - y": worst_wrong},
        details="100 random logit vectors (K = 7) and labels; central differences h = 1e-6")


softmax_gradient = Derivation(
    id="softmax-cross-entropy-gradient",
    title="d/dz_m of -log softmax_y(z) is p_m - 1(y = m), for any number of classes K",
    source=Source(ASSIGNMENT, SECTION, MULTICLASS_QUOTE),
    start=Step(sp.Derivative(-sp.log(sp.exp(logit[cls]) / partition), logit[unit]),
               r"\frac{\partial}{\partial z_m} \left(-\log \frac{e^{z_y}}{\sum_{j=1}^{K} "
               r"e^{z_j}}\right)",
               "the cross-entropy of a one-hot label y = c under p = softmax(z)"),
    steps=[
        Step(sp.Derivative(-logit[cls] + sp.log(partition), logit[unit]),
             r"\frac{\partial}{\partial z_m} \left(-z_y + \log \sum_{j=1}^{K} e^{z_j}\right)"),
        Step(sp.exp(logit[unit]) / partition - sp.KroneckerDelta(cls, unit),
             r"\frac{e^{z_m}}{\sum_{j=1}^{K} e^{z_j}} - \mathbf{1}(y = m)",
             "= p_m - y_m"),
    ],
    hypotheses=[Hypothesis(r"y, m \in \{1, \dots, K\}", None,
                           "K = c + m + r, so the label c and the coordinate m are classes")],
    crosschecks=[CrossCheck("central differences of the softmax cross-entropy",
                            _softmax_gradient_check)],
    notation={"z": logit, "K": SOFTMAX_CLASSES, "y": cls, "m": unit},
)

LOGIT_GRID = np.linspace(-30.0, 30.0, 60_001)


def _central_second(values: np.ndarray, spacing: float) -> np.ndarray:
    return np.asarray((values[2:] - 2 * values[1:-1] + values[:-2]) / spacing**2)


def sigmoid_slope_maximum(seed: int) -> Comparison:
    """max_z sigma'(z) by central differences of sigma on a fine grid: 1/4, at z = 0."""
    h = LOGIT_GRID[1] - LOGIT_GRID[0]
    slope = (sigmoid(LOGIT_GRID[2:]) - sigmoid(LOGIT_GRID[:-2])) / (2 * h)
    return Comparison(
        estimate=float(slope.max()), expected=0.25, tolerance=1e-6,
        alternatives={"the slope bound 1 of tanh": 1.0},
        details=f"z in [-30, 30], step {h:g}; the maximum is at z = "
                f"{LOGIT_GRID[1:-1][slope.argmax()]:.3f}")


def _squared_loss_gradient_by_differences(label: float) -> tuple[np.ndarray, np.ndarray]:
    """(z, d/dz (sigma(z) - y)^2 / 2) by central differences on LOGIT_GRID."""
    h = LOGIT_GRID[1] - LOGIT_GRID[0]
    loss = 0.5 * (sigmoid(LOGIT_GRID) - label) ** 2
    return LOGIT_GRID[1:-1], (loss[2:] - loss[:-2]) / (2 * h)


def squared_loss_gradient_check(seed: int) -> Comparison:
    """Central differences of the sigmoid squared loss against (p - y) p (1 - p)."""
    worst, worst_ce = 0.0, 0.0
    for label in (0.0, 1.0):
        zs, grad = _squared_loss_gradient_by_differences(label)
        p = sigmoid(zs)
        worst = max(worst, float(np.max(np.abs(grad - (p - label) * p * (1 - p)))))
        worst_ce = max(worst_ce, float(np.max(np.abs(grad - (p - label)))))
    return Comparison(
        estimate=worst, expected=0.0, tolerance=1e-7,
        alternatives={"the cross-entropy's p - y": worst_ce},
        details="labels 0 and 1, z in [-30, 30], central differences with step 0.001")


def confidently_wrong_check(seed: int) -> Comparison:
    """The squared loss's gradient for y = 1 at z = -30 by differences: about -1e-13, not -1."""
    zs, grad = _squared_loss_gradient_by_differences(1.0)
    at = int(np.argmin(np.abs(zs + 30.0)))
    return Comparison(
        estimate=float(grad[at]), expected=0.0, tolerance=1e-12,
        alternatives={"the cross-entropy's gradient sigma(-30) - 1": float(sigmoid(-30.0) - 1)},
        details=f"z = {zs[at]:.3f}, y = 1: central difference {grad[at]:.3e}")


def _bce_curvature_check(seed: int) -> Comparison:
    """Second differences of the BCE in z against sigma (1 - sigma), both labels."""
    h = LOGIT_GRID[1] - LOGIT_GRID[0]
    zs, worst, worst_mse = LOGIT_GRID[1:-1], 0.0, 0.0
    p = sigmoid(zs)
    for label in (0.0, 1.0):
        bce = -(label * log_sigmoid(LOGIT_GRID) + (1 - label) * log_sigmoid(-LOGIT_GRID))
        mse = 0.5 * (sigmoid(LOGIT_GRID) - label) ** 2
        worst = max(worst, float(np.max(np.abs(_central_second(bce, h) - p * (1 - p)))))
        worst_mse = max(worst_mse, float(np.max(np.abs(_central_second(mse, h) - p * (1 - p)))))
    return Comparison(
        estimate=worst, expected=0.0, tolerance=1e-5,
        alternatives={"the squared loss's curvature (not sigma')": worst_mse},
        details="labels 0 and 1, z in [-30, 30], second differences with step 0.001")


def _mse_curvature_check(seed: int) -> Comparison:
    """The squared loss's second difference at z = -2 for y = 1: negative."""
    h = LOGIT_GRID[1] - LOGIT_GRID[0]
    mse = 0.5 * (sigmoid(LOGIT_GRID) - 1.0) ** 2
    at = int(np.argmin(np.abs(LOGIT_GRID[1:-1] + 2.0)))
    p = float(sigmoid(-2.0))
    exact = p**2 * (1 - p) ** 2 + (p - 1) * p * (1 - p) * (1 - 2 * p)
    return Comparison(
        estimate=float(_central_second(mse, h)[at]), expected=exact, tolerance=1e-6,
        alternatives={"a convex loss's curvature sigma'(-2)": p * (1 - p)},
        details=f"y = 1, z = -2: second difference against sigma'^2 + (sigma - 1) sigma'' = "
                f"{exact:.6f} < 0")


sigmoid_slope_bound = Derivation(
    id="sigmoid-derivative-at-most-a-quarter",
    title="sigma'(z) = sigma (1 - sigma) = 1/4 - (sigma - 1/2)^2 <= 1/4",
    source=Source(ASSIGNMENT, SECTION, SLOW_QUOTE),
    start=Step(sp.Derivative(sigma, z), r"\sigma'(z)"),
    steps=[Step(sigma * (1 - sigma), r"\sigma(z) (1 - \sigma(z))"),
           Step(QUARTER - (sigma - HALF) ** 2, r"\frac{1}{4} - \left(\sigma(z) - \frac{1}{2}"
                r"\right)^2"),
           Step(QUARTER, r"\frac{1}{4}", relation="<=")],
    hypotheses=[LOGIT],
    crosschecks=[CrossCheck("the largest slope of the sigmoid", sigmoid_slope_maximum)],
    notation=SIGMOID,
)

mse_gradient_ratio = Derivation(
    id="sigmoid-squared-loss-gradient-carries-sigma-prime",
    title="The squared loss's logit gradient is the cross-entropy's times sigma'(z) <= 1/4",
    source=Source(ASSIGNMENT, SECTION, SLOW_QUOTE),
    start=Step(sp.Derivative(_sigmoid_squared_loss(y), z),
               r"\frac{\partial}{\partial z} \frac{1}{2} (\sigma(z) - y)^2"),
    steps=[Step((sigma - y) * sigma * (1 - sigma), r"(\sigma(z) - y) \, \sigma(z) (1 - \sigma(z))",
                "(sigma - y) is the cross-entropy's gradient (bce-gradient-through-sigmoid); "
                "the factor sigma' <= 1/4 (sigmoid-derivative-at-most-a-quarter)")],
    hypotheses=[LABELS_01, LOGIT],
    crosschecks=[CrossCheck("central differences of the sigmoid squared loss",
                            squared_loss_gradient_check)],
    notation=SIGMOID,
)

confidently_wrong = Derivation(
    id="sigmoid-squared-loss-gradient-vanishes-when-confidently-wrong",
    title="For y = 1 and z -> -oo the squared loss's gradient -> 0; cross-entropy's -> -1",
    source=Source(ASSIGNMENT, SECTION, SLOW_QUOTE),
    start=Step(sp.Matrix([sp.Limit((sigma - 1) * sigma * (1 - sigma), z, -sp.oo),
                          sp.Limit(sigma - 1, z, -sp.oo)]),
               r"\left(\lim_{z \to -\infty} (\sigma - 1) \sigma (1 - \sigma), \; "
               r"\lim_{z \to -\infty} (\sigma - 1)\right)",
               "the two logit gradients for a label y = 1 predicted with p-hat -> 0"),
    steps=[Step(sp.Matrix([0, -1]), r"\left(0, \; -1\right)",
                "the squared loss stops pushing exactly where the prediction is most wrong")],
    hypotheses=[LOGIT],
    crosschecks=[CrossCheck("the squared loss's gradient at z = -30", confidently_wrong_check)],
    notation={r"\sigma": sigma},
)

OPTIMISATION_QUOTE = ("Cross-entropy provides better optimization properties and aligns with "
                      "likelihood-based training.")

bce_convex = Derivation(
    id="bce-convex-in-the-logit",
    title="The binary cross-entropy is convex in the logit: its second derivative is sigma'(z) > 0",
    source=Source(ASSIGNMENT, SECTION, OPTIMISATION_QUOTE),
    start=Step(sp.Derivative(_bce(y), (z, 2)),
               r"\frac{\partial^2}{\partial z^2} -[y \log \sigma(z) + (1 - y) \log (1 - \sigma(z))]"),
    steps=[Step(sigma * (1 - sigma), r"\sigma(z) (1 - \sigma(z))", "for every label y"),
           Step(sp.S.Zero, "0", "convex: gradient descent cannot stall at a spurious "
                "stationary point", relation=">")],
    hypotheses=[LABELS_01, LOGIT],
    crosschecks=[CrossCheck("second differences of the BCE", _bce_curvature_check)],
    notation=SIGMOID,
)

mse_not_convex = Derivation(
    id="sigmoid-squared-loss-not-convex-in-the-logit",
    title="The squared loss through a sigmoid is not convex in the logit (y = 1, z = -2)",
    source=Source(ASSIGNMENT, SECTION, OPTIMISATION_QUOTE),
    start=Step(sp.Derivative(_sigmoid_squared_loss(1), (z, 2)).subs(z, -2),
               r"\frac{\partial^2}{\partial z^2} \frac{1}{2} (\sigma(z) - 1)^2 \Big|_{z = -2}",
               "a confidently wrong prediction of the label 1"),
    steps=[Step(sp.S.Zero, "0", "the curvature is negative there: the loss is concave on the "
                "wrong side, flat as z -> -oo", relation="<")],
    hypotheses=[LOGIT],
    crosschecks=[CrossCheck("second difference of the squared loss at z = -2",
                            _mse_curvature_check)],
    notation=SIGMOID,
)

# ---------------------------------------------------------------- escape times

a = sp.Symbol("a", positive=True)
theta = sp.Symbol("theta", real=True)
sig_t = 1 / (1 + sp.exp(-theta))


ESCAPE_DEPTHS = (3.0, 4.0, 5.0, 6.0, 7.0, 8.0)
ESCAPE_STEP, ESCAPE_LABELS = 1.0, 400


def _escape_iterations(labels: np.ndarray, loss: str, depth: float) -> int:
    """Gradient-descent steps on the mean loss of an intercept-only model from theta = -depth
    until theta >= 0 (the predictions cross to the majority label's side)."""
    mean_label, t, count = float(labels.mean()), -depth, 0
    while t < 0.0:
        p = 1.0 / (1.0 + math.exp(-t))
        slope = p - mean_label if loss == "ce" else (p - mean_label) * p * (1 - p)
        t, count = t - ESCAPE_STEP * slope, count + 1
    return count


def _flow_time(mean_label: float, depth: float) -> float:
    """int_{-a}^{0} d theta / ((ybar - sigma) sigma (1 - sigma)): the squared loss's flow time."""
    def integrand(t: float) -> float:
        p = 1.0 / (1.0 + math.exp(-t))
        return 1.0 / ((mean_label - p) * p * (1 - p))
    return float(scipy.integrate.quad(integrand, -depth, 0.0)[0])


CURVE_POINTS, CURVE_STEPS, CURVE_RATE = 200, 400, 2.0
CURVE_TRUTH = np.array([3.0, -2.0])


def _training_curves(seed: int) -> dict[str, list[float]]:
    """Training accuracy of a logistic model under gradient descent on the mean CE and on the
    mean squared loss, same data, same start (confidently wrong: -2 w_true), same step."""
    rng = np.random.default_rng([seed, 1])
    X = rng.normal(size=(CURVE_POINTS, 2))
    labels = (rng.random(CURVE_POINTS) < sigmoid(X @ CURVE_TRUTH)).astype(float)
    curves = {}
    for name in ("cross-entropy", "squared loss"):
        w, accuracy = -2.0 * CURVE_TRUTH, []
        for _ in range(CURVE_STEPS):
            p = sigmoid(X @ w)
            push = p - labels if name == "cross-entropy" else (p - labels) * p * (1 - p)
            w = w - CURVE_RATE * X.T @ push / CURVE_POINTS
            accuracy.append(float(np.mean((X @ w > 0) == (labels == 1))))
        curves[f"{name}: training accuracy"] = accuracy
    return curves


def _steps_to(curve: list[float], level: float) -> int:
    """The first iteration (1-based) at which the curve reaches ``level``, or len + 1."""
    return next((k + 1 for k, v in enumerate(curve) if v >= level), len(curve) + 1)


def _escape_check(seed: int) -> Comparison:
    """Slope of log(steps to escape) against the depth a: the gradient flow's, near 1 (~ e^a)."""
    labels = (np.random.default_rng(seed).random(ESCAPE_LABELS) < 0.9).astype(float)
    ce = [_escape_iterations(labels, "ce", a_) for a_ in ESCAPE_DEPTHS]
    mse = [_escape_iterations(labels, "mse", a_) for a_ in ESCAPE_DEPTHS]
    flow = [_flow_time(float(labels.mean()), a_) / ESCAPE_STEP for a_ in ESCAPE_DEPTHS]
    curves = _training_curves(seed)
    reached = {name.split(":")[0]: _steps_to(curve, 0.8) for name, curve in curves.items()}
    slope = {name: float(np.polyfit(ESCAPE_DEPTHS, np.log(v), 1)[0])
             for name, v in (("mse", mse), ("ce", ce), ("flow", flow))}
    return Comparison(
        estimate=slope["mse"], expected=slope["flow"], tolerance=0.03,
        alternatives={"cross-entropy's escape time on the same data (linear in a)": slope["ce"]},
        details=f"{ESCAPE_LABELS} labels ~ Bernoulli(0.9) (mean {labels.mean():.3f}), "
                f"intercept-only model, gradient descent with step {ESCAPE_STEP} from "
                f"theta = -a; steps to reach theta >= 0: CE {ce}, MSE {mse}, the squared loss's "
                f"gradient-flow time {[round(v, 1) for v in flow]}; slope of log(steps) against "
                f"a: MSE {slope['mse']:.3f}, flow {slope['flow']:.3f}, CE {slope['ce']:.3f}. A "
                f"logistic model on {CURVE_POINTS} points of R^2, started at -2 w_true, step "
                f"{CURVE_RATE}: iterations to 80% training accuracy "
                + ", ".join(f"{name} {steps}" for name, steps in reached.items())
                + f" (of {CURVE_STEPS}; {CURVE_STEPS + 1} means never)",
        data={"plots": [
            {"plot": "curves", "x": list(ESCAPE_DEPTHS), "logy": True,
             "curves": {"squared loss": [float(v) for v in mse],
                        "squared loss, gradient flow": flow,
                        "cross-entropy": [float(v) for v in ce]},
             "title": "Gradient-descent steps to undo a confidently wrong start",
             "xlabel": "depth a of the initial logit -a", "ylabel": "steps until theta >= 0"},
            {"plot": "curves", "x": list(range(1, CURVE_STEPS + 1)), "logx": True,
             "curves": curves,
             "title": "Logistic model from a confidently wrong start: CE against MSE",
             "xlabel": "gradient-descent iteration", "ylabel": "training accuracy"}]})


escape_time = Derivation(
    id="squared-loss-escape-time-exponential",
    title="Gradient flow from the logit -a (label 1): the squared loss needs time ~ e^a, CE ~ a",
    source=Source(ASSIGNMENT, SECTION, SENSITIVE_QUOTE),
    start=Step(sp.Integral(1 / (sig_t * (1 - sig_t) ** 2), (theta, -a, 0))
               - sp.Integral(1 / (1 - sig_t), (theta, -a, 0)),
               r"\int_{-a}^{0} \frac{d\theta}{\sigma (1 - \sigma)^2} - \int_{-a}^{0} "
               r"\frac{d\theta}{1 - \sigma}",
               "the time for theta' = -dL/dtheta to go from -a to 0: the squared loss's "
               "minus cross-entropy's"),
    steps=[
        Step(sp.Integral(sp.exp(-theta) + 3 + 3 * sp.exp(theta) + sp.exp(2 * theta),
                         (theta, -a, 0)) - sp.Integral(1 + sp.exp(theta), (theta, -a, 0)),
             r"\int_{-a}^{0} (e^{-\theta} + 3 + 3 e^{\theta} + e^{2\theta}) \, d\theta - "
             r"\int_{-a}^{0} (1 + e^{\theta}) \, d\theta"),
        Step((sp.exp(a) + 3 * a + sp.Rational(5, 2) - 3 * sp.exp(-a) - sp.exp(-2 * a) / 2)
             - (a + 1 - sp.exp(-a)),
             r"\left(e^{a} + 3a + \tfrac{5}{2} - 3 e^{-a} - \tfrac{1}{2} e^{-2a}\right) - "
             r"\left(a + 1 - e^{-a}\right)",
             "exponential in the depth a for the squared loss, linear for cross-entropy"),
    ],
    hypotheses=[Hypothesis(r"y = 1, \; \theta(0) = -a < 0", None,
                           "one label predicted confidently wrong; gradient flow")],
    crosschecks=[CrossCheck("gradient-descent escape steps, CE against MSE, same data and step",
                            _escape_check)],
    notation={r"\sigma": sig_t},
)


# ================================================================ regression losses

Y = random_variable("Y", mean=sp.Symbol("mu", real=True), variance=sp.Symbol("s", positive=True)
                    ** 2)
mu, sd = sp.Symbol("mu", real=True), sp.Symbol("s", positive=True)
cc = sp.Symbol("c", real=True)
SAMPLES = 40_000


def _exponential_minimisers(seed: int) -> tuple[float, float, float]:
    """Minimisers of the empirical mean of (y - c)^2 and |y - c| for Exp(1) draws, and sqrt n."""
    draws = np.random.default_rng(seed).exponential(1.0, SAMPLES)

    def minimiser(loss: Callable[[np.ndarray], np.ndarray]) -> float:
        return float(scipy.optimize.minimize_scalar(lambda c: loss(draws - c).mean(),
                                                    bounds=(0.0, 3.0), method="bounded",
                                                    options={"xatol": 1e-9}).x)

    return minimiser(np.square), minimiser(np.abs), math.sqrt(SAMPLES)


def _squared_minimiser_check(seed: int) -> Comparison:
    squared, _, root_n = _exponential_minimisers(seed)
    return Comparison(
        estimate=squared, expected=1.0, stderr=1.0 / root_n,
        alternatives={"the median ln 2": math.log(2)},
        details=f"{SAMPLES} draws of Exp(1) (mean 1, median ln 2); argmin_c of the mean "
                f"squared loss by bounded scalar minimisation; stderr = sd / sqrt(n)")


def _absolute_minimiser_check(seed: int) -> Comparison:
    _, absolute, root_n = _exponential_minimisers(seed)
    return Comparison(
        estimate=absolute, expected=math.log(2), stderr=1.0 / root_n,
        alternatives={"the mean 1": 1.0},
        details=f"{SAMPLES} draws of Exp(1); argmin_c of the mean absolute loss; stderr of the "
                f"sample median = 1 / (2 f(m) sqrt n) = 1 / sqrt n")


squared_loss_mean = Derivation(
    id="squared-loss-minimised-by-the-mean",
    title="E[(Y - c)^2] = Var Y + (E Y - c)^2 >= Var Y: minimised at c = E Y",
    source=Source(ASSIGNMENT, SECTION, REGRESSION_QUOTE),
    start=Step(E((Y.symbol - cc) ** 2, Y), r"\mathbb{E}[(y - c)^2]"),
    steps=[
        Step(mu**2 + sd**2 - 2 * cc * mu + cc**2, r"\mu^2 + s^2 - 2 c \mu + c^2",
             "E[Y^2] = mu^2 + s^2"),
        Step(sd**2 + (mu - cc) ** 2, r"s^2 + (\mu - c)^2"),
        Step(sd**2, r"s^2", "equality exactly at c = mu", relation=">="),
    ],
    hypotheses=[Hypothesis(r"\mathbb{E}[y^2] < \infty", None)],
    crosschecks=[CrossCheck("argmin of the empirical squared loss on Exp(1) draws",
                            _squared_minimiser_check)],
    notation={"y": Y},
)

lam = sp.Symbol("lambda", positive=True)
yy = sp.Symbol("y", positive=True)
density = lam * sp.exp(-lam * yy)
ABS_RISK = (sp.Integral((cc - yy) * density, (yy, 0, cc))
            + sp.Integral((yy - cc) * density, (yy, cc, sp.oo)))
c_pos = sp.Symbol("c", positive=True)

absolute_loss_median = Derivation(
    id="absolute-loss-minimised-by-the-median",
    title="d/dc E|Y - c| = 2 F(c) - 1 for Y ~ Exp(lambda): zero at the median ln 2 / lambda",
    source=Source(ASSIGNMENT, SECTION, REGRESSION_QUOTE),
    start=Step(sp.Derivative(ABS_RISK.subs(cc, c_pos), c_pos),
               r"\frac{d}{dc} \mathbb{E}|y - c| = \frac{d}{dc} \left(\int_0^c (c - y) \lambda "
               r"e^{-\lambda y} dy + \int_c^\infty (y - c) \lambda e^{-\lambda y} dy\right)",
               "an exponential distribution, whose mean 1/lambda is not its median; c > 0"),
    steps=[
        Step(sp.Derivative(c_pos - 1 / lam + 2 * sp.exp(-lam * c_pos) / lam, c_pos),
             r"\frac{d}{dc} \left(c - \frac{1}{\lambda} + \frac{2 e^{-\lambda c}}{\lambda}\right)"),
        Step(2 * (1 - sp.exp(-lam * c_pos)) - 1, r"2 F(c) - 1",
             "F(c) = 1 - e^{-lambda c}: P(y < c) - P(y > c), the subgradient of E|y - c|; "
             "it increases through 0 at F(c) = 1/2, the median ln 2 / lambda, not the mean"),
    ],
    hypotheses=[Hypothesis(r"y \sim \operatorname{Exp}(\lambda)", None,
                           "a distribution whose mean and median differ")],
    crosschecks=[CrossCheck("argmin of the empirical absolute loss on Exp(1) draws",
                            _absolute_minimiser_check)],
    notation={"c": c_pos, "y": yy, "F": lambda c: 1 - sp.exp(-lam * c)},
)

# ---------------------------------------------------------------- the piecewise example

q = sp.Symbol("q", positive=True)
B = random_variable("B", mean=q, variance=q * (1 - q))
NOISE, HALF_WIDTH, POINTS = 0.3, 0.05, 200_000


def _boundary_sampler(rng: np.random.Generator, size: int) -> np.ndarray:
    """Labels y = 5 * 1(x + noise >= 0) for x uniform on the bin [-w, w] at the boundary."""
    x = rng.uniform(-HALF_WIDTH, HALF_WIDTH, size)
    return 5.0 * (x + rng.normal(0.0, NOISE, size) >= 0.0)


def _boundary_check(seed: int) -> Comparison:
    """The least-squares constant on the bin around x = 0: 5 P(y = 5) = 2.5, no class label."""
    result = montecarlo.estimate(_boundary_sampler, POINTS, seed=seed)
    return Comparison(
        estimate=float(result.mean), expected=2.5, stderr=float(result.stderr),
        alternatives={"the class label 0": 0.0, "the class label 5": 5.0},
        details=f"y = 0 (x < 0), 5 (x >= 0) observed at x + N(0, {NOISE}^2); {POINTS} points "
                f"with x uniform on [-{HALF_WIDTH}, {HALF_WIDTH}]; the squared-loss fit of a "
                f"constant there is their mean; P(y = 5) = 1/2 by symmetry")


piecewise_regression = Derivation(
    id="piecewise-target-regression-predicts-unseen-values",
    title="For y in {0, 5}, the squared loss is minimised by 5 P(y = 5 | x), a value no label has",
    source=Source(ASSIGNMENT, SECTION, EXAMPLE_QUOTE),
    start=Step(E((5 * B.symbol - cc) ** 2, B), r"\mathbb{E}[(y - c)^2 \mid x], \quad y = 5 B",
               "B = 1(y = 5) ~ Bernoulli(q), q = P(y = 5 | x)"),
    steps=[
        Step(25 * q - 10 * cc * q + cc**2, r"25 q - 10 c q + c^2", "E[B^2] = E[B] = q"),
        Step((cc - 5 * q) ** 2 + 25 * q * (1 - q), r"(c - 5q)^2 + 25 q (1 - q)"),
        Step(25 * q * (1 - q), r"25 q (1 - q)",
             "minimised at c = 5q: 2.5 where q = 1/2, a value not seen in training",
             relation=">="),
    ],
    hypotheses=[Hypothesis(r"y \in \{0, 5\}", r"y = \begin{cases} 0, & x < 0, \\ 5, & x \geq 0. "
                                              r"\end{cases}",
                           "observed with noise near the boundary, so 0 < q < 1")],
    crosschecks=[CrossCheck("least squares at the boundary of the noisy step", _boundary_check)],
    notation={"x": sp.Symbol("x", real=True)},
)

def _losses_check(seed: int) -> Comparison:
    """Squared-loss and 0-1-loss differences of the predictions 10 and 3.1415 for y = 0."""
    predictions, label = np.array([10.0, 3.1415]), 0.0
    squared = (predictions - label) ** 2
    zero_one = (predictions != label).astype(float)
    return Comparison(
        estimate=float(squared[0] - squared[1]), expected=90.13097775, tolerance=1e-9,
        alternatives={"the 0-1 loss's difference": float(zero_one[0] - zero_one[1])},
        details=f"squared losses {squared.tolist()}, 0-1 losses {zero_one.tolist()}")


distances_matter = Derivation(
    id="regression-loss-tells-near-from-far-classification-does-not",
    title="Predicting 3.1415 or 10 for 0: the 0-1 loss is 1 for both, the squared loss differs",
    source=Source(ASSIGNMENT, SECTION,
                  "例如把 0 預測成 3.1415 和預測成 10，在分類中都是「錯誤」，沒有差別。"),
    start=Step((10 - sp.S.Zero) ** 2 - (sp.Rational(31415, 10000) - 0) ** 2,
               r"(10 - 0)^2 - (3.1415 - 0)^2",
               "the 0-1 loss 1(f != y) is 1 for both predictions: difference 0"),
    steps=[
        Step(sp.Rational(9013097775, 10**8), r"90.13097775"),
        Step(sp.S.Zero, "0", "the squared loss prefers the nearer prediction", relation=">")],
    crosschecks=[CrossCheck("the two losses of the two predictions", _losses_check)],
)
