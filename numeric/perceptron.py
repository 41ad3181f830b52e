"""The perceptron learning algorithm (Rosenblatt), as the lecture notes state it.

Labels are -1 and 1. Each epoch visits the examples in order (optionally shuffled with a
seed); on a mistake, y_t (w^T x_t + b) <= 0, the weights move towards the example:

    w <- w + eta y_t x_t,    b <- b + eta y_t.

The notes' rule w <- w + eta (y_t - hat y_t) x_t with hat y_t = sign(w^T x_t + b) is this
rule with eta replaced by 2 eta (on a mistake hat y_t = -y_t). A score of exactly 0 counts as
a mistake, as in scikit-learn's ``Perceptron``. Training stops after the first epoch
without a mistake (the data are then separated: ``converged``) or after ``max_epochs``.

On linearly separable data with margin gamma (some unit u and b* with
y_i (u^T x_i + b*) >= gamma) and radius R = max_i |(x_i, 1)|, Novikoff's theorem bounds
the number of updates by (R / gamma)^2 (with ``fit_intercept``; R = max_i |x_i| without),
whatever eta and the order of the examples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from numeric import _validation as check
from numeric._errors import InvalidArgumentValue
from numeric._validation import FloatArray

__all__ = ["PerceptronResult", "perceptron"]


@dataclass(frozen=True, eq=False)
class PerceptronResult:
    """``w`` and ``b`` the separator, ``mistakes`` the number of updates in each epoch,
    ``n_updates`` their total, ``converged`` whether an epoch passed without a mistake."""

    w: FloatArray
    b: float
    mistakes: list[int]
    n_updates: int
    converged: bool

    def predict(self, X: ArrayLike) -> FloatArray:
        """sign(w^T x + b) in {-1, 1} for each row x of X (1 where the score is 0)."""
        scores = check.array(X, "X", ndim=2) @ self.w + self.b
        return np.where(scores >= 0, 1.0, -1.0)


def _labels(y: ArrayLike, n: int) -> FloatArray:
    labels = check.array(y, "y", ndim=1)
    if labels.shape[0] != n:
        raise InvalidArgumentValue(f"y must have one label per row of X ({n}), got "
                                   f"{labels.shape[0]}")
    if not np.isin(labels, (-1.0, 1.0)).all():
        raise InvalidArgumentValue("y must hold only -1 and 1, got "
                                   f"{np.unique(labels)[:5].tolist()}")
    return labels


def _epoch(X: FloatArray, y: FloatArray, order: np.ndarray, w: FloatArray, b: FloatArray,
           eta: float, intercept: float) -> int:
    """One pass over the examples in ``order``, updating w and b (b only if ``intercept``)
    in place; the number of mistakes."""
    count = 0
    for t in order:
        if y[t] * (X[t] @ w + b[0]) <= 0.0:
            w += eta * y[t] * X[t]
            b += intercept * eta * y[t]
            count += 1
    return count


def perceptron(X: ArrayLike, y: ArrayLike, *, eta: float = 1.0, max_epochs: int = 1000,
               fit_intercept: bool = True, shuffle: bool = False,
               seed: int | None = None) -> PerceptronResult:
    """Train a perceptron from w = 0, b = 0 on the rows of ``X`` with labels ``y`` in {-1, 1}.

    ``fit_intercept=False`` keeps b = 0 (fold a bias into w with a column of ones). With
    ``shuffle``, each epoch visits the examples in a new order from
    ``np.random.default_rng(seed)``.
    """
    features = check.array(X, "X", ndim=2)
    labels = _labels(y, features.shape[0])
    step = check.real(eta, "eta", positive=True)
    epochs = check.integer(max_epochs, "max_epochs")
    rng = np.random.default_rng(None if seed is None else check.seed(seed))
    w, b = np.zeros(features.shape[1]), np.zeros(1)
    mistakes: list[int] = []
    for _ in range(epochs):
        order = rng.permutation(len(labels)) if shuffle else np.arange(len(labels))
        mistakes.append(_epoch(features, labels, order, w, b, step, float(fit_intercept)))
        if mistakes[-1] == 0:
            break
    return PerceptronResult(w, float(b[0]), mistakes, sum(mistakes), mistakes[-1] == 0)
