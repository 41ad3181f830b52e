r"""The truncated Fourier series as the best L^2 approximation, as a network, and its limits.

Assignment, "Unanswered questions in assignment 04": "among all functions with the same
frequency basis, the truncated Fourier series provides the best L^2 approximation by the
projection theorem", said of a target that is "periodic and sufficiently smooth".

- The functions 1, cos(k x), sin(k x) are orthogonal on [-pi, pi) for integers (proved for
  symbolic integers j != k), with squared norms 2 pi, pi, pi.
- Hence for every square-integrable f and every trigonometric polynomial p of degree K,
  ||f - p||^2 = ||f - S_K f||^2 + ||S_K f - p||^2 (proved for symbolic K): S_K f is the best
  L^2 approximation.  Smoothness is not needed: square-integrability is what the projection
  theorem uses.  The cross-check is on a square wave, which has jumps.
- Least squares on the sin/cos features recovers the Fourier coefficients.

"Unanswered questions in assignment 06":

- "f(x) = sum_{k=0}^K a_k cos(kx) + b_k sin(kx) [...] has only 2K hidden units" is an
  erratum: k = 0 gives the constant cos(0 x) = 1 and the zero function sin(0 x), so the
  network has 2K + 1 non-zero units (or 2K and an output bias, which W_2 sigma(W_1 x) lacks),
  and 2K units of the family cannot represent a generic f (the 2K + 1 are orthogonal).
- "it is best in L^2 sense for periodic smooth functions. But Not best for highly non-smooth
  targets (Gibbs phenomenon.)" is an erratum in the L^2 sense of the sentence: S_K f is the
  best L^2 approximation of every square-integrable f, smooth or not.  What non-smoothness
  changes is the decay of the coefficients (exponential for an analytic f, k^-2 for a kink,
  k^-1 for a jump) and the overshoot near a jump: the Gibbs overshoot of the partial sums of
  a square wave tends to Si(pi)/pi - 1/2 = 0.0895 of the jump, not to 0.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import scipy.integrate
import scipy.special
import sympy as sp

from derive import (
    Comparison,
    Correction,
    CrossCheck,
    Derivation,
    Hypothesis,
    Source,
    Step,
    erratum,
)
from numeric import fourier, linear
from numeric.rates import fit_power_law

from ._notes import ASSIGNMENT

SECTION_04 = "Unanswered questions in assignment 04"
SECTION_06 = "Unanswered questions in assignment 06"
BEST_QUOTE = ("Specifically, among all functions with the same frequency basis, the truncated "
              "Fourier series provides the **best L^2 approximation** by the projection theorem.")
SMOOTH_QUOTE = ("Yes. If the target function is periodic and sufficiently smooth, the **Fourier "
                "Series** is theoretically the optimal approximation in the L^2 sense.")
UNITS_QUOTE = "This network is extremely shallow and has only $2K$ hidden units."
NOT_BEST_QUOTE = ("In fact, it is best in L^2 sense for periodic smooth functions. But Not best "
                  "for highly non-smooth targets (Gibbs phenomenon.(Gibbs 現象: 不連續點處的震盪現象))")

HALF = sp.Rational(1, 2)
x, u = sp.symbols("x u", real=True)
k = sp.Symbol("k", integer=True, nonnegative=True)       # every frequency, 0 included
m = sp.Symbol("k", integer=True, positive=True)          # a frequency k >= 1
d = sp.Symbol("d", integer=True, positive=True)          # j = k + d != k
PI = sp.pi

INTEGERS = Hypothesis(r"j, k \in \mathbb{Z}_{\ge 0}, \; j = k + d, \; d \ge 1", None,
                      "frequencies are integers (the period is 2 pi); j != k is written j = k + d")
SQUARE_INTEGRABLE = Hypothesis(
    r"f \in L^2(-\pi, \pi), \; \|f\|^2 = \int_{-\pi}^{\pi} f^2 < \infty", None,
    "the only hypothesis the projection theorem needs; the notes ask for 'periodic and "
    "sufficiently smooth', which is more than needed")


def _over_period(integrand: sp.Expr) -> sp.Integral:
    return sp.Integral(integrand, (x, -PI, PI))


# ================================================================ orthogonality


GRAM_DEGREE = 3


def _basis_value(index: int, t: float) -> float:
    """phi_index(t) for the basis 1, cos x, ..., cos K x, sin x, ..., sin K x (index 0..2K)."""
    if index == 0:
        return 1.0
    if index <= GRAM_DEGREE:
        return math.cos(index * t)
    return math.sin((index - GRAM_DEGREE) * t)


def gram_by_quadrature(seed: int) -> Comparison:
    """int_(-pi)^pi phi_i phi_j by adaptive quadrature (scipy.integrate.quad) for K = 3."""
    size = 2 * GRAM_DEGREE + 1
    gram = np.array([[scipy.integrate.quad(
        lambda t, i=i, j=j: _basis_value(i, t) * _basis_value(j, t), -np.pi, np.pi,
        limit=200)[0] for j in range(size)] for i in range(size)])
    claimed = np.diag([2 * np.pi] + [np.pi] * (size - 1))
    return Comparison(
        estimate=float(np.max(np.abs(gram - claimed))), expected=0.0, tolerance=1e-10,
        alternatives={"squared norms 2 pi for every basis function":
                      float(np.max(np.abs(gram - 2 * np.pi * np.eye(size))))},
        details=f"the Gram matrix of 1, cos kx, sin kx (k <= {GRAM_DEGREE}) by quadrature; "
                f"largest off-diagonal entry {np.max(np.abs(gram - np.diag(np.diag(gram)))):.1e}")


COEFFICIENT_NAMES = {name: sp.Symbol(name, real=True) for name in ("a_k", "b_k")}


def _orthogonality(name: str, integrand: sp.Expr, integrand_latex: str, sign: int
                   ) -> Derivation:
    """int_{-pi}^{pi} integrand = F(pi) - F(-pi) = 0 for the antiderivative F of product-to-sum."""
    antiderivative = (sp.sin(d * x) / (2 * d)
                      + sign * sp.sin((2 * k + d) * x) / (2 * (2 * k + d)))
    sign_latex = "+" if sign > 0 else "-"
    F_latex = (rf"F(x) = \frac{{\sin(d x)}}{{2 d}} {sign_latex} "
               rf"\frac{{\sin((2 k + d) x)}}{{2 (2 k + d)}}")
    return Derivation(
        id=f"fourier-{name}-orthogonal",
        title=f"{name.replace('-', '(kx) ')}((k + d) x) integrates to 0 over a period",
        source=Source(ASSIGNMENT, SECTION_04, BEST_QUOTE),
        start=Step(sp.Matrix([sp.Derivative(antiderivative, x),
                              antiderivative.subs(x, PI) - antiderivative.subs(x, -PI)]),
                   rf"\left(F'(x), \; F(\pi) - F(-\pi)\right), \quad {F_latex}",
                   "F is an antiderivative of the product (product-to-sum: cos A cos B, "
                   "sin A sin B = (cos(A - B) +- cos(A + B)) / 2), so the integral over a period "
                   "is F(pi) - F(-pi)"),
        steps=[Step(sp.Matrix([integrand, 0]), rf"\left({integrand_latex}, \; 0\right)",
                    "sin(n pi) = 0 for every integer n: int_(-pi)^pi " + integrand_latex
                    + " dx = 0")],
        hypotheses=[INTEGERS],
        crosschecks=[CrossCheck("Gram matrix of the basis by quadrature", gram_by_quadrature)],
    )


cos_cos_orthogonal = _orthogonality(
    "cos-cos", sp.cos(k * x) * sp.cos((k + d) * x), r"\cos(k x) \cos((k + d) x)", +1)

sin_sin_orthogonal = _orthogonality(
    "sin-sin", sp.sin(k * x) * sp.sin((k + d) * x), r"\sin(k x) \sin((k + d) x)", -1)

j_any = sp.Symbol("j", integer=True, nonnegative=True)

def _sin_cos(v: sp.Expr) -> sp.Expr:
    return sp.sin(j_any * v) * sp.cos(k * v)


sin_cos_orthogonal = Derivation(
    id="fourier-sin-cos-orthogonal",
    title="sin(j x) cos(k x) is odd, so it integrates to 0 over [-pi, pi] for all j, k",
    source=Source(ASSIGNMENT, SECTION_04, BEST_QUOTE),
    start=Step(_sin_cos(x) + _sin_cos(-x),
               r"g(x) + g(-x), \quad g(x) = \sin(j x) \cos(k x)",
               "int_(-pi)^pi g = int_0^pi (g(x) + g(-x)) dx"),
    steps=[Step(sp.S.Zero, "0", "g is odd: int_(-pi)^pi sin(j x) cos(k x) dx = 0")],
    hypotheses=[INTEGERS],
    notation={"j": j_any, "k": k, "x": x},
    crosschecks=[CrossCheck("Gram matrix of the basis by quadrature", gram_by_quadrature)],
)

basis_norms = Derivation(
    id="fourier-basis-squared-norms",
    title="||1||^2 = 2 pi, ||cos k x||^2 = ||sin k x||^2 = pi for k >= 1",
    source=Source(ASSIGNMENT, SECTION_04, BEST_QUOTE),
    start=Step(sp.Matrix([_over_period(sp.S.One), _over_period(sp.cos(m * x) ** 2),
                          _over_period(sp.sin(m * x) ** 2)]),
               r"\left(\int_{-\pi}^{\pi} 1 \, dx, \; \int_{-\pi}^{\pi} \cos^2(k x) \, dx, \; "
               r"\int_{-\pi}^{\pi} \sin^2(k x) \, dx\right)"),
    steps=[Step(sp.Matrix([2 * PI, PI, PI]), r"\left(2 \pi, \; \pi, \; \pi\right)",
                "so a_0 = <f, 1> / 2 pi, a_k = <f, cos k x> / pi, b_k = <f, sin k x> / pi")],
    hypotheses=[Hypothesis(r"k \in \mathbb{Z}, \; k \ge 1", None)],
    notation=COEFFICIENT_NAMES,
    crosschecks=[CrossCheck("Gram matrix of the basis by quadrature", gram_by_quadrature)],
)


# ================================================================ best approximation

M = sp.Symbol("M", integer=True, positive=True)       # M = 2K + 1 basis functions
i = sp.Symbol("i", integer=True, positive=True)
coef = sp.IndexedBase(r"\hat{a}", real=True)           # Fourier coefficients <f, phi_i> / n_i
c = sp.IndexedBase("c", real=True)                     # coefficients of p
norm2 = sp.IndexedBase("n", positive=True)             # ||phi_i||^2 in {2 pi, pi}
f_norm2 = sp.Symbol(r"\|f\|^2", positive=True)


def _basis_sum(term: sp.Expr) -> sp.Sum:
    return sp.Sum(term, (i, 1, M))


ERROR_OF_P = f_norm2 - 2 * _basis_sum(c[i] * coef[i] * norm2[i]) + _basis_sum(c[i] ** 2 * norm2[i])
ERROR_OF_P_LATEX = (r"\|f - p\|^2 = \|f\|^2 - 2 \sum_{i=1}^{M} c_i \hat{a}_i n_i "
                    r"+ \sum_{i=1}^{M} c_i^2 n_i")
NORM_NOTATION = {"f": sp.sqrt(f_norm2)}    # the lines use f only through ||f||^2
ERROR_OF_SK = f_norm2 - _basis_sum(coef[i] ** 2 * norm2[i])
ERROR_OF_SK_LATEX = r"\|f - S_K f\|^2 = \|f\|^2 - \sum_{i=1}^{M} \hat{a}_i^2 n_i"
EXPANSION_WHY = ("p = sum_i c_i phi_i over the M = 2K + 1 functions 1, cos kx, sin kx (k <= K); "
                 "expand the square: <phi_i, phi_j> = 0 for i != j (fourier-*-orthogonal), "
                 "n_i = ||phi_i||^2 (fourier-basis-squared-norms), <f, phi_i> = a_i n_i defines "
                 "the Fourier coefficient a_i; S_K f is p with c = a")


def _pythagoras_check(seed: int) -> Comparison:
    """||f - p||^2 - ||f - S_K f||^2 against ||S_K f - p||^2 by quadrature, f a square wave."""
    rng = np.random.default_rng(seed)
    K, n = 5, 2**14
    grid = fourier.grid(n, midpoints=True)
    f = np.sign(grid)
    a, b = _square_wave_coefficients(K)
    partial = fourier.partial_sum(a, b, grid)
    p = partial + fourier.trig_features(grid, K) @ rng.normal(0.0, 0.2, 2 * K + 1)
    gain = _squared_norm(f - p) - _squared_norm(f - partial)
    return Comparison(
        estimate=gain, expected=_squared_norm(partial - p), tolerance=1e-5,
        alternatives={"the notes' 'not best for non-smooth targets': some p at least as good "
                      "(gain <= 0)": 0.0},
        details=f"f = sign(x) (jumps at 0 and pi), K = {K}, p = S_K f + a random trigonometric "
                f"polynomial of degree K; ||f - p||^2 - ||f - S_K f||^2 = {gain:.6f}; "
                f"{n}-point midpoint rule (error O(1/n^2): no point on a jump)")


def _squared_norm(values: np.ndarray) -> float:
    """int_(-pi)^pi g^2 by the midpoint rule on the midpoint grid."""
    return float(np.mean(values**2) * 2 * np.pi)


def _square_wave_coefficients(K: int) -> tuple[np.ndarray, np.ndarray]:
    """The exact coefficients of sign(x): a_k = 0, b_k = 2 (1 - (-1)^k) / (pi k)."""
    ks = np.arange(1, K + 1)
    b = np.concatenate([[0.0], 2 * (1 - (-1.0) ** ks) / (np.pi * ks)])
    return np.zeros(K + 1), b


best_approximation = Derivation(
    id="fourier-truncation-best-l2-approximation",
    title="||f - p||^2 = ||f - S_K f||^2 + ||S_K f - p||^2: S_K f is the best L^2 approximation",
    source=Source(ASSIGNMENT, SECTION_04, BEST_QUOTE),
    start=Step(ERROR_OF_P, ERROR_OF_P_LATEX.split(" = ")[1], "||f - p||^2; " + EXPANSION_WHY),
    steps=[
        Step(ERROR_OF_SK + _basis_sum((c[i] - coef[i]) ** 2 * norm2[i]),
             ERROR_OF_SK_LATEX.split(" = ")[1] + r" + \sum_{i=1}^{M} (c_i - \hat{a}_i)^2 n_i",
             "complete the square: ||f - S_K f||^2 + ||S_K f - p||^2 (Pythagoras)"),
        Step(ERROR_OF_SK, ERROR_OF_SK_LATEX.split(" = ")[1],
             "= ||f - S_K f||^2 (p = S_K f), with equality exactly when p = S_K f", relation=">="),
    ],
    hypotheses=[SQUARE_INTEGRABLE, Hypothesis(r"K \in \mathbb{Z}_{\ge 0}, \; M = 2 K + 1", None)],
    notation=NORM_NOTATION,
    crosschecks=[CrossCheck("Pythagoras by quadrature for a square wave (not smooth)",
                            _pythagoras_check)],
)

smooth_not_needed = Derivation(
    id="fourier-l2-optimality-needs-no-smoothness",
    title="S_K f is the best L^2 approximation for every square-integrable f, smooth or not",
    source=Source(ASSIGNMENT, SECTION_04, SMOOTH_QUOTE),
    start=best_approximation.start,
    steps=best_approximation.steps,
    hypotheses=[SQUARE_INTEGRABLE],
    notation=NORM_NOTATION,
    crosschecks=[CrossCheck("least squares on sin/cos features recovers the Fourier "
                            "coefficients of a square wave", lambda seed: _regression_check())],
)


def _regression_check() -> Comparison:
    """Largest |coefficient of least squares on [1, cos kx, sin kx] - exact b_k| for sign(x)."""
    K, n = 7, 2**12
    grid = fourier.grid(n, midpoints=True)
    design = fourier.trig_features(grid, K)
    model = linear.least_squares(design[:, 1:], np.sign(grid))
    _, exact = _square_wave_coefficients(K)
    found = np.concatenate([[model.intercept], model.coef])
    target = np.concatenate([[0.0], np.zeros(K), exact[1:]])
    halved = np.concatenate([[0.0], np.zeros(K), exact[1:] / 2])
    return Comparison(
        estimate=float(np.max(np.abs(found - target))), expected=0.0, tolerance=1e-5,
        alternatives={"coefficients normalised by 1/(2 pi) instead of 1/pi":
                      float(np.max(np.abs(found - halved)))},
        details=f"f = sign(x) on {n} equispaced points, degree K = {K}; least-squares b_1 = "
                f"{model.coef[K]:.6f}, 4/pi = {4 / np.pi:.6f}")


# ================================================================ assignment 06: hidden units

K = sp.Symbol("K", integer=True, positive=True)


def _units_check(seed: int) -> Comparison:
    """Best L^2 error of f with 2K basis units against 2K + 1 units (least squares, quadrature)."""
    rng = np.random.default_rng(seed)
    degree, n = 4, 256
    grid = fourier.grid(n)
    units = fourier.trig_features(grid, degree)
    weights = rng.uniform(0.5, 1.5, units.shape[1]) * rng.choice([-1.0, 1.0], units.shape[1])
    target = units @ weights
    errors = [_fit_error(np.delete(units, drop, axis=1), target) for drop in range(units.shape[1])]
    full = _fit_error(units, target)
    norms = np.where(np.arange(units.shape[1]) == 0, 2 * np.pi, np.pi)
    predicted = float(np.sqrt(np.min(weights**2 * norms)))
    return Comparison(
        estimate=float(min(errors)), expected=predicted, tolerance=1e-9,
        alternatives={"the notes' 2K units suffice (error 0)": 0.0},
        details=f"K = {degree}: 2K + 1 = {units.shape[1]} units fit f exactly (error {full:.1e}); "
                f"the best 2K of them leave min_i |w_i| ||phi_i|| = {predicted:.6f}")


def _fit_error(design: np.ndarray, target: np.ndarray) -> float:
    """The L^2(-pi, pi) norm of the least-squares residual (exact on the grid)."""
    solution = np.linalg.lstsq(design, target, rcond=None)[0]
    residual = target - design @ solution
    return float(np.sqrt(np.mean(residual**2) * 2 * np.pi))


hidden_units = Derivation(
    id="fourier-network-hidden-unit-count",
    title="sum_{k=0}^K a_k cos kx + b_k sin kx needs 2K + 1 hidden units, not 2K",
    source=Source(ASSIGNMENT, SECTION_06, UNITS_QUOTE),
    start=Step(sp.Sum(2, (k, 0, K)) - 1,
               r"\#\{\cos(k x), \sin(k x) : 0 \le k \le K\} - \#\{\sin(0 x) = 0\} "
               r"= \sum_{k=0}^{K} 2 - 1",
               "sigma holds cos(kx) and sin(kx) for k = 0..K; sin(0 x) is the zero function, "
               "cos(0 x) = 1 a constant unit; the 2K + 1 others are orthogonal "
               "(fourier-*-orthogonal), so none can be dropped for a generic f"),
    steps=[Step(2 * K, "2K", "the notes' count")],
    expected=erratum(Correction(
        1, Step(2 * K + 1, "2K + 1"),
        "k = 0 contributes the constant unit cos(0 x) = 1 (and the zero function sin(0 x)): "
        "2K + 1 non-zero hidden units, or 2K units and an output bias b, f = W_2 sigma(W_1 x) "
        "+ b, which the notes' formula does not have")),
    hypotheses=[Hypothesis(r"f(x) = \sum_{k=0}^{K} a_k \cos(kx) + b_k \sin(kx), \; a_0 \ne 0",
                           r"f(x) = \sum_{k=0}^K a_k \cos(kx) + b_k \sin(kx)",
                           "a generic f: every coefficient non-zero")],
    crosschecks=[CrossCheck("least-squares error with the best 2K of the 2K + 1 units",
                            _units_check)],
)


# ================================================================ assignment 06: not best?

SQUARE_DEGREE = 3                                     # a concrete K: a counterexample
sin_coef = sp.symbols("beta_1:4", real=True)            # p's coefficients of sin kx
cos_coef = sp.symbols("alpha_0:4", real=True)           # p's constant and cos kx
square_b = [4 / PI, sp.S.Zero, 4 / (3 * PI)]          # b_k of sign(x), k = 1, 2, 3
SQUARE_ERROR_OF_SK = 2 * PI - PI * sum(b**2 for b in square_b)
SQUARE_ERROR_OF_P = (2 * PI - 2 * PI * sum(bt * b for bt, b in zip(sin_coef, square_b, strict=False))
                     + PI * sum(bt**2 for bt in sin_coef) + PI * sum(al**2 for al in cos_coef[1:])
                     + 2 * PI * cos_coef[0] ** 2)
SQUARE_PYTHAGORAS = (SQUARE_ERROR_OF_SK + PI * sum((bt - b) ** 2 for bt, b in zip(sin_coef, square_b, strict=False))
                     + PI * sum(al**2 for al in cos_coef[1:]) + 2 * PI * cos_coef[0] ** 2)


def _gibbs_fraction(K_terms: int) -> float:
    """(max S_N f - 1) / 2 for f = sign(x), N odd harmonics, found on a fine grid near 0."""
    N = K_terms
    xs = np.linspace(0.0, np.pi / N, 4001)[1:]              # the first lobe
    odd = 2 * np.arange(1, N + 1) - 1
    values = (4 / np.pi) * (np.sin(np.outer(xs, odd)) / odd).sum(axis=1)
    return float((values.max() - 1.0) / 2.0)


GIBBS_LIMIT = float(scipy.special.sici(np.pi)[0] / np.pi - 0.5)
GIBBS_TERMS = (8, 16, 32, 64, 128, 256)


def _richardson(fractions: list[float]) -> list[float]:
    """(4 f(2N) - f(N)) / 3: removes the 1/N^2 term of f(N) = L + c / N^2 + O(1 / N^4)."""
    return [(4 * fine - coarse) / 3 for coarse, fine in itertools.pairwise(fractions)]


def _gibbs_check(seed: int) -> Comparison:
    """The overshoot of the square wave's partial sums as a fraction of the jump, as K grows."""
    fractions = [_gibbs_fraction(N) for N in GIBBS_TERMS]
    gaps = [abs(f - GIBBS_LIMIT) for f in fractions]
    fit = fit_power_law(GIBBS_TERMS, gaps)
    limits = _richardson(fractions)
    return Comparison(
        estimate=limits[-1], expected=GIBBS_LIMIT,
        tolerance=max(abs(limits[-1] - limits[-2]), 1e-12),
        alternatives={"an overshoot that vanishes as K grows": 0.0,
                      "the overshoot as a fraction of the amplitude 1, not of the jump 2":
                      2 * GIBBS_LIMIT},
        details=f"overshoot / jump for N = {GIBBS_TERMS} odd harmonics (degree K = 2N - 1): "
                + ", ".join(f"{v:.7f}" for v in fractions)
                + f"; the distance to Si(pi)/pi - 1/2 = {GIBBS_LIMIT:.9f} decays as "
                f"N^{fit.slope:.3f}, so the limit is fitted as L + c/N^2 (Richardson): "
                f"{limits[-1]:.9f}; tolerance = the change of that fit from N = "
                f"{GIBBS_TERMS[-2]} to {GIBBS_TERMS[-1]}",
        data={"plot": "curves", "x": [2 * N - 1 for N in GIBBS_TERMS], "logx": True,
              "curves": {"overshoot / jump": fractions,
                         "Si(pi)/pi - 1/2": [GIBBS_LIMIT] * len(GIBBS_TERMS)},
              "title": "Gibbs phenomenon: overshoot of S_K sign(x)",
              "xlabel": "degree K", "ylabel": "(max S_K f - 1) / 2"})


