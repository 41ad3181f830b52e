"""numeric against raw NumPy and against peers: Monte Carlo, Euler-Maruyama, ridge, logistic."""

from __future__ import annotations

import contextlib
import json
import math
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
from _table import Row, best_of, seconds

from numeric import linear, montecarlo, sde

ROOT = Path(__file__).resolve().parents[1]

# np.random.Generator.standard_normal(rng, size) is rng.standard_normal(size): a sampler that
# pickles by reference, so it can also be sent to other processes.
NORMAL = np.random.Generator.standard_normal


# --------------------------------------------------------------------------- Monte Carlo


def raw_moments(n: int, seed: int, chunk: int) -> tuple[float, float]:
    """The same draws as ``montecarlo.estimate(NORMAL, n, seed=seed)``, by hand: chunk i
    from SeedSequence(seed, spawn_key=(i,)), summed with NumPy; mean and standard error."""
    total = squares = 0.0
    for index, start in enumerate(range(0, n, chunk)):
        rng = np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(index,)))
        x = rng.standard_normal(min(chunk, n - start))
        total += float(x.sum())
        squares += float(x @ x)
    mean = total / n
    return mean, math.sqrt((squares - n * mean * mean) / (n - 1) / n)


def montecarlo_throughput(n: int, repeats: int) -> Row:
    chunk = montecarlo.DEFAULT_CHUNK_SIZE
    ours = montecarlo.estimate(NORMAL, n, seed=0)
    raw_mean, _ = raw_moments(n, 0, chunk)
    same = abs(ours.mean - raw_mean) <= 1e-12 * max(1.0, abs(raw_mean)) + 1e-15
    times = best_of({"raw": lambda: raw_moments(n, 0, chunk),
                     "ours": lambda: montecarlo.estimate(NORMAL, n, seed=0)}, repeats)
    ratio = times["raw"] / times["ours"]
    rate = n / times["ours"] / 1e6
    return Row(f"`montecarlo.estimate` throughput, {n:.0e} normal draws",
               f"{seconds(times['ours'])} ({rate:.0f} M draws/s)",
               f"raw NumPy loop, same draws: {seconds(times['raw'])}",
               f"{ratio:.2f} of raw", "≥ 0.8 of raw", ratio >= 0.8,
               "same numbers drawn (means agree to 1e-12)" if same else "MEANS DIFFER")


_PEAK = textwrap.dedent("""
    import json, resource, sys, time
    sys.path.insert(0, {root!r})
    import numpy as np
    from numeric import montecarlo
    start = time.perf_counter()
    e = montecarlo.estimate(np.random.Generator.standard_normal, {n}, seed=0)
    print(json.dumps({{"kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                       "seconds": time.perf_counter() - start, "mean": e.mean}}))
""")


def peak_memory(n: int) -> dict:
    """Peak resident memory (ru_maxrss, KiB on Linux) of a fresh process drawing ``n``."""
    code = _PEAK.format(root=str(ROOT), n=n)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=600)
    return json.loads(done.stdout)


def montecarlo_memory(big: int) -> Row:
    small, large = peak_memory(10**4), peak_memory(big)
    mib = large["kib"] / 1024
    growth = (large["kib"] - small["kib"]) / 1024
    return Row(f"`montecarlo.estimate` peak memory, n = {big:.0e}",
               f"{mib:.0f} MiB peak RSS ({seconds(large['seconds'])})",
               f"same process at n = 1e4: {small['kib'] / 1024:.0f} MiB; "
               f"one array of {big:.0e} draws would be {big * 8 / 2**20:.0f} MiB",
               f"+{growth:.0f} MiB from 1e4 to {big:.0e}", "< 400 MB, constant in n",
               mib * 2**20 < 400e6, "peak RSS of a fresh subprocess (Python + NumPy included)")


