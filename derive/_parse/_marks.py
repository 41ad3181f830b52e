r"""What a bar, a comma or a parenthesis is, said before the grammar reads the tokens.

The grammar is LALR(1): it decides with one token of look-ahead.  Four readings need
more, and this pass gives their tokens distinct types from the tokens around them:

- ``|``: an opening bar of ``|x|`` (``LBAR``), its closing bar (``RBAR``: a bar after an
  operand while a ``|`` is open), or the bar of a condition ``P(y | x)`` (``BAR``: after
  an operand inside parentheses or brackets holding an odd number of bars, so
  ``(a |b| c)`` is a product and ``(y | x)`` a condition);
- ``\|``: a closing norm bar after an operand while a norm is open (``RNORM``);
- ``,`` outside brackets: before ``\quad`` or ``\forall`` it starts a clause (``_CCOMMA``);
  before the end of a row it ends the row (``_ECOMMA``); otherwise it separates items;
- ``(`` in ``w^{(t)\top}``: a superscript of marks (an index, then transposes, stars or
  primes) rather than a power, when a mark that is not a factor follows ``)``
  (``_MARKLPAR``).
"""

from __future__ import annotations

from collections.abc import Iterator

from lark import Token
from lark.exceptions import LexError
from lark.lark import PostLex

__all__ = ["Marks"]

_OPEN = frozenset(["(", "[", "{", r"\{"])
_CLOSE = frozenset([")", "]", "}", r"\}"])
_OPERAND_TYPES = frozenset(["LETTER", "NUMBER", "GREEK", "INFTY", "TEXT", "DOTS", "TOP",
                            "PRIME", "PRIME_CMD", "STAR", "BANG", "PERP", "RBRACE", "RBAR",
                            "RNORM"])
_ROW_ENDS = frozenset(["ROWSEP", "ENDCASES", "$END"])
_CLAUSE_STARTS = frozenset(["QUAD", "FORALL"])
_MARKS = frozenset(["TOP", "PRIME_CMD"])


def _retyped(token: Token, kind: str) -> Token:
    return Token.new_borrow_pos(kind, token.value, token)


def _is_operand(token: Token | None) -> bool:
    return token is not None and (token.type in _OPERAND_TYPES or token.value in (")", "]", "}"))


def _kind(tokens: list[Token], index: int) -> str:
    return tokens[index].type if index < len(tokens) else "$END"


def _bars_left(tokens: list[Token]) -> dict[int, int]:
    """For each ``|``: how many bars its group (parentheses, brackets, braces) has from it on."""
    groups: list[list[int]] = [[]]
    left: dict[int, int] = {}
    for index, token in enumerate(tokens):
        if token.value in _OPEN or token.type == "CASES":
            groups.append([])
        elif (token.value in _CLOSE or token.type == "ENDCASES") and len(groups) > 1:
            _count_down(groups.pop(), left)
        elif token.type == "BAR":
            groups[-1].append(index)
    for group in groups:
        _count_down(group, left)
    return left


def _count_down(bars: list[int], left: dict[int, int]) -> None:
    for rank, index in enumerate(bars):
        left[index] = len(bars) - rank


def _closing_parenthesis(tokens: list[Token], start: int) -> int | None:
    depth = 0
    for index in range(start, len(tokens)):
        depth += (tokens[index].value == "(") - (tokens[index].value == ")")
        if depth == 0:
            return index
    return None


def _starts_marks(tokens: list[Token], index: int) -> bool:
    """Whether the ``(`` at ``index`` (just after ``^{``) opens ``(t)`` followed by marks."""
    if index < 2 or tokens[index - 1].value != "{" or tokens[index - 2].value != "^":
        return False
    close = _closing_parenthesis(tokens, index)
    if close is None:
        return False
    after = _kind(tokens, close + 1)
    if after in _MARKS:
        return True
    return after == "STAR" and (_kind(tokens, close + 2) in _MARKS | {"STAR"} or (
        close + 2 < len(tokens) and tokens[close + 2].value == "}"))


class Marks(PostLex):
    """The pass over the tokens described in the module's docstring."""

    always_accept = ()

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        tokens: list[Token] = []
        failure: LexError | None = None
        try:
            tokens.extend(stream)
        except LexError as error:  # reported after the tokens before it are parsed
            failure = error
        yield from _Pass(tokens).marked()
        if failure is not None:
            raise failure


class _Pass:
    """One formula's tokens, read left to right with the brackets and bars open so far."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.bars_left = _bars_left(tokens)
        self.brackets: list[str] = [""]          # the innermost last; "" is the row itself
        self.opened: list[list[str]] = [[]]      # bars open inside each bracket
        self.previous: Token | None = None

    def marked(self) -> Iterator[Token]:
        for index, token in enumerate(self.tokens):
            self.previous = self._one(index, token)
            yield self.previous

    def _one(self, index: int, token: Token) -> Token:
        value, kind = token.value, token.type
        if value in _OPEN or kind == "CASES":
            self.opened.append([])
            self.brackets.append(value)
            if value == "(" and _starts_marks(self.tokens, index):
                return _retyped(token, "_MARKLPAR")
        elif (value in _CLOSE or kind == "ENDCASES") and len(self.opened) > 1:
            self.opened.pop()
            self.brackets.pop()
        elif kind == "BAR":
            return self._bar(token, self.bars_left[index])
        elif kind == "NORM":
            return self._norm(token)
        elif value == "," and (self.brackets[-1] == "" or self.brackets[-1].startswith("\\begin")):
            return _comma(token, _kind(self.tokens, index + 1))
        return token

    def _bar(self, token: Token, left: int) -> Token:
        opened, after_operand = self.opened[-1], _is_operand(self.previous)
        if opened and opened[-1] == "|" and after_operand:
            opened.pop()
            return _retyped(token, "RBAR")
        if after_operand and self.brackets[-1] in ("(", "[") and "|" not in opened and left % 2:
            return token
        opened.append("|")
        return _retyped(token, "LBAR")

    def _norm(self, token: Token) -> Token:
        opened = self.opened[-1]
        if opened and opened[-1] == "||" and _is_operand(self.previous):
            opened.pop()
            return _retyped(token, "RNORM")
        opened.append("||")
        return token


def _comma(token: Token, following: str) -> Token:
    if following in _CLAUSE_STARTS:
        return _retyped(token, "_CCOMMA")
    if following in _ROW_ENDS:
        return _retyped(token, "_ECOMMA")
    return token
