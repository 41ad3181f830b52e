r"""The Fokker-Planck equation as a continuity equation, and the probability-flow velocity.

Assignment, "Unanswered questions in assignment 10": with D = sigma sigma^T and
grad p = p grad log p, d_t p = -div((b - 1/2 D grad log p) p), so the probability-flow ODE
dx/dt = v, v = b - 1/2 D grad log p, has the SDE's marginals, "even when D(x, t) depends on x".

The Fokker-Planck equation of dX = b dt + sigma dW is

    d_t p = -sum_i d_i (b_i p) + 1/2 sum_{i,j} d_i d_j (D_ij p),

and its second-order term is a divergence: sum_j d_j (D_ij p) = p (div D)_i + (D grad p)_i with
(div D)_i = sum_j d_j D_ij.  So the velocity is v = b - 1/2 div D - 1/2 D grad log p; the
notes' form drops div D, which vanishes only when D does not depend on x.  (Song et al. 2021,
the notes' reference [18], keep the term.)

Every line below is the right-hand side of d_t p = ... (or the velocity).  p, b and the
factor sigma of D are undefined functions; in d >= 2 dimensions sigma is lower triangular,
which every D = sigma sigma^T admits (Cholesky), so every D drawn is symmetric and
positive semi-definite.
"""

from __future__ import annotations

import dataclasses

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
    holds,
)
from numeric.montecarlo import estimate

from . import _flow, _pde
from ._identity import projected_comparison
from ._notes import ASSIGNMENT

SECTION = "Unanswered questions in assignment 10"
HALF = sp.Rational(1, 2)
SLOW_BUDGET = 10.0  # seconds per check where a refutation evaluates large expressions

CONTINUITY_QUOTE = (r"Let $D(x, t) = \sigma \sigma^\top$. Using $\nabla p = p \nabla \log p$, "
                    r"$$\partial_t p = -\nabla \cdot \left(\left(b - \frac{1}{2} D \nabla \log p "
                    r"\right) p \right).$$")
VELOCITY_QUOTE = r"v(x, t) = b(x, t) - \frac{1}{2} D(x, t) \nabla_x \log p(x, t)"
STATE_DEPENDENT_QUOTE = (r"pushes forward the density $p(x, 0)$ to the same marginal $p(x, t)$ "
                         r"as the SDE [...] The result holds even when $D(x, t)$ depends on x "
                         r"(state-dependent diffusion)")
NOTES_CONTINUITY = r"-\nabla \cdot \left(\left(b - \frac{1}{2} D \nabla \log p \right) p \right)"
CORRECTED_CONTINUITY = (r"-\nabla \cdot \left(\left(b - \frac{1}{2} \nabla \cdot D - \frac{1}{2} "
                        r"D \nabla \log p \right) p \right)")
DROPPED_TERM = (
    "d_j (D_ij p) = p d_j D_ij + D_ij d_j p: the notes keep only D grad p = p D grad log p and "
    "drop p div D, (div D)_i = sum_j d_j D_ij, which vanishes only when D does not depend on x; "
    "Song et al. (2021), the notes' reference [18], keep it: "
    "v = b - 1/2 div D - 1/2 D grad log p")
GBM_EXPLANATION = (
    "the notes' velocity lacks -1/2 dD/dx = -s^2 x: in z = log x their flow moves s^2 per unit "
    "time too fast and ends at N(m(T) + 2 (v(T) - sqrt(v(T) v0)), v(T)) instead of the SDE's "
    "N(m(T), v(T))")


# ---------------------------------------------------------------- the symbolic model

@dataclasses.dataclass(frozen=True)
class Diffusion:
    """dX = b dt + sigma dW in ``len(xs)`` dimensions: density p, drift b, D = sigma sigma^T."""

    xs: tuple[sp.Symbol, ...]
    t: sp.Symbol
    p: sp.Expr
    b: tuple[sp.Expr, ...]
    D: sp.ImmutableMatrix

    @property
    def dim(self) -> int:
        return len(self.xs)


