r"""Numerical stability: explicit Euler on the Dahlquist test equation, Euler-Maruyama's
mean-square stability, and the tamed scheme for a superlinear drift.

Assignment, "Unanswered questions in assignment 08".

- Explicit Euler on y' = lambda y is y_{n+1} = (1 + h lambda) y_n, so y_n = (1 + h lambda)^n y_0
  stays bounded exactly when |1 + h lambda| <= 1: for real lambda = -a < 0 when h <= 2 / a.
  The notes' "conditionally stable" holds: a step bound, which a stiff problem (large a)
  makes small.
- Euler-Maruyama on dX = lambda X dt + mu X dW: Y_{n+1} = (1 + h lambda + mu dW_n) Y_n with
  dW_n ~ N(0, h) independent of Y_n, so E|Y_{n+1}|^2 = ((1 + h lambda)^2 + h mu^2) E|Y_n|^2.
  The SDE is mean-square stable (E|X_t|^2 = e^{(2 lambda + mu^2) t} X_0^2 -> 0) when
  2 lambda + mu^2 < 0; the scheme is when R(h) = (1 + h lambda)^2 + h mu^2 < 1, and
  R(h) - 1 = h (h lambda^2 + 2 lambda + mu^2): exactly when h < -(2 lambda + mu^2) / lambda^2.
  Higham's example lambda = -3, mu = sqrt(3): R = 7, 7/4, 13/16 for h = 1, 1/2, 1/4.
- The notes' converse, "if coefficients satisfy global Lipschitz + linear growth, EM is stable
  and convergent", fails for a fixed step: Higham's linear SDE (globally Lipschitz, linear
  growth, mean-square stable) has E|Y_n|^2 = 7^n X_0^2 at h = 1. What those conditions give
  is convergence on [0, T] as h -> 0: R(T / n)^n -> e^{(2 lambda + mu^2) T}.
- dX = -X^3 dt + dW: its stationary law has density proportional to exp(-x^4 / 2) and
  E[X^2] = sqrt(2) Gamma(3/4) / Gamma(1/4); Euler-Maruyama started from a spread of points
  overflows (E|Y_N|^2 = inf), the tamed scheme (numeric.sde.tamed_euler) reaches that law.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp
from scipy import integrate, special

from derive import (
    Comparison,
    Correction,
    CrossCheck,
    Derivation,
    E,
    Hypothesis,
    Source,
    Step,
    erratum,
    random_variable,
)
from numeric import montecarlo, ode, sde

from ._notes import ASSIGNMENT

SECTION = "Unanswered questions in assignment 08"
Sampler = Callable[[np.random.Generator, int], np.ndarray]
HALF = sp.Rational(1, 2)

CONDITIONAL_QUOTE = ("Deterministic methods such as Euler's method study numerical stability "
                     "relative to the underlying ODE, typically through the Dahlquist test "
                     "equation $y' = \\lambda y$. Explicit Euler is conditionally stable and "
                     "sensitive to stiffness.")
MEAN_SQUARE_QUOTE = ("For SDEs, Euler–Maruyama (EM) must satisfy *mean-square* and *weak* "
                     "stability.")
CONVERSE_QUOTE = ("Conversely, if coefficients satisfy global Lipschitz + linear growth, EM is "
                  "stable and convergent. (See [17]) (...若係數滿足全域 Lipschitz + 線性增長，"
                  "則 EM 不會發散。)")
SUPERLINEAR_QUOTE = ("However, EM may become unstable or diverge for superlinear coefficients "
                     "even if the true SDE is well-posed.")
LIPSCHITZ_HYPOTHESIS = Hypothesis(
    r"b(x) = \lambda x, \quad \sigma(x) = \mu x",
    quote="if coefficients satisfy global Lipschitz + linear growth",
    note="linear coefficients are globally Lipschitz with linear growth")

a, h, T, v = sp.symbols("a h T v", positive=True)
r = sp.Symbol("r", nonnegative=True)
lam, mu = sp.symbols("lambda mu", real=True)
n = sp.Symbol("n", integer=True, positive=True)


# ================================================================ explicit Euler, Dahlquist

STIFF_RATE, EULER_STEPS, BISECTIONS = 50.0, 400, 30
STEP_BRACKET = (0.01, 0.1)


def _euler_stays_bounded(step: float) -> bool:
    """|y_N| <= |y_0| for explicit Euler (numeric.ode) on y' = -50 y, N = 400 steps."""
    y = ode.integrate(lambda x, t: -STIFF_RATE * x, np.array([1.0]), 0.0, step * EULER_STEPS,
                      EULER_STEPS, method="euler")
    return bool(abs(y[0]) <= 1.0)


