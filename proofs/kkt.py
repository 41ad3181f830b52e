r"""Constrained optimisation: the min-max Lagrangian, the KKT conditions, complementary slackness.

Lecture notes, "Karush-Kuhn-Tucker (KKT) Methods", "KKT Conditions", "Complementary Slackness".

- max_{alpha >= 0, beta} L(x, alpha, beta) is f(x) at a feasible x (alpha = 0 is best, any
  beta) and +infinity at an infeasible one (proved for one inequality constraint: for every
  bound M some alpha >= 0 gives L > M; an equality constraint h != 0 is the same with beta).
- "假設 f, g_i, h_j 都是可微分的,且 x* 是問題的最優解,則存在 alpha*, beta*" is an erratum: the KKT
  conditions need a constraint qualification.  min x subject to x^2 <= 0 has differentiable
  f and g and the optimum x* = 0, but grad f + alpha grad g = 1 + 2 alpha x* = 1 for every
  alpha: no multiplier exists (grad g(x*) = 0 violates LICQ, and no point is strictly
  feasible, so Slater fails too).  Under LICQ they hold: for min x subject to x^2 <= r^2
  (r > 0), x* = -r, grad g(x*) = -2r != 0 and alpha* = 1/(2r) satisfies all four conditions;
  alpha*(r) -> infinity as r -> 0, where the multiplier ceases to exist.
- Complementary slackness: at an inactive constraint (g_i(x*) < 0) every alpha_i > 0 lowers
  L, so alpha_i* = 0; alpha_i* > 0 therefore marks an active constraint.  Checked on random
  quadratic programs solved with SciPy, multipliers recovered by non-negative least squares.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize
import sympy as sp

from derive import Comparison, Correction, CrossCheck, Derivation, Hypothesis, Source, Step, erratum
from numeric.rates import fit_power_law

from ._identity import projected_comparison
from ._notation import known_at
from ._notes import LECTURE_NOTES

KKT_METHODS = "Karush-Kuhn-Tucker (KKT) Methods"
KKT_CONDITIONS = "KKT Conditions"
SLACKNESS = "Complementary Slackness"
FEASIBLE_QUOTE = (r"當 $x$ 是 Feasible Point 時,$\mathcal{L}(x, \alpha, \beta) = f(x)$,因為 "
                  r"$g_i(x) \leq 0$ 和 $h_j(x) = 0$,會選 $\alpha_i = 0$ 和任意 $\beta_j$ 來 maximize "
                  r"$\mathcal{L}(x, \alpha, \beta)$")
INFEASIBLE_QUOTE = (r"當 $x$ 不是 Feasible Point 時,會有某些 $g_i(x) > 0$ 或 $h_j(x) \ne 0$,這時候可以選擇"
                    r"很大的 $\alpha_i$ 或 $\beta_j$ 來讓 $\mathcal{L}(x, \alpha, \beta)$ 變無限大")
KKT_QUOTE = (r"假設 $f, g_i, h_j$ 都是可微分的,且 $x^*$ 是問題的最優解,則存在 $\alpha^*, \beta^*$,"
             r"使得以下條件成立 ... Stationarity: $\nabla f(x^*) + \sum_{i} \alpha_i^* \nabla "
             r"g_i(x^*) + \sum_{j} \beta_j^* \nabla h_j(x^*) = 0$")
INACTIVE_QUOTE = (r"如果 $g_i(x^*) < 0$,稱為 inactive,為了 maximize $\mathcal{L}(x^*, \alpha^*, "
                  r"\beta^*)$,必須有 $\alpha_i^* = 0$")
DIFFERENTIABLE = Hypothesis(r"f, g_i, h_j \text{ differentiable}, \ x^* \text{ optimal}",
                            quote=r"假設 $f, g_i, h_j$ 都是可微分的,且 $x^*$ 是問題的最優解")

f_x, M = sp.symbols("f(x) M", real=True)
c, alpha, beta = sp.symbols("c alpha beta", positive=True)
slack = sp.Symbol("s", nonnegative=True)
multiplier = sp.Symbol("alpha", nonnegative=True)


point = sp.Symbol("x", real=True)


def lagrangian_notation(at: sp.Expr, g_value: sp.Expr, h_value: sp.Expr,
                        alpha_: sp.Symbol) -> dict[str, object]:
    r"""f, g, h known at the point ``at``, and \mathcal{L}(x, \alpha, \beta) built from them."""
    f_, g_, h_ = known_at((at, f_x)), known_at((at, g_value)), known_at((at, h_value))
    return {"f": f_, "g": g_, "h": h_, r"\alpha": alpha_, r"\mathcal{L}":
            lambda x, a, b: f_(x) + a * g_(x) + b * h_(x)}


def lagrangian(g_value: sp.Expr, h_value: sp.Expr, a: sp.Expr, b: sp.Expr) -> sp.Expr:
    r"""f(x) + alpha g(x) + beta h(x) at one point, one constraint of each kind."""
    return f_x + a * g_value + b * h_value


# ------------------------------------------------------------ cross-check: max over alpha

def _sup_over_multipliers(f_value: float, g_value: float, h_value: float,
                          bound: float) -> float:
    """max over alpha in [0, bound], beta in [-bound, bound] of f + alpha g + beta h (a grid)."""
    grid = np.linspace(0.0, bound, 201)
    betas = np.linspace(-bound, bound, 401)
    return float(np.max(f_value + grid[:, None] * g_value + betas[None, :] * h_value))


def lagrangian_sup_is_f_or_unbounded(seed: int) -> Comparison:
    """At random points of {x : x1^2 + x2^2 <= 1, x1 = x2}: max of L over a growing box of
    multipliers stays f(x) at feasible points and grows without bound at infeasible ones."""
    rng = np.random.default_rng(seed)
    worst_feasible, growth = 0.0, []
    for _ in range(200):
        x = rng.uniform(-1.5, 1.5, 2)
        f_value, g_value, h_value = x[0] + 2 * x[1], x @ x - 1.0, x[0] - x[1]
        if rng.random() < 0.5:                       # a feasible point: on the line, inside
            x = np.full(2, rng.uniform(-0.7, 0.7))
            f_value, g_value, h_value = 3 * x[0], x @ x - 1.0, 0.0
            sup = _sup_over_multipliers(f_value, g_value, h_value, 1e3)
            worst_feasible = max(worst_feasible, abs(sup - f_value))
        else:
            small, large = (_sup_over_multipliers(f_value, g_value, h_value, b)
                            for b in (1e2, 1e4))
            growth.append((large - f_value) / max(small - f_value, 1e-300))
    ratio = float(np.min(growth))
    return Comparison(
        estimate=worst_feasible, expected=0.0, tolerance=1e-12,
        alternatives={"L = f + alpha g at alpha = 1 (not maximised)": 1.0},
        details=f"max |sup L - f| at feasible points {worst_feasible:.3g}; at infeasible ones "
                f"sup L - f grows by at least {ratio:.4g}x when the box grows 100x "
                f"(unbounded); f = x1 + 2 x2, g = |x|^2 - 1, h = x1 - x2")


# ------------------------------------------------------------ derivations

feasible_sup = Derivation(
    id="kkt-lagrangian-at-most-f-on-feasible-points",
    notation={"x": point, r"\beta": beta, **lagrangian_notation(point, -slack, 0, multiplier)},
    title="At a feasible x, L(x, alpha, beta) <= f(x) with equality at alpha = 0: max L = f",
    source=Source(LECTURE_NOTES, KKT_METHODS, FEASIBLE_QUOTE),
    hypotheses=[Hypothesis(r"g(x) \le 0, \ h(x) = 0", quote=FEASIBLE_QUOTE,
                           note="g(x) = -s, s >= 0; one constraint of each kind"),
                Hypothesis(r"\alpha \ge 0", quote=None)],
    start=Step(lagrangian(-slack, 0, multiplier, beta),
               r"\mathcal{L}(x, \alpha, \beta) = f(x) + \alpha g(x) + \beta h(x)"),
    steps=[Step(f_x - multiplier * slack, r"f(x) - \alpha s", "h(x) = 0, g(x) = -s"),
           Step(f_x, r"f(x)", "alpha s >= 0, with equality at alpha = 0", relation="<=")],
    crosschecks=[CrossCheck("max of L over multipliers at random points",
                            lagrangian_sup_is_f_or_unbounded)],
)

def lagrangian_sup_grows_with_the_box(seed: int) -> Comparison:
    """At 100 random infeasible points of {|x|^2 <= 1} (g = |x|^2 - 1 > 0): max of L over
    alpha in [0, B] by scipy.optimize.linprog, B = 1e4; (max L - f) / (B g) (1: L grows
    without bound as B does) against 0 (max L = f, as at a feasible point)."""
    rng = np.random.default_rng(seed)
    points = rng.uniform(-3.0, 3.0, (400, 2))
    points = points[np.sum(points**2, axis=1) > 1.05][:100]
    f_values, g_values = points[:, 0] + 2 * points[:, 1], np.sum(points**2, axis=1) - 1.0
    box = 1e4
    solution = scipy.optimize.linprog(-g_values, bounds=[(0.0, box)] * len(g_values),
                                      method="highs")
    sup = f_values + solution.x * g_values
    ratio = float(np.mean((sup - f_values) / (box * g_values)))
    return Comparison(
        estimate=ratio, expected=1.0, tolerance=1e-9,
        alternatives={"bounded: max L = f(x), as at a feasible point": 0.0},
        details=f"f = x1 + 2 x2, g = |x|^2 - 1 at {len(g_values)} points with g > 0.05; "
                f"the maximising alpha is the box's end B = {box:g} at every point, so "
                f"max L - f = B g grows without bound")


ALPHA_FOR_BOUND = ((M - f_x) ** 2 + 1) / c        # alpha >= 0 with L > M

infeasible_unbounded = Derivation(
    id="kkt-lagrangian-unbounded-on-infeasible-points",
    notation={"x": point, "c": c, **lagrangian_notation(point, c, 0, alpha)},
    title="At an x with g(x) = c > 0, every bound M is exceeded by L at alpha = ((M - f)^2 + 1)/c",
    source=Source(LECTURE_NOTES, KKT_METHODS, INFEASIBLE_QUOTE),
    hypotheses=[Hypothesis(r"g(x) = c > 0", quote=INFEASIBLE_QUOTE),
                Hypothesis(r"M \in \mathbb{R}", quote=None, note="any bound")],
    start=Step(lagrangian(c, 0, ALPHA_FOR_BOUND, 0),
               r"\mathcal{L}(x, \alpha, 0), \quad \alpha = \frac{(M - f(x))^2 + 1}{c} \ge 0"),
    steps=[Step(f_x + (M - f_x) ** 2 + 1, r"f(x) + (M - f(x))^2 + 1"),
           Step(M + (M - f_x - sp.Rational(1, 2)) ** 2 + sp.Rational(3, 4),
                r"M + \left(M - f(x) - \tfrac{1}{2}\right)^2 + \tfrac{3}{4}"),
           Step(M, r"M", "a square is >= 0: sup over alpha of L is +infinity",
                relation=">")],
    crosschecks=[CrossCheck("max of L over a growing box of multipliers (linprog)",
                            lagrangian_sup_grows_with_the_box)],
)


def multiplier_blows_up(seed: int) -> Comparison:
    """min x s.t. x^2 <= r^2 solved by SLSQP for r from 1 down to 1e-3; alpha* = -f'/g' at the
    solution against r: exponent -1 (alpha* = 1/(2r) -> infinity: none at r = 0)."""
    radii = np.logspace(-3, 0, 7)
    multipliers = []
    for r in radii:
        solution = scipy.optimize.minimize(
            lambda v: v[0], x0=np.array([0.5 * r]), method="SLSQP",
            constraints=[{"type": "ineq", "fun": lambda v, r=r: r**2 - v[0] ** 2}],
            options={"ftol": 1e-15, "maxiter": 200}).x[0]
        multipliers.append(1.0 / (2.0 * abs(solution)))   # -f'(x*) / g'(x*) = 1 / (-2 x*)
    fit = fit_power_law(radii, multipliers)
    return Comparison(
        estimate=fit.slope, expected=-1.0, tolerance=0.01,
        alternatives={"bounded multipliers (a KKT point at r = 0)": 0.0},
        details=f"alpha*(r) from SLSQP's solutions: {np.round(multipliers, 4).tolist()} at r = "
                f"{np.round(radii, 4).tolist()}; {fit}",
        data={"plot": "loglog", "x": radii.tolist(), "y": multipliers, "slope": fit.slope,
              "intercept": fit.intercept, "expected_slope": -1.0,
              "title": "The KKT multiplier of min x s.t. x^2 <= r^2", "xlabel": "r",
              "ylabel": "alpha*"})


x_star = sp.Symbol("x^*", real=True)
no_multiplier = Derivation(
    id="kkt-conditions-need-constraint-qualification",
    notation={"x^*": 0, r"\nabla f": lambda p: 1, r"\nabla g": lambda p: 2 * p,
              r"\alpha": multiplier},  # f(x) = x, g(x) = x^2, x* = 0
    title="Without a constraint qualification no multiplier exists: min x s.t. x^2 <= 0",
    source=Source(LECTURE_NOTES, KKT_CONDITIONS, KKT_QUOTE),
    hypotheses=[DIFFERENTIABLE,
                Hypothesis(r"\alpha \ge 0", quote=r"Dual Feasibility: $\alpha_i^* \geq 0$ for "
                                                  r"all $i$")],
    start=Step((1 + multiplier * 2 * x_star).subs(x_star, 0),
               r"\nabla f(x^*) + \alpha \nabla g(x^*) = 1 + 2 \alpha x^*",
               "f(x) = x, g(x) = x^2 (both differentiable); the only feasible point, x* = 0, "
               "is optimal"),
    steps=[Step(sp.S.Zero, r"0", "the notes: some alpha* >= 0 makes it vanish")],
    expected=erratum(Correction(
        1, Step(sp.S.One, r"1", "at x* = 0 the sum is 1, not 0, for every alpha"),
        "differentiability and optimality do not give multipliers: the KKT conditions need a "
        "constraint qualification (LICQ: the active constraints' gradients are linearly "
        "independent; here grad g(0) = 0; or Slater's condition for convex problems: here no "
        "point has x^2 < 0). With one, they hold (kkt-stationarity-under-licq)")),
    crosschecks=[CrossCheck("the multiplier of min x s.t. x^2 <= r^2 as r -> 0",
                            multiplier_blows_up)],
)

r = sp.Symbol("r", positive=True)
ALPHA_STAR, X_STAR = 1 / (2 * r), -r

LICQ_RADII = np.array([0.25, 0.5, 1.0, 2.0, 4.0])


def _multiplier_by_finite_differences(radius: float) -> float:
    """alpha* = -f'(x*) / g'(x*) with x* from SLSQP and g' by a central difference."""
    def g(point: float) -> float:
        return point**2 - radius**2
    solution = scipy.optimize.minimize(
        lambda p: p[0], x0=np.array([0.3 * radius]), method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda p: -g(p[0])}],
        options={"ftol": 1e-15, "maxiter": 200}).x[0]
    slope = (g(solution + 1e-6) - g(solution - 1e-6)) / 2e-6
    return -1.0 / slope


