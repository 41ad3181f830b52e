r"""First- and second-order optimisation: gradient descent, steepest descent, Newton's method,
the perceptron, Adaline, a dual problem and the R^2 of a regression.

Lecture notes, "Gradient Descent", "Negative Gradient is the Direction of Steepest Descent",
"Newton's Method", "Perceptron Learning Algorithm", "ADAptive LInear NEuron (Adaline)",
"Dual Problem" and "The Regression Problem".

Conventions.  Quantities at the fixed point a (f(a), the components g_k of grad f(a), the
Hessian H) are real numbers, so they are symbols rather than values of an undefined function:
that lets the sign reasoning see that |grad f(a)|^2 >= 0.  Vectors have concrete dimension
(d = 2 or 3).  Unit vectors and non-zero gradients are written in polar form, r (cos psi,
sin psi) with r > 0, which is every non-zero vector of R^2.  A symmetric positive definite
2 x 2 matrix is L L^T with L lower triangular with a positive diagonal (Cholesky: every such
matrix is one).  The Levenberg-Marquardt quadratic form is written in the eigenbasis of H,
H = diag(h1, h2): a rotation of coordinates leaves grad f^T (H + lambda I)^{-1} grad f
unchanged, and the engine is spared trigonometric matrix inverses.

The notes' argmin lines ("argmin_u grad f^T u = argmin_u |grad f| |u| cos theta = argmin_u
cos theta") are statements about minimisers, which are not expressions; they are checked as
the values they compare: grad f(a)^T u >= -|grad f(a)| for every unit u, with equality at
u = -grad f(a) / |grad f(a)|.

Four claims need more than the notes assume, and are errata, each with a counterexample that
satisfies the notes' hypotheses and the corrected statement proved under the added one:

- Adaline's "the cost is convex, so the rule is guaranteed to converge to the global minimum":
  a fixed step converges exactly when 0 < eta < 2 / lambda_max(sum_i x_i x_i^T) (at the bound
  the iterates oscillate);
- the perceptron's update on a mistake is w + 2 eta y x only when w^T x != 0: with sign(0) = 0
  (no other convention is stated) a tie, as at w = 0, predicts 0 and updates by eta y x;
- D_u f(a) = grad f(a)^T u needs f differentiable at a (x^2 y / (x^2 + y^2) at 0 has both
  partial derivatives but other directional derivatives);
- Newton's model has a minimum at a - H^{-1} grad f(a) when H(f)(a) is positive definite;
  strict convexity does not give that (x1^4 + x1 + x2^2 at 0).
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.optimize
import sympy as sp

from derive import Comparison, Correction, CrossCheck, Derivation, Hypothesis, Source, Step, erratum
from numeric import optimize
from numeric.rates import fit_power_law

from . import _opt
from ._identity import projected_comparison
from ._notation import known_at
from ._notes import LECTURE_NOTES

# ---------------------------------------------------------------- hypotheses

POSITIVE_STEP = Hypothesis(r"\eta > 0", quote=r"for some $\eta > 0$",
                           note="eta: Symbol(positive=True)")
STEP_SIGN = Hypothesis(r"\eta > 0", quote=None,
                       note="eta: Symbol(positive=True); the notes give no sign here (the "
                            "gradient-descent section takes eta > 0)")
FIRST_ORDER_MODEL = Hypothesis(r"\tilde{f}(x) = f(a) + \nabla f(a)^T (x - a)",
                               quote=r"f(x) \approx \tilde{f}(x) = f(a) + \nabla f(a)^T (x - a)",
                               note="the line is about the model tilde f, not about f")


def dimension(d: int) -> Hypothesis:
    """A concrete dimension d, where the notes' argument is the same in every dimension."""
    return Hypothesis(rf"d = {d}", quote=None,
                      note="a concrete dimension; the algebra is the same in every d")


GIVEN_F = Hypothesis(r"f, \ u, \ a \text{ given}",
                     quote="給定一個 function $f$,一個方向 $u$ 和點 $a$")
DIFFERENTIABLE = Hypothesis(r"f \text{ differentiable at } a", quote=None,
                            note="f = Function(real=True), differentiated by the chain rule; "
                                 "without it the formula fails "
                                 "(directional-derivative-needs-differentiability)")
UNIT_DIRECTION = Hypothesis(r"|u| = 1", quote=r"我們想找到一個單位向量 $u$",
                            note="u = (cos phi, sin phi): every unit vector of R^2")
NONZERO_GRADIENT = Hypothesis(r"\nabla f(a) \neq 0", quote=None,
                              note="|grad f(a)| > 0: the notes divide by |grad f(a)|; in polar "
                                   "form r > 0 (Symbol(positive=True))")
STRICTLY_CONVEX = Hypothesis(r"f \text{ strictly convex}", quote="當 $f$ 是 strictly convex 時")
QUADRATIC_MODEL = Hypothesis(
    r"\tilde{f}(x) = f(a) + \nabla f(a)^T (x - a) + \frac{1}{2} (x - a)^T H(f)(a) (x - a)",
    quote=r"f(x) \approx \tilde{f}(x) = f(a) + \nabla f(a)^T (x - a) + \frac{1}{2} (x - a)^T "
          r"H(f)(a) (x - a)")
DEFINITE_HESSIAN = Hypothesis(r"H(f)(a) \succ 0", quote=None,
                              note="built in: H = L L^T with L lower triangular, l11, l22 > 0, "
                                   "every symmetric positive definite 2 x 2 matrix; strict "
                                   "convexity does not give it "
                                   "(newton-step-needs-positive-definite-hessian)")
DAMPED_DEFINITE = Hypothesis(r"H(f)(x^{(k)}) + \lambda I \succ 0",
                             quote=r"可以確保 $H(f)(x^{(k)}) + \lambda I \succ 0$",
                             note="in H's orthonormal eigenbasis m_k = h_k + lambda > 0 "
                                  "(Symbol(positive=True)); h_k of any sign")
SYMMETRIC_HESSIAN = Hypothesis(r"H(f) = H(f)^\top", quote=None,
                               note="a Hessian (f twice continuously differentiable): "
                                    "orthogonally diagonalisable")
NONZERO_GRADIENT_LM = Hypothesis(r"\nabla f(x^{(k)}) \neq 0", quote=None,
                                 note="r > 0; at a stationary point the direction is 0 and the "
                                      "iteration has nothing to descend")
LABELS = Hypothesis(r"y^t \in \{-1, 1\}", quote=r"$y_i \in {-1, 1}$ 是標籤",
                    note="y = (-1)^k with k an integer symbol")
SIGN_PREDICTION = Hypothesis(r"\hat{y}^t = \text{sign}(w^{(t)T} x^t), \ \text{sign}(0) = 0",
                             quote=r"定義線性分類器 $f(x) = sign(w^T x + b)$",
                             note="the notes state no tie-breaking convention; sign(0) = 0 (as "
                                  "in SymPy and NumPy), so a tie w^T x = 0 predicts 0 != y")
MISTAKE = Hypothesis(r"\hat{y}^t \ne y^t", quote=r"如果 $\hat{y}^t \ne y^t$",
                     note="hat y = -e y with e = (1 + (-1)^j)/2 in {0, 1}: every wrong prediction")
NO_TIE = Hypothesis(r"w^{(t)T} x^t \neq 0", quote=None,
                    note="needed for the notes' 2 eta y^t x^t; the corrected line holds without it")
POSITIVE_LABEL = Hypothesis(r"y^t = 1", quote=r"$y^t = 1$")
MISTAKE_UPDATE = Hypothesis(r"w^{(t+1)} = w^{(t)} + 2 \eta y^t x^t",
                            quote=r"得到 $w^{(t+1)} = w^{(t)} + 2 \eta y^t x^t$",
                            note="the update on a mistake with w^T x != 0 "
                                 "(perceptron-update-on-mistake)")
NONZERO_INPUT = Hypothesis(r"x^t \neq 0", quote=r"令 $\tilde{x} = [x; 1]$",
                           note="with the bias folded in, x~ = [x; 1] is never 0; x = rho (cos "
                                "alpha, sin alpha), rho > 0")
ADALINE_COST = Hypothesis(r"C(w) = \frac{1}{2} \sum_{i=1}^{N} (y_i - w^T x_i)^2",
                          quote=r"\arg\min_{w} \frac{1}{2} \sum_{i=1}^{N} (y_i - w^T x_i)^2",
                          note="N symbolic, X and y real")
CONVEX_COST = Hypothesis(r"C(w) \text{ convex}", quote="因為 Cost function 是 Convex 的")
CURVATURE = Hypothesis(r"S = \sum_i x_i^2 > 0, \ e_t = |w^{(t)} - w^*| > 0", quote=None,
                       note="one feature (d = 1), not all x_i zero; the iterate is not yet at "
                            "the minimum")
SMALL_STEP = Hypothesis(r"0 < \eta < \frac{2}{S}", quote=None,
                        note="eta = 2 / (S (1 + q)), q > 0: the hypothesis the notes lack")
DUAL_PROBLEM = Hypothesis(r"\min_x \frac{1}{2} |x|^2 \text{ s.t. } Ax \geq b",
                          quote=r"\text{subject to } Ax \geq b, A \in \mathbb{R}^{n \times d}, "
                                r"b \in \mathbb{R}^n",
                          note="n = 2 constraints, d = 3 unknowns, A and b real")
MULTIPLIERS = Hypothesis(r"\alpha \geq 0", quote=r"\alpha \geq 0",
                         note="alpha: nonnegative symbols")
