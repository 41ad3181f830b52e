"""The import rules of the project, read from the source (nothing is imported to check them).

- ``numeric`` imports neither SymPy nor ``derive``; ``derive`` never imports ``proofs``;
  ``proofs`` and ``bench`` use only the public names of ``derive``.
- Inside ``derive`` every sub-package imports only the layers its row in ``ALLOWED`` names,
  and no two modules import each other, directly or through others.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What each layer of derive may import (its own layer included); the top level (__init__,
# the CLI, the pytest plugin) may import every layer.
ALLOWED: dict[str, set[str]] = {
    "_base": {"_base"},
    "_processes": {"_base", "_processes"},
    "_engine": {"_base", "_processes", "_engine"},
    "_model": {"_base", "_model"},
    "_parse": {"_base", "_engine", "_model", "_parse"},
    "_run": {"_base", "_processes", "_engine", "_model", "_parse", "_run"},
    "_render": {"_base", "_model", "_run", "_render"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, package: str | None = None) -> Iterator[str]:
    """Every module ``path`` imports, at any depth of the file (lazy imports too); relative
    imports are read from ``package`` (by default the package ``path`` is in)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if package is None:
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if node.module:
                yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _layer(module: str) -> str | None:
    """The layer of a module of derive, or None for the top level (``derive``, its CLI, ...)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "derive" and parts[1] in ALLOWED else None


@pytest.mark.parametrize("path", _python_files("numeric"), ids=lambda p: p.name)
def test_numeric_imports_neither_sympy_nor_derive(path: Path) -> None:
    bad = [m for m in _imports(path) if m.split(".")[0] in {"sympy", "derive", "proofs"}]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("path", _python_files("derive"), ids=lambda p: str(p.relative_to(ROOT)))
def test_derive_never_imports_proofs(path: Path) -> None:
    assert not [m for m in _imports(path) if m.split(".")[0] == "proofs"]


# The fuzzing bench measures the soundness of single rungs, run in-process: engine internals,
# as the tests of derive use them; the LaTeX corpus bench reads lines under a derivation's
# scope and times the grammar alone.
_INTERNAL_BENCHES = {"bench/fuzz.py", "bench/latex_corpus.py"}


@pytest.mark.parametrize("folder", ["proofs", "examples", "bench"])
def test_users_of_derive_use_public_names_only(folder: str) -> None:
    private = {f"{path.relative_to(ROOT)}: {m}" for path in _python_files(folder)
               for m in _imports(path) if m.startswith("derive._")
               and str(path.relative_to(ROOT)) not in _INTERNAL_BENCHES}
    assert not private


@pytest.mark.parametrize("path", _python_files("derive"), ids=lambda p: str(p.relative_to(ROOT)))
def test_each_layer_imports_only_the_layers_below(path: Path) -> None:
    layer = _layer(_module_name(path))
    if layer is None:
        return
    assert layer in ALLOWED, f"{layer} is not a known layer of derive; add it to ALLOWED"
    reached = {_layer(m) for m in _imports(path) if m.startswith("derive.")}
    assert None not in reached or path.name == "__init__.py", (
        f"{path.relative_to(ROOT)} imports derive's public surface; import the layer instead")
    assert reached - {None} <= ALLOWED[layer], (
        f"{path.relative_to(ROOT)} ({layer}) imports {sorted(reached - {None} - ALLOWED[layer])}")


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in _python_files("derive")}
    return {name: {m for m in _imports(path) if m in modules and m != name}
            for name, path in modules.items()}


def test_no_import_cycles_inside_derive() -> None:
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for following in sorted(graph[node]):
            if state.get(following) == 1:
                start = trail.index(following) if following in trail else len(trail) - 1
                cycle = [*trail[start:], following]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if following not in state:
                visit(following, [*trail, following])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])


def test_the_rules_see_a_violation(tmp_path: Path) -> None:
    """The checker itself can fail: absolute, relative and lazy imports are all found."""
    source = tmp_path / "probe.py"
    source.write_text("from derive._render._html import x\nimport sympy\n"
                      "def f():\n    from .._run import _report\n")
    found = set(_imports(source, package="derive._engine"))
    assert {"derive._render._html", "sympy", "derive._run._report"} <= found
    assert _layer("derive._render._html") == "_render"
    assert "_render" not in ALLOWED["_engine"]
