r"""More neurons are not always better: training error falls with capacity, test error need not.

Assignment, "Unanswered questions in assignment 03": "不一定。[...] overfitting（模型過大、資料
不足）[...] generalization gap（模型太複雜反而泛化更差）" and "所以：更大不一定更好。通常會使用
cross-validation 找最佳模型大小。"

- Least squares over a larger set of features never has a larger training error (the
  column space grows): training error is non-increasing in the width of a network whose
  hidden layer is fixed (random tanh units) and whose output layer is fitted.
- Test error is not: with p Gaussian features of which only p_0 matter, the least-squares
  excess test risk is sigma^2 p / (n - p - 1) (the mean of an inverse Wishart matrix), which
  grows with every feature added; the training error sigma^2 (n - p) / n falls.  Random tanh
  networks of growing width show the same on a curve (test error peaks where the width
  reaches the number of points).
- k-fold cross-validation estimates the test risk of the model fitted on n (k - 1) / k
  points, sigma^2 (1 + p / (n (k-1)/k - p - 1)), where the training error does not: it can
  choose the size.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from derive import Comparison, CrossCheck, Derivation, Hypothesis, Source, Step
from numeric import montecarlo
from numeric.random_features import hidden_layer, kfold_mse, tanh_layer

from ._notes import ASSIGNMENT

SECTION = "Unanswered questions in assignment 03"
OVERFIT_QUOTE = ("但同時也存在著缺點，例如：overfitting（模型過大、資料不足），vanishing/exploding "
                 "gradients（訓練不穩）等因素使得計算成本上升並具有 generalization gap（模型太複雜反而"
                 "泛化更差）。")
CV_QUOTE = "所以：更大不一定更好。通常會使用 cross-validation 找最佳模型大小。"

# ================================================================ training error

rss, inner = sp.Symbol("RSS_m", nonnegative=True), sp.Symbol("a", real=True)
residual_norm = sp.Symbol("b", positive=True)


# ---------------------------------------------------------------- the tanh-network experiment

WIDTHS = tuple(range(1, 76))
CV_WIDTHS = (2, 4, 6, 8, 10, 12, 16, 20, 25, 30, 45, 75)
TRAIN_POINTS, TEST_POINTS, DIM, DATA_SETS, FOLDS, NOISE = 30, 400, 5, 24, 5, 0.3
SMALL_WIDTH = 8


def _target(x: np.ndarray) -> np.ndarray:
    return np.asarray(np.sin(x[:, 0]) + 0.5 * x[:, 1] * x[:, 2])


def _errors_by_width(features_train: np.ndarray, y_train: np.ndarray, features_test: np.ndarray,
                     y_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Training and test MSE of the least-squares output layer on the first m units."""
    train, test = [], []
    for width in WIDTHS:
        v = np.linalg.lstsq(features_train[:, :width], y_train, rcond=None)[0]
        train.append(np.mean((features_train[:, :width] @ v - y_train) ** 2))
        test.append(np.mean((features_test[:, :width] @ v - y_test) ** 2))
    return np.array(train), np.array(test)


def _cv_width(features_train: np.ndarray, y_train: np.ndarray, seed: int) -> int:
    """The width in CV_WIDTHS with the smallest 5-fold cross-validated MSE."""
    def risk(width: int) -> float:
        def fit_predict(phi_train: np.ndarray, target: np.ndarray,
                        phi_held: np.ndarray) -> np.ndarray:
            v = np.linalg.lstsq(phi_train, target, rcond=None)[0]
            return np.asarray(phi_held @ v)
        return kfold_mse(fit_predict, features_train[:, :width], y_train, FOLDS, seed)
    return min(CV_WIDTHS, key=risk)


