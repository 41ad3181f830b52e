"""Entry point of a worker process, :func:`main` (started by :mod:`derive._processes._spawn`).

The worker reads the parent's ``sys.path``, then the loop to run on the socket it
inherited as file descriptor ``FD``: :func:`serve` for checking workers
(:mod:`derive._processes._sandbox`), or the loop of a ``derive check -j`` worker.
It is a fresh interpreter: nothing of the parent's ``__main__`` runs in it.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib
import os
import signal
import sys
import traceback
from multiprocessing.connection import Connection

_PR_SET_PDEATHSIG = 1


def serve(conn: Connection) -> None:
    """Import the modules the parent names first (so their import is not charged to a call),
    then receive ``(fn, args)`` and answer ``(ok, payload)`` until the parent hangs up."""
    for name in conn.recv():
        importlib.import_module(name)
    while True:
        try:
            fn, args = conn.recv()
        except EOFError:
            return
        try:
            conn.send((True, fn(*args)))
        except Exception as exc:  # reported to the parent, never raised there
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            conn.send((False, detail))


def die_with_parent() -> None:
    """On Linux, ask for SIGKILL when the parent process dies, so no worker outlives it
    (a ``simplify`` that runs for hours would otherwise go on after the parent is killed)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def main(argv: list[str]) -> None:
    die_with_parent()
    conn = Connection(int(argv[1]))
    sys.path[:] = conn.recv()
    run = conn.recv()  # serve below, or another module-level loop such as derive._run._parallel's
    run(conn)
    _exit_now()


def _exit_now() -> None:
    """Exit without tearing down the interpreter: the exit handlers run (the checking
    processes are stopped) and output is flushed, but freeing every module's objects one by
    one, most of a second with SymPy loaded, is skipped (the system frees the memory)."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv)
