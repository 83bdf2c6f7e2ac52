"""The heavy measures on a fast engine (igraph) give networkx's answers; networkx stays the
reference, and ``engine="auto"`` picks igraph on large graphs only.

Betweenness is a number: igraph's must equal networkx's to floating-point rounding, and the
centrality tables must be identical. Louvain is a randomized heuristic (its partition
depends on the visiting order and the random draws, so two correct implementations return
different partitions of equally good modularity): each engine must repeat itself exactly
with a seed, and across engines the partitions must be of the same quality (modularity,
measured by networkx, within 0.03) and largely the same membership (normalized mutual
information at least 0.7). See :mod:`kg.analysis.engines`.
"""

from __future__ import annotations

import json
import random
from typing import Any

import igraph
import networkx as nx
import pytest
from click.testing import CliRunner

import kg
from kg.analysis import engines
from kg.analysis.engines import AUTO_NODES, betweenness, choose, louvain
from kg.analysis.pathfinding import undirected
from kg.cli import cli
from kg.errors import ParameterError
from kg.synth import synth

from .conftest import SEED_DATA, seed_graph


@pytest.fixture(scope="module")
def synth_graph(tmp_path_factory: pytest.TempPathFactory) -> kg.KnowledgeGraph:
    corpus = synth(articles=20, seed=3, out=tmp_path_factory.mktemp("synth") / "data")
    return kg.load(data=corpus.out, store="oxigraph")


@pytest.fixture(params=["bundled", "synth"])
def projected(request: pytest.FixtureRequest, synth_graph: kg.KnowledgeGraph) -> Any:
    graph = seed_graph() if request.param == "bundled" else synth_graph
    return graph, undirected(kg.project(graph=graph))


def test_igraph_betweenness_equals_networkx(projected: Any) -> None:
    _, simple = projected
    reference = nx.betweenness_centrality(simple)
    fast = betweenness(simple, engine="igraph")
    assert fast.keys() == reference.keys()
    assert fast == pytest.approx(reference, abs=1e-12)
    assert any(value > 0 for value in reference.values())


def test_the_centrality_table_is_identical_on_both_engines(projected: Any) -> None:
    graph, _ = projected
    reference = kg.centrality(graph=graph, engine="networkx")
    assert kg.centrality(graph=graph, engine="igraph").rows == reference.rows


def _membership(graph: nx.Graph, partition: list[set[Any]]) -> list[int]:
    index = {node: i for i, node in enumerate(graph)}
    found = [0] * len(graph)
    for number, members in enumerate(partition):
        for node in members:
            found[index[node]] = number
    return found


def test_igraph_louvain_repeats_itself_with_a_seed_and_leaves_the_global_random_alone(
        projected: Any) -> None:
    _, simple = projected
    state = random.getstate()
    first = louvain(simple, seed=42, engine="igraph")
    assert random.getstate() == state
    assert louvain(simple, seed=42, engine="igraph") == first
    assert set().union(*first) == set(simple), "a partition of every node"


@pytest.mark.parametrize("seed", [42, 7])
def test_igraph_louvain_finds_communities_as_good_and_as_alike_as_networkx(
        projected: Any, seed: int) -> None:
    _, simple = projected
    reference = louvain(simple, seed=seed, engine="networkx")
    fast = louvain(simple, seed=seed, engine="igraph")
    quality = nx.community.modularity(simple, reference)
    assert nx.community.modularity(simple, fast) == pytest.approx(quality, abs=0.03)
    assert igraph.compare_communities(_membership(simple, reference),
                                      _membership(simple, fast), method="nmi") >= 0.7


def test_auto_runs_igraph_from_the_size_threshold_up_and_networkx_below() -> None:
    assert choose("auto", nx.path_graph(AUTO_NODES - 1)) == "networkx"
    assert choose("auto", nx.path_graph(AUTO_NODES)) == "igraph"
    assert choose("networkx", nx.path_graph(AUTO_NODES)) == "networkx"


def test_an_unknown_engine_is_refused_naming_the_choices() -> None:
    with pytest.raises(ParameterError, match="engine must be one of auto, networkx, igraph"):
        kg.centrality(graph=seed_graph(), engine="fast")


def test_asking_for_igraph_without_it_installed_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engines, "_igraph", lambda: None)
    assert choose("auto", nx.path_graph(AUTO_NODES)) == "networkx"
    with pytest.raises(ParameterError, match="pip install igraph"):
        choose("igraph", nx.path_graph(3))


def test_the_cli_takes_the_engine_and_prints_the_same_centralities() -> None:
    def run(*args: str) -> Any:
        result = CliRunner().invoke(cli, [*args, "--data", str(SEED_DATA), "--format", "json",
                                          "--timeout", "300"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    assert run("centrality", "--engine", "igraph") == run("centrality", "--engine", "networkx")
    assert run("communities", "--engine", "igraph")["rows"]
