"""Results kept per proof file: an unchanged file is answered without importing it.

``derive check`` keeps, for each proof file whose every answer arrived, the
:class:`~derive._run._records.Record` of each derivation it checked, in the cache folder
(``files-*``).  A later run reuses them without importing the file, SymPy or NumPy when
nothing the results could depend on has changed.  The key of a file holds:

- the bytes of the file, of every module of the project it imports (read from its source,
  transitively), of the helper modules beside it (``_*.py``, ``__init__.py``), and of every
  ``.py`` file of its folder when it imports modules by name at run time (``importlib``);
- the options that change results (the budget);
- in the folder's name: the versions of Python, derive, SymPy, mpmath, NumPy, SciPy and lark,
  and a hash of the source of ``derive`` (its grammar too) and of ``numeric``.

Only files whose every answer arrived are kept: a derivation with a rung that timed out
or whose worker failed, a cross-check that raised, or an error, keeps its whole file out
(see :func:`derive._run._safe.check_one`).  Entries are written atomically and
checksummed (:class:`~derive._base._store.DiskStore`): a corrupt or truncated entry is a
miss, and is rewritten.

Importing this module loads nothing but the standard library and ``derive._base._store``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import platform
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import metadata
from pathlib import Path

from derive._base._errors import InvalidArgumentValue
from derive._base._store import DiskStore
from derive._run._records import Record

__all__ = ["CACHE_FOLDER", "FileCache", "KeptFile", "default_cache_dir", "proof_files",
           "shown_path", "FILES"]

CACHE_FOLDER = ".derive_cache"
FILES = "files"
_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")
_VERSIONED = ("derive-verifier", "sympy", "mpmath", "numpy", "scipy", "lark")
_IN_NAMESPACE = {"derive", "numeric"}
_DYNAMIC_IMPORTS = ("import_module", "__import__", "spec_from_file_location", "run_path")
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]+)"
                     r"|import[ \t]+([^\n#;]+))", re.MULTILINE)


def proof_files(paths: Iterable[str | Path]) -> list[Path]:
    """The ``.py`` proof files and ``.md`` notes under ``paths`` (``_*`` files are helpers)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for suffix in ("*.py", "*.md") for p in path.rglob(suffix)
                            if not p.name.startswith("_") and "__pycache__" not in p.parts)
        elif path.is_file() and path.suffix in (".py", ".md"):
            found.append(path)
        elif not path.exists():
            raise InvalidArgumentValue(
                f"path {str(path)!r} does not exist: give the proof files or directories to "
                "check (the default is ./proofs)")
        else:
            raise InvalidArgumentValue(f"path {str(path)!r} is neither a directory nor a .py or "
                                       ".md file")
    return list(dict.fromkeys(p.resolve() for p in found))


def default_cache_dir(paths: Iterable[str | Path]) -> Path:
    """``.derive_cache`` in the project holding the first of ``paths``: the nearest folder
    above it with a ``pyproject.toml``, ``setup.py``, ``setup.cfg`` or ``.git``; without
    one, the folder that holds the first path (``./.derive_cache`` for ``./proofs``)."""
    first = Path(next(iter(paths), ".")).resolve()
    start = first if first.is_dir() else first.parent
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in _PROJECT_MARKERS):
            return folder / CACHE_FOLDER
    return start.parent / CACHE_FOLDER if first.is_dir() else start / CACHE_FOLDER


def shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


# ----------------------------------------------------------------- what a result depends on


def _tree_digest(root: Path, suffixes: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in suffixes
                       and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _numeric_folder(derive_folder: Path) -> Path | None:
    """The folder of ``numeric``: beside ``derive`` (they are installed together), else
    where it is imported from."""
    beside = derive_folder.parent / "numeric"
    if (beside / "__init__.py").is_file():
        return beside
    try:
        file = importlib.import_module("numeric").__file__
    except ImportError:
        return None
    return Path(file).parent if file else None


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def namespace() -> str:
    """The folder of the kept files: one per version of Python, of the libraries, and of the
    source of derive (grammar included) and numeric."""
    derive_folder = Path(__file__).resolve().parents[1]
    numeric_folder = _numeric_folder(derive_folder)
    parts = [f"{platform.python_implementation()} {sys.version}",
             *(f"{name} {_version(name)}" for name in _VERSIONED),
             _tree_digest(derive_folder, (".py", ".lark")),
             _tree_digest(numeric_folder, (".py",)) if numeric_folder else "no numeric"]
    return f"{FILES}-" + hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]


def _package_root(path: Path) -> Path:
    """The folder on ``sys.path`` from which the module at ``path`` is imported."""
    folder = path.parent
    while (folder / "__init__.py").exists():
        folder = folder.parent
    return folder


