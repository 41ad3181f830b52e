"""A checked derivation as ``derive check`` shows it, in plain data that can be kept between runs.

A :class:`Record` holds what the table, the list of problems, ``-v`` and the JSON report show of
one :class:`~derive.DerivationResult`, as strings, numbers and lists.  Reading one back needs
neither SymPy nor the proof module, so a run whose every proof file is unchanged is answered
from kept records (:mod:`derive._run._files`); the JSON report is built from the same entries,
with the same code (:func:`report_dict`), whether a record was kept or just made.

Importing this module loads nothing but the standard library.
"""

from __future__ import annotations

import dataclasses
import json
import platform
from collections.abc import Iterable, Sequence
from importlib import metadata
from typing import Any

__all__ = ["SCHEMA", "Record", "environment", "report_dict", "summarize"]

SCHEMA = "derive-report/1"
_LIBRARIES = ("sympy", "mpmath", "numpy", "scipy")
_VERDICTS = ("proved", "refuted", "numerically-verified", "inconclusive")


@dataclasses.dataclass(frozen=True)
class Record:
    """One derivation's result as shown: its JSON entry (``file`` aside, which depends on the
    working directory), its table row, the lines that say why it misses its expectation, and
    the lines ``-v`` prints."""

    entry: dict[str, Any]
    row: tuple[str, ...]
    failures: tuple[str, ...]
    verbose: tuple[str, ...]

    @property
    def id(self) -> str:
        return str(self.entry["id"])

    @property
    def meets_expectation(self) -> bool:
        return bool(self.entry["meets_expectation"])

    def facts(self) -> tuple[str, bool, bool, bool]:
        """(verdict, meets its expectation, is an erratum, raised): what :func:`summarize`
        counts."""
        entry = self.entry
        return (entry["verdict"], self.meets_expectation, entry["expected"] == "erratum",
                entry.get("error") is not None)

    def to_text(self) -> str:
        return json.dumps({"entry": self.entry, "row": self.row, "failures": self.failures,
                           "verbose": self.verbose}, ensure_ascii=False)

    @classmethod
    def from_text(cls, text: str) -> Record:
        """The record :meth:`to_text` wrote; ``ValueError`` when ``text`` is not one."""
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("entry"), dict):
            raise ValueError("not a kept record")
        strings = [tuple(str(s) for s in data[key]) for key in ("row", "failures", "verbose")]
        if "id" not in data["entry"] or len(strings[0]) != 6:
            raise ValueError("not a kept record")
        return cls(data["entry"], *strings)


def summarize(facts: Iterable[tuple[str, bool, bool, bool]], load_errors: int,
              seconds: float) -> dict[str, Any]:
    """The report's summary from each derivation's (verdict, meets, erratum, raised)."""
    facts = list(facts)
    counts = dict.fromkeys(_VERDICTS, 0)
    for verdict, *_ in facts:
        counts[verdict] += 1
    return {
        "derivations": len(facts),
        "meet_expectation": sum(meets for _, meets, _, _ in facts),
        "errata": sum(erratum for _, _, erratum, _ in facts),
        "verdicts": counts,
        "load_errors": load_errors,
        "errors": sum(raised for *_, raised in facts),
        "seconds": round(seconds, 3),
    }


def report_dict(entries: Sequence[dict[str, Any]], summary: dict[str, Any],
                load_errors: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The JSON report (the machine-readable contract; see the README)."""
    ok = not load_errors and all(entry["meets_expectation"] for entry in entries)
    return {
        "schema": SCHEMA,
        "ok": ok,
        "summary": summary,
        "environment": environment(),
        "derivations": list(entries),
        "load_errors": [{"path": p, "error": e} for p, e in load_errors],
    }


def environment() -> dict[str, str]:
    """Versions that reproduce a report."""
    versions = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions
