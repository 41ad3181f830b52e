"""The rungs of the checking ladder.  They run inside a worker process.

Each function takes picklable SymPy objects and returns a small picklable
answer; the parent (:mod:`derive._engine._check`) bounds each call by the remaining
time budget and kills the worker if a rung does not return in time.

Each decides a :class:`~derive._engine._claim.Claim`: ``lhs = rhs`` (scalars or matrices
of one shape), ``expr >= 0`` or ``expr > 0``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import sympy
from sympy import MatrixBase

from derive._base._errors import UnsupportedExpectation
from derive._engine._certify import (
    Box,
    Enclosed,
    Uncertain,
    Unsupported,
    enclose,
    has_discontinuity,
)
from derive._engine._claim import Claim, ClaimKind
from derive._engine._expectation import Expectation, Variance, evaluate_expectations
from derive._engine._points import Kept, Point, PointError, draw_point, instantiate
from derive._engine._shrink import shrink
from derive._engine._sums import doit_keeping_open_sums, expanded_sums

__all__ = ["Answer", "random_points", "simplified", "structural"]


@dataclasses.dataclass(frozen=True)
class Answer:
    """What a rung found: ``decided`` is True (holds), False (fails) or None."""

    decided: bool | None
    residual: str = ""
    counterexample: dict[str, str] | None = None
    values: tuple[str, str, str] | None = None
    points: int = 0
    note: str = ""
    counterexample_raw: dict[str, str] | None = None


def _prepared(expr: Any) -> Any:
    return doit_keeping_open_sums(evaluate_expectations(expr))


_PREPARED = Kept(_prepared, 32)


def _prepare(expr: Any) -> Any:
    """Evaluate expectation nodes and unevaluated operations (sums, derivatives).

    Sums over a symbolic number of draws have no closed form and are kept as sums
    (:func:`derive._engine._sums.doit_keeping_open_sums`).  The last few sides prepared are
    kept by this process: the rungs of one claim, and the links that share a line, prepare
    the same side.
    """
    return _PREPARED(expr)


def _elements(expr: Any) -> list[Any]:
    if isinstance(expr, MatrixBase):
        return list(expr)
    if isinstance(expr, sympy.MatrixExpr):
        return list(expr.as_explicit())
    return [expr]


def _differences(claim: Claim) -> list[Any]:
    kind, sides = claim.kind, claim.sides
    if kind is ClaimKind.EQUAL:
        lhs, rhs = (_prepare(s) for s in sides)
        if isinstance(lhs, MatrixBase) or isinstance(rhs, MatrixBase):
            return list(sympy.Matrix(lhs) - sympy.Matrix(rhs))
        return [lhs - rhs]
    return [_prepare(sides[0])]


def _is_zero(expr: Any) -> bool:
    if isinstance(expr, sympy.MatrixExpr):
        return bool(expr.is_ZeroMatrix) or bool(expr == sympy.ZeroMatrix(*expr.shape))
    return bool(expr == 0)


# Cheapest first: ``expanded_sums`` returns an expression without sums as it is.  The order
# decides only how soon a proof is found, never whether: every transform is tried.
_CHEAP: tuple[Callable[[Any], Any], ...] = (
    lambda e: e,
    expanded_sums,
    sympy.expand,
    lambda e: sympy.cancel(sympy.together(e)),
    lambda e: sympy.expand(sympy.powsimp(sympy.expand_log(e))),
)
_CHEAP_RESIDUAL = 1  # an undecided claim shows its canonical form with sums split


def _decide_sign(kind: ClaimKind, expr: Any) -> bool | None:
    decided: bool | None = (expr.is_nonnegative if kind is ClaimKind.NONNEGATIVE
                            else expr.is_positive)
    return decided


def _try_transforms(claim: Claim, transforms: tuple[Callable[[Any], Any], ...],
                    shown: int = -1) -> Answer:
    """The claim decided by the first transform that decides it, element by element; an
    undecided claim's residual is what transform ``shown`` made of the element."""
    kind = claim.kind
    residuals = []
    for diff in _differences(claim):
        decided, forms = None, [diff]
        for transform in transforms:
            forms.append(transform(diff))
            decided = _is_zero(forms[-1]) if claim.is_equality else _decide_sign(kind, forms[-1])
            if decided:
                break
        if not decided:
            return Answer(decided=None, residual=str(forms[1:][shown]))
        residuals.append(forms[-1])
    return Answer(decided=True, residual="0" if claim.is_equality else str(residuals[0]))


