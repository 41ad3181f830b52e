"""numeric.fourier: coefficients by the trapezoidal rule, partial sums, the trigonometric design."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special

import numeric
from numeric import fourier


def test_coefficients_of_a_trigonometric_polynomial_are_exact():
    x = fourier.grid(64)
    samples = 0.5 - 2.0 * np.cos(3 * x) + 1.5 * np.sin(x) + 0.25 * np.sin(7 * x)
    a, b = fourier.coefficients(samples, 8)
    expected_a, expected_b = np.zeros(9), np.zeros(9)
    expected_a[[0, 3]] = 0.5, -2.0
    expected_b[[1, 7]] = 1.5, 0.25
    np.testing.assert_allclose(a, expected_a, atol=1e-13)
    np.testing.assert_allclose(b, expected_b, atol=1e-13)


def test_coefficients_of_exp_cos_are_modified_bessel_values():
    """exp(cos x) = I_0(1) + 2 sum_k I_k(1) cos(k x)."""
    a, b = fourier.coefficients(np.exp(np.cos(fourier.grid(128))), 10)
    expected = 2 * scipy.special.iv(np.arange(11), 1.0)
    expected[0] /= 2
    np.testing.assert_allclose(a, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(b, 0.0, atol=1e-14)


def test_coefficients_of_a_square_wave_converge_at_rate_one_over_n():
    ks = np.arange(1, 6)
    exact = 2 * (1 - (-1.0) ** ks) / (np.pi * ks)
    errors = []
    for n in (2**10, 2**12):
        _, b = fourier.coefficients(np.sign(fourier.grid(n)), 5)
        errors.append(np.max(np.abs(b[1:] - exact)))
    assert errors[1] < errors[0] / 3.5
    assert errors[1] < 1e-3


def test_partial_sum_matches_direct_evaluation():
    a, b = np.array([0.3, -1.0, 2.0]), np.array([0.0, 0.5, -0.25])
    x = np.linspace(-3, 3, 7)
    direct = 0.3 - np.cos(x) + 2 * np.cos(2 * x) + 0.5 * np.sin(x) - 0.25 * np.sin(2 * x)
    np.testing.assert_allclose(fourier.partial_sum(a, b, x), direct, rtol=1e-14)
    assert fourier.partial_sum(a, b, 1.0).shape == ()


def test_trig_features_are_orthogonal_on_the_grid():
    design = fourier.trig_features(fourier.grid(32), 5)
    assert design.shape == (32, 11)
    gram = design.T @ design
    np.testing.assert_allclose(gram, np.diag([32.0] + [16.0] * 10), atol=1e-12)


def test_midpoint_grid_is_shifted_by_half_a_cell():
    np.testing.assert_allclose(fourier.grid(4, midpoints=True), [-0.75 * np.pi, -0.25 * np.pi,
                                                                 0.25 * np.pi, 0.75 * np.pi])


def test_least_squares_on_trig_features_recovers_the_coefficients():
    sklearn = pytest.importorskip("sklearn.linear_model")
    x = fourier.grid(256)
    samples = np.abs(x)
    a, b = fourier.coefficients(samples, 6)
    fit = sklearn.LinearRegression().fit(fourier.trig_features(x, 6)[:, 1:], samples)
    np.testing.assert_allclose(fit.intercept_, a[0], atol=1e-12)
    np.testing.assert_allclose(fit.coef_, np.concatenate([a[1:], b[1:]]), atol=1e-12)


@pytest.mark.parametrize(("call", "name"), [
    (lambda: fourier.coefficients(np.ones(10), 5), "samples"),
    (lambda: fourier.coefficients(np.ones((3, 3)), 1), "samples"),
    (lambda: fourier.coefficients(np.ones(10), -1), "degree"),
    (lambda: fourier.grid(0), "n_points"),
    (lambda: fourier.partial_sum([1.0, 2.0], [0.0], 0.0), "a and b"),
    (lambda: fourier.trig_features([0.0, np.nan], 2), "x"),
])
def test_bad_arguments_are_named(call, name):
    with pytest.raises(numeric.NumericError, match=name):
        call()
