"""numeric.sde: Brownian increments, Euler-Maruyama and Milstein, with convergence orders.

Orders are measured the way a cross-check would: for each step size an independent Monte
Carlo estimate (its own seed) of the error, where the exact solution of geometric Brownian
motion is driven by the same Brownian path as the scheme (fine increments, coarsened).
Independent estimates make the scatter about the fitted line honest, so the interval
reflects the Monte Carlo noise (99.9% intervals); the step sizes are in the asymptotic range, so the
pre-asymptotic bias of the slope (about 0.01) stays well inside it.
"""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest

import numeric
from numeric import montecarlo, sde
from numeric.rates import fit_power_law

T, X0 = 1.0, 1.0


def gbm_exact(mu, sigma, W_T):
    return X0 * np.exp((mu - 0.5 * sigma**2) * T + sigma * W_T)


def scheme_sampler(scheme, mu, sigma, n_fine, factor, statistic):
    """Draws ``statistic(X_h, X_exact)`` per path, X_h with step factor * T / n_fine."""

    def drift(x, t):
        return mu * x

    def diffusion(x, t):
        return sigma * x

    def diffusion_dx(x, t):
        return np.full_like(x, sigma)

    def sampler(rng, size):
        dW = rng.standard_normal((n_fine, size)) * math.sqrt(T / n_fine)
        exact = gbm_exact(mu, sigma, dW.sum(axis=0))
        h, coarse = T / n_fine * factor, sde.coarsen(dW, factor)
        if scheme == "em":
            x = sde.euler_maruyama(drift, diffusion, X0, h, coarse, path=False)
        else:
            x = sde.milstein(drift, diffusion, diffusion_dx, X0, h, coarse, path=False)
        return statistic(x, exact)

    return sampler


def fitted_order(scheme, mu, sigma, n_fine, factors, paths, statistic, test_id):
    steps, errors = [], []
    for factor in factors:
        seed = montecarlo.seed_from_string(f"{test_id}/{factor}")
        est = montecarlo.estimate(scheme_sampler(scheme, mu, sigma, n_fine, factor, statistic),
                                  paths, seed=seed)
        assert abs(est.mean) > 5 * est.stderr  # the error is resolved, not noise
        steps.append(T / n_fine * factor)
        errors.append(abs(est.mean))
    return fit_power_law(steps, errors, confidence=0.999)


def absolute_error(x, exact):
    return np.abs(x - exact)


def signed_error(x, exact):
    return x - exact


def test_euler_maruyama_has_strong_order_one_half():
    fit = fitted_order("em", -0.5, 0.5, 2**11, [1, 2, 4, 8, 16, 32], 500, absolute_error,
                       "sde/em-strong")
    assert fit.contains(0.5), fit
    assert not fit.contains(1.0), fit
    assert abs(fit.slope - 0.5) < 0.1


def test_milstein_has_strong_order_one():
    fit = fitted_order("milstein", -0.5, 0.5, 2**11, [1, 2, 4, 8, 16, 32], 500,
                       absolute_error, "sde/milstein-strong")
    assert fit.contains(1.0), fit
    assert not fit.contains(0.5), fit
    assert abs(fit.slope - 1.0) < 0.1


def test_euler_maruyama_has_weak_order_one():
    """Weak error |E X_h - E X_T|, estimated as the mean of X_h - X_T on the same paths."""
    fit = fitted_order("em", 0.3, 0.2, 2**8, [1, 2, 4, 8, 16, 32], 10_000, signed_error,
                       "sde/em-weak")
    assert fit.contains(1.0), fit
    assert not fit.contains(0.5), fit


def test_em_weak_error_matches_its_closed_form():
    """For GBM, E X_h(T) = X0 (1 + mu h)^(T/h) exactly: the estimate must agree with it and
    reject the exact mean X0 e^(mu T) (the bias is resolved)."""
    mu, sigma, n = 1.0, 0.5, 8
    sampler = scheme_sampler("em", mu, sigma, n, 1, lambda x, exact: x)
    est = montecarlo.estimate(sampler, 400_000, seed=montecarlo.seed_from_string("sde/em-mean"))
    assert montecarlo.compare(est, X0 * (1 + mu * T / n) ** n).agrees
    assert not montecarlo.compare(est, X0 * math.exp(mu * T)).agrees


# ---------------------------------------------------------------- increments


