"""The guard's verdicts kept on disk: a query checked once is not parsed again by the next
command, and nothing kept can make the guard accept what it refuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from rdflib import URIRef

from kg import guard_cache, sparql_guard
from kg.errors import QuerySyntaxError, UnsafeQueryError
from kg.sparql_guard import QueryKind, prepare, prepare_cached

ENTITIES = URIRef("https://w3id.org/kg/graph/entities")
FIRST = URIRef("https://w3id.org/kg/source/000_b2925a6198033b1b")
GRAPHS = [ENTITIES, FIRST]
SELECT = "SELECT ?s WHERE { ?s a kg:Person }"
ELSEWHERE = "http://127.0.0.1:9/elsewhere"
FROM_FIRST = f"SELECT * FROM <{FIRST}> FROM NAMED <{ENTITIES}> WHERE {{ ?s ?p ?o }}"


def _forget_in_process() -> None:
    """As a new process would start: nothing remembered in memory, only on disk."""
    sparql_guard._unchecked_cached.cache_clear()
    sparql_guard._parsed_in_full.cache_clear()


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    """A cache folder of the test's own, and nothing remembered in memory."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    _forget_in_process()
    yield tmp_path / "cache"
    _forget_in_process()


def _entries(cache_dir) -> list:
    folder = cache_dir / ".queries"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def _from_disk(text: str, graphs=GRAPHS, *args):
    """``prepare_cached`` as the next command runs it: answered from the disk."""
    _forget_in_process()
    prepared = prepare_cached(text, graphs, *args)
    assert prepared._algebra is None, "parsed instead of read from the disk"
    return prepared


def test_a_checked_query_is_kept_on_disk_and_read_back_without_parsing(cache_dir):
    first = prepare_cached(FROM_FIRST, GRAPHS)
    assert len(_entries(cache_dir)) == 1
    again = _from_disk(FROM_FIRST)
    assert again == first  # form, text and dataset
    assert (again.kind, again.default_graphs, again.named_graphs) == (
        QueryKind.SELECT, (FIRST,), (ENTITIES,))


def test_a_verdict_read_back_parses_its_algebra_when_rdflib_asks_for_it():
    prepared = prepare_cached(FROM_FIRST, GRAPHS)
    again = _from_disk(FROM_FIRST)
    algebra = again.query.algebra  # parsed now, as prepare would have
    assert not algebra["datasetClause"]
    assert [str(v) for v in algebra["PV"]] == [str(v) for v in prepared.query.algebra["PV"]]
    assert again._algebra is not None  # and once only


def test_the_next_process_checks_a_kept_query_without_loading_rdflibs_parser(cache_dir):
    script = ("import sys\n"
              "from kg.sparql_guard import prepare_cached\n"
              f"print(prepare_cached({SELECT!r}, []).kind.value)\n"
              "print('rdflib.plugins.sparql' in sys.modules, 'pyparsing' in sys.modules)\n")
    env = {**os.environ, "KG_CACHE_DIR": str(cache_dir)}
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                           text=True, check=True).stdout.split() for _ in range(2)]
    assert runs[0] == ["select", "True", "True"]  # parsed, and kept
    assert runs[1] == ["select", "False", "False"]  # read back


@pytest.mark.parametrize("where", ["from", "default-graph-uri", "named-graph-uri"])
def test_a_kept_query_is_checked_again_against_each_dataset(where):
    args = {"from": (), "default-graph-uri": ((str(FIRST),), ()),
            "named-graph-uri": ((), (str(FIRST),))}[where]
    text = f"SELECT ?s FROM <{FIRST}> WHERE {{ ?s ?p ?o }}" if where == "from" else SELECT
    assert prepare_cached(text, GRAPHS, *args)
    _forget_in_process()
    with pytest.raises(UnsafeQueryError, match=f"{where.upper() if where == 'from' else where}"
                       f" <{FIRST}> is not a graph of this dataset"):
        prepare_cached(text, [ENTITIES], *args)


def test_the_protocols_graphs_are_part_of_the_question(cache_dir):
    plain = prepare_cached(SELECT, GRAPHS)
    chosen = prepare_cached(SELECT, GRAPHS, (str(FIRST),), ())
    assert len(_entries(cache_dir)) == 2
    assert _from_disk(SELECT).default_graphs is None
    assert _from_disk(SELECT, GRAPHS, (str(FIRST),), ()).default_graphs == (FIRST,)
    assert (plain.default_graphs, chosen.default_graphs) == (None, (FIRST,))


@pytest.mark.parametrize("text, error", [
    ("DROP ALL", UnsafeQueryError),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", UnsafeQueryError),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", UnsafeQueryError),
    ("SELECT ?s WHERE { ?s ?p }", QuerySyntaxError),
    ("SELECT ?s WHERE { ?s nope:p ?o }", QuerySyntaxError),
])
def test_a_refused_query_is_never_kept_and_is_refused_again_with_the_same_message(
        cache_dir, text, error):
    with pytest.raises(error) as first:
        prepare_cached(text, GRAPHS)
    _forget_in_process()
    with pytest.raises(error) as second:
        prepare_cached(text, GRAPHS)
    assert str(first.value) == str(second.value)
    assert _entries(cache_dir) == []


