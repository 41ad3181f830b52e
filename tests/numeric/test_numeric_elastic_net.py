"""numeric.linear.elastic_net against scikit-learn, the lasso, ridge and its optimality
conditions."""

from __future__ import annotations

import numpy as np
import pytest

import numeric
from numeric import linear

sklearn_linear = pytest.importorskip("sklearn.linear_model")


def regression_data(n: int = 150, d: int = 8, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * np.linspace(0.5, 2.5, d) + 1.0
    w = np.where(np.arange(d) % 3 == 0, 0.0, rng.standard_normal(d) * 2)
    return X, X @ w - 0.7 + rng.standard_normal(n)


def objective(X, y, alpha, l1_ratio, w, b):
    r = y - X @ w - b
    return 0.5 * r @ r + alpha * (l1_ratio * np.abs(w).sum() + 0.5 * (1 - l1_ratio) * w @ w)


def kkt_violation(model, X, y, alpha, l1_ratio):
    """max over j of the distance of x_j^T r - l2 w_j from l1 * d|w_j| (0 at the optimum)."""
    l1, l2 = alpha * l1_ratio, alpha * (1 - l1_ratio)
    c = (X - X.mean(axis=0)).T @ (y - model.predict(X)) - l2 * model.coef
    active = model.coef != 0
    off = np.maximum(np.abs(c[~active]) - l1, 0.0)
    on = np.abs(c[active] - l1 * np.sign(model.coef[active]))
    return max(off.max(initial=0.0), on.max(initial=0.0))


@pytest.mark.parametrize(("alpha", "l1_ratio"), [(5.0, 0.5), (60.0, 0.2), (200.0, 0.9)])
def test_elastic_net_matches_sklearn_with_alpha_over_n(alpha, l1_ratio):
    """sklearn minimises the same function divided by n."""
    X, y = regression_data(seed=1)
    ours = linear.elastic_net(X, y, alpha, l1_ratio)
    theirs = sklearn_linear.ElasticNet(alpha=alpha / len(y), l1_ratio=l1_ratio, tol=1e-14,
                                       max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(ours.coef, theirs.coef_, rtol=1e-6, atol=1e-8)
    assert ours.intercept == pytest.approx(theirs.intercept_, rel=1e-6)
    assert ours.objective == pytest.approx(objective(X, y, alpha, l1_ratio, ours.coef,
                                                     ours.intercept), rel=1e-12)
    theirs_objective = objective(X, y, alpha, l1_ratio, theirs.coef_, theirs.intercept_)
    assert ours.objective <= theirs_objective * (1 + 1e-12)
    assert kkt_violation(ours, X, y, alpha, l1_ratio) < 1e-6 * alpha
    assert ours.converged


def test_elastic_net_is_sparse_and_forgetting_one_over_n_is_wrong():
    X, y = regression_data(seed=2)
    ours = linear.elastic_net(X, y, 150.0, 0.7)
    assert 0 < np.count_nonzero(ours.coef) < X.shape[1]
    unscaled = sklearn_linear.ElasticNet(alpha=150.0, l1_ratio=0.7, tol=1e-12).fit(X, y)
    assert not np.allclose(ours.coef, unscaled.coef_, atol=1e-3)


def test_l1_ratio_one_is_the_lasso_bit_for_bit():
    X, y = regression_data(seed=3)
    net, lasso = linear.elastic_net(X, y, 20.0, 1.0), linear.lasso(X, y, 20.0)
    assert np.array_equal(net.coef, lasso.coef) and net.intercept == lasso.intercept
    assert net.n_iter == lasso.n_iter


def test_l1_ratio_zero_is_ridge_with_the_same_alpha():
    X, y = regression_data(seed=4)
    net, ridge = linear.elastic_net(X, y, 7.0, 0.0), linear.ridge(X, y, 7.0)
    np.testing.assert_allclose(net.coef, ridge.coef, rtol=1e-12)
    near = linear.elastic_net(X, y, 7.0, 1e-9)
    np.testing.assert_allclose(near.coef, ridge.coef, rtol=1e-6)
    assert near.converged  # the gap of the conjugate dual vanishes even with l1 tiny beside l2
    assert not np.allclose(net.coef, linear.ridge(X, y, 14.0).coef, rtol=1e-3)


def test_residual_branch_for_more_features_than_samples():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((30, 80))
    y = X[:, :3] @ np.array([3.0, -2.0, 1.5]) + 0.1 * rng.standard_normal(30)
    ours = linear.elastic_net(X, y, 2.0, 0.5)
    theirs = sklearn_linear.ElasticNet(alpha=2.0 / 30, l1_ratio=0.5, tol=1e-14,
                                       max_iter=200_000).fit(X, y)
    np.testing.assert_allclose(ours.coef, theirs.coef_, rtol=1e-5, atol=1e-7)
    assert kkt_violation(ours, X, y, 2.0, 0.5) < 1e-5


def test_elastic_net_without_intercept_and_zero_column():
    X, y = regression_data(seed=6)
    X = np.column_stack([X, np.zeros(len(y))])
    model = linear.elastic_net(X, y, 3.0, 0.5, fit_intercept=False)
    assert model.coef[-1] == 0.0 and model.intercept == 0.0 and model.converged
    theirs = sklearn_linear.ElasticNet(alpha=3.0 / len(y), l1_ratio=0.5, fit_intercept=False,
                                       tol=1e-14, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(model.coef, theirs.coef_, rtol=1e-6, atol=1e-8)


def test_elastic_net_reports_non_convergence():
    X, y = regression_data(seed=7)
    with pytest.warns(numeric.ConvergenceWarning, match="elastic_net did not reach"):
        model = linear.elastic_net(X, y, 1.0, 0.5, max_iter=1)
    assert not model.converged and model.n_iter == 1


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda X, y: linear.elastic_net(X, y, 0.0, 0.5), numeric.InvalidArgumentValue,
         r"alpha must be positive, got 0\.0"),
        (lambda X, y: linear.elastic_net(X, y, 1.0, 1.5), numeric.InvalidArgumentValue,
         r"l1_ratio must be in \[0, 1\], got 1\.5"),
        (lambda X, y: linear.elastic_net(X, y, 1.0, -0.1), numeric.InvalidArgumentValue,
         r"l1_ratio must be non-negative, got -0\.1"),
        (lambda X, y: linear.elastic_net(X, y, 1.0, "0.5"), numeric.InvalidArgumentType,
         r"l1_ratio must be a real number"),
        (lambda X, y: linear.elastic_net(X, y, 1.0, 0.0, max_iter=0), numeric.InvalidArgumentValue,
         r"max_iter must be a positive integer, got 0"),
        (lambda X, y: linear.elastic_net(X, y[:-1], 1.0, 0.5), numeric.InvalidArgumentValue,
         r"X and y must have the same number of rows"),
    ],
)
def test_elastic_net_bad_input_names_the_argument(call, error, message):
    X, y = regression_data(seed=8)
    with pytest.raises(error, match=message):
        call(X, y)


