"""Exceptions raised by :mod:`derive`.

Every exception the package raises derives from :class:`DeriveError`.  Errors
about arguments also derive from the built-in :class:`TypeError` or
:class:`ValueError`, so that ``except ValueError`` keeps working, and their
message names the argument and the value received.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "DeriveError",
    "InvalidArgumentType",
    "InvalidArgumentValue",
    "UnsupportedExpectation",
    "ProofLoadError",
    "LatexError",
]


class DeriveError(Exception):
    """Base class of every error raised by :mod:`derive`."""


class InvalidArgumentType(DeriveError, TypeError):
    """An argument has the wrong type (a string where an expression is needed, ...)."""


class InvalidArgumentValue(DeriveError, ValueError):
    """An argument has the right type but an unusable value."""


class UnsupportedExpectation(DeriveError, ValueError):
    """The expectation algebra cannot evaluate this expression exactly."""


class ProofLoadError(DeriveError):
    """A proof file could not be imported or does not define derivations."""


def describe(value: Any, limit: int = 80) -> str:
    """A short ``repr`` of ``value`` and its type, for error messages."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{text} (of type {type(value).__name__})"


class LatexError(DeriveError, ValueError):
    """A formula that cannot be read: the message names the column and the token.

    ``column`` counts from 1 on the formula's line ``line``; ``token`` is the text
    that could not be read (empty at the end of the formula).
    """

    def __init__(self, message: str, *, column: int = 0, line: int = 1, token: str = "") -> None:
        super().__init__(message)
        self.column = column
        self.line = line
        self.token = token
