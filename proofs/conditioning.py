r"""Poor conditioning: which number bounds the amplification of errors in x = A^{-1} y.

Lecture notes, "Poor Conditioning": kappa(A) = max_{i,j} |lambda_i| / |lambda_j| (eigenvalues)
"measures" how much solving x = A^{-1} y amplifies the numeric errors of y.  The amplification
is the relative error of x over the relative error of y,

    (|delta x| / |x|) / (|delta y| / |y|),   x = A^{-1} y,  delta x = A^{-1} delta y,

whose worst case over y and delta y is sigma_max(A) / sigma_min(A) (the 2-norm condition
number): |A^{-1} delta y| <= |delta y| / sigma_min and |y| = |A x| <= sigma_max |x|, with
equality along the singular vectors.  The eigenvalue ratio is that number only for normal
matrices (A A^T = A^T A; symmetric A in particular, where sigma_i = |lambda_i|).  For a
non-normal A it can be far smaller: the shear A = [[1, t], [0, 1]] has both eigenvalues 1
(kappa = 1, "perfectly conditioned") and amplifies relative errors by sqrt(1 + t^2) already at
y = (t, 1), delta y along (1, 0).  That line is an erratum; the corrected bound is proved for
every invertible 2 x 2 matrix (in its singular-value basis: orthogonal changes of basis keep
every norm), and the agreement of the two numbers for symmetric matrices is proved too.

Writing t = s - 1/s (s >= 1) makes the shear's singular values s and 1/s exactly, so its
condition number s^2 has no square root.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize
import sympy as sp

from derive import Comparison, Correction, CrossCheck, Derivation, Hypothesis, Source, Step, erratum

from ._identity import projected_comparison
from ._notes import LECTURE_NOTES
from ._vectors import dot

SECTION = "Poor Conditioning"
KAPPA_QUOTE = r"\kappa(A) = \max_{i, j} \frac{|\lambda_i|}{|\lambda_j|}"
AMPLIFICATION_QUOTE = (r"當 $\kappa(A)$ 很大時,對 $x$ 的微小變化會導致 $y$ 有很大的變化 ... "
                       r"在解 $x = A^{-1} y$ 時,會放大 $y$ 的 numeric errors,導致 $x$ 有很大的誤差")
INVERTIBLE = Hypothesis(r"A \in \mathbb{R}^{d \times d}, \ A^{-1} \text{ exists}",
                        quote=r"$f(x) = Ax = y$,其中 $A$ 是一個矩陣,且 $A^{-1}$ 存在")
AMPLIFICATION_LATEX = (r"\left(\frac{\|\delta x\| / \|x\|}{\|\delta y\| / \|y\|}\right)^2, "
                       r"\quad x = A^{-1} y, \ \delta x = A^{-1} \delta y")

q = sp.Symbol("q", positive=True)
s = 1 + q                                        # s > 1
SHEAR = sp.Matrix([[1, s - 1 / s], [0, 1]])      # eigenvalues 1, 1; singular values s, 1/s
Y, DELTA_Y = sp.Matrix([s - 1 / s, 1]), sp.Matrix([1, 0])


def squared_amplification(A: sp.Matrix, y: sp.Matrix, dy: sp.Matrix) -> sp.Expr:
    r"""((|A^{-1} dy| / |A^{-1} y|) / (|dy| / |y|))^2."""
    inverse = A.inv()
    return sp.cancel(dot(inverse * dy, inverse * dy) * dot(y, y)
                     / (dot(inverse * y, inverse * y) * dot(dy, dy)))


def amplification_notation(A: sp.Matrix, y: sp.Matrix, dy: sp.Matrix) -> dict[str, object]:
    r"""The names of the amplification line: A, y, \delta y, and x, \delta x solved from them."""
    return {"A": A, "y": y, r"\delta y": dy, "x": A.inv() * y, r"\delta x": A.inv() * dy}


def eigenvalue_ratio(A: sp.Matrix) -> sp.Expr:
    r"""max_{i,j} |lambda_i| / |lambda_j| of a matrix with real eigenvalues."""
    moduli = [sp.Abs(value) for value in A.eigenvals()]
    return sp.Max(*moduli) / sp.Min(*moduli)


# ------------------------------------------------------------ numeric cross-check

def _rayleigh_extreme(M: np.ndarray, rng: np.random.Generator, sign: float) -> float:
    """max over unit u of sign * |M u| (multi-start BFGS; no SVD)."""
    def objective(u: np.ndarray) -> float:
        return -sign * float(np.linalg.norm(M @ u) / np.linalg.norm(u))
    starts = rng.standard_normal((6, M.shape[0]))
    return max(-scipy.optimize.minimize(objective, u0, method="BFGS").fun for u0 in starts)


def worst_amplification(A: np.ndarray, rng: np.random.Generator) -> float:
    """max over y, dy of (|A^{-1} dy| / |dy|) (|y| / |A^{-1} y|), found by maximising the two
    independent factors (|A^{-1} dy| / |dy| and |A x| / |x| with x = A^{-1} y)."""
    inverse = np.linalg.inv(A)
    return _rayleigh_extreme(inverse, rng, 1.0) * _rayleigh_extreme(A, rng, 1.0)


def sampled_amplification(A: np.ndarray, rng: np.random.Generator, trials: int = 4000) -> float:
    """The largest amplification seen when solving A x = y + dy for random y and tiny dy."""
    y = rng.standard_normal((trials, A.shape[0]))
    dy = 1e-8 * rng.standard_normal((trials, A.shape[0]))
    x, x_perturbed = np.linalg.solve(A, y.T).T, np.linalg.solve(A, (y + dy).T).T
    ratio = (np.linalg.norm(x_perturbed - x, axis=1) / np.linalg.norm(x, axis=1)) / (
        np.linalg.norm(dy, axis=1) / np.linalg.norm(y, axis=1))
    return float(ratio.max())


def test_matrices(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Symmetric, non-normal (triangular, Jordan-like) and random 5 x 5 matrices."""
    random = rng.standard_normal((5, 5))
    symmetric = random + random.T
    triangular = np.triu(rng.uniform(1.0, 2.0, (5, 5)) * 4.0, 1) + np.diag(rng.uniform(1, 2, 5))
    jordan = np.eye(5) + 10.0 * np.eye(5, k=1)
    return {"symmetric": symmetric, "upper triangular": triangular, "Jordan-like shear": jordan,
            "Gaussian": rng.standard_normal((5, 5))}


