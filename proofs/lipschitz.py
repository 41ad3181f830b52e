r"""Lipschitz continuity in optimisation for machine learning.

Lecture notes, "Lipschitz Continuity": "我們通常會假設 Cost Function C 是 Lipschitz Continuous 的",
|C(w^1) - C(w^2)| <= K |w^1 - w^2| for all w^1, w^2 in R^d, which "有助於優化算法的收斂性分析";
and "Optimization in Machine Learning": most models have convex costs, "e.g. Linear Regression,
Logistic Regression, SVM".

- The assumption fails for the notes' first example: the squared loss of linear regression is
  not Lipschitz on R^d.  With one example (x = 1, y = 0), C(w) = w^2 / 2 and w^1 = 4K, w^2 = 0
  give |C(w^1) - C(w^2)| / |w^1 - w^2| = 2K > K, for every K: an erratum.  On a ball it is
  Lipschitz with a constant that grows with the radius ((|w^1| + |w^2|)/2 here).  What the
  convergence analysis of gradient descent uses is a Lipschitz *gradient* (L-smoothness),
  |grad C(w^1) - grad C(w^2)| <= L |w^1 - w^2|: L = ||X||_2^2 for 1/2 ||y - X w||^2, and it
  licenses the step 1/L (a step above 2/L diverges on the quadratic).
- The logistic loss C(w) = sum_i log(1 + exp(-y_i x_i^T w)) is itself Lipschitz (K = sum_i
  |x_i|) and has a Lipschitz gradient with L = ||X||_2^2 / 4, because its Hessian is X^T D X
  with D = diag(sigma_i (1 - sigma_i)) and sigma (1 - sigma) = 1/4 - (sigma - 1/2)^2 <= 1/4.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.optimize
import sympy as sp

from derive import Comparison, Correction, CrossCheck, Derivation, Hypothesis, Source, Step, erratum
from numeric import optimize
from numeric.functions import sigmoid
from numeric.rates import fit_power_law

from ._notes import LECTURE_NOTES

SECTION = "Lipschitz Continuity"
ASSUMPTION_QUOTE = (r"我們通常會假設 Cost Function $C$ 是 Lipschitz Continuous 的,表示存在一個常數 "
                    r"$K > 0$,使得: $$|C(w^1) - C(w^2)| \leq K |w^1 - w^2|, \quad \forall w^1, "
                    r"w^2 \in \mathbb{R}^d$$")
ANALYSIS_QUOTE = "這個條件保證了函數的變化不會太劇烈,有助於優化算法的收斂性分析"

K = sp.Symbol("K", positive=True)
w = sp.Symbol("w", real=True)
SQUARED_LOSS = w**2 / 2                       # one example, x = 1, y = 0
W1, W2 = 4 * K, sp.S.Zero


def difference_quotient(cost: sp.Expr, first: sp.Expr, second: sp.Expr) -> sp.Expr:
    """|C(w^1) - C(w^2)| / |w^1 - w^2|."""
    return sp.Abs(cost.subs(w, first) - cost.subs(w, second)) / sp.Abs(first - second)


# ------------------------------------------------------------ cross-checks

def _regression(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((50, 3))
    return X, X @ np.array([1.0, -2.0, 0.5]) + 0.3 * rng.standard_normal(50)


def squared_loss_quotient_grows(seed: int) -> Comparison:
    """|C(w) - C(w*)| / |w - w*| for 1/2 ||y - X w||^2 at distance r = 1..1000 from the
    minimiser along a random direction: its exponent in r (1; a Lipschitz C stays bounded),
    with gradient descent at 1/L and at 2.5/L (L = ||X||_2^2) in the details."""
    X, y = _regression(seed)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    direction = np.random.default_rng(seed + 1).standard_normal(3)
    direction /= np.linalg.norm(direction)

    def cost(v: np.ndarray) -> float:
        return 0.5 * float(np.sum((y - X @ v) ** 2))
    radii = np.logspace(0, 3, 7)
    quotients = [(cost(w_star + r * direction) - cost(w_star)) / r for r in radii]
    fit = fit_power_law(radii, quotients)
    smooth = np.linalg.norm(X, 2) ** 2
    finals = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for factor in (1.0, 2.5):
            run = optimize.gradient_descent(lambda v: X.T @ (X @ v - y), np.zeros(3),
                                            step=factor / smooth, tol=1e-10, max_iter=3000)
            finals[factor] = float(np.linalg.norm(run.x - w_star))
    return Comparison(
        estimate=fit.slope, expected=1.0, tolerance=0.02,
        alternatives={"Lipschitz: a bounded quotient": 0.0},
        details=f"quotients {np.round(quotients, 2).tolist()} at r = {radii.tolist()} ({fit}); "
                f"gradient descent |w - w*| after at most 3000 steps: step 1/L "
                f"{finals[1.0]:.2g}, step 2.5/L {finals[2.5]:.3g} (diverged), L = ||X||_2^2 = "
                f"{smooth:.4g}")


def _logistic_data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((80, 3))
    labels = np.where(X @ np.array([1.0, -1.0, 0.5]) + 2 * rng.standard_normal(80) > 0, 1.0, -1.0)
    return X, labels


def _logistic_gradient(X: np.ndarray, labels: np.ndarray):
    def gradient(v: np.ndarray) -> np.ndarray:
        return -X.T @ (labels * sigmoid(-labels * (X @ v)))
    return gradient


def logistic_smoothness_constant(seed: int) -> Comparison:
    """The largest curvature of the logistic loss, max over 300 random w and w = 0 of the top
    eigenvalue of a finite-difference Hessian, over ||X||_2^2 / 4: 1 (attained at w = 0)."""
    X, labels = _logistic_data(seed)
    gradient = _logistic_gradient(X, labels)
    rng = np.random.default_rng(seed + 1)
    points = np.vstack([np.zeros(3), rng.standard_normal((300, 3))])
    h = 1e-5
    curvature = max(np.linalg.eigvalsh(
        np.array([(gradient(p + h * e) - gradient(p - h * e)) / (2 * h) for e in np.eye(3)]))
        .max() for p in points)
    claimed = np.linalg.norm(X, 2) ** 2 / 4
    return Comparison(
        estimate=float(curvature / claimed), expected=1.0, tolerance=1e-6,
        alternatives={"||X||_2^2 (the squared loss's constant)": 4.0,
                      "||X||_F^2 / 4 (Frobenius norm)":
                          float(np.linalg.norm(X) ** 2 / 4 / claimed)},
        details=f"max curvature {curvature:.8g}, ||X||_2^2 / 4 = {claimed:.8g}; N = 80, d = 3"
                + _descent_details(X, labels, claimed))


def _descent_details(X: np.ndarray, labels: np.ndarray, smooth: float) -> str:
    """Gradient descent at 1/L: monotone and at SciPy's minimiser?"""
    def cost(v: np.ndarray) -> float:
        return float(np.sum(np.logaddexp(0.0, -labels * (X @ v))))
    gradient = _logistic_gradient(X, labels)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = optimize.gradient_descent(gradient, np.zeros(3), step=1.0 / smooth, tol=1e-8,
                                        max_iter=1500)
    values = [cost(v) for v in run.history]
    reference = scipy.optimize.minimize(cost, np.zeros(3), jac=gradient, method="BFGS",
                                        options={"gtol": 1e-10}).x
    return (f"; gradient descent at 1/L: {run.n_iter} steps, cost never rose: "
            f"{bool(np.all(np.diff(values) <= 1e-12))}, |w - w_BFGS| = "
            f"{np.linalg.norm(run.x - reference):.2g}")


