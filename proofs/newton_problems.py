r"""Newton's method: when its step exists, and its problems.

Lecture notes, "Newton's Method" and "Problems of Newton's Method".

- "當 f 是 strictly convex 時,我們可以去解 grad tilde f(x) = 0,來找到 tilde f(x) 的最小值" is an
  erratum: strict convexity does not make H(f) positive definite.  f(x) = x^4 + x is strictly
  convex, yet at a = 0 H(f)(0) = 0 and grad tilde f(x) = f'(0) + f''(0) x = 1 for every x:
  the quadratic model is the line 1 + x, with no minimum and no Newton point.  The step needs
  H(f)(a) > 0 (then newton-step-solves-model-stationarity and
  newton-step-minimises-quadratic-model apply); strong convexity gives it everywhere.
- Cost: solving H s = grad f by elimination takes sum_{k=1}^{d-1} (d - k)(d - k + 1) =
  (d^3 - d)/3 multiply-adds (O(d^3)), and H has d^2 entries (O(d^2) memory).  Checked by
  counting the operations of an elimination that really solves the system, and by the peak
  memory of numeric.optimize.newton.
- Error amplification: an error delta g in the gradient moves the direction H^{-1} g by
  H^{-1} delta g; for the symmetric H the relative error is amplified by up to kappa(H) =
  lambda_max / lambda_min (the notes' eigenvalue ratio is the right number here: H is
  symmetric), with equality along the extreme eigenvectors.
- "x^{(k+1)} = x^{(k)} - eta H^{-1} grad f ... 就可以快速收斂": near a minimiser with H > 0 the
  error is multiplied by 1 - eta per step (exactly, on a quadratic), so the iteration is fast
  (quadratic) only with eta = 1 (or eta_k -> 1); a fixed eta != 1 converges linearly.
- Saddle points: on f(x, y) = x^2 + y^4/4 - y^2/2 (saddle at 0, minima at (0, +-1)) the
  Newton iteration in y is y <- 2 y^3 / (3 y^2 - 1), which goes to the saddle y = 0 from every
  |y| < 1/sqrt(5) (|2 y^2 / (3 y^2 - 1)| < 1 there), while gradient descent leaves it.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import sympy as sp

from derive import Comparison, Correction, CrossCheck, Derivation, Hypothesis, Source, Step, erratum
from numeric import SingularMatrixError, optimize
from numeric.rates import fit_power_law

from . import _opt
from ._notation import known_at
from ._notes import LECTURE_NOTES
from .conditioning import eigenvalue_ratio, squared_amplification, worst_amplification

NEWTON_SECTION = "Newton’s Method"
PROBLEMS_SECTION = "Problems of Newton’s Method"
STRICT_QUOTE = (r"當 $f$ 是 strictly convex 時,我們可以去解 $\nabla \tilde{f}(x) = 0$,來找到 "
                r"$\tilde{f}(x)$ 的最小值")
COST_QUOTE = r"時間複雜度: $O(d^3)$ ... 空間複雜度: $O(d^2)$"
CONDITION_QUOTE = (r"$H(f)(x)$ 可能有很大的 Condition Number ... 當 gradient 有 numeric errors 時,"
                   r"會被放大,導致方向不正確")
SADDLE_QUOTE = r"可能會收斂到 Saddle Point"

x = sp.Symbol("x", real=True)
QUARTIC = x**4 + x


def model_gradient(f: sp.Expr, a: sp.Expr) -> sp.Expr:
    r"""\nabla \tilde f(x) = f'(a) + f''(a) (x - a), the gradient of the quadratic model."""
    return sp.diff(f, x).subs(x, a) + sp.diff(f, x, 2).subs(x, a) * (x - a)


# ------------------------------------------------------------ strict convexity is not enough

