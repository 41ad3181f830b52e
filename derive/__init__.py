"""Check derivations step by step with SymPy, and say no more than the evidence supports.

The public surface::

    check_equal, check_relation, CheckResult, Relation, Verdict, Method
    Source, Hypothesis, Step, Derivation, Correction, holds, erratum, CrossCheck, Comparison
    check_derivation, DerivationResult, StepResult, CrossCheckResult
    iid_sample, random_variable, E, Var, Cov, expectation, variance
    collect, check_paths, Report
"""

from derive._base._errors import (
                          DeriveError,
                          InvalidArgumentType,
                          InvalidArgumentValue,
                          LatexError,
                          ProofLoadError,
                          UnsupportedExpectation,
)
from derive._base._verdict import InconclusiveReason, Method, Verdict
from derive._engine._check import (
                          DEFAULT_BUDGET,
                          CheckResult,
                          Relation,
                          check_equal,
                          check_relation,
)
from derive._engine._expectation import (
                          Cov,
                          E,
                          Expectation,
                          RandomVariable,
                          Sample,
                          Var,
                          Variance,
                          expectation,
                          iid_sample,
                          random_variable,
                          variance,
)
from derive._model._derivation import (
                          Comparison,
                          Correction,
                          CrossCheck,
                          Derivation,
                          Expected,
                          Hypothesis,
                          Source,
                          Step,
                          erratum,
                          holds,
)
from derive._parse import Formula, parse_formula, parse_latex
from derive._parse._notes import read_notes
from derive._render import _html  # noqa: F401  (registers the notebook display)
from derive._run._collect import ProofFile, collect, load_derivations
from derive._run._report import Report, check_paths
from derive._run._runner import (
                          CrossCheckResult,
                          DerivationResult,
                          StepResult,
                          check_derivation,
                          run_crosscheck,
                          seed_for,
)

__version__ = "0.1.0"

__all__ = [
                          "DEFAULT_BUDGET",
                          "CheckResult",
                          "Comparison",
                          "Correction",
                          "Cov",
                          "CrossCheck",
                          "CrossCheckResult",
                          "Derivation",
                          "DerivationResult",
                          "DeriveError",
                          "E",
                          "Expectation",
                          "Expected",
                          "Formula",
                          "Hypothesis",
                          "InconclusiveReason",
                          "InvalidArgumentType",
                          "InvalidArgumentValue",
                          "LatexError",
                          "Method",
                          "ProofFile",
                          "ProofLoadError",
                          "RandomVariable",
                          "Relation",
                          "Report",
                          "Sample",
                          "Source",
                          "Step",
                          "StepResult",
                          "UnsupportedExpectation",
                          "Var",
                          "Variance",
                          "Verdict",
                          "check_derivation",
                          "check_equal",
                          "check_paths",
                          "check_relation",
                          "collect",
                          "erratum",
                          "expectation",
                          "holds",
                          "iid_sample",
                          "load_derivations",
                          "parse_formula",
                          "parse_latex",
                          "random_variable",
                          "read_notes",
                          "run_crosscheck",
                          "seed_for",
                          "variance",
]
