"""Exceptions and warnings raised by :mod:`numeric`.

Every exception the package raises derives from :class:`NumericError`. Errors about
arguments also derive from the built-in :class:`ValueError` or :class:`TypeError`, so that
``except ValueError`` keeps working, and their message names the argument and the value
received, e.g. ``ArgumentError("X must be a 2-D array, got shape (3,)")``.
"""

from __future__ import annotations

__all__ = [
    "ArgumentError",
    "ArgumentTypeError",
    "ConvergenceWarning",
    "NumericError",
    "SamplerError",
    "SingularMatrixError",
]


class NumericError(Exception):
    """Base class of every error raised by :mod:`numeric`."""


class ArgumentError(NumericError, ValueError):
    """An argument has the right type but an unusable value (shape, NaN, range, ...)."""


class ArgumentTypeError(NumericError, TypeError):
    """An argument has the wrong type (a string where an array is needed, ...)."""


class SingularMatrixError(ArgumentError):
    """A linear system built from the arguments has no unique solution."""


class SamplerError(ArgumentError):
    """A Monte Carlo sampler returned draws of the wrong shape or non-finite draws.

    The message names the chunk and the seed that reproduce the failure.
    """


class ConvergenceWarning(UserWarning):
    """An iterative method stopped before meeting its tolerance (see the result's
    ``converged`` flag)."""
