r"""Laws that exist: concrete distributions for the families of a random point.

A claim about every distribution with a given mean :math:`\mu` and variance
:math:`\sigma^2` must hold for each such law.  A point draws one: the
two-atom law

.. math::

    P\big(x = \mu - \sigma\sqrt{q/p}\big) = p, \qquad
    P\big(x = \mu + \sigma\sqrt{p/q}\big) = q = 1 - p,

whose mean and variance are :math:`\mu` and :math:`\sigma^2` for every
:math:`p \in (0, 1)`; the higher moments :math:`m_k = p\,a_1^k + q\,a_2^k` the
algebra leaves free are computed from it, so they are the moments of a real
distribution (:math:`m_4 \ge m_2^2`, ...).  Expectations the algebra cannot
take are computed exactly by enumerating the atoms of the draws involved.

A family declared ``distribution="normal"`` is normal: its moments are fixed
by the algebra, and an expectation outside the algebra of one of its draws is
:math:`\int g(t)\,\varphi_{\mu,\sigma}(t)\,dt` by Gauss-Hermite quadrature (40 and 80
nodes), ten times their difference carried as slack (an enclosure the
certified comparison widens by), so that no refutation rests on the
quadrature error.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import mpmath
import numpy as np
import sympy
from sympy import Expr, Rational, S

from derive._base._errors import UnsupportedExpectation
from derive._engine._expectation import RandomFamily, Variance

__all__ = ["TwoAtomLaw", "draw_law", "expectation_under", "is_normal", "moment_values"]

_WEIGHTS = (Rational(1, 2), Rational(1, 3), Rational(2, 3), Rational(1, 5), Rational(4, 5))
_MAX_POWER = 12
_MAX_ENUMERATED_DRAWS = 10
_NODES = (40, 80)


def _gauss_hermite(inner: Expr, atom: Any, mean: Expr, sd: Expr, nodes: int,
                   dps: int) -> Any:
    r""":math:`\mathbb{E}[g(\mu + \sigma Z)]
    \approx \pi^{-1/2} \sum_k w_k g(\mu + \sigma\sqrt2 t_k)`."""
    points, weights = np.polynomial.hermite.hermgauss(nodes)
    total = mpmath.mpf(0)
    with mpmath.workdps(dps):
        for t, w in zip(points, weights, strict=False):
            at = mean + sd * sympy.sqrt(2) * sympy.Rational(float(t))
            value = sympy.re(inner.xreplace({atom: at})).evalf(dps)
            total += mpmath.mpf(float(w)) * mpmath.mp.make_mpf(sympy.Float(value, dps)._mpf_)
        return total / mpmath.sqrt(mpmath.pi)


@dataclasses.dataclass(frozen=True)
class TwoAtomLaw:
    """Mass ``p`` at ``mean - sd sqrt(q/p)`` and ``q = 1 - p`` at ``mean + sd sqrt(p/q)``."""

    p: Rational

    def atoms(self, mean: Expr, sd: Expr) -> tuple[tuple[Expr, Expr], ...]:
        q = 1 - self.p
        return ((self.p, mean - sd * sympy.sqrt(q / self.p)),
                (q, mean + sd * sympy.sqrt(self.p / q)))

    def moment(self, family: RandomFamily, power: int) -> Expr:
        return sum((w * a**power for w, a in self.atoms(*_mean_sd(family))), S.Zero)

    def describe(self) -> str:
        q = 1 - self.p
        return (f"mass {self.p} at mean - sd*sqrt({q / self.p}), "
                f"mass {q} at mean + sd*sqrt({self.p / q})")


Laws = dict[RandomFamily, TwoAtomLaw | None]  # each family's law at a point (None: normal)


def _mean_sd(family: RandomFamily) -> tuple[Expr, Expr]:
    mean = family.moment(1)
    return mean, sympy.sqrt(sympy.expand(family.moment(2) - mean**2))


def is_normal(family: RandomFamily) -> bool:
    """Whether the family was declared ``distribution="normal"``."""
    return len(family.args) > 3 and str(family.args[3]) == "normal"


def draw_law(family: RandomFamily, rng: np.random.Generator) -> TwoAtomLaw | None:
    """The law a point uses for ``family`` (``None``: the family is normal)."""
    if is_normal(family):
        return None
    return TwoAtomLaw(_WEIGHTS[int(rng.integers(len(_WEIGHTS)))])


def moment_values(laws: Laws) -> dict[Any, Any]:
    """Values of the free higher-moment symbols ``m_p(x)`` under each family's law."""
    values: dict[Any, Any] = {}
    for family, law in laws.items():
        if law is None:
            continue
        for power in range(len(family.args[2]) + 1, _MAX_POWER + 1):
            values[family.moment(power)] = law.moment(family, power)
    return values


