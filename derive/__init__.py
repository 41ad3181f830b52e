"""Check derivations step by step with SymPy, and say no more than the evidence supports.

The public surface::

    check_equal, check_relation, CheckResult, Relation, Verdict, Method
    Source, Hypothesis, Step, Derivation, Correction, holds, erratum, CrossCheck, Comparison
    check_derivation, DerivationResult, StepResult, IsolatedCheck, CrossCheckResult
    iid_sample, random_variable, E, Var, Cov, expectation, variance
    sample_without_replacement, MiniBatch, E_batch, Var_batch, batch_expectation, batch_variance
    collect, check_paths, Report, AnswerCache, answer_cache
    links, Link, seed_for (what check_derivation checks, with the seeds it uses)
    rung_cache, RungCache, refutation_probe_disabled (the in-process cache, the probe)
    available_cores, run_with_timeout, Outcome (processes: cores, killable calls)

Importing ``derive`` loads none of this: the names are imported on first use (the first
attribute of the package that is read loads them all, as an eager import would), so that
``derive check`` answers a run whose every result is kept without loading SymPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# numeric is bound now (its own import loads nothing else): a folder named ``numeric`` that
# is put on sys.path later (pytest puts ``tests/`` there, which has one) cannot shadow it.
import numeric  # noqa: F401

if TYPE_CHECKING:
    from derive._base._errors import (
        DeriveError,
        InvalidArgumentType,
        InvalidArgumentValue,
        LatexError,
        ProofLoadError,
        UnsupportedExpectation,
    )
    from derive._base._verdict import (
        CrossCheckVerdict,
        ExpectedKind,
        InconclusiveReason,
        Method,
        Verdict,
    )
    from derive._engine._batches import (
        BatchExpectation,
        BatchVariance,
        E_batch,
        MiniBatch,
        Var_batch,
        batch_expectation,
        batch_variance,
        sample_without_replacement,
    )
    from derive._engine._cache import CACHE as rung_cache
    from derive._engine._cache import RungCache
    from derive._engine._check import (
        DEFAULT_BUDGET,
        CheckResult,
        Relation,
        check_equal,
        check_relation,
        refutation_probe_disabled,
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
    from derive._processes._sandbox import Outcome, run_with_timeout
    from derive._run._answers import AnswerCache, answer_cache
    from derive._run._collect import ProofFile, collect, load_derivations
    from derive._run._parallel import available_cores
    from derive._run._report import Report, check_paths
    from derive._run._runner import (
        CrossCheckResult,
        DerivationResult,
        IsolatedCheck,
        Link,
        StepResult,
        check_derivation,
        links,
        run_crosscheck,
        seed_for,
    )

__version__ = "0.1.0"

# The modules that hold the public names.
_MODULES = (
    "derive._base._errors", "derive._base._verdict", "derive._engine._batches",
    "derive._engine._cache", "derive._engine._check", "derive._engine._expectation",
    "derive._model._derivation", "derive._parse", "derive._parse._notes",
    "derive._processes._sandbox", "derive._run._answers",
    "derive._run._collect", "derive._run._parallel", "derive._run._report",
    "derive._run._runner",
)
_RENAMED = {"rung_cache": "CACHE"}


def _html_fragment(result: Any) -> Any:
    """The notebook display of a result (the HTML report's section), loaded on first use."""
    return importlib.import_module("derive._render._html").render_fragment(result)


def _load() -> dict[str, Any]:
    """Every public name, imported from the module that defines it; results display
    themselves in notebooks (``_repr_html_``)."""
    modules = [importlib.import_module(name) for name in _MODULES]
    fragments = importlib.import_module("derive._run._runner").HTML_FRAGMENT
    if not fragments:
        fragments.append(_html_fragment)
    found: dict[str, Any] = {}
    for name in __all__:
        source = _RENAMED.get(name, name)
        found[name] = next(getattr(m, source) for m in modules if hasattr(m, source))
    return found


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'derive' has no attribute {name!r}")
    globals().update(_load())
    return globals()[name]


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


__all__ = [
    "DEFAULT_BUDGET", "CheckResult", "Relation", "check_equal", "check_relation",
    "ProofFile", "collect", "load_derivations",
    "Comparison", "Correction", "CrossCheck", "Derivation", "Expected", "Hypothesis", "Source",
    "Step",
    "erratum", "holds",
    "DeriveError", "InvalidArgumentType", "InvalidArgumentValue", "LatexError", "ProofLoadError",
    "UnsupportedExpectation",
    "Cov", "E", "Expectation", "RandomVariable", "Sample", "Var", "Variance", "expectation",
    "iid_sample", "random_variable", "variance",
    "BatchExpectation", "BatchVariance", "E_batch", "MiniBatch", "Var_batch", "batch_expectation",
    "batch_variance", "sample_without_replacement",
    "Report", "check_paths", "AnswerCache", "answer_cache",
    "CrossCheckResult", "DerivationResult", "IsolatedCheck", "StepResult", "check_derivation",
    "run_crosscheck",
    "seed_for", "Link", "links",
    "RungCache", "rung_cache", "refutation_probe_disabled", "Outcome", "run_with_timeout",
    "available_cores",
    "CrossCheckVerdict", "ExpectedKind", "InconclusiveReason", "Method", "Verdict",
    "Formula", "parse_formula", "parse_latex", "read_notes",
]
