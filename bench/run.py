"""Benchmarks, side by side, written to bench/RESULTS.md.

    python bench/run.py            # the full run (about 5 minutes on 2 cores)
    python bench/run.py --quick    # a short run (smaller sizes, no ablation, no dask)

Measures ``derive check`` over proofs/ (wall time, time per derivation, ``-j``, the probe
and the cache, and identity checking against plain ``sympy.simplify``), then ``numeric``
against raw NumPy loops and peers (scikit-learn, sdeint). Each goal is reported as met or
not met. Timings are the minimum over interleaved repeats: the machine may be shared.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # import derive and numeric from this checkout

from _machine import describe
from _table import HEADER, Row, markdown_table

HOW = """\
How it was measured: `derive check` runs in a fresh process (`python -m derive._cli check -q
-j N --json ...`), so its wall time includes Python start-up, imports, collecting proofs/ and
starting the worker processes. The ablation runs the same check repeatedly inside one
process. Plain `sympy.simplify` runs on the same links (every adjacent pair of lines, each
conclusion, and each corrected link), one killable worker process per call so that a step it
cannot finish does not hang the benchmark. Numeric timings are the minimum of interleaved
repeats; memory is the peak resident set size (`ru_maxrss`) of a fresh subprocess.
"""


def _arguments(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run: smaller sizes")
    parser.add_argument("--output", default=str(HERE / "RESULTS.md"), help="results file")
    parser.add_argument("--skip-derive", action="store_true", help="only the numeric part")
    parser.add_argument("--skip-numeric", action="store_true", help="only the derive part")
    return parser.parse_args(argv)


def _rows_table(rows: list[Row]) -> str:
    return markdown_table(HEADER, [row.cells() for row in rows])


def _goals(rows: list[Row]) -> str:
    judged = [row for row in rows if row.met is not None]
    missed = [row.what for row in judged if not row.met]
    line = f"{len(judged) - len(missed)} of {len(judged)} goals met."
    return line + (" Not met: " + "; ".join(missed) + "." if missed else "")


def _derive_part(quick: bool) -> tuple[list[str], list[Row]]:
    from _derive import derive_section

    section = derive_section(quick)
    parts = ["## `derive check` over proofs/", _rows_table(section["rows"]),
             "### Identity checking: derive against plain `sympy.simplify(lhs - rhs) == 0`",
             section["identity"], section["identity_notes"]]
    if section["ablation"]:
        parts += [("### Where the time went: the same check with and without the probe and the "
                  "cache"), section["ablation"]]
    parts += ["### Time per derivation", section["per_derivation"]]
    return parts, section["rows"]


def _numeric_part(quick: bool) -> tuple[list[str], list[Row]]:
    from _numeric import numeric_rows

    rows = numeric_rows(quick)
    return ["## numeric against raw NumPy and peers", _rows_table(rows)], rows


def _sections_of_others(path: Path) -> str:
    """What other scripts wrote after this script's part of ``path`` (kept as it is)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    mine = old.find("## How it was measured")
    if mine < 0:
        return ""
    after = [i for i in (old.find("\n## ", mine + 1), old.find("\n<!-- ", mine + 1)) if i >= 0]
    return "\n" + old[min(after) + 1:] if after else ""


def main(argv=None) -> int:
    args = _arguments(argv)
    start = time.perf_counter()
    machine = describe()
    parts, rows = [], []
    for skip, part in ((args.skip_derive, _derive_part), (args.skip_numeric, _numeric_part)):
        if not skip:
            texts, measured = part(args.quick)
            parts += texts
            rows += measured
    kind = "quick run (`--quick`: smaller sizes)" if args.quick else "full run"
    head = ["# Benchmark results", (f"`python bench/run.py{' --quick' * args.quick}`: {kind}, "
            f"{time.perf_counter() - start:.0f} s in all. {_goals(rows)}"), "## Machine",
            markdown_table(["", ""], [[k, v] for k, v in machine.items()])]
    text = "\n\n".join(head + parts + ["## How it was measured", HOW]) + "\n"
    Path(args.output).write_text(text + _sections_of_others(Path(args.output)), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
