"""kg.validate: the bundled data conforms; each kind of bad data gets a located finding."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

import kg
from kg.errors import InputError, ParseError
from kg.validate import Finding

from .conftest import BAD, DATA, REAL_DATA, ROOT, seed_data_with
from .test_cli import kg as run

KGR = "https://w3id.org/kg/id/"


def test_the_seed_data_conforms() -> None:
    report = kg.validate(data=DATA)
    assert report.conforms, report.to_text()
    assert report.violations == []
    assert report.sources == 2
    assert report.summary.startswith("ok: 4 files")


def test_the_real_data_conforms() -> None:
    report = kg.validate(data=REAL_DATA)
    assert report.conforms, report.to_text()


def test_a_report_has_stable_documented_json() -> None:
    first = kg.validate([DATA, BAD / "no_label.ttl"]).to_dict()
    second = kg.validate([DATA, BAD / "no_label.ttl"]).to_dict()
    assert first == second
    assert set(first) == {"conforms", "summary", "counts", "files", "statements", "sources",
                          "results"}
    assert set(first["counts"]) == {"violations", "warnings", "infos"}
    assert set(first["results"][0]) == {"severity", "rule", "focus", "focus_label", "path",
                                        "value", "message", "file", "line", "hint"}
    json.dumps(first)
    assert first["summary"] == "1 violation, 0 warnings in 5 files, 461 statements, 2 sources"


# Each bad case is the bundled data plus one small file holding one kind of mistake.
CASES = {
    "no_label.ttl": (f"{KGR}jane-doe", "rdfs:label", None),
    "no_source.ttl": (f"{KGR}post-leyla-aliyeva-icesco-president", "kg:statedIn", None),
    "end_before_start.trig": (f"{KGR}post-leyla-aliyeva-idea-founder", None, "start"),
    "signer_without_post.trig": (f"{KGR}signature-2024-10-14-icesco-by-leyla-aliyeva", None,
                                 "post"),
    "wrong_datatype.trig": (f"{KGR}meeting-2024-10-14-second", "kg:date", None),
    "one_party.trig": (f"{KGR}agreement-one-party", "kg:party", None),
    "quote_not_in_source.trig": (f"{KGR}post-leyla-aliyeva-haf-vice-president", "kg:quote",
                                 "verbatim"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_data_is_a_located_violation(case: str) -> None:
    focus, path, words = CASES[case]
    report = kg.validate([DATA, BAD / case])
    assert not report.conforms
    mine = [f for f in report.violations if f.focus == focus]
    assert mine, report.to_text()
    finding = mine[0] if path is None else next(f for f in mine if f.path == path)
    if words:
        assert any(words in f.message.lower() for f in mine), report.to_text()
    assert finding.file is not None and finding.file.endswith(case)
    assert finding.line is not None and finding.line > 1
    # nothing else in the bundled data is blamed
    assert {f.focus for f in report.violations} <= {focus}, report.to_text()


def test_an_unknown_term_is_a_violation_with_a_suggestion() -> None:
    report = kg.validate([DATA, BAD / "unknown_term.trig"])
    unknown = [f for f in report.violations if f.rule == "kg:unknown-term"]
    messages = " ".join(f.message for f in unknown)
    assert "holdr" in messages and "did you mean <https://w3id.org/kg/ontology#holder>" in messages
    assert "Persn" in messages and "did you mean <https://w3id.org/kg/ontology#Person>" in messages
    assert all(f.file and f.file.endswith("unknown_term.trig") for f in unknown)


def test_a_syntax_error_raises_with_file_line_and_column() -> None:
    with pytest.raises(ParseError) as caught:
        kg.validate([BAD / "syntax_error.ttl"])
    assert (caught.value.line, caught.value.column) == (7, 26)
    assert str(caught.value).startswith(f"{BAD / 'syntax_error.ttl'}:7:26: ")


def test_a_file_that_is_not_utf8_raises_a_located_error() -> None:
    with pytest.raises(ParseError, match="UTF-8") as caught:
        kg.validate([BAD / "not_utf8.ttl"])
    assert caught.value.line == 5


def test_a_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        kg.validate([tmp_path / "nope.ttl"])


def test_an_empty_data_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no data files in this folder"):
        kg.validate(data=tmp_path)


def test_validation_leaves_the_callers_graph_untouched(graph: kg.KnowledgeGraph) -> None:
    before = len(graph.store)
    kg.validate(graph=graph)
    assert len(graph.store) == before


def test_warnings_are_reported_but_do_not_fail() -> None:
    report = kg.validate([DATA, BAD / "warning_only.trig"])
    assert report.conforms
    assert {f.focus for f in report.warnings} == {f"{KGR}agreement-undated"}
    assert {f.path for f in report.warnings} == {"kg:date", "kg:place"}
    assert "Warnings (2):" in report.to_text()


def test_part_of_on_an_agreement_is_a_violation_not_a_retyping(tmp_path: Path) -> None:
    """The obvious way to write "signed during the meeting" is reported, with the fix."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    trig = data / "001_9e02c3f3c2711bf1.trig"
    text = trig.read_text(encoding="utf-8")
    marker = "    kgr:agreement-2024-10-14-haf-icesco a kg:CooperationAgreement ;\n"
    assert marker in text
    trig.write_text(text.replace(marker, marker + "        kg:partOf kgr:meeting-2024-10-14-rabat ;\n"),
                    encoding="utf-8")
    report = kg.validate(data=data)
    [found] = [f for f in report.violations if f.rule == "kgsh:PartOfSubjectShape"]
    assert found.focus == KGR + "agreement-2024-10-14-haf-icesco"
    assert "kg:signedDuring" in found.message
    [entailed] = [f for f in report.violations if f.rule == "kg:disjoint-after-entailment"]
    assert (entailed.focus, entailed.path, entailed.value) == (
        KGR + "agreement-2024-10-14-haf-icesco", "kg:partOf", "kg:Event")


