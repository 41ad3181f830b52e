r"""The subgradient method on convex non-differentiable functions: why and how fast it converges.

Assignment, "Unanswered questions in assignment 01": "When f is Not differentiable and f is a
convex function, the gradient descent algorithm also worked for such functions by using a
so-called sub-gradient", and, quoting [1], "If f is differentiable at w then \partial f(w)
contains a single element the gradient of f at w".  (The sign of the notes' update and the
subdifferential of |x| are checked in ``sde_numerics.py``; the update used here is the
corrected x_{k+1} = x_k - eta_k g_k.)

- One step: ||x_{k+1} - x*||^2 = ||x_k - x*||^2 - 2 eta_k g_k^T (x_k - x*) + eta_k^2 ||g_k||^2
  <= ||x_k - x*||^2 - 2 eta_k (f(x_k) - f*) + eta_k^2 G^2, by the subgradient inequality
  f* >= f(x_k) + g_k^T (x* - x_k) and ||g_k|| <= G (f is G-Lipschitz).  Summed over k:
  min_{k <= T} f(x_k) - f* <= (R^2 + G^2 sum eta_k^2) / (2 sum eta_k), R = ||x_1 - x*||.
  With sum eta_k = oo and sum eta_k^2 < oo the bound tends to 0 (so does it for eta_k = c /
  sqrt k, whose squares are not summable: then it is O(log T / sqrt T)); with the fixed step
  eta = R / (G sqrt T) it is R G / sqrt T.  The rate is O(1 / sqrt T), not the O(1 / T) of
  gradient descent on smooth functions.
- Cross-checks: on |x| with the step R / (G sqrt T) the best gap is, in expectation over a
  uniform start, exactly eta / 4 (slope -1/2 in T); on lasso objectives with the step
  1/sqrt(T) the gap of the iterates decays with slope -1/2.  With eta_k = 1/k the method
  converges on |x|; with the summable eta_k = 1/k^2 it stalls.
- Erratum: the notes' update uses one step size eta, and with a constant step the method does
  not converge: on |x| the iterates end in a 2-cycle at distance min(u, 1 - u) eta from 0.
  Diminishing steps (or eta = R / (G sqrt T) for a fixed horizon) are needed.
- Uniqueness of the subgradient of a differentiable f needs convexity, which the notes state:
  for a convex quadratic every g other than f'(w) violates the subgradient inequality
  somewhere; for the concave -x^2 the gradient at 0 is no subgradient at all.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import sympy as sp

from derive import (
    Comparison,
    Correction,
    CrossCheck,
    Derivation,
    Hypothesis,
    Source,
    Step,
    erratum,
)
from numeric import linear, montecarlo
from numeric.rates import fit_power_law

from ._notation import known_at
from ._notes import ASSIGNMENT

SECTION = "Unanswered questions in assignment 01"
WORKED_QUOTE = (r"When f is Not differentiable and f is a convex function, the gradient descent "
                r"algorithm also worked for such functions by using a so-called sub-gradient "
                r"(次梯度) of $f(w)$ at $w(t)$, instead of the gradient.")
UNIQUE_QUOTE = (r"If f is differentiable at w then $\partial f(w)$ contains a single element the "
                r"gradient of f at w , $\nabla f(w)$.")
CONVEX = Hypothesis(r"f \text{ convex}", "f is a convex function")
LIPSCHITZ = Hypothesis(r"\|g\| \le G \text{ for every subgradient } g", None,
                       "f is G-Lipschitz; a norm bound the notes do not state, needed for any "
                       "rate (every convex f is Lipschitz on a bounded set)")
MINIMISER = Hypothesis(r"x^* \in \arg\min f, \; \|x_1 - x^*\| \le R", None,
                       "a minimiser exists")

HALF = sp.Rational(1, 2)
D = sp.Symbol("D", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
xk, gk, xs = (sp.IndexedBase(name, real=True) for name in ("x", "g", "x^*"))
eta = sp.Symbol("eta", positive=True)


def _coordinates(term: sp.Expr) -> sp.Sum:
    return sp.Sum(term, (i, 1, D))



dist2, gap, G = sp.Symbol("Delta_k", nonnegative=True), sp.Symbol("gap_k", nonnegative=True), \
    sp.Symbol("G", positive=True)
slack, room = sp.Symbol("s", nonnegative=True), sp.Symbol("t", nonnegative=True)


R, T = sp.Symbol("R", positive=True), sp.Symbol("T", integer=True, positive=True)
kk = sp.Symbol("k", integer=True, positive=True)
X_STAR, F_STAR = sp.Symbol("x^*", real=True), sp.Symbol("f^*", real=True)  # x*, f(x*)
c = sp.Symbol("c", positive=True)
GENERAL_BOUND_LATEX = r"\frac{R^2 + G^2 \sum_{k=1}^{T} \eta_k^2}{2 \sum_{k=1}^{T} \eta_k}"

DIMINISHING_START, DIMINISHING_STEPS = 3.0, 10_000


def _abs_run(steps: np.ndarray) -> float:
    """min_k |x_k| for x_{k+1} = x_k - eta_k sign(x_k) on |x| from x_1 = 3."""
    x, best = DIMINISHING_START, DIMINISHING_START
    for step in steps:
        x -= step * math.copysign(1.0, x) if x != 0.0 else 0.0
        best = min(best, abs(x))
    return float(best)


def diminishing_steps(seed: int) -> Comparison:
    """Best gap on |x| with eta_k = 1/k (within the bound) against eta_k = 1/k^2 (stalls)."""
    k = np.arange(1, DIMINISHING_STEPS + 1, dtype=float)
    harmonic, squares = 1.0 / k, 1.0 / k**2
    bound = (DIMINISHING_START**2 + squares.sum()) / (2 * harmonic.sum())
    stalled = _abs_run(squares)
    return Comparison(
        estimate=_abs_run(harmonic), expected=0.0, tolerance=bound,
        alternatives={"summable steps eta_k = 1/k^2 (sum eta < oo)": stalled},
        details=f"f = |x| (R = {DIMINISHING_START}, G = 1), {DIMINISHING_STEPS} steps; "
                f"tolerance = the guarantee (R^2 + G^2 sum eta^2) / (2 sum eta) = {bound:.4f}; "
                f"with eta_k = 1/k^2 the iterates can move at most pi^2/6 = 1.645 in all and "
                f"stop at {stalled:.4f}")


CONSTANT_STEP, CONSTANT_START, CONSTANT_ITERATIONS = 0.5, 1.3, 10_000
UPDATE_QUOTE = r"x_{k+1} = x_k + \eta g_k, g \in \partial f(x)"


def constant_step_stalls(seed: int) -> Comparison:
    """Best |x_k| over 10^4 steps of x - eta sign(x) with a constant eta: eta min(u, 1 - u)."""
    x, best = CONSTANT_START, CONSTANT_START
    for _ in range(CONSTANT_ITERATIONS):
        x -= CONSTANT_STEP * math.copysign(1.0, x)
        best = min(best, abs(x))
    fraction = (CONSTANT_START / CONSTANT_STEP) % 1.0
    return Comparison(
        estimate=best, expected=CONSTANT_STEP * min(fraction, 1 - fraction), tolerance=1e-9,
        alternatives={"convergence: min f = 0": 0.0},
        details=f"f = |x|, x_1 = {CONSTANT_START}, eta = {CONSTANT_STEP}, "
                f"{CONSTANT_ITERATIONS} steps; the iterates end alternating between "
                f"{CONSTANT_STEP * fraction:.3f} and {CONSTANT_STEP * (fraction - 1):.3f}")


cycle_fraction = 1 / (1 + sp.Symbol("q", positive=True))     # u in (0, 1): x = u eta

constant_step = Derivation(
    id="subgradient-method-constant-step-stalls",
    notation={"u": cycle_fraction, "T": T, "x": sp.IndexedBase("x", real=True),
              "f": sp.Symbol("f", real=True)},
    title="With the notes' constant step the subgradient method does not converge on |x|",
    source=Source(ASSIGNMENT, SECTION, WORKED_QUOTE),
    start=Step(sp.Min(eta * cycle_fraction, eta * (1 - cycle_fraction)),
               r"\lim_{T \to \infty} \min_{k \le T} |x_k| = \min(u \eta, (1 - u) \eta)",
               "f = |x| (convex, not differentiable at 0); x - eta sign(x) with one step eta "
               "from x_1 = (m + u) eta, 0 < u < 1: after m steps the iterates alternate between "
               "u eta and (u - 1) eta for ever"),
    steps=[Step(sp.S.Zero, r"\min f = 0", "the notes: the algorithm 'worked', it converges")],
    expected=erratum(Correction(
        1, Step(sp.Min(eta * cycle_fraction, eta * (1 - cycle_fraction)),
                r"\min(u \eta, (1 - u) \eta)"),
        "the best value stays min(u, 1 - u) eta > 0: with a constant step the iterates stall "
        "at a distance of order eta from the "
        "minimiser (min f(x_k) - f* <= G^2 eta / 2 + R^2 / (2 eta T) is all that holds); the "
        "subgradient method converges with diminishing steps, eta_k -> 0 and sum eta_k = oo "
        "(subgradient-diminishing-steps-converge), or with eta = R / (G sqrt T) for a fixed "
        "horizon T (subgradient-fixed-horizon-rate)")),
    hypotheses=[CONVEX, Hypothesis(r"\eta_k = \eta \text{ for every } k", UPDATE_QUOTE,
                                   "the notes' update has one step size eta (its sign is "
                                   "corrected here: subgradient-update-sign)")],
    crosschecks=[CrossCheck("|x| with a constant step", constant_step_stalls)],
)

square_summable = Derivation(
    id="subgradient-diminishing-steps-converge",
    title="With eta_k = c / k (sum eta = oo, sum eta^2 < oo) the bound tends to 0",
    source=Source(ASSIGNMENT, SECTION, WORKED_QUOTE),
    start=Step(sp.Limit((R**2 + G**2 * sp.Sum(c**2 / kk**2, (kk, 1, T)))
                        / (2 * sp.Sum(c / kk, (kk, 1, T))), T, sp.oo),
               r"\lim_{T \to \infty} \frac{R^2 + G^2 \sum_{k=1}^{T} \frac{c^2}{k^2}}{2 \sum_{k=1}^{T} "
               r"\frac{c}{k}}", "the bound of subgradient-fixed-horizon-rate (before choosing eta) with eta_k = c / k"),
    steps=[Step(sp.S.Zero, "0", "the numerator stays below R^2 + G^2 c^2 pi^2 / 6, the "
                "denominator grows like 2 c log T: slowly, but the method converges")],
    hypotheses=[CONVEX, LIPSCHITZ, MINIMISER],
    crosschecks=[CrossCheck("|x| with eta_k = 1/k against the summable eta_k = 1/k^2",
                            diminishing_steps)],
)

# ---------------------------------------------------------------- numerics: |x|

ABS_HORIZONS = tuple((2 * m) ** 2 for m in (2, 3, 4, 6, 8, 11, 16, 23, 32))  # 16..4096
ABS_STARTS = 1000


def _abs_best_gap_sampler(horizon: int) -> Callable[[np.random.Generator, int], np.ndarray]:
    """min_{k <= T} |x_k| for x_{k+1} = x_k - eta sign(x_k), eta = R / (G sqrt T) = 2 / sqrt T,
    x_1 ~ U(1, 2): T = (2m)^2 makes 1 / eta = m an integer, so r = x_1 mod eta is uniform on
    [0, eta); the iterates end alternating between r and r - eta, so the best is
    min(r, eta - r), uniform on [0, eta / 2]: E = eta / 4."""
    step = 2.0 / math.sqrt(horizon)

    def sampler(rng: np.random.Generator, size: int) -> np.ndarray:
        x = rng.uniform(1.0, 2.0, size)
        best = np.abs(x)
        for _ in range(horizon):
            x = x - step * np.sign(x)
            np.minimum(best, np.abs(x), out=best)
        return best

    return sampler


def _rate_comparison(xs_: list[float], means: list[float], stderrs: list[float], title: str,
                     setting: str, tolerance: float | None = None) -> Comparison:
    """The fitted slope of log gap against log T, against the claimed -1/2: by the fit's
    standard error (Student t threshold) or, for a deterministic curve, by a tolerance."""
    fit = fit_power_law(xs_, means)
    spread = ({"tolerance": tolerance} if tolerance is not None else
              {"stderr": fit.slope_stderr, "z_threshold": fit.t_threshold()})
    return Comparison(
        estimate=fit.slope, expected=-0.5, **spread,
        alternatives={"O(1/T), gradient descent's rate on smooth f": -1.0,
                      "no convergence (a constant step)": 0.0},
        details=f"{fit}; {setting}",
        data={"plot": "loglog", "x": xs_, "y": means, "yerr": stderrs, "slope": fit.slope,
              "intercept": fit.intercept, "expected_slope": -0.5, "title": title,
              "xlabel": "iterations T", "ylabel": "f - f*"})


def abs_rate(seed: int) -> Comparison:
    """E[min_k |x_k|] against the horizon T for |x| with the step R / (G sqrt T): slope -1/2."""
    means, stderrs = [], []
    for index, horizon in enumerate(ABS_HORIZONS):
        child = np.random.SeedSequence(seed, spawn_key=(index,))
        result = montecarlo.estimate(_abs_best_gap_sampler(horizon), ABS_STARTS, seed=child)
        means.append(float(result.mean))
        stderrs.append(float(result.stderr))
    scaled = [m * math.sqrt(h) for m, h in zip(means, ABS_HORIZONS, strict=False)]
    return _rate_comparison(
        list(map(float, ABS_HORIZONS)), means, stderrs,
        "Subgradient method on |x|, step R/(G sqrt T): best gap",
        f"f = |x|, x_1 ~ U(1, 2), eta = 2/sqrt(T), {ABS_STARTS} starts per T (independent); "
        f"sqrt(T) E[best gap] = {', '.join(f'{v:.4f}' for v in scaled)} (exactly 1/2 in "
        f"expectation; the guarantee R G / sqrt T gives 2)")


# ---------------------------------------------------------------- numerics: lasso

LASSO_ITERATIONS = tuple(round(2 ** (k / 2)) for k in range(14, 27))  # 128..8192
LASSO_PROBLEMS, LASSO_N, LASSO_D, LASSO_ALPHA = 24, 40, 8, 0.2
Problems = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # Gram, X^T y, y^T y, f*


def _lasso_problems(rng: np.random.Generator) -> Problems:
    """Random lasso problems 1/2 ||y - X w||^2 + alpha ||w||_1 (Gram A, X^T y, y^T y, f*)."""
    truth = np.zeros(LASSO_D)
    truth[:3] = (1.5, -1.0, 0.5)
    grams, products, norms, optima = [], [], [], []
    for _ in range(LASSO_PROBLEMS):
        X = rng.normal(0.0, 1.0 / math.sqrt(LASSO_N), (LASSO_N, LASSO_D))
        y = X @ truth + 0.3 * rng.normal(size=LASSO_N)
        model = linear.lasso(X, y, LASSO_ALPHA, fit_intercept=False)
        grams.append(X.T @ X)
        products.append(X.T @ y)
        norms.append(y @ y)
        optima.append(model.objective)
    return np.array(grams), np.array(products), np.array(norms), np.array(optima)


def _lasso_value(w: np.ndarray, grams: np.ndarray, products: np.ndarray,
                 norms: np.ndarray) -> np.ndarray:
    quadratic = 0.5 * np.einsum("mi,mij,mj->m", w, grams, w) - np.einsum("mi,mi->m", products, w)
    return np.asarray(quadratic + 0.5 * norms + LASSO_ALPHA * np.abs(w).sum(axis=1))


def _lasso_gap(iterations: int, problems: Problems) -> np.ndarray:
    """Mean of f(x_k) - f* over the last quarter of T steps of size eta = 1 / sqrt T from 0,
    per problem (averaging over k smooths the phase of the oscillation about the kinks)."""
    grams, products, norms, optima = problems
    w, step = np.zeros((LASSO_PROBLEMS, LASSO_D)), 1.0 / math.sqrt(iterations)
    total = np.zeros(LASSO_PROBLEMS)
    for k in range(iterations):
        g = np.einsum("mij,mj->mi", grams, w) - products + LASSO_ALPHA * np.sign(w)
        w = w - step * g
        if 4 * k >= 3 * iterations:
            total += _lasso_value(w, grams, products, norms) - optima
    return total / (iterations - (3 * iterations + 3) // 4)


def lasso_rate(seed: int) -> Comparison:
    """Mean gap of the T-th iterate on random lasso problems against T: slope -1/2."""
    means, stderrs = [], []
    problems = _lasso_problems(np.random.default_rng(seed))
    for iterations in LASSO_ITERATIONS:
        gaps = _lasso_gap(iterations, problems)
        means.append(float(gaps.mean()))
        stderrs.append(float(gaps.std(ddof=1) / math.sqrt(gaps.size)))
    return _rate_comparison(
        list(map(float, LASSO_ITERATIONS)), means, stderrs,
        "Subgradient method on lasso objectives, eta_k = 1/sqrt(k): gap of x_T",
        f"the same {LASSO_PROBLEMS} random problems for every T (n = {LASSO_N}, d = {LASSO_D}, alpha = "
        f"{LASSO_ALPHA}, 3 non-zero weights), f* by coordinate descent; constant step "
        f"eta = 1/sqrt(T), gap averaged over the last T/4 iterates: the iterates hover within "
        f"O(eta) of the kinks, so the gap is A eta + O(eta^2); tolerance 0.05 on the slope for "
        f"the O(eta) correction (a smooth curve: no standard error)", tolerance=0.05)


def _one_step_excess(sign: float, seed: int) -> float:
    """max_k ||x_{k+1} - x*||^2 - ||x_k - x*||^2 + 2 eta_k (f(x_k) - f*) - eta_k^2 ||g_k||^2 for
    x_{k+1} = x_k + sign eta_k g_k on one random lasso problem (<= 0 when the bound holds)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0 / math.sqrt(LASSO_N), (LASSO_N, LASSO_D))
    y = X @ np.r_[1.5, -1.0, 0.5, np.zeros(LASSO_D - 3)] + 0.3 * rng.normal(size=LASSO_N)
    model = linear.lasso(X, y, LASSO_ALPHA, fit_intercept=False)
    best, value = model.coef, model.objective

    def objective(v: np.ndarray) -> float:
        return float(0.5 * np.sum((y - X @ v) ** 2) + LASSO_ALPHA * np.abs(v).sum())

    w, worst = np.zeros(LASSO_D), -math.inf
    for k in range(1, 201):
        g, step = X.T @ (X @ w - y) + LASSO_ALPHA * np.sign(w), 1.0 / math.sqrt(k)
        moved = w + sign * step * g
        excess = (np.sum((moved - best) ** 2) - np.sum((w - best) ** 2)
                  + 2 * step * (objective(w) - value) - step**2 * float(g @ g))
        w, worst = moved, max(worst, float(excess))
    return worst


