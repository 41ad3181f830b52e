r"""Certified evaluation: enclosures of a number expression by interval arithmetic.

A refutation is reported only when the sign of the difference is *certain*.  An
exact number expression (rationals, :math:`\pi`, ``exp``, ``log``, ``sin``, ...)
is evaluated in rectangular complex intervals built on ``mpmath.iv`` (outward
rounding), so the true value lies in the enclosure.  A discontinuous function
(``sign``, ``floor``, ``ceiling``, ``Heaviside``, ``Mod``, ``Piecewise``
conditions) and a branch cut (``log``, ``sqrt`` and non-integer powers on the
negative real axis) are evaluated only where the enclosure of their argument
keeps away from the discontinuity; otherwise :class:`Uncertain` is raised and
the point is skipped.  :func:`enclose` raises precision (up to a cap) until the
enclosure is narrow enough to decide.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import mpmath
import sympy

__all__ = ["Box", "Enclosed", "Uncertain", "Unsupported", "enclose", "has_discontinuity"]

iv = mpmath.iv


class Uncertain(Exception):
    """The enclosure cannot decide here (a discontinuity or branch cut is too close)."""


class Unsupported(Exception):
    """The expression holds a function this evaluator has no enclosure for."""


def _lo(x: Any) -> mpmath.mpf:
    return mpmath.mp.make_mpf(x._mpi_[0])


def _hi(x: Any) -> mpmath.mpf:
    return mpmath.mp.make_mpf(x._mpi_[1])


class Enclosed(sympy.Function):
    """A number known to lie within ``slack`` of ``value`` (a quadrature result)."""

    nargs = 2
    is_real = True

    def _eval_evalf(self, prec: Any) -> Any:
        return self.args[0]._eval_evalf(prec)


def _zero() -> Any:
    return iv.mpf(0)


@dataclasses.dataclass(frozen=True)
class Box:
    """A rectangle ``re + i im`` of intervals holding a complex value."""

    re: Any
    im: Any

    @property
    def is_real(self) -> bool:
        return bool(_lo(self.im) == 0 and _hi(self.im) == 0)

    def excludes_zero(self) -> bool:
        return not (_lo(self.re) <= 0 <= _hi(self.re)) or not (_lo(self.im) <= 0 <= _hi(self.im))

    def real_ends(self) -> tuple[mpmath.mpf, mpmath.mpf]:
        return _lo(self.re), _hi(self.re)

    def is_finite(self) -> bool:
        ends = (_lo(self.re), _hi(self.re), _lo(self.im), _hi(self.im))
        return all(mpmath.isfinite(end) for end in ends)

    def width(self) -> mpmath.mpf:
        return max(_hi(self.re) - _lo(self.re), _hi(self.im) - _lo(self.im))

    def magnitude(self) -> mpmath.mpf:
        return max(abs(_lo(self.re)), abs(_hi(self.re)), abs(_lo(self.im)), abs(_hi(self.im)))

    def __add__(self, other: Box) -> Box:
        return Box(self.re + other.re, self.im + other.im)

    def __mul__(self, other: Box) -> Box:
        if self.is_real and other.is_real:
            return _real(self.re * other.re)
        return Box(self.re * other.re - self.im * other.im, self.re * other.im + self.im * other.re)

    def inverse(self) -> Box:
        if not self.excludes_zero():
            raise Uncertain("division by a quantity that may be zero")
        if self.is_real:
            return _real(1 / self.re)
        norm = self.re * self.re + self.im * self.im
        return Box(self.re / norm, -self.im / norm)


def _real(value: Any) -> Box:
    return Box(value, _zero())


def _real_part(box: Box, what: str) -> Any:
    if not box.is_real:
        raise Unsupported(f"{what} of a complex value")
    return box.re


def _exp(box: Box) -> Box:
    if box.is_real:
        return _real(iv.exp(box.re))
    scale = iv.exp(box.re)
    return Box(scale * iv.cos(box.im), scale * iv.sin(box.im))


def _log(box: Box) -> Box:
    """Principal logarithm; its cut is the negative real axis (and 0)."""
    if box.is_real and _lo(box.re) > 0:
        return _real(iv.log(box.re))
    if _lo(box.re) > 0 or _lo(box.im) > 0 or _hi(box.im) < 0:
        modulus_squared = box.re * box.re + box.im * box.im
        return Box(iv.log(modulus_squared) / 2, iv.atan2(box.im, box.re))
    if box.is_real and _hi(box.re) < 0:
        return Box(iv.log(-box.re), iv.pi)
    raise Uncertain("log (or a power) evaluated on its branch cut")


def _sin_cos(box: Box) -> tuple[Box, Box]:
    if box.is_real:
        return _real(iv.sin(box.re)), _real(iv.cos(box.re))
    up, down = iv.exp(box.im), iv.exp(-box.im)
    cosh, sinh = (up + down) / 2, (up - down) / 2
    sin = Box(iv.sin(box.re) * cosh, iv.cos(box.re) * sinh)
    cos = Box(iv.cos(box.re) * cosh, -iv.sin(box.re) * sinh)
    return sin, cos


def _integer_power(base: Box, exponent: int) -> Box:
    if exponent < 0:
        return _integer_power(base.inverse(), -exponent)
    if base.is_real:
        return _real(base.re**exponent)
    result, square = _real(iv.mpf(1)), base
    while exponent:
        if exponent & 1:
            result = result * square
        square, exponent = square * square, exponent >> 1
    return result


def _power(expr: sympy.Pow, dps: int) -> Box:
    base, exponent = expr.args
    value = _box(base, dps)
    if exponent.is_Integer:
        return _integer_power(value, int(exponent))
    if exponent.is_Rational and exponent > 0 and value.is_real and _lo(value.re) >= 0:
        if _hi(value.re) == 0:
            return _real(_zero())
        lower = max(_lo(value.re), mpmath.mpf(0))
        return _real(iv.mpf([lower, _hi(value.re)]) ** _number(exponent).re)
    return _exp(_box(exponent, dps) * _log(value))


def _sign(box: Box) -> Box:
    real = _real_part(box, "sign")
    if _lo(real) > 0:
        return _real(iv.mpf(1))
    if _hi(real) < 0:
        return _real(iv.mpf(-1))
    if _lo(real) == 0 == _hi(real):
        return _real(_zero())
    raise Uncertain("sign evaluated at its discontinuity (its argument may be 0)")


def _step(kind: str, box: Box) -> Box:
    real = _real_part(box, kind)
    rounding = mpmath.floor if kind == "floor" else mpmath.ceil
    low, high = rounding(_lo(real)), rounding(_hi(real))
    if low != high:
        raise Uncertain(f"{kind} evaluated at its discontinuity (its argument may be an integer)")
    return _real(iv.mpf(low))


def _abs(box: Box) -> Box:
    if box.is_real:
        return _real(abs(box.re))
    return _real(iv.sqrt(box.re * box.re + box.im * box.im))


def _extreme(values: list[Box], pick: Callable[..., Any]) -> Box:
    reals = [_real_part(v, "Max/Min") for v in values]
    low = pick(_lo(r) for r in reals)
    high = pick(_hi(r) for r in reals)
    return _real(iv.mpf([low, high]))


def _heaviside(expr: Any, dps: int) -> Box:
    real = _real_part(_box(expr.args[0], dps), "Heaviside")
    if _lo(real) > 0:
        return _real(iv.mpf(1))
    if _hi(real) < 0:
        return _real(_zero())
    if _lo(real) == 0 == _hi(real) and len(expr.args) > 1:
        return _box(expr.args[1], dps)
    raise Uncertain("Heaviside evaluated at its discontinuity (its argument may be 0)")


def _truth(condition: Any, dps: int) -> bool:
    """The truth of a condition, certain or :class:`Uncertain`."""
    if condition in (sympy.true, sympy.false):
        return bool(condition)
    if isinstance(condition, sympy.And):
        return all(_truth(c, dps) for c in condition.args)
    if isinstance(condition, sympy.Or):
        return any(_truth(c, dps) for c in condition.args)
    if isinstance(condition, sympy.Not):
        return not _truth(condition.args[0], dps)
    if isinstance(condition, sympy.core.relational.Relational):
        return _compare(condition, dps)
    raise Unsupported(f"condition {condition}")


def _compare(relation: Any, dps: int) -> bool:
    difference = _real_part(_box(relation.lhs - relation.rhs, dps), "a comparison")
    low, high = _lo(difference), _hi(difference)
    exact_zero = low == 0 == high
    if isinstance(relation, (sympy.Eq, sympy.Ne)):
        if exact_zero or low > 0 or high < 0:
            return bool(exact_zero == isinstance(relation, sympy.Eq))
    elif low > 0 or high < 0 or exact_zero:
        sign = 0 if exact_zero else (1 if low > 0 else -1)
        return {sympy.StrictGreaterThan: sign > 0, sympy.GreaterThan: sign >= 0,
                sympy.StrictLessThan: sign < 0, sympy.LessThan: sign <= 0}[type(relation)]
    raise Uncertain(f"the condition {relation} is at its boundary")


def _piecewise(expr: Any, dps: int) -> Box:
    for piece, condition in expr.args:
        if _truth(condition, dps):
            return _box(piece, dps)
    raise Uncertain("no piece of a Piecewise applies")


def _number(expr: Any) -> Box:
    if expr.is_Rational:
        return _real(iv.mpf(expr.p) / iv.mpf(expr.q))
    if expr.is_Float:
        return _real(iv.mpf(mpmath.mp.make_mpf(expr._mpf_)))
    constants = {sympy.pi: lambda: iv.pi, sympy.E: lambda: iv.e}
    if expr in constants:
        return _real(constants[expr]())
    if expr is sympy.I:
        return Box(_zero(), iv.mpf(1))
    if expr is sympy.S.ComplexInfinity or expr in (sympy.oo, -sympy.oo, sympy.nan):
        raise Uncertain(f"the value is {expr}")
    raise Unsupported(f"the constant {expr}")


def _mod(expr: Any, dps: int) -> Box:
    a, b = expr.args
    quotient = _step("floor", _box(a / b, dps))
    return _box(a, dps) + _real(-quotient.re) * _box(b, dps)


def _elementwise(expr: Any, dps: int) -> Box | None:
    unary: dict[Any, Callable[[Box], Box]] = {
             sympy.exp: _exp, sympy.log: _log, sympy.sign: _sign, sympy.Abs: _abs,
             sympy.floor: lambda b: _step("floor", b),
             sympy.ceiling: lambda b: _step("ceiling", b),
             sympy.sin: lambda b: _sin_cos(b)[0], sympy.cos: lambda b: _sin_cos(b)[1],
             sympy.re: lambda b: _real(b.re), sympy.im: lambda b: _real(b.im),
             sympy.conjugate: lambda b: Box(b.re, -b.im)}
    if expr.func in unary and len(expr.args) == 1:
        box: Box = unary[expr.func](_box(expr.args[0], dps))
        return box
    if isinstance(expr, sympy.tan):
        sin, cos = _sin_cos(_box(expr.args[0], dps))
        return sin * cos.inverse()
    return None


def _box(expr: Any, dps: int) -> Box:
    if expr.is_Number or expr.is_NumberSymbol or expr is sympy.I or expr.is_Atom:
        return _number(expr)
    if isinstance(expr, sympy.Add):
        total = _box(expr.args[0], dps)
        for arg in expr.args[1:]:
            total = total + _box(arg, dps)
        return total
    if isinstance(expr, sympy.Mul):
        product = _box(expr.args[0], dps)
        for arg in expr.args[1:]:
            product = product * _box(arg, dps)
        return product
    if isinstance(expr, sympy.Pow):
        return _power(expr, dps)
    return _compound(expr, dps)


def _compound(expr: Any, dps: int) -> Box:
    value = _elementwise(expr, dps)
    if value is not None:
        return value
    if isinstance(expr, (sympy.Max, sympy.Min)):
        pick = max if isinstance(expr, sympy.Max) else min
        return _extreme([_box(a, dps) for a in expr.args], pick)
    if isinstance(expr, sympy.Heaviside):
        return _heaviside(expr, dps)
    if isinstance(expr, sympy.Piecewise):
        return _piecewise(expr, dps)
    if isinstance(expr, sympy.Mod):
        return _mod(expr, dps)
    if isinstance(expr, Enclosed):
        centre, slack = (_real_part(_box(a, dps), "an enclosure") for a in expr.args)
        return _real(centre + iv.mpf([-_hi(slack), _hi(slack)]))
    raise Unsupported(f"no enclosure for {expr.func}")


def enclose(expr: Any, dps: int) -> Box:
    """An enclosure of the number ``expr`` computed at ``dps`` digits (outward rounding)."""
    saved = iv.prec
    try:
        iv.dps = dps
        with mpmath.workdps(dps):
            return _box(sympy.sympify(expr), dps)
    finally:
        iv.prec = saved


_DISCONTINUOUS = (sympy.sign, sympy.floor, sympy.ceiling, sympy.Heaviside, sympy.Piecewise,
                  sympy.Mod, sympy.frac, sympy.arg, sympy.DiracDelta)


def has_discontinuity(expr: Any) -> bool:
    """Whether ``expr`` holds a function with a jump (no certified fallback for it)."""
    return any(expr.has(kind) for kind in _DISCONTINUOUS)
