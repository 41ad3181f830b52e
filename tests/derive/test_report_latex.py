"""The notes' LaTeX in the reports: standard form, MathML, and the fall-backs."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import sympy as sp

from derive import collect
from derive._render._html import math, prose
from derive._render._latex import (
    is_prose,
    split_inline_math,
    standard_latex,
    sympy_mathml,
    to_mathml,
)

ROOT = Path(__file__).resolve().parents[2]
NOTES = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))


def _proof_latex() -> list[str]:
    """Every LaTeX string the proofs quote or state: quotes, lines and corrections."""
    found = []
    for proof in collect([ROOT / "proofs"]):
        for d in proof.derivations:
            found += [d.source.quote] + [s.latex for s in d.lines()]
            found += [c.corrected.latex for c in d.expected.corrections]
    return found


def _visible(mathml: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", mathml))


def test_notes_dialect_becomes_standard_latex():
    assert standard_latex(r"a \newline b") == r"\begin{aligned}&a  \\ & b\end{aligned}"
    assert standard_latex(r"\argmax_w f") == r"\operatorname*{arg\,max}_w f"
    assert standard_latex(r"\arg\min_{u} f") == r"\operatorname*{arg\,min}_{u} f"
    assert standard_latex(r"\Epsilon = C") == r"\mathrm{E} = C"
    assert standard_latex(r"\begin{aligned} a &= b \newline \end{aligned}") == \
        r"\begin{aligned} a &= b \end{aligned}"


def test_top_level_alignment_is_wrapped_and_environments_are_left_alone():
    assert standard_latex(r"a &= b = c") == r"\begin{aligned}a &= b = c\end{aligned}"
    inside = r"\begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}"
    assert standard_latex(inside) == inside


@pytest.mark.parametrize("latex", [
    r"\mathbb{E}\left[\frac{1}{N} \sum_{i=1}^{N} x_i\right]",
    r"\hat{\mu} = \operatorname{tr}(A) + \text{分子}",
    r"\begin{aligned} \hat{y} &= \argmax_y P(y \mid x) \newline &= 1 \newline \end{aligned}",
])
def test_mathml_shows_no_latex_command(latex):
    mathml = to_mathml(latex, display=True)
    assert mathml is not None and mathml.startswith("<math")
    assert not re.search(r"\\[A-Za-z]", _visible(mathml))
    assert "&" not in _visible(mathml) and "*" not in _visible(mathml)


def test_an_unknown_command_is_refused_rather_than_shown():
    assert to_mathml(r"\notacommand{x} + 1") is None


def test_the_fallbacks_are_sympy_mathml_then_marked_source():
    x = sp.Symbol("x")
    from_sympy = math(r"\notacommand{x}", x**2)
    assert "<msup>" in from_sympy and "notacommand" not in from_sympy
    marked = math(r"\notacommand{x}")
    assert 'class="latex-source"' in marked and r"\notacommand{x}" in marked
    assert sympy_mathml(x**2, display=True).startswith('<math xmlns')


def test_prose_keeps_text_and_lays_out_its_dollars():
    assert split_inline_math("a $x$ b $$y$$") == [
        ("text", "a "), ("inline", "x"), ("text", " b "), ("display", "y")]
    assert is_prose("分子最多是 $\\exp(0) = 1$") and not is_prose(r"\frac{1}{n}")
    assert is_prose("the sample mean is unbiased")
    html = prose("分子最多是 $\\exp(0) = 1$,不會 overflow")
    assert html.startswith("分子最多是 <math") and html.endswith(",不會 overflow")


def test_every_latex_string_in_the_proofs_is_laid_out():
    failed = [latex for latex in _proof_latex()
              if "latex-source" in (prose(latex) if is_prose(latex) else math(latex))]
    assert failed == []


@pytest.mark.skipif(not NOTES, reason="the notes (../shared/seeds) are not beside the repository")
def test_every_formula_in_the_notes_is_laid_out():
    formulas = []
    for path in NOTES:
        text = path.read_text(encoding="utf-8")
        formulas += [m for _kind, m in (p for p in split_inline_math(text) if p[0] != "text")]
    assert len(formulas) > 100
    assert [f for f in formulas if to_mathml(f, display=True) is None] == []