def one_step_inequality(seed: int) -> Comparison:
    """The one-step bound along the subgradient method on a lasso problem, both signs."""
    excess = _one_step_excess(-1.0, seed)
    return Comparison(
        estimate=max(excess, 0.0), expected=0.0, tolerance=1e-9,
        alternatives={"the notes' update x + eta g": _one_step_excess(1.0, seed)},
        details=f"one random lasso problem (n = {LASSO_N}, d = {LASSO_D}), 200 steps eta_k = "
                f"1/sqrt k from 0, x* by coordinate descent; largest excess of "
                f"||x_(k+1) - x*||^2 over the bound with ||g_k||^2 for G^2: {excess:.3g}")


distance_recursion = Derivation(
    id="subgradient-step-distance-identity",
    title="||x_k - eta g_k - x*||^2 = ||x_k - x*||^2 - 2 eta g_k^T (x_k - x*) + eta^2 ||g_k||^2",
    source=Source(ASSIGNMENT, SECTION, WORKED_QUOTE),
    start=Step(_coordinates((xk[i] - eta * gk[i] - xs[i]) ** 2),
               r"\|x_{k+1} - x^*\|^2 = \sum_{i=1}^{D} (x_i - \eta g_i - x^*_i)^2",
               "the corrected update x_{k+1} = x_k - eta g_k, in D coordinates"),
    steps=[Step(_coordinates((xk[i] - xs[i]) ** 2) - 2 * eta * _coordinates(gk[i] * (xk[i] - xs[i]))
                + eta**2 * _coordinates(gk[i] ** 2),
                r"\sum_{i=1}^{D} (x_i - x^*_i)^2 - 2 \eta \sum_{i=1}^{D} g_i (x_i - x^*_i) + "
                r"\eta^2 \sum_{i=1}^{D} g_i^2")],
    crosschecks=[CrossCheck("the one-step bound along the method on a lasso problem",
                            one_step_inequality)],
)

