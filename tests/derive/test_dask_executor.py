"""check_paths(..., executor=client): the derivations checked on a dask cluster, same report."""

from __future__ import annotations

import os
import sys
import textwrap
import warnings
from pathlib import Path
from typing import Any

import pytest

from derive import Report, check_paths

distributed = pytest.importorskip("distributed", reason="needs the dask extra: pip install .[dask]")

_PROOF = '''
import os
import sympy as sp
from derive import Comparison, Correction, CrossCheck, Derivation, Source, Step, erratum, holds

x = sp.Symbol("x", real=True)
PARENT = {parent}


def where_it_ran(seed):
    """1 on a worker process, 0 in the process that collected the proofs."""
    return Comparison(float(os.getpid() != PARENT), 1.0, tolerance=0.5,
                      alternatives={{"here": 0.0}})


square = Derivation(
    id="remote-square", title="a square",
    source=Source("notes.txt", "Squares", "(x+1)^2 = x^2 + 2x + 1"),
    start=Step((x + 1) ** 2, r"(x+1)^2"),
    steps=[Step(x**2 + 2 * x + 1, r"x^2 + 2x + 1")],
    expected=holds(),
    crosschecks=[CrossCheck("checked on a worker", where_it_ran)],
)

wrong = Derivation(
    id="remote-wrong-square", title="a wrong square",
    source=Source("notes.txt", "Squares", "(x+1)^2 = x^2 + 1"),
    start=Step((x + 1) ** 2, r"(x+1)^2"),
    steps=[Step(x**2 + 1, r"x^2 + 1")],
    expected=erratum(Correction(1, Step(x**2 + 2 * x + 1, r"x^2 + 2x + 1"), "the 2x is missing")),
)
'''


def _without_timings(report: Report) -> list[dict[str, Any]]:
    entries = report.to_dict()["derivations"]
    for entry in entries:
        entry.pop("seconds")
        for item in [*entry["steps"], entry["conclusion"] or {}, *entry["crosschecks"],
                     *(c for corrected in entry["corrected"] for c in corrected["checks"])]:
            item.pop("seconds", None)
    return entries


def _without_the_tests_folder() -> list[str]:
    """``sys.path`` without the folders pytest put there whose ``derive`` is a folder of tests
    (the workers, spawned with this path, would import it as a namespace package)."""
    return [entry for entry in sys.path
            if not ((Path(entry or ".") / "derive").is_dir()
                    and not (Path(entry or ".") / "derive" / "__init__.py").exists())]


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def client(monkeypatch_module):
    monkeypatch_module.setattr(sys, "path", _without_the_tests_folder())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # start-up chatter about ports and memory
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
    try:
        with distributed.Client(cluster) as connected:
            yield connected
    finally:
        cluster.close()


def test_a_dask_cluster_gives_the_same_report_as_one_process(tmp_path: Path, client):
    folder = tmp_path / "proofs"
    folder.mkdir()
    (folder / "squares.py").write_text(textwrap.dedent(_PROOF.format(parent=os.getpid())))
    remote = check_paths([folder], executor=client)
    local = check_paths([folder], jobs=1)
    assert [r.derivation.id for r in remote.results] == ["remote-square", "remote-wrong-square"]
    assert [r.error for r in remote.results] == [None, None]
    assert remote.ok
    local_entries = _without_timings(local)
    assert local_entries[0]["crosschecks"][0]["verdict"] == "disagrees"  # it ran here
    local_entries[0]["crosschecks"][0]["estimate"] = 1.0
    local_entries[0]["crosschecks"][0]["verdict"] = "agrees"
    local_entries[0]["meets_expectation"] = True
    assert _without_timings(remote) == local_entries


def test_the_disk_cache_is_shared_with_workers_on_the_same_disk(tmp_path: Path, client):
    folder = tmp_path / "proofs"
    folder.mkdir()
    (folder / "squares.py").write_text(textwrap.dedent(_PROOF.format(parent=os.getpid())))
    proof = folder / "squares.py"  # claims the workers have not kept in memory yet
    proof.write_text(proof.read_text().replace('Symbol("x"', 'Symbol("y"'))
    cache = tmp_path / ".derive_cache"
    first = check_paths([folder], executor=client, cache_dir=cache)
    assert first.ok and any(p.name.startswith("rungs-") for p in cache.iterdir())
    calls: list[Any] = []

    class Refusing:
        def submit(self, *args: Any, **kwargs: Any) -> None:
            calls.append(args)
            raise AssertionError("a fully cached run sent a task to the executor")

    again = check_paths([folder], executor=Refusing(), cache_dir=cache)
    assert again.ok and not calls
    assert _without_timings(again) == _without_timings(first)
