"""One-hidden-layer networks with a random, fixed tanh layer and a least-squares output layer.

The network is f(x) = sum_{j=1}^m v_j tanh(w_j^T x + c_j) for an input x in R^d: the hidden
weights w_j ~ N(0, scale^2 I / d) and biases c_j ~ U(-scale, scale) are drawn once from a seed
and never trained; the output weights v minimise ||y - Phi v||^2 (the minimum-norm minimiser
when m exceeds the number of points, as gradient descent from 0 would find). Widths are
nested: the first m units of a wider layer drawn from the same seed are the layer of width m,
so training error is non-increasing in m.

:func:`kfold_mse` is a small k-fold cross-validation helper for such fits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from numeric import _validation as check
from numeric._errors import InvalidArgumentValue
from numeric._validation import FloatArray

__all__ = ["RandomFeatureModel", "fit_random_features", "hidden_layer", "kfold_mse",
           "tanh_layer"]

FitPredict = Callable[[FloatArray, FloatArray, FloatArray], FloatArray]


@dataclass(frozen=True)
class RandomFeatureModel:
    """Hidden ``weights`` and ``biases`` (fixed), output weights ``output``."""

    weights: FloatArray
    biases: FloatArray
    output: FloatArray

    def hidden(self, x: ArrayLike) -> FloatArray:
        """Phi(X) = tanh(X W^T + c), shape (n, width), for X of shape (n, d) (or (n,), d = 1)."""
        return hidden_layer(x, self.weights, self.biases)

    def predict(self, x: ArrayLike) -> FloatArray:
        """f(x) = Phi(x) v."""
        return self.hidden(x) @ self.output


def hidden_layer(x: ArrayLike, weights: FloatArray, biases: FloatArray) -> FloatArray:
    """tanh(X W^T + c) for inputs X of shape (n, d), or (n,) when d = 1."""
    points = check.array(x, "x", ndim=(1, 2))
    inputs = points[:, None] if points.ndim == 1 else points
    if inputs.shape[1] != weights.shape[1]:
        raise InvalidArgumentValue(f"x must have {weights.shape[1]} columns (the layer's input "
                                   f"dimension), got shape {points.shape}")
    features: FloatArray = np.tanh(inputs @ weights.T + biases)
    return features


def tanh_layer(width: int, dim: int, seed: int | np.random.SeedSequence,
               scale: float = 1.0) -> tuple[FloatArray, FloatArray]:
    """(W, c), W of shape (width, dim): the first ``width`` units of the layer drawn from
    ``seed``, w_j ~ N(0, scale^2 I / dim), c_j ~ U(-scale, scale).

    Unit j is drawn from its own child seed, so the layer of width m is a prefix of every
    wider layer drawn from the same seed.
    """
    m = check.integer(width, "width")
    d = check.integer(dim, "dim")
    s = check.real(scale, "scale", positive=True)
    root = check.seed_sequence(seed)
    units = [np.random.default_rng(child) for child in root.spawn(m)]
    weights = np.array([rng.normal(0.0, s / np.sqrt(d), d) for rng in units])
    return weights, np.array([rng.uniform(-s, s) for rng in units])


def fit_random_features(x: ArrayLike, y: ArrayLike, width: int,
                        seed: int | np.random.SeedSequence, scale: float = 1.0
                        ) -> RandomFeatureModel:
    """Fit the output layer v = Phi^+ y (minimum-norm least squares) on a random tanh layer."""
    points = check.array(x, "x", ndim=(1, 2))
    target = check.array(y, "y", ndim=1)
    if points.shape[0] != target.size:
        raise InvalidArgumentValue(f"x and y must have as many rows, got {points.shape[0]} and "
                                   f"{target.size}")
    dim = 1 if points.ndim == 1 else points.shape[1]
    weights, biases = tanh_layer(width, dim, seed, scale)
    design = hidden_layer(points, weights, biases)
    output = np.linalg.lstsq(design, target, rcond=None)[0]
    return RandomFeatureModel(weights, biases, np.asarray(output, dtype=np.float64))


def kfold_mse(fit_predict: FitPredict, x: ArrayLike, y: ArrayLike, folds: int,
              seed: int) -> float:
    """K-fold cross-validation: the mean squared error on held-out points.

    The points are shuffled (by ``seed``) and split into ``folds`` parts of near-equal size;
    each part is predicted by ``fit_predict(x_train, y_train, x_held_out)`` fitted on the
    others, and the squared errors of all points are averaged.
    """
    points = check.array(x, "x", ndim=(1, 2))
    target = check.array(y, "y", ndim=1)
    k = check.integer(folds, "folds", minimum=2)
    if k > target.size or points.shape[0] != target.size:
        raise InvalidArgumentValue(f"folds must be at most the number of points {target.size}, "
                                   f"and x and y must have as many rows; got folds={k}, shapes "
                                   f"{points.shape} and {target.shape}")
    order = np.random.default_rng(check.seed(seed)).permutation(target.size)
    errors = np.empty(target.size)
    for held in np.array_split(order, k):
        train = np.setdiff1d(order, held)
        predicted = check.output(fit_predict(points[train], target[train], points[held]),
                                 "fit_predict", (held.size,))
        errors[held] = (predicted - target[held]) ** 2
    return float(errors.mean())
