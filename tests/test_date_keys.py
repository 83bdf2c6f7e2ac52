"""The date and order keys (kg.date_keys, kg.order_keys): each date indexed by its month
or year, and each thing's place in the sources' order counted, once when the store is
loaded, so that events-between looks up the dates of a range instead of testing every
date, and reads each event's order instead of walking every event's paths; and
cq09-month-timeline looks up a month's things by its key instead of making a typed date
for each of its days.

The answers must be exactly those of the queries as they were before the keys (kept as
tests/fixtures/events-between-by-scan.rq and cq09-month-timeline-by-day.rq), on every
backend, for ranges that cut a month, a year, a single day, hold nothing or everything,
and for busy, leap and empty months.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.namespace import DCTERMS

import kg
from kg.date_keys import date_key
from kg.namespaces import ENTAILED_GRAPH, KG
from kg.queries import NamedQuery, named_query
from kg.store import BACKENDS
from kg.synth import synth
from tests.test_queries import _normalized

FIXTURES = Path(__file__).parent / "fixtures"

#: a quarter, a day, two days across months, a month, a span across years, nothing
RANGES = [("2015-01-01", "2015-03-31"), ("2015-02-11", "2015-02-11"),
          ("2015-02-28", "2015-03-01"), ("2016-01-01", "2016-01-31"),
          ("2014-12-15", "2015-01-10"), ("1900-01-01", "1900-12-31")]

#: the corpus's months (the busiest: 2015-02), a February, a month with nothing
MONTHS = ["2015-01", "2015-02", "2015-03", "2015-04", "2016-02", "1900-01"]


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, kg.KnowledgeGraph]:
    corpus = synth(articles=100, seed=1, out=tmp_path_factory.mktemp("synth") / "data")
    return {backend: kg.load(data=corpus.out, store=backend) for backend in BACKENDS}


def test_a_day_is_keyed_by_its_month_a_month_or_year_by_itself():
    assert date_key("2015-01-31") == "2015-01"
    assert date_key("2015-01-31T10:00:00") == "2015-01"
    assert date_key("2015-01") == "2015-01"
    assert date_key("2015") == "2015"


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_dated_thing_and_article_has_the_keys_of_its_dates_in_the_entailed_graph(
        graphs, backend):
    store = graphs[backend].store
    dated = {(s, date_key(str(o))) for predicate in (KG.date, DCTERMS.issued)
             for s, _, o, g in store.quads((None, predicate, None)) if g != ENTAILED_GRAPH}
    keys = list(store.quads((None, KG.dateKey, None)))
    assert {g for *_, g in keys} == {ENTAILED_GRAPH}
    assert {(s, str(o)) for s, _, o, _ in keys} == dated
    indexed = {str(o) for _, _, o, _ in store.quads((ENTAILED_GRAPH, KG.indexedDateKey,
                                                     None))}
    assert indexed == {key for _, key in dated}


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_earlier_count_is_what_the_after_and_part_of_paths_reach(graphs, backend):
    graph = graphs[backend]
    counted = {(row["thing"], row["count"]) for row in kg.query(
        "SELECT ?thing (COUNT(DISTINCT ?earlier) AS ?count) "
        "WHERE { ?thing (kg:after|kg:partOf)+ ?earlier } GROUP BY ?thing",
        graph=graph).to_records()}
    stored = {(str(s), int(o)) for s, _, o, _ in graph.store.quads((None, KG.earlierCount,
                                                                     None))}
    assert counted and stored == counted


@pytest.mark.parametrize(("start", "end"), RANGES)
def test_events_between_finds_what_testing_every_date_finds(graphs, start, end):
    """On Oxigraph (the query before the keys takes about 30 s a range on rdflib's store,
    which answers as Oxigraph does: the next test)."""
    scan = NamedQuery.from_file(FIXTURES / "events-between-by-scan.rq")
    params = {"start": start, "end": end}
    assert named_query("events-between").run(graphs["oxigraph"], params).to_records() == \
        scan.run(graphs["oxigraph"], params).to_records()


@pytest.mark.parametrize(("start", "end"), RANGES)
def test_events_between_answers_alike_on_every_backend(graphs, start, end):
    between = named_query("events-between")
    answers = [_normalized(between.run(graphs[backend], {"start": start, "end": end}))
               for backend in BACKENDS]
    assert all(answer == answers[0] for answer in answers)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("month", MONTHS)
def test_month_timeline_finds_what_looking_up_each_day_finds(graphs, backend, month):
    by_day = NamedQuery.from_file(FIXTURES / "cq09-month-timeline-by-day.rq")
    timeline = named_query("cq09-month-timeline")
    assert _normalized(timeline.run(graphs[backend], {"month": month})) == \
        _normalized(by_day.run(graphs[backend], {"month": month}))
