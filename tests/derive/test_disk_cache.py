"""Answers kept on disk: never stale, never trusted when damaged, safe under concurrent runs."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sympy as sp

import derive._run._answers as answers_module
from derive import Verdict, answer_cache, check_equal
from derive._base._store import DiskStore
from derive._engine._cache import CACHE, stable_text

x = sp.Symbol("x", real=True)


@pytest.fixture
def cache_dir(tmp_path: Path):
    CACHE.clear()
    answer_cache.use(tmp_path / ".derive_cache")
    yield tmp_path / ".derive_cache"
    answer_cache.use(None)
    CACHE.clear()


def _entries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.name != ".gitignore"]


def test_an_answer_is_reused_from_disk_by_a_fresh_cache(cache_dir: Path):
    first = check_equal(sp.sqrt(x**2), x, seed=3)
    CACHE.clear()  # as a new process would start
    second = check_equal(sp.sqrt(x**2), x, seed=3)
    assert first.verdict is second.verdict is Verdict.REFUTED
    assert second.counterexample == first.counterexample
    assert CACHE.misses == 0 and CACHE.hits >= 2
    assert (cache_dir / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_changed_claim_is_checked_afresh(cache_dir: Path):
    assert check_equal(x**2 - 1, (x - 1) * (x + 1)).verdict is Verdict.PROVED
    CACHE.clear()
    changed = check_equal(x**2 - 1, (x - 1) * (x + 2))
    assert changed.verdict is Verdict.REFUTED and changed.counterexample is not None


def test_function_assumptions_are_in_the_disk_key():
    plain, positive = sp.Function("p"), sp.Function("p", positive=True)
    key = ("structural", (("digest", frozenset({plain})), ()))
    other = ("structural", (("digest", frozenset({positive})), ()))
    assert stable_text(key) != stable_text(other)
    assert stable_text(("structural", frozenset({type("Mine", (sp.Function,), {})}))) is None


def test_a_corrupt_or_truncated_entry_is_ignored_and_rewritten(cache_dir: Path):
    check_equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)
    files = _entries(cache_dir)
    assert files
    for path in files:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] + b"garbage")
    CACHE.clear()
    again = check_equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)
    assert again.verdict is Verdict.PROVED
    assert CACHE.hits == 0  # nothing damaged was trusted
    CACHE.clear()
    check_equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)
    assert CACHE.misses == 0  # the entries were rewritten whole


def test_an_entry_under_another_key_is_not_trusted(tmp_path: Path):
    store = DiskStore(tmp_path, "space")
    store.put("a", b"answer of a")
    path_a = store._path("a")[0]
    path_b = store._path("b")[0]
    path_b.parent.mkdir(parents=True, exist_ok=True)
    path_b.write_bytes(path_a.read_bytes())
    assert store.get("a") == b"answer of a" and store.get("b") is None


def test_a_new_version_does_not_read_the_old_answers(cache_dir: Path, monkeypatch):
    check_equal(x * (x + 1), x**2 + x)
    monkeypatch.setattr(answers_module, "_version",
                        lambda name: "99.0" if name == "sympy" else "1.0")
    answer_cache.use(cache_dir)
    CACHE.clear()
    check_equal(x * (x + 1), x**2 + x)
    assert CACHE.hits == 0 and CACHE.misses >= 1
    assert len([p for p in cache_dir.iterdir() if p.name.startswith("rungs-")]) == 2


def test_clear_removes_only_what_derive_wrote(cache_dir: Path):
    check_equal(x + x, 2 * x)
    (cache_dir / "keep.txt").write_text("not derive's")
    removed = answer_cache.clear(cache_dir)
    assert removed and all(not p.exists() for p in removed)
    assert (cache_dir / "keep.txt").exists() and not (cache_dir / ".gitignore").exists()


_WRITER = """
import sys
from derive._base._store import DiskStore
store = DiskStore(sys.argv[1], "space")
mine = sys.argv[2].encode() * 5000
for _ in range(300):
    store.put("shared", mine)
    seen = store.get("shared")
    assert seen is None or set(seen) <= set(b"ab"), "a torn entry was returned"
    assert seen is None or seen in (b"a" * 5000, b"b" * 5000)
"""


def test_concurrent_writers_never_leave_a_torn_entry(tmp_path: Path):
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), tag])
               for tag in "ab"]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    assert DiskStore(tmp_path, "space").get("shared") in (b"a" * 5000, b"b" * 5000)
    assert not list((tmp_path / "space").rglob(".tmp-*"))


_PROOF = '''
import sympy as sp
from derive import Derivation, Source, Step, holds

x = sp.Symbol("x", real=True)

square = Derivation(
    id="cached-square", title="a square",
    source=Source("notes.txt", "Squares", "(x+1)^2 = x^2 + 2x + 1"),
    start=Step((x + 1) ** 2, r"(x+1)^2"),
    steps=[Step(x**2 + 2 * x + 1, r"x^2 + 2x + 1")],
    expected=holds(),
)
'''


def _check(folder: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "derive._cli", "check", str(folder / "proofs"), "-j", "1",
         "--cache-dir", str(folder / ".derive_cache"), *extra],
        capture_output=True, text=True, timeout=300)


def test_an_edited_line_made_false_is_refuted_not_served_from_the_cache(tmp_path: Path):
    (tmp_path / "proofs").mkdir()
    proof = tmp_path / "proofs" / "squares.py"
    proof.write_text(textwrap.dedent(_PROOF))
    assert _check(tmp_path).returncode == 0
    proof.write_text(proof.read_text().replace("x**2 + 2 * x + 1", "x**2 + 3 * x + 1"))
    edited = _check(tmp_path, "-v")
    assert edited.returncode == 1
    assert "refuted" in edited.stdout and "counterexample" in edited.stdout


def test_two_concurrent_runs_agree_and_leave_a_usable_cache(tmp_path: Path):
    (tmp_path / "proofs").mkdir()
    (tmp_path / "proofs" / "squares.py").write_text(textwrap.dedent(_PROOF))
    command = [sys.executable, "-m", "derive._cli", "check", str(tmp_path / "proofs"), "-j", "1",
               "--cache-dir", str(tmp_path / ".derive_cache")]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert all("1 of 1 derivations meet" in out for out in outputs)
    answer_cache.use(tmp_path / ".derive_cache")
    try:
        CACHE.clear()
        assert check_equal((x + 1) ** 2, x**2 + 2 * x + 1, seed=0).verdict is Verdict.PROVED
    finally:
        answer_cache.use(None)
        CACHE.clear()