def _ratios(A: np.ndarray) -> tuple[float, float]:
    singular = np.linalg.svd(A, compute_uv=False)
    moduli = np.abs(np.linalg.eigvals(A))
    return float(singular.max() / singular.min()), float(moduli.max() / moduli.min())


def amplification_is_singular_value_ratio(seed: int) -> Comparison:
    """Worst amplification / (sigma_max / sigma_min) over four kinds of matrices: 1 for each;
    against the eigenvalue ratio (the notes' kappa), which it exceeds for non-normal ones."""
    rng = np.random.default_rng(seed)
    rows = []
    for name, A in test_matrices(rng).items():
        worst, (singular, eigen) = worst_amplification(A, rng), _ratios(A)
        rows.append((name, worst, singular, eigen, sampled_amplification(A, rng)))
    deviation = max(abs(worst / singular - 1) for _, worst, singular, _, _ in rows)
    notes = max(abs(worst / eigen - 1) for _, worst, _, eigen, _ in rows)
    exceeded = all(sampled <= singular * (1 + 1e-6) for *_, singular, _, sampled in rows)
    return Comparison(
        estimate=deviation if exceeded else 1.0, expected=0.0, tolerance=1e-5,
        alternatives={"the notes' kappa, max |lambda_i| / |lambda_j|": notes},
        details="; ".join(f"{name}: worst amplification {worst:.6g}, sigma ratio {singular:.6g}, "
                          f"eigenvalue ratio {eigen:.6g}, largest of 4000 random solves "
                          f"{sampled:.4g}" for name, worst, singular, eigen, sampled in rows)
        + "; the estimate is max |worst / (sigma_max / sigma_min) - 1| (1 if a random solve "
          "exceeded sigma_max / sigma_min)")


def _rotation(angle: float) -> np.ndarray:
    return np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


def _largest_stretch(M: np.ndarray, directions: int = 20001) -> float:
    """max over unit u of |M u|, by brute force over a grid of directions (no SVD)."""
    angles = np.linspace(0.0, np.pi, directions)
    units = np.stack([np.cos(angles), np.sin(angles)])
    return float(np.linalg.norm(M @ units, axis=0).max())


