"""Counterexamples a person can check by hand: shrinking, as Hypothesis does.

After a refutation, each part of the point is replaced in turn by simpler
admissible values (``0, 1, -1, 2, 1/2, ...`` for numbers and draws, the
smallest sample size, rounded matrix entries, a constant, linear or ``exp`` of
linear function, the symmetric law); a simplification is kept only when the
claim still fails *with certainty* there (the caller's ``still_fails``).  The
work is bounded by a number of trials and a share of CPU seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import sympy
from sympy import I, Lambda, Rational

from derive._engine._laws import TwoAtomLaw, moment_values
from derive._engine._points import Point, _assumption_facts, _satisfies

__all__ = ["shrink", "size_of"]

_SIMPLE = (sympy.S.Zero, sympy.S.One, sympy.S.NegativeOne, sympy.Integer(2), Rational(1, 2),
           sympy.Integer(-2), Rational(-1, 2), sympy.Integer(3), I, -I)
_MAX_TRIALS = 80


def size_of(shown: dict[str, str]) -> tuple[int, int]:
    """The size of a printed counterexample: (digits in its values, entries)."""
    return sum(ch.isdigit() for value in shown.values() for ch in value), len(shown)


def _complexity(value: Any) -> tuple[int, str]:
    return (len(str(value)), str(value))


def _with_moments(point: Point) -> Point:
    """The point with its free higher moments recomputed from its laws and parameters."""
    for symbol, value in moment_values(point.laws).items():
        if symbol in point.symbols:
            point.symbols[symbol] = sympy.expand(value.xreplace(point.symbols))
    return point


def _number_trials(point: Point, field: str, moments: set[Any]) -> Iterator[Point]:
    for key in sorted(getattr(point, field), key=str):
        if key in moments:
            continue
        current = getattr(point, field)[key]
        facts = _assumption_facts(key)
        for value in _SIMPLE:
            if _complexity(value) < _complexity(current) and _satisfies(value, facts):
                trial = point.copy()
                getattr(trial, field)[key] = value
                yield _with_moments(trial)


def _function_candidates(lam: Lambda) -> list[Any]:
    u = lam.variables[0]
    return [sympy.S.Zero, sympy.S.One, sympy.S.NegativeOne, sympy.Integer(2), u,
            sympy.exp(u), -sympy.exp(u), u + 1]


def _function_trials(point: Point) -> Iterator[Point]:
    for func in sorted(point.functions, key=str):
        lam = point.functions[func]
        facts = _assumption_facts(func)
        for body in _function_candidates(lam):
            if _complexity(body) < _complexity(lam.expr) and _satisfies(body, facts):
                trial = point.copy()
                trial.functions[func] = Lambda(lam.variables, body)
                yield trial


def _matrix_trials(point: Point) -> Iterator[Point]:
    for matrix in sorted(point.matrices, key=str):
        value = point.matrices[matrix]
        rounded = value.applyfunc(lambda entry: sympy.Integer(round(entry)) if entry.is_real
                                  else entry)
        if rounded != value:
            trial = point.copy()
            trial.matrices[matrix] = rounded
            yield trial


def _law_trials(point: Point) -> Iterator[Point]:
    symmetric = TwoAtomLaw(Rational(1, 2))
    for family in sorted(point.laws, key=lambda f: f.name):
        if point.laws[family] not in (None, symmetric):
            trial = point.copy()
            trial.laws[family] = symmetric
            yield _with_moments(trial)


def _trials(point: Point) -> Iterator[Point]:
    moments = set(moment_values(point.laws))
    yield from _number_trials(point, "symbols", moments)
    yield from _law_trials(point)
    yield from _function_trials(point)
    yield from _matrix_trials(point)
    yield from _number_trials(point, "draws", moments)


def shrink(point: Point, concrete: list[Any], still_fails: Callable[[Point], list[Any] | None],
           seconds: float, skipped: tuple[Any, ...]) -> tuple[Point, list[Any]]:
    """The simplest point found (within ``seconds`` of CPU and a bounded number of
    trials) where ``still_fails`` still returns the claim's sides; the point itself
    when none is simpler."""
    deadline = time.process_time() + seconds
    trials, improved = 0, True
    while improved and trials < _MAX_TRIALS and time.process_time() < deadline:
        improved = False
        for trial in _trials(point):
            if trials >= _MAX_TRIALS or time.process_time() >= deadline:
                break
            trials += 1
            try:
                found = still_fails(trial)
            except skipped:
                continue
            if found is not None:
                point, concrete, improved = trial, found, True
                break
    return point, concrete
