r"""Exact expectations over i.i.d. samples, for a symbolic number of samples.

A *family* is a set of independent draws from one distribution: an i.i.d.
sample :math:`x_1, \dots, x_n` (an :class:`~sympy.IndexedBase`) or a single
random variable (a :class:`~sympy.Symbol`).  Different families are
independent of each other.

An expression polynomial in the draws is brought to a normal form: a sum of
terms :math:`c \sum_{i_1..i_k} \prod_r x_{i_r}^{p_r}`.  The expectation of one
term sums over the set partitions of its indices (which indices are equal):

.. math::

    \mathbb{E}\Big[\sum_{i_1..i_k} \prod_r x_{i_r}^{p_r}\Big]
      = \sum_{\pi} (n - F)^{\underline{B}} \prod_{\beta \in \pi} m_{p_\beta}

where :math:`B` is the number of blocks of :math:`\pi` made only of summation
indices, :math:`F` the number of blocks holding a free index, :math:`m_p` the
raw moment :math:`\mathbb{E}[x^p]` and :math:`p_\beta` the total power of a
block.  Free indices that may or may not be equal give Kronecker deltas, so
:math:`\mathbb{E}[x_i x_j] = \mu^2 + \sigma^2 \delta_{ij}`.  The result holds
for every :math:`n`, not only for the small values one could expand.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import sympy
from sympy import (
    Add,
    Expr,
    Indexed,
    IndexedBase,
    KroneckerDelta,
    Mul,
    Pow,
    S,
    Sum,
    Symbol,
    Tuple,
)
from sympy.core.symbol import Str
from sympy.utilities.iterables import multiset_partitions

from derive._base._errors import (
    InvalidArgumentType,
    InvalidArgumentValue,
    UnsupportedExpectation,
    describe,
)

__all__ = [
    "RandomFamily",
    "Sample",
    "RandomVariable",
    "iid_sample",
    "random_variable",
    "Expectation",
    "Variance",
    "E",
    "Var",
    "Cov",
    "expectation",
    "variance",
]

_MAX_POWER = 12


class RandomFamily(sympy.Basic):
    """Symbolic description of a family of i.i.d. draws: ``(atom, size, moments)``.

    ``atom`` is an :class:`~sympy.IndexedBase` for a sample or a
    :class:`~sympy.Symbol` for a single random variable; ``size`` is the number
    of draws (``1`` for a single variable); ``moments`` the raw moments
    :math:`m_1, m_2, \\dots` that are known.  Higher ones are symbols.  An optional
    ``law`` names the distribution (``"normal"``) for expectations outside the algebra.
    """

    def __new__(cls, atom: Any, size: Any, moments: Any, law: Any=None) -> Any:
        args = (atom, sympy.sympify(size), Tuple(*moments))
        return sympy.Basic.__new__(cls, *args, *((Str(str(law)),) if law else ()))

    @property
    def atom(self) -> Any:
        return self.args[0]

    @property
    def size(self) -> Expr:
        return self.args[1]

    @property
    def is_scalar(self) -> bool:
        return isinstance(self.atom, Symbol)

    @property
    def name(self) -> str:
        return str(self.atom.label if isinstance(self.atom, IndexedBase) else self.atom)

    def moment(self, power: int) -> Expr:
        """The raw moment :math:`\\mathbb{E}[x^p]`."""
        if power == 0:
            return S.One
        known = self.args[2]
        if power <= len(known):
            return known[power - 1]
        return Symbol(f"m_{power}({self.name})", real=True)


def _raw_moments(mean: Expr, variance: Expr, distribution: str | None) -> tuple[Expr, ...]:
    if distribution is None:
        return (mean, variance + mean**2)
    if distribution == "normal":
        # E[x^p] = sum_k C(p, 2k) mean^(p-2k) variance^k (2k-1)!!
        return tuple(
            sympy.expand(sum(sympy.binomial(p, 2 * k) * mean ** (p - 2 * k) * variance**k
                             * sympy.factorial2(2 * k - 1) for k in range(p // 2 + 1)))
            for p in range(1, 9)
        )
    raise InvalidArgumentValue(
        f"distribution must be None or 'normal', got {describe(distribution)}")


def _expr_argument(name: str, value: Any) -> Expr:
    if isinstance(value, (int, sympy.Basic)) and not isinstance(value, bool):
        return sympy.sympify(value)
    raise InvalidArgumentType(
        f"{name} must be a SymPy expression or an int, got {describe(value)}")


@dataclasses.dataclass(frozen=True)
class _Draws:
    """What a sample and a single random variable share: their law's moments."""

    family: RandomFamily

    @property
    def mean(self) -> Expr:
        return self.family.moment(1)

    @property
    def variance(self) -> Expr:
        return sympy.expand(self.family.moment(2) - self.family.moment(1) ** 2)

    def moment(self, power: int) -> Expr:
        """The raw moment :math:`\\mathbb{E}[x^p]`."""
        return self.family.moment(power)


