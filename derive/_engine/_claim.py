"""What the rungs decide: an equality, or the sign of an expression."""

from __future__ import annotations

import dataclasses
from typing import Any

from derive._base._verdict import Word

__all__ = ["Claim", "ClaimKind"]


class ClaimKind(Word):
    """The three claims a rung can decide."""

    EQUAL = "eq"
    NONNEGATIVE = "nonneg"
    POSITIVE = "pos"


@dataclasses.dataclass(frozen=True)
class Claim:
    """``lhs = rhs`` (scalars or matrices of one shape; ``sides == (lhs, rhs)``), or
    ``expr >= 0`` / ``expr > 0`` (``sides == (expr,)``).  Sent to the checking processes,
    so it holds only picklable SymPy objects."""

    kind: ClaimKind
    sides: tuple[Any, ...]

    @classmethod
    def equal(cls, lhs: Any, rhs: Any) -> Claim:
        """``lhs = rhs``."""
        return cls(ClaimKind.EQUAL, (lhs, rhs))

    @classmethod
    def sign(cls, expr: Any, *, strict: bool) -> Claim:
        """``expr > 0`` when ``strict``, else ``expr >= 0``."""
        return cls(ClaimKind.POSITIVE if strict else ClaimKind.NONNEGATIVE, (expr,))

    @property
    def is_equality(self) -> bool:
        return self.kind is ClaimKind.EQUAL

    def as_tuple(self) -> tuple[Any, ...]:
        """``(kind, *sides)`` with the kind as its word: what the cache keys are made of."""
        return (self.kind.value, *self.sides)