def _largest_bounded_step() -> tuple[float, float]:
    """Bisection for the boundary between bounded and growing steps: (largest bounded, width)."""
    low, high = STEP_BRACKET
    if not (_euler_stays_bounded(low) and not _euler_stays_bounded(high)):
        raise ValueError(f"the bracket {STEP_BRACKET} does not straddle the stability boundary")
    for _ in range(BISECTIONS):
        middle = 0.5 * (low + high)
        low, high = (middle, high) if _euler_stays_bounded(middle) else (low, middle)
    return low, high - low


def euler_stability_boundary(seed: int) -> Comparison:
    """The largest step for which explicit Euler stays bounded (bisection), against 2 / a."""
    largest, width = _largest_bounded_step()
    steps = np.linspace(*STEP_BRACKET, 91)
    return Comparison(
        estimate=largest, expected=2 / STIFF_RATE, tolerance=1e-6,
        alternatives={"h = 1 / a (a plausible bound)": 1 / STIFF_RATE,
                      "no bound (unconditional stability): the bracket's end": STEP_BRACKET[1]},
        details=f"y' = -{STIFF_RATE:g} y, explicit Euler (numeric.ode, method='euler'), "
                f"{EULER_STEPS} steps; bounded means |y_N| <= |y_0|; bisection on "
                f"{STEP_BRACKET} to a bracket of width {width:.1e}",
        data={"plot": "curves", "x": steps.tolist(),
              "curves": {"|1 + h lambda|": np.abs(1 - STIFF_RATE * steps).tolist(),
                         "1": [1.0] * steps.size},
              "title": "Explicit Euler on y' = -50 y: amplification per step",
              "xlabel": "step size h", "ylabel": "|1 + h lambda|"})


euler_stable_below_bound = Derivation(
    id="explicit-euler-dahlquist-stable-below-bound",
    title="Explicit Euler on y' = lambda y, lambda = -a < 0: |1 + h lambda| <= 1 when h <= 2 / a",
    source=Source(ASSIGNMENT, SECTION, CONDITIONAL_QUOTE),
    start=Step((1 + (2 / (a * (1 + r))) * (-a)) ** 2, r"(1 + h \lambda)^2",
               "y_{n+1} = y_n + h lambda y_n = (1 + h lambda) y_n, so y_n = (1 + h lambda)^n y_0; "
               "lambda = -a, h = 2 / (a (1 + r)) with r >= 0: every 0 < h <= 2 / a"),
    steps=[
        Step(1 - 4 * r / (r + 1) ** 2, r"1 - \frac{4 r}{(1 + r)^2}"),
        Step(sp.S.One, r"1", "so |y_n| <= |y_0| for every n: stable", relation="<="),
    ],
    hypotheses=[Hypothesis(r"\lambda = -a < 0", quote=r"the Dahlquist test equation $y' = "
                           r"\lambda y$", note="real negative lambda: the decaying, stiff case"),
                Hypothesis(r"0 < h \le 2 / a", quote="conditionally stable",
                           note="h = 2 / (a (1 + r)), r >= 0")],
    notation={"h": 2 / (a * (1 + r)), r"\lambda": -a},
    crosschecks=[CrossCheck("explicit Euler's stability boundary on y' = -50 y",
                            euler_stability_boundary)],
)

GROWTH_EXCESS, GROWTH_STEPS = 0.2, 50