class Sample(_Draws):
    """An i.i.d. sample :math:`x_1, \\dots, x_n`; ``sample[i]`` is the draw :math:`x_i`."""

    def __getitem__(self, index: Any) -> Indexed:
        return self.family.atom[index]

    @property
    def base(self) -> IndexedBase:
        return self.family.atom

    @property
    def n(self) -> Expr:
        return self.family.size


class RandomVariable(_Draws):
    """A single random variable, independent of every other family; ``.symbol`` is it."""

    @property
    def symbol(self) -> Symbol:
        return self.family.atom


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.isidentifier():
        raise InvalidArgumentValue(f"name must be an identifier string, got {describe(name)}")
    return name


def iid_sample(name: str, n: Any, *, mean: Any, variance: Any, distribution: str | None = None,
               real: bool = True) -> Sample:
    """An i.i.d. sample of size ``n`` with the given mean and variance.

    Moments above the second are free symbols ``m_p(name)`` unless
    ``distribution="normal"`` fixes them.
    """
    base = IndexedBase(_check_name(name), real=real)
    size = _expr_argument("n", n)
    moments = _raw_moments(_expr_argument("mean", mean), _expr_argument("variance", variance),
                           distribution)
    return Sample(RandomFamily(base, size, moments, distribution))


def random_variable(name: str, *, mean: Any, variance: Any, distribution: str | None = None,
                    real: bool = True) -> RandomVariable:
    """A single random variable, independent of all other families."""
    atom = Symbol(_check_name(name), real=real)
    moments = _raw_moments(_expr_argument("mean", mean), _expr_argument("variance", variance),
                           distribution)
    return RandomVariable(RandomFamily(atom, 1, moments, distribution))


def _families(over: Any) -> Tuple:
    families = []
    for item in over:
        if isinstance(item, (Sample, RandomVariable)):
            families.append(item.family)
        elif isinstance(item, RandomFamily):
            families.append(item)
        else:
            raise InvalidArgumentType(
                f"over must hold Sample or RandomVariable objects, got {describe(item)}")
    if not families:
        raise InvalidArgumentValue("over must name at least one Sample or RandomVariable")
    return Tuple(*families)


class _Moment(Expr):
    """An unevaluated operator over random families; ``.doit()`` evaluates it.

    ``doit`` returns ``self`` when the expression is outside the algebra, as
    SymPy's ``Integral.doit`` leaves an integral it cannot do.
    """

    is_commutative = True
    _latex_name = ""
    _text_name = ""

    def __new__(cls, expr: Any, families: Any) -> Any:
        return Expr.__new__(cls, sympy.sympify(expr), families)

    def doit(self, **hints: Any) -> Any:
        try:
            return self._evaluate(_evaluate_nested(self.args[0]), self.args[1])
        except UnsupportedExpectation:
            return self

    def _evaluate(self, inner: Expr, families: Any) -> Expr:
        raise NotImplementedError

    def _latex(self, printer: Any) -> Any:
        return rf"{self._latex_name}\left[{printer._print(self.args[0])}\right]"

    def _sympystr(self, printer: Any) -> Any:
        return f"{self._text_name}[{printer._print(self.args[0])}]"


class Expectation(_Moment):
    r"""Unevaluated :math:`\mathbb{E}[X]` over given families."""

    _latex_name, _text_name = r"\mathbb{E}", "E"

    def _evaluate(self, inner: Any, families: Any) -> Any:
        return _expect(inner, families)


