"""Check derivations step by step with SymPy, and say no more than the evidence supports.

The public surface::

    check_equal, check_relation, CheckResult, Relation, Verdict, Method
    Source, Hypothesis, Step, Derivation, Correction, holds, erratum, CrossCheck, Comparison
    check_derivation, DerivationResult, StepResult, CrossCheckResult
    iid_sample, random_variable, E, Var, Cov, expectation, variance
    collect, check_paths, Report, AnswerCache, answer_cache
"""

from derive._base._errors import (
                          DeriveError,
                          InvalidArgumentType,
                          InvalidArgumentValue,
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
from derive._run._answers import AnswerCache, answer_cache
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
    "DEFAULT_BUDGET", "CheckResult", "Relation", "check_equal", "check_relation",
    "ProofFile", "collect", "load_derivations",
    "Comparison", "Correction", "CrossCheck", "Derivation", "Expected", "Hypothesis", "Source",
    "Step",
    "erratum", "holds",
    "DeriveError", "InvalidArgumentType", "InvalidArgumentValue", "ProofLoadError",
    "UnsupportedExpectation",
    "Cov", "E", "Expectation", "RandomVariable", "Sample", "Var", "Variance", "expectation",
    "iid_sample", "random_variable", "variance",
    "Report", "check_paths", "AnswerCache", "answer_cache",
    "CrossCheckResult", "DerivationResult", "StepResult", "check_derivation", "run_crosscheck",
    "seed_for",
    "InconclusiveReason", "Method", "Verdict",
]