def _imported_names(source: str, package: str) -> Iterator[str]:
    """The dotted names of the modules (or attributes of modules) a module's source imports.

    Read from the text (statements at the start of a line), which costs far less than
    parsing it; a docstring line that reads like an import only adds a dependency.
    """
    for match in _IMPORT.finditer(source):
        relative, names, modules = match.groups()
        if modules is not None:
            yield from (_first_word(item) for item in modules.split(","))
            continue
        level = len(relative) - len(relative.lstrip("."))
        base = relative.lstrip(".")
        if level:
            parts = package.split(".") if package else []
            anchor = parts[: len(parts) - level + 1]
            base = ".".join([*anchor, base] if base else anchor)
        yield base
        yield from (f"{base}.{_first_word(item)}" for item in names.strip("()").split(","))


def _first_word(text: str) -> str:
    words = text.split()
    return words[0] if words else ""


def _module_file(root: Path, name: str) -> Path | None:
    """The file of module ``name`` under ``root``; ``None`` outside the project, and for
    derive and numeric (their source is part of the namespace)."""
    if not name or name.split(".")[0] in _IN_NAMESPACE:
        return None
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _local_imports(path: Path, root: Path) -> set[Path]:
    """The project's modules ``path`` imports (and the packages above them), or every
    ``.py`` file of its folder when it imports modules by name at run time."""
    try:
        source = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()  # the file is imported, and fails, on every run
    if any(word in source for word in _DYNAMIC_IMPORTS):
        return set(path.parent.glob("*.py"))
    module = ".".join(path.relative_to(root).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for name in _imported_names(source, package):
        parts = name.split(".")
        for k in range(1, len(parts) + 1):
            file = _module_file(root, ".".join(parts[:k]))
            if file is not None:
                found.add(file)
    return found


def dependencies(path: Path, imports: Callable[[Path, Path], set[Path]] = _local_imports,
                 ) -> list[Path]:
    """The files whose bytes a proof file's results depend on (itself first): the modules
    of the project it imports, transitively, and the helpers (``_*.py``) beside it."""
    if path.suffix != ".py":
        return [path]
    root = _package_root(path)
    helpers = {p for p in path.parent.glob("*.py") if p.name.startswith("_")}
    seen: set[Path] = set()
    todo = [path, *helpers]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += imports(current, root)
    return [path, *sorted(seen - {path})]


# ----------------------------------------------------------------- the kept files


@dataclasses.dataclass(frozen=True)
class KeptFile:
    """What a proof file defines (every derivation's id, in order), and the records of the
    derivations checked (all of them, or those a selection chose)."""

    ids: tuple[str, ...]
    records: Mapping[str, Record]

    def answers(self, select: Callable[[str], bool] | None) -> list[Record] | None:
        """The records of the derivations ``select`` chooses, or ``None`` when one of them
        was not checked when the file was kept."""
        chosen = [i for i in self.ids if select is None or select(i)]
        if not all(i in self.records for i in chosen):
            return None
        return [self.records[i] for i in chosen]

    def to_bytes(self) -> bytes:
        records = [json.loads(r.to_text()) for r in self.records.values()]
        return json.dumps({"ids": self.ids, "records": records},
                          ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_bytes(cls, payload: bytes) -> KeptFile:
        """The file :meth:`to_bytes` wrote; ``ValueError`` when ``payload`` is not one."""
        data = json.loads(payload.decode("utf-8"))
        records = [Record.from_text(json.dumps(r)) for r in data["records"]]
        return cls(tuple(str(i) for i in data["ids"]), {r.id: r for r in records})


class FileCache:
    """Kept files in ``directory``, for results obtained with ``options`` (the budget...)."""

    def __init__(self, directory: str | Path, options: Mapping[str, object]) -> None:
        self.store = DiskStore(directory, namespace())
        self.options = json.dumps(dict(options), sort_keys=True, default=repr)
        self._digests: dict[Path, str] = {}
        self._imports: dict[Path, set[Path]] = {}

    def _local_imports(self, path: Path, root: Path) -> set[Path]:
        if path not in self._imports:
            self._imports[path] = _local_imports(path, root)
        return self._imports[path]

    def _digest(self, path: Path) -> str:
        if path not in self._digests:
            self._digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
        return self._digests[path]

    def key(self, path: Path) -> str | None:
        """The key of a proof file's results, or ``None`` when a file cannot be read."""
        try:
            files = dependencies(path, self._local_imports)
            lines = [f"{p} {self._digest(p)}" for p in files]
        except OSError:
            return None
        return "\n".join([self.options, *lines])

    def get(self, path: Path) -> KeptFile | None:
        """The results kept for ``path`` as it is now, or ``None``."""
        key = self.key(path)
        payload = self.store.get(key) if key is not None else None
        if payload is None:
            return None
        try:
            return KeptFile.from_bytes(payload)
        except (ValueError, KeyError, TypeError):  # written by another version: a miss
            return None

    def put(self, path: Path, kept: KeptFile) -> None:
        """Keep ``kept`` for ``path``, unless a file it depends on changed since this cache
        first read it (the results may then be those of either version)."""
        key = self.key(path)
        self._digests.clear()
        self._imports.clear()
        if key is not None and key == self.key(path):
            self.store.put(key, kept.to_bytes())