def licq_multipliers(seed: int) -> Comparison:
    """alpha* of min x s.t. x^2 <= r^2 for five radii (SLSQP's x*, finite-difference grad g)
    against 1 / (2 r)."""
    measured = np.array([_multiplier_by_finite_differences(radius) for radius in LICQ_RADII])
    claimed = 1.0 / (2.0 * LICQ_RADII)
    return projected_comparison(
        measured, claimed, {"1 / r (the factor 2 of grad g dropped)": 2 * claimed,
                            "r / 2": LICQ_RADII / 2},
        seed=seed, relative_tolerance=1e-5,
        details=f"r = {LICQ_RADII.tolist()}; alpha* = {np.round(measured, 7).tolist()}")


licq_stationarity = Derivation(
    id="kkt-stationarity-under-licq",
    notation={"r": r},
    title="Under LICQ the multiplier exists: min x s.t. x^2 <= r^2 has alpha* = 1/(2r)",
    source=Source(LECTURE_NOTES, KKT_CONDITIONS, KKT_QUOTE),
    hypotheses=[DIFFERENTIABLE,
                Hypothesis(r"\nabla g(x^*) = -2r \ne 0", quote=None,
                           note="LICQ at the optimum x* = -r of min x s.t. x^2 - r^2 <= 0")],
    start=Step(1 + ALPHA_STAR * 2 * X_STAR, r"1 + \frac{1}{2r} \cdot 2 (-r)",
               "grad f(x*) + alpha* grad g(x*) = 1 + 2 alpha* x* at x* = -r, alpha* = 1/(2r) "
               ">= 0 (dual feasibility); g(x*) = 0 (primal feasibility, active)"),
    steps=[Step(sp.S.Zero, r"0", "stationarity; complementary slackness alpha* g(x*) = "
                                 "alpha* (r^2 - r^2) = 0")],
    crosschecks=[CrossCheck("multipliers from SLSQP's optimum for five radii", licq_multipliers)],
)