SK_SQUARE_LATEX = (r"\|f - S_3 f\|^2 = 2\pi - \pi \left(\frac{16}{\pi^2} + "
                   r"\frac{16}{9 \pi^2}\right)")

not_best_for_non_smooth = Derivation(
    id="fourier-best-l2-also-for-non-smooth",
    title="For a square wave (a jump), S_K f is still the best L^2 approximation",
    source=Source(ASSIGNMENT, SECTION_06, NOT_BEST_QUOTE),
    start=Step(SQUARE_ERROR_OF_P,
               r"2\pi - 2\pi \sum_{k=1}^{3} \beta_k b_k + \pi \sum_{k=1}^{3} "
               r"\beta_k^2 + \pi \sum_{k=1}^{3} \alpha_k^2 + 2\pi \alpha_0^2",
               "||f - p||^2 for f = sign(x) on (-pi, pi), periodic, with jumps at 0 and pi; K = 3; p = alpha_0 "
               "+ sum_k alpha_k cos kx + beta_k sin kx; b = (4/pi, 0, 4/(3 pi)) "
               "(fourier-square-wave-coefficients); orthogonality (fourier-*-orthogonal)"),
    steps=[
        Step(SQUARE_PYTHAGORAS,
             SK_SQUARE_LATEX.split(" = ")[1] + r" + \pi \sum_{k=1}^{3} (\beta_k - b_k)^2 + \pi "
             r"\sum_{k=1}^{3} \alpha_k^2 + 2\pi \alpha_0^2", "complete the square"),
        Step(SQUARE_ERROR_OF_SK, SK_SQUARE_LATEX.split(" = ")[1],
             "||f - S_3 f||^2 (p = S_3 f); the notes: for a non-smooth target some p does better than S_K f", relation="<"),
    ],
    expected=erratum(Correction(
        2, Step(SQUARE_ERROR_OF_SK, SK_SQUARE_LATEX.split(" = ")[1], "||f - S_3 f||^2",
                relation=">="),
        "in the L^2 sense of the sentence before it, S_K f is the best approximation of every "
        "square-integrable f, smooth or not (here the difference is a sum of squares; for "
        "every K see fourier-truncation-best-l2-approximation). What a jump changes is the "
        "rate, b_k ~ 1/k, and the sup-norm behaviour: the Gibbs overshoot tends to "
        "Si(pi)/pi - 1/2 = 0.0895 of the jump, not to 0")),
    hypotheses=[Hypothesis(r"f(x) = \operatorname{sign}(x), \; x \in (-\pi, \pi)",
                           "highly non-smooth targets", "a square wave: a jump")],
    notation={f"b_{n}": value for n, value in enumerate(square_b, 1)},
    crosschecks=[CrossCheck("Gibbs overshoot of the square wave's partial sums", _gibbs_check)],
)

