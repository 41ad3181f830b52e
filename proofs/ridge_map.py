r"""Linear regression by MAP is ridge regression, with penalty lambda / beta.

Lecture notes, "Linear Regression via MAP", "Ridge Regression (L2 Regularization)" and
the first "Regularization" section.  Model as in :mod:`proofs.regression_mle`: (y | x) ~
N(w^T x, beta^{-1}), N i.i.d. pairs (N symbolic), two features (D = d = 2), and the prior
w ~ N(0, lambda^{-1} I).

The notes write "\propto" between log-densities; for a log that can only mean "equal up to
a term constant in w", and, read generously, "up to a positive factor as well".  Each such
line is stated as the notes write it and checked with "= const +" and the one factor that
could make it right (scale beta/2, the factor of the likelihood term).
Even so the notes' lines fail: the prior term is the density itself, not its log, and the
penalty comes out as lambda |w|^2 against sum (y_i - w^T x_i)^2, where it is
(lambda / beta) |w|^2 (equivalently (lambda/2) |w|^2 against (beta/2) SSE).  No positive
factor c makes c (SSE + lambda |w|^2) equal (beta/2) SSE + (lambda/2) |w|^2 + const
unless beta = 1.  Because "argmin SSE + lambda |w|^2" follows correctly from the notes'
(wrong) previous line, it is checked in its own derivation, from log[P(X | w) P(w)].

The posterior is Gaussian: completing the square gives mean m = (beta X^T X + lambda I)^{-1}
beta X^T y and covariance (beta X^T X + lambda I)^{-1}, with X^T X = sum_i x_i x_i^T and
X^T y = sum_i x_i y_i as sums over the N points.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize
import sympy as sp

from derive import Comparison, Correction, CrossCheck, Derivation, Hypothesis, Source, Step, erratum
from numeric.linear import least_squares, ridge
from numeric.montecarlo import estimate

from . import _regression as reg
from ._notes import LECTURE_NOTES
from ._regression import X, beta, i, over_data, weights, y

MAP = "Linear Regression via MAP"
RIDGE = "Ridge Regression (L2 Regularization)"
REGULARIZATION = "Regularization"

lam = sp.Symbol("lambda", positive=True)
w_column = sp.Matrix(weights)
HALF = sp.Rational(1, 2)
SLOW_BUDGET = 10.0  # seconds per check: the log of a product over N points with a prior


# ---------------------------------------------------------------- symbols: prior and posterior

def _inverse(matrix: sp.Matrix) -> sp.Matrix:
    """A^{-1} = adj(A) / det(A), left unsimplified (the checker simplifies; SymPy's ``inv``
    row-reduces with simplification, seconds on entries that are sums over the data)."""
    return matrix.adjugate() / matrix.det(method="berkowitz")


def _prior_density() -> sp.Expr:
    r"""\sqrt{1 / ((2\pi)^D \det(\lambda^{-1} I))} \exp(-1/2 (w - 0)^T (\lambda^{-1} I)^{-1}
    (w - 0)), built with matrices as the notes write it (D = 2)."""
    covariance = sp.eye(2) / lam
    exponent = -HALF * (w_column.T * _inverse(covariance) * w_column)[0, 0]
    return sp.sqrt(1 / ((2 * sp.pi) ** 2 * covariance.det())) * sp.exp(exponent)


def _likelihood() -> sp.Product:
    factor = sp.sqrt(beta / (2 * sp.pi)) * sp.exp(-beta / 2 * (y[i] - reg.w_dot_x()) ** 2)
    return sp.Product(factor * reg.input_density(), (i, 1, reg.N))


LOG_POSTERIOR = sp.log(_likelihood() * _prior_density())
GRAM = sp.Matrix(2, 2, lambda a, b: over_data(X[i, a + 1] * X[i, b + 1]))   # X^T X
MOMENT = sp.Matrix(2, 1, lambda a, _: over_data(X[i, a + 1] * y[i]))        # X^T y
PRECISION = beta * GRAM + lam * sp.eye(2)
POSTERIOR_MEAN = _inverse(PRECISION) * beta * MOMENT
RIDGE_LOG_POSTERIOR = -beta / 2 * reg.sum_of_squares() - lam / 2 * reg.squared_norm()


# ---------------------------------------------------------------- numerics

NOISE_SD, PRIOR_SD = 0.5, 1 / np.sqrt(2.0)
BETA, LAMBDA = 1 / NOISE_SD**2, 1 / PRIOR_SD**2     # beta = 4, lambda = 2
TRUE_WEIGHTS = np.array([0.8, -0.5])


def _data(seed: int, size: int = 10) -> tuple[np.ndarray, np.ndarray]:
    return reg.linear_data(seed, size, TRUE_WEIGHTS, NOISE_SD)


def _ridge_weights(features, labels, alpha) -> np.ndarray:
    return ridge(features, labels, alpha, fit_intercept=False).coef


def _sequential_posterior(features, labels) -> tuple[np.ndarray, np.ndarray]:
    """Bayes' rule one observation at a time (recursive least squares / Kalman update):
    from N(m, C), observing y = x^T w + noise gives gain k = C x / (1/beta + x^T C x),
    m <- m + k (y - x^T m), C <- C - k x^T C.  Starts from the prior N(0, I / lambda)."""
    mean, covariance = np.zeros(features.shape[1]), np.eye(features.shape[1]) / LAMBDA
    for row, label in zip(features, labels, strict=False):
        gain = covariance @ row / (1 / BETA + row @ covariance @ row)
        mean = mean + gain * (label - row @ mean)
        covariance = covariance - np.outer(gain, row @ covariance)
    return mean, covariance


def _log_posterior(w, features, labels) -> float:
    residual = labels - features @ w
    return float(-BETA / 2 * residual @ residual - LAMBDA / 2 * w @ w)


def map_maximiser_is_ridge(seed: int) -> Comparison:
    """argmax of log P(X | w) + log P(w) (scipy BFGS) against ridge(alpha = lambda/beta)."""
    features, labels = _data(seed)
    found = scipy.optimize.minimize(lambda w: -_log_posterior(w, features, labels),
                                    np.zeros(2), method="BFGS", options={"gtol": 1e-10}).x
    return Comparison(
        estimate=reg.max_abs_difference(found, _ridge_weights(features, labels, LAMBDA / BETA)),
        expected=0.0, tolerance=1e-6,
        alternatives={"ridge with the notes' penalty alpha = lambda": reg.max_abs_difference(
            found, _ridge_weights(features, labels, LAMBDA))},
        details=f"N = 10, beta = {BETA:g}, lambda = {LAMBDA:g}; max |difference| of weights")


def ridge_is_sequential_posterior_mean(seed: int) -> Comparison:
    """numeric.linear.ridge(alpha = lambda/beta) against the sequential Bayesian update."""
    features, labels = _data(seed)
    mean, _ = _sequential_posterior(features, labels)
    return Comparison(
        estimate=reg.max_abs_difference(_ridge_weights(features, labels, LAMBDA / BETA), mean),
        expected=0.0, tolerance=1e-10,
        alternatives={"ridge with the notes' penalty alpha = lambda": reg.max_abs_difference(
            _ridge_weights(features, labels, LAMBDA), mean)},
        details="posterior mean from ten rank-one updates of N(0, I / lambda)")


def sequential_covariance(seed: int) -> Comparison:
    """(beta X^T X + lambda I)^{-1} against the covariance of the sequential update."""
    features, labels = _data(seed)
    _, covariance = _sequential_posterior(features, labels)
    gram = features.T @ features
    closed = np.linalg.inv(BETA * gram + LAMBDA * np.eye(2))
    return Comparison(
        estimate=reg.max_abs_difference(closed, covariance), expected=0.0, tolerance=1e-12,
        alternatives={"(X^T X + lambda I)^{-1} (beta dropped)": reg.max_abs_difference(
            np.linalg.inv(gram + LAMBDA * np.eye(2)), covariance)},
        details="max |entry difference|, N = 10")


IMPORTANCE_DRAWS = 400_000


def _importance_mean(features, labels, direction, seed) -> tuple[float, float]:
    """Self-normalised importance sampling of u^T E[w | X] with the prior as proposal;
    stderr by the delta method: sum w_k^2 (f_k - mean)^2 / (sum w_k)^2."""
    rng = np.random.default_rng(seed)
    draws = rng.normal(0.0, PRIOR_SD, (IMPORTANCE_DRAWS, 2))
    residual = labels[None, :] - draws @ features.T
    log_weight = -BETA / 2 * np.einsum("kn,kn->k", residual, residual)
    weight = np.exp(log_weight - log_weight.max())
    values = draws @ direction
    mean = float(weight @ values / weight.sum())
    stderr = float(np.sqrt(np.sum(weight**2 * (values - mean) ** 2)) / weight.sum())
    return mean, stderr


def posterior_mean_by_sampling(seed: int) -> Comparison:
    """u^T E[w | X] by importance sampling against u^T m, u towards the notes' value."""
    features, labels = _data(seed)
    right = _ridge_weights(features, labels, LAMBDA / BETA)
    notes = _ridge_weights(features, labels, LAMBDA)
    direction = (right - notes) / np.linalg.norm(right - notes)
    mean, stderr = _importance_mean(features, labels, direction, seed)
    return Comparison(
        estimate=mean, expected=float(direction @ right), stderr=stderr,
        alternatives={"ridge with the notes' penalty alpha = lambda": float(direction @ notes)},
        details=f"{IMPORTANCE_DRAWS} prior draws weighted by the likelihood; u is the unit "
                "vector from the notes' ridge solution to (beta X^T X + lambda I)^{-1} beta X^T y")