def expectation_under(node: Expr, laws: Laws, dps: int = 30) -> tuple[Any, Any]:
    """An expectation node with concrete parameters, under the families' laws.

    Returns ``(value, slack)``: the exact value by enumeration (slack 0), or, for
    one normal draw, the quadrature value and a bound on its error.
    """
    inner, families = node.args
    inner = inner.doit()
    used = [(f, _used_atoms(f, inner)) for f in families]
    normal = [(f, atoms) for f, atoms in used if is_normal(f) and atoms]
    if normal:
        return _normal_expectation(node, inner, normal, used, dps)
    return _enumerated(inner, used, laws, isinstance(node, Variance)), 0


def _used_atoms(family: RandomFamily, inner: Expr) -> list[Any]:
    if family.is_scalar:
        return [family.atom] if inner.has(family.atom) else []
    draws = [d for d in inner.atoms(sympy.Indexed) if d.base == family.atom]
    size = family.size
    for draw in draws:
        index = draw.indices[0]
        if not index.is_Integer or not index >= 1 or (size.is_Integer and index > size):
            raise UnsupportedExpectation(f"the draw {draw} is not one of the sample's {size} draws")
    return sorted(draws, key=str)


def _enumerated(inner: Expr, used: list[tuple[RandomFamily, list[Any]]], laws: Laws,
                square: bool) -> Expr:
    atoms = [(f, a) for f, family_atoms in used for a in family_atoms]
    if len(atoms) > _MAX_ENUMERATED_DRAWS:
        raise UnsupportedExpectation(f"too many draws to enumerate ({len(atoms)})")
    by_atom = {family.atom: law for family, law in laws.items() if law is not None}
    choices = [by_atom[f.atom].atoms(*_mean_sd(f)) for f, _ in atoms]
    first = second = S.Zero
    for outcome in itertools.product(*choices):
        weight = sympy.Mul(*[w for w, _ in outcome])
        value = inner.xreplace({a: v for (_, a), (_, v) in zip(atoms, outcome, strict=False)})
        first += weight * value
        second += weight * value**2 if square else 0
    return second - first**2 if square else first


def _normal_expectation(node: Expr, inner: Expr, normal: list[tuple[RandomFamily, list[Any]]],
                        used: list[tuple[RandomFamily, list[Any]]], dps: int) -> tuple[Any, Any]:
    if len(normal) != 1 or len(normal[0][1]) != 1 or any(a for f, a in used if not is_normal(f)):
        raise UnsupportedExpectation(
            "an expectation outside the algebra under the normal law is computed for one "
            "normal draw only")
    family, (atom,) = normal[0]
    if isinstance(node, Variance):
        raise UnsupportedExpectation("a variance outside the algebra under the normal law")
    mean, sd = (sympy.Rational(sympy.Float(v, dps)) for v in _mean_sd(family))
    coarse, fine = (_gauss_hermite(inner, atom, mean, sd, nodes, dps) for nodes in _NODES)
    value = fine
    slack = max(10 * abs(fine - coarse), mpmath.mpf(10) ** -12 * max(1, abs(fine)))
    return sympy.Rational(sympy.Float(value, dps)), sympy.Rational(sympy.Float(slack, 10))
