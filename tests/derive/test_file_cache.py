"""Results kept per proof file: an unchanged file is answered without importing it, and
nothing a result could depend on changes without the file being checked again."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import derive._engine._check as check_module
import derive._run._collect as collect_module
import derive._run._files as files_module
from derive import check_paths
from derive._cli import main
from derive._engine._cache import CACHE
from derive._processes._sandbox import Outcome

PROOF = """
import sympy as sp
from derive import Comparison, CrossCheck, Derivation, Source, Step
from {helper} import shift

x = sp.Symbol("x", real=True)

square = Derivation(id="kept-square", title="The square of a sum",
                    source=Source("notes.txt", "Algebra", "(x+1)^2 = x^2 + 2x + 1"),
                    start=Step((x + 1) ** 2, r"(x+1)^2"),
                    steps=[Step(x**2 + 2 * x + shift, r"x^2 + 2x + 1", why="expand")],
                    crosschecks=[CrossCheck("at x = 2", lambda seed: Comparison(
                        9.0, 9.0, tolerance=1e-9))])
cube = Derivation(id="kept-difference", title="A difference of squares",
                  source=Source("notes.txt", "Algebra", "x^2 - 1 = (x-1)(x+1)"),
                  start=Step(x**2 - 1, r"x^2 - 1"),
                  steps=[Step((x - 1) * (x + 1), r"(x-1)(x+1)", why="factor")])
"""


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """``keptproofs/`` (a package: a proof and its helper; not named ``proofs``, which the
    test session may have imported) in a project folder; no answer kept
    in this process's memory."""
    CACHE.clear()
    folder = tmp_path / "keptproofs"
    folder.mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    (folder / "__init__.py").write_text("")
    (folder / "_helper.py").write_text("shift = 1\n")
    (folder / "algebra.py").write_text(textwrap.dedent(PROOF.format(helper="._helper")))
    yield tmp_path
    _forget_modules(tmp_path)


def _forget_modules(folder: Path) -> None:
    """Drop the modules imported from ``folder``, as a new process would not have them."""
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", None) or "").startswith(str(folder)):
            del sys.modules[name]


class Collected:
    """Which proof files were imported (collected) by the runs so far."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        real = collect_module.collect

        def spy(paths: Any) -> Any:
            self.paths += [Path(p).name for p in paths]
            return real(paths)

        monkeypatch.setattr(collect_module, "collect", spy)


@pytest.fixture
def collected(monkeypatch: pytest.MonkeyPatch) -> Collected:
    return Collected(monkeypatch)


# A budget no check here comes near, even on a loaded machine (whose wall-clock cap, three
# times the budget, could otherwise lose an answer and keep a file out of the cache).
BUDGET = ("--budget", "60")


def run(project: Path, *extra: str, capsys: Any = None) -> tuple[int, str]:
    """``derive check`` over the project's proofs (in this process), its status and output."""
    _forget_modules(project)
    status = main(["check", str(project / "keptproofs"), "-j", "1", "--cache-dir",
                   str(project / ".derive_cache"), *BUDGET, *extra])
    return status, capsys.readouterr().out if capsys is not None else ""


def test_an_unchanged_file_is_answered_without_importing_it(project, collected, capsys):
    first = run(project, capsys=capsys)
    second = run(project, capsys=capsys)
    assert collected.paths == ["algebra.py"]  # the first run only
    assert first[0] == second[0] == 0
    assert _rows(first[1]) == _rows(second[1])


def _rows(table: str) -> list[list[str]]:
    """The table without the seconds column and the summary line's time."""
    return [line.split()[:-1] for line in table.splitlines() if line.startswith("kept-")]


