"""numeric.montecarlo on a dask.distributed cluster: bit-identical to the serial run."""

from __future__ import annotations

import dataclasses
import os
import sys
import warnings

import numpy as np
import pytest

from numeric import SamplerError
from numeric import montecarlo as mc

distributed = pytest.importorskip("distributed", reason="needs the dask extra: pip install .[dask]")
cloudpickle = pytest.importorskip("cloudpickle")

SEED = mc.seed_from_string("tests/numeric/dask")


def draws(rng: np.random.Generator, size: int) -> np.ndarray:
    """(X, X^2) for X ~ N(1, 2^2): E = (1, 5)."""
    x = 1.0 + 2.0 * rng.standard_normal(size)
    return np.stack([x, x**2], axis=1)


@dataclasses.dataclass(frozen=True)
class DrawsElsewhere:
    """:func:`draws`, refusing to run in the process ``forbidden`` (so a worker did the work).

    The pid travels with the sampler: a module-level constant would be evaluated anew by a
    worker that imports this module.
    """

    forbidden: int

    def __call__(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if os.getpid() == self.forbidden:
            raise RuntimeError("drawn in the test process, not on a dask worker")
        return draws(rng, size)


draws_on_a_worker = DrawsElsewhere(os.getpid())


@pytest.fixture(scope="module")
def client():
    # The workers are fresh processes, which can import this test module only under some of
    # pytest's import modes: send its samplers by value (a sampler from an installed module
    # needs nothing of the kind).
    module = sys.modules[__name__]
    cloudpickle.register_pickle_by_value(module)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # start-up chatter about ports and memory
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
    try:
        with distributed.Client(cluster) as connected:
            yield connected
    finally:
        cluster.close()
        cloudpickle.unregister_pickle_by_value(module)


def test_a_dask_client_gives_the_serial_estimate_bit_for_bit(client):
    n, chunk = 300_001, 10_000  # 31 chunks, the last one short
    serial = mc.estimate(draws, n, seed=SEED, chunk_size=chunk)
    remote = mc.estimate(draws_on_a_worker, n, seed=SEED, chunk_size=chunk, executor=client)
    assert remote.n == serial.n == n
    assert np.array_equal(remote.mean, serial.mean)
    assert np.array_equal(remote.stderr, serial.stderr)
    assert np.all(np.abs(serial.z([1.0, 5.0])) < 5)


def test_both_workers_take_part(client):
    before = client.run(_executed)
    mc.estimate(draws_on_a_worker, 200_000, seed=SEED, chunk_size=5_000, executor=client)
    after = client.run(_executed)
    assert len(after) == 2 and all(after[w] > before[w] for w in after)


def _executed(dask_worker) -> int:
    return dask_worker.state.executed_count


def test_the_guard_refuses_the_test_process_and_worker_errors_name_their_chunk(client):
    with pytest.raises(RuntimeError, match="not on a dask worker"):
        mc.estimate(draws_on_a_worker, 20_000, seed=SEED, chunk_size=5_000)
    with pytest.raises(SamplerError, match="chunk 0"):
        mc.estimate(_wrong_shape, 20_000, seed=SEED, chunk_size=5_000, executor=client)


def _wrong_shape(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.standard_normal(size + 1)
