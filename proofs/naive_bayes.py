r"""Generative classifiers: Gaussian class conditionals give a logistic posterior, Poisson naive
Bayes a log-odds linear in the counts, and what the naive Bayes factorisation assumes.

Assignment, "Unanswered questions in assignment 05".

- With p(y = 1) = pi_1 and p(x | y = k) = N(mu_k, Sigma_k), Bayes' rule gives
  p(y = 1 | x) = sigma(a(x)), a(x) = log(pi_1 N_1(x) / (pi_0 N_0(x))). a(x) is linear in x when
  Sigma_1 = Sigma_0 (w = Sigma^{-1} (mu_1 - mu_0)) and quadratic otherwise (its quadratic
  part is -x^T (Sigma_1^{-1} - Sigma_0^{-1}) x / 2): shown in 1-D and in 2-D with general
  parameters, and cross-checked by logistic regression on simulated data.
- Poisson naive Bayes: a(x) = sum_i x_i log(lambda_1i / lambda_0i) - sum_i (lambda_1i -
  lambda_0i) + log(pi_1 / pi_0), for every number d of features; cross-checked against the
  frequency of y = 1 among simulated draws with x = x_0.
- The notes: "all components may follow the same distribution. This is exactly the Naive
  Bayes assumption: p(x|y) = prod_i p(x_i|y)". Naive Bayes is conditional independence, not
  identically distributed components: two components that are both N(m, 1) given y but
  correlated (rho != 0) do not factorise, and the factorised posterior is wrong (its log-odds
  slope is delta where the true one is delta / (1 + rho)): an erratum. The factorisation
  holds exactly when the components are independent given y, whatever their distributions.
"""

from __future__ import annotations

import math

import numpy as np
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
from numeric import linear, naive_bayes

from ._notes import ASSIGNMENT

SECTION = "Unanswered questions in assignment 05"
CONVENIENT_QUOTE = ("In generative model, we assume, in the class, that $p(x|y=1), p(x|y=0)$ are "
                    "Gaussian, and $p(y=1), p(y=0)$ are Bernoulli [...] The Gaussian—Bernoulli "
                    "assumption is the most convenient, that is, the easiest to analyze.")
POISSON_QUOTE = ("For different choices of $p(x|y)$, it depends on the nature of the data, for "
                 "instance, Poisson for count data [...] Gaussian Naive Bayes is common, but "
                 "Poisson Naive Bayes and Multinomial Naive Bayes are widely used")
NAIVE_QUOTE = ("For another questions, all components may follow the same distribution. This "
               "is exactly the Naive Bayes assumption (see 3.5 of [8] and Chapter 2 of [9]): "
               "$$p(x|y) = \\prod_{i=1}^d p(x_i|y).$$")

x, x1, x2 = sp.symbols("x x1 x2", real=True)
mu0, mu1, m = sp.symbols("mu0 mu1 m", real=True)
s, s0, s1 = sp.symbols("s s0 s1", positive=True)
pi0, pi1 = sp.symbols("pi0 pi1", positive=True)
BERNOULLI = Hypothesis(r"p(y = 1) = \pi_1, \quad p(y = 0) = \pi_0",
                       quote="$p(y=1), p(y=0)$ are Bernoulli")


def normal(point: sp.Expr, mean: sp.Expr, sd: sp.Expr) -> sp.Expr:
    """The N(mean, sd^2) density at point."""
    return sp.exp(-(point - mean) ** 2 / (2 * sd**2)) / sp.sqrt(2 * sp.pi * sd**2)


def log_odds_1d(sd1: sp.Expr, sd0: sp.Expr) -> sp.Expr:
    """log(pi_1 N(x; mu_1, sd1^2)) - log(pi_0 N(x; mu_0, sd0^2))."""
    return sp.log(pi1 * normal(x, mu1, sd1)) - sp.log(pi0 * normal(x, mu0, sd0))


def density(point: sp.Expr, mean: sp.Expr, variance: sp.Expr) -> sp.Expr:
    """N(point; mean, variance): the normal density, of a number or of a vector."""
    if isinstance(point, sp.MatrixBase):
        gap = point - mean
        return (sp.exp(-(gap.T * variance.inv() * gap)[0, 0] / 2)
                / sp.sqrt((2 * sp.pi) ** point.rows * variance.det()))
    return normal(point, mean, sp.sqrt(variance))


