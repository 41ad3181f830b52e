"""Check derivations in parallel worker processes (``derive check -j N``).

The parent collects the proof files (it needs the derivations for the report) and sends
each worker ``(index, path, id, budget)`` tasks.  A worker imports the proof file by path,
checks the derivation with :func:`derive._run._safe.check_one` and sends back the result
without its :class:`~derive.Derivation` (whose cross-checks may be lambdas, which do not
pickle); the parent puts its own derivation back.  So results, and the report built from
them, are the same for any number of workers, timings aside, and come back in collection
order.

Workers are fresh interpreters (:mod:`derive._processes._spawn`), never forks: nothing of the
caller's ``__main__`` runs in them, and each can have its own pool of checking
sub-processes (:mod:`derive._processes._sandbox`).  A worker that dies takes only its current
derivation with it (an error result); a new worker replaces it.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import os
import pickle
import signal
import subprocess
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import FrameType
from typing import Any

from derive._model._derivation import Derivation
from derive._processes._spawn import start_worker
from derive._run._runner import DerivationResult

__all__ = ["Ahead", "Preload", "available_cores", "check_in_parallel", "check_on_executor",
           "check_remotely", "discard_prestarted", "prestart", "prestarted", "warm_up"]

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
    cache_dir: str | None = None


# ----------------------------------------------------------------- in the worker


def _find(path: str, ident: str) -> Derivation:
    from derive._run._collect import load_derivations

    for derivation in load_derivations(path):
        if derivation.id == ident:
            return derivation
    raise LookupError(f"{path} no longer defines derivation {ident!r}")


Answer = dict[str, Any]
"""A result without its derivation: the fields of :class:`DerivationResult` but ``derivation``
(the parent puts its own back with :func:`_with_derivation`)."""


def _check_task(task: Task) -> Answer:
    from derive._run._answers import answer_cache
    from derive._run._safe import check_one

    if str(answer_cache.directory) != str(task.cache_dir):
        answer_cache.use(task.cache_dir)
    try:
        derivation = _find(task.path, task.ident)
    except Exception as exc:  # reported as this derivation's error; the others go on
        return {"error": f"the worker process could not load it: {exc}"}
    result = check_one(derivation, task.budget)
    return {field.name: getattr(result, field.name) for field in dataclasses.fields(result)
            if field.name != "derivation"}


def _with_derivation(answer: Answer, derivation: Derivation) -> DerivationResult:
    return DerivationResult(derivation, **answer)


def _without_plot_data(answer: Answer) -> Answer:
    crosschecks = tuple(dataclasses.replace(c, data={}) for c in answer.get("crosschecks", ()))
    return {**answer, "crosschecks": crosschecks}


def _portable(answer: Answer) -> bytes:
    """The pickled answer; without plot data if that does not pickle."""
    try:
        return pickle.dumps(answer)
    except Exception:  # plot data that does not pickle: the verdicts still come back
        return pickle.dumps(_without_plot_data(answer))


def _ready() -> bool:
    return True


def warm_up() -> None:
    """Start this process's checking process (while, say, a proof file is imported)."""
    from derive._processes._sandbox import run_with_timeout

    run_with_timeout(_ready, (), 120.0)


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # a normal exit, which stops this worker's checking processes


def _serve(conn: Connection) -> None:
    """Worker loop: receive a :class:`Task` (``None`` to stop), answer ``(index, result)``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt stops
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    import derive._engine._check  # registers what checking processes preload

    threading.Thread(target=warm_up, daemon=True).start()
    import derive._run._collect
    import derive._run._safe  # noqa: F401  (before the first task arrives, if it is prestarted)

    ahead: dict[tuple[str, str, float | None, str | None], bytes] = {}
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        if isinstance(task, Preload):
            ahead.update(_preload(task, conn))
            continue
        payload = ahead.pop(_asked(task), None)
        conn.send((task.index, payload if payload is not None else _portable(_check_task(task))))


def _asked(task: Task) -> tuple[str, str, float | None, str | None]:
    """What a task's answer depends on besides the process: the same for a task checked
    ahead and the task the parent sends later."""
    return task.path, task.ident, task.budget, task.cache_dir


@dataclasses.dataclass(frozen=True)
class Preload:
    """Import these proof files now (a prestarted worker, while the parent collects them);
    with ``ahead``, then check their derivations in order, with ``budget`` and the disk
    cache in ``cache_dir``, until the parent's first task arrives."""

    paths: tuple[str, ...]
    budget: float | None = None
    cache_dir: str | None = None
    ahead: bool = False


