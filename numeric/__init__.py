"""numeric: how a claim is checked by computation.

A small NumPy/SciPy library, usable on its own:

- :mod:`numeric.montecarlo`: seeded, chunked Monte Carlo estimates with standard errors,
  bit-identical under any executor;
- :mod:`numeric.rates`: power-law (convergence-order) fits with confidence intervals;
- :mod:`numeric.functions`: stable softmax, log-sum-exp, sigmoid (and the naive softmax);
- :mod:`numeric.linear`: least squares, ridge, lasso, elastic net and logistic regression;
- :mod:`numeric.validation`: k-fold cross-validation and the choice of a hyperparameter by it;
- :mod:`numeric.optimize`: gradient descent, Newton (Levenberg-Marquardt), SGD, subgradient;
- :mod:`numeric.sde`: Brownian increments, Euler-Maruyama and Milstein;
- :mod:`numeric.ode`: fixed-step Euler, Heun and RK4 (the probability-flow ODE).

Every error is a :class:`NumericError`; errors about arguments are also ``ValueError`` or
``TypeError`` and name the argument and the value received.
"""

from numeric import functions, linear, montecarlo, ode, optimize, rates, sde, validation
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
    "functions",
    "linear",
    "montecarlo",
    "ode",
    "optimize",
    "rates",
    "sde",
    "validation",
]
