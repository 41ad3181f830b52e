"""Random admissible points: exact values that satisfy every symbol's assumptions.

A point gives a value to every free symbol (exact rationals, small integers or
complex rationals, chosen by the symbol's assumptions), a concrete smooth
function to every undefined function (``exp`` of one where the function is
declared positive), a concrete matrix to every matrix symbol, and a value to
every draw ``x[k]`` of an indexed base once sums have been expanded.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import sympy
from sympy import I, Indexed, IndexedBase, Lambda, MatrixSymbol, Rational, Symbol
from sympy.core.function import AppliedUndef

from derive._base._errors import UnsupportedExpectation
from derive._engine._expectation import (
    Expectation,
    Variance,
    enumerate_two_point,
    two_point_moment_values,
)
from derive._engine._sums import doit_keeping_open_sums

__all__ = ["Point", "PointError", "draw_point", "instantiate"]

_CHECKED = ("positive", "negative", "nonnegative", "nonpositive", "zero", "nonzero",
            "integer", "real", "even", "odd", "rational", "imaginary", "finite")
_TRIES = 60


class PointError(Exception):
    """No admissible value could be drawn for a symbol."""


@dataclasses.dataclass
class Point:
    """Values for the symbols, functions, matrices and draws of one admissible point."""

    symbols: dict[Any, Any] = dataclasses.field(default_factory=dict)
    functions: dict[Any, Any] = dataclasses.field(default_factory=dict)
    matrices: dict[Any, Any] = dataclasses.field(default_factory=dict)
    draws: dict[Any, Any] = dataclasses.field(default_factory=dict)
    laws: dict[str, str] = dataclasses.field(default_factory=dict)

    def as_strings(self) -> dict[str, str]:
        """Every value, keyed by the printed symbol, for reports."""
        items = [*self.symbols.items(), *self.draws.items(), *self.matrices.items()]
        shown = {str(k): str(v) for k, v in items}
        for func, lam in self.functions.items():
            args = ", ".join(map(str, lam.variables))
            shown[f"{func}({args})"] = str(lam.expr)
        return {**shown, **self.laws}


def _assumption_facts(atom) -> dict[str, bool]:
    if isinstance(atom, type):  # an undefined function: its assumptions are class attributes
        values = {key: getattr(atom, f"is_{key}", None) for key in _CHECKED}
        return {k: v for k, v in values.items() if isinstance(v, bool)}
    facts = getattr(atom, "assumptions0", {}) or {}
    return {k: v for k, v in facts.items() if k in _CHECKED and v is not None}


def _satisfies(value, facts: dict[str, bool]) -> bool:
    return all(getattr(value, f"is_{key}") == wanted for key, wanted in facts.items())


def _rational(rng: np.random.Generator, low: float, high: float) -> Rational:
    denominator = int(rng.choice([7, 11, 13, 16, 17, 19, 23]))
    return Rational(int(round(rng.uniform(low, high) * denominator)), denominator)


def _candidate(rng: np.random.Generator, facts: dict[str, bool]):
    sign = -1 if facts.get("negative") or facts.get("nonpositive") else 1
    if facts.get("integer"):
        low = 1 if (facts.get("positive") or facts.get("negative")) else 0
        magnitude = int(rng.integers(low, 7))
        if not (facts.get("positive") or facts.get("nonnegative") or sign < 0):
            return int(rng.choice([-1, 1])) * magnitude
        return sign * magnitude
    if facts.get("zero"):
        return sympy.S.Zero
    if sign < 0 or facts.get("positive") or facts.get("nonnegative"):
        return sign * _rational(rng, 0.05, 3.0)
    if facts.get("real") or facts.get("rational"):
        return _rational(rng, -3.0, 3.0)
    return _rational(rng, -2.0, 2.0) + I * _rational(rng, -2.0, 2.0)


def draw_value(atom, rng: np.random.Generator):
    """An exact value satisfying the assumptions of ``atom`` (a symbol or a draw)."""
    facts = _assumption_facts(atom)
    for _ in range(_TRIES):
        value = sympy.sympify(_candidate(rng, facts))
        if _satisfies(value, facts):
            return value
    raise PointError(f"no admissible value found for {atom} with assumptions {facts}")


def _random_function(func, n_args: int, rng: np.random.Generator) -> Lambda:
    """A smooth, non-polynomial function of ``n_args`` variables for ``func``."""
    variables = sympy.symbols(f"u0:{n_args}", real=True)
    body = _rational(rng, -1, 1)
    for k, u in enumerate(variables):
        body += _rational(rng, -1, 1) * u + _rational(rng, -0.5, 0.5) * u**2
        body += _rational(rng, 0.2, 1) * sympy.sin(_rational(rng, 0.5, 1.5) * u + k)
    if n_args > 1:
        body += _rational(rng, -0.5, 0.5) * variables[0] * variables[1]
    facts = _assumption_facts(func)
    if facts.get("positive") or facts.get("nonnegative"):
        body = sympy.exp(body / 2)
    elif not facts.get("real"):
        body = body + I * _rational(rng, -1, 1) * sympy.cos(variables[0])
    return Lambda(variables, body)


def _free_scalars(exprs) -> set:
    symbols = set()
    labels = set()
    for expr in exprs:
        labels |= {b.label for b in expr.atoms(IndexedBase)}
        symbols |= {s for s in expr.free_symbols if isinstance(s, Symbol)}
    return symbols - labels


def _matrix_dims(exprs) -> set:
    dims = set()
    for expr in exprs:
        for matrix in expr.atoms(MatrixSymbol):
            for dim in matrix.shape:
                dims |= dim.free_symbols
    return dims


def draw_point(exprs, rng: np.random.Generator) -> Point:
    """Values for the free symbols, undefined functions and matrices of ``exprs``.

    Where an expectation is left for :func:`instantiate` to enumerate, the
    higher moments of its families take their two-point values, so that the
    point describes one real distribution.
    """
    point = Point()
    for symbol in sorted(_free_scalars(exprs) | _matrix_dims(exprs), key=str):
        point.symbols[symbol] = draw_value(symbol, rng)
    families = {f for e in exprs for node in _open_expectations(e) for f in node.args[1]}
    point.laws = {f"law of {f.name}": "mass 1/2 at mean - sd and at mean + sd" for f in families}
    moments = two_point_moment_values(families)
    for symbol, value in moments.items():
        if symbol in point.symbols:
            point.symbols[symbol] = sympy.expand(value.xreplace(point.symbols))
    for expr in exprs:
        for call in sorted(expr.atoms(AppliedUndef), key=str):  # not set order: it varies run to run
            if call.func not in point.functions:
                point.functions[call.func] = _random_function(call.func, len(call.args), rng)
    return point


def _concrete_matrix(matrix: MatrixSymbol, rng: np.random.Generator):
    rows, cols = (int(d) for d in matrix.shape)
    facts = _assumption_facts(matrix)
    entry = {"real": True} if not facts else facts
    return sympy.ImmutableMatrix(rows, cols, lambda i, j: draw_value(_Fake(entry), rng))


def _enumerated(node):
    try:
        return enumerate_two_point(node)
    except UnsupportedExpectation as exc:
        raise PointError(str(exc)) from None


@dataclasses.dataclass
class _Fake:
    assumptions0: dict


def _open_expectations(expr) -> list:
    return [e for e in expr.atoms(Expectation, Variance)]


def instantiate(expr, point: Point, rng: np.random.Generator):
    """``expr`` at ``point``: functions (and their derivatives), symbols, expectations
    left open, matrices, sums, then the remaining draws."""
    value = expr
    for func, lam in point.functions.items():
        value = value.replace(func, lam)
    if point.functions:  # derivatives of the concrete functions, before symbols are numbers
        value = doit_keeping_open_sums(value)
    value = value.xreplace(point.symbols)
    value = value.replace(lambda e: isinstance(e, (Expectation, Variance)), _enumerated)
    for matrix in sorted(value.atoms(MatrixSymbol), key=str):
        if matrix not in point.matrices:
            if not all(d.is_Integer for d in matrix.shape):
                raise PointError(f"matrix {matrix} has symbolic shape {matrix.shape}")
            point.matrices[matrix] = _concrete_matrix(matrix, rng)
    value = value.xreplace(point.matrices).doit()
    for draw in sorted(value.atoms(Indexed), key=str):
        if draw not in point.draws:
            point.draws[draw] = draw_value(draw, rng)
    return value.xreplace(point.draws)
