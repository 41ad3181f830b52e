"""Exceptions and warnings raised by :mod:`numeric`.

Every exception the package raises derives from :class:`NumericError`. Errors about
arguments also derive from the built-in :class:`ValueError` or :class:`TypeError`, so that
``except ValueError`` keeps working, and their message names the argument and the value
received, e.g. ``InvalidArgumentValue("X must be a 2-D array, got shape (3,)")``.
"""

from __future__ import annotations

__all__ = [
    "InvalidArgumentValue",
    "InvalidArgumentType",
    "ConvergenceWarning",
    "NumericError",
    "SamplerError",
    "SingularMatrixError",
]


class NumericError(Exception):
    """Base class of every error raised by :mod:`numeric`."""


class InvalidArgumentValue(NumericError, ValueError):
    """An argument has the right type but an unusable value (shape, NaN, range, ...)."""


class InvalidArgumentType(NumericError, TypeError):
    """An argument has the wrong type (a string where an array is needed, ...)."""


class SingularMatrixError(InvalidArgumentValue):
    """A linear system built from the arguments has no unique solution."""


class SamplerError(InvalidArgumentValue):
    """A Monte Carlo sampler returned draws of the wrong shape or non-finite draws.

    The message names the chunk and the seed that reproduce the failure.
    """


class ConvergenceWarning(UserWarning):
    """An iterative method stopped before meeting its tolerance (see the result's
    ``converged`` flag)."""
