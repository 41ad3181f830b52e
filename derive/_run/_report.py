"""A checked set of proof files, and its JSON form (the machine-readable contract)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from derive._base._errors import InvalidArgumentValue, describe
from derive._base._store import CacheMiss, answers_only
from derive._model._derivation import Derivation
from derive._run._answers import answer_cache
from derive._run._collect import ProofFile, collect
from derive._run._files import proof_files, shown_path
from derive._run._records import SCHEMA, environment, report_dict, summarize
from derive._run._runner import DerivationResult
from derive._run._safe import check_one

__all__ = ["SCHEMA", "Report", "check_collected", "check_paths", "environment"]


@dataclasses.dataclass(frozen=True)
class Report:
    """The results of every derivation found, and the files that failed to load.

    ``files`` maps a derivation's id to the proof file that defines it.
    """

    results: tuple[DerivationResult, ...]
    load_errors: tuple[tuple[str, str], ...]
    seconds: float
    files: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        """Every derivation meets its expectation and every proof file loaded."""
        return not self.load_errors and all(r.meets_expectation for r in self.results)

    def summary(self) -> dict[str, Any]:
        facts = ((r.verdict.value, r.meets_expectation, r.derivation.expected.is_erratum,
                  r.error is not None) for r in self.results)
        return summarize(facts, len(self.load_errors), self.seconds)

    def to_dict(self) -> dict[str, Any]:
        return report_dict([self._entry(r) for r in self.results], self.summary(),
                           self.load_errors)

    def _entry(self, result: DerivationResult) -> dict[str, Any]:
        entry = result.to_dict()
        entry.setdefault("error", None)
        entry["file"] = self.files.get(result.derivation.id)
        return entry

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


def check_paths(paths: Iterable[str | Path], *, budget: float | None = None,
                select: Callable[[str], bool] | None = None,
                on_result: Callable[[DerivationResult], None] | None = None,
                on_start: Callable[[Derivation, int, int], None] | None = None,
                jobs: int = 1, cache_dir: str | Path | None = None,
                executor: Any = None) -> Report:
    """Collect the derivations under ``paths`` and check each one with :func:`check_one`.

    ``select(id)`` chooses derivations; ``on_start(derivation, k, total)`` is called
    before the k-th (1-based) and ``on_result(result)`` after it.  With ``jobs`` > 1
    the derivations are checked in that many worker processes
    (:func:`derive._run._parallel.check_in_parallel`): ``on_result`` is then called in the
    order they finish, and the report is the same as with ``jobs=1``, timings aside.

    ``cache_dir`` keeps the answers on disk there (:class:`derive.AnswerCache`; default:
    the folder :data:`derive.answer_cache` uses, none unless set).  With a disk cache and
    workers not yet started, the derivations whose every answer is kept are done here
    first, and workers are started only for the others (none when nothing changed);
    workers started while the files were collected answer from the cache themselves.

    ``executor`` (a ``distributed.Client``, or anything with ``submit``) checks the
    derivations there instead of in ``jobs`` local processes
    (:func:`derive._run._parallel.check_on_executor`); the report is the same.
    """
    start = time.perf_counter()
    paths = list(paths)
    if executor is None and select is None and _jobs(jobs) > 1:
        from derive._run._parallel import Ahead, prestart

        folder = cache_dir if cache_dir is not None else answer_cache.directory
        # the workers start, import their files and check ahead while the files are imported
        prestart(jobs, proof_files(paths), Ahead.of(budget, folder))
    with answer_cache.using(cache_dir) if cache_dir is not None else contextlib.nullcontext():
        files = collect(paths)
        report = check_collected(files, budget=budget, select=select, on_result=on_result,
                                 on_start=on_start, jobs=jobs, executor=executor)
    return dataclasses.replace(report, seconds=time.perf_counter() - start)


def check_collected(files: Sequence[ProofFile], *, budget: float | None = None,
                    select: Callable[[str], bool] | None = None,
                    on_result: Callable[[DerivationResult], None] | None = None,
                    on_start: Callable[[Derivation, int, int], None] | None = None,
                    jobs: int = 1, executor: Any = None) -> Report:
    """:func:`check_paths` for proof files already collected, with the answer cache in use."""
    start = time.perf_counter()
    chosen = [(d, f.path) for f in files for d in f.derivations
              if select is None or select(d.id)]
    results = _check_chosen(chosen, _jobs(jobs), budget, on_start, on_result, executor)
    errors = tuple((shown_path(f.path), f.error) for f in files if f.error)
    origins = {d.id: shown_path(p) for d, p in chosen}
    return Report(tuple(results), errors, time.perf_counter() - start, origins)


def _check_chosen(chosen: list[tuple[Derivation, Path]], jobs: int, budget: float | None,
                  on_start: Callable[[Derivation, int, int], None] | None,
                  on_result: Callable[[DerivationResult], None] | None,
                  executor: Any = None) -> list[DerivationResult]:
    if executor is None and (jobs == 1 or len(chosen) < 2):
        _discard_prestarted()
        return _check_serially(chosen, budget, on_start, on_result)
    from derive._run._parallel import check_in_parallel, check_on_executor

    results: list[DerivationResult | None] = [None] * len(chosen)
    if answer_cache.directory is not None and (executor is not None or not _prestarted()):
        for k, result in _answered(chosen, budget):
            results[k] = result
            if on_result is not None:
                on_result(result)
    left = [k for k, result in enumerate(results) if result is None]
    if executor is None and len(left) < 2:  # a worker would only add its start-up
        _discard_prestarted()
        fresh = _check_serially([chosen[k] for k in left], budget, on_start, on_result)
    elif executor is not None:
        fresh = check_on_executor([chosen[k] for k in left], executor, budget, on_start,
                                  on_result)
    else:
        fresh = check_in_parallel([chosen[k] for k in left], jobs, budget, on_start, on_result)
    for k, result in zip(left, fresh, strict=True):
        results[k] = result
    return [r for r in results if r is not None]


def _answered(chosen: list[tuple[Derivation, Path]],
              budget: float | None) -> Iterator[tuple[int, DerivationResult]]:
    """The derivations whose every rung's answer is in the cache, checked here from the cache
    (a cross-check that is not kept runs here too: cross-checks are short, and a worker
    would first have to start and import the proof file)."""
    for k, (derivation, _path) in enumerate(chosen):
        try:
            with answers_only():
                result = check_one(derivation, budget)
        except CacheMiss:
            continue
        yield k, result


def _prestarted() -> bool:
    """Whether workers were started during collection (:func:`derive._run._parallel.prestart`):
    they then answer from the cache as cheaply as this process would, while it waits."""
    from derive._run._parallel import prestarted

    return prestarted()


def _discard_prestarted() -> None:
    from derive._run._parallel import discard_prestarted

    discard_prestarted()


def _jobs(jobs: Any) -> int:
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise InvalidArgumentValue(f"jobs must be a whole number >= 1, got {describe(jobs)}")
    return jobs


def _check_serially(chosen: Sequence[tuple[Derivation, Path]], budget: float | None,
                    on_start: Callable[[Derivation, int, int], None] | None,
                    on_result: Callable[[DerivationResult], None] | None,
                    ) -> list[DerivationResult]:
    results: list[DerivationResult] = []
    for k, (derivation, _path) in enumerate(chosen, start=1):
        if on_start is not None:
            on_start(derivation, k, len(chosen))
        results.append(check_one(derivation, budget))
        if on_result is not None:
            on_result(results[-1])
    return results
