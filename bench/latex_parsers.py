"""How many of the notes' formulas each LaTeX reader reads: derive.parse_latex, SymPy, latex2sympy2.

    python bench/latex_parsers.py            # prints the table, writes bench/LATEX.md

The same formulas (every ``$$...$$`` and ``$...$`` of the two notes) go to each reader;
derive reads them with the symbol conventions of ``CONVENTIONS`` (declared per section,
as a reader of the notes would), the others with their defaults.  A formula counts as
read when the reader returns an expression without raising.  Every reader runs in a
child process per formula batch with a time limit, so a hang counts as a failure.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _formulas import NoteFormula, formulas

import derive

_n = sp.Symbol("n", integer=True, positive=True)
_mu, _sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
_x, _t = sp.Symbol("x", real=True), sp.Symbol("t", real=True)


def _estimators() -> dict[str, Any]:
    sample = derive.iid_sample("x", _n, mean=_mu, variance=_sigma**2)
    theta = derive.random_variable("theta_hat", mean=sp.Symbol("m"), variance=sp.Symbol("v"))
    return {"x": sample, "N": _n, "n": _n, r"\hat{\theta}": theta}


def _learning_theory() -> dict[str, Any]:
    f_n = derive.random_variable("f_N", mean=sp.Symbol("m"), variance=sp.Symbol("v"))
    y = derive.random_variable("y", mean=sp.Symbol("f"), variance=_sigma**2)
    return {"f_N": f_n, "y": y}


def _diffusion() -> dict[str, Any]:
    noise = derive.random_variable("epsilon", mean=0, variance=1)
    p = sp.Function("p", positive=True)
    return {r"\nabla": (_x,), "x": _x, "t": _t, "p": p(_x, _t), r"\epsilon": noise}


# Section headings (a word they contain) -> the conventions declared there.
CONVENTIONS: dict[str, Callable[[], dict[str, Any]]] = {
    "Estimator": _estimators, "Bias": _estimators, "Variance": _estimators,
    "Consisten": _estimators, "Decomposing": _learning_theory,
    "Answer": _diffusion, "Formally": _diffusion, "probability-flow": _diffusion,
}


def _conventions(formula: NoteFormula) -> dict[str, Any]:
    for word, make in CONVENTIONS.items():
        if word.lower() in formula.section.lower():
            return make()
    return {}


def _derive(formula: NoteFormula) -> Any:
    return derive.parse_formula(formula.latex, _conventions(formula))


def _sympy(formula: NoteFormula) -> Any:
    from sympy.parsing.latex import parse_latex
    return parse_latex(formula.latex, backend="lark")


def _latex2sympy(formula: NoteFormula) -> Any:
    from latex2sympy2_extended import latex2sympy
    return latex2sympy(formula.latex)


READERS: dict[str, Callable[[NoteFormula], Any]] = {
    "derive.parse_latex": _derive, "sympy parse_latex (lark)": _sympy,
    "latex2sympy2_extended": _latex2sympy,
}


def _try(args: tuple[str, NoteFormula]) -> bool:
    name, formula = args
    try:
        READERS[name](formula)
    except Exception:
        return False
    return True


def _measure(name: str, items: list[NoteFormula]) -> tuple[list[bool], float]:
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        results = [pool.apply_async(_try, ((name, f),)) for f in items]
        read = []
        for result in results:
            try:
                read.append(result.get(timeout=20))
            except multiprocessing.TimeoutError:
                read.append(False)
    return read, time.perf_counter() - start


def main() -> None:
    items = formulas()
    rows = []
    for name in READERS:
        read, seconds = _measure(name, items)
        display = [ok for ok, f in zip(read, items, strict=True) if f.display]
        inline = [ok for ok, f in zip(read, items, strict=True) if not f.display]
        rows.append((name, sum(display), len(display), sum(inline), len(inline), seconds))
        if name == "derive.parse_latex":
            missed = [f for ok, f in zip(read, items, strict=True) if f.display and not ok]
    lines = ["| reader | display formulas read | inline formulas read | seconds |",
             "| --- | --- | --- | --- |"]
    lines += [f"| {name} | {d}/{dn} ({100 * d / dn:.0f}%) | {i}/{inn} ({100 * i / inn:.0f}%) | "
              f"{s:.1f} |" for name, d, dn, i, inn, s in rows]
    lines += ["", "Display formulas derive does not read:", ""]
    lines += [f"- `{f.latex[:100].replace(chr(10), ' ')}`" for f in missed]
    text = "\n".join(lines)
    print(text)
    (Path(__file__).resolve().parent / "LATEX.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
