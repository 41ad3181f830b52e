"""numeric.ode: orders of the fixed-step integrators and the probability-flow ODE."""

from __future__ import annotations

import math

import numpy as np
import pytest

import numeric
from numeric import montecarlo, ode
from numeric.rates import fit_power_law

X0 = np.linspace(0.5, 2.0, 8)
T1 = 2.0


def growth(x, t):
    """dx/dt = x cos t, so x(t) = x0 exp(sin t)."""
    return x * np.cos(t)


@pytest.mark.parametrize(
    ("method", "order", "steps"),
    [("euler", 1, [64, 128, 256, 512, 1024]),
     ("heun", 2, [32, 64, 128, 256, 512]),
     ("rk4", 4, [8, 16, 32, 64, 128])],
)
def test_global_error_has_the_method_order(method, order, steps):
    """Deterministic errors lie on a smooth curve, so the interval only reflects the curve's
    departure from a pure power law; the slope is compared with a tolerance instead, and the
    interval must exclude the neighbouring orders."""
    exact = X0 * np.exp(np.sin(T1))
    errors = [np.abs(ode.integrate(growth, X0, 0.0, T1, n, method=method) - exact).max()
              for n in steps]
    fit = fit_power_law(T1 / np.array(steps), errors, confidence=0.99)
    assert abs(fit.slope - order) < 0.05, fit
    assert not fit.contains(order - 1) and not fit.contains(order + 1), fit


def test_path_holds_every_state_and_ends_at_the_final_state():
    path = ode.integrate(growth, X0, 0.0, T1, 40, method="heun", path=True)
    assert path.shape == (41, 8)
    np.testing.assert_array_equal(path[0], X0)
    np.testing.assert_array_equal(path[-1], ode.integrate(growth, X0, 0.0, T1, 40, method="heun"))


def test_vector_particles_rotate_exactly():
    """dx/dt = (-x2, x1): rotation by angle t; RK4 with 200 steps is accurate to ~1e-9."""
    x0 = np.random.default_rng(0).standard_normal((50, 2))
    x1 = ode.integrate(lambda x, t: x[:, ::-1] * [-1.0, 1.0], x0, 0.0, 1.0, 200)
    c, s = math.cos(1.0), math.sin(1.0)
    np.testing.assert_allclose(x1, x0 @ np.array([[c, s], [-s, c]]), atol=1e-9)


def test_backward_integration_returns_to_the_start():
    forward = ode.integrate(growth, X0, 0.0, T1, 400)
    back = ode.integrate(growth, forward, T1, 0.0, 400)
    np.testing.assert_allclose(back, X0, rtol=1e-10)


def test_time_dependent_field_sees_the_right_times():
    """dx/dt = t^3 is integrated exactly by RK4 (Simpson's rule) from any t0."""
    x = ode.integrate(lambda x, t: np.full_like(x, t**3), np.zeros(1), 1.0, 3.0, 7)
    assert x[0] == pytest.approx((3.0**4 - 1.0) / 4, rel=1e-13)


# ---------------------------------------------------------------- probability flow

M0, S0, T_FLOW = 2.0, 0.5, 1.0


def ou_marginal(t):
    """dX = -X dt + sqrt(2) dW from N(M0, S0^2): X_t ~ N(M0 e^-t, 1 + (S0^2 - 1) e^-2t)."""
    return M0 * math.exp(-t), 1.0 + (S0**2 - 1.0) * math.exp(-2 * t)


def probability_flow(x, t):
    """v = b - (1/2) D grad log p_t = -x + (x - m_t) / v_t  (D = g^2 = 2)."""
    mean, var = ou_marginal(t)
    return -x + (x - mean) / var


def flow_moments(rng, size):
    x = ode.integrate(probability_flow, M0 + S0 * rng.standard_normal(size), 0.0, T_FLOW, 20)
    return np.stack([x, x**2], axis=1)


def drift_only_moments(rng, size):
    x = ode.integrate(lambda y, t: -y, M0 + S0 * rng.standard_normal(size), 0.0, T_FLOW, 20)
    return np.stack([x, x**2], axis=1)


def test_probability_flow_ode_reproduces_the_sde_marginal():
    """The notes' claim: dx/dt = b - (1/2) D grad log p pushes p_0 to the SDE's marginal p_t.
    Dropping the score term (dx/dt = b) gives the wrong variance S0^2 e^-2t."""
    mean, var = ou_marginal(T_FLOW)
    seed = montecarlo.seed_from_string("ode/probability-flow")
    flow = montecarlo.estimate(flow_moments, 200_000, seed=seed)
    assert montecarlo.compare(flow, [mean, var + mean**2]).agrees
    drift = montecarlo.estimate(drift_only_moments, 200_000, seed=seed)
    assert not montecarlo.compare(drift, [mean, var + mean**2]).agrees


def test_probability_flow_is_the_exact_gaussian_transport_map():
    mean, var = ou_marginal(T_FLOW)
    x0 = M0 + S0 * np.random.default_rng(1).standard_normal(100)
    x1 = ode.integrate(probability_flow, x0, 0.0, T_FLOW, 100)
    np.testing.assert_allclose(x1, mean + math.sqrt(var) / S0 * (x0 - M0), atol=1e-7)


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: ode.integrate(growth, X0, 0.0, 1.0, 0), numeric.InvalidArgumentValue,
         r"n_steps must be a positive integer, got 0"),
        (lambda: ode.integrate(growth, X0, 0.0, 1.0, 10, method="rk45"),
         numeric.InvalidArgumentValue,
         r"method must be one of 'euler', 'heun', 'rk4', got 'rk45'"),
        (lambda: ode.integrate(growth, [1.0, np.inf], 0.0, 1.0, 10), numeric.InvalidArgumentValue,
         r"x0 must be finite, got inf at index 1"),
        (lambda: ode.integrate(growth, X0, 0.0, math.nan, 10), numeric.InvalidArgumentValue,
         r"t1 must be finite, got nan"),
        (lambda: ode.integrate(lambda x, t: x[:2], X0, 0.0, 1.0, 10), numeric.InvalidArgumentValue,
         r"v must return an array of shape \(8,\), got shape \(2,\)"),
        (lambda: ode.integrate("v", X0, 0.0, 1.0, 10), numeric.InvalidArgumentType,
         r"v must be callable"),
    ],
)
def test_bad_arguments_raise_and_name_the_argument(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
