"""What a derivation states: its source, its chain of steps, what is expected of it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sympy

from derive._base._errors import InvalidArgumentType, InvalidArgumentValue, describe
from derive._base._relation import Relation, check_scale
from derive._base._validation import DEFAULT_BUDGET, as_expression, check_text
from derive._base._verdict import ExpectedKind

__all__ = [
    "Comparison",
    "Correction",
    "CrossCheck",
    "Derivation",
    "Expected",
    "Hypothesis",
    "Source",
    "Step",
    "erratum",
    "holds",
]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclasses.dataclass(frozen=True)
class Source:
    """Where a claim stands: the document's file name, the heading, the quoted line(s)."""

    document: str
    section: str
    quote: str

    def __post_init__(self) -> None:
        check_text(self.document, "document")
        check_text(self.section, "section")
        check_text(self.quote, "quote")

    def to_dict(self) -> dict[str, str]:
        return {"document": self.document, "section": self.section, "quote": self.quote}


@dataclasses.dataclass(frozen=True)
class Hypothesis:
    """A hypothesis a derivation's check relies on, as LaTeX.

    ``quote`` holds the notes' own words where the notes state the hypothesis, and is
    ``None`` where the proof adds it (reports mark such hypotheses as not stated by the
    notes).  ``note`` says, where it is not obvious, how the check encodes it (a symbol's
    assumption, how an expression was built).
    """

    latex: str
    quote: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        check_text(self.latex, "latex")
        if self.quote is not None:
            check_text(self.quote, "quote")
        check_text(self.note, "note", empty_ok=True)

    @property
    def stated_by_notes(self) -> bool:
        """Whether the notes state this hypothesis (it has a quote)."""
        return self.quote is not None

    def to_dict(self) -> dict[str, Any]:
        return {"latex": self.latex, "quote": self.quote, "note": self.note,
                "stated_by_notes": self.stated_by_notes}


@dataclasses.dataclass(frozen=True)
class Step:
    """One line of a chain: the expression, its LaTeX as written, and why it follows.

    ``relation`` says how the line relates to the previous one (``=`` by
    default; ``<=``, ``>=``, ``<``, ``>``; or ``= const +`` with ``wrt``, for
    "equal up to terms that do not depend on ``wrt``", and optionally ``scale``
    for "a non-zero multiple of the line before, up to such terms": a positive
    scale keeps the maximisers, a negative one turns them into minimisers).
    """

    expr: Any = None
    latex: str = ""
    why: str = ""
    relation: Relation = Relation.EQ
    wrt: tuple[Any, ...] = ()
    scale: Any = 1

    def __post_init__(self) -> None:
        check_text(self.latex, "latex")
        if self.expr is None:
            object.__setattr__(self, "expr", _read_latex(self.latex, None)[1])
        object.__setattr__(self, "expr", as_expression(self.expr, "expr"))
        check_text(self.why, "why", empty_ok=True)
        object.__setattr__(self, "relation", Relation.parse(self.relation))
        wrt = (self.wrt,) if isinstance(self.wrt, sympy.Symbol) else tuple(self.wrt)
        object.__setattr__(self, "wrt", wrt)
        if (self.relation is Relation.EQ_UP_TO_CONSTANT) != bool(wrt):
            raise InvalidArgumentValue(
                "wrt must be given exactly when relation is '= const +', "
                f"got relation {self.relation.value!r} and wrt {wrt!r}")
        object.__setattr__(self, "scale", check_scale(self.scale, self.relation, wrt))

    @classmethod
    def from_latex(cls, latex: str, symbols: Mapping[str, Any] | None = None, why: str = "",
                   relation: Relation | str | None = None, wrt: Any = (),
                   scale: Any = 1) -> Step:
        r"""A step whose expression is read from its LaTeX (``derive.parse_latex``).

        ``symbols`` declares what the names mean (as for ``parse_latex``).  A row that
        starts with a relation (``\le 0``) gives the step that relation unless
        ``relation`` is given.  An optimisation (``\argmax_w F``) gives the step its
        objective ``F`` and the relation ``= const +`` with ``wrt`` its variables (give
        ``scale`` when an ``\argmin`` follows an ``\argmax``).
        """
        leading, expr = _read_latex(latex, symbols)
        if hasattr(expr, "objective") and hasattr(expr, "variables"):
            expr, wrt, relation = expr.objective, wrt or expr.variables, relation or "= const +"
        return cls(expr, latex, why,
                   Relation.parse(relation or _RELATION_WORDS.get(leading or "=", "=")), wrt,
                   scale)


