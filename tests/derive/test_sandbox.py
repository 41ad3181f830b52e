"""Worker processes: timeouts kill, errors are reported, workers are replaced."""

from __future__ import annotations

import time

from derive._sandbox import run_with_timeout


def _sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def _fail() -> None:
    raise ValueError("bad input 42")


def test_a_call_that_finishes_returns_its_value():
    outcome = run_with_timeout(_sleep, (0.01,), timeout=5)
    assert outcome.ok and outcome.value == 0.01


def test_a_call_past_its_timeout_is_killed_promptly_and_the_next_call_works():
    start = time.perf_counter()
    outcome = run_with_timeout(_sleep, (30,), timeout=0.5)
    assert outcome.timed_out and not outcome.ok
    assert time.perf_counter() - start < 5
    assert run_with_timeout(_sleep, (0.0,), timeout=5).value == 0.0


def test_an_exception_comes_back_as_a_message():
    outcome = run_with_timeout(_fail, (), timeout=5)
    assert not outcome.ok
    assert "ValueError: bad input 42" in outcome.error


def test_an_unpicklable_argument_is_an_error_not_a_crash():
    outcome = run_with_timeout(_sleep, (lambda: None,), timeout=5)
    assert not outcome.ok and "cannot be sent" in outcome.error
