r"""The probability-flow ODE reproduces the SDE's marginals: Ornstein-Uhlenbeck, and a
state-dependent diffusion beyond geometric Brownian motion.

Assignment, "Unanswered questions in assignment 10": the probability-flow ODE dx/dt = v,
v = b - 1/2 D grad log p, "pushes forward the density p(x, 0) to the same marginal p(x, t) as
the SDE", "even when D(x, t) depends on x".

- Ornstein-Uhlenbeck dX = -theta X dt + s dW, X_0 ~ N(m0, v0): the marginal N(m(t), v(t))
  (dm/dt = -theta m, dv/dt = s^2 - 2 theta v) solves the Fokker-Planck equation and the
  notes' continuity equation: with a constant D the notes' velocity is right. Euler-Maruyama
  particles and probability-flow (RK4) particles both end at N(m(T), v(T)).
- X = sinh(Y), Y Ornstein-Uhlenbeck: D(x) = s^2 (1 + x^2) depends on x, asinh X_t ~
  N(m(t), v(t)). The notes' velocity is s^2 x too fast (it lacks -1/2 dD/dx): its continuity
  equation is not the Fokker-Planck equation and its particles miss the SDE's law; the
  corrected velocity b - 1/2 dD/dx - 1/2 D d/dx log p reproduces it (proofs/fokker_planck.py
  has the general identity and geometric Brownian motion).

Time derivatives of p(x, t) = P(x; m(t), v(t)) are written by the chain rule,
d_t p = (d_m p) dm/dt + (d_v p) dv/dt, with the moment equations proved separately.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.integrate
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

from . import _marginals
from ._identity import projected_comparison
from ._notes import ASSIGNMENT

SECTION = "Unanswered questions in assignment 10"
HALF = sp.Rational(1, 2)
PUSH_QUOTE = (r"The deterministic probability-flow ODE $$\frac{dx}{dt} = v(x, t)$$ pushes "
              r"forward the density $p(x, 0)$ to the same marginal $p(x, t)$ as the SDE, "
              r"provided p is smooth and v is Lipschitz.")
STATE_QUOTE = (r"pushes forward the density $p(x, 0)$ to the same marginal $p(x, t)$ as the SDE "
               r"[...] The result holds even when $D(x, t)$ depends on x (state-dependent "
               r"diffusion)")
VELOCITY_QUOTE = r"v(x, t) = b(x, t) - \frac{1}{2} D(x, t) \nabla_x \log p(x, t)"

x = sp.Symbol("x", real=True)
t, theta, s, v0 = sp.symbols("t theta s v0", positive=True)
m0, m = sp.symbols("m0 m", real=True)
v = sp.Symbol("v", positive=True)
y = sp.asinh(x)


def time_derivative(p: sp.Expr) -> sp.Expr:
    """d_t p for p = p(x; m(t), v(t)): (d_m p) (-theta m) + (d_v p) (s^2 - 2 theta v)."""
    return sp.Derivative(p, m) * (-theta * m) + sp.Derivative(p, v) * (s**2 - 2 * theta * v)


def fokker_planck(p: sp.Expr, drift: sp.Expr, diffusion: sp.Expr) -> sp.Expr:
    """-d_x (b p) + 1/2 d_x^2 (D p)."""
    return -sp.Derivative(drift * p, x) + HALF * sp.Derivative(diffusion * p, (x, 2))


def transport(p: sp.Expr, velocity: sp.Expr) -> sp.Expr:
    """-d_x (v p): how the flow dx/dt = v moves its density."""
    return -sp.Derivative(velocity * p, x)


MOMENT_HYPOTHESIS = Hypothesis(
    r"p(x, t) = N(x; m(t), v(t)), \quad \frac{dm}{dt} = -\theta m, \quad \frac{dv}{dt} = s^2 - "
    r"2 \theta v", note="the law of the Ornstein-Uhlenbeck process (ou-moment-equations)")
T_DERIVATIVE_LATEX = (r"\frac{\partial p}{\partial m} (-\theta m) + \frac{\partial p}{\partial v} "
                      r"(s^2 - 2 \theta v)")
T_DERIVATIVE_WHY = ("d_t p = (dp/dm) (dm/dt) + (dp/dv) (dv/dt), with the moment equations "
                    "dm/dt = -theta m, dv/dt = s^2 - 2 theta v (ou-moment-equations)")

# ================================================================ Ornstein-Uhlenbeck

OU_MEAN = m0 * sp.exp(-theta * t)
OU_VARIANCE = v0 * sp.exp(-2 * theta * t) + s**2 / (2 * theta) * (1 - sp.exp(-2 * theta * t))

def _moments_closed_form(times: np.ndarray, noise_variance: float) -> np.ndarray:
    """(m(t), v(t)) of the closed forms at ``times`` for THETA, M0, V0 and s^2 = noise_variance."""
    decay = np.exp(-THETA * times)
    return np.array([M0 * decay, V0 * decay**2
                     + noise_variance * (1 - decay**2) / (2 * THETA)])


def moment_equations_solved(seed: int) -> Comparison:
    """dm/dt = -theta m, dv/dt = s^2 - 2 theta v integrated by scipy's solve_ivp (RK45, rtol
    1e-10) at 8 random times in (0, 3] against the closed forms."""
    times = np.sort(np.random.default_rng(seed).uniform(0.05, 3.0, 8))
    solution = scipy.integrate.solve_ivp(
        lambda _t, state: [-THETA * state[0], S**2 - 2 * THETA * state[1]], (0.0, 3.0),
        [M0, V0], t_eval=times, rtol=1e-10, atol=1e-12)
    return projected_comparison(
        solution.y, _moments_closed_form(times, S**2),
        {"v(t) with s^2 / theta for s^2 / (2 theta)": _moments_closed_form(times, 2 * S**2)},
        seed=seed, relative_tolerance=1e-7,
        details=f"theta = {THETA:g}, s = {S:g}, m0 = {M0:g}, v0 = {V0:g}; t = "
                f"{np.round(times, 3).tolist()}")


ou_moments = Derivation(
    id="ou-moment-equations",
    title="m(t) = m0 e^{-theta t} and v(t) = v0 e^{-2 theta t} + s^2 (1 - e^{-2 theta t}) / "
          "(2 theta) solve dm/dt = -theta m, dv/dt = s^2 - 2 theta v",
    source=Source(ASSIGNMENT, SECTION, PUSH_QUOTE),
    start=Step(sp.Matrix([sp.Derivative(OU_MEAN, t), sp.Derivative(OU_VARIANCE, t)]),
               r"\left(\frac{dm}{dt}, \frac{dv}{dt}\right)",
               "Ito: d E[X] = -theta E[X] dt and d Var X = (s^2 - 2 theta Var X) dt for "
               "dX = -theta X dt + s dW; a Gaussian X_0 stays Gaussian (linear SDE)"),
    steps=[Step(sp.Matrix([-theta * OU_MEAN, s**2 - 2 * theta * OU_VARIANCE]),
                r"\left(-\theta m, \; s^2 - 2 \theta v\right)")],
    crosschecks=[CrossCheck("the moment equations integrated by solve_ivp",
                            moment_equations_solved)],
    notation={"m": OU_MEAN, "v": OU_VARIANCE},
)

OU_DENSITY = sp.exp(-(x - m) ** 2 / (2 * v)) / sp.sqrt(2 * sp.pi * v)
OU_DRIFT = -theta * x
OU_NOTES_VELOCITY = OU_DRIFT - HALF * s**2 * sp.Derivative(sp.log(OU_DENSITY), x)

THETA, S, M0, V0, HORIZON = 1.0, 1.0, 0.5, 0.25, 1.0
LAW = _marginals.OrnsteinUhlenbeckLaw(THETA, S, M0, V0)
OU, SINH = _marginals.ornstein_uhlenbeck(LAW), _marginals.sinh_ornstein_uhlenbeck(LAW)
PARTICLES, SDE_STEPS, ODE_STEPS, HISTOGRAM_DRAWS = 2**13, 200, 50, 2048
SETTING = (f"theta = {THETA:g}, s = {S:g}, Y_0 ~ N({M0:g}, {V0:g}), T = {HORIZON:g}, "
           f"{PARTICLES} particles; Euler-Maruyama {SDE_STEPS} steps, RK4 {ODE_STEPS} steps")


def _sampler(process: _marginals.Process, kind: str) -> _marginals.Sampler:
    if kind == "sde":
        return _marginals.sde_sampler(process, HORIZON, SDE_STEPS)
    velocity = process.corrected_velocity if kind == "corrected" else process.notes_velocity
    return _marginals.flow_sampler(process, velocity, HORIZON, ODE_STEPS)


def _histogram_draws(process: _marginals.Process, kind: str, seed: int) -> np.ndarray:
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2**20,)))
    return _sampler(process, kind)(rng, HISTOGRAM_DRAWS)[:, 0]


def marginal_check(process: _marginals.Process, kind: str, moment: int, expected: float,
                   alternatives: dict[str, float], label: str) -> Callable[[int], Comparison]:
    """A cross-check of E[y_T] (moment 0) or E[(y_T - m(T))^2] (moment 1) of ``kind``
    particles ("sde", "corrected" or "notes" flow), with a histogram against N(m(T), v(T))."""
    def run(seed: int) -> Comparison:
        result = _marginals.estimate_moments(_sampler(process, kind), PARTICLES, seed)
        means, stderrs = np.atleast_1d(result.mean), np.atleast_1d(result.stderr)
        return Comparison(
            estimate=float(means[moment]), stderr=float(stderrs[moment]),
            expected=expected, alternatives=alternatives,
            details=f"{label}; {SETTING}; E[y_T] = {means[0]:.5f} ± "
                    f"{stderrs[0]:.5f}, E[(y_T - m(T))^2] = {means[1]:.5f} ± "
                    f"{stderrs[1]:.5f}; exact m(T) = "
                    f"{LAW.mean(HORIZON):.5f}, v(T) = {LAW.variance(HORIZON):.5f}",
            data=_marginals.histogram(LAW, HORIZON, {label: _histogram_draws(process, kind, seed)},
                                      f"{label}: y_T against the exact law"))
    return run


def _ou_checks() -> list[CrossCheck]:
    drift_only = {"v0 e^{-2 theta T}: the flow dx/dt = b without the score term":
                  LAW.drift_only_variance(HORIZON)}
    no_decay = {"m0: a mean that does not decay": M0}
    checks = []
    for kind, label in (("sde", "Euler-Maruyama X_T"), ("notes", "probability-flow x(T)")):
        checks += [
            CrossCheck(f"Ornstein-Uhlenbeck {label}: mean",
                       marginal_check(OU, kind, 0, LAW.mean(HORIZON), no_decay, label)),
            CrossCheck(f"Ornstein-Uhlenbeck {label}: variance",
                       marginal_check(OU, kind, 1, LAW.variance(HORIZON), drift_only, label)),
        ]
    return checks


probability_flow_ou = Derivation(
    id="probability-flow-ou-marginals",
    title="Ornstein-Uhlenbeck: the probability-flow ODE carries the SDE's Gaussian marginals",
    source=Source(ASSIGNMENT, SECTION, PUSH_QUOTE),
    start=Step(time_derivative(OU_DENSITY), T_DERIVATIVE_LATEX,
               "p = N(x; m(t), v(t)); " + T_DERIVATIVE_WHY),
    steps=[
        Step(fokker_planck(OU_DENSITY, OU_DRIFT, s**2),
             r"-\partial_x (-\theta x p) + \frac{s^2}{2} \partial_x^2 p",
             "p solves the Fokker-Planck equation of dX = -theta X dt + s dW"),
        Step(transport(OU_DENSITY, OU_NOTES_VELOCITY),
             r"-\partial_x \left(\left(-\theta x - \frac{s^2}{2} \partial_x \log p\right) p\right)",
             "the notes' continuity form with v = b - 1/2 D d/dx log p: right for D = s^2"),
    ],
    hypotheses=[MOMENT_HYPOTHESIS,
                Hypothesis(r"D = s^2", quote=r"Let $D(x, t) = \sigma \sigma^\top$",
                           note="constant diffusion")],
    notation={"p": OU_DENSITY},
    crosschecks=_ou_checks(),
)


# ================================================================ sinh of Ornstein-Uhlenbeck

SINH_DENSITY = (sp.exp(-(y - m) ** 2 / (2 * v)) / sp.sqrt(2 * sp.pi * v)) / sp.sqrt(1 + x**2)
SINH_DRIFT = -theta * sp.sqrt(1 + x**2) * y + s**2 * x / 2
SINH_DIFFUSION = s**2 * (1 + x**2)
SINH_SCORE = sp.Derivative(sp.log(SINH_DENSITY), x)
SINH_CORRECTED = sp.sqrt(1 + x**2) * (-theta * y + s**2 * (y - m) / (2 * v))
SINH_HYPOTHESES = [
    Hypothesis(r"X = \sinh Y, \quad dY = -\theta Y dt + s dW",
               note="Ito: dX = (-theta sqrt(1 + X^2) asinh X + s^2 X / 2) dt + s sqrt(1 + X^2) dW"),
    Hypothesis(r"D(x) = s^2 (1 + x^2)", quote="even when $D(x, t)$ depends on x",
               note="a state-dependent diffusion"),
    Hypothesis(r"p(x, t) = \frac{N(\operatorname{asinh} x; m(t), v(t))}{\sqrt{1 + x^2}}",
               note="the law of X_t: asinh X_t ~ N(m(t), v(t)) (ou-moment-equations)"),
]
SINH_LATEX_DRIFT = r"b = -\theta \sqrt{1 + x^2} \operatorname{asinh}(x) + \frac{s^2 x}{2}"

SINH_NOTATION = {"p": SINH_DENSITY, "b": SINH_DRIFT, "D": SINH_DIFFUSION}
FD_STEP = 1e-4


def _sinh_density(points: np.ndarray, mean: np.ndarray, variance: np.ndarray) -> np.ndarray:
    """N(asinh x; mean, variance) / sqrt(1 + x^2), numerically."""
    latent = np.arcsinh(points)
    value: np.ndarray = (np.exp(-(latent - mean) ** 2 / (2 * variance))
                         / np.sqrt(2 * np.pi * variance * (1 + points**2)))
    return value


def _sinh_drift(points: np.ndarray, with_ito_term: bool = True) -> np.ndarray:
    """b(x) = -theta sqrt(1 + x^2) asinh x + s^2 x / 2 (the last term Ito's)."""
    ito = S**2 * points / 2 if with_ito_term else 0.0
    value: np.ndarray = -THETA * np.sqrt(1 + points**2) * np.arcsinh(points) + ito
    return value


def _space_derivative(values: Callable[[np.ndarray], np.ndarray], points: np.ndarray,
                      order: int) -> np.ndarray:
    """Central first or second difference in x with step FD_STEP."""
    up, down = values(points + FD_STEP), values(points - FD_STEP)
    if order == 1:
        first: np.ndarray = (up - down) / (2 * FD_STEP)
        return first
    second: np.ndarray = (up - 2 * values(points) + down) / FD_STEP**2
    return second


def _fokker_planck_side(points: np.ndarray, times: np.ndarray, with_ito_term: bool) -> np.ndarray:
    """-d_x (b p) + 1/2 d_x^2 (D p) by finite differences in x."""
    mean, variance = _moments_closed_form(times, S**2)
    def density(where: np.ndarray) -> np.ndarray:
        return _sinh_density(where, mean, variance)
    flux = _space_derivative(lambda q: _sinh_drift(q, with_ito_term) * density(q), points, 1)
    spread = _space_derivative(lambda q: S**2 * (1 + q**2) * density(q), points, 2)
    value: np.ndarray = -flux + spread / 2
    return value


def sinh_fokker_planck_by_differences(seed: int) -> Comparison:
    """d_t p by a central difference in t against -d_x (b p) + 1/2 d_x^2 (D p) by differences
    in x, at 40 random (x, t)."""
    rng = np.random.default_rng(seed)
    points, times = rng.uniform(-3.0, 3.0, 40), rng.uniform(0.1, 2.0, 40)
    later, earlier = (_moments_closed_form(times + shift, S**2) for shift in (FD_STEP, -FD_STEP))
    measured = (_sinh_density(points, *later) - _sinh_density(points, *earlier)) / (2 * FD_STEP)
    return projected_comparison(
        measured, _fokker_planck_side(points, times, True),
        {"b without Ito's s^2 x / 2 (the Stratonovich drift)":
         _fokker_planck_side(points, times, False)},
        seed=seed, relative_tolerance=1e-5,
        details=f"theta = {THETA:g}, s = {S:g}, Y_0 ~ N({M0:g}, {V0:g}); x ~ U[-3, 3], "
                f"t ~ U[0.1, 2]; differences with step {FD_STEP:g}")


def sinh_velocities_by_differences(seed: int) -> Comparison:
    """b - 1/2 D d_x log p and b - 1/2 d_x D - 1/2 D d_x log p, with d_x log p and d_x D by
    central differences, at 40 random (x, t), against the two closed forms."""
    rng = np.random.default_rng(seed)
    points, times = rng.uniform(-3.0, 3.0, 40), rng.uniform(0.1, 2.0, 40)
    mean, variance = _moments_closed_form(times, S**2)
    score = _space_derivative(lambda q: np.log(_sinh_density(q, mean, variance)), points, 1)
    diffusion_slope = _space_derivative(lambda q: S**2 * (1 + q**2), points, 1)
    notes = _sinh_drift(points) - S**2 * (1 + points**2) * score / 2
    measured = np.array([notes, notes - diffusion_slope / 2])
    corrected = np.sqrt(1 + points**2) * (-THETA * np.arcsinh(points)
                                          + S**2 * (np.arcsinh(points) - mean) / (2 * variance))
    claimed = np.array([corrected + S**2 * points, corrected])
    return projected_comparison(
        measured, claimed,
        {"equal velocities (no d_x D term)": np.array([claimed[0], claimed[0]]),
         "a difference of s^2 x / 2": np.array([corrected + S**2 * points / 2, corrected])},
        seed=seed, relative_tolerance=1e-6,
        details=f"theta = {THETA:g}, s = {S:g}, Y_0 ~ N({M0:g}, {V0:g}); x ~ U[-3, 3], "
                f"t ~ U[0.1, 2]; differences with step {FD_STEP:g}")


sinh_fokker_planck = Derivation(
    id="sinh-ou-marginal-solves-fokker-planck",
    title="X = sinh(Y), Y Ornstein-Uhlenbeck: its law solves the Fokker-Planck equation",
    source=Source(ASSIGNMENT, SECTION, STATE_QUOTE),
    start=Step(time_derivative(SINH_DENSITY), T_DERIVATIVE_LATEX,
               "p(x, t) = N(asinh x; m(t), v(t)) / sqrt(1 + x^2); " + T_DERIVATIVE_WHY),
    steps=[Step(fokker_planck(SINH_DENSITY, SINH_DRIFT, SINH_DIFFUSION),
                r"-\partial_x (b p) + \frac{1}{2} \partial_x^2 (D p), \quad " + SINH_LATEX_DRIFT
                + r", \; D = s^2 (1 + x^2)")],
    hypotheses=SINH_HYPOTHESES,
    notation=SINH_NOTATION,
    crosschecks=[CrossCheck("d_t p against the Fokker-Planck operator by finite differences",
                            sinh_fokker_planck_by_differences)],
)

sinh_velocities = Derivation(
    id="probability-flow-sinh-ou-velocities",
    title="X = sinh(Y): the notes' velocity and the corrected one, written out",
    source=Source(ASSIGNMENT, SECTION, VELOCITY_QUOTE),
    start=Step(sp.Matrix([SINH_DRIFT - HALF * SINH_DIFFUSION * SINH_SCORE,
                          SINH_DRIFT - HALF * sp.Derivative(SINH_DIFFUSION, x)
                          - HALF * SINH_DIFFUSION * SINH_SCORE]),
               r"\left(b - \frac{1}{2} D \partial_x \log p, \; b - \frac{1}{2} \partial_x D - "
               r"\frac{1}{2} D \partial_x \log p\right)",
               "the notes' velocity and the corrected one, for this b, D and p"),
    steps=[Step(sp.Matrix([SINH_CORRECTED + s**2 * x, SINH_CORRECTED]),
                r"\left(\sqrt{1 + x^2} \left(-\theta y + \frac{s^2 (y - m)}{2 v}\right) + s^2 x, "
                r"\; \sqrt{1 + x^2} \left(-\theta y + \frac{s^2 (y - m)}{2 v}\right)\right), "
                r"\quad y = \operatorname{asinh}(x)",
                "the two differ by dD/dx / 2 = s^2 x; in y the corrected flow is the "
                "Ornstein-Uhlenbeck flow")],
    hypotheses=SINH_HYPOTHESES,
    notation=SINH_NOTATION,
    crosschecks=[CrossCheck("both velocities with scores and d_x D by finite differences",
                            sinh_velocities_by_differences)],
)


def _notes_flow_moments() -> tuple[float, float]:
    return _marginals.flow_law_moments(SINH, SINH.notes_velocity, HORIZON, 200)


def _sinh_checks() -> list[CrossCheck]:
    notes_mean, notes_square = _notes_flow_moments()
    exact_mean, exact_square = LAW.mean(HORIZON), LAW.variance(HORIZON)
    notes_alt = {"the notes' flow (quadrature)": notes_mean}
    notes_alt_square = {"the notes' flow (quadrature)": notes_square}
    sde_alt = {"the SDE's m(T), which the notes say their flow reproduces": exact_mean}
    sde_alt_square = {"the SDE's v(T), which the notes say their flow reproduces": exact_square}
    cases = (("sde", "Euler-Maruyama asinh X_T", (exact_mean, notes_alt),
              (exact_square, notes_alt_square)),
             ("corrected", "corrected probability flow asinh x(T)", (exact_mean, notes_alt),
              (exact_square, notes_alt_square)),
             ("notes", "the notes' probability flow asinh x(T)", (notes_mean, sde_alt),
              (notes_square, sde_alt_square)))
    checks = []
    for kind, label, (mean, mean_alt), (square, square_alt) in cases:
        checks += [CrossCheck(f"{label}: mean", marginal_check(SINH, kind, 0, mean, mean_alt,
                                                              label)),
                   CrossCheck(f"{label}: E[(y - m(T))^2]",
                              marginal_check(SINH, kind, 1, square, square_alt, label))]
    return checks


probability_flow_sinh = Derivation(
    id="probability-flow-sinh-ou-state-diffusion",
    title="X = sinh(Y), D(x) = s^2 (1 + x^2): the notes' probability flow misses the SDE's "
          "marginals, the corrected one reproduces them",
    source=Source(ASSIGNMENT, SECTION, STATE_QUOTE),
    start=Step(time_derivative(SINH_DENSITY), T_DERIVATIVE_LATEX,
               "the SDE's marginal p (sinh-ou-marginal-solves-fokker-planck); " + T_DERIVATIVE_WHY),
    steps=[Step(transport(SINH_DENSITY, SINH_CORRECTED + s**2 * x),
                r"-\partial_x (v p), \quad v = b - \frac{1}{2} D \partial_x \log p",
                "the notes: the flow with their velocity (probability-flow-sinh-ou-velocities) "
                "has the SDE's marginals, even when D depends on x")],
    expected=erratum(Correction(
        1, Step(transport(SINH_DENSITY, SINH_CORRECTED),
                r"-\partial_x (v p), \quad v = b - \frac{1}{2} \partial_x D - \frac{1}{2} D "
                r"\partial_x \log p"),
        "the notes' velocity lacks -1/2 dD/dx = -s^2 x; in y = asinh x their flow gains "
        "s^2 tanh(y) and ends away from N(m(T), v(T)); with the term it is the "
        "Ornstein-Uhlenbeck flow in y")),
    hypotheses=SINH_HYPOTHESES,
    notation=SINH_NOTATION,
    crosschecks=_sinh_checks(),
)