def montecarlo_dask(n: int) -> Row:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        return Row("`montecarlo.estimate` on dask (LocalCluster)", "skipped", "-",
                   note="dask/distributed not installed (`pip install .[dask]`)")
    serial = montecarlo.estimate(NORMAL, n, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            times = best_of({"dask": lambda: montecarlo.estimate(NORMAL, n, seed=0,
                                                                 executor=client),
                             "serial": lambda: montecarlo.estimate(NORMAL, n, seed=0)}, 2)
            remote = montecarlo.estimate(NORMAL, n, seed=0, executor=client)
    identical = remote.mean == serial.mean and remote.stderr == serial.stderr
    return Row(f"`montecarlo.estimate`, {n:.0e} draws, dask LocalCluster (2 worker processes)",
               seconds(times["dask"]), f"serial: {seconds(times['serial'])}",
               f"{times['serial'] / times['dask']:.2f}x", "bit-identical to serial", identical,
               "the same 2 cores run both; a real cluster adds machines")


# --------------------------------------------------------------------------- SDE


def _gbm(mu: float = 0.5, sigma: float = 0.3):
    def drift(x, t):
        return mu * x

    def diffusion(x, t):
        return sigma * x
    return drift, diffusion


def euler_hand_loop(drift, diffusion, x0: float, dt: float, dW: np.ndarray) -> np.ndarray:
    """The Euler-Maruyama recursion written out over a preallocated array of states."""
    out = np.empty((dW.shape[0] + 1, dW.shape[1]))
    out[0] = x0
    for k in range(dW.shape[0]):
        x = out[k]
        out[k + 1] = x + drift(x, k * dt) * dt + diffusion(x, k * dt) * dW[k]
    return out


def euler_vs_hand_loop(n_steps: int, n_paths: int, repeats: int) -> Row:
    dt = 1.0 / n_steps
    dW = sde.brownian_increments(n_steps, n_paths, dt, seed=0)
    drift, diffusion = _gbm()
    same = np.array_equal(euler_hand_loop(drift, diffusion, 1.0, dt, dW),
                          sde.euler_maruyama(drift, diffusion, 1.0, dt, dW))
    times = best_of({"hand": lambda: euler_hand_loop(drift, diffusion, 1.0, dt, dW),
                     "ours": lambda: sde.euler_maruyama(drift, diffusion, 1.0, dt, dW)}, repeats)
    ratio = times["ours"] / times["hand"]
    return Row(f"`sde.euler_maruyama`, GBM, {n_steps} steps x {n_paths} paths",
               seconds(times["ours"]), f"hand-written NumPy loop: {seconds(times['hand'])}",
               f"{ratio:.2f}x the hand loop's time", "within 1.3x", ratio <= 1.3,
               "bit-identical paths" if same else "PATHS DIFFER")


def euler_vs_sdeint(n_steps: int, n_paths: int, sdeint_paths: int) -> Row:
    what = f"`sde.euler_maruyama` per path vs sdeint.itoEuler, GBM, {n_steps} steps"
    try:
        import sdeint
    except ImportError:
        return Row(what, "skipped", "-", note="sdeint not installed (`pip install .[bench]`)")
    dt = 1.0 / n_steps
    dW = sde.brownian_increments(n_steps, n_paths, dt, seed=1)
    drift, diffusion = _gbm()
    tspan = np.linspace(0.0, n_steps * dt, n_steps + 1)
    f = lambda y, t: 0.5 * y  # noqa: E731  (sdeint: one path, state of shape (1,))
    G = lambda y, t: np.array([[0.3 * y[0]]])  # noqa: E731
    theirs = [sdeint.itoEuler(f, G, np.array([1.0]), tspan, dW=dW[:, [p]])
              for p in range(sdeint_paths)]
    ours = sde.euler_maruyama(drift, diffusion, 1.0, dt, dW)
    gap = max(float(np.max(np.abs(ours[:, p] - theirs[p][:, 0]))) for p in range(sdeint_paths))
    times = best_of({
        "sdeint": lambda: [sdeint.itoEuler(f, G, np.array([1.0]), tspan, dW=dW[:, [p]])
                           for p in range(sdeint_paths)],
        "ours": lambda: sde.euler_maruyama(drift, diffusion, 1.0, dt, dW)}, 3)
    per_path_ours, per_path_theirs = times["ours"] / n_paths, times["sdeint"] / sdeint_paths
    speedup = per_path_theirs / per_path_ours
    return Row(what, f"{per_path_ours * 1e6:.1f} µs per path ({n_paths} paths at once)",
               f"sdeint: {per_path_theirs * 1e3:.2f} ms per path ({sdeint_paths} paths)",
               f"{speedup:.0f}x faster", "≥ 100x faster per path", speedup >= 100,
               f"same increments, max |difference| {gap:.1e}")


# --------------------------------------------------------------------------- regression


def _ridge_data(n: int, d: int):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((n, d))
    return X, X @ rng.standard_normal(d) + rng.standard_normal(n)


def _ridge_objective(X, y, w, b, alpha) -> float:
    residual = y - X @ w - b
    return 0.5 * float(residual @ residual) + 0.5 * alpha * float(w @ w)


def ridge_vs_sklearn(n: int, d: int, repeats: int) -> Row:
    from sklearn.linear_model import Ridge

    X, y = _ridge_data(n, d)
    alpha = 1.0
    ours = linear.ridge(X, y, alpha)
    theirs = Ridge(alpha=alpha).fit(X, y)
    mine = _ridge_objective(X, y, ours.coef, ours.intercept, alpha)
    peer = _ridge_objective(X, y, theirs.coef_, theirs.intercept_, alpha)
    times = best_of({"sklearn": lambda: Ridge(alpha=alpha).fit(X, y),
                     "ours": lambda: linear.ridge(X, y, alpha)}, repeats)
    return _regression_row(f"ridge, {n} x {d}, alpha = 1", mine, peer, times,
                           "Ridge (solver auto)", lower_is_better=True)


def _logistic_data(n: int, d: int):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, d))
    w = rng.standard_normal(d) / 4
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ w + 0.3)))).astype(int)
    return X, y


