"""The one seed rule of numeric: an integer >= 0, a SeedSequence, or a Generator."""

from __future__ import annotations

import numpy as np
import pytest

from numeric import InvalidArgumentType, InvalidArgumentValue, montecarlo, sde
from numeric._validation import seed, seed_sequence


def test_integers_become_python_ints_and_numpy_seeds_pass_through():
    sequence, generator = np.random.SeedSequence(3), np.random.default_rng(3)
    assert seed(np.int64(7)) == 7 and type(seed(np.int64(7))) is int
    assert seed(sequence) is sequence and seed(generator) is generator
    assert seed_sequence(5).entropy == 5 and seed_sequence(sequence) is sequence


@pytest.mark.parametrize(("value", "error", "words"), [
    (-1, InvalidArgumentValue, "seed must be an integer >= 0, got -1"),
    (1.5, InvalidArgumentType, "seed must be an integer"),
    (True, InvalidArgumentType, "seed must be an integer"),
    ("7", InvalidArgumentType, "seed must be an integer"),
])
def test_bad_seeds_are_named_in_the_error(value, error, words):
    with pytest.raises(error, match=words):
        seed(value)


def test_a_generator_is_refused_where_child_seeds_are_spawned():
    with pytest.raises(InvalidArgumentType, match="child seeds are spawned"):
        montecarlo.estimate(lambda rng, size: rng.random(size), 10, seed=np.random.default_rng(1))
    increments = sde.brownian_increments(3, 2, 0.1, np.random.default_rng(1))
    assert np.array_equal(increments, np.random.default_rng(1).standard_normal((3, 2)) * 0.1**0.5)
