"""Power laws y = c x^p fitted on log-log data, with a confidence interval for p.

Used for orders of convergence (error ~ C h^p) and for rates in n (variance ~ sigma^2 / n).

What the interval means. It is the usual regression interval: it measures the scatter of
the points about the fitted line, nothing else. Two consequences for convergence studies:

- Deterministic errors (ODE solvers, closed forms) lie on a smooth curve; its small departure
  from a pure power law (the h^{p+1} terms) biases the slope by more than the interval's
  width, so the interval typically excludes the exact order. Compare the slope with a
  tolerance there, and use the interval only to exclude the neighbouring orders.
- For Monte Carlo errors, estimate each point independently (its own seed) so that the
  scatter is honest, choose step sizes in the asymptotic range, and prefer a high
  confidence level (0.99-0.999: with a handful of points the errors are far from Gaussian);
  reusing the same paths for every step size makes the curve smooth and the interval
  misleadingly narrow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import stdtrit

from numeric import _validation as check
from numeric._errors import InvalidArgumentValue
from numeric._validation import FloatArray

__all__ = ["PowerLawFit", "fit_power_law"]


@dataclass(frozen=True)
class PowerLawFit:
    """Least-squares fit of log y = intercept + slope * log x.

    ``slope`` is the exponent p and ``intercept`` is log c (natural log) of y = c x^p.
    ``ci`` is the two-sided Student-t interval slope ± t_{(1+confidence)/2, n-2} * stderr.
    """

    slope: float
    intercept: float
    slope_stderr: float
    ci: tuple[float, float]
    n_points: int
    confidence: float

    @property
    def prefactor(self) -> float:
        """c = exp(intercept)."""
        return math.exp(self.intercept)

    def t_threshold(self, z: float = 5.0) -> float:
        """The Student-t quantile (n - 2 degrees of freedom) with the tail of ``z`` standard
        errors of a normal law: a slope more than this many standard errors from a value is
        as unlikely, under the fit's own model, as ``|z|`` standard errors of a normal."""
        tail = 0.5 * math.erfc(check.real(z, "z") / math.sqrt(2.0))
        return float(-stdtrit(self.n_points - 2, tail))

    def contains(self, value: float) -> bool:
        """True if ``value`` lies in the confidence interval of the slope (ends included)."""
        return self.ci[0] <= check.real(value, "value") <= self.ci[1]

    def __str__(self) -> str:
        low, high = self.ci
        return (f"slope {self.slope:.4f} ± {self.slope_stderr:.2g} "
                f"({self.confidence:.0%} CI [{low:.4f}, {high:.4f}], n={self.n_points})")


def fit_power_law(x: ArrayLike, y: ArrayLike, *, confidence: float = 0.95) -> PowerLawFit:
    """Fit y = c x^p by ordinary least squares on (log x, log y).

    With u = log x, v = log y, S_uu = sum (u - u_mean)^2 and S_uv = sum (u - u_mean)(v - v_mean):
    slope = S_uv / S_uu, intercept = v_mean - slope * u_mean,
    s^2 = sum residual^2 / (n - 2), stderr(slope) = sqrt(s^2 / S_uu).
    Needs at least 3 points, positive finite x and y, and at least two distinct x.
    """
    u, v = _log_points(x, y)
    level = check.probability(confidence, "confidence")
    du = u - u.mean()
    s_uu = float(du @ du)
    if s_uu == 0.0:
        raise InvalidArgumentValue(f"x must hold at least two distinct values, got all equal to "
                                   f"{math.exp(u[0])}")
    slope = float(du @ (v - v.mean())) / s_uu
    intercept = float(v.mean() - slope * u.mean())
    residual = v - intercept - slope * u
    stderr = math.sqrt(float(residual @ residual) / (u.size - 2) / s_uu)
    half = float(stdtrit(u.size - 2, 0.5 + level / 2)) * stderr
    return PowerLawFit(slope, intercept, stderr, (slope - half, slope + half), u.size, level)


def _log_points(x: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    xs, ys = check.array(x, "x", ndim=1), check.array(y, "y", ndim=1)
    if xs.size != ys.size:
        raise InvalidArgumentValue(f"x and y must have the same length, got {xs.size} and "
                                   f"{ys.size}")
    if xs.size < 3:
        raise InvalidArgumentValue(f"x must hold at least 3 points to fit a rate with an interval, "
                                   f"got {xs.size}")
    for name, arr in (("x", xs), ("y", ys)):
        if (arr <= 0).any():
            raise InvalidArgumentValue(f"{name} must be positive for a log-log fit, got "
                                       f"{arr[arr <= 0][0]} at index {int(np.argmax(arr <= 0))}")
    return np.log(xs), np.log(ys)
