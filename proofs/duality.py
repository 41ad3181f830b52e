r"""The dual problem: weak duality, when strong duality holds, and what the dual saves.

Lecture notes, "Dual Problem" and "Example".

- Weak duality d* <= p* ("[HW] By max-min inequality"): for the example min 1/2 |x|^2 s.t.
  A x >= b, every feasible x and alpha >= 0 give 1/2 |x|^2 - g(alpha) = 1/2 |x - A^T alpha|^2
  + alpha^T (A x - b) >= 0, with g(alpha) = -1/2 |A^T alpha|^2 + b^T alpha the dual function.
- "當 primal problem 是 convex,且有解,則 strong duality 成立" is an erratum: convexity and a
  solution are not enough; a constraint qualification such as Slater's (a strictly feasible
  point) is needed.  min x1 s.t. |x| - x2 <= 0 (x in R^2: f linear, g convex) has the solution
  set {x1 = 0, x2 >= 0} and p* = 0, but no strictly feasible point, and L(x, alpha) = x1 +
  alpha (|x| - x2) is unbounded below for every alpha >= 0 (along x = (-2u, u^2 - 1), |x| =
  u^2 + 1): d* = -infinity < p*.  With Slater's condition it holds; for the example with one
  constraint a^T x >= b > 0 (x = 2 b a / |a|^2 is strictly feasible) p* = d* = b^2 / (2 |a|^2).
- "現在只需要解 n 維的問題 ... 當 n << d 時,會更有效率": solving the n-dimensional dual (and
  x = A^T alpha) is measured against solving the d-dimensional primal: the primal's
  quasi-Newton solver holds d x d matrices (peak memory grows like d^2), the dual's does not.
  (Timings on a shared machine are too noisy to fit; tracemalloc's peaks are exact.)
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import scipy.optimize
import sympy as sp

from derive import Comparison, Correction, CrossCheck, Derivation, Hypothesis, Source, Step, erratum
from numeric.rates import fit_power_law

from . import _opt
from ._notes import LECTURE_NOTES
from ._vectors import column, dot

DUAL_SECTION = "Dual Problem"
EXAMPLE_SECTION = "Example"
WEAK_QUOTE = r"[HW] By max-min inequality, we have $$d^* \leq p^*$$"
STRONG_QUOTE = r"當 primal problem 是 convex,且有解,則 strong duality 成立,$d^* = p^*$"
CHEAPER_QUOTE = r"現在只需要解 $n$ 維的問題,而不是 $d$ 維的問題,當 $n \ll d$ 時,會更有效率"
HALF = sp.Rational(1, 2)




A_MATRIX = sp.Matrix(2, 3, lambda p, c: sp.Symbol(f"A{p + 1}{c + 1}", real=True))
x3 = column("x", 3, real=True)
alpha2 = column("alpha", 2, nonnegative=True)
slack2 = column("s", 2, nonnegative=True)
b_feasible = A_MATRIX * x3 - slack2                # A x - b = s >= 0: x is feasible
DUAL_FUNCTION = -HALF * dot(A_MATRIX.T * alpha2, A_MATRIX.T * alpha2) + dot(b_feasible, alpha2)

# ------------------------------------------------------------ weak duality


def _random_feasible_problem(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A in R^{3 x 6} ~ N(0, 1), b ~ U(0.5, 1.5): {A x >= b} has interior points."""
    return rng.standard_normal((3, 6)), rng.uniform(0.5, 1.5, 3)


def dual_values_below_primal(seed: int) -> Comparison:
    """On 10 random instances: the largest g(alpha) - p* over 500 random alpha >= 0 each
    (<= 0 by weak duality; the optimum alpha* attains 0)."""
    rng = np.random.default_rng(seed)
    worst, optimum_gap, slipped = -np.inf, 0.0, 0.0
    for _ in range(10):
        A, b = _random_feasible_problem(rng)
        primal, _ = _opt.primal_optimum(A, b)
        alphas = rng.exponential(1.0, (500, 3)) * rng.uniform(0, 2)
        values = -0.5 * np.sum((alphas @ A) ** 2, axis=1) + alphas @ b
        worst = max(worst, float(values.max() - primal))
        slipped = max(slipped, float(np.max(values + 0.25 * np.sum((alphas @ A) ** 2, axis=1))
                                     - primal))
        dual, _ = _opt.dual_optimum(A, b)
        optimum_gap = max(optimum_gap, abs(dual - primal))
    return Comparison(
        estimate=float(max(worst, 0.0)) + optimum_gap, expected=0.0, tolerance=1e-6,
        alternatives={"a slip, -1/4 |A^T alpha|^2 + b^T alpha, exceeds p*": slipped},
        details=f"max over 10 instances and 500 alpha each of g(alpha) - p* = {worst:.4g} "
                f"(<= 0); max |d* - p*| at the optima {optimum_gap:.2g}; the estimate is "
                f"max(0, that) + |d* - p*|")


