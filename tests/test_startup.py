"""Start-up: importing derive, or numeric, loads no more than it needs."""

from __future__ import annotations

import subprocess
import sys


def _loaded_after(statement: str, *modules: str) -> list[bool]:
    probe = f"import sys; {statement}; print([m in sys.modules for m in {list(modules)!r}])"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    return [word == "True" for word in out.strip("[]\n").split(", ")]


def test_import_derive_does_not_import_scipy_or_the_solvers():
    assert _loaded_after("import derive", "scipy", "numeric.linear", "numeric.sde") == [
        False, False, False]


def test_numeric_submodules_are_imported_on_first_use():
    assert _loaded_after("import numeric", "scipy", "numeric.sde") == [False, False]
    assert _loaded_after("import numeric; numeric.sde", "numeric.sde", "scipy") == [True, False]
    assert _loaded_after("import numeric; numeric.linear.ridge", "scipy") == [True]
