"""Inside a checkout every command works on its files, and says so; adding an article to a
copy of the repository by the README's recipe validates it, and nothing else gives a
false "ok".

Each test works on a temporary checkout: a copy of ``ontology/ data/ shapes/ queries/``,
with the commands run from inside it (in-process through click's runner, and as ``python -m kg``
for the installed copy against the project, as a user would after
``pip install -e '.[test]'``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.bundle import bundled, find_project
from kg.cli import cli
from kg.load import resolve_bundle

from .conftest import ROOT

ARTICLE_ID = "002_generated"
TEXT = ("BAKU, Azerbaijan, November 12\n\n"
        "Leyla Aliyeva met ICESCO Director-General Salim bin Mohammed al-Malik in Baku, "
        "Trend reports.\n")
FACT = '''
    kgr:meeting-2024-11-12-baku a kg:Meeting ;
        rdfs:label "Meeting of Leyla Aliyeva and Salim bin Mohammed Al-Malik in Baku (2024-11-12)"@en ;
        kg:date "2024-11-12"^^xsd:date ;
        kg:inferredProperty kg:date ;
        kg:inferenceNote "The dateline prints no year; the year is that of the article." ;
        kg:participant kgr:leyla-aliyeva , kgr:salim-al-malik ;
        kg:place kgr:baku ;
        kg:quote "Leyla Aliyeva met ICESCO Director-General Salim bin Mohammed al-Malik in Baku" ;
        kg:statedIn src:002_generated .
'''


def run(*args: str | Path, cwd: Path, process: bool = False) -> subprocess.CompletedProcess[str]:
    """``kg ARGS`` run from ``cwd``: in this process through click's test runner, or with
    ``process`` as ``python -m kg ARGS`` with this checkout's kg importable."""
    if not process:
        with contextlib.chdir(cwd):
            result = CliRunner().invoke(cli, [str(arg) for arg in args], prog_name="kg")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return subprocess.CompletedProcess(["kg", *map(str, args)], result.exit_code,
                                           result.stdout, result.stderr)
    env = os.environ.copy()
    src = str(Path(kg.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300, check=False)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the repository's ontology, data, shapes and queries."""
    root = tmp_path / "checkout"
    for part in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / part, root / part)
    return root


def add_generated_article(checkout: Path) -> Path:
    """Steps 1-5 of the README's recipe, with ``kg new-article`` and one fact."""
    text = checkout.parent / "article.txt"
    text.write_text(TEXT, encoding="utf-8")
    made = run("new-article", text, "--id", ARTICLE_ID, "--publisher", "kgr:trend",
               "--issued", "2024-11-12", "--dateline", "BAKU, Azerbaijan, November 12",
               cwd=checkout)
    assert made.returncode == 0, made.stderr
    return add_generated_article_to_skeleton(checkout)


def add_generated_article_to_skeleton(checkout: Path) -> Path:
    """Step 4 of the recipe: the fact written into the skeleton, the files formatted."""
    trig = checkout / "data" / f"{ARTICLE_ID}.trig"
    body = trig.read_text(encoding="utf-8").rstrip()
    assert body.endswith("}")
    trig.write_text(body[:-1] + FACT + "}\n", encoding="utf-8")
    formatted = run("format", "data/", cwd=checkout)
    assert formatted.returncode == 0, formatted.stderr
    return trig


# ------------------------------------------------------------------ discovery


def test_the_project_is_found_upwards_from_the_working_directory(checkout: Path) -> None:
    assert find_project(checkout / "data" / "sources") == checkout.resolve()
    assert find_project(checkout.parent) is None
    bundle = resolve_bundle(discover=True, start=checkout / "data")
    assert bundle.origin == "project" and bundle.data == checkout.resolve() / "data"
    assert resolve_bundle(discover=False).origin == "installed"


def test_a_project_without_queries_uses_the_installed_ones(checkout: Path) -> None:
    shutil.rmtree(checkout / "queries")
    assert resolve_bundle(project=checkout).queries == bundled().queries


def test_every_command_says_first_which_files_it_uses(checkout: Path) -> None:
    where = f"kg: using the project at {checkout.resolve()}"
    inside = checkout / "data" / "sources"
    assert run("validate", cwd=inside).stdout.splitlines()[0] == where
    assert run("validate", "--format", "json", cwd=inside).stderr.splitlines()[0] == where
    assert run("query", "cq01-agreements-between", cwd=inside).stderr.splitlines()[0] == where
    assert run("queries", cwd=inside).stdout.splitlines()[0] == where
    assert run("format", "--check", cwd=inside).stdout.splitlines()[0] == where
    assert run("contradictions", cwd=inside).stdout.splitlines()[0] == where
    built = run("build", "--out", checkout.parent / "build", cwd=inside)
    assert built.stdout.splitlines()[0] == where