def diffusion(dim: int, state_dependent: bool) -> Diffusion:
    """Undefined p(x, t) > 0, b_i(x, t) and D(x, t) (or D(t)) = sigma sigma^T.

    In one dimension D is a positive function; in ``dim >= 2`` dimensions sigma is a lower
    triangular matrix of undefined functions (every D = sigma sigma^T has such a factor).
    """
    t = sp.Symbol("t", real=True)
    xs = (sp.Symbol("x", real=True),) if dim == 1 else sp.symbols(f"x1:{dim + 1}", real=True)
    point = (*xs, t)
    args = point if state_dependent else (t,)
    p = sp.Function("p", positive=True)(*point)
    if dim == 1:
        return Diffusion(xs, t, p, (sp.Function("b", real=True)(*point),),
                         sp.ImmutableMatrix([[sp.Function("D", positive=True)(*args)]]))
    b = tuple(sp.Function(f"b{i + 1}", real=True)(*point) for i in range(dim))
    sigma = sp.Matrix(dim, dim, lambda i, j: _factor_entry(i, j, args))
    return Diffusion(xs, t, p, b, sp.ImmutableMatrix(sigma * sigma.T))


def _factor_entry(i: int, j: int, args: tuple) -> sp.Expr:
    return sp.Function(f"sigma{i + 1}{j + 1}", real=True)(*args) if j <= i else sp.S.Zero


def geometric_brownian_motion(mu, s, m0, v0) -> Diffusion:
    r"""dX = mu X dt + s X dW, D = s^2 x^2, with its exact marginal: log X_t ~ N(m(t), v(t)),

    m(t) = m0 + (mu - s^2/2) t, v(t) = v0 + s^2 t, so
    p(x, t) = exp(-(log x - m)^2 / (2 v)) / (x sqrt(2 pi v)).
    """
    x, t = sp.Symbol("x", positive=True), sp.Symbol("t", positive=True)
    mean, variance = m0 + (mu - s**2 / 2) * t, v0 + s**2 * t
    p = sp.exp(-(sp.log(x) - mean) ** 2 / (2 * variance)) / (x * sp.sqrt(2 * sp.pi * variance))
    return Diffusion((x,), t, p, (mu * x,), sp.ImmutableMatrix([[s**2 * x**2]]))


def _d(expr, x):
    return sp.Derivative(expr, x)


def fokker_planck(m: Diffusion) -> sp.Expr:
    r"""-sum_i d_i (b_i p) + 1/2 sum_{i,j} d_i d_j (D_ij p)."""
    drift = sum(_d(m.b[i] * m.p, m.xs[i]) for i in range(m.dim))
    second = sum(sp.Derivative(m.D[i, j] * m.p, m.xs[i], m.xs[j])
                 for i in range(m.dim) for j in range(m.dim))
    return -drift + HALF * second


def minus_divergence(m: Diffusion, flux) -> sp.Expr:
    """-sum_i d_i flux_i."""
    return -sum(_d(flux[i], m.xs[i]) for i in range(m.dim))


def _row_sum(m: Diffusion, term) -> sp.Expr:
    """sum_j term(j)."""
    return sum(term(j) for j in range(m.dim))


def divergence_flux(m: Diffusion) -> list:
    """J_i = b_i p - 1/2 sum_j d_j (D_ij p)."""
    return [m.b[i] * m.p - HALF * _row_sum(m, lambda j, i=i: _d(m.D[i, j] * m.p, m.xs[j]))
            for i in range(m.dim)]


def product_rule_flux(m: Diffusion) -> list:
    """J_i = b_i p - 1/2 p sum_j d_j D_ij - 1/2 sum_j D_ij d_j p."""
    return [m.b[i] * m.p - HALF * m.p * _row_sum(m, lambda j, i=i: _d(m.D[i, j], m.xs[j]))
            - HALF * _row_sum(m, lambda j, i=i: m.D[i, j] * _d(m.p, m.xs[j]))
            for i in range(m.dim)]


