r"""Learning theory: the excess error as approximation plus estimation error, and how each
moves with the class F.

Lecture notes, "Bounding Methods": Epsilon = C(f_N) - C(f*) = (C(f_F*) - C(f*)) +
(C(f_N) - C(f_F*)), and "選越複雜的 F,Approximation Error 越小,但 Estimation Error 越大".

- The decomposition is an identity (add and subtract C(f_F*)).
- For squared loss and y = f*(x) + noise of variance sigma^2, C(f) = sigma^2 +
  E_x (f - f*)^2; with F a linear space (polynomials of degree <= p) f_F* is the
  L2(P_x) projection of f*, so C(f_N) - C(f*) = |f_F* - f*|^2 + |f_N - f_F*|^2
  (Pythagoras).  Nested classes: in an orthonormal basis (c_j the coefficients of f*),
  A_p = sum_{j > p} c_j^2, so A_p - A_{p+1} = c_{p+1}^2 >= 0: richer classes never have a
  larger approximation error (it need not fall strictly: it stays 0 once f* is in F).
- Estimation error: with a fixed design and least squares, the in-sample estimation error is
  sigma^2 (p + 1) / N exactly (the trace of the hat matrix), misspecified or not, so each
  added degree raises it by sigma^2 / N: the notes' claim holds there.  With a random design
  and a misspecified class, misspecification adds to the estimation error and a richer,
  well-specified class can have the smaller one (also visible in the curves of the
  approximation-error cross-check, where degree 3 beats degree 2).  An exact counterexample:
  x = +-1 with probability 1/2, y = a x + noise (variance sigma^2), N = 6, F_0 = constants,
  F_1 = {c + d x} (contains f*), least squares (minimum norm when every x_i is equal).
  F_0: f_F0* = 0 and f_N = y-bar, so its estimation error is E[y-bar^2] = (a^2 + sigma^2)/N.
  F_1: f_N is the mean of y in each cell when both are filled (N_+ = k points at x = 1, with
  probability C(N, k) / 2^N), giving sigma^2 (1/k + 1/(N - k)) / 2; when all x_i are equal
  (probability 2^{1-N}) it is y-bar at the observed point and 0 at the other, giving
  (sigma^2 / N + a^2) / 2.  The difference is (877 sigma^2 - 580 a^2) / 3840: negative, the
  richer class estimating better, once a^2 > 1.51 sigma^2.  What holds instead: the noise
  part (the sigma^2 coefficient) grows, and the richer class can be better by at most
  a^2 (1/N - 2^{-N}), the misspecification the smaller class carries into its estimate.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive import (
    Comparison,
    Correction,
    CrossCheck,
    Derivation,
    E,
    Hypothesis,
    Source,
    Step,
    erratum,
    iid_sample,
)
from numeric.montecarlo import estimate

from ._notes import LECTURE_NOTES

SECTION = "Bounding Methods"
DECOMPOSITION_QUOTE = r"\Epsilon = (C(f_F^*) - C(f^*)) + (C(f_N) - C(f_F^*))"
TRADE_OFF_QUOTE = "選越複雜的 $F$,Approximation Error 越小,但 Estimation Error 越大"

C_N, C_F, C_star = sp.symbols("C_N C_F C_star", real=True)
F_N, F_CLASS, F_STAR = sp.symbols("f_N f_F^* f^*")  # the learned, best-in-class, best functions

SQUARED_LOSS = Hypothesis(r"\text{loss} = (y - f(x))^2, \; y = f^*(x) + \epsilon, \; "
                          r"\text{Var}[\epsilon] = \sigma^2", quote=None,
                          note="the setting of 'Decomposing Generalization Error'")
POLYNOMIAL_CLASSES = Hypothesis(r"F_p = \{\text{polynomials of degree} \le p\}", quote=None,
                                note="nested linear classes; f_N by least squares")

# ---------------------------------------------------------------- the simulated problem

NOISE_SD, SIZE, DEGREE = 0.5, 25, 1
NODES, QUADRATURE_WEIGHTS = np.polynomial.legendre.leggauss(60)   # x ~ U(-1, 1): weights / 2


def truth(x: np.ndarray) -> np.ndarray:
    """f*(x) = sin(3x) + 0.5 |x|, x ~ U(-1, 1): in no polynomial class."""
    return np.sin(3 * x) + 0.5 * np.abs(x)


def _projection(degree: int) -> np.ndarray:
    """Legendre coefficients of f_F*, the L2(U(-1, 1)) projection of f* on degree <= p."""
    basis = np.polynomial.legendre.legvander(NODES, degree)
    gram = basis.T @ (basis * QUADRATURE_WEIGHTS[:, None])
    return np.linalg.solve(gram, basis.T @ (QUADRATURE_WEIGHTS * truth(NODES)))


def _l2_squared(values: np.ndarray) -> float:
    """E_x values(x)^2 for x ~ U(-1, 1), by Gauss-Legendre quadrature."""
    return float(QUADRATURE_WEIGHTS @ values**2 / 2)


def approximation_error(degree: int) -> float:
    fitted = np.polynomial.legendre.legval(NODES, _projection(degree))
    return _l2_squared(fitted - truth(NODES))


def _fit(rng: np.random.Generator, degree: int) -> np.ndarray:
    x = rng.uniform(-1, 1, SIZE)
    y = truth(x) + NOISE_SD * rng.standard_normal(SIZE)
    return np.linalg.lstsq(np.polynomial.legendre.legvander(x, degree), y, rcond=None)[0]


def _estimation_error(rng: np.random.Generator, degree: int) -> float:
    gap = np.polynomial.legendre.legval(NODES, _fit(rng, degree) - _projection(degree))
    return _l2_squared(gap)


def _excess_minus_estimation(rng: np.random.Generator, size: int) -> np.ndarray:
    """Per data set: (mean test loss over 400 fresh (x, y)) - sigma^2 - |f_N - f_F*|^2."""
    out = np.empty(size)
    for row in range(size):
        coef = _fit(rng, DEGREE)
        x = rng.uniform(-1, 1, 400)
        y = truth(x) + NOISE_SD * rng.standard_normal(400)
        test_loss = float(np.mean((y - np.polynomial.legendre.legval(x, coef)) ** 2))
        out[row] = test_loss - NOISE_SD**2 - _estimation_error_of(coef)
    return out


def _estimation_error_of(coef: np.ndarray) -> float:
    return _l2_squared(np.polynomial.legendre.legval(NODES, coef - _projection(DEGREE)))


def decomposition_by_test_error(seed: int) -> Comparison:
    """E[C(f_N)] - C(f*) measured on fresh test data, minus the estimation error, against the
    approximation error computed by quadrature (degree 3, N = 25)."""
    result = estimate(_excess_minus_estimation, 600, seed=seed, chunk_size=200)
    return Comparison(estimate=float(result.mean), stderr=float(result.stderr),
                      expected=approximation_error(DEGREE),
                      alternatives={"no approximation term: 0": 0.0},
                      details=f"degree {DEGREE}, N = {SIZE}, sigma = {NOISE_SD}; 600 data sets, "
                              f"400 test points each")


def approximation_error_falls(seed: int) -> Comparison:
    """The largest increase of A_p over p = 0..8 (quadrature), with Monte Carlo estimation
    errors for the curves."""
    degrees = list(range(9))
    approximation = [approximation_error(p) for p in degrees]
    rng = np.random.default_rng(seed)
    estimation = [float(np.mean([_estimation_error(rng, p) for _ in range(100)]))
                  for p in degrees]
    return Comparison(estimate=float(max(np.diff(approximation).max(), 0.0)), expected=0.0,
                      tolerance=1e-12,
                      alternatives={"A_0 - A_8 (were A increasing)":
                                    approximation[0] - approximation[-1]},
                      details="A_p by 60-point Gauss-Legendre quadrature",
                      data={"plot": "curves", "x": degrees, "logy": True,
                            "curves": {"approximation error A_p": approximation,
                                       "estimation error (100 data sets)": estimation},
                            "xlabel": "degree p", "ylabel": "error"})


FIXED_SIZE, FIXED_DEGREE, FIXED_REPLICATES = 20, 3, 20_000
FIXED_X = np.linspace(-1, 1, FIXED_SIZE)


def _in_sample_estimation_error(rng: np.random.Generator, size: int) -> np.ndarray:
    """|X (w_hat - w_F)|^2 / N for a fixed design; w_F the least-squares fit to f*(x_i)."""
    design = np.polynomial.legendre.legvander(FIXED_X, FIXED_DEGREE)
    hat = design @ np.linalg.pinv(design)
    noise = NOISE_SD * rng.standard_normal((size, FIXED_SIZE))
    return np.sum((noise @ hat) ** 2, axis=1) / FIXED_SIZE


def fixed_design_estimation_error(seed: int) -> Comparison:
    result = estimate(_in_sample_estimation_error, FIXED_REPLICATES, seed=seed)
    p1 = FIXED_DEGREE + 1
    return Comparison(estimate=float(result.mean), stderr=float(result.stderr),
                      expected=NOISE_SD**2 * p1 / FIXED_SIZE,
                      alternatives={"sigma^2 p / N (no intercept)":
                                    NOISE_SD**2 * FIXED_DEGREE / FIXED_SIZE,
                                    "sigma^2 (p + 2) / N (one more degree)":
                                    NOISE_SD**2 * (p1 + 1) / FIXED_SIZE},
                      details=f"degree {FIXED_DEGREE}, N = {FIXED_SIZE} equispaced inputs, "
                              f"f* misspecified; {FIXED_REPLICATES} noise draws")


# ---------------------------------------------------------------- derivations

excess_decomposition = Derivation(
    id="excess-error-decomposition",
    title="Excess error = approximation error + estimation error",
    source=Source(LECTURE_NOTES, SECTION, DECOMPOSITION_QUOTE),
    start=Step(C_N - C_star, r"C(f_N) - C(f^*)"),
    steps=[Step((C_F - C_star) + (C_N - C_F), r"(C(f_F^*) - C(f^*)) + (C(f_N) - C(f_F^*))",
                "add and subtract C(f_F*)")],
    hypotheses=[Hypothesis(r"C(f_F^*) = \min_{f \in F} C[f] \text{ is finite}", quote=None)],
    crosschecks=[CrossCheck("test error minus estimation error is the approximation error",
                            decomposition_by_test_error)],
    notation={"C": lambda f: {F_N: C_N, F_CLASS: C_F, F_STAR: C_star}[f], "f_N": F_N,
              "f^*": F_STAR, "f_F^*": F_CLASS},
)

c = sp.IndexedBase("c", real=True)
j = sp.Symbol("j", integer=True)
p = sp.Symbol("p", integer=True, nonnegative=True)
M = sp.Symbol("M", integer=True, positive=True)

approximation_monotone = Derivation(
    id="approximation-error-falls-with-richer-class",
    title="Nested polynomial classes: A_p - A_{p+1} = c_{p+1}^2 >= 0",
    source=Source(LECTURE_NOTES, SECTION, TRADE_OFF_QUOTE),
    start=Step(sp.Sum(c[j] ** 2, (j, p + 1, p + M)) - sp.Sum(c[j] ** 2, (j, p + 2, p + M)),
               r"\sum_{j = p + 1}^{p + M} c_j^2 - \sum_{j = p + 2}^{p + M} c_j^2",
               "A_p = |f* - f_{F_p}*|^2 = sum_{j > p} c_j^2 (Parseval; f* of degree <= p + M)"),
    steps=[Step(c[p + 1] ** 2, r"c_{p + 1}^2"),
           Step(sp.Integer(0), r"0", "equality when c_{p+1} = 0: richer is not always strictly "
                                     "better", relation=">=")],
    hypotheses=[SQUARED_LOSS, POLYNOMIAL_CLASSES,
                Hypothesis(r"f^* = \sum_j c_j \phi_j, \; \{\phi_j\} \text{ orthonormal in } "
                           r"L^2(P_x)", quote=None)],
    crosschecks=[CrossCheck("approximation error against the degree", approximation_error_falls)],
)

sigma = sp.Symbol("sigma", positive=True)
N = sp.Symbol("N", integer=True, positive=True)

estimation_fixed_design = Derivation(
    id="estimation-error-rises-with-degree-fixed-design",
    title="Fixed design: the in-sample estimation error sigma^2 (p + 1) / N rises by sigma^2/N "
          "per degree",
    source=Source(LECTURE_NOTES, SECTION, TRADE_OFF_QUOTE),
    start=Step(sigma**2 * (p + 2) / N - sigma**2 * (p + 1) / N,
               r"\frac{\sigma^2 (p + 2)}{N} - \frac{\sigma^2 (p + 1)}{N}",
               "E|H epsilon|^2 / N = sigma^2 tr(H) / N, tr(H) = p + 1 for a hat matrix of rank "
               "p + 1"),
    steps=[Step(sigma**2 / N, r"\frac{\sigma^2}{N}"),
           Step(sp.Integer(0), r"0", relation=">")],
    hypotheses=[SQUARED_LOSS, POLYNOMIAL_CLASSES,
                Hypothesis(r"x_1, \dots, x_N \text{ fixed}, \; N > p + 1 \text{ distinct}",
                           quote=None, note="the claim is about in-sample error; with random "
                                            "design and misspecification it can fail")],
    crosschecks=[CrossCheck("Monte Carlo in-sample estimation error",
                            fixed_design_estimation_error)],
)

# ---------------------------------------------------------------- random design: a counterexample

CELLS = 6
a = sp.Symbol("a", real=True)
k = sp.Symbol("k", integer=True, positive=True)
rademacher = iid_sample("x", CELLS, mean=0, variance=1)
noise = iid_sample("epsilon", CELLS, mean=0, variance=sigma**2)
i = sp.Symbol("i", integer=True, positive=True)
mean_label = sp.Sum(a * rademacher[i] + noise[i], (i, 1, CELLS)) / CELLS
HALF = sp.Rational(1, 2)
FILLED_CELLS = sp.Sum(sp.binomial(CELLS, k) * HALF**CELLS * (1 / k + 1 / (CELLS - k)) / 2,
                      (k, 1, CELLS - 1))
RICH_ESTIMATION = sigma**2 * FILLED_CELLS + 2 * HALF**CELLS * (sigma**2 / CELLS + a**2) / 2
NOISE_COEFFICIENT = FILLED_CELLS.doit() + HALF**CELLS / CELLS - sp.Rational(1, CELLS)
MISSPECIFICATION = sp.Rational(1, CELLS) - HALF**CELLS

SIGNAL, CELL_NOISE, CELL_REPLICATES = 1.0, 0.5, 20_000


def _estimation_gap_draws(rng: np.random.Generator, size: int) -> np.ndarray:
    """Per data set: |f_N^{F_1} - f*|^2 - |f_N^{F_0} - 0|^2 under x = +-1 equally likely,
    with f_N^{F_1} the minimum-norm least-squares fit on the features (1, x)."""
    x = rng.choice([-1.0, 1.0], size=(size, CELLS))
    y = SIGNAL * x + CELL_NOISE * rng.standard_normal((size, CELLS))
    design = np.stack([np.ones_like(x), x], axis=2)
    coef = np.einsum("rij,rj->ri", np.linalg.pinv(design), y)
    rich = ((coef[:, 0] + coef[:, 1] - SIGNAL) ** 2 + (coef[:, 0] - coef[:, 1] + SIGNAL) ** 2) / 2
    return rich - y.mean(axis=1) ** 2


def random_design_estimation_gap(seed: int) -> Comparison:
    result = estimate(_estimation_gap_draws, CELL_REPLICATES, seed=seed)
    exact = float((RICH_ESTIMATION.doit() - (a**2 + sigma**2) / CELLS)
                  .subs({a: SIGNAL, sigma: CELL_NOISE}))
    return Comparison(estimate=float(result.mean), stderr=float(result.stderr), expected=exact,
                      alternatives={"the notes: no smaller than 0": 0.0},
                      details=f"N = {CELLS}, a = {SIGNAL}, sigma = {CELL_NOISE}; "
                              f"{CELL_REPLICATES} data sets, numpy.linalg.pinv fits")


estimation_error_random_design = Derivation(
    id="estimation-error-can-fall-with-richer-class",
    title="Random design: the richer, well-specified class F_1 can have the smaller estimation "
          "error",
    source=Source(LECTURE_NOTES, SECTION, TRADE_OFF_QUOTE),
    start=Step(RICH_ESTIMATION - E(mean_label**2, rademacher, noise),
               r"\mathbb{E}[|f_N^{F_1} - f_{F_1}^*|^2] - \mathbb{E}[|f_N^{F_0} - "
               r"f_{F_0}^*|^2]",
               "F_1: cell means, or y-bar and 0 when all x_i are equal; F_0: f_N = y-bar, "
               "f_F0* = E f*(x) = 0"),
    steps=[Step(sigma**2 * NOISE_COEFFICIENT - a**2 * MISSPECIFICATION,
                r"\frac{877}{3840} \sigma^2 - \frac{29}{192} a^2"),
           Step(sp.Integer(0), r"0", "the notes: the richer class has the larger estimation "
                                      "error", relation=">=")],
    expected=erratum(Correction(
        2, Step(-a**2 * MISSPECIFICATION, r"-a^2 \left(\frac{1}{N} - \frac{1}{2^N}\right)",
                relation=">="),
        "false once a^2 > 1.51 sigma^2: the smaller class's estimate carries its "
        "misspecification (a^2/N of it), which the richer, well-specified class avoids.  What "
        "holds: the noise part grows with the class (sigma^2 coefficient 877/3840 >= 0), so "
        "the richer class is better by at most a^2 (1/N - 2^{-N})")),
    hypotheses=[SQUARED_LOSS,
                Hypothesis(r"F_0 = \{c\} \subset F_1 = \{c + d x\}", quote=TRADE_OFF_QUOTE),
                Hypothesis(r"x = \pm 1 \text{ with probability } \frac{1}{2}, \; f^*(x) = a x, "
                           r"\; N = 6", quote=None,
                           note="a random design; least squares with the minimum-norm "
                                "solution when all x_i are equal")],
    crosschecks=[CrossCheck("Monte Carlo estimation errors of both classes",
                            random_design_estimation_gap)],
    notation={"N": CELLS},
)