SPREAD = Hypothesis(r"\sum_{i=1}^{N} (y_i - \bar{y})^2 > 0", quote=None,
                    note="not all y_i equal: RSE divides by it (the notes' definition presumes it)")
RSE_DEFINITION = Hypothesis(
    r"RSE(f; D) = \frac{\sum_{i=1}^{N} (y_i - f(x_i))^2}{\sum_{i=1}^{N} (y_i - \bar{y})^2}",
    quote=r"RSE(f; D) = \frac{\sum_{i=1}^{N} (y_i - f(x_i))^2}{\sum_{i=1}^{N} (y_i - \bar{y})^2}")


HALF = sp.Rational(1, 2)
eta = sp.Symbol("eta", positive=True)
f_a = sp.Symbol("f(a)", real=True)


def _column(prefix: str, size: int, **assumptions) -> sp.Matrix:
    """The column vector (prefix1, ..., prefix<size>) of symbols."""
    return sp.Matrix(sp.symbols(f"{prefix}1:{size + 1}", **assumptions))


def _polar(radius, angle) -> sp.Matrix:
    """radius (cos angle, sin angle)."""
    return radius * sp.Matrix([sp.cos(angle), sp.sin(angle)])


def _dot(u: sp.Matrix, v: sp.Matrix) -> sp.Expr:
    return (u.T * v)[0, 0]


# ================================================================ gradient descent

GD_SECTION = "Gradient Descent"
a3, g3 = _column("a", 3, real=True), _column("g", 3, real=True)  # a and grad f(a) in R^3


def first_order_model(x: sp.Matrix, a=a3, g=g3) -> sp.Expr:
    r"""\tilde f(x) = f(a) + \nabla f(a)^T (x - a)."""
    return f_a + _dot(g, x - a)


# Cross-check: f(x) = exp(x1 - x2) + x3^2 cos(x1) + x2^4 / 4 at A_POINT.
A_POINT = np.array([0.3, -0.7, 1.1])
STEP_SIZES = np.logspace(-4, -1, 8)


def _smooth_f(x: np.ndarray) -> float:
    return float(np.exp(x[0] - x[1]) + x[2] ** 2 * np.cos(x[0]) + x[1] ** 4 / 4)


def _smooth_grad(x: np.ndarray) -> np.ndarray:
    e = np.exp(x[0] - x[1])
    return np.array([e - x[2] ** 2 * np.sin(x[0]), -e + x[1] ** 3, 2 * x[2] * np.cos(x[0])])


def model_error_is_second_order(seed: int) -> Comparison:
    """|f(a - eta g) - tilde f(a - eta g)| against eta: a power law with exponent 2."""
    g = _smooth_grad(A_POINT)
    gaps = [abs(_smooth_f(A_POINT - s * g) - (_smooth_f(A_POINT) - s * g @ g))
            for s in STEP_SIZES]
    fit = fit_power_law(STEP_SIZES, gaps)
    return Comparison(
        estimate=fit.slope, expected=2.0, tolerance=0.05,
        alternatives={"a model that is not first-order accurate (error O(eta))": 1.0},
        details=f"fitted exponent of f(x) - tilde f(x) at x = a - eta grad f(a), {fit}; "
                f"f = exp(x1 - x2) + x3^2 cos x1 + x2^4/4, a = {A_POINT.tolist()}",
        data={"plot": "loglog", "x": STEP_SIZES.tolist(), "y": gaps, "slope": fit.slope,
              "intercept": fit.intercept, "expected_slope": 2.0,
              "title": "First-order model error at the gradient step",
              "xlabel": "step eta", "ylabel": "|f(x) - tilde f(x)|"})


gradient_descent_decrease = Derivation(
    id="gradient-descent-model-decrease",
    notation={"a": a3, "x": a3 - eta * g3, "f": known_at((a3, f_a)), r"\nabla f": known_at((a3, g3)),
              r"\tilde{f}": first_order_model},
    title="A gradient step lowers the first-order model by eta |grad f(a)|^2",
    source=Source(LECTURE_NOTES, GD_SECTION,
                  r"\tilde{f}(x) = f(a) - \eta |\nabla f(a)|^2 \leq \tilde{f}(a)"),
    start=Step(first_order_model(a3 - eta * g3),
               r"\tilde{f}(x) = f(a) + \nabla f(a)^T (x - a), \quad x = a - \eta \nabla f(a)",
               "the first-order Taylor model at a (d = 3), at the gradient step, eta > 0"),
    steps=[
        Step(f_a - eta * _dot(g3, g3), r"f(a) - \eta |\nabla f(a)|^2", "x - a = -eta grad f(a)"),
        Step(first_order_model(a3), r"\tilde{f}(a)",
             "tilde f(a) = f(a), and eta |grad f(a)|^2 >= 0", relation="<="),
    ],
    crosschecks=[CrossCheck("the model's error at the step is O(eta^2)",
                            model_error_is_second_order)],
    hypotheses=[FIRST_ORDER_MODEL, POSITIVE_STEP, dimension(3)],
)


# ================================================================ steepest descent

STEEPEST_SECTION = "Negative Gradient is the Direction of Steepest Descent"
a2, u2 = _column("a", 2, real=True), _column("u", 2, real=True)
h = sp.Symbol("h", real=True)
f = sp.Function("f", real=True)
r = sp.Symbol("r", positive=True)                       # |grad f(a)| > 0
psi, phi = sp.symbols("psi phi", real=True)             # angles of grad f(a) and of u
theta = phi - psi

DIRECTIONAL_QUOTE = r"D_u f(a) = \lim_{h \to 0} \frac{f(a + h u) - f(a)}{h} = \nabla f(a)^T u"


def directional_derivative_at_points(seed: int) -> Comparison:
    """(f(a + h u) - f(a - h u)) / 2h at 100 random a and u (not unit) against grad f(a)^T u."""
    rng = np.random.default_rng(seed)
    points, directions = rng.normal(0.0, 0.7, (100, 3)), rng.normal(0.0, 1.0, (100, 3))
    measured = [_opt.central_difference(_smooth_f, a, u) for a, u in zip(points, directions, strict=False)]
    gradients = np.array([_smooth_grad(a) for a in points])
    lengths = np.linalg.norm(directions, axis=1)
    return projected_comparison(
        measured, np.sum(gradients * directions, axis=1),
        {"grad f(a)^T u / |u| (as if u were a unit vector)":
         np.sum(gradients * directions, axis=1) / lengths,
         "|grad f(a)| |u| (the slope along the gradient)":
         np.linalg.norm(gradients, axis=1) * lengths},
        seed=seed, relative_tolerance=1e-7,
        details="central differences, h = 1e-5; f = exp(x1 - x2) + x3^2 cos x1 + x2^4/4")


directional_derivative = Derivation(
    id="directional-derivative-is-gradient-dot-u",
    notation={"a": a2, "u": u2, "h": h, "f": lambda point: f(*point),
              r"\nabla f": known_at((a2, sp.Matrix([sp.Derivative(f(*a2), v) for v in a2]))),
              r"D_u f": known_at((a2, sp.Subs(sp.Derivative(f(*(a2 + h * u2)), h), h, 0)))},
    title="The directional derivative is grad f(a)^T u",
    source=Source(LECTURE_NOTES, STEEPEST_SECTION, DIRECTIONAL_QUOTE),
    start=Step(sp.Subs(sp.Derivative(f(*(a2 + h * u2)), h), h, 0),
               r"D_u f(a) = \lim_{h \to 0} \frac{f(a + h u) - f(a)}{h}",
               "the limit is the derivative of h -> f(a + h u) at h = 0 (stated so: SymPy "
               "takes no limits of undefined functions); f smooth, d = 2"),
    steps=[Step(_dot(sp.Matrix([sp.Derivative(f(*a2), v) for v in a2]), u2),
                r"\nabla f(a)^T u", "chain rule")],
    crosschecks=[CrossCheck("central differences at random points and directions",
                            directional_derivative_at_points)],
    hypotheses=[GIVEN_F, DIFFERENTIABLE, dimension(2)],
)

# A function with partial derivatives at 0 that is not differentiable there: the notes' setting
# ("a function f, a direction u, a point a") does not ask for differentiability.
kink_x, kink_y = sp.symbols("x y", real=True)
KINKED = kink_x**2 * kink_y / (kink_x**2 + kink_y**2)     # f(0, 0) = 0
unit_u = _polar(1, phi)


def _kinked_quotient(direction: sp.Matrix) -> sp.Expr:
    """lim_{h -> 0} f(h u) / h, computed by SymPy: f(0) = 0."""
    along = KINKED.subs({kink_x: h * direction[0], kink_y: h * direction[1]}, simultaneous=True)
    return sp.limit(along / h, h, 0)


KINKED_GRADIENT = sp.Matrix([_kinked_quotient(sp.Matrix([1, 0])),
                             _kinked_quotient(sp.Matrix([0, 1]))])


def _kinked_numeric(points: np.ndarray) -> np.ndarray:
    x_, y_ = points[:, 0], points[:, 1]
    return x_**2 * y_ / (x_**2 + y_**2)


def kinked_directional_derivative(seed: int) -> Comparison:
    """(f(h u) - f(0)) / h at h = 1e-6 for 50 random unit u against cos^2 phi sin phi."""
    angles = np.random.default_rng(seed).uniform(0.0, 2 * np.pi, 50)
    directions = np.column_stack([np.cos(angles), np.sin(angles)])
    quotients = _kinked_numeric(1e-6 * directions) / 1e-6
    return projected_comparison(
        quotients, np.cos(angles) ** 2 * np.sin(angles),
        {"the notes' grad f(0)^T u = 0 (both partial derivatives are 0)": np.zeros(50)},
        seed=seed, relative_tolerance=1e-9,
        details="f(x, y) = x^2 y / (x^2 + y^2), f(0) = 0, a = 0, h = 1e-6")


