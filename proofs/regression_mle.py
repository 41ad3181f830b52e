r"""Linear and logistic regression by maximum likelihood.

Lecture notes, "Linear Regression via MLE" and "Logistic Regression via MLE".

Linear regression: (y | x) ~ N(w^T x, beta^{-1}), x ~ P(x) independent of w, N i.i.d.
pairs; two features (d = 2), N symbolic.  The likelihood lines hold.  The log-likelihood
line ``\sum_i \log \prod_i (...)`` sums the log of the *whole* product N times (it is
N log P(X | w)), and the next line ``N \sqrt{\beta / 2\pi} + \sum_i P(x_i) - ...`` drops
two logarithms; both are errata as equalities.  As argmax statements they are harmless:
N log P has the same maximiser, and the two wrong terms do not depend on w, which the
derivation ``linear-regression-mle-is-least-squares`` shows with "= const +" and a scale:
the doubled line is N times the log-likelihood (scale 1/N), and argmin SSE follows from
-(beta/2) SSE (scale -beta/2: maximisers of the one are minimisers of the other).

Logistic regression: labels y_i = (-1)^{k_i} in {-1, 1} (k_i integers, so every
counterexample has genuine labels), y'_i = (y_i + 1) / 2 in {0, 1}, t = w^T x.  The
log-likelihood chain is written for one feature (d = 1): the only dimension in which the
notes' ``y'_i x_i`` is a number.  The notes' [HW] line
``\sum_i (y'_i x_i - \log(1 + e^{-w^T x_i}))`` is wrong; the right one is
``\sum_i (y'_i w^T x_i - \log(1 + e^{w^T x_i}))`` = ``\sum_i ((y'_i - 1) w^T x_i -
\log(1 + e^{-w^T x_i}))``.  The gradient and the Hessian are stated for every dimension d
and every N (symbolic, indexed sums) through directional derivatives: for every v,
d/ds l(w + s v) at s = 0 is v^T sum_i (y'_i - sigma(w^T x_i)) x_i, and the second
derivative is v^T H v = -sum_i sigma (1 - sigma) (v^T x_i)^2 <= 0, so l is concave.
The prediction rule argmax_y P(y | x, w) = sign(w^T x) holds off the decision boundary; on
it (w^T x = 0) both labels are maximisers and sign(0) = 0 is no label, an erratum the notes
could fix with a tie-breaking convention (logistic-prediction-rule-at-a-tie).
In the logistic lines 1 - sigma(t) is written exp(-t) / (1 + exp(-t)) (the identity of
``logistic-class-probabilities``), so that the engine sees that it is positive.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize
import scipy.stats
import sympy as sp

from derive import Comparison, Correction, CrossCheck, Derivation, Hypothesis, Source, Step, erratum
from numeric.functions import sigmoid as sigmoid_numeric
from numeric.linear import least_squares, logistic_log_likelihood, logistic_regression
from numeric.montecarlo import estimate

from . import _regression as reg
from ._notes import LECTURE_NOTES
from ._regression import N, X, beta, i, over_data, sigmoid, sigmoid_complement, weights, y

SLOW_BUDGET = 10.0  # seconds per check: second derivatives of sums over N points in d dimensions
LINEAR = "Linear Regression via MLE"
LOGISTIC = "Logistic Regression via MLE"


# ---------------------------------------------------------------- hypotheses

GAUSSIAN_NOISE = Hypothesis(r"(y | x) \sim \mathcal{N}(w^{\top} x, \beta^{-1}), \ \beta > 0",
                            quote=r"(y | x) \sim \mathcal{N}(w^{*\top} x, \beta^{-1})",
                            note="beta: Symbol(positive=True)")
IID_PAIRS = Hypothesis(r"(x_i, y_i) \text{ i.i.d.}", quote=None,
                       note="the notes' product over i presumes it")
INPUTS_FREE_OF_W = Hypothesis(r"P(x_i | w) = P(x_i) > 0", quote=None,
                              note="the notes' own step P(x_i | w) = P(x_i); P = "
                                   "Function(positive=True)")
TWO_FEATURES = Hypothesis(r"d = 2", quote=None,
                          note="a concrete dimension (w1, w2 symbols); N stays symbolic")
ONE_FEATURE = Hypothesis(r"d = 1", quote=None,
                         note="the only dimension in which the notes' y'_i x_i is a number")
ANY_FEATURES = Hypothesis(r"d \in \{1, 2, \dots\}", quote=None,
                          note="d and N symbolic; through directional derivatives along any v")
BINARY_LABELS = Hypothesis(r"y \in \{-1, 1\}", quote=r"假設 $y \in {-1, 1}$",
                           note="y_i = (-1)^{k_i} with k_i integer symbols")
SIGMOID_MODEL = Hypothesis(r"P(y=1 | x, w) = \sigma(w^{\top} x)",
                           quote=r"P(y=1 | x, w) = \sigma(w^{\top} x) = \frac{1}{1 + "
                                 r"\exp(-w^{\top} x)}")
NO_TIE = Hypothesis(r"w^\top x \neq 0", quote=None,
                    note="the argmax is written sign(P(y=1) - P(y=-1)), which names the "
                         "maximising label only off the decision boundary; at w^T x = 0 both "
                         "labels are maximisers and sign(0) = 0 is no label "
                         "(logistic-prediction-rule-at-a-tie)")
TIE = Hypothesis(r"w^\top x = 0", quote=None,
                 note="a counterexample within the notes' hypotheses: x on the decision boundary")


# ---------------------------------------------------------------- linear regression: symbols

def _gaussian_factor() -> sp.Expr:
    r"""\sqrt{\beta / 2\pi} \exp(-\beta/2 (y_i - w^T x_i)^2), as the notes write it."""
    return sp.sqrt(beta / (2 * sp.pi)) * sp.exp(-beta / 2 * (y[i] - reg.w_dot_x()) ** 2)


def _likelihood_of_model() -> sp.Product:
    """prod_i N(y_i | w^T x_i, beta^{-1}) P(x_i), the density by its textbook formula."""
    normal = reg.gaussian_density(y[i], reg.w_dot_x(), 1 / beta)
    return sp.Product(normal * reg.input_density(), (i, 1, N))


def _log_likelihood_terms(log=sp.log) -> sp.Expr:
    """N log sqrt(beta/2pi) + sum_i log P(x_i) - beta/2 SSE; with log = identity, the notes'."""
    return (N * log(sp.sqrt(beta / (2 * sp.pi))) + over_data(log(reg.input_density()))
            - beta / 2 * reg.sum_of_squares())