class Variance(_Moment):
    r"""Unevaluated :math:`\mathrm{Var}[X] = \mathbb{E}[X^2] - \mathbb{E}[X]^2`."""

    _latex_name, _text_name = r"\operatorname{Var}", "Var"

    def _evaluate(self, inner: Any, families: Any) -> Any:
        return sympy.expand(_expect(inner**2, families) - _expect(inner, families) ** 2)


def _evaluate_nested(expr: Expr) -> Expr:
    """Evaluate expectation nodes inside ``expr``, leaving sums and deltas untouched."""
    return expr.replace(lambda e: isinstance(e, (Expectation, Variance)), lambda e: e.doit())


def evaluate_expectations(expr: Any) -> Any:
    """Evaluate every expectation node, then the sums of Kronecker deltas they leave.

    ``sum_{i,j} E[x_i x_j]`` becomes ``sum_{i,j} (mu^2 + sigma^2 delta_ij)`` and
    then ``n^2 mu^2 + n sigma^2``, by the same counting of index patterns.
    """
    if not expr.has(Expectation, Variance):
        return expr
    value = _evaluate_nested(expr)
    if isinstance(value, Expr) and _has_delta_sum(value):
        return _expect(value, ())
    return value


def _has_delta_sum(expr: Expr) -> bool:
    return any(s.function.has(KroneckerDelta) for s in expr.atoms(Sum))


def _expression(value: Any, name: str = "expr") -> Expr:
    if isinstance(value, str):
        raise InvalidArgumentType(
            f"{name} must be a SymPy expression, not a string ({value!r}); build it in Python")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return sympy.sympify(value)
    if not isinstance(value, Expr):
        raise InvalidArgumentType(f"{name} must be a SymPy expression, got {describe(value)}")
    return value


def E(expr: Any, *over: Any) -> Expectation:
    """The unevaluated expectation of ``expr`` over the families ``over``."""
    node: Expectation = Expectation(_expression(expr), _families(over))
    return node


def Var(expr: Any, *over: Any) -> Variance:
    """The unevaluated variance of ``expr`` over the families ``over``."""
    node: Variance = Variance(_expression(expr), _families(over))
    return node


def Cov(a: Any, b: Any, *over: Any) -> Expr:
    """:math:`\\mathrm{Cov}[a, b] = \\mathbb{E}[ab] - \\mathbb{E}[a]\\mathbb{E}[b]`, unevaluated."""
    families = _families(over)
    a, b = _expression(a, "a"), _expression(b, "b")
    return Expectation(a * b, families) - Expectation(a, families) * Expectation(b, families)


def expectation(expr: Any, *over: Any) -> Expr:
    """The exact expectation of ``expr``, a polynomial in the draws of ``over``.

    Raises :class:`UnsupportedExpectation` for expressions outside the algebra
    (a draw inside ``exp``, a division by a random quantity, ...).
    """
    return _expect(_evaluate_nested(_expression(expr)), _families(over))


def variance(expr: Any, *over: Any) -> Expr:
    """The exact variance of ``expr``; see :func:`expectation`."""
    inner, families = _expression(expr), _families(over)
    return Variance(inner, families)._evaluate(_evaluate_nested(inner), families)


# --------------------------------------------------------------------------- #
# Normal form                                                                  #
# --------------------------------------------------------------------------- #


@dataclasses.dataclass(frozen=True)
class _Factor:
    family: RandomFamily
    index: Expr | None  # None for a single random variable
    power: int


@dataclasses.dataclass(frozen=True)
class _Term:
    """``coeff * sum over bound indices of prod(factors)``, restricted by ``deltas``."""

    coeff: Expr = S.One
    bound: tuple[tuple[Symbol, Expr, Expr], ...] = ()
    factors: tuple[_Factor, ...] = ()
    deltas: tuple[tuple[Expr, Expr], ...] = ()

    def times(self, other: _Term) -> _Term:
        return _Term(self.coeff * other.coeff, self.bound + other.bound,
                     self.factors + other.factors, self.deltas + other.deltas)

    def indices(self) -> list[Expr]:
        seen: dict[Expr, None] = {}
        for factor in self.factors:
            if factor.index is not None:
                seen.setdefault(factor.index)
        for a, b in self.deltas:
            seen.setdefault(a)
            seen.setdefault(b)
        return list(seen)