def newton_step_undefined(seed: int) -> Comparison:
    """x^4 + x is strictly convex (midpoint inequality strict at 20000 random pairs) and
    numeric.optimize.newton cannot take a step from 0 (H(f)(0) = 0): 1 when both hold."""
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(-2, 2, (2, 20000))
    keep = np.abs(a - b) > 1e-3

    def f(t):
        return t**4 + t
    strict = bool(np.all(f((a + b) / 2)[keep] < ((f(a) + f(b)) / 2)[keep]))
    try:
        optimize.newton(lambda v: 4 * v**3 + 1, lambda v: np.array([[12 * v[0] ** 2]]),
                        np.array([0.0]))
        singular = False
    except SingularMatrixError:
        singular = True
    return Comparison(
        estimate=float(strict and singular), expected=1.0, tolerance=0.0,
        alternatives={"the notes: strictly convex, so the Newton step exists": 0.0},
        details=f"strict midpoint convexity at {int(keep.sum())} pairs: {strict}; "
                f"numeric.optimize.newton from x0 = 0 raised SingularMatrixError: {singular}")


strict_convexity_not_enough = Derivation(
    id="newton-strict-convexity-does-not-give-a-model-minimum",
    notation={"a": 0, "x": x, "f": lambda p: QUARTIC.subs(x, p),
              r"\nabla f": lambda p: sp.diff(QUARTIC, x).subs(x, p),
              "H": lambda function: lambda p: sp.diff(QUARTIC, x, 2).subs(x, p),
              r"\nabla \tilde{f}": known_at((x, model_gradient(QUARTIC, 0)))},
    title="Strict convexity does not make H > 0: x^4 + x at 0 has a model with no minimum",
    source=Source(LECTURE_NOTES, NEWTON_SECTION, STRICT_QUOTE),
    hypotheses=[Hypothesis(r"f \text{ strictly convex}", quote=r"當 $f$ 是 strictly convex 時",
                           note="f(x) = x^4 + x, a = 0")],
    start=Step(model_gradient(QUARTIC, 0),
               r"\nabla \tilde{f}(x) = \nabla f(a) + H(f)(a) (x - a)",
               "f = x^4 + x, a = 0: f'(0) = 1, f''(0) = 0"),
    steps=[Step(sp.S.Zero, r"0", "the notes: solvable, at the model's minimum")],
    expected=erratum(Correction(
        1, Step(sp.S.One, r"1", "never 0: the model is the line f(0) + x, with no stationary "
                                "point"),
        "strict convexity gives only H(f) >= 0 (x^4 + x has f''(0) = 0); grad tilde f = 0 "
        "is solvable, at the model's minimum, when H(f)(a) > 0 (e.g. f strongly convex): "
        "newton-step-solves-model-stationarity")),
    crosschecks=[CrossCheck("strict convexity and the Newton step at 0",
                            newton_step_undefined)],
)

# ------------------------------------------------------------ O(d^3) time, O(d^2) memory

def eliminate(H: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, int]:
    """Solve H s = g by Gaussian elimination with partial pivoting; (s, multiply-adds)."""
    M = np.hstack([H.astype(float), g.reshape(-1, 1).astype(float)])
    d, count = len(g), 0
    for k in range(d - 1):
        pivot = k + int(np.argmax(np.abs(M[k:, k])))
        M[[k, pivot]] = M[[pivot, k]]
        factors = M[k + 1:, k] / M[k, k]
        M[k + 1:, k:] -= np.outer(factors, M[k, k:])
        count += (d - k - 1) * (d - k)        # rows below x columns k+1..d (and the RHS)
    s = np.zeros(d)
    for k in range(d - 1, -1, -1):
        s[k] = (M[k, d] - M[k, k + 1:d] @ s[k + 1:]) / M[k, k]
        count += d - k - 1
    return s, count


