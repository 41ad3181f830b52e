"""derive.parse_latex: the notes' notation read into SymPy by a grammar."""

from __future__ import annotations

import pytest
import sympy as sp

from derive import (
    E,
    LatexError,
    Var,
    expectation,
    iid_sample,
    parse_formula,
    parse_latex,
)
from derive._parse import ArgMax, ArgMin

n = sp.Symbol("n", integer=True, positive=True)
mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
i, j = sp.symbols("i j", integer=True, positive=True)
a, b, t, w = sp.symbols("a b t w", real=True)
x = iid_sample("x", n, mean=mu, variance=sigma**2)
SAMPLE = {"x": x, "N": n, "n": n, "mu": mu, "sigma": sigma}


def same(latex: str, expected: object, symbols: object = None) -> None:
    value = parse_latex(latex, symbols)
    assert sp.simplify(sp.expand(value - expected)) == 0, (latex, value, expected)


@pytest.mark.parametrize(("latex", "expected"), [
    (r"\frac{a}{b} + \sqrt{a} - a^{2} \cdot b", a / b + sp.sqrt(a) - a**2 * b),
    (r"2ab + \left( a - b \right)^2", 2 * a * b + (a - b) ** 2),
    (r"\exp(a) + e^{b} + \log(a) + \ln b", sp.exp(a) + sp.exp(b) + sp.log(a) + sp.log(b)),
    (r"\sin a \cos b", sp.sin(a * sp.cos(b))),
    (r"|a - b| + \sqrt[3]{a}", sp.Abs(a - b) + sp.root(a, 3)),
    (r"\frac{d}{dt} t^3", 3 * t**2),
    (r"\frac{\partial}{\partial a} a^2 b", 2 * a * b),
    (r"\lim_{t \to 0} \frac{\sin t}{t}", sp.Limit(sp.sin(t) / t, t, 0)),
])
def test_arithmetic_functions_and_operators(latex: str, expected: object) -> None:
    same(latex, expected, [a, b, t])


def test_log_is_natural_and_capitals_stay_capitals() -> None:
    value = parse_latex(r"\log(N e^{a})")
    assert sp.simplify(value.subs(sp.Symbol("N", real=True), 1) - sp.Symbol("a", real=True)) == 0
    assert {s.name for s in value.free_symbols} == {"N", "a"}


def test_sums_over_a_declared_sample_use_its_size() -> None:
    same(r"\frac{1}{N} \sum_{i=1}^{N} x_i", sp.Sum(x[i], (i, 1, n)) / n, SAMPLE)
    same(r"\sum_i x^{(i)2}", sp.Sum(x[i] ** 2, (i, 1, n)), SAMPLE)
    value = parse_latex(r"\sum_{i,j} x^{(i)} x^{(j)}", SAMPLE)
    assert value == sp.Sum(x[i] * x[j], (i, 1, n), (j, 1, n))


def test_a_sum_takes_the_rest_of_the_product_only() -> None:
    c = sp.Symbol("c", real=True)
    y = sp.IndexedBase("y", real=True)
    value = parse_latex(r"\sum_{i=1}^{N} x_i y_i + c", {**SAMPLE, "y": y, "c": c})
    assert value == sp.Sum(x[i] * y[i], (i, 1, n)) + c


def test_pairs_of_equal_and_distinct_indices() -> None:
    equal = parse_latex(r"\sum_{i=j} x^{(i)}x^{(j)}", SAMPLE)
    distinct = parse_latex(r"\sum_{i \neq j} x^{(i)}x^{(j)}", SAMPLE)
    assert equal == sp.Sum(sp.KroneckerDelta(i, j) * x[i] * x[j], (i, 1, n), (j, 1, n))
    assert sp.expand(expectation(equal, x) - n * (mu**2 + sigma**2)) == 0
    assert sp.expand(expectation(distinct, x) - n * (n - 1) * mu**2) == 0


def test_expectations_map_to_the_expectation_algebra() -> None:
    mean = sp.Sum(x[i], (i, 1, n)) / n
    symbols = {**SAMPLE, r"\hat{\mu}": mean}
    assert parse_latex(r"\mathbb{E}[\hat{\mu}]", symbols) == E(mean, x)
    assert parse_latex(r"\mathbb{E}_{\mathbb{X}}[x_i]", symbols) == E(x[i], x)
    assert parse_latex(r"\text{Var}(\hat{\mu})", symbols) == Var(mean, x)
    assert sp.simplify(parse_latex(r"\text{Var}(\hat{\mu})", symbols).doit() - sigma**2 / n) == 0


def test_an_expectation_without_a_declared_sample_is_an_error() -> None:
    with pytest.raises(LatexError, match="declared sample"):
        parse_latex(r"\mathbb{E}[y]")


