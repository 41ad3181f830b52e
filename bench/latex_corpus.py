r"""What the LaTeX reader makes of a corpus, and how much CPU its grammar costs per line.

    python bench/latex_corpus.py snapshot OUT.json [proofs,notes,tests]  # read, write results
    python bench/latex_corpus.py compare OLD.json NEW.json
    python bench/latex_corpus.py timing               # CPU seconds of the grammar per line
    python bench/latex_corpus.py agreement            # latex_check verdicts of proofs/' lines

The corpus: (a) every Step's LaTeX in ``proofs/`` (lines and corrected lines) read under
its derivation's scope, as ``derive check`` reads it; (b) the display and inline formulas of
the notes (``_formulas.py``), read with ``latex_parsers.CONVENTIONS``; (c) every formula the
parser tests read, recorded while they run (``-p latex_corpus`` as a pytest plugin).  A
result is the ``srepr`` of the chain and conditions, or the error's message; the script
runs with ``PYTHONHASHSEED=0`` so that results are the same from run to run.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import pkgutil
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sympy

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import derive
from derive import DeriveError
from derive._parse import _grammar, _linecheck, _read

TEST_FILES = ("tests/derive/test_parse_latex.py", "tests/derive/test_latex_check.py")


def outcome(read: Callable[..., Any], *args: Any) -> str:
    """The ``srepr`` of what ``read(*args)`` returns (a formula), or its error's message.

    Dummies' indices are left out (they differ from run to run).
    """
    try:
        formula = read(*args)
    except DeriveError as error:
        return f"error: {error}"
    shown = sympy.srepr((formula.links, formula.conditions))
    return re.sub(r", dummy_index=\d+", "", shown)


def _derivations() -> Iterator[tuple[str, derive.Derivation]]:
    import proofs
    for module in pkgutil.iter_modules(proofs.__path__):
        if module.name.startswith("_"):
            continue
        found = importlib.import_module(f"proofs.{module.name}")
        for name, value in vars(found).items():
            if isinstance(value, derive.Derivation):
                yield f"{module.name}.{name}", value


def proof_lines() -> Iterator[tuple[str, str, str]]:
    """(a): each Step's LaTeX under its derivation's scope (key, text, outcome)."""
    for key, derivation in _derivations():
        scope = _linecheck.derivation_scope(derivation)
        steps = [*derivation.lines(), *(c.corrected for c in derivation.expected.corrections)]
        for number, step in enumerate(steps):
            known = set(scope.undeclared)
            result = outcome(_read.read_formula, step.latex, scope)
            for name in set(scope.undeclared) - known:
                del scope.undeclared[name]
            yield f"proofs:{key}:{number}", step.latex, result


def note_formulas() -> Iterator[tuple[str, str, str]]:
    """(b): the notes' formulas with the conventions of their sections."""
    import latex_parsers
    from _formulas import formulas
    for number, formula in enumerate(formulas()):
        result = outcome(latex_parsers._derive, formula)
        yield f"notes:{number}", formula.latex, result


def test_formulas() -> Iterator[tuple[str, str, str]]:
    """(c): what the parser tests read, recorded by this module as a pytest plugin."""
    import pytest
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "recorded.json"
        pytest.main(["-q", "-n", "0", "-p", "latex_corpus", "-o", f"latex_corpus_out={out}",
                     *TEST_FILES])
        rows = json.loads(out.read_text(encoding="utf-8"))
    yield from (tuple(row) for row in rows)


_RECORDED: list[tuple[str, str, str]] = []


def pytest_addoption(parser: Any) -> None:
    parser.addini("latex_corpus_out", "where the recorded formulas go")


def pytest_configure(config: Any) -> None:
    original = _read.read_formula

    def recording(text: Any, scope: Any) -> Any:
        test = config._latex_current if hasattr(config, "_latex_current") else "?"
        try:
            formula = original(text, scope)
        except DeriveError as error:
            _RECORDED.append((f"tests:{test}:{len(_RECORDED)}", str(text), f"error: {error}"))
            raise
        _RECORDED.append((f"tests:{test}:{len(_RECORDED)}", text,
                          outcome(lambda: formula)))  # the same formula, not read again
        return formula

    _read.read_formula = recording
    _linecheck.read_formula = recording  # type: ignore[attr-defined]
    config._latex_recording = recording


