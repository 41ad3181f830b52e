r"""The lasso and the elastic net: soft thresholding, sparsity, "at most N features", the
elastic net's limits and its group selection.

Lecture notes, "Lasso Regression (L1 Regularization)" and "Elastic Net".

- Orthonormal columns (X^T X = I): 1/2 |y - Xw|^2 + alpha |w|_1 equals, up to a constant
  in w, sum_j [1/2 (w_j - z_j)^2 + alpha |w_j|] with z = X^T y, one problem per coordinate,
  solved by soft thresholding w_j = sign(z_j) max(|z_j| - alpha, 0): where |z_j| > alpha
  the objective is differentiable at the solution and its derivative vanishes; where
  |z_j| <= alpha the subdifferential at 0, [-z_j - alpha, -z_j + alpha], contains 0.  This is
  the sparsity the notes describe: every weight with |z_j| <= alpha is exactly 0.
- "LASSO 最多只能選擇 N 個特徵" is false as stated: with d > N identical columns the
  weights t/d on every column form a lasso solution with d > N non-zero weights.  What holds
  (Tibshirani, "The lasso problem and uniqueness", 2013): some solution has at most
  rank(X) non-zeros, and when the columns are in general position the solution is unique
  and has at most min(N, d) of them; with the notes' unpenalised b (centred X, rank <= N - 1)
  at most N - 1.
- The elastic net's penalty alpha (beta |w|_1 + (1 - beta) |w|^2) is alpha |w|_1 at
  beta = 1 (the lasso, same alpha) and alpha |w|^2 = (2 alpha)/2 |w|^2 at beta = 0: ridge
  regression, in the notes' own parametrisation (alpha/2) |w|^2, with parameter 2 alpha.
  In numeric's parametrisation alpha' (rho |w|_1 + (1 - rho)/2 |w|^2) it is
  alpha' = alpha (2 - beta), rho = beta / (2 - beta).
- Group selection: with two identical columns the data term depends on w_1 + w_2 only; the
  elastic net penalty is smallest, for a given sum, at w_1 = w_2 (strictly so when beta < 1),
  so its unique solution splits the weight evenly, where the lasso may put it all on one.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize
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
from numeric.linear import elastic_net, lasso, ridge

from ._notes import LECTURE_NOTES

LASSO = "Lasso Regression (L1 Regularization)"
ELASTIC_NET = "Elastic Net"
SPARSITY_QUOTE = "L1 regularization 會導致參數稀疏化,很多參數會被壓縮到 0,適合用於特徵選擇"
AT_MOST_N_QUOTE = ("最大選擇數量: LASSO 最多只能選擇 $N$ 個特徵,當特徵數量 $d$ 遠大於樣本數量 $N$ "
                   "時,LASSO 可能無法選擇足夠的特徵來建構模型")
LIMITS_QUOTE = (r"$\beta \in [0, 1]$: 控制 L1 和 L2 正則化的權重比例,當 $\beta = 1$ 時,等同於 "
                r"LASSO;當 $\beta = 0$ 時,等同於 Ridge Regression")
GROUP_QUOTE = ("No Group Selection: 當有一組高度相關的特徵時,LASSO 可能只會選擇其中一個,"
               "而忽略其他相關特徵")
NET_LATEX = (r"\frac{1}{2} | y - (Xw - b)|^2 + \alpha(\beta |w|_1 + (1 - \beta) |w|^2)")

alpha = sp.Symbol("alpha", positive=True)
t = sp.Symbol("t", real=True)
y1, y2 = sp.symbols("y1 y2", real=True)
w1, w2 = sp.symbols("w1 w2", real=True)
weights = sp.Matrix([w1, w2])

ORTHONORMAL = Hypothesis(r"X^\top X = I", quote=None,
                         note="X a rotation of the plane (N = d = 2, angle t); b removed")

# ---------------------------------------------------------------- soft thresholding

rotation = sp.Matrix([[sp.cos(t), -sp.sin(t)], [sp.sin(t), sp.cos(t)]])
data = sp.Matrix([y1, y2])
residual = data - rotation * weights
z = rotation.T * data
LASSO_OBJECTIVE = residual.dot(residual) / 2 + alpha * (sp.Abs(w1) + sp.Abs(w2))
SEPARATED = sp.Add(*[(w_j - z_j) ** 2 / 2 + alpha * sp.Abs(w_j)
                     for w_j, z_j in zip(weights, z, strict=True)])

ORTHONORMAL_SIZE, ORTHONORMAL_DIM, THRESHOLD = 50, 8, 1.0


def _orthonormal_problem(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    columns = np.linalg.qr(rng.standard_normal((ORTHONORMAL_SIZE, ORTHONORMAL_DIM)))[0]
    labels = columns @ rng.uniform(-2.5, 2.5, ORTHONORMAL_DIM) + 0.1 * rng.standard_normal(
        ORTHONORMAL_SIZE)
    return columns, labels, columns.T @ labels


def _gap(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)))


def soft_threshold_is_lasso(seed: int) -> Comparison:
    """numeric.linear.lasso on orthonormal columns against sign(z) max(|z| - alpha, 0)."""
    columns, labels, projections = _orthonormal_problem(seed)
    fitted = lasso(columns, labels, THRESHOLD, fit_intercept=False, tol=1e-14).coef
    soft = np.sign(projections) * np.maximum(np.abs(projections) - THRESHOLD, 0.0)
    hard = np.where(np.abs(projections) > THRESHOLD, projections, 0.0)
    shifted = projections - THRESHOLD * np.sign(projections)
    return Comparison(estimate=_gap(fitted, soft), expected=0.0, tolerance=1e-8,
                      alternatives={"hard thresholding": _gap(fitted, hard),
                                    "z - alpha sign(z), no clipping at 0": _gap(fitted, shifted)},
                      details=f"N = {ORTHONORMAL_SIZE}, d = {ORTHONORMAL_DIM}, alpha = "
                              f"{THRESHOLD}; {int(np.sum(soft == 0))} weights thresholded to 0")


lasso_orthonormal_separates = Derivation(
    id="lasso-orthonormal-separates",
    title="With orthonormal columns the lasso is one 1-D problem per weight",
    source=Source(LECTURE_NOTES, LASSO, SPARSITY_QUOTE),
    start=Step(LASSO_OBJECTIVE, r"\frac{1}{2} | y - Xw|^2 + \alpha |w|_1"),
    steps=[Step(SEPARATED, r"\sum_{j=1}^{d} \left(\frac{1}{2} (w_j - z_j)^2 + \alpha |w_j|\right)",
                "X^T X = I, z = X^T y; the two differ by |y|^2/2 - |z|^2/2",
                relation="= const +", wrt=(w1, w2))],
    hypotheses=[ORTHONORMAL],
    crosschecks=[CrossCheck("lasso against soft thresholding", soft_threshold_is_lasso)],
    notation={"w": weights, "X": rotation, "y": data, "z": z, "d": 2},
)

z_j, w_j = sp.Symbol("z_j", real=True), sp.Symbol("w_j", real=True)
excess = sp.Symbol("c", positive=True)          # z_j - alpha > 0
p, q = sp.symbols("p q", positive=True)

soft_threshold_active = Derivation(
    id="lasso-soft-threshold-active-coordinate",
    title="|z_j| > alpha: w_j = z_j - alpha > 0 is a stationary point of the 1-D objective",
    source=Source(LECTURE_NOTES, LASSO, SPARSITY_QUOTE),
    start=Step((excess - (alpha + excess)) + alpha * sp.sign(excess),
               r"(w_j - z_j) + \alpha \operatorname{sign}(w_j) \Big|_{w_j = z_j - \alpha}",
               "the derivative of 1/2 (w_j - z_j)^2 + alpha |w_j| at w_j = z_j - alpha = c > 0"),
    steps=[Step(sp.Integer(0), r"0", "(z_j < -alpha is the mirror image)")],
    hypotheses=[ORTHONORMAL, Hypothesis(r"z_j = \alpha + c, \; c > 0", quote=None)],
    crosschecks=[CrossCheck("lasso against soft thresholding", soft_threshold_is_lasso)],
    notation={"w_j": w_j, "z_j": alpha + excess, "alpha": alpha},
)

INSIDE = alpha * (p - q) / (p + q)              # every z_j with |z_j| < alpha
soft_threshold_zero = Derivation(
    id="lasso-soft-threshold-zero-coordinate",
    title="|z_j| <= alpha: 0 lies in the subdifferential [-z_j - alpha, -z_j + alpha] at w_j = 0",
    source=Source(LECTURE_NOTES, LASSO, SPARSITY_QUOTE),
    start=Step((alpha - INSIDE) * (alpha + INSIDE),
               r"(-z_j + \alpha)(z_j + \alpha)",
               "0 lies between the ends -z_j - alpha and -z_j + alpha exactly when this "
               "product is >= 0"),
    steps=[Step(4 * alpha**2 * p * q / (p + q) ** 2, r"\frac{4 \alpha^2 p q}{(p + q)^2}",
                "z_j = alpha (p - q)/(p + q) runs over (-alpha, alpha)"),
           Step(sp.Integer(0), r"0", relation=">=")],
    hypotheses=[ORTHONORMAL, Hypothesis(r"|z_j| < \alpha", quote=None,
                                        note="z_j = alpha (p - q)/(p + q), p, q > 0; the ends "
                                             "|z_j| = alpha give w_j = 0 in both formulas")],
    crosschecks=[CrossCheck("lasso against soft thresholding", soft_threshold_is_lasso)],
    notation={"z_j": INSIDE},
)

# ---------------------------------------------------------------- at most N features

N = sp.Symbol("N", integer=True, positive=True)
extra = sp.Symbol("e", integer=True, positive=True)


def _identical_columns(rows: int, columns: int) -> tuple[np.ndarray, np.ndarray]:
    column = np.arange(rows, dtype=float) - (rows - 1) / 2
    return np.tile(column[:, None], (1, columns)), 3.0 * column + np.array(
        [0.4, -0.2, 0.1, -0.3][:rows])


def spread_solution_is_optimal(seed: int) -> Comparison:
    """N = 4 rows, d = 6 identical columns, alpha = 1: the weights t/d on every column reach
    the lasso's optimal objective (found by numeric.linear.lasso, which picks one column)."""
    del seed
    features, labels = _identical_columns(4, 6)
    fitted = lasso(features, labels, 1.0, tol=1e-14)
    spread = np.full(6, fitted.coef.sum() / 6)
    r = labels - labels.mean() - (features - features.mean(axis=0)) @ spread
    spread_objective = 0.5 * float(r @ r) + 1.0 * float(np.abs(spread).sum())
    optimal = abs(spread_objective - fitted.objective) <= 1e-9 * fitted.objective
    return Comparison(estimate=float(np.count_nonzero(spread)) if optimal else 0.0,
                      expected=6.0, tolerance=0.5,
                      alternatives={"the notes' largest possible count, N = 4": 4.0},
                      details=f"objective of the spread solution {spread_objective:.12g}, of "
                              f"the one-column solution {fitted.objective:.12g}")


