"""Plots of cross-check data, drawn with matplotlib (the optional ``plots`` extra) as SVG.

A cross-check asks for a plot through its ``Comparison.data``: ``data["plot"]`` names
the kind, and the other keys are that kind's (``data["plots"]`` may hold a list of
such dictionaries).

``"loglog"``
    ``x``, ``y`` (positive); optional ``slope`` (and ``intercept``, natural log) of the
    fitted power law ``y = exp(intercept) x^slope``, ``expected_slope``, ``yerr``.
``"curves"``
    ``x`` and ``curves`` ``{label: [y, ...]}``; optional ``logx``, ``logy``.  A value
    that is not finite (overflow, NaN) is marked on the top edge.
``"histogram"``
    ``samples`` ``{label: [value, ...]}`` and/or ``histograms`` ``{label: {"edges": [...],
    "counts": [...]}}`` (or ``"density"`` instead of ``"counts"``), drawn as densities;
    optional ``density``: ``{"x": [...], "y": [...], "label": ...}`` or a list of them
    (known densities, drawn as lines), and ``bins`` for samples.

Every kind takes ``title``, ``xlabel`` and ``ylabel``.  Data without ``"plot"`` (or
``"plots"``) draws nothing: no key of any particular derivation is recognised here.

The SVG is deterministic: its ids are salted with the plot's name, it has no date,
and text is drawn as paths (no font is needed to show it).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import re
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Plot", "plots_available", "plots_for", "INSTALL_HINT"]

INSTALL_HINT = "plots need matplotlib: pip install derive-verifier[plots]"
_SIZE = (6.4, 3.6)


@dataclasses.dataclass(frozen=True)
class Plot:
    """A drawn figure (``svg``), or why it could not be drawn (``error``)."""

    caption: str
    svg: str | None = None
    error: str | None = None


def plots_available() -> bool:
    """Whether matplotlib is installed."""
    return importlib.util.find_spec("matplotlib") is not None


def _specs(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The plot dictionaries in a cross-check's data."""
    if isinstance(data.get("plots"), (list, tuple)):
        return [spec for spec in data["plots"] if isinstance(spec, dict) and "plot" in spec]
    if "plot" in data:
        return [data]
    return []


def _finite(values: Any) -> NDArray[np.float64]:
    array = np.asarray(values, dtype=float).ravel()
    finite: NDArray[np.float64] = array[np.isfinite(array)]
    return finite


def _draw_loglog(ax: Any, spec: dict[str, Any]) -> None:
    x, y = np.asarray(spec["x"], dtype=float), np.asarray(spec["y"], dtype=float)
    if spec.get("yerr") is not None:
        ax.errorbar(x, y, yerr=spec["yerr"], fmt="o", ms=4, capsize=2, label="measured")
    else:
        ax.plot(x, y, "o", ms=4, label="measured")
    slope, intercept = _fitted_line(x, y, spec)
    ax.plot(x, np.exp(intercept) * x ** slope, "-", label=f"fit: slope {slope:.3g}")
    if spec.get("expected_slope") is not None:
        expected = float(spec["expected_slope"])
        centre = np.mean(np.log(y)) - expected * np.mean(np.log(x))
        ax.plot(x, np.exp(centre) * x ** expected, "--", label=f"claimed slope {expected:g}")
    ax.set_xscale("log")
    ax.set_yscale("log")


def _fitted_line(x: np.ndarray, y: np.ndarray, spec: dict[str, Any]) -> tuple[float, float]:
    """The slope and natural-log intercept given, or fitted by least squares on log-log."""
    u, v = np.log(x), np.log(y)
    if spec.get("slope") is None:
        slope, intercept = np.polyfit(u, v, 1)
        return float(slope), float(intercept)
    slope = float(spec["slope"])
    intercept = spec.get("intercept")
    return slope, float(np.mean(v - slope * u) if intercept is None else intercept)


