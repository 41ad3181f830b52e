r"""Convex optimisation problems as the notes define them.

Lecture notes, "Convex Optimization": a problem is convex when (1) H(f)(x) >= 0 for all x in
C, (2) every g_i is convex and (3) every h_j is affine.

- (2) and (3) make the feasible set C convex: a convex combination of feasible points keeps
  g_i <= 0 (g_i(theta x + (1 - theta) y) <= theta g_i(x) + (1 - theta) g_i(y)) and h_j = 0
  (h_j is affine).  Proved for an affine h on R^2 and for the convex g(x) = |x|^2 - 1, whose
  convexity gap is theta (1 - theta) |x - y|^2.
- (1) asks for H(f) >= 0 on C only, not on R^d: that is enough, because along a segment of the
  convex set C, phi(t) = f(x + t d) has phi''(t) = d^T H(f)(x + t d) d >= 0, so f is convex on
  C and every local minimum over C is global.  It does not make f convex on R^d: f(x) = x^3
  - 3x with C = {x >= 0} (g(x) = -x) meets (1)-(3), is convex on C (midpoint gap
  3 (a + b)(a - b)^2 / 8 >= 0 for a, b >= 0) but not on R.  The usual definition (f convex)
  asks more; the notes' weaker condition keeps the property that matters.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize
import sympy as sp

from derive import Comparison, CrossCheck, Derivation, Hypothesis, Source, Step

from ._identity import projected_comparison
from ._notes import LECTURE_NOTES

SECTION = "Convex Optimization"
HESSIAN_QUOTE = r"$H(f)(x) \succeq 0$ for all $x \in \mathcal{C}$"
CONVEX_G_QUOTE = r"$g_i(x)$ 是 convex function for all $i$"
AFFINE_QUOTE = r"$h_j(x)$ 是 affine function for all $j$"

t, theta = sp.symbols("t theta", real=True)
x1, x2, d1, d2, y1, y2 = sp.symbols("x1 x2 d1 d2 y1 y2", real=True)
f = sp.Function("f", real=True)
u1, u2 = sp.symbols("u1 u2", real=True)


def _hessian_at(point: sp.Matrix) -> sp.Matrix:
    """H(f) at a point of R^2."""
    return sp.hessian(f(u1, u2), (u1, u2)).subs({u1: point[0], u2: point[1]}, simultaneous=True)


def _hessian_form() -> sp.Expr:
    """d^T H(f)(x + t d) d with the second partial derivatives of f."""
    hessian = sp.hessian(f(u1, u2), (u1, u2))
    direction = sp.Matrix([d1, d2])
    return (direction.T * hessian * direction)[0, 0].subs({u1: x1 + t * d1, u2: x2 + t * d2})


def _smooth(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """A concrete f(u, w) = exp(0.3 u - 0.2 w) + sin(u w)."""
    value: np.ndarray = np.exp(0.3 * u - 0.2 * w) + np.sin(u * w)
    return value


def _smooth_hessian(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Its Hessian, by hand: shape (2, 2, n)."""
    e, sine, cosine = np.exp(0.3 * u - 0.2 * w), np.sin(u * w), np.cos(u * w)
    uu, ww = 0.09 * e - w * w * sine, 0.04 * e - u * u * sine
    uw = -0.06 * e + cosine - u * w * sine
    return np.array([[uu, uw], [uw, ww]])


def segment_second_derivative(seed: int) -> Comparison:
    """Central second differences of t -> f(x + t d) at 50 random (x, d, t) against
    d^T H(f)(x + t d) d."""
    rng = np.random.default_rng(seed)
    x, d = rng.uniform(-1.5, 1.5, (2, 2, 50))
    t0, step = rng.uniform(-1.0, 1.0, 50), 1e-3
    def along(shift: np.ndarray) -> np.ndarray:
        return _smooth(x[0] + shift * d[0], x[1] + shift * d[1])
    measured = (along(t0 + step) - 2 * along(t0) + along(t0 - step)) / step**2
    hessian = _smooth_hessian(x[0] + t0 * d[0], x[1] + t0 * d[1])
    claimed = np.einsum("in,ijn,jn->n", d, hessian, d)
    return projected_comparison(
        measured, claimed, {"1/2 d^T H d (the Taylor coefficient)": claimed / 2,
                            "|d|^2 tr H / 2 (the off-diagonal terms dropped)":
                            np.sum(d**2, axis=0) * (hessian[0, 0] + hessian[1, 1]) / 2},
        seed=seed, relative_tolerance=1e-4,
        details="f = exp(0.3 u - 0.2 w) + sin(u w); second differences with step 1e-3")


