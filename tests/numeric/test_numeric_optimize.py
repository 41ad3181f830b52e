"""numeric.optimize: gradient descent, Newton / Levenberg-Marquardt, SGD, subgradient."""

from __future__ import annotations

import numpy as np
import pytest

import numeric
from numeric import optimize

A = np.array([[3.0, 1.0], [1.0, 2.0]])
B = np.array([1.0, -1.0])
X_STAR = np.linalg.solve(A, B)


def quadratic(x):
    return 0.5 * x @ A @ x - B @ x


def quadratic_grad(x):
    return A @ x - B


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def rosenbrock_grad(x):
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2),
                     200 * (x[1] - x[0] ** 2)])


def rosenbrock_hess(x):
    return np.array([[2 - 400 * x[1] + 1200 * x[0] ** 2, -400 * x[0]], [-400 * x[0], 200.0]])


# ---------------------------------------------------------------- gradient descent


def test_gradient_descent_finds_the_minimiser_of_a_quadratic():
    result = optimize.gradient_descent(quadratic_grad, [5.0, 5.0], step=0.2, tol=1e-10)
    assert result.converged
    np.testing.assert_allclose(result.x, X_STAR, atol=1e-9)
    assert result.history.shape == (result.n_iter + 1, 2)
    np.testing.assert_array_equal(result.history[0], [5.0, 5.0])
    np.testing.assert_array_equal(result.history[-1], result.x)


def test_gradient_descent_converges_at_the_predicted_linear_rate():
    """With step 1/L the error contracts by (1 - mu/L) per step (mu, L: eigenvalues of A)."""
    mu, L = np.linalg.eigvalsh(A)
    result = optimize.gradient_descent(quadratic_grad, [5.0, 5.0], step=1 / L, tol=1e-12)
    errors = np.linalg.norm(result.history - X_STAR, axis=1)
    ratios = errors[21:41] / errors[20:40]
    np.testing.assert_allclose(ratios, 1 - mu / L, rtol=1e-6)


def test_too_large_a_step_diverges_and_backtracking_on_f_fixes_it():
    L = np.linalg.eigvalsh(A)[-1]
    with pytest.warns(numeric.ConvergenceWarning, match="non-finite"), \
            np.errstate(over="ignore", invalid="ignore"):
        diverged = optimize.gradient_descent(quadratic_grad, [5.0, 5.0], step=2.5 / L,
                                             max_iter=5000)
    assert not diverged.converged and np.abs(diverged.history[-1]).max() > 1e300
    fixed = optimize.gradient_descent(quadratic_grad, [5.0, 5.0], step=2.5 / L, f=quadratic,
                                      tol=1e-7)
    assert fixed.converged
    np.testing.assert_allclose(fixed.x, X_STAR, atol=1e-7)
    assert np.all(np.diff([quadratic(x) for x in fixed.history]) <= 1e-15)


def test_backtracking_that_cannot_decrease_f_stops_with_a_warning():
    with pytest.warns(numeric.ConvergenceWarning, match="no step decreases f"):
        result = optimize.gradient_descent(quadratic_grad, [5.0, 5.0], step=1.0,
                                           f=lambda x: 0.0)  # f flat, grad not: f is "rounded"
    assert not result.converged and result.n_iter == 0


def test_gradient_descent_reports_running_out_of_iterations():
    with pytest.warns(numeric.ConvergenceWarning, match="did not converge in 3"):
        result = optimize.gradient_descent(quadratic_grad, [5.0, 5.0], step=0.1, max_iter=3)
    assert not result.converged and result.n_iter == 3


def test_scalar_start_is_a_one_dimensional_problem():
    result = optimize.gradient_descent(lambda x: 2 * (x - 3), 0.0, step=0.25)
    assert result.x.shape == (1,) and result.x[0] == pytest.approx(3.0)


# ---------------------------------------------------------------- Newton


def test_newton_solves_a_quadratic_in_one_step():
    result = optimize.newton(quadratic_grad, lambda x: A, [5.0, -7.0])
    assert result.converged and result.n_iter == 1
    np.testing.assert_allclose(result.x, X_STAR, rtol=1e-14)


def test_newton_converges_quadratically_on_rosenbrock():
    result = optimize.newton(rosenbrock_grad, rosenbrock_hess, [-1.2, 1.0], tol=1e-12)
    assert result.converged
    np.testing.assert_allclose(result.x, [1.0, 1.0], atol=1e-10)
    errors = np.linalg.norm(result.history - 1.0, axis=1)
    last = errors[errors > 1e-12][-3:]
    assert last[-1] < 10 * last[-2] ** 2  # e_{k+1} = O(e_k^2)


def test_levenberg_marquardt_damping_avoids_the_maximum():
    """f(x) = x^4/4 - x^2/2 has a maximum at 0 and minima at +-1. Near 0, f'' < 0 and plain
    Newton jumps to the critical point 0 (a maximum); H + lambda I > 0 gives descent."""

    def grad(x):
        return x**3 - x

    def hess(x):
        return np.array([[3 * x[0] ** 2 - 1]])

    plain = optimize.newton(grad, hess, [0.1])
    assert plain.converged and abs(plain.x[0]) < 1e-8  # converged, to the wrong point
    damped = optimize.newton(grad, hess, [0.1], damping=2.0, max_iter=500)
    assert damped.converged and damped.x[0] == pytest.approx(1.0, abs=1e-9)


def test_newton_with_a_singular_hessian_raises():
    with pytest.raises(numeric.SingularMatrixError, match=r"hess must give a non-singular"):
        optimize.newton(lambda x: x**3 - 1, lambda x: np.diag(3 * x**2), [0.0, 1.0])