def euler_growth_factor(seed: int) -> Comparison:
    """|y_N / y_0|^(1/N) for explicit Euler (numeric.ode) on y' = -50 y with h = (2 + v) / a,
    v = 0.2, N = 50 steps, against 1 + v."""
    step = (2 + GROWTH_EXCESS) / STIFF_RATE
    final = ode.integrate(lambda x, t: -STIFF_RATE * x, np.array([1.0]), 0.0,
                          step * GROWTH_STEPS, GROWTH_STEPS, method="euler")
    factor = float(abs(final[0]) ** (1 / GROWTH_STEPS))
    return Comparison(
        estimate=factor, expected=1 + GROWTH_EXCESS, tolerance=1e-9,
        alternatives={"e^{-a h}: the exact solution's decay per step":
                      math.exp(-STIFF_RATE * step),
                      "1: bounded (unconditional stability)": 1.0},
        details=f"y' = -{STIFF_RATE:g} y, h = {step:g}, {GROWTH_STEPS} explicit Euler steps "
                f"(numeric.ode): |y_N| = {abs(final[0]):.6g}")


euler_unstable_above_bound = Derivation(
    id="explicit-euler-dahlquist-unstable-above-bound",
    title="Explicit Euler on y' = -a y grows like (1 + v)^n when h = (2 + v) / a: the "
          "condition is needed",
    source=Source(ASSIGNMENT, SECTION, CONDITIONAL_QUOTE),
    start=Step((1 + ((2 + v) / a) * (-a)) ** 2, r"(1 + h \lambda)^2",
               "lambda = -a, h = (2 + v) / a with v > 0: every h > 2 / a, while the exact "
               "solution y_0 e^{-a t} decays"),
    steps=[
        Step((1 + v) ** 2, r"(1 + v)^2"),
        Step(sp.S.One, r"1", "|y_n| = (1 + v)^n |y_0| grows without bound", relation=">"),
    ],
    hypotheses=[Hypothesis(r"\lambda = -a < 0", quote=r"$y' = \lambda y$"),
                Hypothesis(r"h > 2 / a", note="h = (2 + v) / a, v > 0")],
    notation={"h": (2 + v) / a, r"\lambda": -a},
    crosschecks=[CrossCheck("explicit Euler's growth per step on y' = -50 y above 2 / a",
                            euler_growth_factor)],
)


# ================================================================ Euler-Maruyama, mean square

state = random_variable("Y_n", mean=sp.Symbol("m_n", real=True),
                        variance=sp.Symbol("s_n", positive=True))
increment = random_variable("dW_n", mean=0, variance=h)
y_n, dw_n = state.symbol, increment.symbol
HIGHAM_LAMBDA, HIGHAM_MU2 = -3.0, 3.0
MS_STEPS, MS_PATHS = 4, 2**17


def _mean(expr: sp.Expr) -> sp.Expr:
    return E(expr, state, increment)


def amplification(step: float) -> float:
    """R(h) = (1 + h lambda)^2 + h mu^2 for Higham's lambda = -3, mu^2 = 3."""
    return (1 + step * HIGHAM_LAMBDA) ** 2 + step * HIGHAM_MU2


def _em_square_sampler(step: float) -> Sampler:
    """Draws of Y_n^2 after MS_STEPS Euler-Maruyama steps (numeric.sde), Y_0 = 1."""
    vol = math.sqrt(HIGHAM_MU2)

    def sample(rng: np.random.Generator, size: int) -> np.ndarray:
        dW = rng.standard_normal((MS_STEPS, size)) * math.sqrt(step)
        y = sde.euler_maruyama(lambda x, t: HIGHAM_LAMBDA * x, lambda x, t: vol * x, 1.0, step,
                               dW, path=False)
        return y * y
    return sample


def _moment_curves() -> dict[str, Any]:
    steps = list(range(9))
    curves = {f"Euler-Maruyama, h = {step:g}: R(h)^n": [amplification(step) ** k for k in steps]
              for step in (1.0, 0.5, 0.25)}
    curves["the SDE at t = n / 4: e^{-3 t}"] = [math.exp(-3 * k / 4) for k in steps]
    return {"plot": "curves", "x": steps, "curves": curves, "logy": True,
            "title": "dX = -3 X dt + sqrt(3) X dW: exact second moments E|Y_n|^2, Y_0 = 1",
            "xlabel": "step n", "ylabel": "E|Y_n|^2"}


