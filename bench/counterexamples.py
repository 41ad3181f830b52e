"""Counterexample sizes before and after shrinking, for every refuted link in proofs/.

    python bench/counterexamples.py                 # runs derive check -j 1 over proofs/
    python bench/counterexamples.py --json FILE     # reads a report written by derive check --json

Size: the digits in the printed values and the number of entries (symbols, draws,
matrices, functions, laws), of ``counterexample_raw`` (the point first found) and
of ``counterexample`` (the shrunk point reported).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))



def size_of(shown: dict[str, str]) -> tuple[int, int]:
    """The size of a printed counterexample: (digits in its values, entries)."""
    return sum(ch.isdigit() for value in shown.values() for ch in value), len(shown)


def _report(path: str | None) -> dict:
    if path:
        return json.loads(Path(path).read_text())
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.json"
        subprocess.run([sys.executable, "-m", "derive._cli", "check", str(HERE.parent / "proofs"),
                        "-q", "-j", "1", "--json", str(out)], check=False, capture_output=True)
        return json.loads(out.read_text())


def _refuted_links(report: dict):
    for derivation in report["derivations"]:
        links = [*derivation["steps"], derivation.get("conclusion") or {}]
        for corrected in derivation.get("corrected") or []:
            links += [c for c in corrected.get("checks", []) if isinstance(c, dict)]
            if isinstance(corrected.get("isolated"), dict):
                links.append(corrected["isolated"])
        for link in links:
            if link.get("verdict") == "refuted" and link.get("counterexample_raw"):
                yield derivation["id"], link


def table(report: dict) -> str:
    lines = [("| derivation | line | digits before | digits after | entries before "
              "| entries after |"),
             "|---|---|---|---|---|---|"]
    totals = [0, 0]
    for ident, link in _refuted_links(report):
        before, after = size_of(link["counterexample_raw"]), size_of(link["counterexample"])
        totals[0] += before[0]
        totals[1] += after[0]
        lines.append(f"| {ident} | {link.get('index', '')} | {before[0]} | {after[0]} | "
                     f"{before[1]} | {after[1]} |")
    lines.append(f"| **all** | | **{totals[0]}** | **{totals[1]}** | | |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="a report written by derive check --json")
    print(table(_report(parser.parse_args(argv).json)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
