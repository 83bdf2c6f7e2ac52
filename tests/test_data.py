"""The curated data: canonical files, verbatim quotes, one IRI per thing, every article fact."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

import kg
from kg.canonical import is_canonical
from kg.namespaces import DCTERMS, KG, KGR, SRC

from .conftest import REAL_DATA as DATA
from .conftest import ROOT

A1 = SRC["000_b2925a6198033b1b"]
A2 = SRC["001_9e02c3f3c2711bf1"]
DATA_FILES = sorted(p for p in DATA.iterdir() if p.suffix in (".ttl", ".trig"))


@pytest.fixture(scope="module")
def graph(real_graph: kg.KnowledgeGraph) -> kg.KnowledgeGraph:
    """These tests check the answers of the real data/, not of the seed copy."""
    return real_graph


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_data_files_are_in_canonical_sorted_form(path: Path) -> None:
    assert is_canonical(path), f"run: kg format {path.relative_to(ROOT)}"


def test_every_quote_appears_verbatim_in_its_articles_text(graph: kg.KnowledgeGraph) -> None:
    quotes = 0
    for _, _, quote, source in graph.store.quads((None, KG.quote, None)):
        identifier = graph.store.graph(source).value(source, DCTERMS.identifier)
        text = (DATA / "sources" / f"{identifier}.txt").read_text(encoding="utf-8")
        assert str(quote) in text, (source, quote)
        quotes += 1
    assert quotes > 50


def test_each_article_is_a_named_graph_described_with_its_provenance(
        graph: kg.KnowledgeGraph) -> None:
    for source, issued in ((A1, "2024-05-11"), (A2, "2024-10-15")):
        g = graph.store.graph(source)
        assert (source, RDF.type, KG.NewsArticle) in g
        assert g.value(source, DCTERMS.publisher) == KGR.trend
        assert g.value(source, DCTERMS.issued) == Literal(issued, datatype=XSD.date)
        assert (DATA / "sources" / f"{g.value(source, DCTERMS.identifier)}.txt").is_file()
        assert g.value(source, KG.labelIsEditorial) == Literal(True)
        assert g.value(source, DCTERMS.title) is None  # no headline is invented
    assert graph.store.graph(A1).value(A1, KG.dateline) == Literal("BAKU, Azerbaijan, May 11")
    assert graph.store.graph(A1).value(A1, KG.datelinePlace) == KGR.baku


def test_an_inferred_date_is_marked_so_a_query_can_see_it(graph: kg.KnowledgeGraph) -> None:
    article = graph.store.graph(A2)
    assert (A2, KG.inferredProperty, DCTERMS.issued) in article
    assert "year" in str(article.value(A2, KG.inferenceNote))
    assert (KGR["meeting-2024-10-14-rabat"], KG.inferredProperty, KG.date) in article
    designation = KGR["designation-mehriban-aliyeva-goodwill-ambassador"]
    assert graph.data().value(designation, KG.inferredProperty) is None  # printed in full


def test_dates_keep_their_precision(graph: kg.KnowledgeGraph) -> None:
    data = graph.data()
    assert data.value(KGR["membership-azerbaijan-icesco"], KG.startDate) == Literal(
        "1991", datatype=XSD.gYear)
    assert data.value(KGR["project-burkina-faso-displaced-girls"], KG.endDate) == Literal(
        "2025-10", datatype=XSD.gYearMonth)
    assert data.value(KGR["designation-mehriban-aliyeva-goodwill-ambassador"],
                      KG.date) == Literal("2006-11-24", datatype=XSD.date)


def test_a_fact_reported_by_both_articles_is_one_node_with_two_sources(
        graph: kg.KnowledgeGraph) -> None:
    memorandum = KGR["memorandum-2024-05-11-haf-icesco"]
    assert set(graph.data().objects(memorandum, KG.statedIn)) == {A1, A2}
    for source in (A1, A2):
        assert graph.store.graph(source).value(memorandum, KG.quote) is not None
    agreements = set(graph.data().subjects(RDF.type, KG.MemorandumOfCooperation))
    assert agreements == {memorandum}


def test_name_variants_are_alternative_labels_of_one_person(graph: kg.KnowledgeGraph) -> None:
    person = KGR["salim-al-malik"]
    assert set(graph.store.graph(A1).objects(person, SKOS.altLabel)) == {
        Literal("Salim bin Mohammed Almalik", lang="en")}
    assert set(graph.store.graph(A2).objects(person, SKOS.altLabel)) == {
        Literal("Salim bin Mohammed al-Malik", lang="en")}


def test_one_iri_per_thing_no_two_entities_share_a_label(graph: kg.KnowledgeGraph) -> None:
    data = graph.data()
    labels: dict[str, URIRef] = {}
    for subject, label in data.subject_objects(RDFS.label):
        assert str(label) not in labels or labels[str(label)] == subject, label
        labels[str(label)] = subject  # type: ignore[assignment]


def test_titles_that_change_over_time_are_both_kept(graph: kg.KnowledgeGraph) -> None:
    first_lady = KGR["post-mehriban-aliyeva-first-lady"]
    first_vp = KGR["post-mehriban-aliyeva-first-vice-president"]
    assert graph.store.graph(A1).value(first_lady, KG.asOf) == Literal(
        "2006-11-24", datatype=XSD.date)
    assert graph.store.graph(A2).value(first_vp, KG.role) == KGR["role-first-vice-president"]
    assert graph.store.graph(A1).value(first_lady, KG.role) == KGR["role-first-lady"]


def _holds(data: Graph, person: str, organization: str, role: str) -> bool:
    return any(
        data.value(h, KG.organization) == KGR[organization] and data.value(h, KG.role) == KGR[role]
        for h in data.subjects(KG.holder, KGR[person]))


def test_every_post_the_articles_report_is_in_the_graph(graph: kg.KnowledgeGraph) -> None:
    data = graph.data()
    posts = [("mehriban-aliyeva", "heydar-aliyev-foundation", "role-president"),
             ("leyla-aliyeva", "heydar-aliyev-foundation", "role-vice-president"),
             ("anar-alakbarov", "heydar-aliyev-foundation", "role-executive-director"),
             ("anar-alakbarov", "azerbaijan", "role-assistant-to-the-president"),
             ("salim-al-malik", "icesco", "role-director-general"),
             ("mehriban-aliyeva", "azerbaijan", "role-first-lady"),
             ("mehriban-aliyeva", "azerbaijan", "role-first-vice-president"),
             ("leyla-aliyeva", "idea", "role-leader")]
    for post in posts:
        assert _holds(data, *post), post


def test_the_other_facts_of_the_articles_are_in_the_graph(graph: kg.KnowledgeGraph) -> None:
    d = graph.data()
    assert d.value(KGR.idea, KG.foundedBy) == KGR["leyla-aliyeva"]
    shusha = KGR["designation-shusha-cultural-capital-2024"]
    assert d.value(shusha, KG.designee) == KGR.shusha
    assert d.value(shusha, KG.forYear) == Literal("2024", datatype=XSD.gYear)
    assert d.value(KGR["icesco-headquarters"], KG.headquartersOf) == KGR.icesco
    assert d.value(KGR["icesco-headquarters"], KG.locatedIn) == KGR.rabat
    assert d.value(KGR.rabat, KG.locatedIn) == KGR.morocco
    assert d.value(KGR.icesco, KG.memberCountExceeds) == Literal(50)
    assert d.value(KGR["museum-of-the-biography-of-the-prophet"], KG.locatedIn) == KGR[
        "icesco-headquarters"]
    assert (KGR.cop29, RDF.type, KG.Conference) in d
    assert d.value(KGR.cop29, KG.date) == Literal("2024-11", datatype=XSD.gYearMonth)
    assert d.value(KGR["icesco-pavilion-at-cop29"], KG.atEvent) == KGR.cop29
    assert set(d.objects(KGR["heydar-aliyev-foundation"], KG.priority)) == {
        KGR["field-education"], KGR["field-culture"], KGR["field-health"]}
    visit = KGR["visit-2024-05-11-shusha-monuments"]
    assert d.value(visit, KG.participant) == KGR["salim-al-malik"]
    assert d.value(visit, KG.place) == KGR.shusha
    entry = KGR["memorial-book-entry-2024-10-14-leyla-aliyeva"]
    assert d.value(entry, KG.partOf) == KGR["visit-2024-10-14-museum"]
    project = KGR["project-burkina-faso-displaced-girls"]
    assert d.value(KGR["agreement-2024-10-14-haf-icesco"], KG.forProject) == project
    assert d.value(project, KG.locatedIn) == KGR["burkina-faso"]
    assert len(set(d.objects(project, KG.plannedActivity))) == 3


def test_every_signature_names_signer_party_capacity_date_and_place(
        graph: kg.KnowledgeGraph) -> None:
    d = graph.data()
    agreement = KGR["agreement-2024-10-14-haf-icesco"]
    signatures = {(d.value(s, KG.signatory), d.value(s, KG.onBehalfOf), d.value(s, KG.inCapacityOf))
                  for s in d.subjects(KG.agreement, agreement)}
    assert signatures == {
        (KGR["anar-alakbarov"], KGR["heydar-aliyev-foundation"], KGR["role-executive-director"]),
        (KGR["salim-al-malik"], KGR.icesco, KGR["role-director-general"])}
