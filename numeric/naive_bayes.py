"""Naive Bayes classifiers with Gaussian and Poisson class conditionals.

A generative classifier models p(y = c) = pi_c and p(x | y = c); the naive Bayes assumption
is that the features are independent *given the class*,

    p(x | y = c) = prod_{i=1}^{d} p(x_i | y = c),

so the joint log-likelihood of class c is log pi_c + sum_i log p(x_i | y = c), and the
posterior is its softmax over the classes (Bayes' rule). For two classes the log-odds is

    a(x) = log p(y = c_1 | x) - log p(y = c_0 | x),   p(y = c_1 | x) = sigmoid(a(x)).

- Gaussian: x_i | y = c ~ N(mu_ci, s_ci^2); a(x) is quadratic in x, and linear when the
  variances are shared by the classes.
- Poisson: x_i | y = c ~ Poisson(lambda_ci) for counts; a(x) is linear in the counts:
  a(x) = sum_i x_i log(lambda_1i / lambda_0i) - sum_i (lambda_1i - lambda_0i) + log(pi_1 / pi_0).

Both are fitted by maximum likelihood (class frequencies, per-class means and variances).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln, logsumexp

from numeric import _validation as check
from numeric._errors import InvalidArgumentValue
from numeric._validation import FloatArray

__all__ = ["GaussianNaiveBayes", "PoissonNaiveBayes", "gaussian_naive_bayes",
           "poisson_naive_bayes"]


@dataclass(frozen=True)
class _NaiveBayes(ABC):
    """Shared predictions from the per-class joint log-likelihoods (see subclasses)."""

    classes: tuple[Any, ...]
    log_priors: FloatArray

    @abstractmethod
    def joint_log_likelihood(self, X: ArrayLike) -> FloatArray:
        """log pi_c + sum_i log p(x_i | y = c), shape (n, n_classes)."""

    def predict_log_proba(self, X: ArrayLike) -> FloatArray:
        """log p(y = c | x) = joint_c - logsumexp_c' joint_c', shape (n, n_classes)."""
        joint = self.joint_log_likelihood(X)
        result: FloatArray = joint - logsumexp(joint, axis=1, keepdims=True)
        return result

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """p(y = c | x) for every row of X and every class, shape (n, n_classes)."""
        return np.exp(self.predict_log_proba(X))

    def predict_log_odds(self, X: ArrayLike) -> FloatArray:
        """a(x) = log p(y = classes[1] | x) - log p(y = classes[0] | x) (two classes only)."""
        if len(self.classes) != 2:
            raise InvalidArgumentValue(f"predict_log_odds needs a model of two classes, got "
                                       f"{len(self.classes)} classes {self.classes}")
        joint = self.joint_log_likelihood(X)
        return joint[:, 1] - joint[:, 0]

    def predict(self, X: ArrayLike) -> Any:
        """The class of largest posterior probability for every row of X."""
        return np.asarray(self.classes)[np.argmax(self.joint_log_likelihood(X), axis=1)]

    def _features(self, X: ArrayLike, n_features: int) -> FloatArray:
        features = check.array(X, "X", ndim=2)
        if features.shape[1] != n_features:
            raise InvalidArgumentValue(f"X must have {n_features} columns (as in the fit), "
                                       f"got shape {features.shape}")
        return features


@dataclass(frozen=True)
class GaussianNaiveBayes(_NaiveBayes):
    """x_i | y = c ~ N(means[c, i], variances[c, i]), independent given the class."""

    means: FloatArray
    variances: FloatArray

    def joint_log_likelihood(self, X: ArrayLike) -> FloatArray:
        """log pi_c - sum_i [log(2 pi s_ci^2) / 2 + (x_i - mu_ci)^2 / (2 s_ci^2)]."""
        x = self._features(X, self.means.shape[1])[:, None, :]
        log_density = -0.5 * (np.log(2 * np.pi * self.variances)
                              + (x - self.means) ** 2 / self.variances)
        result: FloatArray = self.log_priors + log_density.sum(axis=2)
        return result


@dataclass(frozen=True)
class PoissonNaiveBayes(_NaiveBayes):
    """x_i | y = c ~ Poisson(rates[c, i]), independent given the class; x are counts."""

    rates: FloatArray

    def joint_log_likelihood(self, X: ArrayLike) -> FloatArray:
        """log pi_c + sum_i [x_i log lambda_ci - lambda_ci - log x_i!]."""
        counts = _counts(self._features(X, self.rates.shape[1]))
        log_factorials = gammaln(counts + 1).sum(axis=1, keepdims=True)
        result: FloatArray = (self.log_priors + counts @ np.log(self.rates).T
                              - self.rates.sum(axis=1) - log_factorials)
        return result


def _counts(X: FloatArray) -> FloatArray:
    bad = (X < 0) | (np.round(X) != X)
    if bad.any():
        row, column = (int(i) for i in np.argwhere(bad)[0])
        raise InvalidArgumentValue(f"X must hold counts (non-negative integers) for Poisson naive "
                                   f"Bayes, got {X[row, column]} at index ({row}, {column})")
    return X


Labels = NDArray[np.intp]


def _classes(X: ArrayLike, y: ArrayLike) -> tuple[FloatArray, Labels, FloatArray,
                                                    tuple[Any, ...]]:
    """Features, the class index of every row, the log priors and the sorted labels."""
    features = check.array(X, "X", ndim=2)
    labels = np.asarray(y)
    if labels.ndim != 1 or labels.shape[0] != features.shape[0]:
        raise InvalidArgumentValue(f"y must be a vector with one label per row of X (shape "
                                   f"{features.shape}), got shape {labels.shape}")
    classes, index = np.unique(labels, return_inverse=True)
    if classes.size < 2:
        raise InvalidArgumentValue(f"y must hold at least two classes, got {classes.tolist()}")
    counts = np.bincount(index).astype(np.float64)
    return features, index, np.log(counts / counts.sum()), tuple(classes.tolist())


def _class_means(features: FloatArray, index: Labels, n_classes: int) -> FloatArray:
    """mean of the rows of each class, shape (n_classes, d)."""
    return np.stack([features[index == c].mean(axis=0) for c in range(n_classes)])


def gaussian_naive_bayes(X: ArrayLike, y: ArrayLike, *,
                         var_smoothing: float = 1e-9) -> GaussianNaiveBayes:
    """Fit Gaussian naive Bayes by maximum likelihood.

    pi_c = n_c / n, mu_ci = mean of x_i over class c, s_ci^2 = (1/n_c) sum (x_i - mu_ci)^2
    + var_smoothing * max_i Var(x_i) (the variance over all rows; the same smoothing as
    scikit-learn's GaussianNB, which keeps a constant feature from a zero variance).
    """
    features, index, log_priors, classes = _classes(X, y)
    smoothing = check.real(var_smoothing, "var_smoothing", nonnegative=True)
    means = _class_means(features, index, len(classes))
    spread = np.stack([features[index == c].var(axis=0) for c in range(len(classes))])
    variances = spread + smoothing * float(features.var(axis=0).max())
    if (variances <= 0).any():
        raise InvalidArgumentValue("a feature is constant within a class and var_smoothing is 0: "
                                   "its variance would be 0; give var_smoothing > 0")
    return GaussianNaiveBayes(classes, log_priors, means, variances)


def poisson_naive_bayes(X: ArrayLike, y: ArrayLike, *, alpha: float = 0.0) -> PoissonNaiveBayes:
    """Fit Poisson naive Bayes to counts: pi_c = n_c / n and

    lambda_ci = (alpha + sum_{rows of class c} x_i) / (alpha + n_c),

    the maximum-likelihood rate (the class mean) for alpha = 0, and the posterior mean under
    a Gamma(alpha, alpha) prior (mean 1) for alpha > 0, which keeps every rate positive.
    """
    features, index, log_priors, classes = _classes(X, y)
    counts = _counts(features)
    prior = check.real(alpha, "alpha", nonnegative=True)
    sizes = np.bincount(index).astype(np.float64)[:, None]
    rates = (prior + _class_means(counts, index, len(classes)) * sizes) / (prior + sizes)
    if (rates <= 0).any():
        c, i = (int(k) for k in np.argwhere(rates <= 0)[0])
        raise InvalidArgumentValue(f"feature {i} is 0 on every row of class {classes[c]!r}, so its "
                                   f"rate would be 0; give alpha > 0")
    return PoissonNaiveBayes(classes, log_priors, rates)