GENERAL_SIZE, GENERAL_DIM = 8, 20


def general_position_count(seed: int) -> Comparison:
    """Gaussian X (general position), N = 8, d = 20, with intercept: the most non-zero weights
    over alpha = 1, 0.3, 0.1 is N - 1."""
    rng = np.random.default_rng(seed)
    features = rng.standard_normal((GENERAL_SIZE, GENERAL_DIM))
    labels = features[:, :3] @ np.array([3.0, -2.0, 1.5]) + 0.5 * rng.standard_normal(
        GENERAL_SIZE)
    counts = [np.count_nonzero(lasso(features, labels, a, tol=1e-10).coef) for a in (1, .3, .1)]
    return Comparison(estimate=float(max(counts)), expected=GENERAL_SIZE - 1.0, tolerance=0.5,
                      alternatives={"N": float(GENERAL_SIZE), "d": float(GENERAL_DIM)},
                      details=f"non-zero weights at alpha = 1, 0.3, 0.1: {counts}")


lasso_at_most_n = Derivation(
    id="lasso-selects-at-most-n-features",
    title="A lasso solution can have d > N non-zero weights; a unique one has at most N - 1",
    source=Source(LECTURE_NOTES, ELASTIC_NET, AT_MOST_N_QUOTE),
    start=Step(N + extra, r"\|\hat{w}\|_0 = d = N + e",
               "d = N + e identical columns: w_j = t/d on every column has the same data fit "
               "and the same |w|_1 as t on one column, so it is a solution too"),
    steps=[Step(N, r"N", "the notes: at most N features", relation="<=")],
    expected=erratum(Correction(
        0, Step(N - 1, r"\|\hat{w}\|_0 \le N - 1",
                "columns in general position: the solution is unique, with at most "
                "rank(centred X) <= N - 1 non-zeros (Tibshirani 2013)"),
        "not every lasso solution: with repeated (or linearly dependent) columns the "
        "solution set holds solutions with more than N non-zeros; some solution always has "
        "at most rank(X) of them, and in general position the solution is unique and has at "
        "most min(N, d), here N - 1 because b is unpenalised")),
    hypotheses=[Hypothesis(r"d > N", quote="當特徵數量 $d$ 遠大於樣本數量 $N$ 時"),
                Hypothesis(r"\text{columns in general position}", quote=None,
                           note="needed by the corrected line")],
    crosschecks=[CrossCheck("a spread solution with d > N non-zeros is optimal",
                            spread_solution_is_optimal),
                 CrossCheck("general position: at most N - 1 non-zeros",
                            general_position_count)],
)