def _preload(preload: Preload, conn: Connection) -> Iterator[tuple[Any, bytes]]:
    """Import the files; with ``preload.ahead``, the answers checked before they are asked
    for (stopping as soon as a message from the parent is waiting)."""
    from derive._run._collect import load_derivations

    found: list[tuple[str, Derivation]] = []
    for path in preload.paths:
        with contextlib.suppress(Exception):  # its task will load it again and report why
            found += [(path, d) for d in load_derivations(path)]
    if not preload.ahead:
        return
    for path, derivation in found:
        if conn.poll():
            return
        task = Task(-1, path, derivation.id, preload.budget, preload.cache_dir)
        yield _asked(task), _portable(_check_task(task))


def check_remotely(task: Task) -> bytes:
    """Check ``task`` where this runs (a dask worker, say): the pickled :data:`Answer`."""
    return _portable(_check_task(task))


# ----------------------------------------------------------------- in the parent


class _Worker:
    """A fresh interpreter running :func:`_serve` (see :mod:`derive._processes._spawn`)."""

    def __init__(self) -> None:
        self.process, self.conn = start_worker(_serve)
        self.task: Task | None = None
        self.files: set[str] = set()  # the proof files it has imported
        self.order: list[str] = []  # the files it was asked to import, in that order
        self.given = False  # a task was sent (a worker checking ahead stops when one is)
        self.stopping = False

    def preload(self, preload: Preload) -> None:
        if preload.paths:
            self.files.update(preload.paths)
            self.order += preload.paths
            self.conn.send(preload)

    def give(self, task: Task) -> None:
        self.task = task
        self.given = True
        self.files.add(task.path)
        self.conn.send(task)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def ask_to_stop(self) -> None:
        """Ask the worker to stop once it is idle (it stops its checking processes first)."""
        if not self.stopping:
            self.stopping = True
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)

    def kill(self) -> None:
        """Kill it at once (its checking processes die with it)."""
        self.process.kill()
        self.process.wait()
        self.conn.close()

    def stop(self) -> None:
        if not self.given:  # it may be checking ahead, for nothing now: it holds nothing
            self.kill()
            return
        self.ask_to_stop()
        try:
            self.process.wait(timeout=_STOP_GRACE)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.conn.close()


