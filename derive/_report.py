"""A checked set of proof files, and its JSON form (the machine-readable contract)."""

from __future__ import annotations

import dataclasses
import json
import platform
import time
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable

from ._collect import collect
from ._runner import DerivationResult, check_derivation
from ._verdict import Verdict

__all__ = ["Report", "check_paths", "SCHEMA"]

SCHEMA = "derive-report/1"
_LIBRARIES = ("sympy", "mpmath", "numpy", "scipy")


@dataclasses.dataclass(frozen=True)
class Report:
    """The results of every derivation found, and the files that failed to load."""

    results: tuple[DerivationResult, ...]
    load_errors: tuple[tuple[str, str], ...]
    seconds: float

    @property
    def ok(self) -> bool:
        """Every derivation meets its expectation and every proof file loaded."""
        return not self.load_errors and all(r.meets_expectation for r in self.results)

    def summary(self) -> dict[str, Any]:
        counts = {v.value: 0 for v in Verdict}
        for result in self.results:
            counts[result.verdict.value] += 1
        return {
            "derivations": len(self.results),
            "meet_expectation": sum(r.meets_expectation for r in self.results),
            "errata": sum(r.derivation.expected.is_erratum for r in self.results),
            "verdicts": counts,
            "load_errors": len(self.load_errors),
            "seconds": round(self.seconds, 3),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "ok": self.ok,
            "summary": self.summary(),
            "environment": environment(),
            "derivations": [r.to_dict() for r in self.results],
            "load_errors": [{"path": p, "error": e} for p, e in self.load_errors],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


def environment() -> dict[str, str]:
    """Versions that reproduce a report."""
    versions = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def check_paths(paths: Iterable[str | Path], *, budget: float | None = None,
                select: Callable[[str], bool] | None = None,
                on_result: Callable[[DerivationResult], None] | None = None) -> Report:
    """Collect the derivations under ``paths`` and check each one.

    ``select(id)`` chooses derivations; ``on_result`` is called after each.
    """
    start = time.perf_counter()
    files = collect(paths)
    errors = tuple((str(f.path), f.error) for f in files if f.error)
    results = []
    for derivation in (d for f in files for d in f.derivations):
        if select is None or select(derivation.id):
            results.append(check_derivation(derivation, budget=budget))
            if on_result is not None:
                on_result(results[-1])
    return Report(tuple(results), errors, time.perf_counter() - start)