# ---------------------------------------------------------------- elastic net limits

beta = sp.Symbol("beta", nonnegative=True)
l1_norm, l2_squared = sp.Abs(w1) + sp.Abs(w2), w1**2 + w2**2


def notes_penalty(mix) -> sp.Expr:
    """alpha (beta |w|_1 + (1 - beta) |w|^2), the notes' elastic-net penalty."""
    return alpha * (mix * l1_norm + (1 - mix) * l2_squared)


NET_SIZE, NET_ALPHA, NET_MIX = 40, 3.0, 0.4


def _net_data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    features = rng.standard_normal((NET_SIZE, 5))
    return features, features @ np.array([2.0, -1.0, 0.0, 0.0, 0.5]) + 0.5 * rng.standard_normal(
        NET_SIZE)


def _notes_net_minimum(features: np.ndarray, labels: np.ndarray, a: float,
                       mix: float) -> np.ndarray:
    """Minimise the notes' objective (centred, b removed) over w = u - v, u, v >= 0, by
    L-BFGS-B: a smooth bound-constrained problem, independent of numeric."""
    Xc, yc, d = features - features.mean(axis=0), labels - labels.mean(), features.shape[1]

    def value_and_gradient(uv: np.ndarray) -> tuple[float, np.ndarray]:
        w = uv[:d] - uv[d:]
        r = yc - Xc @ w
        grad_w = -Xc.T @ r + 2 * a * (1 - mix) * w
        value = 0.5 * r @ r + a * (mix * uv.sum() + (1 - mix) * w @ w)
        return float(value), np.concatenate([grad_w + a * mix, -grad_w + a * mix])

    result = scipy.optimize.minimize(value_and_gradient, np.zeros(2 * d), jac=True,
                                     method="L-BFGS-B", bounds=[(0, None)] * (2 * d),
                                     options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 5000})
    return np.asarray(result.x[:d] - result.x[d:])