def test_a_domain_that_would_retype_a_node_into_an_excluded_kind_is_a_violation(
        tmp_path: Path) -> None:
    """Disjoint kinds are checked after entailment: kg:participant (rdfs:domain kg:Event) on
    an agreement passes every shape on the stated data, but loading would make the agreement
    an event too."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    trig = data / "001_9e02c3f3c2711bf1.trig"
    marker = "    kgr:agreement-2024-10-14-haf-icesco a kg:CooperationAgreement ;\n"
    text = trig.read_text(encoding="utf-8")
    trig.write_text(text.replace(marker, marker + "        kg:participant kgr:icesco ;\n"),
                    encoding="utf-8")
    report = kg.validate(data=data)
    [found] = report.violations
    assert found.rule == "kg:disjoint-after-entailment"
    assert (found.focus, found.path, found.value) == (
        KGR + "agreement-2024-10-14-haf-icesco", "kg:participant", "kg:Event")
    assert "A kg:Agreement is not a kg:Event" in found.message
    assert "rdfs:domain of kg:participant" in found.message
    assert found.file is not None and found.file.endswith("001_9e02c3f3c2711bf1.trig")


# ------------------------------------------------------------------ messages that show the fix
# Each test makes one mistake a newcomer makes in a copy of the seed data, and expects the
# hint that shows the fix (in the report, its text and its JSON).

FIRST, SECOND = "000_b2925a6198033b1b", "001_9e02c3f3c2711bf1"


def _planted(tmp_path: Path, old: str, new: str, *, file: str = f"{SECOND}.trig") -> Path:
    """A copy of the seed data where ``old`` (found exactly once in ``file``) is ``new``."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is in {file} {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return data


def _only(report: kg.Report, rule: str) -> Finding:
    found = [f for f in report.findings if f.rule == rule]
    assert len(found) == 1, report.to_text()
    return found[0]


def test_a_node_named_by_no_web_iri_is_a_located_violation(tmp_path: Path) -> None:
    """A blank node (no other article could name it again) or an IRI of another scheme
    (javascript:, which a page or notebook would make a link that runs code) for a thing kg
    describes: kgsh:WebIriShape, at its file and line, by either engine."""
    data = seed_data_with(tmp_path, "odd.ttl",
                          '<javascript:alert(1)> a kg:Person ; rdfs:label "Odd one"@en .\n'
                          '[] a kg:Person ; rdfs:label "Nameless"@en .\n')  # (lines 4, 5)
    report = kg.validate(data=data)
    found = sorted((f.focus_label, f.focus[:2], f.line) for f in report.violations
                   if f.rule == "kgsh:WebIriShape")
    # (a blank node is shown _:label, and found in the file by its label)
    assert found == [("Nameless", "_:", 5), ("Odd one", "ja", 4)], report.to_text()
    assert all(f.file is not None and f.file.endswith("odd.ttl") for f in report.violations)
    assert {f.rule for f in report.violations} == {"kgsh:WebIriShape"}, report.to_text()
    from kg.rudof_engine import available

    if available():  # (each load names a blank node anew)
        def seen(r: kg.Report) -> list[tuple[object, ...]]:
            return sorted((f.rule, f.focus_label, f.line, f.message) for f in r.findings)

        assert seen(kg.validate(data=data, engine="rudof")) == seen(report)