def structural(claim: Claim) -> Answer:
    """Cheap canonical forms: sums split, ``expand``, ``cancel(together(.))``, log/power
    expansion."""
    return _try_transforms(claim, _CHEAP, _CHEAP_RESIDUAL)


def _matrix_simplify(expr: Any) -> Any:
    if isinstance(expr, sympy.MatrixExpr):
        return sympy.simplify(expr.doit())
    return sympy.simplify(expr)


def _opaque_sums(expr: Any) -> Any:
    """Replace each sum by a symbol carrying the sign its terms guarantee.

    Sound for both kinds of claim: what holds for every value of the symbol
    holds for the sum's value.  It lets the assumptions see that a sum of
    non-negative terms is non-negative.
    """
    def symbol_for(total: Any) -> Any:
        term, (_, lower, upper) = total.function, total.limits[0]
        nonempty = (upper - lower).is_nonnegative
        facts = {"positive": bool(nonempty and term.is_positive),
                 "nonnegative": bool(term.is_nonnegative), "real": bool(term.is_real)}
        return sympy.Dummy("S", **{k: True for k, known in facts.items() if known})
    return expr.replace(lambda e: isinstance(e, sympy.Sum) and len(e.limits) == 1, symbol_for)


def _log_difference(expr: Any) -> Any:
    """``A - B`` with ``A, B > 0`` becomes ``log A - log B``, which has the same sign.

    Sound for equalities too (``A = B`` iff ``log A = log B``).  Anything else
    is returned unchanged.
    """
    if not isinstance(expr, sympy.Add) or len(expr.args) != 2:
        return expr
    first, second = expr.args
    a, b = (first, -second) if second.could_extract_minus_sign() else (second, -first)
    if a.is_positive and b.is_positive:
        return sympy.expand_log(sympy.log(a) - sympy.log(b), force=False)
    return expr


def _factored(expr: Any) -> Any:
    """``factor``, which shows a sign that expansion hides: 2x^4 - 2x^2 + 1/2 = (2x^2 - 1)^2/2."""
    return expr if isinstance(expr, sympy.MatrixExpr) else sympy.factor(expr)


_TARGETED: tuple[Callable[[Any], Any], ...] = (
    _opaque_sums,
    _log_difference,
    sympy.trigsimp,
    lambda e: sympy.logcombine(e),
    lambda e: sympy.factor_terms(sympy.expand(e)),
    _factored,
    _matrix_simplify,
)


def simplified(claim: Claim) -> Answer:
    """Targeted simplifiers (``trigsimp``, ``logcombine``, ...), then ``simplify``."""
    return _try_transforms(claim, _TARGETED)


# --------------------------------------------------------------------------- #
# Random admissible points                                                     #
# --------------------------------------------------------------------------- #


def _to_mp(value: Any) -> Any:
    value = sympy.sympify(value)
    if not value.is_number:
        raise PointError(f"not a number after substitution: {value}")
    re_part, im_part = value.as_real_imag()
    return mpmath.mpc(mpmath.mpf(sympy.Float(re_part, mpmath.mp.dps)),
                      mpmath.mpf(sympy.Float(im_part, mpmath.mp.dps)))


def _evaluate(expr: Any, dps: int) -> list[Any]:
    with mpmath.workdps(dps):
        values = []
        for element in _elements(expr):
            value = _to_mp(sympy.N(element, dps))
            if not (mpmath.isfinite(value.real) and mpmath.isfinite(value.imag)):
                raise PointError("not finite at this point")
            values.append(value)
        return values