def reparametrised_net(seed: int) -> Comparison:
    """The notes' elastic net (alpha = 3, beta = 0.4) by L-BFGS-B against
    numeric.linear.elastic_net(alpha (2 - beta), beta / (2 - beta))."""
    features, labels = _net_data(seed)
    reference = _notes_net_minimum(features, labels, NET_ALPHA, NET_MIX)
    ours = elastic_net(features, labels, NET_ALPHA * (2 - NET_MIX), NET_MIX / (2 - NET_MIX)).coef
    naive = elastic_net(features, labels, NET_ALPHA, NET_MIX).coef
    return Comparison(estimate=_gap(reference, ours), expected=0.0, tolerance=1e-5,
                      alternatives={"numeric.elastic_net(alpha, beta) (same numbers)":
                                    _gap(reference, naive)},
                      details=f"N = {NET_SIZE}, d = 5; max |w difference|")


def beta_zero_is_ridge(seed: int) -> Comparison:
    """The notes' elastic net at beta = 0 (by L-BFGS-B) against ridge(2 alpha)."""
    features, labels = _net_data(seed)
    reference = _notes_net_minimum(features, labels, NET_ALPHA, 0.0)
    return Comparison(estimate=_gap(reference, ridge(features, labels, 2 * NET_ALPHA).coef),
                      expected=0.0, tolerance=1e-5,
                      alternatives={"ridge with the same alpha": _gap(
                          reference, ridge(features, labels, NET_ALPHA).coef)},
                      details=f"alpha = {NET_ALPHA}; max |w difference|")


elastic_net_limits = Derivation(
    id="elastic-net-limits",
    title="beta = 1: the lasso with alpha; beta = 0: ridge (alpha'/2)|w|^2 with alpha' = 2 alpha",
    source=Source(LECTURE_NOTES, ELASTIC_NET, LIMITS_QUOTE),
    start=Step(sp.ImmutableMatrix([notes_penalty(1), notes_penalty(0)]),
               r"\left(\alpha(\beta |w|_1 + (1 - \beta) |w|^2)\Big|_{\beta = 1}, "
               r"\alpha(\beta |w|_1 + (1 - \beta) |w|^2)\Big|_{\beta = 0}\right)"),
    steps=[Step(sp.ImmutableMatrix([alpha * l1_norm, 2 * alpha / 2 * l2_squared]),
                r"\left(\alpha |w|_1, \frac{2\alpha}{2} |w|^2\right)",
                "the lasso penalty with the same alpha; the ridge penalty (alpha'/2)|w|^2 of "
                "'Ridge Regression' with alpha' = 2 alpha, not alpha")],
    hypotheses=[Hypothesis(r"\beta \in [0, 1]", quote=r"$\beta \in [0, 1]$")],
    crosschecks=[CrossCheck("beta = 0 is ridge with 2 alpha", beta_zero_is_ridge)],
    notation={"w": weights, "beta": beta},
)

