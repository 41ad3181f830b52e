"""Ordinary least squares and ridge regression."""

from __future__ import annotations

import numpy as np
import scipy.linalg
from numpy.typing import ArrayLike

from numeric import _validation as check
from numeric._errors import SingularMatrixError
from numeric._validation import FloatArray
from numeric.linear._model import _EPS, LinearModel, _center, _design, _model


def least_squares(X: ArrayLike, y: ArrayLike, *, fit_intercept: bool = True,
                  min_norm: bool = False) -> LinearModel:
    """Minimise 1/2 ||y - X w - b||^2 by an SVD-based least-squares solve (LAPACK gelsd).

    If X (centred, with an intercept) has rank < d the minimiser is not unique: a
    :class:`~numeric.SingularMatrixError` is raised, unless ``min_norm=True``, which returns
    the minimum-norm minimiser w = X^+ y. Singular values below eps * max(n, d) * s_max
    count as zero.
    """
    features, target = _design(X, y)
    Xc, yc, x_mean, y_mean = _center(features, target, fit_intercept)
    solution, _, rank, _ = np.linalg.lstsq(Xc, yc, rcond=None)
    w = np.asarray(solution, dtype=np.float64)
    if rank < Xc.shape[1] and not min_norm:
        raise SingularMatrixError(
            f"X must have full column rank {Xc.shape[1]}{' after centring' * fit_intercept}, "
            f"got rank {rank}; the least-squares solution is not unique "
            f"(pass min_norm=True for the minimum-norm one)")
    residual = yc - Xc @ w
    return _model(w, x_mean, y_mean, 0.5 * float(residual @ residual))


def ridge(X: ArrayLike, y: ArrayLike, alpha: float, *,
          fit_intercept: bool = True) -> LinearModel:
    """Minimise 1/2 ||y - X w - b||^2 + (alpha / 2) ||w||^2 (b unpenalised).

    Centring removes b; then w solves the normal equations (X^T X + alpha I) w = X^T y,
    by Cholesky on the d x d system when n >= d, or via the dual
    w = X^T (X X^T + alpha I)^{-1} y on the n x n system when n < d. Raises
    :class:`~numeric.SingularMatrixError` when the system is singular (alpha = 0 with
    rank-deficient X).
    """
    features, target = _design(X, y)
    penalty = check.real(alpha, "alpha", nonnegative=True)
    Xc, yc, x_mean, y_mean = _center(features, target, fit_intercept)
    if Xc.shape[0] >= Xc.shape[1]:
        w = _cholesky_solve(Xc.T @ Xc, Xc.T @ yc, penalty, "X^T X + alpha I")
    else:
        w = Xc.T @ _cholesky_solve(Xc @ Xc.T, yc, penalty, "X X^T + alpha I")
    residual = yc - Xc @ w
    objective = 0.5 * float(residual @ residual) + 0.5 * penalty * float(w @ w)
    return _model(w, x_mean, y_mean, objective)


def _cholesky_solve(gram: FloatArray, rhs: FloatArray, alpha: float, what: str) -> FloatArray:
    """Solve (gram + alpha I) x = rhs by Cholesky; gram is overwritten."""
    gram.flat[:: gram.shape[0] + 1] += alpha
    try:
        factor = scipy.linalg.cho_factor(gram, lower=True, overwrite_a=True, check_finite=False)
    except np.linalg.LinAlgError:
        factor = None
    if factor is None or _ill_conditioned(np.diag(factor[0])):
        raise SingularMatrixError(
            f"X must give a non-singular {what} (with alpha={alpha}); X is rank-deficient"
            f"{' after centring' if alpha == 0 else ''}: use alpha > 0 or "
            f"least_squares(..., min_norm=True)")
    solution: FloatArray = scipy.linalg.cho_solve(factor, rhs, check_finite=False)
    return solution


def _ill_conditioned(cholesky_diagonal: FloatArray) -> bool:
    """True if the factored matrix is singular to working precision (cond > 1 / (d eps))."""
    low, high = np.min(cholesky_diagonal) ** 2, np.max(cholesky_diagonal) ** 2
    return bool(low <= cholesky_diagonal.size * _EPS * high)


# ---------------------------------------------------------------- lasso
