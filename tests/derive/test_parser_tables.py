"""The LALR parser's tables are kept on disk and read back instead of being built again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from derive._parse import _grammar

LINES = [r"\frac{1}{2} h^\top H(f)(x^*) h = 0", r"\|w\|_2^2 + |x - y|",
         r"\log p(x \mid y) = \sum_{i=1}^{N} \log \mathcal{N}(y_i \mid w^\top x_i, \sigma^2)"]


@pytest.fixture
def tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "latex.lalr"
    monkeypatch.setattr(_grammar, "tables_path", lambda: path)
    _grammar._parser.cache_clear()
    yield path
    _grammar._parser.cache_clear()


def _trees() -> list[str]:
    return [_grammar._parser().parse(line).pretty() for line in LINES]


def test_the_tables_built_once_are_written_and_parse_the_same_when_read_back(tables: Path):
    built = _trees()
    written = tables.read_bytes()
    _grammar._parser.cache_clear()
    assert _trees() == built
    assert tables.read_bytes() == written  # read back, not built and written again


@pytest.mark.parametrize("damage", [b"", b"not a pickle\n", None])
def test_damaged_tables_are_rebuilt_not_trusted(tables: Path, damage: bytes | None):
    built = _trees()
    good = tables.read_bytes()
    tables.write_bytes(good[: len(good) // 2] if damage is None else damage)
    _grammar._parser.cache_clear()
    assert _trees() == built
    rewritten = tables.read_bytes()
    assert len(rewritten) > 64 and rewritten[:64] == good[:64]  # the key of the same grammar
    _grammar._parser.cache_clear()
    assert _trees() == built
    assert tables.read_bytes() == rewritten  # the rewritten tables are read back


def test_tables_that_cannot_be_written_cost_nothing_but_time(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(_grammar, "tables_path", lambda: tmp_path / "missing" / "latex.lalr")
    _grammar._parser.cache_clear()
    try:
        assert len(_trees()) == len(LINES)
        assert not (tmp_path / "missing").exists()
    finally:
        _grammar._parser.cache_clear()