def test_a_changed_text_is_a_new_question_never_the_old_answer(cache_dir):
    prepare_cached(SELECT, GRAPHS)
    changed = SELECT.replace("SELECT ?s WHERE", "DESCRIBE ?s WHERE")
    assert _from_disk(SELECT).kind is QueryKind.SELECT
    _forget_in_process()
    assert prepare_cached(changed, GRAPHS).kind is QueryKind.DESCRIBE
    assert len(_entries(cache_dir)) == 2
    _forget_in_process()
    with pytest.raises(UnsafeQueryError):
        prepare_cached(SELECT.replace("SELECT ?s WHERE", "DELETE WHERE"), GRAPHS)


def _damage_with(entry, text: str) -> None:
    entry.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("damage", [
    "",  # emptied
    "{\"question\": ",  # cut short
    "[1, 2, 3]",  # not an entry
    "binary \x00\x01",
    "other-question",  # a verdict made for another text, under this key
    "forged-kind",  # a form the guard does not have
    "forged-naming",  # a graph named somewhere a query cannot name one
    "forged-graphs",  # a dataset of graphs that are not checked
])
def test_a_damaged_entry_is_ignored_and_written_again(cache_dir, damage):
    reference = prepare(FROM_FIRST, graphs=GRAPHS)
    prepare_cached(FROM_FIRST, GRAPHS)
    [entry] = _entries(cache_dir)
    good = json.loads(entry.read_text(encoding="utf-8"))
    if damage == "other-question":
        forged = {**good, "question": ["SELECT * WHERE { ?s ?p ?o }", [], []]}
        _damage_with(entry, json.dumps(forged))
    elif damage == "forged-kind":
        _damage_with(entry, json.dumps({**good, "verdict": {**good["verdict"], "kind": "drop"}}))
    elif damage == "forged-naming":
        verdict = {**good["verdict"], "names": [[str(FIRST), "SERVICE"]]}
        _damage_with(entry, json.dumps({**good, "verdict": verdict}))
    elif damage == "forged-graphs":
        verdict = {**good["verdict"], "default_graphs": [ELSEWHERE], "names": []}
        _damage_with(entry, json.dumps({**good, "verdict": verdict}))
    else:
        _damage_with(entry, damage)
    _forget_in_process()
    prepared = prepare_cached(FROM_FIRST, GRAPHS)
    assert prepared._algebra is not None  # parsed again, not read
    assert prepared == reference
    assert json.loads(entry.read_text(encoding="utf-8")) == good  # written again
    assert _from_disk(FROM_FIRST) == reference


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocked))
    assert prepare_cached(SELECT, GRAPHS).kind is QueryKind.SELECT
    _forget_in_process()
    assert prepare_cached(SELECT, GRAPHS).kind is QueryKind.SELECT


def test_only_the_entries_used_last_are_kept(cache_dir, monkeypatch):
    monkeypatch.setattr(guard_cache, "KEEP", 2)
    texts = [f"SELECT ?s WHERE {{ ?s ?p {number} }}" for number in range(3)]
    for when, text in enumerate(texts, start=1):
        prepare_cached(text, GRAPHS)
        for entry in _entries(cache_dir):  # the earlier writes, an hour apart
            if json.loads(entry.read_text(encoding="utf-8"))["question"][0] == text:
                os.utime(entry, (when * 3600, when * 3600))
    kept = {json.loads(e.read_text(encoding="utf-8"))["question"][0]
            for e in _entries(cache_dir)}
    assert len(kept) == 2 and texts[2] in kept


def test_a_writer_killed_midway_leaves_nothing_that_is_read(cache_dir):
    prepare_cached(SELECT, GRAPHS)
    folder = cache_dir / ".queries"
    (folder / ".writing-killed.json").write_text("{\"question\"", encoding="utf-8")
    assert _from_disk(SELECT).kind is QueryKind.SELECT
    old = 0  # a leftover older than an hour is removed by the next write
    os.utime(folder / ".writing-killed.json", (old, old))
    prepare_cached("ASK { ?s ?p ?o }", GRAPHS)
    assert not (folder / ".writing-killed.json").exists()


def test_a_verdict_made_under_another_rdflib_is_not_used(cache_dir, monkeypatch):
    import rdflib

    prepare_cached(SELECT, GRAPHS)
    assert _from_disk(SELECT)
    monkeypatch.setattr(rdflib, "__version__", "0.0.1")
    guard_cache._context.cache_clear()
    try:
        _forget_in_process()
        assert prepare_cached(SELECT, GRAPHS)._algebra is not None  # parsed again
        assert len(_entries(cache_dir)) == 2  # and kept under the new key
    finally:
        guard_cache._context.cache_clear()


def test_a_very_long_text_is_checked_but_not_kept(cache_dir):
    padding = "# " + "x" * guard_cache.LONGEST + "\n"
    assert prepare_cached(padding + SELECT, GRAPHS).kind is QueryKind.SELECT
    assert _entries(cache_dir) == []