def em_second_moment(step: float) -> Callable[[int], Comparison]:
    """Monte Carlo E|Y_4|^2 against R(h)^4, rejecting the SDE's e^{-3 t_4}."""
    def run(seed: int) -> Comparison:
        result = montecarlo.estimate(_em_square_sampler(step), MS_PATHS, seed=seed)
        stable = "stable" if amplification(step) < 1 else "unstable"
        return Comparison(
            estimate=float(result.mean), stderr=float(result.stderr),
            expected=amplification(step) ** MS_STEPS,
            alternatives={"the SDE's E|X_t|^2 = e^{(2 lambda + mu^2) t} at t = n h":
                          math.exp((2 * HIGHAM_LAMBDA + HIGHAM_MU2) * MS_STEPS * step)},
            details=f"dX = -3 X dt + sqrt(3) X dW, Y_0 = 1, h = {step:g}, n = {MS_STEPS} "
                    f"Euler-Maruyama steps, {MS_PATHS} paths; R(h) = {amplification(step):g}: "
                    f"mean-square {stable}",
            data=_moment_curves())
    return run


em_mean_square_recursion = Derivation(
    id="em-mean-square-recursion",
    title="Euler-Maruyama on dX = lambda X dt + mu X dW: E|Y_{n+1}|^2 = ((1 + h lambda)^2 + "
          "h mu^2) E|Y_n|^2",
    source=Source(ASSIGNMENT, SECTION, MEAN_SQUARE_QUOTE),
    start=Step(_mean((y_n + h * lam * y_n + mu * y_n * dw_n) ** 2),
               r"\mathbb{E}[Y_{n+1}^2] = \mathbb{E}[(Y_n + h \lambda Y_n + \mu Y_n \Delta W_n)^2]",
               "one Euler-Maruyama step; Delta W_n ~ (0, h) is independent of Y_n"),
    steps=[
        Step((1 + h * lam) ** 2 * _mean(y_n**2)
             + 2 * (1 + h * lam) * mu * _mean(y_n**2) * _mean(dw_n)
             + mu**2 * _mean(y_n**2) * _mean(dw_n**2),
             r"(1 + h \lambda)^2 \mathbb{E}[Y_n^2] + 2 (1 + h \lambda) \mu \mathbb{E}[Y_n^2] "
             r"\mathbb{E}[\Delta W_n] + \mu^2 \mathbb{E}[Y_n^2] \mathbb{E}[\Delta W_n^2]",
             "expand the square; independence"),
        Step(((1 + h * lam) ** 2 + h * mu**2) * _mean(y_n**2),
             r"\left((1 + h \lambda)^2 + h \mu^2\right) \mathbb{E}[Y_n^2]",
             "E[Delta W_n] = 0, E[Delta W_n^2] = h: mean-square stable iff "
             "(1 + h lambda)^2 + h mu^2 < 1"),
    ],
    hypotheses=[Hypothesis(r"\Delta W_n \sim N(0, h) \text{ independent of } Y_n",
                           note="only its mean 0 and variance h are used")],
    notation={r"\Delta W_n": dw_n, "Y_{n+1}": (1 + h * lam + mu * dw_n) * y_n},
    crosschecks=[CrossCheck("Higham's h = 1/4: E|Y_4|^2 = (13/16)^4 (stable)",
                            em_second_moment(0.25)),
                 CrossCheck("Higham's h = 1/2: E|Y_4|^2 = (7/4)^4 (unstable)",
                            em_second_moment(0.5))],
)

c = sp.Symbol("c", positive=True)                  # c = -(2 lambda + mu^2) > 0
STABILITY_HYPOTHESES = [
    Hypothesis(r"\lambda = -a < 0, \quad 2 \lambda + \mu^2 = -c < 0",
               note="the SDE is mean-square stable; mu^2 = 2 a - c (real mu needs c <= 2 a)"),
]


