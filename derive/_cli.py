"""The ``derive`` command: ``derive check`` and ``derive report``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence, TextIO

from ._check import DEFAULT_BUDGET
from ._errors import DeriveError
from ._report import Report, check_paths
from ._runner import DerivationResult

__all__ = ["main"]

_DEFAULT_PATH = "proofs"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="derive", description="Check derivations step by step (SymPy) and by simulation.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check derivations and print a summary table")
    _common(check)
    check.add_argument("--json", metavar="FILE", help="also write the JSON report to FILE")
    report = commands.add_parser("report", help="write a derivation report")
    _common(report)
    report.add_argument("-o", "--output", metavar="FILE", required=True, help="report file")
    report.add_argument("--format", choices=("json",), default="json", help="report format")
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help=f"proof files or directories (default: ./{_DEFAULT_PATH})")
    parser.add_argument("--budget", type=_positive, default=None,
                        help=f"seconds per check (default: each derivation's own, {DEFAULT_BUDGET:g})")
    parser.add_argument("-k", dest="keyword", default=None,
                        help="only derivations whose id contains this text")


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _crosscheck_cell(result: DerivationResult) -> str:
    checks = result.crosschecks
    if not checks:
        return "-"
    agree = sum(c.verdict == "agrees" for c in checks)
    return f"{agree}/{len(checks)} agree"


def _row(result: DerivationResult) -> list[str]:
    return [result.derivation.id, result.derivation.expected.kind, result.verdict.value,
            _crosscheck_cell(result), "yes" if result.meets_expectation else "NO",
            f"{result.seconds:.1f}"]


def print_table(report: Report, out: TextIO) -> None:
    header = ["derivation", "expected", "verdict", "cross-checks", "meets", "seconds"]
    rows = [header] + [_row(r) for r in report.results]
    widths = [max(len(row[k]) for row in rows) for k in range(len(header))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip(), file=out)
        if n == 0:
            print("  ".join("-" * w for w in widths), file=out)
    _print_problems(report, out)
    summary = report.summary()
    print(f"\n{summary['meet_expectation']} of {summary['derivations']} derivations meet their "
          f"expectation ({summary['errata']} errata in the notes) in {report.seconds:.1f} s",
          file=out)


def _print_problems(report: Report, out: TextIO) -> None:
    for path, error in report.load_errors:
        print(f"\nfailed to load {path}:\n  {error}", file=out)
    for result in report.results:
        lines = result.failures()
        if lines:
            print("\n" + "\n".join(lines), file=out)


def _run(args: argparse.Namespace) -> Report:
    paths = args.paths or [_DEFAULT_PATH]
    select = (lambda ident: args.keyword in ident) if args.keyword else None
    return check_paths(paths, budget=args.budget, select=select)


def _write(path: str, text: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``derive`` command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        report = _run(args)
    except DeriveError as exc:
        print(f"derive: error: {exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        print_table(report, sys.stdout)
        if args.json:
            _write(args.json, report.to_json())
    else:
        _write(args.output, report.to_json())
        print(f"wrote {args.output}: {report.summary()['derivations']} derivations")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
