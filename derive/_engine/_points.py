"""Random admissible points: exact values that satisfy every symbol's assumptions.

A point gives a value to every free symbol (exact rationals, small integers or
complex rationals, chosen by the symbol's assumptions), a concrete smooth
function to every undefined function (``exp`` of one where the function is
declared positive), a concrete matrix to every matrix symbol, and a value to
every draw ``x[k]`` of an indexed base once sums have been expanded.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np
import sympy
from sympy import (
    Derivative,
    I,
    Indexed,
    IndexedBase,
    Lambda,
    MatrixSymbol,
    Product,
    Rational,
    Sum,
    Symbol,
)
from sympy.core.assumptions import _assume_defined
from sympy.core.function import AppliedUndef

from derive._base._errors import UnsupportedExpectation
from derive._engine._certify import Enclosed
from derive._engine._expectation import Expectation, Variance
from derive._engine._laws import draw_law, expectation_under, moment_values
from derive._engine._sums import doit_keeping_open_sums

__all__ = ["Kept", "Point", "PointError", "draw_point", "instantiate"]

_TRIES = 60
_PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47)
_COMPOSITES = (4, 6, 8, 9, 10, 12, 14, 15, 16, 18, 20, 21, 22, 24, 25)
_NEGATIVE = ("negative", "nonpositive", "extended_negative", "extended_nonpositive")
_NONNEGATIVE = ("positive", "nonnegative", "extended_positive", "extended_nonnegative")
_REAL = ("real", "extended_real", "rational", "irrational", "noninteger", "hermitian",
         *_NEGATIVE, *_NONNEGATIVE)


class PointError(Exception):
    """No admissible value could be drawn for a symbol, or the point must be skipped."""


@dataclasses.dataclass
class Point:
    """Values for the symbols, functions, matrices and draws of one admissible point,
    and the laws of the random families (:mod:`derive._laws`)."""

    symbols: dict[Any, Any] = dataclasses.field(default_factory=dict)
    functions: dict[Any, Any] = dataclasses.field(default_factory=dict)
    matrices: dict[Any, Any] = dataclasses.field(default_factory=dict)
    draws: dict[Any, Any] = dataclasses.field(default_factory=dict)
    laws: dict[Any, Any] = dataclasses.field(default_factory=dict)

    def copy(self) -> Point:
        return Point(*(dict(getattr(self, f.name)) for f in dataclasses.fields(self)))

    def as_strings(self) -> dict[str, str]:
        """Every value, keyed by the printed symbol, for reports."""
        items = [*self.symbols.items(), *self.draws.items(), *self.matrices.items()]
        shown = {str(k): str(v) for k, v in items}
        for func, lam in self.functions.items():
            variables = sympy.symbols(f"u0:{len(lam.variables)}", real=True)
            shown[f"{func}({', '.join(map(str, variables))})"] = str(lam(*variables))
        for family, law in self.laws.items():
            shown[f"law of {family.name}"] = "normal" if law is None else law.describe()
        return shown


def _assumption_facts(atom: Any) -> dict[str, bool]:
    """Every assumption SymPy states for ``atom`` (a symbol, a draw or an undefined function)."""
    if isinstance(atom, type):  # an undefined function: its assumptions are class attributes
        values = {key: getattr(atom, f"is_{key}", None) for key in _assume_defined}
        facts = {k: v for k, v in values.items() if isinstance(v, bool)}
    else:
        facts = dict(getattr(atom, "assumptions0", {}) or {})
    return {k: v for k, v in facts.items() if v is not None and k != "commutative"}


def _satisfies(value: Any, facts: dict[str, bool]) -> bool:
    return all(getattr(value, f"is_{key}") == wanted for key, wanted in facts.items())


def unmet(value: Any, facts: dict[str, bool]) -> list[str]:
    """The assumptions ``value`` is not known to satisfy."""
    return [key if wanted else f"not {key}" for key, wanted in facts.items()
            if getattr(value, f"is_{key}") != wanted]


def _rational(rng: np.random.Generator, low: float, high: float) -> Rational:
    denominator = int(rng.choice([7, 11, 13, 16, 17, 19, 23]))
    return Rational(round(rng.uniform(low, high) * denominator), denominator)


def _sign(facts: dict[str, bool], rng: np.random.Generator) -> int:
    if any(facts.get(k) for k in _NEGATIVE):
        return -1
    if any(facts.get(k) for k in _NONNEGATIVE):
        return 1
    return int(rng.choice([-1, 1]))


def _integer(rng: np.random.Generator, facts: dict[str, bool], at_least: int) -> int:
    if facts.get("prime"):
        return int(rng.choice([p for p in _PRIMES if p >= at_least] or [_PRIMES[-1]]))
    if facts.get("composite"):
        return int(rng.choice([c for c in _COMPOSITES if c >= at_least] or [_COMPOSITES[-1]]))
    high = 7 if rng.random() < 0.8 else 40  # now and then beyond the first few integers
    magnitude = int(rng.integers(max(at_least, 0), max(at_least, 0) + high))
    if facts.get("even"):
        magnitude += magnitude % 2
    elif facts.get("odd"):
        magnitude += 1 - magnitude % 2
    return magnitude if at_least > 0 else _sign(facts, rng) * magnitude


def _real_candidate(rng: np.random.Generator, facts: dict[str, bool]) -> Any:
    sign = _sign(facts, rng)
    if rng.random() < 0.15:  # integers now and then: where floor, ceiling and sign jump
        return sign * int(rng.integers(1, 4))
    value = sign * _rational(rng, 0.05, 3.0)
    if facts.get("irrational") or (facts.get("noninteger") and rng.random() < 0.3):
        return value * sympy.sqrt(2)
    if facts.get("transcendental"):
        return value * sympy.pi
    return value


def _candidate(rng: np.random.Generator, facts: dict[str, bool], at_least: int = 0) -> Any:
    if facts.get("zero"):
        return sympy.S.Zero
    if any(facts.get(k) for k in ("integer", "even", "odd", "prime", "composite")):
        return _integer(rng, facts, at_least)
    if any(facts.get(k) for k in _REAL):
        return _real_candidate(rng, facts)
    if facts.get("imaginary") or facts.get("antihermitian"):
        return I * _rational(rng, 0.05, 4.0) * _sign(facts, rng)
    imaginary = _rational(rng, -4.0, 4.0)  # beyond pi now and then: other branches of log
    base = _rational(rng, -2.0, 2.0) + I * imaginary
    return base * sympy.pi if facts.get("transcendental") else base


def draw_value(atom: Any, rng: np.random.Generator, at_least: int = 0) -> Any:
    """An exact value satisfying every assumption of ``atom`` (a symbol or a draw).

    Raises :class:`PointError` naming the assumptions no drawn value could meet.
    """
    facts = _assumption_facts(atom)
    if facts.get("infinite") or facts.get("polar"):
        kind = "infinite" if facts.get("infinite") else "polar"
        raise PointError(f"cannot sample the assumption {kind} of {atom}")
    value = None
    for _ in range(_TRIES):
        value = sympy.sympify(_candidate(rng, facts, at_least))
        if _satisfies(value, facts) and (at_least <= 0 or value >= at_least):
            return value
    raise PointError(f"cannot sample the assumptions {', '.join(unmet(value, facts))} of {atom}")


def _base_function(variables: Any, rng: np.random.Generator) -> Any:
    body = _rational(rng, -1, 1)
    for k, u in enumerate(variables):
        body += _rational(rng, -1, 1) * u + _rational(rng, -0.5, 0.5) * u**2
        body += _rational(rng, 0.2, 1) * sympy.sin(_rational(rng, 0.5, 1.5) * u + k)
    if len(variables) > 1:
        body += _rational(rng, -0.5, 0.5) * variables[0] * variables[1]
    return body


def _shaped(body: Any, facts: dict[str, bool], rng: np.random.Generator, variables: Any) -> Any:
    """``body`` made to satisfy the function's assumptions (an integer-valued smooth
    function is a constant)."""
    if facts.get("zero"):
        return sympy.S.Zero
    if any(facts.get(k) for k in ("integer", "even", "odd", "prime", "composite")):
        return _candidate(rng, facts)
    if any(facts.get(k) for k in _NEGATIVE + _NONNEGATIVE) or facts.get("nonzero"):
        return _sign(facts, rng) * sympy.exp(body / 2)
    if any(facts.get(k) for k in _REAL):
        return body
    return body + I * _rational(rng, -1, 1) * sympy.cos(variables[0])


def _random_function(func: Any, n_args: int, rng: np.random.Generator) -> Lambda:
    """A smooth, non-polynomial function of ``n_args`` variables for ``func``, meeting
    its assumptions for real arguments (checked again at each call: :func:`instantiate`)."""
    variables = sympy.symbols(f"u0:{n_args}", real=True)
    facts = _assumption_facts(func)
    body = sympy.sympify(_shaped(_base_function(variables, rng), facts, rng, variables))
    if not _satisfies(body, facts):
        raise PointError(f"cannot sample the assumptions {', '.join(unmet(body, facts))} "
                         f"of the function {func.__name__}")
    return Lambda(variables, body)


def _free_scalars(exprs: Any) -> set[Any]:
    symbols = set()
    labels = set()
    for expr in exprs:
        labels |= {b.label for b in expr.atoms(IndexedBase)}
        symbols |= {s for s in expr.free_symbols if isinstance(s, Symbol)}
    return symbols - labels


def _matrix_dims(exprs: Any) -> set[Any]:
    dims = set()
    for expr in exprs:
        for matrix in expr.atoms(MatrixSymbol):
            for dim in matrix.shape:
                dims |= dim.free_symbols
    return dims


def _required_sizes(exprs: Any, families: Any) -> dict[Any, Any]:
    """For each sample of symbolic size: the largest concrete index the claim mentions."""
    needed: dict[Any, Any] = {}
    for family in families:
        if family.is_scalar or not isinstance(family.size, Symbol):
            continue
        indices = [d.indices[0] for e in exprs for d in e.atoms(Indexed)
                   if d.base == family.atom and d.indices[0].is_Integer]
        if indices:
            needed[family.size] = max(int(max(indices)), needed.get(family.size, 0))
    return needed


def draw_point(exprs: Any, rng: np.random.Generator, families: Any=()) -> Point:
    """Values for the free symbols, undefined functions and matrices of ``exprs``.

    Each random family gets a law (:func:`derive._laws.draw_law`) and its free
    higher moments are that law's moments, so the point describes one real
    distribution; a sample's size is at least every index the claim mentions.
    """
    point = Point()
    atoms = {f.atom for f in families}
    needed = _required_sizes(exprs, families)
    parameters = {s for f in families for s in (f.moment(1) + f.moment(2)).free_symbols}
    for symbol in sorted(_free_scalars(exprs) | _matrix_dims(exprs) | parameters, key=str):
        if symbol not in atoms:
            point.symbols[symbol] = draw_value(symbol, rng, needed.get(symbol, 0))
    point.laws = {f: draw_law(f, rng) for f in sorted(families, key=lambda f: f.name)}
    for symbol, value in moment_values(point.laws).items():
        if symbol in point.symbols:
            point.symbols[symbol] = sympy.expand(value.xreplace(point.symbols))
    for expr in exprs:
        # sorted, not in set order: that varies run to run
        for call in sorted(expr.atoms(AppliedUndef), key=str):
            if call.func not in point.functions:
                point.functions[call.func] = _random_function(call.func, len(call.args), rng)
    return point


def _concrete_matrix(matrix: MatrixSymbol, rng: np.random.Generator) -> Any:
    rows, cols = (int(d) for d in matrix.shape)
    facts = _assumption_facts(matrix)
    entry = facts if facts else {"real": True}
    return sympy.ImmutableMatrix(rows, cols, lambda i, j: draw_value(_Fake(entry), rng))


@dataclasses.dataclass
class _Fake:
    assumptions0: dict[Any, Any]


def _under_laws(point: Point) -> Any:
    """Evaluate an expectation node the algebra left open under the point's laws."""
    parameters = {k: v for k, v in point.symbols.items()
                  if k not in {f.atom for f in point.laws}}

    def evaluate(node: Any) -> Any:
        try:
            value, slack = expectation_under(node.xreplace(parameters), point.laws)
        except UnsupportedExpectation as exc:
            raise PointError(str(exc)) from None
        return value if slack == 0 else Enclosed(value, slack)
    return evaluate


