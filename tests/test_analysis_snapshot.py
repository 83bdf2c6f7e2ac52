"""kg.analysis.snapshot: the projection built once -- saved by ``kg build --store-dir`` inside
the store folder, kept beside a store reopened from kg's cache, or written by a server's
parent process -- and loaded by every worker instead of each reading the store; a file
that is not the graph's, or not whole, is never used."""

from __future__ import annotations

import dataclasses
import fcntl
import pickle
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import kg
from kg import cache
from kg.analysis import projection, reading, snapshot
from kg.analysis.projection import Filters, build
from kg.by_identity import ByIdentity
from kg.execute import Limits
from kg.load import open_oxigraph
from kg.synth import synth
from kg.web.service import Service

from .conftest import SEED_DATA, seed_graph


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    kg.build(data=SEED_DATA, out=out / "build", store_dir=out / "oxigraph")
    return out / "oxigraph"


def _saved_input(graph: Any) -> reading.Raw:
    """What a snapshot saves of ``graph``: its projection input, with what the full view
    is built from."""
    raw = reading.read(graph)
    reading.read_all_edges(graph, raw)
    return raw


def _exact(g: Any) -> list[Any]:
    return [list(g.nodes(data=True)), list(g.edges(keys=True, data=True))]


def test_kg_build_store_dir_saves_the_projection_of_the_store_inside_its_folder(
        store_dir: Path) -> None:
    opened = open_oxigraph(store_dir, bundle=seed_graph("oxigraph").bundle)
    path = snapshot.stored(opened)
    assert path == store_dir / snapshot.FILE_NAME
    assert snapshot.check(path, snapshot.fingerprint(opened)) is None
    assert snapshot.sizes(path) == {"graphs": len(opened.store.graph_names()),
                                    "quads": len(opened.store)}
    assert kg.query("cq07-member-since", graph=opened).to_records()[0]["since"] == "1991"


def test_the_saved_projection_and_its_input_are_those_read_from_the_store(
        store_dir: Path) -> None:
    reference = seed_graph("rdflib")
    raw = _saved_input(reference)
    opened = open_oxigraph(store_dir, bundle=reference.bundle)
    assert snapshot.load(opened, store_dir / snapshot.FILE_NAME,
                         expected=snapshot.fingerprint(opened))
    loaded = projection.projection(opened, Filters())
    assert _exact(loaded) == _exact(build(raw, Filters()))
    assert vars(projection.raw_of(opened)) == vars(raw)
    # every other view is built from the loaded input, as it would be from the store
    assert _exact(kg.project(graph=opened, as_of="2005")) == \
        _exact(kg.project(graph=reference, as_of="2005"))


def test_the_build_saves_the_projection_of_its_loaded_graph_as_the_folder_would_give_it(
        store_dir: Path, tmp_path: Path) -> None:
    """kg build reads the projection from the graph it loaded (in memory: twice as fast as
    from the folder it wrote), which holds the very quads it wrote there: read again from
    the folder, the projection and its input are the same."""
    import shutil

    from kg.build import write_projection

    copy = tmp_path / "oxigraph"
    shutil.copytree(store_dir, copy)
    bundle = seed_graph("oxigraph").bundle
    write_projection(copy, bundle=bundle)  # (read from the folder)
    graphs = []
    for folder in (store_dir, copy):
        opened = open_oxigraph(folder, bundle=bundle)
        assert snapshot.load(opened, folder / snapshot.FILE_NAME,
                             expected=snapshot.fingerprint(opened))
        graphs.append(opened)
    assert snapshot.sizes(store_dir / snapshot.FILE_NAME) == \
        snapshot.sizes(copy / snapshot.FILE_NAME)
    assert vars(projection.raw_of(graphs[0])) == vars(projection.raw_of(graphs[1]))
    assert _exact(projection.projection(graphs[0], Filters())) == \
        _exact(projection.projection(graphs[1], Filters()))