def _amplification_symbolic(step: sp.Expr) -> sp.Expr:
    """(1 + h lambda)^2 + h mu^2 with lambda = -a, mu^2 = 2 a - c."""
    return (1 - step * a) ** 2 + step * (2 * a - c)


def em_moment_near_bound(step: float) -> Callable[[int], Comparison]:
    """em_second_moment(step), also rejecting the noise-free factor (1 + h lambda)^{2n} and
    the boundary value 1."""
    def run(seed: int) -> Comparison:
        comparison = em_second_moment(step)(seed)
        extra = {"(1 + h lambda)^{2n}: the h mu^2 term dropped":
                 (1 + step * HIGHAM_LAMBDA) ** (2 * MS_STEPS),
                 "1: R(h) = 1, neither stable nor unstable": 1.0}
        return dataclasses.replace(comparison,
                                   alternatives={**comparison.alternatives, **extra})
    return run


em_stable_below_bound = Derivation(
    id="em-mean-square-stable-below-bound",
    title="Euler-Maruyama is mean-square stable when h < -(2 lambda + mu^2) / lambda^2",
    source=Source(ASSIGNMENT, SECTION, MEAN_SQUARE_QUOTE),
    start=Step(_amplification_symbolic(c / (a**2 * (1 + v))), r"(1 + h \lambda)^2 + h \mu^2",
               "h = c / (a^2 (1 + v)), v > 0: every 0 < h < c / a^2 = -(2 lambda + mu^2) / "
               "lambda^2"),
    steps=[
        Step(1 - c**2 * v / (a**2 * (1 + v) ** 2), r"1 - \frac{c^2 v}{a^2 (1 + v)^2}"),
        Step(sp.S.One, r"1", "so E|Y_n|^2 = R^n E|Y_0|^2 -> 0", relation="<"),
    ],
    hypotheses=[*STABILITY_HYPOTHESES,
                Hypothesis(r"0 < h < -\frac{2 \lambda + \mu^2}{\lambda^2}",
                           note="h = c / (a^2 (1 + v)), v > 0; the notes state no step bound")],
    notation={"h": c / (a**2 * (1 + v)), r"\lambda": -a, r"\mu": sp.sqrt(2 * a - c)},
    crosschecks=[CrossCheck("Higham's SDE at h = 0.3 < 1/3: E|Y_4|^2 = 0.91^4",
                            em_moment_near_bound(0.3))],
)

em_unstable_above_bound = Derivation(
    id="em-mean-square-unstable-above-bound",
    title="Euler-Maruyama is not mean-square stable when h >= -(2 lambda + mu^2) / lambda^2",
    source=Source(ASSIGNMENT, SECTION, MEAN_SQUARE_QUOTE),
    start=Step(_amplification_symbolic(c * (1 + r) / a**2), r"(1 + h \lambda)^2 + h \mu^2",
               "h = c (1 + r) / a^2, r >= 0: every h >= c / a^2"),
    steps=[
        Step(1 + c**2 * r * (1 + r) / a**2, r"1 + \frac{c^2 r (1 + r)}{a^2}"),
        Step(sp.S.One, r"1", "so E|Y_n|^2 = R^n E|Y_0|^2 does not tend to 0", relation=">="),
    ],
    hypotheses=[*STABILITY_HYPOTHESES,
                Hypothesis(r"h \ge -\frac{2 \lambda + \mu^2}{\lambda^2}",
                           note="h = c (1 + r) / a^2, r >= 0")],
    notation={"h": c * (1 + r) / a**2, r"\lambda": -a, r"\mu": sp.sqrt(2 * a - c)},
    crosschecks=[CrossCheck("Higham's SDE at h = 0.4 > 1/3: E|Y_4|^2 = 1.24^4",
                            em_moment_near_bound(0.4))],
)