# ------------------------------------------------------------ derivations

squared_loss_not_lipschitz = Derivation(
    id="lipschitz-cost-assumption-fails-for-squared-loss",
    notation={"C": lambda value: SQUARED_LOSS.subs(w, value),
              "w": lambda index: {1: W1, 2: W2}[int(index)]},  # the two weights w^1, w^2
    title="The squared loss is not Lipschitz on R^d: the difference quotient exceeds every K",
    source=Source(LECTURE_NOTES, SECTION, ASSUMPTION_QUOTE),
    hypotheses=[Hypothesis(r"w^1, w^2 \in \mathbb{R}^d", quote=ASSUMPTION_QUOTE,
                           note="for all weights; d = 1"),
                Hypothesis(r"C(w) = \frac{1}{2} \sum_i (y_i - w^\top x_i)^2",
                           quote=r"e.g. Linear Regression, Logistic Regression, SVM…",
                           note="one example x = 1, y = 0: C(w) = w^2 / 2")],
    start=Step(difference_quotient(SQUARED_LOSS, W1, W2),
               r"\frac{|C(w^1) - C(w^2)|}{|w^1 - w^2|}, \quad w^1 = 4K, \ w^2 = 0",
               "any K > 0"),
    steps=[Step(2 * K, r"2K"),
           Step(K, r"K", "the notes: bounded by K for all w^1, w^2", relation="<=")],
    expected=erratum(Correction(
        2, Step((sp.Abs(W1) + sp.Abs(W2)) / 2, r"\frac{|w^1| + |w^2|}{2} = 2K",
                "a constant that grows with the weights", relation="<="),
        "the squared loss is Lipschitz only on bounded sets, with a constant growing with "
        "the radius; convergence analyses use a Lipschitz gradient instead, L = ||X||_2^2 for "
        "the squared loss (gradient descent converges with step 1/L, diverges above 2/L) and "
        "||X||_2^2 / 4 for the logistic loss (lipschitz-logistic-gradient-constant)")),
    crosschecks=[CrossCheck("the squared loss's difference quotient against the distance",
                            squared_loss_quotient_grows)],
)

z = sp.Symbol("z", real=True)
SIGMA = 1 / (1 + sp.exp(-z))

logistic_smoothness = Derivation(
    id="lipschitz-logistic-gradient-constant",
    notation={r"\sigma": lambda value: SIGMA.subs(z, value)},
    title="sigma'(z) = sigma (1 - sigma) <= 1/4: the logistic loss has an ||X||_2^2 / 4-"
          "Lipschitz gradient",
    source=Source(LECTURE_NOTES, SECTION, ANALYSIS_QUOTE),
    hypotheses=[Hypothesis(r"C(w) = \sum_{i=1}^{N} \log\left(1 + e^{-y_i x_i^\top w}\right)",
                           quote=r"e.g. Linear Regression, Logistic Regression, SVM…",
                           note="H(C)(w) = X^T diag(sigma_i (1 - sigma_i)) X")],
    start=Step(sp.diff(SIGMA, z), r"\sigma'(z)", "the weight of example i in the Hessian"),
    steps=[
        Step(SIGMA * (1 - SIGMA), r"\sigma(z) (1 - \sigma(z))"),
        Step(sp.Rational(1, 4) - (SIGMA - sp.Rational(1, 2)) ** 2,
             r"\frac{1}{4} - \left(\sigma(z) - \frac{1}{2}\right)^2"),
        Step(sp.Rational(1, 4), r"\frac{1}{4}",
             "so H(C) <= X^T X / 4 and L = ||X||_2^2 / 4, attained at w = 0", relation="<="),
    ],
    crosschecks=[CrossCheck("the logistic loss's largest curvature and gradient descent at 1/L",
                            logistic_smoothness_constant)],
)
