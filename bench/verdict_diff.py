"""Compare two JSON reports of ``derive check``: did a verdict, method or counterexample worsen?

    derive check --no-cache --json before.json      # on one version
    derive check --no-cache --json after.json       # on the other
    python bench/verdict_diff.py before.json after.json

For every derivation it compares the verdict and method of each step, of the conclusion and
of each corrected link, each correction's isolated check, each line's LaTeX check, and the
derivation's verdict and expectation.  A change counts as an improvement only when a
numerically verified link is proved, or a proof by ``simplify`` becomes structural; any other
change is listed as a difference.  Counterexamples are compared by size (the digits in their
values, then their entries, as ``bench/counterexamples.py`` counts them).  The exit status is 1
when there is a difference that is not an improvement or a counterexample grew.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from counterexamples import size_of

Checks = dict[tuple[Any, ...], Any]


def _verdict(check: dict[str, Any] | None) -> tuple[str, str] | None:
    return None if check is None else (check["verdict"], check["method"])


def _latex(line: dict[str, Any]) -> str | None:
    return (line.get("latex_check") or {}).get("verdict")


def checks_of(derivation: dict[str, Any]) -> Checks:
    """Every verdict the report gives for one derivation, keyed by where it stands."""
    found: Checks = {("start latex",): _latex(derivation["start"]),
                     ("derivation",): (derivation["verdict"], derivation["meets_expectation"]),
                     ("conclusion",): _verdict(derivation["conclusion"])}
    for step in derivation["steps"]:
        found[("step", step["index"])] = _verdict(step)
        found[("step latex", step["index"])] = _latex(step)
    for k, correction in enumerate(derivation["corrected"]):
        found[("corrected latex", k)] = _latex(correction)
        found[("isolated", k)] = (correction["isolated"] or {}).get("verdict")
        for link in correction["checks"]:
            found[("corrected", k, link["index"])] = _verdict(link)
    return found


def counterexamples_of(derivation: dict[str, Any]) -> list[dict[str, str] | None]:
    """The counterexamples of the steps, the conclusion and the corrections, in order."""
    found = [step.get("counterexample") for step in derivation["steps"]]
    found.append((derivation["conclusion"] or {}).get("counterexample"))
    for correction in derivation["corrected"]:
        found += [link.get("counterexample") for link in correction["checks"]]
        found.append((correction["isolated"] or {}).get("counterexample"))
    return found


def is_improvement(before: Any, after: Any) -> bool:
    """Numerically verified to proved, or proved by ``simplify`` to proved structurally."""
    if not (isinstance(before, tuple) and isinstance(after, tuple)):
        return False
    if before[0] == "numerically-verified" and after[0] == "proved":
        return True
    return before[0] == after[0] == "proved" and (before[1], after[1]) == ("simplify",
                                                                           "structural")


def compare(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    """The differences, improvements and counterexample sizes between two reports."""
    old = {d["id"]: d for d in before["derivations"]}
    new = {d["id"]: d for d in after["derivations"]}
    out: dict[str, list[str]] = {"differences": [], "improvements": [], "simpler": [],
                                 "same": [], "larger": []}
    for ident in sorted(set(old) | set(new)):
        if ident not in old or ident not in new:
            out["differences"].append(f"{ident}: in one report only")
            continue
        a, b = checks_of(old[ident]), checks_of(new[ident])
        for key in sorted(set(a) | set(b), key=str):
            if a.get(key) != b.get(key):
                kind = "improvements" if is_improvement(a.get(key), b.get(key)) else "differences"
                out[kind].append(f"{ident} {key}: {a.get(key)} -> {b.get(key)}")
        for x, y in zip(counterexamples_of(old[ident]), counterexamples_of(new[ident]),
                        strict=True):
            if (x is None) != (y is None):
                out["differences"].append(f"{ident}: a counterexample in one report only")
            elif x is not None and y is not None:
                kind = ("simpler" if size_of(y) < size_of(x) else
                        "same" if size_of(y) == size_of(x) else "larger")
                out[kind].append(f"{ident}: {size_of(x)} -> {size_of(y)}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    args = parser.parse_args()
    with open(args.before, encoding="utf-8") as a, open(args.after, encoding="utf-8") as b:
        before, after = json.load(a), json.load(b)
    found = compare(before, after)
    print(f"derivations: {len(before['derivations'])} before, {len(after['derivations'])} after")
    for kind in ("differences", "improvements", "larger"):
        print(f"{kind}: {len(found[kind])}")
        for line in found[kind]:
            print(f"  {line}")
    print("counterexamples: " + ", ".join(f"{len(found[k])} {k}"
                                          for k in ("simpler", "same", "larger")))
    return 1 if found["differences"] or found["larger"] else 0


if __name__ == "__main__":
    sys.exit(main())