def _newton_peak_bytes(dim: int, rng: np.random.Generator) -> int:
    A = rng.standard_normal((dim, dim))
    H = A @ A.T + dim * np.eye(dim)
    tracemalloc.start()
    try:
        optimize.newton(lambda v: H @ v - 1.0, lambda v: H, np.zeros(dim), max_iter=3)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def cost_exponents(seed: int) -> Comparison:
    """Exponent in d of the multiply-adds of an elimination that solves H s = g (3), with
    the peak memory of numeric.optimize.newton at d = 200 and 400 in the details (timings on
    a shared machine are too noisy to fit; counts and tracemalloc's peaks are exact)."""
    rng = np.random.default_rng(seed)
    dims = np.array([25, 50, 100, 200])
    counts, residual = [], 0.0
    for dim in dims:
        H, g = rng.standard_normal((dim, dim)) + dim * np.eye(dim), rng.standard_normal(dim)
        s, count = eliminate(H, g)
        counts.append(count)
        residual = max(residual, float(np.linalg.norm(s - np.linalg.solve(H, g))))
    fit = fit_power_law(dims, counts)
    memory_dims = np.array([200, 400])
    peaks = [_newton_peak_bytes(int(dim), rng) for dim in memory_dims]
    return Comparison(
        estimate=fit.slope if residual < 1e-8 else 0.0,
        expected=3.0, tolerance=0.1,
        alternatives={"O(d^2), a gradient step's cost": 2.0},
        details=f"multiply-adds {counts} at d = {dims.tolist()} ({fit}); max |s - solve| "
                f"{residual:.2g}; numeric.optimize.newton peak memory {peaks} bytes at d = "
                f"{memory_dims.tolist()} (x {peaks[1] / peaks[0]:.2f} for 2 d; one d x d "
                f"matrix is 8 d^2 bytes)",
        data={"plot": "loglog", "x": dims.tolist(), "y": counts, "slope": fit.slope,
              "intercept": fit.intercept, "expected_slope": 3.0,
              "title": "Multiply-adds to solve H s = grad f", "xlabel": "d",
              "ylabel": "multiply-adds"})


d, j = sp.Symbol("d", integer=True, positive=True), sp.Symbol("k", integer=True, positive=True)

elimination_cost = Derivation(
    id="newton-step-costs-cubic-time",
    title="Solving H s = grad f by elimination takes (d^3 - d)/3 + d(d - 1)/2 multiply-adds",
    source=Source(LECTURE_NOTES, PROBLEMS_SECTION, COST_QUOTE),
    hypotheses=[Hypothesis(r"H \in \mathbb{R}^{d \times d} \text{ dense, non-singular}",
                           quote=None, note="Gaussian elimination, then back substitution")],
    start=Step(sp.Sum((d - j) * (d - j + 1), (j, 1, d - 1)) + sp.Sum(d - j, (j, 1, d)),
               r"\sum_{k=1}^{d-1} (d - k)(d - k + 1) + \sum_{k=1}^{d} (d - k)",
               "step k updates d - k rows of d - k + 1 entries (with the right-hand side); "
               "back substitution row k costs d - k"),
    steps=[Step((d**3 - d) / 3 + d * (d - 1) / 2,
                r"\frac{d^3 - d}{3} + \frac{d (d - 1)}{2}",
                "= O(d^3), the notes' time; and H itself holds d^2 numbers: O(d^2) memory")],
    crosschecks=[CrossCheck("operation counts and peak memory against d", cost_exponents)],
)

# ------------------------------------------------------------ the Hessian's condition number

lam_max, lam_min, eps = sp.symbols("lambda_max lambda_min epsilon", positive=True)
HESSIAN = sp.diag(lam_max, lam_min)


def amplification_is_condition_number(seed: int) -> Comparison:
    """Worst relative error of H^{-1} g over that of g, over gradients and errors, for random
    symmetric H with kappa = 1e4 (multi-start BFGS): kappa(H)."""
    rng = np.random.default_rng(seed)
    basis, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    eigen = np.geomspace(1.0, 1e4, 6)
    H = basis @ np.diag(eigen) @ basis.T
    worst = worst_amplification(H, rng)
    return Comparison(
        estimate=worst / 1e4, expected=1.0, tolerance=1e-4,
        alternatives={"sqrt(kappa)": 1e-2, "no amplification (1)": 1e-4},
        details=f"worst amplification {worst:.6g} for kappa(H) = 1e4, d = 6")


