"""The typed vocabulary: relations and their algebra, cross-check verdicts, expectation kinds."""

from __future__ import annotations

import json
import time

import pytest
import sympy as sp

from derive import (
    CrossCheckVerdict,
    Derivation,
    DerivationResult,
    ExpectedKind,
    InvalidArgumentValue,
    Relation,
    Source,
    Step,
    Verdict,
    check_derivation,
    holds,
    seed_for,
)
from derive._engine._budget import Budget
from derive._engine._check import _claim
from derive._engine._claim import Claim, ClaimKind
from derive._model._derivation import Expected
from derive._processes._sandbox import Outcome

EQ, LE, LT, GE, GT, CONST = (Relation.EQ, Relation.LE, Relation.LT, Relation.GE, Relation.GT,
                             Relation.EQ_UP_TO_CONSTANT)


@pytest.mark.parametrize(("first", "second", "composed"), [
    (EQ, EQ, EQ), (EQ, LT, LT), (GE, EQ, GE), (LE, LE, LE), (LE, LT, LT), (LT, LE, LT),
    (GT, GE, GT), (GE, GE, GE), (CONST, CONST, CONST), (CONST, EQ, CONST), (EQ, CONST, CONST),
    (LE, GE, None), (LT, GT, None), (LE, CONST, None), (CONST, GT, None),
])
def test_relations_compose_as_a_chain_of_inequalities_does(first, second, composed):
    assert first.then(second) is composed


def test_reversal_strictness_and_symbols():
    assert [r.reversed() for r in (LE, LT, GE, GT, EQ)] == [GE, GT, LE, LT, EQ]
    assert [r.weak for r in (LT, GT, LE, EQ)] == [LE, GE, LE, EQ]
    assert [r.is_strict for r in (LT, GT, LE, GE, EQ)] == [True, True, False, False, False]
    assert (LE.symbol, GE.symbol, LT.symbol, CONST.symbol) == ("≤", "≥", "<", "= const +")
    assert (LE.latex, GE.latex, EQ.latex) == (r"\le", r"\ge", "=")


def test_words_serialise_as_their_values():
    payload = {"verdict": CrossCheckVerdict.AGREES, "expected": holds().kind}
    assert json.loads(json.dumps(payload)) == {"verdict": "agrees", "expected": "holds"}
    assert f"{ExpectedKind.ERRATUM}" == "erratum"


def test_expected_kind_is_checked():
    assert Expected("erratum").kind is ExpectedKind.ERRATUM
    with pytest.raises(InvalidArgumentValue, match="kind must be one of"):
        Expected("maybe")


def _tiny(ident: str) -> Derivation:
    x = sp.Symbol("x", positive=True)
    return Derivation(id=ident, title="t", source=Source("doc.txt", "Section", "x"),
                      start=Step((x + 1) ** 2, "(x+1)^2"),
                      steps=[Step(x**2 + 2 * x + 1, "x^2 + 2x + 1"),
                             Step(x**2 + 2 * x + 1, "x^2+2x+1")],
                      expected=holds())


def test_each_step_result_records_the_seed_it_was_checked_with():
    result = check_derivation(_tiny("typed-seeds"))
    assert [s.seed for s in result.steps] == [seed_for("typed-seeds", "step", k) for k in (1, 2)]
    assert result.conclusion is not None and result.conclusion.seed is None  # by transitivity


def test_an_error_is_a_field_of_the_result():
    failed = DerivationResult(_tiny("typed-error"), error="it raised")
    assert failed.verdict is Verdict.INCONCLUSIVE and not failed.meets_expectation
    assert failed.to_dict()["error"] == "it raised" and failed.to_dict()["steps"] == []
    assert check_derivation(_tiny("typed-fine")).to_dict()["error"] is None


def test_claims_from_relations_put_the_larger_side_first():
    x, y = sp.symbols("x y", real=True)
    assert _claim(x, y, Relation.LE, ()) == Claim.sign(y - x, strict=False)
    assert _claim(x, y, Relation.GT, ()) == Claim.sign(x - y, strict=True)
    assert _claim(x, y, Relation.EQ, ()).as_tuple() == ("eq", x, y)
    assert Claim.sign(x, strict=True).kind is ClaimKind.POSITIVE


def test_a_budget_gives_back_time_that_was_not_checking_time():
    budget = Budget(10.0)
    assert budget.share(0.3) == pytest.approx(3.0)
    assert budget.timeout(0.3, reserve=8.0) < 2.0 < budget.timeout(0.3, reserve=1.0) + 1e-9
    before = budget.left()
    budget.charge(Outcome(startup=2.0, idle=1.0))
    assert budget.left() == pytest.approx(before + 3.0, abs=0.05)
    start = time.perf_counter() - 1.0  # a probe that took a second, 0.5 s of it starting up
    budget.give_back_since(start, Outcome(startup=0.5))
    assert budget.left() == pytest.approx(before + 3.5, abs=0.05)
