"""The endpoint under concurrent load and hostile input, on a real ``kg serve`` on loopback.

Concurrency, runaway queries beside small ones, a worker killed from outside, oversized
and never-finished bodies, and the access log. Every loop here is bounded in count and
time and talks only to the test server on 127.0.0.1.
"""

from __future__ import annotations

import concurrent.futures
import os
import signal
import socket
import time
import urllib.parse

import pytest
import requests

from .kgserver import (
    LIMITS,
    ROOMY,
    Server,
    all_ready,
    children_of,
    cpu_seconds,
    descendants,
    settles,
    start,
    tree_memory,
    zombies,
)

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PEOPLE = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Person }"
#: a cartesian product that no time limit lets finish
BOMB = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: a smaller one that runs for a second or so: long enough to be caught in the act
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server() -> Server:
    return start()


def sparql(server: Server, query: str, *, timeout: float = 30) -> requests.Response:
    return requests.get(server.sparql, params={"query": query},
                        headers={"Accept": "text/csv"}, timeout=timeout)


def count_in(response: requests.Response) -> int:
    return int(response.text.split()[-1])


def workers(server: Server) -> list[int]:
    """The server's query workers: the children of its fork server (the server's children
    are the fork server and multiprocessing's resource tracker)."""
    return sorted(pid for child in children_of(server.pid) for pid in children_of(child)
                  if pid not in zombies([pid]))


# -- concurrency ----------------------------------------------------------------------------

def test_fifty_concurrent_small_queries_all_get_the_right_answer(server):
    expected = count_in(sparql(server, COUNT))
    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(lambda _: sparql(server, COUNT), range(50)))
    assert [a.status_code for a in answers] == [200] * 50
    assert {count_in(a) for a in answers} == {expected}


def test_runaway_queries_are_stopped_while_small_queries_keep_answering(server):
    expected = count_in(sparql(server, PEOPLE))
    full_pool(server)
    processes_before, memory_before = len(descendants(server.pid)), tree_memory(server.pid)
    #: small queries answered while every runaway still held its worker: by the fifth
    #: worker, not after a runaway's was freed (how fast is for the benchmarks: on shared
    #: cores, four spinning workers make any answer slow)
    answered_meanwhile = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        started = time.monotonic()
        bombs = [pool.submit(sparql, server, BOMB) for _ in range(4)]
        time.sleep(0.2)
        deadline = time.monotonic() + 15
        while not all(b.done() for b in bombs) and time.monotonic() < deadline:
            answer = sparql(server, PEOPLE)
            assert answer.status_code == 200 and count_in(answer) == expected, answer.text
            answered_meanwhile += not any(b.done() for b in bombs)
        results = [b.result() for b in bombs]
        bombs_took = time.monotonic() - started
    assert [r.status_code for r in results] == [503] * 4
    assert all("time limit" in r.text for r in results)
    assert bombs_took < LIMITS["timeout"] + 5  # the limit, plus a little (not 30 s: stopped)
    assert answered_meanwhile >= 1
    assert all_ready(server)  # the pool replaces the four killed workers
    after = descendants(server.pid)
    assert zombies(after) == [] and len(after) == processes_before
    assert len(workers(server)) == LIMITS["workers"]
    assert tree_memory(server.pid) < memory_before * 1.5  # back near where it started
    assert settles(server), "the server and its workers keep using a core"


def full_pool(server: Server) -> list[int]:
    """The workers, once the pool has all of them again, each ready (replacements take a
    moment: they start one at a time, slowly when the cores are shared)."""
    assert all_ready(server)
    assert settles(server)
    return workers(server)


@pytest.fixture(scope="module")
def roomy() -> Server:
    """The server whose time limit is roomy (kgserver.ROOMY): for a test that must kill a
    worker in the middle of a query, before the limit would stop it, on a loaded machine
    too (finding the busy worker takes 0.2 s of its CPU, which can be seconds of wall time
    when both cores are shared)."""
    return start(timeout=ROOMY)


def test_a_worker_killed_mid_query_fails_that_request_clearly_and_is_replaced(roomy):
    server = roomy
    idle = {pid: cpu_seconds(pid) for pid in full_pool(server)}
    assert len(idle) == LIMITS["workers"]
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(sparql, server, SLOW)
        busy, deadline = None, time.monotonic() + 10
        while busy is None and time.monotonic() < deadline:  # the one computing the query
            time.sleep(0.1)
            grown = {pid: cpu_seconds(pid) - idle[pid] for pid in idle}
            busy = next((pid for pid, more in grown.items() if more >= 0.2), None)
        assert busy is not None and not pending.done()
        os.kill(busy, signal.SIGKILL)
        response = pending.result()
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"
    assert "stopped (signal 9)" in response.text and "send the request again" in response.text
    assert "Traceback" not in response.text
    assert sparql(server, PEOPLE).status_code == 200  # the next request succeeds
    replaced = full_pool(server)
    assert busy not in replaced and len(replaced) == len(idle)


def test_an_idle_worker_killed_from_outside_does_not_stop_the_service(server):
    victim = full_pool(server)[0]
    os.kill(victim, signal.SIGKILL)
    time.sleep(0.5)
    answers = [sparql(server, PEOPLE) for _ in range(3)]
    assert [a.status_code for a in answers] == [200] * 3
    replaced = full_pool(server)
    assert victim not in replaced and len(replaced) == LIMITS["workers"]


# -- hostile bodies -------------------------------------------------------------------------

def test_a_body_over_the_limit_gets_413_with_a_message_in_the_routes_error_format(server):
    body = b"x" * 5_000_000
    response = requests.post(server.sparql, data=body,
                             headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert response.status_code == 413
    assert response.headers["Content-Type"].startswith("text/plain")
    assert f"at most {LIMITS['max_body']} bytes" in response.text
    assert "5000000 bytes" in response.text
    api = requests.post(server.url + "api/queries/cq07-member-since", data={"x": "y" * 50_000},
                        timeout=30)
    assert api.status_code == 413
    assert api.json()["error"]["status"] == 413
    assert sparql(server, PEOPLE).status_code == 200  # and the server goes on


def test_a_body_that_never_finishes_is_cut_off_after_the_read_timeout(server):
    host, port = urllib.parse.urlsplit(server.url).hostname, urllib.parse.urlsplit(server.url).port
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
                           b"Content-Type: application/sparql-query\r\n"
                           b"Content-Length: 1000\r\n\r\nSELECT")
        started = time.monotonic()
        connection.settimeout(LIMITS["read_timeout"] * 4 + 5)
        try:
            closed = connection.recv(1024) == b""
        except ConnectionResetError:
            closed = True
        waited = time.monotonic() - started
    assert closed
    assert LIMITS["read_timeout"] * 0.9 <= waited < LIMITS["read_timeout"] * 4 + 2
    assert sparql(server, PEOPLE).status_code == 200


# -- the log --------------------------------------------------------------------------------

def test_each_request_gets_one_readable_access_log_line_and_no_queue_noise(server):
    marker = f"/-/health?probe={time.monotonic_ns()}"
    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(lambda _: requests.get(server.url.rstrip("/") + marker, timeout=30),
                      range(20)))
    time.sleep(0.3)
    log = server.log.read_text(encoding="utf-8")
    lines = [line for line in log.splitlines() if marker in line]
    assert len(lines) == 20
    assert all('"GET ' + marker in line and '" 200 ' in line and line.endswith(" ms")
               for line in lines)
    assert "Task queue depth" not in log