def _one_data_set(rng: np.random.Generator, layer_seed: np.random.SeedSequence
                  ) -> tuple[np.ndarray, np.ndarray, int]:
    weights, biases = tanh_layer(max(WIDTHS), DIM, layer_seed)
    x_train, x_test = rng.normal(size=(TRAIN_POINTS, DIM)), rng.normal(size=(TEST_POINTS, DIM))
    y_train = _target(x_train) + NOISE * rng.normal(size=TRAIN_POINTS)
    y_test = _target(x_test) + NOISE * rng.normal(size=TEST_POINTS)
    phi_train = hidden_layer(x_train, weights, biases)
    phi_test = hidden_layer(x_test, weights, biases)
    train, test = _errors_by_width(phi_train, y_train, phi_test, y_test)
    chosen = _cv_width(phi_train, y_train, int(rng.integers(2**31)))
    return train, test, chosen


def tanh_width_curves(seed: int) -> Comparison:
    """Training error never rises with width; the test error does (Monte Carlo over data sets)."""
    root = np.random.SeedSequence(seed)
    trains, tests, chosen = [], [], []
    for child in root.spawn(DATA_SETS):
        data_seed, layer_seed = child.spawn(2)
        train, test, width = _one_data_set(np.random.default_rng(data_seed), layer_seed)
        trains.append(train)
        tests.append(test)
        chosen.append(width)
    train_table, test_table = np.array(trains), np.array(tests)
    rise = float(np.max(np.diff(train_table, axis=1)))
    median = np.median(test_table, axis=0)
    best, peak = int(np.argmin(median)), int(np.argmax(median))
    cv_test = float(np.median([test_table[d, WIDTHS.index(w)] for d, w in enumerate(chosen)]))
    wide, small = WIDTHS.index(TRAIN_POINTS), WIDTHS.index(SMALL_WIDTH)   # fixed beforehand
    worse = float(np.mean(test_table[:, wide] > test_table[:, small]))
    log_gap = np.log(test_table[:, wide] / test_table[:, small])
    log_gap_se = float(log_gap.std(ddof=1) / np.sqrt(DATA_SETS))
    return Comparison(
        estimate=max(rise, 0.0), expected=0.0, tolerance=1e-9,
        alternatives={"the test error's largest rise from width m to m + 1 (median over data "
                      "sets)": float(np.max(np.diff(median)))},
        details=f"{DATA_SETS} data sets of {TRAIN_POINTS} points x ~ N(0, I_{DIM}), y = sin x_1 "
                f"+ x_2 x_3 / 2 + N(0, {NOISE}^2); random tanh layers of width 1..{max(WIDTHS)} "
                f"(nested), output by minimum-norm least squares; largest rise of a training "
                f"error: {rise:.1e}; median test error {median[best]:.3f} at width "
                f"{WIDTHS[best]} (the best), {median[peak]:.3g} at width {WIDTHS[peak]} (the "
                f"peak, as many units as points), {median[-1]:.3f} at width {WIDTHS[-1]}; "
                f"width {TRAIN_POINTS} is worse than width {SMALL_WIDTH} in {worse:.0%} of the "
                f"data sets, by a factor "
                f"exp({log_gap.mean():.2f} ± {log_gap_se:.2f}) on average; "
                f"{FOLDS}-fold CV picks widths {min(chosen)}..{max(chosen)} (median "
                f"{int(np.median(chosen))}), median test error there {cv_test:.3f}",
        data={"plot": "curves", "x": list(WIDTHS), "logy": True,
              "curves": {"training MSE (median)": np.median(train_table, axis=0).tolist(),
                         "test MSE (median)": median.tolist()},
              "title": "Random tanh networks: error against width",
              "xlabel": "hidden units m", "ylabel": "mean squared error"})


training_error_falls = Derivation(
    id="least-squares-training-error-nonincreasing-in-width",
    title="Adding a hidden unit never increases the least-squares training error",
    source=Source(ASSIGNMENT, SECTION, OVERFIT_QUOTE),
    start=Step(rss - inner**2 / residual_norm,
               r"\mathrm{RSS}_{m+1} = \mathrm{RSS}_m - \frac{(r_m^\top \phi_\perp)^2}"
               r"{\|\phi_\perp\|^2}",
               "r_m the residual with m units, phi_perp the part of the new unit's column "
               "orthogonal to the first m (a = r_m^T phi_perp, b = ||phi_perp||^2 > 0; if "
               "phi_perp = 0 nothing changes): projection on a larger column space"),
    steps=[Step(rss, r"\mathrm{RSS}_m", relation="<=")],
    hypotheses=[Hypothesis(r"\text{hidden layer fixed; output layer by least squares}", None,
                           "the networks of growing width share their first m units")],
    crosschecks=[CrossCheck("random tanh networks: training against test error by width",
                            tanh_width_curves)],
)


