r"""The regression metrics: RSE as a ratio of MSEs, and R^2 as the share of variance
explained by a least-squares fit with an intercept.

Lecture notes, "The Regression Problem".  RSE(f; D) = SSE(f; D) / SSE(y-bar; D) is also
MSE(f; D) / MSE(y-bar; D) (the 1/N cancels).  "R^2 是用來衡量模型解釋變異的比例": for the
least-squares line with an intercept the residuals are orthogonal to 1 and to the fitted
values, so SST = SSE + SSR and R^2 = 1 - RSE = SSR / SST = sum (y-hat_i - y-bar)^2 /
sum (y_i - y-bar)^2, a proportion in [0, 1].  For other models (no intercept, or new data)
the cross term does not vanish and 1 - RSE is no proportion: it is negative exactly when
RSE > 1 (regression-r-squared-against-mean-predictor).  Checked with N = 3 points and one
feature, all six values symbols.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive import Comparison, CrossCheck, Derivation, Hypothesis, Source, Step
from numeric.linear import least_squares

from ._notes import LECTURE_NOTES

SECTION = "The Regression Problem"
R2_QUOTE = "R-squared ($R^2$) 是用來衡量模型解釋變異的比例 $$ R^2 = 1 - RSE $$"
RSE_QUOTE = (r"RSE(f; D) = \frac{\sum_{i=1}^{N} (y_i - f(x_i))^2}{\sum_{i=1}^{N} "
             r"(y_i - \bar{y})^2}")

N = sp.Symbol("N", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
y = sp.IndexedBase("y", real=True)
f = sp.IndexedBase("f", real=True)
y_bar = sp.Sum(y[i], (i, 1, N)) / N


def _mse(prediction) -> sp.Expr:
    return sp.Sum((y[i] - prediction) ** 2, (i, 1, N)) / N


# Deviations from the means: u_i = x_i - x-bar, v_i = y_i - y-bar, each summing to 0.
x = sp.IndexedBase("x", real=True)


def _prediction(point: sp.Expr) -> sp.Expr:
    """f(x_i) = f_i."""
    return f[point.indices[0]]


def _predicted(prediction) -> sp.Expr:
    """The prediction at x_i: f(x_i) for a function f, the number itself for a constant."""
    return prediction(x[i]) if callable(prediction) else prediction


RSE_NOTATION = {"f": _prediction, "x": x, r"\bar{y}": y_bar, "D": sp.Symbol("D"),
                "MSE": lambda prediction, data: _mse(_predicted(prediction)),
                "RSE": lambda prediction, data: _mse(_predicted(prediction)) / _mse(y_bar)}
"""MSE(f; D), RSE(f; D), f(x_i) = f_i: the notes' names on the data set D = (x_i, y_i)."""

u1, u2, v1, v2 = sp.symbols("u1 u2 v1 v2", real=True)
us, vs = (u1, u2, -u1 - u2), (v1, v2, -v1 - v2)
slope = sum(a * b for a, b in zip(us, vs, strict=True)) / sum(a**2 for a in us)
SST = sum(b**2 for b in vs)
SSE = sum((b - slope * a) ** 2 for a, b in zip(us, vs, strict=True))
SSR = sum((slope * a) ** 2 for a in us)

# ---------------------------------------------------------------- cross-check


def _r_squared_and_share(features, labels, intercept: bool) -> tuple[float, float]:
    model = least_squares(features, labels, fit_intercept=intercept)
    predicted = model.predict(features)
    total = float(np.sum((labels - labels.mean()) ** 2))
    rse = float(np.sum((labels - predicted) ** 2)) / total
    return 1 - rse, float(np.sum((predicted - labels.mean()) ** 2)) / total


def explained_share(seed: int) -> Comparison:
    """1 - RSE against SSR / SST for least squares with an intercept (d = 4, N = 50);
    without the intercept the two part."""
    rng = np.random.default_rng(seed)
    features = rng.standard_normal((50, 4)) + 2.0
    labels = features @ np.array([1.0, -0.5, 0.3, 0.0]) + 3.0 + rng.standard_normal(50)
    r2, share = _r_squared_and_share(features, labels, True)
    r2_no, share_no = _r_squared_and_share(features, labels, False)
    return Comparison(estimate=r2 - share, expected=0.0, tolerance=1e-10,
                      alternatives={"the same gap for a fit without intercept": r2_no - share_no},
                      details=f"with intercept: R^2 = {r2:.6f}; without: 1 - RSE = {r2_no:.4f}"
                              f", SSR/SST = {share_no:.4f}")


