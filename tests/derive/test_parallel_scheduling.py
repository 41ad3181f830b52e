"""How ``derive check -j N`` hands tasks to workers, starts them early and stops them."""

from __future__ import annotations

import collections
import pickle
import textwrap
import time
from pathlib import Path

from derive._processes._spawn import start_worker
from derive._processes._worker import serve
from derive._run import _parallel
from derive._run._parallel import Ahead, Task, _Scheduler, _Spares, _Worker

ONE_PROOF = textwrap.dedent("""
    import sympy as sp
    from derive import Derivation, Source, Step
    x = sp.Symbol("x", real=True)
    square = Derivation(id="one-square", title="square", source=Source("n", "s", "q"),
                        start=Step((x + 1) ** 2, "(x+1)^2"),
                        steps=[Step(x**2 + 2 * x + 1, "x^2 + 2x + 1")])
    """)


class _Idle:
    """The part of a worker the scheduler reads when it chooses a task."""

    def __init__(self, files: set[str], order: tuple[str, ...] = ()) -> None:
        self.files = files
        self.order = list(order)


def _scheduler(tasks: list[Task], workers: list[_Idle]) -> _Scheduler:
    scheduler = _Scheduler.__new__(_Scheduler)  # no processes: only the choice is tested
    scheduler.queue = collections.deque(tasks)
    scheduler.workers = workers  # type: ignore[assignment]
    return scheduler


def _tasks(*paths: str) -> list[Task]:
    return [Task(k, path, f"d{k}", None) for k, path in enumerate(paths)]


def test_a_worker_keeps_to_the_file_it_has_imported():
    tasks = _tasks("a", "b", "a", "b")
    worker = _Idle({"b"})
    assert _scheduler(tasks, [worker, _Idle({"a"})])._next_for(worker).index == 1  # type: ignore[arg-type]


def test_then_it_starts_a_file_no_worker_has_started():
    tasks = _tasks("a", "b", "c")
    worker = _Idle({"z"})
    assert _scheduler(tasks, [worker, _Idle({"a"})])._next_for(worker).path == "b"  # type: ignore[arg-type]


def test_then_it_helps_with_the_file_with_most_tasks_left():
    tasks = _tasks("a", "b", "b", "b", "a")
    worker = _Idle({"z"})
    others = [_Idle({"a"}), _Idle({"b"})]
    chosen = _scheduler(tasks, [worker, *others])._next_for(worker)  # type: ignore[arg-type]
    assert (chosen.path, chosen.index) == ("b", 1)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_prestarted_workers_are_the_ones_the_scheduler_uses(monkeypatch):
    spares = _Spares()
    monkeypatch.setattr(_parallel, "_SPARES", spares)
    spares.start(2)
    started = list(spares._workers)
    scheduler = _Scheduler(_tasks("a", "b", "c"), jobs=2)
    try:
        assert scheduler.workers == started
        assert spares._workers == []
    finally:
        scheduler.close()
    assert not any(w.alive for w in started)


def test_spares_left_unused_are_killed_not_left_running():
    spares = _Spares()
    spares.start(2)
    pids = [w.process.pid for w in spares._workers]
    kept = spares.take(1)
    assert len(kept) == 1 and spares.take(1) == []  # the second take finds none left
    kept[0].stop()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids[1:]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pids[1])
    spares.stop_all()


def test_a_worker_that_stops_runs_the_exit_handlers_of_what_it_imported(tmp_path, monkeypatch):
    marker = tmp_path / "handler-ran"
    (tmp_path / "registers_a_handler.py").write_text(textwrap.dedent(f"""
        import atexit, pathlib
        atexit.register(lambda: pathlib.Path({str(marker)!r}).write_text("yes"))
        """))
    monkeypatch.syspath_prepend(str(tmp_path))  # the worker takes this process's sys.path
    process, conn = start_worker(serve)
    conn.send(["registers_a_handler"])  # imported first, then calls are served
    conn.close()  # the worker stops: it exits without tearing down, its handlers still run
    assert process.wait(timeout=60) == 0
    assert marker.read_text() == "yes"


def test_a_prestarted_worker_checks_like_any_other(tmp_path):
    worker = _Worker()
    try:
        proof = tmp_path / "one.py"
        proof.write_text(ONE_PROOF)
        worker.give(Task(0, str(proof), "one-square", None))
        index, payload = worker.conn.recv()
        answer = pickle.loads(payload)
        assert index == 0 and answer["error"] is None
        assert worker.files == {str(proof)}
    finally:
        worker.stop()
    assert not worker.alive