HIGHAM_H = sp.Symbol("h", positive=True)
em_lipschitz_not_stable = Derivation(
    id="em-lipschitz-linear-growth-not-stable",
    title="Global Lipschitz and linear growth do not make Euler-Maruyama stable at a fixed step",
    source=Source(ASSIGNMENT, SECTION, CONVERSE_QUOTE),
    start=Step((1 - 3 * HIGHAM_H) ** 2 + 3 * HIGHAM_H,
               r"\frac{\mathbb{E}[Y_{n+1}^2]}{\mathbb{E}[Y_n^2]} = (1 + h \lambda)^2 + h \mu^2",
               "em-mean-square-recursion for Higham's dX = -3 X dt + sqrt(3) X dW: linear "
               "coefficients (globally Lipschitz, linear growth), and the SDE is mean-square "
               "stable: E|X_t|^2 = e^{-3 t} X_0^2"),
    steps=[Step(sp.S.One, r"1", "the notes: EM is stable (E|Y_n|^2 -> 0, as the SDE's)",
                relation="<")],
    expected=erratum(Correction(
        1, Step(1 + 3 * HIGHAM_H * (3 * HIGHAM_H - 1), r"1 + 3 h (3 h - 1)"),
        "the ratio is below 1 only for h < 1/3 = -(2 lambda + mu^2) / lambda^2 "
        "(em-mean-square-stable-below-bound); at h = 1 it is 7, so E|Y_n|^2 = 7^n X_0^2 "
        "diverges. Global Lipschitz and linear growth give convergence on [0, T] as h -> 0 "
        "(em-second-moment-converges), not stability at a fixed step")),
    hypotheses=[LIPSCHITZ_HYPOTHESIS,
                Hypothesis(r"h > 0", note="any fixed step: the notes state no step-size bound")],
    notation={"h": HIGHAM_H, r"\lambda": -3, r"\mu": sp.sqrt(3), "Y_n": state,
              "Y_{n+1}": (1 - 3 * HIGHAM_H + sp.sqrt(3) * dw_n) * y_n},
    crosschecks=[CrossCheck("Higham's h = 1: E|Y_4|^2 = 7^4 (diverges)", em_second_moment(1.0))],
)

CONVERGE_LAMBDA, CONVERGE_MU, CONVERGE_STEPS, CONVERGE_PATHS = -1.0, 1.0, 100, 2**15


def _fine_em_square(rng: np.random.Generator, size: int) -> np.ndarray:
    """Y_n^2 after n = 100 Euler-Maruyama steps on [0, 1] for dX = -X dt + X dW, Y_0 = 1."""
    step = 1.0 / CONVERGE_STEPS
    dW = rng.standard_normal((CONVERGE_STEPS, size)) * math.sqrt(step)
    y = sde.euler_maruyama(lambda x, t: CONVERGE_LAMBDA * x, lambda x, t: CONVERGE_MU * x,
                           1.0, step, dW, path=False)
    return y * y


def fine_step_second_moment(seed: int) -> Comparison:
    """Monte Carlo E|Y_n|^2 at h = 1/100, T = 1 against e^{(2 lambda + mu^2) T}; the scheme's
    own R(h)^n differs from it by O(h), far below the standard error."""
    result = montecarlo.estimate(_fine_em_square, CONVERGE_PATHS, seed=seed, chunk_size=2**13)
    step = 1.0 / CONVERGE_STEPS
    scheme = ((1 + step * CONVERGE_LAMBDA) ** 2 + step * CONVERGE_MU**2) ** CONVERGE_STEPS
    return Comparison(
        estimate=float(result.mean), stderr=float(result.stderr),
        expected=math.exp(2 * CONVERGE_LAMBDA + CONVERGE_MU**2),
        alternatives={"e^{2 lambda T}: without Ito's mu^2": math.exp(2 * CONVERGE_LAMBDA),
                      "e^{(2 lambda - mu^2) T}": math.exp(2 * CONVERGE_LAMBDA - CONVERGE_MU**2)},
        details=f"dX = {CONVERGE_LAMBDA:g} X dt + {CONVERGE_MU:g} X dW, Y_0 = 1, T = 1, "
                f"{CONVERGE_STEPS} steps, {CONVERGE_PATHS} paths; R(h)^n = {scheme:.5f}")


