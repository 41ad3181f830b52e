"""Monte Carlo estimates with standard errors, reproducible whatever runs the draws.

Seed contract
-------------
``estimate(sampler, n, seed=s, chunk_size=c)`` splits the ``n`` draws into
``ceil(n / c)`` chunks of ``c`` draws each (the last chunk holds the remainder; ``c``
defaults to :data:`DEFAULT_CHUNK_SIZE` = 2**18).
Chunk ``i`` (counting from 0) calls ``sampler(rng_i, size_i)`` with::

    rng_i = np.random.default_rng(np.random.SeedSequence(entropy=s, spawn_key=(i,)))

which is the ``i``-th child of ``np.random.SeedSequence(s).spawn(...)``. When ``seed`` is
itself a :class:`numpy.random.SeedSequence` ``q``, chunk ``i`` uses
``SeedSequence(q.entropy, spawn_key=q.spawn_key + (i,), pool_size=q.pool_size)``, the
``i``-th child of ``q`` (``q`` is not modified). Each chunk is reduced to its count, mean and
sum of squared deviations ``M2``; the caller merges them in chunk order with the pairwise
update of Chan, Golub and LeVeque. The result is therefore a function of
``(sampler, n, seed, chunk_size)`` only: bit-identical with no executor, a thread pool, a
process pool or a dask client (workers with a different NumPy/BLAS build draw the same
numbers but may round the chunk sums differently in the last bit). Changing ``chunk_size``
changes the draws.

Use :func:`seed_from_string` to derive ``s`` from an identifier.
"""

from __future__ import annotations

import hashlib
import math
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike

from numeric import _validation as check
from numeric._errors import InvalidArgumentType, SamplerError
from numeric._validation import FloatArray

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "Agreement",
    "Comparison",
    "Estimate",
    "compare",
    "estimate",
    "seed_from_string",
]

DEFAULT_CHUNK_SIZE = 2**18
"""Draws per chunk when ``chunk_size`` is not given. Part of the seed contract: fixed."""

_IN_FLIGHT = 256  # chunks submitted to an executor ahead of the one being merged
_BLOCK = 8192  # entries per BLAS call in the chunk reductions

Sampler = Callable[[np.random.Generator, int], ArrayLike]
Moments = tuple[int, FloatArray, FloatArray]


class Executor(Protocol):
    """Anything with ``submit(fn, *args)`` returning a future with ``.result()``."""

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any: ...


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate of E[X]: the sample mean, its standard error and the count.

    For draws x_1..x_n, ``mean`` = (1/n) sum x_i and
    ``stderr`` = sqrt(M2 / (n - 1)) / sqrt(n) with M2 = sum (x_i - mean)^2. For vector
    draws (shape (n, k)) both are arrays of shape (k,), computed per component.
    """

    mean: float | FloatArray
    stderr: float | FloatArray
    n: int

    def z(self, expected: ArrayLike) -> Any:
        """The z-score (mean - expected) / stderr.

        Safe when stderr is 0: 0 if mean == expected, else +inf or -inf.
        """
        diff = np.asarray(self.mean - np.asarray(expected, dtype=float), dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            score = np.where(diff == 0, 0.0, diff / self.stderr)
        return float(score) if score.ndim == 0 else score

    def __eq__(self, other: object) -> bool:
        """Bit-for-bit equality of mean, stderr (scalars or arrays) and n."""
        if not isinstance(other, Estimate):
            return NotImplemented
        return (self.n == other.n and np.array_equal(self.mean, other.mean)
                and np.array_equal(self.stderr, other.stderr))

    def __str__(self) -> str:
        if np.ndim(self.mean) == 0:
            return f"{_plus_minus(float(self.mean), float(self.stderr))} (n={self.n})"
        pairs = zip(np.atleast_1d(self.mean), np.atleast_1d(self.stderr), strict=True)
        parts = ", ".join(_plus_minus(float(m), float(s)) for m, s in pairs)
        return f"[{parts}] (n={self.n})"


def _plus_minus(mean: float, stderr: float) -> str:
    """``mean ± stderr``, the mean rounded to the standard error's second significant digit."""
    if not stderr > 0 or not math.isfinite(stderr):
        return f"{mean:.6g} ± {stderr:.2g}"
    decimals = max(0, 1 - math.floor(math.log10(stderr)))
    return f"{mean:.{decimals}f} ± {stderr:.{decimals}f}"


