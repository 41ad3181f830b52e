"""Speed without weaker verdicts: answers reused within a process, and the refutation probe."""

from __future__ import annotations

import pytest
import sympy as sp

import derive._engine._check as check_module
from derive import Verdict, check_equal, check_relation
from derive._engine._cache import CACHE, RungCache, claim_key
from derive._engine._claim import Claim

x = sp.Symbol("x", real=True)
n = sp.Symbol("n", integer=True, positive=True)


@pytest.fixture(autouse=True)
def empty_cache():
    CACHE.clear()
    yield
    CACHE.clear()


def test_the_same_check_twice_reuses_every_answer_and_gives_the_same_result():
    claim = (sp.sqrt(x**2), x)
    first = check_equal(*claim, seed=3)
    misses = CACHE.misses
    second = check_equal(*claim, seed=3)
    assert first.verdict is Verdict.REFUTED
    assert (second.verdict, second.method, second.counterexample, second.values,
            second.residual) == (first.verdict, first.method, first.counterexample,
                                 first.values, first.residual)
    assert CACHE.misses == misses and CACHE.hits >= 2


def test_another_seed_draws_other_points_but_reuses_the_seedless_rungs():
    check_equal(sp.sqrt(x**2), x, seed=3)
    hits = CACHE.hits
    other = check_equal(sp.sqrt(x**2), x, seed=4)
    assert other.verdict is Verdict.REFUTED
    # the seedless rungs (structural; simplify too when neither probe refuted) are reused,
    # the random points depend on the seed and are not
    assert hits + 1 <= CACHE.hits <= hits + 2


def test_function_assumptions_that_srepr_omits_are_part_of_the_key():
    positive, plain = sp.Function("p", positive=True), sp.Function("p")
    assert sp.srepr(positive(x)) == sp.srepr(plain(x))
    assert (claim_key(Claim.sign(positive(x), strict=True))
            != claim_key(Claim.sign(plain(x), strict=True)))
    assert check_relation(positive(x), 0, ">").verdict is Verdict.PROVED
    assert check_relation(plain(x), 0, ">").verdict is not Verdict.PROVED


def test_symbol_assumptions_are_part_of_the_key():
    positive = sp.Symbol("x", positive=True)
    assert check_equal(sp.sqrt(positive**2), positive).verdict is Verdict.PROVED
    assert check_equal(sp.sqrt(x**2), x).verdict is Verdict.REFUTED


def test_a_timeout_is_never_kept(monkeypatch):
    monkeypatch.setattr(check_module, "run_with_timeout", _always_times_out)
    result = check_equal((x + 1) ** 2, x**2 + 2 * x + 1)
    assert result.verdict is Verdict.INCONCLUSIVE and len(CACHE) == 0
    monkeypatch.undo()
    assert check_equal((x + 1) ** 2, x**2 + 2 * x + 1).verdict is Verdict.PROVED


def _always_times_out(fn, args, timeout):
    from derive._processes._sandbox import Outcome
    return Outcome(timed_out=True)


def test_a_disabled_cache_neither_answers_nor_keeps():
    with CACHE.disabled():
        check_equal(x + x, 2 * x)
        assert len(CACHE) == 0
    check_equal(x + x, 2 * x)
    assert len(CACHE) == 1


def test_the_cache_is_bounded_and_forgets_the_oldest_first():
    cache = RungCache(max_entries=2)
    for key in "abc":
        cache.put(key, key.upper(), seconds=1.0)
    assert len(cache) == 2 and cache.get("a") == (False, None)
    assert cache.get("c") == (True, "C") and cache.seconds_saved == 1.0


def test_the_probe_reports_the_counterexample_the_last_rung_would_report(monkeypatch):
    """Same seed, same order of points: the probe only finds the same point sooner."""
    total = sp.Sum(sp.Indexed(sp.IndexedBase("y", real=True), sp.Symbol("i", integer=True)),
                   (sp.Symbol("i", integer=True), 1, n))
    claims = [(sp.sqrt(x**2), x), (sp.log(sp.exp(x) + 1), x), (total**2, total * n)]
    with CACHE.disabled():
        probed = [check_equal(lhs, rhs, seed=11) for lhs, rhs in claims]
        monkeypatch.setattr(check_module, "_probe", lambda *args: None)
        unprobed = [check_equal(lhs, rhs, seed=11) for lhs, rhs in claims]
    for a, b in zip(probed, unprobed, strict=False):
        assert a.verdict is b.verdict is Verdict.REFUTED
        assert (a.counterexample, a.values, a.points) == (b.counterexample, b.values, b.points)


def test_a_true_claim_that_needs_simplify_is_still_proved_by_it():
    result = check_equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)
    assert (result.verdict, result.method.value) == (Verdict.PROVED, "simplify")
