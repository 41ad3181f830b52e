"""Fuzz the checker with claims of known truth; the table goes into bench/RESULTS.md.

    python bench/fuzz.py --claims 5000      # about 10 minutes of CPU

Claims come from the Hypothesis strategies of ``tests/derive/fuzz_claims.py``
(seeded: ``derandomize=True``).  Each claim goes through the rungs whose
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

import sympy as sp  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402

from derive._engine._check import Relation, _claims  # noqa: E402
from derive._engine._rungs import random_points, structural  # noqa: E402
from fuzz_claims import CATEGORIES, Claim, is_unsound  # noqa: E402


def verdict_of(claim: Claim, seed: int) -> str:
    """The verdict of the structural rung, then of the random points (in this process)."""
    relation = Relation(claim.relation)
    lhs, rhs = sp.sympify(claim.lhs), sp.sympify(claim.rhs)
    stated = _claims(lhs, rhs, relation, ())
    if structural(stated).decided:
        return "proved"
    answer = random_points(stated, seed, 6, 40, 0.2)
    return {False: "refuted", True: "numerically-verified", None: "inconclusive"}[answer.decided]


def run(total: int) -> dict[str, collections.Counter]:
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    per_category = total // len(CATEGORIES)
    for name, strategy in CATEGORIES.items():
        @settings(max_examples=per_category, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def record(claim: Claim) -> None:
            verdict = verdict_of(claim, len(counts[name]) % 7)
            tally = counts[name]
            tally["claims"] += 1
            tally["decided"] += verdict != "inconclusive"
            tally["unsound"] += is_unsound(claim, verdict)
            tally["false, numerically verified"] += (not claim.holds
                                                     and verdict == "numerically-verified")
            if is_unsound(claim, verdict):
                print("UNSOUND", claim, verdict, flush=True)
        record()
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
