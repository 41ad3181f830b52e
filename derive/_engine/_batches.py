r"""Exact expectations over a mini-batch drawn without replacement.

A mini-batch is a uniformly random subset :math:`B` of :math:`m` of the
:math:`N` indices :math:`1, \dots, N` of a fixed data set.  Write
:math:`I_k = [k \in B]` for its inclusion indicators: the mini-batch mean of
fixed values :math:`g_1, \dots, g_N` is :math:`\frac{1}{m} \sum_{k=1}^{N} I_k g_k`.
The indicators are not independent; their joint moments depend only on how
many *distinct* indices appear:

.. math::

    \mathbb{E}\Big[\prod_{a=1}^{r} I_{k_a}\Big] = f(j)
      = \frac{m (m - 1) \cdots (m - j + 1)}{N (N - 1) \cdots (N - j + 1)},
    \qquad j = |\{k_1, \dots, k_r\}|

(and :math:`I_k^p = I_k`).  The expectation of
:math:`\sum_{k_1..k_r} c(k) \prod_a I_{k_a}`, with a coefficient :math:`c`
that may depend on the indices (the data :math:`g_k`), splits the index
tuples by their pattern of equalities :math:`\pi` (a set partition).  By
Möbius inversion on the partition lattice,
:math:`[\text{pattern} = \pi] = \sum_{\sigma \ge \pi} \mu(\pi, \sigma)
[\text{pattern} \ge \sigma]`, so

.. math::

    \mathbb{E}\Big[\sum_{k} c(k) \prod_a I_{k_a}\Big]
      = \sum_{\sigma} w(\sigma) \sum_{k} c(k) [k \text{ constant on the blocks of } \sigma],
    \qquad w(\sigma) = \sum_{\pi \le \sigma} \mu(\pi, \sigma) f(|\pi|),

where the inner sums run over one unrestricted index per block of
:math:`\sigma`, and :math:`\mu(\pi, \sigma) = \prod_{\beta \in \sigma}
(-1)^{b_\beta - 1} (b_\beta - 1)!` with :math:`b_\beta` the number of blocks
of :math:`\pi` inside :math:`\beta`.  The result holds for every :math:`N`
and :math:`m`, not only for the small values one could enumerate.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

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
)
from sympy.functions.combinatorial.numbers import stirling
from sympy.utilities.iterables import multiset_partitions

from derive._base._errors import (
    InvalidArgumentType,
    InvalidArgumentValue,
    UnsupportedExpectation,
    describe,
)

__all__ = [
    "BatchExpectation",
    "BatchVariance",
    "E_batch",
    "MiniBatch",
    "Var_batch",
    "batch_expectation",
    "batch_variance",
    "sample_without_replacement",
]

_MAX_POWER = 8
_MAX_INDICES = 6


class MiniBatch(sympy.Basic):
    """``(indicator, population, size)``: a uniformly random ``size``-subset of
    ``1..population``; ``batch[k]`` is the indicator :math:`I_k = [k \\in B]`."""

    def __new__(cls, indicator: IndexedBase, population: Expr, size: Expr) -> MiniBatch:
        batch: MiniBatch = sympy.Basic.__new__(cls, indicator, population, size)
        return batch

    @property
    def indicator(self) -> IndexedBase:
        return self.args[0]

    @property
    def population(self) -> Expr:
        """N, the number of examples the batch is drawn from."""
        return self.args[1]

    @property
    def size(self) -> Expr:
        """m, the number of examples in the batch."""
        return self.args[2]

    def __getitem__(self, index: object) -> Indexed:
        return self.indicator[index]

    def mean(self, values: IndexedBase, index: Symbol) -> Expr:
        r"""The mini-batch mean :math:`\frac{1}{m} \sum_{k=1}^{N} I_k g_k` of ``values[k]``."""
        return Sum(self[index] * values[index], (index, 1, self.population)) / self.size

    def inclusion_moment(self, distinct: int) -> Expr:
        """f(j): the probability that ``distinct`` given indices are all in the batch."""
        m, n = self.size, self.population
        return Mul(*[(m - j) / (n - j) for j in range(distinct)])


def _count(value: object, name: str) -> Expr:
    if isinstance(value, str):
        raise InvalidArgumentType(f"{name} must be a SymPy expression or an int, not a string "
                                  f"({value!r}); build it in Python")
    if isinstance(value, bool) or not isinstance(value, (int, Expr)):
        raise InvalidArgumentType(f"{name} must be a positive integer or an integer symbol, got "
                                  f"{describe(value)}")
    count = sympy.sympify(value)
    if count.is_integer is not True or count.is_positive is not True:
        raise InvalidArgumentValue(f"{name} must be a positive integer (a symbol declared "
                                   f"integer=True, positive=True), got {describe(value)}")
    return count


def sample_without_replacement(name: str, population: object, size: object) -> MiniBatch:
    r"""A mini-batch of ``size`` (m) of the indices 1..``population`` (N), drawn uniformly
    without replacement; ``batch[k]`` is its inclusion indicator :math:`I_k`.

    Raises :class:`InvalidArgumentValue` when both are concrete and m > N.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise InvalidArgumentValue(f"name must be an identifier, got {describe(name)}")
    n, m = _count(population, "population"), _count(size, "size")
    if (m - n).is_positive:
        raise InvalidArgumentValue(f"size must be at most population, got size {m} > {n}")
    return MiniBatch(IndexedBase(name, integer=True, nonnegative=True), n, m)


