"""Regression tests: every refutation is a real counterexample.

Each test states a true claim that random points once refuted (or a verdict that
flipped with the seed) and runs the random-point rung itself, which the
refutation probe before ``simplify`` also uses, at several seeds; false twins
show that the rung still refutes.
"""

from __future__ import annotations

import pytest
import sympy as sp

from derive import (
    E,
    Var,
    Verdict,
    check_equal,
    check_relation,
    iid_sample,
    random_variable,
)
from derive._engine._certify import Uncertain, enclose
from derive._engine._claim import Claim, ClaimKind
from derive._engine._rungs import random_points

SEEDS = range(4)
u = sp.Symbol("u", real=True)
x, y = sp.symbols("x y", real=True)
n = sp.Symbol("n", positive=True, integer=True)
mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)


def _claim(claim: tuple) -> Claim:
    """``("eq", lhs, rhs)``, ``("nonneg", e)`` or ``("pos", e)`` as a :class:`Claim`."""
    return Claim(ClaimKind(claim[0]), tuple(sp.sympify(side) for side in claim[1:]))


def never_refuted(claim, points: int = 4) -> list:
    claim = _claim(claim)
    answers = [random_points(claim, seed, points, 30) for seed in SEEDS]
    assert all(a.decided is not False for a in answers), [a.counterexample for a in answers]
    return answers


def refuted(claim) -> dict:
    answer = random_points(_claim(claim), 0, 6, 30, 0.5)
    assert answer.decided is False, answer
    return answer.counterexample


# 1. every assumption SymPy can state is met by the points, or named
@pytest.mark.parametrize("kind", ["prime", "odd", "even", "composite"])
def test_integer_kinds_are_sampled(kind):
    p = sp.Symbol("p", **{kind: True})
    values = [int(v) for v in (refuted(("eq", p, p + 1)) for _ in range(1)) for v in [v["p"]]]
    assert all(getattr(sp.Integer(v), f"is_{kind}") for v in values)


def test_a_prime_is_prime():
    p = sp.Symbol("p", prime=True)
    answers = never_refuted(("eq", sp.Mod(2**p - 2, p), 0))
    assert any(a.decided for a in answers)


@pytest.mark.parametrize("assumption", ["extended_positive", "extended_real", "noninteger",
                                        "irrational", "nonzero"])
def test_extended_and_negative_assumptions_give_admissible_values(assumption):
    t = sp.Symbol("t", **{assumption: True})
    never_refuted(("eq", sp.sign(t) ** 2, 1) if assumption not in ("extended_real",)
                  else ("eq", sp.Abs(t) ** 2, t**2))
    counterexample = refuted(("eq", t, t + 1))
    assert all(getattr(value, f"is_{assumption}") for value in [_value(counterexample["t"])])


def _value(text: str):
    if "sqrt" not in text:
        return sp.Rational(text)
    return sp.sqrt(2) * sp.Rational(text.replace("*sqrt(2)", "").replace("sqrt(2)", "1"))


def test_extended_positive_logs_are_not_complex():
    t = sp.Symbol("t", extended_positive=True)
    never_refuted(("eq", sp.log(t**2), 2 * sp.log(t)))


def test_an_assumption_that_cannot_be_sampled_is_named():
    t = sp.Symbol("t", infinite=True)
    answer = random_points(_claim(("eq", t, t)), 0, 3, 30)
    assert answer.decided is None and "infinite" in answer.note


# 2. function assumptions beyond positive and real
def test_negative_functions_are_negative():
    f = sp.Function("f", negative=True)
    never_refuted(("eq", sp.log(f(u) ** 2), 2 * sp.log(-f(u))))
    assert sp.Rational(-1) * 0 == 0


def test_integer_functions_are_integer_valued():
    g = sp.Function("g", integer=True)
    never_refuted(("eq", sp.sin(sp.pi * g(u) / 2) ** 2, (1 - (-1) ** g(u)) / 2))


def test_nonnegative_functions_and_their_false_twin():
    h = sp.Function("h", nonnegative=True)
    never_refuted(("nonneg", h(u)))
    assert "h(u0)" in refuted(("nonneg", -h(u) - 1))


# 3. catastrophic cancellation: the sign must be certain
def test_cancellation_of_huge_terms_is_not_a_refutation():
    big = sp.exp(sp.exp(sp.exp(x)))
    never_refuted(("eq", big + 1 - big * sp.cos(y) ** 2 - big * sp.sin(y) ** 2, 1), points=2)


def test_tiny_differences_are_refuted_when_certain():
    answer = random_points(_claim(("eq", x + sp.Rational(1, 10**50), x)), 0, 4, 60)
    assert answer.decided is False
    counterexample = answer.counterexample
    assert "x" in counterexample


