"""numeric.naive_bayes against scikit-learn's GaussianNB and a direct Poisson computation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from sklearn.naive_bayes import GaussianNB

import numeric
from numeric import naive_bayes


def gaussian_data(seed, n=300, d=3, classes=(0, 1)):
    rng = np.random.default_rng(seed)
    y = rng.choice(np.asarray(classes), size=n)
    shift = np.searchsorted(np.sort(np.asarray(classes)), y)[:, None]
    X = rng.normal(size=(n, d)) * (1.0 + 0.5 * shift) + shift
    return X, y


def poisson_data(seed, n=400, rates=((1.0, 4.0, 0.5), (3.0, 1.0, 2.0))):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    return rng.poisson(np.asarray(rates)[y]).astype(float), y


@pytest.mark.parametrize("classes", [(0, 1), ("a", "b", "c")])
@pytest.mark.parametrize("var_smoothing", [1e-9, 0.1])
def test_gaussian_matches_scikit_learn(classes, var_smoothing):
    X, y = gaussian_data(1, classes=classes)
    ours = naive_bayes.gaussian_naive_bayes(X, y, var_smoothing=var_smoothing)
    theirs = GaussianNB(var_smoothing=var_smoothing).fit(X, y)
    assert ours.classes == tuple(theirs.classes_)
    np.testing.assert_allclose(ours.means, theirs.theta_, rtol=1e-12)
    np.testing.assert_allclose(ours.variances, theirs.var_, rtol=1e-12)
    X_new, _ = gaussian_data(2, n=50, classes=classes)
    np.testing.assert_allclose(ours.predict_proba(X_new), theirs.predict_proba(X_new),
                               rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.predict_log_proba(X_new), theirs.predict_log_proba(X_new),
                               rtol=1e-9, atol=1e-9)
    assert (ours.predict(X_new) == theirs.predict(X_new)).all()


def test_gaussian_log_odds_is_the_log_ratio_of_scikit_learn_probabilities():
    X, y = gaussian_data(3)
    theirs = GaussianNB().fit(X, y).predict_log_proba(X)
    log_odds = naive_bayes.gaussian_naive_bayes(X, y).predict_log_odds(X)
    np.testing.assert_allclose(log_odds, theirs[:, 1] - theirs[:, 0], rtol=1e-9, atol=1e-9)


def test_gaussian_shared_variance_log_odds_is_linear():
    """With equal class variances a(x) is affine: its second differences vanish."""
    rng = np.random.default_rng(4)
    X = np.concatenate([rng.normal(0, 1, (500, 1)), rng.normal(2, 1, (500, 1))])
    y = np.repeat([0, 1], 500)
    model = naive_bayes.gaussian_naive_bayes(X, y)
    equal = naive_bayes.GaussianNaiveBayes(model.classes, model.log_priors, model.means,
                                           np.full_like(model.variances, 1.3))
    grid = np.linspace(-3, 3, 7)[:, None]
    assert np.abs(np.diff(equal.predict_log_odds(grid), 2)).max() < 1e-12
    assert np.abs(np.diff(model.predict_log_odds(grid), 2)).max() > 1e-3


def direct_poisson_log_odds(x, rates, priors):
    log_joint = [np.log(p) + stats.poisson.logpmf(x, r).sum(axis=1)
                 for p, r in zip(priors, rates, strict=False)]
    return log_joint[1] - log_joint[0]


def test_poisson_matches_direct_computation():
    X, y = poisson_data(5)
    model = naive_bayes.poisson_naive_bayes(X, y)
    rates = np.stack([X[y == c].mean(axis=0) for c in (0, 1)])
    priors = np.bincount(y) / y.size
    np.testing.assert_allclose(model.rates, rates, rtol=1e-12)
    X_new, _ = poisson_data(6, n=40)
    expected = direct_poisson_log_odds(X_new, rates, priors)
    np.testing.assert_allclose(model.predict_log_odds(X_new), expected, rtol=1e-10, atol=1e-10)
    posterior = 1 / (1 + np.exp(-expected))
    np.testing.assert_allclose(model.predict_proba(X_new)[:, 1], posterior, rtol=1e-10)


def test_poisson_log_odds_coefficients():
    """a(x) = sum_i x_i log(l_1i / l_0i) - sum_i (l_1i - l_0i) + log(pi_1 / pi_0)."""
    X, y = poisson_data(7)
    model = naive_bayes.poisson_naive_bayes(X, y, alpha=0.5)
    weights = np.log(model.rates[1] / model.rates[0])
    bias = -(model.rates[1] - model.rates[0]).sum() + model.log_priors[1] - model.log_priors[0]
    np.testing.assert_allclose(model.predict_log_odds(X), X @ weights + bias, rtol=1e-10,
                               atol=1e-10)


def test_poisson_alpha_is_a_gamma_posterior_mean():
    X = np.array([[0.0], [0.0], [2.0], [4.0]])
    model = naive_bayes.poisson_naive_bayes(X, [0, 0, 1, 1], alpha=1.0)
    np.testing.assert_allclose(model.rates[:, 0], [1 / 3, 7 / 3])


def test_poisson_zero_rate_needs_alpha():
    with pytest.raises(numeric.InvalidArgumentValue, match="alpha"):
        naive_bayes.poisson_naive_bayes([[0.0], [0.0], [2.0]], [0, 0, 1])


@pytest.mark.parametrize(("X", "match"), [([[1.5], [2.0]], "counts"), ([[-1.0], [2.0]], "counts")])
def test_poisson_rejects_non_counts(X, match):
    with pytest.raises(numeric.InvalidArgumentValue, match=match):
        naive_bayes.poisson_naive_bayes(X, [0, 1])


def test_bad_arguments_are_named():
    X, y = gaussian_data(8)
    with pytest.raises(numeric.InvalidArgumentValue, match="y must"):
        naive_bayes.gaussian_naive_bayes(X, y[:-1])
    with pytest.raises(numeric.InvalidArgumentValue, match="two classes"):
        naive_bayes.gaussian_naive_bayes(X, np.zeros(len(y)))
    with pytest.raises(numeric.InvalidArgumentType, match="var_smoothing"):
        naive_bayes.gaussian_naive_bayes(X, y, var_smoothing="small")
    model = naive_bayes.gaussian_naive_bayes(X, y)
    with pytest.raises(numeric.InvalidArgumentValue, match="columns"):
        model.predict_proba(X[:, :2])
    with pytest.raises(numeric.InvalidArgumentValue, match="X must be finite"):
        model.predict_proba(np.full((1, 3), np.nan))
    three = naive_bayes.gaussian_naive_bayes(*gaussian_data(9, classes=(0, 1, 2)))
    with pytest.raises(numeric.InvalidArgumentValue, match="two classes"):
        three.predict_log_odds(X)


def test_zero_variance_without_smoothing_is_an_error():
    with pytest.raises(numeric.InvalidArgumentValue, match="var_smoothing"):
        naive_bayes.gaussian_naive_bayes([[1.0, 0.0], [1.0, 1.0], [2.0, 3.0], [3.0, 1.0]],
                                         [0, 0, 1, 1], var_smoothing=0.0)