class _Spares:
    """Workers started before their tasks are known (see :func:`prestart`); thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []

    def start(self, count: int, files: Sequence[Path] = (), ahead: Ahead | None = None) -> None:
        with self._lock:
            fresh = [_Worker() for _ in range(count - len(self._workers))]
            self._workers += fresh
        for worker, share in zip(fresh, _shares(files, len(fresh)), strict=False):
            if ahead is None:
                worker.preload(Preload(tuple(share)))
            else:
                worker.preload(Preload(tuple(share), ahead.budget, ahead.cache_dir, True))

    def take(self, count: int) -> list[_Worker]:
        """Up to ``count`` of the spare workers still alive; the others are killed (they hold
        nothing yet, and their checking processes die with them)."""
        with self._lock:
            workers, self._workers = self._workers, []
        alive = [w for w in workers if w.alive]
        for worker in [w for w in workers if w not in alive[:count]]:
            worker.kill()
        return alive[:count]

    def stop_all(self) -> None:
        self.take(0)

    def __bool__(self) -> bool:
        with self._lock:
            return bool(self._workers)


_SPARES = _Spares()
atexit.register(_SPARES.stop_all)


@dataclasses.dataclass(frozen=True)
class Ahead:
    """The options the derivations will be checked with (:class:`Task`'s ``budget`` and
    ``cache_dir``), for workers that check them before they are asked to."""

    budget: float | None
    cache_dir: str | None

    @classmethod
    def of(cls, budget: float | None, cache_dir: str | Path | None) -> Ahead:
        """As a :class:`Task` names the cache folder (``str(Path(cache_dir))``)."""
        return cls(budget, str(Path(cache_dir)) if cache_dir is not None else None)


def prestart(jobs: int, files: Sequence[Path] = (), ahead: Ahead | None = None) -> None:
    """Start ``jobs`` workers now, so that their start-up (an interpreter, SymPy, a checking
    process) overlaps the collection of the proof files; each imports its share of ``files``
    meanwhile, and is then given their derivations first, in the order of its share.

    With ``ahead``, each worker then checks its share's derivations with those options, in
    that order, until it is sent its first task: a task it has already checked is answered
    at once.  (A task with other options is checked anew, so the report is the same.)
    :func:`check_in_parallel` uses the workers; those it does not use are killed (at exit,
    or by :func:`discard_prestarted`)."""
    _SPARES.start(jobs, files, ahead)


def discard_prestarted() -> None:
    """Kill the prestarted workers no check has taken (the derivations are checked here)."""
    _SPARES.stop_all()


def prestarted() -> bool:
    """Whether :func:`prestart` started workers that no check has taken yet."""
    return bool(_SPARES)


def _shares(files: Sequence[Path], count: int) -> list[list[str]]:
    """``files`` split into ``count`` shares of about equal size in bytes (largest first, each
    to the lightest share so far)."""
    shares: list[list[str]] = [[] for _ in range(count)]
    weights = [0] * count
    if count < 1:
        return shares
    for path in sorted(files, key=_size, reverse=True):
        lightest = weights.index(min(weights))
        shares[lightest].append(str(Path(path).resolve()))
        weights[lightest] += _size(path)
    return shares


def _size(path: Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def _worker_died(worker: _Worker) -> Answer:
    try:
        code = worker.process.wait(timeout=_STOP_GRACE)
    except subprocess.TimeoutExpired:
        code = None
    return {"error": f"the worker process checking it died (exit code {code})"}


class _Scheduler:
    """Hands tasks to idle workers and collects their answers.

    A worker is given, first, a task of a proof file it has already imported (its
    prestarted share first, in the order it checks ahead in); else the first task of a file
    no worker has started; else a task of the file with the most tasks left.  So each file
    is imported by as few workers as the load allows.  A worker with nothing left to do is
    asked to stop at once, so that its exit overlaps the others' work.
    """

    def __init__(self, tasks: Sequence[Task], jobs: int) -> None:
        self.queue = deque(tasks)
        count = min(jobs, len(tasks))
        self.workers = _SPARES.take(count)
        self.workers += [_Worker() for _ in range(count - len(self.workers))]

    def dispatch(self, started: Callable[[Task], None]) -> None:
        for worker in self.workers:
            if worker.task is not None or worker.stopping:
                continue
            if not self.queue:
                worker.ask_to_stop()
                continue
            task = self._next_for(worker)
            self.queue.remove(task)
            worker.give(task)
            started(task)

    def _next_for(self, worker: _Worker) -> Task:
        first: dict[str, Task] = {}
        for task in self.queue:
            first.setdefault(task.path, task)
        mine = next((first[p] for p in worker.order if p in first), None)
        mine = mine or next((t for t in self.queue if t.path in worker.files), None)
        if mine is not None:
            return mine
        touched = {path for w in self.workers for path in w.files}
        untouched = next((t for t in self.queue if t.path not in touched), None)
        if untouched is not None:
            return untouched
        left = Counter(t.path for t in self.queue)
        fullest = max(left, key=lambda path: left[path])
        return next(t for t in self.queue if t.path == fullest)

    def busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.task is not None]

    def collect(self) -> list[tuple[Task, Answer]]:
        """Wait for at least one busy worker to answer (or die: its socket then reads as
        closed); its task and result."""
        busy = self.busy()
        ready = set(wait([w.conn for w in busy]))
        return [(task, self._answer(worker)) for worker in busy
                if worker.conn in ready and (task := worker.task) is not None]

    def _answer(self, worker: _Worker) -> Answer:
        try:
            if worker.conn.poll():
                _index, payload = worker.conn.recv()
                worker.task = None
                answer: Answer = pickle.loads(payload)
                return answer
        except (EOFError, OSError):
            pass
        result = _worker_died(worker)
        self._replace(worker)
        return result

    def _replace(self, worker: _Worker) -> None:
        worker.conn.close()
        self.workers[self.workers.index(worker)] = _Worker()

    def close(self) -> None:
        """Stop every worker; one still checking (after an interrupt) is terminated.  All are
        asked first, then waited for, so that they stop together."""
        for worker in self.workers:
            if worker.task is not None and worker.alive:
                worker.process.terminate()
            worker.ask_to_stop()
        for worker in self.workers:
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
    tasks = _tasks(chosen, budget)
    results: list[Any] = [None] * len(tasks)

    def started(task: Task) -> None:
        if on_start is not None:
            on_start(derivations[task.index], task.index + 1, len(tasks))

    scheduler = _Scheduler(tasks, jobs)
    try:
        while scheduler.queue or scheduler.busy():
            scheduler.dispatch(started)
            for task, answer in scheduler.collect():
                results[task.index] = _with_derivation(answer, derivations[task.index])
                if on_result is not None:
                    on_result(results[task.index])
    finally:
        scheduler.close()
    return results


def _tasks(chosen: Sequence[tuple[Derivation, Path]], budget: float | None) -> list[Task]:
    from derive._run._answers import answer_cache

    folder = str(answer_cache.directory) if answer_cache.directory is not None else None
    return [Task(k, str(Path(p).resolve()), d.id, budget, folder)
            for k, (d, p) in enumerate(chosen)]


def check_on_executor(chosen: Sequence[tuple[Derivation, Path]], executor: Any,
                      budget: float | None = None,
                      on_start: Callable[[Derivation, int, int], None] | None = None,
                      on_result: Callable[[DerivationResult], None] | None = None,
                      ) -> list[DerivationResult]:
    """Check ``chosen`` on ``executor``: anything with ``submit(fn, arg) -> future`` whose
    futures have ``result()``, such as a ``distributed.Client``.

    Each ``(file, derivation)`` task runs :func:`check_remotely` on a worker, which must be
    able to import derive and read the proof file at the same path (a shared file system,
    or the same checkout on every machine); a worker that shares the disk cache folder uses
    it.  Results come back in collection order (``on_result`` too), the same as ``-j 1``,
    timings aside.
    """
    derivations = [d for d, _ in chosen]
    futures = []
    for task in _tasks(chosen, budget):
        futures.append(executor.submit(check_remotely, task, pure=False)
                       if _is_dask(executor) else executor.submit(check_remotely, task))
        if on_start is not None:
            on_start(derivations[task.index], task.index + 1, len(chosen))
    results = []
    for derivation, future in zip(derivations, futures, strict=True):
        results.append(_with_derivation(_received(future), derivation))
        if on_result is not None:
            on_result(results[-1])
    return results


def _is_dask(executor: Any) -> bool:
    return type(executor).__module__.startswith("distributed")


def _received(future: Any) -> Answer:
    try:
        answer: Answer = pickle.loads(future.result())
    except Exception as exc:  # the worker died or the task was lost: this derivation only
        return {"error": f"the executor could not check it: {exc!r}"}
    return answer