def _check_function_values(expr: Any, point: Point) -> None:
    """Each call of a declared function meets the function's assumptions at this point."""
    for call in expr.atoms(AppliedUndef):
        lam = point.functions.get(call.func)
        facts = _assumption_facts(call.func)
        arguments = [a.xreplace(point.symbols) for a in call.args]
        if lam is None or not facts or any(a.free_symbols for a in arguments):
            continue
        value = lam(*arguments)
        if not _satisfies(value, facts):
            raise PointError(f"{call} = {value} does not meet {', '.join(unmet(value, facts))}")


def _check_sum_bounds(expr: Any) -> None:
    """The summation convention: a sum (or product) from a to b is read for b >= a - 1."""
    for total in expr.atoms(Sum, Product):
        for limit in total.limits:
            if len(limit) == 3 and (limit[2] - limit[1] + 1).is_negative:
                raise PointError(f"the bounds of {total} run backwards here (convention: "
                                 "upper >= lower - 1)")


def _check_draw(draw: Indexed, sizes: dict[Any, Any]) -> None:
    size = sizes.get(draw.base)
    if size is None:
        return
    index = draw.indices[0]
    if index.is_Integer and not 1 <= index <= size:
        raise PointError(f"the draw {draw} is outside the sample of {size}")


@functools.lru_cache(maxsize=256)
def _partial(function: Lambda, orders: tuple[tuple[int, int], ...]) -> Any:
    """The partial derivative of ``function``'s body, ``orders`` giving (position of the
    variable, order) pairs: computed once per concrete function, not per call."""
    return sympy.diff(function.expr, *((function.variables[k], n) for k, n in orders))


