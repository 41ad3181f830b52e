"""The ``derive`` command: ``derive check`` and ``derive report``."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from derive._base._defaults import DEFAULT_BUDGET
from derive._base._errors import DeriveError
from derive._kept import Checked, check_files
from derive._render._progress import Progress
from derive._run._files import CACHE_FOLDER, default_cache_dir
from derive._run._records import Record

if TYPE_CHECKING:
    from derive._model._derivation import Derivation
    from derive._run._report import Report
    from derive._run._runner import DerivationResult, IsolatedCheck, StepResult

__all__ = ["main", "make_record", "print_table", "report_format", "verbose_lines"]

_DEFAULT_PATH = "proofs"
_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="derive", description="Check derivations step by step (SymPy) and by simulation.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check derivations and print a summary table")
    _common(check)
    check.add_argument("--json", metavar="FILE", help="also write the JSON report to FILE")
    report = commands.add_parser("report", help="write a derivation report (HTML, Markdown, JSON)")
    _common(report)
    report.add_argument("-o", "--output", metavar="FILE", required=True,
                        help="report file; its suffix (.html, .md, .json) gives the format")
    report.add_argument("--format", choices=("html", "md", "json"), default=None,
                        help="report format (default: from the suffix of FILE)")
    cache = commands.add_parser("cache", help="manage the answers kept between runs")
    cache.add_argument("action", choices=("clear",), help="clear: remove every kept answer")
    cache.add_argument("--cache-dir", metavar="DIR", default=None,
                       help=f"the cache folder (default: ./{CACHE_FOLDER} of the project "
                            f"holding ./{_DEFAULT_PATH})")
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help=f"proof files or directories (default: ./{_DEFAULT_PATH})")
    parser.add_argument("--budget", type=_positive, default=None,
                        help="seconds per check (default: each derivation's own, "
                             f"{DEFAULT_BUDGET:g})")
    parser.add_argument("-k", dest="keyword", default=None,
                        help="only derivations whose id contains this text")
    parser.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                        help="check derivations in N worker processes (default: the available "
                             "cores; 1 checks them in this process)")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None,
                        help="check derivations on the dask.distributed cluster whose "
                             "scheduler is at ADDRESS (tcp://host:8786) instead of -j workers")
    caching = parser.add_mutually_exclusive_group()
    caching.add_argument("--cache-dir", metavar="DIR", default=None,
                         help=f"keep answers between runs in DIR (default: {CACHE_FOLDER}/ in "
                              "the project holding the first PATH)")
    caching.add_argument("--no-cache", action="store_true",
                         help="neither read nor write answers kept between runs")
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true",
                          help="print only the summary line and the problems")
    loudness.add_argument("-v", "--verbose", action="store_true",
                          help="print every step's verdict as each derivation finishes")


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 process, got {text!r}")
    return value


def report_format(output: str, requested: str | None) -> str:
    """``requested``, or the format the suffix of ``output`` names."""
    if requested:
        return requested
    suffix = Path(output).suffix.lower()
    if suffix not in _FORMATS:
        raise DeriveError(f"cannot tell the report format from {output!r}: use a .html, .md or "
                          ".json file, or --format")
    return _FORMATS[suffix]


# ------------------------------------------------------------------ the table


def _row(result: DerivationResult) -> tuple[str, ...]:
    from derive._render._present import crosscheck_cell, status_word

    return (result.derivation.id, result.derivation.expected.kind, status_word(result),
            crosscheck_cell(result), "yes" if result.meets_expectation else "NO",
            f"{result.seconds:.1f}")


def make_record(result: DerivationResult) -> Record:
    """What the table, the problems, ``-v`` and the JSON report show of ``result``."""
    entry = result.to_dict()
    entry.setdefault("error", None)
    return Record(entry, _row(result), tuple(result.failures()), tuple(verbose_lines(result)))


def _load_error_row(path: str) -> list[str]:
    return [Path(path).name, "-", "load error", "-", "NO", "-"]


def print_table(report: Report | Checked, out: TextIO, *, quiet: bool = False) -> None:
    """The summary table (unless ``quiet``), the problems, and the summary line."""
    checked = report if isinstance(report, Checked) else Checked.of(report, make_record)
    if not quiet:
        header = ["derivation", "expected", "verdict", "cross-checks", "meets", "seconds"]
        rows = ([header] + [list(r.row) for r in checked.records]
                + [_load_error_row(p) for p, _ in checked.load_errors])
        widths = [max(len(row[k]) for row in rows) for k in range(len(header))]
        for n, row in enumerate(rows):
            cells = (cell.ljust(w) for cell, w in zip(row, widths, strict=False))
            print("  ".join(cells).rstrip(), file=out)
            if n == 0:
                print("  ".join("-" * w for w in widths), file=out)
    _print_problems(checked, out)
    print(("\n" if not quiet else "") + summary_line(checked), file=out)


def summary_line(report: Report | Checked) -> str:
    summary = report.summary()
    line = (f"{summary['meet_expectation']} of {summary['derivations']} derivations meet their "
            f"expectation ({summary['errata']} errata in the notes) in {report.seconds:.1f} s")
    failures = [f"{summary['load_errors']} proof file(s) failed to load"] * bool(
        summary["load_errors"]) + [f"{summary['errors']} raised"] * bool(summary["errors"])
    return line + (f"; {', '.join(failures)}" if failures else "")


def _print_problems(checked: Checked, out: TextIO) -> None:
    for path, error in checked.load_errors:
        print(f"\nfailed to load {path}:\n  {error}", file=out)
    for record in checked.records:
        if record.failures:
            print("\n" + "\n".join(record.failures), file=out)


# ------------------------------------------------------------------ verbose lines


def _step_line(label: str, step: StepResult) -> str:
    check = step.check
    text = (f"  {label} {step.index:>2} {step.relation.value:<2} {step.verdict.value} "
            f"({check.method.value}, {check.seconds:.2f} s)")
    text += f"  {step.why}" if step.why and label != "conclusion" else ""
    if check.counterexample is not None:
        text += f"\n      counterexample: {dict(check.counterexample)}"
    return text + (f"\n      reason: {check.reason}" if check.reason else "")


def hypothesis_lines(derivation: Derivation) -> list[str]:
    """``checked under:`` and one line per hypothesis, those the notes do not state marked."""
    from derive._render._present import NO_HYPOTHESES, hypothesis_origin

    if not derivation.hypotheses:
        return [f"  checked under: {NO_HYPOTHESES}"]
    return ["  checked under:"] + [
        f"    {h.latex}  [{hypothesis_origin(h)}]" + (f"  ({h.note})" if h.note else "")
        for h in derivation.hypotheses]


def _isolation_line(result: DerivationResult, isolated: IsolatedCheck) -> str:
    from derive._render._present import isolation_sentence

    cost = ("the notes' own link" if isolated.in_notes_chain
            else f"{isolated.link.check.seconds:.2f} s")
    text = f"  erratum line {isolated.line:>2}: {isolation_sentence(result, isolated)} ({cost})"
    counterexample = isolated.link.check.counterexample
    return text + (f"\n      counterexample: {dict(counterexample)}" if counterexample else "")


def verbose_lines(result: DerivationResult) -> list[str]:
    """Every step's verdict, the conclusion, the corrections and the cross-checks."""
    from derive._render._present import number, spread, status_word

    meets = "meets its expectation" if result.meets_expectation else "does NOT meet its expectation"
    lines = [f"{result.derivation.id}: {status_word(result)}, {meets} ({result.seconds:.1f} s)"]
    lines += hypothesis_lines(result.derivation)
    lines += [_step_line("line", s) for s in result.steps]
    if result.conclusion is not None:
        lines.append(_step_line("conclusion", result.conclusion))
    lines += [_step_line("corrected line", s) for s in result.corrected
              if s is not result.steps[s.index - 1]]
    lines += [_isolation_line(result, i) for i in result.isolated]
    lines += [f"  cross-check {c.name}: {c.verdict} ({spread(c)}, z = {number(c.z)})"
              for c in result.crosschecks]
    return lines + [f"  {line}" for line in (result.error or "").splitlines()]


