"""k-fold cross-validation: fold indices, the cross-validated error of a fitting rule, and
the choice of a hyperparameter by it.

A fitting rule is ``fit(X_train, y_train) -> model`` and ``predict(model, X) -> y_hat``; the
error of a fold is the mean squared error on its held-out rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from numeric import _validation as check
from numeric._errors import InvalidArgumentValue
from numeric._validation import FloatArray

__all__ = ["CrossValidation", "choose_by_cross_validation", "cross_validate", "k_fold"]

Model = TypeVar("Model")
IndexArray = NDArray[np.intp]


@dataclass(frozen=True)
class CrossValidation:
    """The k folds' held-out mean squared errors, their mean (the CV error) and its standard
    error sqrt(var(fold errors) / k)."""

    fold_errors: FloatArray
    mean: float
    stderr: float


def k_fold(n: int, k: int, seed: int | None = None) -> list[tuple[IndexArray, IndexArray]]:
    """Split rows 0..n-1 into k folds of sizes differing by at most one; return, for each
    fold, (training rows, held-out rows). With ``seed`` the rows are shuffled first by
    ``numpy.random.default_rng(seed)``; without it the folds are contiguous. 2 <= k <= n."""
    rows = check.integer(n, "n")
    folds = check.integer(k, "k", minimum=2)
    if folds > rows:
        raise InvalidArgumentValue(f"k must be at most n = {rows}, got {folds}")
    order = (np.arange(rows) if seed is None
             else np.random.default_rng(check.seed(seed)).permutation(rows))
    held_out = np.array_split(order, folds)
    return [(np.sort(np.concatenate(held_out[:j] + held_out[j + 1:])), np.sort(part))
            for j, part in enumerate(held_out)]


def cross_validate(fit: Callable[[FloatArray, FloatArray], Model],
                   predict: Callable[[Model, FloatArray], Any], X: ArrayLike, y: ArrayLike,
                   k: int = 5, seed: int | None = None) -> CrossValidation:
    """The k-fold cross-validated mean squared error of ``fit``:
    CV = (1/k) sum_j (1/|F_j|) sum_{i in F_j} (y_i - f_{-j}(x_i))^2, where f_{-j} is fitted
    on the rows outside fold F_j (folds from :func:`k_fold`)."""
    features, target = _data(X, y)
    fitter = check.callable_(fit, "fit")
    predictor = check.callable_(predict, "predict")
    errors = np.array([_held_out_error(fitter, predictor, features, target, train, test)
                       for train, test in k_fold(target.size, k, seed)])
    return CrossValidation(errors, float(errors.mean()),
                           float(errors.std(ddof=1) / np.sqrt(errors.size)))


def choose_by_cross_validation(fit_with: Callable[[float], Callable[[FloatArray, FloatArray],
                                                                    Model]],
                               predict: Callable[[Model, FloatArray], Any],
                               candidates: Sequence[float], X: ArrayLike, y: ArrayLike,
                               k: int = 5, seed: int | None = None) -> float:
    """The candidate hyperparameter with the smallest k-fold CV error (the first on ties);
    ``fit_with(value)`` is the fitting rule for that value. Every candidate sees the same
    folds."""
    values = [check.real(value, "candidates") for value in candidates]
    if not values:
        raise InvalidArgumentValue("candidates must hold at least one value")
    scores = [cross_validate(fit_with(value), predict, X, y, k, seed).mean for value in values]
    return values[int(np.argmin(scores))]


def _data(X: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    features, target = check.array(X, "X", ndim=2), check.array(y, "y", ndim=1)
    if features.shape[0] != target.size:
        raise InvalidArgumentValue(f"X and y must have the same number of rows, got X of shape "
                                   f"{features.shape} and y of length {target.size}")
    return features, target


def _held_out_error(fit: Callable[..., Any], predict: Callable[..., Any], X: FloatArray,
                    y: FloatArray, train: IndexArray, test: IndexArray) -> float:
    predicted = np.asarray(predict(fit(X[train], y[train]), X[test]), dtype=float)
    return float(np.mean((y[test] - predicted) ** 2))
