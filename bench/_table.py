"""Rows of the results table, timing helpers, and the Markdown they become."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class Row:
    """One comparison: what was measured, ours against theirs, and whether a goal is met."""

    what: str
    ours: str
    theirs: str
    ratio: str = ""
    goal: str = ""
    met: bool | None = None  # None: no goal, or not measured
    note: str = ""

    def cells(self) -> list[str]:
        met = {True: "met", False: "**not met**", None: "-"}[self.met]
        return [self.what, self.ours, self.theirs, self.ratio, self.goal or "-", met, self.note]


HEADER = ["measurement", "ours", "baseline / peer", "ratio", "goal", "goal met", "notes"]


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def best_of(functions: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """The minimum wall time of each function over ``repeats`` interleaved runs.

    Each runs once untimed first.  Interleaving spreads the load of a shared machine over all
    contenders alike; the minimum is the run least disturbed by it.
    """
    times: dict[str, list[float]] = {name: [] for name in functions}
    for function in functions.values():  # warm up: first-touch page faults, lazy imports
        function()
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in times.items()}


def seconds(value: float) -> str:
    if value >= 10:
        return f"{value:.1f} s"
    if value >= 0.1:
        return f"{value:.2f} s"
    return f"{value * 1e3:.2f} ms"