def two_by_two_amplification(seed: int) -> Comparison:
    """Worst amplification of 8 random 2 x 2 matrices U diag(s_max, s_min) V^T, searched over a
    grid of directions for delta y and y, against (s_max / s_min)^2 (squared, as the lines)."""
    rng = np.random.default_rng(seed)
    measured, claimed, unsquared = [], [], []
    for _ in range(8):
        s_min = rng.uniform(0.2, 1.0)
        s_max = s_min + rng.uniform(0.5, 3.0)
        A = _rotation(rng.uniform(0, np.pi)) @ np.diag([s_max, s_min]) @ _rotation(
            rng.uniform(0, np.pi)).T
        worst = _largest_stretch(np.linalg.inv(A)) * _largest_stretch(A)
        measured.append(worst**2)
        claimed.append((s_max / s_min) ** 2)
        unsquared.append(s_max / s_min)
    return projected_comparison(
        measured, claimed, {"sigma_max / sigma_min, not squared": unsquared},
        seed=seed, relative_tolerance=1e-6,
        details="8 random A = U diag(s_max, s_min) V^T; worst (|A^{-1} dy| / |dy|)^2 (|y| / "
                "|A^{-1} y|)^2 by a grid of 20001 directions for each factor")


def symmetric_singular_values(seed: int) -> Comparison:
    """Singular values (numpy's SVD) of 20 random symmetric 4 x 4 matrices against the sorted
    moduli of their eigenvalues (eigvalsh)."""
    rng = np.random.default_rng(seed)
    random = rng.standard_normal((20, 4, 4))
    symmetric = random + np.transpose(random, (0, 2, 1))
    singular = np.linalg.svd(symmetric, compute_uv=False)
    eigen = np.linalg.eigvalsh(symmetric)
    moduli = -np.sort(-np.abs(eigen), axis=1)
    signed = -np.sort(-eigen, axis=1)
    return projected_comparison(
        singular, moduli, {"the eigenvalues themselves (sorted, with their signs)": signed,
                           "the squared eigenvalues": moduli**2},
        seed=seed, relative_tolerance=1e-9,
        details="20 random symmetric 4 x 4 matrices, singular values by SVD against sorted "
                "|lambda_i| by eigvalsh")


# ------------------------------------------------------------ derivations

shear_counterexample = Derivation(
    id="condition-number-eigenvalue-ratio-misses-non-normal-amplification",
    notation={**amplification_notation(SHEAR, Y, DELTA_Y), "t": s - 1 / s, "s": s,
              r"\kappa": eigenvalue_ratio, r"\lambda": lambda k: 1,  # both eigenvalues 1
              r"\sigma_{\max}": lambda M: sp.Max(*map(sp.factor, M.singular_values())),
              r"\sigma_{\min}": lambda M: sp.Min(*map(sp.factor, M.singular_values()))},
    title="The eigenvalue ratio does not bound error amplification: a shear with kappa = 1",
    source=Source(LECTURE_NOTES, SECTION, AMPLIFICATION_QUOTE),
    hypotheses=[INVERTIBLE,
                Hypothesis(r"\kappa(A) = \max_{i, j} \frac{|\lambda_i|}{|\lambda_j|}",
                           quote=KAPPA_QUOTE, note="the notes' definition, as the claimed bound")],
    start=Step(squared_amplification(SHEAR, Y, DELTA_Y), AMPLIFICATION_LATEX,
               "A = [[1, t], [0, 1]] with t = s - 1/s, s = 1 + q > 1 (invertible, eigenvalues "
               "1 and 1); y = (t, 1), delta y along (1, 0)"),
    steps=[Step(1 + (s - 1 / s) ** 2, r"1 + t^2",
                "A^{-1} = [[1, -t], [0, 1]]: x = (0, 1), delta x = delta y = (1, 0), |y|^2 = "
                "t^2 + 1"),
           Step(eigenvalue_ratio(SHEAR) ** 2,
                r"\kappa(A)^2 = \left(\max_{i, j} \frac{|\lambda_i|}{|\lambda_j|}\right)^2",
                "the notes: kappa measures the amplification of y's errors", relation="<=")],
    expected=erratum(Correction(
        2, Step(s**4, r"\left(\frac{\sigma_{\max}(A)}{\sigma_{\min}(A)}\right)^2 = s^4",
                "A^T A has eigenvalues s^2 and 1/s^2 (trace s^2 + 1/s^2, determinant 1)",
                relation="<="),
        "the eigenvalue ratio bounds the amplification only for normal matrices; for every "
        "invertible A the bound is the 2-norm condition number sigma_max / sigma_min "
        "(condition-number-bounds-amplification), here s^2 while kappa = 1")),
    crosschecks=[CrossCheck("worst amplification over symmetric, non-normal and random matrices",
                            amplification_is_singular_value_ratio)],
)

# The general bound, in the singular-value basis: A = U diag(s1, s2) V^T with s1 >= s2 > 0;
# |A^{-1} dy| and |A^{-1} y| are those of diag(1/s1, 1/s2) applied to U^T dy and U^T y, and
# the amplification does not change when y or dy is scaled, so U^T y = (1, v) and
# U^T dy = (1, w): every direction but (0, 1), where the value is the limit.
s2, gap = sp.symbols("sigma_min delta", positive=True)
s1 = s2 + gap
v, w = sp.symbols("v w", real=True)
DIAGONAL = sp.diag(s1, s2)

amplification_bound = Derivation(
    id="condition-number-bounds-amplification",
    notation={**amplification_notation(DIAGONAL, sp.Matrix([1, v]), sp.Matrix([1, w])),
              r"\sigma_{\max}": s1},
    title="Solving x = A^{-1} y amplifies relative errors by at most sigma_max / sigma_min",
    source=Source(LECTURE_NOTES, SECTION, AMPLIFICATION_QUOTE),
    hypotheses=[INVERTIBLE,
                Hypothesis(r"A = U \operatorname{diag}(\sigma_{\max}, \sigma_{\min}) V^\top, "
                           r"\ \sigma_{\max} \ge \sigma_{\min} > 0", quote=None,
                           note="d = 2; every invertible 2 x 2 matrix (SVD), sigma_max = "
                                "sigma_min + delta")],
    start=Step(squared_amplification(DIAGONAL, sp.Matrix([1, v]), sp.Matrix([1, w])),
               AMPLIFICATION_LATEX,
               "in the singular bases U^T y = (1, v), U^T delta y = (1, w) (scale-free)"),
    steps=[
        Step((1 + v**2) / (s2**2 * (1 / s1**2 + v**2 / s2**2)),
             r"\frac{1}{\sigma_{\min}^2} \frac{\|y\|^2}{\|A^{-1} y\|^2}",
             "|A^{-1} dy|^2 / |dy|^2 = (1/sigma_max^2 + w^2/sigma_min^2) / (1 + w^2) <= "
             "1/sigma_min^2", relation="<="),
        Step(s1**2 / s2**2, r"\left(\frac{\sigma_{\max}}{\sigma_{\min}}\right)^2",
             "|y|^2 / |A^{-1} y|^2 = (1 + v^2) / (1/sigma_max^2 + v^2/sigma_min^2) <= "
             "sigma_max^2", relation="<="),
    ],
    crosschecks=[CrossCheck("worst amplification of random 2 x 2 matrices by a direction grid",
                            two_by_two_amplification)],
)

tau = sp.Symbol("tau", real=True)
l1, l2 = sp.symbols("lambda_1 lambda_2", real=True)
COS, SIN = (1 - tau**2) / (1 + tau**2), 2 * tau / (1 + tau**2)   # rotation by 2 arctan(tau)
ROTATION = sp.Matrix([[COS, -SIN], [SIN, COS]])
SYMMETRIC = ROTATION * sp.diag(l1, l2) * ROTATION.T

symmetric_singular_values = Derivation(
    id="condition-number-symmetric-singular-values-are-eigenvalue-moduli",
    notation={"A": SYMMETRIC, "Q": ROTATION, r"\operatorname{diag}": sp.diag},
    title="For symmetric A, A^T A = Q diag(lambda^2) Q^T: sigma_i = |lambda_i|, both kappas agree",
    source=Source(LECTURE_NOTES, SECTION, KAPPA_QUOTE),
    hypotheses=[Hypothesis(r"A = A^\top = Q \operatorname{diag}(\lambda_1, \lambda_2) Q^\top",
                           quote=None, note="d = 2, Q the rotation by 2 arctan(tau) (cos = "
                                            "(1 - tau^2)/(1 + tau^2)): every rotation but "
                                            "the half turn, which diag(lambda) absorbs; every "
                                            "symmetric 2 x 2 matrix up to a reflection")],
    start=Step(SYMMETRIC.T * SYMMETRIC, r"A^\top A", "the singular values are the square "
                                                      "roots of the eigenvalues of A^T A"),
    steps=[Step(ROTATION * sp.diag(l1**2, l2**2) * ROTATION.T,
                r"Q \operatorname{diag}(\lambda_1^2, \lambda_2^2) Q^\top",
                "Q^T Q = I: so sigma_i = sqrt(lambda_i^2) = |lambda_i| and sigma_max / "
                "sigma_min = max |lambda_i| / min |lambda_j|")],
    crosschecks=[CrossCheck("SVD of random symmetric matrices against their eigenvalues",
                            symmetric_singular_values)],
)
