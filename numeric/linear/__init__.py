"""Linear and logistic regression solvers: least squares, ridge, lasso, elastic net, logistic.

Conventions. X is an (n, d) array of finite features, y a length-n vector. With
``fit_intercept=True`` the model is X w + b and the intercept b is never penalised: the
linear models centre X and y (b = mean(y) - mean(X) w), the logistic model treats b as the
coefficient of a column of ones (never materialised). Every solver returns a
:class:`LinearModel` (a :class:`LogisticModel` for the logistic one) whose ``objective``
is the value of the function the solver optimises, as written in its docstring.
"""

from numeric.linear._elastic_net import elastic_net, lasso
from numeric.linear._least_squares import least_squares, ridge
from numeric.linear._logistic import (
                                      logistic_gradient,
                                      logistic_hessian,
                                      logistic_log_likelihood,
                                      logistic_regression,
)
from numeric.linear._model import LinearModel, LogisticModel

__all__ = [
    "LinearModel",
    "LogisticModel",
    "elastic_net",
    "lasso",
    "least_squares",
    "logistic_gradient",
    "logistic_hessian",
    "logistic_log_likelihood",
    "logistic_regression",
    "ridge",
]
