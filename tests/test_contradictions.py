"""Contradictions are surfaced, not merged: two sources that give different values for the
same property of a fact are a finding (a ``kg:contradiction`` warning, exit 0), with both
values, both sources and both lines; the data keeps both values, each in its graph."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

import kg
from kg.namespaces import KG, KGR, SRC

from .conftest import DATA
from .test_cli import kg as run

MEMORANDUM = KGR["memorandum-2024-05-11-haf-icesco"]
A1, A2 = SRC["000_b2925a6198033b1b"], SRC["001_9e02c3f3c2711bf1"]
SECOND = "001_9e02c3f3c2711bf1.trig"


def plant_contradiction(folder: Path) -> Path:
    """A copy of the seed data in ``folder``/data, where the second article dates the
    memorandum a day later."""
    data = folder / "data"
    shutil.copytree(DATA, data)
    trig = data / SECOND
    text = trig.read_text(encoding="utf-8")
    assert text.count("        kg:place kgr:shusha ;\n") == 1
    trig.write_text(text.replace("        kg:place kgr:shusha ;\n",
                                 '        kg:date "2024-05-12"^^xsd:date ;\n'
                                 "        kg:place kgr:shusha ;\n"), encoding="utf-8")
    return data


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """The seed data, where the second article dates the memorandum a day later."""
    return plant_contradiction(tmp_path)


def test_the_seed_data_has_no_contradiction() -> None:
    assert kg.contradictions(data=DATA) == []


def test_a_planted_contradiction_names_both_values_sources_and_lines(planted: Path) -> None:
    [found] = kg.contradictions(data=planted)
    assert found.fact == str(MEMORANDUM) and found.property == "kg:date"
    assert {found.first.values, found.second.values} == {("2024-05-11",), ("2024-05-12",)}
    assert {found.first.source, found.second.source} == {str(A1), str(A2)}
    for side in (found.first, found.second):
        assert side.file is not None and side.line is not None
        line = Path(side.file).read_text(encoding="utf-8").splitlines()[side.line - 1]
        assert "kg:date" in line and side.values[0] in line


def test_the_data_keeps_both_values_each_in_its_articles_graph(planted: Path) -> None:
    graph = kg.load(data=planted)
    assert graph.store.graph(A1).value(MEMORANDUM, KG.date) == Literal("2024-05-11", datatype=XSD.date)
    assert graph.store.graph(A2).value(MEMORANDUM, KG.date) == Literal("2024-05-12", datatype=XSD.date)


def test_validate_reports_a_contradiction_as_a_warning_and_exits_0(planted: Path) -> None:
    report = kg.validate(data=planted)
    assert report.conforms
    [warning] = [f for f in report.warnings if f.rule == "kg:contradiction"]
    assert "2024-05-11" in warning.message and "2024-05-12" in warning.message
    assert str(A1) in warning.message and str(A2) in warning.message
    done = run("validate", "--data", planted)
    assert done.returncode == 0, done.stdout
    assert "kg:contradiction" in done.stdout


def test_values_at_different_precisions_or_places_within_others_agree(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    trig = data / SECOND
    text = trig.read_text(encoding="utf-8")
    trig.write_text(text.replace("        kg:place kgr:shusha ;\n",
                                 '        kg:date "2024-05"^^xsd:gYearMonth ;\n'
                                 "        kg:place kgr:azerbaijan ;\n"), encoding="utf-8")
    assert kg.contradictions(data=data) == []


#: what every surface says of the memorandum's two dates: which article gives which
SAID = ("date 2024-05-11 (inferred; according to Trend 2024-05-11)",
        "date 2024-05-12 (according to Trend 2024-10-15)")


def test_a_path_says_which_article_gives_which_of_two_values(planted: Path) -> None:
    """("startDate 1991, startDate 1992; contradiction" and three articles: which says
    which was left to the reader)"""
    done = run("path", "heydar-aliyev-foundation", "memorandum-2024-05-11-haf-icesco",
               "--max-hops", "1", "--data", planted)
    assert done.returncode == 0, done.stderr
    assert f"party [{', '.join(SAID)}; contradiction]" in done.stdout
    found = kg.paths("heydar-aliyev-foundation", "memorandum-2024-05-11-haf-icesco",
                     max_hops=1, graph=kg.load(data=planted))
    assert set(found.to_df()["dates"]) == {", ".join(SAID)}
    assert ", ".join(SAID) in found._repr_html_()
    # a value only some of the fact's sources give is theirs, even where none disagrees
    # (the seed data: the second article does not date the memorandum); one that every
    # source gives names none of them (both articles: Azerbaijan a member since 1991)
    seed = kg.paths("heydar-aliyev-foundation", "memorandum-2024-05-11-haf-icesco",
                    max_hops=1)
    assert seed[0].hops[0]["edges"][0]["contradiction"] is False
    assert set(seed.to_df()["dates"]) == {SAID[0]}
    membership = kg.paths("azerbaijan", "icesco", max_hops=1)
    assert len(membership[0].hops[0]["edges"][0]["sources"]) == 2
    assert set(membership.to_df()["dates"]) == {"startDate 1991"}


def test_kg_contradictions_lists_them_as_text_and_json(planted: Path) -> None:
    text = run("contradictions", "--data", planted)
    assert text.returncode == 0
    assert "kg:date" in text.stdout and "2024-05-12" in text.stdout
    assert text.stdout.rstrip().endswith("kg contradictions: 1 found")
    as_json = run("contradictions", "--data", planted, "--format", "json")
    [listed] = json.loads(as_json.stdout)
    assert listed["property"] == "kg:date"
    assert {listed["first"]["source"], listed["second"]["source"]} == {str(A1), str(A2)}


def test_a_built_store_lists_the_same_contradictions_by_source_without_lines(
        planted: Path, tmp_path: Path) -> None:
    """(kg build does not stop at a contradiction, a warning; the store it writes is read as
    it is, with no data file to point into)"""
    folder = tmp_path / "build" / "oxigraph"
    kg.build(data=planted, out=tmp_path / "build", store_dir=folder)
    [from_files] = kg.contradictions(data=planted)
    [from_store] = kg.contradictions(store=f"oxigraph:{folder}")
    for side in (from_store.first, from_store.second):
        assert side.file is None and side.line is None
    located = {"file": None, "line": None}
    assert from_store == dataclasses.replace(
        from_files, first=dataclasses.replace(from_files.first, **located),
        second=dataclasses.replace(from_files.second, **located))
    listed = run("contradictions", "--store", f"oxigraph:{folder}", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == json.loads(json.dumps([from_store.to_dict()]))
    with_files = run("contradictions", "--store", f"oxigraph:{folder}", "--data", planted)
    assert with_files.returncode == 2
    assert "queries a built store as it is: --data and --ontology" in with_files.stderr
    unknown = run("contradictions", "--store", "nonsense")
    assert unknown.returncode == 2
    assert "--store 'nonsense': expected rdflib, oxigraph, oxigraph:DIR" in unknown.stderr
    missing = run("contradictions", "--store", f"oxigraph:{tmp_path / 'none'}")
    assert missing.returncode == 2 and "no Oxigraph store" in missing.stderr