N_terms = sp.Symbol("N", integer=True, positive=True)
mm = sp.Symbol("m", integer=True, positive=True)
node = (2 * mm - 1) * PI / (2 * N_terms)               # u_m, midpoints of [0, pi] / N

gibbs_riemann_sum = Derivation(
    id="gibbs-peak-is-a-riemann-sum-of-sinc",
    title="S_K sign(pi / 2N) = (2/pi) sum_m (pi/N) sin(u_m)/u_m, a midpoint sum of (2/pi) Si(pi)",
    source=Source(ASSIGNMENT, SECTION_06, NOT_BEST_QUOTE),
    start=Step(sp.Sum(4 / PI * sp.sin((2 * mm - 1) * PI / (2 * N_terms)) / (2 * mm - 1),
                      (mm, 1, N_terms)),
               r"\frac{4}{\pi} \sum_{m=1}^{N} \frac{\sin((2m - 1) \pi / (2N))}{2m - 1}",
               "S_K f(pi / 2N) for f = sign(x): sign(x) = (4/pi) sum over odd k of sin(kx)/k (fourier-square-wave-coefficients), "
               "K = 2N - 1; pi/(2N) is where the first lobe peaks"),
    steps=[
        Step(2 / PI * sp.Sum(PI / N_terms * sp.sin(node) / node, (mm, 1, N_terms)),
             r"\frac{2}{\pi} \sum_{m=1}^{N} \frac{\pi}{N} \frac{\sin u_m}{u_m}, \quad "
             r"u_m = \frac{(2m - 1) \pi}{2N}",
             "a midpoint Riemann sum of (2/pi) int_0^pi sin(u)/u du: it converges to it as "
             "N -> oo (error O(1/N^2)), not to 1"),
    ],
    hypotheses=[Hypothesis(r"N \in \mathbb{Z}, \; N \ge 1", None)],
    crosschecks=[CrossCheck("Gibbs overshoot of the square wave's partial sums", _gibbs_check)],
)