def test_a_fully_kept_run_loads_neither_sympy_nor_numpy(project):
    assert run(project)[0] == 0
    probe = ("import sys\nfrom derive._cli import main\n"
             f"status = main(['check', {str(project / 'keptproofs')!r}, '-q', '--cache-dir', "
             f"{str(project / '.derive_cache')!r}, *{BUDGET!r}])\n"
             "print(status, [m for m in ('sympy', 'numpy', 'scipy', 'keptproofs.algebra') "
             "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    assert out.splitlines()[-1] == "0 []"


def test_an_edited_line_made_false_is_refuted_not_read_back(project, collected, capsys):
    assert run(project, capsys=capsys)[0] == 0
    proof = project / "keptproofs" / "algebra.py"
    proof.write_text(proof.read_text().replace("x**2 + 2 * x + shift", "x**2 + 3 * x + shift"))
    status, out = run(project, capsys=capsys)
    assert status == 1 and collected.paths == ["algebra.py", "algebra.py"]
    assert "kept-square: expected holds, verdict refuted" in out
    assert "counterexample" in out


def test_a_change_in_a_helper_module_invalidates(project, collected, capsys):
    assert run(project, capsys=capsys)[0] == 0
    (project / "keptproofs" / "_helper.py").write_text("shift = 2\n")
    status, out = run(project, capsys=capsys)
    assert status == 1 and "kept-square: expected holds, verdict refuted" in out


def test_a_change_in_an_imported_proof_module_invalidates(project, collected, capsys):
    proofs = project / "keptproofs"
    (proofs / "shared.py").write_text("shift = 1\n")  # a module that is not a helper
    (proofs / "algebra.py").write_text(textwrap.dedent(PROOF.format(helper="keptproofs.shared")))
    assert run(project, capsys=capsys)[0] == 0
    (proofs / "shared.py").write_text("shift = 2\n")
    status, out = run(project, capsys=capsys)
    assert status == 1 and "kept-square: expected holds, verdict refuted" in out


def test_a_change_in_derives_source_or_a_version_invalidates(project, collected, monkeypatch):
    assert run(project)[0] == 0
    real_digest, real_version = files_module._tree_digest, files_module._version
    monkeypatch.setattr(files_module, "_tree_digest",
                        lambda root, suffixes: real_digest(root, suffixes) + "-edited")
    assert run(project)[0] == 0
    monkeypatch.setattr(files_module, "_tree_digest", real_digest)
    monkeypatch.setattr(files_module, "_version",
                        lambda name: "99.0" if name == "sympy" else real_version(name))
    assert run(project)[0] == 0
    assert collected.paths == ["algebra.py"] * 3
    assert len(list((project / ".derive_cache").glob("files-*"))) == 3


def test_the_grammar_is_part_of_derives_source(tmp_path):
    (tmp_path / "latex.lark").write_text("start: NUMBER\n")
    before = files_module._tree_digest(tmp_path, (".py", ".lark"))
    (tmp_path / "latex.lark").write_text("start: NAME\n")
    assert files_module._tree_digest(tmp_path, (".py", ".lark")) != before


def _kept_entries(project: Path) -> list[Path]:
    return [p for p in (project / ".derive_cache").glob("files-*/*/*") if p.is_file()]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "valid entry, not a record"])
def test_a_damaged_entry_is_ignored_and_rewritten(project, collected, capsys, damage):
    assert run(project, capsys=capsys)[0] == 0
    [entry] = _kept_entries(project)
    if damage == "truncate":
        entry.write_bytes(entry.read_bytes()[:-7])
    elif damage == "garbage":
        entry.write_bytes(b"\x00not an entry")
    else:
        cache = files_module.FileCache(project / ".derive_cache", {"budget": float(BUDGET[1])})
        key = cache.key((project / "keptproofs" / "algebra.py").resolve())
        assert key is not None
        cache.store.put(key, b'{"ids": ["kept-square"], "records": [{"no": 1}]}')
    assert run(project, capsys=capsys)[0] == 0
    assert run(project, capsys=capsys)[0] == 0
    assert collected.paths == ["algebra.py"] * 2  # the damaged entry was rewritten


def _timing_out(rungs: set[str]) -> Any:
    """``run_with_timeout`` with the named rungs timing out."""
    real = check_module.run_with_timeout

    def run_with_timeout(fn: Any, args: Any, timeout: float) -> Outcome:
        return Outcome(timed_out=True) if fn.__name__ in rungs else real(fn, args, timeout)
    return run_with_timeout


def test_a_timeout_is_never_kept_when_the_verdict_could_change(project, collected, capsys,
                                                                monkeypatch):
    real = check_module.run_with_timeout
    monkeypatch.setattr(check_module, "run_with_timeout",
                        _timing_out({"structural", "simplified"}))
    status, out = run(project, "-v", capsys=capsys)  # random points: numerically verified
    assert status == 0 and "numerically" in out and not _kept_entries(project)
    assert "not kept for the next run: " in out and "did not arrive" in out
    monkeypatch.setattr(check_module, "run_with_timeout", real)
    assert run(project, capsys=capsys)[0] == 0 and len(_kept_entries(project)) == 1
    assert collected.paths == ["algebra.py"] * 2


def test_a_timeout_before_a_certain_verdict_is_kept(project, collected, capsys, monkeypatch):
    monkeypatch.setattr(check_module, "run_with_timeout", _timing_out({"structural"}))
    status, out = run(project, "-v", capsys=capsys)  # simplify still proves both
    assert status == 0 and "not kept" not in out and len(_kept_entries(project)) == 1
    assert run(project, capsys=capsys)[0] == 0
    assert collected.paths == ["algebra.py"]  # proved: more time could not change it


def test_a_crashed_crosscheck_or_an_error_is_never_kept(project, collected, capsys):
    proof = project / "keptproofs" / "algebra.py"
    proof.write_text(proof.read_text().replace("Comparison(\n", "comparison_that_raises(\n"))
    assert run(project, capsys=capsys)[0] == 1
    assert run(project, capsys=capsys)[0] == 1
    assert not _kept_entries(project) and collected.paths == ["algebra.py"] * 2


def test_a_selection_is_read_back_when_its_derivations_were_kept(project, collected, capsys):
    assert run(project, "-k", "square", capsys=capsys)[0] == 0
    assert run(project, "-k", "square", capsys=capsys)[0] == 0
    status, out = run(project, capsys=capsys)  # kept-difference was not checked yet
    assert status == 0 and len(_rows(out)) == 2
    assert collected.paths == ["algebra.py"] * 2