def constant_diffusion_flux(m: Diffusion) -> list:
    """J_i = b_i p - 1/2 sum_j D_ij d_j p (D does not depend on x)."""
    return [m.b[i] * m.p - HALF * _row_sum(m, lambda j, i=i: m.D[i, j] * _d(m.p, m.xs[j]))
            for i in range(m.dim)]


def notes_velocity(m: Diffusion) -> list:
    """The notes' v_i = b_i - 1/2 sum_j D_ij d_j log p."""
    return [m.b[i] - HALF * _row_sum(m, lambda j, i=i: m.D[i, j] * _d(sp.log(m.p), m.xs[j]))
            for i in range(m.dim)]


def corrected_velocity(m: Diffusion) -> list:
    """v_i = b_i - 1/2 sum_j d_j D_ij - 1/2 sum_j D_ij d_j log p."""
    notes = notes_velocity(m)
    return [notes[i] - HALF * _row_sum(m, lambda j, i=i: _d(m.D[i, j], m.xs[j]))
            for i in range(m.dim)]


def transport(m: Diffusion, velocity) -> sp.Expr:
    """-div(v p): how the flow dx/dt = v moves its density (continuity equation)."""
    return minus_divergence(m, [v * m.p for v in velocity])


# ---------------------------------------------------------------- LaTeX of the lines

_LATEX = {
    "fokker-planck": (
        r"-\partial_x (b p) + \frac{1}{2} \partial_x^2 (D p)",
        r"-\sum_i \partial_i (b_i p) + \frac{1}{2} \sum_{i,j} \partial_i \partial_j (D_{ij} p)"),
    "divergence": (
        r"-\partial_x \left(b p - \frac{1}{2} \partial_x (D p)\right)",
        r"-\sum_i \partial_i \left(b_i p - \frac{1}{2} \sum_j \partial_j (D_{ij} p)\right)"),
    "constant": (
        r"-\partial_x \left(b p - \frac{1}{2} D \partial_x p\right)",
        r"-\sum_i \partial_i \left(b_i p - \frac{1}{2} \sum_j D_{ij} \partial_j p\right)"),
    "product-rule": (
        r"-\partial_x \left(b p - \frac{1}{2} p \partial_x D - \frac{1}{2} D \partial_x p\right)",
        (r"-\sum_i \partial_i \left(b_i p - \frac{1}{2} p \sum_j \partial_j D_{ij} - \frac{1}{2} "
        r"\sum_j D_{ij} \partial_j p\right)")),
}


def notation(m: Diffusion) -> dict:
    """What the LaTeX's names mean: the coordinates of nabla; in d >= 2 dimensions the
    vectors x and b and the matrix D (b_i, D_ij their entries)."""
    if m.dim == 1:
        return {r"\nabla": m.xs}
    return {r"\nabla": m.xs, "x": sp.ImmutableMatrix(m.xs), "b": sp.ImmutableMatrix(m.b),
            "D": m.D}


def _latex(form: str, dim: int) -> str:
    return _LATEX[form][0 if dim == 1 else 1]


def _fokker_planck_step(m: Diffusion) -> Step:
    return Step(fokker_planck(m), _latex("fokker-planck", m.dim),
                "Fokker-Planck equation of dX = b dt + sigma dW, D = sigma sigma^T: "
                "d_t p equals this")


def _divergence_step(m: Diffusion) -> Step:
    return Step(minus_divergence(m, divergence_flux(m)), _latex("divergence", m.dim),
                "the second-order term is a divergence: "
                "sum_ij d_i d_j (D_ij p) = sum_i d_i sum_j d_j (D_ij p)")


def _notes_step(m: Diffusion) -> Step:
    return Step(transport(m, notes_velocity(m)), NOTES_CONTINUITY,
                "the notes' line: using grad p = p grad log p")


