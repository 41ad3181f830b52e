"""The lasso by coordinate descent, with a duality-gap stopping rule."""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike

from numeric import _validation as check
from numeric._errors import ConvergenceWarning
from numeric._validation import FloatArray
from numeric.linear._model import LinearModel, _center, _design, _model


def lasso(X: ArrayLike, y: ArrayLike, alpha: float, *, fit_intercept: bool = True,
          tol: float = 1e-12, max_iter: int = 10_000) -> LinearModel:
    """Minimise P(w) = 1/2 ||y - X w - b||^2 + alpha ||w||_1 (b unpenalised) by cyclic
    coordinate descent with soft thresholding:

    w_j <- S(rho_j, alpha) / ||x_j||^2,   rho_j = x_j^T (r + x_j w_j),
    S(rho, alpha) = sign(rho) max(|rho| - alpha, 0),

    where r = y - X w is the residual of the centred problem. When n >= d the sweep works
    on the Gram matrix X^T X (cost O(d^2) per sweep); otherwise on the residual, with the
    columns of X stored contiguously. Columns of zero norm keep w_j = 0.

    Stops when the duality gap P(w) - D(theta) <= tol * P(0), with the dual point
    theta = s r, s = min(1, alpha / ||X^T r||_inf) and D(theta) = y^T theta - ||theta||^2 / 2;
    the gap bounds the suboptimality P(w) - min P. ``alpha`` must be positive (alpha = 0 is
    :func:`least_squares`). ``n_iter`` counts sweeps; if ``max_iter`` sweeps do not reach the
    tolerance a :class:`~numeric.ConvergenceWarning` is issued and ``converged`` is False.
    """
    features, target = _design(X, y)
    penalty = check.real(alpha, "alpha", positive=True)
    tolerance = check.real(tol, "tol", positive=True)
    sweeps = check.integer(max_iter, "max_iter")
    Xc, yc, x_mean, y_mean = _center(features, target, fit_intercept)
    solver = _lasso_gram if Xc.shape[0] >= Xc.shape[1] else _lasso_residual
    w, n_iter, converged, objective = solver(Xc, yc, penalty, tolerance, sweeps)
    if not converged:
        warnings.warn(f"lasso did not reach tol={tol} in {sweeps} sweeps", ConvergenceWarning,
                      stacklevel=2)
    return _model(w, x_mean, y_mean, objective, n_iter, converged)


def _soft_threshold(rho: float, alpha: float) -> float:
    return float(np.sign(rho)) * max(abs(rho) - alpha, 0.0)


def _duality_gap(yy: float, yr: float, rr: float, xtr: FloatArray, w: FloatArray,
                 alpha: float) -> tuple[float, float]:
    """(gap, primal) from y^T y, y^T r, r^T r, X^T r and w; see :func:`lasso`."""
    primal = 0.5 * rr + alpha * float(np.abs(w).sum())
    largest = float(np.abs(xtr).max())
    s = 1.0 if largest <= alpha else alpha / largest
    return primal - (s * yr - 0.5 * s * s * rr), primal


def _lasso_gram(X: FloatArray, y: FloatArray, alpha: float, tol: float,
                max_iter: int) -> tuple[FloatArray, int, bool, float]:
    gram, xty, yy = X.T @ X, X.T @ y, float(y @ y)
    w, xtr = np.zeros(X.shape[1]), xty.copy()  # xtr = X^T r = X^T y - G w
    for sweep in range(1, max_iter + 1):
        _sweep_gram(gram, w, xtr, alpha)
        yr = yy - float(w @ xty)
        gap, primal = _duality_gap(yy, yr, yr - float(w @ xtr), xtr, w, alpha)
        if gap <= tol * 0.5 * yy:
            return w, sweep, True, primal
    return w, max_iter, False, primal


def _sweep_gram(gram: FloatArray, w: FloatArray, xtr: FloatArray, alpha: float) -> None:
    """One cyclic pass of coordinate descent, keeping xtr = X^T y - G w up to date."""
    for j, g_jj in enumerate(np.diag(gram).tolist()):
        if g_jj == 0.0:
            continue
        old = float(w[j])
        new = _soft_threshold(float(xtr[j]) + g_jj * old, alpha) / g_jj
        if new != old:
            xtr -= gram[j] * (new - old)
            w[j] = new


def _lasso_residual(X: FloatArray, y: FloatArray, alpha: float, tol: float,
                    max_iter: int) -> tuple[FloatArray, int, bool, float]:
    columns = np.asfortranarray(X)
    norms, yy = np.einsum("ij,ij->j", X, X), float(y @ y)
    w, r = np.zeros(X.shape[1]), y.copy()
    for sweep in range(1, max_iter + 1):
        _sweep_residual(columns, norms, w, r, alpha)
        gap, primal = _duality_gap(yy, float(y @ r), float(r @ r), X.T @ r, w, alpha)
        if gap <= tol * 0.5 * yy:
            return w, sweep, True, primal
    return w, max_iter, False, primal


def _sweep_residual(X: FloatArray, norms: FloatArray, w: FloatArray, r: FloatArray,
                    alpha: float) -> None:
    """One cyclic pass of coordinate descent, keeping r = y - X w up to date."""
    for j, norm in enumerate(norms.tolist()):
        if norm == 0.0:
            continue
        column, old = X[:, j], float(w[j])
        new = _soft_threshold(float(column @ r) + norm * old, alpha) / norm
        if new != old:
            r -= column * (new - old)
            w[j] = new


# ---------------------------------------------------------------- logistic regression
#
# Internally theta = (w, b) and A = [X, 1] (or theta = w, A = X without an intercept);
# ``penalty`` holds alpha for each entry of w and 0 for b.
