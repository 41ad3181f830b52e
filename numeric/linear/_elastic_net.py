"""The elastic net (and the lasso, its l1_ratio = 1 case) by coordinate descent, with a
duality-gap stopping rule."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.linalg
from numpy.typing import ArrayLike

from numeric import _validation as check
from numeric._errors import ConvergenceWarning, InvalidArgumentValue
from numeric._validation import FloatArray
from numeric.linear._least_squares import ridge
from numeric.linear._model import LinearModel, _center, _design, _model
from numeric.linear._net_dual import _solve_dual_newton
from numeric.linear._penalty import _duality_gap, _Penalty


def elastic_net(X: ArrayLike, y: ArrayLike, alpha: float, l1_ratio: float, *,
                fit_intercept: bool = True, tol: float = 1e-12,
                max_iter: int = 10_000) -> LinearModel:
    """Minimise P(w) = 1/2 ||y - X w - b||^2 + alpha (rho ||w||_1 + (1 - rho)/2 ||w||^2),
    rho = ``l1_ratio`` in [0, 1], b unpenalised, by cyclic coordinate descent:

    w_j <- S(c_j, alpha rho) / (||x_j||^2 + alpha (1 - rho)),   c_j = x_j^T (r + x_j w_j),
    S(c, t) = sign(c) max(|c| - t, 0),

    with r = y - X w the residual of the centred problem. rho = 1 is :func:`lasso`; rho = 0
    is :func:`ridge` with the same alpha (solved directly). Scikit-learn's ``ElasticNet``
    minimises the same function divided by n: its ``alpha`` is this alpha / n.

    The elastic net is the lasso of the augmented data X~ = [X; sqrt(l2) I], y~ = [y; 0]
    (l2 = alpha (1 - rho)); the stopping rule is that lasso's duality gap: with
    r~ = (r, -sqrt(l2) w), theta = s r~, s = min(1, alpha rho / ||X^T r - l2 w||_inf),
    D(theta) = y^T r s - s^2 ||r~||^2 / 2, stop when P(w) - D <= tol * P(0), where D is the
    larger of D(theta) and the conjugate dual y^T r - ||r||^2 / 2 - ||S(X^T r, l1)||^2 / (2 l2)
    (both bound min P from below; the second stays exact when l1 is tiny beside l2).
    With fewer samples than features (n < d) and rho < 1, the solver is instead Newton's
    method on that conjugate dual, a strongly concave function of theta in R^n, with the
    same stopping rule; ``n_iter`` then counts Newton iterations (see ``_net_dual``).
    ``alpha`` must be positive (alpha = 0 is :func:`least_squares`). If ``max_iter`` sweeps
    (iterations) do not reach the tolerance a :class:`~numeric.ConvergenceWarning` is issued
    and ``converged`` is False.
    """
    positive = check.real(alpha, "alpha", positive=True)
    ratio = check.real(l1_ratio, "l1_ratio", nonnegative=True)
    if ratio > 1.0:
        raise InvalidArgumentValue(f"l1_ratio must be in [0, 1], got {ratio}")
    if ratio == 0.0:
        check.real(tol, "tol", positive=True)
        check.integer(max_iter, "max_iter")
        return ridge(X, y, positive, fit_intercept=fit_intercept)
    penalty = _Penalty(positive * ratio, positive * (1.0 - ratio))
    return _coordinate_descent(X, y, penalty, fit_intercept, tol, max_iter, "elastic_net")


def lasso(X: ArrayLike, y: ArrayLike, alpha: float, *, fit_intercept: bool = True,
          tol: float = 1e-12, max_iter: int = 10_000) -> LinearModel:
    """Minimise P(w) = 1/2 ||y - X w - b||^2 + alpha ||w||_1 (b unpenalised) by cyclic
    coordinate descent with soft thresholding:

    w_j <- S(rho_j, alpha) / ||x_j||^2,   rho_j = x_j^T (r + x_j w_j),
    S(rho, alpha) = sign(rho) max(|rho| - alpha, 0),

    where r = y - X w is the residual of the centred problem: :func:`elastic_net` with
    ``l1_ratio=1``. When n >= d the sweep works on the Gram matrix X^T X (cost O(d^2) per
    sweep); otherwise on the Gram matrix of a working set of columns, grown until every
    column outside it satisfies its optimality condition (see :func:`_solve_working_set`).
    Columns of zero norm keep w_j = 0.

    Stops when the duality gap P(w) - D(theta) <= tol * P(0), with the dual point
    theta = s r, s = min(1, alpha / ||X^T r||_inf) and D(theta) = y^T theta - ||theta||^2 / 2;
    the gap bounds the suboptimality P(w) - min P. ``alpha`` must be positive (alpha = 0 is
    :func:`least_squares`). ``n_iter`` counts sweeps; if ``max_iter`` sweeps do not reach the
    tolerance a :class:`~numeric.ConvergenceWarning` is issued and ``converged`` is False.
    """
    penalty = _Penalty(check.real(alpha, "alpha", positive=True), 0.0)
    return _coordinate_descent(X, y, penalty, fit_intercept, tol, max_iter, "lasso")


def _coordinate_descent(X: ArrayLike, y: ArrayLike, penalty: _Penalty, fit_intercept: bool,
                        tol: float, max_iter: int, name: str) -> LinearModel:
    features, target = _design(X, y)
    tolerance = check.real(tol, "tol", positive=True)
    sweeps = check.integer(max_iter, "max_iter")
    Xc, yc, x_mean, y_mean = _center(features, target, fit_intercept)
    solver = (_solve_gram if Xc.shape[0] >= Xc.shape[1]
              else _solve_dual_newton if penalty.l2 > 0.0 else _solve_working_set)
    w, n_iter, converged, objective = solver(Xc, yc, penalty, tolerance, sweeps)
    if not converged:
        warnings.warn(f"{name} did not reach tol={tol} in {sweeps} sweeps", ConvergenceWarning,
                      stacklevel=3)
    return _model(w, x_mean, y_mean, objective, n_iter, converged)


def _soft_threshold(rho: float, alpha: float) -> float:
    """S(rho, alpha) = sign(rho) max(|rho| - alpha, 0), on Python floats (called per
    coordinate: no NumPy scalars)."""
    return rho - alpha if rho > alpha else rho + alpha if rho < -alpha else 0.0


def _solve_gram(X: FloatArray, y: FloatArray, penalty: _Penalty, tol: float,
                max_iter: int) -> tuple[FloatArray, int, bool, float]:
    w = np.zeros(X.shape[1])
    sweeps, converged, primal = _gram_descent(X.T @ X, X.T @ y, float(y @ y), w, penalty,
                                              tol, max_iter)
    return w, sweeps, converged, primal


def _gram_descent(gram: FloatArray, xty: FloatArray, yy: float, w: FloatArray,
                  penalty: _Penalty, tol: float, max_iter: int) -> tuple[int, bool, float]:
    """Coordinate descent on the Gram matrix from ``w`` (updated in place), with a jump
    (:func:`_polish`) after each sweep that left the signs unchanged; stops when the duality
    gap is <= tol ||y||^2 / 2. Returns (sweeps, converged, primal)."""
    xtr = xty - gram @ w  # X^T r = X^T y - G w
    for sweep in range(1, max_iter + 1):
        support = np.sign(w)
        _sweep_gram(gram, w, xtr, penalty)
        if np.array_equal(support, np.sign(w)):
            _polish(gram, xty, w, xtr, penalty)
        yr = yy - float(w @ xty)
        gap, primal = _duality_gap(yr, yr - float(w @ xtr), xtr, w, penalty)
        if gap <= tol * 0.5 * yy:
            return sweep, True, primal
    return max_iter, False, primal


def _polish(gram: FloatArray, xty: FloatArray, w: FloatArray, xtr: FloatArray,
            penalty: _Penalty) -> None:
    """Jump towards the minimiser on the current signs, when a sweep left them unchanged.

    With the active set A and signs s fixed, P is a quadratic whose minimiser solves
    (G_AA + l2 I) w_A = X_A^T y - l1 s.  On the segment from w_A to it, P equals that
    quadratic as long as the signs hold, and decreases: the jump goes to the minimiser, or to
    the first coordinate that reaches zero (which then leaves the active set).  It is taken
    (w and xtr updated in place) only when it lowers P; the duality gap still decides
    convergence, so the jump can only shorten the descent, never change where it stops.
    """
    active = np.flatnonzero(w)
    if active.size == 0:
        return
    signs = np.sign(w[active])
    target = _sign_fixed_minimiser(gram, xty, active, signs, penalty)
    if target is None:  # (nearly) dependent active columns: the lasso drops some first
        if penalty.l2 == 0.0:
            _drop_dependent_columns(gram, xty, w, xtr, penalty)
            active = np.flatnonzero(w)
            signs = np.sign(w[active])
        target = _solve(gram[np.ix_(active, active)] + penalty.l2 * np.eye(active.size),
                        xty[active] - penalty.l1 * signs)
    if target is None:
        return
    candidate = np.zeros_like(w)
    candidate[active] = _within_orthant(w[active], target, signs)
    candidate_xtr = xty - gram[:, active] @ candidate[active]
    if _objective(candidate, candidate_xtr, xty, penalty) < _objective(w, xtr, xty, penalty):
        w[:] = candidate
        xtr[:] = candidate_xtr


def _sign_fixed_minimiser(gram: FloatArray, xty: FloatArray, active: np.ndarray,
                          signs: FloatArray, penalty: _Penalty) -> FloatArray | None:
    """The solution of (G_AA + l2 I) w_A = X_A^T y - l1 s by Cholesky, or None when the
    factorisation fails or a pivot^2 is below 1e-10 of the largest diagonal entry (the active
    columns are, to rounding, linearly dependent)."""
    system = gram[np.ix_(active, active)] + penalty.l2 * np.eye(active.size)
    try:
        factor = scipy.linalg.cho_factor(system, lower=True, check_finite=False)
    except np.linalg.LinAlgError:
        return None
    pivots = np.diag(factor[0])
    if float((pivots * pivots).min()) <= 1e-10 * float(np.diag(system).max()):
        return None
    solution: FloatArray = scipy.linalg.cho_solve(factor, xty[active] - penalty.l1 * signs,
                                                  check_finite=False)
    return solution


def _solve(system: FloatArray, rhs: FloatArray) -> FloatArray | None:
    """system^{-1} rhs, or None if ``system`` is singular."""
    try:
        return np.asarray(np.linalg.solve(system, rhs), dtype=np.float64)
    except np.linalg.LinAlgError:
        return None


def _drop_dependent_columns(gram: FloatArray, xty: FloatArray, w: FloatArray, xtr: FloatArray,
                            penalty: _Penalty) -> None:
    """The lasso with linearly dependent active columns (n < d): move w_A along v, the
    projection of the signs s onto the null space of G_AA, until a coordinate reaches zero.

    X_A v = 0, so the residual does not change while ||w||_1 falls by t s^T v = t ||v||^2:
    P decreases, and each move removes a column from the active set. Repeated until G_AA is
    non-singular (the null space, found once, loses a dimension per move); a move that would
    not lower P (rounding) is not taken.
    """
    active = np.flatnonzero(w)
    if active.size == 0:
        return
    values, vectors = np.linalg.eigh(gram[np.ix_(active, active)])
    null = vectors[:, values <= 1e-10 * max(float(values[-1]), 0.0)]
    while null.shape[1] > 0:
        direction = null @ (null.T @ np.sign(w[active]))
        steps = np.divide(w[active], direction, out=np.full(active.size, np.inf),
                          where=direction != 0)
        steps[steps <= 0] = np.inf
        if not np.isfinite(steps).any():
            return
        first = int(np.argmin(steps))
        candidate = w.copy()
        candidate[active] -= steps[first] * direction
        candidate[active[first]] = 0.0
        candidate_xtr = xty - gram[:, active] @ candidate[active]
        if _objective(candidate, candidate_xtr, xty, penalty) >= _objective(w, xtr, xty,
                                                                             penalty):
            return
        w[:], xtr[:] = candidate, candidate_xtr
        null, active = _null_space_without(null, first), np.delete(active, first)


def _null_space_without(null: FloatArray, k: int) -> FloatArray:
    """An orthonormal basis of {v in span(null) : v_k = 0}, with entry k removed."""
    rotation, _ = np.linalg.qr(null[k][:, None], mode="complete")  # first column ~ null[k]
    kept: FloatArray = np.delete(null @ rotation[:, 1:], k, axis=0)
    return kept


def _within_orthant(current: FloatArray, target: FloatArray, signs: FloatArray) -> FloatArray:
    """The point of the segment current -> target farthest along it that keeps ``signs``."""
    flipped = np.sign(target) != signs
    if not flipped.any():
        return target
    fractions = current[flipped] / (current[flipped] - target[flipped])
    first = int(np.argmin(fractions))
    point = current + float(fractions[first]) * (target - current)
    point[np.flatnonzero(flipped)[first]] = 0.0
    return point


def _objective(w: FloatArray, xtr: FloatArray, xty: FloatArray, penalty: _Penalty) -> float:
    """P(w) less the constant ||y||^2 / 2, using ||r||^2 - ||y||^2 = -w^T X^T y - w^T X^T r."""
    return (-0.5 * float(w @ xty + w @ xtr) + 0.5 * penalty.l2 * float(w @ w)
            + penalty.l1 * float(np.abs(w).sum()))


def _sweep_gram(gram: FloatArray, w: FloatArray, xtr: FloatArray, penalty: _Penalty) -> None:
    """One cyclic pass of coordinate descent, keeping xtr = X^T y - G w up to date, over the
    coordinates that can move: w_j != 0, or w_j = 0 with |x_j^T r| > l1 when the pass starts
    (any other w_j = 0 would stay 0). The duality gap, over every coordinate, still decides
    convergence."""
    diagonal = np.diag(gram)
    movable = np.flatnonzero(((w != 0.0) | (np.abs(xtr) > penalty.l1)) & (diagonal > 0.0))
    for j, g_jj in zip(movable.tolist(), diagonal[movable].tolist(), strict=True):
        old = float(w[j])
        new = _soft_threshold(float(xtr[j]) + g_jj * old, penalty.l1) / (g_jj + penalty.l2)
        if new != old:
            xtr -= gram[j] * (new - old)
            w[j] = new


def _solve_working_set(X: FloatArray, y: FloatArray, penalty: _Penalty, tol: float,
                       max_iter: int) -> tuple[FloatArray, int, bool, float]:
    """For n < d: coordinate descent (:func:`_gram_descent`) on a working set W of columns,
    grown until no column outside it violates its optimality condition |x_j^T r| <= l1.

    W starts with the columns most correlated with y; each solve on W stops at 0.3 times the
    whole problem's duality gap before it, or at tol once W has stopped growing (its Gram
    matrix is then reused); after it, the duality gap of the whole problem (one product
    X^T r) decides convergence, and the columns outside W with the largest violations join
    it (W at most doubles). When no column outside W has |x_j^T r| > l1, the gap on W is the
    gap of the whole problem.
    """
    w, yy, xtr = np.zeros(X.shape[1]), float(y @ y), X.T @ y
    working = _grow(np.zeros(X.shape[1], dtype=bool), xtr, penalty,
                    min(X.shape[1], _FIRST_WORKING_SET))
    sweeps, gap, stalled = 0, _duality_gap(yy, yy, xtr, w, penalty)[0], False
    while True:
        inner = tol
        if not stalled:  # W is new: its Gram matrix anew, its problem solved loosely
            columns = np.flatnonzero(working)
            part = X[:, columns]
            gram, part_y = part.T @ part, part.T @ y
            inner = max(tol, _INNER_FRACTION * gap / (0.5 * yy))
        local = w[columns]
        used, converged, _ = _gram_descent(gram, part_y, yy, local, penalty, inner,
                                           max_iter - sweeps)
        sweeps += used
        w[columns] = local
        r = y - part @ local
        xtr = X.T @ r
        gap, primal = _duality_gap(float(y @ r), float(r @ r), xtr, w, penalty)
        grown = _grow(working, xtr, penalty, min(X.shape[1], 2 * columns.size))
        settled = np.array_equal(grown, working) and inner == tol  # W's gap is the gap
        if gap <= tol * 0.5 * yy or not converged or sweeps >= max_iter or settled:
            return w, sweeps, converged and gap <= 2 * tol * 0.5 * yy, primal
        stalled, working = np.array_equal(grown, working), grown


# The first working set of the n < d solver: the columns most correlated with y. Each
# solve on W stops at this fraction of the whole problem's duality gap before it (and at
# tol once W stops growing).
_FIRST_WORKING_SET, _INNER_FRACTION = 100, 0.3


def _grow(working: np.ndarray, xtr: FloatArray, penalty: _Penalty, size: int) -> np.ndarray:
    """``working`` with the columns outside it that violate |x_j^T r| <= l1 (w_j = 0 there),
    largest violation first, added up to ``size`` columns in all (at least one if any
    violates; all of the first ``size`` by |x_j^T r| when ``working`` is empty)."""
    outside = np.flatnonzero(~working)
    score = np.abs(xtr[outside])
    if working.any():
        outside, score = outside[score > penalty.l1], score[score > penalty.l1]
    room = max(1, size - int(working.sum()))
    grown: np.ndarray = working.copy()
    grown[outside[np.argsort(-score, kind="stable")[:room]]] = True
    return grown
