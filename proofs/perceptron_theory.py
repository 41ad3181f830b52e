r"""Why the perceptron converges on separable data (Novikoff), and why it cannot on XOR.

Lecture notes, "Perceptron Learning Algorithm": on a mistake w^{(t+1)} = w^{(t)} + 2 eta y^t x^t
(perceptron-update-on-mistake), and "如果資料沒辦法線性可分,則 Perceptron Learning Algorithm 可能無法
收斂" (if the data are not linearly separable, the algorithm may not converge).  The converse
the remark leans on is Novikoff's theorem: if some unit u separates the data with margin gamma
(y_i u^T x_i >= gamma for all i) and |x_i| <= R, the algorithm makes at most (R / gamma)^2
mistakes, whatever eta and the order (from w = 0; a bias is folded into w, x = [x; 1]).

- Each mistake raises u^T w by at least 2 eta gamma (the margin) and |w|^2 by at most
  4 eta^2 R^2 (a mistake means y w^T x <= 0), so after k mistakes 2 eta gamma k <= u^T w <=
  |w| <= 2 eta R sqrt(k) (Cauchy-Schwarz), and k <= (R / gamma)^2.
- XOR is not linearly separable: for every (w, b) the four scores y_i (w^T x_i + b) sum to 0,
  so at least one is <= 0 and every epoch has a mistake: the algorithm never stops.

Vectors are in R^2, written so that they range over every vector meeting the hypotheses:
x = y (gamma + g) u + c u_perp (g >= 0: margin at least gamma), w = -y m x / |x|^2 + c u_perp
(m >= 0: a mistake).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive import Comparison, CrossCheck, Derivation, Hypothesis, Source, Step
from numeric.perceptron import perceptron

from ._notation import known_at
from ._notes import LECTURE_NOTES
from ._vectors import dot

SECTION = "Perceptron Learning Algorithm"
NON_SEPARABLE_QUOTE = "如果資料沒辦法線性可分,則 Perceptron Learning Algorithm 可能無法收斂"
UPDATE_QUOTE = r"如果 $\hat{y}^t \ne y^t$,得到 $w^{(t+1)} = w^{(t)} + 2 \eta y^t x^t$"

eta, gamma, R = sp.symbols("eta gamma R", positive=True)
g, m, r, c_slack, p_slack = sp.symbols("g m r c p", nonnegative=True)
c, tau_u, tau_x = sp.symbols("c tau sigma", real=True)   # half-angle tangents of u and x
rho = sp.Symbol("rho", positive=True)
k_label = sp.Symbol("j", integer=True)
y = (-1) ** k_label                                       # a label in {-1, 1}
w1, w2 = sp.symbols("w1 w2", real=True)


def _unit(tangent: sp.Symbol) -> tuple[sp.Matrix, sp.Matrix]:
    """The unit vector at angle 2 arctan(tangent) and its quarter turn (rational entries:
    every direction but (-1, 0))."""
    cos, sin = (1 - tangent**2) / (1 + tangent**2), 2 * tangent / (1 + tangent**2)
    return sp.Matrix([cos, sin]), sp.Matrix([-sin, cos])


u, u_perp = _unit(tau_u)



SEPARABLE = Hypothesis(r"\exists u, \ \|u\| = 1: \ y_i u^\top x_i \ge \gamma > 0 \ \forall i",
                       quote=None, note="linear separability with margin gamma; x = y (gamma "
                                        "+ g) u + c u_perp, g >= 0")
BOUNDED = Hypothesis(r"\|x_i\| \le R", quote=None, note="R^2 = |x|^2 + r, r >= 0")
MISTAKE = Hypothesis(r"y^t w^{(t)\top} x^t \le 0", quote=UPDATE_QUOTE,
                     note="a mistake: hat y^t != y^t; w = -y m x / |x|^2 + c x_perp, m >= 0")

# ------------------------------------------------------------ cross-check: every update

UPDATE_ETA = 0.5


def _mistake_updates(X: np.ndarray, labels: np.ndarray,
                     epochs: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """The perceptron's iterates before each mistake and the updates 2 eta y x made there,
    from w = 0, cycling through the data until an epoch has no mistake."""
    w = np.zeros(X.shape[1])
    before: list[np.ndarray] = []
    updates: list[np.ndarray] = []
    for _ in range(epochs):
        mistakes = 0
        for point, label in zip(X, labels, strict=True):
            if label * (point @ w) <= 0.0:
                before.append(w.copy())
                updates.append(2 * UPDATE_ETA * label * point)
                w = w + updates[-1]
                mistakes += 1
        if mistakes == 0:
            break
    return np.array(before), np.array(updates)


def _separated_runs(seed: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, float, float]]:
    """(iterates, updates, unit separator u, R, gamma) of the perceptron on 20 random sets of
    60 augmented points (x, 1) separated by u with margin gamma."""
    rng = np.random.default_rng(seed)
    runs = []
    for _ in range(20):
        direction = rng.standard_normal(2)
        separator = np.append(direction / np.linalg.norm(direction), rng.uniform(-0.3, 0.3))
        unit = separator / np.linalg.norm(separator)
        points = np.hstack([rng.uniform(-1, 1, (400, 2)), np.ones((400, 1))])
        scores = points @ unit
        keep = np.abs(scores) >= rng.uniform(0.02, 0.1)
        X, labels = points[keep][:60], np.sign(scores[keep][:60])
        before, updates = _mistake_updates(X, labels)
        runs.append((before, updates, unit, float(np.linalg.norm(X, axis=1).max()),
                     float((labels * (X @ unit)).min())))
    return runs


def alignment_gains(seed: int) -> Comparison:
    """The fraction of the perceptron's updates (20 separable sets) that raise u^T w by at
    least 2 eta gamma (1), against the fraction that raise it by at least 2 eta R."""
    gains, with_margin, with_radius = 0, 0, 0
    for _, updates, unit, radius, margin in _separated_runs(seed):
        rise = updates @ unit
        gains += rise.size
        with_margin += int(np.sum(rise >= 2 * UPDATE_ETA * margin * (1 - 1e-12)))
        with_radius += int(np.sum(rise >= 2 * UPDATE_ETA * radius))
    return Comparison(
        estimate=with_margin / gains, expected=1.0, tolerance=0.0,
        alternatives={"a rise of at least 2 eta R (the norm's constant)": with_radius / gains},
        details=f"{gains} updates on 20 separable sets of 60 points, eta = {UPDATE_ETA}; "
                f"{with_margin} raise u^T w by >= 2 eta gamma, {with_radius} by >= 2 eta R")


def squared_norm_gains(seed: int) -> Comparison:
    """The fraction of the perceptron's updates (20 separable sets) that raise |w|^2 by at most
    4 eta^2 R^2 (1), against the fraction within 2 eta^2 R^2 (the 2 of 2 eta not squared)."""
    total, within, within_unsquared = 0, 0, 0
    for before, updates, _, radius, _ in _separated_runs(seed):
        rise = np.sum((before + updates) ** 2, axis=1) - np.sum(before**2, axis=1)
        total += rise.size
        within += int(np.sum(rise <= 4 * UPDATE_ETA**2 * radius**2 * (1 + 1e-12)))
        within_unsquared += int(np.sum(rise <= 2 * UPDATE_ETA**2 * radius**2))
    return Comparison(
        estimate=within / total, expected=1.0, tolerance=0.0,
        alternatives={"a rise of at most 2 eta^2 R^2": within_unsquared / total},
        details=f"{total} updates on 20 separable sets of 60 points, eta = {UPDATE_ETA}; "
                f"{within} raise |w|^2 by <= 4 eta^2 R^2, {within_unsquared} by <= "
                f"2 eta^2 R^2")


# ------------------------------------------------------------ alignment grows by 2 eta gamma

x_margin = y * (gamma + g) * u + c * u_perp
w_vec = sp.Matrix([w1, w2])
t = sp.Symbol("t", integer=True, positive=True)        # the update w^{(t)} -> w^{(t+1)}

alignment_grows = Derivation(
    id="perceptron-mistake-raises-alignment-by-margin",
    notation={"u": u, "w": known_at((t, w_vec), (t + 1, w_vec + 2 * eta * y * x_margin)),
              "x": known_at((t, x_margin)), "y": known_at((t, y))},
    title="Each mistake raises u^T w by at least 2 eta gamma",
    source=Source(LECTURE_NOTES, SECTION, UPDATE_QUOTE),
    hypotheses=[SEPARABLE, Hypothesis(r"\eta > 0", quote=None)],
    start=Step(dot(u, w_vec + 2 * eta * y * x_margin), r"u^\top w^{(t+1)}",
               "w^{(t+1)} = w^{(t)} + 2 eta y^t x^t; d = 2, u the unit vector at angle 2 "
               "arctan tau"),
    steps=[
        Step(dot(u, w_vec) + 2 * eta * (gamma + g),
             r"u^\top w^{(t)} + 2 \eta y^t u^\top x^t", "y^2 = 1, u^T u_perp = 0"),
        Step(dot(u, w_vec) + 2 * eta * gamma, r"u^\top w^{(t)} + 2 \eta \gamma",
             "y^t u^T x^t = gamma + g >= gamma", relation=">="),
    ],
    crosschecks=[CrossCheck("u^T w at every update on 20 separable sets", alignment_gains)],
)

# ------------------------------------------------------------ |w|^2 grows by at most 4 eta^2 R^2

x_direction, x_perp = _unit(tau_x)
x_any = rho * x_direction
w_mistake = -y * m * x_any / rho**2 + c * x_perp

norm_grows = Derivation(
    id="perceptron-mistake-raises-squared-norm-by-at-most-4-eta2-r2",
    notation={"w": known_at((t, w_mistake), (t + 1, w_mistake + 2 * eta * y * x_any)),
              "x": known_at((t, x_any)), "y": known_at((t, y)), "R": sp.sqrt(rho**2 + r)},
    title="Each mistake raises |w|^2 by at most 4 eta^2 R^2",
    source=Source(LECTURE_NOTES, SECTION, UPDATE_QUOTE),
    hypotheses=[MISTAKE, BOUNDED],
    start=Step(dot(w_mistake + 2 * eta * y * x_any, w_mistake + 2 * eta * y * x_any),
               r"\|w^{(t+1)}\|^2", "w^{(t+1)} = w^{(t)} + 2 eta y^t x^t, x = rho times the "
                                   "unit vector at angle 2 arctan sigma, rho > 0"),
    steps=[
        Step(dot(w_mistake, w_mistake) - 4 * eta * m + 4 * eta**2 * rho**2,
             r"\|w^{(t)}\|^2 + 4 \eta y^t w^{(t)\top} x^t + 4 \eta^2 \|x^t\|^2",
             "expand; y^t w^T x^t = -m"),
        Step(dot(w_mistake, w_mistake) + 4 * eta**2 * rho**2,
             r"\|w^{(t)}\|^2 + 4 \eta^2 \|x^t\|^2", "a mistake: -4 eta m <= 0", relation="<="),
        Step(dot(w_mistake, w_mistake) + 4 * eta**2 * (rho**2 + r),
             r"\|w^{(t)}\|^2 + 4 \eta^2 R^2", "|x^t|^2 <= R^2", relation="<="),
    ],
    crosschecks=[CrossCheck("|w|^2 at every update on 20 separable sets", squared_norm_gains)],
)

# ------------------------------------------------------------ the mistake bound

k = sp.Symbol("k", positive=True, integer=True)
alignment = 2 * eta * gamma * k + p_slack            # u^T w^{(k)} >= 2 eta gamma k
squared_norm = alignment**2 + c_slack                  # |w^{(k)}|^2 >= (u^T w^{(k)})^2
R_squared = (squared_norm + r) / (4 * eta**2 * k)      # |w^{(k)}|^2 <= 4 eta^2 R^2 k
DENOMINATOR = 4 * eta**2 * gamma**2 * k

# Cross-check: random separable sets in the plane, 60 points, margin gamma around 0.02-0.1.


def _separable_set(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Points of the unit square, a random separator (a, b) with a margin of at least gamma0,
    and R and gamma of the augmented points (x, 1) with respect to it."""
    direction = rng.standard_normal(2)
    separator = np.append(direction / np.linalg.norm(direction), rng.uniform(-0.3, 0.3))
    points = np.hstack([rng.uniform(-1, 1, (400, 2)), np.ones((400, 1))])
    scores = points @ separator
    keep = np.abs(scores) >= rng.uniform(0.02, 0.1)
    X, labels = points[keep][:60], np.sign(scores[keep][:60])
    margin = float((labels * (X @ separator)).min() / np.linalg.norm(separator))
    return X, labels, float(np.linalg.norm(X, axis=1).max()), margin