MSE_SIZE, MSE_REPLICATES = 4, 400_000


def _expected_squared_error(gram: np.ndarray, penalty: float) -> float:
    """E||w_alpha - w*||^2 for w_alpha = (G + alpha I)^{-1} X^T y, w* ~ N(0, I/lambda),
    noise N(0, 1/beta): tr((B - I)(B - I)^T)/lambda + tr(M G M^T)/beta,
    M = (G + alpha I)^{-1}, B = M G."""
    inverse = np.linalg.inv(gram + penalty * np.eye(gram.shape[0]))
    shrink = inverse @ gram - np.eye(gram.shape[0])
    return float(np.trace(shrink @ shrink.T) / LAMBDA + np.trace(inverse @ gram @ inverse) / BETA)


def _squared_error_gap(features: np.ndarray):
    """Sampler of ||w_MLE - w*||^2 - ||w_MAP - w*||^2 with w* ~ prior, fixed design."""
    gram = features.T @ features
    mle, map_ = (np.linalg.solve(gram + a * np.eye(2), features.T) for a in (0.0, LAMBDA / BETA))

    def sampler(rng: np.random.Generator, count: int) -> np.ndarray:
        truth = rng.normal(0.0, PRIOR_SD, (count, 2))
        labels = truth @ features.T + rng.normal(0.0, NOISE_SD, (count, features.shape[0]))
        return (np.sum((labels @ mle.T - truth) ** 2, axis=1)
                - np.sum((labels @ map_.T - truth) ** 2, axis=1))
    return sampler


