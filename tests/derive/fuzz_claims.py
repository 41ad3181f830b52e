"""Hypothesis strategies for claims of known truth, for fuzzing the checker.

Each strategy draws a :class:`Claim`: a relation between two expressions, whether
it holds, and its category.  True claims come from rewrites valid under the
symbols' assumptions; false ones from perturbations and domain traps (a rewrite
valid only under an assumption the symbols do not have).  Used by
``tests/derive/test_fuzz.py`` (a small seeded run) and ``bench/fuzz.py``.
"""

from __future__ import annotations

import dataclasses

import sympy as sp
from hypothesis import strategies as st

from derive import E, Var, expectation, iid_sample

__all__ = ["CATEGORIES", "Claim", "claims", "is_unsound"]


@dataclasses.dataclass(frozen=True)
class Claim:
    category: str
    lhs: sp.Expr
    rhs: sp.Expr
    relation: str
    holds: bool


def is_unsound(claim: Claim, verdict: str) -> bool:
    """A refuted true claim, or a proved false one.  (A false claim numerically
    verified is evidence that misled, which the verdict allows; it is counted apart.)"""
    return verdict == ("refuted" if claim.holds else "proved")


# --------------------------------------------------------------------------- #
# Symbols with assumptions                                                     #
# --------------------------------------------------------------------------- #

a, b = sp.symbols("a b", positive=True)
r = sp.Symbol("r", real=True)
c = sp.Symbol("c")
k = sp.Symbol("k", integer=True)
p = sp.Symbol("p", prime=True)
e = sp.Symbol("e", even=True)
o = sp.Symbol("o", odd=True)
q = sp.Symbol("q", negative=True)
h = sp.Symbol("h", noninteger=True)
w = sp.Symbol("w", extended_positive=True)
t = sp.Symbol("t", nonzero=True)

SYMBOLS = [a, b, r, c, q, w, t]
leaves = st.sampled_from([*SYMBOLS, sp.Integer(2), sp.Rational(1, 3), sp.Integer(-1)])


def _combine(children):
    unary = st.sampled_from([sp.exp, sp.sin, sp.cos, lambda x: x**2, lambda x: x**3,
                             lambda x: 1 / (x**2 + 1)])
    binary = st.sampled_from([sp.Add, sp.Mul, lambda x, y: x - y])
    return st.one_of(st.builds(lambda f, x: f(x), unary, children),
                     st.builds(lambda f, x, y: f(x, y), binary, children, children))


expressions = st.recursive(leaves, _combine, max_leaves=5)
REWRITES = [sp.expand, sp.factor, sp.together, sp.expand_trig, sp.powsimp, sp.cancel]
shifts = st.fractions(min_value=-5, max_value=5).filter(lambda v: v != 0).map(
    lambda v: sp.Rational(v.numerator, v.denominator))


@st.composite
def identities(draw) -> Claim:
    expr = draw(expressions)
    return Claim("identity (valid rewrite)", expr, draw(st.sampled_from(REWRITES))(expr), "=",
                 True)


@st.composite
def perturbations(draw) -> Claim:
    expr = draw(expressions)
    tiny = draw(st.booleans())
    shift = sp.Rational(1, 10 ** draw(st.integers(5, 40))) if tiny else draw(shifts)
    return Claim("perturbation", sp.expand(expr) + shift * draw(st.sampled_from([1, a])), expr,
                 "=", False)


# (claim under its assumptions, whether it holds)
TRAPS = [
    (sp.sqrt(r**2), r, False), (sp.sqrt(a**2), a, True), (sp.sqrt(r**2), sp.Abs(r), True),
    (sp.log(a * b), sp.log(a) + sp.log(b), True), (sp.log(r**2), 2 * sp.log(r), False),
    (sp.log(w**2), 2 * sp.log(w), True), (sp.exp(c) ** 2, sp.exp(2 * c), True),
    (sp.sqrt(c**2), c, False), (sp.log(sp.exp(c)), c, False), (sp.log(sp.exp(r)), r, True),
    (sp.Abs(q), -q, True), (sp.Abs(r), r, False), ((-1) ** (2 * k), 1, True),
    ((-1) ** k, 1, False), ((-1) ** o, -1, True), ((-1) ** e, 1, True),
    (sp.cos(sp.pi * e), 1, True), (sp.cos(sp.pi * k), 1, False), (sp.Mod(2**p - 2, p), 0, True),
    (sp.Mod(p, 2), 1, False), (sp.sin(sp.pi * h) ** 2 + sp.cos(sp.pi * h) ** 2, 1, True),
    (sp.floor(h) + 1, sp.ceiling(h), True), (sp.floor(r) + 1, sp.ceiling(r), False),
    (sp.atan(sp.tan(r)), r, False), (sp.sqrt(t**2) / t, sp.sign(t), True),
    (sp.sqrt(c**2) / c, sp.sign(c), False),
    (sp.sqrt(t**2), sp.Abs(t), True),
]


@st.composite
def domain_traps(draw) -> Claim:
    lhs, rhs, holds = draw(st.sampled_from(TRAPS))
    scale = draw(st.sampled_from([1, 2, a]))
    return Claim("domain trap (assumption kinds)", scale * lhs, scale * sp.sympify(rhs), "=",
                 holds)


