"""numeric.rates: power-law fits and their Student-t intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest

import numeric
from numeric.rates import PowerLawFit, fit_power_law


def test_exact_power_law_is_recovered():
    x = np.array([1e-3, 1e-2, 0.1, 1.0, 10.0])
    fit = fit_power_law(x, 3.0 * x**-1.5)
    assert fit.slope == pytest.approx(-1.5, rel=1e-12)
    assert fit.intercept == pytest.approx(math.log(3.0), rel=1e-12)
    assert fit.prefactor == pytest.approx(3.0, rel=1e-12)
    assert fit.slope_stderr == pytest.approx(0.0, abs=1e-12)
    assert fit.n_points == 5
    assert fit.contains(-1.5) and not fit.contains(-1.4)


def test_slope_and_stderr_match_scipy_linregress():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(5)
    x = np.geomspace(1, 1000, 9)
    y = 2.0 * x**0.5 * np.exp(0.1 * rng.standard_normal(9))
    fit, reference = fit_power_law(x, y), stats.linregress(np.log(x), np.log(y))
    assert fit.slope == pytest.approx(reference.slope, rel=1e-12)
    assert fit.intercept == pytest.approx(reference.intercept, rel=1e-12)
    assert fit.slope_stderr == pytest.approx(reference.stderr, rel=1e-10)
    t = stats.t.ppf(0.975, df=7)
    assert fit.ci == pytest.approx((fit.slope - t * fit.slope_stderr,
                                    fit.slope + t * fit.slope_stderr), rel=1e-12)


def test_interval_has_its_nominal_coverage_with_few_points():
    """With 5 points the t quantile (3.18) is needed; the normal one (1.96) covers ~86%."""
    rng = np.random.default_rng(11)
    x = np.geomspace(1e-3, 1e-1, 5)
    covered = [fit_power_law(x, x**2 * np.exp(0.2 * rng.standard_normal(5))).contains(2.0)
               for _ in range(2000)]
    assert 0.93 <= np.mean(covered) <= 0.97


def test_confidence_level_widens_the_interval():
    x = np.arange(1.0, 8.0)
    y = x**-1 * np.exp([0.1, -0.1, 0.05, 0.0, -0.05, 0.1, -0.1])
    narrow, wide = fit_power_law(x, y, confidence=0.5), fit_power_law(x, y, confidence=0.999)
    assert wide.ci[0] < narrow.ci[0] < narrow.slope < narrow.ci[1] < wide.ci[1]
    assert wide.confidence == 0.999
    assert "slope -" in str(wide) and "99.9%" not in str(narrow)


def test_fit_is_a_frozen_dataclass():
    fit = fit_power_law([1, 2, 4], [1, 4, 16])
    assert isinstance(fit, PowerLawFit)
    with pytest.raises(AttributeError):
        fit.slope = 3.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("x", "y", "kwargs", "pattern"),
    [
        ([1, 2], [1, 2], {}, r"x must hold at least 3 points.*got 2"),
        ([1, 2, 3], [1, 2], {}, r"x and y must have the same length, got 3 and 2"),
        ([1, 0, 3], [1, 2, 3], {}, r"x must be positive for a log-log fit, got 0\.0 at index 1"),
        ([1, 2, 3], [1, -2, 3], {}, r"y must be positive for a log-log fit, got -2\.0 at index 1"),
        ([2, 2, 2], [1, 2, 3], {}, r"x must hold at least two distinct values"),
        ([1, 2, np.nan], [1, 2, 3], {}, r"x must be finite, got nan at index 2"),
        ([1, 2, 3], [1, np.inf, 3], {}, r"y must be finite, got inf at index 1"),
        ([[1, 2, 3]], [1, 2, 3], {}, r"x must be a 1-D array, got shape \(1, 3\)"),
        ([1, 2, 3], [1, 2, 3], {"confidence": 1.0}, r"confidence must be strictly between"),
    ],
)
def test_bad_input_raises_argument_error(x, y, kwargs, pattern):
    with pytest.raises(numeric.InvalidArgumentValue, match=pattern):
        fit_power_law(x, y, **kwargs)


def test_non_numeric_input_raises_type_error():
    with pytest.raises(numeric.InvalidArgumentType, match="x must hold real numbers"):
        fit_power_law(["a", "b", "c"], [1, 2, 3])
    with pytest.raises(numeric.InvalidArgumentType, match="value must be a real number"):
        fit_power_law([1, 2, 4], [1, 2, 4]).contains("1")


def test_t_threshold_has_the_tail_of_z_normal_errors():
    import scipy.stats

    fit = fit_power_law([1, 2, 4, 8, 16, 32], [1.0, 0.49, 0.26, 0.124, 0.063, 0.031])
    tail = scipy.stats.norm.sf(5.0)
    assert fit.t_threshold() == pytest.approx(scipy.stats.t.isf(tail, fit.n_points - 2), rel=1e-9)
    # with few points the t threshold is far wider than 5; with many it tends to 5
    assert fit.t_threshold() > 10
    assert fit.t_threshold(3.0) < fit.t_threshold(5.0)