# ---------------------------------------------------------------- cross-checks
# Geometric Brownian motion dX = MU X dt + S X dW, D(x) = S^2 x^2, log X_0 ~ N(M0, V0).

MU, S, M0, V0 = sp.Rational(1, 2), sp.S.One, sp.S.Zero, sp.Rational(1, 4)
HORIZON = 1.0
PARTICLES, CHUNK = 2**15, 2**13
SDE_STEPS, ODE_STEPS = 250, 50
GBM = _flow.GeometricBrownianMotion(float(MU), float(S), float(M0), float(V0))


def _log_mean_check(sampler, seed: int, label: str, expected: float, alternatives: dict,
                    details: str) -> Comparison:
    """E[log X_T] of ``PARTICLES`` draws of ``sampler``, with a histogram and KS distances."""
    result = estimate(sampler, PARTICLES, seed=seed, chunk_size=CHUNK)
    draws = _flow.first_chunk(sampler, seed, CHUNK)
    mean, variance = GBM.log_mean(HORIZON), GBM.log_variance(HORIZON)
    shift = GBM.notes_log_shift(HORIZON)
    ks = (f"; KS distance of the first {CHUNK} draws to the SDE's law "
          f"{_flow.ks_distance(draws, mean, variance):.4f}, to the notes' flow's law "
          f"{_flow.ks_distance(draws, mean + shift, variance):.4f} (critical value at "
          f"alpha = 1e-6: {_flow.ks_critical_value(CHUNK):.4f})")
    return Comparison(estimate=result.mean, stderr=result.stderr, expected=expected,
                      alternatives=alternatives, details=details + ks,
                      data=_flow.histogram_data(GBM, HORIZON, label, draws))


def _setting() -> str:
    return (f"dX = {GBM.mu} X dt + {GBM.s} X dW, log X_0 ~ N({GBM.m0}, {GBM.v0}), T = {HORIZON}, "
            f"{PARTICLES} particles")


def _sde_law() -> float:
    return GBM.log_mean(HORIZON)


def _notes_flow_law() -> float:
    return GBM.log_mean(HORIZON) + GBM.notes_log_shift(HORIZON)


def sde_marginal(seed: int) -> Comparison:
    """Euler-Maruyama E[log X_T] against m(T) = m0 + (mu - s^2/2) T."""
    sampler = _flow.sde_sampler(GBM, HORIZON, SDE_STEPS)
    return _log_mean_check(
        sampler, seed, "sde", _sde_law(),
        {"the notes' PF-ODE's E[log X_T] (which the notes say the SDE shares)": _notes_flow_law()},
        f"Euler-Maruyama, {SDE_STEPS} steps; {_setting()}")


def corrected_flow_marginal(seed: int) -> Comparison:
    """RK4 on dx/dt = b - 1/2 dD/dx - 1/2 D d/dx log p: E[log x(T)] against m(T)."""
    sampler = _flow.flow_sampler(GBM, _flow.corrected_velocity(GBM), HORIZON, ODE_STEPS)
    return _log_mean_check(
        sampler, seed, "ode", _sde_law(),
        {"the notes' PF-ODE's E[log X_T]": _notes_flow_law()},
        f"probability-flow ODE with the corrected velocity, RK4, {ODE_STEPS} steps; {_setting()}")


def notes_flow_marginal(seed: int) -> Comparison:
    """RK4 on the notes' dx/dt = b - 1/2 D d/dx log p: E[log x(T)] against its own law's
    mean m(T) + 2 (v(T) - sqrt(v(T) v0)) (see :mod:`proofs._flow`)."""
    sampler = _flow.flow_sampler(GBM, _flow.notes_velocity(GBM), HORIZON, ODE_STEPS)
    return _log_mean_check(
        sampler, seed, "notes_ode", _notes_flow_law(),
        {"the SDE's E[log X_T] = m(T), which the notes say the flow reproduces": _sde_law()},
        f"probability-flow ODE with the notes' velocity, RK4, {ODE_STEPS} steps; "
        f"it ends at N(m(T) + 2 (v(T) - sqrt(v(T) v0)), v(T)); {_setting()}")


