"""pytest plugin: every derivation in the proof directories is one test item.

Registered through the ``pytest11`` entry point.  Proof directories come from
the ``derive_paths`` ini option (default ``proofs``, relative to the rootdir);
every ``.py`` file in them that is not a test module, ``conftest.py`` or a
private helper (``_*.py``) is read for :class:`derive.Derivation` objects, and
every ``.md`` file for chains of notes (see ``derive._parse._notes``).
Select one with ``-k <id>``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

    from derive._model._derivation import Derivation


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("derive", "derivation checking")
    group.addoption("--derive-budget", type=float, default=None, metavar="SECONDS",
                    help="seconds per check (default: each derivation's own budget)")
    parser.addini("derive_paths", "directories holding derivations", type="args",
                  default=["proofs"])


def _proof_dirs(config: pytest.Config) -> list[Path]:
    root = Path(config.rootpath)
    return [(root / p).resolve() for p in config.getini("derive_paths")]


def _is_proof_file(path: Path) -> bool:
    name = path.name
    return not (name.startswith(("_", "test_")) or name.endswith("_test.py")
                or name == "conftest.py")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.File | None:
    if file_path.suffix not in (".py", ".md") or not _is_proof_file(file_path):
        return None
    resolved = file_path.resolve()
    if any(d == resolved.parent or d in resolved.parents for d in _proof_dirs(parent.config)):
        return DerivationFile.from_parent(parent, path=file_path)
    return None


class DerivationFile(pytest.File):
    """A proof module; its items are its derivations."""

    def collect(self) -> Iterator[pytest.Item]:
        from derive._base._errors import ProofLoadError
        from derive._parse._notes import read_notes
        from derive._run._collect import load_derivations

        if self.path.suffix == ".md":
            notes = read_notes(self.path)
            for error in notes.errors:  # one failing item per error; the chains still run
                yield ProofImportItem.from_parent(self, name=f"read:{error.split(': ')[0]}",
                                                  error=error)
            for derivation in notes.derivations:
                yield DerivationItem.from_parent(self, name=derivation.id, derivation=derivation)
            return
        try:
            derivations = load_derivations(self.path)
        except ProofLoadError as exc:
            # one failing item, so that the other proof files are still checked
            yield ProofImportItem.from_parent(self, name="import", error=str(exc))
            return
        for derivation in derivations:
            yield DerivationItem.from_parent(self, name=derivation.id, derivation=derivation)


class ProofImportItem(pytest.Item):
    """Stands for a proof file that could not be imported; it fails with the reason."""

    def __init__(self, *, error: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise DerivationMissed([self.error])

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        return self.error

    def reportinfo(self) -> tuple[Path, None, str]:
        return self.path, None, f"import of {self.path.name}"


class DerivationMissed(Exception):
    """A derivation did not meet its expectation."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class DerivationItem(pytest.Item):
    """One derivation: passes when it meets its expectation."""

    def __init__(self, *, derivation: Derivation, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.derivation = derivation

    def runtest(self) -> None:
        from derive._run._runner import check_derivation

        budget = self.config.getoption("derive_budget")
        result = check_derivation(self.derivation, budget=budget)
        if not result.meets_expectation:
            raise DerivationMissed(result.failures())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str | TerminalRepr:
        if isinstance(excinfo.value, DerivationMissed):
            return "\n".join(excinfo.value.lines)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, None, str]:
        return self.path, None, f"derivation {self.derivation.id}"