def logistic_vs_sklearn(n: int, d: int, repeats: int) -> list[Row]:
    """Like against like (L-BFGS against L-BFGS at scikit-learn's default tol, Newton against
    Newton), then default against default."""
    from sklearn.linear_model import LogisticRegression

    X, y = _logistic_data(n, d)
    alpha, tol = 1.0, 1e-4
    pairs = [("lbfgs", {"method": "lbfgs", "tol": tol}, "lbfgs (default)", {"tol": tol}),
             ("newton (default)", {}, "newton-cholesky", {"solver": "newton-cholesky"}),
             ("newton (default)", {}, "lbfgs (default)", {})]
    rows = []
    for our_name, ours, their_name, theirs in pairs:
        def fit_ours(options=ours):
            return linear.logistic_regression(X, y, alpha=alpha, **options)

        def fit_theirs(options=theirs):
            return LogisticRegression(C=1 / alpha, max_iter=1000, **options).fit(X, y)
        mine, peer = fit_ours(), fit_theirs()
        values = (linear.logistic_log_likelihood(mine.coef, mine.intercept, X, y, alpha),
                  linear.logistic_log_likelihood(peer.coef_[0], peer.intercept_[0], X, y, alpha))
        times = best_of({"sklearn": fit_theirs, "ours": fit_ours}, repeats)
        rows.append(_regression_row(f"logistic regression, {n} x {d}, alpha = 1: numeric "
                                    f"{our_name}", *values, times,
                                    f"LogisticRegression {their_name}", lower_is_better=False))
    return rows


def _regression_row(what, mine, peer, times, peer_name, lower_is_better) -> Row:
    gap = (mine - peer) / max(abs(peer), 1.0)
    better_or_equal = gap <= 1e-9 if lower_is_better else gap >= -1e-9
    ratio = times["ours"] / times["sklearn"]
    direction = "minimised" if lower_is_better else "maximised"
    return Row(what, f"{seconds(times['ours'])}, objective {mine:.10g}",
               f"scikit-learn {peer_name}: {seconds(times['sklearn'])}, objective {peer:.10g}",
               f"{ratio:.2f}x the time", "same objective, no more time",
               better_or_equal and ratio <= 1.0,
               f"{direction} objective, relative difference ours - theirs {gap:+.1e}; "
               "one BLAS thread for both")


# --------------------------------------------------------------------------- all


def _one_blas_thread():
    """Both sides on one BLAS thread: the same library either way, and timings that a
    shared machine disturbs less (threads spinning on a busy core dominate otherwise)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1)


def numeric_rows(quick: bool) -> list[Row]:
    repeats = 3 if quick else 7
    rows = [montecarlo_throughput(10**7 if quick else 2 * 10**7, repeats),
            montecarlo_memory(10**7 if quick else 10**8)]
    if not quick:
        rows.append(montecarlo_dask(2 * 10**7))
    rows += [euler_vs_hand_loop(1000, 10_000, repeats),
             euler_vs_sdeint(1000, 10_000, 5 if quick else 20)]
    with _one_blas_thread():
        rows.append(ridge_vs_sklearn(20_000, 200, repeats))
        rows += logistic_vs_sklearn(20_000, 60, repeats)
    return rows
