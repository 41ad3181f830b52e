r"""Euler-Maruyama's orders of convergence, its blow-up for a superlinear drift, and the
subgradient method.

Assignment, "Unanswered questions in assignment 08": "Under global Lipschitz and
linear-growth conditions [...] EM converges (strong order 1/2, weak order 1). However, EM may
become unstable or diverge for superlinear coefficients even if the true SDE is well-posed."

- Geometric Brownian motion dX = mu X dt + s X dW (Lipschitz, linear growth) has the exact
  solution X_t = X_0 exp((mu - s^2/2) t + s W_t) (Ito's formula) with mean X_0 e^{mu t};
  Euler-Maruyama's mean is X_0 (1 + mu h)^n, so its weak error is -X_0 mu^2 T e^{mu T} h / 2
  + o(h): weak order exactly 1.  The orders are measured against the exact solution driven
  by the same Brownian path (W_T = sum of the scheme's increments), with an independent
  Monte Carlo estimate per step size, as numeric.rates recommends: reusing one set of paths
  for every step size makes the errors a smooth curve and the slope's interval misleadingly
  narrow.  With one path set per step size nothing needs coarsening.  A slope fitted on k
  points has a Student-t error with k - 2 degrees of freedom, so the threshold is the t
  quantile with the tail of z = 5 (one false alarm in 1.7 million), not 5 itself.
- dX = -X^3 dt + dW is well-posed with E[X_t^2] <= X_0^2 + t (the generator of V = x^2 is
  1 - 2 x^4 <= 1), but Euler's drift step x - h x^3 at least doubles |x| once h x^2 >= 3,
  after which the iterates grow like h^{(3^k - 1)/2} |x|^{3^k} and overflow; the tamed scheme
  of Hutzenthaler, Jentzen and Kloeden (the drift step h f / (1 + h |f|) is at most 1) does not.

Assignment, "Unanswered questions in assignment 01": the subdifferential of |x| at 0 is
[-1, 1] (the subgradient inequality |y| >= |0| + g y holds for every y exactly when |g| <= 1).
Two lines are errata: "\partial f(x) = [-1, 1]" holds at x = 0 only (away from 0 the
subdifferential is {sign x}), and the update "x_{k+1} = x_k + \eta g_k" has the wrong sign:
it moves uphill.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

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
from numeric import montecarlo, optimize, sde
from numeric.rates import PowerLawFit, fit_power_law

from ._notes import ASSIGNMENT

# ---------------------------------------------------------------- hypotheses

LIPSCHITZ = Hypothesis(r"b, \sigma \text{ globally Lipschitz with linear growth}",
                       quote=r"Under global Lipschitz and linear-growth conditions on the drift "
                             r"$b(x, t)$ and diffusion $\sigma(x, t)$",
                       note="geometric Brownian motion b = mu x, sigma = s x is such an SDE")
GBM_MODEL = Hypothesis(r"dX = \mu X dt + s X dW, \ X_0 > 0", quote=None,
                       note="an instance of the notes' setting; mu real, s, X_0, t, T, h "
                            "positive symbols")
ITO = Hypothesis(r"d\varphi(t, W_t) = (\partial_t \varphi + \tfrac{1}{2} \partial_w^2 \varphi) dt "
                 r"+ \partial_w \varphi \, dW_t", quote=None,
                 note="Ito's formula for a smooth phi and a Brownian motion W, taken as known")
BROWNIAN = Hypothesis(r"W_t \sim \mathcal{N}(0, t)", quote=None,
                      note="the law of Brownian motion at time t")
INCREMENTS = Hypothesis(r"\Delta W_k \sim (0, h) \text{ independent of } X_k", quote=None,
                        note="random_variable families: mean 0, variance h, independent")
STEP_COUNT = Hypothesis(r"h = T / n, \ n \to \infty", quote=None,
                        note="n: a positive integer symbol; the limit is taken by SymPy")
SUPERLINEAR = Hypothesis(r"dX = -X^3 dt + dW", quote=r"EM may become unstable or diverge for "
                         r"superlinear coefficients even if the true SDE is well-posed.",
                         note="the standard superlinear example: b = -x^3, sigma = 1")
GENERATOR = Hypothesis(r"\tfrac{d}{dt} \mathbb{E}[V(X_t)] = \mathbb{E}[\mathcal{L} V(X_t)]",
                       quote=None, note="Dynkin's formula for V = x^2, taken as known")
STATE_ABOVE_THRESHOLD = Hypothesis(r"h x^2 \geq 3, \ h > 0", quote=None,
                                   note="x = sqrt((3 + v)/h), v >= 0: every such x > 0 (x < 0 is "
                                        "symmetric)")
ABSOLUTE_VALUE = Hypothesis(r"f(x) = |x|", quote=r"the sub-gradient of absolute function $f(x) "
                            r"= |x|$, is $\partial f(x) = [-1, 1]$")
SUBGRADIENT = Hypothesis(r"g \in \partial f(x) \iff f(y) \geq f(x) + g (y - x) \ \forall y",
                         quote=None, note="the standard definition, as in the notes' reference "
                                          "[1], section 14.2")
CONVEX = Hypothesis(r"f \text{ convex}", quote=r"When f is Not differentiable and f is a convex "
                    r"function")
QUADRATIC_EXAMPLE = Hypothesis(r"f(x) = x^2, \ 0 < \eta \leq 1", quote=None,
                               note="a convex, differentiable instance (its only subgradient is "
                                    "2 x); eta = 1/(1 + q), q >= 0; the corrected step descends "
                                    "for these eta, the notes' + sign for none")


EM_SECTION = "Unanswered questions in assignment 08"
SUBGRADIENT_SECTION = "Unanswered questions in assignment 01"
HALF = sp.Rational(1, 2)
INTEGRAL_BUDGET = 10.0  # seconds per check: SymPy integrates two Gaussians (about 1 s unloaded)

ORDERS_QUOTE = (r"Under global Lipschitz and linear-growth conditions on the drift $b(x, t)$ "
                r"and diffusion $\sigma(x, t)$, EM converges (strong order 1/2, weak order 1).")
BLOW_UP_QUOTE = (r"EM may become unstable or diverge for superlinear coefficients even if the "
                 r"true SDE is well-posed.")

t, T, h, s, X0 = sp.symbols("t T h s X_0", positive=True)
mu, w = sp.symbols("mu w", real=True)
n = sp.Symbol("n", integer=True, positive=True)
GBM_PATH = X0 * sp.exp((mu - s**2 / 2) * t + s * w)          # X_t = phi(t, W_t)


# ================================================================ convergence orders (numerics)

HORIZON, START = 1.0, 1.0


def _half_octaves(low: int, high: int) -> list[int]:
    """Step counts round(2^(k/2)) from 2^low to 2^high: more points, a tighter t threshold."""
    return sorted({round(2 ** (k / 2)) for k in range(2 * low, 2 * high + 1)})


def _gbm_sampler(scheme: str, drift: float, vol: float, steps: int, statistic):
    """Draws statistic(X_h(T), X(T)) per path; X(T) from the same Brownian increments."""
    dt = HORIZON / steps

    def sampler(rng, size):
        dW = rng.standard_normal((steps, size)) * math.sqrt(dt)
        exact = START * np.exp((drift - vol**2 / 2) * HORIZON + vol * dW.sum(axis=0))
        coefficients = (lambda x, _: drift * x, lambda x, _: vol * x)
        if scheme == "milstein":
            final = sde.milstein(*coefficients, lambda x, _: np.full_like(x, vol), START, dt,
                                 dW, path=False)
        else:
            final = sde.euler_maruyama(*coefficients, START, dt, dW, path=False)
        return statistic(final, exact)

    return sampler


def _absolute_error(final, exact):
    return np.abs(final - exact)


def _signed_error(final, exact):
    return final - exact


def _error_curve(scheme, drift, vol, step_counts, paths, statistic, seed):
    """One independent estimate (seed child k) of the mean error per step size."""
    means, stderrs = [], []
    for k, steps in enumerate(step_counts):
        child = np.random.SeedSequence(seed, spawn_key=(k,))
        result = montecarlo.estimate(_gbm_sampler(scheme, drift, vol, steps, statistic), paths,
                                     seed=child)
        means.append(abs(float(result.mean)))
        stderrs.append(float(result.stderr))
    return [HORIZON / m for m in step_counts], means, stderrs


def _order_comparison(curve, claimed: float, alternatives: dict, title: str,
                      setting: str) -> Comparison:
    steps, errors, stderrs = curve
    fit = fit_power_law(steps, errors)
    threshold = fit.t_threshold()
    return Comparison(
        estimate=fit.slope, stderr=fit.slope_stderr, expected=claimed, alternatives=alternatives,
        z_threshold=threshold,
        details=f"{fit}; threshold {threshold:.1f} standard errors (Student t, "
                f"{fit.n_points - 2} degrees of freedom); smallest error resolved at "
                f"{min(e / se for e, se in zip(errors, stderrs, strict=False)):.0f} standard errors; {setting}",
        data=_loglog(steps, errors, stderrs, fit, claimed, title))


def _loglog(steps, errors, stderrs, fit: PowerLawFit, claimed: float, title: str) -> dict:
    return {"plot": "loglog", "x": steps, "y": errors, "yerr": stderrs, "slope": fit.slope,
            "intercept": fit.intercept, "expected_slope": claimed, "title": title,
            "xlabel": "step size h", "ylabel": "error at T = 1"}


STRONG_SETTING = ("dX = -0.5 X dt + 0.5 X dW, X_0 = 1, T = 1, 2000 paths per step size, "
                  "h = 2^-{lo}..2^-{hi} in half octaves")


def em_strong_order(seed: int) -> Comparison:
    """E|X_h(T) - X(T)| against h for Euler-Maruyama: slope 1/2."""
    curve = _error_curve("em", -0.5, 0.5, _half_octaves(5, 12), 2000, _absolute_error, seed)
    return _order_comparison(curve, 0.5, {"order 1 (Milstein's strong order, EM's weak)": 1.0},
                             "Euler-Maruyama strong error E|X_h(T) - X(T)|",
                             STRONG_SETTING.format(lo=12, hi=5))


def milstein_strong_order(seed: int) -> Comparison:
    """E|X_h(T) - X(T)| against h for Milstein: slope 1, for contrast with EM."""
    curve = _error_curve("milstein", -0.5, 0.5, _half_octaves(3, 9), 2000, _absolute_error,
                         seed)
    return _order_comparison(curve, 1.0, {"order 1/2 (Euler-Maruyama's strong order)": 0.5},
                             "Milstein strong error E|X_h(T) - X(T)|",
                             STRONG_SETTING.format(lo=9, hi=3))


def em_weak_order(seed: int) -> Comparison:
    """|E X_h(T) - E X(T)| (the mean of X_h(T) - X(T) on shared paths) against h: slope 1."""
    curve = _error_curve("em", 0.3, 0.2, _half_octaves(2, 8), 20_000, _signed_error, seed)
    return _order_comparison(curve, 1.0, {"order 1/2 (EM's strong order)": 0.5},
                             "Euler-Maruyama weak error |E X_h(T) - E X(T)|",
                             "dX = 0.3 X dt + 0.2 X dW, X_0 = 1, T = 1, 20000 paths per step "
                             "size, h = 2^-8..2^-2 in half octaves; the exact weak error is "
                             "X_0 ((1 + mu h)^n - e^{mu T})")


def em_mean_closed_form(seed: int) -> Comparison:
    """The Euler-Maruyama mean X_h(T) with n = 8 steps against X_0 (1 + mu h)^n."""
    drift, steps = 1.0, 8
    sampler = _gbm_sampler("em", drift, 0.5, steps, lambda final, exact: final)
    result = montecarlo.estimate(sampler, 400_000, seed=seed)
    return Comparison(
        estimate=float(result.mean), stderr=float(result.stderr),
        expected=START * (1 + drift * HORIZON / steps) ** steps,
        alternatives={"the exact mean X_0 e^{mu T}": START * math.exp(drift * HORIZON)},
        details="dX = X dt + 0.5 X dW, X_0 = 1, T = 1, h = 1/8, 400000 paths")


MEAN_DRIFT, MEAN_VOL = 0.5, 0.8


def _gbm_at_horizon(rng: np.random.Generator, size: int) -> np.ndarray:
    """Draws of the exact X_T = X_0 exp((mu - s^2/2) T + s W_T), W_T ~ N(0, T)."""
    w_t = math.sqrt(HORIZON) * rng.standard_normal(size)
    return START * np.exp((MEAN_DRIFT - MEAN_VOL**2 / 2) * HORIZON + MEAN_VOL * w_t)


def gbm_mean_by_sampling(seed: int) -> Comparison:
    """E[X_T] of the exact solution by Monte Carlo against X_0 e^{mu T}."""
    result = montecarlo.estimate(_gbm_at_horizon, 400_000, seed=seed)
    return Comparison(
        estimate=float(result.mean), stderr=float(result.stderr),
        expected=START * math.exp(MEAN_DRIFT * HORIZON),
        alternatives={"X_0 e^{(mu - s^2/2) T} (the Ito correction forgotten)":
                      START * math.exp((MEAN_DRIFT - MEAN_VOL**2 / 2) * HORIZON),
                      "X_0 e^{(mu + s^2/2) T}":
                      START * math.exp((MEAN_DRIFT + MEAN_VOL**2 / 2) * HORIZON)},
        details=f"mu = {MEAN_DRIFT}, s = {MEAN_VOL}, X_0 = 1, T = 1, 400000 draws of W_T")


# ================================================================ convergence orders (symbols)

ito_solution = Derivation(
    id="gbm-exact-solution-ito",
    title="X_t = X_0 exp((mu - s^2/2) t + s W_t) solves dX = mu X dt + s X dW",
    source=Source(ASSIGNMENT, EM_SECTION, ORDERS_QUOTE),
    start=Step(sp.Matrix([sp.Derivative(GBM_PATH, t) + HALF * sp.Derivative(GBM_PATH, (w, 2)),
                          sp.Derivative(GBM_PATH, w)]),
               r"\left(\partial_t \varphi + \tfrac{1}{2} \partial_w^2 \varphi, \; "
               r"\partial_w \varphi\right)",
               "X_t = phi(t, W_t); Ito's formula: d phi(t, W_t) = (phi_t + phi_ww / 2) dt + phi_w dW; the pair "
               "(drift, diffusion) of X_t. Geometric Brownian motion, whose coefficients are "
               "globally Lipschitz with linear growth: the setting of the notes' orders"),
    steps=[
        Step(sp.Matrix([(mu - s**2 / 2) * GBM_PATH + s**2 / 2 * GBM_PATH, s * GBM_PATH]),
             r"\left((\mu - \tfrac{s^2}{2}) X_t + \tfrac{s^2}{2} X_t, \; s X_t\right)"),
        Step(sp.Matrix([mu * GBM_PATH, s * GBM_PATH]), r"\left(\mu X_t, \; s X_t\right)",
             "the coefficients of dX = mu X dt + s X dW"),
    ],
    crosschecks=[
        CrossCheck("Euler-Maruyama strong order 1/2 against the exact solution", em_strong_order),
        CrossCheck("Milstein strong order 1 (contrast)", milstein_strong_order),
    ],
    hypotheses=[LIPSCHITZ, GBM_MODEL, ITO],
    notation={r"\varphi": GBM_PATH, "X_t": GBM_PATH},
)

GAUSSIAN = sp.exp(-w**2 / (2 * t)) / sp.sqrt(2 * sp.pi * t)          # density of W_t
SHIFTED_GAUSSIAN = sp.exp(-(w - s * t) ** 2 / (2 * t)) / sp.sqrt(2 * sp.pi * t)

gbm_mean = Derivation(
    id="gbm-exact-mean",
    title="E[X_t] = X_0 e^{mu t} for geometric Brownian motion",
    source=Source(ASSIGNMENT, EM_SECTION, ORDERS_QUOTE),
    start=Step(X0 * sp.exp((mu - s**2 / 2) * t)
               * sp.Integral(sp.exp(s * w) * GAUSSIAN, (w, -sp.oo, sp.oo)),
               r"X_0 e^{(\mu - s^2/2) t} \int e^{s w} \frac{e^{-w^2 / 2t}}{\sqrt{2 \pi t}} \, dw",
               "E[X_t] = E[phi(t, W_t)] with W_t ~ N(0, t) (gbm-exact-solution-ito)"),
    steps=[
        Step(X0 * sp.exp((mu - s**2 / 2) * t)
             * sp.Integral(sp.exp(s**2 * t / 2) * SHIFTED_GAUSSIAN, (w, -sp.oo, sp.oo)),
             r"X_0 e^{(\mu - s^2/2) t} \int e^{s^2 t / 2} \frac{e^{-(w - s t)^2 / 2t}}"
             r"{\sqrt{2 \pi t}} \, dw", "complete the square"),
        Step(X0 * sp.exp((mu - s**2 / 2) * t) * sp.exp(s**2 * t / 2),
             r"X_0 e^{(\mu - s^2/2) t} e^{s^2 t / 2}", "a normal density integrates to 1"),
        Step(X0 * sp.exp(mu * t), r"X_0 e^{\mu t}"),
    ],
    budget=INTEGRAL_BUDGET,
    crosschecks=[CrossCheck("Monte Carlo mean of the exact solution", gbm_mean_by_sampling)],
    hypotheses=[LIPSCHITZ, GBM_MODEL, BROWNIAN],
)

state = random_variable("X_k", mean=sp.Symbol("m_k", real=True),
                        variance=sp.Symbol("v_k", positive=True))
increment = random_variable("dW_k", mean=0, variance=h)
x_k, dw_k = state.symbol, increment.symbol


def _mean(expr) -> sp.Expr:
    return E(expr, state, increment)


em_mean_recursion = Derivation(
    id="em-mean-recursion-gbm",
    title="Euler-Maruyama's mean for geometric Brownian motion: E X_{k+1} = (1 + mu h) E X_k",
    source=Source(ASSIGNMENT, EM_SECTION, ORDERS_QUOTE),
    start=Step(_mean(x_k + mu * x_k * h + s * x_k * dw_k),
               r"\mathbb{E}[X_{k+1}] = \mathbb{E}[X_k + \mu X_k h + s X_k \Delta W_k]",
               "one Euler-Maruyama step; Delta W_k ~ (0, h) is independent of X_k"),
    steps=[
        Step((1 + mu * h) * _mean(x_k) + s * _mean(x_k) * _mean(dw_k),
             r"(1 + \mu h) \mathbb{E}[X_k] + s \mathbb{E}[X_k] \mathbb{E}[\Delta W_k]",
             "linearity and independence"),
        Step((1 + mu * h) * _mean(x_k), r"(1 + \mu h) \mathbb{E}[X_k]",
             "E[Delta W_k] = 0; so E[X_n] = X_0 (1 + mu h)^n"),
    ],
    crosschecks=[CrossCheck("Euler-Maruyama mean against X_0 (1 + mu h)^n", em_mean_closed_form)],
    hypotheses=[LIPSCHITZ, GBM_MODEL, INCREMENTS],
    notation={r"\Delta W_k": dw_k, "X_{k+1}": x_k + mu * x_k * h + s * x_k * dw_k},
)

em_weak_error = Derivation(
    id="em-weak-error-gbm",
    title="The weak error of Euler-Maruyama is -X_0 mu^2 T e^{mu T} h / 2 + o(h): order 1",
    source=Source(ASSIGNMENT, EM_SECTION, ORDERS_QUOTE),
    start=Step(sp.Limit(n / T * (X0 * (1 + mu * T / n) ** n - X0 * sp.exp(mu * T)), n, sp.oo),
               r"\lim_{n \to \infty} \frac{n}{T} \left(X_0 \left(1 + \frac{\mu T}{n}\right)^n "
               r"- X_0 e^{\mu T}\right)",
               "lim_{h -> 0} (E[X^h_T] - E[X_T]) / h with h = T / n; E[X^h_T] = X_0 (1 + mu h)^n (em-mean-recursion-gbm), "
               "E[X_T] = X_0 e^{mu T} (gbm-exact-mean)"),
    steps=[Step(-X0 * mu**2 * T * sp.exp(mu * T) / 2, r"-\frac{X_0 \mu^2 T e^{\mu T}}{2}",
                "non-zero for mu != 0: the weak error is proportional to h, order exactly 1")],
    crosschecks=[CrossCheck("Euler-Maruyama weak order 1", em_weak_order)],
    hypotheses=[LIPSCHITZ, GBM_MODEL, STEP_COUNT],
)


# ================================================================ blow-up (numerics)

BLOW_UP_STEPS = (0.1, 0.2, 0.3, 0.4, 0.5)
BLOW_UP_STEP, BLOW_UP_HORIZON, BLOW_UP_PATHS = 0.4, 10.0, 4000


def _cubic_drift(x, _t):
    return -(x**3)


def _unit_noise(x, _t):
    return np.ones_like(x)


def _tamed_euler(dt: float, dW: np.ndarray) -> np.ndarray:
    """X_{k+1} = X_k + dt f / (1 + dt |f|) + dW_k, f = -X_k^3, from X_0 = 0 (HJK 2012)."""
    x = np.zeros(dW.shape[1])
    for dw in dW:
        push = dt * _cubic_drift(x, 0.0)
        x = x + push / (1.0 + np.abs(push)) + dw
    return x


def _overflow_fractions(dt: float, seed) -> tuple[float, float]:
    """Fractions of paths whose X_T is not finite: Euler-Maruyama, tamed (same increments)."""
    dW = sde.brownian_increments(round(BLOW_UP_HORIZON / dt), BLOW_UP_PATHS, dt, seed)
    with np.errstate(over="ignore", invalid="ignore"):
        em = sde.euler_maruyama(_cubic_drift, _unit_noise, 0.0, dt, dW, path=False)
    return float(np.mean(~np.isfinite(em))), float(np.mean(~np.isfinite(_tamed_euler(dt, dW))))


def tamed_scheme_stays_finite(seed: int) -> Comparison:
    """Overflowed paths of the tamed scheme (0) against Euler-Maruyama on the same increments."""
    curves = {label: [] for label in ("Euler-Maruyama", "tamed Euler (Hutzenthaler et al.)")}
    for k, dt in enumerate(BLOW_UP_STEPS):
        child = np.random.SeedSequence(seed, spawn_key=(k,))
        for label, value in zip(curves, _overflow_fractions(dt, child), strict=False):
            curves[label].append(value)
    em, tamed = (values[BLOW_UP_STEPS.index(BLOW_UP_STEP)] for values in curves.values())
    return Comparison(
        estimate=tamed, expected=0.0, tolerance=0.0,
        alternatives={f"Euler-Maruyama's overflow fraction at h = {BLOW_UP_STEP}": em},
        details=f"dX = -X^3 dt + dW, X_0 = 0, T = {BLOW_UP_HORIZON:g}, {BLOW_UP_PATHS} paths; "
                f"fraction of paths with a non-finite X_T at h = {BLOW_UP_STEP}: tamed {tamed}, "
                f"Euler-Maruyama {em}",
        data={"plot": "curves", "x": list(BLOW_UP_STEPS), "curves": curves,
              "title": "dX = -X^3 dt + dW: paths that overflow by T = 10",
              "xlabel": "step size h", "ylabel": "fraction of paths with X_T = inf or NaN"})


STATIONARY_STEP, STATIONARY_HORIZON, STATIONARY_PATHS = 0.01, 6.0, 20_000


def stationary_fourth_moment(seed: int) -> Comparison:
    """E[X_T^4] of dX = -X^3 dt + dW at T = 6 (tamed Euler, h = 0.01) against 1/2.

    d/dt E[X^2] = E[1 - 2 X^4] vanishes at stationarity, so E[X^4] = 1/2 there (also
    2 Gamma(5/4) / Gamma(1/4) for the invariant density proportional to exp(-x^4 / 2)).
    """
    steps = round(STATIONARY_HORIZON / STATIONARY_STEP)
    dW = sde.brownian_increments(steps, STATIONARY_PATHS, STATIONARY_STEP, seed)
    fourth = _tamed_euler(STATIONARY_STEP, dW) ** 4
    stderr = float(fourth.std(ddof=1) / math.sqrt(fourth.size))
    return Comparison(
        estimate=float(fourth.mean()), stderr=stderr, expected=0.5,
        alternatives={"generator without the 1/2, L V = 2 - 2 x^4 (E X^4 = 1)": 1.0,
                      "the Ito term 1/2 V'' dropped, L V = -2 x^4 (E X^4 = 0)": 0.0},
        details=f"tamed Euler, h = {STATIONARY_STEP}, T = {STATIONARY_HORIZON:g}, X_0 = 0, "
                f"{STATIONARY_PATHS} paths; the time-discretisation bias is O(h)")


# ================================================================ blow-up (symbols)

x = sp.Symbol("x", real=True)
margin = sp.Symbol("v", nonnegative=True)
LARGE_STATE = sp.sqrt((3 + margin) / h)        # every x > 0 with h x^2 >= 3

cubic_moments = Derivation(
    id="cubic-drift-sde-second-moment-bounded",
    title="dX = -X^3 dt + dW is well behaved: d/dt E[X_t^2] <= 1",
    source=Source(ASSIGNMENT, EM_SECTION, BLOW_UP_QUOTE),
    start=Step(-(x**3) * sp.Derivative(x**2, x) + HALF * 1**2 * sp.Derivative(x**2, (x, 2)),
               r"b(x) V'(x) + \tfrac{1}{2} \sigma^2 V''(x), \quad V(x) = x^2",
               "L V(x), the generator of dX = -X^3 dt + dW (b = -x^3, sigma = 1): "
               "d/dt E[V(X_t)] = E[L V(X_t)]"),
    steps=[
        Step(1 - 2 * x**4, r"1 - 2 x^4"),
        Step(sp.S.One, r"1", "so E[X_t^2] <= X_0^2 + t: every moment used stays finite",
             relation="<="),
    ],
    crosschecks=[CrossCheck("stationary E[X^4] = 1/2, where E[1 - 2 X^4] = 0",
                            stationary_fourth_moment)],
    hypotheses=[SUPERLINEAR, GENERATOR],
    notation={"b": sp.Lambda(x, -(x**3)), r"\sigma": 1},
)

em_step_doubles = Derivation(
    id="em-cubic-drift-step-doubles-large-states",
    title="Euler's drift step for -x^3 at least doubles |x| once h x^2 >= 3",
    source=Source(ASSIGNMENT, EM_SECTION, BLOW_UP_QUOTE),
    start=Step(sp.Abs(LARGE_STATE - h * LARGE_STATE**3), r"|x - h x^3|",
               "the drift part of an Euler-Maruyama step for b(x) = -x^3; x = sqrt((3 + v)/h), "
               "v >= 0: every x > 0 with h x^2 >= 3 (x < 0 is symmetric)"),
    steps=[
        Step(LARGE_STATE * (h * LARGE_STATE**2 - 1), r"x (h x^2 - 1)", "h x^2 - 1 >= 2 > 0"),
        Step(LARGE_STATE * (2 + margin), r"x (2 + v)"),
        Step(2 * LARGE_STATE, r"2 |x|", "then |x_{k+1}| ~ h |x_k|^3: the iterates overflow",
             relation=">="),
    ],
    crosschecks=[CrossCheck("paths that overflow: tamed scheme against Euler-Maruyama",
                            tamed_scheme_stays_finite)],
    hypotheses=[SUPERLINEAR, STATE_ABOVE_THRESHOLD],
    notation={"x": LARGE_STATE},
)


# ================================================================ subgradients

SUBGRADIENT_QUOTE = (r"the sub-gradient of absolute function $f(x) = |x|$, is $\partial f(x) = "
                     r"[-1, 1]$")
UPDATE_QUOTE = r"x_{k+1} = x_k + \eta g_k, g \in \partial f(x)"
p = sp.Symbol("p", nonnegative=True)
c = sp.Symbol("c", nonnegative=True)
p_pos, c_pos = sp.Symbol("p", positive=True), sp.Symbol("c", positive=True)
point = sp.Symbol("a", positive=True)          # a point x = a > 0 away from 0
ABSOLUTE = sp.Lambda(sp.Symbol("u", real=True), sp.Abs(sp.Symbol("u", real=True)))

def subdifferential(function, point: float) -> tuple[float, float]:
    """[sup of left difference quotients, inf of right ones]: the subdifferential of a convex
    function of one variable at ``point``, from quotients at offsets 10^-8 .. 10^2."""
    offsets = np.logspace(-8, 2, 401)

    def quotients(y):
        return (function(y) - function(point)) / (y - point)
    return float(np.max(quotients(point - offsets))), float(np.min(quotients(point + offsets)))


def _subdifferential_check(point: float, end: int, claimed: float, alternatives: dict,
                           what: str) -> Comparison:
    value = subdifferential(np.abs, point)[end]
    return Comparison(
        estimate=value, expected=claimed, tolerance=1e-9, alternatives=alternatives,
        details=f"{what} of the subdifferential of |x| at x = {point:g}, from difference "
                f"quotients at offsets 1e-8..1e2; found {subdifferential(np.abs, point)}")


def subgradient_upper_end(seed: int) -> Comparison:
    """The largest subgradient of |x| at 0 is 1."""
    return _subdifferential_check(0.0, 1, 1.0, {"{0} (the gradient of a smoothed |x|)": 0.0,
                                                "unbounded above (taken as 2)": 2.0},
                                  "the upper end")


def subgradient_lower_end(seed: int) -> Comparison:
    """The smallest subgradient of |x| at 0 is -1."""
    return _subdifferential_check(0.0, 0, -1.0, {"{0} (the gradient of a smoothed |x|)": 0.0,
                                                 "unbounded below (taken as -2)": -2.0},
                                  "the lower end")


def subgradient_lower_end_away_from_zero(seed: int) -> Comparison:
    """At x = 0.7 the smallest subgradient of |x| is sign x = 1, not the notes' -1."""
    return _subdifferential_check(0.7, 0, 1.0, {"the notes' [-1, 1] (lower end -1)": -1.0},
                                  "the lower end")