# ---------------------------------------------------------------- PDE residuals on random points
# d_t p of an exact marginal (a central difference in t) against -div(v p) (central differences
# in x), at 50 points drawn from the marginal at each of t = 0.25, 0.5, 0.75, 1.

RESIDUAL_POINTS, RESIDUAL_TOLERANCE = 50, 1e-6


def time_diffusion_model(dim: int) -> _pde.RotatedOrnsteinUhlenbeck:
    """dX = -X dt + R diag(sqrt(a_k (1 + t))) dW: D(t) = R diag(a_k (1 + t)) R^T, not diagonal."""
    return _pde.RotatedOrnsteinUhlenbeck(_pde.rotation(dim, 7), np.linspace(0.6, 1.4, dim),
                                         np.linspace(-0.5, 0.5, dim), np.full(dim, 0.3))


def state_diffusion_model(dim: int) -> _pde.IndependentGeometricBrownianMotions:
    """dX_k = 0.5 X_k dt + X_k dW_k: D(x) = diag(x_k^2) depends on x."""
    return _pde.IndependentGeometricBrownianMotions(0.5, 1.0, np.linspace(0.0, 0.3, dim),
                                                    np.full(dim, 0.25))


def _residual_comparison(model, claimed, alternatives: dict, seed: int,
                         setting: str) -> Comparison:
    measured, predicted = [], {label: [] for label in ("claim", *alternatives)}
    velocities = {"claim": claimed, **alternatives}
    for x, t in _pde.points_and_times(model, seed, RESIDUAL_POINTS):
        measured.append(_pde.time_derivative(model, x, t))
        for label, velocity in velocities.items():
            predicted[label].append(_pde.transport(model, velocity(model), x, t))
    claim = predicted.pop("claim")
    return projected_comparison(
        measured, claim, predicted, seed=seed, relative_tolerance=RESIDUAL_TOLERANCE,
        details=f"d_t p of the exact marginal against -div(v p) by central differences "
                f"(h = {_pde.STEP:g}); {setting}")


def continuity_residual_time(dim: int):
    """The notes' continuity form for D(t): the PDE residual on random points."""
    def run(seed: int) -> Comparison:
        return _residual_comparison(
            time_diffusion_model(dim), _pde.notes_velocity,
            {"without the 1/2, v = b - D grad log p": _pde.unhalved_velocity,
             "the drift alone, v = b": _pde.drift_velocity}, seed,
            f"{dim}-D Ornstein-Uhlenbeck, D(t) = R diag(a_k (1 + t)) R^T")
    return run


def continuity_residual_state(dim: int):
    """The corrected continuity form for D(x): the PDE residual, against the notes' form."""
    def run(seed: int) -> Comparison:
        return _residual_comparison(
            state_diffusion_model(dim), _pde.corrected_velocity,
            {"the notes' v = b - 1/2 D grad log p (no div D)": _pde.notes_velocity}, seed,
            f"{dim}-D independent geometric Brownian motions, D(x) = diag(x_k^2)")
    return run


def velocity_from_flux(dim: int):
    """J / p of the divergence form (central differences of D p) against the corrected v."""
    def run(seed: int) -> Comparison:
        model = state_diffusion_model(dim)
        measured, claimed, notes = [], [], []
        for x, t in _pde.points_and_times(model, seed, RESIDUAL_POINTS):
            measured.append(_pde.divergence_form_velocity(model, x, t))
            claimed.append(_pde.corrected_velocity(model)(x, t))
            notes.append(_pde.notes_velocity(model)(x, t))
        return projected_comparison(
            measured, claimed, {"the notes' v = b - 1/2 D grad log p": notes}, seed=seed,
            relative_tolerance=RESIDUAL_TOLERANCE,
            details=f"J / p, J_i = b_i p - 1/2 sum_j d_j (D_ij p) by central differences, "
                    f"against the velocity formula; {dim}-D independent geometric Brownian "
                    f"motions, D(x) = diag(x_k^2)")
    return run