em_second_moment_converges = Derivation(
    id="em-second-moment-converges",
    title="As h = T / n -> 0, Euler-Maruyama's E|Y_n|^2 tends to the SDE's e^{(2 lambda + mu^2) T}",
    source=Source(ASSIGNMENT, SECTION, CONVERSE_QUOTE),
    start=Step(sp.Limit(((1 + lam * T / n) ** 2 + mu**2 * T / n) ** n, n, sp.oo),
               r"\lim_{n \to \infty} \left(\left(1 + \frac{\lambda T}{n}\right)^2 + "
               r"\frac{\mu^2 T}{n}\right)^n",
               "E|Y_n|^2 / Y_0^2 = R(h)^n with h = T / n (em-mean-square-recursion)"),
    steps=[Step(sp.exp((2 * lam + mu**2) * T), r"e^{(2 \lambda + \mu^2) T}",
                "the SDE's E|X_T|^2 / X_0^2 (Ito: d|X|^2 = (2 lambda + mu^2) |X|^2 dt + ...): "
                "the convergent part of the notes' claim holds")],
    hypotheses=[LIPSCHITZ_HYPOTHESIS],
    crosschecks=[CrossCheck("Monte Carlo E|Y_n|^2 with h = 1/100 on [0, 1]",
                            fine_step_second_moment)],
)


# ================================================================ superlinear drift

x = sp.Symbol("x", real=True)
QUARTIC = sp.exp(-(x**4) / 2)
STATIONARY_SECOND_MOMENT = float(math.sqrt(2) * special.gamma(0.75) / special.gamma(0.25))
CUBIC_STEP, CUBIC_HORIZON, CUBIC_PATHS, CUBIC_SPREAD = 0.02, 4.0, 2**13, 20.0


def _cubic_drift(y: np.ndarray, _t: float) -> np.ndarray:
    return -(y**3)


def _unit_noise(y: np.ndarray, _t: float) -> np.ndarray:
    return np.ones_like(y)


def _cubic_final_states(scheme: Callable[..., np.ndarray], rng: np.random.Generator,
                        size: int) -> np.ndarray:
    """Y_N at T = 4, h = 0.02, X_0 uniform on [-20, 20]."""
    steps = round(CUBIC_HORIZON / CUBIC_STEP)
    x0 = rng.uniform(-CUBIC_SPREAD, CUBIC_SPREAD, size)
    dW = rng.standard_normal((steps, size)) * math.sqrt(CUBIC_STEP)
    with np.errstate(over="ignore", invalid="ignore"):
        final: np.ndarray = scheme(_cubic_drift, _unit_noise, x0, CUBIC_STEP, dW, path=False)
    return final


def _tamed_square(rng: np.random.Generator, size: int) -> np.ndarray:
    return _cubic_final_states(sde.tamed_euler, rng, size) ** 2


def tamed_reaches_stationary_law(seed: int) -> Comparison:
    """Tamed Euler's E|Y_N|^2 against the stationary E[X^2]; Euler-Maruyama's is infinite."""
    result = montecarlo.estimate(_tamed_square, CUBIC_PATHS, seed=seed)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1,)))
    em = _cubic_final_states(sde.euler_maruyama, rng, CUBIC_PATHS)
    overflow = float(np.mean(~np.isfinite(em)))
    em_moment = float(np.mean(em**2)) if overflow == 0 else math.inf
    tamed = _cubic_final_states(sde.tamed_euler, np.random.default_rng(seed), 2048)
    grid = np.linspace(-2.5, 2.5, 101)
    density = np.exp(-grid**4 / 2) / (2 ** 0.25 * special.gamma(0.25) / 2)
    return Comparison(
        estimate=float(result.mean), stderr=float(result.stderr),
        expected=STATIONARY_SECOND_MOMENT,
        alternatives={"Euler-Maruyama's E|Y_N|^2 from the same starting law": em_moment,
                      "E[X_0^2] (moments that did not relax)": CUBIC_SPREAD**2 / 3},
        details=f"dX = -X^3 dt + dW, X_0 ~ U[-{CUBIC_SPREAD:g}, {CUBIC_SPREAD:g}], "
                f"T = {CUBIC_HORIZON:g}, h = {CUBIC_STEP}, {CUBIC_PATHS} paths; Euler-Maruyama: "
                f"{overflow:.1%} of paths overflow (inf or NaN); stationary E[X^2] = sqrt(2) "
                f"Gamma(3/4) / Gamma(1/4) = {STATIONARY_SECOND_MOMENT:.6f}",
        data={"plot": "histogram", "samples": {"tamed Euler Y_N": tamed.tolist()},
              "density": {"x": grid.tolist(), "y": density.tolist(),
                          "label": "stationary exp(-x^4/2) / Z"},
              "bins": 50, "title": "dX = -X^3 dt + dW: tamed Euler at T = 4 from X_0 ~ U[-20, 20]",
              "xlabel": "Y_N", "ylabel": "density"})