class Agreement(str, Enum):
    """Whether an estimate agrees with an expected value; the value is the report's word."""

    AGREES = "agrees"
    DISAGREES = "disagrees"
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True)
class Comparison:
    """The outcome of :func:`compare`: a verdict, the z-score(s) and the threshold used."""

    verdict: Agreement
    z: float | FloatArray
    threshold: float

    @property
    def agrees(self) -> bool:
        """True if and only if the verdict is ``Agreement.AGREES``."""
        return self.verdict is Agreement.AGREES


def compare(estimate: Estimate, expected: ArrayLike, *, z: float = 5.0) -> Comparison:
    """Does ``estimate`` agree with ``expected``? Agrees when |z| <= ``z`` (every component).

    z = (mean - expected) / stderr. Under the null hypothesis z is approximately N(0, 1),
    so with the default threshold 5 a false alarm has probability about 6e-7. The verdict
    is ``INCONCLUSIVE`` when a z-score is NaN (e.g. a NaN expected value).
    """
    if not isinstance(estimate, Estimate):
        raise InvalidArgumentType(f"estimate must be an Estimate, got {check.describe(estimate)}")
    threshold = check.real(z, "z", positive=True)
    score = estimate.z(expected)
    if np.isnan(score).any():
        verdict = Agreement.INCONCLUSIVE
    elif (np.abs(score) <= threshold).all():
        verdict = Agreement.AGREES
    else:
        verdict = Agreement.DISAGREES
    return Comparison(verdict, score, threshold)


def seed_from_string(text: str) -> int:
    """A seed derived from ``text``: the first 8 bytes of SHA-256(UTF-8 text), big-endian.

    Stable across runs, Python versions and machines (unlike ``hash``); in [0, 2**64).
    """
    if not isinstance(text, str):
        raise InvalidArgumentType(f"text must be a str, got {check.describe(text)}")
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def estimate(
    sampler: Sampler,
    n: int,
    *,
    seed: int | np.random.SeedSequence,
    chunk_size: int | None = None,
    executor: Executor | None = None,
) -> Estimate:
    """Estimate E[X] by the mean of ``n`` draws of ``sampler``, with its standard error.

    ``sampler(rng, size)`` must return ``size`` draws as an array of shape (size,) or
    (size, k), using only ``rng`` for randomness. Draws are made in chunks of ``chunk_size``
    (default :data:`DEFAULT_CHUNK_SIZE`), so memory does not grow with ``n``; see the module
    docstring for the seed contract. With ``executor`` (a ``concurrent.futures`` executor, a
    ``dask.distributed.Client`` or anything with ``submit(fn, *args)`` returning a future
    with ``.result()``) the chunks run there; the answer is bit-identical either way. For a
    process pool or dask the sampler must be picklable (a module-level function).

    Returns mean = (1/n) sum x_i and stderr = sqrt(M2 / (n - 1)) / sqrt(n), so ``n`` must
    be at least 2. ``seed`` is an int >= 0 or a SeedSequence (see :func:`seed_from_string`).
    Raises :class:`~numeric.SamplerError` naming the chunk and its seed if a chunk returns
    the wrong shape or a non-finite value.
    """
    check.callable_(sampler, "sampler")
    count = check.integer(n, "n", minimum=2)
    root = check.seed_sequence(seed)
    size = DEFAULT_CHUNK_SIZE if chunk_size is None else check.integer(chunk_size, "chunk_size")
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise InvalidArgumentType(f"executor must have a submit(fn, *args) method, "
                                  f"got {check.describe(executor)}")
    chunks = _run_chunks(sampler, root, _chunk_sizes(count, size), executor)
    total, mean, m2 = _merge_in_order(chunks)
    stderr = np.sqrt(m2 / (total - 1)) / math.sqrt(total)
    if mean.ndim == 0:
        return Estimate(float(mean), float(stderr), total)
    return Estimate(_frozen(mean), _frozen(stderr), total)