one_step_bound = Derivation(
    id="subgradient-step-distance-bound",
    notation={"x^*": X_STAR, "x": known_at((kk, X_STAR + sp.sqrt(dist2))),
              "f": known_at((X_STAR + sp.sqrt(dist2), gap + F_STAR)), "f^*": F_STAR},
    title="||x_{k+1} - x*||^2 <= ||x_k - x*||^2 - 2 eta (f(x_k) - f*) + eta^2 G^2",
    source=Source(ASSIGNMENT, SECTION, WORKED_QUOTE),
    start=Step(dist2 - 2 * eta * (gap + slack) + eta**2 * (G**2 - room),
               r"\|x_k - x^*\|^2 - 2 \eta g_k^\top (x_k - x^*) + \eta^2 \|g_k\|^2",
               "subgradient-step-distance-identity; convexity: g_k^T (x_k - x*) = "
               "f(x_k) - f* + s with s >= 0 (the subgradient inequality at x*); "
               "||g_k||^2 = G^2 - t with t >= 0; any g_k in the subdifferential will do "
               "('任何一個 subgradient 都能拿來做更新')"),
    steps=[Step(dist2 - 2 * eta * gap + eta**2 * G**2,
                r"\|x_k - x^*\|^2 - 2 \eta (f(x_k) - f^*) + \eta^2 G^2", relation="<=")],
    hypotheses=[CONVEX, LIPSCHITZ, MINIMISER],
    crosschecks=[CrossCheck("the one-step bound along the method on a lasso problem",
                            one_step_inequality)],
)

