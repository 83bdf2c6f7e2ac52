"""The source articles, listed a page at a time and narrowed by words: ``kg.sources``,
``kg sources``, ``/api/sources?q=&limit=&offset=``. At 10,000 articles the list is 3.5 MB,
so a client (the explorer, the query page) asks for the few it shows, never for every one.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.errors import ParameterError
from kg.synth import synth
from kg.web import create_app

ARTICLES = 160  # past one page of the API's 100 articles, and of its 1,000 dated facts


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return synth(articles=ARTICLES, seed=2, out=tmp_path_factory.mktemp("synth") / "data").out


@pytest.fixture(scope="module")
def graph(corpus: Any) -> kg.KnowledgeGraph:
    return kg.load(data=corpus, store="oxigraph")


@pytest.fixture(scope="module")
def client(graph: kg.KnowledgeGraph) -> Any:
    app = create_app({"GRAPH": graph, "WORKERS": 1})
    yield app.test_client()
    app.extensions["kg"].close()


def test_the_pages_of_the_list_joined_are_every_article_oldest_first(graph) -> None:
    every = kg.sources(graph=graph)
    assert len(every) == ARTICLES
    dates = [a["issued"] for a in every]
    assert dates == sorted(dates)
    pages = [kg.sources(graph=graph, limit=50, offset=start) for start in range(0, ARTICLES, 50)]
    assert [a for page in pages for a in page] == list(every)
    assert len(kg.sources(graph=graph, offset=ARTICLES)) == 0


def test_words_keep_the_articles_with_each_of_them_in_their_label_publisher_or_date(
        graph) -> None:
    every = list(kg.sources(graph=graph))
    publisher, month = every[-1]["publisher_label"], every[-1]["issued"][:7]
    wanted = [a for a in every if a["publisher_label"] == publisher
              and a["issued"].startswith(month)]
    found = kg.sources(f"{publisher.upper()} {month}", graph=graph)
    assert list(found) == wanted and wanted
    by_id = kg.sources(every[3]["id"][:6], graph=graph)  # the id's start
    assert every[3] in list(by_id)
    day = every[-1]["issued"]  # a date's hyphens stay: 2015-04 is April 2015, no 4th day
    assert all(a["issued"] == day for a in kg.sources(day, graph=graph))
    assert [a["issued"][:4] for a in kg.sources(day[:4], graph=graph)] == [day[:4]] * len(
        [a for a in every if a["issued"].startswith(day[:4])])


@pytest.mark.parametrize("arguments, message", [
    ({"limit": 0}, "limit must be at least 1"),
    ({"limit": 2.5}, "limit must be a whole number"),
    ({"offset": -1}, "offset must be at least 0"),
    ({"text": 7}, "q (the words to look for) must be text"),
])
def test_a_bad_argument_is_a_parameter_error_naming_it(graph, arguments, message) -> None:
    text = arguments.pop("text", None)
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        kg.sources(text, graph=graph, **arguments)


def test_the_api_answers_a_page_of_100_with_the_counts_to_ask_for_the_next(client) -> None:
    first = client.get("/api/sources").json
    assert (len(first["articles"]), first["total"], first["matched"], first["offset"]) == (
        100, ARTICLES, ARTICLES, 0)
    rest = client.get("/api/sources?offset=100").json
    assert len(rest["articles"]) == ARTICLES - 100
    assert first["articles"] + rest["articles"] == kg.sources(
        graph=client.application.config["GRAPH"]).rows
    narrowed = client.get("/api/sources", query_string={"q": "trend", "limit": 3}).json
    assert len(narrowed["articles"]) == 3 and narrowed["total"] == ARTICLES
    assert narrowed["matched"] == sum(a["publisher_label"] == "Trend" for a in
                                      kg.sources(graph=client.application.config["GRAPH"]))
    assert all(a["publisher_label"] == "Trend" for a in narrowed["articles"])


def test_the_command_mirrors_the_function(corpus, graph) -> None:
    runner = CliRunner()
    answer = runner.invoke(cli, ["sources", "trend", "--limit", "2", "--data", str(corpus),
                                 "--format", "json"])
    assert answer.exit_code == 0, answer.output
    document = json.loads(answer.stdout)
    assert document["articles"] == kg.sources("trend", graph=graph, limit=2).rows
    text = runner.invoke(cli, ["sources", "trend", "--limit", "2", "--data", str(corpus)])
    lines = text.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith(document["articles"][0]["issued"])
    assert document["articles"][0]["article"] in lines[0]
    assert f"kg sources: 2 of {document['matched']}, more with --offset 2" in text.stderr
    none = runner.invoke(cli, ["sources", "no-such-words", "--data", str(corpus)])
    assert none.exit_code == 0 and none.stdout == ""
    assert f"no article has the words 'no-such-words' ({ARTICLES} articles in all)" \
        in none.stderr
    bad = runner.invoke(cli, ["sources", "--limit", "0", "--data", str(corpus)])
    assert bad.exit_code == 2 and "--limit" in bad.stderr


# -- every table an HTTP client asks for is bounded ----------------------------------------

def test_communities_and_the_timeline_answer_their_first_rows_and_how_many_there_are(
        client, graph) -> None:
    """At 10,000 articles the 7,566 Louvain communities were 5.8 MB in one answer and the
    timeline 69,000 rows (36 MB): a table answers 100 groups or 1,000 dated facts unless
    asked for more (up to 1,000 and 10,000), and ``total`` says how many there are."""
    whole = kg.timeline(graph=graph)
    assert len(whole) > 1000
    first = client.get("/api/timeline").json
    assert (first["count"], first["total"]) == (1000, len(whole))
    assert first["rows"] == whole.rows[:1000]
    assert client.get("/api/timeline?limit=10000").json["count"] == len(whole)
    groups = kg.communities(kind="components", members=100, graph=graph)
    three = client.get("/api/communities?kind=components&limit=3").json
    assert three["rows"] == groups.rows[:3] and three["total"] == len(groups)
    assert [r["size"] for r in three["rows"]] == sorted((r["size"] for r in three["rows"]),
                                                         reverse=True)  # largest first
    too_many = client.get("/api/timeline?limit=10001")
    assert too_many.status_code == 400 and "limit" in too_many.json["error"]["message"]


def test_a_group_lists_its_most_connected_members_and_its_size_counts_them_all(
        client, graph) -> None:
    """The largest communities of 10,000 articles have over a thousand members each: a
    group lists its 100 most connected over HTTP unless ``members`` asks for more (up to
    10,000), in label order as every list; ``size`` still counts them all."""
    from kg.analysis.pathfinding import undirected

    whole = kg.communities(kind="components", graph=graph)
    largest = whole.rows[0]
    assert largest["size"] > 100  # the corpus is one large component and a few small ones
    served = client.get("/api/communities?kind=components&limit=2").json["rows"]
    assert [row["size"] for row in served] == [row["size"] for row in whole.rows[:2]]
    first = served[0]
    assert len(first["members"]) == len(first["labels"]) == 100
    assert first["labels"] == sorted(first["labels"])  # label order, as every group lists
    degree = undirected(kg.project(graph=graph)).degree
    listed = {degree[n] for n in first["members"]}
    unlisted = {degree[n] for n in set(largest["members"]) - set(first["members"])}
    assert min(listed) >= max(unlisted)  # none left out has more links than one listed
    assert dict(zip(first["members"], first["labels"])).items() <= \
        dict(zip(largest["members"], largest["labels"])).items()  # each with its own label
    assert client.get("/api/communities?kind=components&members=10000").json["rows"][0] == \
        largest
    label = dict(zip(largest["members"], largest["labels"]))
    top = set(sorted(largest["members"], key=lambda n: (-degree[n], label[n], n))[:3])
    three = graph.communities(kind="components", members=3, limit=1)
    assert three[0]["members"] == [n for n in largest["members"] if n in top]
    assert three[0]["size"] == largest["size"]
    with pytest.raises(ParameterError, match="members cuts the member lists of groups"):
        kg.communities(kind="brokers", members=3, graph=graph)
    with pytest.raises(ParameterError, match="members must be at least 1, not 0"):
        kg.communities(graph=graph, members=0)


def test_the_python_api_and_the_commands_take_the_same_limit(corpus, graph) -> None:
    assert kg.timeline(graph=graph, limit=5).to_json()["total"] == len(kg.timeline(graph=graph))
    assert len(graph.communities(kind="components", limit=2)) == 2
    with pytest.raises(ParameterError, match="limit must be at least 1, not 0"):
        kg.communities(graph=graph, limit=0)
    answer = CliRunner().invoke(cli, ["timeline", "--limit", "4", "--data", str(corpus)])
    facts = [line for line in answer.stdout.splitlines() if not line.startswith(" ")]
    assert answer.exit_code == 0 and len(facts) == 4  # (each with its articles beneath)
    assert f"the first 4 rows of {len(kg.timeline(graph=graph))} (--limit)" in answer.stderr
    listed = CliRunner().invoke(cli, ["communities", "--kind", "components", "--limit", "1",
                                      "--members", "3", "--data", str(corpus)])
    size = kg.communities(kind="components", graph=graph)[0]["size"]
    assert listed.exit_code == 0 and listed.stdout.startswith(f"1. ({size}) ")
    assert listed.stdout.count("; ") == 3 and f"; and {size - 3} more" in listed.stdout