r_squared_explained = Derivation(
    id="r-squared-is-explained-share-for-least-squares",
    title="Least squares with an intercept: R^2 = 1 - RSE = SSR / SST",
    source=Source(LECTURE_NOTES, SECTION, R2_QUOTE),
    start=Step(1 - SSE / SST, r"R^2 = 1 - RSE"),
    steps=[Step(SSR / SST, r"\frac{\sum_{i=1}^{N} (\hat{y}_i - \bar{y})^2}{\sum_{i=1}^{N} "
                           r"(y_i - \bar{y})^2}",
                "SST = SSE + SSR: the residuals of the least-squares line are orthogonal to "
                "1 and to the fitted values")],
    hypotheses=[Hypothesis(r"\hat{y}_i = \bar{y} + \hat{b} (x_i - \bar{x}) \text{ (least "
                           r"squares with intercept)}", quote=None,
                           note="N = 3 points, one feature, written as deviations from the "
                                "means; not all x_i (nor y_i) equal")],
    crosschecks=[CrossCheck("1 - RSE against SSR / SST", explained_share)],
    notation={"R": sp.Symbol("R"), "RSE": SSE / SST, "N": 3, "y": sp.Matrix(vs), r"\bar{y}": 0,
              r"\hat{y}": sp.Matrix([slope * a for a in us])},
)


def rse_ratio(seed: int) -> Comparison:
    """SSE(f) / SSE(y-bar) against MSE(f) / MSE(y-bar) for a perturbed least-squares fit."""
    rng = np.random.default_rng(seed)
    features = rng.standard_normal((40, 3))
    labels = features @ np.array([1.0, 2.0, -1.0]) + 5.0 + rng.standard_normal(40)
    predicted = least_squares(features, labels).predict(features) + 0.3
    sse = float(np.sum((labels - predicted) ** 2))
    rse = sse / float(np.sum((labels - labels.mean()) ** 2))
    mse_ratio = np.mean((labels - predicted) ** 2) / np.mean((labels - labels.mean()) ** 2)
    return Comparison(estimate=float(mse_ratio) - rse, expected=0.0, tolerance=1e-12,
                      alternatives={"SSE / sum y_i^2 (no centring)":
                                    float(mse_ratio) - sse / float(labels @ labels)},
                      details=f"RSE = {rse:.6f}")


rse_as_mse_ratio = Derivation(
    id="rse-is-ratio-of-mses",
    title="RSE = MSE(f; D) / MSE(y-bar; D)",
    source=Source(LECTURE_NOTES, SECTION, RSE_QUOTE),
    start=Step(_mse(f[i]) / _mse(y_bar),
               r"\frac{MSE(f; D)}{MSE(\bar{y}; D)}"),
    steps=[Step(sp.Sum((y[i] - f[i]) ** 2, (i, 1, N)) / sp.Sum((y[i] - y_bar) ** 2, (i, 1, N)),
                RSE_QUOTE.split("= ", 1)[1], "the factors 1/N cancel")],
    hypotheses=[Hypothesis(r"\sum_{i=1}^{N} (y_i - \bar{y})^2 > 0", quote=None,
                           note="not all y_i equal, else RSE is undefined")],
    crosschecks=[CrossCheck("RSE as an MSE ratio", rse_ratio)],
    notation=RSE_NOTATION,
)

# ---------------------------------------------------------------- the mean predictor on new data

m = sp.Symbol("m", real=True)       # a constant prediction, e.g. the training mean
SST_D = sp.Sum((y[i] - y_bar) ** 2, (i, 1, N))


def constant_predictor_on_new_data(seed: int) -> Comparison:
    """RSE on 20 test points of the training mean (from 20 training points): the identity's
    value 1 + N (m - y-bar)^2 / SST against the direct computation."""
    rng = np.random.default_rng(seed)
    train, test = rng.normal(3.0, 1.0, 20), rng.normal(3.0, 1.0, 20)
    m_value = float(train.mean())
    direct = float(np.sum((test - m_value) ** 2) / np.sum((test - test.mean()) ** 2))
    formula = 1 + 20 * (m_value - test.mean()) ** 2 / float(np.sum((test - test.mean()) ** 2))
    return Comparison(estimate=direct, expected=float(formula), tolerance=1e-12,
                      alternatives={"exactly 1 (as for the in-sample mean)": 1.0},
                      details=f"training mean {m_value:.4f}, test mean {test.mean():.4f}")


constant_predictor_rse = Derivation(
    id="rse-of-a-constant-predictor",
    title="A constant prediction m has RSE = 1 + N (m - y-bar)^2 / SST >= 1: exactly 1 only for "
          "the mean of D itself",
    source=Source(LECTURE_NOTES, SECTION,
                  "一般來說,RSE 越小表示模型越好,如果算出來大於 1,表示模型比直接用平均值來預測還差,"
                  "你乾脆直接用平均值算就好"),
    start=Step(sp.Sum((y[i] - m) ** 2, (i, 1, N)) / SST_D, r"RSE(m; D)",
               "f(x) = m for every x"),
    steps=[Step(1 + N * (m - y_bar) ** 2 / SST_D,
                r"1 + \frac{N (m - \bar{y})^2}{\sum_{i=1}^{N} (y_i - \bar{y})^2}",
                "sum (y_i - m)^2 = sum (y_i - y-bar)^2 + N (y-bar - m)^2; the added term is "
                ">= 0 and 0 only at m = y-bar: on data other than the training set, the mean "
                "one can actually predict with (the training mean) has RSE > 1 too")],
    hypotheses=[Hypothesis(r"\sum_{i=1}^{N} (y_i - \bar{y})^2 > 0", quote=None,
                           note="not all y_i equal")],
    notation=RSE_NOTATION,
    crosschecks=[CrossCheck("the training mean's RSE on test data",
                            constant_predictor_on_new_data)],
)