fixed_step_rate = Derivation(
    id="subgradient-fixed-horizon-rate",
    notation={r"\eta_k": R / (G * sp.sqrt(T)), "f": sp.Function("f", real=True),
              "x": sp.IndexedBase("x", real=True), "f^*": F_STAR},
    title="With eta = R / (G sqrt T) the best gap after T steps is at most R G / sqrt T",
    source=Source(ASSIGNMENT, SECTION, WORKED_QUOTE),
    start=Step((R**2 + G**2 * T * (R / (G * sp.sqrt(T))) ** 2) / (2 * T * R / (G * sp.sqrt(T))),
               r"\min_{k \le T} f(x_k) - f^* \le " + GENERAL_BOUND_LATEX
               + r", \quad \eta_k = \frac{R}{G \sqrt{T}}",
               "sum the one-step bound over k = 1..T (it telescopes), ||x_1 - x*|| <= R, and "
               "min_k gap_k <= sum eta_k gap_k / sum eta_k"),
    steps=[Step(R * G / sp.sqrt(T), r"\frac{R G}{\sqrt{T}}", "O(1/sqrt T), not O(1/T)")],
    hypotheses=[CONVEX, LIPSCHITZ, MINIMISER],
    crosschecks=[CrossCheck("best gap on |x| with the step R/(G sqrt T)", abs_rate),
                 CrossCheck("gap on random lasso objectives with the step 1/sqrt(T)", lasso_rate)],
)

