r"""Softmax shift invariance, and why the shifted form cannot overflow.

Lecture notes, "Overflow & Underflow": softmax(z_i) = exp(z_i - z_max) /
sum_j exp(z_j - z_max), because the factor exp(-z_max) cancels; the shifted
numerator is at most exp(0) = 1 and the denominator holds a term exp(0) = 1.
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from derive import Comparison, CrossCheck, Derivation, Hypothesis, Source, Step, holds
from numeric.functions import naive_softmax, softmax

from ._notes import LECTURE_NOTES

SECTION = "Overflow & Underflow"

K = sp.Symbol("K", integer=True, positive=True)
i, j = sp.symbols("i j", integer=True, positive=True)
z = sp.IndexedBase("z", real=True)
z_max = sp.Symbol("z_max", real=True)
gap = sp.IndexedBase("d", nonnegative=True)  # z_max - z_j >= 0

# What the notes' LaTeX names mean: softmax itself, and z_i = z_max - d_i in the bounds.
SOFTMAX_NOTATION = {r"\text{softmax}": lambda entry: sp.exp(entry) / sp.Sum(
    sp.exp(entry.base[j]), (j, 1, K))}
SHIFTED_NOTATION = {"z": lambda k: z_max - gap[k], "z_max": z_max}


def _softmax(shift=0):
    return sp.exp(z[i] - shift) / sp.Sum(sp.exp(z[j] - shift), (j, 1, K))


# ---------------------------------------------------------------- cross-checks

_LARGE_SHIFTS = (-1e4, -1000.0, -800.0, 800.0, 1000.0, 1e4)


def _exact_softmax(vector: np.ndarray) -> np.ndarray:
    with mpmath.workdps(50):
        exps = [mpmath.exp(mpmath.mpf(float(v))) for v in vector]
        total = mpmath.fsum(exps)
        return np.array([float(e / total) for e in exps])


def _test_vectors(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [c + rng.normal(0.0, 3.0, size=5) for c in _LARGE_SHIFTS for _ in range(20)]


def shifted_matches_exact(seed: int) -> Comparison:
    """Largest relative error of the shifted softmax against 50-digit mpmath."""
    errors = [np.max(np.abs(softmax(v) - _exact_softmax(v)) / np.maximum(_exact_softmax(v), 1e-300))
              for v in _test_vectors(seed)]
    worst = float(max(errors))
    return Comparison(
        estimate=worst, expected=0.0, tolerance=1e-13,
        alternatives={"the naive formula's error (NaN counts as 1)": _naive_error(seed)},
        details=f"largest relative error over {len(errors)} vectors with |c| >= 800",
        data=_overflow_comparison(seed))


_PLOTTED_SHIFTS = (-1e4, -1000.0, -745.0, -700.0, -100.0, 0.0, 100.0, 700.0, 710.0, 1000.0, 1e4)
_ERROR_FLOOR = 1e-17  # a log axis cannot show an exact 0


def _relative_error(computed: np.ndarray, exact: np.ndarray) -> float:
    """Largest relative error, floored at 1e-17; NaN when the computation overflowed."""
    with np.errstate(all="ignore"):
        error = float(np.max(np.abs(computed - exact) / np.maximum(exact, 1e-300)))
    return max(error, _ERROR_FLOOR) if np.isfinite(error) else float("nan")


def _overflow_comparison(seed: int) -> dict:
    """Plot data: the naive and the shifted softmax's error at z = c + noise, against c."""
    offsets = np.random.default_rng(seed).normal(0.0, 3.0, size=5)
    naive, shifted = [], []
    for c in _PLOTTED_SHIFTS:
        exact = _exact_softmax(c + offsets)
        with np.errstate(all="ignore"):
            naive.append(_relative_error(naive_softmax(c + offsets), exact))
        shifted.append(_relative_error(softmax(c + offsets), exact))
    return {"plot": "curves", "x": list(_PLOTTED_SHIFTS), "logx": True, "logy": True,
            "curves": {"naive exp(z_i) / sum_j exp(z_j)": naive, "shifted by z_max": shifted},
            "title": "Softmax overflow: naive against shifted",
            "xlabel": "shift c (z = c + N(0, 9) noise, 5 entries)",
            "ylabel": "largest relative error (floor 1e-17)"}