def _orders(derivative: Derivative, functions: dict[Any, Lambda]) -> tuple[tuple[int, int],
                                                                            ...] | None:
    """For ``d^n f(v1, ..., vk) / dv...`` with ``f`` concrete and called at distinct symbols
    ``v1, ..., vk``: the (position, order) of each variable differentiated; else ``None``."""
    call = derivative.expr
    if not (isinstance(call, AppliedUndef) and call.func in functions):
        return None
    arguments = call.args
    if not all(isinstance(a, Symbol) for a in arguments) or len(set(arguments)) < len(arguments):
        return None
    if len(arguments) != len(functions[call.func].variables):
        return None
    if not all(v in arguments and n.is_Integer for v, n in derivative.variable_count):
        return None
    return tuple((arguments.index(v), int(n)) for v, n in derivative.variable_count)


def _differentiated(functions: dict[Any, Lambda]) -> Any:
    def value(derivative: Derivative) -> Any:
        orders = _orders(derivative, functions)
        if orders is None:
            return derivative
        function = functions[derivative.expr.func]
        return _partial(function, orders).xreplace(
            dict(zip(function.variables, derivative.expr.args, strict=True)))
    return value


def _with_functions(expr: Any, functions: dict[Any, Lambda]) -> Any:
    r"""Every call of an undefined function replaced by its concrete function, in one pass.

    A derivative of a call at distinct symbols, :math:`\partial_{v} f(v, w)`, becomes the
    derivative of the concrete function's body at those symbols (the same value the
    derivative of the substituted call has, computed on the small body once rather than
    on the whole expression at every point).
    """
    if not functions:
        return expr
    calls = [call for call in expr.atoms(AppliedUndef) if call.func in functions]
    if any(a.has(AppliedUndef, Derivative) for call in calls for a in call.args):
        expr = expr.replace(lambda e: isinstance(e, Derivative), _differentiated(functions))
        return expr.replace(lambda e: isinstance(e, AppliedUndef) and e.func in functions,
                            lambda e: functions[e.func](*e.args))
    # no call inside another: one substitution, a derivative replaced whole before its call
    values = {call: functions[call.func](*call.args) for call in calls}
    differentiated = _differentiated(functions)
    for derivative in expr.atoms(Derivative):
        value = differentiated(derivative)
        if value is not derivative:
            values[derivative] = value
    return expr.xreplace(values)