def test_the_saved_folded_names_and_undirected_view_are_those_a_worker_would_build(
        store_dir: Path) -> None:
    from kg.analysis import matching, pathfinding

    opened = open_oxigraph(store_dir, bundle=seed_graph("oxigraph").bundle)
    assert snapshot.load(opened, store_dir / snapshot.FILE_NAME,
                         expected=snapshot.fingerprint(opened))
    loaded = projection.projection(opened, Filters())
    with matching._folded_lock, pathfinding._undirected_lock:  # read, not built here
        saved_names, saved_view = matching._folded[loaded], pathfinding._undirected[loaded]
    fresh = build(reading.read(seed_graph("rdflib")), Filters())
    assert saved_names == matching.folded_names(fresh)
    view = pathfinding.undirected(fresh)
    assert list(saved_view.nodes) == list(view.nodes)
    assert list(saved_view.edges) == list(view.edges)
    assert nx.is_frozen(saved_view)


def test_a_saved_projection_of_another_graph_is_refused_and_the_store_is_read(
        store_dir: Path, tmp_path: Path) -> None:
    other = kg.load(data=SEED_DATA, store="oxigraph")
    synthetic = synth(articles=2, seed=3, out=tmp_path / "data").out
    different = kg.load(data=synthetic, store="oxigraph")
    path = store_dir / snapshot.FILE_NAME
    assert snapshot.check(path, snapshot.fingerprint(other)) is None
    assert "another graph" in snapshot.check(path, snapshot.fingerprint(different))
    assert not snapshot.load(different, path, expected=snapshot.fingerprint(different))
    assert _exact(projection.projection(different, Filters())) == \
        _exact(build(reading.read(different), Filters()))


def test_a_file_of_another_format_or_version_or_not_a_projection_is_refused(
        tmp_path: Path, store_dir: Path) -> None:
    path = store_dir / snapshot.FILE_NAME
    with open(path, "rb") as source:
        header = pickle.load(source)
    for change, why in [({"format": snapshot.FORMAT + 1}, "format"),
                        ({"kg_version": "0.0.0"}, "kg 0.0.0 wrote it")]:
        copy = tmp_path / f"{why}.pickle"
        copy.write_bytes(pickle.dumps({**header, **change}))
        assert why in snapshot.check(copy, header["fingerprint"])
    (tmp_path / "junk.pickle").write_bytes(b"not a pickle")
    assert "cannot read it" in snapshot.check(tmp_path / "junk.pickle", header["fingerprint"])


