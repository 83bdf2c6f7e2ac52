"""kg.analysis.snapshot: the projection built once -- saved by ``kg build --store-dir`` inside
the store folder, kept beside a store reopened from kg's cache, or written by a server's
parent process -- and loaded by every worker instead of each reading the store; a file
that is not the graph's, or not whole, is never used."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path
from typing import Any

import pytest

import kg
from kg import cache
from kg.analysis import projection, reading, snapshot
from kg.analysis.projection import Filters, build
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
    raw = reading.read(reference)
    opened = open_oxigraph(store_dir, bundle=reference.bundle)
    assert snapshot.load(opened, store_dir / snapshot.FILE_NAME,
                         expected=snapshot.fingerprint(opened))
    loaded = projection.projection(opened, Filters())
    assert _exact(loaded) == _exact(build(raw, Filters()))
    assert vars(projection.raw_of(opened)) == vars(raw)
    # every other view is built from the loaded input, as it would be from the store
    assert _exact(kg.project(graph=opened, as_of="2005")) == \
        _exact(kg.project(graph=reference, as_of="2005"))


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


def installed(graph: Any) -> bool:
    """A job: whether this worker uses a saved projection of ``graph``."""
    return projection._installed_for(graph) is not None


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
