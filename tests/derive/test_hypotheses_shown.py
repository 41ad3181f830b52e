"""Hypotheses in the open: in the JSON, in both reports and in ``derive check -v``."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from derive import Derivation, Hypothesis, Report, Source, Step, check_derivation
from derive._cli import verbose_lines
from derive._render._html import render_html
from derive._render._markdown import render_markdown

sigma = sp.Symbol("sigma", positive=True)
x = sp.Symbol("x", real=True)

STATED = Hypothesis(r"\sigma > 0", quote="假設 $\\sigma > 0$", note="sigma is a positive symbol")
ADDED = Hypothesis(r"x \in \mathbb{R}", note="x is a real symbol")
ROOT = Derivation(
    id="root-of-square", title="The root of a square", start=Step(sp.sqrt(sigma**2),
                                                                  r"\sqrt{\sigma^2}"),
    source=Source("notes.txt", "Roots", r"\sqrt{\sigma^2} = \sigma"),
    steps=[Step(sigma, r"\sigma")], hypotheses=[STATED, ADDED])
PLAIN = Derivation(
    id="plain-square", title="A square", source=Source("notes.txt", "Roots", r"x \cdot x = x^2"),
    start=Step(x * x, r"x \cdot x"), steps=[Step(x**2, r"x^2")])


@pytest.fixture(scope="module")
def results():
    return check_derivation(ROOT), check_derivation(PLAIN)


@pytest.fixture(scope="module")
def report(results) -> Report:
    return Report(results, (), 1.0, {})


def test_the_json_lists_each_derivations_hypotheses(results):
    root, plain = (json.loads(json.dumps(r.to_dict())) for r in results)
    assert root["hypotheses"] == [
        {"latex": r"\sigma > 0", "quote": "假設 $\\sigma > 0$",
         "note": "sigma is a positive symbol", "stated_by_notes": True},
        {"latex": r"x \in \mathbb{R}", "quote": None, "note": "x is a real symbol",
         "stated_by_notes": False}]
    assert plain["hypotheses"] == []
    assert plain["meets_expectation"] is True and plain["verdict"] == "proved"


def test_the_report_json_has_the_hypotheses_too(report):
    entries = json.loads(report.to_json())["derivations"]
    assert [len(entry["hypotheses"]) for entry in entries] == [2, 0]


def _section(text: str, start: str, end: str | None = None) -> str:
    text = text[text.index(start):]
    return text[:text.index(end)] if end else text


def test_the_html_report_shows_what_each_derivation_is_checked_under(report):
    page = render_html(report)
    root = _section(page, 'id="d-root-of-square"', 'id="d-plain-square"')
    under = _section(root, "Checked under:", "</ul>")
    assert under.count("<li>") == 2 and under.count("<math") >= 3
    stated, added = under.split("</li>", 1)
    assert "the notes: “" in stated and "假設" in stated and "not stated" not in stated
    assert "sigma is a positive symbol" in stated
    assert 'class="badge unstated"' in added
    assert "added by the check, not stated in the notes" in added
    assert "x is a real symbol" in added
    plain = _section(page, 'id="d-plain-square"')
    assert "Checked under: no hypotheses listed beyond the symbols&#x27; assumptions." in plain
    assert root.index("Checked under:") < root.index("<h4>Steps</h4>")


def test_the_markdown_report_shows_what_each_derivation_is_checked_under(report):
    text, _ = render_markdown(report)
    root = _section(text, 'id="d-root-of-square"', 'id="d-plain-square"')
    assert "**Checked under:**" in root
    assert "- $\\sigma > 0$ — the notes: “假設 $\\sigma > 0$” (sigma is a positive symbol)" in root
    assert ("- $x \\in \\mathbb{R}$ — **added by the check, not stated in the notes** "
            "(x is a real symbol)") in root
    plain = _section(text, 'id="d-plain-square"')
    assert "Checked under: no hypotheses listed beyond the symbols' assumptions." in plain


def test_verbose_output_shows_the_hypotheses(results):
    root, plain = ("\n".join(verbose_lines(r)) for r in results)
    assert "  checked under:\n    \\sigma > 0  [the notes: “假設 $\\sigma > 0$”]" in root
    assert "x \\in \\mathbb{R}  [added by the check, not stated in the notes]" in root
    assert "checked under: no hypotheses listed" in plain
