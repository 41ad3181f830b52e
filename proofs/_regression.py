r"""Shared pieces of the regression proofs: the symbols of the linear model and the
data sets of the cross-checks.

Data: pairs (x_i, y_i), i = 1..N, with N symbolic; x_i has two features X[i, 1] and
X[i, 2] (concrete d = 2, so that the weights w1, w2 are symbols one can differentiate
by), and an input density P(x_i) > 0 that does not depend on w.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

N = sp.Symbol("N", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
beta = sp.Symbol("beta", positive=True)
weights = sp.symbols("w1 w2", real=True)
X = sp.IndexedBase("X", real=True)
y = sp.IndexedBase("y", real=True)
P_x = sp.Function("P", positive=True)


def w_dot_x(w=weights, row=i) -> sp.Expr:
    """w^T x_i = sum_k w_k X[i, k]."""
    return sp.Add(*[w_k * X[row, k] for k, w_k in enumerate(w, start=1)])


def input_density(row=i) -> sp.Expr:
    """P(x_i), a positive function of the features."""
    return P_x(*[X[row, k] for k in range(1, len(weights) + 1)])


def over_data(term) -> sp.Sum:
    """sum_{i=1}^{N} term."""
    return sp.Sum(term, (i, 1, N))


def sum_of_squares(w=weights) -> sp.Sum:
    """sum_i (y_i - w^T x_i)^2."""
    return over_data((y[i] - w_dot_x(w)) ** 2)


def squared_norm(w=weights) -> sp.Expr:
    """|w|^2."""
    return sp.Add(*[w_k**2 for w_k in w])


def gaussian_density(value, mean, variance) -> sp.Expr:
    """N(value | mean, variance) = exp(-(value - mean)^2 / (2 variance)) / sqrt(2 pi variance)."""
    return sp.exp(-(value - mean) ** 2 / (2 * variance)) / sp.sqrt(2 * sp.pi * variance)


def sigmoid(t) -> sp.Expr:
    """sigma(t) = 1 / (1 + exp(-t))."""
    return 1 / (1 + sp.exp(-t))


def sigmoid_complement(t) -> sp.Expr:
    """1 - sigma(t) written as exp(-t) / (1 + exp(-t)), visibly positive."""
    return sp.exp(-t) / (1 + sp.exp(-t))


# ---------------------------------------------------------------- the notes' names

DATA = sp.Symbol("D")  # the data set, the notes' \mathbf{X}


def feature_vector(row=i) -> sp.Matrix:
    """x_i = (X[i, 1], X[i, 2])^T."""
    return sp.Matrix([X[row, k] for k in range(1, len(weights) + 1)])


def _input_density_at(point: sp.Matrix) -> sp.Expr:
    return P_x(*point)


def linear_model_density(*args) -> sp.Expr:
    r"""The notes' P(...) under the linear model, read with the bar dropped:
    P(x_i) = P(x_i | w) the input density, P(y_i | x_i, w) = N(y_i | w^T x_i, 1/beta),
    P(x_i, y_i | w) their product, P(\mathbf{X} | w) the product over i = 1..N."""
    *data, w = args if len(args) > 1 else (*args, None)
    if data[0] == DATA:
        return sp.Product(linear_model_density(feature_vector(), y[i], w), (i, 1, N))
    points = [a for a in data if isinstance(a, sp.MatrixBase)]
    labels = [a for a in data if not isinstance(a, sp.MatrixBase)]
    if not labels:
        return _input_density_at(points[0])
    normal = gaussian_density(labels[0], (w.T * points[0])[0, 0], 1 / beta)
    return normal if isinstance(data[0], sp.Indexed) else normal * _input_density_at(points[0])


LINEAR_NOTATION = {"w": sp.Matrix(weights), "x": feature_vector, r"\mathbf{X}": DATA,
                   "P": linear_model_density, "N": N}
"""What the notes' names mean in the linear-regression lines (d = 2)."""


# ---------------------------------------------------------------- data for the cross-checks

def linear_data(seed: int, size: int, true_weights: np.ndarray,
                noise_sd: float) -> tuple[np.ndarray, np.ndarray]:
    """x ~ N(0, I), y = w*^T x + N(0, noise_sd^2)."""
    rng = np.random.default_rng(seed)
    features = rng.standard_normal((size, true_weights.size))
    return features, features @ true_weights + noise_sd * rng.standard_normal(size)


def logistic_data(seed: int, size: int,
                  true_weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x ~ N(0, I), labels y in {-1, 1} with P(y = 1 | x) = sigma(w*^T x)."""
    rng = np.random.default_rng(seed)
    features = rng.standard_normal((size, true_weights.size))
    positive = rng.random(size) < 1.0 / (1.0 + np.exp(-features @ true_weights))
    return features, np.where(positive, 1.0, -1.0)


def max_abs_difference(a, b) -> float:
    """max |a - b| over all entries."""
    return float(np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))))