def test_a_command_on_a_built_store_says_it_reads_the_store_not_the_project(
        checkout: Path) -> None:
    """The files are not what is queried then: the first line names the store, and the
    project only for the named queries it gives."""
    store = checkout.parent / "build" / "oxigraph"
    assert run("build", "--out", store.parent, "--store-dir", store,
               cwd=checkout).returncode == 0
    said = (f"kg: using the graph in the Oxigraph store at {store} (named queries: the "
            f"project at {checkout.resolve()})")
    asked = run("query", "cq01-agreements-between", "--store", f"oxigraph:{store}",
                cwd=checkout)
    assert asked.returncode == 0 and asked.stderr.splitlines()[0] == said
    near = run("neighbors", "ICESCO", "--store", f"oxigraph:{store}", cwd=checkout)
    assert near.returncode == 0 and near.stderr.splitlines()[0] == said
    found = run("contradictions", "--store", f"oxigraph:{store}", cwd=checkout)
    assert found.stdout.splitlines()[0] == said
    assert run("query", "cq01-agreements-between", "--store", "rdflib",
               cwd=checkout).stderr.splitlines()[0] == (f"kg: using the project at "
                                                        f"{checkout.resolve()}")


def test_bundled_asks_for_the_installed_copy_and_project_wins(checkout: Path,
                                                               tmp_path: Path) -> None:
    (checkout / "data" / "entities.ttl").unlink()  # this project no longer validates
    inside = run("validate", cwd=checkout, process=True)
    assert inside.returncode == 1
    installed = run("validate", "--bundled", cwd=checkout, process=True)
    assert installed.returncode == 0, installed.stdout
    assert installed.stdout.startswith("kg: using the installed copy")
    other = tmp_path / "other"
    for part in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / part, other / part)
    given = run("validate", "--project", other, cwd=checkout, process=True)
    assert given.returncode == 0, given.stdout
    assert given.stdout.startswith(f"kg: using the project at {other}")


# ------------------------------------------------------------------ the recipe, end to end


def test_an_added_article_is_validated_built_queried_and_formatted(checkout: Path) -> None:
    add_generated_article(checkout)

    validated = run("validate", cwd=checkout)
    assert validated.returncode == 0, validated.stdout
    assert "3 sources" in validated.stdout  # the new article was read: no false "ok"

    built = run("build", "--out", "build", cwd=checkout)
    assert built.returncode == 0, built.stderr
    manifest = json.loads((checkout / "build" / "manifest.json").read_text(encoding="utf-8"))
    generated = [s for s in manifest["sources"] if s["identifier"] == ARTICLE_ID]
    assert generated and generated[0]["issued_inferred"] is True

    asked = run("query", "cq09-month-timeline", "--param", "month=2024-11", "--format", "json",
                cwd=checkout)
    assert asked.returncode == 0, asked.stderr
    items = {b["item"]["value"] for b in json.loads(asked.stdout)["results"]["bindings"]}
    assert "https://w3id.org/kg/id/meeting-2024-11-12-baku" in items

    assert run("format", "--check", cwd=checkout).returncode == 0
    listed = run("contradictions", "--format", "json", cwd=checkout)
    assert listed.returncode == 0 and json.loads(listed.stdout) == []


def test_a_skeleton_left_as_it_is_is_valid_with_warnings_that_say_what_is_left(
        checkout: Path) -> None:
    """(a fresh skeleton is valid data: the warnings keep "ok" from passing for "done")"""
    text = checkout.parent / "article.txt"
    text.write_text(TEXT, encoding="utf-8")
    assert run("new-article", text, "--id", ARTICLE_ID, "--publisher", "kgr:trend",
               "--issued", "2024-11-12", cwd=checkout).returncode == 0
    changed = f"data/{ARTICLE_ID}.trig"
    for args in ((), ("--changed", changed)):
        validated = run("validate", "--format", "json", *args, cwd=checkout)
        assert validated.returncode == 0, validated.stdout
        report = json.loads(validated.stdout)
        found = {(f["rule"], f["severity"], f["focus"], f["file"]) for f in report["results"]}
        article = f"https://w3id.org/kg/source/{ARTICLE_ID}"
        assert found == {("kg:states-nothing", "Warning", article, changed),
                         ("kg:placeholder-label", "Warning", article, changed)}

    trig = add_generated_article_to_skeleton(checkout)
    trig.write_text(trig.read_text(encoding="utf-8").replace(
        "a one-line summary of the article", "Leyla Aliyeva meets ICESCO's Director-General"),
        encoding="utf-8")
    for args in ((), ("--changed", changed)):
        validated = run("validate", "--format", "json", *args, cwd=checkout)
        assert validated.returncode == 0 and json.loads(validated.stdout)["results"] == []


