r"""The LaTeX shown is the claim checked: each line's LaTeX read and compared with its expression.

The names of a derivation's LaTeX mean what its expressions use: their symbols (by
name: ``mu`` is ``\mu``), ``IndexedBase``s, functions (a bare ``p`` is ``p`` at the
arguments the expressions give it), samples (a bare ``x`` inside ``\mathbb{E}`` is one
draw ``x_i``), summation ranges (``\sum_j`` runs where the expressions' sums over ``j``
run), and the derivation's own ``notation`` table for defined quantities
(``{r"\hat{\mu}": mu_hat, "N": n}``).  A line's verdict:

- ``agrees``: the value the LaTeX states (the last member of a chain ``a = b``; the
  objective of ``\argmax_w F``) is proved or numerically verified equal to the expression;
- ``disagrees``: refuted with a counterexample, or the LaTeX's relation (``\le``) is not
  the step's;
- ``unparsed``: the LaTeX could not be read, or names what the derivation does not define;
- ``undecided``: read, but the check ran out of time or could not evaluate.
"""

from __future__ import annotations

import collections
import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import Any

import sympy
from sympy import Indexed, IndexedBase, MatrixBase, Symbol
from sympy.core.function import AppliedUndef

from .._base._errors import DeriveError
from .._base._store import answers_lost, forgive_lost_since
from .._base._verdict import Verdict
from .._engine._check import check_equal
from .._engine._expectation import RandomFamily, RandomVariable, Sample
from .._model._derivation import Derivation, Step
from ._formula import Formula
from ._objects import ArgMax, ArgMin, Optimum
from ._read import read_formula
from ._scope import Scope, squash

__all__ = ["LatexCheck", "check_line", "derivation_scope", "latex_checks"]

_BUDGET = 5.0
_INEQUALITIES = {"<=", ">=", "<", ">"}


@dataclasses.dataclass(frozen=True)
class LatexCheck:
    """Whether a line's LaTeX says what its expression says."""

    verdict: str
    method: str = "none"
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "method": self.method, "reason": self.reason}


def _expressions(derivation: Derivation) -> list[Any]:
    steps = [*derivation.lines(), *(c.corrected for c in derivation.expected.corrections)]
    return [step.expr for step in steps]


def _families(exprs: Iterable[Any]) -> list[RandomFamily]:
    found: dict[Any, RandomFamily] = {}
    for expr in exprs:
        for family in sympy.sympify(expr).atoms(RandomFamily):
            found[family.atom] = family
    return list(found.values())


def derivation_scope(derivation: Derivation, exprs: list[Any] | None = None) -> Scope:
    """What the names in ``derivation``'s LaTeX mean (see the module's docstring)."""
    exprs = _expressions(derivation) if exprs is None else exprs
    names: dict[str, Any] = {}
    atoms = set().union(*(sympy.sympify(e).atoms(Symbol, IndexedBase, AppliedUndef)
                          for e in exprs))
    for atom in sorted(atoms, key=lambda a: isinstance(a, (IndexedBase, AppliedUndef))):
        if isinstance(atom, AppliedUndef):
            names[str(atom.func)] = atom.func
        elif not isinstance(atom, sympy.Dummy):
            names[str(atom.label if isinstance(atom, IndexedBase) else atom)] = atom
    for family in _families(exprs):
        draws = RandomVariable(family) if family.is_scalar else Sample(family)
        names[family.name] = draws
    scope = Scope({**names, **derivation.notation})
    scope.inferred = frozenset(set(names) - {squash(key) for key in derivation.notation})
    scope.other_families = [v for v in names.values() if isinstance(v, (RandomVariable, Sample))]
    _learn(scope, exprs)
    return scope


def _learn(scope: Scope, exprs: list[Any]) -> None:
    """Ranges of summation indices, usual arguments of functions, usual indices of samples."""
    indices: dict[Any, collections.Counter[Any]] = collections.defaultdict(collections.Counter)
    arguments: dict[Any, collections.Counter[Any]] = collections.defaultdict(collections.Counter)
    for expr in map(sympy.sympify, exprs):
        for limits in (s.limits for s in expr.atoms(sympy.Sum, sympy.Product)):
            scope.ranges.update({index: (lo, hi) for index, lo, hi in limits})
        for item in expr.atoms(Indexed):
            if isinstance(item.indices[0], Symbol):
                indices[item.base][item.indices[0]] += 1
        for call in expr.atoms(AppliedUndef):
            arguments[call.func][call.args] += 1
    scope.sample_index.update({base: c.most_common(1)[0][0] for base, c in indices.items()})
    scope.applied.update({func: c.most_common(1)[0][0] for func, c in arguments.items()})


