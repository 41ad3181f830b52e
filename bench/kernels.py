"""numeric's kernels at the limit: SDE schemes against a hand-written loop, solvers against
scikit-learn, in CPU time (``time.process_time``, best of several runs, one BLAS thread).

    python bench/kernels.py            # writes its section of bench/RESULTS.md
    python bench/kernels.py --quick    # fewer repeats
    python bench/kernels.py --only logistic,wide   # prints those rows, writes nothing

Row groups for ``--only``: sde, logistic, lasso (the diabetes data), wide (n < d),
perceptron, cv.

CPU time rather than wall time: on a shared machine wall time mostly measures waiting for a
core.  Each row says whether its goal is met.
"""

from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"  # before NumPy is imported: both sides on one BLAS thread

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from numeric import linear, sde, validation
from numeric.perceptron import perceptron

HERE = Path(__file__).resolve().parent
BEGIN, END = "<!-- kernels: begin -->", "<!-- kernels: end -->"
N_STEPS, N_PATHS, DT = 512, 10_000, 1.0 / 512


def cpu_best(functions: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """The least CPU time of ``repeats`` runs of each function, runs interleaved."""
    best = dict.fromkeys(functions, np.inf)
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.process_time()
            function()
            best[name] = min(best[name], time.process_time() - start)
    return best


def _drift(x: np.ndarray, t: float) -> np.ndarray:
    return 0.5 * x


def _diffusion(x: np.ndarray, t: float) -> np.ndarray:
    return 0.3 * x


def _diffusion_slope(x: np.ndarray, t: float) -> np.ndarray:
    return 0.3 + 0.0 * x


def euler_hand(dW: np.ndarray) -> np.ndarray:
    """X_{k+1} = X_k + f dt + g dW_k written out."""
    x = np.full(dW.shape[1], 1.0)
    for k in range(dW.shape[0]):
        x = x + _drift(x, k * DT) * DT + _diffusion(x, k * DT) * dW[k]
    return x


def milstein_hand(dW: np.ndarray) -> np.ndarray:
    """Milstein's update written out, the same operations in the same order."""
    x = np.full(dW.shape[1], 1.0)
    for k in range(dW.shape[0]):
        t = k * DT
        g, w = _diffusion(x, t), dW[k]
        x = x + _drift(x, t) * DT + g * w + 0.5 * g * _diffusion_slope(x, t) * (w * w - DT)
    return x


def sde_rows(repeats: int) -> list[str]:
    dW = sde.brownian_increments(N_STEPS, N_PATHS, DT, seed=0)
    cases = {
        "`sde.euler_maruyama`": (euler_hand, lambda: sde.euler_maruyama(
            _drift, _diffusion, 1.0, DT, dW, path=False)),
        "`sde.milstein`": (milstein_hand, lambda: sde.milstein(
            _drift, _diffusion, _diffusion_slope, 1.0, DT, dW, path=False)),
    }
    rows = []
    for label, (hand, ours) in cases.items():
        same = np.array_equal(hand(dW), ours())
        times = cpu_best({"hand": lambda h=hand: h(dW), "ours": ours}, repeats)
        ratio = times["ours"] / times["hand"]
        rows.append(f"| {label}, `path=False`, {N_STEPS} steps x {N_PATHS} paths | "
                    f"{times['ours'] * 1e3:.1f} ms | hand loop {times['hand'] * 1e3:.1f} ms | "
                    f"{ratio:.3f}x | <= 1.1x, bit-identical | "
                    f"{_met(ratio <= 1.1 and same)} | "
                    f"{'bit-identical' if same else 'RESULTS DIFFER'} |")
    return rows


def _logistic_data(n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, d))
    w = rng.standard_normal(d) / 4
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ w + 0.3)))).astype(int)
    return X, y


def logistic_rows(repeats: int) -> list[str]:
    from sklearn.linear_model import LogisticRegression

    X, y = _logistic_data(20_000, 60)
    pairs = [("newton (default)", {}, "lbfgs (default)", {}),
             ("newton (default)", {}, "lbfgs, tol 1e-8", {"tol": 1e-8}),
             ("lbfgs, tol 1e-4", {"method": "lbfgs", "tol": 1e-4}, "lbfgs (default)", {}),
             ("newton (default)", {}, "newton-cholesky", {"solver": "newton-cholesky"})]
    rows = []
    for ours_name, ours, theirs_name, theirs in pairs:
        def fit_ours(options: dict[str, Any] = ours) -> Any:
            return linear.logistic_regression(X, y, alpha=1.0, **options)

        def fit_theirs(options: dict[str, Any] = theirs) -> Any:
            return LogisticRegression(C=1.0, max_iter=1000, **options).fit(X, y)

        mine, peer = fit_ours(), fit_theirs()
        values = (linear.logistic_log_likelihood(mine.coef, mine.intercept, X, y, 1.0),
                  linear.logistic_log_likelihood(peer.coef_[0], peer.intercept_[0], X, y, 1.0))
        times = cpu_best({"ours": fit_ours, "theirs": fit_theirs}, repeats)
        rows.append(_solver_row(f"logistic regression 20000 x 60, alpha = 1: {ours_name} vs "
                                f"LogisticRegression {theirs_name}", times, values,
                                maximised=True))
    return rows


