"""Bounded execution: jobs run in a supervised pool of worker processes that each hold the
graph; a job past its time limit has its worker killed and replaced."""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import kg
from kg.errors import QueryError, QuerySyntaxError, QueryTimeout, UnsafeQueryError
from kg.execute import (
    Limits,
    WorkerError,
    WorkerLost,
    WorkerPool,
    default_workers,
    run_job,
)
from tests.kgserver import descendants, tree_cpu_seconds, zombies

# -- jobs: module-level functions of the graph ------------------------------------------


def identify(graph: kg.KnowledgeGraph) -> tuple[int, int]:
    return os.getpid(), len(graph.store)


def spin(graph: kg.KnowledgeGraph) -> None:
    while True:
        pass


def sleep_then_identify(graph: kg.KnowledgeGraph, seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def raise_syntax_error(graph: kg.KnowledgeGraph) -> None:
    raise QuerySyntaxError("Expected SelectQuery", line=3, column=7)


def divide_by_zero(graph: kg.KnowledgeGraph) -> float:
    return 1 / 0


def hog_memory(graph: kg.KnowledgeGraph) -> int:
    return len(bytearray(2 * 1024 ** 3))


def fetch(graph: kg.KnowledgeGraph) -> None:
    import urllib.request

    urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)


def count_people(graph: kg.KnowledgeGraph) -> int:
    result = graph.store.query("SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Person }")
    return int(next(iter(result))[0])


def slow_start(path: str, seconds: float, graph: kg.KnowledgeGraph) -> None:
    """A warm-up that takes ``seconds`` and writes when it ran (pid, start, end) to
    ``path``."""
    began = time.time()
    time.sleep(seconds)
    with open(path, "a", encoding="ascii") as out:
        out.write(f"{os.getpid()} {began} {time.time()}\n")


@pytest.fixture(scope="module")
def pool(graph):
    with WorkerPool(graph, workers=2, max_memory=512 * 1024 ** 2) as started:
        yield started


# -- the pool ---------------------------------------------------------------------------

def test_each_worker_holds_the_graph_and_answers_from_it(pool, graph):
    pid, size = pool.run(identify, timeout=10)
    assert pid != os.getpid() and pid in pool.pids()
    assert size == len(graph.store)
    assert pool.run(count_people, timeout=10) == count_people(graph)


def test_workers_are_reused_not_started_per_job(pool):
    pids = {pool.run(identify, timeout=10)[0] for _ in range(10)}
    assert pids <= set(pool.pids()) and len(pool.pids()) == 2


def test_a_runaway_job_is_stopped_at_its_limit_and_its_worker_replaced(pool):
    before = pool.pids()
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="1 second"):
        pool.run(spin, timeout=1)
    assert 1 <= time.monotonic() - started < 6  # stopped at its limit, not left to spin
    assert pool.run(identify, timeout=10)[0] in pool.pids()  # the pool still serves
    time.sleep(0.3)
    after = pool.pids()
    assert len(after) == 2 and set(after) != set(before)  # one worker replaced
    assert zombies(descendants(os.getpid())) == []


def test_other_jobs_keep_running_while_one_runs_away(pool):
    outcome: dict[str, object] = {}

    def runaway() -> None:
        try:
            pool.run(spin, timeout=5)
        except QueryTimeout as error:
            outcome["runaway"] = error

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    assert pool.run(count_people, timeout=10) > 0
    assert "runaway" not in outcome, "the other job waited for the runaway one to be killed"
    thread.join()
    assert isinstance(outcome["runaway"], QueryTimeout)


def test_a_worker_killed_from_outside_fails_its_job_clearly_and_is_replaced(pool):
    outcome: dict[str, object] = {}

    def victim() -> None:
        try:
            outcome["pid"] = pool.run(sleep_then_identify, 5.0, timeout=10)
        except WorkerLost as error:
            outcome["error"] = error

    busy_before = set(pool.pids())
    thread = threading.Thread(target=victim)
    thread.start()
    time.sleep(0.5)
    # the worker sleeping in the job is the one whose CPU time does not matter: find it
    # by asking the other worker who it is
    free = pool.run(identify, timeout=10)[0]
    target = next(pid for pid in busy_before if pid != free)
    os.kill(target, signal.SIGKILL)
    thread.join(10)
    error = outcome.get("error")
    assert isinstance(error, WorkerLost), outcome
    assert "stopped (signal 9)" in str(error) and "Traceback" not in str(error)
    assert pool.run(count_people, timeout=10) > 0  # the next job succeeds
    time.sleep(0.3)
    assert len(pool.pids()) == 2 and target not in pool.pids()


