r"""What the names in a formula mean: declared symbols, samples, functions and defaults.

A name is looked up by its LaTeX (``\hat{\mu}``, ``z_{\max}``) and by a plain
spelling (``mu_hat``, ``z_max``), so both ``{"\\mu": mu}`` and ``{"mu": mu}``
declare ``\mu``.  A declared value may be a SymPy symbol or expression (a defined
quantity: ``{"\\hat{\\mu}": sum(x_i)/n}``), an ``IndexedBase``, a matrix, a function
(``sympy.Function("p")``, or any Python callable taking SymPy arguments), or an
i.i.d. sample / random variable of :mod:`derive`.  An undeclared name becomes a
symbol with the default assumptions (``real=True`` unless told otherwise) and is
recorded in :attr:`Scope.undeclared`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

import sympy
from sympy import IndexedBase, Symbol
from sympy.core.function import AppliedUndef, UndefinedFunction

from .._base._errors import InvalidArgumentType, InvalidArgumentValue, describe
from .._engine._expectation import RandomVariable, Sample

__all__ = ["DEFAULT_ASSUMPTIONS", "Name", "Scope"]

DEFAULT_ASSUMPTIONS: Mapping[str, bool] = {"real": True}
_INDEX_ASSUMPTIONS = {"integer": True, "positive": True}


@dataclasses.dataclass(frozen=True)
class Name:
    """A name as written (``latex``) and as a plain identifier-like string (``plain``)."""

    latex: str
    plain: str

    def spellings(self) -> tuple[str, ...]:
        """The spellings it is looked up by, most specific first."""
        return tuple(dict.fromkeys((self.latex, squash(self.latex), self.plain)))


_SPACES = re.compile(r"\s+")
_BRACED_SINGLE = re.compile(r"([_^])\{(\\?[A-Za-z0-9]|\\[A-Za-z]+)\}")


def squash(latex: str) -> str:
    """LaTeX without spaces and without braces around a single character (``x_{i}`` -> ``x_i``)."""
    return _squashed(str(latex))


@functools.lru_cache(maxsize=8192)
def _squashed(latex: str) -> str:
    """:func:`squash` of a plain string (kept: the same names are squashed again and again)."""
    return _BRACED_SINGLE.sub(r"\1\2", _SPACES.sub("", latex))


def _declared_key(obj: Any) -> str:
    if isinstance(obj, Sample):
        return str(obj.base.label)
    if isinstance(obj, RandomVariable):
        return str(obj.symbol.name)
    if isinstance(obj, IndexedBase):
        return str(obj.label)
    if isinstance(obj, (Symbol, sympy.MatrixSymbol)):
        return str(obj.name)
    if isinstance(obj, UndefinedFunction):
        return str(obj)
    if isinstance(obj, AppliedUndef):
        return str(obj.func)
    raise InvalidArgumentType(
        "symbols must be a mapping from LaTeX names to objects, or a list of symbols, "
        f"IndexedBases, functions and samples; got {describe(obj)}")


def _as_mapping(symbols: Mapping[str, Any] | Iterable[Any] | None) -> dict[str, Any]:
    if symbols is None:
        return {}
    if isinstance(symbols, Mapping):
        for key in symbols:
            if not isinstance(key, str) or not key.strip():
                raise InvalidArgumentType(f"symbols keys must be LaTeX names, got {describe(key)}")
        return {squash(key): value for key, value in symbols.items()}
    if isinstance(symbols, (str, bytes)):
        raise InvalidArgumentType(f"symbols must be a mapping or a list, got {describe(symbols)}")
    return {_declared_key(obj): obj for obj in symbols}


def _check_assumptions(assumptions: Mapping[str, bool] | None) -> dict[str, bool]:
    if assumptions is None:
        return dict(DEFAULT_ASSUMPTIONS)
    if not isinstance(assumptions, Mapping):
        raise InvalidArgumentType(f"assumptions must be a mapping, got {describe(assumptions)}")
    try:
        Symbol("probe", **assumptions)
    except (TypeError, ValueError, AttributeError) as error:
        raise InvalidArgumentValue(f"assumptions are not SymPy assumptions: {error}") from None
    return dict(assumptions)


class Scope:
    """The meaning of names while a formula is read (declared, bound, or defaulted)."""

    def __init__(self, symbols: Mapping[str, Any] | Iterable[Any] | None = None,
                 assumptions: Mapping[str, bool] | None = None) -> None:
        self.names = _as_mapping(symbols)
        self.assumptions = _check_assumptions(assumptions)
        self.undeclared: dict[str, Any] = {}
        self.bound: list[Symbol] = []
        self.ranges: dict[Symbol, tuple[Any, Any]] = {}
        self.applied: dict[Any, tuple[Any, ...]] = {}
        for key, value in list(self.names.items()):
            if isinstance(value, AppliedUndef):  # {"p": p(x, t)}: p, written bare for p(x, t)
                self.names[key], self.applied[value.func] = value.func, value.args
        self.sample_index: dict[Any, Symbol] = {}
        self.fixed: dict[str, int] = {}  # indices of a sum being read term by term
        self.inferred: frozenset[str] = frozenset()  # names read off expressions, not declared
        self.other_families: list[Sample | RandomVariable] = []  # random, under other names

    # -------------------------------------------------------------- lookups
    def lookup(self, name: Name) -> Any:
        """The declared (or bound) meaning of ``name``, or ``None``."""
        if name.plain in self.fixed:
            return sympy.Integer(self.fixed[name.plain])
        for key in name.spellings():
            if key in self.names:
                return self.names[key]
        for index in reversed(self.bound):
            if index.name == name.plain:
                return index
        return None

    def default_symbol(self, name: Name) -> Symbol:
        """The undeclared ``name`` as a symbol with the default assumptions (recorded)."""
        return self._default(name.plain, lambda: Symbol(name.plain, **self.assumptions))

    def default_base(self, name: Name) -> IndexedBase:
        """The undeclared ``name`` as an ``IndexedBase`` with the default assumptions."""
        return self._default(name.plain + "[]", lambda: IndexedBase(name.plain, **self.assumptions))

    def default_function(self, name: Name) -> Any:
        """The undeclared ``name`` as an undefined function with the default assumptions."""
        return self._default(name.plain + "()",
                             lambda: sympy.Function(name.plain, **self.assumptions))

    def default_count(self, index: Symbol) -> Symbol:
        """How many values an index runs over when nothing says: ``N_i``, a positive integer."""
        return self._default(f"N_{index.name}",
                             lambda: Symbol(f"N_{index.name}", integer=True, positive=True))

    def _default(self, key: str, make: Any) -> Any:
        if key not in self.undeclared:
            self.undeclared[key] = make()
        return self.undeclared[key]

    def index_symbol(self, name: Name) -> Symbol:
        """A summation index: the declared symbol, else an integer positive symbol."""
        found = self.lookup(name)
        if isinstance(found, Symbol):
            return found
        return Symbol(name.plain, **_INDEX_ASSUMPTIONS)

    # -------------------------------------------------------------- samples
    def families(self) -> list[Sample | RandomVariable]:
        """The declared i.i.d. samples and random variables."""
        named = [v for v in self.names.values() if isinstance(v, (Sample, RandomVariable))]
        return named + [v for v in self.other_families if v not in named]

    def generic_draw(self, sample: Sample) -> Any:
        """``x`` written for one draw of the sample ``x``: ``x[i]`` with its usual index."""
        index = self.sample_index.get(sample.base)
        if index is None:
            index = Symbol("i", **_INDEX_ASSUMPTIONS)
        return sample.base[index]

    def index_range(self, index: Symbol, body: Any) -> tuple[Any, Any] | None:
        """Where an index runs when the formula does not say: learned, or a sample's size."""
        if index in self.ranges:
            return self.ranges[index]
        for family in self.families():
            if isinstance(family, Sample) and any(
                    item.base == family.base and index in item.indices
                    for item in body.atoms(sympy.Indexed)):
                return (sympy.S.One, family.n)
        return None
