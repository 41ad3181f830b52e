"""The baseline: plain ``sympy.simplify(lhs - rhs) == 0``, as a user without derive would check.

Runs in a killable worker process (:func:`derive.run_with_timeout`), so a step that
``simplify`` cannot finish does not hang the benchmark.
"""

from __future__ import annotations

import sympy


def plain_simplify_is_zero(lhs, rhs) -> bool:
    """``sympy.simplify(lhs - rhs) == 0`` (every entry, for matrices)."""
    difference = sympy.simplify(lhs - rhs)
    if isinstance(difference, sympy.MatrixExpr) and not isinstance(difference, sympy.MatrixBase):
        difference = difference.as_explicit()
    if isinstance(difference, sympy.MatrixBase):
        return all(entry == 0 for entry in difference)
    return difference == 0
