"""numeric.montecarlo: estimates, the seed contract, executors, memory, errors."""

from __future__ import annotations

import hashlib
import math
import re
import tracemalloc
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import numeric
from numeric import montecarlo as mc

SEED = mc.seed_from_string("tests/numeric/montecarlo")


# Samplers are module-level so that a process pool can pickle them.
def normal(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.standard_normal(size)


def uniform(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.random(size)


def normal_moments(rng: np.random.Generator, size: int) -> np.ndarray:
    """(X, X^2, X^3, X^4) for X ~ N(1, 2^2)."""
    x = 1.0 + 2.0 * rng.standard_normal(size)
    return np.stack([x, x**2, x**3, x**4], axis=1)


SAMPLE_SIZE, SIGMA2 = 5, 4.0


def plug_in_variance(rng: np.random.Generator, size: int) -> np.ndarray:
    """The notes' estimator (1/N) sum (x_i - mean)^2 on samples of N = 5 draws of N(3, 4)."""
    x = 3.0 + math.sqrt(SIGMA2) * rng.standard_normal((size, SAMPLE_SIZE))
    return x.var(axis=1, ddof=0)


def unbiased_variance(rng: np.random.Generator, size: int) -> np.ndarray:
    x = 3.0 + math.sqrt(SIGMA2) * rng.standard_normal((size, SAMPLE_SIZE))
    return x.var(axis=1, ddof=1)


def rare_nan(rng: np.random.Generator, size: int) -> np.ndarray:
    x = rng.random(size)
    x[x > 1.0 - 2e-5] = np.nan
    return x


class LazyExecutor:
    """A toy executor: submit records the call, result() runs it (last submitted first)."""

    def __init__(self) -> None:
        self.calls = 0

    def submit(self, fn, *args):
        executor = self

        class Future:
            def result(self):
                executor.calls += 1
                return fn(*args)

        return Future()


# ---------------------------------------------------------------- values


def test_mean_of_standard_normal_agrees_with_zero_and_not_with_a_shift():
    est = mc.estimate(normal, 10**6, seed=SEED)
    assert mc.compare(est, 0.0).agrees
    assert mc.compare(est, 0.01).verdict is mc.Agreement.DISAGREES  # 10 standard errors away
    assert est.n == 10**6
    assert est.stderr == pytest.approx(1e-3, rel=0.01)


def test_vector_sampler_estimates_all_moments_of_a_normal():
    est = mc.estimate(normal_moments, 4 * 10**5, seed=SEED)
    mu, s2 = 1.0, 4.0
    exact = [mu, mu**2 + s2, mu**3 + 3 * mu * s2, mu**4 + 6 * mu**2 * s2 + 3 * s2**2]
    assert est.mean.shape == est.stderr.shape == (4,)
    assert mc.compare(est, exact).agrees
    wrong = list(exact)
    wrong[3] = mu**4 + 6 * mu**2 * s2 + s2**2  # forgetting the factor 3 of E[Z^4]
    assert not mc.compare(est, wrong).agrees


def test_plug_in_variance_is_biased_as_the_notes_derive():
    """E[(1/N) sum (x_i - mean)^2] = (N - 1)/N sigma^2, not sigma^2."""
    est = mc.estimate(plug_in_variance, 2 * 10**5, seed=SEED)
    assert mc.compare(est, (SAMPLE_SIZE - 1) / SAMPLE_SIZE * SIGMA2).agrees
    assert mc.compare(est, SIGMA2).verdict is mc.Agreement.DISAGREES
    assert abs(est.z(SIGMA2)) > 50


def test_bessel_corrected_variance_is_unbiased():
    est = mc.estimate(unbiased_variance, 2 * 10**5, seed=SEED)
    assert mc.compare(est, SIGMA2).agrees
    assert not mc.compare(est, (SAMPLE_SIZE - 1) / SAMPLE_SIZE * SIGMA2).agrees


def test_stderr_is_the_standard_error_of_the_mean():
    data = np.random.default_rng(1).standard_normal(1000)
    est = mc.estimate(lambda rng, size: data, 1000, seed=0, chunk_size=1000)
    assert est.mean == pytest.approx(data.mean(), rel=1e-13)
    assert est.stderr == pytest.approx(data.std(ddof=1) / math.sqrt(1000), rel=1e-13)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    data=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=200),
    chunk_size=st.integers(1, 250),
)
def test_any_chunking_gives_numpys_mean_and_stderr(data, chunk_size):
    values = np.array(data)
    position = 0

    def replay(rng, size):
        nonlocal position
        position += size
        return values[position - size:position]

    est = mc.estimate(replay, values.size, seed=0, chunk_size=chunk_size)
    scale = np.abs(values).max() + 1.0
    assert est.mean == pytest.approx(values.mean(), abs=1e-12 * scale)
    stderr = values.std(ddof=1) / math.sqrt(values.size)
    assert est.stderr == pytest.approx(stderr, rel=1e-9, abs=1e-12 * scale)


