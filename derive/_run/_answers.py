"""Answers kept on disk between runs: the rungs' answers, the cross-checks' comparisons and the
LaTeX line checks.

``derive check`` keeps them in a ``.derive_cache/`` folder next to the proofs (see
:func:`default_cache_dir`), so that a re-run after an edit checks only what changed.  Every
entry is keyed so that a stale answer is never served:

- a rung's answer on the claim as the in-process cache keys it (``srepr`` of the claim, the
  assumptions ``srepr`` leaves out, the rung, the seed, points and digits), in a folder named
  after the versions the answer depends on: derive's version *and a hash of its source*,
  SymPy's, mpmath's and Python's.  Another version reads and writes another folder.
- a cross-check's comparison on the derivation's id, the cross-check's name, its seed and a
  hash of the source of the module that defines it and of the modules of the same folder it
  refers to (its helpers), in a folder named after the versions of derive, NumPy, SciPy,
  Python and a hash of the source of :mod:`numeric`: a cross-check reruns whenever its code
  could have changed;
- a derivation's LaTeX line checks on every line's LaTeX, expression, relation and ``wrt``,
  the corrections', the notation table (what the names of the LaTeX mean), the budget and
  the seed, in a folder named after the versions of derive (its source and grammar), SymPy,
  mpmath, lark and Python.

Only answers that arrived are kept: a rung that timed out or whose worker died, or a
cross-check that raised, is never written.  Entries are checksummed and written atomically
(:class:`derive._base._store.DiskStore`): a corrupt or truncated entry is a miss and is
rewritten, and concurrent runs (``-j N`` workers too) cannot corrupt the folder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import inspect
import json
import pickle
import platform
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

from derive._base._store import DiskStore, answers_lost
from derive._engine._cache import CACHE, stable_key
from derive._model._derivation import Comparison, CrossCheck, Derivation
from derive._parse._grammar import TREES, grammar_text
from derive._parse._linecheck import LatexCheck
from derive._run._files import CACHE_FOLDER, FILES, default_cache_dir

__all__ = ["AnswerCache", "answer_cache", "default_cache_dir", "CACHE_FOLDER"]

_RUNGS, _CROSSCHECKS, _TREES, _LATEX = "rungs", "crosschecks", "trees", "latex"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


@functools.cache
def _package_source_hash(package: str) -> str:
    """SHA-256 of every ``.py`` and ``.lark`` (grammar) file of an installed package (paths
    and contents)."""
    root = Path(sys.modules[package].__file__ or "").parent
    digest = hashlib.sha256()
    for path in sorted(p for suffix in ("*.py", "*.lark") for p in root.rglob(suffix)):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _namespace(kind: str, parts: Iterable[str]) -> str:
    return f"{kind}-" + hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]


def rung_namespace() -> str:
    """The folder of the rungs' answers: one per version of derive, SymPy, mpmath, Python."""
    return _namespace(_RUNGS, [_version("derive-verifier"), _package_source_hash("derive"),
                               _version("sympy"), _version("mpmath"), platform.python_version()])


def tree_namespace() -> str:
    """The folder of the LaTeX parse trees: one per version of derive and of its grammar."""
    grammar = hashlib.sha256(grammar_text().encode("utf-8")).hexdigest()
    return _namespace(_TREES, [_version("derive-verifier"), _package_source_hash("derive"),
                               grammar, _version("lark"), platform.python_version()])


def latex_namespace() -> str:
    """The folder of the LaTeX line checks: one per version of derive (its grammar too),
    SymPy, mpmath, lark and Python."""
    return _namespace(_LATEX, [_version("derive-verifier"), _package_source_hash("derive"),
                               _version("sympy"), _version("mpmath"), _version("lark"),
                               platform.python_version()])


def crosscheck_namespace() -> str:
    """The folder of the cross-checks' comparisons: one per version of the numeric code."""
    import numeric

    return _namespace(_CROSSCHECKS, [_version("derive-verifier"),
                                     _package_source_hash(numeric.__name__),
                                     _version("numpy"), _version("scipy"),
                                     platform.python_version()])


