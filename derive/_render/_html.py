"""The HTML report: one self-contained file, mathematics as MathML, plots as inline SVG.

It makes no network request: no script, font, stylesheet or image comes from outside,
and a Content-Security-Policy forbids any.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from derive._model._derivation import Hypothesis, Step
from derive._render import _present as present
from derive._render._latex import is_prose, split_inline_math, sympy_mathml, to_mathml
from derive._render._plots import Plot, plots_for
from derive._run._report import Report, environment
from derive._run._runner import (
    HTML_FRAGMENT,
    CrossCheckResult,
    DerivationResult,
    StepResult,
)

__all__ = ["render_html"]

_SHORT_RESIDUAL = 160
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:64rem;margin:2rem auto;
  padding:0 1rem;line-height:1.45;color:#1d1d1f}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ccc}h3{margin-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .5rem;vertical-align:middle;
  border-bottom:1px solid #e3e3e3;text-align:left}th{background:#f5f5f7}
.derivation{border:1px solid #d0d0d5;border-radius:6px;padding:.2rem 1rem 1rem;margin:1.2rem 0}
.meta,.why,.small{color:#555;font-size:.9rem}
.proved,.agrees,.yes{color:#1a7f37}.refuted,.disagrees,.no,.error{color:#c62828}
.numerically-verified{color:#1f5fbf}.inconclusive{color:#8a6d00}
.badge{font-size:.8rem;padding:.1rem .45rem;border-radius:4px;border:1px solid currentColor}
blockquote{overflow-x:auto;margin:.4rem 0;padding:.3rem .8rem;border-left:4px solid #c9c9d1;
background:#fafafa}
code{background:#f3f3f6;padding:0 .2rem;border-radius:3px}
pre{background:#f3f3f6;padding:.5rem;overflow-x:auto;white-space:pre-wrap}
.erratum td{width:50%}.scroll{overflow-x:auto}.steps td:nth-child(5){min-width:14rem}
.notes{background:#fff5f5}.fixed{background:#f3fbf4}
figure{margin:.6rem 0}figure svg{max-width:100%;height:auto}
figcaption{font-size:.85rem;color:#555}
math{font-size:1.1em}math[display=block]{margin:.2rem 0}
.steps math[display=block],.erratum math[display=block]{display:inline math}
.proved,.refuted,.numerically-verified,.inconclusive,.agrees,.disagrees{white-space:nowrap}
mtd[columnalign=right]{text-align:right}mtd[columnalign=left]{text-align:left}
.unstated{color:#8a6d00}.hypotheses ul{margin:.2rem 0}
.latex-source::before{content:"LaTeX source (could not be laid out): ";color:#8a6d00;
  font-family:system-ui,sans-serif}
""".strip()


def _tag(name: str, content: str = "", **attributes: Any) -> str:
    attrs = "".join(f' {key.rstrip("_").replace("_", "-")}="{escape(str(value))}"'
                    for key, value in attributes.items() if value is not None)
    return f"<{name}{attrs}>{content}</{name}>"


def _row(cells: Iterable[str], tag: str = "td", **attributes: Any) -> str:
    return _tag("tr", "".join(_tag(tag, c) for c in cells), **attributes)


def _rows(rows: Iterable[Iterable[str]], tag: str = "td") -> str:
    return "".join(_row(cells, tag) for cells in rows)


def _table(header: list[str], rows: Iterable[Iterable[str]], class_: str | None = None) -> str:
    return _tag("table", _tag("thead", _rows([header], "th")) + _tag("tbody", _rows(rows)),
                class_=class_)


def math(latex: str, expr: Any = None, *, display: bool = False) -> str:
    """MathML for the notes' LaTeX; else SymPy's MathML of ``expr``; else the source, marked."""
    rendered = to_mathml(latex, display=display)
    if rendered is None and expr is not None:
        rendered = sympy_mathml(expr, display=display)
    if rendered is None:
        rendered = _tag("code", escape(latex), class_="latex-source")
    return rendered


def prose(text: str) -> str:
    """Text with ``$...$`` mathematics; a quote without ``$`` that looks like LaTeX is maths."""
    if not is_prose(text):
        return math(text, display=True)
    parts = []
    for kind, piece in split_inline_math(text):
        parts.append(escape(piece) if kind == "text" else math(piece, display=kind == "display"))
    return "".join(parts)


def _mark(word: str, mark: str) -> str:
    return _tag("span", f"{mark} {escape(word)}", class_=word)


def _verdict(step: StepResult) -> str:
    return _mark(step.verdict.value, present.VERDICT_MARKS[step.verdict])


