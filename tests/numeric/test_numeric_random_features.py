"""numeric.random_features: random tanh layers, least-squares output layers, k-fold CV."""

from __future__ import annotations

import numpy as np
import pytest

import numeric
from numeric import random_features as rf


def _data(n: int = 30, d: int = 3, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    return x, np.sin(x[:, 0]) + 0.1 * rng.normal(size=n)


def test_narrow_layers_are_prefixes_of_wide_ones():
    wide_w, wide_c = rf.tanh_layer(12, 3, seed=7)
    narrow_w, narrow_c = rf.tanh_layer(5, 3, seed=7)
    np.testing.assert_array_equal(wide_w[:5], narrow_w)
    np.testing.assert_array_equal(wide_c[:5], narrow_c)
    assert not np.allclose(rf.tanh_layer(5, 3, seed=8)[0], narrow_w)


def test_output_layer_is_the_least_squares_fit_on_the_hidden_features():
    sklearn = pytest.importorskip("sklearn.linear_model")
    x, y = _data()
    model = rf.fit_random_features(x, y, 8, seed=1)
    reference = sklearn.LinearRegression(fit_intercept=False).fit(model.hidden(x), y)
    np.testing.assert_allclose(model.output, reference.coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(model.predict(x), reference.predict(model.hidden(x)), atol=1e-10)


def test_wide_layers_interpolate_with_the_minimum_norm_output():
    x, y = _data(n=20)
    model = rf.fit_random_features(x, y, 60, seed=2)
    np.testing.assert_allclose(model.predict(x), y, atol=1e-8)
    np.testing.assert_allclose(model.output, np.linalg.pinv(model.hidden(x)) @ y, atol=1e-6)


def test_training_error_never_increases_with_width():
    x, y = _data(n=25, seed=3)
    errors = [np.mean((rf.fit_random_features(x, y, m, seed=4).predict(x) - y) ** 2)
              for m in range(1, 30)]
    assert np.all(np.diff(errors) <= 1e-12)


def test_scalar_inputs_are_one_dimensional():
    x = np.linspace(-1, 1, 15)
    model = rf.fit_random_features(x, x**2, 4, seed=5)
    assert model.weights.shape == (4, 1)
    np.testing.assert_allclose(model.hidden(x), model.hidden(x[:, None]))


def test_kfold_mse_matches_scikit_learn_on_the_same_folds():
    model_selection = pytest.importorskip("sklearn.model_selection")
    linear_model = pytest.importorskip("sklearn.linear_model")
    x, y = _data(n=30, seed=6)
    order = np.random.default_rng(11).permutation(30)

    def fit_predict(x_train, y_train, x_held):
        w = np.linalg.lstsq(x_train, y_train, rcond=None)[0]
        return x_held @ w

    scores = model_selection.cross_val_score(
        linear_model.LinearRegression(fit_intercept=False), x[order], y[order],
        cv=model_selection.KFold(5), scoring="neg_mean_squared_error")
    assert rf.kfold_mse(fit_predict, x, y, 5, seed=11) == pytest.approx(-scores.mean(), rel=1e-10)


@pytest.mark.parametrize(("call", "name"), [
    (lambda: rf.tanh_layer(0, 2, seed=1), "width"),
    (lambda: rf.tanh_layer(3, 2, seed=1, scale=-1.0), "scale"),
    (lambda: rf.fit_random_features(np.ones((4, 2)), np.ones(3), 2, seed=1), "rows"),
    (lambda: rf.kfold_mse(lambda a, b, c: c[:, 0], np.ones((4, 2)), np.ones(4), 5, 0), "folds"),
    (lambda: rf.kfold_mse(lambda a, b, c: np.ones(1), np.ones((4, 2)), np.ones(4), 2, 0),
     "fit_predict"),
    (lambda: rf.fit_random_features(np.ones(4), np.ones(4), 2, seed=1).hidden(np.ones((2, 3))),
     "columns"),
])
def test_bad_arguments_are_named(call, name):
    with pytest.raises(numeric.NumericError, match=name):
        call()