gradient_errors_amplified = Derivation(
    id="newton-direction-error-amplified-by-hessian-condition-number",
    notation={"H": HESSIAN, "g": sp.Matrix([1, 0]), r"\delta g": sp.Matrix([0, eps]),
              r"\kappa": eigenvalue_ratio},
    title="A gradient error is amplified in the Newton direction by kappa(H) = "
          "lambda_max / lambda_min",
    source=Source(LECTURE_NOTES, PROBLEMS_SECTION, CONDITION_QUOTE),
    hypotheses=[Hypothesis(r"H(f)(x) = H^\top \succ 0", quote=None,
                           note="in its eigenbasis H = diag(lambda_max, lambda_min); the worst "
                                "case: g along the first eigenvector, delta g along the second")],
    start=Step(squared_amplification(HESSIAN, sp.Matrix([1, 0]), sp.Matrix([0, eps])),
               r"\left(\frac{\|H^{-1} \delta g\| / \|H^{-1} g\|}{\|\delta g\| / \|g\|}\right)^2",
               "g = (1, 0), delta g = (0, epsilon)"),
    steps=[Step((lam_max / lam_min) ** 2, r"\kappa(H)^2 = \left(\frac{\lambda_{\max}}"
                                          r"{\lambda_{\min}}\right)^2")],
    crosschecks=[CrossCheck("worst amplification for a symmetric H with kappa = 1e4",
                            amplification_is_condition_number)],
)

# ------------------------------------------------------------ convergence to a saddle point

y = sp.Symbol("y", real=True)
SADDLE_FUNCTION_Y = y**4 / 4 - y**2 / 2         # f(x, y) = x^2 + y^4/4 - y^2/2 separates


def _saddle_gradient(v: np.ndarray) -> np.ndarray:
    return np.array([2 * v[0], v[1] ** 3 - v[1]])


def _saddle_hessian(v: np.ndarray) -> np.ndarray:
    return np.array([[2.0, 0.0], [0.0, 3 * v[1] ** 2 - 1]])


def newton_finds_saddle(seed: int) -> Comparison:
    """From 100 random starts with |y| < 0.4: the fraction where numeric.optimize.newton ends
    at the saddle (0, 0) and gradient descent (step 0.1) at a minimum (0, +-1)."""
    rng = np.random.default_rng(seed)
    starts = np.column_stack([rng.uniform(-1, 1, 100), rng.uniform(-0.4, 0.4, 100)])
    both, newton_minima = 0, 0
    for start in starts:
        newton = optimize.newton(_saddle_gradient, _saddle_hessian, start, tol=1e-12).x
        descent = optimize.gradient_descent(_saddle_gradient, start, step=0.1, tol=1e-10,
                                            max_iter=20_000).x
        at_saddle = np.linalg.norm(newton) < 1e-8
        newton_minima += abs(abs(newton[1]) - 1) < 1e-6
        both += at_saddle and abs(abs(descent[1]) - 1) < 1e-6
    return Comparison(
        estimate=both / 100, expected=1.0, tolerance=0.0,
        alternatives={"Newton reaches a minimum as gradient descent does": newton_minima / 100},
        details=f"{both}/100 starts: Newton at the saddle (0, 0), gradient descent at (0, +-1); "
                f"f = x^2 + y^4/4 - y^2/2, |y0| < 0.4")


newton_to_saddle = Derivation(
    id="newton-iteration-converges-to-saddle",
    notation={"f": x**2 + SADDLE_FUNCTION_Y},
    title="On x^2 + y^4/4 - y^2/2 Newton's y-update is 2y^3/(3y^2 - 1): it goes to the saddle",
    source=Source(LECTURE_NOTES, PROBLEMS_SECTION, SADDLE_QUOTE),
    hypotheses=[Hypothesis(r"|y| < \tfrac{1}{\sqrt{5}}", quote=None,
                           note="then |2 y^2 / (3 y^2 - 1)| < 1: |y| shrinks every step")],
    start=Step(y - sp.diff(SADDLE_FUNCTION_Y, y) / sp.diff(SADDLE_FUNCTION_Y, y, 2),
               r"y - \frac{\partial_y f}{\partial_y^2 f}",
               "the Newton step separates: x -> 0 in one step, y by itself"),
    steps=[Step(2 * y**3 / (3 * y**2 - 1), r"\frac{2 y^3}{3 y^2 - 1}",
                "the saddle y = 0 is a fixed point attracting cubically")],
    crosschecks=[CrossCheck("Newton and gradient descent from 100 starts near the saddle",
                            newton_finds_saddle)],
)

