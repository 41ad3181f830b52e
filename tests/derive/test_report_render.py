"""The HTML and Markdown reports: everything a reader needs, and nothing from the network."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import sympy as sp

from derive import (
    Comparison,
    Correction,
    CrossCheck,
    Derivation,
    Report,
    Source,
    Step,
    erratum,
)
from derive._render import _plots
from derive._render._html import render_html
from derive._render._markdown import render_markdown
from derive._run._safe import check_one

x = sp.Symbol("x", real=True)
SIZES = np.array([10.0, 100.0, 1000.0])


def variance_rate(seed: int) -> Comparison:
    return Comparison(estimate=-1.0, expected=-1.0, stderr=0.01,
                      alternatives={"the notes' slope": -0.5},
                      data={"plot": "loglog", "x": SIZES, "y": 2.0 / SIZES, "slope": -1.0})


def broken_simulation(seed: int) -> Comparison:
    raise RuntimeError("the simulation diverged")


SQUARE = Derivation(
    id="square-of-sum", title="The square of a sum",
    source=Source("notes.txt", "Algebra",
                  r"\mathbb{E}\left[\frac{1}{N} \sum_{i=1}^{N} x_i\right] &= \hat{\mu} \newline"),
    start=Step((x + 1) ** 2, r"(x+1)^2"),
    steps=[Step(x**2 + 2 * x + 1, r"x^2 + 2x + 1", why="binomial formula")],
    crosschecks=[CrossCheck("variance rate", variance_rate)])
ROOT = Derivation(
    id="root-of-square", title="The root of a square",
    source=Source("notes.txt", "Roots", "分子 $\\sqrt{x^2} = x$,不會"),
    start=Step(sp.sqrt(x**2), r"\sqrt{x^2}"), steps=[Step(x, r"x")],
    expected=erratum(Correction(1, Step(sp.Abs(x), r"\left| x \right|"),
                                "the root of a square is the absolute value")))
CRASHING = Derivation(
    id="crashing-crosscheck", title="A cross-check that crashes",
    source=Source("notes.txt", "Algebra", r"x = x"), start=Step(x, "x"), steps=[Step(x, "x")],
    crosschecks=[CrossCheck("broken simulation", broken_simulation)])
MISMATCHED = Derivation(
    id="mismatched-shapes", title="A derivation whose checking raises",
    source=Source("other.txt", "Shapes", r"(x, 1) = x"),
    start=Step(sp.Matrix([[x, 1]]), r"(x, 1)"), steps=[Step(x, "x")])
LOAD_ERROR = ("proofs/broken.py", "proofs/broken.py: could not import: SyntaxError: bad")


@pytest.fixture(scope="module")
def report() -> Report:
    results = tuple(check_one(d) for d in (SQUARE, ROOT, CRASHING, MISMATCHED))
    files = {d.id: "proofs/algebra.py" for d in (SQUARE, ROOT, CRASHING, MISMATCHED)}
    return Report(results, (LOAD_ERROR,), 2.5, files)


@pytest.fixture(scope="module")
def page(report) -> str:
    return render_html(report)


def test_the_sample_report_has_what_the_tests_expect(report):
    square, root, crashing, mismatched = report.results
    assert square.meets_expectation and root.meets_expectation
    assert not crashing.meets_expectation and crashing.crosschecks[0].estimate is None
    assert mismatched.error is not None and "same shape" in mismatched.error


# ------------------------------------------------------------------ HTML


def test_html_is_one_document_that_asks_for_nothing_outside(page):
    assert page.startswith("<!DOCTYPE html>") and page.count("<html") == 1
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!#|data:)""", page)
    assert not re.search(r"url\((?!#)", page) and "@import" not in page
    assert "<script" not in page and "<link" not in page


def test_html_summary_and_contents_come_first(page):
    summary = page.index("2 of 4 derivations meet their expectation")
    contents = page.index("<h2>Contents</h2>")
    first_derivation = page.index('<section class="derivation"')
    assert summary < contents < first_derivation
    assert "Verdicts: 2 proved, 1 refuted, 0 numerically-verified, 1 inconclusive." in page
    assert "Errata found in the notes: 1" in page and "Time taken: 2.5 s." in page
    for ident in ("square-of-sum", "root-of-square", "crashing-crosscheck", "mismatched-shapes"):
        assert f'href="#d-{ident}"' in page and f'id="d-{ident}"' in page
    assert "notes.txt · Algebra" in page and "other.txt · Shapes" in page


