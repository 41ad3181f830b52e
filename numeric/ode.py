"""Fixed-step explicit Runge-Kutta integration of dx/dt = v(x, t) for many particles at once.

Used as the probability-flow ODE integrator: v(x, t) = b(x, t) - (1/2) D(x, t) grad log p(x, t)
transports particles so that their law follows the SDE's marginals. Integration backwards
in time (t1 < t0) is allowed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from numeric import _validation as check
from numeric._validation import FloatArray

__all__ = ["METHODS", "integrate"]

Field = Callable[[FloatArray, float], FloatArray]
Step = Callable[[Field, FloatArray, float, float], FloatArray]


def _euler(v: Field, x: FloatArray, t: float, h: float) -> FloatArray:
    return x + h * v(x, t)


def _heun(v: Field, x: FloatArray, t: float, h: float) -> FloatArray:
    k1 = v(x, t)
    k2 = v(x + h * k1, t + h)
    return x + (0.5 * h) * (k1 + k2)


def _rk4(v: Field, x: FloatArray, t: float, h: float) -> FloatArray:
    k1 = v(x, t)
    k2 = v(x + (0.5 * h) * k1, t + 0.5 * h)
    k3 = v(x + (0.5 * h) * k2, t + 0.5 * h)
    k4 = v(x + h * k3, t + h)
    return x + (h / 6.0) * (k1 + 2.0 * (k2 + k3) + k4)


_STEPS: dict[str, Step] = {"euler": _euler, "heun": _heun, "rk4": _rk4}
METHODS = tuple(_STEPS)
"""The available methods, of orders 1, 2 and 4."""


def integrate(v: Field, x0: ArrayLike, t0: float, t1: float, n_steps: int, *,
              method: str = "rk4", path: bool = False) -> FloatArray:
    """Integrate dx/dt = v(x, t) from t0 to t1 in ``n_steps`` equal steps h = (t1 - t0) / n.

    ``x0`` holds all particles, shape (n,) or (n, d) (any shape works); v(x, t) must return
    an array of the same shape. Methods, with global error O(h^p):

    - "euler" (p = 1): x_{k+1} = x_k + h v(x_k, t_k)
    - "heun" (p = 2): k1 = v(x_k, t_k), k2 = v(x_k + h k1, t_k + h), x_{k+1} = x_k + h (k1 + k2) / 2
    - "rk4" (p = 4): the classical Runge-Kutta method,
      x_{k+1} = x_k + h (k1 + 2 k2 + 2 k3 + k4) / 6.

    Returns x at t1, or with ``path=True`` all states, shape (n_steps + 1, *x0.shape), at
    t_k = t0 + k h. ``v`` is called once more, at (x0, t0), to check its output shape.
    """
    check.callable_(v, "v")
    step = _STEPS[check.choice(method, "method", METHODS)]
    x = check.array(x0, "x0").copy()
    start, stop = check.real(t0, "t0"), check.real(t1, "t1")
    n = check.integer(n_steps, "n_steps")
    h = (stop - start) / n
    check.output(v(x, start), "v", x.shape)
    if not path:
        for k in range(n):
            x = step(v, x, start + k * h, h)
        return np.asarray(x, dtype=float)
    out = np.empty((n + 1, *x.shape))
    out[0] = x
    for k in range(n):
        out[k + 1] = step(v, out[k], start + k * h, h)
    return out