directional_derivative_needs_differentiability = Derivation(
    id="directional-derivative-needs-differentiability",
    notation={"a": sp.zeros(2, 1), "u": unit_u, "h": h, r"\varphi": phi,
              "f": lambda p: 0 if p == sp.zeros(2, 1) else KINKED.subs(
                  dict(zip((kink_x, kink_y), p, strict=True)), simultaneous=True),
              r"\nabla f": known_at((sp.zeros(2, 1), KINKED_GRADIENT)),
              r"D_u f": known_at((sp.zeros(2, 1), _kinked_quotient(unit_u)))},
    title="D_u f(a) = grad f(a)^T u fails for a function that is not differentiable at a",
    source=Source(LECTURE_NOTES, STEEPEST_SECTION, DIRECTIONAL_QUOTE),
    start=Step(_kinked_quotient(unit_u), r"D_u f(a) = \lim_{h \to 0} \frac{f(a + h u) - f(a)}{h}",
               "f(x, y) = x^2 y / (x^2 + y^2), f(0, 0) = 0, at a = 0, u = (cos phi, sin phi): "
               "the quotient is cos^2 phi sin phi for every h != 0"),
    steps=[Step(_dot(KINKED_GRADIENT, unit_u), r"\nabla f(a)^T u",
                "the partial derivatives at 0 exist and are 0: f vanishes on both axes")],
    expected=erratum(Correction(
        1, Step(sp.cos(phi) ** 2 * sp.sin(phi), r"\cos^2(\varphi) \sin(\varphi)"),
        "D_u f(a) = grad f(a)^T u needs f differentiable at a, which the notes do not assume: "
        "this f has both partial derivatives at 0 (so grad f(0) = 0) and a directional "
        "derivative cos^2 phi sin phi in every direction, but is not differentiable at 0. "
        "For differentiable f the formula holds (directional-derivative-is-gradient-dot-u)")),
    crosschecks=[CrossCheck("difference quotients of the kinked function at 0",
                            kinked_directional_derivative)],
    hypotheses=[GIVEN_F],
)

STEEPEST_QUOTE = (r"\arg\min_{u, |u| = 1} D_u f(a) &= \arg\min_{u, |u| = 1} \nabla f(a)^T u "
                  r"\newline &= \arg\min_{u, |u| = 1} |\nabla f(a)| |u| \cos \theta \newline "
                  r"&= \arg\min_{u} \cos \theta")

def steepest_slope_by_search(seed: int) -> Comparison:
    """min over unit u of grad f(a)^T u / |grad f(a)|, by BFGS on u = v / |v| from 20 starts."""
    g = _smooth_grad(A_POINT)
    norm = float(np.linalg.norm(g))

    def slope(v):
        return float(g @ v / np.linalg.norm(v)) / norm
    starts = np.random.default_rng(seed).standard_normal((20, 3))
    best = min(scipy.optimize.minimize(slope, v, method="BFGS", options={"gtol": 1e-12}).fun
               for v in starts)
    return Comparison(
        estimate=float(best), expected=-1.0, tolerance=1e-8,
        alternatives={"-|grad f|_1 / |grad f| (the steepest slope over the unit cube)":
                      -float(np.sum(np.abs(g))) / norm,
                      "-max_k |g_k| / |grad f| (the best coordinate direction)":
                      -float(np.max(np.abs(g))) / norm},
        details=f"grad f(a) = {np.round(g, 4).tolist()} for f = exp(x1 - x2) + x3^2 cos x1 + "
                f"x2^4/4 at a = {A_POINT.tolist()}")


steepest_descent_bound = Derivation(
    id="steepest-descent-lower-bound",
    notation={"a": a2, r"\nabla f": known_at((a2, _polar(r, psi))), "u": _polar(1, phi),
              r"\theta": theta},
    title="No unit direction descends faster than -|grad f(a)|",
    source=Source(LECTURE_NOTES, STEEPEST_SECTION, STEEPEST_QUOTE),
    start=Step(_dot(_polar(r, psi), _polar(1, phi)), r"\nabla f(a)^T u",
               "grad f(a) = r (cos psi, sin psi) with r = |grad f(a)| > 0, u = (cos phi, "
               "sin phi): every unit vector of R^2"),
    steps=[
        Step(r * 1 * sp.cos(theta), r"|\nabla f(a)| |u| \cos \theta",
             "theta = phi - psi is the angle between u and grad f(a); cos(phi - psi) = "
             "cos phi cos psi + sin phi sin psi"),
        Step(r * (2 * sp.cos(theta / 2) ** 2 - 1),
             r"|\nabla f(a)| \left(2 \cos^2 \tfrac{\theta}{2} - 1\right)", "half-angle formula"),
        Step(-r, r"-|\nabla f(a)|",
             "cos^2(theta/2) >= 0, with equality only at theta = pi: minimising |grad f| cos "
             "theta is minimising cos theta, as the notes say", relation=">="),
    ],
    crosschecks=[CrossCheck("the smallest slope over unit directions, by BFGS",
                            steepest_slope_by_search)],
    hypotheses=[UNIT_DIRECTION, NONZERO_GRADIENT, dimension(2)],
)


def steepest_direction_attains_bound(seed: int) -> Comparison:
    """min over -g/|g| and 4000 random unit u of the finite-difference D_u f(a) / |g|."""
    g = _smooth_grad(A_POINT)
    best = -g / np.linalg.norm(g)
    directions = np.vstack([best, _opt.random_unit_vectors(np.random.default_rng(seed), 4000, 3)])
    slopes = [_opt.central_difference(_smooth_f, A_POINT, u) for u in directions]
    ratio = min(slopes) / np.linalg.norm(g)
    return Comparison(
        estimate=float(ratio), expected=-1.0, tolerance=1e-8,
        alternatives={"the best coordinate direction, -max_k |g_k| e_k":
                      -float(np.max(np.abs(g)) / np.linalg.norm(g)),
                      "the gradient direction +g/|g| (steepest ascent)": 1.0},
        details=f"central differences (h = 1e-5); argmin is direction {int(np.argmin(slopes))} "
                f"(0 is -g/|g|); f = exp(x1 - x2) + x3^2 cos x1 + x2^4/4, a = "
                f"{A_POINT.tolist()}")


steepest_descent_attained = Derivation(
    id="steepest-descent-attained-at-negative-gradient",
    notation={"a": a3, r"\nabla f": known_at((a3, g3))},
    title="u = -grad f(a) / |grad f(a)| attains D_u f(a) = -|grad f(a)|",
    source=Source(LECTURE_NOTES, STEEPEST_SECTION,
                  r"當 $u = -\frac{\nabla f(a)}{|\nabla f(a)|}$ 時,也就是負梯度方向,"
                  r"Directional Derivative 會達到最小值"),
    start=Step(_dot(g3, -g3 / sp.sqrt(_dot(g3, g3))),
               r"\nabla f(a)^T \left(-\frac{\nabla f(a)}{|\nabla f(a)|}\right)",
               "d = 3, grad f(a) = (g1, g2, g3) != 0"),
    steps=[Step(-sp.sqrt(_dot(g3, g3)), r"-|\nabla f(a)|",
                "grad f^T grad f = |grad f|^2: the lower bound of steepest-descent-lower-bound")],
    crosschecks=[CrossCheck("finite-difference slopes over 4000 random directions",
                            steepest_direction_attains_bound)],
    hypotheses=[NONZERO_GRADIENT, dimension(3)],
)


# ================================================================ Newton's method

NEWTON_SECTION = "Newton’s Method"
l11, l22 = sp.symbols("l11 l22", positive=True)
l21 = sp.Symbol("l21", real=True)
CHOLESKY = sp.Matrix([[l11, 0], [l21, l22]])
HESSIAN = CHOLESKY * CHOLESKY.T            # every symmetric positive definite 2 x 2 matrix
g2, x2 = _column("g", 2, real=True), _column("x", 2, real=True)
NEWTON_POINT = a2 - HESSIAN.inv() * g2
NEWTON_NOTATION = {"a": a2, "f": known_at((a2, f_a)), r"\nabla f": known_at((a2, g2)),
                   "H": lambda function: known_at((a2, HESSIAN))}


def quadratic_model(x: sp.Matrix) -> sp.Expr:
    r"""\tilde f(x) = f(a) + \nabla f(a)^T (x - a) + 1/2 (x - a)^T H (x - a)."""
    return f_a + _dot(g2, x - a2) + HALF * _dot(x - a2, HESSIAN * (x - a2))


def _model_gradient_at(point: sp.Matrix) -> sp.Matrix:
    gradient = sp.Matrix([sp.diff(quadratic_model(x2), v) for v in x2])
    return gradient.subs(dict(zip(x2, point, strict=False)), simultaneous=True)


QUADRATIC_QUOTE = (r"\tilde{f}(x) = f(a) + \nabla f(a)^T (x - a) + \frac{1}{2} (x - a)^T "
                   r"H(f)(a) (x - a); \quad \nabla \tilde{f}(x) = 0: \quad a - H(f)(a)^{-1} "
                   r"\nabla f(a)")