def test_an_id_defined_twice_is_still_an_error(project, capsys):
    assert run(project, capsys=capsys)[0] == 0
    (project / "keptproofs" / "again.py").write_text(
        (project / "keptproofs" / "algebra.py").read_text())
    status = main(["check", str(project / "keptproofs"), "-j", "1", "--cache-dir",
                   str(project / ".derive_cache"), *BUDGET])
    assert status == 2 and "defined twice" in capsys.readouterr().err


def _without_seconds(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_seconds(v) for k, v in data.items() if k != "seconds"}
    if isinstance(data, list):
        return [_without_seconds(v) for v in data]
    return data


def test_reports_from_kept_results_are_those_of_a_fresh_run(project, capsys, tmp_path):
    proof = project / "keptproofs" / "algebra.py"
    proof.write_text(proof.read_text().replace("x**2 + 2 * x + shift", "x**2 + 3 * x + shift"))
    fresh, first, kept = (tmp_path / f"{name}.json" for name in ("fresh", "first", "kept"))
    _forget_modules(project)
    assert main(["check", str(project / "keptproofs"), "-j", "1", "--no-cache", "--json",
                 str(fresh), *BUDGET]) == 1
    assert run(project, "--json", str(first))[0] == 1
    assert run(project, "--json", str(kept))[0] == 1
    report = tmp_path / "report.json"
    _forget_modules(project)
    assert main(["report", str(project / "keptproofs"), "-o", str(report), "--cache-dir",
                 str(project / ".derive_cache"), *BUDGET]) == 1
    _forget_modules(project)
    library = check_paths([project / "keptproofs"], budget=float(BUDGET[1])).to_dict()
    texts = [library] + [json.loads(p.read_text()) for p in (fresh, first, kept, report)]
    assert all(_without_seconds(t) == _without_seconds(texts[0]) for t in texts[1:])
    assert texts[0]["derivations"][0]["verdict"] == "refuted"


def test_concurrent_runs_do_not_corrupt_the_kept_files(project, collected, capsys):
    command = [sys.executable, "-m", "derive._cli", "check", str(project / "keptproofs"), "-j",
               "1", "-q", "--cache-dir", str(project / ".derive_cache"), *BUDGET]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [r.communicate(timeout=300)[0] for r in runs]
    assert [r.returncode for r in runs] == [0, 0]
    assert all("2 of 2 derivations meet" in out for out in outputs)
    status, out = run(project, capsys=capsys)
    assert status == 0 and collected.paths == [] and len(_rows(out)) == 2


def _line_derivation(rhs: Any, notation: dict[str, Any] | None = None) -> Any:
    import sympy as sp

    from derive import Derivation, Source, Step

    x = sp.Symbol("x", real=True)
    return Derivation(id="kept-latex", title="A line and its LaTeX",
                      source=Source("notes.txt", "Algebra", "(x+1)^2"),
                      start=Step((x + 1) ** 2, r"(x+1)^2"),
                      steps=[Step(rhs(x), r"x^2 + 2x + 1")], notation=notation or {})


def test_latex_line_checks_are_kept_and_a_changed_line_is_read_again(tmp_path, monkeypatch):
    import derive._run._runner as runner_module
    from derive import answer_cache, check_derivation

    CACHE.clear()
    answer_cache.use(tmp_path)
    try:
        first = check_derivation(_line_derivation(lambda x: x**2 + 2 * x + 1))
        assert [c.verdict for c in first.latex["lines"]] == ["agrees", "agrees"]
        assert list(tmp_path.glob("latex-*/*/*"))

        def never(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("the LaTeX was read again")

        monkeypatch.setattr(runner_module, "latex_checks", never)
        assert check_derivation(_line_derivation(lambda x: x**2 + 2 * x + 1)).latex == first.latex
        monkeypatch.undo()
        changed = check_derivation(_line_derivation(lambda x: x**2 + 3 * x + 1))
        assert changed.latex["lines"][1].verdict == "disagrees"
    finally:
        answer_cache.use(None)
        CACHE.clear()


def test_the_latex_key_holds_the_notation_and_function_assumptions():
    import sympy as sp

    from derive._run._answers import _latex_key

    plain, positive = sp.Function("f"), sp.Function("f", positive=True)
    keys = {_latex_key(_line_derivation(lambda x: x**2 + 2 * x + 1, notation), 2.0, 0)
            for notation in ({}, {"f": plain}, {"f": positive})}
    assert len(keys) == 3 and None not in keys


def test_latex_line_checks_with_a_lost_answer_are_not_kept(tmp_path, monkeypatch):
    from derive import answer_cache, check_derivation

    CACHE.clear()
    monkeypatch.setattr(check_module, "run_with_timeout",
                        lambda fn, args, timeout: Outcome(timed_out=True))
    answer_cache.use(tmp_path)
    try:  # the LaTeX reads differently from the line, so its check needs the rungs
        result = check_derivation(_line_derivation(lambda x: x**2 + 2 * x + 2))
        assert result.latex["lines"][1].verdict == "undecided"
        assert not list(tmp_path.glob("latex-*/*/*"))
    finally:
        answer_cache.use(None)
        CACHE.clear()