rho = beta / (2 - beta)
elastic_net_parametrisation = Derivation(
    id="elastic-net-numeric-parametrisation",
    title="The notes' penalty is alpha' (rho |w|_1 + (1 - rho)/2 |w|^2) with alpha' = "
          "alpha (2 - beta), rho = beta / (2 - beta)",
    source=Source(LECTURE_NOTES, ELASTIC_NET, NET_LATEX),
    start=Step(notes_penalty(beta), r"\alpha(\beta |w|_1 + (1 - \beta) |w|^2)"),
    steps=[Step(alpha * (2 - beta) * (rho * l1_norm + (1 - rho) / 2 * l2_squared),
                r"\alpha (2 - \beta) \left(\rho |w|_1 + \frac{1 - \rho}{2} |w|^2\right), "
                r"\quad \rho = \frac{\beta}{2 - \beta}",
                "the parametrisation of numeric.linear.elastic_net and scikit-learn")],
    hypotheses=[Hypothesis(r"\beta \in [0, 1]", quote=r"$\beta \in [0, 1]$",
                           note="2 - beta > 0")],
    notation={"w": weights},
    crosschecks=[CrossCheck("numeric.elastic_net with alpha', rho minimises the notes' objective",
                            reparametrised_net)],
)

# ---------------------------------------------------------------- group selection

u, v = sp.symbols("u v", real=True)
ratio = sp.Symbol("r", nonnegative=True)
mix_in_range = 1 / (1 + ratio)                  # beta in (0, 1]


def _net_penalty_at(a, b) -> sp.Expr:
    return alpha * (mix_in_range * (sp.Abs(a) + sp.Abs(b)) + (1 - mix_in_range) * (a**2 + b**2))


def identical_columns_split_evenly(seed: int) -> Comparison:
    """Two identical columns (plus noise features): elastic net w_1 - w_2 against the lasso's."""
    rng = np.random.default_rng(seed)
    column = rng.standard_normal(NET_SIZE)
    features = np.column_stack([column, column, rng.standard_normal((NET_SIZE, 2))])
    labels = 2.0 * column + 0.3 * rng.standard_normal(NET_SIZE)
    net = elastic_net(features, labels, 4.0, 0.5).coef
    one = lasso(features, labels, 4.0).coef
    return Comparison(estimate=abs(float(net[0] - net[1])), expected=0.0, tolerance=1e-8,
                      alternatives={"the lasso's |w_1 - w_2| (all weight on one column)":
                                    abs(float(one[0] - one[1]))},
                      details=f"elastic net w_1, w_2 = {net[0]:.6g}, {net[1]:.6g}; lasso "
                              f"{one[0]:.6g}, {one[1]:.6g}")


elastic_net_group_selection = Derivation(
    id="elastic-net-splits-identical-features",
    title="Identical columns: the elastic-net penalty at (u, v) exceeds that at the even split",
    source=Source(LECTURE_NOTES, ELASTIC_NET, GROUP_QUOTE),
    start=Step(_net_penalty_at(u, v) - _net_penalty_at((u + v) / 2, (u + v) / 2),
               r"P(u, v) - P\left(\frac{u + v}{2}, \frac{u + v}{2}\right)",
               "x_1 = x_2: the data term depends on w_1 + w_2 = u + v only"),
    steps=[Step(alpha * mix_in_range * (sp.Abs(u) + sp.Abs(v) - sp.Abs(u + v))
                + alpha * (1 - mix_in_range) * (u - v) ** 2 / 2,
                r"\alpha \beta (|u| + |v| - |u + v|) + \frac{\alpha (1 - \beta)}{2} (u - v)^2"),
           Step(sp.Integer(0), r"0",
                "triangle inequality; > 0 for u != v when beta < 1: the solution is the "
                "unique even split", relation=">=")],
    hypotheses=[Hypothesis(r"x_1 = x_2", quote="當有一組高度相關的特徵時",
                           note="the extreme case of correlated features"),
                Hypothesis(r"\beta \in [0, 1]", quote=r"$\beta \in [0, 1]$",
                           note="beta = 1/(1 + r), r >= 0, covers (0, 1]; at beta = 0 (ridge) "
                                "the (u - v)^2 term alone is left, >= 0 as well")],
    crosschecks=[CrossCheck("elastic net splits identical columns evenly, the lasso does not",
                            identical_columns_split_evenly)],
    budget=2.0,
    notation={"P": _net_penalty_at, "beta": mix_in_range},
)