weak_duality = Derivation(
    id="duality-weak-duality-example",
    notation={"x": x3, "A": A_MATRIX, r"\alpha": alpha2, "b": b_feasible},
    title="Weak duality for the example: 1/2 |x|^2 - g(alpha) >= 0 for feasible x, alpha >= 0",
    source=Source(LECTURE_NOTES, DUAL_SECTION, WEAK_QUOTE),
    hypotheses=[Hypothesis(r"A x \ge b", quote=r"\text{subject to } Ax \geq b",
                           note="b = A x - s with s >= 0"),
                Hypothesis(r"\alpha \ge 0", quote=r"\text{max}_{\alpha, \beta, \alpha \geq 0}")],
    start=Step(HALF * dot(x3, x3) - DUAL_FUNCTION,
               r"\frac{1}{2} \|x\|^2 - \left(-\frac{1}{2} \|A^\top \alpha\|^2 + b^\top "
               r"\alpha\right)", "n = 2, d = 3; p* <= 1/2|x|^2 and g(alpha) <= ... "
                                 "(the primal and dual objectives)"),
    steps=[
        Step(HALF * dot(x3 - A_MATRIX.T * alpha2, x3 - A_MATRIX.T * alpha2)
             + dot(alpha2, slack2),
             r"\frac{1}{2} \|x - A^\top \alpha\|^2 + \alpha^\top (A x - b)", "complete the square"),
        Step(sp.S.Zero, r"0", "both terms are >= 0: g(alpha) <= 1/2 |x|^2, so d* <= p*",
             relation=">="),
    ],
    crosschecks=[CrossCheck("dual values against the primal optimum on random instances",
                            dual_values_below_primal)],
)

# ------------------------------------------------------------ strong duality needs Slater

alpha, q = sp.Symbol("alpha", nonnegative=True), sp.Symbol("q", nonnegative=True)
u = alpha + 1 + q
CURVE = sp.Matrix([-2 * u, u**2 - 1])                 # |x| = u^2 + 1


def cone_lagrangian(x: sp.Matrix, multiplier: sp.Expr) -> sp.Expr:
    r"""x1 + alpha (|x| - x2)."""
    return x[0] + multiplier * (sp.sqrt(x[0] ** 2 + x[1] ** 2) - x[1])


def _cone_dual_bound(multiplier: float, box: float) -> float:
    """min of x1 + alpha (|x| - x2) over a grid of [-box, 0] x [0, box^2] (an upper bound on
    the dual function g(alpha))."""
    x1 = -np.linspace(0.0, box, 401)
    x2 = np.linspace(0.0, box**2, 401)
    first, second = np.meshgrid(x1, x2)
    return float(np.min(first + multiplier * (np.hypot(first, second) - second)))


def duality_gap_without_slater(seed: int) -> Comparison:
    """p* by SLSQP (0), and min over growing boxes of L(., alpha) for alpha in 0.1..10:
    it falls without bound (d* = -infinity) instead of staying >= p*."""
    rng = np.random.default_rng(seed)
    primal = scipy.optimize.minimize(
        lambda v: v[0], rng.uniform(-1, 1, 2) + np.array([0.0, 2.0]), method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda v: v[1] - np.hypot(v[0], v[1])}]).fun
    multipliers = (0.1, 1.0, 10.0)
    bounds = {a: [_cone_dual_bound(a, box) for box in (10.0, 100.0, 1000.0)]
              for a in multipliers}
    best = max(values[-1] for values in bounds.values())
    return Comparison(
        estimate=float(primal - best >= 100.0), expected=1.0, tolerance=0.0,
        alternatives={"strong duality: some alpha with min_x L >= p* - 1e-6": 0.0},
        details=f"p* (SLSQP) = {primal:.3g}; min of L(x, alpha) over boxes of size 10, 100, "
                f"1000: " + "; ".join(f"alpha = {a}: {np.round(v, 2).tolist()}"
                                       for a, v in bounds.items())
                + "; the estimate is 1 when every alpha's bound is below p* - 100")


