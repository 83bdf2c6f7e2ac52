"""The whole graph's centrality measures are computed once and reused: in memory per
projection, in a file beside the projection's snapshot (checked against the snapshot it
was computed from), and by a server, in the background from its start, so that a request
for the whole graph's centrality never pays for exact betweenness (17.7 s at 10,000
articles, past the time limit of a request)."""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path

import pytest

import kg
from kg.analysis import kept_measures, snapshot
from kg.analysis.projection import Filters, build, projection
from kg.analysis.reading import read
from kg.errors import ParameterError
from kg.execute import Limits
from kg.load import open_oxigraph
from kg.web import create_app
from kg.web.service import KeptMeasures, Service

from .conftest import seed_graph


@pytest.fixture()
def actors():
    return projection(seed_graph("oxigraph"), Filters())


def test_the_centrality_table_is_computed_from_the_measures_kept_for_its_projection(
        actors) -> None:
    first = kept_measures.measures(actors)
    assert kept_measures.recalled(actors) is first
    assert kept_measures.measures(actors) is first  # not computed again
    table = kg.centrality(graph=seed_graph("oxigraph"), by="pagerank")
    assert {row["iri"]: row["pagerank"] for row in table} == {
        node: round(value, 6) for node, value in first["pagerank"].items()}


def test_betweenness_of_a_large_graph_is_computed_only_when_asked_for_or_known(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """(sorted by degree at 10,000 articles, a filtered graph was a 503: its exact
    betweenness takes minutes, and the table had it in every row)"""
    from kg.analysis import measures

    graph = kg.load(store="oxigraph")  # its projections: none measured yet
    monkeypatch.setattr(measures, "QUICK_BETWEENNESS", 0)  # every graph is large
    by_degree = kg.centrality(graph=graph, by="degree", as_of="2024")
    assert by_degree[0]["degree"] > 0 and by_degree[0]["pagerank"] > 0
    assert {row["betweenness"] for row in by_degree} == {None}
    by_betweenness = kg.centrality(graph=graph, by="betweenness", as_of="2024")
    assert by_betweenness[0]["betweenness"] > 0
    known = kg.centrality(graph=graph, by="degree", as_of="2024")  # computed now: given
    assert {row["iri"]: row["betweenness"] for row in known} == \
        {row["iri"]: row["betweenness"] for row in by_betweenness}
    assert known.to_json()["total"] == len(known) == len(kg.project(graph=graph,
                                                                     as_of="2024"))
    first = kg.centrality(graph=graph, limit=3).to_json()
    assert (first["count"], first["total"]) == (3, len(kg.project(graph=graph)))


def test_measures_computed_by_one_engine_are_not_given_for_another() -> None:
    fresh = build(read(seed_graph("oxigraph")), Filters())  # a projection no test used
    kept_measures.remember(fresh, {"engine": "igraph", "betweenness": {}, "pagerank": {}})
    assert kept_measures.recalled(fresh, "igraph")["betweenness"] == {}
    assert kept_measures.recalled(fresh, "networkx") is None
    assert kept_measures.recalled(fresh, "auto") is None  # auto: networkx, at this size
    assert kept_measures.measures(fresh, engine="networkx")["engine"] == "networkx"
    with pytest.raises(ParameterError, match="engine must be one of"):
        kept_measures.recalled(fresh, "fast")


def test_a_measures_file_is_read_only_for_the_snapshot_it_was_computed_from(
        actors, tmp_path: Path) -> None:
    found = kept_measures.compute(actors)
    path = kept_measures.save(tmp_path / "kg-projection.pickle.measures", found, stamp="a")
    assert kept_measures.load(path, stamp="a") == found
    assert kept_measures.load(path, stamp="b") is None
    assert kept_measures.load(tmp_path / "absent", stamp="a") is None
    path.write_bytes(b"not a pickle")
    assert kept_measures.load(path, stamp="a") is None
    path.write_bytes(pickle.dumps({"format": 0, "stamp": "a"}))
    assert kept_measures.load(path, stamp="a") is None


def test_the_stamp_of_a_snapshot_is_the_checksum_its_header_records(tmp_path: Path) -> None:
    saved = snapshot.save(seed_graph("oxigraph"), tmp_path / snapshot.FILE_NAME)
    with open(saved, "rb") as source:
        assert snapshot.stamp(saved) == pickle.load(source)["sha256"]
    assert kept_measures.path_for(saved).name == "kg-projection.pickle.measures"
    assert snapshot.stamp(tmp_path / "absent") is None


def test_a_server_computes_the_whole_graphs_measures_once_in_the_background() -> None:
    graph = seed_graph("oxigraph")
    service = Service.start(graph, Limits(timeout=10), workers=2, wait=True)
    try:
        kept = service.measures
        assert kept is not None and kept.ready(30)
        assert kept.outcome == "computed"
        found = kept_measures.load(kept.path, stamp=kept.stamp)
        assert found is not None
        assert found["betweenness"] == kept_measures.compute(
            projection(graph, Filters()))["betweenness"]
        path = kept.path
    finally:
        service.close()
    assert not path.exists()  # beside a scratch projection file: removed with it


def test_a_servers_centrality_of_the_whole_graph_is_the_one_computed_in_the_background(
        ) -> None:
    graph = seed_graph("oxigraph")
    app = create_app({"GRAPH": graph, "WORKERS": 2})
    try:
        assert app.extensions["kg"].measures.ready(30)
        client = app.test_client()
        assert client.get("/-/health").json["centrality"] == "computed"
        for by in ("betweenness", "degree", "pagerank"):
            served = client.get(f"/api/centrality?by={by}&limit=100").json
            assert served == kg.centrality(graph=graph, by=by, limit=100).to_json()
        part = client.get("/api/centrality?type=Person&limit=100").json
        assert part == kg.centrality(graph=graph, node_types=["Person"], limit=100).to_json()
    finally:
        app.extensions["kg"].close()


def test_a_request_for_the_whole_graph_while_its_measures_are_computed_waits_then_is_a_503(
        ) -> None:
    # (the wait for the measures is the time limit; a request for part of the graph must
    # answer within it from a worker's first load, on a busy machine too: 0.5 s was a 503
    # there once)
    app = create_app({"GRAPH": seed_graph("oxigraph"), "WORKERS": 2, "QUERY_TIMEOUT": 3})
    service = app.extensions["kg"]
    service.measures.ready(30)
    finished = service.measures
    service.measures = KeptMeasures(finished.path, finished.stamp, threading.Event(),
                                    cleanup=None, started=finished.started)
    try:
        answer = app.test_client().get("/api/centrality")
        assert answer.status_code == 503
        assert answer.headers["Retry-After"]
        message = answer.json["error"]["message"]
        assert "computed once, in the background" in message and "try again" in message
        # part of the graph does not wait for the whole graph's measures
        assert app.test_client().get("/api/centrality?type=Person").status_code == 200
        # nor does a request by degree or PageRank (its betweenness: computed, when quick)
        by_degree = app.test_client().get("/api/centrality?by=degree")
        assert by_degree.status_code == 200 and by_degree.json["rows"][0]["degree"] > 0
    finally:
        service.measures = finished
        service.close()


def test_measures_kept_beside_a_cached_projection_serve_the_next_start_and_a_notebook(tmp_path: Path,
                                                                      monkeypatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    from .conftest import SEED_DATA

    paths = []
    for outcome in ("computed", "kept"):
        graph = kg.load(data=SEED_DATA, cache=True)
        service = Service.start(graph, Limits(timeout=10), workers=2, wait=True)
        try:
            assert service.measures.ready(30)
            assert service.measures.outcome == outcome
            paths.append(service.measures.path)
        finally:
            service.close()
    assert paths[0] == paths[1] and paths[0].exists()
    assert (tmp_path / "cache") in paths[0].parents
    assert kept_measures.find(graph) == (str(paths[0]), service.measures.stamp)
    # a notebook's kg.centrality on the same files reads them (altered: the answer follows)
    found = kept_measures.load(paths[0], stamp=service.measures.stamp)
    found["pagerank"] = dict.fromkeys(found["pagerank"], 0.25)
    kept_measures.save(paths[0], found, stamp=service.measures.stamp)
    table = kg.centrality(graph=kg.load(data=SEED_DATA, cache=True), by="pagerank", limit=2)
    assert [row["pagerank"] for row in table] == [0.25, 0.25]


@pytest.fixture()
def store_folder(tmp_path: Path, monkeypatch) -> Path:
    """A store folder ``kg build --store-dir`` wrote, kg's cache empty in ``tmp_path``."""
    from .conftest import SEED_DATA

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "oxigraph"
    kg.build(data=SEED_DATA, out=tmp_path / "build", store_dir=folder)
    return folder


def test_a_store_folders_measures_are_kept_in_kgs_cache_never_in_the_folder(
        tmp_path: Path, store_folder: Path) -> None:
    """and ``kg centrality`` on that folder answers from them"""
    from kg.analysis.jobs import centrality_job

    folder = store_folder
    before = sorted(p.name for p in folder.iterdir())
    graph = open_oxigraph(folder, bundle=seed_graph("oxigraph").bundle)
    assert kept_measures.find(graph) is None
    for outcome in ("computed", "kept"):
        service = Service.start(graph, Limits(timeout=10), workers=2, wait=True)
        try:
            assert service.measures.ready(30)
            assert service.measures.outcome == outcome
            path = service.measures.path
        finally:
            service.close()
        assert path.parent == tmp_path / "cache" / ".measures" and path.exists()
    assert sorted(p.name for p in folder.iterdir()) == before
    assert kept_measures.find(graph) == (str(path), service.measures.stamp)
    # what the file holds is what a query answers (the file altered: the answer follows)
    found = kept_measures.load(path, stamp=service.measures.stamp)
    found["pagerank"] = dict.fromkeys(found["pagerank"], 0.5)
    kept_measures.save(path, found, stamp=service.measures.stamp)
    table = centrality_job(graph, {"by": "pagerank", "limit": 3})
    assert [row["pagerank"] for row in table["rows"]] == [0.5, 0.5, 0.5]


def test_the_cache_keeps_the_measures_of_the_last_store_folders_only(tmp_path: Path,
                                                                    monkeypatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    found = {"engine": "networkx", "betweenness": {}, "pagerank": {}}
    (tmp_path / ".measures").mkdir()
    for n in range(kept_measures.KEEP + 3):
        path = kept_measures.save(kept_measures.cached_path(f"s{n}"), found, stamp=f"s{n}")
        os.utime(path, (n, n))
    kept_measures.prune_cached()
    assert sorted(p.name for p in (tmp_path / ".measures").iterdir()) == sorted(
        f"s{n}.measures" for n in range(3, kept_measures.KEEP + 3))


def test_a_server_of_one_worker_does_not_give_it_to_the_measures_but_reads_kept_ones(
        tmp_path: Path, monkeypatch) -> None:
    """(computed in the background, they would hold the only worker: minutes at 10,000
    articles, while every request waits)"""
    from .conftest import SEED_DATA

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    graph = kg.load(data=SEED_DATA, cache=True)
    alone = Service.start(graph, Limits(timeout=10), workers=1, wait=True)
    try:
        assert alone.measures is None
    finally:
        alone.close()
    for workers, outcome in ((2, "computed"), (1, "kept")):
        service = Service.start(graph, Limits(timeout=10), workers=workers, wait=True)
        try:
            assert service.measures.ready(30) and service.measures.outcome == outcome
        finally:
            service.close()


def test_measures_a_notebook_computes_are_kept_for_the_next_session_and_server(
        tmp_path: Path, monkeypatch) -> None:
    """(at 10,000 articles exact betweenness takes minutes: computed at every session, and
    by every command, until a server happened to keep it)"""
    from .conftest import SEED_DATA

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    kg.load(data=SEED_DATA, cache=True)  # loaded from the files, kept in the cache
    graph = kg.load(data=SEED_DATA, cache=True)  # reopened: its projection kept with it
    assert kept_measures.find(graph) is None
    kg.centrality(graph=graph)
    path, stamp = kept_measures.find(graph)
    assert (tmp_path / "cache") in Path(path).parents
    assert kept_measures.load(path, stamp=stamp) == kept_measures.recalled(
        projection(graph, Filters()))
    # the next session reads them (altered: the answer follows), and so does a server
    found = kept_measures.load(path, stamp=stamp)
    found["pagerank"] = dict.fromkeys(found["pagerank"], 0.25)
    kept_measures.save(path, found, stamp=stamp)
    table = kg.centrality(graph=kg.load(data=SEED_DATA, cache=True), by="pagerank", limit=2)
    assert [row["pagerank"] for row in table] == [0.25, 0.25]
    service = Service.start(kg.load(data=SEED_DATA, cache=True), Limits(timeout=10),
                            workers=2, wait=True)
    try:
        assert service.measures.ready(30) and service.measures.outcome == "kept"
    finally:
        service.close()


def test_a_filtered_projections_measures_and_those_of_a_graph_with_no_saved_projection_are_not_kept(
        tmp_path: Path, monkeypatch) -> None:
    from .conftest import SEED_DATA

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    kg.load(data=SEED_DATA, cache=True)
    graph = kg.load(data=SEED_DATA, cache=True)
    kg.centrality(graph=graph, as_of="2024")
    assert kept_measures.find(graph) is None
    scratch = kg.load(data=SEED_DATA, store="rdflib")
    kg.centrality(graph=scratch)
    assert kept_measures.where(scratch) is None
    assert not list((tmp_path / "cache").rglob(f"*{kept_measures.SUFFIX}"))


def test_kg_centrality_keeps_the_whole_graphs_measures_for_the_next_command(
        tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    from .conftest import SEED_DATA

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    first = CliRunner().invoke(cli, ["centrality", "--data", str(SEED_DATA), "--limit", "2"])
    assert first.exit_code == 0, first.output
    [path] = (tmp_path / "cache").rglob(f"*{kept_measures.SUFFIX}")
    record = pickle.loads(path.read_bytes())
    record["betweenness"] = dict.fromkeys(record["betweenness"], 0.5)
    path.write_bytes(pickle.dumps(record))
    again = CliRunner().invoke(cli, ["centrality", "--data", str(SEED_DATA), "--limit", "2"])
    assert again.exit_code == 0, again.output
    assert [line.split()[1] for line in again.stdout.splitlines()[1:]] == ["0.5000"] * 2


def test_kg_centrality_stopped_at_its_time_limit_says_what_answers_sooner(monkeypatch) -> None:
    import time

    from click.testing import CliRunner

    from kg.cli import cli

    def slow(graph, *, engine="auto"):
        time.sleep(5)

    monkeypatch.setattr(kept_measures, "compute", slow)  # the worker is forked: it has it
    result = CliRunner().invoke(cli, ["centrality", "--timeout", "0.5", "--no-cache"])
    assert result.exit_code == 3
    assert "--by degree or --by pagerank answers without it; computed once, the whole " \
           "graph's is kept for the next commands" in result.output
    assert result.output.rstrip().endswith("give it more time with --timeout SECONDS")
    filtered = CliRunner().invoke(cli, ["centrality", "--timeout", "0.5", "--no-cache",
                                        "--as-of", "2024"])
    assert filtered.exit_code == 3  # (a filtered graph's measures are not kept)
    assert "--by pagerank answers without it); give it more time" in filtered.output


def test_measures_computed_on_a_store_folder_are_kept_in_kgs_cache_never_in_the_folder(
        tmp_path: Path, store_folder: Path) -> None:
    folder = store_folder
    before = sorted(p.name for p in folder.iterdir())
    graph = kg.load(store=f"oxigraph:{folder}")
    kg.centrality(graph=graph)
    path, stamp = kept_measures.find(graph)
    assert Path(path).parent == tmp_path / "cache" / ".measures"
    assert stamp == snapshot.stamp(folder / snapshot.FILE_NAME)
    assert sorted(p.name for p in folder.iterdir()) == before
