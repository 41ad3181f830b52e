"""Entry point of a checking worker process: ``python -m derive._worker FD``.

The worker reads the parent's ``sys.path`` first, then serves calls (see
:mod:`derive._sandbox`) on the socket it inherited as file descriptor ``FD``.
It is a fresh interpreter: nothing of the parent's ``__main__`` runs in it.
"""

from __future__ import annotations

import ctypes
import signal
import sys
import traceback
from multiprocessing.connection import Connection

_PR_SET_PDEATHSIG = 1


def serve(conn: Connection) -> None:
    """Receive ``(fn, args)``, answer ``(ok, payload)``, until the parent hangs up."""
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


def _die_with_parent() -> None:
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
    _die_with_parent()
    conn = Connection(int(argv[1]))
    sys.path[:] = conn.recv()
    import derive._rungs  # noqa: F401  (the checking code, imported before the first call)

    serve(conn)


if __name__ == "__main__":
    main(sys.argv)