no_slater = Derivation(
    id="duality-strong-duality-needs-slater",
    notation={"u": u, "p^*": sp.Symbol("p^*")},
    title="Convex with a solution is not enough: min x1 s.t. |x| - x2 <= 0 has d* = -inf < p* = 0",
    source=Source(LECTURE_NOTES, DUAL_SECTION, STRONG_QUOTE),
    hypotheses=[Hypothesis(r"f(x) = x_1, \ g(x) = \|x\| - x_2 \text{ convex on } \mathbb{R}^2",
                           quote=r"當 primal problem 是 convex,且有解",
                           note="the solution set is {x1 = 0, x2 >= 0}, p* = 0"),
                Hypothesis(r"\alpha \ge 0", quote=None)],
    start=Step(cone_lagrangian(CURVE, alpha),
               r"-2u + \alpha \left(\sqrt{4u^2 + (u^2 - 1)^2} - (u^2 - 1)\right), \quad u = "
               r"\alpha + 1 + q",
               "L(x, alpha) = x1 + alpha (|x| - x2) at x = (-2u, u^2 - 1), u = alpha + 1 + q, "
               "q >= 0: a point for every alpha >= 0"),
    steps=[
        Step(-2 * u + 2 * alpha, r"-2(\alpha + 1 + q) + 2\alpha",
             "|x| = sqrt(4u^2 + (u^2 - 1)^2) = u^2 + 1"),
        Step(-2 - 2 * q, r"-2 - 2q"),
        Step(sp.S.Zero, r"p^* = 0", "the notes: strong duality, min_x L(x, alpha*) = d* = p*",
             relation=">="),
    ],
    expected=erratum(Correction(
        3, Step(sp.S.Zero, r"p^* = 0", "so min_x L(x, alpha) <= -2 - 2q for every q: d* = "
                                       "-infinity", relation="<"),
        "convexity and a solution do not give strong duality: no point has |x| < x2 (Slater "
        "fails), and the dual function is -infinity for every alpha. Under Slater's condition "
        "(a strictly feasible point) strong duality holds (duality-example-strong-duality-"
        "with-slater)")),
    crosschecks=[CrossCheck("p* and the dual function on growing boxes",
                            duality_gap_without_slater)],
)

# ------------------------------------------------------------ strong duality with Slater

a_vec = sp.Matrix(sp.symbols("a1 a2", real=True))
b_pos = sp.Symbol("b", positive=True)
a_squared = dot(a_vec, a_vec)
ALPHA_STAR = b_pos / a_squared
X_STAR = b_pos * a_vec / a_squared


def one_constraint_gap(seed: int) -> Comparison:
    """|d* - p*| for min 1/2 |x|^2 s.t. a^T x >= b, a ~ N(0, I_5), b ~ U(0.5, 1.5): primal
    by SLSQP, dual by L-BFGS-B; and against the closed form b^2 / (2 |a|^2)."""
    rng = np.random.default_rng(seed)
    A, b = rng.standard_normal((1, 5)), rng.uniform(0.5, 1.5, 1)
    primal, _ = _opt.primal_optimum(A, b)
    dual, _ = _opt.dual_optimum(A, b)
    closed = float(b[0] ** 2 / (2 * A[0] @ A[0]))
    return Comparison(
        estimate=dual, expected=closed, tolerance=1e-7,
        alternatives={"b^2 / |a|^2 (the dual without the 1/2)": 2 * closed},
        details=f"p* = {primal:.10g} (SLSQP), d* = {dual:.10g} (L-BFGS-B), closed form "
                f"{closed:.10g}")


slater_family = Derivation(
    id="duality-example-strong-duality-with-slater",
    notation={"a": a_vec, "A": a_vec.T, "d^*": sp.Symbol("d^*"), "alpha_star": ALPHA_STAR,
              r"\alpha": sp.Symbol("alpha", nonnegative=True),
              "x^*": X_STAR, "p^*": b_pos**2 / (2 * a_squared)},
    title="One constraint a^T x >= b > 0 (Slater holds): d* = p* = b^2 / (2 |a|^2)",
    source=Source(LECTURE_NOTES, EXAMPLE_SECTION,
                  r"因為是 Convex problem,滿足 Strong Duality,可以交換 min 和 max"),
    hypotheses=[Hypothesis(r"a \ne 0, \ b > 0", quote=None,
                           note="n = 1, d = 2; x = 2 b a / |a|^2 is strictly feasible")],
    start=Step(-HALF * ALPHA_STAR**2 * a_squared + b_pos * ALPHA_STAR,
               r"d^* = -\frac{1}{2} \|a\|^2 \alpha^{*2} + b \alpha^*, \quad \alpha^* = "
               r"\frac{b}{\|a\|^2}", "the maximiser over alpha >= 0 of the concave dual"),
    steps=[
        Step(b_pos**2 / (2 * a_squared), r"\frac{b^2}{2 \|a\|^2}"),
        Step(HALF * dot(X_STAR, X_STAR), r"\frac{1}{2} \|x^*\|^2 = p^*, \quad x^* = "
                                          r"\frac{b a}{\|a\|^2} = A^\top \alpha^*",
             "x* is feasible (a^T x* = b) and its value equals a dual value, so by weak "
             "duality both are optimal"),
    ],
    crosschecks=[CrossCheck("d* from the numeric dual against the closed form",
                            one_constraint_gap)],
)