def map_beats_mle_on_small_samples(seed: int) -> Comparison:
    """E||w_MLE - w*||^2 - E||w_MAP - w*||^2 on N = 4 points (fixed design), w* ~ prior."""
    features = np.random.default_rng(seed).standard_normal((MSE_SIZE, 2))
    gram = features.T @ features
    result = estimate(_squared_error_gap(features), MSE_REPLICATES, seed=seed)
    mle = _expected_squared_error(gram, 0.0)
    return Comparison(
        estimate=result.mean, stderr=result.stderr,
        expected=mle - _expected_squared_error(gram, LAMBDA / BETA),
        alternatives={"no gain from the prior": 0.0,
                      "MAP with the notes' penalty lambda":
                          mle - _expected_squared_error(gram, LAMBDA)},
        details=f"{MSE_REPLICATES} data sets of N = {MSE_SIZE}; MLE minus MAP squared error "
                "of the weights; exact value from the bias-variance formula")


def _constrained_fit(features, labels, bound, augmented, penalise_bias=False) -> np.ndarray:
    """argmin 1/2 |y - (X w - b)|^2 s.t. |w|^2 <= bound, by SLSQP, in the variables (b, w)
    or in the notes' augmented form (X~ = [-1, X], w~^T S w~ <= bound)."""
    design = np.hstack([-np.ones((labels.size, 1)), features])
    scale = np.diag([0.0 if not penalise_bias else 1.0, 1.0, 1.0])

    def objective(theta):
        if augmented:
            return 0.5 * np.sum((labels - design @ theta) ** 2)
        return 0.5 * np.sum((labels - (features @ theta[1:] - theta[0])) ** 2)

    def constraint(theta):
        return bound - (theta @ scale @ theta if augmented else theta[1:] @ theta[1:])
    result = scipy.optimize.minimize(objective, np.zeros(3), method="SLSQP",
                                     constraints=[{"type": "ineq", "fun": constraint}],
                                     options={"ftol": 1e-14, "maxiter": 500})
    return result.x