def test_a_worker_killed_just_after_taking_a_job_is_reported_with_its_signal(graph):
    """Killed before the pool has recorded which job it runs, a worker makes pebble give up
    the whole pool; the caller still learns that its worker stopped, and how."""
    with WorkerPool(graph, workers=1, max_memory=None) as single:
        for _ in range(5):
            outcome: dict[str, object] = {}

            def victim(outcome: dict[str, object]) -> None:
                try:
                    outcome["pid"] = single.run(sleep_then_identify, 3.0, timeout=10)
                except WorkerLost as lost:
                    outcome["error"] = lost

            (target,) = single.pids()
            thread = threading.Thread(target=victim, args=(outcome,))
            thread.start()
            time.sleep(0.01)
            os.kill(target, signal.SIGKILL)
            thread.join(15)
            error = outcome.get("error")
            assert isinstance(error, WorkerLost), outcome
            assert "stopped (signal 9)" in str(error) and "send the request again" in str(error)
            assert single.run(count_people, timeout=10) > 0  # a fresh worker serves


def test_a_job_sent_just_as_the_pool_breaks_is_reported_lost_at_once(graph, monkeypatch):
    """pebble checks that its pool runs, then queues the job; should the pool break in
    between (here: its only worker killed while idle, and the break noticed, exactly
    there), pebble never takes the job nor fails it. The caller learns at once that the
    worker stopped, not "every worker was busy" after its time and queue limits."""
    with WorkerPool(graph, workers=1, max_memory=None, queue_timeout=60) as single:
        pool = single._current()
        check = pool._check_pool_status

        def break_after_the_check() -> None:
            check()  # the pool runs: pebble accepts the job...
            (target,) = single.pids()
            os.kill(target, signal.SIGKILL)  # ...and breaks before it queues it
            deadline = time.monotonic() + 10
            while pool.active and time.monotonic() < deadline:
                time.sleep(0.01)
            assert not pool.active, "pebble did not notice its only worker was killed"

        monkeypatch.setattr(pool, "_check_pool_status", break_after_the_check)
        started = time.monotonic()
        with pytest.raises(WorkerLost, match=r"stopped \(signal 9\)"):
            single.run(identify, timeout=30)
        assert time.monotonic() - started < 20  # not the 91 s of its time and queue limits
        assert single.run(count_people, timeout=10) > 0  # a new pool serves


def test_errors_raised_on_purpose_arrive_with_their_class_and_attributes(pool):
    with pytest.raises(QuerySyntaxError) as caught:
        pool.run(raise_syntax_error, timeout=5)
    assert (caught.value.line, caught.value.column) == (3, 7)
    assert "line 3, column 7" in str(caught.value)


def test_a_crash_becomes_a_worker_error_without_a_traceback(pool):
    with pytest.raises(WorkerError) as caught:
        pool.run(divide_by_zero, timeout=5)
    assert "Traceback" not in str(caught.value) and "ZeroDivision" not in str(caught.value)
    assert isinstance(caught.value, QueryError)


def test_a_worker_cannot_use_more_memory_than_allowed(pool):
    with pytest.raises(WorkerError, match="memory"):
        pool.run(hog_memory, timeout=10)
    assert pool.run(count_people, timeout=10) > 0


def test_a_worker_makes_no_network_request(pool):
    with pytest.raises(UnsafeQueryError, match="no network requests"):
        pool.run(fetch, timeout=5)


def test_a_job_that_waits_too_long_for_a_worker_is_refused_as_busy(graph):
    from kg.errors import ServiceBusy

    with WorkerPool(graph, workers=1, queue_timeout=0.5) as single:
        blocker = threading.Thread(target=lambda: single.run(sleep_then_identify, 3.0,
                                                             timeout=5))
        blocker.start()
        time.sleep(0.3)
        with pytest.raises(ServiceBusy, match="busy"):
            single.run(identify, timeout=1)
        blocker.join()


