"""derive.parse_latex: definitions in clauses, primes, Lambdas, and tuples read as vectors."""

from __future__ import annotations

import pytest
import sympy as sp

from derive import Derivation, LatexError, Source, Step, parse_latex
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


X1, X2, T = sp.symbols("x1 x2 t", real=True)
P = sp.Function("p", positive=True)(X1, X2, T)
FIELD = sp.ImmutableMatrix([X1**2 * T, X1 * X2])
SPREAD = sp.ImmutableMatrix([[X1, T], [T, X2**2]])
PLANE = {"p": P, "b": FIELD, "D": SPREAD, "x": sp.ImmutableMatrix([X1, X2]),
         r"\nabla": (X1, X2)}


def test_two_index_letters_are_two_indices() -> None:
    D = sp.IndexedBase("D")
    i_, j_ = sp.symbols("i j", integer=True, positive=True)
    assert parse_latex(r"D_{ij}", {"D": D}) == D[i_, j_]


def test_a_sum_with_concrete_bounds_is_read_term_by_term_when_its_terms_are_named() -> None:
    betas = sp.symbols("beta_1:4", real=True)
    same(r"\sum_{k=1}^{3} \beta_k^2", sum(b**2 for b in betas),
         {f"beta_{n}": b for n, b in enumerate(betas, 1)})


def test_derivatives_along_an_index_run_over_the_declared_coordinates() -> None:
    value = parse_latex(r"-\sum_i \partial_i (b_i p) + \frac{1}{2} \sum_{i,j} \partial_i "
                        r"\partial_j (D_{ij} p)", PLANE)
    expected = -sum(sp.diff(FIELD[n] * P, v) for n, v in enumerate((X1, X2))) + sum(
        sp.diff(SPREAD[r, c] * P, (X1, X2)[r], (X1, X2)[c]) for r in range(2)
        for c in range(2)) / 2
    assert sp.simplify(value - expected) == 0


def test_a_sum_over_an_index_without_coordinates_stays_an_error() -> None:
    with pytest.raises(LatexError, match="declared coordinates"):
        parse_latex(r"\sum_i \partial_i (b_i p)", {"b": FIELD})


def test_the_divergence_of_a_matrix_is_taken_row_by_row() -> None:
    value = parse_latex(r"\nabla \cdot D", PLANE)
    assert value == sp.ImmutableMatrix([1, 2 * X2])


def test_a_vector_argument_is_spread_and_a_declared_field_may_restate_its_point() -> None:
    drift = sp.ImmutableMatrix([sp.Function(f"b{n}")(X1, X2, T) for n in (1, 2)])
    value = parse_latex(r"b(x, t) - D \nabla_x \log p(x, t)", {**PLANE, "b": drift})
    grad = sp.Matrix([sp.diff(sp.log(P), X1), sp.diff(sp.log(P), X2)])
    assert sp.simplify(value - (drift - SPREAD * grad)) == sp.zeros(2, 1)
    # a symbol is not a field: a(x) stays a product
    a = sp.Symbol("a", real=True)
    assert parse_latex(r"a(x + 1)", {"a": a, "x": X1}) == a * (X1 + 1)


def test_a_line_with_a_free_index_agrees_with_the_vector_of_its_components() -> None:
    source = Source("notes.md", "Fields", "b_i")
    derivation = Derivation(
        id="field", title="a field", source=source,
        start=Step(sp.ImmutableMatrix([FIELD[0] - SPREAD[0, 1], FIELD[1] - SPREAD[1, 1]]),
                   r"b_i - D_{i,2}"),
        steps=[Step(sp.ImmutableMatrix([FIELD[0] - SPREAD[0, 1], FIELD[1] - SPREAD[1, 1]]),
                    r"b_i - D_{i,1}")],
        notation=PLANE)
    verdicts = [check.verdict for check in latex_checks(derivation)["lines"]]
    assert verdicts == ["agrees", "disagrees"]


def test_an_integral_finds_its_differential_after_a_minus_and_inside_a_power_of_cos() -> None:
    same(r"\int_{-\pi}^{0} -\sin(k x) \, dx + \int_{-\pi}^{\pi} \cos^2(k x) \, dx",
         sp.Integral(-sp.sin(k * x), (x, -sp.pi, 0)) + sp.Integral(sp.cos(k * x) ** 2,
                                                                    (x, -sp.pi, sp.pi)),
         {"x": x, "k": k})


def test_a_sum_from_a_lower_bound_runs_to_infinity() -> None:
    r = sp.Symbol("r", positive=True)
    value = parse_latex(r"\sum_{k \ge 1} r^k", {"r": r})
    assert value.limits[0][1:] == (1, sp.oo)


def test_a_clause_redefines_a_declared_symbol_for_this_formula_only() -> None:
    v = sp.Symbol("v", positive=True)
    p = sp.exp(-x**2 / v)
    value = parse_latex(r"\partial_x (v p), \quad v = x", {"x": x, "v": v, "p": p})
    assert sp.simplify(value - sp.diff(x * p, x)) == 0


def test_inverse_hyperbolic_functions_and_the_sine_integral() -> None:
    same(r"\operatorname{asinh}(x) + \operatorname{Si}(x)", sp.asinh(x) + sp.Si(x), {"x": x})


def test_a_declared_increment_spelled_by_two_names_even_indexed_and_squared() -> None:
    w = sp.Symbol("dW_n", real=True)
    W = sp.IndexedBase("W", real=True)
    n_ = sp.Symbol("n", integer=True, positive=True)
    same(r"\Delta W_n^2 + \Delta W_n + W_n^2", w**2 + w + W[n_] ** 2, {r"\Delta W_n": w})
