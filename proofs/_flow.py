r"""Particles for the probability-flow cross-checks: geometric Brownian motion.

The SDE :math:`dX = \mu X\,dt + s X\,dW` has the state-dependent diffusion
:math:`D(x) = s^2 x^2`.  With :math:`\log X_0 \sim N(m_0, v_0)` every marginal is known:
:math:`\log X_t \sim N(m(t), v(t))`, :math:`m(t) = m_0 + (\mu - s^2/2) t`,
:math:`v(t) = v_0 + s^2 t` (Ito's formula for :math:`\log X`).

Two velocity fields are built from the same pieces :math:`b`, :math:`D`, :math:`\partial_x D`
and the score :math:`\partial_x \log p`:

- corrected: :math:`v = b - \tfrac12 \partial_x D - \tfrac12 D \partial_x \log p`;
- the notes': :math:`v_{\text{notes}} = b - \tfrac12 D \partial_x \log p = v + s^2 x`.

In :math:`z = \log x` the corrected flow is :math:`\dot z = (\mu - s^2/2) + k(t) (z - m(t))`
with :math:`k = s^2 / (2 v(t))`, so :math:`z(t) - m(t) = \sqrt{v(t)/v_0}\,(z_0 - m_0)` and the
particles keep the law :math:`N(m(t), v(t))`.  The notes' flow adds :math:`s^2` to
:math:`\dot z`; solving the linear equation, :math:`z(t) - m(t)` gains
:math:`\sqrt{v(t)} \int_0^t s^2 v(u)^{-1/2} du = 2 (v(t) - \sqrt{v(t) v_0})`: the notes' flow
ends at :math:`N(m(t) + 2 (v(t) - \sqrt{v(t) v_0}), v(t))`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np
from scipy import stats

from numeric.ode import integrate
from numeric.sde import brownian_increments, euler_maruyama

Velocity = Callable[[np.ndarray, float], np.ndarray]
Sampler = Callable[[np.random.Generator, int], np.ndarray]


@dataclasses.dataclass(frozen=True)
class GeometricBrownianMotion:
    """dX = mu X dt + s X dW with log X_0 ~ N(m0, v0)."""

    mu: float
    s: float
    m0: float
    v0: float

    def log_mean(self, t: float) -> float:
        """m(t) = m0 + (mu - s^2/2) t, the mean of log X_t."""
        return self.m0 + (self.mu - self.s**2 / 2) * t

    def log_variance(self, t: float) -> float:
        """v(t) = v0 + s^2 t, the variance of log X_t."""
        return self.v0 + self.s**2 * t

    def notes_log_shift(self, t: float) -> float:
        """How far the notes' flow moves E[log X_t]: 2 (v(t) - sqrt(v(t) v0))."""
        v = self.log_variance(t)
        return 2 * (v - math.sqrt(v * self.v0))

    def drift(self, x: np.ndarray, t: float) -> np.ndarray:
        return self.mu * x

    def sigma(self, x: np.ndarray, t: float) -> np.ndarray:
        return self.s * x

    def diffusion(self, x: np.ndarray) -> np.ndarray:
        """D(x) = sigma(x)^2 = s^2 x^2."""
        return (self.s * x) ** 2

    def diffusion_gradient(self, x: np.ndarray) -> np.ndarray:
        """dD/dx = 2 s^2 x."""
        return 2 * self.s**2 * x

    def score(self, x: np.ndarray, t: float) -> np.ndarray:
        """d/dx log p(x, t) = -(1 + (log x - m(t)) / v(t)) / x for the lognormal p."""
        return -(1 + (np.log(x) - self.log_mean(t)) / self.log_variance(t)) / x

    def initial(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draws of X_0 = exp(m0 + sqrt(v0) Z)."""
        return np.exp(self.m0 + math.sqrt(self.v0) * rng.standard_normal(size))


def corrected_velocity(model: GeometricBrownianMotion) -> Velocity:
    """v = b - 1/2 dD/dx - 1/2 D d/dx log p."""
    def velocity(x, t):
        return (model.drift(x, t) - 0.5 * model.diffusion_gradient(x)
                - 0.5 * model.diffusion(x) * model.score(x, t))
    return velocity


def notes_velocity(model: GeometricBrownianMotion) -> Velocity:
    """The notes' v = b - 1/2 D d/dx log p (no dD/dx term)."""
    def velocity(x, t):
        return model.drift(x, t) - 0.5 * model.diffusion(x) * model.score(x, t)
    return velocity


def sde_sampler(model: GeometricBrownianMotion, horizon: float, n_steps: int) -> Sampler:
    """Draws of log X_T from Euler-Maruyama paths started at draws of X_0."""
    dt = horizon / n_steps

    def sample(rng: np.random.Generator, size: int) -> np.ndarray:
        x0 = model.initial(rng, size)
        dW = brownian_increments(n_steps, size, dt, rng)
        return np.log(euler_maruyama(model.drift, model.sigma, x0, dt, dW, path=False))
    return sample


def flow_sampler(model: GeometricBrownianMotion, velocity: Velocity, horizon: float,
                 n_steps: int) -> Sampler:
    """Draws of log x(T) for dx/dt = velocity(x, t) (RK4) started at draws of X_0."""
    def sample(rng: np.random.Generator, size: int) -> np.ndarray:
        x0 = model.initial(rng, size)
        return np.log(integrate(velocity, x0, 0.0, horizon, n_steps, method="rk4"))
    return sample


def first_chunk(sampler: Sampler, seed: int, size: int) -> np.ndarray:
    """The draws of chunk 0 of ``numeric.montecarlo.estimate(sampler, n, seed=seed)``."""
    rng = np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(0,)))
    return sampler(rng, size)