def _status(result: DerivationResult) -> str:
    """The derivation's verdict mark, or ``! error`` when checking raised."""
    word = present.status_word(result)
    return _mark(word, "!" if word == "error" else present.VERDICT_MARKS[result.verdict])


# ------------------------------------------------------------------ summary and contents


def _summary(report: Report) -> str:
    status = ("every derivation meets its expectation" if report.ok
              else "some derivations do not meet their expectation")
    lines = "".join(_tag("li", escape(line)) for line in present.summary_lines(report))
    versions = _table(["library", "version"], ([escape(k), escape(v)]
                                                for k, v in environment().items()))
    return (_tag("p", _tag("strong", escape(status.capitalize()), class_="yes" if report.ok
                           else "no")) + _tag("ul", lines)
            + _tag("details", _tag("summary", "Environment that reproduces this report")
                   + versions))


def _contents_row(result: DerivationResult) -> list[str]:
    d = result.derivation
    meets = _tag("span", "yes" if result.meets_expectation else "NO",
                 class_="yes" if result.meets_expectation else "no")
    return [_tag("a", escape(d.id), href=f"#{present.anchor(d.id)}"), escape(d.expected.kind),
            _status(result), escape(present.crosscheck_cell(result)), meets,
            f"{result.seconds:.1f}"]


def _contents(report: Report) -> str:
    header = ["derivation", "expected", "verdict", "cross-checks", "meets", "seconds"]
    rows = []
    for document, sections in present.outline(report):
        for section, results in sections:
            title = _tag("th", f"{escape(document)} · {escape(section)}", colspan=len(header))
            rows.append(_tag("tr", title))
            rows += [_row(_contents_row(r)) for r in results]
    failed = _mark("error", "!") + " failed to load"
    rows += [_row([escape(path), "-", failed, "-", _tag("span", "NO", class_="no"), "-"])
             for path, _ in report.load_errors]
    head = _tag("thead", _rows([header], "th"))
    return _tag("h2", "Contents") + _tag("table", head + _tag("tbody", "".join(rows)),
                                         class_="contents")


def _load_errors(report: Report) -> str:
    if not report.load_errors:
        return ""
    items = "".join(_tag("li", _tag("code", escape(path)) + _tag("pre", escape(error)))
                    for path, error in report.load_errors)
    return _tag("h2", "Proof files that failed to load") + _tag("ul", items)


# ------------------------------------------------------------------ one derivation


def _formula(latex: str, expr: Any, why: str) -> str:
    """The line laid out, with its justification underneath."""
    return math(latex, expr, display=True) + (_tag("div", escape(why), class_="why")
                                               if why else "")


def _latex_note(result: DerivationResult, index: int) -> str:
    """A mark under a line whose LaTeX did not read as its expression."""
    checks = result.latex.get("lines", ())
    if index >= len(checks) or checks[index].verdict == "agrees":
        return ""
    check = checks[index]
    word = {"disagrees": "✗ the LaTeX says something else",
            "unparsed": "? the LaTeX was not read", "undecided": "? the LaTeX was not compared"}
    return _tag("div", escape(f"{word.get(check.verdict, check.verdict)}: {check.reason or ''}"),
                class_="why latex-" + check.verdict)


def _step_rows(result: DerivationResult) -> list[str]:
    d = result.derivation
    lines = d.lines()
    rows = [_row(["0", "", "", "", _formula(d.start.latex, d.start.expr, d.start.why)
                  + _latex_note(result, 0)])]
    for step in result.steps:
        formula = _formula(step.latex, lines[step.index].expr, step.why) + _latex_note(
            result, step.index)
        cells = [str(step.index), _verdict(step), escape(step.check.method.value),
                 escape(present.relation_symbol(step)), formula]
        rows += [_row(cells), _check_details(step)]
    return rows


def _conclusion_rows(result: DerivationResult) -> list[str]:
    step = result.conclusion
    if step is None:
        return []
    d = result.derivation
    relation = escape(present.relation_symbol(step))
    claim = (math(d.start.latex, d.start.expr, display=True) + f" {relation} "
             + math(step.latex, d.steps[-1].expr, display=True))
    cells = [f"0 → {step.index}", _verdict(step), escape(step.check.method.value), relation,
             claim + _tag("div", "conclusion: the first line against the last", class_="why")]
    return [_row(cells, class_="conclusion"), _check_details(step)]


def _check_details(step: StepResult) -> str:
    """A row under a step that is not proved: counterexample, values, residual, reason."""
    parts = _check_parts(step)
    return _tag("tr", _tag("td", parts, colspan=5)) if parts else ""