# ---------------------------------------------------------------- SGD


def _least_squares_problem():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((500, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.standard_normal(500)
    return X, y


def test_sgd_approaches_the_least_squares_solution():
    X, y = _least_squares_problem()

    def grad_batch(w, idx):
        return X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)

    result = optimize.sgd(grad_batch, np.zeros(3), 500, batch_size=10,
                          step=lambda t: 0.1 / (1 + t / 500), epochs=30, seed=1)
    exact = np.linalg.lstsq(X, y, rcond=None)[0]
    assert np.linalg.norm(result.x - exact) < 0.02
    assert np.linalg.norm(result.history[1] - exact) > np.linalg.norm(result.x - exact)
    assert result.history.shape == (31, 3) and result.n_iter == 30 * 50 and result.converged


def test_sgd_is_reproducible_from_its_seed():
    X, y = _least_squares_problem()

    def grad_batch(w, idx):
        return X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)

    def run(seed):
        return optimize.sgd(grad_batch, np.zeros(3), 500, batch_size=32, step=0.05, epochs=2,
                            seed=seed).x

    np.testing.assert_array_equal(run(4), run(4))
    assert not np.array_equal(run(4), run(5))


def test_sgd_visits_every_sample_once_per_epoch():
    seen = []

    def grad_batch(w, idx):
        seen.append(np.array(idx))
        return np.zeros_like(w)

    optimize.sgd(grad_batch, [0.0], 23, batch_size=5, step=0.1, epochs=2, seed=0)
    assert [len(b) for b in seen] == [5, 5, 5, 5, 3] * 2
    for epoch in (seen[:5], seen[5:]):
        np.testing.assert_array_equal(np.sort(np.concatenate(epoch)), np.arange(23))


# ---------------------------------------------------------------- subgradient


def test_subgradient_method_minimises_an_l1_distance():
    c = np.array([3.0, -1.0])

    def f(x):
        return np.abs(x - c).sum()

    result = optimize.subgradient_descent(lambda x: np.sign(x - c), [0.0, 0.0], step=1.0,
                                          max_iter=2000, f=f)
    assert f(result.x) < 0.05
    assert f(result.x) == min(f(x) for x in result.history)  # the best iterate is returned
    assert not result.converged


def test_the_notes_plus_sign_would_climb_instead():
    """The notes write x_{k+1} = x_k + eta g_k; with g in the subdifferential that ascends."""
    x_notes = np.array([0.5])
    for k in range(100):
        x_notes = x_notes + 1.0 / np.sqrt(k + 1) * np.sign(x_notes)
    ours = optimize.subgradient_descent(np.sign, [0.5], max_iter=100, f=lambda x: abs(x[0]))
    assert abs(x_notes[0]) > 10 and abs(ours.x[0]) < 0.2


def test_zero_subgradient_certifies_optimality():
    result = optimize.subgradient_descent(np.sign, [1.0], step=1.0, max_iter=50)
    assert result.converged and result.x[0] == 0.0 and result.n_iter == 1


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: optimize.gradient_descent(quadratic_grad, [1.0, 1.0], step=0.0),
         numeric.InvalidArgumentValue, r"step must be positive, got 0\.0"),
        (lambda: optimize.gradient_descent("grad", [1.0], step=0.1), numeric.InvalidArgumentType,
         r"grad must be callable"),
        (lambda: optimize.gradient_descent(quadratic_grad, [[1.0, 1.0]], step=0.1),
         numeric.InvalidArgumentValue, r"x0 must be a 0-D or 1-D array, got shape \(1, 2\)"),
        (lambda: optimize.gradient_descent(quadratic_grad, [np.nan, 1.0], step=0.1),
         numeric.InvalidArgumentValue, r"x0 must be finite, got nan at index 0"),
        (lambda: optimize.gradient_descent(lambda x: np.zeros(3), [1.0, 1.0], step=0.1),
         numeric.InvalidArgumentValue,
         r"grad must return an array of shape \(2,\), got shape \(3,\)"),
        (lambda: optimize.newton(quadratic_grad, lambda x: np.eye(3), [1.0, 1.0]),
         numeric.InvalidArgumentValue, r"hess must return an array of shape \(2, 2\)"),
        (lambda: optimize.newton(quadratic_grad, lambda x: A, [1.0, 1.0], damping=-1.0),
         numeric.InvalidArgumentValue, r"damping must be non-negative"),
        (lambda: optimize.sgd(lambda x, i: x, [0.0], 0, batch_size=1, step=0.1, epochs=1,
                              seed=0), numeric.InvalidArgumentValue,
         r"n_samples must be a positive integer, got 0"),
        (lambda: optimize.sgd(lambda x, i: x, [0.0], 10, batch_size=1, step=0.1, epochs=1,
                              seed=-3),
         numeric.InvalidArgumentValue, r"seed must be an integer >= 0"),
        (lambda: optimize.sgd(lambda x, i: x, [0.0], 10, batch_size=1, step=lambda t: -1.0,
                              epochs=1, seed=0), numeric.InvalidArgumentValue,
         r"the value returned by step must be positive"),
        (lambda: optimize.newton(quadratic_grad, lambda x: A, []), numeric.InvalidArgumentValue,
         r"x0 must have at least one entry"),
        (lambda: optimize.subgradient_descent(np.sign, [0.5], max_iter=0),
         numeric.InvalidArgumentValue, r"max_iter must be a positive integer, got 0"),
    ],
)
def test_bad_arguments_raise_and_name_the_argument(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
