"""The checking ladder: true identities proved, false ones refuted, budgets honoured."""

from __future__ import annotations

import os
import threading
import time

import pytest
import sympy as sp

from derive import (
    CheckResult,
    InvalidArgumentType,
    InvalidArgumentValue,
    Method,
    Verdict,
    check_equal,
    check_relation,
)
from derive._processes._sandbox import WALL_FACTOR, run_with_timeout, shutdown

x_real = sp.Symbol("x", real=True)
z_real = sp.Symbol("z", real=True)
x_pos, y_pos = sp.symbols("x y", positive=True)


def test_sqrt_of_square_is_refuted_for_real_x_with_a_negative_counterexample():
    result = check_equal(sp.sqrt(x_real**2), x_real)
    assert result.verdict is Verdict.REFUTED
    assert result.method is Method.RANDOM_POINTS
    assert sp.Rational(result.counterexample["x"]) < 0


def test_sqrt_of_square_is_proved_for_positive_x():
    result = check_equal(sp.sqrt(x_pos**2), x_pos)
    assert result.verdict is Verdict.PROVED
    assert result.counterexample is None


def test_log_of_product_is_proved_for_positive_and_refuted_for_real_arguments():
    proved = check_equal(sp.log(x_pos * y_pos), sp.log(x_pos) + sp.log(y_pos))
    assert proved.verdict is Verdict.PROVED
    refuted = check_equal(sp.log(x_real * z_real), sp.log(x_real) + sp.log(z_real))
    assert refuted.verdict is Verdict.REFUTED
    point = {k: sp.Rational(v) for k, v in refuted.counterexample.items()}
    assert point["x"] < 0 or point["z"] < 0


def test_counterexample_satisfies_the_assumptions():
    n = sp.Symbol("n", integer=True, positive=True)
    result = check_equal((-1) ** n, 1)
    assert result.verdict is Verdict.REFUTED
    value = sp.Integer(result.counterexample["n"])
    assert value > 0 and value % 2 == 1


def test_perturbation_of_1e_30_is_refuted_not_equal_in_floating_point():
    result = check_equal(x_real + sp.Rational(1, 10**30), x_real)
    assert result.verdict is Verdict.REFUTED
    assert abs(float(sp.Float(result.values[2])) - 1e-30) < 1e-40


def test_symbols_without_realness_are_complex():
    w = sp.Symbol("w")
    assert check_equal(sp.sqrt(w**2), w).verdict is Verdict.REFUTED
    assert check_equal(sp.conjugate(sp.conjugate(w)), w).verdict is Verdict.PROVED


def test_trigonometric_identity_is_proved_by_simplification():
    result = check_equal(sp.sin(x_real) ** 2 + sp.cos(x_real) ** 2, 1)
    assert result.verdict is Verdict.PROVED


def test_undefined_functions_get_random_concrete_functions():
    f = sp.Function("f", real=True)
    t = sp.Symbol("t", real=True)
    chain_rule = check_equal(sp.diff(f(t**2), t), 2 * t * sp.Subs(sp.diff(f(x_real), x_real),
                                                                  x_real, t**2))
    assert chain_rule.verdict in (Verdict.PROVED, Verdict.NUMERICALLY_VERIFIED)
    wrong = check_equal(sp.diff(f(t) ** 2, t), 2 * sp.diff(f(t), t))
    assert wrong.verdict is Verdict.REFUTED
    assert "f(u0)" in wrong.counterexample


def test_matrices_are_compared_element_by_element():
    a, b = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("B", 2, 2)
    assert check_equal((a * b).T, b.T * a.T).verdict is Verdict.PROVED
    wrong = check_equal((a * b).T, a.T * b.T)
    assert wrong.verdict is Verdict.REFUTED
    assert "A" in wrong.counterexample and "B" in wrong.counterexample


def test_matrices_of_symbolic_shape_are_instantiated():
    n = sp.Symbol("n", integer=True, positive=True)
    a = sp.MatrixSymbol("A", n, n)
    result = check_equal((a.T).T, a)
    assert result.verdict in (Verdict.PROVED, Verdict.NUMERICALLY_VERIFIED)