class Kept:
    """The values of a pure function for its last ``size`` arguments (thread-safe), found
    by SymPy's structural equality, which tells apart the assumptions and classes of every
    node; an unhashable argument (a mutable matrix) is computed afresh."""

    def __init__(self, compute: Callable[..., Any], size: int) -> None:
        self.compute, self.size = compute, size
        self._values: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, *key: Any) -> Any:
        try:
            with self._lock:
                value = self._values.get(key)
        except TypeError:
            return self.compute(*key)
        if value is None:
            value = self.compute(*key)
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value


def _substituted(expr: Any, functions: tuple[tuple[Any, Lambda], ...]) -> Any:
    return doit_keeping_open_sums(_with_functions(expr, dict(functions)))


# Depends on the functions alone: shrinking a counterexample changes the symbols' values far
# more often than the functions.
_WITH_FUNCTIONS = Kept(_substituted, 16)


def _functions_in(expr: Any, functions: dict[Any, Lambda]) -> Any:
    """``expr`` with the concrete functions in and their derivatives taken, before symbols are
    numbers (kept for the last few pairs of expression and functions)."""
    if not functions:
        return expr
    return _WITH_FUNCTIONS(expr, tuple(sorted(functions.items(), key=lambda item: str(item[0]))))


def instantiate(expr: Any, point: Point, rng: np.random.Generator,
                used_draws: set[Any] | None = None) -> Any:
    """``expr`` at ``point``: functions (and their derivatives), expectations left open
    (under the point's laws), symbols, matrices, sums, then the remaining draws (added to
    ``used_draws`` when it is given)."""
    if point.functions:
        _check_function_values(expr, point)
    value = _functions_in(expr, point.functions)
    value = value.replace(lambda e: isinstance(e, (Expectation, Variance)), _under_laws(point))
    value = value.xreplace(point.symbols)
    _check_sum_bounds(value)
    for matrix in sorted(value.atoms(MatrixSymbol), key=str):
        if matrix not in point.matrices:
            if not all(d.is_Integer for d in matrix.shape):
                raise PointError(f"matrix {matrix} has symbolic shape {matrix.shape}")
            point.matrices[matrix] = _concrete_matrix(matrix, rng)
    value = value.xreplace(point.matrices).doit()
    sizes = {f.atom: f.size.xreplace(point.symbols) for f in point.laws if not f.is_scalar}
    draws = sorted(value.atoms(Indexed), key=str)
    for draw in draws:
        _check_draw(draw, sizes)
        if draw not in point.draws:
            point.draws[draw] = draw_value(draw, rng)
    if used_draws is not None:
        used_draws.update(draws)
    return value.xreplace(point.draws)