# ----------------------------------------------------------------- cross-checks


def _local_modules(module: ModuleType) -> list[ModuleType]:
    """``module`` and the modules of its folder (or below) that it refers to, transitively."""
    root = Path(module.__file__ or "").resolve().parent
    found: dict[str, ModuleType] = {}
    todo = [module]
    while todo:
        current = todo.pop()
        if current.__name__ in found:
            continue
        found[current.__name__] = current
        todo += [m for m in _referenced(current) if _inside(m, root)]
    return [found[name] for name in sorted(found)]


def _referenced(module: ModuleType) -> Iterator[ModuleType]:
    """The modules ``module``'s globals refer to.  A package's are not followed: its
    attributes include every submodule imported so far, which depends on the process."""
    if hasattr(module, "__path__"):
        return
    for value in list(vars(module).values()):
        if isinstance(value, ModuleType):
            yield value
        else:
            owner = sys.modules.get(getattr(value, "__module__", None) or "")
            if owner is not None:
                yield owner


def _inside(module: ModuleType, root: Path) -> bool:
    file: str | None = getattr(module, "__file__", None)
    return file is not None and root in _folders_above(file)


@functools.lru_cache(maxsize=4096)
def _folders_above(file: str) -> tuple[Path, ...]:
    """The folders above ``file`` once resolved (a module's file does not move while it is
    imported; resolving it for every cross-check took longer than the cross-check's key)."""
    return tuple(Path(file).resolve().parents)


def _module_source_hash(module: ModuleType) -> str | None:
    """SHA-256 of the module's source and of its helpers' (read now: a proof file edited and
    imported again by a long-lived process is hashed anew)."""
    if not getattr(module, "__file__", None):
        return None
    digest = hashlib.sha256()
    for local in _local_modules(module):
        digest.update(local.__name__.encode("utf-8") + b"\0")
        digest.update(Path(local.__file__ or "").read_bytes() + b"\0")
    return digest.hexdigest()


def _crosscheck_key(check: CrossCheck, seed: int, derivation_id: str) -> str | None:
    """The cross-check's key, or ``None`` when its code cannot be pinned to source files."""
    function = getattr(check.run, "func", check.run)  # functools.partial: the function
    module = inspect.getmodule(function)
    source = _module_source_hash(module) if module is not None else None
    if source is None:
        return None
    return repr((derivation_id, check.name, seed, source))


# ----------------------------------------------------------------- LaTeX line checks


LatexChecks = dict[str, tuple[LatexCheck, ...]]


def _latex_key(derivation: Derivation, budget: float, seed: int) -> str | None:
    """What a derivation's LaTeX line checks depend on: every line's LaTeX, expression,
    relation, ``wrt`` and scale (the lines name what the LaTeX may mean), the
    corrections', the notation table, the budget and the seed; ``None`` when a class in
    them cannot be named in another process."""
    steps = [*derivation.lines(), *(c.corrected for c in derivation.expected.corrections)]
    lines = tuple((s.latex, s.expr, s.relation.value, tuple(s.wrt), s.scale) for s in steps)
    notation = tuple(sorted(derivation.notation.items(), key=lambda item: item[0]))
    try:
        return stable_key((lines, notation, repr(float(budget)), seed))
    except Exception:  # an object SymPy cannot print: kept in no file
        return None


def _dumped(checks: LatexChecks) -> bytes:
    data = {kind: [dataclasses.asdict(c) for c in found] for kind, found in checks.items()}
    return json.dumps(data, sort_keys=True).encode("utf-8")


def _loaded_checks(payload: bytes | None) -> LatexChecks | None:
    if payload is None:
        return None
    try:
        data = json.loads(payload.decode("utf-8"))
        return {kind: tuple(LatexCheck(**c) for c in found) for kind, found in data.items()}
    except (ValueError, TypeError, AttributeError):
        return None


