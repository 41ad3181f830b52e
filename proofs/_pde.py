r"""Numerical Fokker-Planck residuals for the continuity-equation cross-checks.

Two diffusions whose marginal density p(x, t) is known exactly:

- :class:`RotatedOrnsteinUhlenbeck`: dX = -X dt + R diag(sqrt(a_k (1 + t))) dW, so
  D(t) = R diag(a_k (1 + t)) R^T depends on t but not on x and is not diagonal.  With
  X_0 ~ N(R m0, R diag(v0) R^T) the coordinates Z = R^T X are independent,
  Z_k(t) ~ N(m0_k e^{-t}, v_k(t)), v_k' = -2 v_k + a_k (1 + t), so
  v_k(t) = a_k t / 2 + a_k / 4 + (v0_k - a_k / 4) e^{-2t}.
- :class:`IndependentGeometricBrownianMotions`: dX_k = mu X_k dt + s X_k dW_k, D(x) =
  diag(s^2 x_k^2) depends on x; log X_k(t) ~ N(m0_k + (mu - s^2/2) t, v0_k + s^2 t).

A probability-flow velocity v(x, t) moves its density by d_t p = -div(v p).  The residual of
that equation is measured at random points: d_t p by a central difference in t of the exact
marginal, -div(v p) by central differences in x of the flux v p.  Neither uses the other, so a
velocity that does not carry the marginal leaves a residual of the size of d_t p itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Protocol

import numpy as np

Velocity = Callable[[np.ndarray, float], np.ndarray]
STEP = 1e-5


class Diffusion(Protocol):
    """A diffusion with a known marginal: points are arrays of shape (count, dim)."""

    @property
    def dim(self) -> int: ...

    def density(self, x: np.ndarray, t: float) -> np.ndarray: ...
    def drift(self, x: np.ndarray, t: float) -> np.ndarray: ...
    def diffusion(self, x: np.ndarray, t: float) -> np.ndarray: ...
    def diffusion_divergence(self, x: np.ndarray, t: float) -> np.ndarray: ...
    def score(self, x: np.ndarray, t: float) -> np.ndarray: ...
    def sample(self, rng: np.random.Generator, count: int, t: float) -> np.ndarray: ...


def rotation(dim: int, seed: int) -> np.ndarray:
    """A random orthogonal matrix (QR of a Gaussian matrix, signs fixed)."""
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((dim, dim)))
    return q * np.sign(np.diag(r))


@dataclasses.dataclass(frozen=True)
class RotatedOrnsteinUhlenbeck:
    """dX = -X dt + R diag(sqrt(a_k (1 + t))) dW; Z = R^T X has independent normal coordinates."""

    R: np.ndarray
    a: np.ndarray
    m0: np.ndarray
    v0: np.ndarray

    @property
    def dim(self) -> int:
        return int(self.a.size)

    def _moments(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        variance = self.a * t / 2 + self.a / 4 + (self.v0 - self.a / 4) * np.exp(-2 * t)
        return self.m0 * np.exp(-t), variance

    def density(self, x: np.ndarray, t: float) -> np.ndarray:
        mean, variance = self._moments(t)
        z = x @ self.R
        factors = np.exp(-(z - mean) ** 2 / (2 * variance)) / np.sqrt(2 * np.pi * variance)
        return np.asarray(np.prod(factors, axis=1), dtype=float)

    def drift(self, x: np.ndarray, t: float) -> np.ndarray:
        return -x

    def diffusion(self, x: np.ndarray, t: float) -> np.ndarray:
        matrix = self.R @ np.diag(self.a * (1 + t)) @ self.R.T
        return np.broadcast_to(matrix, (x.shape[0], self.dim, self.dim))

    def diffusion_divergence(self, x: np.ndarray, t: float) -> np.ndarray:
        return np.zeros_like(x)

    def score(self, x: np.ndarray, t: float) -> np.ndarray:
        mean, variance = self._moments(t)
        return np.asarray((-(x @ self.R - mean) / variance) @ self.R.T, dtype=float)

    def sample(self, rng: np.random.Generator, count: int, t: float) -> np.ndarray:
        mean, variance = self._moments(t)
        return np.asarray((mean + np.sqrt(variance) * rng.standard_normal((count, self.dim))) @ self.R.T, dtype=float)


@dataclasses.dataclass(frozen=True)
class IndependentGeometricBrownianMotions:
    """dX_k = mu X_k dt + s X_k dW_k, log X_k(0) ~ N(m0_k, v0_k), independent coordinates."""

    mu: float
    s: float
    m0: np.ndarray
    v0: np.ndarray

    @property
    def dim(self) -> int:
        return int(self.m0.size)

    def _moments(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        return self.m0 + (self.mu - self.s**2 / 2) * t, self.v0 + self.s**2 * t

    def density(self, x: np.ndarray, t: float) -> np.ndarray:
        mean, variance = self._moments(t)
        factors = (np.exp(-(np.log(x) - mean) ** 2 / (2 * variance))
                   / (x * np.sqrt(2 * np.pi * variance)))
        return np.asarray(np.prod(factors, axis=1), dtype=float)

    def drift(self, x: np.ndarray, t: float) -> np.ndarray:
        return self.mu * x

    def diffusion(self, x: np.ndarray, t: float) -> np.ndarray:
        return np.asarray(np.einsum("ni,ij->nij", self.s**2 * x**2, np.eye(self.dim)), dtype=float)

    def diffusion_divergence(self, x: np.ndarray, t: float) -> np.ndarray:
        return 2 * self.s**2 * x

    def score(self, x: np.ndarray, t: float) -> np.ndarray:
        mean, variance = self._moments(t)
        return np.asarray(-(1 + (np.log(x) - mean) / variance) / x, dtype=float)

    def sample(self, rng: np.random.Generator, count: int, t: float) -> np.ndarray:
        mean, variance = self._moments(t)
        return np.asarray(np.exp(mean + np.sqrt(variance) * rng.standard_normal((count, self.dim))), dtype=float)


# ---------------------------------------------------------------- velocities

def _diffusion_times_score(model: Diffusion, x: np.ndarray, t: float) -> np.ndarray:
    return np.asarray(np.einsum("nij,nj->ni", model.diffusion(x, t), model.score(x, t)), dtype=float)


def notes_velocity(model: Diffusion) -> Velocity:
    """v = b - 1/2 D grad log p."""
    return lambda x, t: model.drift(x, t) - 0.5 * _diffusion_times_score(model, x, t)


def corrected_velocity(model: Diffusion) -> Velocity:
    """v = b - 1/2 div D - 1/2 D grad log p."""
    return lambda x, t: (model.drift(x, t) - 0.5 * model.diffusion_divergence(x, t)
                         - 0.5 * _diffusion_times_score(model, x, t))


def unhalved_velocity(model: Diffusion) -> Velocity:
    """A slip: v = b - D grad log p (the factor 1/2 dropped)."""
    return lambda x, t: model.drift(x, t) - _diffusion_times_score(model, x, t)


def drift_velocity(model: Diffusion) -> Velocity:
    """A slip: v = b (the diffusion ignored)."""
    return model.drift


# ---------------------------------------------------------------- the two sides

def time_derivative(model: Diffusion, x: np.ndarray, t: float) -> np.ndarray:
    """d_t p(x, t) by a central difference of the exact marginal."""
    return np.asarray((model.density(x, t + STEP) - model.density(x, t - STEP)) / (2 * STEP), dtype=float)


def transport(model: Diffusion, velocity: Velocity, x: np.ndarray, t: float) -> np.ndarray:
    """-div(v p) at x by central differences of the flux v p."""
    total = np.zeros(x.shape[0])
    for i, shift in enumerate(STEP * np.eye(model.dim)):
        ahead, behind = x + shift, x - shift
        flux_ahead = velocity(ahead, t)[:, i] * model.density(ahead, t)
        flux_behind = velocity(behind, t)[:, i] * model.density(behind, t)
        total -= (flux_ahead - flux_behind) / (2 * STEP)
    return total


def divergence_form_velocity(model: Diffusion, x: np.ndarray, t: float) -> np.ndarray:
    """J / p with J_i = b_i p - 1/2 sum_j d_j (D_ij p), the derivatives by central differences."""
    spread = np.zeros_like(x)
    for j, shift in enumerate(STEP * np.eye(model.dim)):
        ahead, behind = x + shift, x - shift
        spread += ((model.diffusion(ahead, t)[:, :, j] * model.density(ahead, t)[:, None]
                    - model.diffusion(behind, t)[:, :, j] * model.density(behind, t)[:, None])
                   / (2 * STEP))
    return np.asarray(model.drift(x, t) - 0.5 * spread / model.density(x, t)[:, None], dtype=float)


def points_and_times(model: Diffusion, seed: int, count: int) -> list[tuple[np.ndarray, float]]:
    """``count`` points drawn from the marginal at each of four times in [0.25, 1]."""
    rng = np.random.default_rng(seed)
    return [(model.sample(rng, count, t), t) for t in (0.25, 0.5, 0.75, 1.0)]