NEWTON_SETTING = ("d = 2, H(f)(a) = L L^T with L lower triangular, l11, l22 > 0: every "
                  "symmetric positive definite H (f strictly convex)")

# Cross-check: f(x) = sum_k (e^{x_k} - x_k) + 1/2 x^T A x, minimiser 0, from (-2, 3).
TEST_FUNCTION = _opt.ExpQuadratic(np.array([[10.0, 3.0], [3.0, 1.0]]))
NEWTON_START = np.array([-2.0, 3.0])


def _gradient_descent_errors() -> np.ndarray:
    step = 1.0 / np.linalg.eigvalsh(TEST_FUNCTION.hessian(np.zeros(2))).max()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = optimize.gradient_descent(TEST_FUNCTION.gradient, NEWTON_START, step=step,
                                        f=TEST_FUNCTION.value, tol=1e-12, max_iter=5000)
    return _opt.errors(run.history)


def _newton_plots(newton_errors: np.ndarray, gd_errors: np.ndarray, fit) -> dict:
    """Both methods over Newton's iterations, and Newton's e_{k+1} against e_k."""
    shown = len(newton_errors)
    current, following = newton_errors[:-1], newton_errors[1:]
    keep = (current < 0.5) & (following > 1e-13)
    return {"plots": [
        {"plot": "curves", "x": list(range(shown)), "logy": True,
         "curves": {"Newton (numeric.optimize.newton)": newton_errors.tolist(),
                    "gradient descent, backtracking from 1/L": gd_errors[:shown].tolist()},
         "title": "Distance to the minimiser during Newton's iterations",
         "xlabel": "iteration k", "ylabel": "|x_k - x*|"},
        {"plot": "loglog", "x": current[keep].tolist(), "y": following[keep].tolist(),
         "slope": fit.slope, "intercept": fit.intercept, "expected_slope": 2.0,
         "title": "Newton: e_{k+1} against e_k", "xlabel": "e_k = |x_k - x*|",
         "ylabel": "e_{k+1}"}]}


def newton_converges_quadratically(seed: int) -> Comparison:
    """Exponent p of e_{k+1} = C e_k^p for numeric.optimize.newton (p = 2) on a strictly
    convex f, against gradient descent's linear convergence (p = 1)."""
    run = optimize.newton(TEST_FUNCTION.gradient, TEST_FUNCTION.hessian, NEWTON_START,
                          tol=1e-15, max_iter=50)
    newton_errors, gd_errors = _opt.errors(run.history), _gradient_descent_errors()
    fit = _opt.convergence_order(newton_errors, below=0.5, above=1e-13)
    gd_fit = _opt.convergence_order(gd_errors[10:], below=0.5, above=1e-12)
    return Comparison(
        estimate=fit.slope, expected=2.0, tolerance=0.1,
        alternatives={"linear convergence, as gradient descent": 1.0},
        details=f"Newton: {fit}; {run.n_iter} iterations to |grad f| <= 1e-15; gradient "
                f"descent: {gd_fit}, {len(gd_errors) - 1} iterations to |grad f| <= 1e-12; "
                f"f = sum(e^x - x) + x^T A x / 2, A = [[10, 3], [3, 1]], x0 = (-2, 3)",
        data=_newton_plots(newton_errors, gd_errors, fit))


newton_stationary_point = Derivation(
    id="newton-step-solves-model-stationarity",
    notation={**NEWTON_NOTATION, "x": NEWTON_POINT, r"\nabla \tilde{f}": _model_gradient_at},
    title="a - H^{-1} grad f(a) solves grad tilde f(x) = 0 for the quadratic model",
    source=Source(LECTURE_NOTES, NEWTON_SECTION, QUADRATIC_QUOTE),
    start=Step(_model_gradient_at(NEWTON_POINT),
               r"\nabla \tilde{f}(x), \quad x = a - H(f)(a)^{-1} \nabla f(a)",
               "differentiate the quadratic model, then put x = a - H^{-1} grad f(a); "
               + NEWTON_SETTING),
    steps=[
        Step(g2 + HESSIAN * (NEWTON_POINT - a2), r"\nabla f(a) + H(f)(a) (x - a)",
             "H is symmetric"),
        Step(g2 - HESSIAN * HESSIAN.inv() * g2,
             r"\nabla f(a) - H(f)(a) H(f)(a)^{-1} \nabla f(a)", "x - a = -H^{-1} grad f(a)"),
        Step(sp.zeros(2, 1), r"0"),
    ],
    crosschecks=[CrossCheck("numeric.optimize.newton converges quadratically",
                            newton_converges_quadratically)],
    hypotheses=[QUADRATIC_MODEL, STRICTLY_CONVEX, DEFINITE_HESSIAN, dimension(2)],
)

def quadratic_model_minimum(seed: int) -> Comparison:
    """min of f(a) + g^T (x - a) + 1/2 (x - a)^T H (x - a) by BFGS against its value at
    a - H^{-1} g, for a random positive definite H."""
    rng = np.random.default_rng(seed)
    factor = np.tril(rng.normal(size=(2, 2)))
    np.fill_diagonal(factor, rng.uniform(0.5, 2.0, 2))
    hessian, g, a, value = factor @ factor.T, rng.normal(size=2), rng.normal(size=2), 0.7

    def model(x):
        return float(value + g @ (x - a) + 0.5 * (x - a) @ hessian @ (x - a))
    found = scipy.optimize.minimize(model, a, method="BFGS", options={"gtol": 1e-12}).fun
    newton_point = a - np.linalg.solve(hessian, g)
    return Comparison(
        estimate=float(found), expected=model(newton_point), tolerance=1e-9,
        alternatives={"f(a) - g^T H^{-1} g (the 1/2 dropped)":
                      value - float(g @ np.linalg.solve(hessian, g)),
                      "the model at the gradient step a - g / lambda_max(H)":
                      model(a - g / np.linalg.eigvalsh(hessian).max())},
        details="H = L L^T with L random lower triangular, positive diagonal; BFGS from a")


newton_model_minimum = Derivation(
    id="newton-step-minimises-quadratic-model",
    notation={**NEWTON_NOTATION, "x": x2, "x^*": NEWTON_POINT, "L": CHOLESKY,
              r"\tilde{f}": quadratic_model},
    title="For H > 0 the Newton point is the minimum of the quadratic model",
    source=Source(LECTURE_NOTES, NEWTON_SECTION,
                  r"當 $f$ 是 strictly convex 時,我們可以去解 $\nabla \tilde{f}(x) = 0$,來找到 "
                  r"$\tilde{f}(x)$ 的最小值"),
    start=Step(quadratic_model(x2), r"\tilde{f}(x)", NEWTON_SETTING),
    steps=[
        Step(quadratic_model(NEWTON_POINT)
             + HALF * _dot(CHOLESKY.T * (x2 - NEWTON_POINT), CHOLESKY.T * (x2 - NEWTON_POINT)),
             r"\tilde{f}(x^*) + \frac{1}{2} |L^T (x - x^*)|^2, \quad x^* = a - H(f)(a)^{-1} "
             r"\nabla f(a)", "complete the square, H = L L^T"),
        Step(quadratic_model(NEWTON_POINT), r"\tilde{f}(x^*)", "a square is non-negative",
             relation=">="),
    ],
    crosschecks=[CrossCheck("BFGS minimum of the quadratic model", quadratic_model_minimum)],
    hypotheses=[QUADRATIC_MODEL, STRICTLY_CONVEX, DEFINITE_HESSIAN, dimension(2)],
)


# A strictly convex f whose Hessian is singular at a: f(x) = x1^4 + x1 + x2^2 at a = 0.
quartic_vars = sp.symbols("x1 x2", real=True)
QUARTIC = quartic_vars[0] ** 4 + quartic_vars[0] + quartic_vars[1] ** 2
_AT_ZERO = dict.fromkeys(quartic_vars, 0)
QUARTIC_GRADIENT = sp.Matrix([sp.diff(QUARTIC, v) for v in quartic_vars]).subs(_AT_ZERO)
QUARTIC_HESSIAN = sp.hessian(QUARTIC, quartic_vars).subs(_AT_ZERO)
QUARTIC_MODEL_GRADIENT = QUARTIC_GRADIENT + QUARTIC_HESSIAN * sp.Matrix(quartic_vars)


def singular_model_has_no_stationary_point(seed: int) -> Comparison:
    """min |d f~ / d x1| over 1000 random x1 for the model of x1^4 + x1 + x2^2 at 0, the
    model's derivatives by central differences of f: 1 (the gradient never vanishes)."""
    def quartic(v):
        return float(v[0] ** 4 + v[0])  # the x1 part of f
    origin, unit = np.zeros(1), np.ones(1)
    slope = _opt.central_difference(quartic, origin, unit, h=1e-4)
    curvature = (quartic(origin + 1e-4) - 2 * quartic(origin) + quartic(origin - 1e-4)) / 1e-8
    points = np.random.default_rng(seed).normal(0.0, 10.0, 1000)
    smallest = float(np.min(np.abs(slope + curvature * points)))
    return Comparison(
        estimate=smallest, expected=1.0, tolerance=1e-4,
        alternatives={"the notes: grad f~ vanishes at a - H^{-1} grad f(a)": 0.0},
        details=f"f'(0) = {slope:.8g}, f''(0) = {curvature:.3g} by central differences; "
                "1000 points x ~ N(0, 100)")