# ---------------------------------------------------------------- uniqueness

w, t = sp.Symbol("w", real=True), sp.Symbol("t", real=True)
curv, lin = sp.Symbol("a", positive=True), sp.Symbol("b", real=True)
shift = sp.Symbol("delta", real=True, nonzero=True)     # g = f'(w) + delta, delta != 0


def _quadratic(v: sp.Expr) -> sp.Expr:
    return curv * v**2 + lin * v


def softplus_subgradients(seed: int) -> Comparison:
    """Width of {g : f(y) >= f(w) + g (y - w) on a fine grid} for softplus at a random w."""
    rng = np.random.default_rng(seed)
    point = float(rng.uniform(-2.0, 2.0))
    grid = point + np.concatenate([-np.logspace(-7, 1, 400), np.logspace(-7, 1, 400)])
    softplus = np.logaddexp(0.0, grid) - np.logaddexp(0.0, point)
    slopes = softplus / (grid - point)
    low, high = slopes[grid < point].max(), slopes[grid > point].min()
    return Comparison(
        estimate=float(high - low), expected=0.0, tolerance=1e-6,
        alternatives={"|x| at 0, not differentiable: [-1, 1]": 2.0},
        details=f"softplus log(1 + e^x) at w = {point:.4f}: every g with f(y) >= f(w) + g (y - w) "
                f"for the 800 test points y lies in [{low:.9f}, {high:.9f}]; "
                f"f'(w) = sigma(w) = {1 / (1 + math.exp(-point)):.9f}")


