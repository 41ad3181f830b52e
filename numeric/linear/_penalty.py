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
    """(gap, primal) from y^T r, r^T r, X^T r and w; see :func:`elastic_net`.

    With l2 > 0 the dual value is the larger of the scaled point's and of
    D(r) = y^T r - ||r||^2 / 2 - ||S(X^T r, l1)||^2 / (2 l2), the dual of P written with the
    conjugate of the whole penalty (a bound on min P for every r, :func:`_conjugate_dual`),
    whose gap vanishes at the minimiser even when l1 is tiny beside l2 (where the scaling
    s = l1 / ||X^T r - l2 w||_inf is at the mercy of rounding)."""
    ww = float(w @ w)
    augmented_rr = rr + penalty.l2 * ww
    primal = 0.5 * augmented_rr + penalty.l1 * float(np.abs(w).sum())
    largest = float(np.abs(xtr - penalty.l2 * w).max())
    s = 1.0 if largest <= penalty.l1 else penalty.l1 / largest
    dual = s * yr - 0.5 * s * s * augmented_rr
    if penalty.l2 > 0.0:
        dual = max(dual, _conjugate_dual(yr, rr, xtr, penalty))
    return primal - dual, primal


def _conjugate_dual(yr: float, rr: float, xtr: FloatArray, penalty: _Penalty) -> float:
    """D(r) = y^T r - ||r||^2 / 2 - sum_j S(x_j^T r, l1)^2 / (2 l2) <= min P (weak duality:
    the conjugate of l1 |t| + l2 t^2 / 2 is S(u, l1)^2 / (2 l2))."""
    excess = np.maximum(np.abs(xtr) - penalty.l1, 0.0)
    return yr - 0.5 * rr - 0.5 / penalty.l2 * float(excess @ excess)