def subgradient_violation_above_one(seed: int) -> Comparison:
    """Fraction of g in (1, 3] for which |y| >= g y holds at every test point y."""
    candidates = np.linspace(1.0, 3.0, 201)[1:]
    ys = np.concatenate([-np.logspace(-8, 2, 101), np.logspace(-8, 2, 101)])
    holds_everywhere = np.all(np.abs(ys)[None, :] >= candidates[:, None] * ys[None, :], axis=1)
    return Comparison(
        estimate=float(np.mean(holds_everywhere)), expected=0.0, tolerance=0.0,
        alternatives={"every g is a subgradient at the kink": 1.0},
        details="200 values of g in (1, 3], 202 test points y in +-[1e-8, 1e2]")


subgradient_right = Derivation(
    id="abs-subgradient-at-zero-right",
    title="At 0, every g <= 1 satisfies the subgradient inequality of |x| for y >= 0",
    source=Source(ASSIGNMENT, SUBGRADIENT_SECTION, SUBGRADIENT_QUOTE),
    start=Step(sp.Abs(p), r"f(y) = |y|", "y = p >= 0"),
    steps=[Step(sp.Abs(0) + (1 - c) * (p - 0), r"f(0) + g (y - 0)",
                "g = 1 - c, c >= 0: every g <= 1", relation=">=")],
    crosschecks=[CrossCheck("the largest subgradient at 0 from difference quotients",
                            subgradient_upper_end)],
    hypotheses=[ABSOLUTE_VALUE, SUBGRADIENT],
    notation={"f": ABSOLUTE, "y": p, "g": 1 - c},
)