def pytest_runtest_setup(item: Any) -> None:
    item.config._latex_current = item.nodeid.split("::")[-1]


def pytest_unconfigure(config: Any) -> None:
    out = config.getini("latex_corpus_out")
    if out:
        Path(out).write_text(json.dumps(_RECORDED, ensure_ascii=False), encoding="utf-8")


PARTS = {"proofs": proof_lines, "notes": note_formulas, "tests": test_formulas}


def snapshot(path: Path, parts: list[str]) -> None:
    rows = [row for part in parts for row in PARTS[part]()]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=0), encoding="utf-8")
    errors = sum(result.startswith("error:") for _, _, result in rows)
    print(f"{len(rows)} formulas, {errors} errors -> {path}")


def compare(old: Path, new: Path) -> None:
    before = json.loads(old.read_text(encoding="utf-8"))
    after = json.loads(new.read_text(encoding="utf-8"))
    if [r[:2] for r in before] != [r[:2] for r in after]:
        print("the corpora differ (keys or texts)")
    changed = 0
    for (key, text, a), (_, _, b) in zip(before, after, strict=False):
        if a != b:
            changed += 1
            print(f"--- {key}\n    {text!r}\n  old {a[:300]}\n  new {b[:300]}")
    print(f"{changed} of {len(before)} results differ")


def timing() -> None:
    """CPU seconds of the grammar alone (no building) over the distinct texts of the corpus."""
    texts = sorted({step.latex for _, d in _derivations() for step in
                    [*d.lines(), *(c.corrected for c in d.expected.corrections)]})
    from _formulas import formulas
    texts += sorted({f.latex for f in formulas()} - set(texts))
    _grammar._parser()
    start = time.process_time()
    for text in texts:
        with contextlib.suppress(DeriveError):
            _grammar._parse(text)
    seconds = time.process_time() - start
    print(f"{len(texts)} distinct formulas, {seconds:.2f} s CPU, "
          f"{1000 * seconds / len(texts):.2f} ms per formula")


def agreement() -> None:
    """The ``latex_check`` verdict of every line of ``proofs/`` (lines and corrected lines),
    per module, as ``derive check`` gives it; the lines that do not agree, with the reason."""
    per_module: dict[str, dict[str, int]] = {}
    missed: list[str] = []
    for key, derivation in _derivations():
        found = _linecheck.latex_checks(derivation)
        for number, check in enumerate([*found["lines"], *found["corrected"]]):
            counts = per_module.setdefault(key.split(".")[0], {})
            counts[check.verdict] = counts.get(check.verdict, 0) + 1
            if check.verdict != "agrees":
                missed.append(f"{key}:{number} {check.verdict}: {(check.reason or '')[:110]}")
    total = {v: sum(c.get(v, 0) for c in per_module.values())
             for v in ("agrees", "disagrees", "unparsed", "undecided")}
    lines = sum(total.values())
    for module, counts in sorted(per_module.items()):
        print(f"{module:32} " + "  ".join(f"{v} {n}" for v, n in sorted(counts.items())))
    print("\n".join(missed))
    print(f"{lines} lines: " + ", ".join(f"{n} {v}" for v, n in total.items())
          + f"; {100 * total['agrees'] / lines:.1f}% agree")


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":  # the order of sets (families of an E) fixed
        os.execve(sys.executable, [sys.executable, *sys.argv],
                  {**os.environ, "PYTHONHASHSEED": "0"})
    command = sys.argv[1]
    if command == "snapshot":
        snapshot(Path(sys.argv[2]), sys.argv[3].split(",") if len(sys.argv) > 3 else list(PARTS))
    elif command == "compare":
        compare(Path(sys.argv[2]), Path(sys.argv[3]))
    elif command == "agreement":
        agreement()
    else:
        timing()
