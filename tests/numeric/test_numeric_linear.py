"""numeric.linear against independent references: NumPy, SciPy and scikit-learn."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.optimize

import numeric
from numeric import linear

sklearn_linear = pytest.importorskip("sklearn.linear_model")


def regression_data(n: int = 200, d: int = 6, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * np.linspace(0.5, 3.0, d) + np.linspace(-2.0, 2.0, d)
    w = np.where(np.arange(d) % 3 == 0, 0.0, rng.standard_normal(d) * 2)
    y = X @ w + 1.5 + 0.5 * rng.standard_normal(n)
    return X, y


def classification_data(n: int = 400, d: int = 5, seed: int = 1):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) + 0.3
    w = rng.standard_normal(d)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(X @ w - 0.4)))).astype(int)
    return X, y


# ---------------------------------------------------------------- least squares


def test_least_squares_matches_numpy_lstsq_on_the_augmented_design():
    X, y = regression_data()
    model = linear.least_squares(X, y)
    reference = np.linalg.lstsq(np.column_stack([X, np.ones(len(y))]), y, rcond=None)[0]
    np.testing.assert_allclose(model.coef, reference[:-1], rtol=1e-10)
    assert model.intercept == pytest.approx(reference[-1], rel=1e-10)
    residual = y - model.predict(X)
    assert model.objective == pytest.approx(0.5 * residual @ residual, rel=1e-12)
    assert model.converged and model.n_iter == 0


def test_least_squares_matches_sklearn_linear_regression():
    X, y = regression_data(seed=3)
    for fit_intercept in (True, False):
        ours = linear.least_squares(X, y, fit_intercept=fit_intercept)
        theirs = sklearn_linear.LinearRegression(fit_intercept=fit_intercept).fit(X, y)
        np.testing.assert_allclose(ours.coef, theirs.coef_, rtol=1e-9, atol=1e-12)
        assert ours.intercept == pytest.approx(theirs.intercept_, abs=1e-9)


def test_least_squares_residual_is_orthogonal_to_the_columns():
    X, y = regression_data(seed=4)
    model = linear.least_squares(X, y)
    residual = y - model.predict(X)
    np.testing.assert_allclose(X.T @ residual, 0.0, atol=1e-8)
    assert abs(residual.sum()) < 1e-8


def test_rank_deficient_least_squares_raises_or_gives_the_minimum_norm_solution():
    X, y = regression_data()
    duplicated = np.column_stack([X, X[:, 0]])
    with pytest.raises(numeric.SingularMatrixError, match=r"X must have full column rank 7"):
        linear.least_squares(duplicated, y)
    model = linear.least_squares(duplicated, y, min_norm=True)
    centred = duplicated - duplicated.mean(axis=0)
    np.testing.assert_allclose(model.coef, np.linalg.pinv(centred) @ (y - y.mean()), rtol=1e-8)
    assert model.coef[0] == pytest.approx(model.coef[-1], rel=1e-8)  # norm split evenly


def test_constant_column_is_collinear_with_the_intercept():
    X, y = regression_data()
    with pytest.raises(numeric.SingularMatrixError, match="after centring"):
        linear.least_squares(np.column_stack([X, np.full(len(y), 2.0)]), y)


# ---------------------------------------------------------------- ridge


@pytest.mark.parametrize("alpha", [0.0, 0.3, 25.0])
def test_ridge_solves_the_centred_normal_equations(alpha):
    X, y = regression_data(seed=5)
    model = linear.ridge(X, y, alpha)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ yc)
    np.testing.assert_allclose(model.coef, w, rtol=1e-10)
    assert model.intercept == pytest.approx(y.mean() - X.mean(axis=0) @ w, rel=1e-10)
    r = y - model.predict(X)
    assert model.objective == pytest.approx(0.5 * r @ r + 0.5 * alpha * w @ w, rel=1e-12)


def test_ridge_alpha_is_sklearns_alpha():
    """sklearn minimises ||y - Xw||^2 + a ||w||^2 = 2 (1/2 ||y - Xw||^2 + (a/2) ||w||^2)."""
    X, y = regression_data(seed=6)
    ours = linear.ridge(X, y, 40.0)
    same = sklearn_linear.Ridge(alpha=40.0, solver="cholesky").fit(X, y)
    np.testing.assert_allclose(ours.coef, same.coef_, rtol=1e-9)
    assert ours.intercept == pytest.approx(same.intercept_, rel=1e-9)
    for wrong in (20.0, 80.0):  # the mappings a/2 or 2a would be plausible mistakes
        other = sklearn_linear.Ridge(alpha=wrong, solver="cholesky").fit(X, y)
        assert not np.allclose(ours.coef, other.coef_, rtol=1e-3)


def test_ridge_without_intercept_penalises_everything():
    X, y = regression_data(seed=7)
    model = linear.ridge(X, y, 2.0, fit_intercept=False)
    w = np.linalg.solve(X.T @ X + 2.0 * np.eye(X.shape[1]), X.T @ y)
    np.testing.assert_allclose(model.coef, w, rtol=1e-10)
    assert model.intercept == 0.0


def test_ridge_dual_branch_for_more_features_than_samples():
    rng = np.random.default_rng(8)
    X, y = rng.standard_normal((30, 80)), rng.standard_normal(30)
    model = linear.ridge(X, y, 0.7)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w = np.linalg.solve(Xc.T @ Xc + 0.7 * np.eye(80), Xc.T @ yc)
    np.testing.assert_allclose(model.coef, w, rtol=1e-8, atol=1e-12)
    theirs = sklearn_linear.Ridge(alpha=0.7).fit(X, y)
    np.testing.assert_allclose(model.coef, theirs.coef_, rtol=1e-7, atol=1e-10)


def test_ridge_with_alpha_zero_and_singular_gram_raises():
    X, y = regression_data()
    duplicated = np.column_stack([X, 2.0 * X[:, 1]])
    with pytest.raises(numeric.SingularMatrixError, match=r"alpha=0\.0"):
        linear.ridge(duplicated, y, 0.0)
    assert linear.ridge(duplicated, y, 1e-3).converged  # alpha > 0 makes it well-posed
    rng = np.random.default_rng(0)
    with pytest.raises(numeric.SingularMatrixError, match="X X\\^T"):
        linear.ridge(rng.standard_normal((5, 10)), rng.standard_normal(5), 0.0)


def test_ridge_coef_is_read_only():
    X, y = regression_data()
    model = linear.ridge(X, y, 1.0)
    with pytest.raises(ValueError, match="read-only"):
        model.coef[0] = 1.0


# ---------------------------------------------------------------- lasso


def _kkt_violation(model, X, y, alpha):
    """max over j of the distance of x_j^T r from alpha * d|w_j| (0 at the optimum)."""
    Xc = X - X.mean(axis=0)
    c = Xc.T @ (y - model.predict(X))
    active = model.coef != 0
    off = np.maximum(np.abs(c[~active]) - alpha, 0.0)
    on = np.abs(c[active] - alpha * np.sign(model.coef[active]))
    return max(off.max(initial=0.0), on.max(initial=0.0))


@pytest.mark.parametrize("alpha", [5.0, 60.0, 400.0])
def test_lasso_matches_sklearn_with_alpha_over_n(alpha):
    """sklearn minimises 1/(2n) ||y - Xw||^2 + a ||w||_1, so a = alpha / n."""
    X, y = regression_data(seed=9)
    ours = linear.lasso(X, y, alpha)
    theirs = sklearn_linear.Lasso(alpha=alpha / len(y), tol=1e-14, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(ours.coef, theirs.coef_, rtol=1e-6, atol=1e-8)
    assert ours.intercept == pytest.approx(theirs.intercept_, rel=1e-6)
    assert np.array_equal(ours.coef == 0, theirs.coef_ == 0)
    assert _kkt_violation(ours, X, y, alpha) < 1e-6 * alpha
    assert ours.converged


def test_lasso_sparsity_and_wrong_alpha_mapping():
    X, y = regression_data(seed=10)
    ours = linear.lasso(X, y, 100.0)
    assert 0 < np.count_nonzero(ours.coef) < X.shape[1]
    unscaled = sklearn_linear.Lasso(alpha=100.0, tol=1e-12, max_iter=100_000).fit(X, y)
    assert not np.allclose(ours.coef, unscaled.coef_, atol=1e-3)  # forgetting the 1/n


def test_lasso_with_large_alpha_is_all_zero():
    X, y = regression_data(seed=11)
    Xc = X - X.mean(axis=0)
    alpha_max = np.abs(Xc.T @ (y - y.mean())).max()
    assert linear.lasso(X, y, 0.99 * alpha_max).coef.any()
    model = linear.lasso(X, y, 1.01 * alpha_max)
    assert not model.coef.any()
    assert model.intercept == pytest.approx(y.mean())


def test_lasso_objective_is_not_beaten_by_sklearn_or_perturbations():
    X, y = regression_data(seed=12)
    alpha = 30.0
    model = linear.lasso(X, y, alpha)

    def objective(w, b):
        r = y - X @ w - b
        return 0.5 * r @ r + alpha * np.abs(w).sum()

    assert model.objective == pytest.approx(objective(model.coef, model.intercept), rel=1e-12)
    rng = np.random.default_rng(0)
    for _ in range(20):
        w = model.coef + 1e-3 * rng.standard_normal(X.shape[1])
        b = y.mean() - X.mean(axis=0) @ w
        assert objective(w, b) > model.objective


def test_lasso_residual_branch_for_more_features_than_samples():
    rng = np.random.default_rng(13)
    X = rng.standard_normal((40, 100))
    y = X[:, :3] @ np.array([3.0, -2.0, 1.5]) + 0.1 * rng.standard_normal(40)
    ours = linear.lasso(X, y, 2.0)
    theirs = sklearn_linear.Lasso(alpha=2.0 / 40, tol=1e-14, max_iter=200_000).fit(X, y)
    np.testing.assert_allclose(ours.coef, theirs.coef_, rtol=1e-5, atol=1e-7)
    assert _kkt_violation(ours, X, y, 2.0) < 1e-5


def test_lasso_reports_non_convergence():
    X, y = regression_data(seed=14)
    with pytest.warns(numeric.ConvergenceWarning, match="did not reach"):
        model = linear.lasso(X, y, 1.0, max_iter=1)
    assert not model.converged and model.n_iter == 1


def test_lasso_zero_column_keeps_zero_weight():
    X, y = regression_data(seed=15)
    X = np.column_stack([X, np.zeros(len(y))])
    model = linear.lasso(X, y, 1.0, fit_intercept=False)
    assert model.coef[-1] == 0.0 and model.converged


# ---------------------------------------------------------------- logistic


def test_logistic_newton_matches_sklearn_with_c_equal_one_over_alpha():
    X, y = classification_data()
    for alpha in (0.5, 10.0):
        ours = linear.logistic_regression(X, y, alpha=alpha)
        theirs = sklearn_linear.LogisticRegression(C=1.0 / alpha, solver="newton-cholesky",
                                                   tol=1e-12, max_iter=1000).fit(X, y)
        np.testing.assert_allclose(ours.coef, theirs.coef_[0], rtol=1e-7, atol=1e-9)
        assert ours.intercept == pytest.approx(theirs.intercept_[0], rel=1e-7, abs=1e-9)
        assert ours.converged
        np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X)[:, 1],
                                   rtol=1e-7)


def test_logistic_maximises_the_same_objective_as_scipy_minimize():
    X, y = classification_data(seed=2)
    alpha = 1.0
    d = X.shape[1]

    def negative(theta):
        return -linear.logistic_log_likelihood(theta[:d], theta[d], X, y, alpha)

    def negative_gradient(theta):
        return -linear.logistic_gradient(theta[:d], theta[d], X, y, alpha)

    reference = scipy.optimize.minimize(negative, np.zeros(d + 1), jac=negative_gradient,
                                        method="BFGS", options={"gtol": 1e-9})
    ours = linear.logistic_regression(X, y, alpha=alpha)
    np.testing.assert_allclose(ours.coef, reference.x[:d], rtol=1e-5, atol=1e-7)
    assert ours.objective == pytest.approx(-reference.fun, rel=1e-10)
    assert ours.objective >= -reference.fun - 1e-9  # scipy stops short, never beyond
    gradient = linear.logistic_gradient(ours.coef, ours.intercept, X, y, alpha)
    assert np.abs(gradient).max() < 1e-8


def test_gradient_and_hessian_match_finite_differences():
    X, y = classification_data(n=60, seed=3)
    rng = np.random.default_rng(3)
    w, b, alpha, h = rng.standard_normal(X.shape[1]), 0.3, 0.7, 1e-5
    theta, d = np.append(w, b), X.shape[1]

    def loglik(t):
        return linear.logistic_log_likelihood(t[:d], t[d], X, y, alpha)

    def grad(t):
        return linear.logistic_gradient(t[:d], t[d], X, y, alpha)

    basis = np.eye(d + 1)
    fd_grad = np.array([(loglik(theta + h * e) - loglik(theta - h * e)) / (2 * h) for e in basis])
    np.testing.assert_allclose(grad(theta), fd_grad, rtol=1e-7, atol=1e-7)
    fd_hess = np.array([(grad(theta + h * e) - grad(theta - h * e)) / (2 * h) for e in basis])
    hessian = linear.logistic_hessian(w, b, X, y, alpha)
    np.testing.assert_allclose(hessian, fd_hess.T, rtol=1e-6, atol=1e-6)
    assert np.all(np.linalg.eigvalsh(hessian) < 0)


def test_log_likelihood_is_the_bernoulli_log_likelihood():
    X, y = classification_data(n=50, seed=4)
    w, b = np.linspace(-1, 1, X.shape[1]), -0.2
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    direct = np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) - 0.5 * 2.0 * w @ w
    assert linear.logistic_log_likelihood(w, b, X, y, 2.0) == pytest.approx(direct, rel=1e-12)


def test_gradient_ascent_reaches_the_newton_solution():
    X, y = classification_data(n=200, seed=5)
    newton = linear.logistic_regression(X, y, alpha=1.0)
    ascent = linear.logistic_regression(X, y, alpha=1.0, method="gradient", tol=1e-9)
    assert ascent.converged and ascent.n_iter > newton.n_iter
    np.testing.assert_allclose(ascent.coef, newton.coef, rtol=1e-6, atol=1e-8)
    assert ascent.objective == pytest.approx(newton.objective, rel=1e-12)


def test_lbfgs_reaches_the_newton_solution():
    X, y = classification_data(n=300, seed=5)
    newton = linear.logistic_regression(X, y, alpha=0.5)
    lbfgs = linear.logistic_regression(X, y, alpha=0.5, method="lbfgs")
    assert lbfgs.converged
    np.testing.assert_allclose(lbfgs.coef, newton.coef, rtol=1e-5, atol=1e-7)
    assert lbfgs.objective <= newton.objective + 1e-9


def test_gradient_ascent_with_too_large_a_step_does_not_converge():
    X, y = classification_data(n=200, seed=5)
    with pytest.warns(numeric.ConvergenceWarning):
        model = linear.logistic_regression(X, y, alpha=1.0, method="gradient", step=1.0,
                                           max_iter=200)
    assert not model.converged


def test_labels_minus_one_one_give_the_same_model_and_predictions_in_that_set():
    X, y = classification_data(seed=6)
    a = linear.logistic_regression(X, y)
    b = linear.logistic_regression(X, 2 * y - 1)
    np.testing.assert_allclose(a.coef, b.coef, rtol=1e-12)
    assert a.classes == (0, 1) and b.classes == (-1, 1)
    assert set(np.unique(b.predict(X))) == {-1, 1}
    np.testing.assert_array_equal(b.predict(X), np.where(X @ b.coef + b.intercept > 0, 1, -1))
    assert np.mean(a.predict(X) == y) > 0.6


def test_separable_data_without_penalty_warns_and_reports_no_convergence():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((100, 2))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    with pytest.warns(numeric.ConvergenceWarning, match="linearly separable"):
        model = linear.logistic_regression(X, y)
    assert not model.converged
    with pytest.warns(numeric.ConvergenceWarning, match="linearly separable"):
        assert not linear.logistic_regression(X, y, method="lbfgs").converged
    for method in ("newton", "gradient", "lbfgs"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert linear.logistic_regression(X, y, alpha=1.0, method=method, tol=1e-8).converged


def test_rank_deficient_design_without_penalty_raises():
    X, y = classification_data(seed=8)
    with pytest.raises(numeric.SingularMatrixError, match="full column rank"):
        linear.logistic_regression(np.column_stack([X, X[:, 0]]), y)


def test_no_intercept_fit_matches_sklearn():
    X, y = classification_data(seed=9)
    ours = linear.logistic_regression(X, y, alpha=2.0, fit_intercept=False)
    theirs = sklearn_linear.LogisticRegression(C=0.5, fit_intercept=False, tol=1e-12,
                                               solver="newton-cholesky").fit(X, y)
    np.testing.assert_allclose(ours.coef, theirs.coef_[0], rtol=1e-7)
    assert ours.intercept == 0.0


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda X, y: linear.least_squares(X[:, 0], y), numeric.InvalidArgumentValue,
         r"X must be a 2-D array, got shape \(200,\)"),
        (lambda X, y: linear.least_squares(X, y[:-1]), numeric.InvalidArgumentValue,
         r"X and y must have the same number of rows.*length 199"),
        (lambda X, y: linear.ridge(X, np.where(np.arange(200) == 7, np.nan, y), 1.0),
         numeric.InvalidArgumentValue, r"y must be finite, got nan at index 7"),
        (lambda X, y: linear.ridge(np.where(X > 3, np.inf, X), y, 1.0),
         numeric.InvalidArgumentValue,
         r"X must be finite, got inf at index \(\d+, \d+\)"),
        (lambda X, y: linear.ridge(X, y, -1.0), numeric.InvalidArgumentValue,
         r"alpha must be non-negative, got -1\.0"),
        (lambda X, y: linear.ridge(X, y, "1"), numeric.InvalidArgumentType,
         r"alpha must be a real number, got '1'"),
        (lambda X, y: linear.lasso(X, y, 0.0), numeric.InvalidArgumentValue,
         r"alpha must be positive, got 0\.0"),
        (lambda X, y: linear.lasso(X, y, 1.0, max_iter=0), numeric.InvalidArgumentValue,
         r"max_iter must be a positive integer, got 0"),
        (lambda X, y: linear.logistic_regression(X, np.arange(200) % 3),
         numeric.InvalidArgumentValue,
         r"y must hold labels in \{0, 1\} or \{-1, 1\}, got values \{0, 1, 2\}"),
        (lambda X, y: linear.logistic_regression(X, np.ones(200)), numeric.InvalidArgumentValue,
         r"y must contain both classes"),
        (lambda X, y: linear.logistic_regression(X, y > 0, method="sag"),
         numeric.InvalidArgumentValue,
         r"method must be one of 'newton', 'gradient', 'lbfgs', got 'sag'"),
        (lambda X, y: linear.logistic_gradient(np.zeros(3), 0.0, X, y > 0, 0.0),
         numeric.InvalidArgumentValue,
         r"w must have one entry per column of X \(6\), got length 3"),
        (lambda X, y: linear.logistic_log_likelihood(np.zeros(6), 0.0, X, 2 * (y > 0) - 1, 0.0),
         numeric.InvalidArgumentValue, r"y01 must hold labels in \{0, 1\}, got -1"),
        (lambda X, y: linear.ridge(X, y, 1.0).predict(X[:, :2]), numeric.InvalidArgumentValue,
         r"X must have 6 columns, got shape \(200, 2\)"),
        (lambda X, y: linear.least_squares([["a"]], y), numeric.InvalidArgumentType,
         r"X must hold real numbers"),
    ],
)
def test_bad_input_raises_and_names_the_argument(call, error, pattern):
    X, y = regression_data()
    with pytest.raises(error, match=pattern):
        call(X, y)


def test_default_newton_with_many_features_matches_sklearn_tightly():
    """The default fit (an L-BFGS warm start, then Newton) against scikit-learn's Newton
    solver at a tight tolerance, on a problem with 40 features."""
    rng = np.random.default_rng(31)
    X = rng.standard_normal((3000, 40))
    y = (rng.random(3000) < 1 / (1 + np.exp(-(X @ (rng.standard_normal(40) / 3) + 0.2))))
    ours = linear.logistic_regression(X, y.astype(int), alpha=2.0)
    theirs = sklearn_linear.LogisticRegression(C=0.5, solver="newton-cholesky", tol=1e-12,
                                               max_iter=1000).fit(X, y)
    assert ours.converged
    np.testing.assert_allclose(ours.coef, theirs.coef_[0], rtol=1e-7, atol=1e-9)
    gradient = linear.logistic_gradient(ours.coef, ours.intercept, X, y.astype(int), 2.0)
    assert np.abs(gradient).max() < 1e-6


def test_default_newton_when_the_warm_start_already_sits_at_the_maximiser():
    """Every row appears once with each label, so theta = 0 maximises l exactly and the
    L-BFGS warm start stops there at once. Its float32 gradient is rounding noise; the first
    Newton step is then taken from the exact gradient, so the fit stays at zero to rounding
    (from the float32 gradient it would move by ~1e-11 and leave a gradient ~3e-8)."""
    rng = np.random.default_rng(32)
    Z = rng.standard_normal((5000, 4)) * np.array([30.0, 90.0, 9.0, 300.0]) + 200.0
    X, y = np.vstack([Z, Z]), np.r_[np.ones(5000), np.zeros(5000)]
    model = linear.logistic_regression(X, y, alpha=1.0)
    assert model.converged and model.n_iter <= 2
    assert np.abs(model.coef).max() < 1e-12 and abs(model.intercept) < 1e-11
    gradient = linear.logistic_gradient(model.coef, model.intercept, X, y, 1.0)
    assert np.abs(gradient).max() < 5e-9


def dependent_design(noise: float):
    """Three columns and a fourth that is 0.37 x_1 + 1.91 x_2 (plus ``noise``)."""
    rng = np.random.default_rng(33)
    X = rng.standard_normal((2000, 3)) * np.array([1.3, 0.7, 2.1])
    X = np.column_stack([X, 0.37 * X[:, 0] + 1.91 * X[:, 1] + noise * rng.standard_normal(2000)])
    y = (rng.random(2000) < 1 / (1 + np.exp(-X[:, 0] + 0.5 * X[:, 2]))).astype(int)
    return X, y


def test_dependent_columns_without_penalty_raise_although_float32_blurs_them():
    """In float32 the exact dependence x_4 = 0.37 x_1 + 1.91 x_2 is broken by rounding (a
    Hessian of condition ~1e9 instead of a singular one): the Hessian is then formed in
    float64, which shows it singular."""
    X, y = dependent_design(noise=0.0)
    with pytest.raises(numeric.SingularMatrixError, match="full column rank"):
        linear.logistic_regression(X, y, alpha=0.0)


def test_ill_conditioned_full_rank_design_without_penalty_matches_sklearn():
    """x_4 is 1e-4 away from a combination of x_1 and x_2: full rank, coefficients in the
    hundreds. No false "singular" (the float32 Hessian's rounding looks like singularity to
    the float64 test) and the same maximiser as scikit-learn's."""
    X, y = dependent_design(noise=1e-4)
    ours = linear.logistic_regression(X, y, alpha=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # penalty=None is deprecated in 1.8
        theirs = sklearn_linear.LogisticRegression(penalty=None, solver="newton-cholesky",
                                                   tol=1e-12, max_iter=1000).fit(X, y)
    assert ours.converged and np.abs(ours.coef).max() > 100
    np.testing.assert_allclose(ours.coef, theirs.coef_[0], rtol=1e-6)
    theirs_value = linear.logistic_log_likelihood(theirs.coef_[0], theirs.intercept_[0], X, y,
                                                  0.0)
    assert ours.objective >= theirs_value - 1e-9