def lasso_rows(repeats: int) -> list[str]:
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import ElasticNet, Lasso

    X, y = load_diabetes(return_X_y=True)
    n = X.shape[0]
    rows = []
    for alpha, rho in ((1.0, 1.0), (0.1, 1.0), (1.0, 0.5)):
        def ours(a: float = alpha, r: float = rho) -> Any:
            return linear.elastic_net(X, y, a, r, tol=1e-10)

        def theirs(a: float = alpha, r: float = rho) -> Any:
            model = Lasso(alpha=a / n) if r == 1.0 else ElasticNet(alpha=a / n, l1_ratio=r)
            return model.set_params(tol=1e-10, max_iter=100_000).fit(X, y)

        mine, peer = ours(), theirs()
        values = (_net_objective(X, y, mine.coef, mine.intercept, alpha, rho),
                  _net_objective(X, y, peer.coef_, peer.intercept_, alpha, rho))
        times = cpu_best({"ours": ours, "theirs": theirs}, repeats)
        name = "lasso" if rho == 1.0 else f"elastic net (l1_ratio {rho:g})"
        rows.append(_solver_row(f"{name} on the diabetes data, alpha = {alpha:g}", times,
                                values, maximised=False))
    return rows


def _alpha_fraction(X: np.ndarray, y: np.ndarray, fraction: float, rho: float) -> float:
    """fraction x the smallest alpha at which every weight is zero, max_j |x_j^T (y - mean)|
    / rho over centred columns."""
    return fraction * float(np.abs((X - X.mean(axis=0)).T @ (y - y.mean())).max()) / rho


def wide_net_rows(repeats: int) -> list[str]:
    """Lasso and elastic net with more features than samples (synthetic, 20% of the true
    weights non-zero), alpha = alpha_max / 10."""
    return [_wide_net_row(n, d, rho, repeats)
            for (n, d), rho in [((100, 1000), 1.0), ((100, 1000), 0.5), ((200, 5000), 1.0),
                                ((200, 5000), 0.5)]]


def _wide_net_row(n: int, d: int, rho: float, repeats: int) -> str:
    from _elastic_net import _data
    from sklearn.linear_model import ElasticNet, Lasso

    X, y = _data(n, d)
    alpha = _alpha_fraction(X, y, 0.1, rho)

    def ours() -> Any:
        return linear.elastic_net(X, y, alpha, rho, tol=1e-10)

    def theirs() -> Any:
        model = Lasso(alpha=alpha / n) if rho == 1.0 else ElasticNet(alpha=alpha / n,
                                                                     l1_ratio=rho)
        return model.set_params(tol=1e-10, max_iter=100_000).fit(X, y)

    mine, peer = ours(), theirs()
    values = (_net_objective(X, y, mine.coef, mine.intercept, alpha, rho),
              _net_objective(X, y, peer.coef_, peer.intercept_, alpha, rho))
    times = cpu_best({"ours": ours, "theirs": theirs}, repeats)
    name = "lasso" if rho == 1.0 else f"elastic net (l1_ratio {rho:g})"
    return _solver_row(f"{name}, {n} x {d} (n < d), alpha = alpha_max / 10", times, values,
                       maximised=False)


def perceptron_row(repeats: int) -> str:
    """numeric.perceptron against scikit-learn's Perceptron, the same passes in order."""
    from sklearn.linear_model import Perceptron

    rng = np.random.default_rng(3)
    X = rng.standard_normal((2000, 20))
    y = np.where(X @ rng.standard_normal(20) + 0.3 * rng.standard_normal(2000) > 0, 1, -1)
    epochs = 10

    def ours() -> Any:
        return perceptron(X, y, eta=1.0, max_epochs=epochs)

    def theirs() -> Any:
        return Perceptron(eta0=1.0, penalty=None, shuffle=False, tol=None,
                          max_iter=epochs).fit(X, y)

    mine, peer = ours(), theirs()
    same = bool(np.allclose(mine.w, peer.coef_[0], rtol=1e-12, atol=1e-12)
                and abs(mine.b - peer.intercept_[0]) <= 1e-12)
    times = cpu_best({"ours": ours, "theirs": theirs}, repeats)
    return _peer_row(f"perceptron, 2000 x 20, {epochs} epochs in order (not separable)",
                     times, ("", "scikit-learn Perceptron"),
                     ("same weights (no time goal set)", same),
                     f"max \\|w - w_sklearn\\| {float(np.abs(mine.w - peer.coef_[0]).max()):.1e}; "
                     "one Python step per example")


