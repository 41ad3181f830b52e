r"""The notes' LaTeX, made standard, and laid out as MathML for the HTML report.

The notes write a dialect: ``\newline`` for a line break, ``\argmax``, ``\Epsilon``, and
``&`` alignment without an ``aligned`` environment.  :func:`standard_latex` rewrites these
into LaTeX that common renderers (MathJax on Markdown viewers, ``latex2mathml``) understand.
:func:`to_mathml` converts with ``latex2mathml`` and refuses a result that still shows a
LaTeX command, so the caller can fall back (to SymPy's MathML, or to the source marked
as such).  Text is only converted, never evaluated.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

__all__ = ["standard_latex", "to_mathml", "sympy_mathml", "split_inline_math", "is_prose"]

_GREEK_LOOKALIKES = {
    "Alpha": "A", "Beta": "B", "Epsilon": "E", "Zeta": "Z", "Eta": "H", "Iota": "I",
    "Kappa": "K", "Mu": "M", "Nu": "N", "Omicron": "O", "Rho": "P", "Tau": "T", "Chi": "X",
}
_OPERATORS = {r"\arg\min": "arg\\,min", r"\arg\max": "arg\\,max",
              r"\argmin": "arg\\,min", r"\argmax": "arg\\,max"}
_ENVIRONMENT = re.compile(r"\\(begin|end)\{([^}]*)\}")
_COMMAND_IN_TEXT = re.compile(r"\\[A-Za-z]+")
_INLINE_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)


def _operator(name: str) -> Callable[[re.Match[str]], str]:
    """A replacement that writes ``name`` as an operator (taken literally, backslashes too)."""
    return lambda _match: rf"\operatorname*{{{name}}}"


def _rename_commands(latex: str) -> str:
    latex = re.sub(r"\\newline(?![A-Za-z])", r"\\\\", latex)
    for command, name in _OPERATORS.items():
        latex = re.sub(re.escape(command) + r"(?![A-Za-z])", _operator(name), latex)
    latex = re.sub(r"\\arg(?![A-Za-z])", r"\\operatorname{arg}", latex)
    for greek, letter in _GREEK_LOOKALIKES.items():
        latex = re.sub(rf"\\{greek}(?![A-Za-z])", rf"\\mathrm{{{letter}}}", latex)
    return latex


def _top_level(latex: str) -> str:
    """``latex`` without the content of its environments."""
    depth, kept, position = 0, [], 0
    for match in _ENVIRONMENT.finditer(latex):
        if depth == 0:
            kept.append(latex[position:match.start()])
        depth += 1 if match.group(1) == "begin" else -1
        position = match.end()
    kept.append(latex[position:] if depth <= 0 else "")
    return "".join(kept)


def _align_rows(latex: str) -> str:
    """Wrap top-level ``&`` / ``\\`` in an ``aligned`` environment (left-aligned rows)."""
    outside = _top_level(latex)
    if "&" not in outside and r"\\" not in outside:
        return latex
    rows = [row for row in re.split(r"\\\\", latex.strip()) if row.strip()]
    if "&" not in outside:
        rows = ["&" + row for row in rows]
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def standard_latex(latex: str) -> str:
    r"""The notes' LaTeX in standard form: ``\newline`` -> ``\\``, ``\argmax`` ->
    ``\operatorname*{arg\,max}``, ``\Epsilon`` -> ``\mathrm{E}``, a trailing row break
    dropped, and top-level alignment put inside ``aligned``."""
    latex = _rename_commands(latex.strip())
    latex = re.sub(r"(\\\\\s*)+(\\end\{)", r"\2", latex)
    latex = re.sub(r"(\\\\\s*)+$", "", latex)
    return _align_rows(latex)


def _for_latex2mathml(latex: str) -> str:
    """What latex2mathml lays out well: ``split`` for ``aligned`` (right/left columns), its
    own ``\\argmax``/``\\argmin``, and ``\\operatorname`` without the star."""
    latex = re.sub(r"\\(begin|end)\{aligned\}", r"\\\1{split}", latex)
    latex = re.sub(r"\\operatorname\*\{arg\\,(min|max)\}", r"\\arg\1", latex)
    return latex.replace(r"\operatorname*{", r"\operatorname{")


def _visible_text(mathml: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", mathml))


def _shows_source(mathml: str, latex: str) -> bool:
    """Whether a LaTeX command, or an alignment ``&``, would remain visible."""
    text = _visible_text(mathml)
    return bool(_COMMAND_IN_TEXT.search(text)) or ("&" in text and r"\&" not in latex)


def to_mathml(latex: str, *, display: bool = False) -> str | None:
    """MathML for ``latex``, or ``None`` when it cannot be laid out faithfully
    (the converter failed, or a LaTeX command would remain in the visible text)."""
    try:
        from latex2mathml.converter import convert
    except ImportError:  # pragma: no cover - latex2mathml is a dependency
        return None
    try:
        mathml = convert(_for_latex2mathml(standard_latex(latex)),
                         display="block" if display else "inline")
    except Exception:
        return None
    return None if _shows_source(mathml, latex) else mathml


def sympy_mathml(expr: Any, *, display: bool = False) -> str | None:
    """Presentation MathML of a SymPy expression, or ``None`` if SymPy cannot print it."""
    from sympy.printing.mathml import mathml
    try:
        body = mathml(expr, printer="presentation")
    except Exception:
        return None
    kind = "block" if display else "inline"
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML" display="{kind}">{body}</math>'


def split_inline_math(text: str) -> list[tuple[str, str]]:
    """Prose with ``$...$`` / ``$$...$$`` split into ``("text" | "inline" | "display", s)``."""
    parts, position = [], 0
    for match in _INLINE_MATH.finditer(text):
        if match.start() > position:
            parts.append(("text", text[position:match.start()]))
        parts.append(("display", match.group(1)) if match.group(1) is not None
                     else ("inline", match.group(2)))
        position = match.end()
    if position < len(text):
        parts.append(("text", text[position:]))
    return parts


def is_prose(quote: str) -> bool:
    """Whether a quote is prose (with ``$...$`` math, or none) rather than bare LaTeX."""
    return "$" in quote or not re.search(r"[\\^_{}=]", quote)