subgradient_left = Derivation(
    id="abs-subgradient-at-zero-left",
    title="At 0, every g >= -1 satisfies the subgradient inequality of |x| for y <= 0",
    source=Source(ASSIGNMENT, SUBGRADIENT_SECTION, SUBGRADIENT_QUOTE),
    start=Step(sp.Abs(-p), r"f(y) = |y|", "y = -p <= 0"),
    steps=[Step(sp.Abs(0) + (c - 1) * (-p - 0), r"f(0) + g (y - 0)",
                "g = c - 1, c >= 0: every g >= -1; with abs-subgradient-at-zero-right, every "
                "g in [-1, 1] is a subgradient at 0", relation=">=")],
    crosschecks=[CrossCheck("the smallest subgradient at 0 from difference quotients",
                            subgradient_lower_end)],
    hypotheses=[ABSOLUTE_VALUE, SUBGRADIENT],
    notation={"f": ABSOLUTE, "y": -p, "g": c - 1},
)

subgradient_outside = Derivation(
    id="abs-subgradient-at-zero-excludes-g-above-one",
    title="At 0, no g > 1 is a subgradient of |x| (nor, by symmetry, any g < -1)",
    source=Source(ASSIGNMENT, SUBGRADIENT_SECTION, SUBGRADIENT_QUOTE),
    start=Step(sp.Abs(0) + (1 + c_pos) * (p_pos - 0), r"f(0) + g (y - 0)",
               "g = 1 + c, c > 0; any y = p > 0"),
    steps=[Step(sp.Abs(p_pos), r"f(y) = |y|",
                "the subgradient inequality f(y) >= f(0) + g y fails", relation=">")],
    crosschecks=[CrossCheck("no g > 1 satisfies the inequality at test points",
                            subgradient_violation_above_one)],
    hypotheses=[ABSOLUTE_VALUE, SUBGRADIENT],
    notation={"f": ABSOLUTE, "y": p_pos, "g": 1 + c_pos},
)

