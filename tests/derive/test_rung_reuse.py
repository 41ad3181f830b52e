"""Work the rungs do once and reuse: derivatives of the concrete functions of a random point,
prepared sides, and the values shown with a counterexample."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive import Verdict, check_equal
from derive._engine._points import Point, draw_point, instantiate
from derive._engine._rungs import _prepare, _shown

x, y, t = sp.symbols("x y t", real=True)
f, g = sp.Function("f", real=True), sp.Function("g", positive=True)


def _substituted_then_differentiated(expr, point):
    """The value the derivative shortcut must agree with: every call replaced, then doit."""
    value = expr.replace(lambda e: isinstance(e, sp.core.function.AppliedUndef),
                         lambda e: point.functions[e.func](*e.args)).doit()
    return value.xreplace(point.symbols)


DERIVATIVES = [
    sp.Derivative(f(x, y, t), x),
    sp.Derivative(f(x, y, t), x, y),
    sp.Derivative(g(x, y, t), (x, 2)) * f(x, y, t) + sp.Derivative(g(x, y, t), t, y),
    sp.Derivative(f(y, x, t), x, (y, 2)),  # arguments in another order than the variables
    sp.Derivative(f(x, x, t), x),  # a repeated argument: left to doit
    sp.Derivative(f(x**2, y, t), x).doit(),  # a Subs of a derivative at x**2
    sp.Derivative(g(x, y, t) * f(x, y, t), x, y),  # a product: left to doit
]


@pytest.mark.parametrize("expr", DERIVATIVES, ids=range(len(DERIVATIVES)))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_derivatives_of_concrete_functions_have_the_value_of_the_substituted_derivative(
        expr, seed):
    point = draw_point([expr], np.random.default_rng(seed))
    value = instantiate(expr, point, np.random.default_rng(seed))
    assert value.is_number
    expected = _substituted_then_differentiated(expr, point)
    assert abs(sp.N(value - expected, 30)) < 1e-25


def test_a_derivative_along_a_variable_the_call_does_not_take_is_zero_not_the_body():
    expr = sp.Derivative(f(x, y), t, evaluate=False) + f(x, y)
    point = draw_point([expr], np.random.default_rng(4))
    value = instantiate(expr, point, np.random.default_rng(4))
    assert sp.N(value - point.functions[f](*[point.symbols[s] for s in (x, y)]), 30) == 0


def test_a_derivative_shortcut_never_hides_a_wrong_product_rule():
    wrong = sp.Derivative(f(x, t) * g(x, t), x)
    claimed = sp.Derivative(f(x, t), x) * sp.Derivative(g(x, t), x)
    assert check_equal(wrong, claimed).verdict is Verdict.REFUTED
    right = sp.Derivative(f(x, t), x) * g(x, t) + f(x, t) * sp.Derivative(g(x, t), x)
    assert check_equal(wrong, right).verdict is Verdict.PROVED


def test_prepared_sides_are_kept_apart_by_the_assumptions_of_their_symbols():
    real, positive = sp.Symbol("r", real=True), sp.Symbol("r", positive=True)
    assert _prepare(sp.Derivative(real**3, real)).free_symbols == {real}
    assert _prepare(sp.Derivative(positive**3, positive)).free_symbols == {positive}
    plain, signed = sp.Function("h"), sp.Function("h", positive=True)
    assert _prepare(sp.Derivative(plain(x), x)).atoms(sp.core.function.AppliedUndef) == {
        plain(x)}
    assert _prepare(sp.Derivative(signed(x), x)).atoms(sp.core.function.AppliedUndef) == {
        signed(x)}


def test_prepared_sides_survive_an_unhashable_matrix():
    matrix = sp.Matrix([[sp.Derivative(x**2, x)]])
    assert _prepare(matrix) == sp.Matrix([[2 * x]])


def test_a_claim_and_its_twin_with_other_assumptions_get_their_own_verdicts():
    real, positive = sp.Symbol("r", real=True), sp.Symbol("r", positive=True)
    assert check_equal(sp.sqrt(real**2), real).verdict is Verdict.REFUTED
    assert check_equal(sp.sqrt(positive**2), positive).verdict is Verdict.PROVED
    assert check_equal(sp.sqrt(real**2), real).verdict is Verdict.REFUTED


@pytest.mark.parametrize("sides", [
    (sp.exp(sp.Rational(1, 3)) + sp.sin(2), sp.log(7)),
    (sp.pi * sp.Rational(22, 7), sp.Integer(3)),
    (sp.sqrt(2) * sp.cos(sp.Rational(5, 4)), -sp.Rational(1, 9)),
])
def test_values_shown_are_the_sides_at_twenty_digits(sides):
    lhs, rhs = sides
    shown = _shown([lhs, rhs])
    assert shown[0] == str(sp.N(lhs, 20)) and shown[1] == str(sp.N(rhs, 20))
    assert shown[2] == str(sp.N(sp.N(lhs, 40) - sp.N(rhs, 40), 6))


def test_values_shown_for_a_function_without_an_enclosure():
    shown = _shown([sp.gamma(sp.Rational(1, 3)), sp.Integer(2)])
    assert shown[0] == str(sp.N(sp.gamma(sp.Rational(1, 3)), 20))


def test_instantiate_keeps_the_point_it_was_given():
    expr = sp.Derivative(f(x, t), x) + f(x, t)
    point = draw_point([expr], np.random.default_rng(5))
    before = Point(**{k: dict(v) for k, v in vars(point).items()})
    instantiate(expr, point, np.random.default_rng(5))
    assert point.functions == before.functions and point.symbols == before.symbols


def test_a_point_with_other_functions_or_values_is_not_served_the_last_one():
    expr = sp.Derivative(g(x, t), x) * f(x, t)
    point = draw_point([expr], np.random.default_rng(6))
    first = instantiate(expr, point, np.random.default_rng(6))
    moved = point.copy()
    moved.symbols[x] = point.symbols[x] + 1
    assert sp.N(instantiate(expr, moved, np.random.default_rng(6))
                - _substituted_then_differentiated(expr, moved), 30) == 0
    other = point.copy()
    other.functions[f] = sp.Lambda(point.functions[f].variables, sp.Integer(2))
    value = instantiate(expr, other, np.random.default_rng(6))
    assert sp.N(value - _substituted_then_differentiated(expr, other), 30) == 0
    assert sp.N(value - first, 30) != 0
    assert sp.N(instantiate(expr, point, np.random.default_rng(6)) - first, 30) == 0


def test_the_structural_rung_shows_the_split_sums_of_what_it_cannot_decide():
    from derive._engine._claim import Claim
    from derive._engine._rungs import structural
    from derive._engine._sums import expanded_sums
    i, n = sp.Symbol("i", integer=True, positive=True), sp.Symbol("n", integer=True, positive=True)
    a = sp.IndexedBase("a", real=True)
    lhs, rhs = sp.Sum(2 * a[i] + x, (i, 1, n)), 2 * sp.Sum(a[i], (i, 1, n)) + x
    answer = structural(Claim.equal(lhs, rhs))
    assert answer.decided is None
    assert answer.residual == str(expanded_sums(lhs - rhs))
    assert structural(Claim.equal(lhs, rhs + (n - 1) * x)).decided
    assert structural(Claim.equal((x + y) ** 2, x**2 + 2 * x * y + y**2)).decided


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_a_shrunk_counterexample_shows_only_the_draws_of_its_sample(seed):
    i, n = sp.Symbol("i", integer=True, positive=True), sp.Symbol("n", integer=True, positive=True)
    a = sp.IndexedBase("a", real=True)
    result = check_equal(sp.Sum(a[i] ** 2 + a[i], (i, 1, n)), sp.Integer(0), seed=seed)
    assert result.verdict is Verdict.REFUTED
    shown = result.counterexample
    size = int(shown["n"])
    draws = [key for key in shown if key.startswith("a[")]
    assert draws and all(1 <= int(key[2:-1]) <= size for key in draws)
    raw = result.counterexample_raw
    assert sum(key.startswith("a[") for key in raw) == int(raw["n"])  # the point first found


def test_calls_inside_calls_get_their_concrete_functions_too():
    expr = f(g(x, t), t) + f(x, g(x, t)) * sp.Derivative(g(x, t), x)
    point = draw_point([expr], np.random.default_rng(7))
    value = instantiate(expr, point, np.random.default_rng(7))
    assert value.is_number
    assert abs(sp.N(value - _substituted_then_differentiated(expr, point), 30)) < 1e-25


def test_kept_values_are_computed_once_for_equal_arguments_and_apart_for_others():
    from derive._engine._points import Kept
    calls: list[object] = []

    def square(value):
        calls.append(value)
        return value**2
    kept = Kept(square, 2)
    real, positive = sp.Symbol("r", real=True), sp.Symbol("r", positive=True)
    assert kept(real) == real**2 and kept(sp.Symbol("r", real=True)) == real**2
    assert kept(positive) == positive**2
    assert calls == [real, positive]
    kept(x), kept(y)  # the oldest are forgotten beyond two
    assert kept(real) == real**2 and len(calls) == 5
    assert kept(sp.Matrix([x])) == sp.Matrix([x]) ** 2  # unhashable: computed each time
