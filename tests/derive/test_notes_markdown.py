"""Markdown notes checked with no Python: chains, declarations, errors, notebook display."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from derive import check_derivation, read_notes

NOTES = r"""# Squares

<!-- derive: assume a, b real; n integer positive -->

<!-- derive: id square-bound -->
$$
\begin{aligned}
a^2 + b^2 &= (a - b)^2 + 2ab \\
&\ge 2ab
\end{aligned}
$$

## Means

<!-- derive: assume mu real; sigma positive -->
<!-- derive: sample x_i, i = 1..n, iid, mean \mu, variance \sigma^2 -->

$$
\begin{aligned}
\text{Var}\left(\frac{1}{n} \sum_{i=1}^{n} x_i\right) &= \frac{\sigma^2}{n} \newline
&= \frac{\sigma^2}{n^2}
\end{aligned}
$$
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_chains_declarations_and_ids(tmp_path: Path) -> None:
    notes = read_notes(_write(tmp_path, NOTES))
    assert notes.errors == ()
    first, second = notes.derivations
    assert first.id == "square-bound" and second.id == "means-1"
    assert second.source.section == "Means" and second.source.document == "notes.md"
    assert [s.relation.value for s in first.steps] == ["=", ">="]
    assert first.start.latex == "a^2 + b^2"


def test_the_wrong_line_is_refuted_at_its_step_and_the_right_chain_holds(tmp_path: Path) -> None:
    first, second = read_notes(_write(tmp_path, NOTES)).derivations
    assert check_derivation(first, budget=3.0).meets_expectation
    result = check_derivation(second, budget=3.0)
    assert [s.verdict.value for s in result.steps] == ["proved", "refuted"]
    assert result.steps[1].check.counterexample is not None


def test_bad_input_is_reported_with_its_line_and_the_other_chains_still_read(
        tmp_path: Path) -> None:
    undeclared_sample = "$$\n\\begin{aligned} y &= \\mathbb{E}[y] \\end{aligned}\n$$\n"
    text = undeclared_sample + NOTES.replace(r"&\ge 2ab", r"&\ge \foo")
    text += "\n<!-- derive: frobnicate x -->\n\n$$ a + b\n"
    notes = read_notes(_write(tmp_path, text))
    assert [d.id for d in notes.derivations] == ["means-1"]
    joined = "\n".join(notes.errors)
    assert r"cannot read '\foo'" in joined and "notes.md:12" in joined
    assert "unknown declaration 'frobnicate'" in joined
    assert "declared sample" in joined
    assert "'$$' is not closed" in joined


def test_the_command_line_checks_a_markdown_file(tmp_path: Path) -> None:
    path = _write(tmp_path, NOTES)
    report = tmp_path / "report.json"
    done = subprocess.run([sys.executable, "-m", "derive._cli", "check", str(path), "-j", "1",
                           "--json", str(report)], capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 1, done.stderr
    data = json.loads(report.read_text())
    verdicts = {d["id"]: d["verdict"] for d in data["derivations"]}
    assert verdicts == {"square-bound": "proved", "means-1": "refuted"}
    assert all("latex_check" in s for d in data["derivations"] for s in d["steps"])


def test_notebook_display_is_the_report_fragment(tmp_path: Path) -> None:
    first = read_notes(_write(tmp_path, NOTES)).derivations[0]
    html = check_derivation(first, budget=3.0)._repr_html_()
    assert html.startswith('<div class="derive">') and "<html" not in html
    assert "square-bound" in html and "<math" in html