def test_brownian_increments_are_n_0_dt():
    dW = sde.brownian_increments(50, 4000, 0.01, seed=3)
    assert dW.shape == (50, 4000)
    samples = dW.reshape(-1)
    n = samples.size
    mean = montecarlo.Estimate(samples.mean(), samples.std(ddof=1) / math.sqrt(n), n)
    assert montecarlo.compare(mean, 0.0).agrees
    squares = samples**2
    var = montecarlo.Estimate(squares.mean(), squares.std(ddof=1) / math.sqrt(n), n)
    assert montecarlo.compare(var, 0.01).agrees
    assert not montecarlo.compare(var, 0.01**2).agrees  # scaling by dt, not sqrt(dt)
    np.testing.assert_array_equal(dW, sde.brownian_increments(50, 4000, 0.01, seed=3))
    assert sde.brownian_increments(2, 3, 0.5, seed=0, dim=4).shape == (2, 3, 4)


def test_coarsen_sums_consecutive_increments():
    dW = sde.brownian_increments(12, 5, 0.1, seed=1, dim=2)
    coarse = sde.coarsen(dW, 3)
    assert coarse.shape == (4, 5, 2)
    np.testing.assert_allclose(coarse[1], dW[3:6].sum(axis=0), rtol=1e-15)
    np.testing.assert_allclose(coarse.sum(axis=0), dW.sum(axis=0), rtol=1e-12)
    with pytest.raises(numeric.InvalidArgumentValue, match=r"factor must divide .* 12, got 5"):
        sde.coarsen(dW, 5)


# ---------------------------------------------------------------- schemes


def test_euler_maruyama_is_the_recursion():
    dW = sde.brownian_increments(100, 7, 0.01, seed=2)
    x = np.empty((101, 7))
    x[0] = 1.0
    for k in range(100):
        t = 0.5 + 0.01 * k
        x[k + 1] = x[k] + np.sin(x[k] + t) * 0.01 + (0.2 + 0.1 * x[k] * t) * dW[k]
    path = sde.euler_maruyama(lambda y, t: np.sin(y + t), lambda y, t: 0.2 + 0.1 * y * t, 1.0,
                              0.01, dW, t0=0.5)
    np.testing.assert_array_equal(path, x)
    final = sde.euler_maruyama(lambda y, t: np.sin(y + t), lambda y, t: 0.2 + 0.1 * y * t,
                               1.0, 0.01, dW, t0=0.5, path=False)
    np.testing.assert_array_equal(final, x[-1])


def test_zero_noise_reduces_to_the_explicit_euler_method():
    dW = sde.brownian_increments(10, 3, 0.1, seed=0)
    final = sde.euler_maruyama(lambda x, t: 2 * x, lambda x, t: 0 * x, [1.0, 2.0, 3.0], 0.1, dW,
                               path=False)
    np.testing.assert_allclose(final, np.array([1.0, 2.0, 3.0]) * 1.2**10, rtol=1e-14)


def test_general_noise_uses_the_matrix_product():
    rng = np.random.default_rng(4)
    dW = sde.brownian_increments(20, 6, 0.05, seed=4, dim=3)
    B = rng.standard_normal((2, 3))

    def g(x, t):
        return np.einsum("dm,p->pdm", B, 1 + 0.1 * x[:, 0] ** 2)

    x = np.tile([1.0, -1.0], (6, 1))
    for k in range(20):
        x = x - x * 0.05 + np.einsum("pdm,pm->pd", g(x, 0.0), dW[k])
    final = sde.euler_maruyama(lambda y, t: -y, g, [1.0, -1.0], 0.05, dW, path=False)
    np.testing.assert_allclose(final, x, rtol=1e-13)


def test_diagonal_noise_drives_each_component_by_its_own_brownian_motion():
    dW = sde.brownian_increments(30, 4, 0.1, seed=5, dim=2)
    final = sde.euler_maruyama(lambda x, t: 0 * x, lambda x, t: np.ones_like(x), 0.0, 0.1, dW,
                               path=False)
    np.testing.assert_allclose(final, dW.sum(axis=0), rtol=1e-12)


def test_scalar_noise_with_a_vector_state_uses_one_brownian_motion_per_path():
    dW = sde.brownian_increments(30, 4, 0.1, seed=6)
    final = sde.euler_maruyama(lambda x, t: 0 * x, lambda x, t: np.ones_like(x) * [1.0, 2.0],
                               [[0.0, 0.0]], 0.1, dW, path=False)
    np.testing.assert_allclose(final, dW.sum(axis=0)[:, None] * [1.0, 2.0], rtol=1e-12)