def test_a_quote_not_verbatim_shows_the_closest_passage_and_names_invisible_differences(
        tmp_path: Path) -> None:
    """Curly apostrophe for a straight one, and a double space: marked, and named."""
    data = _planted(tmp_path, "kg:quote \"the organization's pavilion representation at COP29\"",
                    "kg:quote \"the organization\u2019s  pavilion representation at COP29\"")
    report = kg.validate(data=data)
    finding = _only(report, "kg:quote-not-in-source")
    assert finding.hint is not None
    assert "the organization[-\u2019-]{+'+}s[-\u2423-] pavilion representation at COP29" in finding.hint
    assert f"sources/{SECOND}.txt:7" in finding.hint
    assert "the quote has a curly apostrophe (\u2019) where the article has a straight apostrophe (')" in finding.hint
    assert "the quote has a double space where the article has one" in finding.hint
    assert 'copy it from the text: "the organization\'s pavilion representation at COP29"' in finding.hint
    assert "hint: closest passage" in report.to_text()
    [as_json] = [r for r in report.to_dict()["results"] if r["rule"] == "kg:quote-not-in-source"]
    assert as_json["hint"] == finding.hint
    # located on the quote's own line, not where its node's description starts (a node of
    # several quotes: which one was it)
    assert finding.file is not None and finding.line is not None
    line = Path(finding.file).read_text(encoding="utf-8").splitlines()[finding.line - 1]
    assert "kg:quote \"the organization\u2019s  pavilion representation" in line


def test_a_hyphen_typed_for_the_articles_en_dash_is_named(tmp_path: Path) -> None:
    data = _planted(tmp_path, "ICESCO Director-General Salim bin Mohammed Almalik addressed",
                    "ICESCO Director\u2013General Salim bin Mohammed Almalik addressed",
                    file=f"sources/{FIRST}.txt")
    report = kg.validate(data=data)
    hints = [f.hint or "" for f in report.violations if f.rule == "kg:quote-not-in-source"]
    assert hints and all("the quote has a hyphen (-) where the article has an en dash (\u2013)" in h
                         for h in hints), report.to_text()


def test_an_undescribed_place_says_which_file_and_the_lines_to_add(tmp_path: Path) -> None:
    data = _planted(tmp_path, "        kg:place kgr:shusha ;\n", "        kg:place kgr:new-country ;\n")
    finding = _only(kg.validate(data=data), "kgsh:PlaceValue")
    assert "kgr:new-country is described nowhere" in finding.message
    assert finding.hint is not None
    assert "describe it in " + str(data / "entities.ttl") in finding.hint
    assert "kgr:new-country a kg:Country ;" in finding.hint
    assert 'rdfs:label "New country"@en .' in finding.hint


def test_an_undescribed_role_goes_where_the_roles_are(tmp_path: Path) -> None:
    """The file is the one that holds things of the class the shape expects, as the data
    shows: rename the vocabulary file and the hint follows it."""
    data = _planted(tmp_path, "kg:role kgr:role-vice-president", "kg:role kgr:role-chair")
    (data / "vocabulary.ttl").rename(data / "concepts.ttl")
    finding = _only(kg.validate(data=data), "kgsh:RoleValue")
    assert finding.hint is not None
    assert "describe it in " + str(data / "concepts.ttl") in finding.hint
    assert "kgr:role-chair a kg:Role ;" in finding.hint
    assert "skos:inScheme kgr:roles ;" in finding.hint
    assert 'rdfs:label "Chair"@en .' in finding.hint