cubic_stationary_law = Derivation(
    id="cubic-drift-stationary-law",
    title="dX = -X^3 dt + dW has the stationary density exp(-x^4/2) / Z",
    source=Source(ASSIGNMENT, SECTION, SUPERLINEAR_QUOTE),
    start=Step(-sp.Derivative(-(x**3) * QUARTIC, x) + HALF * sp.Derivative(QUARTIC, (x, 2)),
               r"-\partial_x (b p) + \frac{1}{2} \partial_x^2 p, \quad b = -x^3, \; "
               r"p = e^{-x^4 / 2}",
               "the Fokker-Planck operator of dX = -X^3 dt + dW on p: 0 for a stationary p"),
    steps=[Step(sp.S.Zero, r"0", "so exp(-x^4/2) / Z is stationary: the SDE is well behaved")],
    hypotheses=[Hypothesis(r"b(x) = -x^3, \quad \sigma(x) = 1",
                           quote="superlinear coefficients",
                           note="the drift is superlinear, the SDE well-posed")],
    crosschecks=[CrossCheck("tamed Euler reaches the stationary E[X^2]; Euler-Maruyama overflows",
                            tamed_reaches_stationary_law)],
)

def stationary_moment_by_quadrature(seed: int) -> Comparison:
    """int x^2 e^{-x^4/2} dx / int e^{-x^4/2} dx by scipy's quad against sqrt(2) Gamma(3/4) /
    Gamma(1/4)."""
    top = integrate.quad(lambda u: u * u * math.exp(-(u**4) / 2), -np.inf, np.inf,
                         epsabs=1e-13, epsrel=1e-13)[0]
    bottom = integrate.quad(lambda u: math.exp(-(u**4) / 2), -np.inf, np.inf,
                            epsabs=1e-13, epsrel=1e-13)[0]
    return Comparison(
        estimate=top / bottom, expected=STATIONARY_SECOND_MOMENT, tolerance=1e-9,
        alternatives={"Gamma(3/4) / Gamma(1/4) (without the sqrt(2))":
                      STATIONARY_SECOND_MOMENT / math.sqrt(2),
                      "1, the Gaussian e^{-x^2/2}'s": 1.0},
        details=f"adaptive quadrature on the real line: {top:.12f} / {bottom:.12f}")


cubic_stationary_moment = Derivation(
    id="cubic-drift-stationary-second-moment",
    title="The stationary E[X^2] of dX = -X^3 dt + dW is sqrt(2) Gamma(3/4) / Gamma(1/4)",
    source=Source(ASSIGNMENT, SECTION, SUPERLINEAR_QUOTE),
    start=Step(sp.Integral(x**2 * QUARTIC, (x, -sp.oo, sp.oo))
               / sp.Integral(QUARTIC, (x, -sp.oo, sp.oo)),
               r"\frac{\int x^2 e^{-x^4/2} \, dx}{\int e^{-x^4/2} \, dx}",
               "cubic-drift-stationary-law"),
    steps=[Step(sp.sqrt(2) * sp.gamma(sp.Rational(3, 4)) / sp.gamma(sp.Rational(1, 4)),
                r"\frac{\sqrt{2} \, \Gamma(3/4)}{\Gamma(1/4)}",
                "substitute u = x^4 / 2; bounded, unlike Euler-Maruyama's E|Y_N|^2")],
    notation={r"\Gamma": sp.gamma},
    crosschecks=[CrossCheck("the stationary E[X^2] by quadrature",
                            stationary_moment_by_quadrature)],
)
