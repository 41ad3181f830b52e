r"""Stochastic gradient descent: the mini-batch gradient, its variance, and the batch size.

Lecture notes, "Stochastic Gradient Descent (SGD)": w^{(t+1)} = w^{(t)} - eta grad C_MB(w^{(t)}),
with C_MB the cost on one mini-batch, "計算量較小" (cheaper per update).  A mini-batch B is m of
the N examples drawn without replacement (an epoch visits a shuffled data set in batches), so
with g_k = grad C_k(w) (one coordinate; the vector case is coordinate-wise) and the cost
C = (1/N) sum_k C_k:

- the mini-batch gradient (1/m) sum_{k in B} g_k is unbiased: E_B = (1/N) sum_k g_k = grad C;
- its variance is (N - m) / ((N - 1) m) s^2, s^2 = (1/N) sum_k (g_k - g-bar)^2 (the finite-
  population correction: m = N gives 0, not s^2 / N as for draws with replacement).

Both are proved for symbolic N and m by the mini-batch expectation algebra
(derive.sample_without_replacement).  SGD with Robbins-Monro steps (sum eta_t = infinity,
sum eta_t^2 < infinity) converges; with eta_t = c / (t + t0) the squared error falls like 1/t
(simulated with numeric.optimize.sgd).

Assignment, "Unanswered questions in assignment 01": "there is no universal best for batch
size m in mini-batch GD [...] in our class, we used m = 10 for N = 100."  One epoch costs N
gradient evaluations whatever m (N/m updates of m evaluations), while the noise of each update
falls with m and the number of updates per epoch falls as 1/m: per epoch, a constant step
injects eta^2 (N/m) Var = eta^2 N (N - m) s^2 / ((N - 1) m^2).  Which m is best depends on the
budget: simulated, a short budget favours small batches (many updates), a long one large
batches (less noise at a constant step).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive import (
    Comparison,
    CrossCheck,
    Derivation,
    E_batch,
    Hypothesis,
    Source,
    Step,
    Var_batch,
    sample_without_replacement,
)
from numeric import montecarlo, optimize

from ._notation import known_at
from ._notes import ASSIGNMENT, LECTURE_NOTES

SECTION = "Stochastic Gradient Descent (SGD)"
ASSIGNMENT_SECTION = "Unanswered questions in assignment 01"
UPDATE_QUOTE = (r"把資料集 $D$ 分成多個 mini-batch,每次只使用一個 mini-batch 來更新權重 $$w^{(t+1)} = "
                r"w^{(t)} - \eta \nabla C_{MB}(w^{(t)})$$")
BATCH_QUOTE = (r"In supervised learning, we commonly use mini-batch gradient descent, and "
               r"choosing $m < N$, is there the best m to choose? ... Unfortunately, there is "
               r"no universal best for batch size m in mini-batch GD. ... Or recalled that in "
               r"our class, we used $m = 10$ for $N = 100$.")

N = sp.Symbol("N", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
k = sp.Symbol("k", integer=True, positive=True)
eta = sp.Symbol("eta", positive=True)
g = sp.IndexedBase("g", real=True)                 # g_k = grad C_k(w), one coordinate
batch = sample_without_replacement("I", N, m)      # I_k = [k in B]
BATCH_GRADIENT = batch.mean(g, k)
MEAN_GRADIENT = sp.Sum(g[k], (k, 1, N)) / N
SPREAD = sp.Sum((g[k] - MEAN_GRADIENT) ** 2, (k, 1, N)) / N     # s^2, population variance
CORRECTION = (N - m) / ((N - 1) * m)
WITHOUT_REPLACEMENT = Hypothesis(r"B \subset \{1, \dots, N\}, \ |B| = m, \text{ uniform}",
                                 quote=None, note="an epoch visits a shuffled data set in "
                                 "batches: each batch is a uniform m-subset; I_k = [k in B]")
weights = sp.Symbol("w", real=True)               # the point w where the gradients are taken
NOTATION = {"w": weights, r"\nabla C": known_at((weights, MEAN_GRADIENT)),
            r"\nabla C_k": known_at((weights, g[k])),
            r"\nabla C_{MB}": known_at((weights, BATCH_GRADIENT)),
            r"\mathbb{E}_B": lambda value: E_batch(value, batch),
            r"\operatorname{Var}_B": lambda value: Var_batch(value, batch),
            "s": sp.sqrt(SPREAD)}
BATCH_LATEX = r"\nabla C_{MB}(w) = \frac{1}{m} \sum_{k=1}^{N} I_k \nabla C_k(w)"

# ------------------------------------------------------------ cross-checks

POPULATION, CLASS_BATCH = 100, 10   # the class's N and m


def _per_example_gradients(seed: int) -> np.ndarray:
    """One coordinate of grad C_k(w) for N = 100 examples: a skewed spread (exponential)."""
    return np.random.default_rng(seed).exponential(2.0, POPULATION) - 1.0


def _batch_means(values: np.ndarray, size: int, rng: np.random.Generator, draws: int):
    keys = rng.random((draws, len(values)))
    chosen = np.argpartition(keys, size, axis=1)[:, :size]    # a uniform size-subset per row
    return values[chosen].mean(axis=1)


def batch_variance_by_sampling(seed: int) -> Comparison:
    """Monte Carlo Var of the batch mean, m = 10 of N = 100 drawn without replacement."""
    values = _per_example_gradients(seed)
    centre, spread = values.mean(), values.var()

    def squared_deviation(rng: np.random.Generator, size: int) -> np.ndarray:
        return (_batch_means(values, CLASS_BATCH, rng, size) - centre) ** 2
    result = montecarlo.estimate(squared_deviation, 60_000, seed=seed, chunk_size=10_000)
    claimed = (POPULATION - CLASS_BATCH) / ((POPULATION - 1) * CLASS_BATCH) * spread
    return Comparison(
        estimate=result.mean, expected=claimed, stderr=result.stderr,
        alternatives={"with replacement, s^2 / m": spread / CLASS_BATCH,
                      "the unbiased s^2 over m, N s^2 / ((N - 1) m)":
                          POPULATION * spread / ((POPULATION - 1) * CLASS_BATCH)},
        details=f"N = {POPULATION}, m = {CLASS_BATCH}, s^2 = {spread:.5g}; 60000 batches")


def _least_squares(seed: int, size: int = POPULATION):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((size, 2)) * np.array([1.0, 0.6])
    y = X @ np.array([1.5, -0.5]) + rng.standard_normal(size)
    return X, y, np.linalg.lstsq(X, y, rcond=None)[0]


def _gradient(X: np.ndarray, y: np.ndarray):
    def grad_batch(w: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return X[rows].T @ (X[rows] @ w - y[rows]) / len(rows)
    return grad_batch


TRUE_WEIGHTS, FEATURE_SCALES = np.array([1.5, -0.5]), np.array([1.0, 0.6])
RUNS, ROUNDS, PER_ROUND = 200, 20, 50


def _online_gradient(seed: int):
    """RUNS independent online least-squares problems stacked in one vector of 2 RUNS
    weights: each update draws 4 fresh examples per run (C(w) = E[(y - w^T x)^2] / 2 with
    x ~ N(0, diag(1, 0.36)), y = x^T (1.5, -0.5) + N(0, 1), minimised at w* = (1.5, -0.5));
    the indices sgd passes are ignored."""
    rng = np.random.default_rng(seed)

    def grad_batch(w: np.ndarray, rows: np.ndarray) -> np.ndarray:
        X = rng.standard_normal((RUNS, 4, 2)) * FEATURE_SCALES
        y = X @ TRUE_WEIGHTS + rng.standard_normal((RUNS, 4))
        residual = np.einsum("rkj,rj->rk", X, w.reshape(RUNS, 2)) - y
        return (np.einsum("rkj,rk->rj", X, residual) / 4).ravel()
    return grad_batch


def _online_errors(seed: int, step) -> np.ndarray:
    """|w - w*|^2 of each run (columns) after each round of PER_ROUND updates (rows)."""
    run = optimize.sgd(_online_gradient(seed), np.zeros(2 * RUNS), PER_ROUND, batch_size=1,
                       step=step, epochs=ROUNDS, seed=seed)
    weights = run.history[1:].reshape(ROUNDS, RUNS, 2)
    return np.sum((weights - TRUE_WEIGHTS) ** 2, axis=2)


def _two_point_slope(errors: np.ndarray, times: np.ndarray) -> tuple[float, float]:
    """log(E e^2(T2) / E e^2(T1)) / log(T2 / T1) for the second and last rounds, with its
    standard error from the runs (the two means' relative errors, added in quadrature)."""
    first, last = errors[1], errors[-1]
    span = np.log(times[-1] / times[1])
    relative = np.hypot(first.std(ddof=1) / first.mean(), last.std(ddof=1) / last.mean())
    return (float(np.log(last.mean() / first.mean()) / span),
            float(relative / np.sqrt(errors.shape[1]) / span))


def robbins_monro_rate(seed: int) -> Comparison:
    """Exponent of E|w_t - w*|^2 in t + t0 for SGD with eta_t = 2 / (mu (t + t0))
    (Robbins-Monro), over 200 independent runs: -1; a constant step stalls (exponent 0)."""
    mu, L = FEATURE_SCALES.min() ** 2, FEATURE_SCALES.max() ** 2
    offset = 8 * L / mu

    def decaying(t: int) -> float:
        return 2.0 / (mu * (t + offset))
    errors, plateau = _online_errors(seed, decaying), _online_errors(seed + 1, 0.05)
    times = np.arange(1, ROUNDS + 1) * PER_ROUND
    slope, stderr = _two_point_slope(errors, times + offset)
    flat, _ = _two_point_slope(plateau, times + offset)
    return Comparison(
        estimate=slope, expected=-1.0, stderr=stderr,
        alternatives={"no convergence (a constant step's plateau)": flat},
        details=f"Robbins-Monro: E|w - w*|^2 = {errors[1].mean():.4g} at t = {times[1]}, "
                f"{errors[-1].mean():.4g} at t = {times[-1]}; constant step 0.05: slope "
                f"{flat:.3f}; online least squares, d = 2, 4 fresh examples per update, mu = "
                f"{mu:.3g}, L = {L:.3g}, t0 = 8 L / mu; {RUNS} runs",
        data={"plot": "curves", "x": times.tolist(), "logx": True, "logy": True,
              "curves": {"eta_t = 2 / (mu (t + t0))": errors.mean(axis=1).tolist(),
                         "eta = 0.05": plateau.mean(axis=1).tolist()},
              "title": "SGD: mean squared distance to the minimiser", "xlabel": "updates t",
              "ylabel": "E|w_t - w*|^2"})


BATCH_SIZES = (1, 5, 10, 25, 50, 100)


def _excess_cost(X, y, w_star, size: int, epochs: int, seed: int) -> float:
    run = optimize.sgd(_gradient(X, y), np.zeros(2), len(y), batch_size=size, step=0.1,
                       epochs=epochs, seed=seed)
    residual = X @ run.x - y
    best = X @ w_star - y
    return float((residual @ residual - best @ best) / (2 * len(y)))


def best_batch_depends_on_budget(seed: int) -> Comparison:
    """The batch size with the smallest excess cost (mean of 3 runs, step 0.1) after 1 epoch
    and after 40 epochs: 1 when they differ (no universal best m)."""
    X, y, w_star = _least_squares(seed)
    table = {epochs: [np.mean([_excess_cost(X, y, w_star, size, epochs, seed + r)
                               for r in range(3)]) for size in BATCH_SIZES]
             for epochs in (1, 40)}
    best = {epochs: BATCH_SIZES[int(np.argmin(costs))] for epochs, costs in table.items()}
    return Comparison(
        estimate=float(best[1] != best[40]), expected=1.0, tolerance=0.0,
        alternatives={"a universal best m (the same for both budgets)": 0.0},
        details=f"best m after 1 epoch: {best[1]}, after 40 epochs: {best[40]}; excess cost by "
                f"m = {BATCH_SIZES}: 1 epoch {np.round(table[1], 5).tolist()}, 40 epochs "
                f"{np.round(table[40], 6).tolist()}; N = 100 least squares, d = 2",
        data={"plot": "curves", "x": list(BATCH_SIZES), "logx": True, "logy": True,
              "curves": {f"{e} epoch(s)": list(map(float, table[e])) for e in (1, 40)},
              "title": "Excess cost against batch size, same step", "xlabel": "batch size m",
              "ylabel": "C(w) - C(w*)"})


# ------------------------------------------------------------ derivations

minibatch_unbiased = Derivation(
    id="sgd-minibatch-gradient-unbiased",
    notation=NOTATION,
    title="The mini-batch gradient is an unbiased estimate of the full gradient",
    source=Source(LECTURE_NOTES, SECTION, UPDATE_QUOTE),
    hypotheses=[WITHOUT_REPLACEMENT,
                Hypothesis(r"C(w) = \frac{1}{N} \sum_{k=1}^{N} C_k(w)", quote=None,
                           note="the cost is the mean of the examples' costs")],
    start=Step(E_batch(BATCH_GRADIENT, batch), r"\mathbb{E}_B[\nabla C_{MB}(w)]", BATCH_LATEX),
    steps=[
        Step(sp.Sum(m / N * g[k], (k, 1, N)) / m,
             r"\frac{1}{m} \sum_{k=1}^{N} \frac{m}{N} \nabla C_k(w)", "P(k in B) = m / N"),
        Step(MEAN_GRADIENT, r"\frac{1}{N} \sum_{k=1}^{N} \nabla C_k(w) = \nabla C(w)"),
    ],
    crosschecks=[CrossCheck("SGD with Robbins-Monro steps converges at rate 1/t",
                            robbins_monro_rate)],
)

minibatch_variance = Derivation(
    id="sgd-minibatch-gradient-variance-without-replacement",
    notation=NOTATION,
    title="Var of the mini-batch gradient is (N - m) / ((N - 1) m) times the per-example "
          "variance",
    source=Source(ASSIGNMENT, ASSIGNMENT_SECTION, BATCH_QUOTE),
    hypotheses=[WITHOUT_REPLACEMENT,
                Hypothesis(r"1 \le m \le N, \ N \ge 2", quote=r"choosing $m < N$",
                           note="N = 1 leaves nothing to sample")],
    start=Step(Var_batch(BATCH_GRADIENT, batch), r"\operatorname{Var}_B[\nabla C_{MB}(w)]",
               BATCH_LATEX),
    steps=[
        Step(CORRECTION * (sp.Sum(g[k] ** 2, (k, 1, N)) / N - MEAN_GRADIENT**2),
             r"\frac{N - m}{(N - 1) m} \left(\frac{1}{N} \sum_{k=1}^{N} \nabla C_k(w)^2 - "
             r"\nabla C(w)^2\right)",
             "E[I_k I_l] = m/N if k = l, m (m - 1) / (N (N - 1)) otherwise"),
        Step(CORRECTION * SPREAD,
             r"\frac{N - m}{(N - 1) m} \, s^2, \quad s^2 = \frac{1}{N} \sum_{k=1}^{N} "
             r"(\nabla C_k(w) - \nabla C(w))^2", "m = N gives 0: the full gradient"),
    ],
    crosschecks=[CrossCheck("Monte Carlo variance for the class's N = 100, m = 10",
                            batch_variance_by_sampling)],
)

updates_per_epoch = N / m
NOISE_PER_EPOCH = updates_per_epoch * eta**2 * CORRECTION * SPREAD

epoch_cost_and_noise = Derivation(
    id="sgd-batch-size-cost-and-noise-per-epoch",
    notation=NOTATION,
    title="An epoch costs N gradient evaluations for every m; its injected noise "
          "eta^2 N (N - m) s^2 / ((N - 1) m^2) falls with m while its number of updates N/m "
          "falls too",
    source=Source(ASSIGNMENT, ASSIGNMENT_SECTION, BATCH_QUOTE),
    hypotheses=[WITHOUT_REPLACEMENT,
                Hypothesis(r"m \mid N", quote=r"we used $m = 10$ for $N = 100$",
                           note="N/m whole batches per epoch")],
    start=Step(NOISE_PER_EPOCH,
               r"\frac{N}{m} \, \eta^2 \operatorname{Var}_B[\nabla C_{MB}(w)]",
               "N/m updates per epoch, each of m gradient evaluations (N in all, whatever m), "
               "each adding eta^2 Var to the squared error at a constant step"),
    steps=[Step(eta**2 * N * (N - m) * SPREAD / ((N - 1) * m**2),
                r"\frac{\eta^2 N (N - m)}{(N - 1) m^2} s^2",
                "sgd-minibatch-gradient-variance-without-replacement")],
    crosschecks=[CrossCheck("the best batch size after 1 and after 40 epochs",
                            best_batch_depends_on_budget)],
)