def test_a_mistyped_iri_of_an_existing_entity_gets_did_you_mean(tmp_path: Path) -> None:
    data = _planted(tmp_path, "kg:conferredBy kgr:icesco", "kg:conferredBy kgr:icesko")
    finding = _only(kg.validate(data=data), "kgsh:ConferredByValue")
    assert finding.hint is not None
    assert finding.hint.startswith('did you mean kgr:icesco ("ICESCO")?')


def test_a_mistyped_iri_of_a_restated_fact_is_untyped_with_did_you_mean(tmp_path: Path) -> None:
    """Restating a fact under a misspelt IRI describes a new node of no kind: reported."""
    data = _planted(tmp_path, "    kgr:post-salim-al-malik-icesco-director-general a kg:PostHolding ;\n",
                    "    kgr:post-salim-al-malik-icesco-director-genral kg:holder kgr:salim-al-malik .\n"
                    "    kgr:post-salim-al-malik-icesco-director-general a kg:PostHolding ;\n")
    finding = _only(kg.validate(data=data), "kg:untyped")
    assert finding.focus == KGR + "post-salim-al-malik-icesco-director-genral"
    assert finding.hint is not None
    assert finding.hint.startswith("did you mean kgr:post-salim-al-malik-icesco-director-general ")


def test_an_unescaped_quote_inside_a_quote_gets_a_hint_to_escape_it(tmp_path: Path) -> None:
    data = _planted(tmp_path, '"Vice President of the Heydar Aliyev Foundation Leyla Aliyeva"',
                    '"Vice "President" of the Heydar Aliyev Foundation Leyla Aliyeva"')
    with pytest.raises(ParseError) as caught:
        kg.validate(data=data)
    assert caught.value.hint is not None and 'write it as \\"' in caught.value.hint
    assert '"""' in caught.value.hint
    done = run("validate", "--data", data)
    assert done.returncode == 2
    assert 'hint: a " inside a string ends the string: write it as \\"' in done.stderr


def test_a_conflicting_restatement_shows_both_values_articles_and_lines_side_by_side(
        tmp_path: Path) -> None:
    data = _planted(tmp_path,
                    '"the Heydar Aliyev Foundation, led by Mehriban Aliyeva" ;\n        kg:role kgr:role-president',
                    '"the Heydar Aliyev Foundation, led by Mehriban Aliyeva" ;\n        kg:role kgr:role-vice-president')
    finding = _only(kg.validate(data=data), "kg:contradiction")
    assert finding.hint is not None
    first, second, *_ = finding.hint.splitlines()
    assert first.startswith(f"src:{FIRST}") and f"{FIRST}.trig:" in first
    assert first.endswith('kg:role kgr:role-president "President"')
    assert second.startswith(f"src:{SECOND}") and f"{SECOND}.trig:" in second
    assert second.endswith('kg:role kgr:role-vice-president "Vice President"')
    assert first.index("kg:role") == second.index("kg:role")  # side by side


# ------------------------------------------------------------------ incremental validation
# Each edit is made to a copy of the seed data; the incremental report (changed=[file],
# with the graph loaded before the edit) merged with the full report from before the edit
# must equal a full validation after it.

NEW_ARTICLE = """@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix kgr: <https://w3id.org/kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix src: <https://w3id.org/kg/source/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

src:002_new {
    src:002_new a kg:NewsArticle ;
        rdfs:label "A new article"@en ;
        dcterms:identifier "002_new" ;
        dcterms:issued "2024-11-01"^^xsd:date ;
        dcterms:publisher kgr:trend ;
        kg:quote "ICESCO met again" .

    kgr:cooperation-haf-icesco a kg:Cooperation ;
        kg:partner kgr:icesco ;
        kg:quote "ICESCO met again" ;
        kg:statedIn src:002_new .
}
"""

