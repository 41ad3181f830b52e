"""Check a derivation: its links, its conclusion, its corrections and its cross-checks."""

from __future__ import annotations

import dataclasses
import math
import time
import traceback
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from derive._base._errors import InvalidArgumentType, describe
from derive._base._store import not_arrived
from derive._base._verdict import CrossCheckVerdict, Method, Verdict, weakest
from derive._engine._check import CheckResult, Relation, check_relation
from derive._model._derivation import Comparison, Correction, CrossCheck, Derivation, Step
from derive._parse._linecheck import LatexCheck, latex_checks
from derive._run._answers import answer_cache
from numeric.montecarlo import seed_from_string

_LATEX_BUDGET = 5.0
# Set by derive._render (the layer above): renders one result as an HTML fragment.
HTML_FRAGMENT: list[Any] = []

__all__ = ["StepResult", "IsolatedCheck", "CrossCheckResult", "DerivationResult", "Link",
           "check_derivation", "links", "run_crosscheck", "seed_for"]

def seed_for(*parts: Any) -> int:
    """A seed that depends only on ``parts`` (stable across runs and machines):
    :func:`numeric.montecarlo.seed_from_string` of the parts joined by ``:``."""
    return seed_from_string(":".join(map(str, parts)))


@dataclasses.dataclass(frozen=True)
class StepResult:
    """A step (``index`` 1-based) and the check of its relation to the line before it."""

    index: int
    latex: str
    relation: Relation
    why: str
    check: CheckResult
    scale: Any = 1  # for '= const +': this line times scale, up to constants
    seed: int | None = None  # of the random-point rung; None when nothing was checked

    @property
    def verdict(self) -> Verdict:
        return self.check.verdict

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "latex": self.latex, "relation": self.relation.value,
                "scale": str(self.scale), "why": self.why, **self.check.to_dict()}


@dataclasses.dataclass(frozen=True)
class IsolatedCheck:
    """The check that blames the notes' line ``line`` on its own.

    In the chain in which every *other* correction is applied and line ``line`` is as
    the notes write it, the links touching that line (``line-1 -> line`` and
    ``line -> line+1``) are checked; ``link`` is a link of the notes' own chain that is
    refuted there if there is one (its result is reused), else the one with the weakest
    verdict (the earlier link on a tie).  The correction is *isolated* when
    that link is refuted with a counterexample: the notes' line is wrong whatever
    the other corrections say.  ``in_notes_chain`` says whether the link is one of the
    notes' own chain (its result is then the step's, not a second check).
    """

    line: int
    link: StepResult
    in_notes_chain: bool = False

    @property
    def seed(self) -> int | None:
        """The seed of the link's random-point rung."""
        return self.link.seed

    @property
    def lines(self) -> tuple[int, int]:
        """The two line numbers the link joins."""
        return self.link.index - 1, self.link.index

    @property
    def isolated(self) -> bool:
        """Whether the link is refuted with a counterexample."""
        check = self.link.check
        return check.verdict is Verdict.REFUTED and check.counterexample is not None

    def to_dict(self) -> dict[str, Any]:
        check = self.link.to_dict()
        return {"link": list(self.lines),
                **{key: check[key] for key in ("verdict", "method", "counterexample", "values",
                                                "reason")},
                "seed": self.seed, "in_notes_chain": self.in_notes_chain}


Alternatives = dict[str, dict[str, float | None]]  # label -> {"value": v, "z": z or None}


@dataclasses.dataclass(frozen=True)
class CrossCheckResult:
    """A cross-check's verdict (``agrees``, ``disagrees``, ``inconclusive``) and its numbers."""

    name: str
    verdict: CrossCheckVerdict
    seed: int
    estimate: float | None = None
    stderr: float | None = None
    expected: float | None = None
    z: float | None = None
    tolerance: float | None = None
    alternatives: Alternatives = dataclasses.field(default_factory=dict)
    details: str = ""
    reason: str | None = None
    seconds: float = 0.0
    data: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        fields = dataclasses.asdict(self)
        fields.pop("data")
        for key in ("estimate", "stderr", "expected", "z", "tolerance"):
            fields[key] = _finite_or_none(fields[key])
        fields["seconds"] = round(self.seconds, 4)
        return fields


def _finite_or_none(value: float | None) -> float | str | None:
    if value is None or math.isnan(value):
        return None
    return value if math.isfinite(value) else ("inf" if value > 0 else "-inf")


def _z(estimate: float, target: float, stderr: float) -> float:
    if stderr > 0:
        return (estimate - target) / stderr
    return 0.0 if estimate == target else math.copysign(math.inf, estimate - target)