# Set by derive._parse (the layer above): reads LaTeX into (leading relation or None, expr).
LATEX_READERS: list[Callable[[str, Mapping[str, Any] | None], tuple[str | None, Any]]] = []
_RELATION_WORDS = {"=": "=", "<=": "<=", ">=": ">=", "<": "<", ">": ">", "propto": "= const +"}


def _read_latex(latex: str, symbols: Mapping[str, Any] | None) -> tuple[str | None, Any]:
    check_text(latex, "latex")
    if not LATEX_READERS:
        raise InvalidArgumentValue("reading LaTeX needs derive's parser: import derive")
    return LATEX_READERS[-1](latex, symbols)


@dataclasses.dataclass(frozen=True)
class Correction:
    """The corrected form of the notes' line ``step``, and what was wrong.

    Lines are numbered as in reports: 0 is the start of the chain, 1 the first step.
    """

    step: int
    corrected: Step
    explanation: str

    def __post_init__(self) -> None:
        if isinstance(self.step, bool) or not isinstance(self.step, int) or self.step < 0:
            raise InvalidArgumentValue(
                f"step must be a line number (0 for the start), got {describe(self.step)}")
        if not isinstance(self.corrected, Step):
            raise InvalidArgumentType(f"corrected must be a Step, got {describe(self.corrected)}")
        check_text(self.explanation, "explanation")