class _NormalForm:
    def __init__(self, families: Sequence[RandomFamily]) -> None:
        self.by_atom = {family.atom: family for family in families}
        self.atoms = set(self.by_atom)

    def is_random(self, expr: Expr) -> bool:
        if expr.has(KroneckerDelta):
            return True
        return any(expr.has(atom) for atom in self.atoms)

    def terms(self, expr: Expr) -> list[_Term]:
        if not self.is_random(expr):
            return [_Term(coeff=expr)]
        handler = self._handler(expr)
        terms: list[_Term] = handler(expr)
        return terms

    def _handler(self, expr: Any) -> Any:
        if isinstance(expr, Add):
            return lambda e: [t for arg in e.args for t in self.terms(arg)]
        if isinstance(expr, Mul):
            return self._product
        if isinstance(expr, Pow):
            return self._power
        if isinstance(expr, Sum):
            return self._sum
        if isinstance(expr, KroneckerDelta):
            return lambda e: [_Term(deltas=(tuple(e.args),))]
        if expr in self.by_atom:
            return lambda e: [_Term(factors=(_Factor(self.by_atom[e], None, 1),))]
        if isinstance(expr, Indexed) and expr.base in self.by_atom:
            return self._draw
        raise UnsupportedExpectation(
            f"cannot take the expectation of {expr}: the algebra handles polynomials in the "
            "draws (sums, products, integer powers), not other functions of them")

    def _draw(self, expr: Indexed) -> list[_Term]:
        if len(expr.indices) != 1:
            raise UnsupportedExpectation(f"a draw must have exactly one index, got {expr}")
        return [_Term(factors=(_Factor(self.by_atom[expr.base], expr.indices[0], 1),))]

    def _product(self, expr: Mul) -> list[_Term]:
        result = [_Term()]
        for arg in expr.args:
            result = [a.times(b) for a in result for b in self.terms(arg)]
        return result

    def _power(self, expr: Pow) -> list[_Term]:
        base, exponent = expr.args
        if not (exponent.is_Integer and 0 <= exponent <= _MAX_POWER):
            raise UnsupportedExpectation(
                f"cannot take the expectation of {expr}: only non-negative integer powers "
                f"up to {_MAX_POWER} of random quantities are supported")
        if base in self.by_atom or (isinstance(base, Indexed) and base.base in self.by_atom):
            return [_merge_powers(t, int(exponent)) for t in self.terms(base)]
        return self._product(Mul(*([base] * int(exponent)), evaluate=False))

    def _sum(self, expr: Sum) -> list[_Term]:
        terms = self.terms(expr.function)
        for limit in expr.limits:
            if len(limit) != 3:
                raise UnsupportedExpectation(f"sum without explicit bounds: {expr}")
            terms = [_bind(term, *limit) for term in terms]
        return terms


def _merge_powers(term: _Term, exponent: int) -> _Term:
    (factor,) = term.factors
    return _Term(factors=(_Factor(factor.family, factor.index, factor.power * exponent),))


def _bind(term: _Term, index: Symbol, lower: Expr, upper: Expr) -> _Term:
    """Close a summation over ``index`` in ``term`` (renaming it to a fresh dummy)."""
    fresh = sympy.Dummy(index.name, integer=True)
    term = _rename(term, index, fresh)
    in_draws = any(fresh in _free(idx) for idx in term.indices())
    if in_draws:
        if fresh in term.coeff.free_symbols:
            raise UnsupportedExpectation(
                f"the coefficient {term.coeff} depends on the summation index {index}, which "
                "also indexes random draws; the algebra needs coefficients constant in it")
        return dataclasses.replace(term, bound=(*term.bound, (fresh, lower, upper)))
    if fresh in term.coeff.free_symbols:
        return dataclasses.replace(term, coeff=Sum(term.coeff, (fresh, lower, upper)).doit())
    return dataclasses.replace(term, coeff=term.coeff * (upper - lower + 1))


def _free(expr: Expr) -> set[Any]:
    return expr.free_symbols if isinstance(expr, sympy.Basic) else set()


