"""Check derivations in parallel worker processes (``derive check -j N``).

The parent collects the proof files (it needs the derivations for the report) and sends
each worker ``(index, path, id, budget)`` tasks.  A worker imports the proof file by path,
checks the derivation with :func:`derive._report.check_one` and sends back the result
without its :class:`~derive.Derivation` (whose cross-checks may be lambdas, which do not
pickle); the parent puts its own derivation back.  So results, and the report built from
them, are the same for any number of workers, timings aside, and come back in collection
order.

Workers are started from a ``forkserver`` context (``spawn`` where there is none), never
``fork``, and are *not* daemonic: each has its own pool of checking sub-processes
(:mod:`derive._sandbox`), and daemonic processes may not have children.  A worker that
dies takes only its current derivation with it (an error result); a new worker replaces it.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pickle
import signal
import threading
from collections import deque
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, Callable, Sequence

from ._derivation import Derivation
from ._runner import DerivationResult

__all__ = ["available_cores", "check_in_parallel"]

_PRELOAD = ["derive._report", "derive._rungs"]
_STOP_GRACE = 5.0


def available_cores() -> int:
    """The cores this process may run on (``os.sched_getaffinity``, else ``os.cpu_count``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclasses.dataclass(frozen=True)
class Task:
    """Check derivation ``ident`` of the proof file ``path``; ``index`` orders the results."""

    index: int
    path: str
    ident: str
    budget: float | None


# ----------------------------------------------------------------- in the worker


def _find(path: str, ident: str) -> Derivation:
    from ._collect import load_derivations

    for derivation in load_derivations(path):
        if derivation.id == ident:
            return derivation
    raise LookupError(f"{path} no longer defines derivation {ident!r}")


def _check_task(task: Task) -> DerivationResult:
    from ._report import ErrorResult, check_one

    try:
        derivation = _find(task.path, task.ident)
    except Exception as exc:  # reported as this derivation's error; the others go on
        return ErrorResult(None, (), None, (), (), 0.0,
                           error=f"the worker process could not load it: {exc}")
    return check_one(derivation, task.budget)


def _without_plot_data(result: DerivationResult) -> DerivationResult:
    crosschecks = tuple(dataclasses.replace(c, data={}) for c in result.crosschecks)
    return dataclasses.replace(result, crosschecks=crosschecks)


def _portable(result: DerivationResult) -> bytes:
    """The pickled result without its derivation; without plot data if that does not pickle."""
    bare = dataclasses.replace(result, derivation=None)
    try:
        return pickle.dumps(bare)
    except Exception:  # plot data that does not pickle: the verdicts still come back
        return pickle.dumps(_without_plot_data(bare))


def _ready() -> bool:
    return True


def _warm_up() -> None:
    """Start this worker's checking process while its first proof file is imported."""
    from ._sandbox import run_with_timeout

    run_with_timeout(_ready, (), 120.0)


def _exit_on_sigterm(signum, frame) -> None:
    raise SystemExit(128 + signum)  # a normal exit, which stops this worker's checking processes


def _serve(conn) -> None:
    """Worker loop: receive a :class:`Task` (``None`` to stop), answer ``(index, result)``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt stops
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    threading.Thread(target=_warm_up, daemon=True).start()
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        conn.send((task.index, _portable(_check_task(task))))


# ----------------------------------------------------------------- in the parent


def _context(proof_modules: Sequence[str]) -> multiprocessing.context.BaseContext:
    """A forkserver that has imported derive and the proof modules once for all workers.

    (If this process's forkserver already runs, it keeps what it preloaded, and each
    worker imports the proof files it needs itself.)
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([*_PRELOAD, *proof_modules])
        return ctx
    return multiprocessing.get_context("spawn")


def _module_names(paths: Sequence[str]) -> list[str]:
    """The names under which :mod:`derive._collect` imported these proof files."""
    from ._collect import _package_root

    return list(dict.fromkeys(_package_root(Path(p))[1] for p in paths))


class _Worker:
    def __init__(self, ctx) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child,), daemon=False,
                                   name="derive-check-worker")
        self.process.start()
        child.close()
        self.task: Task | None = None

    def give(self, task: Task) -> None:
        self.task = task
        self.conn.send(task)

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(timeout=_STOP_GRACE)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _worker_died(worker: _Worker) -> DerivationResult:
    from ._report import ErrorResult

    worker.process.join(timeout=_STOP_GRACE)
    code = worker.process.exitcode
    return ErrorResult(None, (), None, (), (), 0.0,
                       error=f"the worker process checking it died (exit code {code})")


class _Scheduler:
    """Hands tasks to idle workers and collects their answers."""

    def __init__(self, tasks: Sequence[Task], jobs: int) -> None:
        self.ctx = _context(_module_names([task.path for task in tasks]))
        self.queue = deque(tasks)
        self.workers = [_Worker(self.ctx) for _ in range(min(jobs, len(tasks)))]

    def dispatch(self, started: Callable[[Task], None]) -> None:
        for worker in self.workers:
            if worker.task is None and self.queue:
                worker.give(self.queue.popleft())
                started(worker.task)

    def busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.task is not None]

    def collect(self) -> list[tuple[Task, DerivationResult]]:
        """Wait for at least one busy worker to answer (or die); its task and result."""
        busy = self.busy()
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
        done = []
        for worker in busy:
            if worker.conn in ready or worker.process.sentinel in ready:
                done.append((worker.task, self._answer(worker)))
        return done

    def _answer(self, worker: _Worker) -> DerivationResult:
        try:
            if worker.conn.poll():
                _index, payload = worker.conn.recv()
                worker.task = None
                return pickle.loads(payload)
        except (EOFError, OSError):
            pass
        result = _worker_died(worker)
        self._replace(worker)
        return result

    def _replace(self, worker: _Worker) -> None:
        worker.conn.close()
        self.workers[self.workers.index(worker)] = _Worker(self.ctx)

    def close(self) -> None:
        """Stop every worker; one still checking (after an interrupt) is terminated."""
        for worker in self.workers:
            if worker.task is not None and worker.process.is_alive():
                worker.process.terminate()
            worker.stop()


def check_in_parallel(chosen: Sequence[tuple[Derivation, Path]], jobs: int,
                      budget: float | None = None,
                      on_start: Callable[[Derivation, int, int], None] | None = None,
                      on_result: Callable[[DerivationResult], None] | None = None,
                      ) -> list[DerivationResult]:
    """Check ``chosen`` (derivation, proof file) pairs in ``jobs`` worker processes.

    ``on_start(derivation, k, total)`` is called when the k-th (1-based, collection order)
    is handed to a worker, ``on_result(result)`` as each one finishes (in the order they
    finish).  The returned results are in collection order.
    """
    derivations = [d for d, _ in chosen]
    tasks = [Task(k, str(Path(p).resolve()), d.id, budget) for k, (d, p) in enumerate(chosen)]
    results: list[Any] = [None] * len(tasks)

    def started(task: Task) -> None:
        if on_start is not None:
            on_start(derivations[task.index], task.index + 1, len(tasks))

    scheduler = _Scheduler(tasks, jobs)
    try:
        while scheduler.queue or scheduler.busy():
            scheduler.dispatch(started)
            for task, bare in scheduler.collect():
                results[task.index] = dataclasses.replace(bare,
                                                          derivation=derivations[task.index])
                if on_result is not None:
                    on_result(results[task.index])
    finally:
        scheduler.close()
    return results
