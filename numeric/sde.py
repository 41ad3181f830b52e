"""Brownian increments and fixed-step SDE integrators (Euler-Maruyama, Milstein, tamed Euler).

The SDE is dX_t = f(X_t, t) dt + g(X_t, t) dW_t on a grid t_k = t0 + k dt, driven by given
Brownian increments dW_k = W_{t_{k+1}} - W_{t_k} ~ N(0, dt). Passing the increments in
(rather than a seed) lets convergence studies run several step sizes on the same Brownian
path: :func:`coarsen` sums consecutive increments.

Shapes (P paths, d state components, m noise components):

================  ===================  ==================  ===========================
noise             dW                   state x             g(x, t) returns
================  ===================  ==================  ===========================
scalar            (n_steps, P)         (P,) or (P, d)      same shape as x
diagonal          (n_steps, P, d)      (P, d)              (P, d): g_i multiplies dW_i
general           (n_steps, P, m)      (P, d)              (P, d, m)
================  ===================  ==================  ===========================

``x0`` is broadcast to the state shape: a scalar or a length-P vector gives (P,) for scalar
noise; use shape (1, d) (or (P, d)) for a d-dimensional state with scalar noise. With 3-D
``dW`` a scalar x0 gives (P, m) and a length-d vector gives (P, d).

The integrators call each coefficient once at (x0, t0) before stepping, to check the shapes
it returns. They do not check the states they produce: an explicit scheme can blow up
(e.g. for superlinear coefficients) and that is a result, returned as inf or NaN.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from numeric import _validation as check
from numeric._errors import InvalidArgumentValue
from numeric._validation import FloatArray

__all__ = ["brownian_increments", "coarsen", "euler_maruyama", "milstein", "tamed_euler"]

Coefficient = Callable[[FloatArray, float], FloatArray]
Seed = check.Seed


def brownian_increments(n_steps: int, n_paths: int, dt: float, seed: Seed, *,
                        dim: int | None = None) -> FloatArray:
    """Independent Brownian increments dW ~ N(0, dt): shape (n_steps, n_paths), or
    (n_steps, n_paths, dim) for a ``dim``-dimensional Brownian motion.

    Drawn as ``np.random.default_rng(seed).standard_normal(shape) * sqrt(dt)`` (``seed``: an
    int >= 0, a SeedSequence or a Generator).
    """
    shape: tuple[int, ...] = (check.integer(n_steps, "n_steps"),
                              check.integer(n_paths, "n_paths"))
    if dim is not None:
        shape += (check.integer(dim, "dim"),)
    scale = math.sqrt(check.real(dt, "dt", positive=True))
    increments = np.random.default_rng(check.seed(seed)).standard_normal(shape)
    increments *= scale
    return increments


def coarsen(dW: ArrayLike, factor: int) -> FloatArray:
    """Increments of the same Brownian path on a grid ``factor`` times coarser:

    dW'_j = sum_{i = j factor}^{(j + 1) factor - 1} dW_i   (along axis 0),

    so dW'_j ~ N(0, factor dt). The number of steps must be divisible by ``factor``.
    """
    increments = check.array(dW, "dW", ndim=(2, 3))
    k = check.integer(factor, "factor")
    if increments.shape[0] % k:
        raise InvalidArgumentValue(f"factor must divide the number of steps {increments.shape[0]}, "
                                   f"got {k}")
    coarse: FloatArray = increments.reshape(-1, k, *increments.shape[1:]).sum(axis=1)
    return coarse


@dataclass(frozen=True)
class _Problem:
    x0: FloatArray
    dt: float
    dW: FloatArray
    t0: float
    expand: Callable[[FloatArray], FloatArray]  # dW_k broadcast against the state


def _problem(x0: ArrayLike, dt: float, dW: ArrayLike, t0: float) -> _Problem:
    increments = check.as_float_array(dW, "dW")  # finiteness: checked at the end (_finished)
    if increments.ndim not in (2, 3):
        raise InvalidArgumentValue(f"dW must be a 2-D or 3-D array, got shape {increments.shape}")
    step, start = check.real(dt, "dt", positive=True), check.real(t0, "t0")
    state = _initial_state(check.array(x0, "x0", ndim=(0, 1, 2)), increments.shape)
    scalar_noise_vector_state = increments.ndim == 2 and state.ndim == 2
    expand = _add_axis if scalar_noise_vector_state else _identity
    return _Problem(state, step, increments, start, expand)


def _identity(dw: FloatArray) -> FloatArray:
    return dw


def _add_axis(dw: FloatArray) -> FloatArray:
    return dw[:, None]


def _initial_state(x0: FloatArray, noise_shape: tuple[int, ...]) -> FloatArray:
    """x0 broadcast to the state shape described in the module docstring (a fresh copy)."""
    paths = noise_shape[1]
    if x0.ndim == 2:
        shape: tuple[int, ...] = (paths, x0.shape[1])
    elif len(noise_shape) == 3:
        shape = (paths, noise_shape[2] if x0.ndim == 0 else x0.shape[0])
    else:
        shape = (paths,)
    try:
        return np.array(np.broadcast_to(x0, shape), dtype=np.float64)
    except ValueError:
        raise InvalidArgumentValue(f"x0 must broadcast to the state shape {shape} implied by dW of "
                                   f"shape {noise_shape}, got shape {x0.shape}") from None


def _noise_term(gx: FloatArray, problem: _Problem) -> Callable[[FloatArray, FloatArray],
                                                                  FloatArray]:
    """The function (g(x, t), dW_k) -> g dW_k matching the shape of g (see module table)."""
    x, dW = problem.x0, problem.dW
    elementwise = dW.ndim == 2 or dW.shape[2] == x.shape[-1]
    if gx.shape == x.shape and elementwise:
        expand = problem.expand
        return lambda g, dw: g * expand(dw)
    if dW.ndim == 3 and gx.shape == (*x.shape, dW.shape[2]):
        return lambda g, dw: np.einsum("pdm,pm->pd", g, dw)
    shapes = ([x.shape] if elementwise else []) + ([(*x.shape, dW.shape[2])] if dW.ndim == 3
                                                   else [])
    wanted = " or ".join(str(shape) for shape in shapes)
    raise InvalidArgumentValue(f"g must return an array of shape {wanted} for dW of shape "
                               f"{dW.shape}, got shape {gx.shape}")


def _march(step: Callable[[FloatArray, float, FloatArray], FloatArray], problem: _Problem,
           path: bool) -> FloatArray:
    """Apply x_{k+1} = step(x_k, t_k, dW_k) for k = 0..n-1, t_k = t0 + k dt."""
    dW, t0, dt = problem.dW, problem.t0, problem.dt
    if not path:
        x = problem.x0
        for k in range(dW.shape[0]):
            x = step(x, t0 + k * dt, dW[k])
        return _finished(x, x, dW)
    out = np.empty((dW.shape[0] + 1, *problem.x0.shape))
    out[0] = problem.x0
    for k in range(dW.shape[0]):
        out[k + 1] = step(out[k], t0 + k * dt, dW[k])
    return _finished(out, out[-1], dW)


def _finished(result: FloatArray, final: FloatArray, dW: FloatArray) -> FloatArray:
    """``result``, once the increments are known to be finite.

    Both schemes add X_k to every update, so a NaN or infinite increment makes its path's
    state non-finite from that step on: a finite final state proves the increments were
    finite, and only a non-finite one (an increment, or a genuine blow-up) costs a pass over
    ``dW`` to tell which.
    """
    with np.errstate(all="ignore"):
        if not np.isfinite(np.sum(final)):
            check.require_finite(dW, "dW")
    return result


def _drift_and_noise(f: Coefficient, g: Coefficient, x0: ArrayLike, dt: float, dW: ArrayLike,
                     t0: float) -> tuple[_Problem, Callable[[FloatArray, FloatArray], FloatArray]]:
    """The checked problem and the noise term g dW of a scheme with drift f and diffusion g
    (Euler-Maruyama and tamed Euler share them)."""
    check.callable_(f, "f")
    check.callable_(g, "g")
    problem = _problem(x0, dt, dW, t0)
    check.output(f(problem.x0, problem.t0), "f", problem.x0.shape)
    return problem, _noise_term(check.as_float_array(g(problem.x0, problem.t0), "g"), problem)


def euler_maruyama(f: Coefficient, g: Coefficient, x0: ArrayLike, dt: float, dW: ArrayLike, *,
                   t0: float = 0.0, path: bool = True) -> FloatArray:
    """Euler-Maruyama for dX = f(X, t) dt + g(X, t) dW:

    X_{k+1} = X_k + f(X_k, t_k) dt + g(X_k, t_k) dW_k,   t_k = t0 + k dt,

    where g dW is a product for scalar or diagonal noise and sum_j g_ij dW_j for general
    noise (see the module docstring for shapes). f and g take the state of all paths at once.
    Strong order 1/2, weak order 1 under global Lipschitz and linear-growth conditions.
    Returns all states, shape (n_steps + 1, *state), or with ``path=False`` only X_n (memory
    O(state)).
    """
    problem, noise = _drift_and_noise(f, g, x0, dt, dW, t0)
    h = problem.dt

    def step(x: FloatArray, t: float, dw: FloatArray) -> FloatArray:
        return x + f(x, t) * h + noise(g(x, t), dw)

    return _march(step, problem, path)


def milstein(f: Coefficient, g: Coefficient, dg: Coefficient, x0: ArrayLike, dt: float,
             dW: ArrayLike, *, t0: float = 0.0, path: bool = True) -> FloatArray:
    """Milstein's scheme for scalar (or diagonal) noise, dg = dg/dx:

    X_{k+1} = X_k + f dt + g dW_k + (1/2) g (dg/dx) (dW_k^2 - dt),

    all coefficients at (X_k, t_k). Strong order 1. For a vector state, g and dg act
    componentwise: component i is driven by its own dW_i (3-D dW, diagonal noise) or by the
    common dW (2-D dW), and g_i may depend on x_i only (otherwise the scheme needs Levy
    areas and the order drops). Returns as :func:`euler_maruyama`.
    """
    for function, name in ((f, "f"), (g, "g"), (dg, "dg")):
        check.callable_(function, name)
    problem = _problem(x0, dt, dW, t0)
    if problem.dW.ndim == 3 and problem.dW.shape[2] != problem.x0.shape[-1]:
        raise InvalidArgumentValue(f"dW must have one noise component per state component for "
                                   f"Milstein (diagonal noise), got dW of shape {problem.dW.shape} "
                                   f"for states of shape {problem.x0.shape}")
    for function, name in ((f, "f"), (g, "g"), (dg, "dg")):
        check.output(function(problem.x0, problem.t0), name, problem.x0.shape)
    h, expand = problem.dt, problem.expand

    def step(x: FloatArray, t: float, dw: FloatArray) -> FloatArray:
        gx, w = g(x, t), expand(dw)
        return x + f(x, t) * h + gx * w + 0.5 * gx * dg(x, t) * (w * w - h)

    return _march(step, problem, path)


def tamed_euler(f: Coefficient, g: Coefficient, x0: ArrayLike, dt: float, dW: ArrayLike, *,
                t0: float = 0.0, path: bool = True) -> FloatArray:
    """The tamed Euler scheme of Hutzenthaler, Jentzen and Kloeden (2012) for
    dX = f(X, t) dt + g(X, t) dW:

    X_{k+1} = X_k + f(X_k, t_k) dt / (1 + dt |f(X_k, t_k)|) + g(X_k, t_k) dW_k,

    with |f| the absolute value for a scalar state and the Euclidean norm of the path's
    drift vector for a state of shape (P, d). The drift step is at most 1 in norm, so a
    superlinear drift (f(x) = -x^3) cannot throw the iterates out as it does Euler-Maruyama's;
    the scheme keeps strong order 1/2 for one-sided Lipschitz drifts of polynomial growth.
    Same arguments, shapes, checks and return value as :func:`euler_maruyama`.
    """
    problem, noise = _drift_and_noise(f, g, x0, dt, dW, t0)
    h = problem.dt

    def step(x: FloatArray, t: float, dw: FloatArray) -> FloatArray:
        push = f(x, t) * h
        return x + push / (1.0 + _drift_norm(push)) + noise(g(x, t), dw)

    return _march(step, problem, path)


def _drift_norm(push: FloatArray) -> FloatArray:
    """|push| per path: the absolute value (state (P,)) or the norm over the last axis."""
    if push.ndim == 1:
        return np.abs(push)
    norm: FloatArray = np.sqrt(np.sum(push * push, axis=-1, keepdims=True))
    return norm
