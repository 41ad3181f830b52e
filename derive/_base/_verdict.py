"""The four verdicts of a check, and what decided them."""

from __future__ import annotations

import enum
from collections.abc import Iterable

__all__ = ["Verdict", "Method", "InconclusiveReason", "CrossCheckVerdict", "ExpectedKind",
           "weakest"]


class Word(str, enum.Enum):
    """A string-valued enum whose ``str()`` is its value, the word users read."""

    def __str__(self) -> str:
        return str(self.value)


class Verdict(Word):
    """The outcome of a symbolic check, never stronger than its evidence.

    ``PROVED``
        symbolic simplification showed the claim holds identically under the
        symbols' assumptions.
    ``REFUTED``
        a concrete admissible point where the claim fails with certainty: the
        point is exact and meets every assumption, and an interval enclosure of
        the difference excludes 0 (or the sign is otherwise certain).
    ``NUMERICALLY_VERIFIED``
        no proof was found, but the claim held at every admissible random
        point that was evaluated.  Evidence, not proof.
    ``INCONCLUSIVE``
        the budget ran out, or the expression could not be evaluated.
    """

    PROVED = "proved"
    REFUTED = "refuted"
    NUMERICALLY_VERIFIED = "numerically-verified"
    INCONCLUSIVE = "inconclusive"

    @property
    def strength(self) -> int:
        """Order used by :func:`weakest`: refuted < inconclusive < numerically-verified < proved."""
        return _STRENGTH[self]

    @property
    def holds(self) -> bool | None:
        """Three-valued truth: ``True`` if proved, ``False`` if refuted, else ``None``."""
        return {Verdict.PROVED: True, Verdict.REFUTED: False}.get(self)


_STRENGTH = {
    Verdict.REFUTED: 0,
    Verdict.INCONCLUSIVE: 1,
    Verdict.NUMERICALLY_VERIFIED: 2,
    Verdict.PROVED: 3,
}


def weakest(verdicts: Iterable[Verdict]) -> Verdict:
    """The weakest of ``verdicts`` (``PROVED`` for an empty collection)."""
    return min(verdicts, key=lambda v: v.strength, default=Verdict.PROVED)


class Method(Word):
    """Which rung of the ladder decided a check."""

    STRUCTURAL = "structural"
    SIMPLIFY = "simplify"
    RANDOM_POINTS = "random-points"
    TRANSITIVITY = "transitivity"
    NONE = "none"


class InconclusiveReason(Word):
    """Why a check is inconclusive; the values are the messages users read."""

    BUDGET = "the time budget ran out before any rung decided"
    NOT_EVALUABLE = "the expressions could not be evaluated at admissible points"
    TOO_FEW_POINTS = "too few admissible points could be evaluated"
    WORKER_FAILED = "the checking process failed"



class CrossCheckVerdict(Word):
    """The outcome of a cross-check: the estimate against the claimed value.

    ``AGREES``
        within the threshold of the claimed value, and every alternative is rejected.
    ``DISAGREES``
        outside the threshold of the claimed value.
    ``INCONCLUSIVE``
        the cross-check raised, or it cannot tell the claim from an alternative.
    """

    AGREES = "agrees"
    DISAGREES = "disagrees"
    INCONCLUSIVE = "inconclusive"


class ExpectedKind(Word):
    """What a derivation expects of the notes: that they hold, or that they are wrong."""

    HOLDS = "holds"
    ERRATUM = "erratum"