def _random_qp(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """min 1/2 |x - c|^2 s.t. A x <= b, d = 4, 6 constraints, b > 0 (x = 0 strictly feasible)."""
    return rng.standard_normal((6, 4)), rng.uniform(0.1, 1.0, 6), 2 * rng.standard_normal(4)


def _solve_qp(A: np.ndarray, b: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x* by SLSQP on the primal; alpha* independently, from the dual max_{alpha >= 0}
    -1/2 |A^T alpha|^2 + alpha^T (A c - b) (L-BFGS-B), which knows nothing of activity."""
    x = scipy.optimize.minimize(lambda v: 0.5 * (v - c) @ (v - c), np.zeros(4),
                                jac=lambda v: v - c, method="SLSQP",
                                constraints=[{"type": "ineq", "fun": lambda v: b - A @ v,
                                              "jac": lambda v: -A}],
                                options={"ftol": 1e-15, "maxiter": 500}).x
    gram, linear = A @ A.T, A @ c - b
    dual = scipy.optimize.minimize(lambda a: 0.5 * a @ gram @ a - a @ linear, np.zeros(6),
                                   jac=lambda a: gram @ a - linear, method="L-BFGS-B",
                                   bounds=[(0, None)] * 6,
                                   options={"ftol": 1e-16, "gtol": 1e-12, "maxiter": 2000})
    return x, dual.x


QPS = 12


def positive_multipliers_mark_active_constraints(seed: int) -> Comparison:
    """Over QPS = 12 random QPs: the fraction of constraints with alpha_i > 1e-5 (from the dual)
    that are active at the primal solution (|g_i(x*)| < 1e-6): 1."""
    rng = np.random.default_rng(seed)
    positive_active, positive, active_any, total, residual = 0, 0, 0, 0, 0.0
    for _ in range(QPS):
        A, b, c_vec = _random_qp(rng)
        x, multipliers = _solve_qp(A, b, c_vec)
        slack_values = b - A @ x
        on = multipliers > 1e-5
        positive += int(on.sum())
        positive_active += int((on & (np.abs(slack_values) < 1e-6)).sum())
        active_any += int((np.abs(slack_values) < 1e-6).sum())
        total += len(b)
        residual = max(residual, float(np.linalg.norm(x - c_vec + A.T @ multipliers)))
    return Comparison(
        estimate=positive_active / positive, expected=1.0, tolerance=1e-12,
        alternatives={"multipliers unrelated to activity (the active share of all "
                      "constraints)": active_any / total},
        details=f"{positive} positive multipliers in {QPS} QPs, {positive_active} on active "
                f"constraints; {active_any} of {total} constraints active; max stationarity "
                f"residual {residual:.2g}; d = 4, 6 constraints, primal by SLSQP, multipliers "
                f"from the dual by L-BFGS-B")


inactive_multiplier = Derivation(
    id="kkt-inactive-constraint-has-zero-multiplier",
    notation={"x^*": point, r"\beta": beta, **lagrangian_notation(point, -c, 0, alpha)},
    title="At an inactive constraint every alpha > 0 lowers L: the maximising alpha* is 0",
    source=Source(LECTURE_NOTES, SLACKNESS, INACTIVE_QUOTE),
    hypotheses=[Hypothesis(r"g_i(x^*) = -c < 0", quote=INACTIVE_QUOTE),
                Hypothesis(r"\alpha_i > 0", quote=None)],
    start=Step(lagrangian(-c, 0, alpha, 0) - lagrangian(-c, 0, 0, 0),
               r"\mathcal{L}(x^*, \alpha, \beta) - \mathcal{L}(x^*, 0, \beta)",
               "L = f + alpha_i g_i + ...: one inequality constraint (the others fixed), "
               "h(x*) = 0, g_i(x*) = -c"),
    steps=[Step(-alpha * c, r"-\alpha c", "alpha = alpha_i"),
           Step(sp.S.Zero, r"0", "alpha c > 0: alpha_i = 0 maximises L", relation="<")],
    crosschecks=[CrossCheck("multipliers of 12 random quadratic programs",
                            positive_multipliers_mark_active_constraints)],
)
