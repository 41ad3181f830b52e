"""What the HTML and Markdown reports both say, independent of markup."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from derive._base._verdict import CrossCheckVerdict, Verdict
from derive._model._derivation import Hypothesis
from derive._run._report import Report, environment
from derive._run._runner import (
    CrossCheckResult,
    DerivationResult,
    IsolatedCheck,
    StepResult,
)

__all__ = ["VERDICT_MARKS", "CROSSCHECK_MARKS", "number", "spread", "crosscheck_cell",
           "outline", "summary_lines", "reproduce_command", "step_seeds", "versions_line",
           "crashed", "status_word", "relation_symbol", "anchor", "NOT_STATED", "NO_HYPOTHESES",
           "hypothesis_origin", "isolation_sentence"]

VERDICT_MARKS = {
    Verdict.PROVED: "✓", Verdict.NUMERICALLY_VERIFIED: "≈",
    Verdict.REFUTED: "✗", Verdict.INCONCLUSIVE: "?",
}
CROSSCHECK_MARKS = {CrossCheckVerdict.AGREES: "✓", CrossCheckVerdict.DISAGREES: "✗",
                    CrossCheckVerdict.INCONCLUSIVE: "?"}
NOT_STATED = "added by the check, not stated in the notes"
NO_HYPOTHESES = "no hypotheses listed beyond the symbols' assumptions"


def number(value: Any) -> str:
    """A number as a reader wants it: 6 significant digits, ``∞``, or ``-`` when absent."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return {"inf": "∞", "-inf": "-∞"}.get(value, value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return f"{value:.6g}"


def spread(result: CrossCheckResult) -> str:
    """``estimate ± standard error`` (or ``± tolerance`` for a deterministic comparison)."""
    if result.estimate is None:
        return "-"
    if result.stderr is not None:
        return f"{number(result.estimate)} ± {number(result.stderr)}"
    return f"{number(result.estimate)} (tolerance {number(result.tolerance)})"


def crashed(result: CrossCheckResult) -> bool:
    """A cross-check that raised: it has a reason but no estimate."""
    return result.estimate is None


def crosscheck_cell(result: DerivationResult) -> str:
    """``2/3 agree``, with the crashed ones counted, or ``-`` when there are none."""
    checks = result.crosschecks
    if not checks:
        return "-"
    text = f"{sum(c.verdict is CrossCheckVerdict.AGREES for c in checks)}/{len(checks)} agree"
    broken = sum(crashed(c) for c in checks)
    return text + (f", {broken} crashed" if broken else "")


def status_word(result: DerivationResult) -> str:
    """The verdict column: the verdict, or ``error`` when checking raised."""
    return "error" if result.error is not None else result.verdict.value


def relation_symbol(step: StepResult) -> str:
    """The relation as shown: ``= const + c ×`` when a scale ``c`` is not 1."""
    symbol = step.relation.symbol
    return symbol if str(step.scale) == "1" else f"{symbol} ({step.scale}) ×"


def anchor(derivation_id: str) -> str:
    return f"d-{derivation_id}"


def outline(report: Report) -> list[tuple[str, list[tuple[str, list[DerivationResult]]]]]:
    """The results grouped by document, then by section, in the order first seen."""
    documents: dict[str, dict[str, list[DerivationResult]]] = {}
    for result in report.results:
        source = result.derivation.source
        documents.setdefault(source.document, {}).setdefault(source.section, []).append(result)
    return [(doc, list(sections.items())) for doc, sections in documents.items()]


def summary_lines(report: Report) -> list[str]:
    """The summary at the top: status, counts by verdict, errata, failures, time taken."""
    s = report.summary()
    verdicts = ", ".join(f"{count} {word}" for word, count in s["verdicts"].items())
    errata = sum(r.derivation.expected.is_erratum and r.meets_expectation for r in report.results)
    lines = [
        f"{s['meet_expectation']} of {s['derivations']} derivations meet their expectation.",
        f"Verdicts: {verdicts}.",
        (f"Errata found in the notes: {errata} shown with a counterexample and a proved "
        f"correction (of {s['errata']} expected)."),
        f"Time taken: {report.seconds:.1f} s.",
    ]
    if s["errors"] or s["load_errors"]:
        lines.append(f"Failures: {s['load_errors']} proof file(s) failed to load, "
                     f"{s['errors']} derivation(s) raised while being checked.")
    return lines


def reproduce_command(report: Report, derivation_id: str) -> str:
    path = report.files.get(derivation_id, "proofs")
    return f"derive check {path} -k {derivation_id}"


def step_seeds(result: DerivationResult) -> Iterator[tuple[str, int]]:
    """The seed of each link's random-point rung, as :func:`derive.check_derivation` uses
    (and of each isolated check that is not a link of the notes' chain)."""
    for step in result.steps:
        if step.seed is not None:
            yield f"line {step.index}", step.seed
    for isolated in result.isolated:
        if not isolated.in_notes_chain and isolated.seed is not None:
            first, second = isolated.lines
            yield f"line {isolated.line} isolated (link {first} → {second})", isolated.seed


def hypothesis_origin(hypothesis: Hypothesis) -> str:
    """Where a hypothesis comes from: the notes (``the notes: “…”``) or the check."""
    return f"the notes: “{hypothesis.quote}”" if hypothesis.stated_by_notes else NOT_STATED


def isolation_sentence(result: DerivationResult, isolated: IsolatedCheck) -> str:
    """What a correction's isolated check showed, in one sentence."""
    check = isolated.link.check
    link = f"{_isolated_link(result, isolated)} is {check.verdict.value} ({check.method.value})"
    where = ("with the other corrections applied, the notes' line"
             if len(result.derivation.expected.corrections) > 1 else "the notes' line")
    if isolated.isolated:
        fails = "still fails" if where.startswith("with") else "fails"
        return f"{where[0].upper()}{where[1:]} {isolated.line} {fails}: {link} at the point below."
    return (f"Not isolated: {where} {isolated.line} does not fail: {link}, so the blame is not "
            "shown to fall on this line.")


def _isolated_link(result: DerivationResult, isolated: IsolatedCheck) -> str:
    """``link 1 → 2``, saying which end is a corrected line when one is."""
    first, second = isolated.lines
    corrected = {c.step for c in result.derivation.expected.corrections} - {isolated.line}
    ends = [f"the corrected line {k}" if k in corrected else f"the notes' line {k}"
            for k in (first, second)]
    detail = f" ({ends[0]} against {ends[1]})" if corrected & {first, second} else ""
    return f"link {first} → {second}{detail}"


def versions_line() -> str:
    return ", ".join(f"{name} {version}" for name, version in environment().items())