gibbs_limit = Derivation(
    id="gibbs-overshoot-fraction-of-the-jump",
    title="The Gibbs overshoot tends to Si(pi)/pi - 1/2 = 0.0895 of the jump, not to 0",
    source=Source(ASSIGNMENT, SECTION_06, NOT_BEST_QUOTE),
    start=Step((2 / PI * sp.Integral(sp.sin(u) / u, (u, 0, PI)) - 1) / 2,
               r"\frac{1}{2} \left(\frac{2}{\pi} \int_0^{\pi} \frac{\sin u}{u} \, du - 1\right)",
               "the limit of (max S_K f - 1) / (jump 2) (gibbs-peak-is-a-riemann-sum-of-sinc)"),
    steps=[Step(sp.Si(PI) / PI - HALF, r"\frac{\operatorname{Si}(\pi)}{\pi} - \frac{1}{2}",
                "= 0.08949: positive, so the overshoot does not vanish as K grows")],
    crosschecks=[CrossCheck("Gibbs overshoot of the square wave's partial sums", _gibbs_check)],
)


# ================================================================ coefficient decay


def _decay_points(samples: np.ndarray, use_sine: bool) -> tuple[np.ndarray, np.ndarray]:
    """(k, |coefficient_k|) for odd k in [9, 255] from 2^14 samples on the grid."""
    a, b = fourier.coefficients(samples, 255)
    ks = np.arange(9, 256, 2)
    return ks, np.abs((b if use_sine else a)[ks])


