"""The LaTeX shown is the claim checked: each line's LaTeX against its expression."""

from __future__ import annotations

import pytest
import sympy as sp

from derive import (
    Derivation,
    InvalidArgumentType,
    Relation,
    Source,
    Step,
    check_derivation,
    iid_sample,
)
from derive._parse import check_line, derivation_scope, latex_checks

a, b = sp.symbols("a b", real=True)
n = sp.Symbol("n", integer=True, positive=True)
mu, sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
SOURCE = Source("notes.md", "Squares", "a^2 + b^2")


def _derivation(*steps: Step, notation: dict | None = None) -> Derivation:
    return Derivation(id="square-chain", title="a square", source=SOURCE, start=steps[0],
                      steps=list(steps[1:]), notation=notation or {})


def test_lines_that_say_what_their_expression_says_agree() -> None:
    d = _derivation(Step((a + b) ** 2, r"(a + b)^2"),
                    Step(a**2 + 2 * a * b + b**2, r"a^2 + 2ab + b^2"))
    checks = latex_checks(d, budget=2.0)
    assert [c.verdict for c in checks["lines"]] == ["agrees", "agrees"]


def test_a_line_whose_latex_says_something_else_disagrees_and_fails_the_derivation() -> None:
    d = _derivation(Step((a + b) ** 2, r"(a + b)^2"),
                    Step(a**2 + 2 * a * b + b**2, r"a^2 + ab + b^2"))
    result = check_derivation(d, budget=2.0)
    assert result.latex["lines"][1].verdict == "disagrees"
    assert "counterexample" in result.latex["lines"][1].reason
    assert result.verdict.value == "proved" and not result.meets_expectation
    assert any("LaTeX of line 1 disagrees" in line for line in result.failures())
    entry = result.to_dict()
    assert entry["start"]["latex_check"]["verdict"] == "agrees"
    assert entry["steps"][0]["latex_check"]["verdict"] == "disagrees"


def test_unknown_names_are_unparsed_until_the_notation_declares_them() -> None:
    x = iid_sample("x", n, mean=mu, variance=sigma**2)
    i = sp.Symbol("i", integer=True, positive=True)
    mean = sp.Sum(x[i], (i, 1, n)) / n
    steps = (Step(mean, r"\hat{\mu}"), Step(sp.Sum(x[i], (i, 1, n)) / n,
                                            r"\frac{1}{N} \sum_{i=1}^{N} x_i"))
    bare = latex_checks(_derivation(*steps), budget=2.0)["lines"]
    assert [c.verdict for c in bare] == ["unparsed", "unparsed"]
    assert "mu_hat" in bare[0].reason and "N" in bare[1].reason
    declared = latex_checks(_derivation(*steps, notation={r"\hat{\mu}": mean, "N": n}),
                            budget=2.0)["lines"]
    assert [c.verdict for c in declared] == ["agrees", "agrees"]


def test_a_row_starting_with_a_relation_must_match_the_step() -> None:
    d = _derivation(Step(a**2 + b**2, r"a^2 + b^2"), Step(2 * a * b, r"\ge 2ab", relation=">="))
    scope = derivation_scope(d)
    assert check_line(d.steps[0], scope, 2.0).verdict == "agrees"
    wrong = Step(2 * a * b, r"\le 2ab", relation=">=")
    assert check_line(wrong, scope, 2.0).verdict == "disagrees"


def test_an_unreadable_line_is_unparsed_with_its_position() -> None:
    d = _derivation(Step(a, r"a"), Step(a, r"a + \foo"))
    check = latex_checks(d, budget=2.0)["lines"][1]
    assert check.verdict == "unparsed" and "column 5" in check.reason


def test_a_step_written_from_its_latex_alone() -> None:
    step = Step.from_latex(r"\frac{a^2 - b^2}{a - b}", {"a": a, "b": b})
    assert sp.simplify(step.expr - (a + b)) == 0 and step.relation is Relation.EQ
    assert Step.from_latex(r"\le 2ab", [a, b]).relation is Relation.LE
    assert Step(latex=r"a + b").expr.free_symbols == {sp.Symbol("a", real=True),
                                                      sp.Symbol("b", real=True)}


def test_notation_must_be_a_mapping_of_names() -> None:
    with pytest.raises(InvalidArgumentType, match="notation"):
        _derivation(Step(a, "a"), Step(a, "a"), notation={1: a})  # type: ignore[dict-item]


def test_reports_mark_a_line_whose_latex_disagrees() -> None:
    from derive import Report
    from derive._render._html import render_fragment
    from derive._render._markdown import render_markdown

    d = _derivation(Step(a + b, r"a + b"), Step(b + a, r"b + 2a"))
    result = check_derivation(d, budget=2.0)
    markdown = render_markdown(Report(results=(result,), load_errors=(), seconds=1.0))[0]
    assert "*The LaTeX of line 1: disagrees*" in markdown
    assert "The LaTeX of line 0" not in markdown
    assert "latex-disagrees" in render_fragment(result)


def test_an_optimisation_step_from_latex_is_an_equal_up_to_constant_step() -> None:
    w = sp.Symbol("w", real=True)
    step = Step.from_latex(r"\argmax_w -(w - a)^2", [w, a])
    assert step.relation is Relation.EQ_UP_TO_CONSTANT and step.wrt == (w,)
    assert step.expr == -(w - a) ** 2


def test_a_tuple_or_a_zero_agrees_with_the_column_it_states() -> None:
    d = _derivation(Step(sp.Matrix([a, 2 * b]), r"(a, 2 b)"), Step(sp.zeros(2, 1), r"0"),
                    Step(sp.Matrix([a, b]), r"(a, 2 b)"))
    verdicts = [c.verdict for c in latex_checks(d, budget=2.0)["lines"]]
    assert verdicts == ["agrees", "agrees", "disagrees"]


def test_adjacent_letters_spell_only_names_the_notation_declares() -> None:
    ab = sp.Symbol("ab", real=True)
    d = _derivation(Step(a * b + ab, r"a b + c"), Step(ab + a * b, r"c + a b"),
                    notation={"c": ab})
    assert [c.verdict for c in latex_checks(d, budget=2.0)["lines"]] == ["agrees", "agrees"]
