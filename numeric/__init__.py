"""numeric: how a claim is checked by computation.

A small NumPy/SciPy library, usable on its own:

- :mod:`numeric.montecarlo`: seeded, chunked Monte Carlo estimates with standard errors,
  bit-identical under any executor;
- :mod:`numeric.rates`: power-law (convergence-order) fits with confidence intervals;
- :mod:`numeric.functions`: stable softmax, log-sum-exp, sigmoid (and the naive softmax);
- :mod:`numeric.linear`: least squares, ridge, lasso and logistic regression;
- :mod:`numeric.optimize`: gradient descent, Newton (Levenberg-Marquardt), SGD, subgradient;
- :mod:`numeric.sde`: Brownian increments, Euler-Maruyama and Milstein;
- :mod:`numeric.ode`: fixed-step Euler, Heun and RK4 (the probability-flow ODE);
- :mod:`numeric.fourier`: Fourier coefficients (trapezoidal rule by FFT), partial sums and the
  trigonometric design;
- :mod:`numeric.random_features`: random tanh layers with least-squares output layers, and a
  k-fold cross-validation helper.

Every error is a :class:`NumericError`; errors about arguments are also ``ValueError`` or
``TypeError`` and name the argument and the value received.

The submodules are imported on first use (``numeric.sde`` imports :mod:`numeric.sde` when
it is first looked up), so ``import numeric`` costs only NumPy, and SciPy is loaded only by
the modules that need it (:mod:`numeric.rates`, :mod:`numeric.linear`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from numeric._errors import (
                     ArgumentError,
                     ArgumentTypeError,
                     ConvergenceWarning,
                     NumericError,
                     SamplerError,
                     SingularMatrixError,
)

__all__ = [
    "ArgumentError",
    "ArgumentTypeError",
    "ConvergenceWarning",
    "NumericError",
    "SamplerError",
    "SingularMatrixError",
    "fourier",
    "functions",
    "linear",
    "montecarlo",
    "ode",
    "optimize",
    "random_features",
    "rates",
    "sde",
]

_SUBMODULES = frozenset({"fourier", "functions", "linear", "montecarlo", "ode", "optimize",
                         "random_features", "rates", "sde"})

if TYPE_CHECKING:
    from numeric import (
        fourier,
        functions,
        linear,
        montecarlo,
        ode,
        optimize,
        random_features,
        rates,
        sde,
    )


def __getattr__(name: str) -> Any:
    """Import a submodule on first use (``numeric.linear`` imports :mod:`numeric.linear`)."""
    if name in _SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _SUBMODULES)