def augmented_form_same_solution(seed: int) -> Comparison:
    """The constrained problem in (b, w) and in the augmented (w~, S) form."""
    features, labels = reg.linear_data(seed, 30, TRUE_WEIGHTS, NOISE_SD)
    labels = labels + 2.0
    bound = 0.5 * float(np.sum(least_squares(features, labels).coef ** 2))
    direct = _constrained_fit(features, labels, bound, augmented=False)
    return Comparison(
        estimate=reg.max_abs_difference(
            _constrained_fit(features, labels, bound, augmented=True), direct),
        expected=0.0, tolerance=1e-5,
        alternatives={"S = I (the bias constrained too)": reg.max_abs_difference(
            _constrained_fit(features, labels, bound, augmented=True, penalise_bias=True),
            direct)},
        details="SLSQP, |w|^2 <= half of |w_LS|^2 (an active constraint), intercept 2")


def constrained_equals_penalised(seed: int) -> Comparison:
    """ridge(alpha) equals the constrained fit with T = |w_ridge|^2 (KKT)."""
    features, labels = reg.linear_data(seed, 30, TRUE_WEIGHTS, NOISE_SD)
    fitted = ridge(features, labels, 5.0)
    bound = float(fitted.coef @ fitted.coef)
    constrained = _constrained_fit(features, labels, bound, augmented=False)
    return Comparison(
        estimate=reg.max_abs_difference(constrained[1:], fitted.coef), expected=0.0,
        tolerance=1e-5,
        alternatives={"least squares (the constraint ignored)": reg.max_abs_difference(
            least_squares(features, labels).coef, fitted.coef)},
        details="numeric.linear.ridge(alpha = 5) against SLSQP with |w|^2 <= |w_ridge|^2")


# ---------------------------------------------------------------- the notes' names

def _map_density(*args) -> sp.Expr:
    """The notes' P(...) with the prior: P(w) the prior density N(w | 0, lambda^{-1} I), the
    rest as in linear regression (P(X | w) the likelihood, P(x_i) the input density)."""
    if len(args) == 1 and args[0] == w_column:
        return _prior_density()
    return reg.linear_model_density(*args)


MAP_NOTATION = {**reg.LINEAR_NOTATION, "P": _map_density, "D": 2, "I": sp.eye(2)}
"""What the notes' names mean in the MAP lines: D = 2 weights, I the 2 x 2 identity."""


# ---------------------------------------------------------------- derivations

PRIOR_LATEX = (r"\sqrt{\frac{1}{(2\pi)^D \text{det}(\lambda^{-1} I)}} \exp\left( -\frac{1}{2} "
               r"(w-0)^\top (\lambda^{-1}I)^{-1} (w-0) \right)")
SSE_LATEX = r"\sum_i (y_i - w^{\top} x_i)^2"
GENEROUS = ("'\\propto' read as 'a positive multiple plus a constant in w': the line as the "
            "notes write it, with the factor beta/2 (scale), the only one that matches the "
            "likelihood term -(beta/2) SSE")

# ---------------------------------------------------------------- hypotheses

PRIOR = Hypothesis(r"w \sim \mathcal{N}(0, \lambda^{-1} I), \ \lambda > 0",
                   quote=r"如果假設 $w \sim \mathcal{N}(0, \lambda^{-1} I)$",
                   note="lambda: Symbol(positive=True); D = 2")
LIKELIHOOD = Hypothesis(r"(y | x) \sim \mathcal{N}(w^{\top} x, \beta^{-1}), \ \beta > 0",
                        quote=r"(y | x) \sim \mathcal{N}(w^{*\top} x, \beta^{-1})",
                        note="the model of Linear Regression via MLE; N i.i.d. pairs, P(x_i) "
                             "free of w and positive")
AUGMENTED = Hypothesis(r"S = \begin{bmatrix} 0 & 0 \\ 0 & I_d \end{bmatrix}",
                       quote=r"其中 $S = \begin{bmatrix} 0 & 0 \ 0 & I_d \end{bmatrix}$",
                       note="d = 2; the first coordinate of w~ carries b, the design's first "
                            "column is -1")
