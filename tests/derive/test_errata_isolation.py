"""An erratum blames the right line: each correction is checked with the others applied."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from derive import (
    Correction,
    Derivation,
    IsolatedCheck,
    Report,
    Source,
    Step,
    Verdict,
    check_derivation,
    erratum,
)
from derive._cli import verbose_lines
from derive._render._html import render_html
from derive._render._markdown import render_markdown
from derive._run import _runner

x = sp.Symbol("x", real=True)
SOURCE = Source("notes.txt", "Algebra", r"(x+1)^2 = x^2 + 2x + 1")
START = Step((x + 1) ** 2, r"(x+1)^2")
SQUARE = Step(x**2 + 2 * x + 1, r"x^2 + 2x + 1", "binomial formula")
LOST_CROSS_TERM = Step(x**2 + 1, r"x^2 + 1", "binomial formula")
HALF_CROSS_TERM = Step(x**2 + x + 1, r"x^2 + x + 1", "collect terms")
FACTORED = Step(x * (x + 2) + 1, r"x (x + 2) + 1", "factor x")


def chain(ident: str, *steps: Step, corrections: tuple[Correction, ...]) -> Derivation:
    return Derivation(id=ident, title="square of a sum", source=SOURCE, start=START,
                      steps=list(steps), expected=erratum(*corrections))


FIX_LINE_1 = Correction(1, SQUARE, "the cross term 2x is lost")
# Lines 1 and 2 of the notes are both wrong; each is blamed on its own (line 2 only
# next to the corrected line 1: the notes' link 1 -> 2 fails because of line 1 too).
TWO_WRONG = chain(
    "two-wrong-lines", LOST_CROSS_TERM, HALF_CROSS_TERM,
    corrections=(FIX_LINE_1, Correction(2, Step(x**2 + 2 * x + 1, r"x^2 + 2x + 1"),
                                        "the cross term is 2x, not x")))
# Only line 1 is wrong; blaming line 2 as well rests on line 1's mistake alone: the
# notes' link 1 -> 2 is refuted, but with line 1 corrected the notes' line 2 is right.
WRONGLY_BLAMED = chain(
    "wrongly-blamed-line", LOST_CROSS_TERM, SQUARE, FACTORED,
    corrections=(FIX_LINE_1, Correction(2, Step(x**2 + 2 * x + 1, r"x^2+2x+1"),
                                        "blamed for line 1's mistake")))
ONE_WRONG = chain("one-wrong-line", LOST_CROSS_TERM, FACTORED, corrections=(FIX_LINE_1,))


@pytest.fixture(scope="module")
def two_wrong() -> _runner.DerivationResult:
    return check_derivation(TWO_WRONG)


@pytest.fixture(scope="module")
def wrongly_blamed() -> _runner.DerivationResult:
    return check_derivation(WRONGLY_BLAMED)


def test_two_wrong_lines_are_each_isolated_with_the_other_correction_applied(two_wrong):
    first, second = two_wrong.isolated
    assert (first.line, first.lines) == (1, (0, 1))
    assert (second.line, second.lines) == (2, (1, 2))
    assert first.isolated and second.isolated
    assert second.link.check.counterexample is not None
    # line 2 is judged next to the corrected line 1: a link the notes' chain does not have
    assert second.link is not two_wrong.steps[1] and not second.in_notes_chain
    assert first.link is two_wrong.steps[0] and first.in_notes_chain
    assert two_wrong.meets_expectation


def test_a_line_blamed_for_its_neighbours_mistake_is_not_isolated(wrongly_blamed):
    # the rule "some link next to the line is refuted" would accept this erratum ...
    assert wrongly_blamed.steps[1].verdict is Verdict.REFUTED
    assert all(r.verdict is Verdict.PROVED for r in wrongly_blamed.corrected)
    # ... the counterfactual rule does not: with line 1 corrected, line 2 holds
    blamed = wrongly_blamed.isolated[1]
    assert blamed.line == 2 and not blamed.isolated
    assert blamed.link.verdict is Verdict.PROVED and blamed.link.check.counterexample is None
    assert wrongly_blamed.isolated[0].isolated
    assert not wrongly_blamed.meets_expectation
    assert any("correction of line 2 is not isolated" in line
               for line in wrongly_blamed.failures())


@pytest.fixture
def checks_made(monkeypatch) -> list[tuple]:
    calls: list[tuple] = []
    real = _runner.check_relation

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(_runner, "check_relation", counting)
    return calls


def test_one_correction_reuses_the_notes_chain(checks_made):
    result = check_derivation(ONE_WRONG)
    (isolated,) = result.isolated
    assert isolated.link is result.steps[0] and isolated.isolated
    links, corrected_links, conclusion = 2, 2, 1
    assert len(checks_made) == links + corrected_links + conclusion
    assert result.meets_expectation


def test_only_links_next_to_a_corrected_neighbour_are_checked_anew(checks_made):
    result = check_derivation(TWO_WRONG)
    assert result.isolated[0].link is result.steps[0]
    links, corrected_links, conclusion, isolating_line_2 = 2, 2, 1, 1
    assert len(checks_made) == links + corrected_links + conclusion + isolating_line_2


def test_an_erratum_result_without_isolated_checks_does_not_meet_its_expectation(two_wrong):
    import dataclasses

    assert not dataclasses.replace(two_wrong, isolated=()).meets_expectation


def test_the_json_gives_every_correction_its_isolated_check(two_wrong, wrongly_blamed):
    entry = json.loads(json.dumps(two_wrong.to_dict()))
    first, second = (item["isolated"] for item in entry["corrected"])
    assert first["link"] == [0, 1] and second["link"] == [1, 2]
    assert first["in_notes_chain"] is True and second["in_notes_chain"] is False
    for isolated in (first, second):
        assert set(isolated) >= {"link", "verdict", "counterexample", "values"}
        assert isolated["verdict"] == "refuted" and isolated["counterexample"]
        assert len(isolated["values"]) == 3
    blamed = wrongly_blamed.to_dict()["corrected"][1]["isolated"]
    assert blamed["verdict"] == "proved" and blamed["counterexample"] is None


def test_the_older_fields_of_corrected_keep_their_meaning(two_wrong):
    item = two_wrong.to_dict()["corrected"][1]
    assert item["step"] == 2 and item["latex"] == r"x^2 + 2x + 1"
    assert [link["index"] for link in item["checks"]] == [2]
    assert all(link["verdict"] == "proved" for link in item["checks"])


@pytest.fixture(scope="module")
def report(two_wrong, wrongly_blamed) -> Report:
    one = check_derivation(ONE_WRONG)
    return Report((two_wrong, wrongly_blamed, one), (), 1.0, {})


def test_the_html_report_shows_the_isolated_check_beside_the_lines(report, two_wrong):
    page = render_html(report)
    section = page[page.index('id="d-two-wrong-lines"'):page.index('id="d-wrongly-blamed-line"')]
    erratum = section[section.index("<th>the notes' line 2</th>"):]
    assert erratum.index('class="fixed"') < erratum.index(
        "With the other corrections applied, the notes&#x27; line 2 still fails: link 1 → 2 "
        "(the corrected line 1 against the notes&#x27; line 2) is refuted")
    counterexample = two_wrong.isolated[1].link.check.counterexample
    assert all(value in erratum for value in counterexample.values())
    assert ("Not isolated: with the other corrections applied, the notes&#x27; line 2 does "
            "not fail: link 1 → 2 (the corrected line 1 against the notes&#x27; line 2) is "
            "proved (structural), so the blame is not shown to fall on this line.") in page
    assert "The notes&#x27; line 1 fails: link 0 → 1 is refuted" in page


def test_the_markdown_report_shows_the_isolated_check(report, two_wrong):
    text, _ = render_markdown(report)
    assert ("With the other corrections applied, the notes' line 2 still fails: link 1 → 2 (the "
            "corrected line 1 against the notes' line 2) is refuted") in text
    assert "Not isolated: with the other corrections applied, the notes' line 2" in text
    counterexample = two_wrong.isolated[1].link.check.counterexample
    assert all(f"`{value}`" in text for value in counterexample.values())
    assert f"line 2 isolated (link 1 → 2): {two_wrong.isolated[1].seed}" in text


def test_verbose_output_shows_the_isolated_check(wrongly_blamed):
    text = "\n".join(verbose_lines(wrongly_blamed))
    assert "erratum line  1: With the other corrections applied" in text
    assert "erratum line  2: Not isolated" in text
    assert "is refuted (random-points) at the point below. (the notes' own link)" in text


def test_isolated_check_is_public():
    import derive

    assert derive.IsolatedCheck is IsolatedCheck


def test_a_line_corrected_twice_is_rejected():
    from derive import InvalidArgumentValue

    with pytest.raises(InvalidArgumentValue, match=r"corrects line\(s\) \[1\] more than once"):
        erratum(FIX_LINE_1, Correction(1, FACTORED, "again"))
