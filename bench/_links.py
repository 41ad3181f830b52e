"""Every link that ``derive check`` checks: derivation id, label, both sides, relation, seed.

The links are :func:`derive.links`, the enumeration :func:`derive.check_derivation` checks:
each adjacent pair of lines, the links of the corrected chain that touch a corrected line, and
the conclusion (start against the last line, under the composed relation).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from derive import Derivation, collect, links


@dataclasses.dataclass(frozen=True)
class Link:
    """One check: ``lhs relation rhs`` (with ``wrt`` for ``= const +``) and its seed."""

    derivation: str
    label: str
    lhs: Any
    rhs: Any
    relation: Any
    wrt: tuple
    seed: int


def links_of(derivation: Derivation) -> list[Link]:
    """The links of one derivation, in the order the runner checks them."""
    return [Link(derivation.id, link.label, link.lhs, link.rhs, link.relation, link.wrt,
                 link.seed) for link in links(derivation)]


def all_links(paths: list[str | Path]) -> list[Link]:
    """Every link of every derivation under ``paths``."""
    return [link for f in collect(paths) for d in f.derivations for link in links_of(d)]