DECAY_GRID = fourier.grid(2**14)


def _decay_check(samples: np.ndarray, use_sine: bool, claimed: float, label: str) -> Comparison:
    ks, values = _decay_points(samples, use_sine)
    fit = fit_power_law(ks, values)
    others = {"k^-1 (a jump)": -1.0, "k^-2 (a kink)": -2.0, "k^-3": -3.0}
    return Comparison(
        estimate=fit.slope, expected=claimed, tolerance=0.01,
        alternatives={name: v for name, v in others.items() if v != claimed},
        details=f"{label}: {fit}; odd k = 9..255, coefficients by the trapezoidal rule on "
                f"2^14 points",
        data={"plot": "loglog", "x": ks.tolist(), "y": values.tolist(), "slope": fit.slope,
              "intercept": fit.intercept, "expected_slope": claimed,
              "title": f"Fourier coefficients of {label}", "xlabel": "k",
              "ylabel": "|coefficient|"})


def _jump_decay(seed: int) -> Comparison:
    return _decay_check(np.sign(DECAY_GRID), True, -1.0, "sign(x) (a jump)")


def _kink_decay(seed: int) -> Comparison:
    return _decay_check(np.abs(DECAY_GRID), False, -2.0, "|x| (a kink)")


POISSON_R = 0.5


