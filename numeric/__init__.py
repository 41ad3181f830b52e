"""numeric: how a claim is checked by computation.

A small NumPy/SciPy library, usable on its own:

- :mod:`numeric.montecarlo`: seeded, chunked Monte Carlo estimates with standard errors,
  bit-identical under any executor;
- :mod:`numeric.rates`: power-law (convergence-order) fits with confidence intervals;
- :mod:`numeric.functions`: stable softmax, log-sum-exp, sigmoid (and the naive softmax);
- :mod:`numeric.linear`: least squares, ridge, lasso and logistic regression;
- :mod:`numeric.naive_bayes`: Gaussian and Poisson naive Bayes classifiers;
- :mod:`numeric.optimize`: gradient descent, Newton (Levenberg-Marquardt), SGD, subgradient;
- :mod:`numeric.sde`: Brownian increments, Euler-Maruyama, Milstein and tamed Euler;
- :mod:`numeric.ode`: fixed-step Euler, Heun and RK4 (the probability-flow ODE).

Every error is a :class:`NumericError`; errors about arguments are also ``ValueError`` or
``TypeError`` and name the argument and the value received.
"""

from numeric import (
    functions,
    linear,
    montecarlo,
    naive_bayes,
    ode,
    optimize,
    rates,
    sde,
)
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
    "naive_bayes",
    "ode",
    "optimize",
    "rates",
    "sde",
]