def cross_validation_row(repeats: int) -> str:
    """validation.cross_validate (ridge) against cross_val_score(Ridge, cv=KFold(5))."""
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold, cross_val_score

    rng = np.random.default_rng(4)
    X = rng.standard_normal((5000, 50))
    y = X @ rng.standard_normal(50) + rng.standard_normal(5000)

    def ours() -> Any:
        return validation.cross_validate(lambda A, b: linear.ridge(A, b, 3.0),
                                         lambda model, A: model.predict(A), X, y, k=5)

    def theirs() -> Any:
        return -cross_val_score(Ridge(alpha=3.0), X, y, cv=KFold(5),
                                scoring="neg_mean_squared_error")

    mine, peer = ours(), theirs()
    gap = float(np.abs(mine.fold_errors - peer).max() / peer.max())
    times = cpu_best({"ours": ours, "theirs": theirs}, repeats)
    same_and_faster = gap <= 1e-10 and times["ours"] <= times["theirs"]
    return _peer_row("5-fold cross-validation of ridge (alpha = 3), 5000 x 50", times,
                     ("", "scikit-learn cross_val_score(Ridge, KFold(5))"),
                     ("same fold errors, no more time", same_and_faster),
                     f"largest relative difference of the fold errors {gap:.1e}")


def _net_objective(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, alpha: float,
                   rho: float) -> float:
    r = y - X @ w - b
    penalty = rho * np.abs(w).sum() + 0.5 * (1 - rho) * float(w @ w)
    return 0.5 * float(r @ r) + alpha * float(penalty)


def _solver_row(label: str, times: dict[str, float], values: tuple[float, float],
                maximised: bool) -> str:
    gap = (values[0] - values[1]) / max(abs(values[1]), 1.0)
    no_worse = gap >= -1e-9 if maximised else gap <= 1e-9
    return _peer_row(label, times, (f", objective {values[0]:.10g}", "scikit-learn"),
                     ("no more time, objective no worse",
                      no_worse and times["ours"] <= times["theirs"]),
                     f"relative difference ours - theirs {gap:+.1e} "
                     f"({'maximised' if maximised else 'minimised'})",
                     f", objective {values[1]:.10g}")


def _peer_row(label: str, times: dict[str, float], names: tuple[str, str],
              goal: tuple[str, bool], note: str, peer_suffix: str = "") -> str:
    """A table row: ours, the peer (``names``: what follows our time, the peer's name), the
    time ratio, the goal and whether it is met, a note."""
    return (f"| {label} | {times['ours'] * 1e3:.1f} ms{names[0]} | {names[1]} "
            f"{times['theirs'] * 1e3:.1f} ms{peer_suffix} | "
            f"{times['ours'] / times['theirs']:.2f}x | {goal[0]} | {_met(goal[1])} | {note} |")


def _met(ok: bool) -> str:
    return "met" if ok else "not met"


GROUPS: dict[str, Callable[[int], list[str]]] = {
    "sde": lambda repeats: sde_rows(max(repeats, 15)),
    "logistic": logistic_rows,
    "lasso": lasso_rows,
    "wide": lambda repeats: wide_net_rows(max(3, repeats // 3)),
    "perceptron": lambda repeats: [perceptron_row(repeats)],
    "cv": lambda repeats: [cross_validation_row(repeats)],
}


def section(repeats: int) -> str:
    rows = [row for group in GROUPS.values() for row in group(repeats)]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return "\n".join([
        BEGIN, "## numeric's kernels at the limit (`python bench/kernels.py`)", "",
        (f"CPU time (`time.process_time`), best of {repeats}+ interleaved runs, one BLAS "
         f"thread; load average at the end {load}."), "",
        "| measurement | ours | baseline | ratio | goal | goal met | notes |",
        "|---|---|---|---|---|---|---|", *rows, END, ""])


def write_section(text: str, results: Path) -> None:
    old = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    if BEGIN in old and END in old:
        head, _, rest = old.partition(BEGIN)
        new = head + text.rstrip("\n") + rest.partition(END)[2]
    else:
        new = old.rstrip("\n") + "\n\n" + text
    results.write_text(new, encoding="utf-8")


def main() -> int:
    repeats = 3 if "--quick" in sys.argv else 9
    if "--only" in sys.argv:
        given = sys.argv[sys.argv.index("--only") + 1:]
        names = given[0].split(",") if given else []
        unknown = sorted(set(names) - set(GROUPS))
        if unknown or not names:
            print(f"--only takes row groups from {sorted(GROUPS)}, got {given[:1]}")
            return 2
        print("\n".join(row for name in names for row in GROUPS[name](repeats)))
        return 0
    text = section(repeats)
    write_section(text, HERE / "RESULTS.md")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