def test_milstein_with_constant_diffusion_equals_euler_maruyama():
    dW = sde.brownian_increments(50, 10, 0.02, seed=7)
    args = (lambda x, t: -x, lambda x, t: 0.3 + 0 * x)
    em = sde.euler_maruyama(*args, 1.0, 0.02, dW)
    mil = sde.milstein(*args, lambda x, t: 0 * x, 1.0, 0.02, dW)
    np.testing.assert_allclose(mil, em, rtol=1e-14)


def test_milstein_correction_term():
    dW = sde.brownian_increments(1, 5, 0.1, seed=8)
    x1 = sde.milstein(lambda x, t: 0 * x, lambda x, t: 0.5 * x, lambda x, t: 0.5 + 0 * x, 2.0,
                      0.1, dW, path=False)
    expected = 2.0 + 1.0 * dW[0] + 0.5 * 1.0 * 0.5 * (dW[0] ** 2 - 0.1)
    np.testing.assert_allclose(x1, expected, rtol=1e-14)


def test_final_state_only_keeps_memory_independent_of_the_number_of_steps():
    dW = sde.brownian_increments(2000, 200, 1e-3, seed=9)
    tracemalloc.start()
    try:
        sde.euler_maruyama(lambda x, t: -x, lambda x, t: 0.1 * x, 1.0, 1e-3, dW, path=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100_000  # the path would take 2001 * 200 * 8 = 3.2 MB


def test_explicit_scheme_blow_up_is_returned_not_raised():
    """The notes: EM can diverge for superlinear drift (Hutzenthaler-Jentzen-Kloeden)."""
    dW = sde.brownian_increments(40, 3, 0.1, seed=10)
    with np.errstate(over="ignore", invalid="ignore"):
        final = sde.euler_maruyama(lambda x, t: -(x**3), lambda x, t: 0 * x + 1.0, 10.0, 0.1, dW,
                                   path=False)
    assert not np.isfinite(final).all()


# ---------------------------------------------------------------- errors


def _f(x, t):
    return -x


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: sde.brownian_increments(0, 5, 0.1, 0), numeric.InvalidArgumentValue,
         r"n_steps must be a positive integer, got 0"),
        (lambda: sde.brownian_increments(5, 5, -0.1, 0), numeric.InvalidArgumentValue,
         r"dt must be positive, got -0\.1"),
        (lambda: sde.brownian_increments(5, 5, 0.1, 1.5), numeric.InvalidArgumentType,
         r"seed must be an integer"),
        (lambda: sde.euler_maruyama(_f, _f, 1.0, 0.1, np.zeros(5)), numeric.InvalidArgumentValue,
         r"dW must be a 2-D or 3-D array, got shape \(5,\)"),
        (lambda: sde.euler_maruyama(_f, _f, 1.0, 0.1, np.full((5, 2), np.nan)),
         numeric.InvalidArgumentValue, r"dW must be finite, got nan at index \(0, 0\)"),
        (lambda: sde.euler_maruyama(_f, _f, [1.0, 2.0, 3.0], 0.1, np.zeros((5, 2))),
         numeric.InvalidArgumentValue,
         r"x0 must broadcast to the state shape \(2,\).*got shape \(3,\)"),
        (lambda: sde.euler_maruyama(_f, _f, 1.0, 0.0, np.zeros((5, 2))),
         numeric.InvalidArgumentValue,
         r"dt must be positive, got 0\.0"),
        (lambda: sde.euler_maruyama(_f, lambda x, t: np.ones(3), 1.0, 0.1, np.zeros((5, 2))),
         numeric.InvalidArgumentValue, r"g must return an array of shape \(2,\).*got shape \(3,\)"),
        (lambda: sde.euler_maruyama(lambda x, t: 1.0, _f, 1.0, 0.1, np.zeros((5, 2))),
         numeric.InvalidArgumentValue, r"f must return an array of shape \(2,\), got shape \(\)"),
        (lambda: sde.euler_maruyama(None, _f, 1.0, 0.1, np.zeros((5, 2))),
         numeric.InvalidArgumentType, r"f must be callable, got None"),
        (lambda: sde.milstein(_f, _f, _f, [1.0, 2.0], 0.1, np.zeros((5, 2, 3))),
         numeric.InvalidArgumentValue, r"dW must have one noise component per state component"),
        (lambda: sde.milstein(_f, _f, lambda x, t: 0.0, 1.0, 0.1, np.zeros((5, 2))),
         numeric.InvalidArgumentValue, r"dg must return an array of shape \(2,\)"),
    ],
)
def test_bad_arguments_raise_and_name_the_argument(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