def _claimed(formula: Any, step: Step) -> tuple[Any, str | None]:
    """The value the LaTeX states for the line, or why it does not fit the step."""
    leading = formula.leading_relation
    if leading in _INEQUALITIES | {"="} and leading != step.relation.value and (
            leading in _INEQUALITIES or step.relation.value in _INEQUALITIES):
        return None, f"the LaTeX says {leading!r}, the step says {step.relation.value!r}"
    value = _whole_objective(formula.expressions[-1])
    if isinstance(value, Optimum):
        extra = set(_entries(value.variables)) - set(step.wrt) if step.wrt else set()
        if extra:
            over = (f"the LaTeX optimises over {sorted(map(str, extra))}, "
                    f"the step over {sorted(map(str, step.wrt))}")
            return None, over
        value = value.objective
    return value, None


def _whole_objective(value: Any) -> Any:
    r"""``\argmin_w A + B`` read as ``\argmin_w (A + B)``: a point plus a number means nothing."""
    if not isinstance(value, sympy.Add):
        return value
    points = [term for term in value.args if isinstance(term, (ArgMax, ArgMin))]
    if len(points) != 1:
        return value
    point = points[0]
    return type(point)(point.objective + (value - point), point.variables, point.args[2])


def _inner_pair(value: Any, expr: Any) -> tuple[Any, Any]:
    """The bodies of two sums (products) over the same limits, of two limits of the same
    variable at the same point, the arguments of the same one-argument function: equal
    bodies make equal wholes (not the other way round)."""
    while True:
        if isinstance(value, (sympy.Sum, sympy.Product)) and type(value) is type(expr) and \
                value.limits == expr.limits:
            value, expr = value.function, expr.function
        elif _same_limit(value, expr) or _same_function(value, expr):
            value, expr = value.args[0], expr.args[0]
        else:
            return value, expr


def _derivative_by_definition(value: Any, expr: Any) -> tuple[Any, Any] | None:
    """``lim_{h -> h0} q(h)`` read from the LaTeX, and the derivative ``g'(h0)`` (a ``Subs`` of
    a ``Derivative``) it is compared with: the pair ``(q(h), (g(h) - g(h0)) / (h - h0))``,
    whose agreement makes the limit the derivative by definition; ``None`` otherwise."""
    if not (isinstance(value, sympy.Limit) and isinstance(expr, sympy.Subs)):
        return None
    derivative, variables, point = expr.args
    if not (isinstance(derivative, sympy.Derivative) and len(variables) == 1
            and derivative.variable_count == ((variables[0], 1),)):
        return None
    h, h0 = variables[0], point[0]
    body, variable, at = value.args[:3]
    if at != h0:
        return None
    g = derivative.expr
    return body.subs(variable, h), (g - g.subs(h, h0)) / (h - h0)


def _same_limit(value: Any, expr: Any) -> bool:
    """Two limits of the same variable at the same point."""
    return isinstance(value, sympy.Limit) and isinstance(expr, sympy.Limit) and \
        value.args[1:] == expr.args[1:]


def _same_function(value: Any, expr: Any) -> bool:
    """The same one-argument function of two arguments."""
    return isinstance(value, sympy.Function) and isinstance(expr, sympy.Function) and \
        value.func == expr.func and len(value.args) == len(expr.args) == 1


def _entries(variables: Iterable[Any]) -> list[Any]:
    """Variables with each vector written as its entries (``w`` declared ``(w1, w2)``)."""
    return [entry for v in variables
            for entry in (v if isinstance(v, (MatrixBase, sympy.Tuple)) else (v,))]


def _as_vector(value: Any, expr: Any) -> Any:
    """A tuple ``(a, b)`` read where the expression is the column vector of its entries; ``0``
    where it is a matrix (of zeros, or the comparison refutes it)."""
    if value == 0 and isinstance(expr, MatrixBase):
        return sympy.zeros(*expr.shape)
    if isinstance(value, sympy.Tuple) and isinstance(expr, MatrixBase) and \
            expr.shape == (len(value), 1):
        return sympy.ImmutableMatrix(list(value))
    return value