def _naive_error(seed: int) -> float:
    worst = 0.0
    for v in _test_vectors(seed):
        naive = naive_softmax(v)
        if not np.all(np.isfinite(naive)):
            return 1.0
        worst = max(worst, float(np.max(np.abs(naive - _exact_softmax(v)))))
    return worst


def naive_fails_at_large_shifts(seed: int) -> Comparison:
    """Fraction of constant vectors z_i = c, |c| >= 800, where the naive formula breaks."""
    broken = []
    for c in _LARGE_SHIFTS:
        with np.errstate(all="ignore"):
            out = naive_softmax(np.full(4, c))
        broken.append(not np.allclose(out, 0.25))
    fraction = float(np.mean(broken))
    return Comparison(
        estimate=fraction, expected=1.0, tolerance=0.0,
        alternatives={"the naive formula is safe": 0.0},
        details="naive exp(c)/sum exp(c) at c in " + ", ".join(f"{c:g}" for c in _LARGE_SHIFTS))


def _bound_vectors(seed: int) -> list[np.ndarray]:
    """The |c| >= 800 vectors, and 200 vectors of N(0, 20^2) entries of 2 to 50 entries."""
    rng = np.random.default_rng([seed, 1])
    return _test_vectors(seed) + [rng.normal(0.0, 20.0, int(rng.integers(2, 51)))
                                  for _ in range(200)]


def shifted_numerator_at_most_one(seed: int) -> Comparison:
    """The largest shifted numerator exp(z_i - z_max) over many vectors: exactly exp(0) = 1."""
    vectors = _bound_vectors(seed)
    largest = max(float(np.max(np.exp(v - v.max()))) for v in vectors)
    with np.errstate(over="ignore"):
        by_mean = max(float(np.max(np.exp(v - v.mean()))) for v in vectors)
    return Comparison(
        estimate=largest, expected=1.0, tolerance=0.0,
        alternatives={"shifted by the mean of z instead of z_max (largest numerator)": by_mean},
        details=f"max over {len(vectors)} vectors and their entries of exp(z_i - z_max)")


def shifted_denominator_at_least_one(seed: int) -> Comparison:
    """Fraction of vectors whose shifted denominator sum_j exp(z_j - z_max) is finite and >= 1."""
    vectors = _bound_vectors(seed)
    with np.errstate(over="ignore", under="ignore"):
        shifted = [float(np.sum(np.exp(v - v.max()))) for v in vectors]
        unshifted = [float(np.sum(np.exp(v))) for v in vectors]

    def safe(values):
        return float(np.mean([np.isfinite(d) and d >= 1.0 for d in values]))
    return Comparison(
        estimate=safe(shifted), expected=1.0, tolerance=0.0,
        alternatives={"the unshifted denominator sum_j exp(z_j) (underflow or overflow)":
                      safe(unshifted)},
        details=f"{len(vectors)} vectors; smallest shifted denominator {min(shifted):.17g}")


# ---------------------------------------------------------------- derivations

# ---------------------------------------------------------------- hypotheses

REAL_ENTRIES = Hypothesis(r"z_1, \dots, z_K \in \mathbb{R}", quote=None,
                          note="z: IndexedBase(real=True); K: a positive integer symbol")
ANY_SHIFT = Hypothesis(r"z_{\max} \in \mathbb{R}", quote=None,
                       note="the cancellation holds for every real shift; the check does not "
                            "use that z_max is the largest entry")
SHIFT_IS_MAX = Hypothesis(r"z_{\max} = \max_j z_j", quote=r"z_{\max}",
                          note="z_j = z_max - d_j with d_j >= 0 (IndexedBase(nonnegative=True)); "
                               "the notes name it z_max without defining it")
