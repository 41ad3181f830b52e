"""The rungs of the checking ladder.  They run inside a worker process.

Each function takes picklable SymPy objects and returns a small picklable
answer; the parent (:mod:`derive._engine._check`) bounds each call by the remaining
time budget and kills the worker if a rung does not return in time.

A claim is either ``("eq", lhs, rhs)`` (scalars or matrices of one shape),
``("nonneg", expr)`` (``expr >= 0``) or ``("pos", expr)`` (``expr > 0``).
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import mpmath
import numpy as np
import sympy
from sympy import MatrixBase

from derive._engine._expectation import evaluate_expectations
from derive._engine._points import PointError, draw_point, instantiate
from derive._engine._sums import doit_keeping_open_sums, expanded_sums

__all__ = ["structural", "simplified", "random_points", "Answer"]


@dataclasses.dataclass(frozen=True)
class Answer:
    """What a rung found: ``decided`` is True (holds), False (fails) or None."""

    decided: bool | None
    residual: str = ""
    counterexample: dict[str, str] | None = None
    values: tuple[str, str, str] | None = None
    points: int = 0
    note: str = ""


def _prepare(expr):
    """Evaluate expectation nodes and unevaluated operations (sums, derivatives).

    Sums over a symbolic number of draws have no closed form and are kept as sums
    (:func:`derive._engine._sums.doit_keeping_open_sums`).
    """
    return doit_keeping_open_sums(evaluate_expectations(expr))


def _elements(expr) -> list:
    if isinstance(expr, MatrixBase):
        return list(expr)
    if isinstance(expr, sympy.MatrixExpr):
        return list(expr.as_explicit())
    return [expr]


def _differences(claim) -> list:
    kind, *sides = claim
    if kind == "eq":
        lhs, rhs = (_prepare(s) for s in sides)
        if isinstance(lhs, MatrixBase) or isinstance(rhs, MatrixBase):
            return list(sympy.Matrix(lhs) - sympy.Matrix(rhs))
        return [lhs - rhs]
    return [_prepare(sides[0])]


def _is_zero(expr) -> bool:
    if isinstance(expr, sympy.MatrixExpr):
        return bool(expr.is_ZeroMatrix) or expr == sympy.ZeroMatrix(*expr.shape)
    return expr == 0


_CHEAP: tuple[Callable, ...] = (
    lambda e: e,
    sympy.expand,
    lambda e: sympy.cancel(sympy.together(e)),
    lambda e: sympy.expand(sympy.powsimp(sympy.expand_log(e))),
    expanded_sums,
)


def _decide_sign(kind: str, expr) -> bool | None:
    if kind == "nonneg":
        return expr.is_nonnegative
    return expr.is_positive


def _try_transforms(claim, transforms) -> Answer:
    kind = claim[0]
    residuals = []
    for diff in _differences(claim):
        decided, residual = None, diff
        for transform in transforms:
            residual = transform(diff)
            decided = _is_zero(residual) if kind == "eq" else _decide_sign(kind, residual)
            if decided:
                break
        if not decided:
            return Answer(decided=None, residual=str(residual))
        residuals.append(residual)
    return Answer(decided=True, residual="0" if kind == "eq" else str(residuals[0]))


def structural(claim) -> Answer:
    """Cheap canonical forms: ``expand``, ``cancel(together(.))``, log/power expansion."""
    return _try_transforms(claim, _CHEAP)


def _matrix_simplify(expr):
    if isinstance(expr, sympy.MatrixExpr):
        return sympy.simplify(expr.doit())
    return sympy.simplify(expr)


def _opaque_sums(expr):
    """Replace each sum by a symbol carrying the sign its terms guarantee.

    Sound for both kinds of claim: what holds for every value of the symbol
    holds for the sum's value.  It lets the assumptions see that a sum of
    non-negative terms is non-negative.
    """
    def symbol_for(total):
        term, (_, lower, upper) = total.function, total.limits[0]
        nonempty = (upper - lower).is_nonnegative
        facts = {"positive": bool(nonempty and term.is_positive),
                 "nonnegative": bool(term.is_nonnegative), "real": bool(term.is_real)}
        return sympy.Dummy("S", **{k: True for k, known in facts.items() if known})
    return expr.replace(lambda e: isinstance(e, sympy.Sum) and len(e.limits) == 1, symbol_for)


def _log_difference(expr):
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


def _factored(expr):
    """``factor``, which shows a sign that expansion hides: 2x^4 - 2x^2 + 1/2 = (2x^2 - 1)^2/2."""
    return expr if isinstance(expr, sympy.MatrixExpr) else sympy.factor(expr)


_TARGETED: tuple[Callable, ...] = (
    _opaque_sums,
    _log_difference,
    sympy.trigsimp,
    lambda e: sympy.logcombine(e),
    lambda e: sympy.factor_terms(sympy.expand(e)),
    _factored,
    _matrix_simplify,
)


def simplified(claim) -> Answer:
    """Targeted simplifiers (``trigsimp``, ``logcombine``, ...), then ``simplify``."""
    return _try_transforms(claim, _TARGETED)


# --------------------------------------------------------------------------- #
# Random admissible points                                                     #
# --------------------------------------------------------------------------- #


def _to_mp(value):
    value = sympy.sympify(value)
    if not value.is_number:
        raise PointError(f"not a number after substitution: {value}")
    re_part, im_part = value.as_real_imag()
    return mpmath.mpc(mpmath.mpf(sympy.Float(re_part, mpmath.mp.dps)),
                      mpmath.mpf(sympy.Float(im_part, mpmath.mp.dps)))


def _evaluate(expr, dps: int) -> list:
    with mpmath.workdps(dps):
        values = []
        for element in _elements(expr):
            value = _to_mp(sympy.N(element, dps))
            if not (mpmath.isfinite(value.real) and mpmath.isfinite(value.imag)):
                raise PointError("not finite at this point")
            values.append(value)
        return values


def _tolerance(scale, dps: int):
    return mpmath.mpf(10) ** (-(dps * 3 // 4)) * max(mpmath.mpf(1), scale)


def _violations(kind: str, sides: list[list], dps: int) -> list[bool]:
    """For each element: does the claim fail at this precision?"""
    with mpmath.workdps(dps):
        if kind == "eq":
            return [abs(a - b) > _tolerance(max(abs(a), abs(b)), dps) for a, b in zip(*sides)]
        out = []
        for value in sides[0]:
            if abs(value.imag) > _tolerance(abs(value), dps):
                raise PointError("the quantity compared with 0 is not real here")
            margin = _tolerance(abs(value), dps)
            out.append(value.real < -margin if kind == "nonneg" else value.real <= margin)
        return out


def _fails_at(claim, concrete: list, dps: int) -> bool:
    sides = [_evaluate(side, dps) for side in concrete]
    if len(sides) == 2 and len(sides[0]) != len(sides[1]):
        raise PointError("the two sides have different shapes at this point")
    return any(_violations(claim[0], sides, dps))


def _shown(concrete: list, dps: int = 20) -> tuple[str, str, str]:
    """Both sides at the counterexample and their difference (computed at 2 * dps digits)."""
    lhs, rhs = concrete if len(concrete) == 2 else (concrete[0], sympy.S.Zero)
    difference = sympy.N(sympy.N(lhs, 2 * dps) - sympy.N(rhs, 2 * dps), 6)
    return (str(sympy.N(lhs, dps)), str(sympy.N(rhs, dps)), str(difference))


def random_points(claim, seed: int, wanted: int, dps: int) -> Answer:
    """Test the claim at random admissible points at ``dps`` digits.

    A failure seen at ``dps`` digits is confirmed at ``2 * dps`` digits before
    it is returned as a counterexample.  Agreement at ``wanted`` points gives
    ``decided=True`` (the caller reports it as numerical evidence only).
    """
    rng = np.random.default_rng(seed)
    sides = [_prepare(s) for s in claim[1:]]
    wanted = wanted if _has_free(sides) else 1
    agreed, attempts, last_error = 0, 0, ""
    while agreed < wanted and attempts < 4 * wanted:
        attempts += 1
        try:
            point = draw_point(sides, rng)
            concrete = [instantiate(side, point, rng) for side in sides]
            failed = _fails_at(claim, concrete, dps)
            confirmed = failed and _fails_at(claim, concrete, 2 * dps)
        except (PointError, TypeError, ValueError, ZeroDivisionError, AttributeError) as exc:
            last_error = str(exc)
            continue
        if confirmed:
            return Answer(decided=False, counterexample=point.as_strings(),
                          values=_shown(concrete), points=agreed + 1)
        agreed += 0 if failed else 1
    if agreed >= wanted:
        return Answer(decided=True, points=agreed)
    return Answer(decided=None, points=agreed, note=last_error)


def _has_free(sides) -> bool:
    """Whether a point has anything to choose (symbols, functions, matrices)."""
    return any(s.free_symbols or s.atoms(sympy.core.function.AppliedUndef) for s in sides)
