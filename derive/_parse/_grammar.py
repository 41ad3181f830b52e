"""The grammar of the notes' LaTeX (``latex.lark``) and its errors, in the reader's words."""

from __future__ import annotations

import functools
from importlib import resources

import lark

from .._base._errors import LatexError

__all__ = ["Node", "error_at", "parse_tree"]

Node = lark.Tree[lark.Token]


@functools.lru_cache(maxsize=1)
def _parser() -> lark.Lark:
    grammar = resources.files(__package__).joinpath("latex.lark").read_text(encoding="utf-8")
    return lark.Lark(grammar, parser="earley", lexer="basic", propagate_positions=True,
                     maybe_placeholders=False, ambiguity="resolve")


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
    never modified.
    """
    try:
        return _parser().parse(text)
    except lark.exceptions.UnexpectedCharacters as error:
        raise error_at(text, error.pos_in_stream or 0) from None
    except lark.exceptions.UnexpectedToken as error:
        position = error.token.start_pos if error.token.type != "$END" else len(text)
        raise error_at(text, len(text) if position is None else position) from None
    except lark.exceptions.UnexpectedEOF:
        raise error_at(text, len(text)) from None