subdifferential_away_from_zero = Derivation(
    id="abs-subdifferential-away-from-zero",
    title="Away from 0 the subdifferential of |x| is {sign x}, not [-1, 1]",
    source=Source(ASSIGNMENT, SUBGRADIENT_SECTION, SUBGRADIENT_QUOTE),
    start=Step(sp.Abs(-p), r"f(y) = |y|", "at x = a > 0; test points y = -p <= 0"),
    steps=[Step(point + (-1) * (-p - point), r"f(x) + g (y - x), \quad g = -1 \in [-1, 1]",
                "the notes: every g in [-1, 1] is a subgradient", relation=">=")],
    expected=erratum(Correction(
        1, Step(point + 1 * (-p - point),
                r"f(x) + g (y - x), \quad g = 1 = \operatorname{sign} x", relation=">="),
        "partial |x| = [-1, 1] holds at x = 0 only; where |x| is differentiable (x != 0) the "
        "subdifferential is {sign x}, as the notes' own reference [1] says (for y >= 0 the "
        "corrected inequality is the equality |y| = y)")),
    crosschecks=[CrossCheck("the smallest subgradient at 0.7 from difference quotients",
                            subgradient_lower_end_away_from_zero)],
    hypotheses=[ABSOLUTE_VALUE, SUBGRADIENT],
    notation={"f": ABSOLUTE, "y": -p, "x": point},
)