def _mixture_density(x: np.ndarray) -> np.ndarray:
    """A positive, non-Gaussian density of R^3: two Gaussians, weights 0.3 and 0.7."""
    near = np.exp(-0.5 * np.sum((x - 0.5) ** 2, axis=1))
    far = np.exp(-0.5 * np.sum((x + 1.0) ** 2 / 2.0, axis=1))
    return (0.3 * near + 0.7 * far / 2.0**1.5) / (2 * np.pi) ** 1.5


def _gradient(function, x: np.ndarray) -> np.ndarray:
    """Central differences of a function of the rows of x, one column per coordinate."""
    steps = _pde.STEP * np.eye(x.shape[1])
    return np.stack([(function(x + e) - function(x - e)) / (2 * _pde.STEP) for e in steps],
                    axis=1)


def score_identity_at_points(seed: int) -> Comparison:
    """grad p against p grad log p (both by central differences) for a Gaussian mixture."""
    x = np.random.default_rng(seed).normal(-0.3, 1.5, (200, 3))
    density = _mixture_density(x)
    score = _gradient(lambda z: np.log(_mixture_density(z)), x)
    return projected_comparison(
        _gradient(_mixture_density, x), density[:, None] * score,
        {"grad log p (the factor p dropped)": score},
        seed=seed, relative_tolerance=1e-6,
        details="central differences of p and of log p at 200 points, p a two-component "
                "Gaussian mixture in R^3")


# ---------------------------------------------------------------- hypotheses

SMOOTH_DENSITY = Hypothesis(r"p(x, t) > 0 \text{ smooth}", quote="provided p is smooth",
                            note="p = Function(positive=True), differentiated symbolically; "
                                 "positivity is what makes log p defined")
DIFFUSION_MATRIX = Hypothesis(r"D(x, t) = \sigma \sigma^\top",
                              quote=r"Let $D(x, t) = \sigma \sigma^\top$",
                              note="in d >= 2 dimensions sigma lower triangular (Cholesky): every "
                                   "symmetric positive semi-definite D")
FOKKER_PLANCK = Hypothesis(
    r"\partial_t p = -\sum_i \partial_i (b_i p) + \frac{1}{2} \sum_{i,j} \partial_i \partial_j "
    r"(D_{ij} p)", quote="The Fokker–Planck equation may be rewritten as a pure continuity "
                         "equation.",
    note="the Fokker-Planck equation of dX = b dt + sigma dW, taken as known")
TIME_ONLY = Hypothesis(r"D = D(t) \text{ independent of } x", quote=None,
                       note="a special case, where the notes' line holds; for D depending on x "
                            "it fails (the state-diffusion derivations)")
STATE_DEPENDENT = Hypothesis(r"D(x, t) \text{ depends on } x",
                             quote="The result holds even when $D(x, t)$ depends on x "
                                   "(state-dependent diffusion)",
                             note="D(x, t) built from undefined functions of (x, t)")
GBM_INSTANCE = Hypothesis(r"dX = \mu X dt + s X dW, \ \log X_0 \sim \mathcal{N}(m_0, v_0)",
                          quote=None,
                          note=f"a concrete instance, mu = {MU}, s = {S}, m0 = {M0}, v0 = {V0}: "
                               "its marginal is known exactly (lognormal)")


# ---------------------------------------------------------------- derivations

