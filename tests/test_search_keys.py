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
from kg.search_keys import BLOCK_SIZE, GROUP_SIZE, fold, search_key
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
                     for local, names in NAMES.items() for name in names}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("text", TEXTS)
def test_search_finds_what_folding_every_name_at_every_search_finds(graphs, backend, text):
    scan = NamedQuery.from_file(FIXTURES / "search-by-scan.rq")
    assert _answers(named_query("search"), graphs[backend], text) == \
        _answers(scan, graphs[backend], text)


@pytest.mark.parametrize("text", TEXTS)
def test_search_answers_alike_on_every_backend(graphs, text):
    search = named_query("search")
    answers = [_normalized(search.run(graphs[backend], {"text": text})) for backend in BACKENDS]
    assert all(answer == answers[0] for answer in answers)


def test_the_entity_query_does_not_list_the_search_keys(graphs):
    rows = kg.query("entity", graph=graphs["oxigraph"], entity="kgr:org-a").to_records()
    derived = {str(term) for term in (KG.searchKey, KG.searchBlock, KG.searchOrder)}
    assert rows and not derived & {row["property"] for row in rows}


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
def test_the_search_blocks_hold_the_folded_names_of_the_keys_in_the_order_of_their_places(
        graphs, backend):
    store = graphs[backend].store
    texts = {}
    for s, _, o, g in store.quads((None, KG.searchText, None)):
        assert g == ENTAILED_GRAPH
        texts[s] = str(o)
    orders = sorted(str(o) for _, _, o, _ in store.quads((None, KG.searchOrder, None)))
    in_order = [texts[block] for block in sorted(texts, key=str)]
    assert " ".join(in_order) == " ".join(order.split(" ")[1] for order in orders)
    assert all(len(text.split(" ")) <= BLOCK_SIZE for text in in_order)
    assert all(len(text.split(" ")) == BLOCK_SIZE for text in in_order[:-1])


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_search_group_holds_the_texts_of_its_blocks_in_turn(graphs, backend):
    store = graphs[backend].store
    texts = {s: str(o) for s, _, o, _ in store.quads((None, KG.searchText, None))}
    groups = {s: str(o) for s, _, o, _ in store.quads((None, KG.searchGroupText, None))}
    members: dict = {}
    for block, _, group, g in store.quads((None, KG.searchGroup, None)):
        assert g == ENTAILED_GRAPH
        members.setdefault(group, []).append(block)
    assert set(members) == set(groups)
    blocks = sorted(texts, key=str)
    in_turn = [sorted(members[group], key=str) for group in sorted(groups, key=str)]
    assert [block for group in in_turn for block in group] == blocks
    assert all(len(group) == GROUP_SIZE for group in in_turn[:-1])
    for group, text in groups.items():
        assert text == " ".join(texts[block] for block in sorted(members[group], key=str))


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_thing_with_a_place_is_in_the_blocks_that_hold_its_keys_and_no_other(
        graphs, backend):
    store = graphs[backend].store
    texts = {s: str(o).split(" ") for s, _, o, _ in store.quads((None, KG.searchText, None))}
    blocks: dict = {}
    for s, _, o, g in store.quads((None, KG.searchBlock, None)):
        assert g == ENTAILED_GRAPH
        blocks.setdefault(s, set()).add(o)
    folded: dict = {}
    for s, _, order, _ in store.quads((None, KG.searchOrder, None)):
        folded.setdefault(s, set()).add(str(order).split(" ")[1])
    assert set(blocks) == set(folded)
    for thing, names in folded.items():
        assert all(any(name in texts[block] for block in blocks[thing]) for name in names)
        assert all(names & set(texts[block]) for block in blocks[thing])


#: things whose rows do not sort as one row per name: two labels (its rows sort under
#: each), a name but no label (sorted first), a thing of no kind of kg: (no row), a fact
#: (after people, organizations and places), and names shared by several of them
TANGLED = """
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix kgr: <https://w3id.org/kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
kgr:org-x a kg:Organization ; rdfs:label "Zeta Forum"@en, "Alpha Forum" ;
    skos:altLabel "Mid Forum", "Forum" .
kgr:org-y a kg:Organization ; skos:altLabel "Forum East", "Forum" .
kgr:person-z a kg:Person ; rdfs:label "Forum Speaker"@en .
kgr:post-z a kg:Post ; rdfs:label "Speaker of the Forum"@en ; kg:holder kgr:person-z .
kgr:other rdfs:label "Forum of nothing"@en .
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_page_of_a_search_is_the_full_ordered_list_cut_there(tmp_path, backend):
    (tmp_path / "tangled.ttl").write_text(TANGLED, encoding="utf-8")
    graph = kg.load(data=tmp_path, store=backend)
    full = NamedQuery.from_file(FIXTURES / "search-by-scan.rq").run(
        graph, {"text": "forum"}).to_records()
    assert len(full) > 6
    search = named_query("search")
    assert search.run(graph, {"text": "forum", "limit": len(full)}).to_records() == full
    for limit in (1, 5):
        for offset in range(len(full) + 1):
            page = search.run(graph, {"text": "forum", "limit": limit, "offset": offset})
            assert page.to_records() == full[offset:offset + limit], (limit, offset)
