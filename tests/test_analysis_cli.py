"""The analysis commands: thin over the functions; names resolved; candidates on exit 2."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_kg_path_prints_the_cq8_chain_with_articles_and_quotes() -> None:
    result = run("path", "Leyla Aliyeva", "Burkina Faso")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # the second article's dates are worked out from its dateline: two hops carry one
    assert lines[0] == "path 1: 4 hops, 4 sources, 2 inferred dates"
    assert "  1. Leyla Aliyeva --Vice President--> Heydar Aliyev Foundation" in lines
    assert "  4. Project supporting displaced girls and orphanages in Burkina Faso " \
           "--located in--> Burkina Faso" in lines
    assert '"Vice President of the Heydar Aliyev Foundation Leyla Aliyeva"' in result.output


def test_kg_path_says_which_end_the_filters_leave_out() -> None:
    left_out = run("path", "Leyla Aliyeva", "Burkina Faso", "--type", "Person")
    assert left_out.exit_code == 0
    assert left_out.stdout == "kg path: Burkina Faso is not in the graph with these filters\n"
    unlinked = run("path", "Leyla Aliyeva", "Burkina Faso", "--max-hops", "2")
    assert unlinked.stdout == ("kg path: no path of at most 2 hops: the shortest connection "
                               "has 4 hops (--max-hops 4 finds it)\n")
    apart = run("path", "Trend", "ICESCO")
    assert apart.stdout == ("kg path: no path: nothing connects them in this graph, however "
                            "many hops\n")


def test_an_unknown_name_lists_candidates_and_exits_2() -> None:
    result = run("path", "Al Malik", "Leyla Aliyeva")
    assert result.exit_code == 2
    assert "Salim bin Mohammed Al-Malik" in result.output


def test_search_and_json() -> None:
    result = run("search", "almalik", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["results"][0]["iri"].endswith("salim-al-malik")


def test_cq9_timeline_of_october_2024() -> None:
    result = run("timeline", "--start", "2024-10", "--end", "2024-10")
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert lines[-1].startswith("2024-10-15") and "published" in lines[-1]
    assert any("Meeting of Leyla Aliyeva" in line for line in lines)


def test_each_dated_fact_in_text_says_which_articles_state_it_and_why_a_date_was_inferred(
        ) -> None:
    """(the text gave the date and the fact only: no article, no reason)"""
    lines = run("timeline", "--entity", "icesco").stdout.splitlines()
    first = "https://w3id.org/kg/source/000_b2925a6198033b1b"
    second = "https://w3id.org/kg/source/001_9e02c3f3c2711bf1"
    assert lines[:2] == ["1991                  Azerbaijan --State membership--> ICESCO",
                         f"                        stated in <{first}>, <{second}>"]
    memorandum = lines.index(next(line for line in lines if "Memorandum" in line))
    assert lines[memorandum + 1] == f"                        stated in <{first}>"
    assert lines[memorandum + 2].startswith("                        inferred: The article of "
                                            "11 May 2024 reports")
    published = run("timeline", "--start", "2024-10-15", "--end", "2024-10-15").stdout
    assert "published: Trend, 15 October 2024" in published
    assert "stated in" not in published  # (an article is not stated in itself)


def test_a_fact_many_articles_state_names_three_and_counts_the_others() -> None:
    from kg.cli import _timeline_details

    row = {"item": "x", "inferred": False, "note": None,
           "sources": [f"https://example.org/a{i}" for i in range(5)]}
    assert _timeline_details(row) == ["stated in <https://example.org/a0>, "
                                      "<https://example.org/a1>, <https://example.org/a2> "
                                      "and 2 more"]


def test_the_timeline_by_year() -> None:
    result = run("timeline", "--years")
    assert result.exit_code == 0
    assert "2024  14 dated facts (12 inferred)" in result.stdout.splitlines()
    assert "1991  1 dated fact" in result.stdout.splitlines()
    for options in (["--years"], []):
        empty = run("timeline", *options, "--start", "2030")
        assert empty.exit_code == 0 and empty.stdout == "(no dated facts)\n"


@pytest.mark.parametrize("command, option", [
    (["centrality"], "--as-of"), (["path", "icesco", "shusha"], "--reported-by"),
    (["timeline"], "--start"), (["timeline"], "--end"),
    (["export", "--format", "csv"], "--as-of")])
def test_a_bad_date_exits_2_naming_the_option(command: list[str], option: str) -> None:
    """(it named the Python argument: "as_of must be a date")"""
    result = run(*command, option, "2005-13")
    assert result.exit_code == 2
    assert (f"Invalid value for '{option}': '2005-13' is not a date (YYYY-MM-DD, YYYY-MM "
            f"or YYYY)") in result.stderr


def test_neighbors_centrality_communities() -> None:
    assert "Burkina Faso" in run("neighbors", "kgr:burkina-faso").output
    assert "ICESCO" in run("centrality", "--limit", "3").output
    result = run("communities", "--kind", "coaffiliation", "--via", "Heydar Aliyev Foundation")
    assert "Leyla Aliyeva (Vice President) & Mehriban Aliyeva (President)" in result.output


def test_kg_neighbors_says_when_the_filters_leave_the_entity_out_or_it_has_no_edge() -> None:
    left_out = run("neighbors", "Burkina Faso", "--type", "Person")
    assert left_out.exit_code == 0
    assert left_out.stdout == "kg neighbors: Burkina Faso is not in the graph with these " \
                              "filters\n"
    alone = run("neighbors", "Trend", "--type", "Organization")
    assert alone.stdout.splitlines()[1:] == ["edges: none"]


def test_kg_communities_says_when_there_is_no_group_rather_than_printing_nothing() -> None:
    assert run("communities", "--kind", "brokers", "--type", "Title").stdout == \
        "kg communities: no brokers: no entity or link whose removal splits a part of the " \
        "graph\n"
    assert run("communities", "--kind", "coaffiliation", "--type", "Place").stdout.startswith(
        "kg communities: no co-affiliation pairs: no two people share an organization")
    assert run("communities", "--kind", "coaffiliation", "--via", "Trend").stdout == \
        "kg communities: no co-affiliation pairs through Trend\n"


def test_kg_communities_lists_a_groups_most_connected_members_in_text_every_one_in_json(
        ) -> None:
    """(at 10,000 articles the first component was one line of 40,096 names)"""
    text = run("communities", "--kind", "components").stdout.splitlines()
    assert text[0].startswith("1. (31) ") and text[0].endswith("; and 11 more")
    assert len(text[0].split("; ")) == 20 + 1
    every = json.loads(run("communities", "--kind", "components", "--format", "json").stdout)
    assert len(every["rows"][0]["labels"]) == 31
    asked = run("communities", "--kind", "components", "--members", "40").stdout.splitlines()
    assert len(asked[0].split("; ")) == 31 and "more" not in asked[0]


def test_groups_of_one_closing_a_text_list_are_said_in_one_line() -> None:
    """(at 10,000 synthetic articles, 7,504 people linked to nothing were 7,504 lines)"""
    people = run("communities", "--kind", "components", "--type", "Person")
    assert people.stdout == ("1-4. (1 each) 4 entities linked to no other: Anar Alakbarov; "
                             "Leyla Aliyeva; Mehriban Aliyeva; Salim bin Mohammed Al-Malik\n")
    cut = run("communities", "--kind", "components", "--type", "Person", "--members", "2")
    assert cut.stdout.endswith("Anar Alakbarov; Leyla Aliyeva; and 2 more (--format json "
                               "lists them)\n")
    listed = json.loads(run("communities", "--kind", "components", "--type", "Person",
                            "--format", "json").stdout)
    assert [row["size"] for row in listed["rows"]] == [1, 1, 1, 1]
    whole = run("communities", "--kind", "components").stdout.splitlines()
    assert whole[-1] == "2. (1) Trend"  # one or two alone: a line each, as before


def test_via_without_coaffiliation_is_refused_before_the_load() -> None:
    result = run("communities", "--via", "ICESCO")
    assert result.exit_code == 2
    assert "goes with --kind coaffiliation, not louvain" in result.output
    assert "using the project" not in result.output


def test_export_writes_files(tmp_path) -> None:
    assert run("export", "--format", "graphml", "--out", str(tmp_path / "g.graphml")).exit_code == 0
    assert (tmp_path / "g.graphml").stat().st_size > 0
    assert run("export", "--format", "csv", "--out", str(tmp_path / "csv")).exit_code == 0
    assert (tmp_path / "csv" / "edges.csv").is_file()


def test_export_keeps_the_most_connected_with_top(tmp_path) -> None:
    result = run("export", "--format", "csv", "--top", "2", "--out", str(tmp_path / "csv"))
    assert result.exit_code == 0, result.output
    rows = (tmp_path / "csv" / "nodes.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 2 and any("/icesco," in row for row in rows)
    assert run("export", "--format", "csv", "--top", "0").exit_code == 2


def test_export_to_where_nothing_can_be_written_says_so_and_writes_nothing(tmp_path) -> None:
    """A path under a file, a folder for one file: exit 2 with the reason, no traceback;
    a new file gets the permissions a plain open gives (the umask), not a scratch file's."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for args, words in ((["--format", "graphml", "--out", str(blocker / "g.graphml")],
                         f"--out {blocker / 'g.graphml'}: cannot make the folder {blocker}: "
                         f"File exists; nothing was written"),
                        (["--format", "csv", "--out", str(blocker / "csv")],
                         "cannot make the folder"),
                        (["--format", "gexf", "--out", str(tmp_path)], "is a folder")):
        result = run("export", *args)
        assert result.exit_code == 2 and words in result.stderr, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
    assert run("export", "--format", "gexf", "--out", str(tmp_path / "g.gexf")).exit_code == 0
    # a folder that does not exist yet is made, as for csv and kg build --out
    made = run("export", "--format", "graphml", "--out", str(tmp_path / "new" / "g.graphml"))
    assert made.exit_code == 0 and (tmp_path / "new" / "g.graphml").stat().st_size > 0
    mask = os.umask(0o022)
    os.umask(mask)
    assert (tmp_path / "g.gexf").stat().st_mode & 0o777 == 0o666 & ~mask