newton_needs_definite_hessian = Derivation(
    id="newton-step-needs-positive-definite-hessian",
    notation={"a": sp.zeros(2, 1), "x": sp.Matrix(quartic_vars), "x_2": quartic_vars[1],
              r"\nabla \tilde{f}": known_at((sp.Matrix(quartic_vars), QUARTIC_MODEL_GRADIENT)),
              r"\nabla f": known_at((sp.zeros(2, 1), QUARTIC_GRADIENT)),
              "f": known_at(), "H": lambda function: known_at((sp.zeros(2, 1), QUARTIC_HESSIAN))},
    title="Strict convexity does not give the quadratic model a minimum: H(f)(a) may be singular",
    source=Source(LECTURE_NOTES, NEWTON_SECTION,
                  r"當 $f$ 是 strictly convex 時,我們可以去解 $\nabla \tilde{f}(x) = 0$,來找到 "
                  r"$\tilde{f}(x)$ 的最小值"),
    start=Step(QUARTIC_MODEL_GRADIENT,
               r"\nabla \tilde{f}(x) = \nabla f(a) + H(f)(a) (x - a)",
               "f(x) = x1^4 + x1 + x2^2 is strictly convex (its Hessian diag(12 x1^2, 2) is "
               "singular only on x1 = 0); at a = 0: grad f(0) = (1, 0), H(f)(0) = diag(0, 2)"),
    steps=[Step(sp.zeros(2, 1), r"0",
                "the notes: solve grad f~(x) = 0 to find the minimum of f~")],
    expected=erratum(Correction(
        1, Step(sp.Matrix([1, 2 * quartic_vars[1]]), r"(1, 2 x_2)"),
        "strict convexity of f does not make H(f)(a) invertible: for x1^4 + x1 + x2^2 at a = 0 "
        "the model is f~(x) = x1 + x2^2, whose gradient (1, 2 x2) never vanishes: no "
        "stationary point, no minimum, and H(f)(a)^{-1} does not exist. Newton's step needs "
        "H(f)(a) positive definite (newton-step-solves-model-stationarity, newton-step-minimises-quadratic-model)")),
    crosschecks=[CrossCheck("the model's gradient never vanishes",
                            singular_model_has_no_stationary_point)],
    hypotheses=[QUADRATIC_MODEL, STRICTLY_CONVEX],
)


# ================================================================ Levenberg-Marquardt

lam, m1, m2 = sp.symbols("lambda m1 m2", positive=True)   # m_k = h_k + lambda > 0
vartheta = sp.Symbol("vartheta", real=True)
EIGEN_HESSIAN = sp.diag(m1 - lam, m2 - lam)  # H = diag(h1, h2), h_k = m_k - lambda of any sign
GRADIENT = _polar(r, vartheta)

def _double_well(x: np.ndarray) -> float:
    """f(x) = x1^4/4 - x1^2/2 + x2^2/2 + x1 x2 / 2: its Hessian is indefinite for x1^2 < 5/12."""
    return float(x[0] ** 4 / 4 - x[0] ** 2 / 2 + x[1] ** 2 / 2 + x[0] * x[1] / 2)