def ks_distance(log_draws: np.ndarray, mean: float, variance: float) -> float:
    """Kolmogorov-Smirnov distance between the draws and N(mean, variance)."""
    return float(stats.kstest(log_draws, stats.norm(mean, math.sqrt(variance)).cdf).statistic)


def ks_critical_value(n: int, alpha: float = 1e-6) -> float:
    """Asymptotic KS critical value sqrt(log(2 / alpha) / (2 n)) at level alpha."""
    return math.sqrt(math.log(2 / alpha) / (2 * n))


_LABELS = {"sde": "SDE (Euler-Maruyama)", "ode": "probability-flow ODE",
           "notes_ode": "probability-flow ODE as the notes write it"}


def histogram_data(model: GeometricBrownianMotion, horizon: float, label: str,
                   log_draws: np.ndarray, bins: int = 40) -> dict:
    """A ``histogram`` plot: the density histogram of log X_T on a fixed grid, with the SDE's
    law and the law of the notes' flow."""
    mean, sd = model.log_mean(horizon), math.sqrt(model.log_variance(horizon))
    shift = model.notes_log_shift(horizon)
    edges = np.linspace(mean - 4 * sd, mean + shift + 4 * sd, bins + 1)
    counts, _ = np.histogram(log_draws, bins=edges)
    grid = 0.5 * (edges[1:] + edges[:-1])
    density = (counts / (len(log_draws) * np.diff(edges))).round(6).tolist()
    return {
        "plot": "histogram", "title": "Marginal law at the final time", "xlabel": "log X_T",
        "ylabel": "density",
        "histograms": {_LABELS.get(label, label): {"edges": edges.round(6).tolist(),
                                                   "density": density}},
        "density": [
            {"x": grid.round(6).tolist(), "y": stats.norm.pdf(grid, mean, sd).round(6).tolist(),
             "label": "known density", "style": "k--"},
            {"x": grid.round(6).tolist(),
             "y": stats.norm.pdf(grid, mean + shift, sd).round(6).tolist(),
             "label": "the notes' law", "style": "r:"}],
    }