def test_counts_of_one_are_singular() -> None:
    assert run("path", "kgr:icesco", "kgr:rabat", "--max-hops", "1").output.endswith(
        "kg path: no path of at most 1 hop: the shortest connection has 2 hops "
        "(--max-hops 2 finds it)\n")
    lines = run("path", "kgr:icesco", "kgr:azerbaijan").stdout.splitlines()
    assert lines[0].startswith("path 1: 1 hop, ")  # ICESCO's member


def test_cq4_exactly_on_the_command_line() -> None:
    result = run("neighbors", "Salim bin Mohammed Almalik", "--radius", "0", "--format", "json")
    assert result.exit_code == 0, result.output
    [node] = json.loads(result.stdout)["nodes"]
    assert node["label"] == "Salim bin Mohammed Al-Malik"
    assert {a["label"] for a in node["alt_labels"]} == {"Salim bin Mohammed Almalik",
                                                        "Salim bin Mohammed al-Malik"}
    for spelling in ("Al Malik", "almalik", "al-Malik"):
        found = json.loads(run("search", spelling, "--format", "json").stdout)
        assert found["results"][0]["iri"].endswith("/salim-al-malik"), spelling


def test_cq9_exactly_on_the_command_line() -> None:
    from tests.test_analysis_web import CQ9_OCTOBER

    result = run("timeline", "--start", "2024-10", "--end", "2024-10", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert sorted((r["date"], r["item"].rsplit("/", 1)[-1]) for r in rows) == CQ9_OCTOBER


def test_the_analysis_commands_take_a_built_store_folder_and_answer_alike(tmp_path) -> None:
    import kg

    from .conftest import SEED_DATA

    folder = tmp_path / "oxigraph"
    kg.build(data=SEED_DATA, out=tmp_path / "build", store_dir=folder)
    store = ["--store", f"oxigraph:{folder}"]
    data = ["--data", str(SEED_DATA)]
    for command in (["path", "Leyla Aliyeva", "Burkina Faso"], ["centrality", "--limit", "5"],
                    ["communities", "--kind", "components"], ["timeline", "--years"],
                    ["neighbors", "kgr:icesco"], ["search", "aliyeva"],
                    ["export", "--format", "csv"]):
        served, loaded = run(*command, *store), run(*command, *data)
        assert served.exit_code == 0, served.output
        assert served.stdout == loaded.stdout, command
    both = run("centrality", *store, *data)
    assert both.exit_code == 2 and "--data and --ontology do not apply" in both.output
    for bad, said in (("nope", "--store 'nope': expected rdflib, oxigraph, oxigraph:DIR"),
                      (f"oxigraph:{tmp_path / 'none'}", "no Oxigraph store in this path")):
        refused = run("path", "Leyla Aliyeva", "Burkina Faso", "--store", bad)
        assert refused.exit_code == 2 and said in refused.output, refused.output


def test_kg_export_stopped_at_its_time_limit_says_top_exports_less(monkeypatch) -> None:
    """(the whole graph of 10,000 articles takes 18 s to write as GEXF: past the default
    limit of 10 s)"""
    import time

    from kg.analysis import exporters

    def slow(graph):
        time.sleep(5)

    # the job runs in a worker forked from this process: it has the slow writer
    monkeypatch.setitem(exporters._WRITERS, exporters.ExportFormat.GEXF, slow)
    result = run("export", "--format", "gexf", "--timeout", "0.5", "--no-cache")
    assert result.exit_code == 3
    assert "(a large graph takes a while to write: --top N exports its N most connected " \
           "nodes and the links among them); give it more time with --timeout SECONDS" \
           in result.output
    narrowed = run("export", "--format", "gexf", "--timeout", "0.5", "--no-cache",
                   "--top", "3")
    assert narrowed.exit_code == 3 and "--top N" not in narrowed.output


def test_an_article_is_the_same_in_python_on_the_command_line_and_over_http(graph) -> None:
    """(its page and /api/sources/{name} had no twin in Python or on the command line)"""
    from kg.web import create_app

    found = kg.article("001_9e02c3f3c2711bf1", graph=graph)
    assert found == graph.article("src:001_9e02c3f3c2711bf1")
    assert json.loads(run("article", "001_9e02c3f3c2711bf1", "--format", "json").stdout) \
        == found
    app = create_app({"GRAPH": graph, "WORKERS": 1})
    try:
        assert app.test_client().get("/api/sources/001_9e02c3f3c2711bf1").json == found
    finally:
        app.extensions["kg"].close()
    lines = run("article", "001_9e02c3f3c2711bf1").stdout.splitlines()
    assert lines[0] == f"{found['label']}  <{found['article']}>"
    assert lines[1:3] == ["Trend, 2024-10-15", f"{len(found['facts'])} facts stated:"]
    first = found["facts"][0]
    assert lines[3:5] == [f"  {first['label']}  <{first['fact']}>",
                          f'    "{first["quotes"][0]}"']


def test_a_name_that_is_no_article_exits_2_naming_the_nearest() -> None:
    result = run("article", "001_9e02c3f3c2711bf")
    assert result.exit_code == 2
    assert "'001_9e02c3f3c2711bf' is not a source article of the graph (2 articles); " \
           "the nearest: Trend, 15 October 2024" in result.stderr
