"""What the LaTeX reader keeps between formulas gives the same results as computing afresh."""

from __future__ import annotations

from lark import Token

from derive._parse._scope import squash


def test_squash_of_a_token_is_the_plain_string_of_its_text() -> None:
    token = Token("NAME", r"x_{i} ^ {\top}")
    assert squash(token) == r"x_i^\top"
    assert type(squash(token)) is str
    assert type(squash(r"x_{i}")) is str


def test_squash_gives_the_same_text_when_asked_again() -> None:
    first = squash(r"z_{\max} + y_{ 2 }")
    assert squash(r"z_{\max} + y_{ 2 }") == first == r"z_\max+y_2"
    assert squash(r"\mathbb{E} [ x ]") == r"\mathbb{E}[x]"