def score_identity(dim: int) -> Derivation:
    """grad p = p grad log p, componentwise: d_i log p = d_i p / p."""
    m = diffusion(dim, state_dependent=True)
    return Derivation(
        id="fokker-planck-score-identity",
        title=f"grad p = p grad log p for a positive density ({dim}-D)",
        source=Source(ASSIGNMENT, SECTION, r"Using $\nabla p = p \nabla \log p$"),
        start=Step(sp.ImmutableMatrix([_d(m.p, x) for x in m.xs]), r"\nabla p"),
        steps=[Step(sp.ImmutableMatrix([m.p * _d(sp.log(m.p), x) for x in m.xs]),
                    r"p \nabla \log p", "d_i log p = d_i p / p for p > 0")],
        expected=holds(),
        crosschecks=[CrossCheck("grad p = p grad log p by central differences at random points",
                                score_identity_at_points)],
        hypotheses=[SMOOTH_DENSITY],
        notation=notation(m),
    )


def continuity_time_diffusion(dim: int) -> Derivation:
    """The notes' continuity form when D = D(t) does not depend on x: it holds."""
    m = diffusion(dim, state_dependent=False)
    return Derivation(
        id=f"fokker-planck-continuity-{dim}d-time-diffusion",
        title=f"Fokker-Planck as a continuity equation, {dim}-D, D(t) independent of x",
        source=Source(ASSIGNMENT, SECTION, CONTINUITY_QUOTE),
        start=_fokker_planck_step(m),
        steps=[
            _divergence_step(m),
            Step(minus_divergence(m, constant_diffusion_flux(m)), _latex("constant", dim),
                 "D = D(t) does not depend on x, so d_j (D_ij p) = D_ij d_j p"),
            _notes_step(m),
        ],
        expected=holds(),
        crosschecks=[CrossCheck(f"Fokker-Planck residual of the {dim}-D Ornstein-Uhlenbeck "
                                "marginal on random points", continuity_residual_time(dim))],
        hypotheses=[SMOOTH_DENSITY, DIFFUSION_MATRIX, FOKKER_PLANCK, TIME_ONLY],
        notation=notation(m),
    )


def continuity_state_diffusion(dim: int) -> Derivation:
    """The notes' continuity form when D(x, t) depends on x: it drops -1/2 div D."""
    m = diffusion(dim, state_dependent=True)
    corrected = Step(transport(m, corrected_velocity(m)), CORRECTED_CONTINUITY,
                     "using grad p = p grad log p, keeping p div D, (div D)_i = sum_j d_j D_ij")
    return Derivation(
        id=f"fokker-planck-continuity-{dim}d-state-diffusion",
        title=f"Fokker-Planck as a continuity equation, {dim}-D, D(x, t) depending on x",
        source=Source(ASSIGNMENT, SECTION, CONTINUITY_QUOTE),
        start=_fokker_planck_step(m),
        steps=[
            _divergence_step(m),
            Step(minus_divergence(m, product_rule_flux(m)), _latex("product-rule", dim),
                 "product rule: d_j (D_ij p) = p d_j D_ij + D_ij d_j p"),
            _notes_step(m),
        ],
        expected=erratum(Correction(3, corrected, DROPPED_TERM)),
        budget=SLOW_BUDGET,
        crosschecks=[CrossCheck(f"Fokker-Planck residual of {dim}-D geometric Brownian motion "
                                "on random points", continuity_residual_state(dim))],
        hypotheses=[SMOOTH_DENSITY, DIFFUSION_MATRIX, FOKKER_PLANCK, STATE_DEPENDENT],
        notation=notation(m),
    )


def _column(entries) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(list(entries))