# ================================================================ test risk of least squares

n = sp.Symbol("n", integer=True, positive=True)
p = sp.Symbol("p", integer=True, positive=True)
spare = sp.Symbol("m", integer=True, nonnegative=True)     # n = p + 3 + m
s2 = sp.Symbol("sigma", positive=True) ** 2
ROWS = p + 3 + spare


def _excess(features: sp.Expr) -> sp.Expr:
    return s2 * features / (ROWS - features - 1)


N_OLS, P_TRUE, P_BIG, P_CV, OLS_DRAWS, SIGMA = 30, 2, 20, 10, 4000, 1.0


def _ols_sampler(features: int, statistic: str
                 ) -> Callable[[np.random.Generator, int], np.ndarray]:
    """Per data set: ||beta_hat - beta||^2 ("excess"), RSS / n ("train"), or 5-fold CV MSE."""
    def sampler(rng: np.random.Generator, size: int) -> np.ndarray:
        X = rng.standard_normal((size, N_OLS, features))
        beta = np.zeros(features)
        beta[:P_TRUE] = (1.0, -1.0)
        y = X @ beta + SIGMA * rng.standard_normal((size, N_OLS))
        if statistic == "cv":
            return _batched_cv(X, y)
        estimate = _batched_ols(X, y)
        if statistic == "excess":
            return np.asarray(np.sum((estimate - beta) ** 2, axis=1))
        return np.asarray(np.mean((y - np.einsum("snp,sp->sn", X, estimate)) ** 2, axis=1))
    return sampler