step_size = 1 / (1 + sp.Symbol("q", nonnegative=True))      # every step 0 < eta <= 1


def _value_after_update(sign) -> sp.Expr:
    """f(x_k + sign eta g_k) for f(x) = x^2, g_k = 2 x_k."""
    return (x + sign * step_size * 2 * x) ** 2


SUBGRADIENT_X0, SUBGRADIENT_ITERATIONS = 1.3, 400


def _subgradient_run(direction: float):
    """numeric.optimize.subgradient_descent on |x| with g = direction * sign(x)."""
    return optimize.subgradient_descent(lambda v: direction * np.sign(v), [SUBGRADIENT_X0],
                                        step=1.0, max_iter=SUBGRADIENT_ITERATIONS,
                                        f=lambda v: float(np.abs(v).sum()))


def _subgradient_bound() -> float:
    """(R^2 + sum eta_k^2) / (2 sum eta_k): the guarantee for min_k f(x_k) - min f, L = 1."""
    etas = 1.0 / np.sqrt(np.arange(1, SUBGRADIENT_ITERATIONS + 1))
    return float((SUBGRADIENT_X0**2 + np.sum(etas**2)) / (2 * np.sum(etas)))


def subgradient_sign(seed: int) -> Comparison:
    """Best |x_k| of the subgradient method with x - eta g against the notes' x + eta g."""
    right, notes = _subgradient_run(1.0), _subgradient_run(-1.0)
    return Comparison(
        estimate=float(abs(right.x[0])), expected=0.0, tolerance=_subgradient_bound(),
        alternatives={"the notes' x_{k+1} = x_k + eta g_k (best f stays f(x_0))":
                      float(abs(notes.x[0]))},
        details=f"f = |x|, x_0 = {SUBGRADIENT_X0}, eta_k = 1/sqrt(k+1), "
                f"{SUBGRADIENT_ITERATIONS} iterations; tolerance = the method's guarantee; "
                f"last |x_k|: {abs(right.history[-1, 0]):.3g} (x - eta g), "
                f"{abs(notes.history[-1, 0]):.3g} (x + eta g)",
        data={"plot": "curves", "x": list(range(SUBGRADIENT_ITERATIONS + 1)), "logy": True,
              "curves": {"x_k - eta g_k: best so far, min_{j <= k} |x_j|":
                         np.minimum.accumulate(np.abs(right.history[:, 0])).tolist(),
                         "the notes' x_k + eta g_k: |x_k|": np.abs(notes.history[:, 0]).tolist()},
              "title": "Subgradient method on |x|", "xlabel": "iteration k",
              "ylabel": "f = |x|"})


