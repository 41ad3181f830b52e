"""The edit-check loop: cold, unchanged and one-line-edit runs with the disk cache; start-up.

Runs on a copy of the project (``proofs/`` and ``pyproject.toml`` in a temporary folder), so
the project's own ``.derive_cache`` is untouched.  Writes its section of ``bench/RESULTS.md``
(between the ``speed`` markers).  ``--before DIR`` also measures start-up with the
``derive``/``numeric`` of another checkout (put first on ``PYTHONPATH``).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BEGIN, END = "<!-- speed: begin -->", "<!-- speed: end -->"
# One line of one proof made false: exp(-d_i) becomes exp(d_i), which is not <= 1 for d_i > 0.
EDIT = ("proofs/softmax.py", 'Step(sp.exp(-gap[i]), r"\\exp(-d_i)")',
        'Step(sp.exp(gap[i]), r"\\exp(-d_i)")')
EDITED_ID = "softmax-shifted-numerator-at-most-one"


def _timed(command: list[str], cwd: Path, env: dict[str, str] | None = None,
           ) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall seconds, CPU seconds (user + system of the child and its children), result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=900)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def _copy_project(target: Path) -> None:
    shutil.copytree(ROOT / "proofs", target / "proofs",
                    ignore=shutil.ignore_patterns("__pycache__", ".derive_cache"))
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")


def _derive(*args: str) -> list[str]:
    return [sys.executable, "-m", "derive._cli", *args]


def _row(what: str, wall: float, cpu: float, goal: str, met: str, notes: str) -> str:
    return f"| {what} | {wall:.2f} s | {cpu:.2f} s | {goal} | {met} | {notes} |"


def cache_rows(copy: Path) -> list[str]:
    """Cold run, unchanged re-run, one line made false: wall and CPU time of each."""
    rows = []
    wall, cpu, cold = _timed(_derive("check", "-q"), copy)
    rows.append(_row("cold run over proofs/ (default -j, empty cache)", wall, cpu, "< 60 s",
                     _met(wall < 60 and _checked(cold)), _summary(cold)))
    wall, cpu, warm = _timed(_derive("check", "-q"), copy)
    rows.append(_row("unchanged re-run", wall, cpu, "<= 2 s",
                     _met(wall <= 2.0 and _checked(warm)), _summary(warm)))
    path, old, new = EDIT
    source = (copy / path).read_text(encoding="utf-8")
    if old not in source:
        raise SystemExit(f"bench: the line to edit is no longer in {path}: update EDIT")
    (copy / path).write_text(source.replace(old, new), encoding="utf-8")
    wall, cpu, edited = _timed(_derive("check", "-q"), copy)
    refuted = edited.returncode == 1 and EDITED_ID in edited.stdout and "refuted" in edited.stdout
    rows.append(_row(f"one line of {path} made false, re-run", wall, cpu, "<= 3 s, line refuted",
                     _met(wall <= 3.0 and refuted),
                     f"{'the edited line is refuted' if refuted else 'NOT refuted'}; "
                     + _summary(edited)))
    wall, cpu, again = _timed(_derive("check", "-q"), copy)
    rows.append(_row("the edited project again, unchanged", wall, cpu, "<= 2 s",
                     _met(wall <= 2.0 and EDITED_ID in again.stdout), _summary(again)))
    return rows


def _checked(done: subprocess.CompletedProcess[str]) -> bool:
    """The run checked every derivation (its table's summary line is there): a run that
    failed to start is no measurement, however quick."""
    return "derivations meet" in done.stdout


def _summary(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in done.stdout.splitlines() if "derivations meet" in line]
    return lines[-1] if lines else f"exit {done.returncode}: {done.stderr[-200:]}"


def _met(ok: bool) -> str:
    return "met" if ok else "not met"


def _median_of(runs: int, command: list[str], cwd: Path,
               env: dict[str, str] | None = None) -> tuple[float, float]:
    measured = [_timed(command, cwd, env)[:2] for _ in range(runs)]
    return statistics.median(w for w, _ in measured), statistics.median(c for _, c in measured)


def startup_rows(copy: Path, before: Path | None, runs: int) -> list[str]:
    """``import derive``, ``derive check`` on one small file, ``pytest`` with no proofs."""
    empty = copy / "empty"
    empty.mkdir(exist_ok=True)
    commands = {
        "`python -c 'import derive'`": ([sys.executable, "-c", "import derive"], copy),
        "`derive check proofs/softmax.py -j 1 --no-cache` (3 derivations)":
            (_derive("check", "proofs/softmax.py", "-j", "1", "--no-cache", "-q"), copy),
        "`pytest` with the plugin, no proofs collected":
            ([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], empty),
    }
    rows = []
    for label, (command, cwd) in commands.items():
        wall, cpu = _median_of(runs, command, cwd)
        cells = f"| {label} | {wall:.2f} s | {cpu:.2f} s |"
        if before is not None:
            env = {**os.environ, "PYTHONPATH": str(before)}
            old = [word for word in command if word != "--no-cache"]  # before: no disk cache
            old_wall, old_cpu = _median_of(runs, old, cwd, env)
            cells += f" {old_wall:.2f} s | {old_cpu:.2f} s |"
        rows.append(cells)
    return rows


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def section(cache: list[str], startup: list[str], before: Path | None, runs: int) -> str:
    startup_head = "| command | wall | CPU |" + (" wall before | CPU before |" if before else "")
    startup_rule = "|---|---|---|" + ("---|---|" if before else "")
    return "\n".join([
        BEGIN, "## The edit-check loop: disk cache and start-up (`python bench/speed.py`)", "",
        (f"Load average at the end (1, 5, 15 min): {_load()} on {os.cpu_count()} cores. "
         "Wall time counts waiting for a CPU on a busy machine; CPU time (user + system of "
         "the process and its children) does not."), "",
        "| run (on a copy of the project) | wall | CPU | goal | goal met | notes |",
        "|---|---|---|---|---|---|", *cache, "",
        f"Start-up, median of {runs} runs"
        + (f"; *before* is the checkout at `{before}` (eager imports)." if before else "."), "",
        startup_head, startup_rule, *startup, END, ""])


def write_section(text: str, results: Path) -> None:
    old = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    if BEGIN in old and END in old:
        head, _, rest = old.partition(BEGIN)
        _, _, tail = rest.partition(END)
        new = head + text.rstrip("\n") + tail
    else:
        new = old.rstrip("\n") + "\n\n" + text
    results.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, default=None,
                        help="another checkout whose start-up to measure too")
    parser.add_argument("--runs", type=int, default=3, help="runs per start-up measurement")
    parser.add_argument("--skip-cache", action="store_true", help="only start-up")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="derive-bench-") as folder:
        copy = Path(folder)
        _copy_project(copy)
        cache = [] if args.skip_cache else cache_rows(copy)
        startup = startup_rows(copy, args.before, args.runs)
    text = section(cache, startup, args.before, args.runs)
    write_section(text, args.output)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
