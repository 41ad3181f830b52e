r"""Cross-checks of identities at random points: a measured array against the claimed one.

Many derivations claim an identity between functions (a derivative, a flux, an update rule).
A cross-check evaluates both sides at random points: the *measured* side by an independent
computation (finite differences, a solver, a simulation of the rule), the *claimed* side by
the derivation's formula.  The arrays are reduced to one number by a fixed random projection
c (seeded): the estimate is <c, measured>, the claim predicts <c, claimed>, and a plausible
mistake predicts <c, mistaken>.  A random projection of a non-zero difference is non-zero with
probability one, so a wrong formula is caught; the tolerance is relative to sum |c| |claimed|.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from derive import Comparison


def _projection(seed: int, size: int) -> np.ndarray:
    """Weights in [1, 2] with random signs: no entry is ignored, none dominates."""
    rng = np.random.default_rng([seed, size])
    return np.asarray(rng.uniform(1.0, 2.0, size) * rng.choice([-1.0, 1.0], size), dtype=float)


def projected_comparison(measured: Any, claimed: Any, alternatives: Mapping[str, Any], *,
                         seed: int, relative_tolerance: float, details: str,
                         data: dict[str, Any] | None = None) -> Comparison:
    """<c, measured> against <c, claimed>, with <c, mistaken> for each alternative.

    ``measured``, ``claimed`` and the alternatives are arrays of one shape; the tolerance is
    ``relative_tolerance * sum |c| |claimed|``.
    """
    measured_flat = np.asarray(measured, dtype=float).ravel()
    claimed_flat = np.asarray(claimed, dtype=float).ravel()
    if measured_flat.shape != claimed_flat.shape:
        raise ValueError(f"measured has {measured_flat.size} entries, claimed {claimed_flat.size}")
    weights = _projection(seed, measured_flat.size)
    scale = float(np.abs(weights) @ np.abs(claimed_flat))
    return Comparison(
        estimate=float(weights @ measured_flat), expected=float(weights @ claimed_flat),
        tolerance=relative_tolerance * max(scale, 1e-300),
        alternatives={label: float(weights @ np.asarray(value, dtype=float).ravel())
                      for label, value in alternatives.items()},
        details=f"{details}; random projection of {measured_flat.size} values, tolerance "
                f"{relative_tolerance:g} relative; largest |measured - claimed| = "
                f"{float(np.max(np.abs(measured_flat - claimed_flat))):.3g}",
        data=data or {})