unique_subgradient = Derivation(
    id="differentiable-convex-subgradient-is-the-gradient",
    notation={"f": _quadratic, "g": sp.Symbol("g", real=True), "y": sp.Symbol("y", real=True)},
    title="For a differentiable convex quadratic, every g != f'(w) violates the subgradient "
          "inequality",
    source=Source(ASSIGNMENT, SECTION, UNIQUE_QUOTE),
    start=Step(_quadratic(w + shift / (2 * curv)) - _quadratic(w)
               - (2 * curv * w + lin + shift) * (shift / (2 * curv)),
               r"f(y) - f(w) - g (y - w), \quad g = f'(w) + \delta, \; y = w + "
               r"\frac{\delta}{2a}",
               "f(y) = a y^2 + b y, a > 0 (convex, differentiable); a candidate subgradient "
               "g != f'(w) = 2 a w + b"),
    steps=[Step(-shift**2 / (4 * curv), r"-\frac{\delta^2}{4a}"),
           Step(sp.S.Zero, "0", "so g is no subgradient: the subdifferential is {f'(w)} "
                "(in general: t = 0 minimises f(w + t) - f(w) - g t >= 0, so its derivative "
                "f'(w) - g vanishes there)", relation="<")],
    hypotheses=[CONVEX, Hypothesis(r"f \text{ differentiable at } w",
                                   "If f is differentiable at w")],
    crosschecks=[CrossCheck("the subgradients of softplus form a single point",
                            softplus_subgradients)],
)

