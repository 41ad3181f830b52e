"""Logistic regression: log-likelihood, gradient, Hessian, and the fit (Newton, gradient ascent,
L-BFGS)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.linalg
from numpy.typing import ArrayLike

from numeric import _validation as check
from numeric._errors import ConvergenceWarning, InvalidArgumentValue, SingularMatrixError
from numeric._validation import FloatArray
from numeric.linear._least_squares import _ill_conditioned
from numeric.linear._model import _EPS, LogisticModel, _design


def logistic_log_likelihood(w: ArrayLike, b: float, X: ArrayLike, y01: ArrayLike,
                            alpha: float) -> float:
    """The penalised log-likelihood of logistic regression, maximised by
    :func:`logistic_regression`:

    l(w, b) = sum_i [y_i log sigma(z_i) + (1 - y_i) log(1 - sigma(z_i))] - (alpha/2) ||w||^2
            = sum_i [y_i z_i + log sigma(-z_i)] - (alpha/2) ||w||^2,   z_i = w^T x_i + b,

    with labels y_i in {0, 1}, computed with a stable log-sigmoid.
    """
    theta, A, labels, penalty = _logistic_arguments(w, b, X, y01, alpha)
    return _Point.at(theta, A, labels, penalty).value


def logistic_gradient(w: ArrayLike, b: float, X: ArrayLike, y01: ArrayLike,
                      alpha: float) -> FloatArray:
    """The gradient of :func:`logistic_log_likelihood` as one vector (dl/dw, dl/db):

    dl/dw = sum_i (y_i - sigma(z_i)) x_i - alpha w,   dl/db = sum_i (y_i - sigma(z_i)).
    """
    theta, A, labels, penalty = _logistic_arguments(w, b, X, y01, alpha)
    return _Point.at(theta, A, labels, penalty).gradient(A, labels, penalty)


def logistic_hessian(w: ArrayLike, b: float, X: ArrayLike, y01: ArrayLike,
                     alpha: float) -> FloatArray:
    """The Hessian of :func:`logistic_log_likelihood` in (w, b), of shape (d + 1, d + 1):

    H = -(A^T S A + alpha diag(1, ..., 1, 0)),   A = [X, 1],
    S = diag(sigma(z_i) sigma(-z_i)),

    negative definite when alpha > 0 or A has full column rank.
    """
    theta, A, labels, penalty = _logistic_arguments(w, b, X, y01, alpha)
    return -_Point.at(theta, A, labels, penalty).negative_hessian(A, penalty)


def _logistic_arguments(w: ArrayLike, b: float, X: ArrayLike, y01: ArrayLike,
                        alpha: float) -> tuple[FloatArray, _Design, FloatArray, FloatArray]:
    features, labels = _design(X, y01)
    coef = check.array(w, "w", ndim=1)
    if coef.size != features.shape[1]:
        raise InvalidArgumentValue(f"w must have one entry per column of X ({features.shape[1]}), "
                                   f"got length {coef.size}")
    if not np.isin(labels, (0.0, 1.0)).all():
        raise InvalidArgumentValue(f"y01 must hold labels in {{0, 1}}, got "
                                   f"{labels[~np.isin(labels, (0.0, 1.0))][0]}")
    penalty = np.append(np.full(coef.size, check.real(alpha, "alpha", nonnegative=True)), 0.0)
    theta = np.append(coef, check.real(b, "b"))
    return theta, _Design(features, True), labels, penalty


@dataclass(frozen=True)
class _Design:
    """The design matrix A = [X, 1] (or X, without an intercept), without copying X."""

    X: FloatArray
    intercept: bool

    @property
    def n_params(self) -> int:
        return int(self.X.shape[1]) + int(self.intercept)

    def dot(self, theta: FloatArray) -> FloatArray:
        """A theta (in the precision of X)."""
        theta = theta.astype(self.X.dtype, copy=False)
        if not self.intercept:
            return self.X @ theta
        z: FloatArray = self.X @ theta[:-1]
        z += theta[-1]
        return z

    def single(self) -> _Design:
        """The same design in float32: half the memory traffic of each product with X."""
        return _Design(self.X.astype(np.float32), self.intercept)

    def tdot(self, r: FloatArray) -> FloatArray:
        """A^T r."""
        g = self.X.T @ r
        return np.append(g, r.sum()) if self.intercept else g

    def weighted_gram(self, weights: FloatArray, dtype: type = np.float64) -> FloatArray:
        """A^T diag(weights) A, for non-negative weights: the sum over blocks of rows of
        B^T B, B = diag(sqrt(weights)) A, each block scaled into a small reused buffer of
        ``dtype`` (one symmetric rank-k update per block, the intercept column included),
        the blocks summed in float64. With float32 each entry carries a relative error of
        about 1e-7 (for Newton's steps, whose Hessian need not be exact)."""
        n, d = self.X.shape
        rows = max(1, 2**17 // (d + 1))
        roots, buffer = np.sqrt(weights), np.empty((min(rows, n), self.n_params), dtype=dtype)
        H = np.zeros((self.n_params, self.n_params))
        for start in range(0, n, rows):
            part, root = self.X[start:start + rows], roots[start:start + rows, None]
            block = buffer[: part.shape[0]]
            np.multiply(part, root, out=block[:, :d], casting="same_kind")
            if self.intercept:
                block[:, d:] = root
            H += block.T @ block
        return H


@dataclass(frozen=True)
class _Point:
    """An iterate theta with z = A theta, e = exp(-|z|) and l(theta).

    One exponential serves every stable form: sigma(z) = (1 if z >= 0 else e) / (1 + e),
    log sigma(-z) = min(-z, 0) - log1p(e), sigma(z) sigma(-z) = e / (1 + e)^2.
    """

    theta: FloatArray
    z: FloatArray
    e: FloatArray
    value: float

    @classmethod
    def at(cls, theta: FloatArray, A: _Design, y01: FloatArray,
           penalty: FloatArray) -> _Point:
        z = A.dot(theta)
        e = np.abs(z)
        positive_part = 0.5 * (float(z.sum()) + float(e.sum()))  # sum_i max(z_i, 0)
        np.exp(np.negative(e, out=e), out=e)
        log_terms = np.add(e, 1.0)  # log(1 + e) is within 1e-16 of log1p(e) for e in [0, 1]
        log_likelihood = (float(y01 @ z) - positive_part
                          - float(np.log(log_terms, out=log_terms).sum()))
        return cls(theta, z, e, log_likelihood - 0.5 * float(penalty @ theta**2))

    def gradient(self, A: _Design, y01: FloatArray, penalty: FloatArray) -> FloatArray:
        residual = np.add(self.e, 1.0)
        np.divide(1.0, residual, out=residual)  # sigma(|z|) ...
        np.multiply(residual, self.e, out=residual, where=self.z < 0)  # ... then sigma(z)
        np.subtract(y01, residual, out=residual)
        return A.tdot(residual) - penalty * self.theta

    def negative_hessian(self, A: _Design, penalty: FloatArray,
                         dtype: type = np.float64) -> FloatArray:
        """A^T S A + diag(penalty), S = diag(sigma(z) sigma(-z)) (see
        :meth:`_Design.weighted_gram` for ``dtype``)."""
        H = A.weighted_gram(self.e / (1.0 + self.e) ** 2, dtype)
        H.flat[:: H.shape[0] + 1] += penalty
        return H


_DEFAULT_MAX_ITER = {"newton": 100, "gradient": 10_000, "lbfgs": 1000}


def logistic_regression(X: ArrayLike, y: ArrayLike, *, alpha: float = 0.0,
                        fit_intercept: bool = True, method: str = "newton", tol: float = 1e-10,
                        max_iter: int | None = None, step: float | None = None) -> LogisticModel:
    """Maximise l(w, b) = sum_i log P(y_i | x_i, w, b) - (alpha/2) ||w||^2, where
    P(y = 1 | x) = sigma(w^T x + b) (b unpenalised, fixed at 0 if not ``fit_intercept``).

    Labels ``y`` must be in {0, 1} or in {-1, 1} (both classes present); they are mapped to
    y' = (y + 1) / 2 in the second case and predictions use the same label set.

    Below theta = (w, b), A = [X, 1] and S = diag(sigma(z_i) sigma(-z_i)), z = A theta.

    ``method="newton"``: Newton / IRLS, theta <- theta + t (A^T S A + alpha I')^{-1} grad l
    (I' = I without the intercept entry), with t from a backtracking (Armijo) line search,
    l(theta + t delta) >= l(theta) + 1e-4 t grad^T delta. It stops, after one last full
    step, when the Newton decrement grad^T delta / 2 (the predicted gain max l - l, in nats,
    affine-invariant) is <= tol; near the end the previous Hessian is tried first, which
    saves computing the last one. Newton starts from a warm start: at most 20 L-BFGS
    iterations from theta = 0, until max_j |dl/dtheta_j| / n <= 1e-4 (scikit-learn's
    default stopping rule). Far from the maximiser a Newton step costs a Hessian (O(n d^2))
    where an L-BFGS step costs a gradient (O(n d)); near it Newton converges quadratically,
    usually in one or two steps from the warm start. ``n_iter`` counts both kinds of
    iterations. Default ``max_iter`` 100 (Newton iterations). Mixed precision: the warm
    start and the Hessians use a float32 copy of X (half the memory traffic; a Hessian
    with relative error ~1e-7 only perturbs the steps), while every log-likelihood, every
    gradient that decides the stopping rule, and the result are float64.

    ``method="gradient"``: the notes' gradient ascent w <- w + eta sum_i (y'_i - sigma(w^T
    x_i)) x_i (and the same for b), with eta = ``step`` or 1 / (||A||_2^2 / 4 + alpha), the
    inverse Lipschitz constant of grad l. It stops when ||grad l||_inf <= tol *
    max(1, ||grad l(0)||_inf); default ``max_iter`` 10 000.

    ``method="lbfgs"`` (not in the notes; the algorithm scikit-learn uses by default):
    SciPy's L-BFGS-B on -l / n with ``gtol=tol`` and ``ftol=64 eps``; default ``max_iter``
    1000. Fastest on well-conditioned problems with many samples (it needs no d x d
    Hessian); it stops farther from the maximiser than Newton at the same ``tol``.

    Separable data with alpha = 0 have no finite maximiser (l(c theta) increases towards 0
    as c grows for any separating theta). As soon as an iterate separates the classes
    strictly the solver stops, issues a :class:`~numeric.ConvergenceWarning` and returns
    ``converged=False``. It does the same when it runs out of iterations or when the
    Hessian becomes singular after the first step (quasi-separation). A singular Hessian at
    the start (alpha = 0, X rank-deficient) raises :class:`~numeric.SingularMatrixError`.
    """
    features, target = _design(X, y)
    labels, classes = _binary_labels(target)
    solver = _SOLVERS[check.choice(method, "method", tuple(_SOLVERS))]
    penalty_value = check.real(alpha, "alpha", nonnegative=True)
    options = _LogisticOptions(
        tol=check.real(tol, "tol", positive=True),
        max_iter=check.integer(_DEFAULT_MAX_ITER[method] if max_iter is None else max_iter,
                               "max_iter"),
        step=None if step is None else check.real(step, "step", positive=True),
        separable_check=penalty_value == 0.0)
    A = _Design(features, fit_intercept)
    penalty = np.full(A.n_params, penalty_value)
    if fit_intercept:
        penalty[-1] = 0.0
    theta, n_iter, converged = solver(A, labels, penalty, options)
    return _logistic_model(theta, fit_intercept, A, labels, penalty, n_iter, converged, classes)


@dataclass(frozen=True)
class _LogisticOptions:
    tol: float
    max_iter: int
    step: float | None
    separable_check: bool


def _binary_labels(y: FloatArray) -> tuple[FloatArray, tuple[int, int]]:
    values = np.unique(y)
    for classes in ((0, 1), (-1, 1)):
        if np.isin(values, classes).all():
            if values.size < 2:
                raise InvalidArgumentValue(f"y must contain both classes {set(classes)}, got only "
                                           f"{values[0]:g}")
            return (y > 0).astype(np.float64), classes
    shown = ", ".join(f"{v:g}" for v in values[:6]) + (", ..." if values.size > 6 else "")
    raise InvalidArgumentValue(f"y must hold labels in {{0, 1}} or {{-1, 1}}, got values "
                               f"{{{shown}}}")


def _logistic_model(theta: FloatArray, fit_intercept: bool, A: _Design, y01: FloatArray,
                    penalty: FloatArray, n_iter: int, converged: bool,
                    classes: tuple[int, int]) -> LogisticModel:
    objective = _Point.at(theta, A, y01, penalty).value
    coef = theta[:-1].copy() if fit_intercept else theta.copy()
    coef.setflags(write=False)
    intercept = float(theta[-1]) if fit_intercept else 0.0
    return LogisticModel(coef, intercept, n_iter, converged, objective, classes)


def _separates(z: FloatArray, y01: FloatArray) -> bool:
    """True if every margin (2 y' - 1) z_i is strictly positive."""
    return bool(np.all(np.where(y01 > 0, z, -z) > 0))


def _stop(reason: str) -> None:
    warnings.warn(reason, ConvergenceWarning, stacklevel=4)


_SEPARABLE = ("the classes are linearly separable: with alpha = 0 the log-likelihood has no "
              "finite maximiser (it increases towards 0 along a separating direction); "
              "use alpha > 0")


def _newton(A: _Design, y01: FloatArray, penalty: FloatArray,
            options: _LogisticOptions) -> tuple[FloatArray, int, bool]:
    single = A.single()
    point, gradient, warm_iterations = _warm_start(A, single, y01, penalty)
    if options.separable_check and _separates(point.z, y01):
        _stop(_SEPARABLE)
        return point.theta, warm_iterations, False
    theta, n_iter, converged = _newton_from(point, gradient, A, single, y01, penalty, options)
    return theta, warm_iterations + n_iter, converged


def _newton_from(point: _Point, gradient: FloatArray, A: _Design, single: _Design,
                 y01: FloatArray, penalty: FloatArray,
                 options: _LogisticOptions) -> tuple[FloatArray, int, bool]:
    """Newton's iterations from ``point``, whose gradient is ``gradient``; the Hessians are
    formed from ``single``, A in float32, when well conditioned (:func:`_newton_factor`: a
    relative error ~1e-7 changes the steps a little, not the stopping rule, whose gradients
    are exact)."""
    factor = None
    for iteration in range(options.max_iter + 1):
        if iteration > 0:
            gradient = point.gradient(A, y01, penalty)
        threshold = 2.0 * options.tol
        if factor is not None:  # first try the previous Hessian: a cheap, final chord step
            delta, decrement = _step(factor, gradient)
            if decrement <= threshold:
                return point.theta + delta, iteration, True
        if iteration == options.max_iter:
            break
        factor = _newton_factor(point, A, single, penalty, iteration)
        if factor is None:
            _stop("the Hessian became singular (the classes may be quasi-separable); "
                  "use alpha > 0")
            return point.theta, iteration, False
        delta, decrement = _step(factor, gradient)
        if iteration == 0 and decrement <= _ROUGH_DECREMENT:  # near the end: exact gradient
            delta, decrement = _step(factor, point.gradient(A, y01, penalty))
        if decrement <= threshold:
            return point.theta + delta, iteration + 1, True
        accepted = _armijo(point, delta, decrement, A, y01, penalty)
        if accepted is None:
            _stop("the line search failed to increase the log-likelihood")
            return point.theta, iteration, False
        point = accepted
        if options.separable_check and _separates(point.z, y01):
            _stop(_SEPARABLE)
            return point.theta, iteration + 1, False
    _stop(f"Newton's method did not converge in {options.max_iter} iterations")
    return point.theta, options.max_iter, False


def _step(factor: tuple[FloatArray, bool], gradient: FloatArray) -> tuple[FloatArray, float]:
    """(delta, grad^T delta), delta = H^{-1} grad from the Cholesky factor of H."""
    delta: FloatArray = scipy.linalg.cho_solve(factor, gradient, check_finite=False)
    return delta, float(gradient @ delta)


# The warm start: L-BFGS until max_j |dl/dtheta_j| / n <= _WARM_GTOL (scikit-learn's default
# tol), at most _WARM_ITERATIONS iterations. Its gradient, computed in float32, errs by a
# Newton decrement of about 1e-11 to 1e-10 nats (measured up to n = 200 000): below
# _ROUGH_DECREMENT the first Newton step is taken from the exact (float64) gradient instead.
_WARM_GTOL, _WARM_ITERATIONS, _ROUGH_DECREMENT = 1e-4, 20, 1e-6


class _NegativeMean:
    """theta -> (-l(theta) / n, -grad l(theta) / n), the function L-BFGS minimises; it keeps
    the last point it evaluated and its gradient (L-BFGS ends on one of them)."""

    def __init__(self, A: _Design, y01: FloatArray, penalty: FloatArray) -> None:
        self.A, self.y01, self.penalty = A, y01, penalty
        self.last: tuple[_Point, FloatArray] | None = None

    def __call__(self, theta: FloatArray) -> tuple[float, FloatArray]:
        point = _Point.at(np.array(theta, dtype=np.float64), self.A, self.y01, self.penalty)
        gradient = point.gradient(self.A, self.y01, self.penalty)
        self.last = (point, gradient)
        n = self.A.X.shape[0]
        return -point.value / n, -gradient / n

    def evaluated(self, theta: FloatArray) -> tuple[_Point, FloatArray]:
        """The point theta and its gradient, reused if it was the last one evaluated."""
        if self.last is not None and np.array_equal(self.last[0].theta, theta):
            return self.last
        point = _Point.at(np.asarray(theta, dtype=np.float64), self.A, self.y01, self.penalty)
        return point, point.gradient(self.A, self.y01, self.penalty)


def _warm_start(A: _Design, single: _Design, y01: FloatArray,
                penalty: FloatArray) -> tuple[_Point, FloatArray, int]:
    """A few L-BFGS iterations from theta = 0 (no Hessian: each costs one gradient), which
    bring theta near the maximiser, where Newton converges quadratically. They run on
    ``single``, A in float32 (each product with X reads half the bytes; the warm start need
    not be exact). Returns the point reached (evaluated in float64), its gradient in float32
    (Newton's first direction) and the number of iterations."""
    import scipy.optimize  # deferred: importing it costs ~0.1 s

    negative_mean = _NegativeMean(single, y01, penalty)
    result = scipy.optimize.minimize(
        negative_mean, np.zeros(A.n_params), jac=True, method="L-BFGS-B",
        options={"gtol": _WARM_GTOL, "ftol": 0.0, "maxiter": _WARM_ITERATIONS})
    _, gradient = negative_mean.evaluated(result.x)
    return _Point.at(np.asarray(result.x, dtype=np.float64), A, y01, penalty), gradient, int(
        result.nit)


def _newton_factor(point: _Point, A: _Design, single: _Design, penalty: FloatArray,
                   iteration: int) -> tuple[FloatArray, bool] | None:
    """The Cholesky factor of the negated Hessian, formed from ``single`` (float32) when its
    pivots show it well enough conditioned for float32's rounding (min pivot^2 / max
    pivot^2 > _SINGLE_CONDITION: the step then errs by about 1e-7 / that ratio, relatively),
    else in float64 from A (see :func:`_hessian_factor`)."""
    rough = _cholesky(point.negative_hessian(single, penalty, np.float32))
    if rough is not None:
        pivots = np.diag(rough[0]) ** 2
        if float(pivots.min()) > _SINGLE_CONDITION * float(pivots.max()):
            return rough
    return _hessian_factor(point.negative_hessian(A, penalty), iteration)


# A float32 Hessian is used when its squared Cholesky pivots span less than 1e5.
_SINGLE_CONDITION = 1e-5


def _cholesky(H: FloatArray) -> tuple[FloatArray, bool] | None:
    """The lower Cholesky factor of H (overwritten), or None if H is not positive definite."""
    try:
        factor: tuple[FloatArray, bool] = scipy.linalg.cho_factor(
            H, lower=True, overwrite_a=True, check_finite=False)
    except np.linalg.LinAlgError:
        return None
    return factor


def _hessian_factor(H: FloatArray, iteration: int) -> tuple[FloatArray, bool] | None:
    """The Cholesky factor of the negated Hessian H, or None if H is singular."""
    factor = _cholesky(H)
    if factor is None or _ill_conditioned(np.diag(factor[0])):
        if iteration == 0:
            raise SingularMatrixError("X must have full column rank (with the intercept column)"
                                      " when alpha = 0: the Hessian is singular; use alpha > 0")
        return None
    return factor


def _armijo(point: _Point, delta: FloatArray, decrement: float, A: _Design,
            y01: FloatArray, penalty: FloatArray) -> _Point | None:
    """The first t in 1, 1/2, 1/4, ... with l(theta + t delta) >= l + 1e-4 t grad^T delta."""
    t = 1.0
    while t > 1e-10:
        candidate = _Point.at(point.theta + t * delta, A, y01, penalty)
        if candidate.value >= point.value + 1e-4 * t * decrement:
            return candidate
        t *= 0.5
    return None


def _gradient_ascent(A: _Design, y01: FloatArray, penalty: FloatArray,
                     options: _LogisticOptions) -> tuple[FloatArray, int, bool]:
    eta = options.step if options.step is not None else 1.0 / _lipschitz(A, penalty)
    point, scale = _Point.at(np.zeros(A.n_params), A, y01, penalty), None
    for iteration in range(options.max_iter + 1):
        gradient = point.gradient(A, y01, penalty)
        size = float(np.abs(gradient).max())
        scale = max(1.0, size) if scale is None else scale
        if size <= options.tol * scale:
            return point.theta, iteration, True
        if iteration == options.max_iter:
            break
        point = _Point.at(point.theta + eta * gradient, A, y01, penalty)
        if options.separable_check and _separates(point.z, y01):
            _stop(_SEPARABLE)
            return point.theta, iteration + 1, False
    _stop(f"gradient ascent did not converge in {options.max_iter} iterations")
    return point.theta, options.max_iter, False


def _lipschitz(A: _Design, penalty: FloatArray) -> float:
    """||A||_2^2 / 4 + max(penalty): a Lipschitz constant of grad l."""
    gram = A.weighted_gram(np.ones(A.X.shape[0]))
    top = scipy.linalg.eigh(gram, eigvals_only=True, subset_by_index=[gram.shape[0] - 1] * 2,
                            check_finite=False)
    return float(top[0]) / 4.0 + float(penalty.max())


def _lbfgs(A: _Design, y01: FloatArray, penalty: FloatArray,
           options: _LogisticOptions) -> tuple[FloatArray, int, bool]:
    import scipy.optimize  # deferred: importing it costs ~0.1 s

    result = scipy.optimize.minimize(
        _NegativeMean(A, y01, penalty), np.zeros(A.n_params), jac=True, method="L-BFGS-B",
        options={"gtol": options.tol, "ftol": 64 * _EPS, "maxiter": options.max_iter})
    if options.separable_check and _separates(A.dot(result.x), y01):
        _stop(_SEPARABLE)
        return result.x, int(result.nit), False
    if not result.success:
        _stop(f"L-BFGS did not converge: {result.message}")
    return result.x, int(result.nit), bool(result.success)


_SOLVERS: dict[str, Callable[..., tuple[FloatArray, int, bool]]] = {
    "newton": _newton,
    "gradient": _gradient_ascent,
    "lbfgs": _lbfgs,
}
