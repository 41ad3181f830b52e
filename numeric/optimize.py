"""First- and second-order minimisers as the notes describe them.

Every minimiser takes user functions of a 1-D float array x (a scalar ``x0`` is treated as
shape (1,)) and returns an :class:`OptimizeResult` whose ``history`` holds the iterates,
``x0`` first. An iterate or gradient that stops being finite (a step size too large, say)
ends the run with ``converged=False`` and a :class:`~numeric.ConvergenceWarning`; the
iterates up to that point stay in ``history`` so that the divergence can be inspected.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from numeric import _validation as check
from numeric._errors import ConvergenceWarning, InvalidArgumentValue, SingularMatrixError
from numeric._validation import FloatArray
from numeric.perceptron import PerceptronResult, perceptron

__all__ = [
    "OptimizeResult",
    "PerceptronResult",
    "gradient_descent",
    "newton",
    "perceptron",
    "sgd",
    "subgradient_descent",
]

VectorFunction = Callable[[FloatArray], ArrayLike]
StepSize = float | Callable[[int], float]


@dataclass(frozen=True, eq=False)
class OptimizeResult:
    """``x`` the answer, ``n_iter`` the number of updates, ``converged`` whether the stopping
    rule was met, ``history`` the iterates as an array of shape (n_iter + 1, d) (for
    :func:`sgd`: one row per epoch)."""

    x: FloatArray
    n_iter: int
    converged: bool
    history: FloatArray


def _norm(g: FloatArray) -> float:
    """||g||_2 (inf, silently, if it overflows)."""
    with np.errstate(over="ignore"):
        return float(np.linalg.norm(g))


def _start(x0: ArrayLike) -> FloatArray:
    x = check.array(x0, "x0", ndim=(0, 1))
    if x.size == 0:
        raise InvalidArgumentValue("x0 must have at least one entry, got an empty array")
    start: FloatArray = np.atleast_1d(x).copy()
    return start


def _result(x: FloatArray, history: list[FloatArray], converged: bool) -> OptimizeResult:
    return OptimizeResult(x, len(history) - 1, converged, np.array(history))


def _diverged(method: str, iteration: int, stacklevel: int = 4) -> None:
    warnings.warn(f"{method} produced a non-finite iterate or gradient at iteration "
                  f"{iteration}; reduce the step size", ConvergenceWarning, stacklevel=stacklevel)


def _not_converged(method: str, max_iter: int) -> None:
    warnings.warn(f"{method} did not converge in {max_iter} iterations", ConvergenceWarning,
                  stacklevel=4)


def _step_rule(step: Any, name: str = "step") -> Callable[[int], float]:
    if callable(step):
        return lambda k: check.real(step(k), f"the value returned by {name}", positive=True)
    value = check.real(step, name, positive=True)
    return lambda k: value


def gradient_descent(grad: VectorFunction, x0: ArrayLike, *, step: float, tol: float = 1e-8,
                     max_iter: int = 10_000,
                     f: Callable[[FloatArray], float] | None = None) -> OptimizeResult:
    """Minimise f by gradient descent x_{k+1} = x_k - eta_k grad f(x_k).

    Without ``f``, eta_k = ``step`` for every k. With ``f``, eta_k is found by backtracking
    from ``step``: halve until the Armijo condition
    f(x_k - eta g_k) <= f(x_k) - 1e-4 eta ||g_k||^2 holds (if 50 halvings fail, f is flat to
    working precision: the run stops with ``converged=False``). Stops when
    ||grad f(x_k)||_2 <= tol.
    """
    check.callable_(grad, "grad")
    eta = check.real(step, "step", positive=True)

    def update(x: FloatArray, g: FloatArray, k: int) -> FloatArray | None:
        size = eta if f is None else _backtrack(f, x, g, eta)
        if size is None:
            warnings.warn(f"gradient descent: no step decreases f at iteration {k} (f is flat "
                          f"to working precision); tol={tol} may be too small",
                          ConvergenceWarning, stacklevel=4)
            return None
        return x - size * g

    return _iterate(grad, x0, update, tol, max_iter, "gradient descent")


def _iterate(grad: VectorFunction, x0: ArrayLike,
             update: Callable[[FloatArray, FloatArray, int], FloatArray | None], tol: float,
             max_iter: int, method: str) -> OptimizeResult:
    """x_{k+1} = update(x_k, grad(x_k), k) until ||grad(x_k)||_2 <= tol (None: give up)."""
    tolerance, limit = check.real(tol, "tol", positive=True), check.integer(max_iter, "max_iter")
    x = _start(x0)
    history = [x]
    for k in range(limit + 1):
        g = check.output(grad(x), "grad", x.shape)
        if not np.isfinite(g).all():
            _diverged(method, k)
            return _result(x, history, False)
        if _norm(g) <= tolerance:
            return _result(x, history, True)
        following = update(x, g, k) if k < limit else None
        if following is None:
            break
        x = following
        history.append(x)
    if len(history) == limit + 1:
        _not_converged(method, limit)
    return _result(x, history, False)


def _backtrack(f: Callable[[FloatArray], float], x: FloatArray, g: FloatArray,
               eta: float) -> float | None:
    """The first eta / 2^j with f(x - eta g) <= f(x) - 1e-4 eta ||g||^2 (j < 50), or None."""
    fx, gg = float(f(x)), float(g @ g)
    for _ in range(50):
        if float(f(x - eta * g)) <= fx - 1e-4 * eta * gg:
            return eta
        eta *= 0.5
    return None


def newton(grad: VectorFunction, hess: Callable[[FloatArray], ArrayLike], x0: ArrayLike, *,
           step: float = 1.0, damping: float = 0.0, tol: float = 1e-10,
           max_iter: int = 100) -> OptimizeResult:
    """Minimise f by (damped) Newton steps, Levenberg-Marquardt style:

    x_{k+1} = x_k - step (H(x_k) + damping I)^{-1} grad f(x_k).

    damping = lambda > 0 makes H + lambda I positive definite where H is not, so the step is
    a descent direction. Stops when ||grad f(x_k)||_2 <= tol. Raises
    :class:`~numeric.SingularMatrixError` if H + lambda I is singular at an iterate.
    """
    check.callable_(grad, "grad")
    check.callable_(hess, "hess")
    eta = check.real(step, "step", positive=True)
    lam = check.real(damping, "damping", nonnegative=True)

    def update(x: FloatArray, g: FloatArray, k: int) -> FloatArray:
        return x - eta * _newton_step(hess, x, g, lam, k)

    return _iterate(grad, x0, update, tol, max_iter, "Newton's method")


def _newton_step(hess: Callable[[FloatArray], ArrayLike], x: FloatArray, g: FloatArray,
                 damping: float, k: int) -> FloatArray:
    H = check.output(hess(x), "hess", (x.size, x.size)) + damping * np.eye(x.size)
    if not np.isfinite(H).all():
        return np.full_like(x, np.nan)
    try:
        if np.linalg.cond(H) * np.finfo(float).eps < 1.0:
            return np.asarray(np.linalg.solve(H, g), dtype=np.float64)
    except np.linalg.LinAlgError:
        pass
    raise SingularMatrixError(f"hess must give a non-singular H + damping I, got a singular "
                              f"matrix at iteration {k} (x = {x}, damping = {damping}); "
                              f"increase damping")


def sgd(grad_batch: Callable[[FloatArray, np.ndarray], ArrayLike], x0: ArrayLike,
        n_samples: int, *, batch_size: int, step: StepSize, epochs: int,
        seed: int | np.random.SeedSequence | np.random.Generator) -> OptimizeResult:
    """Minibatch stochastic gradient descent on f(x) = (1/N) sum_i f_i(x).

    Each epoch shuffles 0..N-1 with ``np.random.default_rng(seed)`` and visits it in
    minibatches B of ``batch_size`` indices (the last may be smaller):
    x <- x - eta_t grad_batch(x, B), where grad_batch(x, B) should return the minibatch
    gradient (1/|B|) sum_{i in B} grad f_i(x) and eta_t is ``step`` or ``step(t)`` for the
    t-th update (t = 0, 1, ...). ``history`` holds x0 and the iterate after each epoch;
    ``n_iter`` counts updates. There is no stopping rule: ``converged`` means only that all
    epochs ran with finite iterates.
    """
    check.callable_(grad_batch, "grad_batch")
    n = check.integer(n_samples, "n_samples")
    size, rounds = check.integer(batch_size, "batch_size"), check.integer(epochs, "epochs")
    eta, rng = _step_rule(step), np.random.default_rng(check.seed(seed))
    x, t = _start(x0), 0
    history = [x]
    for _ in range(rounds):
        order = rng.permutation(n)
        for start in range(0, n, size):
            x = x - eta(t) * check.output(grad_batch(x, order[start:start + size]),
                                          "grad_batch", x.shape)
            t += 1
        history.append(x)
        if not np.isfinite(x).all():
            _diverged("SGD", t, stacklevel=3)
            return OptimizeResult(x, t, False, np.array(history))
    return OptimizeResult(x, t, True, np.array(history))


def subgradient_descent(subgrad: VectorFunction, x0: ArrayLike, *, step: StepSize = 1.0,
                        max_iter: int = 1000,
                        f: Callable[[FloatArray], float] | None = None) -> OptimizeResult:
    """Minimise a convex, possibly non-differentiable f by the subgradient method

    x_{k+1} = x_k - eta_k g_k,   g_k in the subdifferential of f at x_k,

    with diminishing steps eta_k = step / sqrt(k + 1) (or eta_k = step(k) if ``step`` is
    callable). It is not a descent method: f(x_k) need not decrease, so with ``f`` the result
    is the best iterate seen, min_k f(x_k), which converges to min f at rate O(log k / sqrt k)
    for Lipschitz f; without ``f`` it is the last iterate. ``converged`` is True only if a
    zero subgradient certified optimality; otherwise the whole budget ``max_iter`` is used.
    """
    check.callable_(subgrad, "subgrad")
    eta = (_step_rule(step) if callable(step)
           else _diminishing(check.real(step, "step", positive=True)))
    limit = check.integer(max_iter, "max_iter")
    x = _start(x0)
    history, best = [x], _Best(f)
    for k in range(limit):
        g = check.output(subgrad(x), "subgrad", x.shape)
        best.offer(x)
        if not np.isfinite(g).all():
            _diverged("the subgradient method", k, stacklevel=3)
            return _result(best.pick(x), history, False)
        if not g.any():
            return _result(x, history, True)
        x = x - eta(k) * g
        history.append(x)
    best.offer(x)
    return _result(best.pick(x), history, False)


class _Best:
    """The iterate with the smallest f seen so far."""

    def __init__(self, f: Callable[[FloatArray], float] | None) -> None:
        self.f, self.value = f, math.inf
        self.x: FloatArray | None = None

    def offer(self, x: FloatArray) -> None:
        if self.f is not None and (value := float(self.f(x))) < self.value:
            self.x, self.value = x, value

    def pick(self, last: FloatArray) -> FloatArray:
        """The best iterate, or ``last`` when there is no f (or f was never finite)."""
        return last if self.x is None else self.x


def _diminishing(scale: float) -> Callable[[int], float]:
    return lambda k: scale / math.sqrt(k + 1)