def _smooth_decay(seed: int) -> Comparison:
    """a_{k+1} / a_k for the analytic (1 - r^2) / (1 - 2 r cos x + r^2): the constant r."""
    r = POISSON_R
    samples = (1 - r**2) / (1 - 2 * r * np.cos(DECAY_GRID) + r**2)
    a, _ = fourier.coefficients(samples, 40)
    ratios = a[6:26] / a[5:25]
    return Comparison(
        estimate=float(np.max(np.abs(ratios - r))), expected=0.0, tolerance=1e-6,
        alternatives={"a power law k^-p (ratio a_{k+1}/a_k -> 1)": 1 - r},
        details=f"r = {r}: a_k = 2 r^k, geometric; a_6/a_5..a_25/a_24 {ratios[0]:.9f}.."
                f"{ratios[-1]:.9f}",
        data={"plot": "curves", "x": list(range(1, 41)), "logy": True,
              "curves": {"|a_k| of (1 - r^2)/(1 - 2r cos x + r^2)": np.abs(a[1:]).tolist(),
                         "2 r^k": (2 * r ** np.arange(1, 41)).tolist()},
              "title": "Fourier coefficients of an analytic function", "xlabel": "k",
              "ylabel": "|a_k|"})


square_wave_coefficients = Derivation(
    id="fourier-square-wave-coefficients",
    title="sign(x) has b_k = 2 (1 - (-1)^k) / (pi k): decay k^-1 at a jump",
    source=Source(ASSIGNMENT, SECTION_06, NOT_BEST_QUOTE),
    start=Step((sp.Integral(-sp.sin(m * x), (x, -PI, 0)) + sp.Integral(sp.sin(m * x), (x, 0, PI)))
               / PI,
               r"b_k = \frac{1}{\pi} \left(\int_{-\pi}^{0} -\sin(k x) \, dx + \int_{0}^{\pi} "
               r"\sin(k x) \, dx\right)", "f = sign(x) on (-pi, pi)"),
    steps=[Step(2 / PI * sp.Integral(sp.sin(m * x), (x, 0, PI)),
                r"\frac{2}{\pi} \int_{0}^{\pi} \sin(k x) \, dx", "the integrand is even"),
           Step(2 * (1 - (-1) ** m) / (PI * m), r"\frac{2 (1 - (-1)^k)}{\pi k}")],
    hypotheses=[Hypothesis(r"k \in \mathbb{Z}, \; k \ge 1", None)],
    notation=COEFFICIENT_NAMES,
    crosschecks=[CrossCheck("decay exponent of sign(x)'s coefficients", _jump_decay)],
)