#: name -> (file edited, old text, new text); "" as old text appends, None as new deletes
EDITS = {
    "add a fact": (f"{SECOND}.trig", "    kgr:cooperation-haf-icesco a kg:Cooperation ;\n",
                   ("    kgr:cooperation-extra a kg:Cooperation ;\n        kg:partner kgr:icesco ;\n"
                   "        kg:quote \"Relations have further expanded since 2006\" ;\n"
                   "        kg:statedIn src:001_9e02c3f3c2711bf1 .\n\n"
                   "    kgr:cooperation-haf-icesco a kg:Cooperation ;\n")),
    "remove a fact": (f"{SECOND}.trig",
                      ("    kgr:designation-shusha-cultural-capital-2024 a kg:Designation ;\n"
                      "        kg:designee kgr:shusha ;\n        kg:forYear \"2024\"^^xsd:gYear ;\n"
                      "        kg:quote \"Shusha, chosen as the cultural capital of the Islamic world for 2024\" ;\n"
                      "        kg:statedIn src:001_9e02c3f3c2711bf1 ;\n"
                      "        kg:title kgr:title-cultural-capital-of-the-islamic-world .\n"), ""),
    "break a quote": (f"{SECOND}.trig", "\"Relations have further expanded since 2006\"",
                      "\"Relations have expanded further since 2006\""),
    "break a date order": (f"{SECOND}.trig", "kg:endDate \"2025-10\"^^xsd:gYearMonth",
                           "kg:endDate \"1990\"^^xsd:gYear"),
    "change an entity shared by two articles": (
        "entities.ttl", "kgr:icesco a kg:IntergovernmentalOrganization ;",
        "kgr:icesco a kg:Person ;"),
    "add a new article": ("002_new.trig", "", NEW_ARTICLE),
    "delete an article": (f"{SECOND}.trig", None, None),
}


def apply_edit(data: Path, edit: str) -> Path:
    """Make the edit ``edit`` of :data:`EDITS` in the folder ``data``; the file edited."""
    name, old, new = EDITS[edit]
    path = data / name
    if old is None:
        path.unlink()
    elif old == "":
        path.write_text(new, encoding="utf-8")
        (data / "sources" / f"{path.stem}.txt").write_text("ICESCO met again.\n", encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is in {name} {text.count(old)} times"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_incremental_validation_after_an_edit_equals_a_full_validation(
        tmp_path: Path, edit: str) -> None:
    from kg.incremental import merge
    from kg.load import load

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    before_graph = load(data=data, entail=False)
    before = kg.validate(data=data, graph=before_graph)
    path = apply_edit(data, edit)

    after = kg.validate(data=data)
    partial = kg.validate(data=data, changed=[path], before=before_graph)
    assert partial.scope is not None
    merged = merge(before, partial)
    assert merged.to_dict()["results"] == after.to_dict()["results"], (
        f"incremental:\n{merged.to_text()}\nfull:\n{after.to_text()}")
    assert merged.conforms == after.conforms


def test_an_incremental_run_checks_less_than_the_whole_graph(tmp_path: Path) -> None:
    """Changing one small article re-checks the nodes it can affect, not every node."""
    from kg.synth import synth

    data = synth(articles=8, seed=3, out=tmp_path / "data").out
    changed = sorted(data.glob("*.trig"))[3]
    report = kg.validate(data=data, changed=[changed])
    every = {str(s) for s in kg.load(data=data, entail=False).data().subjects()}
    assert report.scope and len(set(report.scope) & every) < len(every)


def test_a_deleted_file_needs_the_graph_from_before(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="graph loaded before"):
        kg.validate(data=DATA, changed=[tmp_path / "gone.trig"])


@pytest.mark.parametrize("part", ["ontology", "shapes"])
def test_a_changed_ontology_or_shapes_file_asks_for_a_full_run(tmp_path: Path,
                                                               part: str) -> None:
    """Every node is checked against them: no subset of the data is enough to re-check."""
    project = tmp_path / "project"
    for name in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / name, project / name)
    changed = next((project / part).glob("*.ttl"))
    with pytest.raises(InputError, match=f"{re.escape(str(changed))}: a file of "
                                         f".*{part}, which every node is checked against: "
                                         f"after changing it, run kg validate without "
                                         f"--changed"):
        kg.validate(project=project, changed=[changed])


def test_a_gone_file_that_the_data_before_did_not_hold_either_is_refused(tmp_path: Path,
                                                                         ) -> None:
    """A mistyped path to a data file said ok, having re-checked nothing; a file really
    deleted is taken (the data before has its graphs)."""
    from kg.load import load

    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    before = load(data=data, entail=False)
    for typo in (data / "0001_mistyped.trig", data / "sources" / "mistyped.txt"):
        with pytest.raises(InputError, match=f"{re.escape(str(typo))}: no such file, and "
                                             f"none was among the files loaded before"):
            kg.validate(data=data, changed=[typo], before=before)
    (data / f"{SECOND}.trig").unlink()
    (data / "sources" / f"{SECOND}.txt").unlink()
    report = kg.validate(data=data, changed=[data / f"{SECOND}.trig"], before=before)
    assert report.scope
    done = run("validate", "--data", data, "--changed", data / "mistyped.trig")
    assert done.returncode == 2 and "no such file" in done.stderr