def _tolerance(scale: Any, dps: int) -> Any:
    return mpmath.mpf(10) ** (-(dps * 3 // 4)) * max(mpmath.mpf(1), scale)


def _estimated_status(kind: ClaimKind, concrete: list[Any], dps: int) -> bool | None:
    """Without an enclosure (a function :mod:`derive._certify` does not know): the
    claim fails only if it fails at ``dps`` and ``2 * dps`` digits and no function
    with a jump is involved; it holds if it holds at ``dps`` digits."""
    fails = [_fails_at(kind, concrete, digits) for digits in (dps, 2 * dps)]
    if not fails[0]:
        return True
    if fails[1] and not any(has_discontinuity(side) for side in concrete):
        return False
    return None


def _fails_at(kind: ClaimKind, concrete: list[Any], dps: int) -> bool:
    sides = [_evaluate(side, dps) for side in concrete]
    with mpmath.workdps(dps):
        if kind is ClaimKind.EQUAL:
            return any(abs(a - b) > _tolerance(max(abs(a), abs(b)), dps)
                       for a, b in zip(*sides, strict=False))
        if any(abs(v.imag) > _tolerance(abs(v), dps) for v in sides[0]):
            raise PointError("the quantity compared with 0 is not real here")
        margins = [_tolerance(abs(v), dps) for v in sides[0]]
        if kind is ClaimKind.NONNEGATIVE:
            return any(v.real < -m for v, m in zip(sides[0], margins, strict=False))
        return any(v.real <= m for v, m in zip(sides[0], margins, strict=False))


def _equal_status(a: Box, b: Box, dps: int, loose: bool) -> bool | None:
    difference = Box(a.re - b.re, a.im - b.im)
    if difference.excludes_zero():
        return False
    if loose or difference.width() <= _tolerance(max(a.magnitude(), b.magnitude()), dps):
        return True
    return None


def _sign_status(kind: ClaimKind, value: Box, dps: int, loose: bool) -> bool | None:
    if Box(value.im, value.im).excludes_zero():
        raise PointError("the quantity compared with 0 is not real here")
    low, high = value.real_ends()
    if high < 0 or (kind is ClaimKind.POSITIVE and high == 0 and value.is_real):
        return False
    if low > 0 or loose:
        return True
    if kind is ClaimKind.NONNEGATIVE and low >= -_tolerance(value.magnitude(), dps):
        return True
    return None


def _combined(statuses: list[Any]) -> bool | None:
    if any(s is False for s in statuses):
        return False
    return True if all(statuses) else None


def _status_at(kind: ClaimKind, concrete: list[Any], dps: int, loose: bool = False) -> bool | None:
    """Does the claim hold (True), fail with certainty (False), or is it undecided at
    ``dps`` digits?  Raises :class:`PointError` when the point must be skipped.
    ``loose``: any enclosure that does not refute counts as agreement."""
    try:
        boxes = [[enclose(e, dps) for e in _elements(side)] for side in concrete]
    except Unsupported:
        return _estimated_status(kind, concrete, dps)
    except Uncertain as exc:
        raise PointError(str(exc)) from None
    if not all(b.is_finite() for side in boxes for b in side):
        raise PointError("not finite at this point")
    if kind is ClaimKind.EQUAL:
        if len(boxes[0]) != len(boxes[1]):
            raise PointError("the two sides have different shapes at this point")
        return _combined([_equal_status(a, b, dps, loose) for a, b in zip(*boxes, strict=False)])
    return _combined([_sign_status(kind, v, dps, loose) for v in boxes[0]])


_PRECISION_STEPS = (1, 2, 4, 8)


def _status(kind: ClaimKind, concrete: list[Any], dps: int) -> bool:
    """The claim's status at a point, precision raised until it is certain (cap 8x)."""
    for factor in _PRECISION_STEPS:
        status = _status_at(kind, concrete, factor * dps)
        if status is not None:
            return status
    if any(side.has(Enclosed) for side in concrete) and _status_at(kind, concrete, dps, True):
        return True  # agreement within a quadrature's error: evidence, never a refutation
    raise PointError(f"the sign of the difference is not certain at {8 * dps} digits")


def _shown(concrete: list[Any], dps: int = 20) -> tuple[str, str, str]:
    """Both sides at the counterexample and their difference (computed at 2 * dps digits)."""
    lhs, rhs = concrete if len(concrete) == 2 else (concrete[0], sympy.S.Zero)
    values = [_real_value(side, 2 * dps) for side in (lhs, rhs)]
    if values[0] is None or values[1] is None:
        difference = sympy.N(sympy.N(lhs, 2 * dps) - sympy.N(rhs, 2 * dps), 6)
        return (str(sympy.N(lhs, dps)), str(sympy.N(rhs, dps)), str(difference))
    with mpmath.workdps(2 * dps):
        difference = sympy.Float(values[0] - values[1], 6)
    return (str(sympy.Float(values[0], dps)), str(sympy.Float(values[1], dps)), str(difference))


def _real_value(side: Any, dps: int) -> Any:
    """A real number expression's value to ``dps`` digits, from its enclosure (evaluating a
    large expression so is much faster than ``evalf``); ``None`` where the enclosure does
    not give it (a number already, a matrix, a complex value, a function without one)."""
    if not isinstance(side, sympy.Expr) or side.is_Number:
        return None
    try:
        box = enclose(side, dps)
    except (Unsupported, Uncertain, *_SKIPPED):
        return None
    if not (box.is_real and box.is_finite()):
        return None
    low, high = box.real_ends()
    with mpmath.workdps(dps):
        middle = (low + high) / 2
        if high - low > mpmath.mpf(10) ** (2 - dps) * max(mpmath.mpf(1), abs(middle)):
            return None
        return middle


_SKIPPED = (PointError, TypeError, ValueError, ZeroDivisionError, AttributeError,
            UnsupportedExpectation)


def _families(claim: Claim) -> set[Any]:
    sides = [s for s in claim.sides if isinstance(s, sympy.Basic)]
    return {f for side in sides for node in side.atoms(Expectation, Variance)
            for f in node.args[1]}


def random_points(claim: Claim, seed: int, wanted: int, dps: int,
                  shrink_seconds: float = 0.0) -> Answer:
    """Test the claim at random admissible points at ``dps`` digits.

    A point refutes the claim only when the sign of the difference is certain
    (:func:`_status`: interval enclosures, precision raised up to 8x); it is
    then shrunk (:mod:`derive._shrink`) for at most ``shrink_seconds`` of CPU.
    Agreement at ``wanted`` points gives ``decided=True`` (the caller reports it
    as numerical evidence only).
    """
    rng = np.random.default_rng(seed)
    families = _families(claim)
    sides = [_prepare(s) for s in claim.sides]
    wanted = wanted if _has_free(sides) else 1
    agreed, attempts, last_error = 0, 0, ""
    while agreed < wanted and attempts < 4 * wanted:
        attempts += 1
        try:
            point = draw_point(sides, rng, families)
            concrete = [instantiate(side, point, rng) for side in sides]
            holds = _status(claim.kind, concrete, dps)
        except _SKIPPED as exc:
            last_error = str(exc)
            continue
        if not holds:
            return _refutation(claim.kind, sides, point, concrete, (seed, dps, shrink_seconds),
                               agreed + 1)
        agreed += 1
    if agreed >= wanted:
        return Answer(decided=True, points=agreed)
    return Answer(decided=None, points=agreed, note=last_error)


def _refutation(kind: ClaimKind, sides: list[Any], point: Point, concrete: list[Any],
                settings: tuple[Any, ...],
                points: int) -> Answer:
    seed, dps, seconds = settings

    def still_fails(trial: Point) -> list[Any] | None:
        """The sides at ``trial`` if the claim fails there; the draws the sides no longer
        use (a smaller sample) are then dropped from it, so they are neither shown nor
        shrunk."""
        used: set[Any] = set()
        values = [instantiate(side, trial, np.random.default_rng(seed), used) for side in sides]
        if _status(kind, values, dps) is not False:
            return None
        for draw in set(trial.draws) - used:
            del trial.draws[draw]
        return values
    shrunk, shrunk_concrete = shrink(point, concrete, still_fails, seconds, _SKIPPED)
    return Answer(decided=False, counterexample=shrunk.as_strings(),
                  values=_shown(shrunk_concrete), points=points,
                  counterexample_raw=point.as_strings())


def _has_free(sides: Any) -> bool:
    """Whether a point has anything to choose (symbols, functions, matrices)."""
    return any(s.free_symbols or s.atoms(sympy.core.function.AppliedUndef) for s in sides)