FIXED_MULTIPLIER = Hypothesis(r"\alpha \ge 0 \text{ fixed}", quote=r"\alpha \ge 0",
                              note="the Lagrangian at a fixed multiplier; the max over alpha is "
                                   "not expressed")


map_log_posterior = Derivation(
    id="map-log-posterior",
    title="The MAP log-posterior: the prior's log is missing and the penalty is off by beta",
    source=Source(LECTURE_NOTES, MAP,
                  r"\log [P(\mathbf{X} | w) P(w)] &= \log P(\mathbf{X} | w) + \log P(w) "
                  r"\propto -\sum_i (y_i - w^{\top} x_i)^2 + " + PRIOR_LATEX
                  + r" \propto -\sum_i (y_i - w^{\top} x_i)^2 - \lambda |w|^2"),
    start=Step(LOG_POSTERIOR, r"\log [P(\mathbf{X} | w) P(w)]",
               "likelihood of linear-regression-likelihood; prior w ~ N(0, lambda^{-1} I), D = 2"),
    steps=[
        Step(sp.log(_likelihood()) + sp.log(_prior_density()),
             r"\log P(\mathbf{X} | w) + \log P(w)", "log of a product of positive factors"),
        Step(-reg.sum_of_squares() + _prior_density(),
             r"-" + SSE_LATEX + r" + " + PRIOR_LATEX,
             GENEROUS + "; the prior term is written without its log",
             relation="= const +", wrt=weights, scale=beta / 2),
        Step(-reg.sum_of_squares() - lam * reg.squared_norm(),
             r"-" + SSE_LATEX + r" - \lambda |w|^2", "'\\propto' between two lines on the "
             "same scale (both -SSE + ...): equal up to a constant in w",
             relation="= const +", wrt=weights),
    ],
    expected=erratum(
        Correction(2, Step(-reg.sum_of_squares() + 2 / beta * sp.log(_prior_density()),
                           r"-" + SSE_LATEX + r" + \frac{2}{\beta} \log \left[" + PRIOR_LATEX
                           + r"\right]",
                           "log P(X | w) = const - (beta/2) SSE: the notes' scale, beta/2",
                           relation="= const +", wrt=weights, scale=beta / 2),
                   "log P(w) is the log of the prior density, not the density: the notes' "
                   "term is exp(-lambda |w|^2 / 2) times a constant, whose gradient is not "
                   "that of -lambda |w|^2 / 2; on the scale of -SSE the log prior carries the "
                   "factor 2/beta"),
        Correction(3, Step(-reg.sum_of_squares() - lam / beta * reg.squared_norm(),
                           r"-" + SSE_LATEX + r" - \frac{\lambda}{\beta} |w|^2",
                           "(2/beta) log N(w | 0, lambda^{-1} I) = const - (lambda/beta) |w|^2",
                           relation="= const +", wrt=weights),
                   "the log prior contributes -(lambda/2) |w|^2 next to -(beta/2) SSE, i.e. "
                   "-(beta/2) (SSE + (lambda/beta) |w|^2); the notes' -SSE - lambda |w|^2 is "
                   "on that scale only when beta = 1"),
    ),
    crosschecks=[CrossCheck("argmax of the log posterior is ridge(lambda / beta)",
                            map_maximiser_is_ridge)],
    hypotheses=[LIKELIHOOD, PRIOR],
    notation=MAP_NOTATION,
)