MAX_ATTAINED = Hypothesis(r"z_K = z_{\max}", quote=None,
                          note="the maximum is one of the entries; reorder so that it is the last")


shift_invariance = Derivation(
    id="softmax-shift-invariance",
    notation=SOFTMAX_NOTATION,
    title="Softmax is invariant under the shift by z_max",
    source=Source(LECTURE_NOTES, SECTION,
                  r"\text{softmax}(z_i) &= \frac{\exp(z_i - z_{\max})}{\sum_{j} \exp(z_j - z_{\max})}"
                  r" = \frac{\exp(z_i) \exp(-z_{\max})}{\sum_{j} \exp(z_j) \exp(-z_{\max})}"
                  r" = \frac{\exp(z_i)}{\sum_{j} \exp(z_j)}"),
    start=Step(_softmax(), r"\text{softmax}(z_i)", "definition"),
    steps=[
        Step(_softmax(z_max), r"\frac{\exp(z_i - z_{\max})}{\sum_{j} \exp(z_j - z_{\max})}",
             "shift by z_max"),
        Step(sp.exp(z[i]) * sp.exp(-z_max) / sp.Sum(sp.exp(z[j]) * sp.exp(-z_max), (j, 1, K)),
             r"\frac{\exp(z_i) \exp(-z_{\max})}{\sum_{j} \exp(z_j) \exp(-z_{\max})}",
             "exp(a - b) = exp(a) exp(-b)"),
        Step(_softmax(), r"\frac{\exp(z_i)}{\sum_{j} \exp(z_j)}",
             "the constant factor exp(-z_max) leaves the sum and cancels"),
    ],
    expected=holds(),
    crosschecks=[
        CrossCheck("shifted softmax equals the exact value at |c| >= 800", shifted_matches_exact),
        CrossCheck("naive softmax overflows or underflows at |c| >= 800",
                   naive_fails_at_large_shifts),
    ],
    hypotheses=[REAL_ENTRIES, ANY_SHIFT],
)

numerator_at_most_one = Derivation(
    id="softmax-shifted-numerator-at-most-one",
    notation=SHIFTED_NOTATION,
    title="The shifted numerator is at most exp(0) = 1",
    source=Source(LECTURE_NOTES, SECTION, r"分子最多是 $\exp(0) = 1$,不會 overflow"),
    start=Step(sp.exp(z_max - gap[i] - z_max), r"\exp(z_i - z_{\max})",
               "z_i = z_max - d_i with d_i >= 0"),
    steps=[
        Step(sp.exp(-gap[i]), r"\exp(-d_i)"),
        Step(sp.S.One, r"\exp(0) = 1", "exp is increasing and -d_i <= 0", relation="<="),
    ],
    crosschecks=[CrossCheck("largest shifted numerator over random vectors",
                            shifted_numerator_at_most_one)],
    hypotheses=[REAL_ENTRIES, SHIFT_IS_MAX],
)

denominator_at_least_one = Derivation(
    id="softmax-shifted-denominator-at-least-one",
    title="The shifted denominator holds the term exp(0) = 1, so it is at least 1",
    source=Source(LECTURE_NOTES, SECTION, r"分母至少有一項是 $\exp(0) = 1$,不會為 0"),
    start=Step(sp.exp(z_max - z_max) + sp.Sum(sp.exp(-gap[j]), (j, 1, K - 1)),
               r"\sum_{j} \exp(z_j - z_{\max})",
               "order the entries so that z_K = z_max; z_j = z_max - d_j with d_j >= 0"),
    steps=[
        Step(1 + sp.Sum(sp.exp(-gap[j]), (j, 1, K - 1)),
             r"\exp(0) + \sum_{j < K} \exp(-d_j)"),
        Step(sp.S.One, r"1", "every other term is positive", relation=">="),
    ],
    crosschecks=[CrossCheck("shifted denominators of random vectors are at least 1",
                            shifted_denominator_at_least_one)],
    hypotheses=[REAL_ENTRIES, SHIFT_IS_MAX, MAX_ATTAINED],
)
