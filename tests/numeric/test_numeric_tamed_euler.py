"""numeric.sde.tamed_euler: the taming formula, agreement with Euler-Maruyama where the drift
is small, no blow-up for a superlinear drift, its strong order, and argument checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

import numeric
from numeric import montecarlo, sde
from numeric.rates import fit_power_law


def cubic(x, t):
    return -(x**3)


def unit(x, t):
    return np.ones_like(x)


def test_one_step_is_the_tamed_formula():
    x0, dt, dw = np.array([0.5, -2.0, 10.0]), 0.1, np.array([[0.3, -0.1, 0.2]])
    f = -(x0**3)
    expected = x0 + dt * f / (1 + dt * np.abs(f)) + dw[0]
    out = sde.tamed_euler(cubic, unit, x0, dt, dw)
    np.testing.assert_allclose(out[1], expected, rtol=1e-15)
    np.testing.assert_array_equal(out[0], x0)


def test_vector_state_uses_the_euclidean_norm_of_the_drift():
    x0 = np.array([[3.0, 4.0], [0.0, 1.0]])
    dt, dW = 0.5, np.zeros((1, 2, 2))
    out = sde.tamed_euler(lambda x, t: x, lambda x, t: np.zeros_like(x), x0, dt, dW,
                          path=False)
    norms = np.array([[5.0], [1.0]]) * dt
    np.testing.assert_allclose(out, x0 + dt * x0 / (1 + norms), rtol=1e-15)


def test_matches_euler_maruyama_to_second_order_in_the_drift_step():
    """|tamed - EM| per step is h^2 |f|^2 / (1 + h |f|): small for a bounded drift."""
    dW = sde.brownian_increments(100, 50, 1e-4, 0)
    drift, vol = (lambda x, t: -x), (lambda x, t: 0.3 * x)
    em = sde.euler_maruyama(drift, vol, 1.0, 1e-4, dW)
    tamed = sde.tamed_euler(drift, vol, 1.0, 1e-4, dW)
    gap = np.abs(tamed - em).max()
    assert 0 < gap < 100 * 1e-8 * 2


def test_superlinear_drift_blows_up_euler_maruyama_but_not_the_tamed_scheme():
    dW = sde.brownian_increments(100, 2000, 0.1, 1)
    x0 = np.linspace(-8, 8, 2000)
    with np.errstate(over="ignore", invalid="ignore"):
        em = sde.euler_maruyama(cubic, unit, x0, 0.1, dW, path=False)
    tamed = sde.tamed_euler(cubic, unit, x0, 0.1, dW, path=False)
    assert (~np.isfinite(em)).mean() > 0.2
    assert np.isfinite(tamed).all() and np.abs(tamed).max() < 10


def test_strong_order_one_half_on_geometric_brownian_motion():
    """E|X_h(T) - X(T)| ~ h^{1/2} for dX = 0.5 X dt + X dW (multiplicative noise)."""
    steps, errors = [], []
    for k, n in enumerate((16, 32, 64, 128, 256)):
        def sampler(rng, size, n=n):
            dW = rng.standard_normal((n, size)) * math.sqrt(1.0 / n)
            exact = np.exp(0.0 * 1.0 + dW.sum(axis=0))
            x = sde.tamed_euler(lambda x, t: 0.5 * x, lambda x, t: x, 1.0, 1.0 / n, dW,
                                path=False)
            return np.abs(x - exact)
        steps.append(1.0 / n)
        errors.append(float(montecarlo.estimate(sampler, 4000, seed=100 + k).mean))
    fit = fit_power_law(steps, errors, confidence=0.999)
    assert fit.contains(0.5) and not fit.contains(1.0)


def test_arguments_are_checked_like_euler_maruyama():
    dW = np.zeros((3, 2))
    with pytest.raises(numeric.InvalidArgumentType, match="f must be callable"):
        sde.tamed_euler("x", unit, 0.0, 0.1, dW)
    with pytest.raises(numeric.InvalidArgumentValue, match="dt must be positive"):
        sde.tamed_euler(cubic, unit, 0.0, -0.1, dW)
    with pytest.raises(numeric.InvalidArgumentValue, match="f must return"):
        sde.tamed_euler(lambda x, t: x[:1], unit, 0.0, 0.1, dW)
    with pytest.raises(numeric.InvalidArgumentValue, match="g must return"):
        sde.tamed_euler(cubic, lambda x, t: np.ones(5), 0.0, 0.1, dW)
    with pytest.raises(numeric.InvalidArgumentValue, match="dW must be finite"):
        sde.tamed_euler(cubic, unit, 0.0, 0.1, np.full((3, 2), np.nan))