def test_html_lays_out_the_mathematics(page):
    assert page.count("<math") > 10 and "<mfrac>" in page and "<msqrt>" in page
    assert "latex-source" not in page.replace(".latex-source", "")
    text = re.sub(r"<style>.*?</style>|<svg.*?</svg>|<[^>]+>", " ", page, flags=re.S)
    assert not re.search(r"\\[A-Za-z]+", text)
    assert "分子" in text and "不會" in text


def test_html_shows_steps_with_verdicts_methods_and_counterexamples(report, page):
    root = report.results[1]
    counterexample = root.steps[0].check.counterexample
    assert counterexample and all(value in page for value in counterexample.values())
    assert "✗ refuted" in page and "random-points" in page and "✓ proved" in page
    assert "binomial formula" in page and "structural" in page


def test_html_shows_errata_side_by_side(page):
    erratum = page[page.index('class="erratum"'):]
    erratum = erratum[:erratum.index("</table>")]
    assert "the notes' line 1" in erratum and "corrected line" in erratum
    assert 'class="notes"' in erratum and 'class="fixed"' in erratum
    assert "the root of a square is the absolute value" in page


def test_html_shows_crosschecks_with_standard_error_z_and_seed(report, page):
    check = report.results[0].crosschecks[0]
    assert "-1 ± 0.01" in page and "the notes&#x27; slope: -0.5, z = -50" in page
    assert str(check.seed) in page
    assert "crashed" in page and "the simulation diverged" in page


def test_html_says_how_to_reproduce(page):
    assert "derive check proofs/algebra.py -k square-of-sum" in page
    assert re.search(r"sympy \d+\.\d+", page) and "Seeds (derived from the id)" in page


def test_html_shows_failures_instead_of_stopping(page):
    assert "proofs/broken.py" in page and "failed to load" in page
    assert "SyntaxError: bad" in page
    assert "Checking raised an error" in page and "same shape" in page


def test_html_embeds_plots_as_svg(page):
    pytest.importorskip("matplotlib")
    figure = page[page.index("<figure>"):]
    assert figure.startswith("<figure><svg") and "</svg><figcaption>" in figure


def test_html_without_matplotlib_says_how_to_get_plots(report, monkeypatch):
    monkeypatch.setattr(_plots, "plots_available", lambda: False)
    page = render_html(report)
    assert "<svg" not in page and "pip install derive-verifier[plots]" in page


def test_html_is_identical_run_to_run(report, page):
    assert render_html(report) == page


# ------------------------------------------------------------------ Markdown


def test_markdown_has_the_same_content_with_dollar_math(report):
    text, _files = render_markdown(report)
    assert text.startswith("# Derivation report")
    assert "2 of 4 derivations meet their expectation" in text
    assert "$$\n= x^2 + 2x + 1\n$$" in text
    assert r"\begin{aligned}\mathbb{E}\left[\frac{1}{N}" in text and r"\newline" not in text
    assert "> 分子 $\\sqrt{x^2} = x$,不會" in text
    assert "| $x$ | $\\left\\| x \\right\\|$ |" in text
    assert "-1 ± 0.01" in text and "z = -50" in text
    assert "failed to load" in text and "same shape" in text and "crashed" in text
    counterexample = report.results[1].steps[0].check.counterexample
    assert all(f"`{value}`" in text for value in counterexample.values())


def test_markdown_plots_are_files_next_to_it(report):
    pytest.importorskip("matplotlib")
    text, files = render_markdown(report, files_dir="out_files")
    (name,) = files
    assert name == "out_files/square-of-sum-variance-rate-0.svg"
    assert files[name].startswith("<svg") and f"]({name})" in text


# ------------------------------------------------------------------ JSON


def test_json_keeps_the_contract_and_adds_errors_and_files(report):
    data = json.loads(report.to_json())
    assert data["schema"] == "derive-report/1" and data["ok"] is False
    assert data["summary"]["errors"] == 1 and data["summary"]["load_errors"] == 1
    entries = {d["id"]: d for d in data["derivations"]}
    assert entries["square-of-sum"]["error"] is None
    assert entries["square-of-sum"]["file"] == "proofs/algebra.py"
    assert entries["mismatched-shapes"]["verdict"] == "inconclusive"
    assert "same shape" in entries["mismatched-shapes"]["error"]
    required = {"id", "title", "source", "expected", "verdict", "meets_expectation", "steps",
                "corrected", "crosschecks", "seconds"}
    assert all(required <= entry.keys() for entry in data["derivations"])