def test_files_are_shared_out_by_size_largest_first(tmp_path):
    sizes = {"a.py": 900, "b.py": 500, "c.py": 450, "d.py": 100}
    for name, size in sizes.items():
        (tmp_path / name).write_text("#" * size)
    shares = _parallel._shares([tmp_path / n for n in sizes], 2)
    names = [[Path(p).name for p in share] for share in shares]
    assert names == [["a.py", "d.py"], ["b.py", "c.py"]]
    assert _parallel._shares([], 3) == [[], [], []]
    assert _parallel._shares([tmp_path / "a.py"], 0) == []  # every worker already started


def test_a_prestarted_worker_imports_its_share_and_is_given_it_first(tmp_path, monkeypatch):
    spares = _Spares()
    monkeypatch.setattr(_parallel, "_SPARES", spares)
    proof = tmp_path / "shared.py"
    proof.write_text(ONE_PROOF)
    spares.start(1, [proof])
    worker = spares._workers[0]
    assert worker.files == {str(proof.resolve())}
    scheduler = _Scheduler(_tasks("elsewhere", str(proof.resolve())), jobs=1)
    try:
        assert scheduler._next_for(worker).path == str(proof.resolve())
    finally:
        scheduler.close()


COUNTED_PROOF = textwrap.dedent("""
    import sympy as sp
    from pathlib import Path
    from derive import Comparison, CrossCheck, Derivation, Source, Step
    x = sp.Symbol("x", real=True)

    def counted(seed):
        with open(MARKS, "a") as marks:  # one line per run of the cross-check
            marks.write("ran\\n")
        return Comparison(estimate=1.0, expected=1.0, tolerance=0.0)

    square = Derivation(id="counted-square", title="square", source=Source("n", "s", "q"),
                        start=Step((x + 1) ** 2, "(x+1)^2"),
                        steps=[Step(x**2 + 2 * x + 1, "x^2 + 2x + 1")],
                        crosschecks=[CrossCheck("counted", counted)])
    """)


def _counted_proof(tmp_path: Path) -> tuple[Path, Path]:
    marks = tmp_path / "marks.txt"
    proof = tmp_path / "counted.py"
    proof.write_text(f"MARKS = {str(marks)!r}\n" + COUNTED_PROOF)
    return proof.resolve(), marks


def _runs(marks: Path) -> int:
    return len(marks.read_text().splitlines()) if marks.exists() else 0


def _one_result(proof: Path, budget: float | None):
    scheduler = _Scheduler([Task(0, str(proof), "counted-square", budget)], jobs=1)
    try:
        scheduler.dispatch(lambda task: None)
        ((_task, answer),) = scheduler.collect()
        return answer
    finally:
        scheduler.close()


def test_a_prestarted_worker_checks_its_share_ahead_and_answers_from_it(tmp_path, monkeypatch):
    monkeypatch.setattr(_parallel, "_SPARES", spares := _Spares())
    proof, marks = _counted_proof(tmp_path)
    spares.start(1, [proof], Ahead.of(None, None))
    deadline = time.monotonic() + 120
    while _runs(marks) == 0 and time.monotonic() < deadline:  # no task was sent yet
        time.sleep(0.05)
    assert _runs(marks) == 1, "the worker did not check its share before being asked"
    answer = _one_result(proof, None)
    assert _runs(marks) == 1  # answered from what it checked ahead, not checked again
    assert answer["error"] is None
    assert [c.verdict.value for c in answer["crosschecks"]] == ["agrees"]
    assert [step.verdict.value for step in answer["steps"]] == ["proved"]


def test_a_task_with_other_options_than_those_checked_ahead_is_checked_anew(
        tmp_path, monkeypatch):
    monkeypatch.setattr(_parallel, "_SPARES", spares := _Spares())
    proof, marks = _counted_proof(tmp_path)
    spares.start(1, [proof], Ahead.of(None, None))
    deadline = time.monotonic() + 120
    while _runs(marks) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    answer = _one_result(proof, 30.0)  # another budget than the one it checked ahead with
    assert _runs(marks) == 2
    assert answer["error"] is None and [s.verdict.value for s in answer["steps"]] == ["proved"]



WARM_UP_IN_A_THREAD = textwrap.dedent("""
    import threading, time
    from derive._processes import _sandbox
    from derive._run._parallel import warm_up

    threading.Thread(target=warm_up, daemon=True).start()
    deadline = time.monotonic() + 120
    while not any(w.ready for w in list(_sandbox._POOL._idle)) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # the warm-up thread has ended
    print(sum(w.alive for w in list(_sandbox._POOL._idle)))
    """)


def test_a_checking_process_started_from_a_thread_outlives_the_thread():
    # workers ask to die with their parent, which Linux takes to be the thread that started
    # them (PR_SET_PDEATHSIG): the warm-up thread ends, its checking process must not
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", WARM_UP_IN_A_THREAD], capture_output=True,
                          text=True, timeout=300, check=True)
    assert done.stdout.split() == ["1"]