def _batched_ols(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    gram = np.einsum("snp,snq->spq", X, X)
    return np.linalg.solve(gram, np.einsum("snp,sn->sp", X, y)[..., None])[..., 0]


def _batched_cv(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """5-fold cross-validated MSE of least squares, per data set (folds of 6 points)."""
    errors = np.zeros(X.shape[0])
    for held in np.array_split(np.arange(N_OLS), 5):
        keep = np.setdiff1d(np.arange(N_OLS), held)
        estimate = _batched_ols(X[:, keep], y[:, keep])
        predicted = np.einsum("snp,sp->sn", X[:, held], estimate)
        errors += np.sum((predicted - y[:, held]) ** 2, axis=1)
    return errors / N_OLS


def ols_excess_risk(seed: int) -> Comparison:
    """E||beta_hat - beta||^2 with p = 20 of which 2 matter, n = 30: sigma^2 p / (n - p - 1)."""
    result = montecarlo.estimate(_ols_sampler(P_BIG, "excess"), OLS_DRAWS, seed=seed)
    return Comparison(
        estimate=float(result.mean), stderr=float(result.stderr),
        expected=SIGMA**2 * P_BIG / (N_OLS - P_BIG - 1),
        alternatives={"bigger is better: the risk of the 2 relevant features alone":
                      SIGMA**2 * P_TRUE / (N_OLS - P_TRUE - 1)},
        details=f"n = {N_OLS}, x ~ N(0, I_{P_BIG}), y = x_1 - x_2 + N(0, 1), {OLS_DRAWS} data "
                f"sets; excess test risk E[(x^T (beta_hat - beta))^2] = E||beta_hat - beta||^2")


def ols_training_error(seed: int) -> Comparison:
    """E[RSS / n] = sigma^2 (n - p) / n: the training error falls as the test risk rises."""
    result = montecarlo.estimate(_ols_sampler(P_BIG, "train"), OLS_DRAWS, seed=seed)
    return Comparison(
        estimate=float(result.mean), stderr=float(result.stderr),
        expected=SIGMA**2 * (N_OLS - P_BIG) / N_OLS,
        alternatives={"the test risk sigma^2 (1 + p / (n - p - 1))":
                      SIGMA**2 * (1 + P_BIG / (N_OLS - P_BIG - 1)),
                      "the training error of the 2-feature model": (N_OLS - P_TRUE) / N_OLS},
        details=f"n = {N_OLS}, p = {P_BIG}, {OLS_DRAWS} data sets")


def cv_estimates_test_risk(seed: int) -> Comparison:
    """E[5-fold CV MSE] = sigma^2 (1 + p / (n' - p - 1)), n' = 24: the test risk at n'."""
    result = montecarlo.estimate(_ols_sampler(P_CV, "cv"), OLS_DRAWS, seed=seed)
    n_fit = N_OLS * 4 // 5
    return Comparison(
        estimate=float(result.mean), stderr=float(result.stderr),
        expected=SIGMA**2 * (1 + P_CV / (n_fit - P_CV - 1)),
        alternatives={"the training error sigma^2 (n - p) / n": SIGMA**2 * (N_OLS - P_CV) / N_OLS,
                      "the test risk of the fit on all n points":
                      SIGMA**2 * (1 + P_CV / (N_OLS - P_CV - 1))},
        details=f"n = {N_OLS}, p = {P_CV}, 5 folds of 6 points, {OLS_DRAWS} data sets")


risk_grows = Derivation(
    id="least-squares-test-risk-grows-with-features",
    title="One more feature raises the least-squares excess risk sigma^2 p / (n - p - 1)",
    source=Source(ASSIGNMENT, SECTION, CV_QUOTE),
    start=Step(_excess(p + 1) - _excess(p),
               r"\frac{\sigma^2 (p + 1)}{n - p - 2} - \frac{\sigma^2 p}{n - p - 1}",
               "E||beta_hat - beta||^2 = sigma^2 E tr((X^T X)^{-1}) = sigma^2 p / (n - p - 1) "
               "for x ~ N(0, I_p) (the mean of an inverse Wishart matrix) once the true "
               "features are in the model; n = p + 3 + m"),
    steps=[Step(s2 * (ROWS - 1) / ((ROWS - p - 1) * (ROWS - p - 2)),
                r"\frac{\sigma^2 (n - 1)}{(n - p - 1)(n - p - 2)}"),
           Step(sp.S.Zero, "0", "every added feature raises the test risk, while the training "
                "error sigma^2 (n - p) / n falls: bigger is not better", relation=">")],
    hypotheses=[Hypothesis(r"x \sim \mathcal{N}(0, I_p), \; y = x^\top \beta + \varepsilon, "
                           r"\; \operatorname{Var} \varepsilon = \sigma^2", None,
                           "Gaussian features; the features of beta are among the p"),
                Hypothesis(r"n \ge p + 3", None, "so that the risk with p + 1 features is finite")],
    crosschecks=[CrossCheck("least-squares excess risk with 20 features (2 relevant)",
                            ols_excess_risk),
                 CrossCheck("least-squares training error with 20 features", ols_training_error)],
    notation={"n": ROWS},
)

cv_risk = Derivation(
    id="cross-validation-estimates-the-test-risk",
    title="k-fold CV estimates the test risk of the fit on n (k-1)/k points, not the training error",
    source=Source(ASSIGNMENT, SECTION, CV_QUOTE),
    start=Step(s2 + _excess(p), r"\sigma^2 + \frac{\sigma^2 p}{n' - p - 1}",
               "each held-out point is independent of the fit that predicts it: its expected "
               "squared error is the test risk of a fit on n' = n (k-1)/k points (here n' = "
               "p + 3 + m)"),
    steps=[Step(s2 * (ROWS - 1) / (ROWS - p - 1), r"\frac{\sigma^2 (n' - 1)}{n' - p - 1}"),
           Step(s2 * (ROWS - p) / ROWS, r"\frac{\sigma^2 (n' - p)}{n'}",
                "the training error at n' is smaller: it cannot choose the size",
                relation=">")],
    hypotheses=risk_grows.hypotheses,
    crosschecks=[CrossCheck("5-fold cross-validated MSE of least squares", cv_estimates_test_risk)],
    notation={"n'": ROWS},
)