JUMPS = [
    (sp.sign(sp.sin(r) ** 2 + sp.cos(r) ** 2 - 1), 0, True),
    (sp.floor(sp.sin(r) ** 2 + sp.cos(r) ** 2), 1, True),
    (sp.ceiling(sp.sin(r) ** 2 + sp.cos(r) ** 2 - 1), 0, True),
    (sp.Heaviside(sp.sin(r) ** 2 + sp.cos(r) ** 2 - 1), sp.Rational(1, 2), True),
    (sp.sign(r**2 + 1), 1, True), (sp.sign(r), 1, False),
    (sp.Max(r, a) + sp.Min(r, a), r + a, True), (sp.Max(r, a), a, False),
    (sp.Piecewise((1, r**2 >= 0), (2, True)), 1, True),
    (sp.Piecewise((r, r >= 0), (-r, True)), sp.Abs(r), True),
    (sp.Piecewise((r, r >= 0), (0, True)), r, False),
    (sp.floor(a) , a, False), (sp.Heaviside(a), 1, True),
]


@st.composite
def discontinuous(draw) -> Claim:
    lhs, rhs, holds = draw(st.sampled_from(JUMPS))
    shift = draw(st.sampled_from([0, r, sp.cos(a)]))
    return Claim("discontinuous functions", lhs + shift, sp.sympify(rhs) + shift, "=", holds)


@st.composite
def inequalities(draw) -> Claim:
    expr = draw(expressions).xreplace({c: r})  # an order needs real values
    kind = draw(st.integers(0, 3))
    positive = draw(shifts.map(abs))
    if kind == 0:
        return Claim("inequality", expr**2, 0, ">=", True)
    if kind == 1:
        return Claim("inequality", expr**2 + positive, 0, ">", True)
    if kind == 2:
        return Claim("inequality", -(expr**2) - positive, 0, ">=", False)
    return Claim("inequality", sp.exp(expr), 0, "<=", False)


n = sp.Symbol("n", integer=True, positive=True)
mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
X = iid_sample("x", n, mean=mu, variance=sigma**2)
Z = iid_sample("z", n, mean=0, variance=sigma**2, distribution="normal")


@st.composite
def draw_polynomials(draw):
    draws = st.sampled_from([X[1], X[2], X[3], mu, sp.Integer(2)])
    terms = draw(st.lists(st.tuples(draws, st.integers(1, 3), shifts), min_size=1, max_size=3))
    return sum((coeff * base**power for base, power, coeff in terms), sp.S.Zero)


@st.composite
def expectation_algebra(draw) -> Claim:
    poly = draw(draw_polynomials())
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return Claim("expectation algebra", E(poly, X), expectation(poly, X), "=", True)
    if kind == 1:
        return Claim("expectation algebra", E(poly, X), expectation(poly, X) + draw(shifts), "=",
                     False)
    if kind == 2:
        return Claim("expectation algebra", Var(poly, X), 0, ">=", True)
    if kind == 3:
        return Claim("expectation algebra", E(poly**2, X), E(poly, X) ** 2, ">=", True)
    return Claim("expectation algebra", E(X[1] ** 4, X), 3 * sigma**4 + mu**4, "=", False)


OUTSIDE = [
    (E(sp.Abs(Z[1]), Z), sigma * sp.sqrt(2 / sp.pi), True),
    (E(sp.exp(Z[1]), Z), sp.exp(sigma**2 / 2), True),
    (E(sp.cos(Z[1]), Z), sp.exp(-sigma**2 / 2), True),
    (E(sp.exp(Z[1]), Z), sp.exp(sigma**2), False),
    (E(sp.Max(X[1], X[2]) + sp.Min(X[1], X[2]), X), 2 * mu, True),
    (E(sp.Max(X[1], X[2]), X), mu, False),
    (E(sp.Abs(X[1] - mu) ** 2, X), sigma**2, True),
]


@st.composite
def outside_the_algebra(draw) -> Claim:
    lhs, rhs, holds = draw(st.sampled_from(OUTSIDE))
    return Claim("expectations outside the algebra", lhs, rhs, "=", holds)


f_neg = sp.Function("f", negative=True)
g_int = sp.Function("g", integer=True)
f_pos = sp.Function("F", positive=True)
FUNCTIONS = [
    (sp.log(f_neg(r) ** 2), 2 * sp.log(-f_neg(r)), True),
    (sp.log(f_neg(r) ** 2), 2 * sp.log(f_neg(r)), False),
    (sp.sin(sp.pi * g_int(r)) ** 2, 0, True), ((-1) ** (2 * g_int(r)), 1, True),
    (sp.sqrt(f_pos(r) ** 2), f_pos(r), True), (sp.sqrt(f_neg(r) ** 2), f_neg(r), False),
    (sp.diff(f_pos(r) ** 2, r), 2 * f_pos(r) * sp.diff(f_pos(r), r), True),
    (sp.diff(f_pos(r) ** 2, r), 2 * sp.diff(f_pos(r), r), False),
]


@st.composite
def functions(draw) -> Claim:
    lhs, rhs, holds = draw(st.sampled_from(FUNCTIONS))
    return Claim("function assumptions", lhs, sp.sympify(rhs), "=", holds)


CATEGORIES = {
    "identities": identities(), "perturbations": perturbations(), "domain traps": domain_traps(),
    "discontinuous": discontinuous(), "inequalities": inequalities(),
    "expectation algebra": expectation_algebra(), "outside the algebra": outside_the_algebra(),
    "function assumptions": functions(),
}
claims = st.one_of(*CATEGORIES.values())
