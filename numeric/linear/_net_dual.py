"""The elastic net with more features than samples, by Newton's method on its dual."""

from __future__ import annotations

import numpy as np
import scipy.linalg
from scipy.linalg.blas import dsyrk

from numeric._validation import FloatArray
from numeric.linear._penalty import _duality_gap, _Penalty


def _solve_dual_newton(X: FloatArray, y: FloatArray, penalty: _Penalty, tol: float,
                       max_iter: int) -> tuple[FloatArray, int, bool, float]:
    """For l2 > 0 (meant for n < d): maximise the dual of the elastic net over theta in R^n,

    D(theta) = y^T theta - ||theta||^2 / 2 - sum_j S(x_j^T theta, l1)^2 / (2 l2),

    strongly concave, with the piecewise-linear gradient y - theta - X w(theta), where
    w_j(theta) = S(x_j^T theta, l1) / l2 (S the soft threshold). At the maximiser theta*,
    w(theta*) minimises P and theta* is its residual. Newton's method: on the columns
    A = {j : |x_j^T theta| > l1} the Hessian is -(I + X_A X_A^T / l2), the step is halved until
    it gains at least 1e-4 of its predicted ascent (Armijo), which makes it converge from
    any start; the step is exact once A is the final active set (D is quadratic there).
    Each iteration costs O(n d + n |A| min(n, |A|)); ``max_iter`` bounds the iterations.
    It starts from the best multiple of y (:func:`_best_scale`), which activates fewer
    columns than y itself (theta = y is w = 0's residual).

    Convergence is decided, as for coordinate descent, by the duality gap of the primal
    point w(theta) (see :func:`elastic_net`). Returns (w, iterations, converged, P(w)).
    """
    u, yy = X.T @ y, float(y @ y)
    scale = _best_scale(u, yy, penalty)
    theta, u = scale * y, scale * u
    for iteration in range(1, max_iter + 1):
        active, w = _primal_point(u, penalty)
        part = X[:, active]
        r = y - part @ w[active]
        gap, primal = _duality_gap(float(y @ r), float(r @ r), X.T @ r, w, penalty)
        if gap <= tol * 0.5 * yy:
            return w, iteration, True, primal
        direction = _newton_direction(part, r - theta, penalty.l2)
        change = X.T @ direction
        step = _armijo_step(y, theta, u, direction, change, float((r - theta) @ direction),
                            penalty)
        if step == 0.0:  # no ascent left at this precision
            break
        theta += step * direction
        u += step * change
    return w, iteration, False, primal


def _best_scale(u: FloatArray, yy: float, penalty: _Penalty) -> float:
    """The c in [0, 1] that maximises D(c y), with u = X^T y: the root of the derivative
    f(c) = (1 - c) y^T y - sum_j S(c u_j, l1) u_j / l2, which is concave and decreasing in c
    (piecewise linear); Newton's method from c = 1, where f <= 0, decreases monotonically to
    it (each tangent lies above f) and stops once the active set repeats."""
    scale, magnitude, previous = 1.0, np.abs(u), np.zeros(u.size, dtype=bool)
    for _ in range(100):
        active = magnitude * scale > penalty.l1
        if np.array_equal(active, previous):  # f is linear here: scale is its root
            break
        previous = active
        excess = float(((scale * magnitude[active] - penalty.l1) * magnitude[active]).sum())
        slope = (1.0 - scale) * yy - excess / penalty.l2
        curvature = yy + float(magnitude[active] @ magnitude[active]) / penalty.l2
        step = slope / curvature
        if step >= 0.0:
            break
        scale = max(scale + step, 0.0)
    return scale


def _primal_point(u: FloatArray, penalty: _Penalty) -> tuple[np.ndarray, FloatArray]:
    """(A, w(theta)) from u = X^T theta: the columns with |u_j| > l1 and S(u, l1) / l2."""
    active = np.flatnonzero(np.abs(u) > penalty.l1)
    w = np.zeros(u.size)
    w[active] = (u[active] - penalty.l1 * np.sign(u[active])) / penalty.l2
    return active, w


def _newton_direction(part: FloatArray, gradient: FloatArray, l2: float) -> FloatArray:
    """(I + X_A X_A^T / l2)^{-1} g, through the smaller of the two Gram matrices:
    l2 (l2 I + X_A X_A^T)^{-1} g when |A| >= n, else (Woodbury)
    g - X_A (l2 I + X_A^T X_A)^{-1} X_A^T g."""
    n, size = part.shape
    if size >= n:  # X_A X_A^T: dsyrk on the Fortran-ordered transpose, upper triangle
        gram = dsyrk(1.0, part.T, beta=1.0, c=l2 * np.eye(n), trans=1)
        return l2 * _cholesky_solve(gram, gradient)
    gram = dsyrk(1.0, part.T, beta=1.0, c=l2 * np.eye(size), trans=0)
    correction: FloatArray = part @ _cholesky_solve(gram, part.T @ gradient)
    return gradient - correction


def _cholesky_solve(upper: FloatArray, rhs: FloatArray) -> FloatArray:
    """M^{-1} rhs for M symmetric positive definite given by its upper triangle."""
    factor = scipy.linalg.cho_factor(upper, lower=False, overwrite_a=True, check_finite=False)
    solution: FloatArray = scipy.linalg.cho_solve(factor, rhs, check_finite=False)
    return solution


def _dual_value(y: FloatArray, theta: FloatArray, u: FloatArray, penalty: _Penalty) -> float:
    """D(theta) from theta and u = X^T theta."""
    excess = np.maximum(np.abs(u) - penalty.l1, 0.0)
    return float(y @ theta - 0.5 * (theta @ theta) - 0.5 / penalty.l2 * (excess @ excess))


def _armijo_step(y: FloatArray, theta: FloatArray, u: FloatArray, direction: FloatArray,
                 change: FloatArray, slope: float, penalty: _Penalty) -> float:
    """The first t in 1, 1/2, 1/4, ... (down to 2^-50) with D(theta + t d) >= D(theta)
    + 1e-4 t g^T d, each trial O(n + d) since X^T (theta + t d) = u + t X^T d; 0 if none."""
    start = _dual_value(y, theta, u, penalty)
    step = 1.0
    for _ in range(51):
        trial = _dual_value(y, theta + step * direction, u + step * change, penalty)
        if trial >= start + 1e-4 * step * slope:
            return step
        step *= 0.5
    return 0.0