def _draw_curves(ax: Any, spec: dict[str, Any]) -> None:
    x = np.asarray(spec["x"], dtype=float)
    broken = []
    for label, values in spec["curves"].items():
        y = np.asarray(values, dtype=float)
        line, = ax.plot(x, np.where(np.isfinite(y), y, np.nan), "o-", ms=4, label=str(label))
        bad = ~np.isfinite(y)
        if bad.any():
            broken.append((x[bad], line.get_color(), str(label)))
    if spec.get("logx"):
        ax.set_xscale("symlog" if (x <= 0).any() else "log")
    if spec.get("logy"):
        ax.set_yscale("log")
    for xs, color, label in broken:
        ax.plot(xs, np.full(xs.shape, 1.0), "x", ms=9, mew=2, color=color,
                transform=ax.get_xaxis_transform(), clip_on=False,
                label=f"{label}: overflow / NaN")


def _draw_histogram(ax: Any, spec: dict[str, Any]) -> None:
    samples = {label: _finite(v) for label, v in spec.get("samples", {}).items()}
    pooled = np.concatenate(list(samples.values())) if samples else np.array([])
    bins = np.histogram_bin_edges(pooled, bins=int(spec.get("bins", 50))) if pooled.size else 50
    for label, values in samples.items():
        ax.hist(values, bins=bins, density=True, histtype="step", lw=1.5, label=label)
    for label, hist in spec.get("histograms", {}).items():
        ax.stairs(_histogram_density(hist), np.asarray(hist["edges"], float), lw=1.5,
                  label=label)
    densities = spec.get("density") or []
    for density in [densities] if isinstance(densities, dict) else densities:
        ax.plot(density["x"], density["y"], density.get("style", "k--"), lw=1.2,
                label=density.get("label", "density"))


def _histogram_density(hist: dict[str, Any]) -> np.ndarray:
    """``density`` as given, or ``counts`` scaled to integrate to one."""
    if hist.get("density") is not None:
        return np.asarray(hist["density"], float)
    counts, widths = np.asarray(hist["counts"], float), np.diff(np.asarray(hist["edges"], float))
    return counts / max(float(np.sum(counts * widths)), 1e-300)


_DRAWERS: dict[str, Callable[[Any, dict[str, Any]], None]] = {
    "loglog": _draw_loglog, "curves": _draw_curves, "histogram": _draw_histogram,
}


def _svg(spec: dict[str, Any], salt: str) -> str:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "path",
                                "font.size": 9}):
        figure = Figure(figsize=_SIZE, layout="constrained")
        ax = figure.add_subplot()
        _DRAWERS[spec["plot"]](ax, spec)
        ax.set_title(str(spec.get("title", "")))
        ax.set_xlabel(str(spec.get("xlabel", "")))
        ax.set_ylabel(str(spec.get("ylabel", "")))
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
        ax.grid(True, which="major", alpha=0.3)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _bare_svg(buffer.getvalue())


def _bare_svg(text: str) -> str:
    """The ``<svg>`` element alone (no XML declaration, doctype or comments), for inlining."""
    text = text[text.index("<svg"):]
    return re.sub(r"<!--.*?-->", "", text, flags=re.S).strip()


def _caption(spec: dict[str, Any], name: str) -> str:
    return str(spec.get("title") or name)


def _plot(spec: dict[str, Any], salt: str, name: str) -> Plot:
    kind = spec.get("plot")
    if kind not in _DRAWERS:
        return Plot(_caption(spec, name),
                    error=f"unknown plot kind {kind!r}; known: {', '.join(_DRAWERS)}")
    try:
        return Plot(_caption(spec, name), svg=_svg(spec, salt))
    except Exception as exc:
        return Plot(_caption(spec, name), error=f"could not draw: {exc!r}")


def plots_for(data: dict[str, Any], name: str) -> list[Plot]:
    """The plots asked for by a cross-check's ``data`` (``name`` salts the SVG ids).

    A plot that cannot be drawn becomes a :class:`Plot` with its ``error``.
    """
    specs = _specs(data or {})
    if specs and not plots_available():
        return [Plot(_caption(specs[0], name), error=INSTALL_HINT)]
    return [_plot(spec, f"{name}:{k}", name) for k, spec in enumerate(specs)]
