"""What machine a benchmark ran on: CPU model, cores, memory, Python and library versions."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path

LIBRARIES = ("sympy", "mpmath", "numpy", "scipy", "scikit-learn", "sdeint", "dask", "distributed")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _cores() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{usable} usable of {os.cpu_count()}"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _load() -> str:
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def describe() -> dict[str, str]:
    """The machine, as ``{what: value}`` rows for the results table."""
    rows = {"CPU": _cpu_model(), "cores": _cores(), "memory": _memory_gib(),
            "OS": f"{platform.system()} {platform.release()}",
            "Python": platform.python_version()}
    rows.update({name: _version(name) for name in LIBRARIES})
    rows["load average at start (1, 5, 15 min)"] = _load()
    return rows
