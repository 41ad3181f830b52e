"""The typed vocabulary: relations and their algebra, cross-check verdicts, expectation kinds."""

from __future__ import annotations

import json

import pytest

from derive import CrossCheckVerdict, ExpectedKind, InvalidArgumentValue, Relation, holds
from derive._model._derivation import Expected

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
