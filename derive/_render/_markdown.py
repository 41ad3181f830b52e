"""The Markdown report: the HTML report's content, with maths in ``$...$`` / ``$$...$$``
(as GitHub and other MathJax/KaTeX viewers render it) and the plots as SVG files
next to it."""

from __future__ import annotations

import re
from collections.abc import Iterable

import sympy

from derive._model._derivation import Hypothesis
from derive._render import _present as present
from derive._render._latex import is_prose, standard_latex
from derive._render._plots import Plot, plots_for
from derive._run._report import Report, environment
from derive._run._runner import CrossCheckResult, DerivationResult, StepResult

__all__ = ["render_markdown"]


def _display(latex: str) -> str:
    return f"$$\n{standard_latex(latex)}\n$$"


def _inline(latex: str) -> str:
    return f"${standard_latex(latex).replace(chr(10), ' ')}$"


def _text(text: str) -> str:
    """Plain text safe in Markdown: ``*``, ``_``, `` ` ``, ``$``, ``|`` and brackets escaped."""
    return re.sub(r"([\\`*_\[\]<>|$#])", r"\\\1", text)


def _quote(quote: str) -> str:
    if not is_prose(quote):
        return "\n".join("> " + line for line in _display(quote).splitlines())
    return "> " + quote.replace("\n", "\n> ")


def _cell(text: str) -> str:
    return re.sub(r"(?<!\\)\|", r"\\|", text).replace("\n", " ")


