"""Checking one derivation so that nothing it raises stops the others."""

from __future__ import annotations

import dataclasses
import time
import traceback
from pathlib import Path

from derive._base._store import answers_lost
from derive._model._derivation import Derivation
from derive._run._runner import DerivationResult, check_derivation

__all__ = ["check_one"]


def check_one(derivation: Derivation, budget: float | None = None) -> DerivationResult:
    """Check one derivation; an exception becomes the result's ``error``, so the others run.

    This is all the work done per derivation, so it can be mapped over workers.  The
    result counts the answers that did not arrive while checking it (``lost``).
    """
    start, lost = time.perf_counter(), answers_lost()
    try:
        result = check_derivation(derivation, budget=budget)
    except Exception as exc:  # reported in the result: one broken derivation stops nothing
        return DerivationResult(derivation, seconds=time.perf_counter() - start,
                                error=_describe_exception(exc))
    return dataclasses.replace(result, lost=answers_lost() - lost)


def _describe_exception(exc: Exception) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return f"check_derivation raised {message}{where}"