def test_kg_validate_changed_reports_what_the_change_touches(tmp_path: Path) -> None:
    data = _planted(tmp_path, "kg:endDate \"2025-10\"^^xsd:gYearMonth", "kg:endDate \"1990\"^^xsd:gYear")
    done = run("validate", "--data", data, "--changed", data / f"{SECOND}.trig")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "kgsh:ProjectNotEndedBeforeAgreementShape" in done.stdout
    assert "re-checked" in done.stdout


def test_a_changed_file_that_is_no_data_file_or_article_text_is_refused(tmp_path: Path) -> None:
    """A mistyped or stray path would re-check nothing and say ok; an article's text
    (sources/<id>.txt) is a change the article's quotes depend on, and is taken."""
    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    notes = tmp_path / "notes.ttl"
    notes.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    stray = tmp_path / "stray.txt"
    stray.write_text("words\n", encoding="utf-8")
    for path, words in ((notes, "not one of the data files validated"),
                        (stray, "the text of no article of the data")):
        with pytest.raises(InputError, match=f"{re.escape(str(path))}: {words}"):
            kg.validate(data=data, changed=[path])
    text = data / "sources" / f"{SECOND}.txt"
    assert kg.validate(data=data, changed=[text]).conforms


def test_the_rudof_engine_gives_the_same_report_as_pyshacl(tmp_path: Path) -> None:
    """kg validate --engine rudof: the core shapes in rudof, the same findings."""
    from kg.rudof_engine import available

    if not available():
        if os.environ.get("CI") == "true":
            pytest.fail("pyrudof is not installed (pip install '.[test]' installs it)")
        pytest.skip("pyrudof is not installed (the optional fast extra)")
    data = _planted(tmp_path, "kg:place kgr:shusha ;\n", "kg:place kgr:new-country ;\n")
    assert kg.validate(data=data, engine="rudof").to_dict() == kg.validate(data=data).to_dict()
    done = run("validate", "--data", data, "--engine", "rudof", "--format", "json")
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["counts"]["violations"] == 1


def test_an_unknown_engine_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown validation engine"):
        kg.validate(data=DATA, engine="jena")


@pytest.mark.parametrize("case", ["quote_not_in_source.trig", "signer_without_post.trig",
                                  "unknown_term.trig", "no_source.ttl"])
def test_every_store_and_an_entailed_graph_give_the_same_findings(case: str) -> None:
    # Oxigraph without entailment: the rules run in the store itself; with entailment, or
    # on rdflib's store, in a scratch store read from the N-Triples of the asserted data
    from kg.load import load

    reports = [kg.validate(graph=load([DATA, BAD / case], store=store, entail=entail))
               for store, entail in (("oxigraph", False), ("oxigraph", True), ("rdflib", False))]
    first = reports[0].to_dict()
    assert not reports[0].conforms
    for other in reports[1:]:
        assert other.to_dict() == first