NOTATION = {r"\pi_1": pi1, r"\pi_0": pi0, r"\mu_1": mu1, r"\mu_0": mu0, "s_1": s1, "s_0": s0,
            "N": density, "p": sp.Function("p"), "a": sp.Function("a"), "y": sp.Symbol("y")}
"""What the notes' names mean: N the normal density, p and a the functions they define."""


# ---------------------------------------------------------------- 1-D, posterior and log-odds
POSTERIOR_POINT, POSTERIOR_HALF_WIDTH, POSTERIOR_DRAWS = 1.5, 0.02, 2**20


def _gaussian_log_odds(point: float, with_scale_ratio: bool = True) -> float:
    """a(x) for pi_1 = 0.4, mu_0 = 0, s_0 = 1, mu_1 = 1.5, s_1 = 2."""
    scale_term = math.log(1.0 / 2.0) if with_scale_ratio else 0.0
    return (math.log(0.4 / 0.6) + scale_term - (point - 1.5) ** 2 / 8 + point**2 / 2)


def posterior_frequency(seed: int) -> Comparison:
    """The frequency of y = 1 among simulated draws with x within 0.02 of x_0 = 1.5 against
    sigma(a(x_0)); the bin's bias is O(width^2)."""
    rng = np.random.default_rng(seed)
    y = rng.random(POSTERIOR_DRAWS) < 0.4
    draws = np.where(y, 1.5 + 2.0 * rng.standard_normal(POSTERIOR_DRAWS),
                     rng.standard_normal(POSTERIOR_DRAWS))
    hits = y[np.abs(draws - POSTERIOR_POINT) < POSTERIOR_HALF_WIDTH]
    frequency = float(hits.mean())
    return Comparison(
        estimate=frequency, stderr=math.sqrt(frequency * (1 - frequency) / hits.size),
        expected=_sigmoid(_gaussian_log_odds(POSTERIOR_POINT)),
        alternatives={"without the log(s_0 / s_1) term (the normalisers dropped)":
                      _sigmoid(_gaussian_log_odds(POSTERIOR_POINT, with_scale_ratio=False)),
                      "pi_1 N_1 alone (not normalised by the evidence)":
                      0.4 * math.exp(-(POSTERIOR_POINT - 1.5) ** 2 / 8) / math.sqrt(8 * math.pi)},
        details=f"pi_1 = 0.4, x | y = 0 ~ N(0, 1), x | y = 1 ~ N(1.5, 4); {hits.size} of "
                f"{POSTERIOR_DRAWS} draws within {POSTERIOR_HALF_WIDTH} of {POSTERIOR_POINT}")



gaussian_posterior_logistic = Derivation(
    id="generative-gaussian-posterior-is-logistic",
    title="Gaussian class conditionals and Bernoulli labels give p(y=1|x) = sigma(a(x))",
    source=Source(ASSIGNMENT, SECTION, CONVENIENT_QUOTE),
    start=Step(pi1 * normal(x, mu1, s1) / (pi1 * normal(x, mu1, s1) + pi0 * normal(x, mu0, s0)),
               r"p(y = 1 \mid x) = \frac{\pi_1 N(x; \mu_1, s_1^2)}{\pi_1 N(x; \mu_1, s_1^2) + "
               r"\pi_0 N(x; \mu_0, s_0^2)}", "Bayes' rule"),
    steps=[Step(1 / (1 + sp.exp(-(sp.log(pi1 / pi0) + sp.log(s0 / s1)
                                   - (x - mu1) ** 2 / (2 * s1**2) + (x - mu0) ** 2 / (2 * s0**2)))),
                r"\frac{1}{1 + e^{-a(x)}}, \quad a(x) = \log \frac{\pi_1}{\pi_0} + \log "
                r"\frac{s_0}{s_1} - \frac{(x - \mu_1)^2}{2 s_1^2} + \frac{(x - \mu_0)^2}{2 s_0^2}",
                "divide by the numerator: a(x) = log(pi_1 N_1 / (pi_0 N_0))")],
    hypotheses=[BERNOULLI, Hypothesis(r"x \mid y = k \sim N(\mu_k, s_k^2)",
                                      quote="$p(x|y=1), p(x|y=0)$ are Gaussian")],
    crosschecks=[CrossCheck("frequency of y = 1 among draws near x_0", posterior_frequency)],
    notation=NOTATION,
)

