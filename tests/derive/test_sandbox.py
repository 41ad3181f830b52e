"""Worker processes: timeouts kill, errors are reported, workers are replaced."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import subprocess
import sys
import time

import pytest

from derive._processes._sandbox import _POOL, WALL_FACTOR, _cpu_seconds, run_with_timeout
from derive._processes._template import ForkedProcess, forking_supported


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


def _spin(seconds: float) -> float:
    """Use ``seconds`` of CPU time."""
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass
    return seconds


def _hog(stop) -> None:
    while not stop.is_set():
        pass


@pytest.mark.skipif(_cpu_seconds(os.getpid()) is None, reason="needs /proc to read CPU time")
def test_the_budget_is_cpu_time_so_a_busy_machine_does_not_cause_timeouts():
    run_with_timeout(_spin, (0.0,), timeout=5)  # a warm worker
    stop = multiprocessing.Event()
    hogs = [multiprocessing.Process(target=_hog, args=(stop,)) for _ in range(2 * os.cpu_count())]
    for hog in hogs:
        hog.start()
    try:
        start = time.perf_counter()
        outcome = run_with_timeout(_spin, (0.5,), timeout=0.8)
        waited = time.perf_counter() - start
    finally:
        stop.set()
        for hog in hogs:
            hog.join()
    assert waited < WALL_FACTOR * 0.8 + 1
    if outcome.ok:
        return  # 0.5 s of CPU fit the 0.8 s CPU budget although the machine was busy
    # so busy that the worker got under 0.8 s of CPU in WALL_FACTOR x 0.8 s: the cap stopped it,
    # not a wall-clock budget of 0.8 s
    assert outcome.timed_out and waited >= WALL_FACTOR * 0.8 - 0.05
    assert waited - outcome.idle < 0.8


UNGUARDED_SCRIPT = """
import sympy as sp
from derive import check_equal
x = sp.Symbol("x", real=True)
print(check_equal(sp.sqrt(x**2), x).verdict)
"""


@pytest.mark.parametrize("how", ["script", "stdin"])
def test_a_script_without_a_main_guard_gets_real_verdicts(how, tmp_path):
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(derive_file())))
    env = {**os.environ, "PYTHONPATH": package_root}
    if how == "script":
        script = tmp_path / "unguarded.py"
        script.write_text(UNGUARDED_SCRIPT)
        command, text = [sys.executable, str(script)], None
    else:
        command, text = [sys.executable, "-"], UNGUARDED_SCRIPT
    done = subprocess.run(command, input=text, capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert done.stdout.strip() == "refuted", done.stderr
    assert "Traceback" not in done.stderr


def derive_file() -> str:
    import derive

    return derive.__file__


ORPHANING_SCRIPT = """
import os, signal, threading, time
from derive._processes._sandbox import _POOL, run_with_timeout
threading.Thread(target=run_with_timeout, args=(time.sleep, (60,), 120), daemon=True).start()
while not [w for w in _POOL._all if w.ready]:
    time.sleep(0.05)
time.sleep(0.5)  # the worker is now sleeping in its call
print(next(iter(_POOL._all)).process.pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"  # a zombie has exited
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux")
def test_a_busy_worker_dies_with_its_parent_even_when_the_parent_is_killed():
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(derive_file())))
    script = subprocess.Popen([sys.executable, "-c", ORPHANING_SCRIPT], stdout=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": package_root})
    pid = int(script.stdout.readline())
    script.wait(timeout=60)
    deadline = time.perf_counter() + 10
    while not _gone(pid) and time.perf_counter() < deadline:
        time.sleep(0.1)
    assert _gone(pid)


def _pid() -> int:
    return os.getpid()


@pytest.mark.skipif(not forking_supported(), reason="workers are forked from a template on Linux")
def test_a_killed_worker_is_replaced_by_a_fork_that_starts_without_importing_again():
    run_with_timeout(_sleep, (0.0,), timeout=60)  # the template has imported SymPy by now
    assert run_with_timeout(_sleep, (30,), timeout=0.2).timed_out
    successor = run_with_timeout(_pid, (), timeout=60).value
    assert isinstance(next(w for w in _POOL._all if w.process.pid == successor).process,
                      ForkedProcess)
    assert _cpu_seconds(successor) < 0.3  # a fresh interpreter importing SymPy takes ~1 s


def _zombies_of(pid: int) -> list[int]:
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError):
                with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid and fields[0] == "Z":
                    children.append(int(entry))
    return children


@pytest.mark.skipif(not forking_supported(), reason="workers are forked from a template on Linux")
def test_the_template_reaps_the_workers_that_were_killed():
    for _ in range(3):
        assert run_with_timeout(_sleep, (30,), timeout=0.1).timed_out
    template = _POOL._template._process.pid
    deadline = time.perf_counter() + 10
    while _zombies_of(template) and time.perf_counter() < deadline:
        time.sleep(0.05)
    assert not _zombies_of(template)


def test_a_forked_process_handle_reports_exit_and_kill():
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    process = ForkedProcess(sleeper.pid)
    assert process.poll() is None
    process.kill()
    assert process.wait(timeout=10) == 0 and process.poll() == 0
