r"""Euler-Maruyama's strong order on a nonlinear SDE with globally Lipschitz coefficients.

Assignment, "Unanswered questions in assignment 08": "Under global Lipschitz and
linear-growth conditions on the drift b(x, t) and diffusion sigma(x, t), EM converges (strong
order 1/2, weak order 1)." proofs/sde_numerics.py measures the orders on geometric Brownian
motion (linear coefficients); here the diffusion is nonlinear:

    dX = (a^2 / 2) X dt + a sqrt(1 + X^2) dW,   X_t = sinh(a W_t + asinh X_0)

(Kloeden and Platen, eq. 4.4.47). The drift is linear and sigma' = a x / sqrt(1 + x^2) is
bounded by a, so both coefficients are globally Lipschitz with linear growth. The error
E|X_h(T) - X(T)| is measured against the exact solution driven by the same Brownian path,
one independent Monte Carlo estimate per step size (as in proofs/sde_numerics.py); Milstein
(strong order 1, since sigma sigma' != 0) is the contrast.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import sympy as sp

from derive import Comparison, CrossCheck, Derivation, Hypothesis, Source, Step
from numeric import montecarlo, sde
from numeric.rates import fit_power_law

from ._notes import ASSIGNMENT

SECTION = "Unanswered questions in assignment 08"
ORDERS_QUOTE = (r"Under global Lipschitz and linear-growth conditions on the drift $b(x, t)$ "
                r"and diffusion $\sigma(x, t)$, EM converges (strong order 1/2, weak order 1).")
Sampler = Callable[[np.random.Generator, int], np.ndarray]

a = sp.Symbol("a", positive=True)
c, w, x = sp.symbols("c w x", real=True)
PATH = sp.sinh(a * w + c)                                  # X_t = phi(W_t), c = asinh X_0
DIFFUSION = a * sp.sqrt(1 + x**2)
LIPSCHITZ = Hypothesis(r"b(x) = \frac{a^2}{2} x, \quad \sigma(x) = a \sqrt{1 + x^2}",
                       quote="Under global Lipschitz and linear-growth conditions",
                       note="|sigma'(x)| <= a (sinh-sde-diffusion-globally-lipschitz)")

LIPSCHITZ_A = 1.5


def largest_difference_quotient(seed: int) -> Comparison:
    """max |sigma(x) - sigma(y)| / |x - y| for sigma = a sqrt(1 + x^2), a = 1.5, over 20000
    random pairs spread over [-1e6, 1e6] (log-uniform magnitudes) and neighbours on a grid."""
    rng = np.random.default_rng(seed)
    magnitudes = 10.0 ** rng.uniform(-3, 6, (2, 20000))
    first, second = magnitudes * rng.choice([-1.0, 1.0], (2, 20000))
    grid = np.sort(np.concatenate([first, second]))
    def sigma(points: np.ndarray) -> np.ndarray:
        value: np.ndarray = LIPSCHITZ_A * np.sqrt(1 + points**2)
        return value
    pairs = np.abs(sigma(first) - sigma(second)) / np.abs(first - second)
    neighbours = np.abs(np.diff(sigma(grid))) / np.maximum(np.diff(grid), 1e-300)
    largest = float(max(pairs.max(), neighbours.max()))
    return Comparison(
        estimate=largest, expected=LIPSCHITZ_A, tolerance=1e-4 * LIPSCHITZ_A,
        alternatives={"a^2 / 2 (the drift's Lipschitz constant)": LIPSCHITZ_A**2 / 2,
                      "a / 2": LIPSCHITZ_A / 2},
        details=f"a = {LIPSCHITZ_A:g}; largest quotient over random pairs {pairs.max():.8f}, "
                f"over grid neighbours {neighbours.max():.8f}; never above a means sigma'^2 "
                f"<= a^2, approached far out")


sinh_diffusion_lipschitz = Derivation(
    id="sinh-sde-diffusion-globally-lipschitz",
    title="sigma(x) = a sqrt(1 + x^2) is globally Lipschitz: sigma'(x)^2 <= a^2",
    source=Source(ASSIGNMENT, SECTION, ORDERS_QUOTE),
    start=Step(sp.Derivative(DIFFUSION, x) ** 2, r"\sigma'(x)^2",
               "sigma(x) = a sqrt(1 + x^2); the drift (a^2 / 2) x is linear"),
    steps=[Step(a**2 * x**2 / (1 + x**2), r"\frac{a^2 x^2}{1 + x^2}"),
           Step(a**2 - a**2 / (1 + x**2), r"a^2 - \frac{a^2}{1 + x^2}"),
           Step(a**2, r"a^2", "so |sigma(x) - sigma(y)| <= a |x - y|, and sigma(x) <= a (1 + |x|)",
                relation="<=")],
    notation={r"\sigma": sp.Lambda(x, DIFFUSION)},
    crosschecks=[CrossCheck("largest difference quotient of sigma over a wide range",
                            largest_difference_quotient)],
)

# ---------------------------------------------------------------- the orders (numerics)

A, START, HORIZON = 1.0, 0.5, 1.0
PATHS = 2000


def _half_octaves(low: int, high: int) -> list[int]:
    """Step counts round(2^(k/2)) from 2^low to 2^high."""
    return sorted({round(2 ** (k / 2)) for k in range(2 * low, 2 * high + 1)})


def _drift(y: np.ndarray, _t: float) -> np.ndarray:
    return 0.5 * A * A * y


def _diffusion(y: np.ndarray, _t: float) -> np.ndarray:
    value: np.ndarray = A * np.sqrt(1 + y * y)
    return value


def _diffusion_slope(y: np.ndarray, _t: float) -> np.ndarray:
    value: np.ndarray = A * y / np.sqrt(1 + y * y)
    return value


def _error_sampler(scheme: str, steps: int) -> Sampler:
    """Draws of |X_h(T) - X(T)|, X(T) = sinh(a W_T + asinh X_0) on the scheme's path."""
    dt = HORIZON / steps

    def sample(rng: np.random.Generator, size: int) -> np.ndarray:
        dW = rng.standard_normal((steps, size)) * math.sqrt(dt)
        exact = np.sinh(A * dW.sum(axis=0) + math.asinh(START))
        if scheme == "milstein":
            final = sde.milstein(_drift, _diffusion, _diffusion_slope, START, dt, dW, path=False)
        else:
            final = sde.euler_maruyama(_drift, _diffusion, START, dt, dW, path=False)
        error: np.ndarray = np.abs(final - exact)
        return error
    return sample