def mistakes_within_novikoff_bound(seed: int) -> Comparison:
    """The fraction of 150 random separable sets on which numeric.perceptron's number of
    updates is at most (R / gamma)^2 (1), against the bound R / gamma without the square."""
    rng = np.random.default_rng(seed)
    within, within_unsquared, ratios, converged = 0, 0, [], 0
    for _ in range(150):
        X, labels, radius, margin = _separable_set(rng)
        run = perceptron(X, labels, fit_intercept=False, max_epochs=100_000)
        converged += run.converged
        within += run.n_updates <= (radius / margin) ** 2
        within_unsquared += run.n_updates <= radius / margin
        ratios.append(run.n_updates / (radius / margin) ** 2)
    return Comparison(
        estimate=within / 150 if converged == 150 else 0.0, expected=1.0, tolerance=0.0,
        alternatives={"a bound R / gamma (no square)": within_unsquared / 150},
        details=f"{converged}/150 runs converged; updates / (R/gamma)^2: max {max(ratios):.3g}, "
                f"median {np.median(ratios):.3g}; bias folded into w (x = [x; 1])",
        data={"plot": "histogram", "samples": {"updates / (R / gamma)^2": ratios},
              "title": "Perceptron updates against Novikoff's bound", "xlabel": "ratio"})


novikoff_bound = Derivation(
    id="perceptron-novikoff-mistake-bound",
    notation={"u": sp.Matrix([1, 0]), "R": sp.sqrt(R_squared),  # in the basis (u, u_perp)
              "w": known_at((k, sp.Matrix([alignment, sp.sqrt(c_slack)])))},
    title="On data separable with margin gamma the perceptron makes at most (R / gamma)^2 "
          "mistakes",
    source=Source(LECTURE_NOTES, SECTION, NON_SEPARABLE_QUOTE),
    hypotheses=[SEPARABLE, BOUNDED, Hypothesis(r"w^{(0)} = 0", quote=None),
                Hypothesis(r"u^\top w^{(k)} \ge 2 \eta \gamma k", quote=None,
                           note="perceptron-mistake-raises-alignment-by-margin, k times; "
                                "u^T w = 2 eta gamma k + p, p >= 0"),
                Hypothesis(r"\|w^{(k)}\|^2 \le 4 \eta^2 R^2 k", quote=None,
                           note="perceptron-mistake-raises-squared-norm-by-at-most-4-eta2-r2, "
                                "k times; |w|^2 = (u^T w)^2 + c, c >= 0 (Cauchy-Schwarz), "
                                "4 eta^2 R^2 k = |w|^2 + r, r >= 0")],
    start=Step(k, r"k", "k mistakes (updates) so far"),
    steps=[
        Step((2 * eta * gamma * k) ** 2 / DENOMINATOR,
             r"\frac{(2 \eta \gamma k)^2}{4 \eta^2 \gamma^2 k}"),
        Step(alignment**2 / DENOMINATOR, r"\frac{(u^\top w^{(k)})^2}{4 \eta^2 \gamma^2 k}",
             "u^T w^{(k)} >= 2 eta gamma k > 0", relation="<="),
        Step(squared_norm / DENOMINATOR, r"\frac{\|w^{(k)}\|^2}{4 \eta^2 \gamma^2 k}",
             "Cauchy-Schwarz, |u| = 1", relation="<="),
        Step(4 * eta**2 * R_squared * k / DENOMINATOR,
             r"\frac{4 \eta^2 R^2 k}{4 \eta^2 \gamma^2 k}", "|w^{(k)}|^2 <= 4 eta^2 R^2 k",
             relation="<="),
        Step(R_squared / gamma**2, r"\frac{R^2}{\gamma^2}"),
    ],
    crosschecks=[CrossCheck("updates on 150 random separable sets",
                            mistakes_within_novikoff_bound)],
)

# ------------------------------------------------------------ XOR

b = sp.Symbol("b", real=True)
XOR = [((0, 0), -1), ((1, 1), -1), ((0, 1), 1), ((1, 0), 1)]


def _of_point(index: sp.Expr, values: list[int]) -> sp.Expr:
    """The value at the index-th XOR point (1-based), for a symbolic index."""
    return sp.Piecewise(*[(v, sp.Eq(index, n + 1)) for n, v in enumerate(values)], (0, True))


def xor_never_separated(seed: int) -> Comparison:
    """The fraction of 400 epochs of numeric.perceptron on XOR with at least one mistake."""
    X = np.array([point for point, _ in XOR], dtype=float)
    labels = np.array([label for _, label in XOR], dtype=float)
    run = perceptron(X, labels, max_epochs=400, shuffle=True, seed=seed)
    separable_run = perceptron(X, np.array([-1.0, 1.0, 1.0, 1.0]), max_epochs=400)
    return Comparison(
        estimate=float(np.mean(np.array(run.mistakes) > 0)) if len(run.mistakes) == 400
        else 0.0, expected=1.0, tolerance=0.0,
        alternatives={"converges (an epoch without a mistake), as on separable data": 0.0},
        details=f"XOR: {len(run.mistakes)} epochs, mistakes per epoch between "
                f"{min(run.mistakes)} and {max(run.mistakes)}; OR labels (separable): "
                f"converged after {len(separable_run.mistakes)} epochs")