@pytest.mark.parametrize(("alpha", "l1_ratio"), [(1.0, 1.0), (0.1, 1.0), (1.0, 0.5)])
def test_correlated_features_converge_in_few_sweeps_to_sklearns_minimum(alpha, l1_ratio):
    """The diabetes data's correlated columns take plain coordinate descent hundreds of
    sweeps; the jump to the minimiser on the current signs ends it in a few."""
    datasets = pytest.importorskip("sklearn.datasets")
    from sklearn.linear_model import ElasticNet

    X, y = datasets.load_diabetes(return_X_y=True)
    ours = linear.elastic_net(X, y, alpha, l1_ratio, tol=1e-12)
    theirs = ElasticNet(alpha=alpha / len(y), l1_ratio=l1_ratio, tol=1e-12,
                        max_iter=1_000_000).fit(X, y)

    def objective(w, b):
        r = y - X @ w - b
        return 0.5 * r @ r + alpha * (l1_ratio * np.abs(w).sum() + 0.5 * (1 - l1_ratio) * w @ w)

    assert ours.converged and ours.n_iter <= 30
    assert objective(ours.coef, ours.intercept) <= objective(theirs.coef_, theirs.intercept_) * (
        1 + 1e-12)
    np.testing.assert_allclose(ours.coef, theirs.coef_, rtol=0, atol=1e-3 * np.abs(
        theirs.coef_).max())


def test_lasso_with_more_features_than_samples_and_a_full_support():
    """n < d with a small alpha: about n - 1 columns are active and, on the way, the active
    columns are linearly dependent (the working-set solver drops them along null directions);
    the same minimum as scikit-learn's Lasso, and the optimality conditions hold."""
    rng = np.random.default_rng(21)
    X = rng.standard_normal((30, 120))
    y = X[:, :10] @ rng.standard_normal(10) + 0.5 * rng.standard_normal(30)
    alpha = 1.0
    ours = linear.lasso(X, y, alpha)
    theirs = sklearn_linear.Lasso(alpha=alpha / 30, tol=1e-12, max_iter=1_000_000).fit(X, y)
    assert ours.converged and np.count_nonzero(ours.coef) >= 25
    theirs_objective = objective(X, y, alpha, 1.0, theirs.coef_, theirs.intercept_)
    assert ours.objective <= theirs_objective * (1 + 1e-9)
    np.testing.assert_allclose(ours.coef, theirs.coef_, rtol=1e-4, atol=1e-5)
    assert kkt_violation(ours, X, y, alpha, 1.0) < 1e-5


