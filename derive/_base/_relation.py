"""How a line relates to the line before it: ``=``, ``<=``, ``<``, ``>=``, ``>``, ``= const +``."""

from __future__ import annotations

from typing import Any

from derive._base._errors import InvalidArgumentValue, describe
from derive._base._validation import as_expression
from derive._base._verdict import Word

__all__ = ["Relation", "check_scale"]


class Relation(Word):
    """How a step relates to the previous one; the values are the symbols shown."""

    EQ = "="
    LE = "<="
    LT = "<"
    GE = ">="
    GT = ">"
    EQ_UP_TO_CONSTANT = "= const +"

    @property
    def is_strict(self) -> bool:
        """Whether the relation excludes equality (``<``, ``>``)."""
        return self in (Relation.LT, Relation.GT)

    @property
    def weak(self) -> Relation:
        """The relation with equality allowed: ``<`` is ``<=``, ``>`` is ``>=``."""
        return _WEAK.get(self, self)

    def reversed(self) -> Relation:
        """The relation with its sides swapped: ``a <= b`` is ``b >= a``."""
        return _REVERSED.get(self, self)

    @property
    def symbol(self) -> str:
        """The symbol as text reads it (``≤``, ``≥``)."""
        return _SYMBOLS.get(self, self.value)

    @property
    def latex(self) -> str:
        """The symbol in LaTeX (``\\le``, ``= \\text{const} +``)."""
        return _LATEX.get(self, self.value)

    def then(self, following: Relation) -> Relation | None:
        """The relation of ``a`` to ``c`` when ``a self b`` and ``b following c``, or ``None``
        when the two do not compose (opposite directions, an inequality with ``= const +``).

        ``=`` is neutral; two inequalities of one direction give that direction, strict
        when either is strict; ``= const +`` twice is ``= const +``.
        """
        if following is Relation.EQ or self is following:
            return self
        if self is Relation.EQ:
            return following
        if self.weak is following.weak:
            return self if self.is_strict else following
        return None

    @classmethod
    def parse(cls, value: Any, name: str = "relation") -> Relation:
        """``value`` (a Relation or its symbol) as a Relation, or a clear error."""
        try:
            return cls(value)
        except ValueError:
            choices = ", ".join(repr(r.value) for r in cls)
            raise InvalidArgumentValue(
                f"{name} must be one of {choices}, got {describe(value)}") from None


_WEAK = {Relation.LT: Relation.LE, Relation.GT: Relation.GE}
_REVERSED = {Relation.LE: Relation.GE, Relation.GE: Relation.LE,
             Relation.LT: Relation.GT, Relation.GT: Relation.LT}
_SYMBOLS = {Relation.LE: "≤", Relation.GE: "≥"}
_LATEX = {Relation.LE: r"\le", Relation.GE: r"\ge", Relation.EQ_UP_TO_CONSTANT: r"= \text{const} +"}


def check_scale(scale: Any, relation: Relation, wrt: tuple[Any, ...]) -> Any:
    """``scale`` as an expression: 1 unless the relation is '= const +', then non-zero and
    constant in ``wrt``."""
    value = as_expression(scale, "scale")
    if value == 1:
        return value
    if relation is not Relation.EQ_UP_TO_CONSTANT:
        raise InvalidArgumentValue(f"scale is only used with '= const +', got scale {value}")
    if value.is_nonzero is not True or value.free_symbols & set(wrt):
        raise InvalidArgumentValue(
            f"scale must be provably non-zero (from the symbols' assumptions) and free of "
            f"{', '.join(map(str, wrt))}, got {value}")
    return value
