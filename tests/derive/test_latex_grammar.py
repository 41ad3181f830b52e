r"""The LALR grammar of the notes' LaTeX: readings that need more than one token of look-ahead.

A pass over the tokens (``derive._parse._marks``) says what a bar, a comma or the
parenthesis of ``w^{(t)\top}`` is; big operators take the juxtaposed factors after them,
not what follows ``\cdot`` or ``/``.
"""

from __future__ import annotations

import pytest
import sympy as sp

from derive import LatexError, parse_formula, parse_latex

a, b, c, n, w, x, y = sp.symbols("a b c n w x y", real=True)
i = sp.Symbol("i", integer=True)


def test_a_big_operator_stops_at_a_division_or_an_explicit_product() -> None:
    xs = sp.IndexedBase("x")
    total = sp.Sum(xs[i], (i, 1, n))
    assert parse_latex(r"\sum_{i=1}^{n} x_i / n", {"x": xs, "n": n, "i": i}) == total / n
    assert parse_latex(r"\frac{1}{n} \sum_{i=1}^{n} x_i \cdot y",
                       {"x": xs, "n": n, "i": i}) == total * y / n
    assert parse_latex(r"\log a b") == sp.log(a * b)
    assert parse_latex(r"\log(a) b") == b * sp.log(a)


@pytest.mark.parametrize(("latex", "expected"), [
    (r"|a| b |c|", sp.Abs(a) * b * sp.Abs(c)),
    (r"(a|b|c)", a * sp.Abs(b) * c),
    (r"|a - |b||", sp.Abs(a - sp.Abs(b))),
    (r"\|w\|^2 + \| a \|", w**2 + sp.Abs(a)),
])
def test_bars_open_and_close_absolute_values_and_norms(latex: str, expected: sp.Expr) -> None:
    assert sp.simplify(parse_latex(latex) - expected) == 0


def test_a_bar_inside_parentheses_with_nothing_to_close_is_a_condition() -> None:
    p = sp.Function("p")
    read = parse_latex(r"p(y | x) + p(|x| \mid y)", {"p": p})
    conditionals = sorted(read.atoms(sp.core.function.AppliedUndef), key=str)
    assert [len(call.args) for call in conditionals] == [2, 2]
    assert {call.args for call in conditionals} == {(y, x), (sp.Abs(x), y)}


def test_a_superscript_of_marks_indexes_then_transposes() -> None:
    ws = sp.IndexedBase("w")
    t = sp.Symbol("t", integer=True)
    assert parse_latex(r"w^{(t)\top} x", {"w": ws, "t": t}) == ws[t] * x
    assert parse_latex(r"w^{(t)}", {"w": ws, "t": t}) == ws[t]
    assert parse_latex(r"w^{(t)2}", {"w": ws, "t": t}) == ws[t] ** 2


def test_commas_end_rows_start_clauses_or_separate_items() -> None:
    formula = parse_formula(r"a^2 + b, \quad a > 0, \forall b")
    assert formula.expressions == (a**2 + b,) and formula.conditions == (a > 0, b)
    assert parse_formula(r"a + b,").expressions == (a + b,)
    with pytest.raises(LatexError, match="cannot read 'b' at column 4"):
        parse_latex(r"a, b")


def test_rows_chain_relations_across_line_breaks() -> None:
    formula = parse_formula("a = b \\\\ &\\le c")
    assert formula.links == ((None, a), ("=", b), ("<=", c))
    dangling = parse_formula("a + b \\le \\\\ & c")
    assert dangling.links == ((None, a + b), ("<=", c))
    continued = parse_formula(r"&\quad = a + b")
    assert continued.leading_relation == "=" and continued.expressions == (a + b,)


def test_functions_with_parentheses_are_calls_and_without_take_the_product() -> None:
    assert parse_latex(r"\exp(a) b + \sin a b") == b * sp.exp(a) + sp.sin(a * b)
    assert parse_latex(r"\max_{a} -a^2").objective == -(a**2)
    assert parse_latex(r"\begin{cases} a & a > 0 \\ 0 & a \le 0 \end{cases}") == sp.Piecewise(
        (a, a > 0), (0, True))


@pytest.mark.parametrize(("latex", "message"), [
    (r"a + \foo", r"cannot read '\\foo' at column 5"),
    (r"\frac{a}{", r"the formula ends too early \(at column 10\)"),
    (r"a | b", r"the formula ends too early \(at column 6\)"),
    (r"f(a, b,", r"the formula ends too early \(at column 8\)"),
    (r"(a, \quad b)", r"cannot read '\\quad' at column 5"),
    ("a = b \\\\ c + ", r"the formula ends too early \(at column 14\)"),
])
def test_errors_name_the_position_and_the_token(latex: str, message: str) -> None:
    with pytest.raises(LatexError, match=message):
        parse_latex(latex)


def test_factorials_and_binomial_coefficients() -> None:
    lam, k = sp.Symbol("lambda", positive=True), sp.Symbol("k", integer=True, nonnegative=True)
    poisson = parse_latex(r"\frac{\lambda^{k} e^{-\lambda}}{k!}", {"lambda": lam, "k": k})
    assert poisson == lam**k * sp.exp(-lam) / sp.factorial(k)
    assert sp.simplify(parse_latex(r"\frac{(n+1)!}{n!}") - (n + 1)) == 0
    d, top = sp.symbols("d P", integer=True, positive=True)
    names = {"d": d, "P": top, "k": k}
    assert parse_latex(r"\binom{d + P}{P}", names) == sp.binomial(d + top, top)
    assert parse_latex(r"\sum_{k=0}^{P} \binom{k + d - 1}{d - 1}", names) == sp.Sum(
        sp.binomial(k + d - 1, d - 1), (k, 0, top))


def test_perp_names_a_subscript_and_is_no_factor() -> None:
    v = sp.Matrix(sp.symbols("v1 v2", real=True))
    assert parse_latex(r"\|\phi_\perp\|^2", {"phi_perp": v}) == v[0] ** 2 + v[1] ** 2
    assert parse_latex(r"\phi_{\perp}") == sp.Symbol("phi_perp", real=True)
    with pytest.raises(LatexError, match=r"cannot read '\\perp' at column 10"):
        parse_latex(r"\epsilon \perp y")


def test_plus_minus_is_the_set_of_both_values() -> None:
    assert parse_latex(r"\pm 1") == sp.FiniteSet(-1, 1)
    assert parse_latex(r"a \pm b") == sp.FiniteSet(a + b, a - b)
    assert parse_latex(r"a \mp b") == sp.FiniteSet(a + b, a - b)


def test_kept_trees_are_keyed_by_the_grammar_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from derive._run import _answers
    before = _answers.tree_namespace()
    monkeypatch.setattr(_answers, "grammar_text", lambda: "start: LETTER\nLETTER: /[a-z]/\n")
    assert _answers.tree_namespace() != before
