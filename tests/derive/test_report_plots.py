"""Plots of cross-check data: every kind draws, deterministically, and failures are shown."""

from __future__ import annotations

import numpy as np
import pytest

from derive._render import _plots
from derive._render._plots import INSTALL_HINT, plots_for

pytest.importorskip("matplotlib", reason="plots need the 'plots' extra (matplotlib)")

N = np.array([10.0, 100.0, 1000.0, 10000.0])
LOGLOG = {"plot": "loglog", "x": N, "y": 2.0 / N, "slope": -1.0, "expected_slope": -1.0,
          "xlabel": "n", "ylabel": "variance", "title": "Variance of the mean"}
CURVES = {"plot": "curves", "x": [-1000.0, 0.0, 1000.0], "logx": True, "logy": True,
          "curves": {"naive": [np.nan, 1e-16, np.inf], "shifted": [1e-16, 1e-16, 2e-16]}}
HISTOGRAM = {"plot": "histogram", "samples": {"SDE": np.random.default_rng(0).normal(size=500)},
             "density": {"x": [-2.0, 0.0, 2.0], "y": [0.05, 0.4, 0.05], "label": "N(0, 1)"}}
# Keys of particular derivations mean nothing to derive: no plot is drawn for them.
BIAS_VARIANCE = {"degree": [1, 2, 3], "bias2": [1.0, 0.3, 0.1], "variance": [0.1, 0.2, 0.5],
                 "noise": [0.1, 0.1, 0.1], "test_error": [1.2, 0.6, 0.7]}
MARGINALS = {"variable": "log X_T", "bin_edges": [0.0, 1.0, 2.0],
             "sde_histogram": [0.4, 0.6], "density_grid": [0.5, 1.5],
             "density": [0.45, 0.55], "notes_density": [0.3, 0.7]}


@pytest.mark.parametrize("data", [BIAS_VARIANCE, MARGINALS], ids=["bias-variance", "marginals"])
def test_data_without_a_plot_kind_draws_nothing(data):
    assert plots_for(data, "a check") == []


@pytest.mark.parametrize("data", [LOGLOG, CURVES, HISTOGRAM], ids=["loglog", "curves", "histogram"])
def test_each_kind_draws_an_inline_svg(data):
    (plot,) = plots_for(data, "a check")
    assert plot.error is None
    assert plot.svg.startswith("<svg") and plot.svg.rstrip().endswith("</svg>")
    assert "<?xml" not in plot.svg and "<!--" not in plot.svg


def test_the_svg_is_identical_run_to_run_and_ids_differ_between_plots():
    first, again = plots_for(LOGLOG, "a"), plots_for(LOGLOG, "a")
    other = plots_for(LOGLOG, "b")
    assert first[0].svg == again[0].svg
    assert first[0].svg != other[0].svg  # the salt (the plot's name) changes the clip ids


def test_the_loglog_line_is_the_given_fit_or_a_least_squares_one():
    x, y = N, 3.0 * N**-0.5
    assert _plots._fitted_line(x, y, {}) == pytest.approx((-0.5, np.log(3.0)))
    assert _plots._fitted_line(x, y, {"slope": -0.5}) == pytest.approx((-0.5, np.log(3.0)))
    assert _plots._fitted_line(x, y, {"slope": -1.0, "intercept": 0.25}) == (-1.0, 0.25)


def test_data_without_a_plot_draws_nothing():
    assert plots_for({"shifts": [1, 2], "errors": [0.1]}, "none") == []
    assert plots_for({}, "none") == []


def test_a_list_of_plots_draws_each():
    simple = {"plot": "curves", "x": [1, 2], "curves": {"y": [1, 2]}}
    assert [p.error for p in plots_for({"plots": [simple, simple]}, "two")] == [None, None]


def test_bad_data_becomes_an_error_not_an_exception():
    (unknown,) = plots_for({"plot": "pie"}, "x")
    assert unknown.svg is None and "unknown plot kind 'pie'" in unknown.error
    (broken,) = plots_for({"plot": "loglog", "x": [1.0, 2.0]}, "x")
    assert broken.svg is None and broken.error.startswith("could not draw")


def test_without_matplotlib_the_plot_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(_plots, "plots_available", lambda: False)
    (plot,) = plots_for(LOGLOG, "x")
    assert plot.svg is None and plot.error == INSTALL_HINT
    assert "pip install derive-verifier[plots]" in INSTALL_HINT
