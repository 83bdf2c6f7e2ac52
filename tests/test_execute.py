"""Bounded execution: a job runs in a forked child that is killed when its time is up."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from kg.errors import QueryError, QuerySyntaxError, QueryTimeout, UnsafeQueryError
from kg.execute import Limits, WorkerError, fork_available, run_bounded
from tests.kgserver import children_of

pytestmark = pytest.mark.skipif(not fork_available(), reason="needs fork")


def spin() -> None:
    while True:
        pass


def test_a_job_returns_its_result():
    assert run_bounded(lambda: {"answer": 42, "pid": os.getpid()}, timeout=5)["answer"] == 42


def test_the_job_runs_in_another_process_that_inherits_the_parents_memory():
    inherited = list(range(1000))
    pid = run_bounded(lambda: (os.getpid(), sum(inherited)), timeout=5)
    assert pid[0] != os.getpid() and pid[1] == sum(inherited)


def test_a_runaway_job_is_killed_at_the_time_limit_and_leaves_nothing_behind():
    before = children_of(os.getpid())  # e.g. a test server started by other tests
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="1 second"):
        run_bounded(spin, timeout=1)
    elapsed = time.monotonic() - started
    assert 1 <= elapsed < 2.5
    assert children_of(os.getpid()) == before  # killed and reaped: no zombie, no busy core
    assert multiprocessing.active_children() == []


def test_errors_raised_on_purpose_arrive_with_their_class_and_attributes():
    def bad() -> None:
        raise QuerySyntaxError("Expected SelectQuery", line=3, column=7)

    with pytest.raises(QuerySyntaxError) as caught:
        run_bounded(bad, timeout=5)
    assert (caught.value.line, caught.value.column) == (3, 7)
    assert "line 3, column 7" in str(caught.value)


def test_a_crash_becomes_a_worker_error_without_a_traceback():
    with pytest.raises(WorkerError) as caught:
        run_bounded(lambda: 1 / 0, timeout=5)
    assert "Traceback" not in str(caught.value) and "ZeroDivision" not in str(caught.value)
    assert isinstance(caught.value, QueryError)


def test_the_child_cannot_use_more_memory_than_allowed():
    def hog() -> int:
        return len(bytearray(2 * 1024 ** 3))

    with pytest.raises(WorkerError, match="memory"):
        run_bounded(hog, timeout=10, max_memory=256 * 1024 ** 2)


def test_the_child_makes_no_network_request():
    def fetch() -> None:
        import urllib.request

        urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)

    with pytest.raises(UnsafeQueryError, match="no network requests"):
        run_bounded(fetch, timeout=5)


def test_default_limits():
    limits = Limits()
    assert (limits.timeout, limits.max_rows, limits.max_body) == (10.0, 10_000, 1_000_000)
