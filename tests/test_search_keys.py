"""The search keys (kg.search_keys): every name folded once when the store is loaded, so
that the search named query scans keys instead of folding every name at every search.

The answers must be exactly those of folding every name in SPARQL at every search (the
query as it was before the keys, kept as tests/fixtures/search-by-scan.rq), on every
backend, for names Python folds as the engines do and for names it may not (characters
outside ASCII and the accented letters the query lists: Oxigraph folds those itself).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.namespaces import ENTAILED_GRAPH, KG
from kg.queries import NamedQuery, named_query
from kg.search_keys import fold, search_key
from kg.store import BACKENDS
from tests.test_queries import _normalized

FIXTURES = Path(__file__).parent / "fixtures"

#: names that exercise the folding: plain, accented as the query lists, and beyond it
NAMES = {
    "org-a": ("Salim bin Mohammed Al-Malik Foundation", "al-Malik Fund"),
    "org-b": ("Bakı Cultural Centre", "ĪCESCO Office"),
    "org-c": ("Dvořák Institute", "Straße Forum"),
    "org-d": ("Ωmega Holdings", "İstanbul Forum"),
    "org-e": ("Łódź Council", "Cafe\u0301 Society"),
    "org-f": ("Côte d’Ivoire Desk", "N\u2019Djamena Office"),
}
#: a thing that is not a person, an organization or a place (listed after them)
OTHERS = {"agreement-a": ("Forum Agreement", "Atlas Office Pact")}
TEXTS = ["Al Malik", "almalik", "baki", "Baků", "icesco", "dvorak", "dvořák", "strasse",
         "straße", "ωmega", "istanbul", "İstanbul", "lodz", "łódź", "cafe", "café",
         "cotedivoire", "d’Ivoire", "ndjamena", "forum", "office", " - ", "o"]


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, kg.KnowledgeGraph]:
    data = tmp_path_factory.mktemp("names")
    lines = ["@prefix kg: <https://w3id.org/kg/ontology#> .",
             "@prefix kgr: <https://w3id.org/kg/id/> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."]
    for local, (label, other) in NAMES.items():
        lines.append(f'kgr:{local} a kg:Organization ; rdfs:label "{label}"@en ; '
                     f'skos:altLabel "{other}" .')
    for local, (label, other) in OTHERS.items():
        lines.append(f'kgr:{local} a kg:Agreement ; rdfs:label "{label}"@en ; '
                     f'skos:altLabel "{other}" .')
    (data / "entities.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {backend: kg.load(data=data, store=backend) for backend in BACKENDS}


def _answers(query: NamedQuery, graph: kg.KnowledgeGraph, text: str) -> list[dict]:
    return query.run(graph, {"text": text}).to_records()


def test_a_key_is_the_folded_name_a_space_and_the_name():
    assert fold("Salim bin Mohammed Al-Malik") == "salimbinmohammedalmalik"
    assert search_key("ĪCESCO Office") == "icescooffice ĪCESCO Office"


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_name_has_one_key_in_the_entailed_graph(graphs, backend):
    keys = list(graphs[backend].store.quads((None, KG.searchKey, None)))
    assert {g for *_, g in keys} == {ENTAILED_GRAPH}
    named = {(str(s), str(o).split(" ", 1)[1]) for s, _, o, _ in keys
             if str(s).startswith("https://w3id.org/kg/id/")}
    assert named == {(f"https://w3id.org/kg/id/{local}", name)
                     for local, names in (NAMES | OTHERS).items() for name in names}


def _sorted(rows: list[dict]) -> list[str]:
    return sorted(repr(sorted(row.items())) for row in rows)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("text", TEXTS)
def test_search_finds_what_folding_every_name_at_every_search_finds(graphs, backend, text):
    scan = _answers(NamedQuery.from_file(FIXTURES / "search-by-scan.rq"), graphs[backend],
                    text)
    found = _answers(named_query("search"), graphs[backend], text)
    assert {row.pop("matches") for row in found} <= {len({row["entity"] for row in scan})}
    assert _sorted(found) == _sorted(scan)


@pytest.mark.parametrize("backend", BACKENDS)
def test_search_lists_people_organizations_and_places_first_then_by_folded_name(
        graphs, backend):
    rows = kg.query("search", graph=graphs[backend], text="o").to_records()
    things = list(dict.fromkeys(row["entity"] for row in rows))
    keys: dict[str, set[str]] = {}
    for s, _, key, _ in graphs[backend].store.quads((None, KG.searchKey, None)):
        keys.setdefault(str(s), set()).add(str(key).split(" ", 1)[0])
    first = {f"https://w3id.org/kg/id/{local}" for local in NAMES}
    assert things == sorted(things, key=lambda iri: (iri not in first, min(keys[iri]), iri))
    assert things[-1] == "https://w3id.org/kg/id/agreement-a"  # not first, though "forum.."
    assert {row["matches"] for row in rows} == {len(things)}


def test_the_entity_query_does_not_list_the_search_keys(graphs):
    rows = kg.query("entity", graph=graphs["oxigraph"], entity="kgr:org-a").to_records()
    assert rows and str(KG.searchKey) not in {row["property"] for row in rows}


@pytest.mark.parametrize("backend", BACKENDS)
def test_derived_triples_are_in_their_graph_and_the_union_at_once(backend):
    from rdflib import Literal, URIRef

    from kg.store import Store

    store = Store(backend)
    thing = URIRef("urn:thing")
    store.add_triples(URIRef("urn:article"), [(thing, KG.date, Literal("2015-01-02"))])
    store.add_derived(ENTAILED_GRAPH, [(thing, KG.dateKey, Literal("2015-01"))])
    assert list(store.quads((None, KG.dateKey, None))) == \
        [(thing, KG.dateKey, Literal("2015-01"), ENTAILED_GRAPH)]
    rows = store.query("SELECT ?s ?o WHERE { ?s <https://w3id.org/kg/ontology#dateKey> ?o }")
    assert [tuple(row) for row in rows] == [(thing, Literal("2015-01"))]


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_named_thing_has_one_place_in_a_search_block_whose_entry_holds_its_folded_names(
        graphs, backend):
    store = graphs[backend].store
    texts = {str(s).rsplit("#search-block-", 1)[1]: str(o)
             for s, _, o, _ in store.quads((None, KG.searchText, None))}
    places = {}
    for s, _, o, g in store.quads((None, KG.searchBlock, None)):
        assert g == ENTAILED_GRAPH and s not in places
        places[s] = str(o)
    assert len(set(places.values())) == len(places)
    for s, _, key, _ in store.quads((None, KG.searchKey, None)):
        block, place = places[s].split(".")
        entries = dict(entry.split(":") for entry in texts[block].split(" ")[1:])
        assert str(key).split(" ", 1)[0] in entries[place].split("/")
