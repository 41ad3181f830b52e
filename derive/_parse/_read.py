"""Read a formula: parse it with the grammar, then build it under a scope."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .._base._errors import InvalidArgumentType, LatexError, describe
from ._build import Builder
from ._formula import Formula
from ._grammar import parse_tree
from ._scope import Scope

__all__ = ["parse_formula", "parse_latex", "read_formula"]


def read_formula(text: str, scope: Scope) -> Formula:
    """``text`` read under ``scope`` (which records the undeclared names it defaults)."""
    if not isinstance(text, str):
        raise InvalidArgumentType(f"text must be a LaTeX string, got {describe(text)}")
    if not text.strip():
        raise LatexError("the formula is empty", column=1)
    tree = parse_tree(text)
    try:
        return Builder(text, scope).formula(tree)
    except LatexError:
        raise
    except RecursionError:
        raise LatexError("the formula is nested too deeply", column=1) from None
    except (TypeError, ValueError, AttributeError, IndexError, KeyError,
            NotImplementedError) as error:  # SymPy refusing what the formula asks
        raise LatexError(f"cannot read the formula: {type(error).__name__}: "
                         f"{' '.join(str(error).split())}", column=1) from None


def parse_formula(text: str, symbols: Mapping[str, Any] | Iterable[Any] | None = None,
                  assumptions: Mapping[str, bool] | None = None) -> Formula:
    r"""Read ``text`` into a :class:`Formula`: its chain of relations and its conditions.

    Use this for aligned rows (``&\le 0`` starts with a relation) and for chains
    ``a = b = c`` whose members you want one by one.
    """
    return read_formula(text, Scope(symbols, assumptions))


def parse_latex(text: str, symbols: Mapping[str, Any] | Iterable[Any] | None = None,
                assumptions: Mapping[str, bool] | None = None) -> Any:
    r"""Read the LaTeX ``text`` into SymPy with a grammar (never ``eval``).

    ``symbols`` says what the names mean: a mapping from LaTeX names (``"x"``,
    ``r"\mu"``, ``r"\hat{\mu}"``, ``"z_{\max}"``) or plain names (``"mu"``) to SymPy
    symbols, expressions (defined quantities), ``IndexedBase``s, matrices, functions,
    or :func:`derive.iid_sample` samples; or a list of such objects, named by their
    own names.  Undeclared names become symbols with ``assumptions``
    (``{"real": True}`` by default).

    Returns an expression, a relation (``Eq``, ``Le``, ... unevaluated) for
    ``a = b``, or the ``And`` of the links of a longer chain.  Raises
    :class:`derive.LatexError` naming the column and the token it cannot read.
    """
    formula = parse_formula(text, symbols, assumptions)
    if formula.leading_relation is not None:
        raise LatexError(f"the formula starts with the relation {formula.leading_relation!r}",
                         column=1, token=formula.leading_relation)
    return formula.as_sympy()
