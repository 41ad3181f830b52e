"""Find the derivations in proof files and directories."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import sys
import traceback
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from derive._base._errors import InvalidArgumentValue, ProofLoadError
from derive._model._derivation import Derivation
from derive._parse._notes import load_notes
from derive._run._files import proof_files

__all__ = ["ProofFile", "collect", "load_derivations", "proof_files"]


@dataclasses.dataclass(frozen=True)
class ProofFile:
    """A proof module and what it defines (or why it could not be imported)."""

    path: Path
    derivations: tuple[Derivation, ...] = ()
    error: str | None = None


def _package_root(path: Path) -> tuple[Path, str]:
    """The directory to put on ``sys.path`` and the module's dotted name."""
    parts = [path.stem]
    folder = path.parent
    while (folder / "__init__.py").exists():
        parts.insert(0, folder.name)
        folder = folder.parent
    return folder, ".".join(parts)


def _import(path: Path) -> ModuleType:
    root, name = _package_root(path)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    module = sys.modules.get(name)
    if module is not None and Path(getattr(module, "__file__", "")).resolve() == path:
        return module
    if "." in name:
        return importlib.import_module(name)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path} as a module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]  # as importlib does, so that loading it again fails again
        raise
    return module


def load_derivations(path: str | Path) -> tuple[Derivation, ...]:
    """The module-level :class:`Derivation` objects of a proof file, in order."""
    path = Path(path).resolve()
    if path.suffix == ".md":
        return load_notes(path)[0]
    try:
        module = _import(path)
    except Exception as exc:
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        raise ProofLoadError(f"{path}: could not import: {detail}") from exc
    found = [v for v in vars(module).values() if isinstance(v, Derivation)]
    return tuple({id(d): d for d in found}.values())


def collect(paths: Iterable[str | Path]) -> list[ProofFile]:
    """Every proof file under ``paths``; import failures are recorded, not raised.

    A derivation imported into several modules is kept where it is first seen.
    """
    result, seen = [], set()
    for path in proof_files(paths):
        if path.suffix == ".md":
            notes, error = load_notes(path)
            result.append(ProofFile(path, notes, error))
            seen |= {id(d) for d in notes}
            continue
        try:
            found = load_derivations(path)
        except ProofLoadError as exc:
            result.append(ProofFile(path, error=str(exc)))
            continue
        fresh = tuple(d for d in found if id(d) not in seen)
        seen |= {id(d) for d in fresh}
        result.append(ProofFile(path, fresh))
    _check_unique(result)
    return result


def _check_unique(files: list[ProofFile]) -> None:
    seen: dict[str, Path] = {}
    for proof in files:
        for derivation in proof.derivations:
            if derivation.id in seen:
                raise InvalidArgumentValue(
                    f"derivation id {derivation.id!r} is defined twice "
                    f"({seen[derivation.id]} and {proof.path})")
            seen[derivation.id] = proof.path