def _double_well_derivatives(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    gradient = np.array([x[0] ** 3 - x[0] + x[1] / 2, x[1] + x[0] / 2])
    return gradient, np.array([[3 * x[0] ** 2 - 1, 0.5], [0.5, 1.0]])


def _descends(x: np.ndarray, damping: float) -> bool:
    """Whether the slope of f along -(H + damping I)^{-1} grad f (central differences) is < 0."""
    gradient, hessian = _double_well_derivatives(x)
    direction = -np.linalg.solve(hessian + damping * np.eye(2), gradient)
    return _opt.central_difference(_double_well, x, direction) < 0


def damped_newton_descends(seed: int) -> Comparison:
    """Fraction of points with an indefinite Hessian where the damped direction descends."""
    rng = np.random.default_rng(seed)
    points = np.column_stack([rng.uniform(-0.6, 0.6, 400), rng.normal(0.0, 1.0, 400)])
    points = [x for x in points if np.linalg.eigvalsh(_double_well_derivatives(x)[1])[0] < 0]
    dampings = [-np.linalg.eigvalsh(_double_well_derivatives(x)[1])[0] + rng.uniform(0.05, 2.0)
                for x in points]
    return Comparison(
        estimate=float(np.mean([_descends(x, lam) for x, lam in zip(points, dampings, strict=False)])),
        expected=1.0, tolerance=0.0,
        alternatives={"Newton's direction without damping (lambda = 0) descends":
                      float(np.mean([_descends(x, 0.0) for x in points]))},
        details=f"{len(points)} points of f = x1^4/4 - x1^2/2 + x2^2/2 + x1 x2/2 with an "
                "indefinite Hessian; lambda = -lambda_min(H) + U(0.05, 2); slopes by central "
                "differences")


levenberg_marquardt_descent = Derivation(
    id="levenberg-marquardt-descent-direction",
    notation={r"\nabla f": GRADIENT, "f": known_at(), "H": lambda function: EIGEN_HESSIAN,
              "I": sp.eye(2), "m_1": m1, "m_2": m2, r"\lambda": lam},
    title="With H + lambda I > 0 the damped Newton direction is a descent direction",
    source=Source(LECTURE_NOTES, NEWTON_SECTION,
                  r"選一個足夠大的 $\lambda$,可以確保 $H(f)(x^{(k)}) + \lambda I \succ 0$,"
                  r"使得方向為下降方向"),
    start=Step(_dot(GRADIENT, (EIGEN_HESSIAN + lam * sp.eye(2)).inv() * GRADIENT),
               r"\nabla f^T (H(f) + \lambda I)^{-1} \nabla f",
               "minus the slope of f along d = -(H + lambda I)^{-1} grad f. d = 2, in the "
               "orthonormal eigenbasis of the symmetric H (a rotation of coordinates leaves "
               "this number unchanged): H = diag(h1, h2), h_k of any sign; lambda large "
               "enough means m_k = h_k + lambda > 0; grad f = r (cos vartheta, sin vartheta), "
               "r > 0: every non-zero gradient"),
    steps=[
        Step(r**2 * (sp.cos(vartheta) ** 2 / m1 + sp.sin(vartheta) ** 2 / m2),
             r"|\nabla f|^2 \left(\frac{\cos^2 \vartheta}{m_1} + \frac{\sin^2 \vartheta}{m_2}"
             r"\right)", "H + lambda I = diag(m1, m2)"),
        Step(r**2 * (sp.cos(vartheta) ** 2 + sp.sin(vartheta) ** 2) / (m1 + m2),
             r"\frac{|\nabla f|^2 (\cos^2 \vartheta + \sin^2 \vartheta)}{m_1 + m_2}",
             "1/m_k >= 1/(m1 + m2)", relation=">="),
        Step(r**2 / (m1 + m2), r"\frac{|\nabla f|^2}{m_1 + m_2}"),
        Step(sp.S.Zero, r"0", "so grad f^T d < 0: a descent direction", relation=">"),
    ],
    crosschecks=[CrossCheck("damped Newton directions descend where H is indefinite",
                            damped_newton_descends)],
    hypotheses=[DAMPED_DEFINITE, SYMMETRIC_HESSIAN, NONZERO_GRADIENT_LM, dimension(2)],
)


# ================================================================ perceptron

PERCEPTRON_SECTION = "Perceptron Learning Algorithm"
k = sp.Symbol("k", integer=True)
t_ = sp.Symbol("t", integer=True, positive=True)   # the iteration of w^{(t)}, x^t, y^t
label = (-1) ** k                          # y^t in {-1, 1}
w2 = _column("w", 2, real=True)
rho, alpha = sp.Symbol("rho", positive=True), sp.Symbol("alpha", real=True)
x_polar = _polar(rho, alpha)               # every non-zero x^t in R^2

tie = sp.Symbol("j", integer=True)
strict = (1 + (-1) ** tie) / 2             # |hat y^t|: 1, or 0 at a tie w^T x = 0 (sign(0) = 0)
mistaken_prediction = -label * strict      # every hat y^t in {-1, 0, 1} with hat y^t != y^t

# Cross-checks: the notes' rule w <- w + eta (y - sign(w^T x)) x (numpy's sign, sign(0) = 0)
# from w = 0 on 20 separable points x~ = [x; 1] in R^3, eta = 0.1, until an epoch is clean.
PERCEPTRON_STEP = 0.1


def _separable_data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    points = rng.normal(size=(20, 2))
    labels = np.where(points @ np.array([1.0, -0.6]) + 0.3 >= 0, 1.0, -1.0)
    return np.column_stack([points, np.ones(20)]), labels


def _perceptron_mistakes(seed: int) -> list[tuple[np.ndarray, np.ndarray, float, float]]:
    """(w before, x, y, hat y) at every update of the notes' rule, for up to 50 epochs."""
    features, labels = _separable_data(seed)
    w, mistakes = np.zeros(3), []
    for _ in range(50):
        clean = True
        for x, label in zip(features, labels, strict=False):
            prediction = float(np.sign(w @ x))
            if prediction != label:
                mistakes.append((w.copy(), x, label, prediction))
                w = w + PERCEPTRON_STEP * (label - prediction) * x
                clean = False
        if clean:
            break
    return mistakes


def perceptron_updates(seed: int) -> Comparison:
    """Every update of the rule against eta (1 + |hat y|) y x and the notes' 2 eta y x."""
    mistakes = _perceptron_mistakes(seed)
    measured = [PERCEPTRON_STEP * (y_ - p) * x for _, x, y_, p in mistakes]
    return projected_comparison(
        measured, [PERCEPTRON_STEP * (1 + abs(p)) * y_ * x for _, x, y_, p in mistakes],
        {"the notes' 2 eta y^t x^t on every mistake":
         [2 * PERCEPTRON_STEP * y_ * x for _, x, y_, _p in mistakes]},
        seed=seed, relative_tolerance=1e-12,
        details=f"{len(mistakes)} updates from w = 0 on 20 separable points; "
                f"{sum(p == 0 for *_, p in mistakes)} of them at a tie w^T x = 0")


def _strict_mistakes_on_positive_labels(seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(w, x) with y = 1 and w^T x < 0, from random draws."""
    rng = np.random.default_rng(seed)
    w, x = rng.normal(size=(400, 2)), rng.normal(size=(400, 2))
    keep = np.sum(w * x, axis=1) < 0
    return list(zip(w[keep], x[keep], strict=False))


def perceptron_new_score(seed: int) -> Comparison:
    """(w + 2 eta x)^T x computed from the updated weights against w^T x + 2 eta |x|^2."""
    pairs = _strict_mistakes_on_positive_labels(seed)
    return projected_comparison(
        [(w + 2 * PERCEPTRON_STEP * x) @ x for w, x in pairs],
        [w @ x + 2 * PERCEPTRON_STEP * x @ x for w, x in pairs],
        {"w^T x + eta |x|^2 (c without the 2)": [w @ x + PERCEPTRON_STEP * x @ x
                                                 for w, x in pairs]},
        seed=seed, relative_tolerance=1e-12,
        details=f"{len(pairs)} random w, x in R^2 with y = 1 and w^T x < 0, eta = 0.1")


def perceptron_score_rise(seed: int) -> Comparison:
    """The rise of w^T x over an update of the rule on y = 1 mistakes, against c = 2 eta |x|^2."""
    pairs = _strict_mistakes_on_positive_labels(seed)
    rises = [(w + PERCEPTRON_STEP * (1 - np.sign(w @ x)) * x) @ x - w @ x for w, x in pairs]
    return projected_comparison(
        rises, [2 * PERCEPTRON_STEP * x @ x for _, x in pairs],
        {"no change of the score": np.zeros(len(pairs)),
         "eta |x|^2": [PERCEPTRON_STEP * x @ x for _, x in pairs]},
        seed=seed, relative_tolerance=1e-12,
        details=f"{len(pairs)} random w, x in R^2 with y = 1 and w^T x < 0, eta = 0.1; "
                f"smallest rise {min(rises):.3g}")


PERCEPTRON_TIE = (
    "a mistake is hat y^t = sign(w^{(t)T} x^t) != y^t; with sign(0) = 0 (the notes give no "
    "other convention) that is hat y^t = -y^t, or hat y^t = 0 when w^{(t)T} x^t = 0, as at the "
    "usual start w^{(0)} = 0.  Then the update is w + eta y x, not w + 2 eta y x.  Corrected: "
    "w + eta (1 + |hat y^t|) y^t x^t, which is the notes' w + 2 eta y^t x^t exactly when "
    "w^{(t)T} x^t != 0")

perceptron_update = Derivation(
    id="perceptron-update-on-mistake",
    notation={"w": known_at((t_, w2)), "x": known_at((t_, x2)), "y": known_at((t_, label)),
              r"\hat{y}": known_at((t_, mistaken_prediction))},
    title="On a mistake the perceptron update is w + 2 eta y x, unless w^T x = 0",
    source=Source(LECTURE_NOTES, PERCEPTRON_SECTION,
                  r"如果 $\hat{y}^t \ne y^t$,得到 $w^{(t+1)} = w^{(t)} + 2 \eta y^t x^t$"),
    start=Step(w2 + eta * (label - mistaken_prediction) * x2,
               r"w^{(t)} + \eta (y^t - \hat{y}^t) x^t",
               "y^t = (-1)^k in {-1, 1}; a mistake: hat y^t = sign(w^T x) != y^t, so hat y^t = "
               "-e y^t with e = (1 + (-1)^j)/2 in {0, 1} (e = 0: a tie, sign(0) = 0); d = 2"),
    steps=[Step(w2 + 2 * eta * label * x2, r"w^{(t)} + 2 \eta y^t x^t")],
    expected=erratum(Correction(
        1, Step(w2 + eta * (1 + strict) * label * x2,
                r"w^{(t)} + \eta (1 + |\hat{y}^t|) y^t x^t"),
        PERCEPTRON_TIE)),
    crosschecks=[CrossCheck("the rule's updates from w = 0 on separable data",
                            perceptron_updates)],
    hypotheses=[LABELS, SIGN_PREDICTION, MISTAKE, STEP_SIGN, NO_TIE, dimension(2)],
)

perceptron_sign_chain = Derivation(
    id="perceptron-sign-chain-positive-label",
    notation={"w": known_at((t_, w2), (t_ + 1, w2 + 2 * eta * x2)), "x": known_at((t_, x2)),
              "c": 2 * eta * _dot(x2, x2)},
    title="After a mistake on y = 1 the new score is the old one plus 2 eta |x|^2",
    source=Source(LECTURE_NOTES, PERCEPTRON_SECTION,
                  r"\text{sign}(w^{(t+1)T} x^t) &= \text{sign}((w^{(t)} + 2 \eta x^t)^T x^t) "
                  r"\newline &= \text{sign}(w^{(t)T} x^t + 2 \eta |x^t|^2) \newline &= "
                  r"\text{sign}(w^{(t)T} x^t + c)"),
    start=Step(sp.sign(_dot(w2 + 2 * eta * x2, x2)), r"\text{sign}(w^{(t+1)T} x^t)",
               "w^{(t+1)} = w^{(t)} + 2 eta x^t for y^t = 1 (perceptron-update-on-mistake)"),
    steps=[
        Step(sp.sign(_dot(w2 + 2 * eta * x2, x2)), r"\text{sign}((w^{(t)} + 2 \eta x^t)^T x^t)"),
        Step(sp.sign(_dot(w2, x2) + 2 * eta * _dot(x2, x2)),
             r"\text{sign}(w^{(t)T} x^t + 2 \eta |x^t|^2)", "expand the inner product"),
        Step(sp.sign(_dot(w2, x2) + 2 * eta * _dot(x2, x2)), r"\text{sign}(w^{(t)T} x^t + c)",
             "c = 2 eta |x^t|^2 (perceptron-score-increases: c > 0)"),
    ],
    crosschecks=[CrossCheck("the new score from the updated weights", perceptron_new_score)],
    hypotheses=[POSITIVE_LABEL, MISTAKE_UPDATE, STEP_SIGN, dimension(2)],
)

perceptron_score = Derivation(
    id="perceptron-score-increases",
    notation={"w": known_at((t_, w2), (t_ + 1, w2 + 2 * eta * x_polar)),
              "x": known_at((t_, x_polar))},
    title="c = 2 eta |x|^2 > 0: the update raises the score w^T x of the misclassified point",
    source=Source(LECTURE_NOTES, PERCEPTRON_SECTION,
                  r"因為 $c > 0$,所以 $\text{sign}(w^{(t+1)T} x^t)$ 會傾向於變成 1"),
    start=Step(_dot(w2 + 2 * eta * x_polar, x_polar), r"w^{(t+1)T} x^t",
               "y^t = 1; x^t = rho (cos alpha, sin alpha) != 0, rho > 0"),
    steps=[
        Step(_dot(w2, x_polar) + 2 * eta * _dot(x_polar, x_polar),
             r"w^{(t)T} x^t + 2 \eta |x^t|^2"),
        Step(_dot(w2, x_polar), r"w^{(t)T} x^t", "2 eta |x^t|^2 = 2 eta rho^2 > 0",
             relation=">"),
    ],
    crosschecks=[CrossCheck("the rise of the score over an update", perceptron_score_rise)],
    hypotheses=[POSITIVE_LABEL, MISTAKE_UPDATE, NONZERO_INPUT, STEP_SIGN, dimension(2)],
)


# ================================================================ Adaline

ADALINE_SECTION = "ADAptive LInear NEuron (Adaline)"
N = sp.Symbol("N", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
X, y = sp.IndexedBase("X", real=True), sp.IndexedBase("y", real=True)
weights = sp.symbols("w1 w2", real=True)
residual = y[i] - weights[0] * X[i, 1] - weights[1] * X[i, 2]       # y_i - w^T x_i, d = 2
COST = HALF * sp.Sum(residual**2, (i, 1, N))


def _over_data(term) -> sp.Sum:
    return sp.Sum(term, (i, 1, N))


ADALINE_DATA = ("N data points (symbolic N), x_i = (X[i, 1], X[i, 2]); the cost C(w) = "
                "1/2 sum_i (y_i - w^T x_i)^2")

# Cross-checks: N = 30 points in d = 3, x ~ N(0, I), y = x^T (1, -2, 0.5) + N(0, 0.25).


def _adaline_data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    features = rng.standard_normal((30, 3))
    return features, features @ np.array([1.0, -2.0, 0.5]) + 0.5 * rng.standard_normal(30)


def adaline_gradient_matches(seed: int) -> Comparison:
    """Finite-difference gradient of 1/2 sum (y_i - w^T x_i)^2 against -sum (y_i - w^T x_i) x_i."""
    features, labels = _adaline_data(seed)
    w = np.random.default_rng(seed + 1).standard_normal(3)

    def cost(v):
        return 0.5 * np.sum((labels - features @ v) ** 2)
    numeric_gradient = np.array([_opt.central_difference(cost, w, e) for e in np.eye(3)])
    claimed = -features.T @ (labels - features @ w)
    deviation = np.linalg.norm(numeric_gradient - claimed) / np.linalg.norm(claimed)
    return Comparison(
        estimate=float(deviation), expected=0.0, tolerance=1e-8,
        alternatives={"the gradient is +sum (y_i - w^T x_i) x_i (the rule would ascend)": 2.0,
                      "the cost has no 1/2 (gradient twice the formula)": 1.0},
        details="|numeric gradient - formula| / |formula|, central differences, N = 30, d = 3")


adaline_gradient_descent = Derivation(
    id="adaline-update-is-gradient-descent",
    notation={"w": known_at((t_, sp.Matrix(weights))), "x": lambda n: sp.Matrix([X[n, 1], X[n, 2]]),
              r"\nabla_w": weights},
    title="Adaline's update rule is gradient descent on 1/2 sum (y_i - w^T x_i)^2",
    source=Source(LECTURE_NOTES, ADALINE_SECTION,
                  r"\arg\min_{w} \frac{1}{2} \sum_{i=1}^{N} (y_i - w^T x_i)^2; \quad w^{(t+1)} = "
                  r"w^{(t)} + \eta \sum_{i=1}^{N} (y_i - w^{(t)T} x_i) x_i"),
    start=Step(sp.Matrix(weights) - eta * sp.Matrix([sp.Derivative(COST, v) for v in weights]),
               r"w^{(t)} - \eta \nabla_w \frac{1}{2} \sum_{i=1}^{N} (y_i - w^{(t)T} x_i)^2",
               "a gradient step on the cost; " + ADALINE_DATA + ", d = 2"),
    steps=[
        Step(sp.Matrix(weights) - eta * sp.Matrix([-_over_data(residual * X[i, j])
                                                   for j in (1, 2)]),
             r"w^{(t)} - \eta \left(-\sum_{i=1}^{N} (y_i - w^{(t)T} x_i) x_i\right)",
             "d/dw_j 1/2 (y_i - w^T x_i)^2 = -(y_i - w^T x_i) X[i, j]"),
        Step(sp.Matrix(weights) + eta * sp.Matrix([_over_data(residual * X[i, j])
                                                   for j in (1, 2)]),
             r"w^{(t)} + \eta \sum_{i=1}^{N} (y_i - w^{(t)T} x_i) x_i", "the notes' rule"),
    ],
    crosschecks=[CrossCheck("finite-difference gradient of the cost", adaline_gradient_matches)],
    hypotheses=[ADALINE_COST, STEP_SIGN, dimension(2)],
)

curvature = sp.Symbol("S", positive=True)
error = sp.Symbol("e_t", positive=True)     # |w^{(t)} - w*| > 0: not yet at the minimum
w_star = sp.Symbol("w_star", real=True)
q = sp.Symbol("q", positive=True)
STRICT_STEP = 2 / (curvature * (1 + q))     # every step 0 < eta < 2 / S


def _squared_error_after_step(step) -> sp.Expr:
    """(w^{(t+1)} - w*)^2 = (e_t - step S e_t)^2 for a single feature (d = 1)."""
    return (error - step * curvature * error) ** 2


CONVERGENCE_EXPLANATION = (
    "convexity alone does not make a fixed step converge: each step multiplies the error by "
    "1 - eta S (S = sum_i x_i^2, the curvature of C), so (w^{(t+1)} - w*)^2 = e_t^2 - "
    "eta S (2 - eta S) e_t^2, which is below e_t^2 exactly when 0 < eta < 2/S (in d "
    "dimensions eta < 2 / lambda_max(sum_i x_i x_i^T)); at eta = 2/S the iterates oscillate "
    "about w* (w^{(t+1)} - w* = -(w^{(t)} - w*)) and for larger eta they diverge. "
    "adaline-converges-for-small-steps proves the contraction for 0 < eta < 2/S")

RULE_SETTING = ("one feature (d = 1): grad C(w) = S (w - w*) with S = sum_i x_i^2 > 0 and w* "
                "the least-squares weight, so w^{(t+1)} - w* = (1 - eta S) e_t, e_t = "
                "|w^{(t)} - w*| > 0")


def adaline_critical_step(seed: int) -> Comparison:
    """The step where the notes' rule stops converging, in units of 2 / lambda_max."""
    features, labels = _adaline_data(seed)
    limit = 2.0 / np.linalg.eigvalsh(features.T @ features).max()
    critical = _opt.critical_step(features, labels, low=0.5 * limit, high=4.0 * limit,
                                  steps=3000)
    return Comparison(
        estimate=critical / limit, expected=1.0, tolerance=0.01,
        alternatives={"the notes: convex, so it converges for every step tried (up to 4 x)": 4.0},
        details=f"bisection on eta for |w_3000 - w_LS| < 1e-6 |w_LS| from w = 0; 2 / lambda_max "
                f"= {limit:.5g}; N = 30, d = 3",
        data=_adaline_curves(features, labels, limit))


def _adaline_curves(features: np.ndarray, labels: np.ndarray, limit: float) -> dict:
    steps = 200
    curves = {f"eta = {c:g} x 2/lambda_max": _opt.adaline_distances(features, labels, c * limit,
                                                                    steps).tolist()
              for c in (0.5, 0.95, 1.0, 1.05)}
    return {"plot": "curves", "x": list(range(steps + 1)), "logy": True, "curves": curves,
            "title": "Adaline's rule: relative distance to the least-squares weights",
            "xlabel": "iteration t", "ylabel": "|w_t - w_LS| / |w_LS|"}


def adaline_contraction_rate(seed: int) -> Comparison:
    """The per-step factor of |w_t - w_LS| at eta = 1.9 / lambda_max, fitted on t = 100..300,
    against max_i |1 - eta lambda_i| of sum_i x_i x_i^T."""
    features, labels = _adaline_data(seed)
    eigenvalues = np.linalg.eigvalsh(features.T @ features)
    step = 1.9 / eigenvalues.max()
    distances = _opt.adaline_distances(features, labels, step, 300)[100:]
    slope = float(np.polyfit(np.arange(distances.size), np.log(distances), 1)[0])
    return Comparison(
        estimate=float(np.exp(slope)), expected=float(np.max(np.abs(1 - step * eigenvalues))),
        tolerance=1e-3,
        alternatives={"no contraction (the error does not shrink)": 1.0,
                      "1 - eta lambda_min (the slowest direction only)":
                      float(1 - step * eigenvalues.min())},
        details=f"eta = 1.9 / lambda_max = {step:.4g}; eigenvalues of X^T X "
                f"{np.round(eigenvalues, 3).tolist()}; N = 30, d = 3")


adaline_convergence = Derivation(
    id="adaline-convergence-needs-small-step",
    notation={"w": known_at((t_, w_star + error), (t_ + 1, w_star + (1 - eta * curvature) * error)),
              "w^*": w_star},
    title="Adaline converges only for eta < 2 / lambda_max, not because the cost is convex",
    source=Source(LECTURE_NOTES, ADALINE_SECTION,
                  r"因為 Cost function 是 Convex 的,所以可以保證可以收斂到全域最小值"),
    start=Step(_squared_error_after_step(eta), r"(w^{(t+1)} - w^*)^2 = (1 - \eta S)^2 e_t^2",
               RULE_SETTING + "; any step eta > 0"),
    steps=[Step(error**2, r"(w^{(t)} - w^*)^2",
                "the notes: the cost is convex, so the rule converges: every step brings w "
                "closer to w* (with a constant factor (1 - eta S)^2 that is convergence)",
                relation="<")],
    expected=erratum(Correction(
        1, Step(error**2 - eta * curvature * (2 - eta * curvature) * error**2,
                r"e_t^2 - \eta S (2 - \eta S) e_t^2"),
        CONVERGENCE_EXPLANATION)),
    crosschecks=[CrossCheck("the step where the rule stops converging", adaline_critical_step)],
    hypotheses=[ADALINE_COST, CONVEX_COST, CURVATURE, STEP_SIGN],
)

adaline_small_step = Derivation(
    id="adaline-converges-for-small-steps",
    notation={"S": curvature, r"\eta": eta},
    title="For 0 < eta < 2/S each Adaline step contracts the error: the corrected claim",
    source=Source(LECTURE_NOTES, ADALINE_SECTION,
                  r"因為 Cost function 是 Convex 的,所以可以保證可以收斂到全域最小值"),
    start=Step(_squared_error_after_step(STRICT_STEP),
               r"(1 - \eta S)^2 e_t^2, \quad \eta = \frac{2}{S (1 + q)}, \; q > 0",
               RULE_SETTING + "; every step 0 < eta < 2/S is 2 / (S (1 + q)) with q > 0"),
    steps=[
        Step((q - 1) ** 2 / (q + 1) ** 2 * error**2,
             r"\left(\frac{q - 1}{q + 1}\right)^2 e_t^2", "1 - eta S = (q - 1) / (q + 1)"),
        Step(error**2, r"e_t^2", "|q - 1| < q + 1 for q > 0: a constant factor below 1, so "
             "the error falls geometrically", relation="<"),
    ],
    crosschecks=[CrossCheck("the fitted contraction factor at eta = 1.9 / lambda_max",
                            adaline_contraction_rate)],
    hypotheses=[ADALINE_COST, CURVATURE, SMALL_STEP],
)


# ================================================================ dual problem

DUAL_SECTION = "Dual Problem"
A_MATRIX = sp.Matrix(2, 3, lambda p, c: sp.Symbol(f"A{p + 1}{c + 1}", real=True))
b_vec = _column("b", 2, real=True)
multipliers = _column("alpha", 2, nonnegative=True)
x3 = _column("x", 3, real=True)
STATIONARY = A_MATRIX.T * multipliers
DUAL_OBJECTIVE = -HALF * _dot(STATIONARY, STATIONARY) + _dot(b_vec, multipliers)
DUAL_SETTING = "n = 2 constraints, d = 3 unknowns, A and b real, alpha >= 0"


def lagrangian(x: sp.Matrix) -> sp.Expr:
    r"""\mathcal{L}(x, \alpha) = 1/2 |x|^2 + \alpha^T (b - A x)."""
    return HALF * _dot(x, x) + _dot(multipliers, b_vec - A_MATRIX * x)


def lagrangian_gradient_at_points(seed: int) -> Comparison:
    """Central differences of L(x, alpha) = 1/2 |x|^2 + alpha^T (b - A x) in x against
    x - A^T alpha, at 30 random (A, b, alpha >= 0, x)."""
    rng = np.random.default_rng(seed)
    measured, claimed, slip, points = [], [], [], []
    for _ in range(30):
        A, b = rng.normal(size=(2, 3)), rng.normal(size=2)
        alpha_, x = rng.uniform(0.0, 2.0, 2), rng.normal(size=3)

        def lagrange(z, A=A, b=b, alpha_=alpha_):
            return float(0.5 * z @ z + alpha_ @ (b - A @ z))
        measured.append([_opt.central_difference(lagrange, x, e) for e in np.eye(3)])
        claimed.append(x - A.T @ alpha_)
        slip.append(x + A.T @ alpha_)
        points.append(x)
    return projected_comparison(
        measured, claimed, {"x + A^T alpha (a sign slip)": slip,
                            "x (the constraint term dropped)": points},
        seed=seed, relative_tolerance=1e-8,
        details="central differences (h = 1e-5) in each coordinate of x; n = 2, d = 3")


dual_stationarity = Derivation(
    id="dual-example-stationarity",
    notation={"x": x3, "A": A_MATRIX, "b": b_vec, r"\alpha": multipliers},
    title="The Lagrangian's gradient in x is x - A^T alpha: it vanishes at x = A^T alpha",
    source=Source(LECTURE_NOTES, DUAL_SECTION, r"對 $x$ 求導並設為 0,得到 $x = A^T \alpha$"),
    start=Step(sp.Matrix([sp.diff(lagrangian(x3), v) for v in x3]),
               r"\nabla_x \left(\frac{1}{2} |x|^2 + \alpha^T (b - Ax)\right)", DUAL_SETTING),
    steps=[Step(x3 - STATIONARY, r"x - A^T \alpha")],
    crosschecks=[CrossCheck("central differences of the Lagrangian at random points",
                            lagrangian_gradient_at_points)],
    hypotheses=[DUAL_PROBLEM, MULTIPLIERS],
)

# Cross-check: n = 3 constraints, d = 6 unknowns, A ~ N(0, 1), b ~ U(0.5, 1.5).


def strong_duality(seed: int) -> Comparison:
    """d* = max_{alpha >= 0} -1/2 |A^T alpha|^2 + b^T alpha (L-BFGS-B) against p* (SLSQP)."""
    rng = np.random.default_rng(seed)
    A, b = rng.standard_normal((3, 6)), rng.uniform(0.5, 1.5, 3)
    primal, x_star = _opt.primal_optimum(A, b)
    dual, alpha_star = _opt.dual_optimum(A, b)
    slip, _ = _opt.dual_optimum(A, b, half=1.0)
    return Comparison(
        estimate=dual, expected=primal, tolerance=1e-7 * max(1.0, abs(primal)),
        alternatives={"the dual without the 1/2, max b^T alpha - |A^T alpha|^2": slip,
                      "the unconstrained minimum of 1/2 |x|^2": 0.0},
        details=f"p* = {primal:.10g} (SLSQP), d* = {dual:.10g} (L-BFGS-B); |x* - A^T alpha*| "
                f"= {np.linalg.norm(x_star - A.T @ alpha_star):.2g}; A ~ N(0, 1) 3 x 6, "
                f"b ~ U(0.5, 1.5)")


dual_function = Derivation(
    id="dual-example-dual-function",
    notation={"x": x3, "A": A_MATRIX, "b": b_vec, r"\alpha": multipliers,
              r"\mathcal{L}": lambda x, multiplier: lagrangian(x)},
    title="min_x L(x, alpha) = -1/2 |A^T alpha|^2 + b^T alpha, attained at x = A^T alpha",
    source=Source(LECTURE_NOTES, DUAL_SECTION,
                  r"\text{argmax}_{\alpha, \alpha \geq 0} \text{min}_x \frac{1}{2} |x|^2 + "
                  r"\alpha^T (b - Ax) \quad \Rightarrow \quad \text{argmax}_{\alpha, \alpha "
                  r"\geq 0} -\frac{1}{2} |A^T \alpha|^2 + b^T \alpha"),
    start=Step(lagrangian(x3), r"\frac{1}{2} |x|^2 + \alpha^T (b - Ax)", DUAL_SETTING),
    steps=[
        Step(lagrangian(STATIONARY) + HALF * _dot(x3 - STATIONARY, x3 - STATIONARY),
             r"\mathcal{L}(A^T \alpha, \alpha) + \frac{1}{2} |x - A^T \alpha|^2",
             "complete the square in x"),
        Step(lagrangian(STATIONARY),
             r"\frac{1}{2} |A^T \alpha|^2 + \alpha^T (b - A A^T \alpha)",
             "the minimum over x, at x = A^T alpha (dual-example-stationarity)",
             relation=">="),
        Step(DUAL_OBJECTIVE, r"-\frac{1}{2} |A^T \alpha|^2 + b^T \alpha",
             "alpha^T A A^T alpha = |A^T alpha|^2"),
    ],
    crosschecks=[CrossCheck("strong duality on a random instance", strong_duality)],
    hypotheses=[DUAL_PROBLEM, MULTIPLIERS],
)


# ================================================================ R^2 and RSE

REGRESSION_SECTION = "The Regression Problem"
prediction = sp.IndexedBase("f", real=True)          # f(x_i)
mean_y = _over_data(y[i]) / N


def _squared_errors(predicted) -> sp.Sum:
    return _over_data((y[i] - predicted) ** 2)


def _predictions(model):
    """f(x_i) for the model f (an IndexedBase of predictions), or a constant prediction."""
    return model[i] if isinstance(model, sp.IndexedBase) else model


def relative_squared_error(predicted) -> sp.Expr:
    r"""RSE = \sum_i (y_i - f(x_i))^2 / \sum_i (y_i - \bar y)^2."""
    return _squared_errors(predicted) / _squared_errors(mean_y)


def r_squared_is_squared_correlation(seed: int) -> Comparison:
    """1 - RSE of a least-squares fit with intercept against corr(y, f(x))^2 (equal for such
    fits), and the mean predictor's RSE of exactly 1."""
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(50, 3))
    labels = features @ np.array([0.5, -1.0, 0.2]) + 2.0 + rng.normal(size=50)
    design = np.column_stack([np.ones(50), features])
    fitted = design @ np.linalg.lstsq(design, labels, rcond=None)[0]

    def rse(prediction):
        return float(np.sum((labels - prediction) ** 2) / np.sum((labels - labels.mean()) ** 2))
    correlation = float(np.corrcoef(labels, fitted)[0, 1])
    return Comparison(
        estimate=1 - rse(fitted), expected=correlation**2, tolerance=1e-10,
        alternatives={"RSE itself": rse(fitted),
                      "1 - MSE (the squared errors not divided by the spread of y)":
                      1 - float(np.mean((labels - fitted) ** 2))},
        details=f"least squares with intercept, N = 50, d = 3; RSE of the mean predictor "
                f"{rse(np.full(50, labels.mean())):.15g}")


r_squared = Derivation(
    id="regression-r-squared-against-mean-predictor",
    notation={"RSE": lambda model, data: relative_squared_error(_predictions(model)),
              "SSE": lambda model, data: _squared_errors(_predictions(model)),
              r"\bar{y}": mean_y, "D": sp.Symbol("D"), "R": sp.Symbol("R")},
    title="R^2 = 1 - RSE compares the model with predicting the mean, whose RSE is exactly 1",
    source=Source(LECTURE_NOTES, REGRESSION_SECTION,
                  r"如果算出來大於 1,表示模型比直接用平均值來預測還差 ... $R^2 = 1 - RSE$"),
    start=Step(1 - relative_squared_error(prediction[i]), r"R^2 = 1 - RSE(f; D)",
               "N data points (symbolic N), not all y_i equal; predictions f(x_i)"),
    steps=[
        Step(relative_squared_error(mean_y) - relative_squared_error(prediction[i]),
             r"RSE(\bar{y}; D) - RSE(f; D)",
             "the mean predictor f(x_i) = y-bar has RSE exactly 1"),
        Step((_squared_errors(mean_y) - _squared_errors(prediction[i]))
             / _squared_errors(mean_y),
             r"\frac{SSE(\bar{y}; D) - SSE(f; D)}{SSE(\bar{y}; D)}",
             "so RSE > 1 (R^2 < 0) exactly when f has a larger SSE than the mean predictor"),
    ],
    crosschecks=[CrossCheck("1 - RSE of a least-squares fit is the squared correlation",
                            r_squared_is_squared_correlation)],
    hypotheses=[RSE_DEFINITION, SPREAD],
)