subgradient_update_sign = Derivation(
    id="subgradient-update-sign",
    title="The subgradient update is x_k - eta g_k: the notes' + sign moves uphill",
    source=Source(ASSIGNMENT, SUBGRADIENT_SECTION, UPDATE_QUOTE),
    start=Step(_value_after_update(+1), r"f(x_{k+1}) = f(x_k + \eta g_k)",
               "f(x) = x^2 (convex and differentiable: its only subgradient is g_k = 2 x_k); "
               "the notes' update with a step 0 < eta = 1/(1 + q) <= 1"),
    steps=[Step(x**2, r"f(x_k)", "a step of the method should not increase f", relation="<=")],
    expected=erratum(Correction(
        0, Step(_value_after_update(-1), r"f(x_{k+1}) = f(x_k - \eta g_k)"),
        "the update must go against the subgradient, x_{k+1} = x_k - eta g_k: with the + sign "
        "f(x_k + eta g_k) >= f(x_k) + eta |g_k|^2 for convex f, so it never descends")),
    crosschecks=[CrossCheck("numeric.optimize.subgradient_descent on |x|, both signs",
                            subgradient_sign)],
    hypotheses=[CONVEX, QUADRATIC_EXAMPLE],
    notation={"f": sp.Lambda(x, x**2), "x_k": x, r"\eta": step_size, "g_k": 2 * x,
              "x_{k+1}": sp.Symbol("x_{k+1}", real=True)},
)
