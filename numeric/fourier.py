"""Real Fourier series on [-pi, pi): coefficients, partial sums and the trigonometric design.

Conventions. A 2 pi-periodic f has the real Fourier series

    f(x) ~ a_0 + sum_{k >= 1} (a_k cos(k x) + b_k sin(k x)),
    a_0 = (1 / 2 pi) int f,   a_k = (1 / pi) int f(x) cos(k x) dx,
    b_k = (1 / pi) int f(x) sin(k x) dx,

integrals over one period; ``b[0]`` is always 0 (sin(0 x) = 0). The partial sum S_K f keeps
k = 0..K. The functions 1, cos(k x), sin(k x) are orthogonal on [-pi, pi) with squared norms
2 pi, pi, pi, so S_K f is the orthogonal (L^2) projection of f on their span.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from numeric import _validation as check
from numeric._errors import InvalidArgumentValue
from numeric._validation import FloatArray

__all__ = ["coefficients", "grid", "partial_sum", "trig_features"]


def grid(n_points: int, *, midpoints: bool = False) -> FloatArray:
    """n equispaced points x_j = -pi + 2 pi j / n, j = 0..n-1, of one period [-pi, pi).

    With ``midpoints=True`` the cell midpoints x_j = -pi + 2 pi (j + 1/2) / n: the mean of
    g over them times 2 pi is the midpoint rule, of error O(1 / n^2) for a g that is smooth
    between jumps at 0 and pi (for even n no point falls on a jump).
    """
    n = check.integer(n_points, "n_points")
    return -np.pi + 2.0 * np.pi * (np.arange(n) + 0.5 * bool(midpoints)) / n


def coefficients(samples: ArrayLike, degree: int) -> tuple[FloatArray, FloatArray]:
    """(a_0..a_K, b_0..b_K) of f from its samples on :func:`grid` (the trapezoidal rule, by FFT).

    The trapezoidal rule on n points is exact for trigonometric polynomials of degree < n / 2
    and spectrally accurate for smooth periodic f; for f with a jump its error in a_k, b_k is
    O(1 / n). Needs n > 2 K.
    """
    values = check.array(samples, "samples", ndim=1)
    K = check.integer(degree, "degree", minimum=0)
    n = values.size
    if n <= 2 * K:
        raise InvalidArgumentValue(f"samples must hold more than 2 * degree = {2 * K} points, got "
                                   f"{n}")
    k = np.arange(K + 1)
    c = np.fft.rfft(values)[: K + 1] * np.exp(1j * np.pi * k) / n   # (1/2pi) int f e^{-ikx}
    a, b = 2.0 * c.real, -2.0 * c.imag
    a[0], b[0] = c[0].real, 0.0
    return a, b


def trig_features(x: ArrayLike, degree: int) -> FloatArray:
    """The design [1, cos x, ..., cos K x, sin x, ..., sin K x]: shape (len(x), 2 K + 1).

    These are the 2 K + 1 non-zero hidden units of the one-hidden-layer network
    f(x) = W_2 sigma(W_1 x) that computes a trigonometric polynomial of degree K
    (sin(0 x) = 0 is no unit).
    """
    points = check.array(x, "x", ndim=1)
    K = check.integer(degree, "degree", minimum=0)
    kx = np.outer(points, np.arange(1, K + 1))
    return np.hstack([np.ones((points.size, 1)), np.cos(kx), np.sin(kx)])


def partial_sum(a: ArrayLike, b: ArrayLike, x: ArrayLike) -> FloatArray:
    """S_K f(x) = a_0 + sum_{k=1}^K (a_k cos k x + b_k sin k x) for coefficient arrays a, b."""
    cos_part = check.array(a, "a", ndim=1)
    sin_part = check.array(b, "b", ndim=1)
    if cos_part.shape != sin_part.shape or cos_part.size == 0:
        raise InvalidArgumentValue(f"a and b must be non-empty and of equal length, got shapes "
                                   f"{cos_part.shape} and {sin_part.shape}")
    points = check.array(x, "x", ndim=(0, 1))
    features = trig_features(np.atleast_1d(points), cos_part.size - 1)
    weights = np.concatenate([cos_part, sin_part[1:]])
    values: FloatArray = features @ weights
    return values if points.ndim == 1 else values[:1].reshape(())
