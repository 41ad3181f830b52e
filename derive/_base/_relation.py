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

    @classmethod
    def parse(cls, value: Any, name: str = "relation") -> Relation:
        """``value`` (a Relation or its symbol) as a Relation, or a clear error."""
        try:
            return cls(value)
        except ValueError:
            choices = ", ".join(repr(r.value) for r in cls)
            raise InvalidArgumentValue(
                f"{name} must be one of {choices}, got {describe(value)}") from None


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