def _rename(term: _Term, old: Symbol, new: Symbol) -> _Term:
    swap = {old: new}
    factors = tuple(_Factor(f.family, None if f.index is None else f.index.xreplace(swap), f.power)
                    for f in term.factors)
    deltas = tuple((a.xreplace(swap), b.xreplace(swap)) for a, b in term.deltas)
    bound = tuple((s, lo.xreplace(swap), hi.xreplace(swap)) for s, lo, hi in term.bound)
    return _Term(term.coeff.xreplace(swap), bound, factors, deltas)


# --------------------------------------------------------------------------- #
# Expectation of one term                                                      #
# --------------------------------------------------------------------------- #


def _expect(expr: Expr, families: Iterable[RandomFamily]) -> Expr:
    form = _NormalForm(list(families))
    terms = form.terms(sympy.expand(expr) if not isinstance(expr, Sum) else expr)
    return Add(*[_expect_term(term) for term in terms])


def _universe_size(term: _Term) -> Expr | None:
    """The number of draws the term's indices range over (one size per term)."""
    sizes = {f.family.size for f in term.factors if f.index is not None}
    if not sizes:
        sizes = {upper for _, lower, upper in term.bound if lower == 1}
    if len(sizes) > 1:
        raise UnsupportedExpectation(
            "a term mixes samples of different sizes "
            f"({', '.join(map(str, sorted(sizes, key=str)))}); use one sample size per term")
    size = sizes.pop() if sizes else None
    for index, lower, upper in term.bound:
        if size is None or lower != 1 or sympy.expand(upper - size) != 0:
            raise UnsupportedExpectation(
                f"the sum over {index} runs from {lower} to {upper}; sums over draws must run "
                f"over the whole sample, from 1 to {size}")
    return size


def _expect_term(term: _Term) -> Expr:
    size = _universe_size(term)
    scalar = _scalar_moments(term)
    indices = term.indices()
    if not indices:
        return term.coeff * scalar
    bound = {b[0] for b in term.bound}
    total = S.Zero
    for partition in multiset_partitions(list(range(len(indices)))):
        blocks = [[indices[k] for k in block] for block in partition]
        total += _partition_value(term, blocks, bound, size)
    return term.coeff * scalar * total


def _scalar_moments(term: _Term) -> Expr:
    powers: dict[RandomFamily, int] = {}
    for factor in term.factors:
        if factor.index is None:
            powers[factor.family] = powers.get(factor.family, 0) + factor.power
    return Mul(*[family.moment(p) for family, p in powers.items()])


def _partition_value(term: _Term, blocks: list[list[Expr]], bound: set[Any],
                     size: Expr | None) -> Expr:
    if not _respects_deltas(term.deltas, blocks):
        return S.Zero
    indicator = _free_indicator(blocks, bound)
    if indicator == 0:
        return S.Zero
    n_free_blocks = sum(1 for block in blocks if any(i not in bound for i in block))
    n_bound_blocks = len(blocks) - n_free_blocks
    if n_bound_blocks and size is None:
        raise UnsupportedExpectation("a summation index indexes no random draw")
    count = Mul(*[size - n_free_blocks - k for k in range(n_bound_blocks)
                  if size is not None])
    return indicator * count * Mul(*[_block_moment(term, block) for block in blocks])


def _respects_deltas(deltas: Any, blocks: Any) -> bool:
    where = {index: k for k, block in enumerate(blocks) for index in block}
    return all(where[a] == where[b] for a, b in deltas)


def _free_indicator(blocks: list[list[Expr]], bound: set[Any]) -> Expr:
    """Deltas saying which free indices are equal (same block) or different."""
    free = [[i for i in block if i not in bound] for block in blocks]
    value = S.One
    for block in free:
        for a, b in itertools.pairwise(block):
            value *= KroneckerDelta(a, b)
    for block_a, block_b in itertools.combinations([b for b in free if b], 2):
        value *= 1 - KroneckerDelta(block_a[0], block_b[0])
    return value


def _block_moment(term: _Term, block: list[Expr]) -> Expr:
    powers: dict[RandomFamily, int] = {}
    members = set(block)
    for factor in term.factors:
        if factor.index is not None and factor.index in members:
            powers[factor.family] = powers.get(factor.family, 0) + factor.power
    return Mul(*[family.moment(p) for family, p in powers.items()])
