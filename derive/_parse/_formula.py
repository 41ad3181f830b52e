"""What a formula says once read: a chain of relations, its conditions, and SymPy forms."""

from __future__ import annotations

import dataclasses
from typing import Any

import sympy

from ._objects import Related

__all__ = ["RELATIONS", "Formula", "relation_of"]

RELATIONS = {
    "=": "=", r"\equiv": "=", "<=": "<=", r"\le": "<=", r"\leq": "<=", ">=": ">=", r"\ge": ">=",
    r"\geq": ">=", "<": "<", ">": ">", r"\ne": "!=", r"\neq": "!=", r"\approx": "approx",
    r"\propto": "propto", r"\sim": "sim",
}
_SYMPY_RELATIONS = {"=": sympy.Eq, "<=": sympy.Le, ">=": sympy.Ge, "<": sympy.Lt, ">": sympy.Gt,
                    "!=": sympy.Ne}


def relation_of(word: str, lhs: Any, rhs: Any) -> Any:
    """``lhs word rhs`` unevaluated: a SymPy relational, or :class:`Related` for the others."""
    kind = _SYMPY_RELATIONS.get(word)
    if kind is None:
        return Related(word, lhs, rhs)
    return kind(lhs, rhs, evaluate=False)


@dataclasses.dataclass(frozen=True)
class Formula:
    """A read formula: ``links`` are ``(relation, expression)`` pairs in order.

    The first link's relation is ``None`` unless the formula starts with a relation
    (an aligned row ``&\\le 0``).  ``conditions`` are what stands after ``\\quad``,
    ``\\forall`` or "subject to"; ``undeclared`` the names that got default meanings.
    """

    links: tuple[tuple[str | None, Any], ...]
    conditions: tuple[Any, ...] = ()
    undeclared: tuple[str, ...] = ()

    @property
    def expressions(self) -> tuple[Any, ...]:
        """The members of the chain, in order."""
        return tuple(expr for _, expr in self.links)

    @property
    def leading_relation(self) -> str | None:
        """The relation the formula starts with (a continued row), or ``None``."""
        return self.links[0][0]

    def as_sympy(self) -> Any:
        """One expression, one relation, or the ``And`` of a chain's relations."""
        if self.leading_relation is not None:
            raise ValueError("a formula that starts with a relation has no SymPy form")
        if len(self.links) == 1:
            return self.links[0][1]
        pairs = [relation_of(rel or "=", a, b)
                 for (_, a), (rel, b) in zip(self.links, self.links[1:], strict=False)]
        if len(pairs) == 1:
            return pairs[0]
        if all(isinstance(pair, sympy.logic.boolalg.Boolean) for pair in pairs):
            return sympy.And(*pairs, evaluate=False)
        return sympy.Tuple(*pairs)
