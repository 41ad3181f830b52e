"""Check one identity or inequality: the ladder of rungs under a time budget."""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import Any

import sympy
from sympy import MatrixBase, MatrixExpr

from derive._base._errors import InvalidArgumentValue, describe
from derive._base._relation import Relation, check_scale
from derive._base._store import answers_lost, forgive_lost_since, not_arrived
from derive._base._validation import (
    DEFAULT_BUDGET,
    as_expression,
    check_budget,
    check_count,
)
from derive._base._verdict import InconclusiveReason, Method, Verdict
from derive._engine import _rungs
from derive._engine._budget import Budget
from derive._engine._cache import CACHE, claim_key
from derive._engine._claim import Claim
from derive._engine._rungs import Answer
from derive._engine._sums import products_as_sums_of_logs
from derive._processes._sandbox import Outcome, preload, run_with_timeout

__all__ = ["DEFAULT_BUDGET", "CheckResult", "Relation", "check_equal", "check_relation",
           "refutation_probe_disabled"]

preload(_rungs.__name__)

DEFAULT_POINTS = 10
DEFAULT_DIGITS = 60
_STRUCTURAL_SHARE = 0.3
_POINTS_RESERVE = 0.35
_PROBE_SHARE = 0.3
_PROBE_POINTS = 2
_SHRINK_SHARE = 0.1
Rung = Callable[..., _rungs.Answer]
Sampling = tuple[int, int, int]  # seed, points, digits
_PROBING = [True]  # the last entry says whether the refutation probe runs