# ------------------------------------------------------------ not strictly convex: which H?

NOT_STRICT_QUOTE = (r"當 $f$ 不是 strictly convex 時,$H(f)(x) \preceq 0$ 或 indefinite,會導致找出來的"
                    r"方向不是下降方向")
a1, a2, b2 = sp.symbols("a1 a2 b2", real=True)
x1, x2 = sp.symbols("x1 x2", real=True)
FLAT = x1**2                                      # H = diag(2, 0) everywhere


def _midpoint_gap(f: sp.Expr, first: tuple, second: tuple) -> sp.Expr:
    """(f(a) + f(b)) / 2 - f((a + b) / 2): > 0 for a != b when f is strictly convex."""
    def at(point: tuple) -> sp.Expr:
        return f.subs({x1: point[0], x2: point[1]}, simultaneous=True)
    middle = tuple((p + q) / 2 for p, q in zip(first, second, strict=True))
    return (at(first) + at(second)) / 2 - at(middle)


def flat_direction_gap(seed: int) -> Comparison:
    """For f = x1^2: the Hessian's eigenvalues at 200 random points (2 and 0: neither <= 0 nor
    indefinite) and the largest midpoint gap over 2000 pairs differing only in x2 (0)."""
    rng = np.random.default_rng(seed)
    def hessian(v: np.ndarray, h: float = 1e-4) -> np.ndarray:
        steps = h * np.eye(2)
        return np.array([[((v + a + b)[0] ** 2 - (v + a - b)[0] ** 2 - (v - a + b)[0] ** 2
                           + (v - a - b)[0] ** 2) / (4 * h * h) for b in steps] for a in steps])
    eigen = {tuple(float(e) for e in np.linalg.eigvalsh(hessian(v)).round(6))
             for v in rng.standard_normal((200, 2))}
    first = rng.standard_normal((2000, 2))
    second = first.copy()
    second[:, 1] += rng.uniform(0.5, 2.0, 2000)

    def f(v: np.ndarray) -> np.ndarray:
        return v[:, 0] ** 2
    gaps = (f(first) + f(second)) / 2 - f((first + second) / 2)
    return Comparison(
        estimate=float(np.abs(gaps).max()), expected=0.0, tolerance=1e-12,
        alternatives={"strictly convex (gap about |a - b|^2 / 4 for x1^2 + x2^2)":
                      float(np.min(np.sum((first - second) ** 2, axis=1)) / 4)},
        details=f"finite-difference Hessian eigenvalues of x1^2 at 200 points: {sorted(eigen)}; "
                f"max midpoint gap along x2 "
                f"{np.abs(gaps).max():.2g}")


psd_singular_not_strict = Derivation(
    id="newton-not-strictly-convex-hessian-need-not-be-negative-or-indefinite",
    notation={"a": sp.Matrix([a1, a2]), "b": sp.Matrix([a1, b2]),
              "f": lambda p: FLAT.subs({x1: p[0], x2: p[1]}, simultaneous=True)},
    title="Not strictly convex does not mean H <= 0 or indefinite: x1^2 has H = diag(2, 0)",
    source=Source(LECTURE_NOTES, NEWTON_SECTION, NOT_STRICT_QUOTE),
    hypotheses=[Hypothesis(r"H(f)(x) \not\preceq 0 \text{ and not indefinite for every } x",
                           quote=None, note="f = x1^2: H = diag(2, 0) (positive semi-definite, "
                                            "non-zero) everywhere, so the notes' dichotomy "
                                            "would make f strictly convex")],
    start=Step(_midpoint_gap(FLAT, (a1, a2), (a1, b2)),
               r"\frac{f(a) + f(b)}{2} - f\left(\frac{a + b}{2}\right)",
               "a = (a1, a2), b = (a1, b2): a != b when a2 != b2"),
    steps=[Step(sp.S.Zero, r"0", "the notes' contrapositive: H neither <= 0 nor indefinite, so "
                                 "f strictly convex and the gap is positive", relation=">")],
    expected=erratum(Correction(
        1, Step(sp.S.Zero, r"0", "equal: f is not strictly convex", relation="="),
        "a function that is not strictly convex can have H >= 0 singular (x1^2: H = diag(2, "
        "0)), which is neither <= 0 nor indefinite; there the Newton step does not exist "
        "(H is singular), and Levenberg-Marquardt's H + lambda I > 0 (any lambda > 0) fixes "
        "that case too")),
    crosschecks=[CrossCheck("x1^2's Hessian and its midpoint gap along x2", flat_direction_gap)],
)

