"""kg synth: a deterministic corpus in kg's model that passes validation, or fails exactly
as asked."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.errors import InputError
from kg.synth import MARKER, VIOLATION_KINDS, synth

from .conftest import DATA


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return synth(articles=5, seed=3, out=tmp_path_factory.mktemp("synth") / "data")


def test_five_articles_pass_validation_with_every_quote_verbatim(corpus):
    report = kg.validate(data=corpus.out)
    assert report.conforms, report.to_text()
    assert report.sources == 5
    assert not [f for f in report.findings if f.severity != "Info"]


def test_the_corpus_is_kgs_data_folder_layout(corpus):
    names = {p.name for p in corpus.out.iterdir()}
    assert {"entities.ttl", "vocabulary.ttl", "sources"} <= names
    assert {f"{a}.trig" for a in corpus.articles} <= names
    assert {p.stem for p in (corpus.out / "sources").iterdir()} == set(corpus.articles)


def test_it_uses_the_model_posts_dates_signatures_aliases(corpus):
    graph = kg.load(data=corpus.out)
    counts = kg.query("""SELECT
        (COUNT(DISTINCT ?post) AS ?posts) (COUNT(DISTINCT ?sig) AS ?signatures)
        (COUNT(DISTINCT ?alt) AS ?aliases) (COUNT(DISTINCT ?inferred) AS ?inferred_dates)
        (COUNT(DISTINCT ?month) AS ?months) WHERE {
        { ?post a kg:PostHolding } UNION { ?sig a kg:Signature ; kg:signatory ?who }
        UNION { ?x skos:altLabel ?alt } UNION { ?inferred kg:inferredProperty kg:date }
        UNION { ?month kg:endDate ?end FILTER (datatype(?end) = xsd:gYearMonth) } }""",
                      graph=graph).to_records()[0]
    assert all(value > 0 for value in counts.values()), counts
    assert len(kg.query("cq02-signatories", graph=graph,
                        agreement=f"kgr:agreement-{corpus.articles[0]}")) == 2


def test_the_same_seed_writes_the_same_bytes(tmp_path):
    first = synth(articles=4, seed=9, out=tmp_path / "a")
    second = synth(articles=4, seed=9, out=tmp_path / "b")
    other = synth(articles=4, seed=10, out=tmp_path / "c")
    assert _digest(first.out) == _digest(second.out) != _digest(other.out)


def test_injected_violations_are_exactly_what_validate_reports(tmp_path):
    corpus = synth(articles=12, seed=2, out=tmp_path / "bad",
                   violations=len(VIOLATION_KINDS))
    report = kg.validate(data=corpus.out)
    found = sorted((f.rule, f.focus) for f in report.findings if f.severity == "Violation")
    assert found == corpus.expected
    assert {rule for rule, _ in found} >= {rule for _, rule in VIOLATION_KINDS}


def test_a_thousand_articles_are_a_thousand_article_files(tmp_path):
    """Its speed is a benchmark's (``benchmarks/bench_targets.py`` writes its corpora with
    it), not a test's."""
    corpus = synth(articles=1000, seed=1, out=tmp_path / "big")
    assert len(list(corpus.out.glob("*.trig"))) == 1000


def test_it_will_not_replace_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "notes.md").write_text("mine")
    with pytest.raises(InputError, match="not a folder kg synth wrote"):
        synth(articles=1, out=tmp_path)


def test_it_will_not_replace_a_data_folder_of_curated_articles(tmp_path):
    """The same kinds of files as a corpus (TriG, Turtle, sources/): only the marker kg
    synth leaves tells its own folder, which it replaces whole on the next run."""
    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    with pytest.raises(InputError, match="not a folder kg synth wrote"):
        synth(articles=1, out=data)
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before
    corpus = synth(articles=2, seed=1, out=tmp_path / "corpus").out
    assert (corpus / MARKER).is_file()
    again = synth(articles=1, seed=1, out=corpus).out
    assert len(list(again.glob("*.trig"))) == 1
    (tmp_path / "empty").mkdir()
    assert synth(articles=1, out=tmp_path / "empty").out.is_dir()  # an empty folder too


def test_the_command_mirrors_the_function(tmp_path):
    result = CliRunner().invoke(cli, ["synth", "--articles", "6", "--seed", "2", "--out",
                                      str(tmp_path / "d"), "--violations", "2"])
    assert result.exit_code == 0, result.output
    expected = synth(articles=6, seed=2, out=tmp_path / "e", violations=2).expected
    assert [tuple(line.split("\t")) for line in result.stdout.splitlines()] == expected