# ------------------------------------------------------------------ running


def _run(args: argparse.Namespace, progress: Progress) -> Checked:
    paths = args.paths or [_DEFAULT_PATH]
    select = (lambda ident: args.keyword in ident) if args.keyword else None

    def started(derivation: Derivation, index: int, total: int) -> None:
        progress.start(derivation.id, index, total)

    def finished(record: Record) -> None:
        progress.finish(record.id)
        if args.verbose:
            progress.write("\n".join(record.verbose), sys.stdout)

    def jobs() -> int:
        from derive._run._parallel import available_cores

        return int(args.jobs) if args.jobs is not None else available_cores()

    cache_dir = _cache_dir(args, paths)
    with _cluster(args.scheduler) as executor:
        if cache_dir is None or _needs_report(args):
            from derive._run._report import check_paths

            report = check_paths(paths, budget=args.budget, select=select, on_start=started,
                                 on_result=lambda result: finished(make_record(result)),
                                 jobs=jobs(), cache_dir=cache_dir, executor=executor)
            return Checked.of(report, make_record)
        return check_files(paths, make_record, cache_dir=cache_dir, budget=args.budget,
                           select=select, jobs=jobs, executor=executor, on_start=started,
                           on_record=finished)


def _needs_report(args: argparse.Namespace) -> bool:
    """Whether every derivation must be checked in this run: the HTML and Markdown reports
    need the derivations themselves, not only their records."""
    return args.command == "report" and report_format(args.output, args.format) != "json"