def test_explicit_matrices_with_symbols():
    m = sp.Matrix([[x_real, 1], [0, x_real]])
    assert check_equal(m * m, sp.Matrix([[x_real**2, 2 * x_real], [0, x_real**2]])).verdict \
        is Verdict.PROVED
    assert check_equal(m * m, sp.Matrix([[x_real**2, x_real], [0, x_real**2]])).verdict \
        is Verdict.REFUTED


def test_sums_with_symbolic_bounds():
    n = sp.Symbol("n", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, positive=True)
    gauss = check_equal(sp.Sum(k, (k, 1, n)), n * (n + 1) / 2)
    assert gauss.verdict in (Verdict.PROVED, Verdict.NUMERICALLY_VERIFIED)
    off_by_one = check_equal(sp.Sum(k, (k, 1, n)), n * (n - 1) / 2)
    assert off_by_one.verdict is Verdict.REFUTED


def test_indexed_draws_inside_sums_are_given_values():
    n = sp.Symbol("n", integer=True, positive=True)
    i = sp.Symbol("i", integer=True)
    x = sp.IndexedBase("x", real=True)
    split = check_equal(sp.Sum(x[i] + 1, (i, 1, n)), sp.Sum(x[i], (i, 1, n)) + n)
    assert split.verdict in (Verdict.PROVED, Verdict.NUMERICALLY_VERIFIED)
    wrong = check_equal(sp.Sum(x[i] ** 2, (i, 1, n)), sp.Sum(x[i], (i, 1, n)) ** 2)
    assert wrong.verdict is Verdict.REFUTED


def test_inequalities():
    assert check_relation(x_real**2, 0, ">=").verdict is Verdict.PROVED
    assert check_relation(x_pos, 0, ">").verdict is Verdict.PROVED
    below = check_relation(x_real, 0, ">=")
    assert below.verdict is Verdict.REFUTED
    assert sp.Rational(below.counterexample["x"]) < 0
    d = sp.Symbol("d", nonnegative=True)
    assert check_relation(sp.exp(-d), 1, "<=").verdict is Verdict.PROVED
    assert check_relation(sp.exp(d), 1, "<=").verdict is Verdict.REFUTED


def test_a_square_hidden_by_expansion_is_seen_by_factoring():
    assert check_relation(1 - 2 * x_real**4, sp.Rational(3, 2) - 2 * x_real**2, "<=").verdict \
        is Verdict.PROVED


def test_equal_up_to_a_constant_in_the_named_variables():
    w, c = sp.Symbol("w", real=True), sp.Symbol("c", positive=True)
    same = check_relation(-(w - 1) ** 2 + sp.log(c), -(w - 1) ** 2, "= const +", wrt=w)
    assert same.verdict is Verdict.PROVED
    different = check_relation(-(w - 1) ** 2 + c * w, -(w - 1) ** 2, "= const +", wrt=w)
    assert different.verdict is Verdict.REFUTED


def test_a_scaled_objective_up_to_constants():
    w, beta = sp.Symbol("w", real=True), sp.Symbol("beta", positive=True)
    log_likelihood = -beta / 2 * (w - 3) ** 2 + sp.log(beta)
    squares = (w - 3) ** 2
    assert check_relation(log_likelihood, squares, "= const +", wrt=w,
                          scale=-beta / 2).verdict is Verdict.PROVED
    wrong = check_relation(log_likelihood, squares, "= const +", wrt=w, scale=-beta)
    assert wrong.verdict is Verdict.REFUTED


@pytest.mark.parametrize("scale", [sp.Symbol("w", real=True), sp.Symbol("c", real=True), 0])
def test_a_scale_must_be_nonzero_and_free_of_the_variables(scale):
    w = sp.Symbol("w", real=True)
    with pytest.raises(InvalidArgumentValue, match="scale"):
        check_relation(w**2, w**2, "= const +", wrt=w, scale=scale)


def test_a_scale_needs_the_up_to_constant_relation():
    with pytest.raises(InvalidArgumentValue, match="scale"):
        check_relation(x_real, x_real, "=", scale=2)


_RUNGS = 4  # structural, probe, simplify, random points: each a call capped at WALL_FACTOR x


def _checking_cpu() -> float:
    """CPU seconds of this process's checking processes, finished (reaped) and running (with
    the workers a running template forked and reaped)."""
    psutil = pytest.importorskip("psutil")
    times = os.times()
    running = sum(sum(p.cpu_times()[:4]) for p in psutil.Process().children(recursive=True))
    return times.children_user + times.children_system + running