map_objective = Derivation(
    id="map-objective-is-ridge",
    title="MAP for linear regression is ridge regression with penalty lambda / beta",
    source=Source(LECTURE_NOTES, MAP,
                  r"\text{argmin}_w \sum_i (y_i - w^{\top} x_i)^2 + \lambda |w|^2"),
    start=Step(LOG_POSTERIOR, r"\argmax_w \log[P(\mathbf{X} | w) P(w)]",
               "the MAP objective; prior w ~ N(0, lambda^{-1} I)"),
    steps=[Step(reg.sum_of_squares() + lam * reg.squared_norm(),
                r"\text{argmin}_w \sum_i (y_i - w^{\top} x_i)^2 + \lambda |w|^2",
                "argmin f = argmax -(beta/2) f (scale -beta/2, the only factor that matches "
                "the likelihood term)", relation="= const +", wrt=weights, scale=-beta / 2)],
    expected=erratum(Correction(
        1, Step(reg.sum_of_squares() + lam / beta * reg.squared_norm(),
                r"\text{argmin}_w \sum_i (y_i - w^{\top} x_i)^2 + \frac{\lambda}{\beta} |w|^2",
                "(beta/2) SSE + (lambda/2) |w|^2 = (beta/2) (SSE + (lambda/beta) |w|^2)",
                relation="= const +", wrt=weights, scale=-beta / 2),
        "the penalty weight is lambda / beta (prior precision over noise precision), not "
        "lambda: with sum of squares and penalty on the same scale, the MAP objective is "
        "SSE + (lambda/beta) |w|^2, i.e. numeric.linear.ridge with alpha = lambda/beta")),
    crosschecks=[
        CrossCheck("ridge(lambda / beta) is the sequential Bayesian posterior mean",
                   ridge_is_sequential_posterior_mean),
        CrossCheck("MAP has lower squared error than MLE on N = 4 points",
                   map_beats_mle_on_small_samples),
    ],
    hypotheses=[LIKELIHOOD, PRIOR],
    budget=SLOW_BUDGET,
    notation=MAP_NOTATION,
)

posterior_mean = Derivation(
    id="map-posterior-mean",
    title="The gradient of the log posterior vanishes at (beta X^T X + lambda I)^{-1} beta X^T y",
    source=Source(LECTURE_NOTES, MAP,
                  r"\argmax_w \log[P(\mathbf{X} | w) P(w)], \quad w \sim \mathcal{N}(0, "
                  r"\lambda^{-1} I)"),
    start=Step(sp.ImmutableMatrix([sp.Derivative(RIDGE_LOG_POSTERIOR, w_k) for w_k in weights]),
               r"\nabla_w \log P(w | \mathbf{X})",
               "log P(w | X) = const - (beta/2) SSE - (lambda/2) |w|^2 (map-log-posterior, "
               "corrected)"),
    steps=[
        Step(sp.ImmutableMatrix(beta * (MOMENT - GRAM * w_column) - lam * w_column),
             r"\beta X^\top (y - X w) - \lambda w",
             "X^T X = sum_i x_i x_i^T and X^T y = sum_i x_i y_i"),
        Step(sp.ImmutableMatrix(beta * MOMENT - PRECISION * w_column),
             r"\beta X^\top y - (\beta X^\top X + \lambda I) w"),
        Step(sp.ImmutableMatrix(PRECISION * (POSTERIOR_MEAN - w_column)),
             r"(\beta X^\top X + \lambda I)(m - w), \quad m = (\beta X^\top X + \lambda I)^{-1}"
             r" \beta X^\top y",
             "zero exactly at w = m, since beta X^T X + lambda I is positive definite"),
    ],
    crosschecks=[CrossCheck("posterior mean by importance sampling", posterior_mean_by_sampling)],
    hypotheses=[LIKELIHOOD, PRIOR],
    budget=SLOW_BUDGET,
)


def _gaussian_log_density(mean: sp.Matrix, covariance: sp.Matrix) -> sp.Expr:
    """log N(w | mean, covariance) = -1/2 (w - mean)^T covariance^{-1} (w - mean) + const."""
    deviation = w_column - mean
    return -HALF * (deviation.T * _inverse(covariance) * deviation)[0, 0]


posterior_covariance = Derivation(
    id="map-posterior-covariance",
    title="Completing the square: P(w | X) = N(m, (beta X^T X + lambda I)^{-1})",
    source=Source(LECTURE_NOTES, MAP,
                  r"\log [P(\mathbf{X} | w) P(w)] &= \log P(\mathbf{X} | w) + \log P(w)"),
    start=Step(LOG_POSTERIOR, r"\log [P(\mathbf{X} | w) P(w)]", "the unnormalised posterior"),
    steps=[
        Step(RIDGE_LOG_POSTERIOR, r"-\frac{\beta}{2}" + SSE_LATEX + r" - \frac{\lambda}{2} |w|^2",
             "map-log-posterior, corrected", relation="= const +", wrt=weights),
        Step(-HALF * ((w_column - POSTERIOR_MEAN).T * PRECISION
                      * (w_column - POSTERIOR_MEAN))[0, 0],
             r"-\frac{1}{2} (w - m)^\top (\beta X^\top X + \lambda I) (w - m)",
             "complete the square; m = (beta X^T X + lambda I)^{-1} beta X^T y",
             relation="= const +", wrt=weights),
        Step(_gaussian_log_density(POSTERIOR_MEAN, _inverse(PRECISION)),
             r"\log \mathcal{N}(w \mid m, (\beta X^\top X + \lambda I)^{-1})",
             "a Gaussian log-density in w, up to its normalising constant",
             relation="= const +", wrt=weights),
    ],
    crosschecks=[CrossCheck("covariance of the sequential Bayesian update",
                            sequential_covariance)],
    hypotheses=[LIKELIHOOD, PRIOR],
    budget=SLOW_BUDGET,
    notation=MAP_NOTATION,
)

