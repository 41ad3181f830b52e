"""A single updating status line on a terminal: which derivation runs, and for how long."""

from __future__ import annotations

import os
import shutil
import threading
import time
from typing import TextIO

__all__ = ["Progress"]

_CLEAR = "\r\x1b[K"


class Progress:
    """Shows ``[k/total] id  3.2 s (total 12.0 s)`` on ``stream``, refreshed while it runs.

    Silent unless ``enabled`` (the CLI enables it when the stream is a terminal and
    ``-q`` was not given).  :meth:`write` prints a line above the status line.
    :meth:`finish` marks a derivation done; when several run at once (``derive check -j N``)
    the line shows every running one: ``[3 done, 2 running of 33, total 9.0 s] a 1.2 s, b 0.4 s``.
    """

    def __init__(self, stream: TextIO, enabled: bool, interval: float = 0.25) -> None:
        self.stream, self.enabled, self.interval = stream, enabled, interval
        self._lock = threading.Lock()
        self._status = ""
        self._started = time.perf_counter()
        self._current: tuple[str, int, int, float] | None = None
        self._running: dict[str, tuple[int, float]] = {}  # name: (index, start)
        self._finished = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, name: str, index: int, total: int) -> None:
        """Derivation ``name`` (the ``index``-th of ``total``) starts now."""
        with self._lock:
            self._current = (name, index, total, time.perf_counter())
            self._running[name] = (index, self._current[3])
        if self.enabled and self._thread is None:
            self._thread = threading.Thread(target=self._refresh, daemon=True)
            self._thread.start()
        self._draw()

    def finish(self, name: str) -> None:
        """Derivation ``name`` is done: it leaves the status line."""
        with self._lock:
            self._running.pop(name, None)
            self._finished += 1
        self._draw()

    def _line(self) -> str:
        if self._current is None:
            return ""
        name, index, total, since = self._current
        now = time.perf_counter()
        if len(self._running) > 1:
            return self._several(total, now)
        if self._running:  # the one still running, which need not be the last started
            [(name, (index, since))] = self._running.items()
        return (f"[{index}/{total}] checking {name}  {now - since:.1f} s "
                f"(total {now - self._started:.1f} s)")

    def _several(self, total: int, now: float) -> str:
        running = ", ".join(f"{name} {now - since:.1f} s"
                            for name, (_, since) in self._running.items())
        line = (f"[{self._finished} done, {len(self._running)} running of {total}, "
                f"total {now - self._started:.1f} s] {running}")
        width = self._width() - 1
        return line if len(line) <= width else line[:max(width - 3, 0)] + "..."

    def _width(self) -> int:
        """The columns of the terminal the status line is drawn on (longer lines would wrap)."""
        try:
            return os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            return shutil.get_terminal_size().columns

    def _draw(self) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._status = self._line()
            self.stream.write(_CLEAR + self._status)
            self.stream.flush()

    def _refresh(self) -> None:
        while not self._stop.wait(self.interval):
            self._draw()

    def write(self, text: str, out: TextIO) -> None:
        """Print ``text`` to ``out`` without mixing it into the status line."""
        with self._lock:
            if self.enabled and self._status:
                self.stream.write(_CLEAR)
                self.stream.flush()
            print(text, file=out, flush=True)
            if self.enabled and self._status:
                self.stream.write(self._status)
                self.stream.flush()

    def close(self) -> None:
        """Stop refreshing and erase the status line."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            if self.enabled and self._status:
                self.stream.write(_CLEAR)
                self.stream.flush()
            self._status, self._current = "", None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
