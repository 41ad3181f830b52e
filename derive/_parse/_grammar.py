"""The grammar of the notes' LaTeX (``latex.lark``) and its errors, in the reader's words."""

from __future__ import annotations

import contextlib
import functools
import pickle
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import lark

from .._base._errors import LatexError
from .._base._store import DiskStore
from ._marks import Marks

__all__ = ["Node", "TREES", "error_at", "grammar_text", "parse_tree"]

Node = lark.Tree[lark.Token]

# Where parse trees are kept between runs (set by derive._run._answers; None: memory only).
TREES: list[DiskStore] = []


@functools.lru_cache(maxsize=1)
def grammar_text() -> str:
    """The text of ``latex.lark`` (kept trees are keyed by it as well as by derive's code)."""
    return resources.files(__package__).joinpath("latex.lark").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _parser() -> lark.Lark:
    """The LALR(1) parser; its tables are kept as Python keeps bytecode (:func:`tables_path`)."""
    return lark.Lark(grammar_text(), parser="lalr", lexer="basic", propagate_positions=True,
                     maybe_placeholders=False, postlex=Marks(), cache=str(tables_path()))


def tables_path() -> Path:
    """Where the parser's tables are kept: ``__pycache__`` beside this module, as Python keeps
    bytecode there.  Building them costs most of a second in every process that reads
    LaTeX; loading them, a few milliseconds.  lark checks that the file was made from this
    grammar, these options, this lark and this Python, and rebuilds (and rewrites) it if
    not; a file it cannot read or write is ignored, as a truncated one is."""
    version = f"{sys.version_info[0]}{sys.version_info[1]}"
    folder = Path(__file__).parent / "__pycache__"
    with contextlib.suppress(OSError):
        folder.mkdir(exist_ok=True)
    return folder / f"latex.lalr-{lark.__version__}-py{version}"


def error_at(text: str, position: int, message: str = "") -> LatexError:
    """A :class:`LatexError` for ``text`` at the 0-based character ``position``."""
    position = max(0, min(position, len(text)))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    token = _token_at(text, position)
    where = f"at column {column}" + (f" of line {line}" if "\n" in text else "")
    shown = f"cannot read '{token}' {where}" if token else f"the formula ends too early ({where})"
    return LatexError(shown + (f": {message}" if message else ""), column=column, line=line,
                      token=token)


def _token_at(text: str, position: int) -> str:
    rest = text[position:]
    if not rest:
        return ""
    if rest[0] == "\\":
        end = 1
        while end < len(rest) and rest[end].isalpha():
            end += 1
        return rest[: max(end, 2)]
    return rest[0]


@functools.lru_cache(maxsize=4096)
def parse_tree(text: str) -> Node:
    """The parse tree of ``text``; a :class:`LatexError` names where it stops making sense.

    Trees are kept (the same line is often shown in several derivations); they are
    never modified.  With a store in :data:`TREES`, they are also kept on disk: a tree is a
    function of the text and the grammar only, and the store's namespace holds derive's
    source hash and lark's version.
    """
    kept = _kept_tree(text)
    if kept is not None:
        return kept
    tree = _parse(text)
    for store in TREES:
        store.put(text, pickle.dumps(tree))
    return tree


def _kept_tree(text: str) -> lark.Tree[Any] | None:
    payload = TREES[0].get(text) if TREES else None
    if payload is None:
        return None
    try:
        tree = pickle.loads(payload)
    except Exception:
        return None
    return tree if isinstance(tree, lark.Tree) else None


def _parse(text: str) -> lark.Tree[Any]:
    try:
        return _parser().parse(text)
    except lark.exceptions.UnexpectedCharacters as error:
        raise error_at(text, error.pos_in_stream or 0) from None
    except lark.exceptions.UnexpectedToken as error:
        position = error.token.start_pos if error.token.type != "$END" else len(text)
        raise error_at(text, len(text) if position is None else position) from None
    except lark.exceptions.UnexpectedEOF:
        raise error_at(text, len(text)) from None