y = sp.Symbol("y", real=True, nonzero=True)

def concave_subgradients(seed: int) -> Comparison:
    """How many g on a grid satisfy f(y) >= f(0) + g y at every test point y, for -y^2."""
    candidates = np.linspace(-2.0, 2.0, 401)
    tests = np.concatenate([-np.logspace(-4, 1, 200), np.logspace(-4, 1, 200)])

    def admissible(f: Callable[[np.ndarray], np.ndarray]) -> int:
        slack = f(tests)[None, :] - f(np.zeros(1))[0] - np.outer(candidates, tests)
        return int(np.sum(np.all(slack >= 0.0, axis=1)))

    return Comparison(
        estimate=float(admissible(lambda v: -(v**2))), expected=0.0, tolerance=0.0,
        alternatives={"the convex y^2, whose subdifferential at 0 is {0}":
                      float(admissible(np.square))},
        details="401 candidates g in [-2, 2], 400 test points 1e-4 <= |y| <= 10")


convexity_needed = Derivation(
    id="differentiable-concave-gradient-is-no-subgradient",
    notation={"f": lambda value: -value**2},
    title="Without convexity the claim fails: f = -x^2 has f'(0) = 0, yet no subgradient at 0",
    source=Source(ASSIGNMENT, SECTION, UNIQUE_QUOTE),
    start=Step(-(y**2) - (0 + 0 * y), r"f(y) - f(0) - f'(0) y, \quad f(y) = -y^2",
               "the notes state convexity ('f is a convex function'); this shows it is needed"),
    steps=[Step(sp.S.Zero, "0", "the subgradient inequality fails at every y != 0 for g = 0 "
                "(any g fails at y = 1 + |g|): the subdifferential is empty",
                relation="<")],
    hypotheses=[Hypothesis(r"f(y) = -y^2 \text{ (concave)}", None)],
    crosschecks=[CrossCheck("subgradients of -y^2 at 0 on a grid", concave_subgradients)],
)