SAMPLES = 40_000


def _logistic_fit(features: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Logistic-regression coefficients (numeric.linear) and their asymptotic standard errors,
    the square roots of the diagonal of the inverse observed information."""
    model = linear.logistic_regression(features, labels)
    hessian = linear.logistic_hessian(model.coef, model.intercept, features, labels, 0.0)
    covariance = np.linalg.inv(-hessian)
    return np.asarray(model.coef), np.sqrt(np.diag(covariance))[:-1]


def _two_gaussian_classes(seed: int, sds: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """SAMPLES draws: y ~ Bernoulli(0.4), x | y = k ~ N((0, 1.5)[k], sds[k]^2)."""
    rng = np.random.default_rng(seed)
    y = (rng.random(SAMPLES) < 0.4).astype(float)
    sd = np.where(y == 1, sds[1], sds[0])
    return 1.5 * y + sd * rng.standard_normal(SAMPLES), y


def shared_variance_slope(seed: int) -> Comparison:
    """The fitted logistic slope on data with a shared variance against (mu_1 - mu_0) / s^2."""
    data, labels = _two_gaussian_classes(seed, (1.2, 1.2))
    coef, stderr = _logistic_fit(data[:, None], labels)
    return Comparison(
        estimate=float(coef[0]), stderr=float(stderr[0]), expected=1.5 / 1.2**2,
        alternatives={"(mu_1 - mu_0) / s": 1.5 / 1.2, "(mu_1 - mu_0) / (2 s^2)": 1.5 / 2.88},
        details=f"mu_0 = 0, mu_1 = 1.5, s = 1.2, pi_1 = 0.4, {SAMPLES} draws; "
                "numeric.linear.logistic_regression, standard error from the inverse Hessian")


gaussian_shared_linear = Derivation(
    id="generative-gaussian-shared-variance-log-odds-linear",
    title="With a shared variance the log-odds is linear in x: a(x) = w x + b",
    source=Source(ASSIGNMENT, SECTION, CONVENIENT_QUOTE),
    start=Step(log_odds_1d(s, s), r"a(x) = \log \frac{\pi_1 N(x; \mu_1, s^2)}{\pi_0 N(x; \mu_0, "
               r"s^2)}"),
    steps=[Step((mu1 - mu0) / s**2 * x + (mu0**2 - mu1**2) / (2 * s**2) + sp.log(pi1 / pi0),
                r"\frac{\mu_1 - \mu_0}{s^2} x + \frac{\mu_0^2 - \mu_1^2}{2 s^2} + \log "
                r"\frac{\pi_1}{\pi_0}", "the x^2 terms cancel")],
    hypotheses=[BERNOULLI, Hypothesis(r"x \mid y = k \sim N(\mu_k, s^2)",
                                      note="the two classes share the variance")],
    crosschecks=[CrossCheck("logistic regression slope on shared-variance Gaussian classes",
                            shared_variance_slope)],
    notation=NOTATION,
)


def quadratic_coefficient(seed: int) -> Comparison:
    """The fitted x^2 coefficient of a logistic model on (x, x^2) against 1/(2 s0^2) - 1/(2 s1^2)."""
    data, labels = _two_gaussian_classes(seed, (1.0, 2.0))
    coef, stderr = _logistic_fit(np.column_stack([data, data**2]), labels)
    return Comparison(
        estimate=float(coef[1]), stderr=float(stderr[1]), expected=1 / 2 - 1 / 8,
        alternatives={"0 (a log-odds linear in x)": 0.0},
        details=f"mu_0 = 0, s_0 = 1, mu_1 = 1.5, s_1 = 2, pi_1 = 0.4, {SAMPLES} draws; the "
                f"x coefficient: {coef[0]:.4f} ± {stderr[0]:.4f} (expected mu_1 / s_1^2 - "
                f"mu_0 / s_0^2 = {1.5 / 4:.4f})")


gaussian_quadratic = Derivation(
    id="generative-gaussian-unequal-variance-log-odds-quadratic",
    title="With unequal variances the log-odds is quadratic in x",
    source=Source(ASSIGNMENT, SECTION, CONVENIENT_QUOTE),
    start=Step(log_odds_1d(s1, s0), r"a(x) = \log \frac{\pi_1 N(x; \mu_1, s_1^2)}{\pi_0 N(x; "
               r"\mu_0, s_0^2)}"),
    steps=[Step((1 / (2 * s0**2) - 1 / (2 * s1**2)) * x**2 + (mu1 / s1**2 - mu0 / s0**2) * x
                + mu0**2 / (2 * s0**2) - mu1**2 / (2 * s1**2) + sp.log(s0 / s1)
                + sp.log(pi1 / pi0),
                r"\left(\frac{1}{2 s_0^2} - \frac{1}{2 s_1^2}\right) x^2 + \left(\frac{\mu_1}"
                r"{s_1^2} - \frac{\mu_0}{s_0^2}\right) x + \frac{\mu_0^2}{2 s_0^2} - "
                r"\frac{\mu_1^2}{2 s_1^2} + \log \frac{s_0}{s_1} + \log \frac{\pi_1}{\pi_0}",
                "the x^2 coefficient vanishes only when s_0 = s_1")],
    hypotheses=[BERNOULLI, Hypothesis(r"x \mid y = k \sim N(\mu_k, s_k^2)")],
    crosschecks=[CrossCheck("logistic regression on (x, x^2): the quadratic coefficient",
                            quadratic_coefficient)],
    notation=NOTATION,
)


# ---------------------------------------------------------------- 2-D, general parameters

X2 = sp.Matrix([x1, x2])


def _covariance(name: str) -> sp.Matrix:
    """L L^T with L lower triangular, positive diagonal: every 2x2 covariance matrix."""
    l11, l22 = sp.symbols(f"{name}11 {name}22", positive=True)
    factor = sp.Matrix([[l11, 0], [sp.Symbol(f"{name}21", real=True), l22]])
    return factor * factor.T


def _mean(name: str) -> sp.Matrix:
    return sp.Matrix(sp.symbols(f"{name}1 {name}2", real=True))


def _log_normal_2d(mean: sp.Matrix, cov: sp.Matrix) -> sp.Expr:
    """log N(x; mean, cov) in two dimensions."""
    d = X2 - mean
    return -(d.T * cov.inv() * d)[0, 0] / 2 - sp.log(2 * sp.pi) - sp.log(cov.det()) / 2


M0, M1, SIGMA0, SIGMA1 = _mean("m"), _mean("n"), _covariance("L"), _covariance("K")
LOG_ODDS_2D = r"a(x) = \log \frac{\pi_1 N(x; \mu_1, \Sigma_1)}{\pi_0 N(x; \mu_0, \Sigma_0)}"


def _quadratic_form(matrix: sp.Matrix, left: sp.Matrix, right: sp.Matrix) -> sp.Expr:
    return (left.T * matrix * right)[0, 0]


SHARED_COVARIANCE = np.array([[1.0, 0.6], [0.6, 1.5]])
MEAN_GAP = np.array([1.0, 0.5])                       # mu_1 - mu_0, mu_0 = 0


def _two_gaussian_classes_2d(seed: int, covariances: tuple[np.ndarray, np.ndarray],
                             ) -> tuple[np.ndarray, np.ndarray]:
    """SAMPLES draws: y ~ Bernoulli(0.4), x | y = k ~ N(k MEAN_GAP, covariances[k])."""
    rng = np.random.default_rng(seed)
    y = (rng.random(SAMPLES) < 0.4).astype(float)
    noise = rng.standard_normal((SAMPLES, 2))
    factors = [np.linalg.cholesky(cov) for cov in covariances]
    x = np.where(y[:, None] == 1, noise @ factors[1].T, noise @ factors[0].T)
    return x + y[:, None] * MEAN_GAP, y


def shared_covariance_weight(seed: int) -> Comparison:
    """The fitted logistic weight of x_2 on 2-D classes with a shared, correlated covariance
    against (Sigma^{-1} (mu_1 - mu_0))_2."""
    data, labels = _two_gaussian_classes_2d(seed, (SHARED_COVARIANCE, SHARED_COVARIANCE))
    coef, stderr = _logistic_fit(data, labels)
    weight = np.linalg.solve(SHARED_COVARIANCE, MEAN_GAP)
    return Comparison(
        estimate=float(coef[1]), stderr=float(stderr[1]), expected=float(weight[1]),
        alternatives={"(mu_1 - mu_0)_2 / Sigma_22 (the correlation ignored)":
                      MEAN_GAP[1] / SHARED_COVARIANCE[1, 1],
                      "(Sigma (mu_1 - mu_0))_2 (Sigma for Sigma^{-1})":
                      float((SHARED_COVARIANCE @ MEAN_GAP)[1])},
        details=f"Sigma = {SHARED_COVARIANCE.tolist()}, mu_1 - mu_0 = {MEAN_GAP.tolist()}, "
                f"pi_1 = 0.4, {SAMPLES} draws; fitted w = {np.round(coef, 4).tolist()} against "
                f"Sigma^{{-1}} (mu_1 - mu_0) = {np.round(weight, 4).tolist()}")


def cross_term_coefficient(seed: int) -> Comparison:
    """The fitted x_1 x_2 coefficient of a logistic model on (x, x_1^2, x_1 x_2, x_2^2) against
    -(Sigma_1^{-1} - Sigma_0^{-1})_{12} (the cross term of -x^T (...) x / 2)."""
    covariances = (np.eye(2), np.array([[2.0, 0.8], [0.8, 1.0]]))
    data, labels = _two_gaussian_classes_2d(seed, covariances)
    features = np.column_stack([data, data[:, 0] ** 2, data[:, 0] * data[:, 1], data[:, 1] ** 2])
    coef, stderr = _logistic_fit(features, labels)
    precision_gap = np.linalg.inv(covariances[1]) - np.linalg.inv(covariances[0])
    return Comparison(
        estimate=float(coef[3]), stderr=float(stderr[3]), expected=float(-precision_gap[0, 1]),
        alternatives={"0 (a log-odds linear in x)": 0.0,
                      "+(Sigma_1^{-1} - Sigma_0^{-1})_{12} (the sign of the quadratic part)":
                      float(precision_gap[0, 1])},
        details=f"Sigma_0 = I, Sigma_1 = {covariances[1].tolist()}, mu_1 - mu_0 = "
                f"{MEAN_GAP.tolist()}, pi_1 = 0.4, {SAMPLES} draws; fitted coefficients of "
                f"(x_1, x_2, x_1^2, x_1 x_2, x_2^2) = {np.round(coef, 4).tolist()}")


gaussian_2d_shared = Derivation(
    id="generative-gaussian-2d-shared-covariance-log-odds-linear",
    title="2-D, shared covariance: a(x) = w^T x + b with w = Sigma^{-1} (mu_1 - mu_0)",
    source=Source(ASSIGNMENT, SECTION, CONVENIENT_QUOTE),
    start=Step(sp.log(pi1) + _log_normal_2d(M1, SIGMA0) - sp.log(pi0) - _log_normal_2d(M0, SIGMA0),
               LOG_ODDS_2D + r", \quad \Sigma_1 = \Sigma_0 = \Sigma"),
    steps=[Step(_quadratic_form(SIGMA0.inv(), M1 - M0, X2)
                - _quadratic_form(SIGMA0.inv(), M1, M1) / 2
                + _quadratic_form(SIGMA0.inv(), M0, M0) / 2 + sp.log(pi1 / pi0),
                r"(\mu_1 - \mu_0)^\top \Sigma^{-1} x - \frac{1}{2} \mu_1^\top \Sigma^{-1} \mu_1 "
                r"+ \frac{1}{2} \mu_0^\top \Sigma^{-1} \mu_0 + \log \frac{\pi_1}{\pi_0}",
                "the quadratic terms x^T Sigma^{-1} x cancel, and so do the determinants")],
    hypotheses=[BERNOULLI, Hypothesis(r"x \mid y = k \sim N(\mu_k, \Sigma), \quad \Sigma = L "
                                      r"L^\top", note="every covariance matrix, by Cholesky")],
    crosschecks=[CrossCheck("logistic regression weight on 2-D shared-covariance classes",
                            shared_covariance_weight)],
    notation={**NOTATION, "x": X2, r"\mu_1": M1, r"\mu_0": M0, r"\Sigma_1": SIGMA0,
              r"\Sigma_0": SIGMA0, r"\Sigma": SIGMA0},
)

gaussian_2d_general = Derivation(
    id="generative-gaussian-2d-log-odds-quadratic",
    title="2-D, general covariances: the log-odds is quadratic, -x^T (Sigma_1^{-1} - "
          "Sigma_0^{-1}) x / 2 + ...",
    source=Source(ASSIGNMENT, SECTION, CONVENIENT_QUOTE),
    start=Step(sp.log(pi1) + _log_normal_2d(M1, SIGMA1) - sp.log(pi0) - _log_normal_2d(M0, SIGMA0),
               LOG_ODDS_2D),
    steps=[Step(-_quadratic_form(SIGMA1.inv() - SIGMA0.inv(), X2, X2) / 2
                + ((SIGMA1.inv() * M1 - SIGMA0.inv() * M0).T * X2)[0, 0]
                - _quadratic_form(SIGMA1.inv(), M1, M1) / 2
                + _quadratic_form(SIGMA0.inv(), M0, M0) / 2
                - sp.log(SIGMA1.det() / SIGMA0.det()) / 2 + sp.log(pi1 / pi0),
                r"-\frac{1}{2} x^\top (\Sigma_1^{-1} - \Sigma_0^{-1}) x + (\Sigma_1^{-1} \mu_1 - "
                r"\Sigma_0^{-1} \mu_0)^\top x - \frac{1}{2} \mu_1^\top \Sigma_1^{-1} \mu_1 + "
                r"\frac{1}{2} \mu_0^\top \Sigma_0^{-1} \mu_0 - \frac{1}{2} \log \frac{|\Sigma_1|}"
                r"{|\Sigma_0|} + \log \frac{\pi_1}{\pi_0}", "expand both quadratic forms")],
    hypotheses=[BERNOULLI, Hypothesis(r"x \mid y = k \sim N(\mu_k, \Sigma_k), \quad \Sigma_k = "
                                      r"L_k L_k^\top", note="every covariance matrix, by Cholesky")],
    crosschecks=[CrossCheck("logistic regression on quadratic features: the x_1 x_2 coefficient",
                            cross_term_coefficient)],
    notation={**NOTATION, "x": X2, r"\mu_1": M1, r"\mu_0": M0, r"\Sigma_1": SIGMA1,
              r"\Sigma_0": SIGMA0},
)


# ---------------------------------------------------------------- Poisson naive Bayes

d = sp.Symbol("d", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
counts = sp.IndexedBase("x", nonnegative=True)
rate1, rate0 = sp.IndexedBase("lambda1", positive=True), sp.IndexedBase("lambda0", positive=True)


def _rate(feature: sp.Expr, label: sp.Expr) -> sp.Expr:
    """lambda_{ik}: the Poisson rate of feature i in class k."""
    return {1: rate1, 0: rate0}[int(label)][feature]


def _log_poisson(count: sp.Expr, rate: sp.Expr) -> sp.Expr:
    return count * sp.log(rate) - rate - sp.log(sp.factorial(count))


POISSON_RATES = np.array([[1.0, 2.0], [2.0, 0.5]])       # rows: class 0, class 1
POISSON_PRIOR, POISSON_POINT, POISSON_DRAWS = 0.4, np.array([1.0, 1.0]), 2**18


def _poisson_log_odds(point: np.ndarray, with_offset: bool = True) -> float:
    offset = -(POISSON_RATES[1] - POISSON_RATES[0]).sum() if with_offset else 0.0
    return float(point @ np.log(POISSON_RATES[1] / POISSON_RATES[0]) + offset
                 + math.log(POISSON_PRIOR / (1 - POISSON_PRIOR)))


def _sigmoid(value: float) -> float:
    return 1 / (1 + math.exp(-value))


def poisson_posterior_frequency(seed: int) -> Comparison:
    """The frequency of y = 1 among simulated draws with x = x_0 against sigma(a(x_0))."""
    rng = np.random.default_rng(seed)
    y = (rng.random(POISSON_DRAWS) < POISSON_PRIOR).astype(int)
    draws = rng.poisson(POISSON_RATES[y]).astype(float)
    hits = (draws == POISSON_POINT).all(axis=1)
    frequency = float(y[hits].mean())
    fitted = naive_bayes.poisson_naive_bayes(draws, y).predict_proba(POISSON_POINT[None, :])
    return Comparison(
        estimate=frequency, stderr=math.sqrt(frequency * (1 - frequency) / hits.sum()),
        expected=_sigmoid(_poisson_log_odds(POISSON_POINT)),
        alternatives={"without the -sum (lambda_1i - lambda_0i) term":
                      _sigmoid(_poisson_log_odds(POISSON_POINT, with_offset=False))},
        details=f"rates {POISSON_RATES.tolist()} (class 0, class 1), pi_1 = {POISSON_PRIOR}, "
                f"x_0 = {POISSON_POINT.tolist()}; {hits.sum()} of {POISSON_DRAWS} draws have "
                f"x = x_0; numeric.naive_bayes.poisson_naive_bayes fitted to the draws gives "
                f"p(y=1|x_0) = {fitted[0, 1]:.4f}")


poisson_log_odds = Derivation(
    id="poisson-naive-bayes-log-odds-linear",
    title="Poisson naive Bayes: the log-odds is linear in the counts",
    source=Source(ASSIGNMENT, SECTION, POISSON_QUOTE),
    start=Step(sp.log(pi1) + sp.Sum(_log_poisson(counts[i], rate1[i]), (i, 1, d))
               - sp.log(pi0) - sp.Sum(_log_poisson(counts[i], rate0[i]), (i, 1, d)),
               r"a(x) = \log \pi_1 + \sum_{i=1}^{d} \log \frac{\lambda_{i1}^{x_i} e^{-\lambda_{i1}}}"
               r"{x_i!} - \log \pi_0 - \sum_{i=1}^{d} \log \frac{\lambda_{i0}^{x_i} "
               r"e^{-\lambda_{i0}}}{x_i!}",
               "log of pi_k prod_i p(x_i | y = k), x_i | y = k ~ Poisson(lambda_ik)"),
    steps=[Step(sp.Sum(counts[i] * sp.log(rate1[i] / rate0[i]), (i, 1, d))
                - sp.Sum(rate1[i] - rate0[i], (i, 1, d)) + sp.log(pi1 / pi0),
                r"\sum_{i=1}^{d} x_i \log \frac{\lambda_{i1}}{\lambda_{i0}} - \sum_{i=1}^{d} "
                r"(\lambda_{i1} - \lambda_{i0}) + \log \frac{\pi_1}{\pi_0}",
                "the log x_i! terms cancel: w_i = log(lambda_i1 / lambda_i0)")],
    hypotheses=[BERNOULLI, Hypothesis(r"p(x \mid y) = \prod_{i=1}^d p(x_i \mid y), \quad x_i \mid "
                                      r"y = k \sim \mathrm{Poisson}(\lambda_{ik})",
                                      quote="Poisson for count data")],
    crosschecks=[CrossCheck("frequency of y = 1 among draws with x = x_0", poisson_posterior_frequency)],
    notation={**NOTATION, r"\lambda": _rate},
)


# ---------------------------------------------------------------- the naive Bayes assumption

r = sp.Symbol("r", positive=True)
rho = r / (1 + r)                                    # every correlation in (0, 1)


def _log_normal(point: sp.Expr, mean: sp.Expr, variance: sp.Expr) -> sp.Expr:
    """log N(point; mean, variance)."""
    return -(point - mean) ** 2 / (2 * variance) - sp.log(2 * sp.pi * variance) / 2


def _log_bivariate(point1: sp.Expr, point2: sp.Expr, mean: sp.Expr,
                   correlation: sp.Expr) -> sp.Expr:
    """log density of two N(mean, 1) components with correlation ``correlation``."""
    q = ((point1 - mean) ** 2 - 2 * correlation * (point1 - mean) * (point2 - mean)
         + (point2 - mean) ** 2) / (1 - correlation**2)
    return -q / 2 - sp.log(2 * sp.pi) - sp.log(1 - correlation**2) / 2


DELTA, CORRELATION = 1.0, 0.6


def correlated_posterior_slope(seed: int) -> Comparison:
    """Logistic slope on correlated, identically distributed components against delta/(1+rho)."""
    rng = np.random.default_rng(seed)
    y = (rng.random(SAMPLES) < 0.5).astype(float)
    common = rng.standard_normal(SAMPLES)
    own = rng.standard_normal((SAMPLES, 2))
    noise = math.sqrt(CORRELATION) * common[:, None] + math.sqrt(1 - CORRELATION) * own
    features = DELTA * y[:, None] + noise
    coef, stderr = _logistic_fit(features, y)
    nb = naive_bayes.gaussian_naive_bayes(features, y)
    nb_slope = float(np.diff(nb.predict_log_odds(np.array([[0.0, 0.0], [1.0, 0.0]])))[0])
    return Comparison(
        estimate=float(coef[0]), stderr=float(stderr[0]), expected=DELTA / (1 + CORRELATION),
        alternatives={"delta, the factorised (naive Bayes) posterior's slope": DELTA},
        details=f"x | y ~ N(delta y (1, 1), [[1, rho], [rho, 1]]), delta = {DELTA}, rho = "
                f"{CORRELATION}, {SAMPLES} draws: both components are N(delta y, 1) given y; "
                f"logistic regression (numeric.linear) finds the true posterior's slope in x_1; "
                f"numeric.naive_bayes.gaussian_naive_bayes on the same data gives {nb_slope:.4f}")


naive_bayes_same_distribution = Derivation(
    id="naive-bayes-needs-conditional-independence",
    title="Identically distributed components do not give p(x|y) = prod p(x_i|y): naive Bayes "
          "assumes conditional independence",
    source=Source(ASSIGNMENT, SECTION, NAIVE_QUOTE),
    start=Step(_log_bivariate(x1, x2, m, rho),
               r"\log p(x \mid y) = -\frac{(x_1 - m)^2 - 2 \rho (x_1 - m)(x_2 - m) + (x_2 - m)^2}"
               r"{2 (1 - \rho^2)} - \log(2 \pi) - \frac{1}{2} \log(1 - \rho^2)",
               "two components, each N(m, 1) given y (the same distribution), correlation rho = "
               "r / (1 + r) in (0, 1)"),
    steps=[Step(_log_normal(x1, m, 1) + _log_normal(x2, m, 1),
                r"\log \prod_{i=1}^{2} p(x_i \mid y) = \sum_{i=1}^{2} \log N(x_i; m, 1)",
                "the notes: the same distribution is the naive Bayes factorisation")],
    expected=erratum(Correction(
        1, Step(_log_normal(x1, m, 1) + _log_normal(x2, m + rho * (x1 - m), 1 - rho**2),
                r"\log p(x_1 \mid y) + \log p(x_2 \mid x_1, y) = \log N(x_1; m, 1) + \log "
                r"N(x_2; m + \rho (x_1 - m), 1 - \rho^2)"),
        "p(x|y) = prod_i p(x_i|y) is conditional independence of the components given y, "
        "whatever their distributions (they may differ); identically distributed components "
        "that are correlated given y factorise only by the chain rule, p(x_1|y) p(x_2|x_1, y), "
        "and the factorised posterior is wrong")),
    hypotheses=[Hypothesis(r"x_1 \mid y \sim N(m, 1), \quad x_2 \mid y \sim N(m, 1)",
                           quote="all components may follow the same distribution"),
                Hypothesis(r"\operatorname{Corr}(x_1, x_2 \mid y) = \rho \in (0, 1)",
                           note="rho = r / (1 + r), r > 0")],
    crosschecks=[CrossCheck("posterior slope with correlated, identically distributed components",
                            correlated_posterior_slope)],
    notation={**NOTATION, "x": X2, "x_1": x1, "x_2": x2, r"\rho": rho},
)