LIKELIHOOD = sp.Product(_gaussian_factor() * reg.input_density(), (i, 1, N))
LOG_LIKELIHOOD = sp.log(LIKELIHOOD)
DOUBLED_PRODUCT = over_data(sp.log(sp.Product(_gaussian_factor() * reg.input_density(),
                                              (i, 1, N))))
NOTES_LOG_TERMS = _log_likelihood_terms(log=lambda e: e)


# ---------------------------------------------------------------- linear regression: numerics

LINEAR_WEIGHTS, LINEAR_SIZE, NOISE_SD = np.array([1.5, -0.7]), 40, 0.5
PRECISION = 1.0 / NOISE_SD**2


def _log_input_density(features: np.ndarray) -> np.ndarray:
    """log P(x_i) for x ~ N(0, I)."""
    return scipy.stats.norm.logpdf(features).sum(axis=1)


def _linear_log_likelihood(w, features, labels, log=np.log) -> float:
    """The corrected log-likelihood line, or with log = identity the notes' line."""
    residual = labels - features @ w
    return float(labels.size * log(np.sqrt(PRECISION / (2 * np.pi)))
                 + np.sum(log(np.exp(_log_input_density(features))))
                 - PRECISION / 2 * residual @ residual)


def likelihood_formula_matches_scipy(seed: int) -> Comparison:
    """prod_i sqrt(beta/2pi) exp(-beta/2 r_i^2) P(x_i) against scipy's normal density."""
    features, labels = reg.linear_data(seed, 8, LINEAR_WEIGHTS, NOISE_SD)
    w = LINEAR_WEIGHTS + 0.3
    residual = labels - features @ w
    notes = np.prod(np.sqrt(PRECISION / (2 * np.pi)) * np.exp(-PRECISION / 2 * residual**2)
                    * np.exp(_log_input_density(features)))

    def scipy_value(scale):
        return np.prod(scipy.stats.norm.pdf(labels, features @ w, scale)
                       * np.exp(_log_input_density(features)))
    reference = scipy_value(NOISE_SD)
    return Comparison(
        estimate=abs(notes / reference - 1.0), expected=0.0, tolerance=1e-12,
        alternatives={"beta as the variance, N(w^T x, beta)":
                      abs(scipy_value(np.sqrt(PRECISION)) / reference - 1.0)},
        details="relative difference from prod_i scipy.stats.norm.pdf(y_i; w^T x_i, "
                "beta^{-1/2}) P(x_i), 8 points, x ~ N(0, I)")


def log_likelihood_value(seed: int) -> Comparison:
    """The corrected log-likelihood line against sum_i log N(y_i | w^T x_i, 1/beta) P(x_i)."""
    features, labels = reg.linear_data(seed, LINEAR_SIZE, LINEAR_WEIGHTS, NOISE_SD)
    w = LINEAR_WEIGHTS + 0.2
    reference = float(np.sum(scipy.stats.norm.logpdf(labels, features @ w, NOISE_SD)
                             + _log_input_density(features)))
    return Comparison(
        estimate=_linear_log_likelihood(w, features, labels), expected=reference,
        tolerance=1e-9 * abs(reference),
        alternatives={
            "the notes' line N sqrt(beta/2pi) + sum P(x_i) - beta/2 SSE":
                _linear_log_likelihood(w, features, labels, log=lambda a: a),
            "the notes' doubled sum_i log prod_i (= N log P)": LINEAR_SIZE * reference},
        details=f"log P(X | w) on {LINEAR_SIZE} points, x ~ N(0, I), beta = {PRECISION:g}")


def _maximiser(objective, features, labels) -> np.ndarray:
    result = scipy.optimize.minimize(lambda w: -objective(w, features, labels),
                                     np.zeros(features.shape[1]), method="BFGS",
                                     options={"gtol": 1e-10})
    return result.x


def mle_is_least_squares(seed: int) -> Comparison:
    """argmax of the log-likelihood (scipy BFGS) and numpy's lstsq against
    numeric.linear.least_squares."""
    features, labels = reg.linear_data(seed, LINEAR_SIZE, LINEAR_WEIGHTS, NOISE_SD)
    fitted = least_squares(features, labels, fit_intercept=False).coef
    numpy_fit = np.linalg.lstsq(features, labels, rcond=None)[0]
    mle = _maximiser(_linear_log_likelihood, features, labels)
    return Comparison(
        estimate=max(reg.max_abs_difference(mle, fitted),
                     reg.max_abs_difference(numpy_fit, fitted)),
        expected=0.0, tolerance=1e-6,
        alternatives={"the true weights w*": reg.max_abs_difference(LINEAR_WEIGHTS, fitted)},
        details="max |w_MLE - w_LS| and |w_numpy - w_LS|, fit without intercept")