# ------------------------------------------------------------ the dual is cheaper when n << d


DIMENSIONS = np.array([200, 400, 800])


def _peak_bytes(solve) -> int:
    """The peak of memory allocated while ``solve()`` runs (tracemalloc: deterministic)."""
    tracemalloc.start()
    try:
        solve()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def dual_is_cheaper(seed: int) -> Comparison:
    """Peak memory of SLSQP on the d-dimensional primal against L-BFGS-B on the n = 3 dual,
    d = 200, 400, 800: the exponent in d of the primal's (a d x d quasi-Newton matrix: 2)
    against the dual's (no d x d object: about 0), and the two optima agree."""
    rng = np.random.default_rng(seed)
    primal_bytes, dual_bytes, gaps = [], [], []
    for d in DIMENSIONS:
        A, b = rng.standard_normal((3, d)), rng.uniform(0.5, 1.5, 3)
        primal_bytes.append(_peak_bytes(lambda A=A, b=b: _opt.primal_optimum(A, b)))
        dual_bytes.append(_peak_bytes(lambda A=A, b=b: _opt.dual_optimum(A, b)))
        gaps.append(abs(_opt.primal_optimum(A, b)[0] - _opt.dual_optimum(A, b)[0]))
    primal_fit = fit_power_law(DIMENSIONS, primal_bytes)
    dual_fit = fit_power_law(DIMENSIONS, dual_bytes)
    return Comparison(
        estimate=primal_fit.slope if max(gaps) < 1e-8 else 0.0, expected=2.0, tolerance=0.1,
        alternatives={"as cheap as the n-dimensional dual (its exponent)": dual_fit.slope},
        details=f"peak bytes, d = {DIMENSIONS.tolist()}: primal (SLSQP) {primal_bytes}, dual "
                f"(L-BFGS-B, n = 3) {dual_bytes}; primal {primal_fit}; dual {dual_fit}; max "
                f"|p* - d*| = {max(gaps):.2g}",
        data={"plot": "loglog", "x": DIMENSIONS.tolist(), "y": primal_bytes,
              "slope": primal_fit.slope, "intercept": primal_fit.intercept,
              "expected_slope": 2.0, "title": "Peak memory of the primal solve",
              "xlabel": "d", "ylabel": "bytes"})


dual_dimension = Derivation(
    id="duality-example-dual-has-n-variables",
    notation={"x": x3, "A": A_MATRIX, r"\alpha": alpha2, "b": A_MATRIX * x3},
    title="The dual of the example has n variables (alpha in R^n) and recovers x = A^T alpha",
    source=Source(LECTURE_NOTES, EXAMPLE_SECTION, CHEAPER_QUOTE),
    hypotheses=[Hypothesis(r"A \in \mathbb{R}^{n \times d}, \ n \ll d",
                           quote=r"$\text{subject to } Ax \geq b, A \in \mathbb{R}^{n \times d}, "
                                 r"b \in \mathbb{R}^n$ ... 當 $n \ll d$ 時", note="n = 2, d = 3 symbolically")],
    start=Step(DUAL_FUNCTION.subs(dict(zip(slack2, [0, 0], strict=True))),
               r"-\frac{1}{2} \|A^\top \alpha\|^2 + b^\top \alpha",
               "a function of alpha in R^n only (here b = A x0 for a feasible x0)"),
    steps=[Step(-HALF * dot(alpha2, (A_MATRIX * A_MATRIX.T) * alpha2)
                + dot(A_MATRIX * x3, alpha2),
                r"-\frac{1}{2} \alpha^\top (A A^\top) \alpha + b^\top \alpha",
                "the n x n Gram matrix A A^T: forming it costs O(n^2 d), solving O(n^3)")],
    crosschecks=[CrossCheck("peak memory of the primal and the dual solves against d",
                            dual_is_cheaper)],
)
