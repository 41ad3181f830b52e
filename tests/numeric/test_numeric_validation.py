"""numeric.validation against scikit-learn's KFold, cross_val_score and GridSearchCV."""

from __future__ import annotations

import numpy as np
import pytest

import numeric
from numeric import linear, validation

model_selection = pytest.importorskip("sklearn.model_selection")
sklearn_linear = pytest.importorskip("sklearn.linear_model")


def data(n: int = 47, d: int = 10, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    return X, X @ rng.standard_normal(d) + 2.0 * rng.standard_normal(n)


def ridge_rule(alpha: float):
    return lambda X, y: linear.ridge(X, y, alpha)


def predict(model, X):
    return model.predict(X)


@pytest.mark.parametrize(("n", "k"), [(47, 5), (10, 10), (9, 2)])
def test_k_fold_without_seed_is_sklearns_kfold(n, k):
    ours = validation.k_fold(n, k)
    theirs = list(model_selection.KFold(k).split(np.zeros((n, 1))))
    assert len(ours) == k
    for (train, test), (their_train, their_test) in zip(ours, theirs, strict=True):
        assert np.array_equal(train, their_train) and np.array_equal(test, their_test)


def test_shuffled_folds_partition_the_rows_and_are_reproducible():
    folds = validation.k_fold(23, 4, seed=3)
    held_out = np.concatenate([test for _, test in folds])
    assert np.array_equal(np.sort(held_out), np.arange(23))
    assert sorted(test.size for _, test in folds) == [5, 6, 6, 6]
    for train, test in folds:
        assert np.intersect1d(train, test).size == 0 and train.size + test.size == 23
    again = validation.k_fold(23, 4, seed=3)
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(folds, again, strict=True))
    assert not all(np.array_equal(a[1], b[1])
                   for a, b in zip(folds, validation.k_fold(23, 4, seed=4), strict=True))


def test_cross_validate_is_sklearns_cross_val_score():
    X, y = data()
    ours = validation.cross_validate(ridge_rule(3.0), predict, X, y, k=5)
    scores = -model_selection.cross_val_score(sklearn_linear.Ridge(alpha=3.0), X, y,
                                              cv=model_selection.KFold(5),
                                              scoring="neg_mean_squared_error")
    np.testing.assert_allclose(ours.fold_errors, scores, rtol=1e-10)
    assert ours.mean == pytest.approx(scores.mean(), rel=1e-10)
    assert ours.stderr == pytest.approx(scores.std(ddof=1) / np.sqrt(5), rel=1e-10)


def test_choice_by_cross_validation_is_gridsearchcvs():
    X, y = data(seed=1)
    grid = [0.01, 0.3, 3.0, 30.0, 300.0]
    ours = validation.choose_by_cross_validation(ridge_rule, predict, grid, X, y, k=5)
    search = model_selection.GridSearchCV(sklearn_linear.Ridge(), {"alpha": grid},
                                          cv=model_selection.KFold(5),
                                          scoring="neg_mean_squared_error").fit(X, y)
    assert ours == search.best_params_["alpha"]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda X, y: validation.k_fold(5, 6), numeric.InvalidArgumentValue,
         r"k must be at most n = 5, got 6"),
        (lambda X, y: validation.k_fold(5, 1), numeric.InvalidArgumentValue,
         r"k must be an integer >= 2, got 1"),
        (lambda X, y: validation.cross_validate("fit", predict, X, y), numeric.InvalidArgumentType,
         r"fit must be callable"),
        (lambda X, y: validation.cross_validate(ridge_rule(1.0), predict, X, y[:-1]),
         numeric.InvalidArgumentValue, r"X and y must have the same number of rows"),
        (lambda X, y: validation.choose_by_cross_validation(ridge_rule, predict, [], X, y),
         numeric.InvalidArgumentValue, r"candidates must hold at least one value"),
    ],
)
def test_validation_bad_input_names_the_argument(call, error, message):
    X, y = data()
    with pytest.raises(error, match=message):
        call(X, y)
