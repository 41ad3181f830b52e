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
def test_a_tuple_agrees_with_the_column_vector_of_its_entries() -> None:
    d = _derivation(Step(sp.Matrix([a + a, b]), r"\left(2a, b\right)"),
                    Step(sp.Matrix([2 * a, b]), r"(a + a, b)"))
    assert [c.verdict for c in latex_checks(d, budget=2.0)["lines"]] == ["agrees", "agrees"]


def test_an_optimisation_over_a_declared_vector_is_over_its_entries() -> None:
    w1, w2 = sp.symbols("w1 w2", real=True)
    start = Step((w1 - a) ** 2 + w2**2, r"(w_1 - a)^2 + w_2^2")
    d = Derivation(id="vector-argmin", title="t", source=SOURCE, start=start,
                   steps=[Step(w1**2 - 2 * a * w1 + w2**2, r"\argmin_w |w|^2 - 2 a w_1",
                               relation="= const +", wrt=(w1, w2))],
                   notation={"w": sp.Matrix([w1, w2]), "w_1": w1, "w_2": w2})
    assert latex_checks(d, budget=2.0)["lines"][1].verdict == "agrees"


def test_a_zero_agrees_with_a_zero_vector_and_not_with_another() -> None:
    zero = _derivation(Step(sp.Matrix([a - a, 0]), r"(0, 0)"), Step(sp.zeros(2, 1), r"0"))
    assert latex_checks(zero, budget=2.0)["lines"][1].verdict == "agrees"
    other = _derivation(Step(sp.Matrix([a, 0]), r"(a, 0)"), Step(sp.Matrix([a, 0]), r"0"))
    assert latex_checks(other, budget=2.0)["lines"][1].verdict == "disagrees"


def test_sums_over_the_same_limits_agree_when_their_bodies_do() -> None:
    i = sp.Symbol("i", integer=True, positive=True)
    x = sp.IndexedBase("x", real=True)
    body = sp.exp(-x[i]) / (1 + sp.exp(-x[i]))
    d = _derivation(Step(sp.log(sp.Product(body ** a, (i, 1, n))), r"a"),
                    Step(sp.log(sp.Product(body ** a, (i, 1, n))),
                         r"\log \prod_{i=1}^{n} \left(1 - \frac{1}{1 + e^{-x_i}}\right)^{a}"),
                    notation={"x": x, "n": n})
    assert latex_checks(d, budget=2.0)["lines"][1].verdict == "agrees"


def test_a_random_variable_renamed_by_the_notation_stays_random() -> None:
    from derive import E, random_variable
    f = random_variable("f", mean=mu, variance=sigma**2)
    d = Derivation(id="renamed-draw", title="t", source=SOURCE,
                   start=Step(E(f.symbol**2, f), r"\mathbb{E}[g(a)^2]"),
                   steps=[Step(mu**2 + sigma**2, r"\mu^2 + \sigma^2")],
                   notation={"g": lambda point: f.symbol, "a": a})
    assert latex_checks(d, budget=2.0)["lines"][0].verdict == "agrees"


def test_an_unread_line_leaves_no_default_behind_for_the_next() -> None:
    f_tilde = sp.Function("g")
    d = _derivation(Step(f_tilde(a), r"\tilde{f}(a) + \frac{d}{dt}"),
                    Step(f_tilde(a), r"\tilde{f}(a)"))
    lines = latex_checks(d, budget=2.0)["lines"]
    assert [c.verdict for c in lines] == ["unparsed", "unparsed"]
    assert "f_tilde" in (lines[1].reason or "")


def _rungs_time_out(monkeypatch: pytest.MonkeyPatch, rungs: set[str]) -> None:
    from derive._engine import _check
    from derive._engine._cache import CACHE
    from derive._processes._sandbox import Outcome
    real = _check.run_with_timeout
    CACHE.clear()
    monkeypatch.setattr(_check, "run_with_timeout", lambda fn, args, timeout: Outcome(
        timed_out=True) if fn.__name__ in rungs else real(fn, args, timeout))


def test_an_agreement_after_a_timeout_loses_no_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    # the verdict "agrees" could only change its method with more time: the line's result
    # may be kept; an undecided line (every rung timed out) may not
    from derive._base._store import answers_lost
    d = _derivation(Step((a + b) ** 2, r"(a + b)^2"), Step(a**2 + 2 * a * b + b**2, r"(a+b)(b+a)"))
    _rungs_time_out(monkeypatch, {"structural", "simplified"})
    before = answers_lost()
    checks = latex_checks(d, budget=2.0)["lines"]
    assert [c.verdict for c in checks] == ["agrees", "agrees"]
    assert checks[1].method == "random-points" and answers_lost() == before
    _rungs_time_out(monkeypatch, {"structural", "simplified", "random_points"})
    assert latex_checks(d, budget=2.0)["lines"][1].verdict == "undecided"
    assert answers_lost() > before


def test_a_limit_of_the_difference_quotient_is_the_derivative_it_defines() -> None:
    h, u = sp.symbols("h u", real=True)
    g = sp.Function("g", real=True)
    slope = sp.Subs(sp.Derivative(g(a + h * u), h), h, 0)
    d = _derivation(Step(slope, r"\lim_{h \to 0} \frac{g(a + h u) - g(a)}{h}"),
                    Step(slope, r"\lim_{h \to 0} \frac{g(a + h u) - g(a)}{2 h}"),
                    notation={"h": h, "u": u, "g": g})
    first, second = latex_checks(d, budget=1.0)["lines"]
    assert first.verdict == "agrees" and "derivative it defines" in (first.reason or "")
    assert second.verdict != "agrees"  # half the quotient is not the derivative