def _table(header: list[str], rows: Iterable[Iterable[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


class _Writer:
    """Collects the lines of the report and the plot files it refers to."""

    def __init__(self, report: Report, files_dir: str) -> None:
        self.report, self.files_dir = report, files_dir
        self.lines: list[str] = []
        self.files: dict[str, str] = {}

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def paragraph(self, *lines: str) -> None:
        self.lines.extend([*lines, ""])

    # ---------------------------------------------------------------- top of the report

    def summary(self, title: str) -> None:
        self.paragraph(f"# {_text(title)}")
        status = ("Every derivation meets its expectation." if self.report.ok
                  else "**Some derivations do not meet their expectation.**")
        self.paragraph(status)
        self.paragraph(*[f"- {line}" for line in present.summary_lines(self.report)])
        self.paragraph("Environment: " + ", ".join(
            f"{name} {version}" for name, version in environment().items()) + ".")

    def contents(self) -> None:
        self.paragraph("## Contents")
        rows = []
        for document, sections in present.outline(self.report):
            for section, results in sections:
                rows.append([f"**{_text(document)} · {_text(section)}**", "", "", "", "", ""])
                rows += [self._contents_row(r) for r in results]
        rows += [[f"`{path}`", "-", "! failed to load", "-", "**NO**", "-"]
                 for path, _ in self.report.load_errors]
        header = ["derivation", "expected", "verdict", "cross-checks", "meets", "seconds"]
        self.paragraph(*_table(header, rows))
        for path, error in self.report.load_errors:
            self.paragraph(f"Failed to load `{path}`:", "", "```", error, "```")

    def _contents_row(self, result: DerivationResult) -> list[str]:
        ident = result.derivation.id
        word = present.status_word(result)
        mark = "!" if word == "error" else present.VERDICT_MARKS[result.verdict]
        return [f"[{ident}](#{present.anchor(ident)})", result.derivation.expected.kind,
                f"{mark} {word}", present.crosscheck_cell(result),
                "yes" if result.meets_expectation else "**NO**", f"{result.seconds:.1f}"]

    # ---------------------------------------------------------------- one derivation

    def derivation(self, result: DerivationResult) -> None:
        d = result.derivation
        meets = "meets its expectation" if result.meets_expectation else \
            "**does NOT meet its expectation**"
        word = present.status_word(result)
        self.paragraph(f'<a id="{present.anchor(d.id)}"></a>', "", f"#### {_text(d.title)}")
        self.paragraph(f"`{d.id}` · expected: {d.expected.kind} · verdict: {word} · "
                       f"{meets} · {result.seconds:.2f} s")
        self.paragraph(f"Source: `{d.source.document}`, section “{_text(d.source.section)}”")
        self.paragraph(_quote(d.source.quote))
        self.hypotheses(result)
        if result.error is not None:
            self.paragraph("**Checking raised an error; nothing was decided:**", "", "```",
                           result.error, "```")
        self.steps(result)
        self.errata(result)
        self.crosschecks(result)
        self.reproduce(result)

    def hypotheses(self, result: DerivationResult) -> None:
        """"Checked under:" the hypotheses, those the notes do not state marked."""
        hypotheses = result.derivation.hypotheses
        if not hypotheses:
            self.paragraph(f"Checked under: {_text(present.NO_HYPOTHESES)}.")
            return
        self.paragraph("**Checked under:**", "", *[f"- {_hypothesis(h)}" for h in hypotheses])

    def steps(self, result: DerivationResult) -> None:
        d = result.derivation
        self.paragraph("**Steps**")
        self.paragraph(f"Line 0 ({_text(d.start.why) or 'start'}):", "", _display(d.start.latex))
        self.latex_note(result, 0)
        for step in result.steps:
            self.step(step)
            self.latex_note(result, step.index)
        if result.conclusion is not None:
            self.step(result.conclusion, label="Conclusion (the first line against the last)",
                      first=d.start.latex)

    def step(self, step: StepResult, label: str | None = None, first: str = "") -> None:
        mark = present.VERDICT_MARKS[step.verdict]
        why = f": {_text(step.why)}" if step.why and label is None else ""
        head = label or f"Line {step.index}"
        self.paragraph(f"{head} {mark} **{step.verdict.value}** ({step.check.method.value})"
                       f"{why}", "", _display(f"{first} {_relation(step)} {step.latex}"))
        self.check_details(step)

    def latex_note(self, result: DerivationResult, index: int) -> None:
        """Say so when a line's LaTeX disagrees with its expression or was not read."""
        checks = result.latex.get("lines", ())
        if index < len(checks) and checks[index].verdict != "agrees":
            check = checks[index]
            self.paragraph(f"*The LaTeX of line {index}: {check.verdict}* "
                           f"({_text(check.reason or '')})")

    def check_details(self, step: StepResult) -> None:
        check = step.check
        if check.counterexample is not None:
            self.paragraph("Counterexample:", "", *_table(
                ["symbol", "value"], ([f"`{k}`", f"`{v}`"] for k, v in
                                      check.counterexample.items())))
        if check.values:
            sides = zip(("previous line", "this line", "difference"), check.values, strict=False)
            self.paragraph(*_table(["at the counterexample", "value"],
                                   ([k, f"`{v}`"] for k, v in sides)))
        if check.residual and step.verdict.value != "proved":
            self.paragraph(f"Residual: `{check.residual}`")
        if check.reason:
            self.paragraph(f"Reason: {_text(check.reason)}")

    def errata(self, result: DerivationResult) -> None:
        d = result.derivation
        lines = d.lines()
        for correction in d.expected.corrections:
            notes = lines[correction.step]
            self.paragraph("**Erratum**")
            self.paragraph(*_table([f"the notes' line {correction.step}", "corrected line"],
                                   [[_inline(notes.latex),
                                     _inline(correction.corrected.latex)]]))
            self.isolation(result, correction.step)
            self.paragraph(_text(correction.explanation))
            checks = [r for r in result.corrected
                      if r.index in (correction.step, correction.step + 1)]
            self.paragraph("Corrected chain: " + "; ".join(
                f"link {r.index}: {present.VERDICT_MARKS[r.verdict]} {r.verdict.value} "
                f"({r.check.method.value})" for r in checks))

    def isolation(self, result: DerivationResult, line: int) -> None:
        """What the correction's isolated check showed: the failing link and its point."""
        isolated = result.isolated_for(line)
        if isolated is None:
            return
        mark = present.VERDICT_MARKS[isolated.link.verdict]
        self.paragraph(f"{mark} {_text(present.isolation_sentence(result, isolated))}")
        self.check_details(isolated.link)

    def crosschecks(self, result: DerivationResult) -> None:
        if result.crosschecks:
            self.paragraph("**Cross-checks**")
        for check in result.crosschecks:
            self.crosscheck(check, f"{result.derivation.id}:{check.name}")

    def crosscheck(self, check: CrossCheckResult, key: str) -> None:
        verdict = f"{present.CROSSCHECK_MARKS.get(check.verdict, '?')} {check.verdict}"
        if present.crashed(check):
            verdict += " (crashed)"
        rows = [["verdict", verdict], ["estimate", present.spread(check)],
                ["claimed value", present.number(check.expected)],
                ["z", present.number(check.z)]]
        rows += [[f"alternative: {_text(label)}", (f"{present.number(alt.get('value'))}, "
                  f"z = {present.number(alt.get('z'))}")]
                 for label, alt in check.alternatives.items()]
        rows += [["seed", str(check.seed)], ["seconds", f"{check.seconds:.2f}"]]
        rows += [[label, _text(text)] for label, text in (("details", check.details),
                                                          ("reason", check.reason)) if text]
        self.paragraph(f"*{_text(check.name)}*", "", *_table(["", ""], rows))
        for k, plot in enumerate(plots_for(check.data, key)):
            self.plot(plot, key, k)

    def plot(self, plot: Plot, key: str, k: int) -> None:
        if plot.svg is None:
            self.paragraph(f"Plot “{_text(plot.caption)}”: {_text(plot.error or '')}")
            return
        name = f"{self.files_dir}/{_slug(key)}-{k}.svg"
        self.files[name] = plot.svg
        self.paragraph(f"![{_text(plot.caption)}]({name})")

    def reproduce(self, result: DerivationResult) -> None:
        seeds = [f"{label}: {seed}" for label, seed in present.step_seeds(result)]
        seeds += [f"cross-check “{c.name}”: {c.seed}" for c in result.crosschecks]
        self.paragraph("Reproduce: `" + present.reproduce_command(
            self.report, result.derivation.id) + "`; seeds (derived from the id): "
            + _text("; ".join(seeds)) + "; versions: " + present.versions_line() + ".")


def _hypothesis(hypothesis: Hypothesis) -> str:
    note = f" ({_text(hypothesis.note)})" if hypothesis.note else ""
    if hypothesis.quote is None:
        origin = f"**{present.NOT_STATED}**"
    else:
        quote = hypothesis.quote if is_prose(hypothesis.quote) else _inline(hypothesis.quote)
        origin = f"the notes: “{quote.replace(chr(10), ' ')}”"
    return f"{_inline(hypothesis.latex)} — {origin}{note}"


def _relation(step: StepResult) -> str:
    symbol = step.relation.latex
    if str(step.scale) != "1":
        symbol += r" \left(" + sympy.latex(step.scale) + r"\right) \times"
    return symbol


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def render_markdown(report: Report, *, files_dir: str = "report_files",
                    title: str = "Derivation report") -> tuple[str, dict[str, str]]:
    """The report as Markdown, and the plot files it links to (``{relative path: SVG}``).

    ``files_dir`` is the folder, relative to the Markdown file, that holds the plots.
    """
    writer = _Writer(report, files_dir)
    writer.summary(title)
    writer.contents()
    for document, sections in present.outline(report):
        writer.paragraph(f"## {_text(document)}")
        for section, results in sections:
            writer.paragraph(f"### {_text(section)}")
            for result in results:
                writer.derivation(result)
    return "\n".join(writer.lines).rstrip() + "\n", writer.files