def test_a_mistake_in_the_added_article_is_not_an_ok(checkout: Path) -> None:
    trig = add_generated_article(checkout)
    text = trig.read_text(encoding="utf-8")
    trig.write_text(text.replace("met ICESCO Director-General", "met the Director-General"),
                    encoding="utf-8")
    validated = run("validate", cwd=checkout)
    assert validated.returncode == 1
    assert f"data/{ARTICLE_ID}.trig" in validated.stdout


def test_new_article_refuses_to_overwrite_and_prints_the_next_steps(checkout: Path) -> None:
    text = checkout.parent / "article.txt"
    text.write_text(TEXT, encoding="utf-8")
    args = ("new-article", text, "--id", ARTICLE_ID, "--publisher", "kgr:trend",
            "--issued", "2024-11-12")
    first = run(*args, cwd=checkout)
    assert first.returncode == 0, first.stderr
    assert "next steps:" in first.stdout and "kg validate" in first.stdout
    assert "flagged as inferred" in first.stdout  # "BAKU, Azerbaijan, November 12": no year
    assert (checkout / "data" / "sources" / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8") == TEXT
    skeleton = run("validate", cwd=checkout)
    assert skeleton.returncode == 0, skeleton.stdout  # the skeleton alone is valid
    # its label names the publisher as the data does (it said "trend", the IRI's end)
    written = (checkout / "data" / f"{ARTICLE_ID}.trig").read_text(encoding="utf-8")
    assert 'rdfs:label "Trend, 2024-11-12: a one-line summary of the article"@en' in written
    again = run(*args, cwd=checkout)
    assert again.returncode == 2
    assert "already exists" in again.stderr


@pytest.mark.parametrize("change, words", [
    ({"--publisher": "not an iri"}, "--publisher 'not an iri' is not an IRI"),
    ({"--issued": "2024-13-45"}, "--issued '2024-13-45' is no such date"),
    ({"--issued": "2024-02-30"}, "--issued '2024-02-30' is no such date"),
    ({"--issued": "2024-13"}, "--issued '2024-13' is no such date"),
    ({"text": b"\xff\xfe BAKU"}, "not UTF-8 text (byte 0xff at offset 0)"),
    ({"--id": "trend-2024\n"}, "--id 'trend-2024\\n': use letters"),  # a file name with "\n"
    ({"--label": "Two\nlines"}, "--label 'Two\\nlines': a label is a summary on one line"),
    ({"--label": "   "}, "--label '   ': a label is a summary on one line, not blank"),
])
def test_new_article_refuses_a_bad_publisher_date_or_text_and_writes_nothing(
        checkout: Path, change: dict[str, object], words: str) -> None:
    text = checkout.parent / "article.txt"
    text.write_bytes(change.pop("text", TEXT.encode("utf-8")))  # type: ignore[arg-type]
    options = {"--id": ARTICLE_ID, "--publisher": "kgr:trend", "--issued": "2024-11-12",
               **change}
    before = sorted(p.name for p in (checkout / "data").rglob("*"))
    made = run("new-article", text, *(x for pair in options.items() for x in pair),
               cwd=checkout)
    assert made.returncode == 2 and words in made.stderr
    assert "Traceback" not in made.stderr + made.stdout
    assert sorted(p.name for p in (checkout / "data").rglob("*")) == before


@pytest.mark.parametrize("language", ["en US", "en\n", "e"])
def test_new_article_in_python_refuses_a_language_that_is_no_tag(checkout: Path,
                                                                 language: str) -> None:
    text = checkout.parent / "article.txt"
    text.write_text(TEXT, encoding="utf-8")
    with pytest.raises(kg.errors.InputError, match="is not a language tag"):
        kg.new_article(text, id=ARTICLE_ID, publisher="kgr:trend", issued="2024-11-12",
                       data=checkout / "data", language=language)
    assert not (checkout / "data" / f"{ARTICLE_ID}.trig").exists()


def test_new_article_keeps_a_printed_year_uninferred(checkout: Path) -> None:
    text = checkout.parent / "article.txt"
    text.write_text("RABAT, November 12, 2024\n\nSome news.\n", encoding="utf-8")
    made = kg.new_article(text, id="003_dated", publisher="kgr:trend", issued="2024-11-12",
                          data=checkout / "data")
    assert made.issued_inferred is False
    assert "inferredProperty" not in made.trig.read_text(encoding="utf-8")
