"""Start a worker as a fresh interpreter, connected to this process by a socket pair.

Not a fork and not a multiprocessing child: nothing of the caller's ``__main__``
runs in the worker, so scripts without an ``if __name__ == "__main__"`` guard,
``python -`` and notebooks can all use workers.  The worker runs
:func:`derive._processes._worker.main`, takes this process's ``sys.path``, then runs
``serve(conn)``.

Workers ask to be killed when their parent dies (``PR_SET_PDEATHSIG`` on Linux), and Linux
takes "parent" to be the *thread* that started them.  So a worker is always started from a
thread that lives as long as this process: the main thread, or else one kept for starting
workers.  Started from a short-lived thread (a warm-up, a check run in a thread pool), it
would be killed, with the rung running in it, when that thread ended.
"""

from __future__ import annotations

import concurrent.futures
import functools
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection

__all__ = ["start_worker"]

# Not ``-m derive._processes._worker``: runpy would import the module twice (once through the
# package).
_ENTRY = "import sys; from derive._processes._worker import main; main(sys.argv)"


def _environment(extra: Mapping[str, str]) -> dict[str, str]:
    """This process's environment and ``extra``, with this package importable in the worker."""
    env = {**os.environ, **extra}
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return env


@functools.cache
def _starter() -> concurrent.futures.ThreadPoolExecutor:
    """The thread that starts workers for the other threads (it waits for work until the
    interpreter exits, so its workers are never killed for its sake)."""
    return concurrent.futures.ThreadPoolExecutor(max_workers=1,
                                                 thread_name_prefix="derive-starter")


def start_worker(serve: Callable[[Connection], None], env: Mapping[str, str] | None = None,
                 ) -> tuple[subprocess.Popen[bytes], Connection]:
    """A new worker process running ``serve`` (a module-level function), and its connection;
    ``env`` adds to this process's environment."""
    parent, child = socket.socketpair()

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-c", _ENTRY, str(child.fileno())],
                                pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL,
                                env=_environment(env or {}))

    main = threading.current_thread() is threading.main_thread()
    process = start() if main else _starter().submit(start).result()
    child.close()
    conn = Connection(parent.detach())
    conn.send(list(sys.path))
    conn.send(serve)
    return process, conn