def test_workers_start_one_at_a_time_and_each_is_counted_ready_once_it_takes_jobs(
        graph, tmp_path):
    log = tmp_path / "starts"
    slow = WorkerPool(graph, workers=3, warm=functools.partial(slow_start, str(log), 0.3))
    try:
        assert slow.ready_workers() == 0  # nothing started yet
        slow.start(ready=1)  # returns once one worker is ready: the others wait their turn
        assert slow.ready_workers() in (1, 2)
        slow.start()  # every worker ready
        assert slow.ready_workers() == 3
        starts = sorted(tuple(map(float, line.split()[1:])) for line in
                        log.read_text(encoding="ascii").splitlines())
        assert len(starts) == 3
        for (_, end), (begin, _) in itertools.pairwise(starts):
            assert begin >= end - 0.01, starts  # never two at once
    finally:
        slow.close()
    assert slow.ready_workers() == 0


def test_a_worker_that_stopped_is_not_counted_ready_until_its_replacement_is(graph, tmp_path):
    slow = WorkerPool(graph, workers=2,
                      warm=functools.partial(slow_start, str(tmp_path / "starts"), 1.0))
    try:
        slow.start()
        assert slow.ready_workers() == 2
        victim = slow.pids()[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while victim in slow.pids() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert slow.ready_workers() == 1
        # pebble replaces a dead worker (or its whole pool) as jobs come; a replacement
        # takes a second to start, and is counted once it has. The job that finds pebble
        # giving up its pool over the killed worker (a race of its threads, more likely with
        # the cores busy: WorkerPool.run) is refused as lost, as documented; the next starts
        # the new pool
        deadline = time.monotonic() + 15
        while slow.ready_workers() < 2 and time.monotonic() < deadline:
            with contextlib.suppress(WorkerLost):
                slow.run(identify, timeout=10)
            time.sleep(0.1)
        assert slow.ready_workers() == 2 and victim not in slow.pids()
    finally:
        slow.close()


def test_a_closed_pool_leaves_no_process_behind(graph):
    single = WorkerPool(graph, workers=2).start()
    workers = single.pids()
    assert len(workers) == 2
    single.close()
    time.sleep(0.3)
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists()] == []


# -- one job, as the command line runs it ------------------------------------------------

def test_run_job_runs_once_in_a_forked_worker_and_leaves_nothing(graph):
    before = descendants(os.getpid())
    pid, size = run_job(graph, identify, limits=Limits(timeout=10))
    assert pid != os.getpid() and size == len(graph.store)
    time.sleep(0.2)
    assert [p for p in descendants(os.getpid()) if p not in before] == []


def test_a_one_job_pool_polls_faster_only_while_it_runs_and_runs_without_that_too(
        graph, monkeypatch):
    """run_job's pool polls every 10 ms (pebble's own tick, 0.1 s, would be most of a small
    command's time), then pebble's tick is as it was; a pebble without that tick (it is
    not a documented setting) still runs the job, at its own pace."""
    from pebble.common import CONSTS

    from kg.execute import _ONE_SHOT_TICK, _one_shot_ticks

    before = CONSTS.sleep_unit
    with _one_shot_ticks():
        assert CONSTS.sleep_unit == min(before, _ONE_SHOT_TICK)
    assert CONSTS.sleep_unit == before
    import pebble.common

    monkeypatch.setattr(pebble.common, "CONSTS", object())  # (as kg's code finds it)
    with _one_shot_ticks():
        assert CONSTS.sleep_unit == before
    pid, size = run_job(graph, identify, limits=Limits(timeout=10))
    assert pid != os.getpid() and size == len(graph.store)


def test_run_job_stops_a_runaway_at_the_limit(graph):
    # the servers earlier tests of this process started live on, and are not this job's
    running = frozenset(descendants(os.getpid()))
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        run_job(graph, spin, limits=Limits(timeout=1))
    assert time.monotonic() - started < 3
    before = tree_cpu_seconds(os.getpid(), besides=running)
    time.sleep(0.5)
    assert tree_cpu_seconds(os.getpid(), besides=running) - before < 0.4  # nothing spins


def test_default_limits_and_workers():
    limits = Limits()
    assert (limits.timeout, limits.max_rows, limits.max_body) == (10.0, 10_000, 1_000_000)
    assert default_workers() == 2 * (os.cpu_count() or 1) + 1


def test_run_job_forks_its_worker_without_starting_a_resource_tracker():
    """A forked worker inherits fork-kind locks: no multiprocessing resource tracker (a
    whole Python interpreter started beside every kg query) is needed for them."""
    code = ("import multiprocessing.resource_tracker as tracker, kg\n"
            "from kg.execute import Limits, count_statements, run_job\n"
            "assert run_job(kg.load(), count_statements, limits=Limits(timeout=30)) > 0\n"
            "print(tracker._resource_tracker._pid)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "None"), done.stderr