def strong_order(scheme: str, step_counts: list[int], claimed: float, alternative: float,
                 alternative_name: str) -> Callable[[int], Comparison]:
    """The fitted slope of log E|X_h(T) - X(T)| against log h, one seed child per step size."""
    def run(seed: int) -> Comparison:
        estimates = [montecarlo.estimate(_error_sampler(scheme, n), PATHS,
                                         seed=np.random.SeedSequence(seed, spawn_key=(k,)))
                     for k, n in enumerate(step_counts)]
        steps = [HORIZON / n for n in step_counts]
        errors = [float(e.mean) for e in estimates]
        fit = fit_power_law(steps, errors)
        threshold = fit.t_threshold()
        return Comparison(
            estimate=fit.slope, stderr=fit.slope_stderr, expected=claimed,
            alternatives={alternative_name: alternative}, z_threshold=threshold,
            details=f"{fit}; threshold {threshold:.1f} standard errors (Student t, "
                    f"{fit.n_points - 2} degrees of freedom); dX = (a^2/2) X dt + a sqrt(1 + "
                    f"X^2) dW, a = {A:g}, X_0 = {START:g}, T = {HORIZON:g}, {PATHS} paths per "
                    f"step size, h = 1/{step_counts[-1]}..1/{step_counts[0]}",
            data={"plot": "loglog", "x": steps, "y": errors,
                  "yerr": [float(e.stderr) for e in estimates], "slope": fit.slope,
                  "intercept": fit.intercept, "expected_slope": claimed,
                  "title": f"{scheme}: strong error on dX = X/2 dt + sqrt(1 + X^2) dW",
                  "xlabel": "step size h", "ylabel": "E|X_h(T) - X(T)|"})
    return run


sinh_exact_solution = Derivation(
    id="sinh-sde-exact-solution-ito",
    title="X_t = sinh(a W_t + c) solves dX = (a^2/2) X dt + a sqrt(1 + X^2) dW",
    source=Source(ASSIGNMENT, SECTION, ORDERS_QUOTE),
    start=Step(sp.Matrix([sp.Derivative(PATH, (w, 2)) / 2, sp.Derivative(PATH, w)]),
               r"\left(\tfrac{1}{2} \varphi''(W_t), \; \varphi'(W_t)\right), \quad X_t = "
               r"\varphi(W_t) = \sinh(a W_t + c)",
               "Ito's formula: d phi(W_t) = phi'' / 2 dt + phi' dW; (drift, diffusion) of X_t"),
    steps=[
        Step(sp.Matrix([a**2 * PATH / 2, a * sp.cosh(a * w + c)]),
             r"\left(\tfrac{a^2}{2} \sinh(a W_t + c), \; a \cosh(a W_t + c)\right)"),
        Step(sp.Matrix([a**2 * PATH / 2, a * sp.sqrt(1 + PATH**2)]),
             r"\left(\tfrac{a^2}{2} X_t, \; a \sqrt{1 + X_t^2}\right)",
             "cosh = sqrt(1 + sinh^2): the coefficients of the SDE, which are globally "
             "Lipschitz with linear growth"),
    ],
    hypotheses=[LIPSCHITZ],
    notation={r"\varphi": sp.Lambda(w, PATH), "W_t": w, "X_t": PATH},
    crosschecks=[
        CrossCheck("Euler-Maruyama strong order 1/2 against the exact solution",
                   strong_order("euler-maruyama", _half_octaves(5, 10), 0.5, 1.0,
                                "order 1 (Milstein's strong order)")),
        CrossCheck("Milstein strong order 1 (contrast)",
                   strong_order("milstein", _half_octaves(4, 9), 1.0, 0.5,
                                "order 1/2 (Euler-Maruyama's strong order)")),
    ],
)