# --------------------------------------------------------------------------- #
# Normal form: coeff * sum over bound indices of prod of indicators             #
# --------------------------------------------------------------------------- #


@dataclasses.dataclass(frozen=True)
class _Term:
    coeff: Expr = S.One
    bound: tuple[Symbol, ...] = ()
    indices: tuple[Expr, ...] = ()

    def times(self, other: _Term, names: dict[Symbol, Symbol]) -> _Term:
        other = _refresh(other, names)
        return _Term(self.coeff * other.coeff, self.bound + other.bound,
                     self.indices + other.indices)


def _refresh(term: _Term, names: dict[Symbol, Symbol]) -> _Term:
    """``term`` with fresh summation indices, so that a product of two sums keeps two."""
    swap = {index: sympy.Dummy(index.name, integer=True) for index in term.bound}
    for old, new in swap.items():
        names[new] = names.get(old, old)
    return _Term(term.coeff.xreplace(swap), tuple(swap.values()),
                 tuple(i.xreplace(swap) for i in term.indices))


class _NormalForm:
    def __init__(self, batch: MiniBatch) -> None:
        self.batch = batch
        self.names: dict[Symbol, Symbol] = {}  # summation dummy -> the user's index

    def terms(self, expr: Expr) -> list[_Term]:
        if not expr.has(self.batch.indicator):
            return [_Term(coeff=expr)]
        if isinstance(expr, Add):
            return [t for arg in expr.args for t in self.terms(arg)]
        if isinstance(expr, Mul):
            return self._product(expr.args)
        if isinstance(expr, Pow):
            return self._power(expr)
        if isinstance(expr, Sum):
            return self._sum(expr)
        if isinstance(expr, Indexed) and expr.base == self.batch.indicator:
            return self._indicator(expr)
        raise UnsupportedExpectation(
            f"cannot take the expectation of {expr} over the mini-batch: the algebra handles "
            "polynomials in its indicators (sums, products, integer powers)")

    def _indicator(self, expr: Indexed) -> list[_Term]:
        if len(expr.indices) != 1:
            raise UnsupportedExpectation(f"an indicator has exactly one index, got {expr}")
        return [_Term(indices=(expr.indices[0],))]

    def _product(self, factors: Sequence[Expr]) -> list[_Term]:
        result = [_Term()]
        for factor in factors:
            result = [a.times(b, self.names) for a in result for b in self.terms(factor)]
        return result

    def _power(self, expr: Pow) -> list[_Term]:
        base, exponent = expr.args
        if not (exponent.is_Integer and 0 <= exponent <= _MAX_POWER):
            raise UnsupportedExpectation(
                f"cannot take the expectation of {expr}: only integer powers 0..{_MAX_POWER} "
                "of random quantities are supported")
        return self._product([base] * int(exponent))

    def _sum(self, expr: Sum) -> list[_Term]:
        terms = self.terms(expr.function)
        for limit in expr.limits:
            if len(limit) != 3:
                raise UnsupportedExpectation(f"sum without explicit bounds: {expr}")
            terms = [self._bind(term, *limit) for term in terms]
        return terms

    def _bind(self, term: _Term, index: Symbol, lower: Expr, upper: Expr) -> _Term:
        fresh = sympy.Dummy(index.name, integer=True)
        self.names[fresh] = self.names.get(index, index)
        swap = {index: fresh}
        indices = tuple(i.xreplace(swap) for i in term.indices)
        coeff = term.coeff.xreplace(swap)
        if not any(fresh in i.free_symbols for i in indices):
            return _Term(Sum(coeff, (fresh, lower, upper)), term.bound, indices)
        if lower != 1 or sympy.expand(upper - self.batch.population) != 0:
            raise UnsupportedExpectation(
                f"the sum over {index} runs from {lower} to {upper}; a sum over the batch's "
                f"indicators must run over the whole data set, from 1 to "
                f"{self.batch.population}")
        return _Term(coeff, (*term.bound, fresh), indices)


