"""Remember what the rungs of the ladder answered, so an identical check is not redone.

A rung's answer is a function of its arguments only: the claim (both sides, the relation,
``wrt``, all folded into it by :func:`derive._engine._check._claim`) and, for the random-points
rung, the seed, the number of points and the digits.  It does not depend on the time
budget, which only decides whether an answer arrives at all.  So an answer that *arrived*
is kept, keyed on those arguments, and reused by any later check in the same process.

What is never kept: a rung that ran out of time (with more time it might have decided:
a timeout says nothing about the claim), and a call that failed (a worker that died, an
expression that could not be sent).  A check that reuses answers can therefore only be as
strong as, or stronger than, the same check run afresh under a tight budget: it may be
decided where the fresh run would have timed out, never the other way round.

Keys are (a digest of) :func:`sympy.srepr` of the arguments, printed with ``order="none"``
(the arguments in the order SymPy keeps them, which its constructors make canonical,
instead of sorting the terms of every sum again), plus what ``srepr`` does not print: the
assumptions of undefined functions (``Function("p", positive=True)`` prints as
``Function('p')``) and the identity of any function class defined outside SymPy.

With a :class:`~derive._base._store.DiskStore` attached (``RungCache.store``), answers are
also kept on disk, so a later process reuses them.  A key is written there only when it
can be printed as text that means the same thing in another process (:func:`stable_text`);
a claim holding a function class defined outside SymPy is kept in memory only.  The store's
namespace holds the versions the answers depend on (see :mod:`derive._run._answers`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from typing import Any

import sympy
from sympy.core.function import UndefinedFunction

from derive._base._store import DiskStore, miss
from derive._engine._claim import Claim

__all__ = ["RungCache", "CACHE", "claim_key", "stable_key", "stable_text"]

_MAX_ENTRIES = 4096


def _is_sympy_class(cls: type) -> bool:
    module = getattr(cls, "__module__", None) or ""
    return module.startswith("sympy.") and not isinstance(cls, UndefinedFunction)


def _classes_srepr_leaves_out(value: Any) -> frozenset[type]:
    """Function classes whose printed name does not identify them (with their assumptions)."""
    found: set[type] = set()
    for node in _nodes(value):
        cls = type(node)
        if not _is_sympy_class(cls) and isinstance(node, sympy.Basic):
            found.add(cls)
    return frozenset(found)


def _nodes(value: Any) -> Iterator[Any]:
    if isinstance(value, (tuple, list)):
        for item in value:
            yield from _nodes(item)
    elif isinstance(value, sympy.Basic):
        yield from sympy.preorder_traversal(value)


def _printed(value: Any) -> bytes:
    """``srepr`` of ``value`` with the arguments in SymPy's own order: the same text for
    equal expressions in any process, five times cheaper than sorting the terms."""
    text: str = sympy.srepr(value, order="none")
    return text.encode("utf-8")


def claim_key(claim: Claim) -> Hashable:
    """What identifies a claim: the SHA-256 of its ``srepr`` (a digest, so that large
    expressions do not fill memory), and the function classes ``srepr`` cannot tell apart
    (with their assumptions).  A rung's answer is keyed on the rung's name, this key and its
    other arguments (seed, points, digits)."""
    parts = claim.as_tuple()
    printed = _printed(parts)
    return hashlib.sha256(printed).hexdigest(), _classes_srepr_leaves_out(parts)


def _classes_in(value: Any) -> frozenset[type]:
    """The classes ``srepr`` cannot tell apart in ``value``: those of its nodes, and function
    classes given as values themselves (a notation table's ``{"f": Function("f")}``)."""
    given: set[type] = set()
    for item in value if isinstance(value, (tuple, list)) else (value,):
        if isinstance(item, (tuple, list)):
            given |= _classes_in(item)
        elif isinstance(item, type) and not _is_sympy_class(item):
            given.add(item)
    return _classes_srepr_leaves_out(value) | given


def stable_key(value: Any) -> str | None:
    """Text that identifies ``value`` (SymPy objects, function classes, strings and numbers,
    nested in tuples) in any process: the SHA-256 of its ``srepr`` and the classes ``srepr``
    cannot tell apart, or ``None`` when one of them has no such text (:func:`stable_text`)."""
    printed = _printed(value)
    return stable_text((hashlib.sha256(printed).hexdigest(), _classes_in(value)))


def _class_text(cls: type) -> str | None:
    """An undefined function's name and assumptions (how SymPy compares them); the dotted
    name of a class of derive (whose source is part of the disk cache's namespace); else
    None."""
    if isinstance(cls, UndefinedFunction):
        assumptions = sorted(getattr(cls, "_kwargs", {}).items())
        return f"Function({cls.__name__!r}, {assumptions!r})"
    if cls.__module__.startswith("derive."):
        return f"{cls.__module__}.{cls.__qualname__}"
    return None


def stable_text(key: Any) -> str | None:
    """``key`` as text that identifies it in any process, or ``None`` when it cannot be.

    Strings, numbers, ``None`` and booleans print as ``repr``; tuples item by item; sets of
    function classes as their sorted descriptions (:func:`_class_text`).  A class whose
    identity is its object (defined outside SymPy, not an undefined function) has no
    such text.
    """
    if key is None or isinstance(key, (str, int, float, bool)):
        return repr(key)
    if isinstance(key, tuple):
        items = [stable_text(item) for item in key]
        return None if None in items else "(" + ", ".join(items) + ",)"  # type: ignore[arg-type]
    if isinstance(key, frozenset):
        classes = [_class_text(cls) for cls in key]
        return None if None in classes else "{" + ", ".join(sorted(classes)) + "}"  # type: ignore[arg-type]
    return None


@dataclasses.dataclass
class _Entry:
    value: Any
    seconds: float  # how long computing it took: the time a hit saves


class RungCache:
    """A bounded, thread-safe map from :func:`cache_key` to a rung's answer.

    ``hits``, ``misses`` and ``seconds_saved`` say what it did (for benchmarks).
    """

    def __init__(self, max_entries: int = _MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self.enabled = True
        self.store: DiskStore | None = None
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        self.seconds_saved = 0.0

    def get(self, key: Hashable) -> tuple[bool, Any]:
        """``(True, answer)`` when ``key`` is known, else ``(False, None)``."""
        with self._lock:
            entry = self._entries.get(key) if self.enabled else None
        if entry is None and self.enabled:
            entry = self._from_disk(key)
        if entry is None:
            with self._lock:
                self.misses += 1
            miss()  # raises inside answers_only()
            return False, None
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            self.hits += 1
            self.seconds_saved += entry.seconds
            return True, entry.value

    def peek(self, key: Hashable) -> tuple[bool, Any]:
        """Like :meth:`get`, but a miss is neither counted nor reported: for looking ahead
        at an answer that would make a rung unnecessary (a hit counts as one)."""
        with self._lock:
            entry = self._entries.get(key) if self.enabled else None
        if entry is None and self.enabled:
            entry = self._from_disk(key)
        if entry is None:
            return False, None
        with self._lock:
            self._entries[key] = entry
            self.hits += 1
            self.seconds_saved += entry.seconds
        return True, entry.value

    def _from_disk(self, key: Hashable) -> _Entry | None:
        text = stable_text(key) if self.store is not None else None
        payload = self.store.get(text) if self.store is not None and text else None
        if payload is None:
            return None
        try:
            value, seconds = pickle.loads(payload)
        except Exception:  # an entry from an incompatible version of a class: a miss
            return None
        return _Entry(value, float(seconds))

    def _to_disk(self, key: Hashable, value: Any, seconds: float) -> None:
        text = stable_text(key) if self.store is not None else None
        if self.store is not None and text:
            try:
                payload = pickle.dumps((value, seconds))
            except Exception:  # an answer that does not pickle stays in memory only
                return
            self.store.put(text, payload)

    def put(self, key: Hashable, value: Any, seconds: float) -> None:
        """Keep an answer that arrived (never a timeout or a failure: see the module doc)."""
        if not self.enabled:
            return
        with self._lock:
            self._entries[key] = _Entry(value, seconds)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        self._to_disk(key, value, seconds)

    def clear(self) -> None:
        """Forget every answer kept in memory and reset the counters (the disk store, if
        any, is cleared by :meth:`derive.AnswerCache.clear`)."""
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0
            self.seconds_saved = 0.0

    def __len__(self) -> int:
        return len(self._entries)

    @contextlib.contextmanager
    def disabled(self) -> Iterator[None]:
        """Within the block, nothing is looked up or kept (to measure checks afresh)."""
        before, self.enabled = self.enabled, False
        try:
            yield
        finally:
            self.enabled = before


CACHE = RungCache()
