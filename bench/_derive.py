"""``derive check`` over proofs/: wall time, time per derivation, the gains of the probe, the
cache and ``-j``, and identity checking against plain ``sympy.simplify(lhs - rhs) == 0``."""

from __future__ import annotations

import dataclasses
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _links import Link, all_links
from _plain import plain_simplify_is_zero
from _table import Row, markdown_table, seconds

from derive import (
    available_cores,
    check_paths,
    refutation_probe_disabled,
    run_with_timeout,
    rung_cache,
)

ROOT = Path(__file__).resolve().parents[1]
PROOFS = ROOT / "proofs"
GOAL_SECONDS = 60.0


@dataclasses.dataclass(frozen=True)
class CliRun:
    """One ``derive check -j N`` in a fresh process: wall time (start-up included), report."""

    jobs: int
    wall: float
    report: dict
    exit_code: int


def cli_run(jobs: int) -> CliRun:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.json"
        command = [sys.executable, "-m", "derive._cli", "check", "-q", "-j", str(jobs),
                   "--cache-dir", str(Path(folder) / "cache"),  # cold: nothing kept before
                   "--json", str(output), str(PROOFS)]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
        wall = time.perf_counter() - start
        return CliRun(jobs, wall, json.loads(output.read_text()), done.returncode)


# --------------------------------------------------------------------------- per link


def link_results(report: dict) -> dict[tuple[str, str], dict]:
    """Each checked link of a JSON report, keyed like :class:`_links.Link` (id, label)."""
    found = {}
    for entry in report["derivations"]:
        ident = entry["id"]
        for step in entry["steps"]:
            found[(ident, f"step {step['index']}")] = step
        if entry["conclusion"]:
            found[(ident, "conclusion")] = entry["conclusion"]
        for correction in entry["corrected"]:
            for link in correction["checks"]:
                found[(ident, f"corrected {link['index']}")] = link
    return found


def _verdicts(report: dict) -> dict[tuple[str, str], str]:
    return {key: link["verdict"] for key, link in link_results(report).items()}


def differing_links(first: dict, second: dict) -> list[str]:
    a, b = _verdicts(first), _verdicts(second)
    return [f"{k[0]} {k[1]}: {a.get(k)} vs {b.get(k)}" for k in sorted(set(a) | set(b))
            if a.get(k) != b.get(k)]


# --------------------------------------------------------------------------- headline


def _per_derivation(report: dict) -> list[float]:
    return [entry["seconds"] for entry in report["derivations"]]


def headline_rows(serial: CliRun, parallel: CliRun) -> list[Row]:
    summary = serial.report["summary"]
    times = _per_derivation(serial.report)
    rows = []
    for run in (serial, parallel):
        meets = run.report["summary"]["meet_expectation"]
        rows.append(Row(f"`derive check -j {run.jobs}` over proofs/ "
                        f"({summary['derivations']} derivations)",
                        f"{seconds(run.wall)} wall", "-", "", f"< {GOAL_SECONDS:.0f} s",
                        run.wall < GOAL_SECONDS,
                        f"{meets} of {run.report['summary']['derivations']} meet their "
                        f"expectation; wall time of a fresh process, start-up included"))
    rows.append(Row("time per derivation (`-j 1`)",
                    f"mean {seconds(statistics.mean(times))}, median "
                    f"{seconds(statistics.median(times))}, max {seconds(max(times))}", "-"))
    differ = differing_links(serial.report, parallel.report)
    rows.append(Row(f"`-j {parallel.jobs}` against `-j 1`",
                    f"{seconds(parallel.wall)}", f"{seconds(serial.wall)}",
                    f"{serial.wall / parallel.wall:.2f}x faster", "same verdict on every link",
                    not differ, "; ".join(differ[:5]) or "every link has the same verdict"))
    return rows


def per_derivation_table(run: CliRun) -> str:
    rows = [[e["id"], e["expected"], e["verdict"], "yes" if e["meets_expectation"] else "NO",
             f"{e['seconds']:.2f}"] for e in run.report["derivations"]]
    return markdown_table(["derivation", "expected", "verdict", "meets", "seconds (-j 1)"], rows)


# --------------------------------------------------------------------------- ablation


def _timed_check(label: str) -> tuple[str, float, dict]:
    start = time.perf_counter()
    report = check_paths([PROOFS], jobs=1)
    return label, time.perf_counter() - start, report.to_dict()


def ablation() -> list[tuple[str, float, dict]]:
    """The same check in this process: the ladder before this work (no probe, no cache),
    with the refutation probe, with the cache (cold), and again with the warm cache."""
    runs = []
    with rung_cache.disabled():
        with refutation_probe_disabled():
            runs.append(_timed_check("no probe, no cache (the ladder before)"))
        runs.append(_timed_check("with the refutation probe"))
    rung_cache.clear()
    runs.append(_timed_check("with the probe and the cache (cold)"))
    cold = (rung_cache.hits, rung_cache.seconds_saved)
    runs.append(_timed_check("again in the same process (warm cache)"))
    warm = (rung_cache.hits - cold[0], rung_cache.seconds_saved - cold[1])
    runs.append(("cache statistics", 0.0, {"cold": cold, "warm": warm}))
    return runs