# --------------------------------------------------------------------------- #
# Expectation of one term                                                      #
# --------------------------------------------------------------------------- #


def _mobius_weight(batch: MiniBatch, block_sizes: Sequence[int]) -> Expr:
    """w(sigma) = sum over refinements pi of mu(pi, sigma) f(|pi|), by block sizes."""
    total = S.Zero
    for parts in itertools.product(*[range(1, size + 1) for size in block_sizes]):
        mobius = Mul(*[stirling(size, b) * (-1) ** (b - 1) * sympy.factorial(b - 1)
                       for size, b in zip(block_sizes, parts, strict=True)])
        total += mobius * batch.inclusion_moment(sum(parts))
    return total


def _merged(term: _Term, blocks: list[list[Expr]], population: Expr,
            names: dict[Symbol, Symbol]) -> Expr:
    """sum over one index per block of coeff, the indices in a block made equal."""
    bound = set(term.bound)
    swap: dict[Expr, Expr] = {}
    deltas, summed = S.One, []
    for block in blocks:
        free = [i for i in block if i not in bound]
        representative = free[0] if free else block[0]
        for other in free[1:]:
            deltas *= KroneckerDelta(representative, other)
        swap.update({i: representative for i in block if i in bound and i != representative})
        if not free:
            summed.append(representative)
    coeff = sympy.expand(term.coeff.xreplace(swap))
    return deltas * Add(*[_sum_over(part, summed, population, names)
                          for part in Add.make_args(coeff)])


def _sum_over(product: Expr, summed: list[Symbol], population: Expr,
              names: dict[Symbol, Symbol]) -> Expr:
    """sum over ``summed`` (each 1..N) of a product, as a product of the smallest sums:
    factors free of every index outside, factors sharing no index in separate sums, each
    sum over the user's own index name where that is unambiguous."""
    groups: list[tuple[set[Symbol], list[Expr]]] = []
    outside = S.One
    for factor in Mul.make_args(product):
        indices = factor.free_symbols & set(summed)
        if not indices:
            outside *= factor
            continue
        joined = [g for g in groups if g[0] & indices]
        groups = [g for g in groups if not g[0] & indices]
        groups.append((indices.union(*[g[0] for g in joined]),
                       [f for g in joined for f in g[1]] + [factor]))
    used = set().union(*[g[0] for g in groups]) if groups else set()
    result = outside * population ** len([i for i in summed if i not in used])
    for indices, factors in groups:
        result *= _named_sum(Mul(*factors), sorted(indices, key=str), population, names)
    return result


def _named_sum(summand: Expr, indices: list[Symbol], population: Expr,
               names: dict[Symbol, Symbol]) -> Sum:
    originals = [names.get(i, i) for i in indices]
    if len(set(originals)) == len(originals) and not summand.free_symbols & set(originals):
        swap = dict(zip(indices, originals, strict=True))
        summand, indices = summand.xreplace(swap), originals
    return Sum(summand, *[(index, 1, population) for index in indices])