kink_coefficients = Derivation(
    id="fourier-kink-coefficients",
    title="|x| has a_k = 2 ((-1)^k - 1) / (pi k^2): decay k^-2 at a kink",
    source=Source(ASSIGNMENT, SECTION_06, NOT_BEST_QUOTE),
    start=Step((sp.Integral(-x * sp.cos(m * x), (x, -PI, 0))
                + sp.Integral(x * sp.cos(m * x), (x, 0, PI))) / PI,
               r"a_k = \frac{1}{\pi} \left(\int_{-\pi}^{0} -x \cos(k x) \, dx + \int_{0}^{\pi} "
               r"x \cos(k x) \, dx\right)", "f = |x| on (-pi, pi): continuous, kinks at 0, pi"),
    steps=[Step(2 / PI * sp.Integral(x * sp.cos(m * x), (x, 0, PI)),
                r"\frac{2}{\pi} \int_{0}^{\pi} x \cos(k x) \, dx", "the integrand is even"),
           Step(2 * ((-1) ** m - 1) / (PI * m**2), r"\frac{2 ((-1)^k - 1)}{\pi k^2}")],
    hypotheses=[Hypothesis(r"k \in \mathbb{Z}, \; k \ge 1", None)],
    notation=COEFFICIENT_NAMES,
    crosschecks=[CrossCheck("decay exponent of |x|'s coefficients", _kink_decay)],
)

