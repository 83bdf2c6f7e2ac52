"""kg.cache: a read command reopens the store loaded last time from the same files, and
never answers from a cache that does not match the files or is damaged; ``kg serve --data``
reopens it too, with the network projection kept beside it."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest
from click.testing import CliRunner
from rdflib import BNode, URIRef

import kg
from kg.analysis import snapshot
from kg.cache import KEEP, CacheNote, cache_key, cached_load, writing, written_after
from kg.cli import cli
from kg.errors import InputError
from kg.load import KEY_PREDICATES, resolve_bundle
from kg.oxigraph_store import OxigraphStore

from .conftest import SEED_DATA

QUERY = "cq01-agreements-between"


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    return folder


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    """A copy of the seed data that a test may edit."""
    return Path(shutil.copytree(SEED_DATA, tmp_path / "data"))


def kg_query(data: Path, cache_dir: Path, *extra: str, process: bool = False,
             name: str = QUERY) -> subprocess.CompletedProcess[str]:
    """``kg query`` as a user runs it: in this process through click's test runner (the
    cache is on disk: each command opens it anew), or with ``process`` in a new process;
    then the cache entry it writes in the background is waited for."""
    if process:
        env = {**os.environ, "KG_CACHE_DIR": str(cache_dir)}
        done = subprocess.run([sys.executable, "-m", "kg", "query", name, "--data",
                               str(data), *extra], capture_output=True, text=True, env=env,
                              timeout=120, check=False)
        return settled(cache_dir, done)
    assert os.environ["KG_CACHE_DIR"] == str(cache_dir)  # the cache_dir fixture's
    result = CliRunner().invoke(cli, ["query", name, "--data", str(data), *extra],
                                prog_name="kg")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return settled(cache_dir, subprocess.CompletedProcess(["kg", "query"], result.exit_code,
                                                          result.stdout, result.stderr))


def settled(cache_dir: Path, done: object = None) -> object:
    """``done``, once no writer of the cache is at work (``.writing-*`` files gone)."""
    deadline = time.monotonic() + 120
    while writing(cache_dir):
        assert time.monotonic() < deadline, f"a cache writer never finished: {writing(cache_dir)}"
        time.sleep(0.05)
    return done


def entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in cache_dir.iterdir() if not p.name.startswith(".")) \
        if cache_dir.exists() else []


def replace_keeping_stamp(path: Path, text: str) -> None:
    """Write ``text`` (of the same size) into ``path`` and give it back its modification
    time, as ``tar x``, ``cp -p`` or ``rsync -a`` put back an older copy: only its change
    time (which nothing sets back) says that it changed."""
    stat = path.stat()
    assert len(text.encode("utf-8")) == stat.st_size
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_second_query_is_answered_from_the_cache_with_the_same_output(data, cache_dir):
    first = kg_query(data, cache_dir, process=True)
    assert first.returncode == 0, first.stderr
    [entry] = entries(cache_dir)
    second = kg_query(data, cache_dir, process=True)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert "note" not in second.stderr
    assert entries(cache_dir) == [entry], "answered from the entry: no load, no new entry"


def test_a_file_put_back_with_its_size_and_an_older_time_is_seen_by_its_change_time(
        data, cache_dir):
    """An older copy written back over a file, its size and modification time those the
    key holds (a date's one digit mended, then the backup restored with tar x): the key
    still sees it, by the file's change time, and loads again."""
    before = kg_query(data, cache_dir)
    assert "Memorandum of cooperation between" in before.stdout
    article = data / "000_b2925a6198033b1b.trig"
    text = article.read_text(encoding="utf-8")
    replace_keeping_stamp(article, text.replace('"Memorandum of cooperation between',
                                                '"Memorandum of cooperation betwixt'))
    after = kg_query(data, cache_dir)
    assert after.returncode == 0, after.stderr
    assert "Memorandum of cooperation betwixt" in after.stdout
    assert len(entries(cache_dir)) == 2


def test_editing_or_touching_a_data_file_loads_again_and_the_new_answer_appears(
        data, cache_dir):
    before = kg_query(data, cache_dir)
    assert "Memorandum of cooperation between" in before.stdout
    article = data / "000_b2925a6198033b1b.trig"
    article.write_text(article.read_text(encoding="utf-8").replace(
        '"Memorandum of cooperation between', '"Memorandum of understanding between'),
        encoding="utf-8")
    after = kg_query(data, cache_dir)
    assert after.returncode == 0, after.stderr
    assert "Memorandum of understanding between" in after.stdout
    assert "Memorandum of cooperation between" not in after.stdout
    assert len(entries(cache_dir)) == 2
    os.utime(article)  # touched only: a new key too
    again = kg_query(data, cache_dir)
    assert again.stdout == after.stdout and len(entries(cache_dir)) == 3


def test_a_new_data_file_is_a_new_key(data, cache_dir):
    files = sorted(data.glob("*.t*"))
    before = cache_key(files, [], entail=True)
    assert cache_key(files[:-1], [], entail=True) != before
    assert cache_key(files, [], entail=False) != before
    assert cache_key(files, [], entail=True) == before


def test_every_internal_query_a_load_runs_is_part_of_the_key(tmp_path):
    """Entailment and the keys are SPARQL updates and queries (``src/kg/sparql/``): a
    checkout whose queries changed must not reopen a store the old ones derived."""
    folder = Path(kg.cache.__file__).parent / "sparql"
    stamped = {stamp[0] for stamp in kg.cache._inputs([], [], entail=True)["code"]}
    assert {f"sparql/{path.name}" for path in folder.glob("*.rq")} <= stamped
    copy = tmp_path / "sparql"
    shutil.copytree(folder, copy)
    before = kg.cache._query_stamps(copy)
    query = copy / "entail-types.rq"
    query.write_text(query.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert kg.cache._query_stamps(copy) != before


@pytest.mark.parametrize("damage", ["sst-bytes", "sst-missing", "meta-garbage"])
def test_a_damaged_cache_entry_is_detected_noted_and_rebuilt_never_used(
        data, cache_dir, damage):
    first = kg_query(data, cache_dir)
    [entry] = entries(cache_dir)
    sst = max((entry / "store").glob("*.sst"), key=lambda p: p.stat().st_size)
    if damage == "sst-bytes":  # same size, different bytes
        raw = bytearray(sst.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        sst.write_bytes(bytes(raw))
    elif damage == "sst-missing":
        sst.unlink()
    else:
        (entry / "meta.json").write_text("{not json", encoding="utf-8")
    second = kg_query(data, cache_dir)
    assert second.returncode == 0, second.stderr
    assert "kg: note: the cached store" in second.stderr and "is damaged" in second.stderr
    assert second.stdout == first.stdout
    third = kg_query(data, cache_dir)  # rebuilt: intact again, no note
    assert "note" not in third.stderr and third.stdout == first.stdout


def test_an_entry_changed_in_place_with_its_time_set_back_never_answers_wrongly(
        data, cache_dir):
    """Bytes of every table file changed while its size, modification time and inode stay
    (the check does not hash such a file again): RocksDB's own checksums catch it. The
    command notes the entry damaged and rebuilds it, or fails saying so; it never answers
    from the damaged bytes."""
    first = kg_query(data, cache_dir)
    [entry] = entries(cache_dir)
    for sst in (entry / "store").glob("*.sst"):
        stat = sst.stat()
        raw = bytearray(sst.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        with sst.open("r+b") as file:  # in place: the same inode
            file.write(bytes(raw))
        os.utime(sst, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert (sst.stat().st_ino, sst.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    second = kg_query(data, cache_dir, process=True)
    if second.returncode == 0:
        assert "kg: note: the cached store" in second.stderr and "is damaged" in second.stderr
        assert second.stdout == first.stdout
    else:
        assert "checksum" in second.stderr and second.stdout != first.stdout


def test_no_cache_neither_reads_nor_writes_the_cache(data, cache_dir):
    uncached = kg_query(data, cache_dir, "--no-cache")
    assert uncached.returncode == 0 and entries(cache_dir) == []
    kg_query(data, cache_dir)
    article = data / "000_b2925a6198033b1b.trig"
    article.write_text("@" * article.stat().st_size, encoding="utf-8")
    loaded = kg_query(data, cache_dir, "--no-cache")  # the files themselves: broken
    assert loaded.returncode == 2 and "000_b2925a6198033b1b.trig:1:" in loaded.stderr


def test_concurrent_commands_both_answer_and_leave_one_complete_entry(data, cache_dir):
    env = {**os.environ, "KG_CACHE_DIR": str(cache_dir)}
    command = [sys.executable, "-m", "kg", "query", QUERY, "--data", str(data)]
    running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env) for _ in range(2)]
    outputs = [process.communicate(timeout=120) for process in running]
    assert [p.returncode for p in running] == [0, 0]
    assert outputs[0][0] == outputs[1][0]
    settled(cache_dir)
    assert len(entries(cache_dir)) == 1
    assert not list(cache_dir.glob(".building-*"))
    assert kg_query(data, cache_dir, process=True).stdout == outputs[0][0]  # from the entry


def test_a_first_query_answers_from_its_load_and_the_entry_is_written_after_the_answer(
        data, cache_dir):
    """Within written_after (kg query), a load the cache does not hold answers from the
    store it loaded: nothing is written before the block is left; then a detached process
    writes the entry whole, and the entry answers byte for byte as the load did."""
    with written_after():
        loaded = kg.load(data=data, cache=True)
        assert not loaded.store.read_only  # the in-memory store of the load
        first = kg.query(QUERY, graph=loaded).serialize("csv")
        assert entries(cache_dir) == [] and not list(cache_dir.glob(".building-*"))
    settled(cache_dir)
    [entry] = entries(cache_dir)
    assert not list(cache_dir.glob(".building-*")) and (entry / "meta.json").is_file()
    reopened = kg.load(data=data, cache=True)
    assert reopened.store.read_only and kg.query(QUERY, graph=reopened).serialize("csv") == first


@pytest.mark.parametrize("name, params", [("search", ("-p", "text=Al Malik")),
                                          ("cq03-posts-at-organization", ())])
def test_a_first_query_answers_as_its_entry_does_whether_or_not_it_reads_the_derived_keys(
        data, cache_dir, name, params):
    """A first ``kg query`` derives the keys (search, dates, order) only when its query may
    read them (``search`` does, cq03 does not); either way it answers as the entry the
    writer then keeps, which has every key."""
    first = kg_query(data, cache_dir, *params, process=True, name=name)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("\n") > 3 and "warning" not in first.stderr
    [entry] = entries(cache_dir)
    again = kg_query(data, cache_dir, *params, process=True, name=name)
    assert again.stdout == first.stdout and entries(cache_dir) == [entry]
    kept = kg.load(data=data, cache=True)
    assert kept.store.read_only
    for predicate in KEY_PREDICATES:
        assert any(True for _ in kept.store.quads((None, predicate, None))), predicate


def test_a_load_without_the_keys_has_all_else_and_a_default_load_has_them():
    whole = kg.load(data=SEED_DATA)
    asked: list[bool] = []
    lean = kg.load(data=SEED_DATA, keys=lambda: asked.append(True) or False)
    assert asked == [True]  # asked once

    def without_keys(graph):  # (blank nodes are fresh per load)
        return {(s, p, o) for s, p, o, _ in graph.store.quads() if p not in KEY_PREDICATES
                and not isinstance(s, BNode)}

    assert all(any(True for _ in whole.store.quads((None, p, None))) for p in KEY_PREDICATES)
    assert not any(any(True for _ in lean.store.quads((None, p, None)))
                   for p in KEY_PREDICATES)
    assert without_keys(lean) == without_keys(whole)


def test_a_background_writer_that_fails_leaves_no_entry_logs_why_and_the_next_load_notes_it(
        data, cache_dir):
    files = sorted(data.glob("*.t*"))
    cache_dir.mkdir()
    squatter = cache_dir / cache_key(files, [resolve_bundle().ontology / "kg.ttl"],
                                     entail=True)
    squatter.write_text("a file where the entry's folder goes", encoding="utf-8")
    with written_after():
        kg.load(data=data, cache=True)
    settled(cache_dir)
    assert [path for path in cache_dir.iterdir() if path.is_dir() and
            not path.name.startswith(".")] == [] and not list(cache_dir.glob(".building-*"))
    assert "could not write the cache entry" in (cache_dir / ".write-errors.log").read_text()
    squatter.unlink()
    with pytest.warns(CacheNote, match="could not be written in the background"):
        kg.load(data=data, cache=True)  # (the Python API writes before it returns)
    assert len(entries(cache_dir)) == 1 and not (cache_dir / ".write-errors.log").exists()


def test_a_load_that_fails_after_its_copy_began_leaves_no_entry_and_no_building_folder(
        cache_dir):
    """The cache's copy of a store begins once the files are read; should the rest of
    the load fail, the copy is stopped and its folder removed: nothing half-written."""
    files = sorted(SEED_DATA.glob("*.t*"))

    def build(begin):
        store = OxigraphStore()
        store.add_triples(URIRef("urn:g"), [(URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c"))])
        begin(store)
        assert list(cache_dir.glob(".building-*/store"))  # the copy has begun
        raise InputError("the load failed after its copy began")

    with pytest.raises(InputError, match="after its copy began"):
        cached_load(files, [], bundle=resolve_bundle(), entail=True, build=build)
    assert entries(cache_dir) == [] and not list(cache_dir.glob(".building-*"))


def test_the_python_api_reopens_the_cached_store_read_only(cache_dir):
    loaded = kg.load(data=SEED_DATA, cache=True)
    reopened = kg.load(data=SEED_DATA, cache=True)
    assert isinstance(reopened.store, OxigraphStore) and reopened.store.read_only
    assert len(reopened.store) == len(loaded.store)
    assert reopened.store.graph_names() == loaded.store.graph_names()
    assert reopened.graph_files == loaded.graph_files
    assert reopened.file_graphs == loaded.file_graphs
    assert kg.query(QUERY, graph=reopened).rows == kg.query(QUERY, graph=loaded).rows
    def named(subject_files):  # blank nodes are fresh per load
        return {s: f for s, f in subject_files.items() if not isinstance(s, BNode)}

    assert named(reopened.subject_files) == named(loaded.subject_files)
    with pytest.raises(InputError, match="Oxigraph"):
        kg.load(data=SEED_DATA, cache=True, store="rdflib")


def test_the_cache_keeps_only_the_entries_used_last(tmp_path, cache_dir):
    for number in range(KEEP + 2):
        folder = Path(shutil.copytree(SEED_DATA, tmp_path / f"data{number}"))
        kg.load(data=folder, cache=True)
    assert len(entries(cache_dir)) == KEEP


# -- kg serve --data: the cached store and the projection kept beside it ----------------

SERVED = ("api/queries/" + QUERY, "api/entities?q=ICESCO&limit=3")


def kg_serve(data: Path, cache_dir: Path, *extra: str) -> tuple[dict[str, object], str]:
    """``kg serve --data DATA`` as a user runs it (one worker): its answers to
    :data:`SERVED` once ready, and what it logged, once stopped."""
    env = {**os.environ, "KG_CACHE_DIR": str(cache_dir)}
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--data", str(data),
                                "--port", "0", "--workers", "1", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env)
    try:
        line = ""
        for line in iter(process.stdout.readline, ""):  # type: ignore[union-attr]
            if "serving http://" in line:
                break
        assert "serving http://" in line, process.communicate(timeout=30)[1]
        url = line.split("serving ", 1)[1].split(" ", 1)[0]
        answers = {path: json.loads(urlopen(url + path, timeout=120).read())
                   for path in SERVED}
    finally:
        process.terminate()
        _, log = process.communicate(timeout=60)
    return answers, log


def kept_projection(cache_dir: Path) -> list[Path]:
    return [path for entry in entries(cache_dir) for path in entry.glob("kg-projection*.pickle")]


def test_a_second_kg_serve_of_unchanged_files_reopens_store_and_projection_and_answers_alike(
        data, cache_dir):
    first, log = kg_serve(data, cache_dir)
    [kept] = kept_projection(cache_dir)  # the store cached, its projection kept beside it
    written = kept.stat().st_mtime_ns
    [entry] = entries(cache_dir)
    second, log = kg_serve(data, cache_dir)
    assert second == first and "note" not in log
    assert kept_projection(cache_dir) == [kept] and kept.stat().st_mtime_ns == written
    assert entries(cache_dir) == [entry], "reopened: no load, no new entry"
    uncached, _ = kg_serve(data, cache_dir, "--no-cache")  # from the files themselves
    assert uncached == first
    assert first[SERVED[0]]["rows"] and first[SERVED[1]]["results"]


def test_kg_serve_sees_a_changed_file_on_its_next_start(data, cache_dir):
    before, _ = kg_serve(data, cache_dir)
    assert "Memorandum of cooperation between" in json.dumps(before)
    article = data / "000_b2925a6198033b1b.trig"
    article.write_text(article.read_text(encoding="utf-8").replace(
        '"Memorandum of cooperation between', '"Memorandum of understanding between'),
        encoding="utf-8")
    entities = data / "entities.ttl"
    entities.write_text(entities.read_text(encoding="utf-8").replace(
        'rdfs:label "ICESCO"@en', 'rdfs:label "ICESCO (Rabat)"@en'), encoding="utf-8")
    after, _ = kg_serve(data, cache_dir)
    assert "Memorandum of understanding between" in json.dumps(after[SERVED[0]])
    assert "Memorandum of cooperation between" not in json.dumps(after[SERVED[0]])
    assert "ICESCO (Rabat)" in json.dumps(after[SERVED[1]])  # the projection is new too
    assert len(kept_projection(cache_dir)) == 2


def test_a_damaged_projection_kept_in_the_cache_is_rebuilt_with_a_note(data, cache_dir):
    first, _ = kg_serve(data, cache_dir)
    [kept] = kept_projection(cache_dir)
    raw = bytearray(kept.read_bytes())
    raw[-100] ^= 0xFF  # same size, different bytes
    kept.write_bytes(bytes(raw))
    second, log = kg_serve(data, cache_dir)
    assert "kg: note: the projection kept in the cache" in log
    assert "SHA-256" in log and second == first
    with open(kept, "rb") as source:  # rebuilt: intact again
        expected = pickle.load(source)["fingerprint"]
    assert snapshot.check(kept, expected, verify=True) is None