def _judge(comparison: Comparison) -> tuple[CrossCheckVerdict, float | None, Alternatives,
                                            str | None]:
    """Compare with the expected value, then make sure the alternatives are told apart."""
    stderr, tolerance = comparison.stderr, comparison.tolerance

    def score(target: float) -> float | None:
        return None if stderr is None else _z(comparison.estimate, target, stderr)

    def close(target: float) -> bool:
        if stderr is not None:
            return abs(_z(comparison.estimate, target, stderr)) <= comparison.z_threshold
        return tolerance is not None and abs(comparison.estimate - target) <= tolerance

    alternatives: Alternatives = {label: {"value": value, "z": score(value)}
                    for label, value in comparison.alternatives.items()}
    if not close(comparison.expected):
        return CrossCheckVerdict.DISAGREES, score(comparison.expected), alternatives, None
    blurred = [label for label, value in comparison.alternatives.items() if close(value)]
    if blurred:
        reason = f"cannot tell the claim from {', '.join(blurred)} at this sample size"
        return CrossCheckVerdict.INCONCLUSIVE, score(comparison.expected), alternatives, reason
    return CrossCheckVerdict.AGREES, score(comparison.expected), alternatives, None


def run_crosscheck(check: CrossCheck, seed: int, derivation_id: str = "") -> CrossCheckResult:
    """Run one cross-check with ``seed`` (or reuse its comparison from :data:`answer_cache`);
    a crash becomes an inconclusive result."""
    start = time.perf_counter()
    try:
        comparison = answer_cache.comparison(check, seed, derivation_id)
        if not isinstance(comparison, Comparison):
            raise TypeError(f"cross-check returned {type(comparison).__name__}, not Comparison")
    except Exception as exc:  # reported in the result, so the other checks still run
        not_arrived()
        raised = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return CrossCheckResult(check.name, CrossCheckVerdict.INCONCLUSIVE, seed,
                                reason=f"the cross-check raised {raised} (seed {seed})",
                                seconds=time.perf_counter() - start)
    verdict, z, alternatives, reason = _judge(comparison)
    return CrossCheckResult(
        name=check.name, verdict=verdict, seed=seed, estimate=float(comparison.estimate),
        stderr=comparison.stderr, expected=float(comparison.expected), z=z,
        tolerance=comparison.tolerance, alternatives=alternatives, details=comparison.details,
        reason=reason, seconds=time.perf_counter() - start, data=comparison.data)


