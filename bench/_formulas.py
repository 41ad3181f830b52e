"""The display and inline formulas of the two notes, with the heading they stand under."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

SEEDS = next((parent / "shared" / "seeds" for parent in Path(__file__).resolve().parents
              if (parent / "shared" / "seeds").is_dir()), Path("../shared/seeds"))
NOTES = ("000_9465c14a4de97d64.txt", "003_b6f26f14e280a54b.txt")
_HEADING = re.compile(r"^(?:#+\s*)?([A-Z][^$\n]{0,60}?)\s*$", re.MULTILINE)
_MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.DOTALL)


@dataclasses.dataclass(frozen=True)
class NoteFormula:
    """One formula of the notes: its text, whether it is a display, and its section."""

    document: str
    section: str
    latex: str
    display: bool


def _sections(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(1)) for m in _HEADING.finditer(text)]


def formulas(seeds: Path = SEEDS) -> list[NoteFormula]:
    """Every ``$$...$$`` and ``$...$`` formula of the notes, in order."""
    found = []
    for document in NOTES:
        text = (seeds / document).read_text(encoding="utf-8")
        headings = _sections(text)
        for match in _MATH.finditer(text):
            section = next((name for start, name in reversed(headings)
                            if start < match.start()), "")
            latex = (match.group(1) or match.group(2)).strip()
            found.append(NoteFormula(document, section, latex, match.group(1) is not None))
    return found
