"""numeric.linear.elastic_net against scikit-learn's ElasticNet: objective reached and time.

    python bench/_elastic_net.py            # prints a Markdown table
    python bench/_elastic_net.py --quick

scikit-learn minimises 1/(2n) |y - Xw - b|^2 + a (rho |w|_1 + (1 - rho)/2 |w|^2): the same
function divided by n, so a = alpha / n gives the same minimiser. Both are run to a tight
tolerance and compared on numeric's (undivided) objective.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _table import HEADER, Row, best_of, markdown_table, seconds

from numeric import linear


def _data(n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(2)
    X = rng.standard_normal((n, d))
    w = np.where(rng.random(d) < 0.2, rng.standard_normal(d) * 2, 0.0)
    return X, X @ w + rng.standard_normal(n)


def _objective(X, y, w, b, alpha: float, l1_ratio: float) -> float:
    r = y - X @ w - b
    penalty = l1_ratio * np.abs(w).sum() + 0.5 * (1 - l1_ratio) * float(w @ w)
    return 0.5 * float(r @ r) + alpha * float(penalty)


def elastic_net_vs_sklearn(n: int, d: int, alpha: float, l1_ratio: float,
                           repeats: int) -> Row:
    from sklearn.linear_model import ElasticNet

    X, y = _data(n, d)

    def ours():
        return linear.elastic_net(X, y, alpha, l1_ratio, tol=1e-10)

    def theirs():
        return ElasticNet(alpha=alpha / n, l1_ratio=l1_ratio, tol=1e-10,
                          max_iter=100_000).fit(X, y)

    mine, peer = ours(), theirs()
    values = (_objective(X, y, mine.coef, mine.intercept, alpha, l1_ratio),
              _objective(X, y, peer.coef_, peer.intercept_, alpha, l1_ratio))
    times = best_of({"sklearn": theirs, "ours": ours}, repeats)
    gap = (values[0] - values[1]) / max(abs(values[1]), 1.0)
    ratio = times["ours"] / times["sklearn"]
    return Row(f"elastic net, {n} x {d}, alpha = {alpha:g}, l1_ratio = {l1_ratio:g}",
               f"{seconds(times['ours'])}, objective {values[0]:.10g}",
               f"scikit-learn ElasticNet (alpha / n): {seconds(times['sklearn'])}, "
               f"objective {values[1]:.10g}",
               f"{ratio:.2f}x the time", "objective no worse", gap <= 1e-9,
               f"relative difference ours - theirs {gap:+.1e}; {np.count_nonzero(mine.coef)} "
               f"non-zero weights, {mine.n_iter} iterations (sweeps, or Newton steps on the dual)")


def rows(quick: bool) -> list[Row]:
    """On one BLAS thread, as the other regression rows (bench/_numeric.py)."""
    from _numeric import _one_blas_thread

    repeats = 3 if quick else 7
    cases = [(2000, 50, 200.0, 0.5), (200, 500, 20.0, 0.7)]
    if not quick:
        cases.append((20_000, 200, 2000.0, 0.5))
    with _one_blas_thread():
        return [elastic_net_vs_sklearn(n, d, a, r, repeats) for n, d, a, r in cases]


if __name__ == "__main__":
    print(markdown_table(HEADER, [row.cells() for row in rows("--quick" in sys.argv)]))