def test_a_store_folder_whose_file_another_kg_wrote_says_to_build_it_again(
        tmp_path: Path, store_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    import shutil

    folder = tmp_path / "oxigraph"
    shutil.copytree(store_dir, folder)
    path = folder / snapshot.FILE_NAME
    with open(path, "rb") as source:
        header = pickle.load(source)
    path.write_bytes(pickle.dumps({**header, "format": snapshot.FORMAT - 1}))
    opened = open_oxigraph(folder, bundle=seed_graph("oxigraph").bundle)
    assert not snapshot.install_saved(opened)
    assert f"building it (each time: kg build --store-dir {folder} saves one this kg " \
        "reads)" in caplog.text


def installed(graph: Any) -> bool:
    """A job: whether this worker uses a saved projection of ``graph``."""
    return projection.installed(graph)


def test_a_server_of_a_built_store_folder_loads_its_projection_in_each_worker(
        store_dir: Path) -> None:
    opened = open_oxigraph(store_dir, bundle=seed_graph("oxigraph").bundle)
    service = Service.start(opened, Limits(timeout=30), workers=2, wait=True)
    try:
        assert service.scratch is None  # the store folder's own file, nothing written
        assert all(service.run(installed) for _ in range(4))
        assert service.sizes()["quads"] == len(opened.store)
    finally:
        service.close()


def test_a_server_of_a_graph_from_files_builds_the_projection_once_and_removes_it() -> None:
    graph = dataclasses.replace(seed_graph("oxigraph"))
    service = Service.start(graph, Limits(timeout=30), workers=2, wait=True)
    scratch = service.scratch
    try:
        assert scratch is not None and scratch.is_file()
        assert all(service.run(installed) for _ in range(4))
    finally:
        service.close()
    assert not scratch.exists()


def test_a_truncated_file_is_refused_and_verify_refuses_one_whose_contents_changed(
        tmp_path: Path, store_dir: Path) -> None:
    path = store_dir / snapshot.FILE_NAME
    with open(path, "rb") as source:
        expected = pickle.load(source)["fingerprint"]
    assert snapshot.check(path, expected, verify=True) is None
    truncated = tmp_path / "truncated.pickle"
    truncated.write_bytes(path.read_bytes()[:-10])
    assert "bytes, not the" in snapshot.check(truncated, expected)
    altered = tmp_path / "altered.pickle"
    raw = bytearray(path.read_bytes())
    raw[-100] ^= 0xFF
    altered.write_bytes(bytes(raw))
    assert snapshot.check(altered, expected) is None  # its header and length are right
    assert "SHA-256" in snapshot.check(altered, expected, verify=True)


def test_a_graph_reopened_from_the_cache_keeps_its_projection_beside_the_cached_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    assert cache.entry_of(kg.load(data=SEED_DATA)) is None  # loaded, not reopened
    graph = kg.load(data=SEED_DATA, cache=True)
    entry = cache.entry_of(graph)
    assert entry is not None and entry.parent == tmp_path / "cache"
    path, expected, scratch = snapshot.for_workers(graph)
    assert path.parent == entry and not scratch  # kept, not removed
    assert snapshot.check(path, expected, verify=True) is None
    assert snapshot.sizes(path) == {"graphs": len(graph.store.graph_names()),
                                    "quads": len(graph.store)}
    written = path.stat().st_mtime_ns
    reopened = kg.load(data=SEED_DATA, cache=True)
    assert snapshot.for_workers(reopened) == (path, expected, False)
    assert path.stat().st_mtime_ns == written  # read, not built again
    assert snapshot.load(reopened, path, expected=expected)
    assert _exact(projection.projection(reopened, Filters())) == \
        _exact(build(reading.read(graph), Filters()))


def test_the_full_view_of_a_saved_projection_is_built_without_reading_the_store(
        store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading every statement between two resources took the whole 10 s of a request at
    10,000 articles, in each worker: the saved input holds them."""
    reference = seed_graph("rdflib")
    opened = open_oxigraph(store_dir, bundle=reference.bundle)
    assert snapshot.load(opened, store_dir / snapshot.FILE_NAME,
                         expected=snapshot.fingerprint(opened))
    assert projection.raw_of(opened).full_read

    views = ({}, {"as_of": "2006"}, {"source": "000_b2925a6198033b1b"})
    expected = [_exact(kg.project(graph=reference, view="full", **options))
                for options in views]

    def no_read(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the store was read")

    monkeypatch.setattr(projection, "read_all_edges", no_read)
    monkeypatch.setattr(reading, "rows", no_read)
    for options, view in zip(views, expected, strict=True):
        assert _exact(kg.project(graph=opened, view="full", **options)) == view, options


def test_the_whole_full_view_is_saved_and_read_with_its_names_not_built(
        store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Building it took 8.5 s at 10,000 articles, in each worker that was asked for it,
    and its names and undirected view more: the file holds them, read when first asked."""
    from kg.analysis import matching, pathfinding

    reference = seed_graph("rdflib")
    expected = _exact(kg.project(graph=reference, view="full"))
    opened = open_oxigraph(store_dir, bundle=reference.bundle)
    assert snapshot.load(opened, store_dir / snapshot.FILE_NAME,
                         expected=snapshot.fingerprint(opened))

    def no_build(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the full view was built")

    monkeypatch.setattr(projection, "build", no_build)
    full = projection.projection(opened, Filters(view="full"))
    assert _exact(full) == expected
    assert projection.projection(opened, Filters(view="full")) is full  # read once
    assert full in matching._folded and full in pathfinding._undirected
    assert kg.search("Goodwill Ambassador", graph=opened, view="full")[0].label.startswith(
        "Goodwill Ambassador")


def test_a_command_installs_the_saved_projection_of_its_graph_and_never_builds_one(
        store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(what ``kg path`` and the other analysis commands do before they fork their
    worker: read once what kg build or a server saved, not every fact of the store)"""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    opened = open_oxigraph(store_dir, bundle=seed_graph("oxigraph").bundle)
    assert snapshot.install_saved(opened) and projection.installed(opened)
    assert _exact(projection.projection(opened, Filters())) == \
        _exact(build(reading.read(opened), Filters()))
    loaded = kg.load(data=SEED_DATA)  # from files, not from the cache: nothing saved
    assert not snapshot.install_saved(loaded) and not projection.installed(loaded)
    cached = kg.load(data=SEED_DATA, cache=True)
    kept = snapshot.kept_path(cached)
    assert not snapshot.install_saved(cached) and not kept.exists()  # none kept: none built
    snapshot.for_workers(cached)  # (what a server does: keeps one)
    assert snapshot.install_saved(kg.load(data=SEED_DATA, cache=True))
    body = bytearray(kept.read_bytes())
    body[-1] ^= 1  # damaged: refused, whole-file checksum
    kept.write_bytes(bytes(body))
    again = kg.load(data=SEED_DATA, cache=True)
    assert not snapshot.install_saved(again) and not projection.installed(again)


def test_the_python_api_reads_the_projection_a_build_saved_as_the_commands_do(
        store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """kg.load(store="oxigraph:DIR") in a notebook, then any analysis: the projection
    kg build saved in the folder is read (at 10,000 articles, 26 s -> 3 s to the first
    answer), the store's facts are not, and the answers are those of a graph loaded from
    the files."""
    opened = kg.load(store=f"oxigraph:{store_dir}")

    def no_reading(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the store was read for the projection")

    monkeypatch.setattr(projection, "read", no_reading)
    first = kg.neighbors("ICESCO", graph=opened)
    assert projection.installed(opened)
    monkeypatch.undo()
    loaded = kg.load(data=SEED_DATA)
    assert first == kg.neighbors("ICESCO", graph=loaded)
    connected = kg.paths("Leyla Aliyeva", "ICESCO", graph=opened)
    assert list(connected) and connected == kg.paths("Leyla Aliyeva", "ICESCO", graph=loaded)
    assert not projection.installed(loaded)  # (from files, not from the cache: none saved)


def test_a_notebooks_cached_load_keeps_its_projection_and_the_next_session_reads_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """kg.load(..., cache=True), then an analysis: the projection is kept beside the
    cached store, as a command keeps it; a new kernel's load of the same files reads it."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    first = kg.neighbors("ICESCO", graph=kg.load(data=SEED_DATA, cache=True))
    [kept] = (tmp_path / "cache").glob("*/kg-projection-*.pickle")

    def no_reading(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the store was read for the projection")

    monkeypatch.setattr(projection, "read", no_reading)
    again = kg.load(data=SEED_DATA, cache=True)
    assert kg.neighbors("ICESCO", graph=again) == first and projection.installed(again)
    assert list((tmp_path / "cache").glob("*/kg-projection-*.pickle")) == [kept]


def test_a_command_keeps_the_projection_it_read_in_the_cache_and_the_next_reads_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 10,000 articles an analysis command read the store's projection every time
    (past its 10 s --timeout); now the first keeps it beside the cached store (once,
    saying so, outside --timeout), and the next read that file: 61 s once, then 2.8 s."""
    from click.testing import CliRunner

    from kg.cli import cli

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    kg.load(data=SEED_DATA, cache=True)  # (the store kept in the cache, as by a first load)
    asked = ["path", "Leyla Aliyeva", "Burkina Faso", "--data", str(SEED_DATA)]
    first = CliRunner().invoke(cli, asked)
    assert first.exit_code == 0, first.output
    assert "keeping it in the cache for the next commands" in first.stderr
    [kept] = (tmp_path / "cache").glob("*/kg-projection-*.pickle")

    def no_reading(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the store was read for the projection")

    monkeypatch.setattr(projection, "read", no_reading)
    again = CliRunner().invoke(cli, asked)
    assert again.exit_code == 0, again.output
    assert again.stdout == first.stdout and "keeping" not in again.stderr
    assert list((tmp_path / "cache").glob("*/kg-projection-*.pickle")) == [kept]
    monkeypatch.undo()
    uncached = CliRunner().invoke(cli, [*asked, "--no-cache"])  # nowhere to keep it
    assert uncached.stdout == first.stdout and "keeping" not in uncached.stderr


@pytest.fixture()
def no_preload(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a test preloads in this process is forgotten after it."""
    monkeypatch.setattr(snapshot, "_preloaded", None)
    monkeypatch.setattr(snapshot, "_shared", ByIdentity())


def test_a_preloaded_projection_is_used_as_it_is_by_a_graph_whose_file_it_is(
        store_dir: Path, no_preload: None) -> None:
    from kg.analysis import matching, pathfinding

    path = store_dir / snapshot.FILE_NAME
    assert snapshot.preload(path)
    preloaded = snapshot._preloaded.actors
    assert preloaded in matching._folded and preloaded in pathfinding._undirected
    opened = open_oxigraph(store_dir, bundle=seed_graph("oxigraph").bundle)
    assert snapshot.load(opened, path, expected=snapshot.fingerprint(opened))
    assert snapshot.shared(opened)
    assert projection.projection(opened, Filters()) is preloaded  # nothing read again
    reference = seed_graph("rdflib")
    assert _exact(preloaded) == _exact(build(reading.read(reference), Filters()))
    assert vars(projection.raw_of(opened)) == vars(_saved_input(reference))


def test_a_preloaded_projection_is_not_used_for_another_graph_nor_a_replaced_file(
        store_dir: Path, tmp_path: Path, no_preload: None) -> None:
    copy = tmp_path / snapshot.FILE_NAME
    copy.write_bytes((store_dir / snapshot.FILE_NAME).read_bytes())
    assert snapshot.preload(copy)
    synthetic = synth(articles=2, seed=3, out=tmp_path / "data").out
    different = kg.load(data=synthetic, store="oxigraph")
    assert not snapshot.load(different, copy, expected=snapshot.fingerprint(different))
    assert not snapshot.shared(different)
    # the same bytes written again are another file: read, not taken from the preload
    opened = open_oxigraph(store_dir, bundle=seed_graph("oxigraph").bundle)
    replaced = tmp_path / "replaced.pickle"
    replaced.write_bytes(copy.read_bytes())
    replaced.replace(copy)
    assert snapshot.load(opened, copy, expected=snapshot.fingerprint(opened))
    assert not snapshot.shared(opened)
    assert projection.projection(opened, Filters()) is not snapshot._preloaded.actors


def test_a_file_that_is_not_a_projection_is_not_preloaded(tmp_path: Path,
                                                          no_preload: None) -> None:
    (tmp_path / "junk.pickle").write_bytes(b"not a pickle")
    assert not snapshot.preload(tmp_path / "junk.pickle")
    assert not snapshot.preload(tmp_path / "missing.pickle")
    truncated = tmp_path / "truncated.pickle"
    truncated.write_bytes(pickle.dumps({"format": snapshot.FORMAT,
                                        "kg_version": kg.__version__,
                                        "fingerprint": "x", "lengths": [10, 10]}))
    assert not snapshot.preload(truncated)
    assert snapshot._preloaded is None


_SHARED_SERVER = """
import json, sys
from pathlib import Path
from kg.analysis import jobs, snapshot
from kg.execute import Limits, start_fork_server
from kg.load import open_oxigraph, resolve_bundle
from kg.web.service import Service


def main() -> None:
    folder = Path(sys.argv[1])
    saved = str(folder / snapshot.FILE_NAME)
    start_fork_server(preload=["kg.analysis.preload"],
                      environment={snapshot.PRELOAD_VARIABLE: saved})
    assert snapshot.PRELOAD_VARIABLE not in __import__("os").environ  # the fork server's only
    graph = open_oxigraph(folder, bundle=resolve_bundle(data=sys.argv[2]))
    service = Service.start(graph, Limits(timeout=60), workers=2, wait=True)
    try:
        states = [service.run(jobs.prepared_job, 50.0) for _ in range(4)]
        found = service.run(jobs.search_job, dict(text="almalik", limit=1, view="actors",
                            as_of=None, reported_by=None, source=None, node_types=[]))
        print(json.dumps({"shared": [s["shared"] for s in states],
                          "names": [s["names"] for s in states],
                          "label": found["results"][0]["label"]}))
    finally:
        service.close()


if __name__ == "__main__":  # workers import this script again
    main()
"""


def test_workers_forked_from_a_fork_server_that_preloaded_the_projection_share_it(
        store_dir: Path, tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    script = tmp_path / "shared_server.py"
    script.write_text(_SHARED_SERVER, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(store_dir), str(SEED_DATA)],
                          check=False, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ))
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer == {"shared": [True] * 4, "names": [True] * 4,
                      "label": "Salim bin Mohammed Al-Malik"}


def test_kg_serve_has_the_fork_server_preload_the_projection_of_a_store_folder_only(
        store_dir: Path, tmp_path: Path) -> None:
    from kg.cli import _projection_preload

    assert _projection_preload(f"oxigraph:{store_dir}") == {
        "preload": ["kg.analysis.preload"],
        "environment": {snapshot.PRELOAD_VARIABLE: str((store_dir / snapshot.FILE_NAME)
                                                       .resolve())}}
    for other in ("oxigraph", "rdflib", f"oxigraph:{tmp_path}", "sparql+http://127.0.0.1:1/q"):
        assert _projection_preload(other) == {}


def test_a_loaded_projection_reads_on_from_its_file_once_removed(
        store_dir: Path, tmp_path: Path) -> None:
    """(a newer kg prunes the projections an older one kept in the cache while a server of
    the older one may still be running: what it has not read yet it reads from the file
    it opened)"""
    copy = tmp_path / snapshot.FILE_NAME
    copy.write_bytes((store_dir / snapshot.FILE_NAME).read_bytes())
    opened = open_oxigraph(store_dir, bundle=seed_graph("oxigraph").bundle)
    assert snapshot.load(opened, copy, expected=snapshot.fingerprint(opened))
    with open(copy, "rb") as other:  # the next worker's turn: the file held open is unlocked
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    copy.unlink()
    assert projection.raw_of(opened).full_read
    assert projection.projection(opened, Filters(view="full")).number_of_nodes() > 0


def test_the_projections_other_code_kept_in_a_cache_entry_are_pruned_once_old(
        tmp_path: Path) -> None:
    import os
    import time

    def kept(name: str, hours: float) -> Path:
        path = tmp_path / f"kg-projection-{name}.pickle"
        path.write_bytes(b"x")
        Path(f"{path}.measures").write_bytes(b"m")
        then = time.time() - hours * 3600
        os.utime(path, (then, then))
        return path

    old, recent, current = kept("old", 30), kept("recent", 0.1), kept("current", 40)
    other = tmp_path / "store.oxigraph"
    other.write_bytes(b"s")
    assert snapshot.prune_kept(tmp_path, but=current) == [old]
    assert not old.exists() and not Path(f"{old}.measures").exists()
    assert recent.exists() and current.exists() and Path(f"{current}.measures").exists()
    assert other.exists()


def test_a_projection_goes_with_its_graph_not_when_its_id_comes_round_again() -> None:
    """What is worked out once per loaded graph (its projection input, its projections, an
    installed view, the articles' index, the names of its entities) is kept by the graph's
    identity, and dropped when the graph is collected: a notebook that loads graph after
    graph held each one's input (hundreds of MB at 10,000 articles) until another object
    took its id, and its last 32 projections until 32 others were made."""
    import gc
    import weakref

    from kg.analysis import articles
    from kg.suggest import _candidates

    before = len(projection._raw_cache), len(articles._indexes)
    graph = kg.load(data=SEED_DATA, store="oxigraph")
    raw = projection.raw_of(graph)
    articles.articles(graph)
    _candidates(graph)
    assert projection.raw_of(graph) is raw  # read once per graph
    people = projection.projection(graph, Filters(node_types=("Person",)))
    assert projection.projection(graph, Filters(node_types=("Person",))) is people  # kept
    gone = weakref.ref(raw), weakref.ref(people)
    del graph, raw, people
    gc.collect()
    assert [ref() for ref in gone] == [None, None]
    assert (len(projection._raw_cache), len(articles._indexes)) == before
