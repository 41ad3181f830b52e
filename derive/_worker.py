"""Entry point of a checking worker process: ``python -m derive._worker FD``.

The worker reads the parent's ``sys.path`` first, then serves calls (see
:mod:`derive._sandbox`) on the socket it inherited as file descriptor ``FD``.
It is a fresh interpreter: nothing of the parent's ``__main__`` runs in it.
"""

from __future__ import annotations

import sys
import traceback
from multiprocessing.connection import Connection


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


def main(argv: list[str]) -> None:
    conn = Connection(int(argv[1]))
    sys.path[:] = conn.recv()
    import derive._rungs  # noqa: F401  (the checking code, imported before the first call)

    serve(conn)


if __name__ == "__main__":
    main(sys.argv)