@dataclasses.dataclass(frozen=True)
class DerivationResult:
    """Everything known about one derivation after checking it.

    ``error`` is ``None``, or what was raised while checking it: then nothing was
    decided (the verdict is inconclusive, the steps are empty) and the derivation
    misses its expectation.
    """

    derivation: Derivation
    steps: tuple[StepResult, ...] = ()
    conclusion: StepResult | None = None
    corrected: tuple[StepResult, ...] = ()
    crosschecks: tuple[CrossCheckResult, ...] = ()
    seconds: float = 0.0
    isolated: tuple[IsolatedCheck, ...] = ()  # one per correction, in the erratum's order
    latex: Mapping[str, tuple[LatexCheck, ...]] = dataclasses.field(
        default_factory=dict, compare=False, hash=False)
    # answers that did not arrive while checking it (timeouts, failed workers, raised
    # cross-checks): a result with any is not kept as a whole (derive._run._files)
    lost: int = dataclasses.field(default=0, compare=False)
    error: str | None = None

    @property
    def verdict(self) -> Verdict:
        """The weakest verdict of the steps and the conclusion (inconclusive after an error)."""
        if self.error is not None:
            return Verdict.INCONCLUSIVE
        checks = [s.verdict for s in self.steps]
        if self.conclusion is not None:
            checks.append(self.conclusion.verdict)
        return weakest(checks)

    @property
    def meets_expectation(self) -> bool:
        """Holds and is proved (or numerically verified), or an erratum shown as such.

        An erratum meets its expectation when each correction is isolated (with
        every other correction applied, the notes' line still makes a link next
        to it refuted with a counterexample: see :class:`IsolatedCheck`), every
        link of the corrected chain holds, and the links touching a corrected
        line are proved.  In both cases every cross-check must agree.
        """
        if self.error is not None:
            return False
        if any(c.verdict is not CrossCheckVerdict.AGREES for c in self.crosschecks):
            return False
        if self.latex_disagreements():
            return False
        if not self.derivation.expected.is_erratum:
            return self.verdict in (Verdict.PROVED, Verdict.NUMERICALLY_VERIFIED)
        return self._erratum_shown()

    def _erratum_shown(self) -> bool:
        touching = _touching(self.derivation)
        corrections = self.derivation.expected.corrections
        if len(self.isolated) != len(corrections) or not all(i.isolated for i in self.isolated):
            return False
        for result in self.corrected:
            needed = (Verdict.PROVED,) if result.index in touching else (
                Verdict.PROVED, Verdict.NUMERICALLY_VERIFIED)
            if result.verdict not in needed:
                return False
        return True

    def _repr_html_(self) -> str:
        """The derivation as the HTML report shows it (for notebooks), without the page."""
        if not HTML_FRAGMENT:
            return ""
        return str(HTML_FRAGMENT[-1](self))

    def latex_disagreements(self) -> list[str]:
        """The lines whose LaTeX says something else than their expression, described."""
        labelled = [*(("line", k, c) for k, c in enumerate(self.latex.get("lines", ()))),
                    *(("corrected line", corr.step, c) for corr, c in zip(
                        self.derivation.expected.corrections, self.latex.get("corrected", ()),
                        strict=False))]
        return [f"  the LaTeX of {label} {k} disagrees with its expression: {check.reason}"
                for label, k, check in labelled if check.verdict == "disagrees"]

    def failures(self) -> list[str]:
        """Why the derivation misses its expectation, one line per reason."""
        if self.meets_expectation:
            return []
        if self.error is not None:
            return [f"{self.derivation.id}: checking raised an error, so nothing was decided",
                    f"  {self.error}"]
        lines = [(f"{self.derivation.id}: expected {self.derivation.expected.kind}, "
                 f"verdict {self.verdict.value}")]
        for label, results in (("step", self.steps), ("corrected step", self.corrected)):
            lines += [_describe_step(label, r) for r in results
                      if r.verdict not in (Verdict.PROVED, Verdict.NUMERICALLY_VERIFIED)]
        if self.conclusion and self.conclusion.verdict is Verdict.REFUTED:
            lines.append(_describe_step("conclusion", self.conclusion))
        lines += [_describe_not_isolated(i) for i in self.isolated if not i.isolated]
        lines += [f"  cross-check {c.name}: {c.verdict} ({_crosscheck_summary(c)})"
                  for c in self.crosschecks if c.verdict is not CrossCheckVerdict.AGREES]
        return lines + self.latex_disagreements()

    def to_dict(self) -> dict[str, Any]:
        """The JSON report entry (see the README for the contract)."""
        d = self.derivation
        return {
            "id": d.id,
            "title": d.title,
            "source": d.source.to_dict(),
            "expected": d.expected.kind,
            "verdict": self.verdict.value,
            "meets_expectation": self.meets_expectation,
            "hypotheses": [h.to_dict() for h in d.hypotheses],
            "start": {"latex": d.start.latex, **self._latex_check(0)},
            "steps": [{**s.to_dict(), **self._latex_check(s.index)} for s in self.steps],
            "conclusion": self.conclusion.to_dict() if self.conclusion else None,
            "corrected": [{**_correction_dict(c, self.corrected, self.isolated_for(c.step)),
                           **self._latex_check(k, "corrected")}
                          for k, c in enumerate(d.expected.corrections)],
            "crosschecks": [c.to_dict() for c in self.crosschecks],
            "seconds": round(self.seconds, 4),
            "error": self.error,
        }

    def isolated_for(self, line: int) -> IsolatedCheck | None:
        """The isolated check of the correction of ``line``, if there is one."""
        return next((i for i in self.isolated if i.line == line), None)

    def _latex_check(self, index: int, kind: str = "lines") -> dict[str, Any]:
        checks = self.latex.get(kind, ())
        return {"latex_check": checks[index].to_dict()} if index < len(checks) else {}


def _correction_dict(correction: Correction, corrected_results: tuple[StepResult, ...],
                     isolated: IsolatedCheck | None) -> dict[str, Any]:
    links = [r.to_dict() for r in corrected_results
             if r.index in (correction.step, correction.step + 1)]
    return {"step": correction.step, "latex": correction.corrected.latex,
            "explanation": correction.explanation, "checks": links,
            "isolated": isolated.to_dict() if isolated is not None else None}


def _describe_not_isolated(isolated: IsolatedCheck) -> str:
    first, second = isolated.lines
    check = isolated.link.check
    return (f"  correction of line {isolated.line} is not isolated: with the other corrections "
            f"applied, the notes' line {isolated.line} does not fail (link {first} -> {second} "
            f"{check.verdict.value}, {check.method.value})")


