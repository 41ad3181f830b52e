r"""Particles for the probability-flow cross-checks beyond geometric Brownian motion.

Both processes are driven by the Ornstein-Uhlenbeck law: with Y_0 ~ N(m0, v0),

    dY = -theta Y dt + s dW,   Y_t ~ N(m(t), v(t)),
    m(t) = m0 e^{-theta t},   v(t) = v0 e^{-2 theta t} + s^2 (1 - e^{-2 theta t}) / (2 theta).

- Ornstein-Uhlenbeck itself: constant diffusion D = s^2, score -(x - m) / v; the notes'
  velocity v = b - D d/dx log p / 2 is the right one.
- X = sinh(Y) (Ito): dX = (-theta sqrt(1 + X^2) asinh X + s^2 X / 2) dt + s sqrt(1 + X^2) dW,
  a state-dependent diffusion D(x) = s^2 (1 + x^2) with asinh X_t ~ N(m(t), v(t)) and score
  d/dx log p = -(asinh x - m) / (v sqrt(1 + x^2)) - x / (1 + x^2). The corrected velocity
  b - D'/2 - D d/dx log p / 2 is sqrt(1 + x^2) (-theta y + s^2 (y - m) / (2 v)), y = asinh x:
  in y it is the Ornstein-Uhlenbeck flow. The notes' velocity adds D'/2 = s^2 x, which in y
  adds s^2 tanh(y): its particles drift away from the SDE's law.

Marginals are compared in y (asinh x for the sinh process), where the exact law is Gaussian.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import stats

from numeric import montecarlo
from numeric.ode import integrate
from numeric.sde import euler_maruyama

Field = Callable[[np.ndarray, float], np.ndarray]
Sampler = Callable[[np.random.Generator, int], np.ndarray]


@dataclasses.dataclass(frozen=True)
class OrnsteinUhlenbeckLaw:
    """The law N(m(t), v(t)) of dY = -theta Y dt + s dW, Y_0 ~ N(m0, v0)."""

    theta: float
    s: float
    m0: float
    v0: float

    def mean(self, t: float) -> float:
        return self.m0 * math.exp(-self.theta * t)

    def variance(self, t: float) -> float:
        decay = math.exp(-2 * self.theta * t)
        return self.v0 * decay + self.s**2 * (1 - decay) / (2 * self.theta)

    def drift_only_variance(self, t: float) -> float:
        """v0 e^{-2 theta t}: the variance the flow dx/dt = b (no score term) would give."""
        return self.v0 * math.exp(-2 * self.theta * t)

    def initial(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return self.m0 + math.sqrt(self.v0) * rng.standard_normal(size)


@dataclasses.dataclass(frozen=True)
class Process:
    """An SDE in x whose marginal, seen through ``to_y``, is the Ornstein-Uhlenbeck law."""

    law: OrnsteinUhlenbeckLaw
    drift: Field
    sigma: Field
    corrected_velocity: Field
    notes_velocity: Field
    to_y: Callable[[np.ndarray], np.ndarray]
    from_y: Callable[[np.ndarray], np.ndarray]


def ornstein_uhlenbeck(law: OrnsteinUhlenbeckLaw) -> Process:
    """dX = -theta X dt + s dW; both velocities are b + s^2 (x - m) / (2 v)."""
    def drift(x: np.ndarray, t: float) -> np.ndarray:
        return -law.theta * x

    def velocity(x: np.ndarray, t: float) -> np.ndarray:
        return drift(x, t) + law.s**2 * (x - law.mean(t)) / (2 * law.variance(t))

    return Process(law, drift, lambda x, t: np.full_like(x, law.s), velocity, velocity,
                   lambda x: x, lambda y: y)


def sinh_ornstein_uhlenbeck(law: OrnsteinUhlenbeckLaw) -> Process:
    """X = sinh(Y): D(x) = s^2 (1 + x^2); the notes' velocity exceeds the corrected one by s^2 x."""
    def drift(x: np.ndarray, t: float) -> np.ndarray:
        value: np.ndarray = -law.theta * np.sqrt(1 + x * x) * np.arcsinh(x) + law.s**2 * x / 2
        return value

    def corrected(x: np.ndarray, t: float) -> np.ndarray:
        y = np.arcsinh(x)
        value: np.ndarray = np.sqrt(1 + x * x) * (
            -law.theta * y + law.s**2 * (y - law.mean(t)) / (2 * law.variance(t)))
        return value

    def notes(x: np.ndarray, t: float) -> np.ndarray:
        return corrected(x, t) + law.s**2 * x

    return Process(law, drift, lambda x, t: law.s * np.sqrt(1 + x * x), corrected, notes,
                   np.arcsinh, np.sinh)