m1, m2, r_grad = sp.symbols("m1 m2 r", positive=True)
psi = sp.Symbol("psi", real=True)
GRADIENT = r_grad * sp.Matrix([sp.cos(psi), sp.sin(psi)])
NEGATIVE_HESSIAN = sp.diag(-m1, -m2)


def ascent_fraction(seed: int) -> Comparison:
    """The fraction of 2000 random (g, H) with H negative definite where the Newton direction
    -H^{-1} g raises f to first order (g^T d > 0): 1; for indefinite H it is in between."""
    rng = np.random.default_rng(seed)
    g = rng.standard_normal((2000, 3))
    A = rng.standard_normal((2000, 3, 3))
    negative = -(A @ A.transpose(0, 2, 1) + 0.1 * np.eye(3))
    indefinite = A + A.transpose(0, 2, 1)
    slope_negative = -np.einsum("ki,ki->k", g, np.linalg.solve(negative, g[..., None])[..., 0])
    slope_indefinite = -np.einsum("ki,ki->k", g,
                                  np.linalg.solve(indefinite, g[..., None])[..., 0])
    return Comparison(
        estimate=float(np.mean(slope_negative > 0)), expected=1.0, tolerance=0.0,
        alternatives={"a descent direction, as for H > 0": 0.0},
        details=f"d = 3; H <= 0: ascent in {np.mean(slope_negative > 0):.3f} of cases; "
                f"indefinite H: ascent in {np.mean(slope_indefinite > 0):.3f}")


negative_hessian_ascent = Derivation(
    id="newton-direction-ascends-for-negative-definite-hessian",
    notation={r"\nabla f": GRADIENT, "f": known_at(), "H": lambda function: NEGATIVE_HESSIAN,
              "m_1": m1, "m_2": m2},
    title="For H < 0 the Newton direction -H^{-1} grad f is an ascent direction",
    source=Source(LECTURE_NOTES, NEWTON_SECTION, NOT_STRICT_QUOTE),
    hypotheses=[Hypothesis(r"H(f)(x) \prec 0", quote=NOT_STRICT_QUOTE,
                           note="in its eigenbasis H = diag(-m1, -m2), m_k > 0; grad f = r "
                                "(cos psi, sin psi) != 0")],
    start=Step(-(GRADIENT.T * NEGATIVE_HESSIAN.inv() * GRADIENT)[0, 0],
               r"\nabla f^\top \left(-H(f)^{-1} \nabla f\right)",
               "the slope of f along the Newton direction"),
    steps=[Step(r_grad**2 * (sp.cos(psi) ** 2 / m1 + sp.sin(psi) ** 2 / m2),
                r"|\nabla f|^2 \left(\frac{\cos^2 \psi}{m_1} + \frac{\sin^2 \psi}{m_2}\right)"),
           Step(r_grad**2 * (sp.cos(psi) ** 2 + sp.sin(psi) ** 2) / (m1 + m2),
                r"\frac{|\nabla f|^2}{m_1 + m_2}", "1/m_k >= 1/(m1 + m2)", relation=">="),
           Step(sp.S.Zero, r"0", "so f rises along it: not a descent direction",
                relation=">")],
    crosschecks=[CrossCheck("the Newton direction's slope for random negative definite and "
                            "indefinite H", ascent_fraction)],
)

# ------------------------------------------------------------ the damped step's rate

ITERATION_QUOTE = (r"$$x^{(k+1)} = x^{(k)} - \eta H(f)(x^{(k)})^{-1} \nabla f(x^{(k)})$$ "
                   r"就可以快速收斂")
