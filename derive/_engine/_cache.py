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

Keys are (a digest of) :func:`sympy.srepr` of the arguments plus what ``srepr`` does not print:
the assumptions of undefined functions (``Function("p", positive=True)`` prints as
``Function('p')``) and the identity of any function class defined outside SymPy.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from typing import Any

import sympy
from sympy.core.function import UndefinedFunction

from derive._engine._claim import Claim

__all__ = ["RungCache", "CACHE", "claim_key"]

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


def claim_key(claim: Claim) -> Hashable:
    """What identifies a claim: the SHA-256 of its ``srepr`` (a digest, so that large
    expressions do not fill memory), and the function classes ``srepr`` cannot tell apart
    (with their assumptions).  A rung's answer is keyed on the rung's name, this key and its
    other arguments (seed, points, digits)."""
    parts = claim.as_tuple()
    printed = sympy.srepr(parts).encode("utf-8")
    return hashlib.sha256(printed).hexdigest(), _classes_srepr_leaves_out(parts)


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
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        self.seconds_saved = 0.0

    def get(self, key: Hashable) -> tuple[bool, Any]:
        """``(True, answer)`` when ``key`` is known, else ``(False, None)``."""
        with self._lock:
            entry = self._entries.get(key) if self.enabled else None
            if entry is None:
                self.misses += 1
                return False, None
            self._entries.move_to_end(key)
            self.hits += 1
            self.seconds_saved += entry.seconds
            return True, entry.value

    def put(self, key: Hashable, value: Any, seconds: float) -> None:
        """Keep an answer that arrived (never a timeout or a failure: see the module doc)."""
        if not self.enabled:
            return
        with self._lock:
            self._entries[key] = _Entry(value, seconds)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every answer and reset the counters."""
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