@contextlib.contextmanager
def _cluster(address: str | None) -> Iterator[Any]:
    """A ``distributed.Client`` connected to ``address``, or ``None`` without one."""
    if address is None:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise DeriveError("--scheduler needs dask.distributed: pip install "
                          "'derive-verifier[dask]'") from None
    try:
        client = Client(address, timeout=30)
    except (OSError, ValueError) as exc:
        raise DeriveError(f"cannot reach the dask scheduler at {address!r}: {exc}") from None
    with client:
        yield client


def _cache_dir(args: argparse.Namespace, paths: list[str]) -> Path | None:
    if getattr(args, "no_cache", False):
        return None
    return Path(args.cache_dir) if args.cache_dir else default_cache_dir(paths)


def _clear_cache(args: argparse.Namespace) -> int:
    from derive._run._answers import answer_cache

    folder = _cache_dir(args, [_DEFAULT_PATH])
    removed = answer_cache.clear(folder)
    print(f"removed {len(removed)} cache folder(s) from {folder}")
    return 0


def _write(path: str | Path, text: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")


def write_report(report: Report, output: str, form: str) -> list[str]:
    """Write ``report`` to ``output`` as ``form``; the files written, report first."""
    if form == "json":
        _write(output, report.to_json())
        return [output]
    if form == "html":
        from derive._render._html import render_html
        _write(output, render_html(report))
        return [output]
    from derive._render._markdown import render_markdown
    folder = f"{Path(output).stem}_files"
    text, files = render_markdown(report, files_dir=folder)
    _write(output, text)
    for name, content in files.items():
        _write(Path(output).parent / name, content)
    return [output, *(str(Path(output).parent / name) for name in files)]


def _finish(args: argparse.Namespace, checked: Checked) -> None:
    if args.command == "check":
        print_table(checked, sys.stdout, quiet=args.quiet)
        if args.verbose:
            for path, reason in checked.unkept:
                print(f"not kept for the next run: {path}: {reason}")
        if args.json:
            _write(args.json, checked.to_json())
        return
    form = report_format(args.output, args.format)
    if form == "json":
        _write(args.output, checked.to_json())
        written = [args.output]
    elif checked.report is not None:  # every derivation was checked (_needs_report)
        written = write_report(checked.report, args.output, form)
    else:
        raise DeriveError(f"cannot write a {form} report from kept results alone")
    print_table(checked, sys.stdout, quiet=True)
    if not args.quiet:
        plots = f" and {len(written) - 1} plot file(s)" if len(written) > 1 else ""
        print(f"wrote {args.output}{plots}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``derive`` command; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "cache":
        return _clear_cache(args)
    try:
        if args.command == "report":
            report_format(args.output, args.format)
        with Progress(sys.stderr, sys.stderr.isatty() and not args.quiet) as progress:
            checked = _run(args, progress)
        _finish(args, checked)
    except DeriveError as exc:
        print(f"derive: error: {exc}", file=sys.stderr)
        return 2
    return 0 if checked.ok else 1


if __name__ == "__main__":
    sys.exit(main())
