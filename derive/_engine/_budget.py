"""The time a check may take: all deadline arithmetic in one place."""

from __future__ import annotations

import time

from derive._processes._sandbox import Outcome

__all__ = ["Budget"]


class Budget:
    """``seconds`` for one check, counted from its creation.

    Rungs get a share of the whole (:meth:`share`), never more than is left after a
    reserve kept for later rungs (:meth:`timeout`).  Time that was not checking time
    (a worker starting, a worker waiting for a CPU, a probe that found nothing) is
    given back (:meth:`charge`, :meth:`give_back`): the deadline moves later by it.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start = time.perf_counter()
        self._deadline = self.start + seconds

    def left(self) -> float:
        """Seconds left before the deadline (negative once it has passed)."""
        return self._deadline - time.perf_counter()

    def elapsed(self) -> float:
        """Seconds since the check started."""
        return time.perf_counter() - self.start

    def share(self, fraction: float) -> float:
        """``fraction`` of the whole budget, in seconds."""
        return fraction * self.seconds

    def timeout(self, fraction: float, reserve: float) -> float:
        """A rung's time: its share, but no more than what is left after ``reserve`` seconds."""
        return min(self.share(fraction), self.left() - reserve)

    def give_back(self, seconds: float) -> None:
        """Move the deadline ``seconds`` later: time that was not spent checking."""
        self._deadline += seconds

    def give_back_since(self, start: float, charged: Outcome) -> None:
        """Give back all the time since ``start`` (a ``time.perf_counter()`` reading), less
        what :meth:`charge` already gave back for ``charged``: time that bought nothing."""
        self.give_back(time.perf_counter() - start - charged.startup - charged.idle)

    def charge(self, outcome: Outcome) -> Outcome:
        """Give back the time a worker took to start, and the time it waited for a CPU on a
        busy machine: neither is checking time."""
        self.give_back(outcome.startup + outcome.idle)
        return outcome
