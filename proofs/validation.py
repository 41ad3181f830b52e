r"""Validation: why alpha is chosen on held-out data, not on the training error.

Lecture notes, "Validation": "通常會使用 Cross-Validation 來評估不同 hyperparameter 下模型的
表現,選擇在驗證集上表現最好的參數組合".

The training error cannot choose alpha: for ridge regression it rises with alpha, so it
always picks the smallest candidate.  With the SVD X = U diag(s) V^T (d = 2 here) and
c = U^T y, the training residual in the column space of X has components
alpha c_j / (s_j^2 + alpha), so

    |y - X w(alpha)|^2 = const + sum_j alpha^2 c_j^2 / (s_j^2 + alpha)^2,
    d/d alpha = 2 sum_j alpha s_j^2 c_j^2 / (s_j^2 + alpha)^3 >= 0.

The cross-check draws data sets where regularisation helps (N = 30, d = 20, noise sd 2)
and chooses alpha from a grid by the training error and by 5-fold cross-validation
(numeric.validation); each chosen model's test error is exact for Gaussian inputs,
sigma^2 + |w - w*|^2.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive import Comparison, CrossCheck, Derivation, Hypothesis, Source, Step
from numeric.linear import ridge
from numeric.validation import choose_by_cross_validation

from ._notes import LECTURE_NOTES

SECTION = "Validation"
QUOTE = ("通常會使用 Cross-Validation 來評估不同 hyperparameter 下模型的表現,"
         "選擇在驗證集上表現最好的參數組合")

alpha = sp.Symbol("alpha", positive=True)
s1, s2 = sp.symbols("s1 s2", positive=True)
c1, c2 = sp.symbols("c1 c2", real=True)
PAIRS = ((s1, c1), (s2, c2))
TRAINING_RESIDUAL = sp.Add(*[alpha**2 * c**2 / (s**2 + alpha) ** 2 for s, c in PAIRS])

# ---------------------------------------------------------------- cross-check

SIZE, DIM, NOISE_SD, DATA_SETS = 30, 20, 2.0, 20
GRID = (1e-3, 0.1, 1.0, 3.0, 10.0, 30.0, 100.0)


def _ridge_rule(penalty: float):
    return lambda X, y: ridge(X, y, penalty)


def _predict(model, X):
    return model.predict(X)


def _choices(rng: np.random.Generator) -> tuple[float, float, float, float]:
    """(alpha by training error, alpha by 5-fold CV, their exact test errors)."""
    truth = rng.standard_normal(DIM) * 0.5
    X = rng.standard_normal((SIZE, DIM))
    y = X @ truth + NOISE_SD * rng.standard_normal(SIZE)
    training = [float(np.mean((y - ridge(X, y, a).predict(X)) ** 2)) for a in GRID]
    by_training = GRID[int(np.argmin(training))]
    by_cv = choose_by_cross_validation(_ridge_rule, _predict, GRID, X, y, k=5,
                                       seed=int(rng.integers(2**31)))
    return by_training, by_cv, *(_test_error(ridge(X, y, a).coef, truth)
                                 for a in (by_training, by_cv))


def _test_error(coef: np.ndarray, truth: np.ndarray) -> float:
    """E (y - x^T w)^2 for x ~ N(0, I), noise sd NOISE_SD (intercept ~ 0, ignored)."""
    return NOISE_SD**2 + float((coef - truth) @ (coef - truth))


def training_error_picks_smallest(seed: int) -> Comparison:
    rng = np.random.default_rng(seed)
    runs = np.array([_choices(rng) for _ in range(DATA_SETS)])
    gap = runs[:, 2] - runs[:, 3]
    return Comparison(
        estimate=float(np.mean(runs[:, 0] == GRID[0])), expected=1.0, tolerance=1e-12,
        alternatives={"how often cross-validation picks the smallest alpha":
                      float(np.mean(runs[:, 1] == GRID[0]))},
        details=f"{DATA_SETS} data sets (N = {SIZE}, d = {DIM}, noise sd {NOISE_SD}); test "
                f"error of the training-error choice minus the CV choice: "
                f"{gap.mean():.3f} +- {gap.std(ddof=1) / np.sqrt(DATA_SETS):.3f}",
        data={"plot": "histogram", "samples": {"test error, training-error choice":
                                               runs[:, 2].tolist(),
                                               "test error, CV choice": runs[:, 3].tolist()},
              "xlabel": "test MSE"})


# ---------------------------------------------------------------- derivation

training_error_rises = Derivation(
    id="ridge-training-error-rises-with-alpha",
    title="The ridge training error rises with alpha, so it always picks the smallest alpha",
    source=Source(LECTURE_NOTES, SECTION, QUOTE),
    start=Step(sp.diff(TRAINING_RESIDUAL, alpha),
               r"\frac{d}{d\alpha} \sum_{j=1}^{d} \frac{\alpha^2 c_j^2}{(s_j^2 + \alpha)^2}",
               "|y - X w(alpha)|^2 up to a term free of alpha, in the SVD coordinates"),
    steps=[Step(2 * sp.Add(*[alpha * s**2 * c**2 / (s**2 + alpha) ** 3 for s, c in PAIRS]),
                r"2 \sum_{j=1}^{d} \frac{\alpha s_j^2 c_j^2}{(s_j^2 + \alpha)^3}"),
           Step(sp.Integer(0), r"0", "a sum of non-negative terms", relation=">=")],
    hypotheses=[Hypothesis(r"X = U \operatorname{diag}(s) V^\top, \; c = U^\top y", quote=None,
                           note="centred X of rank d = 2"),
                Hypothesis(r"\alpha > 0",
                           quote="調整各種 hyperparameter (e.g. regularization parameter "
                                 "$\\alpha$) 可以來控制模型的複雜度")],
    crosschecks=[CrossCheck("training error against cross-validation as the chooser",
                            training_error_picks_smallest)],
    notation={"s": sp.Matrix([s1, s2]), "c": sp.Matrix([c1, c2]), "d": 2},
)