def sde_sampler(process: Process, horizon: float, n_steps: int) -> Sampler:
    """Draws of (y_T, (y_T - m(T))^2), y = to_y(X_T), X_T by Euler-Maruyama."""
    dt = horizon / n_steps

    def sample(rng: np.random.Generator, size: int) -> np.ndarray:
        x0 = process.from_y(process.law.initial(rng, size))
        dW = rng.standard_normal((n_steps, size)) * math.sqrt(dt)
        y = process.to_y(euler_maruyama(process.drift, process.sigma, x0, dt, dW, path=False))
        return _with_square(y, process.law.mean(horizon))
    return sample


def flow_sampler(process: Process, velocity: Field, horizon: float, n_steps: int) -> Sampler:
    """Draws of (y_T, (y_T - m(T))^2) for dx/dt = velocity(x, t) (RK4)."""
    def sample(rng: np.random.Generator, size: int) -> np.ndarray:
        y = flow_endpoints(process, velocity, process.law.initial(rng, size), horizon, n_steps)
        return _with_square(y, process.law.mean(horizon))
    return sample


def flow_endpoints(process: Process, velocity: Field, y0: np.ndarray, horizon: float,
                   n_steps: int) -> np.ndarray:
    """to_y(x(T)) for dx/dt = velocity, x(0) = from_y(y0), by numeric.ode's RK4."""
    x0 = process.from_y(y0)
    return process.to_y(integrate(velocity, x0, 0.0, horizon, n_steps, method="rk4"))


def _with_square(y: np.ndarray, mean: float) -> np.ndarray:
    return np.column_stack([y, (y - mean) ** 2])


def flow_law_moments(process: Process, velocity: Field, horizon: float, n_steps: int,
                     nodes: int = 60) -> tuple[float, float]:
    """E[y_T] and E[(y_T - m(T))^2] of a deterministic flow, by Gauss-Hermite quadrature over
    y_0 ~ N(m0, v0) (the flow is a smooth map of y_0)."""
    points, weights = np.polynomial.hermite_e.hermegauss(nodes)
    weights = weights / weights.sum()
    law = process.law
    y = flow_endpoints(process, velocity, law.m0 + math.sqrt(law.v0) * points, horizon, n_steps)
    return float(weights @ y), float(weights @ (y - law.mean(horizon)) ** 2)


def estimate_moments(sampler: Sampler, n: int, seed: int) -> montecarlo.Estimate:
    """montecarlo.estimate of (E[y_T], E[(y_T - m(T))^2])."""
    return montecarlo.estimate(sampler, n, seed=seed, chunk_size=2**13)


def histogram(law: OrnsteinUhlenbeckLaw, horizon: float, samples: dict[str, np.ndarray],
              title: str) -> dict[str, Any]:
    """The generic histogram plot: particles against the exact N(m(T), v(T)) density."""
    mean, sd = law.mean(horizon), math.sqrt(law.variance(horizon))
    grid = np.linspace(mean - 4 * sd, mean + 4 * sd, 161)
    return {"plot": "histogram", "bins": 50,
            "samples": {label: np.round(values, 6).tolist() for label, values in samples.items()},
            "density": {"x": grid.tolist(), "y": stats.norm.pdf(grid, mean, sd).tolist(),
                        "label": "exact N(m(T), v(T))"},
            "title": title, "xlabel": "y_T", "ylabel": "density"}
