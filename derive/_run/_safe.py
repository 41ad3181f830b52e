"""Checking one derivation so that nothing it raises stops the others."""

from __future__ import annotations

import dataclasses
import time
import traceback
from pathlib import Path
from typing import Any

from derive._base._verdict import Verdict
from derive._model._derivation import Derivation
from derive._run._runner import DerivationResult, check_derivation

__all__ = ["ErrorResult", "check_one"]


@dataclasses.dataclass(frozen=True)
class ErrorResult(DerivationResult):
    """A derivation whose checking raised ``error``: inconclusive, and it misses its expectation."""

    error: str = ""

    @property
    def verdict(self) -> Verdict:
        return Verdict.INCONCLUSIVE

    @property
    def meets_expectation(self) -> bool:
        return False

    def failures(self) -> list[str]:
        return [f"{self.derivation.id}: checking raised an error, so nothing was decided",
                f"  {self.error}"]

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "error": self.error}


def check_one(derivation: Derivation, budget: float | None = None) -> DerivationResult:
    """Check one derivation; an exception becomes an :class:`ErrorResult`, so the others run.

    This is all the work done per derivation, so it can be mapped over workers.
    """
    start = time.perf_counter()
    try:
        return check_derivation(derivation, budget=budget)
    except Exception as exc:  # reported in the result: one broken derivation stops nothing
        return ErrorResult(derivation, (), None, (), (), time.perf_counter() - start,
                           error=_describe_exception(exc))


def _describe_exception(exc: Exception) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return f"check_derivation raised {message}{where}"