def notes_objective_has_the_same_maximiser(seed: int) -> Comparison:
    """argmax of the notes' line (logs dropped) against least squares."""
    features, labels = reg.linear_data(seed, LINEAR_SIZE, LINEAR_WEIGHTS, NOISE_SD)
    fitted = least_squares(features, labels, fit_intercept=False).coef
    notes = _maximiser(lambda w, f, l: _linear_log_likelihood(w, f, l, log=lambda a: a),
                       features, labels)
    return Comparison(
        estimate=reg.max_abs_difference(notes, fitted), expected=0.0, tolerance=1e-6,
        alternatives={"the true weights w*": reg.max_abs_difference(LINEAR_WEIGHTS, fitted)},
        details="max |argmax of N sqrt(beta/2pi) + sum P(x_i) - beta/2 SSE - w_LS|")


# ---------------------------------------------------------------- linear regression: derivations

linear_likelihood = Derivation(
    id="linear-regression-likelihood",
    title="The likelihood of linear regression with Gaussian noise",
    source=Source(LECTURE_NOTES, LINEAR,
                  r"P(\mathbf{X} | w) &= \prod_{i=1}^{N} P(x_i, y_i | w) = \dots = "
                  r"\prod_{i=1}^{N} \sqrt{\frac{\beta}{2\pi}} \exp\left( -\frac{\beta}{2} "
                  r"(y_i - w^{\top} x_i)^2 \right) P(x_i)"),
    start=Step(_likelihood_of_model(), r"P(\mathbf{X} | w)",
               "the model: pairs i.i.d., (y | x) ~ N(w^T x, beta^{-1}), x ~ P(x)"),
    steps=[
        Step(_likelihood_of_model(), r"\prod_{i=1}^{N} P(x_i, y_i | w)", "i.i.d. pairs"),
        Step(_likelihood_of_model(), r"\prod_{i=1}^{N} P(y_i | x_i, w) P(x_i | w)",
             "P(x, y) = P(y | x) P(x)"),
        Step(_likelihood_of_model(), r"\prod_{i=1}^{N} P(y_i | x_i, w) P(x_i)",
             "the inputs do not depend on w"),
        Step(_likelihood_of_model(),
             r"\prod_{i=1}^{N} \mathcal{N}(y_i | w^{\top} x_i, \beta^{-1}) P(x_i)",
             "(y | x) ~ N(w^T x, beta^{-1})"),
        Step(LIKELIHOOD,
             r"\prod_{i=1}^{N} \sqrt{\frac{\beta}{2\pi}} \exp\left( -\frac{\beta}{2} "
             r"(y_i - w^{\top} x_i)^2 \right) P(x_i)",
             "the normal density with variance 1/beta"),
    ],
    crosschecks=[CrossCheck("the product formula against scipy's normal density",
                            likelihood_formula_matches_scipy)],
    hypotheses=[GAUSSIAN_NOISE, IID_PAIRS, INPUTS_FREE_OF_W, TWO_FEATURES],
    notation=reg.LINEAR_NOTATION,
)

DOUBLED_LATEX = (r"\sum{i=1}^{N} \log \prod{i=1}^{N} \left( \sqrt{\frac{\beta}{2\pi}} "
                 r"\exp\left( -\frac{\beta}{2} (y_i - w^{\top} x_i)^2 \right) \right) P(x_i)")
NOTES_TERMS_LATEX = (r"N \sqrt{\frac{\beta}{2\pi}} + \sum{i=1}^{N} P(x_i) - \frac{\beta}{2} "
                     r"\sum_{i=1}^{N} (y_i - w^{\top} x_i)^2")

linear_log_likelihood = Derivation(
    id="linear-regression-log-likelihood",
    title="The log-likelihood of linear regression: a doubled product and two missing logs",
    source=Source(LECTURE_NOTES, LINEAR,
                  r"&= \text{argmax}w \sum{i=1}^{N} \log \prod{i=1}^{N} \left( \sqrt{\frac{"
                  r"\beta}{2\pi}} \exp\left( -\frac{\beta}{2} (y_i - w^{\top} x_i)^2 \right) "
                  r"\right) P(x_i) \newline &= \text{argmax}w N \sqrt{\frac{\beta}{2\pi}} + "
                  r"\sum{i=1}^{N} P(x_i) - \frac{\beta}{2} \sum_{i=1}^{N} (y_i - w^{\top} "
                  r"x_i)^2"),
    start=Step(LOG_LIKELIHOOD, r"\log P(\mathbf{X} | w)",
               "the log of the likelihood (linear-regression-likelihood)"),
    steps=[
        Step(DOUBLED_PRODUCT, DOUBLED_LATEX,
             "as written: the log of the whole product, summed over i once more (P(x_i) "
             "read as a factor of the product, as in the likelihood)"),
        Step(NOTES_LOG_TERMS, NOTES_TERMS_LATEX, "as written: no log on the first two terms"),
    ],
    expected=erratum(
        Correction(1, Step(over_data(sp.log(_gaussian_factor() * reg.input_density())),
                           r"\sum_{i=1}^{N} \log \left( \sqrt{\frac{\beta}{2\pi}} \exp\left( "
                           r"-\frac{\beta}{2} (y_i - w^{\top} x_i)^2 \right) P(x_i) \right)",
                           "log of a product is the sum of the logs"),
                   "sum_i log prod_i (...) is N log P(X | w), N times the log-likelihood: the "
                   "log of the product becomes a sum of logs of the factors, it is not "
                   "summed again (the maximiser is the same, the value is not)"),
        Correction(2, Step(_log_likelihood_terms(),
                           r"N \log \sqrt{\frac{\beta}{2\pi}} + \sum_{i=1}^{N} \log P(x_i) - "
                           r"\frac{\beta}{2} \sum_{i=1}^{N} (y_i - w^{\top} x_i)^2",
                           "log(a e^b p) = log a + b + log p"),
                   "the logs of sqrt(beta/2pi) and of P(x_i) are missing; both terms are "
                   "constant in w, so the maximiser is unaffected "
                   "(linear-regression-mle-is-least-squares)"),
    ),
    crosschecks=[CrossCheck("log-likelihood value against scipy", log_likelihood_value)],
    hypotheses=[GAUSSIAN_NOISE, IID_PAIRS, INPUTS_FREE_OF_W, TWO_FEATURES],
    notation=reg.LINEAR_NOTATION,
)

