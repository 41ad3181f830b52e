"""Every cross-check of ``proofs/`` could fail: it agrees with the claim and rejects a value a
plausible mistake predicts.

Each cross-check runs once (with the seed ``derive check`` gives it) and its result is kept for
the module.  Derivations are collected with :func:`derive.collect`, so proof modules added later
are covered too.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from pathlib import Path

import pytest

from derive import Comparison, CrossCheck, Derivation, collect, run_crosscheck, seed_for

PROOFS = Path(__file__).resolve().parents[1] / "proofs"


def _derivations() -> list[Derivation]:
    return [d for proof in collect([PROOFS]) for d in proof.derivations]


def _crosschecks() -> list[tuple[str, CrossCheck]]:
    return [(d.id, c) for d in _derivations() for c in d.crosschecks]


@functools.cache
def _comparison(derivation_id: str, name: str) -> Comparison:
    """The comparison of one cross-check, run once with the seed ``derive check`` uses."""
    check = {(d, c.name): c for d, c in _crosschecks()}[derivation_id, name]
    return check.run(seed_for(derivation_id, "crosscheck", name))


def _rejects(comparison: Comparison, value: float) -> bool:
    """Whether ``value`` is more than ``z_threshold`` standard errors (or the tolerance) away."""
    gap = abs(comparison.estimate - value)
    if comparison.stderr is not None:
        return gap > comparison.z_threshold * comparison.stderr
    assert comparison.tolerance is not None
    return gap > comparison.tolerance


def _replay(comparison: Comparison, _seed: int) -> Comparison:
    """A cross-check that returns ``comparison`` whatever its seed."""
    return comparison


CHECKS = _crosschecks()


@pytest.mark.parametrize(("derivation_id", "name"), [(d, c.name) for d, c in CHECKS],
                         ids=[f"{d}:{c.name}" for d, c in CHECKS])
def test_crosscheck_agrees_and_rejects_an_alternative(derivation_id: str, name: str) -> None:
    comparison = _comparison(derivation_id, name)
    assert math.isfinite(comparison.estimate), "the estimate is not finite"
    assert not _rejects(comparison, comparison.expected), (
        f"the estimate {comparison.estimate} disagrees with the claim {comparison.expected}")
    assert comparison.alternatives, "no alternative: the check cannot tell the claim from a mistake"
    rejected = [label for label, value in comparison.alternatives.items()
                if _rejects(comparison, value)]
    assert rejected, f"accepts every alternative it is shown: {comparison.alternatives}"


@pytest.mark.parametrize(("derivation_id", "name"), [(d, c.name) for d, c in CHECKS],
                         ids=[f"{d}:{c.name}" for d, c in CHECKS])
def test_an_alternative_as_the_claim_would_disagree(derivation_id: str, name: str) -> None:
    """Judged by derive, the same measurement against a rejected alternative disagrees."""
    comparison = _comparison(derivation_id, name)
    for label, value in comparison.alternatives.items():
        if not _rejects(comparison, value):
            continue
        swapped = dataclasses.replace(comparison, expected=value, alternatives={})
        result = run_crosscheck(CrossCheck(name, functools.partial(_replay, swapped)), 0)
        assert result.verdict == "disagrees", (label, result)


def test_nearly_every_derivation_has_a_crosscheck_that_could_fail() -> None:
    """At least 95% of the derivations have a cross-check with an alternative it rejects."""
    derivations = _derivations()
    covered = [d.id for d in derivations if any(
        any(_rejects(_comparison(d.id, c.name), v)
            for v in _comparison(d.id, c.name).alternatives.values())
        for c in d.crosschecks)]
    missing = sorted({d.id for d in derivations} - set(covered))
    assert len(covered) >= 0.95 * len(derivations), f"without one: {missing}"
