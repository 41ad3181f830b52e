"""numeric.functions: stable softmax / logsumexp / sigmoid and the naive softmax."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import numeric
from numeric.functions import log_sigmoid, logsumexp, naive_softmax, sigmoid, softmax

special = pytest.importorskip("scipy.special")

matrices = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1,
                                                   max_side=6),
                      elements=st.floats(-1e4, 1e4))


@settings(max_examples=80, deadline=None, derandomize=True)
@given(z=matrices)
def test_softmax_rows_are_probability_vectors(z):
    p = softmax(z)
    assert np.all(p >= 0) and np.all(p <= 1)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(z=matrices, shift=st.floats(-1e3, 1e3))
def test_softmax_is_shift_invariant(z, shift):
    np.testing.assert_allclose(softmax(z + shift), softmax(z), rtol=1e-9, atol=1e-300)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(z=matrices)
def test_softmax_and_logsumexp_match_scipy(z):
    np.testing.assert_allclose(softmax(z, axis=0), special.softmax(z, axis=0), rtol=1e-10,
                               atol=1e-300)
    np.testing.assert_allclose(logsumexp(z, axis=0), special.logsumexp(z, axis=0), rtol=1e-12,
                               atol=1e-12)


def test_naive_softmax_agrees_for_moderate_inputs():
    z = np.array([[0.5, -1.0, 2.0], [3.0, 3.0, -3.0]])
    np.testing.assert_allclose(naive_softmax(z), softmax(z), rtol=1e-14)


@pytest.mark.parametrize("c", [1000.0, -1000.0])
def test_naive_softmax_fails_for_equal_large_inputs_as_the_notes_say(c):
    """z_i = c for all i: exp(c) overflows (c > 0) or underflows to 0 (c < 0): NaN.
    The shifted softmax returns the uniform vector."""
    z = np.full(4, c)
    assert np.isnan(naive_softmax(z)).all()
    np.testing.assert_array_equal(softmax(z), np.full(4, 0.25))


def test_naive_softmax_overflow_in_one_entry_gives_nan_and_zero():
    out = naive_softmax([1000.0, 0.0])
    assert math.isnan(out[0]) and out[1] == 0.0
    np.testing.assert_allclose(softmax([1000.0, 0.0]), [1.0, 0.0])


def test_logsumexp_of_large_values():
    assert logsumexp([1000.0, 1000.0]) == pytest.approx(1000.0 + math.log(2.0), rel=1e-15)
    assert logsumexp([-1000.0, -1000.0]) == pytest.approx(-1000.0 + math.log(2.0), rel=1e-15)
    z = np.arange(6.0).reshape(2, 3)
    assert logsumexp(z, axis=None) == pytest.approx(special.logsumexp(z), rel=1e-14)
    assert logsumexp(z, axis=0, keepdims=True).shape == (1, 3)


def test_sigmoid_is_accurate_in_both_tails():
    t = np.array([-700.0, -40.0, -1.0, 0.0, 1.0, 40.0, 700.0, 745.0])
    np.testing.assert_allclose(sigmoid(t), special.expit(t), rtol=1e-14)
    assert sigmoid(-40.0) == pytest.approx(math.exp(-40.0), rel=1e-14)
    assert sigmoid(0.0) == 0.5
    with np.errstate(over="ignore"):
        assert 1.0 / (1.0 + np.exp(800.0)) == 0.0  # textbook form underflows ...
    assert sigmoid(-700.0) > 0.0  # ... the stable form does not


def test_log_sigmoid_is_accurate_in_both_tails():
    assert log_sigmoid(-800.0) == -800.0  # log(sigmoid(-800)) would be log(0) = -inf
    assert log_sigmoid(40.0) == pytest.approx(-math.exp(-40.0), rel=1e-12)  # not log(1) = 0
    t = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(log_sigmoid(t), special.log_expit(t), rtol=1e-13)


def test_scalar_inputs_give_floats():
    assert isinstance(sigmoid(1), float) and isinstance(log_sigmoid(1), float)
    assert isinstance(logsumexp([1.0, 2.0]), float)


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: softmax([1.0, np.nan]), numeric.InvalidArgumentValue,
         r"z must be finite, got nan"),
        (lambda: softmax([1.0, np.inf]), numeric.InvalidArgumentValue,
         r"z must be finite, got inf"),
        (lambda: softmax(3.0), numeric.InvalidArgumentValue, r"z must have at least one dimension"),
        (lambda: softmax(np.ones((2, 0))), numeric.InvalidArgumentValue, r"at least one entry"),
        (lambda: softmax([1.0, 2.0], axis=1), numeric.InvalidArgumentValue,
         r"axis must be in \[-1, 0\] for a 1-D array, got 1"),
        (lambda: softmax([1.0], axis=0.5), numeric.InvalidArgumentType,
         r"axis must be an integer"),
        (lambda: naive_softmax(["a"]), numeric.InvalidArgumentType, r"z must hold real numbers"),
        (lambda: logsumexp([]), numeric.InvalidArgumentValue, r"at least one entry"),
        (lambda: sigmoid([np.nan]), numeric.InvalidArgumentValue, r"t must be finite"),
        (lambda: log_sigmoid(1 + 2j), numeric.InvalidArgumentType, r"t must hold real numbers"),
    ],
)
def test_bad_input_raises(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
