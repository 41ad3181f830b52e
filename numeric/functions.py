"""Numerically stable softmax, log-sum-exp and sigmoid, and the naive softmax for contrast.

The stable forms rest on two identities that hold for every real shift ``c``:

    softmax(z)_i = exp(z_i - c) / sum_j exp(z_j - c),
    logsumexp(z) = c + log sum_j exp(z_j - c),

with ``c = max_j z_j``, so that no exponential overflows and at least one term is 1.
Inputs must be finite; every function raises :class:`~numeric.InvalidArgumentValue` otherwise.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from numeric import _validation as check
from numeric._errors import InvalidArgumentValue
from numeric._validation import FloatArray

__all__ = ["log_sigmoid", "logsumexp", "naive_softmax", "sigmoid", "softmax"]


def _vector_input(z: ArrayLike, axis: int) -> tuple[FloatArray, int]:
    arr = check.array(z, "z")
    if arr.ndim == 0:
        raise InvalidArgumentValue("z must have at least one dimension, got a scalar")
    ax = check.axis(axis, arr.ndim)
    if arr.shape[ax] == 0:
        raise InvalidArgumentValue(f"z must have at least one entry along axis {axis}, "
                                   f"got shape {arr.shape}")
    return arr, ax


def softmax(z: ArrayLike, axis: int = -1) -> FloatArray:
    """Softmax along ``axis``, shifted by the maximum so that nothing overflows.

    softmax(z)_i = exp(z_i - max_j z_j) / sum_k exp(z_k - max_j z_j)

    which equals exp(z_i) / sum_k exp(z_k) exactly in real arithmetic. The numerators are at
    most 1 and the denominator at least 1, so the result is finite for every finite ``z``.
    """
    arr, ax = _vector_input(z, axis)
    shifted: FloatArray = np.exp(arr - arr.max(axis=ax, keepdims=True))
    shifted /= shifted.sum(axis=ax, keepdims=True)
    return shifted


def naive_softmax(z: ArrayLike, axis: int = -1) -> FloatArray:
    """The textbook softmax exp(z_i) / sum_j exp(z_j), computed literally.

    Kept to show what the shift in :func:`softmax` prevents: for ``z_i = c`` with large
    positive ``c`` every exp(c) overflows to inf and the result is inf/inf = NaN; with large
    negative ``c`` every exp(c) underflows to 0 and the result is 0/0 = NaN. Floating-point
    warnings are silenced; the values are returned exactly as NumPy computes them.
    """
    arr, ax = _vector_input(z, axis)
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        e = np.exp(arr)
        out: FloatArray = e / e.sum(axis=ax, keepdims=True)
        return out


def logsumexp(z: ArrayLike, axis: int | None = -1, keepdims: bool = False) -> Any:
    """log sum_j exp(z_j) along ``axis`` (all entries if ``axis`` is None), computed as

    logsumexp(z) = m + log sum_j exp(z_j - m),   m = max_j z_j,

    which is finite for every finite ``z``. Returns a float for a 1-D input (or axis=None).
    """
    arr = check.array(z, "z")
    if axis is None:
        arr, ax = arr.reshape(-1), 0
    else:
        arr, ax = _vector_input(arr, axis)
    if arr.size == 0:
        raise InvalidArgumentValue("z must have at least one entry, got an empty array")
    m = arr.max(axis=ax, keepdims=True)
    out = m + np.log(np.exp(arr - m).sum(axis=ax, keepdims=True))
    out = out if keepdims else np.squeeze(out, axis=ax)
    return float(out) if np.ndim(out) == 0 else out


def sigmoid(t: ArrayLike) -> Any:
    """The logistic function sigma(t) = 1 / (1 + exp(-t)), stable for every finite t.

    With e = exp(-|t|) <= 1 it is computed as 1 / (1 + e) for t >= 0 and e / (1 + e) for
    t < 0, so exp never overflows. Returns a float for a scalar input.
    """
    out = _sigmoid(check.array(t, "t"))
    return float(out) if out.ndim == 0 else out


def log_sigmoid(t: ArrayLike) -> Any:
    """log sigma(t) = -log(1 + exp(-t)), stable for every finite t:

    log sigma(t) = min(t, 0) - log1p(exp(-|t|)).

    For t -> +inf it tends to -exp(-t) (not 0 too early); for t -> -inf to t.
    Returns a float for a scalar input.
    """
    out = _log_sigmoid(check.array(t, "t"))
    return float(out) if out.ndim == 0 else out


def _sigmoid(t: FloatArray) -> FloatArray:
    e = np.exp(-np.abs(t))
    return np.where(t >= 0, 1.0, e) / (1.0 + e)


def _log_sigmoid(t: FloatArray) -> FloatArray:
    return np.minimum(t, 0.0) - np.log1p(np.exp(-np.abs(t)))