xor_not_separable = Derivation(
    id="perceptron-xor-scores-sum-to-zero",
    notation={"w": w_vec, "b": b, "y": lambda i: _of_point(i, [label for _, label in XOR]),
              "x": lambda i: sp.Matrix([_of_point(i, [p[n] for p, _ in XOR]) for n in (0, 1)])},
    title="On XOR the four scores y_i (w^T x_i + b) sum to 0 for every (w, b): some point is "
          "always misclassified",
    source=Source(LECTURE_NOTES, SECTION, NON_SEPARABLE_QUOTE),
    hypotheses=[Hypothesis(r"D = \{((0,0), -1), ((1,1), -1), ((0,1), 1), ((1,0), 1)\}",
                           quote=None, note="XOR, the standard non-separable data set")],
    start=Step(sum(label * (w1 * p[0] + w2 * p[1] + b) for p, label in XOR),
               r"\sum_{i=1}^{4} y_i (w^\top x_i + b)", "any w = (w1, w2) and b"),
    steps=[Step(sp.S.Zero, r"0", "so min_i y_i (w^T x_i + b) <= 0: a mistake in every epoch, "
                                 "the algorithm never stops")],
    crosschecks=[CrossCheck("numeric.perceptron on XOR for 400 epochs", xor_never_separated)],
)