def test_vectors_transpose_norms_and_products() -> None:
    w1, w2, x1, x2 = sp.symbols("w1 w2 x1 x2", real=True)
    vectors = {"w": sp.Matrix([w1, w2]), "x": sp.Matrix([x1, x2])}
    assert parse_latex(r"w^\top x", vectors) == w1 * x1 + w2 * x2
    assert parse_latex(r"w^T x", vectors) == w1 * x1 + w2 * x2
    assert sp.simplify(parse_latex(r"\|w\|^2", vectors) - (w1**2 + w2**2)) == 0
    assert parse_latex(r"\|w\|_1", vectors) == sp.Abs(w1) + sp.Abs(w2)
    assert parse_latex(r"\log(1+e^{w^T x})", vectors) == sp.log(1 + sp.exp(w1 * x1 + w2 * x2))


def test_gradients_and_hessians_of_one_variable_functions() -> None:
    f = sp.Function("f")
    value = parse_latex(r"a - H(f)(a)^{-1} \nabla f(a)", {"f": f, "a": a})
    assert value == a - f(a).diff(a) / f(a).diff(a, 2)


def test_divergence_and_partial_derivatives_with_declared_coordinates() -> None:
    x_ = sp.Symbol("x", real=True)
    p, b_ = sp.Function("p"), sp.Function("b")
    names = {r"\nabla": (x_,), "x": x_, "t": t, "p": p, "b": b_}
    value = parse_latex(r"-\nabla \cdot (b(x, t) p(x, t)) + \partial_t p(x, t)", names)
    assert value == -sp.diff(b_(x_, t) * p(x_, t), x_) + sp.diff(p(x_, t), t)


@pytest.mark.parametrize(("latex", "kind"), [
    (r"a \le b", sp.Le), (r"a \leq b", sp.Le), (r"a \geq b", sp.Ge), (r"a \ge b", sp.Ge),
    (r"a < b", sp.Lt), (r"a > b", sp.Gt), (r"a \ne b", sp.Ne), (r"a = b", sp.Eq),
])
def test_relations(latex: str, kind: type) -> None:
    assert isinstance(parse_latex(latex, [a, b]), kind)


def test_aligned_chains_with_newline_and_double_backslash() -> None:
    text = (r"\begin{aligned} (a+b)^2 &= a^2 + 2ab + b^2 \newline &\ge 2ab + 2ab \\ &= 4ab"
            r" \end{aligned}")
    formula = parse_formula(text, [a, b])
    assert [rel for rel, _ in formula.links] == [None, "=", ">=", "="]
    assert formula.expressions[-1] == 4 * a * b


def test_argmax_and_argmin_keep_their_objective_and_variable() -> None:
    value = parse_latex(r"\argmax_w -(w - a)^2", [w, a])
    assert isinstance(value, ArgMax) and value.variables == (w,)
    assert value.objective == -(w - a) ** 2
    for text in (r"\arg\min_w (w - a)^2", r"\text{argmin}_w (w - a)^2",
                 r"\text{argmin}w (w - a)^2"):
        assert isinstance(parse_latex(text, [w, a]), ArgMin), text


def test_the_notes_dialect_text_operatorname_and_max() -> None:
    z = sp.IndexedBase("z", real=True)
    z_max = sp.Symbol("z_max", real=True)
    value = parse_latex(r"\frac{\exp(z_i - z_{\max})}{\sum_{j} \exp(z_j - z_{\max})}",
                        {"z": z, "z_max": z_max})
    assert value.has(z_max) and value.has(z[i])
    assert parse_latex(r"\operatorname{sign}(a)", [a]) == sp.sign(a)
    assert parse_latex(r"\max(a, b)", [a, b]) == sp.Max(a, b)


@pytest.mark.parametrize(("text", "column", "token"), [
    (r"a + \foo b", 5, r"\foo"),
    (r"\frac{a}{b} +", 14, ""),
    (r"(a + b", 7, ""),
    (r"a + \dots", 5, r"\dots"),
])
def test_errors_name_the_column_and_the_token(text: str, column: int, token: str) -> None:
    with pytest.raises(LatexError) as caught:
        parse_latex(text)
    assert caught.value.column == column and caught.value.token == token
    assert "Traceback" not in str(caught.value) and f"column {column}" in str(caught.value)


def test_text_is_never_evaluated() -> None:
    with pytest.raises(LatexError):
        parse_latex("__import__('os').system('true')")
    with pytest.raises(TypeError, match="LaTeX string"):
        parse_latex(3)  # type: ignore[arg-type]


def test_undeclared_names_get_the_documented_default() -> None:
    formula = parse_formula(r"q + r")
    assert all(s.is_real for s in parse_latex(r"q + r").free_symbols)
    assert set(formula.undeclared) == {"q", "r"}
    assert parse_latex("q", assumptions={"positive": True}).is_positive