def ablation_table(runs) -> str:
    *checks, (_, _, stats) = runs
    _base_label, base_time, base_report = checks[0]
    rows = []
    for label, wall, report in checks:
        differ = differing_links(base_report, report)
        stronger = "" if not differ else f"{len(differ)} links differ: " + "; ".join(differ[:3])
        rows.append([label, seconds(wall), f"{base_time / wall:.2f}x",
                     str(report["summary"]["meet_expectation"]), stronger or "same verdicts"])
    table = markdown_table(["configuration (one process, -j 1)", "time", "speed-up",
                            "meet expectation", "verdicts against the first row"], rows)
    cold_hits, cold_saved = stats["cold"]
    warm_hits, warm_saved = stats["warm"]
    return (table + f"\n\nCache: {cold_hits} rung answers reused within one cold run "
            f"(saving {cold_saved:.1f} s of rung time); {warm_hits} reused when the same "
            f"derivations are checked again in the process (saving {warm_saved:.1f} s).")


# --------------------------------------------------------------------------- plain simplify


def plain_simplify(links: list[Link], timeout: float) -> list[tuple[str, float]]:
    """``proved``, ``undecided`` or ``timed out`` for each link, and the seconds it took."""
    results = []
    for link in links:
        start = time.perf_counter()
        outcome = run_with_timeout(plain_simplify_is_zero, (link.lhs, link.rhs), timeout)
        elapsed = time.perf_counter() - start - outcome.startup
        if outcome.timed_out:
            results.append(("timed out", elapsed))
        else:
            results.append(("proved" if outcome.ok and outcome.value else "undecided", elapsed))
    return results


def identity_table(links: list[Link], serial: CliRun, timeout: float) -> tuple[str, str]:
    ours = link_results(serial.report)
    mine = [ours[(link.derivation, link.label)] for link in links]
    plain = plain_simplify(links, timeout)
    derive_counts = Counter(r["verdict"] for r in mine)
    plain_counts = Counter(verdict for verdict, _ in plain)
    derive_times = [r["seconds"] for r in mine]
    plain_times = [t for _, t in plain]
    undecided = derive_counts["inconclusive"]
    rows = [
        ["derive (`check_relation`, budget per derivation, 5 s default)",
         str(derive_counts["proved"]), str(derive_counts["refuted"]),
         str(derive_counts["numerically-verified"]), str(undecided), "-",
         seconds(sum(derive_times)), seconds(statistics.median(derive_times))],
        [f"plain `sympy.simplify(lhs - rhs) == 0` ({timeout:g} s limit per link)",
         str(plain_counts["proved"]), "0 (it cannot refute)", "-",
         str(plain_counts["undecided"] + plain_counts["timed out"]),
         str(plain_counts["timed out"]), seconds(sum(plain_times)),
         seconds(statistics.median(plain_times))],
    ]
    table = markdown_table(["checker", "proved", "refuted", "numerically verified",
                            "undecided", "of which timed out", "total time", "median per link"],
                           rows)
    return table, _disagreements(links, mine, plain)


def _disagreements(links, mine, plain) -> str:
    relations = Counter(str(link.relation) for link in links)
    triples = [(link, m, p) for link, m, (p, _) in zip(links, mine, plain, strict=False)]
    only_plain = [f"{link.derivation} {link.label}" for link, m, p in triples
                  if p == "proved" and m["verdict"] != "proved"]
    refuted_claimed = [f"{link.derivation} {link.label}" for link, m, p in triples
                       if p == "proved" and m["verdict"] == "refuted"]
    lines = [f"{len(links)} links: " + ", ".join(f"{n} with relation `{r}`"
                                                 for r, n in relations.items()) + ".",
             ("Plain simplify treats every link as an equation `lhs - rhs = 0`, so it can only "
             "prove `=` links (or links whose sides happen to be equal); it never refutes, "
             "and it does not evaluate derive's expectation operators (`E`, `Var`).")]
    equalities = [(m, p) for link, m, p in triples if str(link.relation) == "="]
    true_ones = [p for m, p in equalities if m["verdict"] == "proved"]
    lines.append(f"On the {len(true_ones)} `=` links derive proved, plain simplify proved "
                 f"{true_ones.count('proved')}; on the "
                 f"{sum(m['verdict'] == 'refuted' for m, _ in equalities)} `=` links derive "
                 "refuted (each with a counterexample), plain simplify can only say undecided.")
    if only_plain:
        lines.append("Links plain simplify proved but derive did not prove: "
                     + "; ".join(only_plain) + ".")
    if refuted_claimed:
        lines.append("**Plain simplify 'proved' links derive refuted with a counterexample**: "
                     + "; ".join(refuted_claimed) + ".")
    return " ".join(lines)


def derive_section(quick: bool) -> dict:
    """Everything measured about ``derive check``; the pieces of the results file."""
    jobs = max(2, available_cores())
    serial, parallel = cli_run(1), cli_run(jobs)
    links = all_links([PROOFS])
    identity, remarks = identity_table(links, serial, 3.0 if quick else 10.0)
    section = {"rows": headline_rows(serial, parallel), "per_derivation":
               per_derivation_table(serial), "identity": identity, "identity_notes": remarks,
               "ablation": None}
    if not quick:
        section["ablation"] = ablation_table(ablation())
    return section
