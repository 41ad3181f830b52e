"""The fitted models every solver returns, and the centring they share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from numeric import _validation as check
from numeric._errors import InvalidArgumentValue
from numeric._validation import FloatArray
from numeric.functions import _sigmoid

_EPS = float(np.finfo(float).eps)


@dataclass(frozen=True, eq=False)
class LinearModel:
    """A fitted linear model x -> x . coef + intercept.

    ``n_iter`` is the number of iterations (0 for direct solvers), ``converged`` whether the
    solver met its tolerance, ``objective`` the optimised function's value at the solution.
    ``coef`` is read-only.
    """

    coef: FloatArray
    intercept: float
    n_iter: int
    converged: bool
    objective: float

    def decision_function(self, X: ArrayLike) -> FloatArray:
        """The linear predictor X coef + intercept."""
        features = check.array(X, "X", ndim=2)
        if features.shape[1] != self.coef.size:
            raise InvalidArgumentValue(f"X must have {self.coef.size} columns, got shape "
                                       f"{features.shape}")
        return features @ self.coef + self.intercept

    def predict(self, X: ArrayLike) -> FloatArray:
        """Predictions X coef + intercept."""
        return self.decision_function(X)


@dataclass(frozen=True, eq=False)
class LogisticModel(LinearModel):
    """A fitted logistic model P(y = classes[1] | x) = sigma(x . coef + intercept).

    ``objective`` is the maximised penalised log-likelihood (a number <= 0).
    """

    classes: tuple[int, int] = (0, 1)

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """P(y = classes[1] | x) = sigma(x . coef + intercept) for every row of X."""
        return _sigmoid(self.decision_function(X))

    def predict(self, X: ArrayLike) -> Any:
        """The most probable label: classes[1] where x . coef + intercept > 0, else classes[0]
        (the notes' sign(w^T x) for labels in {-1, 1})."""
        return np.where(self.decision_function(X) > 0, self.classes[1], self.classes[0])


# ---------------------------------------------------------------- inputs and results

def _design(X: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    features, target = check.array(X, "X", ndim=2), check.array(y, "y", ndim=1)
    if features.shape[0] != target.shape[0]:
        raise InvalidArgumentValue(f"X and y must have the same number of rows, got X of shape "
                                   f"{features.shape} and y of length {target.shape[0]}")
    if features.shape[0] < 2 or features.shape[1] == 0:
        raise InvalidArgumentValue(f"X must have at least 2 rows and 1 column, got shape "
                                   f"{features.shape}")
    return features, target


def _center(X: FloatArray, y: FloatArray,
            fit_intercept: bool) -> tuple[FloatArray, FloatArray, FloatArray, float]:
    """(X - mean X, y - mean y, mean X, mean y), or the inputs and zero means."""
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1]), 0.0
    x_mean, y_mean = X.mean(axis=0), float(y.mean())
    return X - x_mean, y - y_mean, x_mean, y_mean


def _model(w: FloatArray, x_mean: FloatArray, y_mean: float, objective: float,
           n_iter: int = 0, converged: bool = True) -> LinearModel:
    w.setflags(write=False)
    return LinearModel(w, y_mean - float(x_mean @ w), n_iter, converged, objective)


# ---------------------------------------------------------------- least squares and ridge
