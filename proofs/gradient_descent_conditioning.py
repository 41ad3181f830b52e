r"""Problems of gradient descent: poor conditioning slows it down and makes it zig-zag.

Lecture notes, "Problems of Gradient Descent": gradient descent ignores the conditioning of
H(f), so it may descend fast in one direction and slowly in another, slowing convergence
overall ("Zig-Zags").

On a quadratic f(x) = 1/2 (x - x*)^T H (x - x*) with eigenvalues mu = lambda_min <= lambda <=
lambda_max = L and kappa = L / mu, a step multiplies the error's component along each
eigenvector by 1 - eta lambda.  The best fixed step, eta = 2 / (L + mu), makes the two extreme
factors equal in size and opposite in sign: |e_{k+1}| <= (kappa - 1) / (kappa + 1) |e_k|
(with equality in d = 2), a rate that tends to 1 as kappa grows; the steep component changes
sign every step (1 - eta L = -(kappa - 1)/(kappa + 1) < 0): the zig-zag.  Proved in the
eigenbasis (a rotation keeps |e|), with L = kappa mu.
"""

from __future__ import annotations

import warnings

import numpy as np
import sympy as sp

from derive import Comparison, CrossCheck, Derivation, Hypothesis, Source, Step
from numeric import optimize

from ._notation import known_at
from ._notes import LECTURE_NOTES

SECTION = "Problems of Gradient Descent"
QUOTE = (r"沒有考慮到 $H(f)(x)$ 的 Conditioning 的問題,可能在某個方向下降很快,但在另一個方向下降很慢,"
         r"導致整體收斂速度變慢")
ZIGZAG_QUOTE = "Zig-Zags"

mu, q = sp.symbols("mu q", positive=True)
kappa = 1 + q                                   # kappa > 1
L = kappa * mu
u, v = sp.symbols("u v", real=True)             # e_k in the eigenbasis of H
STEP = 2 / (L + mu)
QUADRATIC = Hypothesis(r"f(x) = \frac{1}{2} (x - x^*)^\top H (x - x^*), \ \mu I \preceq H "
                       r"\preceq L I", quote=None,
                       note="d = 2, in the eigenbasis H = diag(L, mu), L = kappa mu, kappa > 1")
OPTIMAL_STEP = Hypothesis(r"\eta = \frac{2}{L + \mu}", quote=None,
                          note="the fixed step minimising max_lambda |1 - eta lambda|")


iteration = sp.Symbol("k", integer=True, positive=True)
ERROR = sp.Matrix([u, v])
MINIMISER = sp.Matrix(sp.symbols("xstar1 xstar2", real=True))
NOTATION = {"I": sp.eye(2), "H": sp.diag(L, mu), "L": L, r"\kappa": kappa, r"\eta": STEP,
            "e": known_at((iteration, ERROR)), "x^*": MINIMISER,
            "x": known_at((iteration + 1, MINIMISER + (sp.eye(2) - STEP * sp.diag(L, mu)) * ERROR))}


def _squared_error_after_step(step: sp.Expr) -> sp.Expr:
    """|(I - step H) e|^2 for H = diag(L, mu), e = (u, v)."""
    return ((1 - step * L) * u) ** 2 + ((1 - step * mu) * v) ** 2


# ------------------------------------------------------------ cross-check

def _quadratic(kappa_value: float, dim: int, rng: np.random.Generator) -> np.ndarray:
    """A random symmetric H with eigenvalues from 1 to kappa (both ends included)."""
    eigen = np.concatenate([[1.0, kappa_value], rng.uniform(1.0, kappa_value, dim - 2)])
    basis, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    return basis @ np.diag(eigen) @ basis.T


