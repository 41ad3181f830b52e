"""Argument validation shared by every layer: each check names the argument and the value.

In the style of scikit-learn's ``utils.validation``: small named functions that either return
the value in canonical form or raise an :class:`~derive.InvalidArgumentType` /
:class:`~derive.InvalidArgumentValue` saying what was expected and what arrived.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import MatrixBase, MatrixExpr

from derive._base._defaults import DEFAULT_BUDGET
from derive._base._errors import InvalidArgumentType, InvalidArgumentValue, describe

__all__ = ["DEFAULT_BUDGET", "as_expression", "check_budget", "check_count", "check_text"]


def as_expression(value: Any, name: str) -> Any:
    """``value`` as a SymPy expression or immutable matrix; text is refused, never parsed."""
    if isinstance(value, str):
        raise InvalidArgumentType(
            f"{name} must be a SymPy expression, not a string ({value!r}); text is never "
            "parsed: build the expression in Python, e.g. sympy.Symbol('x') ** 2")
    if isinstance(value, bool) or value is None:
        raise InvalidArgumentType(f"{name} must be a SymPy expression, got {describe(value)}")
    if isinstance(value, (int, float)):
        return sympy.sympify(value)
    if isinstance(value, MatrixBase):
        return sympy.ImmutableMatrix(value)
    if isinstance(value, (sympy.Expr, MatrixExpr)):
        return value
    raise InvalidArgumentType(f"{name} must be a SymPy expression, got {describe(value)}")


def check_budget(budget: Any, name: str = "budget") -> float:
    """A positive, finite number of seconds."""
    if isinstance(budget, bool) or not isinstance(budget, (int, float)):
        raise InvalidArgumentType(f"{name} must be a number of seconds, got {describe(budget)}")
    if not 0 < budget < float("inf"):
        raise InvalidArgumentValue(f"{name} must be positive and finite, got {budget!r}")
    return float(budget)


def check_count(value: Any, name: str, low: int) -> int:
    """An integer at least ``low`` (booleans refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise InvalidArgumentValue(f"{name} must be an integer >= {low}, got {describe(value)}")
    return value


def check_text(value: Any, name: str, *, empty_ok: bool = False) -> str:
    """A string, non-blank unless ``empty_ok``."""
    if not isinstance(value, str):
        raise InvalidArgumentType(f"{name} must be a string, got {describe(value)}")
    if not empty_ok and not value.strip():
        raise InvalidArgumentValue(f"{name} must not be empty")
    return value
