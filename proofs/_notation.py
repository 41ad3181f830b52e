"""What the names of a derivation's LaTeX mean, where a line names a function only at points.

A proof often knows a function only by its values at the points its lines use (f(a) and
grad f(a) as symbols at the expansion point a).  ``known_at`` is such a function for the
derivation's ``notation``: called at another point it raises ``ValueError``, so a line that
asks for more than the proof states is reported unread, never read as something else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        return isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase) and a.shape == \
            b.shape and all(sp.simplify(p - q) == 0 for p, q in zip(a, b, strict=True))
    return bool(sp.simplify(sp.sympify(a) - sp.sympify(b)) == 0)


def known_at(*pairs: tuple[Any, Any]) -> Callable[..., Any]:
    """The function given by its values ``(point, value)``; any other point is an error."""
    def value_at(*args: Any) -> Any:
        point = args[0] if len(args) == 1 else sp.Tuple(*args)
        for known, value in pairs:
            if _same(point, known):
                return value
        raise ValueError(f"the derivation states this function only at {[p for p, _ in pairs]}")
    return value_at