# ---------------------------------------------------------------- seed contract


def test_chunk_i_uses_the_ith_spawned_child_seed():
    size, seed = 1000, 12345
    children = np.random.SeedSequence(seed).spawn(3)
    draws = np.concatenate([np.random.default_rng(c).random(size) for c in children])
    est = mc.estimate(uniform, 3 * size, seed=seed, chunk_size=size)
    assert est.mean == pytest.approx(draws.mean(), rel=1e-14)
    assert est.stderr == pytest.approx(draws.std(ddof=1) / math.sqrt(draws.size), rel=1e-12)


def test_seed_sequence_seed_uses_its_children_and_is_not_consumed():
    root = np.random.SeedSequence(99)
    by_sequence = mc.estimate(normal, 5000, seed=root, chunk_size=1000)
    assert by_sequence == mc.estimate(normal, 5000, seed=99, chunk_size=1000)
    child = np.random.SeedSequence(99).spawn(1)[0]
    assert mc.estimate(normal, 5000, seed=child, chunk_size=1000) != by_sequence
    assert root.n_children_spawned == 0


def test_same_seed_same_answer_other_seed_other_answer():
    a = mc.estimate(normal, 10**4, seed=7)
    assert a == mc.estimate(normal, 10**4, seed=7)
    assert a != mc.estimate(normal, 10**4, seed=8)


def test_seed_from_string_is_sha256_and_distinguishes_ids():
    expected = int.from_bytes(hashlib.sha256(b"variance/plug-in").digest()[:8], "big")
    assert mc.seed_from_string("variance/plug-in") == expected
    assert mc.seed_from_string("variance/plug-in") != mc.seed_from_string("variance/plug-in ")
    assert 0 <= mc.seed_from_string("") < 2**64


# ---------------------------------------------------------------- executors


@pytest.fixture(scope="module")
def serial_estimate():
    return mc.estimate(normal_moments, 10**5 + 123, seed=SEED, chunk_size=2**13)


def _same(a: mc.Estimate, b: mc.Estimate) -> bool:
    same = (a.n == b.n and np.array_equal(a.mean, b.mean)
            and np.array_equal(a.stderr, b.stderr))
    assert same == (a == b)
    return same


def test_thread_pool_is_bit_identical(serial_estimate):
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = mc.estimate(normal_moments, 10**5 + 123, seed=SEED, chunk_size=2**13,
                               executor=pool)
    assert _same(threaded, serial_estimate)


def test_process_pool_is_bit_identical(serial_estimate):
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = mc.estimate(normal_moments, 10**5 + 123, seed=SEED, chunk_size=2**13,
                               executor=pool)
    assert _same(parallel, serial_estimate)


def test_any_object_with_submit_is_bit_identical(serial_estimate):
    executor = LazyExecutor()
    lazy = mc.estimate(normal_moments, 10**5 + 123, seed=SEED, chunk_size=2**13,
                       executor=executor)
    assert _same(lazy, serial_estimate)
    assert executor.calls == math.ceil((10**5 + 123) / 2**13)


def test_dask_client_is_bit_identical(serial_estimate):
    distributed = pytest.importorskip("distributed")
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                            dashboard_address=None) as client:
        remote = mc.estimate(normal_moments, 10**5 + 123, seed=SEED, chunk_size=2**13,
                             executor=client)
    assert _same(remote, serial_estimate)


# ---------------------------------------------------------------- memory


def _peak_bytes(n: int) -> int:
    tracemalloc.start()
    try:
        mc.estimate(uniform, n, seed=1)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_n():
    small, large = _peak_bytes(2 * 10**6), _peak_bytes(2 * 10**7)
    assert large < 1.2 * small + 100_000
    assert large < 2 * 10**7 * 8 / 20  # far below holding the draws


def test_large_offset_keeps_the_standard_error_accurate():
    """|mean| = 1e8 sd: the one-pass sum of squares would cancel every digit."""
    est = mc.estimate(lambda rng, size: 1e8 + rng.standard_normal(size), 10**5, seed=2)
    assert est.stderr == pytest.approx(1 / math.sqrt(10**5), rel=0.02)
    assert mc.compare(est, 1e8).agrees


# ---------------------------------------------------------------- Estimate, compare


def test_z_score_is_safe_when_the_standard_error_is_zero():
    exact = mc.Estimate(mean=0.5, stderr=0.0, n=10)
    assert exact.z(0.5) == 0.0
    assert exact.z(0.25) == math.inf
    assert exact.z(0.75) == -math.inf
    vector = mc.Estimate(np.array([1.0, 2.0]), np.array([0.0, 0.5]), 10)
    np.testing.assert_array_equal(vector.z([1.0, 1.0]), [0.0, 2.0])


def test_str_rounds_the_mean_to_the_standard_error():
    assert str(mc.Estimate(0.49984, 0.00123, 1_000_000)) == "0.4998 ± 0.0012 (n=1000000)"
    vector = mc.Estimate(np.array([1.0, 2.0]), np.array([0.1, 0.02]), 7)
    assert str(vector) == "[1.00 ± 0.10, 2.000 ± 0.020] (n=7)"