def contraction_rate(seed: int) -> Comparison:
    """Per-step contraction of |x_k - x*| for numeric.optimize.gradient_descent with eta =
    2/(L + mu) on a 10-dimensional quadratic with kappa = 20, fitted on iterations 20-150."""
    rng = np.random.default_rng(seed)
    H = _quadratic(20.0, 10, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = optimize.gradient_descent(lambda x: H @ x, rng.standard_normal(10),
                                        step=2.0 / 21.0, tol=1e-300, max_iter=150)
    errors = np.linalg.norm(run.history, axis=1)
    steps = np.arange(len(errors))
    slope = np.polyfit(steps[20:], np.log(errors[20:]), 1)[0]
    return Comparison(
        estimate=float(np.exp(slope)), expected=19.0 / 21.0, tolerance=1e-3,
        alternatives={"1 - 1/kappa (the step 1/L)": 0.95,
                      "(kappa - 1)^2 / (kappa + 1)^2 (the squared error's rate)": (19 / 21) ** 2},
        details=f"kappa = 20, d = 10; fitted rate {np.exp(slope):.6f} against (kappa - 1)/"
                f"(kappa + 1) = {19 / 21:.6f}",
        data={"plot": "curves", "x": steps.tolist(), "logy": True,
              "curves": {"|x_k - x*|": errors.tolist(),
                         "((kappa - 1)/(kappa + 1))^k |x_0 - x*|":
                             (errors[0] * (19 / 21) ** steps).tolist()},
              "title": "Gradient descent with eta = 2/(L + mu), kappa = 20",
              "xlabel": "iteration k", "ylabel": "|x_k - x*|"})


def steep_component_factor(seed: int) -> Comparison:
    """numeric.optimize.gradient_descent with eta = 2/(L + mu) on a 2-D quadratic (kappa = 20,
    random eigenbasis): the mean ratio of successive components along the eigenvector of L."""
    rng = np.random.default_rng(seed)
    H = _quadratic(20.0, 2, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = optimize.gradient_descent(lambda x: H @ x, rng.standard_normal(2),
                                        step=2.0 / 21.0, tol=1e-300, max_iter=30)
    steep = np.linalg.eigh(H)[1][:, -1]
    components = np.asarray(run.history) @ steep
    ratios = components[1:] / components[:-1]
    return Comparison(
        estimate=float(ratios.mean()), expected=-19.0 / 21.0, tolerance=1e-6,
        alternatives={"(kappa - 1)/(kappa + 1) without the sign change (no zig-zag)": 19 / 21,
                      "1 - 1/kappa (the step 1/L)": 0.95},
        details=f"kappa = 20, d = 2, {ratios.size} steps; ratios between "
                f"{ratios.min():.9f} and {ratios.max():.9f}; signs of the steep component "
                f"{np.sign(components[:8]).astype(int).tolist()}...")


# ------------------------------------------------------------ derivations

one_step_rate = Derivation(
    id="gradient-descent-quadratic-rate-kappa",
    notation=NOTATION,
    title="With eta = 2/(L + mu) a gradient step contracts the error by (kappa - 1)/(kappa + 1)",
    source=Source(LECTURE_NOTES, SECTION, QUOTE),
    hypotheses=[QUADRATIC, OPTIMAL_STEP],
    start=Step(_squared_error_after_step(STEP), r"\|x_{k+1} - x^*\|^2 = \|(I - \eta H) e_k\|^2",
               "e_k = x_k - x* = (u, v) in the eigenbasis; grad f(x_k) = H e_k"),
    steps=[
        Step(((L - mu) / (L + mu)) ** 2 * (u**2 + v**2),
             r"\left(\frac{L - \mu}{L + \mu}\right)^2 \|e_k\|^2",
             "1 - eta L = -(L - mu)/(L + mu), 1 - eta mu = (L - mu)/(L + mu)"),
        Step(((kappa - 1) / (kappa + 1)) ** 2 * (u**2 + v**2),
             r"\left(\frac{\kappa - 1}{\kappa + 1}\right)^2 \|e_k\|^2",
             "kappa = L / mu: the rate tends to 1 as kappa grows"),
    ],
    crosschecks=[CrossCheck("fitted contraction rate on a 10-dimensional quadratic",
                            contraction_rate)],
)

zig_zag = Derivation(
    id="gradient-descent-steep-component-changes-sign",
    notation=NOTATION,
    title="Along the steepest eigenvector the error changes sign every step: the zig-zag",
    source=Source(LECTURE_NOTES, SECTION, ZIGZAG_QUOTE),
    hypotheses=[QUADRATIC, OPTIMAL_STEP],
    start=Step(1 - STEP * L, r"1 - \eta L",
               "the factor multiplying the error's component along the eigenvector of L"),
    steps=[Step(-(kappa - 1) / (kappa + 1), r"-\frac{\kappa - 1}{\kappa + 1}"),
           Step(sp.S.Zero, r"0", "kappa > 1", relation="<")],
    crosschecks=[CrossCheck("the steep component under gradient descent on a 2-D quadratic",
                            steep_component_factor)],
)
