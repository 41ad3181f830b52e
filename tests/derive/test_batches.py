"""Expectations over a mini-batch drawn without replacement, for symbolic N and m."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
import sympy as sp

from derive import (
    E_batch,
    InvalidArgumentType,
    InvalidArgumentValue,
    UnsupportedExpectation,
    Var_batch,
    Verdict,
    batch_expectation,
    batch_variance,
    check_equal,
    sample_without_replacement,
)

N = sp.Symbol("N", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
k, l = sp.symbols("k l", integer=True, positive=True)
g = sp.IndexedBase("g", real=True)
batch = sample_without_replacement("I", N, m)
batch_mean = batch.mean(g, k)
data_mean = sp.Sum(g[k], (k, 1, N)) / N
population_variance = sp.Sum(g[k] ** 2, (k, 1, N)) / N - data_mean**2


def same(a, b) -> bool:
    return sp.simplify(sp.expand(a - b)) == 0


def test_inclusion_probability_is_m_over_n():
    assert same(batch_expectation(batch[k], batch), m / N)


def test_two_distinct_indices_are_both_in_with_probability_m_m1_over_n_n1():
    both = batch_expectation(batch[k] * batch[l], batch)
    assert same(both.subs(l, k), m / N)   # I_k^2 = I_k: the delta term at k = l
    assert same(both, m / N * sp.KroneckerDelta(k, l)
                + m * (m - 1) / (N * (N - 1)) * (1 - sp.KroneckerDelta(k, l)))


def test_batch_size_is_exactly_m():
    count = sp.Sum(batch[k], (k, 1, N))
    assert same(batch_expectation(count, batch), m)
    assert same(batch_variance(count, batch), 0)


def test_batch_mean_is_unbiased():
    assert same(batch_expectation(batch_mean, batch), data_mean)


def test_batch_mean_variance_has_finite_population_correction():
    expected = (N - m) / ((N - 1) * m) * population_variance
    assert same(batch_variance(batch_mean, batch), expected)
    with_replacement = population_variance / m
    assert not same(batch_variance(batch_mean, batch), with_replacement)


def _enumerated_moments(values: list[Fraction], size: int) -> tuple[Fraction, Fraction]:
    """Mean and variance of the batch mean over every size-subset (brute force)."""
    means = [sum(values[j] for j in subset) / size
             for subset in itertools.combinations(range(len(values)), size)]
    first = sum(means) / len(means)
    return first, sum(v * v for v in means) / len(means) - first**2


@pytest.mark.parametrize(("population", "size"), [(4, 2), (5, 3), (6, 1), (5, 5)])
def test_agrees_with_enumeration_of_all_subsets(population, size):
    values = [Fraction(3 * j * j - 7 * j + 2, j + 1) for j in range(1, population + 1)]
    concrete = {N: population, m: size}
    data = {g[j + 1]: sp.Rational(v.numerator, v.denominator) for j, v in enumerate(values)}
    first, second = _enumerated_moments(values, size)
    mean_value = batch_expectation(batch_mean, batch).subs(concrete).doit().xreplace(data)
    variance_value = batch_variance(batch_mean, batch).subs(concrete).doit().xreplace(data)
    assert sp.nsimplify(mean_value) == sp.Rational(first.numerator, first.denominator)
    assert sp.nsimplify(variance_value) == sp.Rational(second.numerator, second.denominator)


def test_third_moment_of_the_count_of_fixed_indices():
    concrete = sample_without_replacement("J", 5, 3)
    triple = batch_expectation(concrete[1] * concrete[2] * concrete[3], concrete)
    subsets = list(itertools.combinations(range(1, 6), 3))
    assert triple == sp.Rational(sum({1, 2, 3} <= set(s) for s in subsets), len(subsets))


def test_unevaluated_operators_are_checked_by_the_ladder():
    claim = (N - m) / ((N - 1) * m) * population_variance
    assert check_equal(Var_batch(batch_mean, batch), claim, budget=20).verdict is Verdict.PROVED
    wrong = check_equal(Var_batch(batch_mean, batch), population_variance / m, budget=20)
    assert wrong.verdict is Verdict.REFUTED
    assert check_equal(E_batch(batch_mean, batch), data_mean, budget=10).verdict is Verdict.PROVED


def test_outside_the_algebra_stays_unevaluated_or_raises():
    with pytest.raises(UnsupportedExpectation):
        batch_expectation(sp.exp(batch[k]), batch)
    assert E_batch(sp.exp(batch[k]), batch).doit() == E_batch(sp.exp(batch[k]), batch)
    with pytest.raises(UnsupportedExpectation, match="from 1 to N"):
        batch_expectation(sp.Sum(batch[k], (k, 2, N)), batch)


@pytest.mark.parametrize(("population", "size", "error", "argument"), [
    ("N", m, InvalidArgumentType, "population"),
    (N, 2.5, InvalidArgumentType, "size"),
    (N, sp.Symbol("r", real=True), InvalidArgumentValue, "size"),
    (3, 4, InvalidArgumentValue, "size"),
    (0, 0, InvalidArgumentValue, "population"),
])
def test_bad_arguments_name_the_argument(population, size, error, argument):
    with pytest.raises(error, match=argument):
        sample_without_replacement("B", population, size)


def test_operators_reject_text_and_foreign_batches():
    with pytest.raises(InvalidArgumentType, match="expr"):
        E_batch("g[k]", batch)
    with pytest.raises(InvalidArgumentType, match="batch"):
        Var_batch(batch_mean, "B")
