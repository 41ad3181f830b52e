"""Sums and products over a symbolic number of draws: kept open, split, and logs of products."""

from __future__ import annotations

import time

import numpy as np
import sympy as sp

from derive import Verdict, check_equal, check_relation
from derive._engine._points import draw_point, instantiate
from derive._engine._sums import (
    doit_keeping_open_sums,
    expanded_sums,
    products_as_sums_of_logs,
)

N = sp.Symbol("N", integer=True, positive=True)
i, j = sp.symbols("i j", integer=True, positive=True)
beta = sp.Symbol("beta", positive=True)
w, s, c = sp.symbols("w s c", real=True)
x, y = sp.IndexedBase("x", real=True), sp.IndexedBase("y", real=True)
p = sp.Function("p", positive=True)

# the Gaussian likelihood factor of linear regression: SymPy's summation algorithms spend
# seconds on sum_i log(factor) before giving up
FACTOR = sp.sqrt(beta / (2 * sp.pi)) * sp.exp(-beta / 2 * (y[i] - w * x[i]) ** 2) * p(x[i])


def _sum(term):
    return sp.Sum(term, (i, 1, N))


def test_a_sum_over_draws_is_kept_as_it_is_and_quickly():
    total = _sum(sp.log(FACTOR))
    start = time.process_time()
    assert doit_keeping_open_sums(total) == total
    assert time.process_time() - start < 0.5


def test_sums_without_draws_and_sums_with_concrete_bounds_are_still_evaluated():
    assert doit_keeping_open_sums(_sum(c)) == N * c
    assert doit_keeping_open_sums(sp.Sum(x[i], (i, 1, 3))) == x[1] + x[2] + x[3]
    assert doit_keeping_open_sums(sp.Matrix([_sum(c), 1])) == sp.Matrix([N * c, 1])


def test_a_sum_under_a_derivative_is_differentiated_not_held():
    derivative = sp.Derivative(_sum(s * x[i] + s**2), s)
    assert expanded_sums(doit_keeping_open_sums(derivative) - _sum(x[i]) - 2 * N * s) == 0


def test_kronecker_delta_sums_are_left_to_sympy():
    total = sp.Sum(sp.KroneckerDelta(i, j) * x[i], (i, 1, N))
    assert doit_keeping_open_sums(total) == total.doit()


def test_products_of_nonzero_factors_become_exponentials_of_sums_of_logs():
    product = sp.Product(p(x[i]), (i, 1, N))
    assert products_as_sums_of_logs(product) == sp.exp(_sum(sp.log(p(x[i]))))
    maybe_zero = sp.Product(x[i], (i, 1, N))
    assert products_as_sums_of_logs(maybe_zero) == maybe_zero


def test_expanded_sums_splits_terms_and_pulls_out_constants():
    assert expanded_sums(_sum(c * x[i] + 2) - c * _sum(x[i]) - 2 * N) == 0
    nested = sp.Sum(sp.Sum(c * x[i] * y[j], (j, 1, N)), (i, 1, N))
    assert expanded_sums(nested - c * sp.Sum(x[i] * y[j], (j, 1, N), (i, 1, N))) == 0


def test_expanded_sums_leaves_expressions_without_sums_alone():
    assert expanded_sums(sp.log(beta * c)) == sp.log(beta * c)


def test_log_of_a_product_is_proved_equal_to_the_sum_of_the_logs():
    result = check_equal(sp.log(sp.Product(FACTOR, (i, 1, N))),
                         N * sp.log(sp.sqrt(beta / (2 * sp.pi))) + _sum(sp.log(p(x[i])))
                         - beta / 2 * _sum((y[i] - w * x[i]) ** 2))
    assert result.verdict is Verdict.PROVED


def test_the_log_of_the_whole_product_summed_again_is_refuted_with_two_or_more_points():
    log_likelihood = sp.log(sp.Product(FACTOR, (i, 1, N)))
    result = check_equal(_sum(log_likelihood), log_likelihood)
    assert result.verdict is Verdict.REFUTED
    assert int(result.counterexample["N"]) >= 2


def test_dropping_a_factor_that_does_not_depend_on_w_is_equal_up_to_a_constant():
    log_likelihood = sp.log(sp.Product(FACTOR, (i, 1, N)))
    sse = _sum((y[i] - w * x[i]) ** 2)
    assert check_relation(log_likelihood, -beta / 2 * sse, "= const +",
                          wrt=w).verdict is Verdict.PROVED
    assert check_relation(log_likelihood, -sse, "= const +", wrt=w).verdict is Verdict.REFUTED


def test_random_points_instantiate_functions_inside_open_sums_quickly():
    total = sp.exp(_sum(sp.log(FACTOR))) * _sum(x[i] * (y[i] - w * x[i]))
    rng = np.random.default_rng(3)
    point = draw_point([total], rng)
    start = time.process_time()
    value = instantiate(total, point, rng)
    assert time.process_time() - start < 1.0  # SymPy's summation of it takes seconds
    assert value.is_number


def test_sums_that_sympy_can_telescope_are_left_to_it():
    telescoping = _sum(x[i + 1] - x[i])
    assert doit_keeping_open_sums(telescoping) == x[N + 1] - x[1]


def test_draws_with_a_constant_second_index_are_kept_open_too():
    features = sp.IndexedBase("X", real=True)
    total = _sum(sp.log(FACTOR.xreplace({x[i]: features[i, 1]})))
    start = time.process_time()
    assert doit_keeping_open_sums(total) == total
    assert time.process_time() - start < 0.5


def test_a_derivative_of_an_open_sum_is_the_sum_of_the_derivatives_and_quick():
    features = sp.IndexedBase("X", real=True)
    w1, w2 = sp.symbols("w1 w2", real=True)
    loss = _sum((y[i] - w1 * features[i, 1] - w2 * features[i, 2]) ** 2) / 2
    gradient = sp.Matrix([sp.Derivative(loss, w1), sp.Derivative(loss, w2)])
    start = time.process_time()
    value = doit_keeping_open_sums(gradient)
    assert time.process_time() - start < 0.5  # SymPy's summation of it takes seconds
    assert value == sp.Matrix([
        _sum(-2 * features[i, k] * (y[i] - w1 * features[i, 1] - w2 * features[i, 2])) / 2
        for k in (1, 2)])
    assert value == gradient.doit()  # what SymPy gives, after seconds


def test_a_derivative_along_a_bound_of_the_sum_is_left_to_sympy():
    total = sp.Derivative(_sum(x[i]), N)
    assert doit_keeping_open_sums(total) == total.doit()


def test_a_derivative_of_a_sum_with_a_closed_form_gets_it():
    total = sp.Derivative(_sum(w * i), w)
    assert doit_keeping_open_sums(total) == total.doit() == N**2 / 2 + N / 2
