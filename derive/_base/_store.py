"""A folder of small files, one per key, safe against crashes and concurrent writers.

An entry is the file ``<folder>/<d[:2]>/<d>`` where ``d`` is the SHA-256 of the key's text.
Its content is a header line (:data:`MAGIC`), the SHA-256 of the key, the SHA-256 of the
payload and the payload itself.  Reading checks all three: a file that is truncated,
corrupt, or holds another key (a hash collision of the file name is not trusted either) is
a miss, and the next write replaces it.

Writes are atomic: the payload goes to a temporary file in the same folder, which then
replaces the entry with :func:`os.replace`.  A reader sees the old entry or the new one,
never a mixture, however many processes write at once; the last writer wins, and every
writer writes a complete, valid entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

__all__ = ["DiskStore", "GITIGNORE", "MAGIC", "CacheMiss", "answers_only", "miss", "not_arrived",
           "answers_lost", "forgive_lost_since"]

MAGIC = b"derive-cache-entry 1\n"
GITIGNORE = "# Written by derive: answers kept between runs. Safe to delete.\n*\n"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _ensure_root(root: Path) -> None:
    """Create ``root`` with a ``.gitignore`` that keeps the whole folder out of git."""
    root.mkdir(parents=True, exist_ok=True)
    ignore = root / ".gitignore"
    if not ignore.exists():
        _write_atomically(ignore, GITIGNORE.encode("utf-8"))


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with _quietly():
            os.unlink(temporary)
        raise


class _quietly:
    """Ignore ``OSError`` in a block (a cache that cannot be written is only slower)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, value: object, traceback: object) -> bool:
        return isinstance(value, OSError)


class DiskStore:
    """Entries under ``root/namespace``; ``root`` gets a ``.gitignore`` holding ``*``.

    A store that cannot be read or written (permissions, a full disk) behaves as an empty
    one: it never raises, it only saves nothing.
    """

    def __init__(self, root: str | Path, namespace: str) -> None:
        self.root = Path(root)
        self.folder = self.root / namespace
        self.writes = self.reads = self.rejected = 0

    def _path(self, key: str) -> tuple[Path, bytes]:
        key_bytes = key.encode("utf-8")
        name = _digest(key_bytes)
        return self.folder / name[:2] / name, key_bytes

    def get(self, key: str) -> bytes | None:
        """The payload stored under ``key``, or ``None`` (missing, or not intact)."""
        path, key_bytes = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        payload = _verified(data, key_bytes)
        self.reads += payload is not None
        self.rejected += payload is None
        return payload

    def put(self, key: str, payload: bytes) -> None:
        """Store ``payload`` under ``key`` (atomically; failures are silent)."""
        path, key_bytes = self._path(key)
        header = MAGIC + f"{_digest(key_bytes)}\n{_digest(payload)}\n".encode("ascii")
        with _quietly():
            _ensure_root(self.root)
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(path, header + payload)
            self.writes += 1

    def clear(self) -> None:
        """Remove every entry of this namespace."""
        shutil.rmtree(self.folder, ignore_errors=True)


def _verified(data: bytes, key_bytes: bytes) -> bytes | None:
    """The payload of an entry if its header, key and checksum are all as written."""
    if not data.startswith(MAGIC):
        return None
    rest = data[len(MAGIC):]
    key_line, _, rest = rest.partition(b"\n")
    sum_line, _, payload = rest.partition(b"\n")
    if key_line.decode("ascii", "replace") != _digest(key_bytes):
        return None
    if sum_line.decode("ascii", "replace") != _digest(payload):
        return None
    return payload


class CacheMiss(BaseException):
    """Raised on a cache miss inside :func:`answers_only`.

    A ``BaseException``, so that the handlers that turn a failing check or cross-check into
    a result do not swallow it: the whole derivation is then left to be checked for real.
    """


_MODE = threading.local()


@contextlib.contextmanager
def answers_only() -> Iterator[None]:
    """Within the block (in this thread), a cache miss that calls :func:`miss` (a rung's
    answer) raises :class:`CacheMiss` instead of computing: a derivation whose every rung's
    answer is kept is done without a checking process."""
    before = getattr(_MODE, "only", False)
    _MODE.only = True
    try:
        yield
    finally:
        _MODE.only = before


def miss() -> None:
    """Note a cache miss: raises :class:`CacheMiss` inside :func:`answers_only`."""
    if getattr(_MODE, "only", False):
        raise CacheMiss


def not_arrived() -> None:
    """Note an answer that did not arrive (a rung that timed out or whose worker failed, a
    cross-check that raised): a result that depends on it may differ in another run, so
    it is not kept as a whole (see :func:`answers_lost`)."""
    _MODE.lost = answers_lost() + 1


def forgive_lost_since(count: int) -> None:
    """Forget the answers lost since :func:`answers_lost` was ``count``: the result they led
    to is certain (proved, or refuted with a counterexample), and no answer that arrives in
    another run could change it."""
    _MODE.lost = min(answers_lost(), count)


def answers_lost() -> int:
    """How many answers did not arrive in this thread so far (:func:`not_arrived`)."""
    lost: int = getattr(_MODE, "lost", 0)
    return lost