def _worker_startup() -> tuple[float, float]:
    """Wall and CPU seconds a fresh checking process takes to start, measured now."""
    shutdown()
    cpu, wall = _checking_cpu(), time.perf_counter()
    assert run_with_timeout(abs, (-1,), 5.0).value == 1
    return time.perf_counter() - wall, _checking_cpu() - cpu


def _hard_check(budget: float, results: list) -> None:
    symbols = sp.symbols("a b c d e", real=True)
    expr = sp.sin(sum(symbols)) ** 8
    results.append(check_equal(expr, sp.expand_trig(expr), budget=budget))


def test_budget_is_honoured_when_simplify_would_take_minutes():
    """The budget is CPU time of the checking processes (plus the start-up of the
    successors of killed ones); wall time is capped at WALL_FACTOR x per rung."""
    budget = 2.0
    startup_wall, startup_cpu = _worker_startup()
    cpu, start = _checking_cpu(), time.perf_counter()
    results: list[CheckResult] = []
    _hard_check(budget, results)
    elapsed, charged = time.perf_counter() - start, _checking_cpu() - cpu
    assert charged <= budget + _RUNGS * startup_cpu + 0.5
    assert elapsed <= _RUNGS * WALL_FACTOR * (budget + startup_wall)
    assert results[0].verdict in (Verdict.INCONCLUSIVE, Verdict.NUMERICALLY_VERIFIED)


def test_budget_is_honoured_outside_the_main_thread():
    budget = 1.5
    startup_wall, _ = _worker_startup()
    results: list[CheckResult] = []
    thread = threading.Thread(target=_hard_check, args=(budget, results))
    thread.start()
    thread.join(timeout=_RUNGS * WALL_FACTOR * (budget + startup_wall))
    assert not thread.is_alive()
    assert results[0].verdict is not Verdict.PROVED


def test_a_tiny_budget_gives_inconclusive_never_a_guess():
    result = check_equal(sp.sin(x_real) ** 2, 1 - sp.cos(x_real) ** 2, budget=1e-6)
    assert result.verdict is Verdict.INCONCLUSIVE
    assert "budget" in result.reason


def test_undecided_results_refuse_to_act_as_bool():
    assert bool(check_equal(sp.sqrt(x_pos**2), x_pos)) is True
    assert bool(check_equal(sp.sqrt(x_real**2), x_real)) is False
    undecided = check_equal(x_real, x_real + 1, budget=1e-6)
    with pytest.raises(TypeError, match="inconclusive"):
        bool(undecided)


def test_unevaluable_expressions_are_inconclusive_with_a_reason():
    result = check_equal(1 / (x_real - x_real + sp.Symbol("q", zero=True)), 1)
    assert result.verdict is Verdict.INCONCLUSIVE
    assert result.reason


@pytest.mark.parametrize("bad", ["x**2", b"x", None, True, [1, 2], object()])
def test_non_expressions_are_rejected_naming_the_argument(bad):
    with pytest.raises(InvalidArgumentType, match="lhs"):
        check_equal(bad, x_real)
    with pytest.raises(TypeError, match="rhs"):
        check_equal(x_real, bad)


def test_strings_are_never_parsed():
    with pytest.raises(TypeError, match="not a string"):
        check_equal("__import__('os').system('true')", 0)


@pytest.mark.parametrize("budget", [0, -1, float("inf"), float("nan"), "5"])
def test_bad_budgets_are_rejected(budget):
    with pytest.raises((InvalidArgumentValue, InvalidArgumentType), match="budget"):
        check_equal(x_real, x_real, budget=budget)


def test_shape_mismatch_is_a_clear_error():
    with pytest.raises(InvalidArgumentValue, match="same shape"):
        check_equal(sp.Matrix([1, 2]), sp.Matrix([1, 2, 3]))


def test_unknown_relation_is_a_clear_error():
    with pytest.raises(InvalidArgumentValue, match="relation"):
        check_relation(x_real, 0, "=<")


def test_results_are_reproducible():
    first = check_equal(sp.sqrt(x_real**2), x_real, seed=7)
    second = check_equal(sp.sqrt(x_real**2), x_real, seed=7)
    assert first.counterexample == second.counterexample