b = sp.Symbol("b", real=True)
R = sp.Symbol("R", positive=True)
alpha = sp.Symbol("alpha", nonnegative=True)
augmented_weights = sp.Matrix([b, *weights])
SELECTOR = sp.diag(0, 1, 1)


def _augmented_residual() -> sp.Expr:
    """y_i - X~_i w~ with X~_i = (-1, x_i^T) and w~ = (b, w)."""
    row = sp.Matrix([[-1, X[i, 1], X[i, 2]]])
    return y[i] - (row * augmented_weights)[0, 0]


DATA_FIT = HALF * over_data((y[i] - (reg.w_dot_x() - b)) ** 2)
AUGMENTED_FIT = HALF * over_data(_augmented_residual() ** 2)
AUGMENTED_NORM = (augmented_weights.T * SELECTOR * augmented_weights)[0, 0]

augmented_form = Derivation(
    id="regularization-augmented-form",
    title="Absorbing b: |y - (Xw - b)|^2 and |w|^2 as |y - X~ w~|^2 and w~^T S w~",
    source=Source(LECTURE_NOTES, REGULARIZATION,
                  r"\text{argmin}_{w \in \mathbb{R}^{d+1}} \frac{1}{2} | y - (Xw )|^2 "
                  r"\newline \text{subject to } w^T S w \leq R, \quad S = \begin{bmatrix} 0 & "
                  r"0 \ 0 & I_d \end{bmatrix}"),
    start=Step(sp.ImmutableMatrix([DATA_FIT, reg.squared_norm()]),
               r"\left(\frac{1}{2} | y - (Xw - b)|^2, |w|^2\right)",
               "objective and constraint in the variables (b, w), d = 2"),
    steps=[Step(sp.ImmutableMatrix([AUGMENTED_FIT, AUGMENTED_NORM]),
                r"\left(\frac{1}{2} | y - (Xw )|^2, w^T S w\right), \quad X \leftarrow [-1, X],"
                r" w \leftarrow (b, w)",
                "a column of -1 carries b; S = diag(0, I_d) leaves b out of the constraint")],
    crosschecks=[CrossCheck("both forms have the same constrained solution",
                            augmented_form_same_solution)],
    hypotheses=[AUGMENTED],
)

ridge_lagrangian = Derivation(
    id="ridge-lagrangian-is-penalised-objective",
    title="For fixed alpha the KKT Lagrangian is the ridge objective plus a constant",
    source=Source(LECTURE_NOTES, RIDGE,
                  r"\text{argmin}_{w \in \mathbb{R}^d} \frac{1}{2} | y - (Xw - b)|^2 + "
                  r"\frac{\alpha}{2} |w|^2"),
    start=Step(HALF * (2 * AUGMENTED_FIT + alpha * (AUGMENTED_NORM - R)),
               r"\frac{1}{2} (| y - (Xw )|^2 + \alpha( w^T S w - R))",
               "the Lagrangian of the first Regularization section, at a fixed multiplier "
               "alpha >= 0 (the max over alpha is not expressed)"),
    steps=[Step(DATA_FIT + alpha / 2 * reg.squared_norm(),
                r"\frac{1}{2} | y - (Xw - b)|^2 + \frac{\alpha}{2} |w|^2",
                "they differ by -alpha R / 2, which does not depend on (b, w)",
                relation="= const +", wrt=(b, *weights))],
    crosschecks=[CrossCheck("the constrained fit equals numeric.linear.ridge",
                            constrained_equals_penalised)],
    hypotheses=[AUGMENTED, FIXED_MULTIPLIER],
)