def _expect_term(term: _Term, batch: MiniBatch, names: dict[Symbol, Symbol]) -> Expr:
    indices = list(dict.fromkeys(term.indices))
    if len(indices) > _MAX_INDICES:
        raise UnsupportedExpectation(f"a term has {len(indices)} distinct indicator indices; "
                                     f"at most {_MAX_INDICES} are supported")
    unused = [b for b in term.bound if b not in indices]
    if unused:
        raise UnsupportedExpectation(f"summation indices {unused} index no indicator")
    if not indices:
        return term.coeff
    total = S.Zero
    for partition in multiset_partitions(indices):
        weight = _mobius_weight(batch, [len(block) for block in partition])
        total += weight * _merged(term, partition, batch.population, names)
    return total


def _expect(expr: Expr, batch: MiniBatch) -> Expr:
    form = _NormalForm(batch)
    terms = form.terms(sympy.expand(expr) if not isinstance(expr, Sum) else expr)
    return Add(*[_expect_term(term, batch, form.names) for term in terms])


# --------------------------------------------------------------------------- #
# Public operators                                                             #
# --------------------------------------------------------------------------- #


def _check(expr: object, batch: object) -> tuple[Expr, MiniBatch]:
    if isinstance(expr, str):
        raise InvalidArgumentType(f"expr must be a SymPy expression, not a string ({expr!r}); "
                                  "build it in Python")
    if isinstance(expr, (int, float)) and not isinstance(expr, bool):
        expr = sympy.sympify(expr)
    if not isinstance(expr, Expr):
        raise InvalidArgumentType(f"expr must be a SymPy expression, got {describe(expr)}")
    if not isinstance(batch, MiniBatch):
        raise InvalidArgumentType("batch must come from sample_without_replacement, got "
                                  f"{describe(batch)}")
    return expr, batch


class BatchExpectation(Expr):
    r"""Unevaluated :math:`\mathbb{E}_B[X]` over a mini-batch; ``.doit()`` evaluates it
    (and returns ``self`` when ``X`` is outside the algebra)."""

    is_commutative = True
    _latex_name, _text_name = r"\mathbb{E}_B", "E_B"

    def __new__(cls, expr: Expr, batch: MiniBatch) -> BatchExpectation:
        node: BatchExpectation = Expr.__new__(cls, expr, batch)
        return node

    def doit(self, **hints: object) -> Expr:
        inner, batch = self.args
        try:
            return self._evaluate(inner.doit(**hints) if hints.get("deep", True) else inner,
                                  batch)
        except UnsupportedExpectation:
            return self

    def _evaluate(self, inner: Expr, batch: MiniBatch) -> Expr:
        return _expect(inner, batch)

    def _latex(self, printer: object) -> str:
        return rf"{self._latex_name}\left[{printer._print(self.args[0])}\right]"  # type: ignore[attr-defined]

    def _sympystr(self, printer: object) -> str:
        return f"{self._text_name}[{printer._print(self.args[0])}]"  # type: ignore[attr-defined]


class BatchVariance(BatchExpectation):
    r"""Unevaluated :math:`\mathrm{Var}_B[X] = \mathbb{E}_B[X^2] - \mathbb{E}_B[X]^2`."""

    _latex_name, _text_name = r"\operatorname{Var}_B", "Var_B"

    def _evaluate(self, inner: Expr, batch: MiniBatch) -> Expr:
        return _expect(inner**2, batch) - _expect(inner, batch) ** 2


def E_batch(expr: Expr, batch: MiniBatch) -> BatchExpectation:
    """The unevaluated expectation of ``expr`` over the mini-batch ``batch``."""
    return BatchExpectation(*_check(expr, batch))


def Var_batch(expr: Expr, batch: MiniBatch) -> BatchVariance:
    """The unevaluated variance of ``expr`` over the mini-batch ``batch``."""
    return BatchVariance(*_check(expr, batch))


def batch_expectation(expr: Expr, batch: MiniBatch) -> Expr:
    """The exact expectation of ``expr``, a polynomial in the indicators of ``batch``.

    Raises :class:`UnsupportedExpectation` outside the algebra.
    """
    return _expect(*_check(expr, batch))


def batch_variance(expr: Expr, batch: MiniBatch) -> Expr:
    """The exact variance of ``expr`` over the mini-batch; see :func:`batch_expectation`."""
    inner, checked = _check(expr, batch)
    return BatchVariance(inner, checked)._evaluate(inner, checked)
