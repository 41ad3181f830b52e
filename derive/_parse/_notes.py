r"""Markdown notes checked with no Python: chains in ``aligned`` blocks, declarations in comments.

- Every display block ``$$ ... $$`` holding an ``aligned`` environment is a chain: the
  left side of its first row is line 0, and each row's relation and right side is the
  next line.  It is a derivation expected to hold; its source is the file and the
  nearest heading above it.
- ``<!-- derive: ... -->`` comments declare, from where they stand to the end of the file:
  ``assume x, y, mu real; a, b, sigma positive; n integer positive`` (SymPy assumption
  names), ``sample x_i, i = 1..n, iid, mean mu, variance sigma^2`` (an i.i.d. sample for
  ``\mathbb{E}`` and ``\text{Var}``), and ``id some-name`` (the id of the next chain).
- An undeclared name is a real symbol (``DEFAULT_ASSUMPTIONS``); each chain lists the
  names it defaulted among its hypotheses, marked as not stated by the notes.
- A chain or a declaration that cannot be read is an error naming its line and column;
  the other chains are still checked.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import sympy
from sympy.core.assumptions import _assume_defined

from .._base._errors import DeriveError, LatexError
from .._base._relation import Relation
from .._engine._expectation import iid_sample
from .._model._derivation import Derivation, Hypothesis, Source, Step
from ._formula import Formula
from ._read import read_formula
from ._scope import Scope

__all__ = ["NotesChain", "load_notes", "read_notes"]

_BLOCK = re.compile(r"\$\$(.*?)\$\$", re.DOTALL)
_COMMENT = re.compile(r"<!--\s*derive:(.*?)-->", re.DOTALL)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_ROW = re.compile(r"\\\\|\\newline(?![A-Za-z])")
_LEADING_RELATION = re.compile(r"^\s*(=|\\leq?(?![a-z])|\\geq?(?![a-z])|<|>|\\approx|\\propto)")
_RELATIONS = {"=": "=", "<=": "<=", ">=": ">=", "<": "<", ">": ">"}
_SAMPLE = re.compile(
    r"^sample\s+(\w+)_(\w+)\s*,\s*(\w+)\s*=\s*1\s*\.\.\s*([^,]+),\s*iid\s*,\s*mean\s+([^,]+),"
    r"\s*variance\s+(.+)$")


@dataclasses.dataclass(frozen=True)
class NotesChain:
    """What reading one Markdown file gave: its derivations and its errors."""

    derivations: tuple[Derivation, ...]
    errors: tuple[str, ...]


class _Reader:
    """Walks a Markdown file in order, keeping the declarations in force."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text
        self.symbols: dict[str, Any] = {}
        self.assumed: dict[str, dict[str, bool]] = {}
        self.next_id: str | None = None
        self.derivations: list[Derivation] = []
        self.errors: list[str] = []
        self.counts: dict[str, int] = {}

    def line_of(self, position: int) -> int:
        return self.text.count("\n", 0, position) + 1

    def run(self) -> NotesChain:
        events = sorted([(m.start(), "comment", m) for m in _COMMENT.finditer(self.text)]
                        + [(m.start(), "block", m) for m in _BLOCK.finditer(self.text)],
                        key=lambda e: e[0])
        for position, kind, match in events:
            try:
                if kind == "comment":
                    self.declare(match.group(1), position)
                elif r"\begin{aligned}" in match.group(1):
                    self.chain(match, position)
            except DeriveError as error:
                self.errors.append(f"{self.path.name}:{self._where(error, match)}: {error}")
        if self.text.count("$$") % 2:
            position = self.text.rfind("$$")
            self.errors.append(f"{self.path.name}:{self.line_of(position)}: a '$$' is not closed")
        return NotesChain(tuple(self.derivations), tuple(self.errors))

    def _where(self, error: DeriveError, match: re.Match[str]) -> str:
        if isinstance(error, LatexError) and getattr(error, "in_file", False):
            return str(error.line)
        return str(self.line_of(match.start()))

    # ------------------------------------------------------------ declarations
    def declare(self, body: str, position: int) -> None:
        """An ``assume``, ``sample`` or ``id`` declaration."""
        body = " ".join(body.split())
        if body.startswith("id "):
            self.next_id = body[3:].strip()
        elif body.startswith("assume "):
            for clause in body[len("assume "):].split(";"):
                self._assume(clause.strip())
        elif body.startswith("sample "):
            self._sample(body)
        else:
            raise LatexError(f"unknown declaration {body.split(' ')[0]!r}: use assume, sample "
                             "or id")

    def _assume(self, clause: str) -> None:
        words = clause.replace(",", " ").split()
        flags = [w for w in words if _is_assumption(w)]
        names = [w for w in words if not _is_assumption(w)]
        if not flags or not names:
            raise LatexError(f"cannot read the assumption {clause!r}: write 'names assumptions'")
        for name in names:
            self.assumed.setdefault(name, {}).update(dict.fromkeys(flags, True))
            self.symbols[name] = sympy.Symbol(name, **self.assumed[name])

    def _sample(self, body: str) -> None:
        match = _SAMPLE.match(body)
        if match is None:
            raise LatexError("cannot read the sample: write 'sample x_i, i = 1..n, iid, mean mu, "
                             "variance sigma^2'")
        name, index, index_again, size, mean, variance = match.groups()
        if index != index_again:
            raise LatexError(f"the sample's index is {index}, its range names {index_again}")
        values = [self._value(text) for text in (size, mean, variance)]
        self.symbols[name] = iid_sample(name, values[0], mean=values[1], variance=values[2])
        self.symbols.setdefault(index, sympy.Symbol(index, integer=True, positive=True))

    def _value(self, text: str) -> Any:
        return read_formula(text.strip(), Scope(self.symbols)).expressions[0]

    # ------------------------------------------------------------ chains
    def chain(self, match: re.Match[str], position: int) -> None:
        """A derivation from the rows of an ``aligned`` block."""
        derivation_id, self.next_id = self.next_id, None
        scope = Scope(self.symbols)
        lines: list[Step] = []
        for row, start in self._rows(match):
            try:
                lines += self._row_steps(row, scope, first=not lines)
            except LatexError as error:
                error.line = self.line_of(start) + error.line - 1
                error.in_file = True  # type: ignore[attr-defined]
                raise
        if len(lines) < 2:
            raise LatexError("a chain needs at least two lines (a row 'A &= B')")
        section = self.heading_before(position)
        derivation_id = derivation_id or self._fresh_id(section)
        defaults = sorted(k for k in scope.undeclared if not k.endswith(("[]", "()")))
        self.derivations.append(Derivation(
            id=derivation_id, title=f"{section}: {lines[0].latex} ...",
            source=Source(self.path.name, section, match.group(1).strip()),
            start=lines[0], steps=lines[1:],
            hypotheses=[Hypothesis(name, None, "undeclared: a real symbol by default")
                        for name in defaults]))

    def _rows(self, match: re.Match[str]) -> list[tuple[str, int]]:
        """The rows of an aligned block, each with its position in the file."""
        body, offset = match.group(1), match.start(1)
        rows, start = [], 0
        for separator in [*_ROW.finditer(body), None]:
            end = separator.start() if separator else len(body)
            row = re.sub(r"\\(begin|end)\{aligned\}", "", body[start:end])
            if row.strip():
                rows.append((row, offset + start + len(row) - len(row.lstrip())))
            start = separator.end() if separator else end
        return rows

    def _row_steps(self, row: str, scope: Scope, first: bool) -> list[Step]:
        left, amp, right = row.partition("&")
        if not amp:
            left, right = "", row
        steps = []
        if left.strip():
            if not first:
                raise LatexError(f"a row after the first has a left side: {left.strip()!r}")
            steps.append(Step(self._read(left, scope).expressions[0], left.strip()))
        relation = _LEADING_RELATION.match(right)
        if relation is None:
            raise LatexError(f"a row without a relation after '&': {right.strip()!r}")
        formula = self._read(right, scope)
        word = formula.leading_relation or "="
        if word not in _RELATIONS:
            raise LatexError(f"the relation {word!r} cannot be checked in a chain")
        steps.append(Step(formula.expressions[-1], right[relation.end():].strip(),
                          relation=Relation.parse(_RELATIONS[word])))
        return steps

    def _read(self, text: str, scope: Scope) -> Formula:
        return read_formula(text.strip(), scope)

    def heading_before(self, position: int) -> str:
        headings = [m.group(1) for m in _HEADING.finditer(self.text, 0, position)]
        return headings[-1] if headings else self.path.stem

    def _fresh_id(self, section: str) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", section.lower()).strip("-") or "chain"
        self.counts[slug] = self.counts.get(slug, 0) + 1
        return f"{slug}-{self.counts[slug]}"


def _is_assumption(word: str) -> bool:
    return word in _assume_defined


def read_notes(path: str | Path) -> NotesChain:
    """The chains of the Markdown file ``path`` as derivations, and the errors met."""
    path = Path(path)
    return _Reader(path, path.read_text(encoding="utf-8")).run()


def load_notes(path: str | Path) -> tuple[tuple[Derivation, ...], str | None]:
    """For the collector: the derivations, and the errors joined (``None`` if none)."""
    notes = read_notes(path)
    return notes.derivations, ("; ".join(notes.errors) or None)