def _describe_step(label: str, result: StepResult) -> str:
    check = result.check
    text = f"  {label} {result.index} {check.verdict.value} ({check.method.value}): {result.latex}"
    if check.residual:
        text += f"\n    residual: {check.residual}"
    if check.counterexample is not None:
        text += f"\n    counterexample: {check.counterexample}"
        if check.values:
            lhs, rhs, difference = check.values
            text += f"\n    lhs = {lhs}, rhs = {rhs}, difference {difference}"
    if check.reason:
        text += f"\n    reason: {check.reason}"
    return text


def _crosscheck_summary(result: CrossCheckResult) -> str:
    if result.estimate is None:
        return result.reason or ""
    spread = (f"+/- {result.stderr:.3g}" if result.stderr is not None
              else f"tol {result.tolerance:.3g}")
    text = f"estimate {result.estimate:.6g} {spread}, expected {result.expected:.6g}"
    if result.z is not None:
        text += f", z = {result.z:.2f}"
    return text + (f"; {result.reason}" if result.reason else "")


@dataclasses.dataclass(frozen=True)
class Link:
    """One check of a derivation: ``previous.expr  step.relation  step.expr`` (line
    ``index - 1`` against line ``index``; the start against the last line for the
    conclusion), with the seed of its random-point rung.  ``label`` is ``step k``,
    ``corrected k`` or ``conclusion``.
    """

    label: str
    index: int
    previous: Step
    step: Step
    seed: int

    @property
    def lhs(self) -> Any:
        return self.previous.expr

    @property
    def rhs(self) -> Any:
        return self.step.expr

    @property
    def relation(self) -> Relation:
        return self.step.relation

    @property
    def wrt(self) -> tuple[Any, ...]:
        return self.step.wrt


def links(derivation: Derivation) -> Iterator[Link]:
    """Every link :func:`check_derivation` checks as such, in order: each adjacent pair of
    lines, the links of the corrected chain that touch a corrected line (for an erratum),
    and the conclusion (the start against the last line, under the composed relation).
    The checks of isolation reuse these links or join the notes' line to corrected ones.
    """
    if not isinstance(derivation, Derivation):
        raise InvalidArgumentType(f"derivation must be a Derivation, got {describe(derivation)}")
    yield from _chain_links(derivation, derivation.lines(), "step")
    if derivation.expected.is_erratum:
        yield from _chain_links(derivation, derivation.corrected_lines(), "corrected",
                                only=_touching(derivation))
    conclusion = _conclusion_link(derivation)
    if conclusion is not None:
        yield conclusion


def _check_link(link: Link, budget: float) -> StepResult:
    step = link.step
    check = check_relation(link.lhs, step.expr, step.relation, wrt=step.wrt or None,
                           scale=step.scale, budget=budget, seed=link.seed)
    return StepResult(link.index, step.latex, step.relation, step.why, check, step.scale,
                      link.seed)


def _chain_links(derivation: Derivation, lines: tuple[Step, ...], tag: str,
                 only: set[int] | None = None) -> Iterator[Link]:
    for k in range(1, len(lines)):
        if only is None or k in only:
            yield Link(f"{tag} {k}", k, lines[k - 1], lines[k], seed_for(derivation.id, tag, k))


def _chain(derivation: Derivation, lines: tuple[Step, ...], budget: float, tag: str,
           only: set[int] | None = None) -> tuple[StepResult, ...]:
    return tuple(_check_link(link, budget)
                 for link in _chain_links(derivation, lines, tag, only))


def _composed(steps: Sequence[Step]) -> tuple[Relation, tuple[Any, ...], Any] | None:
    """The relation of the first line to the last: (relation, wrt, scale), or None."""
    relation, wrt, scale = steps[0].relation, steps[0].wrt, steps[0].scale
    for step in steps[1:]:
        if step.relation is Relation.EQ:
            continue
        if relation is Relation.EQ:
            relation, wrt, scale = step.relation, step.wrt, step.scale
        elif relation is step.relation is Relation.EQ_UP_TO_CONSTANT:
            wrt, scale = tuple(dict.fromkeys(wrt + step.wrt)), scale * step.scale
        else:
            composed = relation.then(step.relation)
            if composed is None:
                return None
            relation = composed
    return relation, wrt, scale