r_poisson = sp.Symbol("r", positive=True)
e_ix = sp.exp(sp.I * x)

analytic_coefficients = Derivation(
    id="fourier-analytic-coefficients-geometric",
    title="(1 - r^2)/(1 - 2r cos x + r^2) = 1 + 2 sum r^k cos kx: geometric decay",
    source=Source(ASSIGNMENT, SECTION_06, NOT_BEST_QUOTE),
    start=Step(1 + r_poisson * e_ix / (1 - r_poisson * e_ix)
               + r_poisson / e_ix / (1 - r_poisson / e_ix),
               r"1 + \sum_{k \ge 1} r^k e^{ikx} + \sum_{k \ge 1} r^k e^{-ikx} = 1 + "
               r"\frac{r e^{ix}}{1 - r e^{ix}} + \frac{r e^{-ix}}{1 - r e^{-ix}}",
               "1 + 2 sum_k r^k cos kx, two geometric series (|r e^{ix}| = r < 1)"),
    steps=[Step((1 - r_poisson**2) / ((1 - r_poisson * e_ix) * (1 - r_poisson / e_ix)),
                r"\frac{1 - r^2}{(1 - r e^{ix})(1 - r e^{-ix})}", "a common denominator"),
           Step((1 - r_poisson**2) / (1 - r_poisson * (e_ix + 1 / e_ix) + r_poisson**2),
                r"\frac{1 - r^2}{1 - r (e^{ix} + e^{-ix}) + r^2}",
                "= (1 - r^2) / (1 - 2 r cos x + r^2), since e^{ix} + e^{-ix} = 2 cos x: the "
                "Poisson kernel has a_k = 2 r^k, exponential decay for this analytic f")],
    hypotheses=[Hypothesis(r"0 < r < 1", None, "needed for the geometric series of the first "
                                                "line; the algebra after it holds for every r > 0")],
    notation={"i": sp.I},
    crosschecks=[CrossCheck("ratio of consecutive coefficients of an analytic f",
                            _smooth_decay)],
)
