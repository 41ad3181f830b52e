r"""How many weights a polynomial model of degree P in d variables has: C(d + P, P).

Lecture notes, "Data Augmentation": "[HW] How many variables to solve in $w$ for a
polynomial regression problem with degree $P$".  A polynomial of degree at most P in
x in R^d has one weight per monomial x_1^{a_1} ... x_d^{a_d} with a_1 + ... + a_d <= P.
By stars and bars there are C(k + d - 1, d - 1) monomials of degree exactly k, and the
hockey-stick identity sums them to C(d + P, P) (the constant, i.e. the bias b, included).
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from derive import Comparison, CrossCheck, Derivation, Hypothesis, Source, Step

from ._notes import LECTURE_NOTES

SECTION = "Data Augmentation"
QUOTE = (r"[HW] How many variables to solve in $w$ for a polynomial regression problem with "
         r"degree $P$")

d = sp.Symbol("d", integer=True, positive=True)
P = sp.Symbol("P", integer=True, positive=True)
k = sp.Symbol("k", integer=True, nonnegative=True)

HYPOTHESES = [
    Hypothesis(r"x \in \mathbb{R}^d", quote=r"$x_i \in \mathbb{R}^d$ 是特徵向量"),
    Hypothesis(r"f(x) = \sum_{a_1 + \dots + a_d \le P} w_a x_1^{a_1} \cdots x_d^{a_d}",
               quote=None, note="all monomials of total degree at most P, the constant included"),
]

# ---------------------------------------------------------------- cross-check: count them

GRID = [(d_, p_) for d_ in range(1, 7) for p_ in range(1, 7)]


def _monomials(dimension: int, degree: int) -> int:
    """Exponent vectors a in {0..P}^d with sum(a) <= P, enumerated one by one."""
    exponents = np.indices((degree + 1,) * dimension).reshape(dimension, -1)
    return int(np.count_nonzero(exponents.sum(axis=0) <= degree))


def _worst(formula) -> float:
    return float(max(abs(_monomials(d_, p_) - formula(d_, p_)) for d_, p_ in GRID))


def count_monomials(seed: int) -> Comparison:
    """Enumerate the exponent vectors for d, P = 1..6 and compare with C(d + P, P)."""
    del seed
    return Comparison(
        estimate=_worst(lambda d_, p_: math.comb(d_ + p_, p_)), expected=0.0, tolerance=0.5,
        alternatives={"d P + 1 (no cross terms)": _worst(lambda d_, p_: d_ * p_ + 1),
                      "(P + 1)^d (each exponent up to P)": _worst(lambda d_, p_: (p_ + 1) ** d_)},
        details="max over d, P in 1..6 of |enumerated count - formula|")


# ---------------------------------------------------------------- derivations

polynomial_weight_count = Derivation(
    id="polynomial-model-weight-count",
    title="A polynomial model of degree P in d variables has C(d + P, P) weights",
    source=Source(LECTURE_NOTES, SECTION, QUOTE),
    start=Step(sp.Sum(sp.binomial(k + d - 1, d - 1), (k, 0, P)),
               r"\sum_{k=0}^{P} \binom{k + d - 1}{d - 1}",
               "stars and bars: C(k + d - 1, d - 1) monomials of degree exactly k"),
    steps=[Step(sp.binomial(d + P, P), r"\binom{d + P}{P}", "the hockey-stick identity")],
    hypotheses=HYPOTHESES,
    crosschecks=[CrossCheck("enumerated monomials against the formula", count_monomials)],
)

polynomial_weight_count_induction = Derivation(
    id="polynomial-model-weight-count-induction",
    title="Degree at most P = degree at most P - 1 plus degree exactly P (Pascal's rule)",
    source=Source(LECTURE_NOTES, SECTION, QUOTE),
    start=Step(sp.binomial(d + P - 1, P - 1) + sp.binomial(P + d - 1, d - 1),
               r"\binom{d + P - 1}{P - 1} + \binom{P + d - 1}{d - 1}",
               "the monomials of degree at most P - 1 (induction hypothesis) and those of "
               "degree exactly P (stars and bars)"),
    steps=[Step(sp.binomial(d + P, P), r"\binom{d + P}{P}", "Pascal's rule")],
    hypotheses=HYPOTHESES,
    crosschecks=[CrossCheck("enumerated monomials against the formula", count_monomials)],
)