def test_a_shapes_file_edited_in_the_same_process_is_read_again(tmp_path: Path) -> None:
    """The shapes files are parsed once per process per version (size and modification
    time): an edited file is parsed again, and each call gives a graph of its own."""
    from rdflib import URIRef

    from kg.shacl_sparql import split_sparql_rules
    from kg.validate import _split, load_shapes

    folder = tmp_path / "shapes"
    shutil.copytree(kg.load(entail=False).bundle.shapes, folder)
    first, again = load_shapes(folder), load_shapes(folder)
    assert first is not again and set(first) == set(again)
    assert _split(first) is _split(again)
    path = min(folder.glob("*.ttl"))
    path.write_text(path.read_text(encoding="utf-8") + (
        "\n<urn:shape:extra> a <http://www.w3.org/ns/shacl#NodeShape> .\n"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    edited = load_shapes(folder)
    assert len(edited) == len(first) + 1
    assert _split(edited)[0] is not _split(first)[0]
    first.add((URIRef("urn:x"), URIRef("urn:p"), URIRef("urn:y")))  # changed: split anew
    assert set(_split(first)[0]) == set(split_sparql_rules(first)[0])
    # an older copy of the same size put back with the edited file's modification time
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("urn:shape:extra", "urn:shape:other"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    put_back = load_shapes(folder)
    assert (URIRef("urn:shape:other"), None, None) in put_back
    assert (URIRef("urn:shape:extra"), None, None) not in put_back


def test_the_core_shapes_of_an_incremental_run_read_the_scopes_neighbourhood_only() -> None:
    from rdflib import Graph, URIRef

    from kg.asserted import Asserted
    from kg.load import load
    from kg.namespaces import KG
    from kg.shacl_sparql import split_sparql_rules
    from kg.validate import _neighbourhood, load_shapes

    graph = load(data=DATA, entail=False)
    asserted = Asserted(graph, with_ontology=True)
    post = URIRef(f"{KGR}post-leyla-aliyeva-haf-vice-president")
    shapes, _rules = split_sparql_rules(load_shapes(graph.bundle.shapes))
    _lookup, written = _neighbourhood(asserted, {post}, shapes)
    assert written is not None
    read = Graph().parse(data=written, format="nt")
    assert {s for s in read.subjects() if (s, None, None) not in graph.ontology} <= (
        {post} | set(asserted.objects(post, None)))
    farther = Graph().parse(data=f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> sh:targetClass <{KG}PostHolding> ; sh:node <urn:t> .""", format="turtle")
    assert _neighbourhood(asserted, {post}, shapes + farther)[1] is None


def test_the_neighbourhood_written_by_oxigraph_holds_the_statements_the_look_ups_find(
        tmp_path: Path) -> None:
    """On Oxigraph one CONSTRUCT query writes the scope's neighbourhood; on rdflib's store
    it is looked up: the same statements, for the scope of every file."""
    from rdflib import Graph

    from kg.asserted import Asserted
    from kg.incremental import changed_triples, scope
    from kg.load import load
    from kg.shacl_sparql import split_sparql_rules
    from kg.synth import synth
    from kg.validate import _neighbourhood, load_shapes

    data = synth(articles=6, seed=5, out=tmp_path / "data").out
    graphs = [load(data=data, entail=False, store=store) for store in ("oxigraph", "rdflib")]
    shapes, _rules = split_sparql_rules(load_shapes(graphs[0].bundle.shapes))
    for file in sorted(data.glob("*.t*")):
        read = []
        for graph in graphs:
            only = scope(changed_triples(graph, [file]), [Asserted(graph)])
            _lookup, written = _neighbourhood(Asserted(graph, with_ontology=True), only, shapes)
            assert written is not None
            read.append(set(Graph().parse(data=written, format="nt")))
        assert read[0] == read[1], file.name


# ------------------------------------------------------------------ the dataset checks at scale
# Each dataset check asks Oxigraph one set-based query (src/kg/sparql/), read as plain values;
# on rdflib's store it looks up instead. Both must find the same problems, in a full run and
# in an incremental one.

#: mistakes of every dataset check, planted in a copy of the seed data: (file, old, new)
MISTAKES = [
    (f"{SECOND}.trig", "    kgr:agreement-2024-10-14-haf-icesco a kg:CooperationAgreement ;\n",
     ("    kgr:agreement-2024-10-14-haf-icesco a kg:CooperationAgreement ;\n"
      "        kg:participant kgr:icesco ;\n")),  # a retyping by a domain
    (f"{SECOND}.trig", "\"Relations have further expanded since 2006\"",
     "\"Relations have expanded further since 2006\""),  # a quote not verbatim
    (f"{FIRST}.trig", "kg:quote \"Since 1991, Azerbaijan has been a member of ICESCO\",",
     ("kg:statedInn \"x\" ;\n        kg:quote \"words of no article\",\n"
      "            \"Since 1991, Azerbaijan has been a member of ICESCO\",")),  # unknown term
    ("entities.ttl", "kgr:icesco a kg:IntergovernmentalOrganization ;",
     "kgr:icesco a kg:IntergovernmentalOrganization ;\n    kg:quote \"not an article\" ;"),
    ("entities.ttl", "kgr:icesco-headquarters a kg:Headquarters ;\n",
     ("kgr:icesco-headquarterz rdfs:label \"typo\"@en .\n"
      "kgr:icesco-headquarters a kg:Headquarters ;\n")),  # untyped
]


@pytest.fixture(scope="module")
def mistaken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed data with :data:`MISTAKES`, a planted contradiction, and one text missing."""
    data = tmp_path_factory.mktemp("mistaken") / "data"
    shutil.copytree(DATA, data)
    for file, old, new in [*MISTAKES, (f"{SECOND}.trig", "        kg:place kgr:shusha ;\n",
                                       ("        kg:date \"2024-05-12\"^^xsd:date ;\n"
                                        "        kg:place kgr:shusha ;\n"))]:
        path = data / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is in {file} {text.count(old)} times"
        path.write_text(text.replace(old, new), encoding="utf-8")
    (data / "sources" / f"{FIRST}.txt").rename(data / "sources" / "elsewhere.txt")
    return data


def _rules(report: kg.Report) -> set[str]:
    return {f.rule for f in report.findings}


def test_the_dataset_checks_find_the_same_by_query_in_oxigraph_as_by_look_up_in_rdflib(
        mistaken: Path) -> None:
    from kg.load import load

    oxigraph = kg.validate(graph=load(data=mistaken, entail=False, store="oxigraph"))
    assert {"kg:disjoint-after-entailment", "kg:quote-not-in-source", "kg:unknown-term",
            "kg:untyped", "kg:missing-source-text", "kg:contradiction"} <= _rules(oxigraph)
    rdflib = kg.validate(graph=load(data=mistaken, entail=False, store="rdflib"))
    assert rdflib.to_dict() == oxigraph.to_dict()


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_an_incremental_run_on_each_file_finds_what_a_full_run_finds_in_its_scope(
        mistaken: Path, store: str) -> None:
    from kg.incremental import merge
    from kg.load import load

    graph = load(data=mistaken, entail=False, store=store)
    full = kg.validate(graph=graph, data=mistaken)
    for file in sorted(mistaken.glob("*.t*")):
        partial = kg.validate(graph=graph, data=mistaken, changed=[file])
        assert merge(full, partial).to_dict()["results"] == full.to_dict()["results"], file.name


def test_the_types_entailment_adds_are_the_same_asked_of_oxigraph_or_looked_up(
        mistaken: Path) -> None:
    from kg.asserted import Asserted
    from kg.kinds import entailed_types
    from kg.load import load

    ox, lib = (load(data=mistaken, entail=False, store=s) for s in ("oxigraph", "rdflib"))
    everything = entailed_types(Asserted(ox), ox.ontology)
    assert everything and everything == entailed_types(Asserted(lib), lib.ontology)
    nodes = {node for node, _ in everything}
    assert entailed_types(Asserted(ox), ox.ontology, nodes=nodes) == everything


def test_on_oxigraph_an_incremental_run_asks_set_queries_not_a_look_up_per_node(
        mistaken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scope, the retypings and the contradictions of a changed article: a few queries
    whatever the size of the scope; a ``Store.quads`` look-up only for a fact's property
    that two sources give (values that may disagree, to compare)."""
    from rdflib import URIRef

    from kg.asserted import Asserted
    from kg.contradictions import _said, contradicted, is_source_graph
    from kg.incremental import changed_triples, scope
    from kg.kinds import entailed_types
    from kg.load import load

    graph = load(data=mistaken, entail=False, store="oxigraph")
    data = Asserted(graph)
    changed = changed_triples(graph, [mistaken / f"{FIRST}.trig"])
    only = scope(changed, [data])
    retyped = entailed_types(data, graph.ontology, nodes=only)
    disputed = {URIRef(fact) for fact in contradicted(graph)}
    assert len(only) > 20 and retyped and disputed & only
    looked_up: list[tuple[object, ...]] = []
    real = graph.store.quads
    monkeypatch.setattr(graph.store, "quads", lambda *a: looked_up.append(*a) or real(*a))
    assert scope(changed, [data]) == only
    assert entailed_types(data, graph.ontology, nodes=only) == retyped
    assert looked_up == []
    assert _said(graph, only)
    assert looked_up
    for pattern in looked_up:
        assert len({g for *_, g in real(pattern) if is_source_graph(g)}) >= 2, pattern