def _check_parts(step: StepResult) -> str:
    """A check's counterexample, the values there, its residual and its reason."""
    check = step.check
    parts = []
    if check.counterexample is not None:
        values = [[_tag("code", escape(k)), _tag("code", escape(v))]
                  for k, v in check.counterexample.items()]
        parts.append(_tag("div", "Counterexample:") + _table(["symbol", "value"], values))
    if check.values:
        sides = zip(("previous line", "this line", "difference"), check.values, strict=False)
        parts.append(_table(["at the counterexample", "value"],
                            ([escape(k), _tag("code", escape(v))] for k, v in sides)))
    if check.residual and check.verdict.value != "proved":
        parts.append(_residual(check.residual))
    if check.reason:
        parts.append(_tag("div", "Reason: " + escape(check.reason), class_="small"))
    return "".join(parts)


def _residual(residual: str) -> str:
    """The residual inline when short, folded away when long."""
    if len(residual) <= _SHORT_RESIDUAL:
        return _tag("div", "Residual: " + _tag("code", escape(residual)), class_="small")
    return _tag("details", _tag("summary", f"Residual ({len(residual)} characters)")
                + _tag("pre", escape(residual)), class_="small")


def _steps(result: DerivationResult) -> str:
    header = ["line", "verdict", "method", "", "as the notes write it, and why"]
    rows = _step_rows(result) + _conclusion_rows(result)
    head = _tag("thead", _rows([header], "th"))
    table = _tag("table", head + _tag("tbody", "".join(rows)), class_="steps")
    return _tag("h4", "Steps") + _tag("div", table, class_="scroll")


def _side_by_side(notes: Step, corrected: Step, line: int) -> str:
    """The notes' line and the corrected line, next to each other."""
    cells = _tag("td", math(notes.latex, notes.expr, display=True), class_="notes") + _tag(
        "td", math(corrected.latex, corrected.expr, display=True), class_="fixed")
    header = _row([f"the notes' line {line}", "corrected line"], "th")
    return _tag("div", _tag("table", header + _tag("tr", cells), class_="erratum"),
                class_="scroll")


def _errata(result: DerivationResult) -> str:
    d = result.derivation
    if not d.expected.is_erratum:
        return ""
    lines, blocks = d.lines(), []
    for correction in d.expected.corrections:
        checks = [r for r in result.corrected if r.index in (correction.step, correction.step + 1)]
        verdicts = "; ".join(f"link {r.index}: {present.VERDICT_MARKS[r.verdict]} "
                             f"{r.verdict.value} ({r.check.method.value})" for r in checks)
        blocks.append(_side_by_side(lines[correction.step], correction.corrected, correction.step)
                      + _isolation(result, correction.step)
                      + _tag("p", escape(correction.explanation))
                      + _tag("p", "Corrected chain: " + escape(verdicts), class_="small"))
    return _tag("h4", "Erratum") + "".join(blocks)


def _isolation(result: DerivationResult, line: int) -> str:
    """What the correction's isolated check showed: the failing link and its counterexample."""
    isolated = result.isolated_for(line)
    if isolated is None:
        return ""
    word = "isolated" if isolated.isolated else "not-isolated"
    sentence = _tag("p", _verdict(isolated.link) + " " + escape(
        present.isolation_sentence(result, isolated)))
    return _tag("div", sentence + _check_parts(isolated.link), class_=f"isolation {word}")


def _hypotheses(result: DerivationResult) -> str:
    """"Checked under:" the derivation's hypotheses, those the notes do not state marked."""
    hypotheses = result.derivation.hypotheses
    if not hypotheses:
        return _tag("p", "Checked under: " + escape(present.NO_HYPOTHESES) + ".",
                    class_="hypotheses")
    items = "".join(_tag("li", _hypothesis(h)) for h in hypotheses)
    return _tag("div", _tag("strong", "Checked under:") + _tag("ul", items), class_="hypotheses")


def _hypothesis(hypothesis: Hypothesis) -> str:
    note = f" ({escape(hypothesis.note)})" if hypothesis.note else ""
    if hypothesis.quote is None:
        origin = _tag("span", escape(present.NOT_STATED), class_="badge unstated")
    else:
        origin = "the notes: “" + _inline_prose(hypothesis.quote) + "”"
    return math(hypothesis.latex) + " — " + origin + note


def _inline_prose(text: str) -> str:
    """Text with ``$...$`` mathematics, or inline mathematics when it is a formula."""
    return prose(text) if is_prose(text) else math(text)


def _alternatives(check: CrossCheckResult) -> str:
    items = [f"{escape(label)}: {escape(present.number(alt.get('value')))}"
             + (f", z = {escape(present.number(alt.get('z')))}" if alt.get("z") is not None
                else "")
             for label, alt in check.alternatives.items()]
    return "<br>".join(items) or "-"