@contextlib.contextmanager
def refutation_probe_disabled() -> Iterator[None]:
    """Check without the refutation probe before ``simplify`` (the ladder as it was
    before the probe), to measure what the probe saves; verdicts can only take longer."""
    _PROBING.append(False)
    try:
        yield
    finally:
        _PROBING.pop()


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    ``counterexample`` maps each symbol (printed) to its value when the verdict
    is ``refuted`` (shrunk to simple values where the claim still fails there;
    ``counterexample_raw`` is the point first found); ``values`` holds the two
    sides evaluated there and their difference; ``seed`` is the seed of the
    random points.  An
    undecided result refuses to act as a bool (as SymPy's ``None`` answers do):
    use ``.verdict``.
    """

    verdict: Verdict
    method: Method
    residual: str = ""
    counterexample: Mapping[str, str] | None = None
    values: tuple[str, str, str] | None = None
    points: int = 0
    seconds: float = 0.0
    reason: str | None = None
    counterexample_raw: Mapping[str, str] | None = None
    seed: int | None = None

    def __bool__(self) -> bool:
        holds = self.verdict.holds
        if holds is None:
            raise TypeError(
                f"a {self.verdict.value} check is neither true nor false; inspect .verdict")
        return holds

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "method": self.method.value,
            "residual": self.residual,
            "counterexample": (dict(self.counterexample) if self.counterexample is not None
                               else None),
            "values": list(self.values) if self.values else None,
            "points": self.points,
            "seconds": round(self.seconds, 4),
            "reason": self.reason,
            "counterexample_raw": (dict(self.counterexample_raw)
                                   if self.counterexample_raw is not None else None),
            "seed": self.seed,
        }


def _shape(value: Any) -> tuple[int, ...] | None:
    return tuple(value.shape) if isinstance(value, (MatrixBase, MatrixExpr)) else None


def _matched(lhs: Any, rhs: Any) -> tuple[Any, Any]:
    """Make the two sides comparable; ``0`` against a matrix means the zero matrix."""
    shapes = (_shape(lhs), _shape(rhs))
    if shapes[0] == shapes[1]:
        return lhs, rhs
    if shapes[0] is not None and shapes[1] is None and rhs == 0:
        return lhs, sympy.ZeroMatrix(*shapes[0])
    if shapes[1] is not None and shapes[0] is None and lhs == 0:
        return sympy.ZeroMatrix(*shapes[1]), rhs
    raise InvalidArgumentValue(
        f"lhs and rhs must have the same shape, got lhs {shapes[0] or 'scalar'} "
        f"and rhs {shapes[1] or 'scalar'}")


def _claim(lhs: Any, rhs: Any, relation: Relation, wrt: tuple[Any, ...]) -> Claim:
    """The claim sent to the rungs: an equality, or a sign condition."""
    if relation is Relation.EQ:
        return Claim.equal(lhs, rhs)
    if relation is Relation.EQ_UP_TO_CONSTANT:
        difference = products_as_sums_of_logs(lhs - rhs)
        gradient = sympy.ImmutableMatrix([sympy.diff(difference, w) for w in wrt])
        return Claim.equal(gradient, sympy.ZeroMatrix(*gradient.shape))
    if _shape(lhs) or _shape(rhs):
        raise InvalidArgumentValue(f"relation {relation.value!r} needs scalar sides, got matrices")
    if relation.weak is Relation.LE:  # lhs <= rhs is rhs >= lhs
        lhs, rhs = rhs, lhs
    return Claim.sign(lhs - rhs, strict=relation.is_strict)


def _result(verdict: Verdict, method: Method, budget: Budget, answer: Answer | None = None,
            **extra: Any) -> CheckResult:
    fields: dict[str, Any] = {}
    if answer is not None:
        fields = {"residual": answer.residual, "counterexample": answer.counterexample,
                  "values": answer.values, "points": answer.points,
                  "counterexample_raw": answer.counterexample_raw}
    fields.update(extra)
    return CheckResult(verdict=verdict, method=method, seconds=budget.elapsed(),
                       **fields)


def _run(rung: Rung, claim: Claim, key: Hashable, extra: tuple[Any, ...], timeout: float,
         budget: Budget) -> Outcome:
    """``rung(claim, *extra)`` in a worker, or its answer from :data:`derive._engine._cache.CACHE`.

    Only answers that arrived are kept: a timeout or a failed worker is never reused.
    """
    cache_key = (rung.__name__, key, extra)
    found, answer = CACHE.get(cache_key)
    if found:
        return Outcome(value=answer)
    start = time.perf_counter()
    outcome = budget.charge(run_with_timeout(rung, (claim, *extra), timeout))
    if outcome.ok:
        CACHE.put(cache_key, outcome.value, time.perf_counter() - start - outcome.startup)
    return outcome


def _ladder(claim: Claim, budget: Budget, seed: int, points: int, digits: int) -> CheckResult:
    """The first rung that decides, the random points last. A rung that timed out before a
    certain verdict (proved, refuted) does not count as a lost answer: more time could not
    change that verdict."""
    lost = answers_lost()
    result = _climb(claim, budget, seed, points, digits)
    if result.verdict in (Verdict.PROVED, Verdict.REFUTED):
        forgive_lost_since(lost)
    return result


def _climb(claim: Claim, budget: Budget, seed: int, points: int, digits: int) -> CheckResult:
    reserve = budget.share(_POINTS_RESERVE)
    key = claim_key(claim)
    failures: list[str] = []
    proved, residual = _attempt(_rungs.structural, Method.STRUCTURAL, claim, key,
                                _STRUCTURAL_SHARE, reserve, budget, failures)
    if proved is not None:
        return proved
    refuted = (_probe(claim, key, budget, (seed, points, digits), reserve, residual)
               if _PROBING[-1] else None)
    if refuted is not None:
        return refuted
    proved, simplified = _attempt(_rungs.simplified, Method.SIMPLIFY, claim, key, 1.0, reserve,
                                  budget, failures)
    if proved is not None:
        return proved
    return _sample(claim, key, budget, (seed, points, digits), simplified or residual, failures)


def _attempt(rung: Rung, method: Method, claim: Claim, key: Hashable, share: float,
             reserve: float, budget: Budget,
             failures: list[str]) -> tuple[CheckResult | None, str]:
    """Run a proving rung: a ``proved`` result, or ``None`` and the residual it left."""
    timeout = budget.timeout(share, reserve)
    outcome = _run(rung, claim, key, (), timeout, budget)
    if not outcome.ok:
        not_arrived()
    if outcome.ok and outcome.value.decided:
        return _result(Verdict.PROVED, method, budget, outcome.value), ""
    failures.append(_failure(method, outcome))
    return None, outcome.value.residual if outcome.ok else ""


def _probe(claim: Claim, key: Hashable, budget: Budget, sampling: Sampling, reserve: float,
           residual: str) -> CheckResult | None:
    """Before ``simplify``, look for a counterexample at the first few random points.

    A false claim is then refuted without spending ``simplify``'s share on it.  The probe
    has its share of the budget to find a counterexample and the share that shrinking it
    may take (shrinking stops at its own deadline), so a point found late is not lost.  The
    points are the first ones the last rung would draw (same seed, same order), so a
    counterexample found here is the one the last rung would report.  When none is
    found, the time spent is given back: the later rungs get the time they had without
    the probe, so no verdict is weaker for it.
    """
    seed, points, digits = sampling
    known = _known_refutation(claim, key, budget, sampling, residual)
    if known is not None:
        return known
    start = time.perf_counter()
    timeout = budget.timeout(_PROBE_SHARE + _SHRINK_SHARE, reserve)
    outcome = _run(_rungs.random_points, claim, key,
                   (seed, min(_PROBE_POINTS, points), digits, budget.share(_SHRINK_SHARE)),
                   timeout, budget)
    if outcome.ok and outcome.value.decided is False:
        return _result(Verdict.REFUTED, Method.RANDOM_POINTS, budget, outcome.value,
                       residual=residual)
    budget.give_back_since(start, outcome)
    return None


def _known_refutation(claim: Claim, key: Hashable, budget: Budget, sampling: Sampling,
                      residual: str) -> CheckResult | None:
    """The last rung's refutation, when an earlier check of the same claim kept it.

    The last rung is certain when it refutes, so no earlier rung could prove the claim: the
    answer is the one this check would reach, without the probe or ``simplify`` on the way.
    """
    found, answer = CACHE.peek(
        (_rungs.random_points.__name__, key, (*sampling, budget.share(_SHRINK_SHARE))))
    if found and answer.decided is False:
        return _result(Verdict.REFUTED, Method.RANDOM_POINTS, budget, answer, residual=residual)
    return None


def _failure(method: Method, outcome: Outcome) -> str:
    if outcome.timed_out:
        return f"{method.value}: timed out"
    if outcome.error:
        return f"{method.value}: {outcome.error}"
    return f"{method.value}: no proof"


def _sample(claim: Claim, key: Hashable, budget: Budget, sampling: Sampling, residual: str,
            failures: list[str]) -> CheckResult:
    points = sampling[1]
    outcome = _run(_rungs.random_points, claim, key, (*sampling, budget.share(_SHRINK_SHARE)),
                   budget.left(), budget)
    if not outcome.ok:
        not_arrived()
        reason = (InconclusiveReason.BUDGET if outcome.timed_out
                  else InconclusiveReason.WORKER_FAILED)
        detail = "; ".join([*failures, _failure(Method.RANDOM_POINTS, outcome)])
        return _result(Verdict.INCONCLUSIVE, Method.NONE, budget, residual=residual,
                       reason=f"{reason.value} ({detail})")
    answer = outcome.value
    if answer.decided is False:
        return _result(Verdict.REFUTED, Method.RANDOM_POINTS, budget, answer, residual=residual)
    if answer.decided:
        return _result(Verdict.NUMERICALLY_VERIFIED, Method.RANDOM_POINTS, budget, answer,
                       residual=residual)
    reason = (InconclusiveReason.TOO_FEW_POINTS if answer.points
              else InconclusiveReason.NOT_EVALUABLE)
    note = f": {answer.note}" if answer.note else ""
    return _result(Verdict.INCONCLUSIVE, Method.NONE, budget, answer, residual=residual,
                   reason=f"{reason.value} ({answer.points} of {points}){note}")


def _check_wrt(relation: Relation, wrt: Any) -> tuple[Any, ...]:
    if relation is not Relation.EQ_UP_TO_CONSTANT:
        if wrt is not None:
            raise InvalidArgumentValue("wrt is only used with Relation.EQ_UP_TO_CONSTANT")
        return ()
    items = (wrt,) if isinstance(wrt, sympy.Symbol) else tuple(wrt or ())
    if not items or not all(isinstance(w, sympy.Symbol) for w in items):
        raise InvalidArgumentValue(
            f"wrt must be a Symbol or a sequence of Symbols for '= const +', got {describe(wrt)}")
    return items


def check_relation(lhs: Any, rhs: Any, relation: Relation | str = Relation.EQ, *,
                   wrt: sympy.Symbol | Iterable[sympy.Symbol] | None = None, scale: Any = 1,
                   budget: float = DEFAULT_BUDGET, seed: int = 0,
                   points: int = DEFAULT_POINTS, digits: int = DEFAULT_DIGITS) -> CheckResult:
    r"""Check ``lhs relation rhs`` for all values allowed by the symbols' assumptions.

    ``relation`` is one of ``=``, ``<=``, ``<``, ``>=``, ``>``, or
    ``= const +``: :math:`\mathrm{lhs} = c \cdot \mathrm{rhs} + k` where
    ``c = scale`` (default 1) and :math:`k` do not depend on ``wrt``, checked as
    :math:`\partial(\mathrm{lhs} - c\,\mathrm{rhs})/\partial w = 0` for each
    :math:`w` in ``wrt``.  With :math:`c > 0` both sides have the same maximisers
    (as when constants are dropped from a log-likelihood); with :math:`c < 0` the
    maximisers of lhs are the minimisers of rhs.  ``scale`` must be provably
    non-zero and free of ``wrt``.  See :func:`check_equal` for the ladder.
    """
    relation = Relation.parse(relation)
    wrt_symbols = _check_wrt(relation, wrt)
    factor = check_scale(scale, relation, wrt_symbols)
    lhs, rhs = _matched(as_expression(lhs, "lhs"), as_expression(rhs, "rhs"))
    seed = check_count(seed, "seed", 0)
    allowed = Budget(check_budget(budget))
    claim = _claim(lhs, factor * rhs, relation, wrt_symbols)
    result = _ladder(claim, allowed, seed, check_count(points, "points", 1),
                     check_count(digits, "digits", 20))
    return dataclasses.replace(result, seed=seed)


def check_equal(lhs: Any, rhs: Any, *, budget: float = DEFAULT_BUDGET, seed: int = 0,
                points: int = DEFAULT_POINTS, digits: int = DEFAULT_DIGITS) -> CheckResult:
    r"""Check that ``lhs == rhs`` for all values allowed by the symbols' assumptions.

    The ladder, cheapest rung first, each under what is left of ``budget``
    seconds (a share is kept for the last rung) and run in a worker process
    that is killed when its time is up:

    1. structural: :math:`\mathrm{lhs} - \mathrm{rhs}` after ``expand``,
       ``cancel(together(.))`` and log/power expansion (where assumptions
       allow) is 0: ``proved``;
    2. targeted simplifiers, then ``simplify``: 0 is ``proved``;
    3. random admissible points (seeded by ``seed``; every assumption met, or
       the reason names the one that cannot be sampled), enclosed by interval
       arithmetic at ``digits`` digits, raised up to 8x until the sign of the
       difference is certain: a certain difference is ``refuted`` with that
       point, shrunk to simple values, as counterexample; agreement at
       ``points`` points is ``numerically-verified``.  A jump (``sign``,
       ``floor``, ``Piecewise``, ...) or branch cut too close to call skips
       the point.

    Otherwise the result is ``inconclusive`` with its reason.  Expectations
    (:func:`derive.E`), sums with symbolic bounds and derivatives are
    evaluated first; matrices are compared element by element.
    """
    return check_relation(lhs, rhs, Relation.EQ, budget=budget, seed=seed, points=points,
                          digits=digits)
