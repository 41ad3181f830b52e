r"""SymPy objects for what the notes write but SymPy has no class for.

``\argmax_w F`` is :class:`ArgMax` (``objective``, ``variables``, ``constraints``), and
so on for ``\argmin``, ``\max`` and ``\min`` over variables; relations SymPy does not
have (``\approx``, ``\propto``, ``\sim``) and memberships (``x \in C``) are
:class:`Related`.  They are unevaluated: they say what the line says, nothing more.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Expr, Tuple

__all__ = ["OPTIMA", "ArgMax", "ArgMin", "Maximum", "Minimum", "Optimum", "Related"]


class Optimum(Expr):
    """An optimisation over ``variables``: ``(objective, Tuple(variables), Tuple(constraints))``."""

    is_commutative = True
    word = ""

    def __new__(cls, objective: Any, variables: Any, constraints: Any = ()) -> Any:
        return Expr.__new__(cls, sympy.sympify(objective), Tuple(*variables),
                            Tuple(*constraints))

    @property
    def objective(self) -> Any:
        """The function that is optimised."""
        return self.args[0]

    @property
    def variables(self) -> tuple[Any, ...]:
        """What the optimisation is over."""
        return tuple(self.args[1])

    @property
    def maximises(self) -> bool:
        """Whether larger values of the objective are better."""
        return self.word.endswith("max")

    def _latex(self, printer: Any) -> str:
        over = ", ".join(printer._print(v) for v in self.variables)
        return rf"\operatorname{{{self.word}}}_{{{over}}} {printer._print(self.objective)}"

    def _sympystr(self, printer: Any) -> str:
        over = ", ".join(map(str, self.variables))
        return f"{self.word}_{{{over}}}({printer._print(self.objective)})"


class ArgMax(Optimum):
    r""":math:`\operatorname{argmax}_w F(w)`."""

    word = "argmax"


class ArgMin(Optimum):
    r""":math:`\operatorname{argmin}_w F(w)`."""

    word = "argmin"


class Maximum(Optimum):
    r""":math:`\max_w F(w)`."""

    word = "max"


class Minimum(Optimum):
    r""":math:`\min_w F(w)`."""

    word = "min"


OPTIMA: dict[str, type[Optimum]] = {"argmax": ArgMax, "argmin": ArgMin, "max": Maximum,
                                    "min": Minimum, "sup": Maximum, "inf": Minimum}


class Related(sympy.Basic):
    """A relation SymPy has no class for: ``(name, lhs, rhs)``, e.g. ``approx``, ``in``."""

    def __new__(cls, name: str, lhs: Any, rhs: Any) -> Any:
        return sympy.Basic.__new__(cls, sympy.Symbol(name), sympy.sympify(lhs),
                                   sympy.sympify(rhs))

    @property
    def name(self) -> str:
        """The relation's name (``approx``, ``propto``, ``sim``, ``in``)."""
        return str(self.args[0])

    def _sympystr(self, printer: Any) -> str:
        return f"{printer._print(self.args[1])} {self.name} {printer._print(self.args[2])}"
