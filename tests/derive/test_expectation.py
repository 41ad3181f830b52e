"""The expectation algebra: exact results for a symbolic number of samples."""

from __future__ import annotations

import pytest
import sympy as sp

from derive import (
    E,
    InvalidArgumentType,
    InvalidArgumentValue,
    UnsupportedExpectation,
    Var,
    Verdict,
    check_equal,
    expectation,
    iid_sample,
    random_variable,
    variance,
)

n = sp.Symbol("n", integer=True, positive=True)
mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
i, j, k = sp.symbols("i j k", integer=True, positive=True)
x = iid_sample("x", n, mean=mu, variance=sigma**2)
mean = sp.Sum(x[i], (i, 1, n)) / n
plug_in = sp.Sum((x[i] - mean) ** 2, (i, 1, n)) / n


def same(a, b) -> bool:
    return sp.simplify(a - b) == 0


def test_sample_mean_is_unbiased_for_symbolic_n():
    assert same(expectation(mean, x), mu)


def test_variance_of_sample_mean_is_sigma_squared_over_n():
    assert same(variance(mean, x), sigma**2 / n)


def test_plug_in_variance_has_expectation_n_minus_1_over_n_sigma_squared():
    assert same(expectation(plug_in, x), (n - 1) / n * sigma**2)
    assert not same(expectation(plug_in, x), sigma**2)


def test_unbiased_variance():
    corrected = sp.Sum((x[i] - mean) ** 2, (i, 1, n)) / (n - 1)
    assert same(expectation(corrected, x), sigma**2)


def test_pairs_of_free_indices_give_kronecker_deltas():
    assert same(expectation(x[i] * x[j], x), mu**2 + sigma**2 * sp.KroneckerDelta(i, j))
    assert same(expectation(x[1] * x[2], x), mu**2)
    assert same(expectation(x[3] ** 2, x), mu**2 + sigma**2)


def test_sums_over_distinct_pairs():
    off_diagonal = sp.Sum(sp.Sum(x[i] * x[j] * (1 - sp.KroneckerDelta(i, j)), (i, 1, n)), (j, 1, n))
    assert same(expectation(off_diagonal, x), n * (n - 1) * mu**2)


def test_fourth_moments_for_normal_samples():
    y = iid_sample("y", n, mean=0, variance=sigma**2, distribution="normal")
    y_mean = sp.Sum(y[i], (i, 1, n)) / n
    y_plug_in = sp.Sum((y[i] - y_mean) ** 2, (i, 1, n)) / n
    assert same(variance(y_plug_in, y), 2 * sigma**4 * (n - 1) / n**2)
    assert same(expectation(y[1] ** 4, y), 3 * sigma**4)


def test_general_samples_keep_higher_moments_symbolic():
    third = expectation(x[1] ** 3, x)
    assert any("m_3" in str(s) for s in third.free_symbols)


def test_agrees_with_brute_force_expansion_for_small_n():
    for size in (2, 3, 4):
        small = iid_sample("s", size, mean=mu, variance=sigma**2)
        total = sum(small[m] for m in range(1, size + 1))
        brute = sp.expand(total**2).subs(
            {small[a] * small[b]: mu**2 for a in range(1, size + 1) for b in range(1, size + 1)
             if a != b})
        brute = brute.subs({small[a] ** 2: mu**2 + sigma**2 for a in range(1, size + 1)})
        assert same(expectation(sp.Sum(small[k], (k, 1, size)) ** 2, small), brute)


def test_independent_families_factorise():
    eps = random_variable("eps", mean=0, variance=sigma**2)
    f = random_variable("f", mean=mu, variance=sp.Symbol("v", positive=True))
    y = sp.Symbol("c", real=True) + eps.symbol
    assert same(expectation((f.symbol - y) ** 2, f, eps),
                sigma**2 + sp.Symbol("v", positive=True) + (mu - sp.Symbol("c", real=True)) ** 2)


def test_unevaluated_nodes_evaluate_inside_checks():
    assert check_equal(Var(mean, x), sigma**2 / n).verdict is Verdict.PROVED
    assert check_equal(E(plug_in, x), sigma**2).verdict is Verdict.REFUTED


def test_outside_the_algebra_is_a_clear_error_from_expectation():
    with pytest.raises(UnsupportedExpectation, match="polynomials"):
        expectation(sp.exp(x[1]), x)
    with pytest.raises(UnsupportedExpectation, match="coefficient"):
        expectation(sp.Sum(i * x[i], (i, 1, n)), x)


def test_outside_the_algebra_is_refuted_by_a_two_point_law_when_false():
    sd = sp.sqrt(plug_in)
    result = check_equal(E(sd, x), sp.sqrt(E(plug_in, x)))
    assert result.verdict is Verdict.REFUTED
    assert result.counterexample["law of x"].startswith("mass ")


def test_outside_the_algebra_true_claims_are_supported_by_enumeration_not_refuted():
    two = iid_sample("t", 2, mean=mu, variance=sigma**2)
    high, low = sp.Max(two[1], two[2]), sp.Min(two[1], two[2])
    true_claim = check_equal(E(high + low, two), 2 * mu)
    assert true_claim.verdict in (Verdict.PROVED, Verdict.NUMERICALLY_VERIFIED)
    false_claim = check_equal(E(high, two), mu)
    assert false_claim.verdict is Verdict.REFUTED
    assert false_claim.counterexample["law of t"].startswith("mass ")


def test_polynomials_of_absolute_values_stay_exact():
    two = iid_sample("t", 2, mean=mu, variance=sigma**2)
    spread = sp.Abs(two[1] - two[2])
    assert check_equal(E(spread**2, two), 2 * sigma**2).verdict is Verdict.PROVED


@pytest.mark.parametrize("bad", ["x", 1.5, None])
def test_bad_arguments_name_the_argument(bad):
    with pytest.raises((InvalidArgumentType, InvalidArgumentValue)):
        iid_sample("x", bad, mean=mu, variance=sigma**2)
    with pytest.raises(InvalidArgumentType, match="over"):
        E(x[1], bad)


def test_strings_are_rejected():
    with pytest.raises(TypeError, match="string"):
        E("x[1]**2", x)
    with pytest.raises(InvalidArgumentValue, match="name"):
        iid_sample("x y", n, mean=mu, variance=sigma**2)
    with pytest.raises(InvalidArgumentValue, match="distribution"):
        iid_sample("x", n, mean=mu, variance=sigma**2, distribution="cauchy")