# 4. discontinuous functions at their jumps
@pytest.mark.parametrize("jump", [sp.sign, sp.floor, sp.ceiling, sp.Heaviside])
def test_jumps_at_exact_zeros_are_never_evaluated_on_noise(jump):
    zero = sp.sin(y) ** 2 + sp.cos(y) ** 2 - 1
    value = {sp.sign: 0, sp.floor: 0, sp.ceiling: 0, sp.Heaviside: sp.Rational(1, 2)}[jump]
    never_refuted(("eq", jump(zero), value))


def test_enclosures_refuse_a_jump_they_cannot_place():
    noisy_zero = sp.sin(sp.Rational(1, 3)) ** 2 + sp.cos(sp.Rational(1, 3)) ** 2 - 1
    with pytest.raises(Uncertain):
        enclose(sp.sign(noisy_zero), 30)
    assert enclose(sp.floor(sp.Rational(7, 2)), 30).is_real


def test_piecewise_conditions_and_branch_cuts():
    never_refuted(("eq", sp.Piecewise((1, x**2 - x**2 >= 0), (2, True)), 1))
    never_refuted(("eq", sp.sqrt(sp.exp(2 * x)), sp.exp(x)))


# 5. free higher moments come from a law that exists
def test_variance_of_a_square_is_never_negative():
    sample = iid_sample("x", n, mean=mu, variance=sigma**2)
    answers = never_refuted(("nonneg", Var(sample[1] ** 2, sample)))
    assert any(a.decided for a in answers)


def test_jensen_for_the_fourth_moment():
    sample = iid_sample("x", n, mean=mu, variance=sigma**2)
    never_refuted(("nonneg", E(sample[1] ** 4, sample) - E(sample[1] ** 2, sample) ** 2))


def test_the_law_is_named_in_the_counterexample():
    sample = iid_sample("x", n, mean=mu, variance=sigma**2)
    wrong = check_equal(E(sample[1] ** 4, sample), 3 * sigma**4, budget=3.0)
    assert wrong.verdict is Verdict.REFUTED
    assert wrong.counterexample["law of x"].startswith("mass ")


# 6. distribution="normal" means normal
@pytest.mark.parametrize("make", [
    lambda z, s: (E(sp.Abs(z[1]), z), s * sp.sqrt(2 / sp.pi)),
    lambda z, s: (E(sp.exp(z[1]), z), sp.exp(s**2 / 2)),
    lambda z, s: (E(sp.cos(z[1]), z), sp.exp(-s**2 / 2)),
])
def test_normal_expectations_outside_the_algebra(make):
    z = iid_sample("z", n, mean=0, variance=sigma**2, distribution="normal")
    lhs, rhs = make(z, sigma)
    answers = never_refuted(("eq", lhs, rhs), points=2)
    assert any(a.decided for a in answers)


def test_a_wrong_normal_expectation_is_refuted():
    z = iid_sample("z", n, mean=0, variance=sigma**2, distribution="normal")
    assert refuted(("eq", E(sp.exp(z[1]), z), sp.exp(sigma**2)))["law of z"] == "normal"


# 7. no draw outside the sample
def test_the_sample_is_as_large_as_its_indices():
    sample = iid_sample("x", n, mean=mu, variance=sigma**2)
    high, low = sp.Max(sample[1], sample[2]), sp.Min(sample[1], sample[2])
    answers = never_refuted(("eq", E(high + low, sample), 2 * mu))
    assert any(a.decided for a in answers)


# 8. one summation convention: bounds are read with upper >= lower - 1
def test_verdicts_on_backward_bounds_do_not_depend_on_the_seed():
    sample = iid_sample("x", n, mean=mu, variance=sigma**2)
    i, m, top = (sp.Symbol(name, integer=True) for name in ("i", "m", "N"))
    claim = _claim(("nonneg", sp.Sum(sample[i] ** 2, (i, m, top))))
    assert {random_points(claim, seed, 4, 30).decided for seed in range(6)} == {True}


# 9. a scalar random variable inside an expectation outside the algebra
def test_a_scalar_random_variable_outside_the_algebra_is_evaluated():
    r = random_variable("r", mean=mu, variance=sigma**2)
    assert check_equal(E(sp.Max(r.symbol, mu), r), mu, budget=3.0).verdict is Verdict.REFUTED
    never_refuted(("eq", E(sp.Max(r.symbol, mu) + sp.Min(r.symbol, mu), r), 2 * mu))


def test_shrunk_counterexamples_keep_the_raw_point():
    result = check_relation(x**2 - 3 * x, 0, ">=", budget=3.0)
    assert result.verdict is Verdict.REFUTED
    assert result.counterexample_raw is not None
    shrunk = sp.Rational(result.counterexample["x"])
    assert 0 < shrunk < 3 and len(str(shrunk)) <= len(result.counterexample_raw["x"])
    assert result.to_dict()["counterexample_raw"] == dict(result.counterexample_raw)
