"""Every link that ``derive check`` checks: derivation id, label, both sides, relation, seed.

The same enumeration as :func:`derive._run._runner.check_derivation`: each adjacent pair of lines,
the conclusion (start against the last line, under the composed relation), and the links of
the corrected chain that touch a corrected line.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Iterator

from derive._model._derivation import Derivation, Step
from derive._run._collect import collect
from derive._run._runner import _composed, _touching, seed_for


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


def _chain(derivation: Derivation, lines: tuple[Step, ...], tag: str,
           only: set[int] | None = None) -> Iterator[Link]:
    for k in range(1, len(lines)):
        if only is None or k in only:
            step = lines[k]
            yield Link(derivation.id, f"{tag} {k}", lines[k - 1].expr, step.expr, step.relation,
                       step.wrt, seed_for(derivation.id, tag, k))


def _conclusion(derivation: Derivation) -> Iterator[Link]:
    steps = derivation.steps
    composed = _composed(steps) if len(steps) > 1 else None
    if composed is not None:
        relation, wrt, _scale = composed
        yield Link(derivation.id, "conclusion", derivation.start.expr, steps[-1].expr, relation,
                   wrt, seed_for(derivation.id, "conclusion"))


def links_of(derivation: Derivation) -> Iterator[Link]:
    """The links of one derivation, in the order the runner checks them."""
    yield from _chain(derivation, derivation.lines(), "step")
    if derivation.expected.is_erratum:
        yield from _chain(derivation, derivation.corrected_lines(), "corrected",
                          only=_touching(derivation))
    yield from _conclusion(derivation)


def all_links(paths: list[str | Path]) -> list[Link]:
    """Every link of every derivation under ``paths``."""
    return [link for f in collect(paths) for d in f.derivations for link in links_of(d)]