# ----------------------------------------------------------------- the public object


class AnswerCache:
    """The answers kept on disk (``derive.answer_cache``); off until :meth:`use` is called.

    ``derive check`` uses ``.derive_cache/`` next to the proofs unless given ``--no-cache``
    or ``--cache-dir DIR``; :func:`derive.check_paths` uses the folder passed as
    ``cache_dir``.  The in-process cache of the rungs' answers stays on either way.
    """

    def __init__(self) -> None:
        self.directory: Path | None = None
        self._crosschecks: DiskStore | None = None
        self._latex: DiskStore | None = None

    def use(self, directory: str | Path | None) -> None:
        """Keep answers in ``directory`` from now on (``None``: keep none on disk)."""
        TREES.clear()
        if directory is None:
            self.directory = self._crosschecks = self._latex = CACHE.store = None
            return
        self.directory = Path(directory)
        CACHE.store = DiskStore(self.directory, rung_namespace())
        self._crosschecks = DiskStore(self.directory, crosscheck_namespace())
        self._latex = DiskStore(self.directory, latex_namespace())
        TREES.append(DiskStore(self.directory, tree_namespace()))

    @contextlib.contextmanager
    def using(self, directory: str | Path | None) -> Iterator[None]:
        """:meth:`use` ``directory`` within the block, then go back to the folder before."""
        before = self.directory
        self.use(directory)
        try:
            yield
        finally:
            self.use(before)

    def clear(self, directory: str | Path | None = None) -> list[Path]:
        """Remove every answer kept in ``directory`` (default: the folder in use), of every
        version, and the answers kept in memory; the folders removed.  Only what derive
        wrote is removed (the ``rungs-*``, ``crosschecks-*``, ``trees-*``, ``latex-*`` and
        ``files-*`` folders, the ``.gitignore``)."""
        CACHE.clear()
        folder = Path(directory) if directory is not None else self.directory
        if folder is None or not folder.is_dir():
            return []
        removed = [p for p in sorted(folder.iterdir())
                   if p.is_dir() and p.name.startswith((f"{_RUNGS}-", f"{_CROSSCHECKS}-",
                                                        f"{_TREES}-", f"{_LATEX}-",
                                                        f"{FILES}-"))]
        for path in removed:
            shutil.rmtree(path, ignore_errors=True)
        (folder / ".gitignore").unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when nothing else is left in it
        return removed

    def comparison(self, check: CrossCheck, seed: int, derivation_id: str) -> Any:
        """``check.run(seed)``, or the comparison it returned before (same code, same seed)."""
        store = self._crosschecks
        key = _crosscheck_key(check, seed, derivation_id) if store is not None else None
        kept = _loaded(store.get(key)) if store is not None and key else None
        if kept is not None:
            return kept
        comparison = check.run(seed)  # also inside answers_only(): a cross-check is short
        if store is not None and key and isinstance(comparison, Comparison):
            with contextlib.suppress(Exception):  # a comparison that does not pickle
                store.put(key, pickle.dumps(comparison))
        return comparison


    def latex_checks(self, derivation: Derivation, budget: float, seed: int,
                     compute: Callable[[], LatexChecks]) -> LatexChecks:
        """``compute()``: the LaTeX line checks of ``derivation``, or what it gave before for
        the same lines, notation, budget and seed.  Kept only when every answer arrived."""
        store = self._latex
        key = _latex_key(derivation, budget, seed) if store is not None else None
        kept = _loaded_checks(store.get(key)) if store is not None and key else None
        if kept is not None:
            return kept
        lost = answers_lost()
        checks = compute()
        if store is not None and key and answers_lost() == lost:
            store.put(key, _dumped(checks))
        return checks


def _loaded(payload: bytes | None) -> Comparison | None:
    if payload is None:
        return None
    try:
        value = pickle.loads(payload)
    except Exception:
        return None
    return value if isinstance(value, Comparison) else None


answer_cache = AnswerCache()