linear_mle = Derivation(
    id="linear-regression-mle-is-least-squares",
    title="The maximum-likelihood weights minimise the sum of squared errors",
    source=Source(LECTURE_NOTES, LINEAR,
                  r"\text{argmax}w \log P(\mathbf{X} | w) = \dots = \text{argmax}w N "
                  r"\sqrt{\frac{\beta}{2\pi}} + \sum{i=1}^{N} P(x_i) - \frac{\beta}{2} "
                  r"\sum_{i=1}^{N} (y_i - w^{\top} x_i)^2; \quad \text{argmin}w "
                  r"\sum{i=1}^{N} (y_i - w^{\top} x_i)^2"),
    start=Step(LOG_LIKELIHOOD, r"\text{argmax}w \log P(\mathbf{X} | w)",
               "the objective whose maximiser is sought"),
    steps=[
        Step(DOUBLED_PRODUCT, r"\text{argmax}w " + DOUBLED_LATEX,
             "as an objective the notes' doubled line is N log P(X | w): N > 0 times the "
             "log-likelihood, so it has the same maximiser", relation="= const +", wrt=weights,
             scale=1 / N),
        Step(NOTES_LOG_TERMS, r"\text{argmax}w " + NOTES_TERMS_LATEX,
             "the notes' line differs from log P(X | w) only by terms constant in w (the "
             "missing logs), so N times it differs from the line before by such terms",
             relation="= const +", wrt=weights, scale=N),
        Step(reg.sum_of_squares(), r"\text{argmin}w \sum{i=1}^{N} (y_i - w^{\top} x_i)^2",
             "the first two terms do not depend on w, and the last is -beta/2 < 0 times the "
             "sum of squares: maximising it is minimising the sum of squares",
             relation="= const +", wrt=weights, scale=-beta / 2),
    ],
    crosschecks=[
        CrossCheck("argmax of the log-likelihood equals least squares", mle_is_least_squares),
        CrossCheck("argmax of the notes' line equals least squares",
                   notes_objective_has_the_same_maximiser),
    ],
    hypotheses=[GAUSSIAN_NOISE, IID_PAIRS, INPUTS_FREE_OF_W, TWO_FEATURES],
    notation=reg.LINEAR_NOTATION,
)


# ---------------------------------------------------------------- logistic regression: symbols

t = sp.Symbol("t", real=True)  # t = w^T x
any_label = (-1) ** sp.Symbol("m", integer=True)           # either label, -1 or 1
w = sp.Symbol("w", real=True)  # the weight when d = 1
x = sp.IndexedBase("x", real=True)
k = sp.IndexedBase("k", integer=True)
label = (-1) ** k[i]
label01 = (label + 1) / 2


def _bernoulli(t_i, y01) -> sp.Expr:
    """sigma(t)^{y'} (1 - sigma(t))^{1 - y'}."""
    return sigmoid(t_i) ** y01 * sigmoid_complement(t_i) ** (1 - y01)


def _input_density_1d() -> sp.Expr:
    return reg.P_x(x[i])


LOGISTIC_LIKELIHOOD_TERM = _bernoulli(w * x[i], label01)


def _logistic_model_density(*args) -> sp.Expr:
    """The notes' P(...) under the logistic model (d = 1), read with the bar dropped:
    P(x_i) = P(x_i | w) the input density, P(y_i | x_i, w) = sigma(w x_i)^{y'_i}
    (1 - sigma(w x_i))^{1 - y'_i}, P(x_i, y_i | w) their product, P(X | w) the product."""
    *data, weight = args if len(args) > 1 else (*args, None)
    if data[0] == reg.DATA:
        return sp.Product(_logistic_model_density(x[i], label, weight), (i, 1, N))
    point = next(a for a in data if isinstance(a, sp.Indexed) and a.base == x)
    if len(data) == 1:
        return reg.P_x(point)
    term = _bernoulli(weight * point, label01.subs(i, point.indices[0]))
    return term if data[0] != point else term * reg.P_x(point)


LOGISTIC_NOTATION = {r"\sigma": sigmoid, "y": lambda row: (-1) ** k[row],
                     "y_prime": lambda row: ((-1) ** k[row] + 1) / 2, "P": _logistic_model_density,
                     r"\mathbf{X}": reg.DATA, "N": N, "w": w, "x": x}
"""What the notes' names mean in the logistic lines: y_i = (-1)^{k_i}, y'_i = (y_i + 1)/2."""


def _hw_objective(t_i, feature) -> sp.Expr:
    """The notes' [HW] term y'_i x_i - log(1 + e^{-w^T x_i})."""
    return label01 * feature - sp.log(1 + sp.exp(-t_i))


def _log_likelihood_term(t_i) -> sp.Expr:
    """y'_i w^T x_i - log(1 + e^{w^T x_i}), the corrected [HW] term."""
    return label01 * t_i - sp.log(1 + sp.exp(t_i))


# general dimension d, through directional derivatives
d = sp.Symbol("d", integer=True, positive=True)
j = sp.Symbol("j", integer=True, positive=True)
s = sp.Symbol("s", real=True)
w_vec, v_vec = sp.IndexedBase("w", real=True), sp.IndexedBase("v", real=True)


def _dot(vector, row=i) -> sp.Sum:
    """vector^T x_i = sum_{j=1}^{d} vector_j X[i, j]."""
    return sp.Sum(vector[j] * X[row, j], (j, 1, d))


def _log_likelihood_along(direction_step) -> sp.Sum:
    """l(w + s v) = sum_i [y'_i t_i - log(1 + e^{t_i})], t_i = (w + s v)^T x_i."""
    t_i = sp.Sum((w_vec[j] + direction_step * v_vec[j]) * X[i, j], (j, 1, d))
    return over_data(_log_likelihood_term(t_i))


