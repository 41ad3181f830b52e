r"""Reading the notes' LaTeX into SymPy with a grammar (``latex.lark``), never ``eval``.

:func:`parse_latex` reads one formula; :func:`parse_formula` gives the chain of
relations of a formula or of an ``aligned`` block.  What a name means comes from a
:class:`Scope` built from the ``symbols`` given.
"""

from .._model._derivation import LATEX_READERS
from ._formula import Formula
from ._linecheck import (
    LatexCheck,
    check_line,
    derivation_scope,
    latex_checks,
    read_step,
)
from ._objects import ArgMax, ArgMin, Maximum, Minimum, Optimum, Related
from ._read import parse_formula, parse_latex, read_formula
from ._scope import DEFAULT_ASSUMPTIONS, Scope

if read_step not in LATEX_READERS:
    LATEX_READERS.append(read_step)

__all__ = [
    "DEFAULT_ASSUMPTIONS",
    "ArgMax",
    "ArgMin",
    "Formula",
    "LatexCheck",
    "Maximum",
    "Minimum",
    "Optimum",
    "Related",
    "Scope",
    "check_line",
    "derivation_scope",
    "latex_checks",
    "parse_formula",
    "parse_latex",
    "read_formula",
    "read_step",
]