step_size = sp.Symbol("eta", positive=True)
e1, e2 = sp.symbols("e1 e2", real=True)
SPD = sp.Matrix([[sp.Symbol("l11", positive=True), 0],
                 [sp.Symbol("l21", real=True), sp.Symbol("l22", positive=True)]])
SPD_HESSIAN = SPD * SPD.T                   # every symmetric positive definite 2 x 2 matrix
iteration = sp.Symbol("k", integer=True, positive=True)
MINIMISER, ERROR = sp.Matrix(sp.symbols("xstar1 xstar2", real=True)), sp.Matrix([e1, e2])
DAMPED_NOTATION = {"H": SPD_HESSIAN, "x^*": MINIMISER, "e": known_at((iteration, ERROR)),
                   "x": known_at((iteration, MINIMISER + ERROR),
                                 (iteration + 1, MINIMISER + (1 - step_size) * ERROR)),
                   r"\nabla f": lambda p: SPD_HESSIAN * (p - MINIMISER)}  # f = 1/2 e^T H e


def _orders(seed: int) -> tuple[float, float, str]:
    """Fitted orders of numeric.optimize.newton with eta = 1 and eta = 1/2 on sum(e^x - x) +
    x^T A x / 2, A = [[10, 3], [3, 1]] (minimiser 0), from (-2, 3)."""
    function = _opt.ExpQuadratic(np.array([[10.0, 3.0], [3.0, 1.0]]))
    start = np.array([-2.0, 3.0])
    full = optimize.newton(function.gradient, function.hessian, start, tol=1e-15, max_iter=60)
    half = optimize.newton(function.gradient, function.hessian, start, step=0.5, tol=1e-13,
                           max_iter=200)
    full_fit = _opt.convergence_order(_opt.errors(full.history), below=0.5, above=1e-13)
    half_fit = _opt.convergence_order(_opt.errors(half.history), below=0.5, above=1e-12)
    return full_fit.slope, half_fit.slope, f"eta = 1: {full_fit}; eta = 1/2: {half_fit}"


def damped_newton_is_linear(seed: int) -> Comparison:
    """Order of convergence of Newton's iteration with eta = 1/2 (1: linear, e_{k+1} ~
    e_k / 2), against eta = 1's quadratic order."""
    full, half, details = _orders(seed)
    return Comparison(
        estimate=half, expected=1.0, tolerance=0.1,
        alternatives={"quadratic, as with eta = 1": full},
        details=details + "; f = sum(e^x - x) + x^T A x / 2, A = [[10, 3], [3, 1]], x0 = "
                          "(-2, 3)")


damped_newton_rate = Derivation(
    id="newton-damped-step-converges-linearly-on-a-quadratic",
    notation=DAMPED_NOTATION,
    title="With a step eta the Newton iteration contracts the error by exactly 1 - eta on a "
          "quadratic: quadratic convergence needs eta = 1",
    source=Source(LECTURE_NOTES, NEWTON_SECTION, ITERATION_QUOTE),
    hypotheses=[Hypothesis(r"f(x) = \frac{1}{2} (x - x^*)^\top H (x - x^*), \ H \succ 0",
                           quote=None, note="d = 2, H = L L^T (Cholesky); near a minimiser "
                                            "with H > 0 every smooth f looks like this")],
    start=Step(sp.Matrix([e1, e2]) - step_size * SPD_HESSIAN.inv() * SPD_HESSIAN
               * sp.Matrix([e1, e2]),
               r"x^{(k+1)} - x^* = e_k - \eta H^{-1} \nabla f(x^{(k)})",
               "e_k = x^{(k)} - x*, grad f(x^{(k)}) = H e_k"),
    steps=[Step((1 - step_size) * sp.Matrix([e1, e2]), r"(1 - \eta) e_k",
                "linear convergence with rate |1 - eta| for 0 < eta < 2, one step for eta = 1")],
    crosschecks=[CrossCheck("the order of convergence with eta = 1/2 and eta = 1",
                            damped_newton_is_linear)],
)