def _directional_derivative(order: int) -> sp.Subs:
    return sp.Subs(sp.Derivative(_log_likelihood_along(s), (s, order)), s, 0)


# ---------------------------------------------------------------- logistic regression: numerics

LOGISTIC_WEIGHTS, LOGISTIC_SIZE = np.array([1.0, -2.0, 0.5]), 200


def _labels01(labels: np.ndarray) -> np.ndarray:
    return (labels + 1.0) / 2.0


def _sigma(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _log_likelihood(w_value, features, labels) -> float:
    """sum_i y'_i t_i - log(1 + e^{t_i}), t = X w."""
    z = features @ w_value
    return float(_labels01(labels) @ z - np.logaddexp(0.0, z).sum())


def _hw_log_likelihood(w_value, features, labels) -> float:
    """The notes' [HW] line with w^T restored: sum_i y'_i t_i - log(1 + e^{-t_i})."""
    z = features @ w_value
    return float(_labels01(labels) @ z - np.logaddexp(0.0, -z).sum())


def _gradient(w_value, features, labels) -> np.ndarray:
    """The notes' gradient sum_i (y'_i - sigma(w^T x_i)) x_i."""
    return features.T @ (_labels01(labels) - _sigma(features @ w_value))


def _hessian(w_value, features) -> np.ndarray:
    """-sum_i sigma(1 - sigma) x_i x_i^T."""
    p = _sigma(features @ w_value)
    return -(features * (p * (1 - p))[:, None]).T @ features


def _central_differences(function, point: np.ndarray, step: float = 1e-5) -> np.ndarray:
    """(f(w + h e_k) - f(w - h e_k)) / 2h for every k (vector- or scalar-valued f)."""
    columns = [(np.asarray(function(point + step * e)) - np.asarray(function(point - step * e)))
               / (2 * step) for e in np.eye(point.size)]
    return np.stack(columns, axis=-1)


def _logistic_problem(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    features, labels = reg.logistic_data(seed, LOGISTIC_SIZE, LOGISTIC_WEIGHTS)
    point = np.random.default_rng(seed + 1).normal(0.0, 1.0, LOGISTIC_WEIGHTS.size)
    return features, labels, point


def gradient_matches_finite_differences(seed: int) -> Comparison:
    """The notes' gradient against central differences of the log-likelihood."""
    features, labels, point = _logistic_problem(seed)
    analytic = _gradient(point, features, labels)
    numeric_gradient = _central_differences(lambda v: _log_likelihood(v, features, labels), point)
    hw_gradient = _central_differences(lambda v: _hw_log_likelihood(v, features, labels), point)
    return Comparison(
        estimate=reg.max_abs_difference(numeric_gradient, analytic), expected=0.0,
        tolerance=1e-5,
        alternatives={"gradient of the notes' [HW] objective":
                      reg.max_abs_difference(hw_gradient, analytic)},
        details=f"max over components, N = {LOGISTIC_SIZE}, d = {LOGISTIC_WEIGHTS.size}, "
                "random w")


def newton_solution_is_stationary(seed: int) -> Comparison:
    """The gradient sum_i (y'_i - sigma) x_i vanishes at numeric.linear's Newton MLE."""
    features, labels, _ = _logistic_problem(seed)
    fitted = logistic_regression(features, labels, fit_intercept=False).coef
    return Comparison(
        estimate=float(np.max(np.abs(_gradient(fitted, features, labels)))), expected=0.0,
        tolerance=1e-6,
        alternatives={"gradient of the notes' [HW] objective there": float(np.max(np.abs(
            _central_differences(lambda v: _hw_log_likelihood(v, features, labels), fitted))))},
        details="max |gradient| at the Newton solution (numeric.linear.logistic_regression)")


def newton_agrees_with_scipy(seed: int) -> Comparison:
    """numeric.linear's Newton MLE against scipy BFGS on the same log-likelihood."""
    features, labels, _ = _logistic_problem(seed)
    fitted = logistic_regression(features, labels, fit_intercept=False).coef
    result = scipy.optimize.minimize(
        lambda v: -_log_likelihood(v, features, labels), np.zeros(features.shape[1]),
        jac=lambda v: -_gradient(v, features, labels), method="BFGS", options={"gtol": 1e-10})
    return Comparison(
        estimate=reg.max_abs_difference(result.x, fitted), expected=0.0, tolerance=1e-5,
        alternatives={"the starting point w = 0": reg.max_abs_difference(0.0, fitted)},
        details="max |w_Newton - w_scipy|")


def hessian_matches_finite_differences(seed: int) -> Comparison:
    """-sum sigma(1 - sigma) x x^T against central differences of the gradient."""
    features, labels, point = _logistic_problem(seed)
    analytic = _hessian(point, features)
    numeric_hessian = _central_differences(lambda v: _gradient(v, features, labels), point)
    return Comparison(
        estimate=reg.max_abs_difference(numeric_hessian, analytic), expected=0.0,
        tolerance=1e-5,
        alternatives={"+sum sigma(1 - sigma) x x^T (a convex objective)":
                      reg.max_abs_difference(numeric_hessian, -analytic)},
        details=f"largest eigenvalue of the Hessian there: "
                f"{np.linalg.eigvalsh(analytic).max():.3g} (<= 0)")


LOGIT = 0.8


def negative_class_frequency(seed: int) -> Comparison:
    """Frequency of y = -1 when P(y = 1 | x, w) = sigma(0.8)."""
    result = estimate(lambda rng, size: (rng.random(size) >= 1 / (1 + np.exp(-LOGIT)))
                      .astype(float), 200_000, seed=seed)
    return Comparison(
        estimate=result.mean, stderr=result.stderr,
        expected=float(np.exp(-LOGIT) / (1 + np.exp(-LOGIT))),
        alternatives={"sigma(w^T x) (the other class)": float(1 / (1 + np.exp(-LOGIT)))},
        details="200 000 labels with P(y = 1) = sigma(0.8); w^T x = 0.8")


def bernoulli_form_matches(seed: int) -> Comparison:
    """sigma^{y'} (1 - sigma)^{1 - y'} with y' = (y + 1)/2 against P(y | x, w), y = +-1."""
    logits = np.random.default_rng(seed).normal(0.0, 3.0, 50)

    def worst(mapped):
        errors = []
        for value, target in ((1.0, _sigma(logits)), (-1.0, 1 - _sigma(logits))):
            y01 = mapped(value)
            form = _sigma(logits) ** y01 * (1 - _sigma(logits)) ** (1 - y01)
            errors.append(np.max(np.abs(form - target)))
        return float(max(errors))
    return Comparison(
        estimate=worst(lambda v: (v + 1) / 2), expected=0.0, tolerance=1e-12,
        alternatives={"y in the exponent without y' = (y + 1)/2": worst(lambda v: v)},
        details="max |form - P(y | x, w)| over 50 logits and y in {-1, 1}")


def maximisers_at_a_tie(seed: int) -> Comparison:
    """How many labels maximise P(y | x, w) at w^T x = 0 (numeric.functions.sigmoid), for
    random w and x = 2^k (w_2, -w_1, 0): both, where sign(w^T x) names none."""
    rng = np.random.default_rng(seed)
    counts, scores = [], []
    for _ in range(100):
        w_, scale = rng.normal(size=3), 2.0 ** int(rng.integers(-3, 4))
        x_ = scale * np.array([w_[1], -w_[0], 0.0])   # w^T x = 0 exactly: a power-of-2 scale
        scores.append(float(w_ @ x_))
        positive = float(sigmoid_numeric(np.array([w_ @ x_]))[0])
        counts.append(int(positive >= 1 - positive) + int(1 - positive >= positive))
    return Comparison(
        estimate=float(np.mean(counts)), expected=2.0, tolerance=0.0,
        alternatives={"the notes: one label, sign(w^T x)": 1.0},
        details="mean number of maximising labels over 100 random w, x with w^T x = 0; "
                f"largest |w^T x| in floating point {max(abs(c) for c in scores):.2g}")


def prediction_is_the_sign(seed: int) -> Comparison:
    """argmax_y P(y | x, w) (from numeric.linear's probabilities) against sign(w^T x)."""
    features, labels, _ = _logistic_problem(seed)
    model = logistic_regression(features, labels, fit_intercept=False)
    test = np.random.default_rng(seed + 2).standard_normal((2000, features.shape[1]))
    probability = model.predict_proba(test)
    argmax = np.where(probability > 1 - probability, 1, -1)
    logit = test @ model.coef
    return Comparison(
        estimate=float(np.mean(argmax != np.sign(logit))), expected=0.0, tolerance=0.0,
        alternatives={"sign(-w^T x)": float(np.mean(argmax != -np.sign(logit)))},
        details="fraction of 2000 random inputs where the two disagree; the library's "
                f"predict agrees with the argmax at {np.mean(model.predict(test) == argmax):.0%}")


def log_likelihood_value_logistic(seed: int) -> Comparison:
    """The corrected [HW] line against numeric.linear.logistic_log_likelihood, d = 1."""
    features, labels = reg.logistic_data(seed, 60, np.array([1.3]))
    weight = np.array([0.7])
    reference = logistic_log_likelihood(weight, 0.0, features, _labels01(labels), 0.0)
    notes = float(_labels01(labels) @ features[:, 0]
                  - np.logaddexp(0.0, -features[:, 0] * weight[0]).sum())
    return Comparison(
        estimate=_log_likelihood(weight, features, labels), expected=reference,
        tolerance=1e-9 * abs(reference), alternatives={"the notes' [HW] line": notes},
        details="sum_i log P(y_i | x_i, w) from numeric.linear (stable log-sigmoid), 60 "
                "points, one feature, w = 0.7")


# ---------------------------------------------------------------- logistic regression: derivations

y_symbol = sp.Symbol("y", real=True)


def _label_probability(event: sp.Eq, *given) -> sp.Expr:
    """P(y = v | x, w) = sigma(v w^T x) for a label v in {-1, 1}."""
    return sigmoid(event.rhs * t)


SCORE_NOTATION = {r"w^\top x": t, r"\sigma": sigmoid, "P": _label_probability, "y": y_symbol,
                  "x": sp.Symbol("x", real=True), "w": sp.Symbol("w", real=True)}
"""t = w^T x (one number); P(y = v | x, w) the model's probability of the label v."""


class_probabilities = Derivation(
    id="logistic-class-probabilities",
    title="P(y = -1 | x, w) = 1 - sigma(w^T x) = exp(-w^T x) / (1 + exp(-w^T x))",
    source=Source(LECTURE_NOTES, LOGISTIC,
                  r"P(y=-1 | x, w) = 1 - \sigma(w^{\top} x) = \frac{\exp(-w^{\top} x)}"
                  r"{1 + \exp(-w^{\top} x)}"),
    start=Step(1 - 1 / (1 + sp.exp(-t)), r"P(y=-1 | x, w)",
               "the two probabilities sum to 1; P(y = 1 | x, w) = 1 / (1 + exp(-w^T x))"),
    steps=[
        Step(1 - sigmoid(t), r"1 - \sigma(w^{\top} x)", "t = w^T x"),
        Step(sigmoid_complement(t), r"\frac{\exp(-w^{\top} x)}{1 + \exp(-w^{\top} x)}",
             "common denominator"),
    ],
    crosschecks=[CrossCheck("frequency of the label -1", negative_class_frequency)],
    hypotheses=[BINARY_LABELS, SIGMOID_MODEL],
    notation=SCORE_NOTATION,
)




def _bernoulli_for(label_value) -> sp.Expr:
    return _bernoulli(t, sp.Rational(label_value + 1, 2))


bernoulli_form = Derivation(
    id="logistic-bernoulli-form",
    title="P(y | x, w) = sigma^{y'} (1 - sigma)^{1 - y'} with y' = (y + 1)/2",
    source=Source(LECTURE_NOTES, LOGISTIC,
                  r"P(y | x, w) = \sigma(w^{\top} x)^{y^\prime} (1 - \sigma(w^{\top} x))^"
                  r"{1-y^\prime}, \quad y^\prime = \frac{y+1}{2} \in {0, 1}"),
    start=Step(sp.ImmutableMatrix([sigmoid(t), 1 - sigmoid(t)]),
               r"\left(P(y=1 | x, w), P(y=-1 | x, w)\right)", "the two classes"),
    steps=[Step(sp.ImmutableMatrix([_bernoulli_for(1), _bernoulli_for(-1)]),
                r"\sigma(w^{\top} x)^{y^\prime} (1 - \sigma(w^{\top} x))^{1-y^\prime}",
                "at y = 1, -1: y' = (y + 1)/2 is 1 for y = 1 and 0 for y = -1")],
    crosschecks=[CrossCheck("the Bernoulli form reproduces both class probabilities",
                            bernoulli_form_matches)],
    hypotheses=[BINARY_LABELS, SIGMOID_MODEL],
    notation=SCORE_NOTATION,
)

prediction_rule = Derivation(
    id="logistic-prediction-rule",
    title="argmax_y P(y | x, w) = sign(w^T x)",
    source=Source(LECTURE_NOTES, LOGISTIC,
                  r"\hat{y} &= \argmax_y P(y \mid x, w) = \argmax_y {\sigma(w^{\top} x), "
                  r"(1 - \sigma(w^{\top} x))} = \text{sign}(w^\top x)"),
    start=Step(sp.sign(sigmoid(t) - (1 - sigmoid(t))), r"\hat{y} = \argmax_y P(y \mid x, w)",
               "the label whose probability is larger: the sign of P(y=1) - P(y=-1), "
               "for w^T x != 0 (one label is larger)"),
    steps=[
        Step(sp.sign(sigmoid(t) - (1 - sigmoid(t))),
             r"\argmax_y {\sigma(w^{\top} x), (1 - \sigma(w^{\top} x))}",
             "the two class probabilities"),
        Step(sp.sign(t), r"\text{sign}(w^\top x)",
             "2 sigma(t) - 1 = tanh(t/2) has the sign of t (sigma(t) >= 1/2 iff t >= 0)"),
    ],
    crosschecks=[CrossCheck("argmax of the fitted probabilities is sign(w^T x)",
                            prediction_is_the_sign)],
    hypotheses=[BINARY_LABELS, SIGMOID_MODEL, NO_TIE],
)

prediction_rule_at_a_tie = Derivation(
    id="logistic-prediction-rule-at-a-tie",
    title="At w^T x = 0 both labels maximise P(y | x, w); sign(w^T x) = 0 is no label",
    source=Source(LECTURE_NOTES, LOGISTIC,
                  r"\hat{y} &= \argmax_y P(y \mid x, w) = \argmax_y {\sigma(w^{\top} x), "
                  r"(1 - \sigma(w^{\top} x))} = \text{sign}(w^\top x)"),
    start=Step(any_label, r"\hat{y} = \argmax_y P(y \mid x, w)",
               "at w^T x = 0, P(y = 1 | x, w) = sigma(0) = 1/2 = P(y = -1 | x, w): every label "
               "(-1)^m is a maximiser, whatever tie-break is used"),
    steps=[Step(sp.sign(sp.S.Zero), r"\text{sign}(w^\top x)", "the notes' rule, at w^T x = 0")],
    expected=erratum(Correction(
        1, Step(any_label, r"\pm 1"),
        "argmax_y P(y | x, w) = sign(w^T x) needs w^T x != 0 (or a tie-breaking convention, "
        "which the notes do not give): on the decision boundary both labels are maximisers and "
        "sign(0) = 0 is not a label. Off the boundary the rule holds "
        "(logistic-prediction-rule)")),
    crosschecks=[CrossCheck("maximising labels on the decision boundary", maximisers_at_a_tie)],
    hypotheses=[BINARY_LABELS, SIGMOID_MODEL, TIE],
)

HW_LATEX = r"\sum_{i=1}^{N} \left( y^\prime_i x_i - \log(1 + e^{-w^{\top} x_i})\right)"

logistic_log_likelihood_derivation = Derivation(
    id="logistic-log-likelihood",
    title="The logistic log-likelihood: the notes' [HW] line is wrong (one feature)",
    source=Source(LECTURE_NOTES, LOGISTIC,
                  r"\log P(\mathbf{X} | w)&= \log \prod_{i=1}^{N} P(x_i, y_i | w) = \dots "
                  r"\propto \log \prod_{i=1}^{N} \sigma(w^{\top} x_i)^{y_i^\prime} (1 - "
                  r"\sigma(w^{\top} x_i))^{1-y_i^\prime} = " + HW_LATEX + r" \text{[HW]}"),
    start=Step(sp.log(sp.Product(LOGISTIC_LIKELIHOOD_TERM * _input_density_1d(), (i, 1, N))),
               r"\log P(\mathbf{X} | w)",
               "pairs i.i.d.; y_i = (-1)^{k_i}, y'_i = (y_i + 1)/2; x ~ P(x)"),
    steps=[
        Step(sp.log(sp.Product(LOGISTIC_LIKELIHOOD_TERM * _input_density_1d(), (i, 1, N))),
             r"\log \prod_{i=1}^{N} P(x_i, y_i | w)", "i.i.d. pairs"),
        Step(sp.log(sp.Product(LOGISTIC_LIKELIHOOD_TERM * _input_density_1d(), (i, 1, N))),
             r"\log \prod_{i=1}^{N} P(y_i | x_i, w) P(x_i | w)",
             "P(x, y) = P(y | x) P(x); P(y | x, w) in its Bernoulli form"),
        Step(sp.log(sp.Product(LOGISTIC_LIKELIHOOD_TERM, (i, 1, N))),
             r"\log \prod_{i=1}^{N} \sigma(w^{\top} x_i)^{y_i^\prime} (1 - \sigma(w^{\top} "
             r"x_i))^{1-y_i^\prime}",
             "the notes' proportionality: the dropped term log prod_i P(x_i) does not "
             "depend on w", relation="= const +", wrt=w),
        Step(over_data(_hw_objective(w * x[i], x[i])), HW_LATEX,
             "as written, the line the notes mark [HW]"),
    ],
    expected=erratum(Correction(
        4, Step(over_data(_log_likelihood_term(w * x[i])),
                r"\sum_{i=1}^{N} \left( y^\prime_i w^{\top} x_i - \log(1 + e^{w^{\top} x_i})"
                r"\right)",
                "log sigma(t) = t - log(1 + e^t), log(1 - sigma(t)) = -log(1 + e^t)"),
        "y'_i log sigma(t_i) + (1 - y'_i) log(1 - sigma(t_i)) = y'_i t_i - log(1 + e^{t_i}) "
        "= (y'_i - 1) t_i - log(1 + e^{-t_i}), t_i = w^T x_i: the notes' line has x_i "
        "where w^T x_i belongs, and e^{-w^T x_i} without the term -w^T x_i that goes with "
        "it (for y'_i = 0 it gives -log(1 + e^{-t_i}) instead of -log(1 + e^{t_i}))")),
    crosschecks=[CrossCheck("the corrected line against numeric.linear's log-likelihood",
                            log_likelihood_value_logistic)],
    hypotheses=[BINARY_LABELS, SIGMOID_MODEL, IID_PAIRS, INPUTS_FREE_OF_W, ONE_FEATURE],
    notation=LOGISTIC_NOTATION,
)

logistic_gradient = Derivation(
    id="logistic-log-likelihood-gradient",
    title="grad_w log P(X | w) = sum_i (y'_i - sigma(w^T x_i)) x_i, for every d and N",
    source=Source(LECTURE_NOTES, LOGISTIC,
                  r"\nabla_w \log P(\mathbf{X} | w) &= \sum_{i=1}^{N} [y^\prime_i - "
                  r"\sigma(w^{\top} x_i)]x_i = 0"),
    start=Step(_directional_derivative(1),
               r"v^\top \nabla_w \log P(\mathbf{X} | w) = \frac{d}{ds} \log P(\mathbf{X} | "
               r"w + s v) \big|_{s=0}",
               "directional derivative along any v in R^d of the corrected log-likelihood "
               "sum_i (y'_i w^T x_i - log(1 + e^{w^T x_i})) (logistic-log-likelihood); "
               "the dropped log prod P(x_i) does not depend on w"),
    steps=[Step(over_data((label01 - sigmoid(_dot(w_vec))) * _dot(v_vec)),
                r"v^\top \sum_{i=1}^{N} [y^\prime_i - \sigma(w^{\top} x_i)]x_i",
                "d/dt log(1 + e^t) = sigma(t); equal for every v, so the gradient is "
                "sum_i (y'_i - sigma(w^T x_i)) x_i")],
    crosschecks=[
        CrossCheck("gradient against central differences", gradient_matches_finite_differences),
        CrossCheck("gradient vanishes at the Newton MLE", newton_solution_is_stationary),
        CrossCheck("Newton MLE agrees with scipy BFGS", newton_agrees_with_scipy),
    ],
    hypotheses=[BINARY_LABELS, SIGMOID_MODEL, IID_PAIRS, ANY_FEATURES],
)

_CURVATURE = sp.exp(-_dot(w_vec)) / (1 + sp.exp(-_dot(w_vec))) ** 2

logistic_concavity = Derivation(
    id="logistic-log-likelihood-concave",
    title="v^T H v = -sum_i sigma(1 - sigma) (v^T x_i)^2 <= 0: the log-likelihood is concave",
    source=Source(LECTURE_NOTES, LOGISTIC,
                  r"因為沒辦法直接解出來,所以通常會用 Gradient Ascent 來找到最大值"),
    start=Step(_directional_derivative(2),
               r"v^\top \nabla_w^2 \log P(\mathbf{X} | w) v = \frac{d^2}{ds^2} \log "
               r"P(\mathbf{X} | w + s v) \big|_{s=0}",
               "second directional derivative along any v in R^d (not in the notes: why "
               "gradient ascent finds the maximum)"),
    steps=[
        Step(-over_data(sigmoid(_dot(w_vec)) * (1 - sigmoid(_dot(w_vec))) * _dot(v_vec) ** 2),
             r"v^\top \left(-\sum_{i=1}^{N} \sigma(w^\top x_i)(1 - \sigma(w^\top x_i)) x_i "
             r"x_i^\top\right) v", "sigma'(t) = sigma(t)(1 - sigma(t))"),
        Step(-over_data(_CURVATURE * _dot(v_vec) ** 2),
             r"-\sum_{i=1}^{N} \frac{e^{-w^\top x_i}}{(1 + e^{-w^\top x_i})^2} "
             r"(v^\top x_i)^2", "sigma(1 - sigma) = e^{-t} / (1 + e^{-t})^2 > 0"),
        Step(sp.S.Zero, r"\le 0", "a sum of non-negative terms, negated", relation="<="),
    ],
    crosschecks=[CrossCheck("Hessian against central differences of the gradient",
                            hessian_matches_finite_differences)],
    hypotheses=[BINARY_LABELS, SIGMOID_MODEL, IID_PAIRS, ANY_FEATURES],
    budget=SLOW_BUDGET,
)
