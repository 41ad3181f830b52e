"""Fuzz the checker with claims of known truth; the table goes into bench/RESULTS.md.

    python bench/fuzz.py --claims 5000      # about 10 minutes of CPU

Claims come from the Hypothesis strategies of ``tests/derive/fuzz_claims.py``
(seeded: ``derandomize=True``); each is checked with a drawn seed of the random
points, so a claim drawn twice is checked at other points.  Each claim goes through the rungs whose
verdicts the fuzzing is about, in this process and without the sandbox: the
structural rung (``proved``) and the random points (``refuted`` /
``numerically-verified``), the same functions the checking processes run.
``simplify`` is left out: it runs SymPy's own simplification, and its time
is what makes a fuzzing run of thousands of claims long.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests" / "derive")]

import sympy as sp
from fuzz_claims import CATEGORIES, Claim, is_unsound
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive._engine._check import Relation, _claim
from derive._engine._rungs import random_points, structural


def verdict_of(claim: Claim, seed: int) -> str:
    """The verdict of the structural rung, then of the random points (in this process)."""
    relation = Relation(claim.relation)
    lhs, rhs = sp.sympify(claim.lhs), sp.sympify(claim.rhs)
    stated = _claim(lhs, rhs, relation, ())
    if structural(stated).decided:
        return "proved"
    answer = random_points(stated, seed, 6, 60, 0.2)
    return {False: "refuted", True: "numerically-verified", None: "inconclusive"}[answer.decided]


def _record(counts: collections.Counter, claim: Claim, verdict: str) -> None:
    counts["claims"] += 1
    counts["decided"] += verdict != "inconclusive"
    counts["unsound"] += is_unsound(claim, verdict)
    counts["false, numerically verified"] += not claim.holds and verdict == "numerically-verified"
    if is_unsound(claim, verdict):
        print("UNSOUND", claim, verdict, flush=True)


def _run_category(strategy, examples: int, counts: collections.Counter) -> None:
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy, st.integers(0, 2**16))
    def record(claim: Claim, seed: int) -> None:
        _record(counts, claim, verdict_of(claim, seed))
    record()


# A normal expectation outside the algebra costs a quadrature (about 0.2 s): fewer of those.
_SHARES = {"outside the algebra": 0.04}


def run(total: int) -> dict[str, collections.Counter]:
    """About ``total`` claims (each a claim and a seed), shared by the categories."""
    counts: dict[str, collections.Counter] = {}
    rest = (1 - sum(_SHARES.values())) / (len(CATEGORIES) - len(_SHARES))
    for name, strategy in CATEGORIES.items():
        counts[name] = collections.Counter()
        _run_category(strategy, round(total * _SHARES.get(name, rest)), counts[name])
    return counts


def table(counts) -> str:
    columns = ["claims", "decided", "unsound", "false, numerically verified"]
    lines = ["| category | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    total: collections.Counter = collections.Counter()
    for name, tally in counts.items():
        total.update(tally)
        lines.append(f"| {name} | " + " | ".join(str(tally[c]) for c in columns) + " |")
    lines.append("| **all** | " + " | ".join(f"**{total[c]}**" for c in columns) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=5000)
    args = parser.parse_args(argv)
    start = time.process_time()
    counts = run(args.claims)
    print(table(counts))
    print(f"\n{time.process_time() - start:.0f} s of CPU")
    return 0 if all(t["unsound"] == 0 for t in counts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