def test_elastic_net_with_many_more_features_than_samples_matches_sklearn():
    rng = np.random.default_rng(22)
    X = rng.standard_normal((40, 600))
    y = X[:, :5] @ np.array([2.0, -1.0, 1.5, 0.5, -2.0]) + rng.standard_normal(40)
    ours = linear.elastic_net(X, y, 4.0, 0.6)
    theirs = sklearn_linear.ElasticNet(alpha=4.0 / 40, l1_ratio=0.6, tol=1e-14,
                                       max_iter=1_000_000).fit(X, y)
    np.testing.assert_allclose(ours.coef, theirs.coef_, rtol=1e-6, atol=1e-8)
    assert kkt_violation(ours, X, y, 4.0, 0.6) < 1e-6


def wide_data(n: int, d: int, seed: int):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) + 0.5
    w = np.where(rng.random(d) < 0.2, rng.standard_normal(d) * 2, 0.0)
    return X, X @ w + rng.standard_normal(n) - 1.0


@pytest.mark.parametrize(("fraction", "l1_ratio", "many_active"),
                         [(0.5, 0.5, False), (0.1, 0.5, True), (0.05, 0.99, False),
                          (0.01, 0.05, True)])
def test_wide_elastic_net_by_newton_on_the_dual_matches_sklearn(fraction, l1_ratio,
                                                                  many_active):
    """n < d with l2 > 0 is solved on the dual: with fewer active columns than samples (the
    Woodbury form of the step) and more (the n x n form), near the lasso and near ridge."""
    n, d = 40, 300
    X, y = wide_data(n, d, seed=23)
    alpha = fraction * np.abs((X - X.mean(axis=0)).T @ (y - y.mean())).max() / l1_ratio
    ours = linear.elastic_net(X, y, alpha, l1_ratio)
    theirs = sklearn_linear.ElasticNet(alpha=alpha / n, l1_ratio=l1_ratio, tol=1e-14,
                                       max_iter=1_000_000).fit(X, y)
    assert ours.converged and (np.count_nonzero(ours.coef) >= n) == many_active
    theirs_objective = objective(X, y, alpha, l1_ratio, theirs.coef_, theirs.intercept_)
    assert ours.objective <= theirs_objective * (1 + 1e-12)
    assert ours.objective == pytest.approx(objective(X, y, alpha, l1_ratio, ours.coef,
                                                     ours.intercept), rel=1e-12)
    np.testing.assert_allclose(ours.coef, theirs.coef_, rtol=1e-5, atol=1e-7)
    assert kkt_violation(ours, X, y, alpha, l1_ratio) < 1e-6 * alpha


def test_wide_elastic_net_without_intercept_and_its_non_convergence():
    X, y = wide_data(30, 200, seed=24)
    model = linear.elastic_net(X, y, 5.0, 0.5, fit_intercept=False)
    theirs = sklearn_linear.ElasticNet(alpha=5.0 / 30, l1_ratio=0.5, fit_intercept=False,
                                       tol=1e-14, max_iter=1_000_000).fit(X, y)
    assert model.intercept == 0.0 and model.converged
    np.testing.assert_allclose(model.coef, theirs.coef_, rtol=1e-6, atol=1e-8)
    with pytest.warns(numeric.ConvergenceWarning, match="elastic_net did not reach"):
        stopped = linear.elastic_net(X, y, 5.0, 0.5, max_iter=1)
    assert not stopped.converged and stopped.n_iter == 1


def test_wide_elastic_net_above_alpha_max_is_all_zero():
    """At alpha >= alpha_max = max_j |x_j^T (y - mean y)| / rho every weight is zero: the
    dual's start c y (c = 1 here) is already its maximiser."""
    X, y = wide_data(30, 200, seed=25)
    alpha_max = np.abs((X - X.mean(axis=0)).T @ (y - y.mean())).max() / 0.5
    model = linear.elastic_net(X, y, 1.01 * alpha_max, 0.5)
    assert model.converged and model.n_iter == 1 and not model.coef.any()
    assert model.intercept == pytest.approx(y.mean(), rel=1e-12)
    assert np.count_nonzero(linear.elastic_net(X, y, 0.9 * alpha_max, 0.5).coef) > 0


def test_the_dual_start_maximises_the_dual_along_y():
    """The starting multiple c y of the dual solver maximises D(c y) over c in [0, 1]
    (against a fine grid)."""
    from numeric.linear._net_dual import _best_scale
    from numeric.linear._penalty import _Penalty

    X, y = wide_data(30, 200, seed=26)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    penalty = _Penalty(0.2 * np.abs(Xc.T @ yc).max(), 3.0)
    u, yy = Xc.T @ yc, float(yc @ yc)

    def dual(c):
        excess = np.maximum(np.abs(c * u) - penalty.l1, 0.0)
        return c * yy - 0.5 * c * c * yy - 0.5 / penalty.l2 * float(excess @ excess)

    best = _best_scale(u, yy, penalty)
    grid = np.linspace(0.0, 1.0, 20001)
    assert 0.0 < best < 1.0
    assert dual(best) >= max(dual(c) for c in grid) - 1e-9 * yy
    assert abs(best - grid[np.argmax([dual(c) for c in grid])]) < 1e-3