def velocity_state_diffusion(dim: int) -> Derivation:
    """v = J / p for the flux J of the continuity form: the notes' v drops -1/2 div D."""
    m = diffusion(dim, state_dependent=True)
    flux = divergence_flux(m)
    spread = [_row_sum(m, lambda j, i=i: _d(m.D[i, j] * m.p, m.xs[j])) for i in range(dim)]
    corrected = Step(_column(corrected_velocity(m)),
                     r"v(x, t) = b - \frac{1}{2} \nabla \cdot D - \frac{1}{2} D \nabla_x \log p")
    return Derivation(
        id=f"probability-flow-velocity-{dim}d-state-diffusion",
        title=f"The probability-flow velocity, {dim}-D, D(x, t) depending on x",
        source=Source(ASSIGNMENT, SECTION, VELOCITY_QUOTE),
        start=Step(_column(J / m.p for J in flux),
                   r"v = J / p, \quad J_i = b_i p - \frac{1}{2} \sum_j \partial_j (D_{ij} p)",
                   "d_t p = -div J (the divergence form of the Fokker-Planck equation) "
                   "= -div(v p), so v = J / p"),
        steps=[
            Step(_column(m.b[i] - HALF * spread[i] / m.p for i in range(dim)),
                 r"b_i - \frac{1}{2 p} \sum_j \partial_j (D_{ij} p)", "divide by p"),
            Step(_column(notes_velocity(m)), VELOCITY_QUOTE, "the notes' velocity"),
        ],
        expected=erratum(Correction(2, corrected, DROPPED_TERM)),
        budget=SLOW_BUDGET,
        notation={**notation(m), "v": sp.Function("v", real=True)},
        crosschecks=[CrossCheck(f"J / p by central differences, {dim}-D geometric Brownian "
                                "motion", velocity_from_flux(dim))],
        hypotheses=[SMOOTH_DENSITY, DIFFUSION_MATRIX, FOKKER_PLANCK, STATE_DEPENDENT],
    )


def probability_flow_gbm() -> Derivation:
    """The notes' PF-ODE for geometric Brownian motion does not follow the SDE's marginals."""
    m = geometric_brownian_motion(MU, S, M0, V0)
    corrected = Step(transport(m, corrected_velocity(m)),
                     r"-\partial_x (v p), \quad v = b - \frac{1}{2} \partial_x D - \frac{1}{2} D "
                     r"\partial_x \log p")
    return Derivation(
        id="probability-flow-gbm-state-diffusion",
        title="For geometric Brownian motion, D(x) = s^2 x^2, the notes' PF-ODE misses the "
              "SDE's marginals",
        source=Source(ASSIGNMENT, SECTION, STATE_DEPENDENT_QUOTE),
        start=Step(transport(m, notes_velocity(m)),
                   r"-\partial_x (v p), \quad v = b - \frac{1}{2} D \partial_x \log p",
                   "the PF-ODE dx/dt = v moves its density by the continuity equation; v as "
                   f"the notes write it, for b = mu x, D = s^2 x^2, mu = {MU}, s = {S}"),
        steps=[
            Step(fokker_planck(m), r"-\partial_x (\mu x p) + \frac{1}{2} \partial_x^2 (s^2 x^2 p)",
                 "the notes: the PF-ODE has the SDE's marginals even when D depends on x"),
            Step(sp.Derivative(m.p, m.t), r"\partial_t p",
                 "p(x, t) is the law of X_t: log X_t ~ N(m0 + (mu - s^2/2) t, v0 + s^2 t), "
                 f"m0 = {M0}, v0 = {V0}"),
        ],
        expected=erratum(Correction(0, corrected, GBM_EXPLANATION)),
        crosschecks=[
            CrossCheck("Euler-Maruyama E[log X_T] of the SDE", sde_marginal),
            CrossCheck("corrected probability-flow ODE E[log x(T)]", corrected_flow_marginal),
            CrossCheck("the notes' probability-flow ODE E[log x(T)]", notes_flow_marginal),
        ],
        hypotheses=[STATE_DEPENDENT, GBM_INSTANCE, FOKKER_PLANCK],
        notation={"p": m.p, "b": m.b[0], "D": m.D[0, 0], r"\mu": MU, "s": S},
    )


score_identity_3d = score_identity(3)
continuity_1d_time = continuity_time_diffusion(1)
continuity_1d_state = continuity_state_diffusion(1)
continuity_2d_time = continuity_time_diffusion(2)
continuity_2d_state = continuity_state_diffusion(2)
continuity_3d_time = continuity_time_diffusion(3)
velocity_2d_state = velocity_state_diffusion(2)
probability_flow_state_dependent = probability_flow_gbm()