def _child_seed(root: np.random.SeedSequence, index: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(entropy=root.entropy, spawn_key=(*root.spawn_key, index),
                                  pool_size=root.pool_size)


def _chunk_sizes(n: int, chunk_size: int) -> Iterator[int]:
    full, rest = divmod(n, chunk_size)
    for _ in range(full):
        yield chunk_size
    if rest:
        yield rest


def _run_chunks(sampler: Sampler, root: np.random.SeedSequence, sizes: Iterator[int],
                executor: Executor | None) -> Iterator[tuple[int, Moments]]:
    """Yield (index, moments) of every chunk, in chunk order."""
    if executor is None:
        for index, size in enumerate(sizes):
            yield index, _chunk_moments(sampler, root, index, size)
        return
    pending: deque[Any] = deque()
    try:
        for index, size in enumerate(sizes):
            pending.append(executor.submit(_chunk_moments, sampler, root, index, size))
            if len(pending) >= _IN_FLIGHT:
                yield index - len(pending) + 1, pending.popleft().result()
        while pending:
            yield index - len(pending) + 1, pending.popleft().result()
    finally:
        for future in pending:
            getattr(future, "cancel", lambda: None)()


def _chunk_moments(sampler: Sampler, root: np.random.SeedSequence, index: int,
                   size: int) -> Moments:
    """(count, mean, M2) of chunk ``index``: the unit of work sent to an executor."""
    rng = np.random.default_rng(_child_seed(root, index))
    draws = _checked_draws(sampler(rng, size), size, root, index)
    with np.errstate(all="ignore"):  # non-finite draws are reported below
        mean, m2 = _mean_and_m2(draws)
    if not (np.isfinite(mean).all() and np.isfinite(m2).all()):
        raise SamplerError(f"sampler returned non-finite draws in chunk {index}; "
                           f"{_reproduce(root, index, size)}")
    return size, mean, m2


def _mean_and_m2(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Mean and M2 = sum (x - mean)^2 along axis 0.

    One pass, M2 = sum x^2 - mean sum x, unless that cancels more than 4 of the 16 digits
    (sum x^2 > 1e4 M2, i.e. |mean| > ~100 sd); then the exact two-pass form.
    """
    total, squares = _sums(x)
    mean = total / x.shape[0]
    m2 = squares - total * mean
    if np.any(squares > 1e4 * m2):
        m2 = _sums(x - mean)[1]
    return mean, m2


def _sums(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(sum x, sum x^2) along axis 0.

    The squares (and the 2-D column sums) come from BLAS calls on blocks of at most
    ``_BLOCK`` entries: OpenBLAS runs calls that small on one thread, and its threaded calls
    on a busy machine are many times slower than the reduction itself.
    """
    if x.ndim == 1:
        square_sum = sum(float(np.dot(b, b)) for b in _blocks(x, _BLOCK))
        return np.asarray(x.sum()), np.asarray(square_sum)
    rows = max(1, _BLOCK // max(1, x.shape[1]))
    ones = np.ones(rows)
    total, squares = np.zeros(x.shape[1]), np.zeros(x.shape[1])
    for block in _blocks(x, rows):
        weights = ones[: block.shape[0]]
        total += weights @ block
        squares += weights @ (block * block)
    return total, squares


def _blocks(x: FloatArray, rows: int) -> Iterator[FloatArray]:
    return (x[start:start + rows] for start in range(0, x.shape[0], rows))


def _checked_draws(draws: Any, size: int, root: np.random.SeedSequence,
                   index: int) -> FloatArray:
    arr = np.asarray(draws)
    if arr.dtype.kind not in "biuf" or arr.ndim not in (1, 2) or arr.shape[0] != size:
        raise SamplerError(f"sampler must return a real array of shape ({size},) or ({size}, k),"
                           f" got {check.describe(arr)} in chunk {index}; "
                           f"{_reproduce(root, index, size)}")
    return arr.astype(np.float64, copy=False)


def _reproduce(root: np.random.SeedSequence, index: int, size: int) -> str:
    child = _child_seed(root, index)
    return (f"reproduce with sampler(np.random.default_rng(np.random.SeedSequence("
            f"entropy={child.entropy}, spawn_key={child.spawn_key})), {size})")


def _merge_in_order(chunks: Iterator[tuple[int, Moments]]) -> Moments:
    """Fold the chunk moments left to right with Chan et al.'s pairwise update:

    n = n_a + n_b,  delta = mean_b - mean_a,
    mean = mean_a + delta n_b / n,  M2 = M2_a + M2_b + delta^2 n_a n_b / n.
    """
    _, total = next(chunks)
    for index, part in chunks:
        if part[1].shape != total[1].shape:
            raise SamplerError(f"sampler returned draws of shape {part[1].shape} per sample in "
                               f"chunk {index} but {total[1].shape} in chunk 0")
        total = _merge_moments(total, part)
    return total


def _merge_moments(a: Moments, b: Moments) -> Moments:
    """Merge (count, mean, M2) of two disjoint samples into those of their union."""
    n_a, mean_a, m2_a = a
    n_b, mean_b, m2_b = b
    n = n_a + n_b
    delta = mean_b - mean_a
    return n, mean_a + delta * (n_b / n), m2_a + m2_b + delta * delta * (n_a * n_b / n)


def _frozen(arr: FloatArray) -> FloatArray:
    arr.setflags(write=False)
    return arr