def _conclusion(derivation: Derivation, links: tuple[StepResult, ...],
                budget: float) -> StepResult | None:
    """The first line against the last under the composed relation.

    When every link is proved, so is the conclusion (the relations compose);
    otherwise it is checked directly, which can still prove or refute it.
    """
    conclusion = _conclusion_link(derivation)
    if conclusion is None:
        return None
    if all(link.verdict is Verdict.PROVED for link in links):
        claim = conclusion.step
        return StepResult(conclusion.index, claim.latex, claim.relation, "conclusion",
                          CheckResult(Verdict.PROVED, Method.TRANSITIVITY,
                                      residual="follows from the proved links"), claim.scale)
    return _check_link(conclusion, budget)


def _conclusion_link(derivation: Derivation) -> Link | None:
    steps = derivation.steps
    composed = _composed(steps) if len(steps) > 1 else None
    if composed is None:
        return None
    relation, wrt, scale = composed
    last = steps[-1]
    claim = Step(last.expr, last.latex, "conclusion", relation, wrt, scale)
    return Link("conclusion", len(steps), derivation.start, claim,
                seed_for(derivation.id, "conclusion"))


def check_derivation(derivation: Derivation, *, budget: float | None = None) -> DerivationResult:
    """Check every link, the conclusion, the corrections and the cross-checks.

    ``budget`` (seconds per check) defaults to the derivation's own budget.
    Seeds derive from the derivation's id, so results are identical run to run.
    """
    if not isinstance(derivation, Derivation):
        raise InvalidArgumentType(f"derivation must be a Derivation, got {describe(derivation)}")
    start = time.perf_counter()
    budget = derivation.budget if budget is None else budget
    steps = _chain(derivation, derivation.lines(), budget, "step")
    corrected = _corrected_links(derivation, steps, budget)
    isolated = tuple(_isolated_check(derivation, c.step, steps, budget)
                     for c in derivation.expected.corrections)
    crosschecks = tuple(run_crosscheck(c, seed_for(derivation.id, "crosscheck", c.name),
                                       derivation.id)
                        for c in derivation.crosschecks)
    latex_budget, latex_seed = min(budget, _LATEX_BUDGET), seed_for(derivation.id, "latex")
    latex = answer_cache.latex_checks(
        derivation, latex_budget, latex_seed,
        lambda: latex_checks(derivation, budget=latex_budget, seed=latex_seed))
    return DerivationResult(derivation, steps, _conclusion(derivation, steps, budget), corrected,
                            crosschecks, time.perf_counter() - start, isolated, latex)


def _touching(derivation: Derivation) -> set[int]:
    """The links (1-based) that join a corrected line to its neighbours."""
    touching = {k for c in derivation.expected.corrections for k in (c.step, c.step + 1)}
    return touching & set(range(1, len(derivation.steps) + 1))


def _corrected_links(derivation: Derivation, steps: tuple[StepResult, ...],
                     budget: float) -> tuple[StepResult, ...]:
    """The corrected chain: links touching a corrected line are checked anew."""
    if not derivation.expected.is_erratum:
        return ()
    fresh = {r.index: r for r in _chain(derivation, derivation.corrected_lines(), budget,
                                        "corrected", only=_touching(derivation))}
    return tuple(fresh.get(s.index, s) for s in steps)


def _isolated_check(derivation: Derivation, line: int, steps: tuple[StepResult, ...],
                    budget: float) -> IsolatedCheck:
    """The notes' line ``line`` with every other correction applied (see :class:`IsolatedCheck`).

    A link none of whose lines another correction changes is the notes' own link: its
    result is reused, and when it already isolates the line nothing new is checked.
    Otherwise the links joining the notes' line to a corrected neighbour are checked.
    """
    others = {c.step for c in derivation.expected.corrections} - {line}
    links = [k for k in (line, line + 1) if 1 <= k <= len(steps)]
    reused = [IsolatedCheck(line, steps[k - 1], True)
              for k in links if others.isdisjoint((k - 1, k))]
    shown = [check for check in reused if check.isolated]
    if shown:
        return shown[0]
    fresh = [_next_to_corrections(derivation, line, k, budget)
             for k in links if not others.isdisjoint((k - 1, k))]
    checks = sorted(reused + fresh, key=lambda check: check.link.index)
    return min(checks, key=lambda check: check.link.verdict.strength)


def _next_to_corrections(derivation: Derivation, line: int, k: int,
                         budget: float) -> IsolatedCheck:
    """Link ``k`` of the chain with every correction but that of ``line`` applied."""
    lines = list(derivation.corrected_lines())
    lines[line] = derivation.lines()[line]
    seed = seed_for(derivation.id, "isolated", line, k)
    link = Link(f"isolated {line}", k, lines[k - 1], lines[k], seed)
    return IsolatedCheck(line, _check_link(link, budget))
