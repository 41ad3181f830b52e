"""Checking workers forked from a template interpreter that has already imported what they need.

A fresh interpreter that imports SymPy and the checking rungs costs more than a second of CPU,
and a worker is replaced each time a rung runs out of time and is killed.  So on Linux a pool
keeps one *template*: a fresh interpreter, started like any worker
(:mod:`derive._processes._spawn`, so nothing of the caller's ``__main__`` is in it), that
imports the preloaded modules once and then forks a worker on each request.  A forked worker
starts in milliseconds with those modules imported, and its state is the template's (nothing
an earlier worker computed).  The template is single-threaded (BLAS is held to one thread)
when it forks.  Elsewhere every worker is a fresh interpreter.

Each forked worker asks for ``SIGKILL`` when the template dies, and the template when its
parent dies, so no worker outlives the process that started it.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle

from derive._processes._spawn import start_worker
from derive._processes._worker import die_with_parent, serve

__all__ = ["ForkedProcess", "Template", "forking_supported"]

_ONE_THREAD = dict.fromkeys(("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"), "1")
_REAP_INTERVAL = 0.2
_START_LIMIT = 120.0


def forking_supported() -> bool:
    """Whether workers are forked from a template (Linux), not started as fresh interpreters."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _state(pid: int) -> str | None:
    """The state letter of process ``pid`` in ``/proc`` (``Z`` for a zombie), or None if gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError, UnicodeDecodeError):
        return None


class ForkedProcess:
    """A worker the template forked: the part of :class:`subprocess.Popen` the pool uses.

    The template, its parent, reaps it; here it is running until it is gone or a zombie.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def poll(self) -> int | None:
        """``None`` while the process runs, else ``0`` (its exit status goes to the template)."""
        return None if _state(self.pid) not in (None, "Z") else 0

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int:
        """Wait until the process has exited; :class:`subprocess.TimeoutExpired` after
        ``timeout`` seconds."""
        deadline = None if timeout is None else time.perf_counter() + timeout
        while self.poll() is None:
            if deadline is not None and time.perf_counter() > deadline:
                raise subprocess.TimeoutExpired(f"process {self.pid}", timeout or 0.0)
            time.sleep(0.005)
        return 0


# ----------------------------------------------------------------- in the template


def _reap(running: set[int]) -> None:
    """Collect the exit status of every forked worker that has exited (and forget its pid,
    which the system may give to another process)."""
    with contextlib.suppress(ChildProcessError):
        while (pid := os.waitpid(-1, os.WNOHANG)[0]) != 0:
            running.discard(pid)


def _run_forked(template: Connection, sock: socket.socket, template_pid: int) -> None:
    """In the forked child: serve checking calls on ``sock``; never returns."""
    code = 0
    try:
        template.close()
        die_with_parent()
        if os.getppid() != template_pid:  # the template died before the request above
            os._exit(1)
        serve(Connection(sock.detach()))
    except BaseException:  # a forked child must never return into the template's loop
        code = 1
    finally:
        os._exit(code)


def _fork_worker(conn: Connection) -> int:
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        ours.close()
        _run_forked(conn, theirs, os.getppid())
    theirs.close()
    conn.send(pid)
    send_handle(conn, ours.fileno(), pid)
    ours.close()
    return pid


def _end_all(pids: set[int]) -> None:
    """Kill and collect every worker forked, so that their CPU time is counted in this
    process's children (and so in its parent's) when the template exits."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    for pid in pids:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def serve_template(conn: Connection) -> None:
    """The template's loop: import the modules named, then fork a worker per request
    (``None`` or a closed connection stops it, and the workers it forked)."""
    for name in conn.recv():
        importlib.import_module(name)
    conn.send(True)
    forked: set[int] = set()
    try:
        while True:
            _reap(forked)
            if not conn.poll(_REAP_INTERVAL):
                continue
            try:
                request = conn.recv()
            except EOFError:
                return
            if request is None:
                return
            forked.add(_fork_worker(conn))
    finally:
        _end_all(forked)


# ----------------------------------------------------------------- in the parent


class Template:
    """The template of one pool, started on the first :meth:`fork`; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None

    def fork(self, modules: list[str]) -> tuple[ForkedProcess, Connection] | None:
        """A new worker with ``modules`` imported, or ``None`` if the template failed (the
        caller then starts a fresh interpreter)."""
        with self._lock:
            try:
                conn = self._started(modules)
                conn.send("fork")
                pid = conn.recv()
                handle = recv_handle(conn)
            except (OSError, EOFError, ValueError):
                self._stop()
                return None
        return ForkedProcess(pid), Connection(handle)

    def _started(self, modules: list[str]) -> Connection:
        if self._process is not None and self._conn is not None and self._process.poll() is None:
            return self._conn
        self._stop()
        self._process, self._conn = start_worker(serve_template, _ONE_THREAD)
        self._conn.send(list(modules))
        if not self._conn.poll(_START_LIMIT):
            raise OSError("the template process did not start")
        self._conn.recv()
        return self._conn

    def _stop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError, ValueError):
                self._conn.send(None)
            self._conn.close()
        if self._process is not None:
            try:
                self._process.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process, self._conn = None, None

    def stop(self) -> None:
        """Stop the template (workers it forked are stopped by their pool)."""
        with self._lock:
            self._stop()
