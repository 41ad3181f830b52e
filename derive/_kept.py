"""``derive check`` with results kept per proof file: what changed is checked, the rest read back.

A proof file whose results are kept (:class:`derive._run._files.FileCache`) is answered from
its records without being imported; the other files are collected and checked as
:func:`derive.check_paths` does (with the answers kept on disk), and their records are kept
when every answer arrived.  SymPy, NumPy and the proof modules are imported only when a file
has to be checked.

Records are made by the caller (``make_record``: the command line renders a result the way
it shows it), so the same code makes a record whether it is shown now or kept for later.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derive._run._files import FileCache, KeptFile, proof_files, shown_path
from derive._run._records import Record, report_dict, summarize

if TYPE_CHECKING:
    from derive._model._derivation import Derivation
    from derive._run._collect import ProofFile
    from derive._run._report import Report
    from derive._run._runner import DerivationResult

__all__ = ["Checked", "check_files"]

MakeRecord = Callable[["DerivationResult"], Record]


@dataclasses.dataclass(frozen=True)
class Checked:
    """The records of a run, in collection order, and the files that failed to load.

    ``report`` is the full :class:`~derive.Report` when every derivation was checked in this
    run (the HTML and Markdown reports need it), else ``None``.  ``unkept`` lists the proof
    files checked in this run whose results could not be kept for the next, and why.
    """

    records: tuple[Record, ...]
    load_errors: tuple[tuple[str, str], ...]
    seconds: float
    files: dict[str, str]
    report: Report | None = None
    unkept: tuple[tuple[str, str], ...] = ()  # (proof file, why its results were not kept)

    @property
    def ok(self) -> bool:
        """Every derivation meets its expectation and every proof file loaded."""
        return not self.load_errors and all(r.meets_expectation for r in self.records)

    def summary(self) -> dict[str, Any]:
        return summarize((r.facts() for r in self.records), len(self.load_errors), self.seconds)

    def to_json(self) -> str:
        """The JSON report: the same text as :meth:`derive.Report.to_json`, timings aside."""
        entries = [{**r.entry, "file": self.files.get(r.id)} for r in self.records]
        data = report_dict(entries, self.summary(), self.load_errors)
        return json.dumps(data, indent=2, ensure_ascii=False)

    @classmethod
    def of(cls, report: Report, make_record: MakeRecord) -> Checked:
        return cls(tuple(make_record(r) for r in report.results), report.load_errors,
                   report.seconds, dict(report.files), report)


@dataclasses.dataclass
class _Run:
    """What :func:`check_files` was asked: the options of :func:`derive.check_paths`."""

    budget: float | None
    select: Callable[[str], bool] | None
    jobs: Callable[[], int]
    cache_dir: Path
    executor: Any
    on_start: Callable[[Derivation, int, int], None] | None
    on_record: Callable[[Record], None] | None
    make_record: MakeRecord
    unkept: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    def finished(self, result: DerivationResult) -> None:
        if self.on_record is not None:
            self.on_record(self.make_record(result))

    def check(self, files: Sequence[ProofFile]) -> Report:
        from derive._run._answers import answer_cache
        from derive._run._report import check_collected

        with answer_cache.using(self.cache_dir):
            return check_collected(files, budget=self.budget, select=self.select,
                                   on_result=self.finished, on_start=self.on_start,
                                   jobs=self.jobs(), executor=self.executor)

    def everything(self, paths: Sequence[str | Path]) -> Checked:
        from derive._run._report import check_paths

        report = check_paths(paths, budget=self.budget, select=self.select,
                             on_result=self.finished, on_start=self.on_start,
                             jobs=self.jobs(), cache_dir=self.cache_dir, executor=self.executor)
        return Checked.of(report, self.make_record)


def check_files(paths: Iterable[str | Path], make_record: MakeRecord, *, cache_dir: Path,
                budget: float | None = None, select: Callable[[str], bool] | None = None,
                jobs: Callable[[], int] = lambda: 1, executor: Any = None,
                on_start: Callable[[Derivation, int, int], None] | None = None,
                on_record: Callable[[Record], None] | None = None) -> Checked:
    """Check the proof files under ``paths``, reading back the results of unchanged files.

    The options are :func:`derive.check_paths`'s (``jobs`` is called only when a file has
    to be checked); ``on_record`` is called with each derivation's record as it is known
    (the kept ones first).  The records, and the JSON report made from them, are those a
    run of :func:`derive.check_paths` gives, timings aside.
    """
    start = time.perf_counter()
    paths = list(paths)
    run = _Run(budget, select, jobs, Path(cache_dir), executor, on_start, on_record,
               make_record)
    cache = FileCache(cache_dir, {"budget": budget})
    files = proof_files(paths)
    kept = _kept(files, cache, select)
    if len({r.id for records in kept.values() for r in records}) < sum(map(len, kept.values())):
        return run.everything(paths)  # one id in two files: let collection say so
    for record in (r for records in kept.values() for r in records):
        if on_record is not None:
            on_record(record)
    fresh = _check_missed([p for p in files if p not in kept], kept, run, cache)
    if fresh is None:
        return run.everything(paths)
    records, errors, origins = _assemble(files, kept, fresh)
    return Checked(records, errors, time.perf_counter() - start, origins,
                   unkept=tuple(run.unkept))


def _kept(files: list[Path], cache: FileCache,
          select: Callable[[str], bool] | None) -> dict[Path, list[Record]]:
    found = {}
    for path in files:
        kept = cache.get(path)
        answers = kept.answers(select) if kept is not None else None
        if answers is not None:
            found[path] = answers
    return found


_Fresh = dict[Path, tuple[list[Record], str | None]]


def _check_missed(missed: list[Path], kept: dict[Path, list[Record]], run: _Run,
                  cache: FileCache) -> _Fresh | None:
    """Check the files not kept; their records and load errors by file (``None`` when one
    of them defines a derivation a kept file defines too: then everything is checked)."""
    if not missed:
        return {}
    if len(missed) == 1:  # an edit: its checks will likely run here, start their process
        _warm_up()
    elif run.select is None and run.executor is None and (jobs := run.jobs()) > 1:
        from derive._run._parallel import Ahead, prestart

        # the workers start, import the missed files and check ahead while they are imported
        prestart(jobs, missed, Ahead.of(run.budget, run.cache_dir))
    from derive._run._collect import collect

    collected = collect(missed)
    known = {r.id for records in kept.values() for r in records}
    if any(d.id in known for f in collected for d in f.derivations):
        return None
    report = run.check(collected)
    by_id = dict(zip((r.derivation.id for r in report.results), report.results, strict=True))
    fresh: _Fresh = {}
    for proof in collected:
        results = [by_id[d.id] for d in proof.derivations if d.id in by_id]
        records = [run.make_record(r) for r in results]
        fresh[proof.path] = (records, proof.error)
        reason = _not_keepable(results)
        if proof.error is None and reason is None:
            cache.put(proof.path, KeptFile(tuple(d.id for d in proof.derivations),
                                           {r.id: r for r in records}))
        elif reason is not None:
            run.unkept.append((shown_path(proof.path), reason))
    return fresh


def _not_keepable(results: list[DerivationResult]) -> str | None:
    """Why these results may not be kept as a whole, or ``None``."""
    raised = [r.derivation.id for r in results if r.error is not None]
    lost = {r.derivation.id: r.lost for r in results if r.lost}
    if raised:
        return f"checking {', '.join(raised)} raised"
    if lost:
        return (f"{sum(lost.values())} answer(s) did not arrive (a rung ran out of time or its "
                f"worker failed, or a cross-check raised) in {', '.join(lost)}")
    return None


def _warm_up() -> None:
    """Start the checking process while the proof file is imported (once the rungs it
    preloads are known, so that their import is not charged to a budget)."""
    import derive._engine._check  # noqa: F401  (registers what checking processes preload)
    from derive._run._parallel import warm_up

    threading.Thread(target=warm_up, daemon=True).start()


def _assemble(files: list[Path], kept: dict[Path, list[Record]], fresh: _Fresh,
              ) -> tuple[tuple[Record, ...], tuple[tuple[str, str], ...], dict[str, str]]:
    """Records in collection order, load errors, and the file of each derivation."""
    records: list[Record] = []
    errors: list[tuple[str, str]] = []
    origins: dict[str, str] = {}
    for path in files:
        found, error = (kept[path], None) if path in kept else fresh[path]
        records += found
        origins.update({r.id: shown_path(path) for r in found})
        if error is not None:
            errors.append((shown_path(path), error))
    return tuple(records), tuple(errors), origins