segment_curvature = Derivation(
    id="convex-optimization-curvature-along-a-segment",
    notation={"x": sp.Matrix([x1, x2]), "d": sp.Matrix([d1, d2]), "f": lambda p: f(*p),
              "H": lambda function: _hessian_at},
    title="Along a segment, (d^2/dt^2) f(x + t d) = d^T H(f)(x + t d) d: H >= 0 on C makes f "
          "convex on C",
    source=Source(LECTURE_NOTES, SECTION, HESSIAN_QUOTE),
    hypotheses=[Hypothesis(r"H(f)(x) \succeq 0 \ \forall x \in \mathcal{C}",
                           quote=HESSIAN_QUOTE),
                Hypothesis(r"x, x + d \in \mathcal{C}, \ \mathcal{C} \text{ convex}", quote=None,
                           note="C is convex by (2) and (3): "
                                "convex-optimization-feasible-set-convex")],
    start=Step(sp.diff(f(x1 + t * d1, x2 + t * d2), t, 2),
               r"\frac{d^2}{dt^2} f(x + t d)", "f twice differentiable, d = 2"),
    steps=[Step(_hessian_form(), r"d^\top H(f)(x + t d) \, d",
                "chain rule; >= 0 for x + t d in C, so t -> f(x + t d) is convex")],
    crosschecks=[CrossCheck("second differences along random segments",
                            segment_second_derivative)],
)

a1, a2, b0 = sp.symbols("a1 a2 b", real=True)


def affine(p: sp.Expr, q: sp.Expr) -> sp.Expr:
    return a1 * p + a2 * q + b0


def ball(p: sp.Expr, q: sp.Expr) -> sp.Expr:
    return p**2 + q**2 - 1


z1, z2 = theta * x1 + (1 - theta) * y1, theta * x2 + (1 - theta) * y2


def feasible_combinations(seed: int) -> Comparison:
    """The fraction of 5000 convex combinations of pairs of feasible points of {|x|^2 <= 1,
    a^T x + b = 0} that are feasible (1), against the non-convex {|x|^2 >= 1, ...}."""
    rng = np.random.default_rng(seed)
    a, b = np.array([1.0, -2.0]), 0.3
    along = np.array([2.0, 1.0]) / np.sqrt(5.0)
    base = -b * a / (a @ a)
    half_width = np.sqrt(1 - base @ base)
    s, r = rng.uniform(-half_width, half_width, (2, 5000))
    w = rng.uniform(0.0, 1.0, 5000)
    first, second = base + s[:, None] * along, base + r[:, None] * along
    mixed = w[:, None] * first + (1 - w[:, None]) * second
    inside = (np.sum(mixed**2, axis=1) <= 1 + 1e-12) & (np.abs(mixed @ a + b) < 1e-12)
    outer = rng.uniform(1.0, 3.0, (2, 5000)) * rng.choice([-1.0, 1.0], (2, 5000))
    out_first, out_second = base + outer[0][:, None] * along, base + outer[1][:, None] * along
    out_mixed = w[:, None] * out_first + (1 - w[:, None]) * out_second
    outside_kept = np.mean(np.sum(out_mixed**2, axis=1) >= 1)
    return Comparison(
        estimate=float(np.mean(inside)), expected=1.0, tolerance=0.0,
        alternatives={"a non-convex g (|x|^2 >= 1): combinations leave the set":
                      float(outside_kept)},
        details=f"convex g = |x|^2 - 1 and affine h = x1 - 2 x2 + 0.3: {np.mean(inside):.4f} of "
                f"combinations feasible; with g = 1 - |x|^2 (not convex): {outside_kept:.4f}")


feasible_set_convex = Derivation(
    id="convex-optimization-feasible-set-convex",
    notation={"x": sp.Matrix([x1, x2]), "y": sp.Matrix([y1, y2]), "g": lambda p: ball(*p)},
    title="A convex g keeps convex combinations below the chord: theta(1 - theta)|x - y|^2 "
          "for g = |x|^2 - 1",
    source=Source(LECTURE_NOTES, SECTION, CONVEX_G_QUOTE),
    hypotheses=[Hypothesis(r"g(x) = \|x\|^2 - 1 \text{ convex}", quote=CONVEX_G_QUOTE,
                           note="a concrete convex constraint in R^2"),
                Hypothesis(r"\theta \in [0, 1]", quote=None, note="theta (1 - theta) >= 0")],
    start=Step(theta * ball(x1, x2) + (1 - theta) * ball(y1, y2) - ball(z1, z2),
               r"\theta g(x) + (1 - \theta) g(y) - g(\theta x + (1 - \theta) y)"),
    steps=[Step(theta * (1 - theta) * ((x1 - y1) ** 2 + (x2 - y2) ** 2),
                r"\theta (1 - \theta) \|x - y\|^2",
                ">= 0: g(z) <= theta g(x) + (1 - theta) g(y) <= 0 for feasible x, y")],
    crosschecks=[CrossCheck("convex combinations of feasible points", feasible_combinations)],
)