def check_line(step: Step, scope: Scope, budget: float = _BUDGET, seed: int = 0) -> LatexCheck:
    """Read ``step.latex`` under ``scope`` and compare what it says with ``step.expr``."""
    known = set(scope.undeclared)
    try:
        formula = read_formula(step.latex, scope)
    except DeriveError as error:
        for key in set(scope.undeclared) - known:  # an unread line declares nothing
            del scope.undeclared[key]
        formula = _componentwise(step, scope)
        if formula is None:
            return LatexCheck("unparsed", reason=str(error))
    undeclared = sorted(k for k in scope.undeclared if k not in known and not k.startswith("N_"))
    for key in set(scope.undeclared) - known:
        del scope.undeclared[key]
    if undeclared:
        return LatexCheck("unparsed", reason="names the derivation does not define: "
                          + ", ".join(k.rstrip("[]()") for k in undeclared)
                          + " (declare them in the derivation's notation)")
    value, mismatch = _claimed(formula, step)
    if mismatch is not None:
        return LatexCheck("disagrees", reason=mismatch)
    return _compare(value, step.expr, budget, seed)


def _componentwise(step: Step, scope: Scope) -> Any:
    """A line with a free index (``b_i - \\frac{1}{2} \\sum_j D_{ij}``) read once per component
    of a vector expression: the vector of the values read, or ``None``."""
    expr = step.expr
    if not (isinstance(expr, MatrixBase) and expr.cols == 1 and expr.rows > 1):
        return None
    for letter in ("i", "j", "k"):
        if not re.search(rf"_\{{?{letter}", step.latex):
            continue
        known, rows = set(scope.undeclared), []
        try:
            for row in range(1, expr.rows + 1):
                scope.fixed[letter] = row
                rows.append(read_formula(step.latex, scope))
        except DeriveError:
            continue
        finally:
            scope.fixed.pop(letter, None)
        if all(r.leading_relation == rows[0].leading_relation for r in rows) and not any(
                isinstance(r.expressions[-1], (MatrixBase, Optimum)) for r in rows):
            return Formula(((rows[0].leading_relation, sympy.ImmutableMatrix(
                [r.expressions[-1] for r in rows])),), (), tuple(scope.undeclared))
        for key in set(scope.undeclared) - known:
            del scope.undeclared[key]
    return None


def _compare(value: Any, expr: Any, budget: float, seed: int) -> LatexCheck:
    value = _as_vector(value, expr)
    if isinstance(value, MatrixBase) != isinstance(expr, MatrixBase):
        return LatexCheck("unparsed", reason="the LaTeX reads as a scalar and the expression "
                          "is a matrix (or the other way round)")
    if value == expr:
        return LatexCheck("agrees", "structural", "the LaTeX reads as the expression itself")
    quotients = _derivative_by_definition(value, expr)
    if quotients is not None and _compare(*quotients, budget, seed).verdict == "agrees":
        return LatexCheck("agrees", "structural", "the limit of the difference quotient is "
                          "the derivative it defines")
    inner = _inner_pair(value, expr)
    if inner != (value, expr):
        found = _compare(*inner, budget, seed)
        if found.verdict == "agrees":
            return LatexCheck("agrees", found.method, "the same sum, product, limit or function "
                              "of equal bodies")
    lost = answers_lost()
    try:
        result = check_equal(value, expr, budget=budget, seed=seed)
    except (DeriveError, TypeError, ValueError) as error:
        return LatexCheck("undecided", reason=f"could not compare: {error}")
    verdict = {Verdict.PROVED: "agrees", Verdict.NUMERICALLY_VERIFIED: "agrees",
               Verdict.REFUTED: "disagrees"}.get(result.verdict, "undecided")
    if verdict != "undecided":  # a rung that timed out first could change the method only
        forgive_lost_since(lost)
    reason = result.reason
    if result.verdict is Verdict.REFUTED:
        reason = (f"the LaTeX reads {sympy.sstr(value)[:200]}; counterexample "
                  f"{dict(result.counterexample or {})}")
    return LatexCheck(verdict, result.method.value, reason)


def latex_checks(derivation: Derivation, budget: float = _BUDGET,
                 seed: int = 0) -> dict[str, tuple[LatexCheck, ...]]:
    """``{"lines": one per line of the chain, "corrected": one per correction}``."""
    scope = derivation_scope(derivation)
    lines = tuple(check_line(step, scope, budget, seed) for step in derivation.lines())
    corrected = tuple(check_line(c.corrected, scope, budget, seed)
                      for c in derivation.expected.corrections)
    return {"lines": lines, "corrected": corrected}


def read_step(latex: str, symbols: Mapping[str, Any] | None) -> tuple[str | None, Any]:
    """For ``Step.from_latex``: the leading relation (or ``None``) and the value read."""
    formula = read_formula(latex, Scope(symbols))
    value = formula.as_sympy() if formula.leading_relation is None else formula.expressions[-1]
    if isinstance(formula.expressions[-1], Optimum):
        value = formula.expressions[-1]
    return formula.leading_relation, value