def test_two_adjacent_names_can_spell_one_declared_name() -> None:
    dy = sp.Symbol("dy", positive=True)
    assert parse_latex(r"\frac{\delta y}{y}", {r"\delta y": dy, "y": a}) == dy / a
    assert parse_latex(r"\delta y", {"y": a}) == sp.Symbol("delta", real=True) * a


def test_names_declared_with_braced_subscripts_are_found() -> None:
    assert parse_latex(r"\sigma_{\max} + z_{\max}", {r"\sigma_{\max}": a, r"z_{\max}": b}) == a + b


def test_the_maximum_of_a_constant_is_the_constant_and_its_indices_are_bound() -> None:
    formula = parse_formula(r"\max_{i, j} \frac{|\lambda_i|}{|\lambda_j|}",
                            {r"\lambda": lambda k: 1})
    assert formula.expressions == (1,) and formula.undeclared == ()
    value = parse_latex(r"\max_{k \le T} |u_k|", {"u": sp.IndexedBase("u", real=True),
                                                  "T": n})
    assert value.has(sp.Symbol("k", integer=True, positive=True)) and not value.is_number


def test_a_declared_gradient_is_applied_at_its_point_and_transposed() -> None:
    g = sp.Matrix([a, b])
    u = sp.Matrix([1, 2])
    symbols = {r"\nabla f": lambda point: g, "u": u, "p": t}
    assert parse_latex(r"\nabla f(p)^T u", symbols) == a + 2 * b
    assert parse_latex(r"|\nabla f|^2", {r"\nabla f": g}) == a**2 + b**2


def test_a_declared_function_of_the_iteration_takes_its_superscript_as_the_index() -> None:
    s = sp.Symbol("t", integer=True, positive=True)
    w = {s: sp.Matrix([a, b]), s + 1: sp.Matrix([a + 1, b])}
    symbols = {"w": lambda index: w[index], "x": lambda index: sp.Matrix([1, 1])}
    assert parse_latex(r"w^{(t+1)T} x^t - w^{(t)T} x^t", symbols) == 1
    with pytest.raises(LatexError, match="power of a function"):
        parse_latex(r"w^{-1}", symbols)


def test_sums_of_vectors_and_declared_gradient_coordinates() -> None:
    X = sp.IndexedBase("X", real=True)
    value = parse_latex(r"\sum_{i=1}^{n} x_i", {"x": lambda k: sp.Matrix([X[k, 1], X[k, 2]]),
                                                "n": n})
    assert value == sp.Matrix([sp.Sum(X[i, 1], (i, 1, n)), sp.Sum(X[i, 2], (i, 1, n))])
    w1, w2 = sp.symbols("w1 w2", real=True)
    gradient = parse_latex(r"\nabla_w (w_1^2 + w_2)", {r"\nabla_w": (w1, w2), "w_1": w1,
                                                       "w_2": w2})
    assert gradient == sp.Matrix([2 * w1, 1])


def test_a_squared_function_takes_its_parentheses_as_its_argument() -> None:
    assert parse_latex(r"\cos^2(a) \sin(a)", [a]) == sp.cos(a) ** 2 * sp.sin(a)
    assert parse_latex(r"\cos^2 a", [a]) == sp.cos(a) ** 2


def test_three_letters_can_spell_a_declared_function() -> None:
    symbols = {"RSE": lambda model, data: model + data}
    assert parse_latex(r"1 - RSE(a; b)", {**symbols, "a": a, "b": b}) == 1 - a - b
    assert parse_latex(r"RSE", {"a": a}) == sp.Symbol("R", real=True) * sp.Symbol(
        "S", real=True) * sp.Symbol("E", real=True)


def test_numbered_and_transposed_iterates_of_a_declared_function() -> None:
    s = sp.Symbol("t", integer=True, positive=True)
    symbols = {"w": lambda index: {1: sp.Matrix([a, b]), 2: sp.Matrix([1, 0])}.get(index, (
        sp.Matrix([b, a]) if index == s else None))}
    assert parse_latex(r"w^{(t)\top} w^2 + |w^1|^2", symbols) == b + a**2 + b**2


def test_an_expectation_operator_may_be_declared() -> None:
    symbols = {r"\mathbb{E}_B": lambda value: 2 * value, r"\operatorname{Var}_B": sp.sin}
    assert parse_latex(r"\mathbb{E}_B[a] + \operatorname{Var}_B[b]", {**symbols, "a": a,
                                                                     "b": b}) == 2 * a + sp.sin(b)
    with pytest.raises(LatexError, match="declared sample"):
        parse_latex(r"\mathbb{E}_C[a]", symbols)
