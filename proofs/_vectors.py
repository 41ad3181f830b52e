"""Small symbolic vectors for the optimisation derivations (d = 2 or 3, concrete)."""

from __future__ import annotations

from typing import Any

import sympy as sp


def column(prefix: str, size: int, **assumptions: Any) -> sp.Matrix:
    """The column vector (prefix1, ..., prefix<size>) of symbols."""
    return sp.Matrix(sp.symbols(f"{prefix}1:{size + 1}", **assumptions))


def dot(u: sp.Matrix, v: sp.Matrix) -> sp.Expr:
    """u^T v."""
    return (u.T * v)[0, 0]
