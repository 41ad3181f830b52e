"""numeric.perceptron against scikit-learn's Perceptron and Novikoff's bound."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import Perceptron

import numeric
from numeric import optimize
from numeric.perceptron import perceptron


def separable(seed: int, n: int = 60, d: int = 3, margin: float = 0.1):
    """Points in the unit ball at distance >= margin from a random hyperplane through 0.3 u."""
    rng = np.random.default_rng(seed)
    u = rng.standard_normal(d)
    u /= np.linalg.norm(u)
    X = rng.uniform(-1, 1, (4 * n, d))
    scores = X @ u - 0.3
    keep = np.abs(scores) >= margin
    return X[keep][:n], np.where(scores[keep][:n] > 0, 1.0, -1.0)


def generating_separator(seed: int, d: int = 3) -> np.ndarray:
    """(u, -0.3) of :func:`separable` (the same draws), a separator in the augmented space."""
    u = np.random.default_rng(seed).standard_normal(d)
    return np.append(u / np.linalg.norm(u), -0.3)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_same_weights_as_scikit_learn(seed, fit_intercept):
    X, y = separable(seed)
    epochs = 7
    ours = perceptron(X, y, eta=1.0, max_epochs=epochs, fit_intercept=fit_intercept)
    reference = Perceptron(eta0=1.0, penalty=None, shuffle=False, tol=None, max_iter=epochs,
                           fit_intercept=fit_intercept).fit(X, y)
    np.testing.assert_allclose(ours.w, reference.coef_[0], rtol=1e-12, atol=1e-12)
    assert ours.b == pytest.approx(reference.intercept_[0] if fit_intercept else 0.0, abs=1e-12)


def test_converges_on_separable_data_and_separates_them():
    X, y = separable(11)
    result = perceptron(X, y, max_epochs=10_000)
    assert result.converged and result.mistakes[-1] == 0
    np.testing.assert_array_equal(result.predict(X), y)
    assert result.n_updates == sum(result.mistakes)


@pytest.mark.parametrize("seed", range(20))
def test_updates_obey_novikoffs_bound(seed):
    X, y = separable(seed, margin=0.05)
    result = perceptron(X, y, max_epochs=100_000)
    augmented = np.hstack([X, np.ones((len(X), 1))])
    u = generating_separator(seed)
    gamma = (y * (augmented @ u)).min() / np.linalg.norm(u)
    radius = np.linalg.norm(augmented, axis=1).max()
    assert result.converged and gamma > 0
    assert result.n_updates <= (radius / gamma) ** 2


def test_never_converges_on_xor():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    y = np.array([-1.0, -1.0, 1.0, 1.0])
    result = perceptron(X, y, max_epochs=500)
    assert not result.converged
    assert min(result.mistakes) >= 1 and len(result.mistakes) == 500


def test_the_step_only_scales_the_weights_from_zero():
    X, y = separable(3)
    one, ten = perceptron(X, y, eta=1.0), perceptron(X, y, eta=10.0)
    np.testing.assert_allclose(ten.w, 10 * one.w)
    assert ten.mistakes == one.mistakes


def test_shuffled_runs_are_reproducible():
    X, y = separable(4)
    a = perceptron(X, y, shuffle=True, seed=5)
    b = perceptron(X, y, shuffle=True, seed=5)
    np.testing.assert_array_equal(a.w, b.w)
    assert a.mistakes == b.mistakes


def test_reexported_from_optimize():
    assert optimize.perceptron is perceptron


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"y": np.array([0.0, 1.0, 1.0])}, "y must hold only -1 and 1"),
    ({"y": np.array([1.0, -1.0])}, "one label per row"),
    ({"eta": 0.0}, "eta"),
    ({"max_epochs": 0}, "max_epochs"),
    ({"X": np.ones(3)}, "X must be a 2-D"),
])
def test_bad_arguments_name_the_argument(kwargs, match):
    arguments = {"X": np.eye(3), "y": np.array([1.0, -1.0, 1.0])} | kwargs
    X, y = arguments.pop("X"), arguments.pop("y")
    with pytest.raises(numeric.InvalidArgumentValue, match=match):
        perceptron(X, y, **arguments)