@dataclasses.dataclass(frozen=True)
class Expected:
    """``holds``, or ``erratum`` with the corrections the notes need."""

    kind: ExpectedKind
    corrections: tuple[Correction, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in tuple(ExpectedKind):
            choices = ", ".join(repr(k.value) for k in ExpectedKind)
            raise InvalidArgumentValue(f"kind must be one of {choices}, got {describe(self.kind)}")
        object.__setattr__(self, "kind", ExpectedKind(self.kind))

    @property
    def is_erratum(self) -> bool:
        return self.kind is ExpectedKind.ERRATUM


def holds() -> Expected:
    """The derivation is expected to hold as the notes write it."""
    return Expected(ExpectedKind.HOLDS)


def erratum(*corrections: Correction) -> Expected:
    """The notes are wrong at the corrected lines (one :class:`Correction` per line).

    Each correction must be *isolated* (the notes' line fails with every other
    correction applied) and proved in the corrected chain.
    """
    if not corrections:
        raise InvalidArgumentValue("erratum needs at least one Correction")
    for item in corrections:
        if not isinstance(item, Correction):
            raise InvalidArgumentType(f"erratum takes Correction objects, got {describe(item)}")
    lines = [item.step for item in corrections]
    twice = sorted({line for line in lines if lines.count(line) > 1})
    if twice:
        raise InvalidArgumentValue(f"erratum corrects line(s) {twice} more than once; give one "
                                   "Correction per line")
    return Expected(ExpectedKind.ERRATUM, tuple(corrections))


@dataclasses.dataclass(frozen=True)
class Comparison:
    """What a cross-check measured, and what the claim predicts.

    Stochastic: ``estimate`` with its ``stderr``, compared with ``expected`` by
    the z-score; it agrees when ``|z| <= z_threshold``.  Deterministic: no
    ``stderr``, but a ``tolerance`` on ``|estimate - expected|``.
    ``alternatives`` are the values a plausible mistake (often the notes)
    predicts; the check only agrees when it also tells those apart.  ``data``
    carries arrays for plots.
    """

    estimate: float
    expected: float
    stderr: float | None = None
    tolerance: float | None = None
    alternatives: dict[str, float] = dataclasses.field(default_factory=dict)
    z_threshold: float = 5.0
    details: str = ""
    data: dict[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        if (self.stderr is None) == (self.tolerance is None):
            raise InvalidArgumentValue("give exactly one of stderr (stochastic) or tolerance "
                                       "(deterministic)")
        for name in ("estimate", "expected"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InvalidArgumentType(f"{name} must be a float, got {describe(value)}")


@dataclasses.dataclass(frozen=True)
class CrossCheck:
    """A numeric experiment bound to a derivation: ``run(seed) -> Comparison``."""

    name: str
    run: Callable[[int], Comparison]

    def __post_init__(self) -> None:
        check_text(self.name, "name")
        if not callable(self.run):
            raise InvalidArgumentType(f"run must be callable, got {describe(self.run)}")


@dataclasses.dataclass(frozen=True)
class Derivation:
    """A chain ``start R1 steps[0] R2 steps[1] ...`` under the symbols' assumptions.

    Each step is checked against the previous line, and the conclusion (start
    against the last line, under the composed relation) is checked too.
    """

    id: str
    title: str
    source: Source
    start: Step
    steps: Sequence[Step]
    expected: Expected = dataclasses.field(default_factory=holds)
    crosschecks: Sequence[CrossCheck] = ()
    budget: float = DEFAULT_BUDGET
    hypotheses: Sequence[Hypothesis] = ()
    notation: Mapping[str, Any] = dataclasses.field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _ID.match(self.id):
            raise InvalidArgumentValue(
                f"id must be lower-case words joined by '-', got {describe(self.id)}")
        check_text(self.title, "title")
        self._check_types()
        object.__setattr__(self, "steps", tuple(self.steps))
        object.__setattr__(self, "crosschecks", tuple(self.crosschecks))
        object.__setattr__(self, "hypotheses", tuple(self.hypotheses))
        if not isinstance(self.notation, Mapping) or not all(
                isinstance(key, str) and key.strip() for key in self.notation):
            raise InvalidArgumentType(
                f"notation must map LaTeX names to what they mean, got {describe(self.notation)}")
        if not self.steps:
            raise InvalidArgumentValue("steps must hold at least one Step")
        for correction in self.expected.corrections:
            if correction.step > len(self.steps):
                raise InvalidArgumentValue(
                    f"a correction names step {correction.step}, but there are "
                    f"{len(self.steps)} steps")

    def _check_types(self) -> None:
        expected_types = (("source", Source), ("start", Step), ("expected", Expected))
        for name, kind in expected_types:
            if not isinstance(getattr(self, name), kind):
                raise InvalidArgumentType(
                    f"{name} must be a {kind.__name__}, got {describe(getattr(self, name))}")
        for step in self.steps:
            if not isinstance(step, Step):
                raise InvalidArgumentType(f"steps must hold Step objects, got {describe(step)}")
        for hypothesis in self.hypotheses:
            if not isinstance(hypothesis, Hypothesis):
                raise InvalidArgumentType(
                    f"hypotheses must hold Hypothesis objects, got {describe(hypothesis)}")
        for check in self.crosschecks:
            if not isinstance(check, CrossCheck):
                raise InvalidArgumentType(
                    f"crosschecks must hold CrossCheck objects, got {describe(check)}")

    def lines(self) -> tuple[Step, ...]:
        """The start followed by the steps, numbered from 0."""
        return (self.start, *self.steps)

    def corrected_lines(self) -> tuple[Step, ...]:
        """:meth:`lines` with every correction applied."""
        lines = list(self.lines())
        for correction in self.expected.corrections:
            lines[correction.step] = correction.corrected
        return tuple(lines)

