"""kg.validate: the bundled data conforms; each kind of bad data gets a located finding."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import kg
from kg.errors import InputError, ParseError

from .conftest import BAD, DATA, REAL_DATA

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
                                        "value", "message", "file", "line"}
    json.dumps(first)


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
