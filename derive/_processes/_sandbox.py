"""Run a function in a child process that can be killed when its time runs out.

A call's budget is CPU time of the worker process where the system reports it
(Linux ``/proc``), so that a busy machine or ``derive check -j N`` does not turn
a proof into a timeout; wall-clock time is capped at :data:`WALL_FACTOR` times
the budget.  Elsewhere the budget is wall-clock time.

SymPy's ``simplify`` can run for hours, and signal-based timeouts only work in
the main thread.  A child process works in any thread, under pytest, and can be
killed: :func:`run_with_timeout` sends ``fn(*args)`` to an idle worker, waits at
most ``timeout`` seconds and kills the worker if it has not answered.  Workers
are reused between calls, and a killed one is replaced by a fork of a template
that has SymPy imported (:mod:`derive._processes._template`), so SymPy is
imported once per pool, not per check or per worker.  Neither a worker nor its
template is a fork of the caller or a multiprocessing child (the template is a
fresh interpreter, :mod:`derive._processes._spawn`), so nothing of the caller's
``__main__`` runs in them: a script without an ``if __name__ == "__main__"``
guard, ``python -`` and notebooks all work.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import pickle
import subprocess
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from derive._processes._spawn import start_worker
from derive._processes._template import ForkedProcess, Template, forking_supported
from derive._processes._worker import serve

__all__ = ["Outcome", "preload", "run_with_timeout", "shutdown"]

_PRELOAD: list[str] = []


def preload(module: str) -> None:
    """Have every checking worker import ``module`` as it starts, before its first call, so
    that the import is part of the worker's start-up and not charged to a budget."""
    if module not in _PRELOAD:
        _PRELOAD.append(module)


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What a sandboxed call gave: a value, an error message, or a timeout."""

    value: Any = None
    error: str | None = None
    timed_out: bool = False
    startup: float = 0.0  # seconds spent starting a worker, not charged to the call
    idle: float = 0.0  # wall-clock seconds the call waited while the worker had no CPU

    @property
    def ok(self) -> bool:
        return self.error is None and not self.timed_out


def _ping() -> bool:
    return True


_STARTUP_LIMIT = 120.0

WALL_FACTOR = 3.0
"""A call may take this many times its budget in wall-clock time when the machine is busy."""

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of process ``pid`` (Linux ``/proc``), or None if unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError, UnicodeDecodeError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


class _Worker:
    """A process serving calls (:func:`derive._processes._worker.serve`): forked from the
    pool's template where :func:`~derive._processes._template.forking_supported`, else a fresh
    interpreter."""

    def __init__(self, template: Template) -> None:
        forked = template.fork(list(_PRELOAD)) if forking_supported() else None
        self.process: subprocess.Popen[bytes] | ForkedProcess
        self.process, self.conn = forked or start_worker(serve)
        self.conn.send(list(_PRELOAD))
        self.idle = 0.0  # of the current call: see Outcome.idle
        self.ready = False

    def wait_until_ready(self) -> None:
        """Block until the worker answers (imports done), so start-up is not charged to a call."""
        if not self.call(_ping, (), _STARTUP_LIMIT).ok:
            raise OSError("a checking worker process did not start")
        self.ready = True

    def call(self, fn: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Outcome:
        try:
            self.conn.send((fn, args))
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            return Outcome(error=f"the expression cannot be sent to a worker: {exc}")
        self.idle = 0.0
        if not self._answered_within(max(timeout, 0.0)):
            self.kill()
            return Outcome(timed_out=True, idle=self.idle)
        try:
            ok, payload = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            return Outcome(error="the worker process died")
        if ok:
            return Outcome(value=payload, idle=self.idle)
        return Outcome(error=payload, idle=self.idle)

    def _answered_within(self, budget: float) -> bool:
        """Wait for the answer while the worker has used less than ``budget`` CPU seconds
        (and less than ``WALL_FACTOR * budget`` seconds have passed).

        A single-threaded worker cannot use more CPU time than wall time, so waiting
        for the CPU time still left never overshoots it.
        """
        start, used_before = time.perf_counter(), _cpu_seconds(self.process.pid)
        while True:
            waited = time.perf_counter() - start
            used = self._cpu_used(used_before, waited)
            self.idle = max(0.0, waited - used)
            left = min(budget - used, WALL_FACTOR * budget - waited)
            if left <= 0:
                return self.conn.poll(0)
            if self.conn.poll(left):
                return True

    def _cpu_used(self, before: float | None, waited: float) -> float:
        if before is None:
            return waited
        now = _cpu_seconds(self.process.pid)
        return waited if now is None else now - before

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=5)
        self.conn.close()


class _Pool:
    """Idle workers, created on demand, shared by all threads of this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._all: weakref.WeakSet[_Worker] = weakref.WeakSet()  # busy ones too
        self._template = Template()

    def acquire(self) -> tuple[_Worker, float]:
        """An idle worker, or a new one once it is ready; and the seconds spent starting it."""
        with self._lock:
            worker = next((w for w in reversed(self._idle) if w.alive), None)
            self._idle = [w for w in self._idle if w.alive and w is not worker]
        start = time.perf_counter()
        worker = worker or self._new()
        if not worker.ready:
            worker.wait_until_ready()
        return worker, time.perf_counter() - start

    def prestart(self) -> None:
        """Start a worker now, so that it imports SymPy while the caller goes on."""
        worker = self._new()
        with self._lock:
            self._idle.insert(0, worker)

    def _new(self) -> _Worker:
        worker = _Worker(self._template)
        with self._lock:
            self._all.add(worker)
        return worker

    def release(self, worker: _Worker) -> None:
        if worker.alive and not worker.conn.closed:
            with self._lock:
                self._idle.append(worker)

    def shutdown(self) -> None:
        """Stop every worker, idle or busy (at exit, or after an interrupt)."""
        with self._lock:
            workers, self._idle = list(self._all), []
        for worker in workers:
            if worker.alive:
                worker.kill()
        self._template.stop()


_POOL = _Pool()
atexit.register(_POOL.shutdown)


def run_with_timeout(fn: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Outcome:
    """Call ``fn(*args)`` in a worker process; give up after ``timeout`` seconds.

    ``fn`` must be a module-level function and ``args`` picklable.  An
    exception inside ``fn`` comes back as ``Outcome.error`` (its message only).
    Starting a new worker (once per process, or after a kill) is not counted in
    ``timeout``; the time it took is ``Outcome.startup``.
    """
    if timeout <= 0:
        return Outcome(timed_out=True)
    try:
        worker, startup = _POOL.acquire()
    except OSError as exc:
        return Outcome(error=str(exc))
    try:
        outcome = worker.call(fn, args, timeout)
    except (OSError, EOFError, BrokenPipeError) as exc:
        worker.kill()
        return Outcome(error=f"the worker process failed: {exc}", startup=startup)
    if outcome.timed_out:
        _POOL.prestart()  # the killed worker's successor
    else:
        _POOL.release(worker)
    return dataclasses.replace(outcome, startup=startup)


def shutdown() -> None:
    """Stop every worker (they also stop when the interpreter exits, and on Linux when
    this process is killed)."""
    _POOL.shutdown()