def affine_at_combinations(seed: int) -> Comparison:
    """A random affine h(x) = A x + b (R^3 -> R^2) at 40 random convex combinations against
    theta h(x) + (1 - theta) h(y)."""
    rng = np.random.default_rng(seed)
    A, offset = rng.standard_normal((2, 3)), rng.uniform(1.0, 2.0, 2)
    first, second = rng.standard_normal((2, 40, 3))
    weight = rng.uniform(0.0, 1.0, (40, 1))
    def h(points: np.ndarray) -> np.ndarray:
        value: np.ndarray = points @ A.T + offset
        return value
    measured = h(weight * first + (1 - weight) * second)
    claimed = weight * h(first) + (1 - weight) * h(second)
    return projected_comparison(
        measured, claimed,
        {"h(theta x) + h((1 - theta) y), additivity as for a linear map": claimed + offset},
        seed=seed, relative_tolerance=1e-9,
        details="A ~ N(0, 1) 2 x 3, b ~ U[1, 2]^2, x, y ~ N(0, I_3), theta ~ U[0, 1]")


affine_keeps_equality = Derivation(
    id="convex-optimization-affine-equality-kept-by-combinations",
    notation={"x": sp.Matrix([x1, x2]), "y": sp.Matrix([y1, y2]), "h": lambda p: affine(*p)},
    title="An affine h is exactly linear along segments: h(theta x + (1 - theta) y) = "
          "theta h(x) + (1 - theta) h(y)",
    source=Source(LECTURE_NOTES, SECTION, AFFINE_QUOTE),
    hypotheses=[Hypothesis(r"h(x) = a^\top x + b", quote=r"affine function: $h(x) = Ax + b$")],
    start=Step(affine(z1, z2), r"h(\theta x + (1 - \theta) y)", "d = 2"),
    steps=[Step(theta * affine(x1, x2) + (1 - theta) * affine(y1, y2),
                r"\theta h(x) + (1 - \theta) h(y)", "= 0 when h(x) = h(y) = 0")],
    crosschecks=[CrossCheck("a random affine map at random convex combinations",
                            affine_at_combinations)],
)

a, b = sp.symbols("a b", nonnegative=True)
CUBIC = sp.Symbol("x", real=True)


def _cubic(value: sp.Expr) -> sp.Expr:
    return value**3 - 3 * value


def local_minima_on_c_are_global(seed: int) -> Comparison:
    """f = x^3 - 3x: SLSQP on C = {x >= 0} from 40 random starts all reach the global minimum
    over C (f = -2 at x = 1); without the constraint (f not convex on R) they do not."""
    rng = np.random.default_rng(seed)
    on_c, free = 0, 0
    for start in rng.uniform(0.0, 3.0, 40):
        result = scipy.optimize.minimize(lambda v: v[0] ** 3 - 3 * v[0], [start],
                                         method="SLSQP", bounds=[(0.0, None)])
        on_c += int(abs(result.fun + 2.0) < 1e-6)
    for start in rng.uniform(-3.0, 3.0, 40):
        result = scipy.optimize.minimize(lambda v: v[0] ** 3 - 3 * v[0], [start],
                                         method="SLSQP", bounds=[(-10.0, None)])
        free += int(abs(result.fun + 2.0) < 1e-6)
    return Comparison(
        estimate=on_c / 40, expected=1.0, tolerance=0.0,
        alternatives={"on [-10, inf), where f is not convex: starts that stop at the local "
                      "minimum x = 1 instead of the global one at -10": free / 40},
        details=f"{on_c}/40 starts in [0, 3] reach f = -2 on C; on [-10, inf) {free}/40 starts "
                f"stop at x = 1 (f = -2) although min f = f(-10) = -970")


cubic_convex_on_c = Derivation(
    id="convex-optimization-hessian-on-c-gives-convexity-on-c",
    notation={"f": _cubic},
    title="x^3 - 3x meets the notes' conditions on C = {x >= 0} and is convex there (not on R)",
    source=Source(LECTURE_NOTES, SECTION, HESSIAN_QUOTE),
    hypotheses=[Hypothesis(r"H(f)(x) = 6x \ge 0 \ \forall x \in \mathcal{C} = \{x \ge 0\}",
                           quote=HESSIAN_QUOTE, note="g(x) = -x (convex), no h; a, b in C")],
    start=Step((_cubic(a) + _cubic(b)) / 2 - _cubic((a + b) / 2),
               r"\frac{f(a) + f(b)}{2} - f\left(\frac{a + b}{2}\right)"),
    steps=[Step(3 * (a + b) * (a - b) ** 2 / 8, r"\frac{3 (a + b) (a - b)^2}{8}"),
           Step(sp.S.Zero, r"0", "a + b >= 0 on C (for a = -b - 1 < 0 the gap is negative: "
                                 "f is not convex on R)", relation=">=")],
    crosschecks=[CrossCheck("local minimisation from random starts on C and off it",
                            local_minima_on_c_are_global)],
)
