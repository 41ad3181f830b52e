"""Argument checks shared by the public modules.

Each check either returns a clean value (a float64 array, a Python int, ...) or raises an
:class:`~numeric.InvalidArgumentValue` / :class:`~numeric.InvalidArgumentType` whose message names
the argument and the value received.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from numeric._errors import InvalidArgumentType, InvalidArgumentValue

FloatArray = NDArray[np.float64]


def describe(value: Any, limit: int = 60) -> str:
    """A short description of ``value`` for error messages."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{text} (of type {type(value).__name__})"


def as_float_array(value: Any, name: str) -> FloatArray:
    """``value`` as a float64 array; booleans and integers are converted, nothing else."""
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentType(f"{name} must be array-like, got {describe(value)}") from exc
    if arr.dtype.kind not in "biuf":
        raise InvalidArgumentType(f"{name} must hold real numbers, got {describe(value)}")
    return arr.astype(np.float64, copy=False)


def require_finite(arr: FloatArray, name: str) -> None:
    """Raise unless every entry of ``arr`` is finite (no NaN, no inf)."""
    with np.errstate(all="ignore"):
        if np.isfinite(np.sum(arr)):  # a single NaN or inf makes the sum non-finite
            return
    bad = np.argwhere(~np.isfinite(arr))
    if bad.size == 0:
        return
    index = tuple(int(i) for i in bad[0])
    where = f" at index {index}" if arr.ndim > 1 else f" at index {index[0]}" if index else ""
    raise InvalidArgumentValue(f"{name} must be finite, got {arr[index]}{where}")


def array(value: Any, name: str, ndim: int | tuple[int, ...] | None = None) -> FloatArray:
    """A finite float64 array with ``ndim`` dimensions (one of them, for a tuple)."""
    arr = as_float_array(value, name)
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and arr.ndim not in allowed:
        wanted = " or ".join(f"{k}-D" for k in allowed)
        raise InvalidArgumentValue(f"{name} must be a {wanted} array, got shape {arr.shape}")
    require_finite(arr, name)
    return arr


def integer(value: Any, name: str, minimum: int = 1) -> int:
    """``value`` as a Python int, at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidArgumentType(f"{name} must be an integer, got {describe(value)}")
    if value < minimum:
        wanted = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise InvalidArgumentValue(f"{name} must be {wanted}, got {value}")
    return int(value)


Seed = int | np.random.SeedSequence | np.random.Generator


def seed(value: Any, name: str = "seed", *, generator: bool = True) -> Seed:
    """``value`` as a seed for ``np.random.default_rng``: an integer >= 0 (as a Python int),
    or a ``SeedSequence`` or (unless ``generator`` is False) a ``Generator``, returned as
    given.  ``generator=False`` where the draws must follow from the seed alone, as when
    child seeds are spawned from it."""
    kinds: tuple[type, ...] = (np.random.SeedSequence, np.random.Generator)
    if isinstance(value, kinds[: 2 if generator else 1]):
        return cast(Seed, value)
    if isinstance(value, np.random.Generator):
        raise InvalidArgumentType(f"{name} must be an integer >= 0 or a SeedSequence (child "
                                  f"seeds are spawned from it), got {describe(value)}")
    return integer(value, name, minimum=0)


def seed_sequence(value: Any, name: str = "seed") -> np.random.SeedSequence:
    """``value`` (see :func:`seed`, no ``Generator``) as a ``SeedSequence`` to spawn from."""
    checked = seed(value, name, generator=False)
    if isinstance(checked, int):
        return np.random.SeedSequence(entropy=checked)
    return cast(np.random.SeedSequence, checked)


def real(value: Any, name: str, *, positive: bool = False, nonnegative: bool = False) -> float:
    """``value`` as a finite Python float, optionally > 0 or >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidArgumentType(f"{name} must be a real number, got {describe(value)}")
    number = float(value)
    if not np.isfinite(number):
        raise InvalidArgumentValue(f"{name} must be finite, got {number}")
    if positive and number <= 0:
        raise InvalidArgumentValue(f"{name} must be positive, got {number}")
    if nonnegative and number < 0:
        raise InvalidArgumentValue(f"{name} must be non-negative, got {number}")
    return number


def probability(value: Any, name: str) -> float:
    """``value`` as a float strictly between 0 and 1."""
    number = real(value, name)
    if not 0.0 < number < 1.0:
        raise InvalidArgumentValue(f"{name} must be strictly between 0 and 1, got {number}")
    return number


def callable_(value: Any, name: str) -> Callable[..., Any]:
    """``value`` itself, if it is callable."""
    if not callable(value):
        raise InvalidArgumentType(f"{name} must be callable, got {describe(value)}")
    return cast(Callable[..., Any], value)


def choice(value: Any, name: str, options: tuple[str, ...]) -> str:
    """``value`` if it is one of ``options``."""
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise InvalidArgumentValue(f"{name} must be one of {listed}, got {value!r}")
    return value


def axis(value: Any, ndim: int, name: str = "axis") -> int:
    """``value`` as a non-negative axis index of an array with ``ndim`` dimensions."""
    index = integer(value, name, minimum=-(2**62))
    if not -ndim <= index < ndim:
        raise InvalidArgumentValue(f"{name} must be in [{-ndim}, {ndim - 1}] for a {ndim}-D array, "
                                   f"got {index}")
    return index % ndim


def output(value: Any, name: str, shape: tuple[int, ...]) -> FloatArray:
    """Check what a user function ``name`` returned: a float array of ``shape``."""
    arr = as_float_array(value, f"the value returned by {name}")
    if arr.shape != shape:
        raise InvalidArgumentValue(f"{name} must return an array of shape {shape}, got shape "
                                   f"{arr.shape}")
    return arr
