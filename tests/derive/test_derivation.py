"""Derivations: verdicts of chains, errata, cross-checks and the JSON entry."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from derive import (
    Comparison,
    Correction,
    CrossCheck,
    Derivation,
    InvalidArgumentType,
    InvalidArgumentValue,
    Source,
    Step,
    Verdict,
    check_derivation,
    erratum,
    holds,
)

x = sp.Symbol("x", real=True)
SOURCE = Source("notes.txt", "Algebra", r"(x+1)^2 = x^2 + 2x + 1")


def chain(*steps, expected=None, crosschecks=(), ident="square-of-sum"):
    return Derivation(id=ident, title="square", source=SOURCE,
                      start=Step((x + 1) ** 2, r"(x+1)^2"), steps=list(steps),
                      expected=expected or holds(), crosschecks=crosschecks)


GOOD = Step(x**2 + 2 * x + 1, r"x^2 + 2x + 1")
WRONG = Step(x**2 + 1, r"x^2 + 1")
FORM = Step(x**2 + 2 * x + 1, r"x^2 + 2x + 1", "regroup")


def agreeing(seed: int) -> Comparison:
    return Comparison(estimate=1.0, stderr=0.01, expected=1.0, alternatives={"wrong": 2.0})


def test_a_correct_chain_holds_and_is_proved():
    result = check_derivation(chain(GOOD, FORM))
    assert result.verdict is Verdict.PROVED
    assert result.meets_expectation
    assert result.conclusion is not None and result.conclusion.verdict is Verdict.PROVED
    assert result.failures() == []


def test_a_wrong_line_fails_a_derivation_expected_to_hold():
    result = check_derivation(chain(WRONG, GOOD))
    assert result.verdict is Verdict.REFUTED
    assert not result.meets_expectation
    text = "\n".join(result.failures())
    assert "step 1 refuted" in text and "counterexample" in text


def test_an_erratum_is_met_when_the_line_is_refuted_and_its_correction_proved():
    derivation = chain(WRONG, FORM, expected=erratum(Correction(1, GOOD, "the cross term")))
    result = check_derivation(derivation)
    assert result.verdict is Verdict.REFUTED
    assert result.meets_expectation
    assert [r.verdict for r in result.corrected] == [Verdict.PROVED, Verdict.PROVED]


def test_an_erratum_is_not_met_when_the_line_was_right_after_all():
    derivation = chain(GOOD, FORM, expected=erratum(Correction(1, GOOD, "nothing")))
    assert not check_derivation(derivation).meets_expectation


def test_an_erratum_is_not_met_when_the_correction_is_wrong_too():
    bad_fix = Step(x**2 + x + 1, r"x^2 + x + 1")
    derivation = chain(WRONG, FORM, expected=erratum(Correction(1, bad_fix, "still wrong")))
    assert not check_derivation(derivation).meets_expectation


def test_a_wrong_start_line_can_be_corrected():
    derivation = Derivation(
        id="wrong-start", title="t", source=SOURCE, start=Step(x**2, r"x^2"),
        steps=[GOOD], expected=erratum(Correction(0, Step((x + 1) ** 2, r"(x+1)^2"), "typo")))
    assert check_derivation(derivation).meets_expectation


def test_inequality_chains_compose_into_the_conclusion():
    d = sp.Symbol("d", nonnegative=True)
    derivation = Derivation(
        id="bound", title="t", source=SOURCE, start=Step(sp.exp(-d) / 2, r"e^{-d}/2"),
        steps=[Step(sp.S.Half, r"1/2", relation="<="), Step(sp.S.One, "1", relation="<")])
    result = check_derivation(derivation)
    assert result.meets_expectation
    assert result.conclusion.relation.value == "<"


def test_a_conclusion_follows_by_transitivity_from_proved_links():
    r, t = sp.Symbol("r", positive=True), sp.Symbol("t", real=True)
    derivation = Derivation(
        id="half-angle-bound", title="t", source=SOURCE, start=Step(r * sp.cos(t), r"r\cos t"),
        steps=[Step(r * (2 * sp.cos(t / 2) ** 2 - 1), r"r(2\cos^2(t/2) - 1)"),
               Step(-r, "-r", relation=">=")])
    result = check_derivation(derivation)
    assert [s.verdict for s in result.steps] == [Verdict.PROVED, Verdict.PROVED]
    assert result.conclusion.verdict is Verdict.PROVED
    assert result.conclusion.check.method.value == "transitivity"


def test_a_conclusion_is_checked_directly_when_a_link_fails():
    result = check_derivation(chain(WRONG, GOOD))
    assert result.conclusion.check.method.value != "transitivity"
    assert result.conclusion.verdict is Verdict.PROVED


def test_scaled_argmax_steps_compose_into_the_conclusion():
    w, beta = sp.Symbol("w", real=True), sp.Symbol("beta", positive=True)
    n = sp.Symbol("N", integer=True, positive=True)
    objective = -beta / 2 * (w - 3) ** 2 + sp.log(beta)
    derivation = Derivation(
        id="argmax-chain", title="t", source=SOURCE, start=Step(n * objective, "N f"),
        steps=[Step(objective, "f", relation="= const +", wrt=w, scale=n),
               Step((w - 3) ** 2, "(w-3)^2", relation="= const +", wrt=w, scale=-beta / 2)])
    result = check_derivation(derivation)
    assert result.meets_expectation
    assert sp.simplify(result.conclusion.scale + n * beta / 2) == 0
    assert result.to_dict()["steps"][1]["scale"] == str(-beta / 2)


def test_a_disagreeing_crosscheck_fails_the_derivation():
    def far(seed):
        return Comparison(estimate=3.0, stderr=0.01, expected=1.0)
    result = check_derivation(chain(GOOD, crosschecks=[CrossCheck("far", far)]))
    assert result.crosschecks[0].verdict == "disagrees"
    assert result.crosschecks[0].z == pytest.approx(200.0)
    assert not result.meets_expectation


def test_a_crosscheck_that_cannot_tell_the_alternative_apart_is_inconclusive():
    def blurred(seed):
        return Comparison(estimate=1.0, stderr=1.0, expected=1.0, alternatives={"notes": 2.0})
    result = check_derivation(chain(GOOD, crosschecks=[CrossCheck("blurred", blurred)]))
    assert result.crosschecks[0].verdict == "inconclusive"
    assert "notes" in result.crosschecks[0].reason


def test_a_crashing_crosscheck_is_reported_with_its_seed_and_others_still_run():
    def crash(seed):
        raise RuntimeError("sampler exploded")
    checks = [CrossCheck("crash", crash), CrossCheck("fine", agreeing)]
    result = check_derivation(chain(GOOD, crosschecks=checks))
    crashed, fine = result.crosschecks
    assert crashed.verdict == "inconclusive" and "sampler exploded" in crashed.reason
    assert str(crashed.seed) in crashed.reason
    assert fine.verdict == "agrees"
    assert not result.meets_expectation


def test_crosscheck_seeds_derive_from_the_id_and_are_stable():
    seeds = []
    def record(seed):
        seeds.append(seed)
        return agreeing(seed)
    check_derivation(chain(GOOD, crosschecks=[CrossCheck("record", record)]))
    check_derivation(chain(GOOD, crosschecks=[CrossCheck("record", record)]))
    check_derivation(chain(GOOD, crosschecks=[CrossCheck("record", record)], ident="other-id"))
    assert seeds[0] == seeds[1] != seeds[2]


def test_deterministic_comparisons_use_a_tolerance():
    def exact(seed):
        return Comparison(estimate=1e-17, expected=0.0, tolerance=1e-15, alternatives={"one": 1.0})
    result = check_derivation(chain(GOOD, crosschecks=[CrossCheck("exact", exact)]))
    assert result.crosschecks[0].verdict == "agrees"
    assert result.crosschecks[0].z is None


def test_json_entry_follows_the_contract():
    derivation = chain(WRONG, FORM, expected=erratum(Correction(1, GOOD, "the cross term")),
                       crosschecks=[CrossCheck("fine", agreeing)])
    entry = json.loads(json.dumps(check_derivation(derivation).to_dict()))
    assert set(entry) >= {"id", "title", "source", "expected", "verdict", "meets_expectation",
                          "steps", "corrected", "crosschecks", "seconds"}
    assert entry["source"] == {"document": "notes.txt", "section": "Algebra",
                               "quote": SOURCE.quote}
    assert entry["expected"] == "erratum" and entry["verdict"] == "refuted"
    step = entry["steps"][0]
    assert set(step) >= {"index", "latex", "verdict", "method", "counterexample"}
    assert step["verdict"] == "refuted" and step["counterexample"]
    assert entry["corrected"][0]["step"] == 1
    check = entry["crosschecks"][0]
    assert set(check) >= {"name", "verdict", "estimate", "stderr", "expected", "z"}


def test_bad_derivations_are_rejected_with_clear_errors():
    with pytest.raises(InvalidArgumentValue, match="id"):
        chain(GOOD, ident="Not An Id")
    with pytest.raises(InvalidArgumentValue, match="steps"):
        chain()
    with pytest.raises(InvalidArgumentType, match="expr"):
        Step("x + 1", "x+1")
    with pytest.raises(InvalidArgumentValue, match="wrt"):
        Step(x, "x", relation="= const +")
    with pytest.raises(InvalidArgumentValue, match="correction names step 5"):
        chain(GOOD, expected=erratum(Correction(5, GOOD, "out of range")))
    with pytest.raises(InvalidArgumentValue, match="stderr"):
        Comparison(estimate=1.0, expected=1.0)
    with pytest.raises(InvalidArgumentType, match="Derivation"):
        check_derivation("sample-mean")
