"""The elastic-net penalty and the duality gap that stops its solvers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numeric._validation import FloatArray


@dataclass(frozen=True)
class _Penalty:
    """l1 ||w||_1 + (l2 / 2) ||w||^2."""

    l1: float
    l2: float


def _duality_gap(yr: float, rr: float, xtr: FloatArray, w: FloatArray,
                 penalty: _Penalty) -> tuple[float, float]:
    """(gap, primal) from y^T r, r^T r, X^T r and w; see :func:`elastic_net`."""
    ww = float(w @ w)
    augmented_rr = rr + penalty.l2 * ww
    primal = 0.5 * augmented_rr + penalty.l1 * float(np.abs(w).sum())
    largest = float(np.abs(xtr - penalty.l2 * w).max())
    s = 1.0 if largest <= penalty.l1 else penalty.l1 / largest
    return primal - (s * yr - 0.5 * s * s * augmented_rr), primal
