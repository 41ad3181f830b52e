"""derive.parse_latex: definitions in clauses, primes, Lambdas, and tuples read as vectors."""

from __future__ import annotations

import sympy as sp

from derive import Derivation, Source, Step, parse_latex
from derive._parse import latex_checks

x, c, d, k, j = sp.symbols("x c d k j", real=True)
m, N = sp.symbols("m N", integer=True, positive=True)


def same(latex: str, expected: object, symbols: object = None) -> None:
    value = parse_latex(latex, symbols)
    assert sp.simplify(value - expected) == 0, (latex, value, expected)


def test_a_clause_defines_a_name_before_the_formula_is_read() -> None:
    # the derivative acts on the definition of p, not on an undeclared symbol p
    same(r"\partial_x (b p), \quad b = -x^3, \; p = e^{-x^2}",
         sp.diff(-x**3 * sp.exp(-x**2), x), {"x": x})


def test_a_clause_defines_a_function_and_an_indexed_family() -> None:
    same(r"g(x) + g(-x), \quad g(x) = \sin(j x) \cos(k x)", 0, {"x": x, "j": j, "k": k})
    value = parse_latex(r"\sum_{m=1}^{N} u_m, \quad u_m = 2m - 1", {"N": N})
    assert sp.simplify(value.doit() - N**2) == 0


def test_a_defined_function_has_derivatives() -> None:
    same(r"F'(x) + F(c), \quad F(x) = \sin(d x)", d * sp.cos(d * x) + sp.sin(d * c),
         {"x": x, "c": c, "d": d})


def test_a_definition_does_not_outlive_its_formula() -> None:
    symbols = {"x": x}
    parse_latex(r"b, \quad b = x^2", symbols)
    assert parse_latex(r"b", symbols) == sp.Symbol("b", real=True)


def test_a_clause_that_restates_a_declared_name_is_a_condition_only() -> None:
    b = sp.Symbol("b", real=True)
    assert parse_latex(r"b + 1, \quad b = 2", {"b": b}) == 3


def test_e_with_a_parenthesised_exponent_is_euler_s_number() -> None:
    lam, t = sp.symbols("lambda T", real=True)
    same(r"e^{(2 \lambda) T}", sp.exp(2 * lam * t), {r"\lambda": lam, "T": t})


def test_a_declared_lambda_is_a_function_with_derivatives_of_every_order() -> None:
    w = sp.Symbol("w", real=True)
    phi = sp.Lambda(w, sp.sinh(c * w))
    same(r"\varphi''(x) - \varphi(x) c^2", 0, {r"\varphi": phi, "x": x, "c": c})
    same(r"f''(x)", sp.Derivative(sp.Function("f", real=True)(x), (x, 2)), {"x": x})


def test_a_tuple_agrees_with_the_vector_of_its_entries() -> None:
    source = Source("notes.md", "Pairs", "(a, b)")
    derivation = Derivation(
        id="pair", title="a pair", source=source,
        start=Step(sp.Matrix([x + x, 1]), r"\left(2 x, \; 1\right)"),
        steps=[Step(sp.Matrix([2 * x, 1]), r"\left(x + x, 1\right)"),
               Step(sp.Matrix([2 * x, 1]), r"\left(x, 1\right)")])
    verdicts = [check.verdict for check in latex_checks(derivation)["lines"]]
    assert verdicts == ["agrees", "agrees", "disagrees"]


def test_a_derivative_along_a_decorated_variable() -> None:
    xt = sp.Symbol("xtilde", real=True)
    same(r"\frac{d}{d\tilde{x}} \tilde{x}^3", 3 * xt**2, {r"\tilde{x}": xt})


def test_limits_of_bodies_that_agree_agree() -> None:
    # the limit itself is slow to evaluate at random points; its body is not
    body = sp.log(sp.exp(-(x + 1) ** 2) + sp.exp(-(x - 1) ** 2)).diff(x) / x
    source = Source("notes.md", "Limits", "lim")
    derivation = Derivation(
        id="limit", title="a limit", source=source,
        start=Step(sp.Limit(body, x, sp.oo),
                   r"\lim_{x \to \infty} \frac{1}{x} \frac{d}{dx} \log p(x)",
                   ),
        steps=[Step(sp.Limit(2 * body, x, sp.oo),
                    r"\lim_{x \to \infty} \frac{1}{x} \frac{d}{dx} \log p(x)")],
        notation={"p": sp.Lambda(x, sp.exp(-(x + 1) ** 2) + sp.exp(-(x - 1) ** 2)), "x": x})
    verdicts = [check.verdict for check in latex_checks(derivation)["lines"]]
    assert verdicts[0] == "agrees"
    assert verdicts[1] != "agrees"
