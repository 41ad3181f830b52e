r"""Numerical helpers of the optimisation cross-checks (:mod:`proofs.optimization`).

- a strictly convex test function with a known minimiser, for Newton against gradient descent;
- the order of convergence of a sequence of errors, fitted on (e_k, e_{k+1});
- central differences for directional derivatives;
- the primal and the dual of min 1/2 |x|^2 subject to A x >= b, solved independently;
- the Adaline update rule and the largest step for which it converges.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import scipy.optimize

from numeric.rates import PowerLawFit, fit_power_law


@dataclasses.dataclass(frozen=True)
class ExpQuadratic:
    r"""f(x) = \sum_k (e^{x_k} - x_k) + 1/2 x^T A x with A symmetric positive semi-definite.

    grad f(x) = e^x - 1 + A x and H(x) = diag(e^x) + A is positive definite, so f is strictly
    convex with its minimiser at x* = 0 (grad f(0) = 0).
    """

    A: np.ndarray

    def value(self, x: np.ndarray) -> float:
        return float(np.sum(np.exp(x) - x) + 0.5 * x @ self.A @ x)

    def gradient(self, x: np.ndarray) -> np.ndarray:
        return np.exp(x) - 1.0 + self.A @ x

    def hessian(self, x: np.ndarray) -> np.ndarray:
        return np.diag(np.exp(x)) + self.A


def errors(history: np.ndarray) -> np.ndarray:
    """|x_k - x*| for iterates whose minimiser is x* = 0."""
    return np.linalg.norm(np.asarray(history, dtype=float), axis=1)


def convergence_order(errs: np.ndarray, *, below: float, above: float) -> PowerLawFit:
    r"""Fit e_{k+1} = C e_k^p on the pairs with e_k < ``below`` and e_{k+1} > ``above``.

    p = 1 is linear convergence (e_{k+1} ~ rho e_k), p = 2 quadratic.  ``below`` keeps the
    pre-asymptotic iterates out, ``above`` the ones at machine precision.
    """
    current, following = errs[:-1], errs[1:]
    keep = (current < below) & (following > above)
    return fit_power_law(current[keep], following[keep])


def central_difference(f, a: np.ndarray, u: np.ndarray, h: float = 1e-5) -> float:
    """(f(a + h u) - f(a - h u)) / (2 h): the directional derivative D_u f(a) + O(h^2)."""
    return (f(a + h * u) - f(a - h * u)) / (2.0 * h)


def random_unit_vectors(rng: np.random.Generator, count: int, dim: int) -> np.ndarray:
    """``count`` directions uniform on the unit sphere of R^dim (normalised Gaussians)."""
    v = rng.standard_normal((count, dim))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


# ---------------------------------------------------------------- the dual problem

def primal_optimum(A: np.ndarray, b: np.ndarray) -> tuple[float, np.ndarray]:
    """min 1/2 |x|^2 subject to A x >= b, by SLSQP: (p*, x*)."""
    result = scipy.optimize.minimize(
        lambda x: 0.5 * x @ x, np.zeros(A.shape[1]), jac=lambda x: x, method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda x: A @ x - b, "jac": lambda x: A}],
        options={"ftol": 1e-14, "maxiter": 500})
    return float(result.fun), result.x


def dual_optimum(A: np.ndarray, b: np.ndarray, *, half: float = 0.5) -> tuple[float, np.ndarray]:
    """max_{alpha >= 0} -half |A^T alpha|^2 + b^T alpha, by L-BFGS-B: (d*, alpha*).

    ``half`` = 1/2 is the dual; another value gives what a slip in the substitution would.
    """
    gram = A @ A.T
    result = scipy.optimize.minimize(
        lambda a: half * a @ gram @ a - b @ a, np.zeros(A.shape[0]),
        jac=lambda a: 2 * half * gram @ a - b, method="L-BFGS-B",
        bounds=[(0.0, None)] * A.shape[0], options={"ftol": 1e-15, "gtol": 1e-12})
    return float(-result.fun), result.x


# ---------------------------------------------------------------- Adaline

def adaline_distances(X: np.ndarray, y: np.ndarray, eta: float, steps: int) -> np.ndarray:
    r"""|w^{(t)} - w*| / |w*| for t = 0..steps under the notes' rule
    w^{(t+1)} = w^{(t)} + eta \sum_i (y_i - w^{(t)T} x_i) x_i from w^{(0)} = 0, where w* is
    the least-squares solution."""
    target = np.linalg.lstsq(X, y, rcond=None)[0]
    w, out = np.zeros(X.shape[1]), []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps + 1):
            out.append(np.linalg.norm(w - target) / np.linalg.norm(target))
            w = w + eta * X.T @ (y - X @ w)
    return np.array(out)


def adaline_converges(X: np.ndarray, y: np.ndarray, eta: float, steps: int) -> bool:
    """Whether the rule brought w within 1e-6 (relative) of the least-squares solution."""
    return bool(adaline_distances(X, y, eta, steps)[-1] < 1e-6)


def critical_step(X: np.ndarray, y: np.ndarray, *, low: float, high: float, steps: int,
                  rounds: int = 14) -> float:
    """The step at which the rule stops converging, by bisection between a step that
    converges (``low``) and one that does not (``high``), to (high - low) / 2^rounds."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for _ in range(rounds):
            middle = 0.5 * (low + high)
            low, high = (middle, high) if adaline_converges(X, y, middle, steps) else (low, middle)
    return 0.5 * (low + high)
