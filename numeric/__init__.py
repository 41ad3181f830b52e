"""numeric: how a claim is checked by computation.

A small NumPy/SciPy library, usable on its own. Its submodules are imported on first use
(``numeric.sde`` imports only what the SDE integrators need), so ``import numeric`` is cheap:

- :mod:`numeric.montecarlo`: seeded, chunked Monte Carlo estimates with standard errors,
  bit-identical under any executor;
- :mod:`numeric.rates`: power-law (convergence-order) fits with confidence intervals;
- :mod:`numeric.functions`: stable softmax, log-sum-exp, sigmoid (and the naive softmax);
- :mod:`numeric.linear`: least squares, ridge, lasso, elastic net and logistic regression;
- :mod:`numeric.validation`: k-fold cross-validation;
- :mod:`numeric.optimize`: gradient descent, Newton (Levenberg-Marquardt), SGD, subgradient;
- :mod:`numeric.perceptron`: the perceptron learning algorithm;
- :mod:`numeric.naive_bayes`: Gaussian and Poisson naive Bayes;
- :mod:`numeric.sde`: Brownian increments, Euler-Maruyama, Milstein and tamed Euler;
- :mod:`numeric.ode`: fixed-step Euler, Heun and RK4 (the probability-flow ODE);
- :mod:`numeric.fourier`: Fourier coefficients (trapezoidal rule by FFT), partial sums and the
  trigonometric design;
- :mod:`numeric.random_features`: random tanh layers with least-squares output layers, and a
  k-fold cross-validation helper.

Every error is a :class:`NumericError`; errors about arguments are also ``ValueError`` or
``TypeError`` and name the argument and the value received.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from numeric._errors import (
    ConvergenceWarning,
    InvalidArgumentType,
    InvalidArgumentValue,
    NumericError,
    SamplerError,
    SingularMatrixError,
)

SUBMODULES = (
    "fourier",
    "functions",
    "linear",
    "montecarlo",
    "naive_bayes",
    "ode",
    "optimize",
    "perceptron",
    "random_features",
    "rates",
    "sde",
    "validation",
)

__all__ = [
    "InvalidArgumentValue",
    "InvalidArgumentType",
    "ConvergenceWarning",
    "NumericError",
    "SamplerError",
    "SingularMatrixError",
    *SUBMODULES,
]


def __getattr__(name: str) -> ModuleType:
    """Import a submodule on first use (PEP 562)."""
    if name in SUBMODULES:
        module = importlib.import_module(f"numeric.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'numeric' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(SUBMODULES))