def _crosscheck(check: CrossCheckResult, key: str) -> str:
    mark = _mark(check.verdict, present.CROSSCHECK_MARKS.get(check.verdict, "?"))
    if present.crashed(check):
        mark += " " + _tag("span", "crashed", class_="badge error")
    rows = [["verdict", mark], ["estimate", escape(present.spread(check))],
            ["claimed value", escape(present.number(check.expected))],
            ["z", escape(present.number(check.z))], ["alternatives", _alternatives(check)],
            ["seed", str(check.seed)], ["seconds", f"{check.seconds:.2f}"]]
    rows += [[label, escape(text)] for label, text in (("details", check.details),
                                                       ("reason", check.reason)) if text]
    body = _tag("table", _rows(rows))
    return _tag("h5", escape(check.name)) + body + "".join(
        _figure(p) for p in plots_for(check.data, key))


def _figure(plot: Plot) -> str:
    if plot.svg is None:
        return _tag("p", f"Plot “{escape(plot.caption)}”: {escape(plot.error or '')}",
                    class_="small")
    return _tag("figure", plot.svg + _tag("figcaption", escape(plot.caption)))


def _crosschecks(result: DerivationResult) -> str:
    if not result.crosschecks:
        return ""
    ident = result.derivation.id
    return _tag("h4", "Cross-checks") + "".join(
        _crosscheck(c, f"{ident}:{c.name}") for c in result.crosschecks)


def _reproduce(report: Report, result: DerivationResult) -> str:
    seeds = [f"{label}: {seed}" for label, seed in present.step_seeds(result)]
    seeds += [f"cross-check “{c.name}”: {c.seed}" for c in result.crosschecks]
    return _tag("details", _tag("summary", "Reproduce")
                + _tag("p", _tag("code", escape(present.reproduce_command(
                    report, result.derivation.id))))
                + _tag("p", "Seeds (derived from the id): " + escape("; ".join(seeds)),
                       class_="small")
                + _tag("p", "Versions: " + escape(present.versions_line()), class_="small"))


def _header(result: DerivationResult) -> str:
    d = result.derivation
    meets = result.meets_expectation
    badge = _tag("span", "meets its expectation" if meets else "does NOT meet its expectation",
                 class_="badge " + ("yes" if meets else "no"))
    meta = (f"{_tag('code', escape(d.id))} · expected: {escape(d.expected.kind)} · verdict: "
            f"{_status(result)} · {result.seconds:.2f} s")
    source = (f"Source: {_tag('code', escape(d.source.document))}, section "
              f"“{escape(d.source.section)}”")
    return (_tag("h3", escape(d.title) + " " + badge) + _tag("p", meta, class_="meta")
            + _tag("p", source) + _tag("blockquote", prose(d.source.quote))
            + _hypotheses(result))


def _error(result: DerivationResult) -> str:
    if result.error is None:
        return ""
    return _tag("p", _tag("strong", "Checking raised an error; nothing was decided:"),
                class_="error") + _tag("pre", escape(result.error))


def _derivation(report: Report, result: DerivationResult) -> str:
    body = (_header(result) + _error(result) + _steps(result) + _errata(result)
            + _crosschecks(result) + _reproduce(report, result))
    return _tag("section", body, class_="derivation", id=present.anchor(result.derivation.id))


def _documents(report: Report) -> str:
    parts = []
    for document, sections in present.outline(report):
        parts.append(_tag("h2", escape(document)))
        for section, results in sections:
            parts.append(_tag("h3", escape(section), class_="section"))
            parts += [_derivation(report, r) for r in results]
    return "".join(parts)


def render_fragment(result: DerivationResult) -> str:
    """One derivation as the report shows it, without the page around it (notebooks)."""
    report = Report(results=(result,), load_errors=(), seconds=result.seconds)
    return _tag("div", _tag("style", _STYLE) + _derivation(report, result), class_="derive")


if render_fragment not in HTML_FRAGMENT:
    HTML_FRAGMENT.append(render_fragment)


def render_html(report: Report, *, title: str = "Derivation report") -> str:
    """The whole report as one HTML document that needs nothing from the network."""
    head = ('<meta charset="utf-8">'
             f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
             '<meta name="viewport" content="width=device-width, initial-scale=1">'
            + _tag("title", escape(title)) + _tag("style", _STYLE))
    body = (_tag("h1", escape(title)) + _summary(report) + _contents(report)
            + _load_errors(report) + _documents(report))
    return f'<!DOCTYPE html>\n<html lang="en">{_tag("head", head)}{_tag("body", body)}</html>\n'
