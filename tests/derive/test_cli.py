"""The ``derive`` command: formats, loudness, progress, and failures that do not stop it."""

from __future__ import annotations

import io
import json
import sys
import textwrap
from pathlib import Path

import pytest

from derive._cli import main, report_format
from derive._render._progress import Progress

HEADER = """
import sympy as sp
from derive import Comparison, CrossCheck, Derivation, Source, Step
x = sp.Symbol("x", real=True)
"""
GOOD = HEADER + """
square = Derivation(id="cli-square", title="The square of a sum",
                    source=Source("notes.txt", "Algebra", r"(x+1)^2 = x^2 + 2x + 1"),
                    start=Step((x + 1) ** 2, r"(x+1)^2"),
                    steps=[Step(x**2 + 2 * x + 1, r"x^2 + 2x + 1", why="expand")])
"""
RAISING = HEADER + """
shapes = Derivation(id="cli-mismatched-shapes", title="Checking this raises",
                    source=Source("notes.txt", "Algebra", r"(x, 1) = x"),
                    start=Step(sp.Matrix([[x, 1]]), r"(x, 1)"), steps=[Step(x, "x")])
"""
CRASHING = HEADER + """
def diverges(seed):
    raise RuntimeError("the simulation diverged")

crash = Derivation(id="cli-crashing-crosscheck", title="A cross-check that crashes",
                   source=Source("notes.txt", "Algebra", r"x = x"),
                   start=Step(x, "x"), steps=[Step(x, "x")],
                   crosschecks=[CrossCheck("diverging simulation", diverges)])
"""
BROKEN = "import a_module_that_does_not_exist\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def good(tmp_path) -> Path:
    return write(tmp_path, "cli_good.py", GOOD)


@pytest.fixture
def mixed(tmp_path) -> Path:
    folder = tmp_path / "proofs"
    folder.mkdir()
    for name, text in (("cli_good.py", GOOD), ("cli_raising.py", RAISING),
                       ("cli_crashing.py", CRASHING), ("cli_broken.py", BROKEN)):
        write(folder, name, text)
    return folder


def test_check_prints_a_table_and_exits_0_when_all_is_well(good, capsys):
    assert main(["check", str(good)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["derivation", "expected", "verdict", "cross-checks",
                                           "meets", "seconds"]
    assert "cli-square" in out and "1 of 1 derivations meet their expectation" in out


def test_failures_are_rows_of_the_table_and_the_others_are_still_checked(mixed, capsys):
    assert main(["check", str(mixed)]) == 1
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("cli")}
    assert rows["cli-square"].split()[-2] == "yes"
    assert "error" in rows["cli-mismatched-shapes"].split() and "NO" in rows[
        "cli-mismatched-shapes"]
    assert "0/1 agree, 1 crashed" in rows["cli-crashing-crosscheck"]
    assert "load error" in rows["cli_broken.py"]
    assert "a_module_that_does_not_exist" in out and "same shape" in out
    assert "the simulation diverged" in out
    assert "1 proof file(s) failed to load, 1 raised" in out


def test_quiet_prints_the_summary_line_and_the_problems_only(mixed, capsys):
    main(["check", "-q", str(mixed)])
    out = capsys.readouterr().out
    assert "derivation  expected" not in out and "cli-square" not in out
    assert "same shape" in out and out.rstrip().splitlines()[-1].startswith("1 of 3 derivations")


def test_verbose_prints_every_step(good, capsys):
    main(["check", "-v", str(good)])
    out = capsys.readouterr().out
    assert "cli-square: proved, meets its expectation" in out
    assert "line  1 =  proved (structural" in out


def test_quiet_and_verbose_exclude_each_other(good, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["check", "-q", "-v", str(good)])
    assert exit_.value.code == 2


@pytest.mark.parametrize(("name", "form"), [("r.html", "html"), ("r.HTM", "html"), ("r.md", "md"),
                                        ("r.markdown", "md"), ("r.json", "json")])
def test_the_format_comes_from_the_suffix(name, form):
    assert report_format(name, None) == form
    assert report_format(name, "json") == "json"


def test_an_unknown_suffix_is_a_usage_error_before_any_checking(good, tmp_path, capsys):
    assert main(["report", str(good), "-o", str(tmp_path / "r.txt")]) == 2
    captured = capsys.readouterr()
    assert "cannot tell the report format" in captured.err and captured.out == ""


def test_report_writes_each_format(mixed, tmp_path, capsys):
    for name in ("out.html", "out.md", "out.json"):
        assert main(["report", str(mixed), "-o", str(tmp_path / name)]) == 1
    page = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "cli_broken.py" in page
    markdown = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "# Derivation report" in markdown and "cli-square" in markdown
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert data["schema"] == "derive-report/1" and data["summary"]["errors"] == 1
    assert "wrote" in capsys.readouterr().out


def test_format_overrides_the_suffix(good, tmp_path):
    target = tmp_path / "report.txt"
    assert main(["report", str(good), "-o", str(target), "--format", "json"]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["ok"] is True


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_the_running_derivation_on_a_terminal(good, monkeypatch, capsys):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    main(["check", str(good)])
    shown = terminal.getvalue()
    assert "[1/1] checking cli-square" in shown and " s (total " in shown
    assert shown.endswith("\r\x1b[K")  # the status line is erased at the end


def test_progress_is_silent_when_not_a_terminal_or_quiet(good, monkeypatch):
    for stream, flags in ((io.StringIO(), []), (_Terminal(), ["-q"])):
        monkeypatch.setattr(sys, "stderr", stream)
        main(["check", *flags, str(good)])
        assert stream.getvalue() == ""


def test_progress_lines_printed_above_the_status_line_do_not_mix():
    terminal, out = _Terminal(), io.StringIO()
    with Progress(terminal, enabled=True, interval=10.0) as progress:
        progress.start("first", 1, 2)
        progress.write("first: proved", out)
    assert out.getvalue() == "first: proved\n"
    assert terminal.getvalue().count("[1/2] checking first") == 2


def test_a_missing_path_is_a_usage_error_that_says_so(tmp_path, capsys):
    assert main(["check", str(tmp_path / "no-such-proofs")]) == 2
    assert "does not exist" in capsys.readouterr().err