def test_compare_verdicts():
    est = mc.Estimate(1.0, 0.1, 100)
    assert mc.compare(est, 1.49).verdict is mc.Agreement.AGREES
    assert mc.compare(est, 1.51).verdict is mc.Agreement.DISAGREES
    assert mc.compare(est, 1.51, z=6).agrees
    assert mc.compare(est, math.nan).verdict is mc.Agreement.INCONCLUSIVE
    assert mc.compare(est, 1.2).z == pytest.approx(-2.0)
    assert mc.Agreement.AGREES.value == "agrees"


# ---------------------------------------------------------------- errors


def test_non_finite_draws_name_the_chunk_and_reproduce():
    with pytest.raises(numeric.SamplerError, match=r"non-finite draws in chunk \d+") as info:
        mc.estimate(rare_nan, 10**6, seed=3, chunk_size=10**4)
    message = str(info.value)
    chunk = int(re.search(r"chunk (\d+)", message).group(1))
    assert f"spawn_key=({chunk},)" in message
    rng = np.random.default_rng(np.random.SeedSequence(entropy=3, spawn_key=(chunk,)))
    assert np.isnan(rare_nan(rng, 10**4)).any()
    earlier = np.random.default_rng(np.random.SeedSequence(entropy=3, spawn_key=(chunk - 1,)))
    assert chunk == 0 or not np.isnan(rare_nan(earlier, 10**4)).any()


def test_non_finite_draws_raise_through_an_executor_too():
    with ThreadPoolExecutor(max_workers=2) as pool, \
            pytest.raises(numeric.SamplerError, match="chunk"):
        mc.estimate(rare_nan, 10**6, seed=3, chunk_size=10**4, executor=pool)


@pytest.mark.parametrize(
    ("sampler", "pattern"),
    [
        (lambda rng, size: rng.random(size + 1), r"shape \(\d+,\) or \(\d+, k\).*chunk 0"),
        (lambda rng, size: rng.random((size, 2, 2)), r"shape \(\d+, 2, 2\)"),
        (lambda rng, size: np.array(["a"] * size), r"real array"),
        (lambda rng, size: rng.random(size) + 1j, r"real array"),
        (lambda rng, size: np.full(size, np.inf), r"non-finite draws in chunk 0"),
    ],
)
def test_bad_sampler_output_raises_sampler_error(sampler, pattern):
    with pytest.raises(numeric.SamplerError, match=pattern):
        mc.estimate(sampler, 100, seed=0)


def test_changing_number_of_components_is_reported():
    def ragged(rng, size):
        return rng.random((size, 2 if size == 10 else 3))

    with pytest.raises(numeric.SamplerError, match=r"chunk 1"):
        mc.estimate(ragged, 15, seed=0, chunk_size=10)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"n": 0}, numeric.InvalidArgumentValue, r"n must be an integer >= 2, got 0"),
        ({"n": 1}, numeric.InvalidArgumentValue, r"n must be an integer >= 2, got 1"),
        ({"n": 10.0}, numeric.InvalidArgumentType, r"n must be an integer, got 10\.0"),
        ({"n": True}, numeric.InvalidArgumentType, r"n must be an integer, got True"),
        ({"seed": -1}, numeric.InvalidArgumentValue, r"seed must be an integer >= 0, got -1"),
        ({"seed": "abc"}, numeric.InvalidArgumentType, r"seed must be an integer, got 'abc'"),
        ({"seed": None}, numeric.InvalidArgumentType, r"seed must be an integer, got None"),
        ({"chunk_size": 0}, numeric.InvalidArgumentValue, r"chunk_size must be a positive integer"),
        ({"sampler": 3}, numeric.InvalidArgumentType, r"sampler must be callable, got 3"),
        ({"executor": object()}, numeric.InvalidArgumentType, r"executor must have a submit"),
    ],
)
def test_bad_arguments_raise_and_name_the_argument(kwargs, error, pattern):
    arguments = {"sampler": normal, "n": 100, "seed": 0, **kwargs}
    with pytest.raises(error, match=pattern):
        mc.estimate(**arguments)


def test_argument_errors_are_value_and_type_errors():
    with pytest.raises(ValueError, match="n must be an integer"):
        mc.estimate(normal, 0, seed=0)
    with pytest.raises(TypeError):
        mc.estimate(normal, 10, seed="x")
    with pytest.raises(TypeError, match="text must be a str"):
        mc.seed_from_string(b"bytes")
    with pytest.raises(numeric.InvalidArgumentValue, match="z must be positive"):
        mc.compare(mc.Estimate(0.0, 1.0, 2), 0.0, z=0)
    with pytest.raises(numeric.InvalidArgumentType, match="estimate must be an Estimate"):
        mc.compare(0.5, 0.5)
