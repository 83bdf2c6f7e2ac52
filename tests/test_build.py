"""kg.build: validate, then write TriG, N-Quads and a manifest atomically, or nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import kg
from kg.errors import ParseError, ValidationFailed
from kg.parse import parse_file

from .conftest import BAD, DATA


def test_a_build_writes_trig_nquads_and_a_manifest(tmp_path: Path) -> None:
    result = kg.build(out=tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["kg.nq", "kg.trig", "manifest.json", "sources"]
    assert sorted(p.name for p in (tmp_path / "out" / "sources").iterdir()) == [
        "000_b2925a6198033b1b.txt", "001_9e02c3f3c2711bf1.txt"]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest == result.manifest
    nq = (tmp_path / "out" / "kg.nq").read_text()
    assert manifest["content_sha256"] == hashlib.sha256(nq.encode()).hexdigest()
    assert manifest["entities_per_class"]["kg:Person"] == 4
    assert [s["identifier"] for s in manifest["sources"]] == [
        "000_b2925a6198033b1b", "001_9e02c3f3c2711bf1"]
    trig = parse_file(tmp_path / "out" / "kg.trig")
    assert len(list(trig.quads())) == len(nq.splitlines()) == manifest["quads"]


def test_a_build_is_reproducible(tmp_path: Path) -> None:
    first = kg.build(out=tmp_path / "a").manifest
    second = kg.build(out=tmp_path / "b").manifest
    assert first["content_sha256"] == second["content_sha256"]
    assert (tmp_path / "a" / "kg.nq").read_bytes() == (tmp_path / "b" / "kg.nq").read_bytes()


def _snapshot(folder: Path) -> dict[str, bytes]:
    # (every file, the articles' texts in sources/ too)
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("bad", ["no_label.ttl", "one_party.trig"])
def test_invalid_data_writes_nothing_and_keeps_the_earlier_build(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "out"
    kg.build(out=out)
    before = _snapshot(out)
    with pytest.raises(ValidationFailed) as caught:
        kg.build([DATA, BAD / bad], out=out)
    assert not caught.value.report.conforms  # type: ignore[attr-defined]
    assert _snapshot(out) == before


def test_a_syntax_error_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ParseError):
        kg.build([DATA, BAD / "syntax_error.ttl"], out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_oxigraph_build_files_are_the_rdflib_store_s_statements(tmp_path: Path) -> None:
    """kg.nq and kg.trig are written by Oxigraph itself (no rdflib copy): kg.nq has the very
    lines the rdflib store writes, and kg.trig holds the same quads."""
    kg.build(data=DATA, out=tmp_path / "out")
    nq = (tmp_path / "out" / "kg.nq").read_text(encoding="utf-8")
    on_rdflib = kg.load(data=DATA, store="rdflib").store.serialize(format="nquads")
    assert nq == "".join(sorted(line + "\n" for line in on_rdflib.splitlines() if line.strip()))
    trig = parse_file(tmp_path / "out" / "kg.trig")
    quads = parse_file(tmp_path / "out" / "kg.nq")
    assert set(trig.quads()) == set(quads.quads())


def test_a_store_built_by_a_kg_with_other_keys_is_refused_with_a_way_out(tmp_path: Path) -> None:
    """The search, date and order keys are laid out as the queries of the kg that built
    the store read them; a store of another layout would answer a search with nothing, so
    opening one says so and how to mend it (kg:keysVersion in the entailed graph)."""
    import pyoxigraph

    from kg.errors import InputError
    from kg.load import KEYS_VERSION, open_oxigraph, resolve_bundle

    folder = tmp_path / "oxigraph"
    kg.build(data=DATA, out=tmp_path / "out", store_dir=folder)
    bundle = resolve_bundle()
    assert len(open_oxigraph(folder, bundle=bundle).store) > 0
    store = pyoxigraph.Store(str(folder))
    entailed = pyoxigraph.NamedNode("https://w3id.org/kg/graph/entailed")
    version = pyoxigraph.NamedNode("https://w3id.org/kg/ontology#keysVersion")
    store.remove(pyoxigraph.Quad(entailed, version, pyoxigraph.Literal(
        str(KEYS_VERSION), datatype=pyoxigraph.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")), entailed))
    store.add(pyoxigraph.Quad(entailed, version, pyoxigraph.Literal(
        "1", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        entailed))
    store.flush()
    del store
    with pytest.raises(InputError, match="built by another version of kg.*kg build"):
        open_oxigraph(folder, bundle=bundle)
    from click.testing import CliRunner

    from kg.cli import cli

    served = CliRunner().invoke(cli, ["query", "search", "-p", "text=icesco", "--store",
                                      f"oxigraph:{folder}"], prog_name="kg")
    assert served.exit_code == 2 and "built by another version of kg" in served.output
    assert "kg build --store-dir" in served.output


def test_a_build_file_written_by_a_kg_with_other_keys_is_refused_with_a_way_out(
        tmp_path: Path) -> None:
    """The same holds for a build's kg.nq (kg serve --build): one an older kg wrote (no
    kg:keysVersion; its manifest matching it) is refused, saying to build it again."""
    from kg.build import open_build
    from kg.errors import InputError

    out = tmp_path / "out"
    kg.build(data=DATA, out=out)
    assert len(open_build(out).store) > 0
    nquads = out / "kg.nq"
    lines = nquads.read_bytes().splitlines(keepends=True)
    version = b"<https://w3id.org/kg/graph/entailed> <https://w3id.org/kg/ontology#keysVersion>"
    older = b"".join(line for line in lines if not line.startswith(version))
    assert len(older.splitlines()) == len(lines) - 1
    nquads.write_bytes(older)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["files"]["kg.nq"] = hashlib.sha256(older).hexdigest()
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(InputError, match=f"kg.nq: this store was built by another version "
                                         f"of kg.*kg build --out {out}"):
        open_build(out)


def test_the_store_folder_holds_every_quad_of_the_build_and_nothing_is_left_staged(
        tmp_path: Path) -> None:
    """The folder is copied on the other core while the build validates and writes its
    files (kg.oxigraph_store.BackgroundCopy), then swapped in whole with its projection."""
    from kg.analysis import snapshot
    from kg.load import open_oxigraph

    folder = tmp_path / "oxigraph"
    kg.build(data=DATA, out=tmp_path / "out", store_dir=folder)
    loaded = kg.load(data=DATA)
    opened = open_oxigraph(folder, bundle=loaded.bundle)
    assert set(opened.store.quads((None, None, None))) == set(
        loaded.store.quads((None, None, None)))
    assert len(opened.store) == len(loaded.store)
    assert (folder / snapshot.FILE_NAME).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "oxigraph"]


@pytest.mark.parametrize("inside", [False, True], ids=["beside", "inside"])
def test_the_store_folder_carries_its_articles_texts_and_shows_them_wherever_it_is_served(
        tmp_path: Path, inside: bool) -> None:
    """Served from the folder, an article had no text (it was looked for in the data
    folder of the project the server ran in: none, or another one's), so the article page
    and the explorer's dialog showed quotes without the article they are in."""
    from kg.build import open_build
    from kg.synth import synth

    corpus = synth(articles=3, seed=7, out=tmp_path / "corpus")
    out = tmp_path / "out"
    folder = out / "oxigraph" if inside else tmp_path / "oxigraph"
    kg.build(data=corpus.out, out=out, store_dir=folder)
    texts = sorted((corpus.out / "sources").iterdir())
    assert sorted(p.name for p in (folder / "sources").iterdir()) == [p.name for p in texts]
    # and so does the build folder (kg serve --build)
    assert sorted(p.name for p in (out / "sources").iterdir()) == [p.name for p in texts]
    for served in (kg.load(store=f"oxigraph:{folder}"),  # (the bundle: kg's two articles)
                   open_build(out)):
        for text in texts:
            article = served.article(text.stem)
            assert article["text"] == text.read_text(encoding="utf-8")
            assert all(q in article["text"] for fact in article["facts"]
                       for q in fact["quotes"])


def test_an_article_identifier_that_is_no_file_name_names_no_text(tmp_path: Path) -> None:
    from kg.texts import text_file

    graph = kg.load(data=DATA)
    (tmp_path / "secret.txt").write_text("not an article", encoding="utf-8")
    name = next(iter(graph.graph_files))
    assert text_file(graph, name, f"../../{tmp_path.name}/secret") is None
    assert text_file(graph, name, "000_b2925a6198033b1b").name == "000_b2925a6198033b1b.txt"


def test_a_store_folder_inside_the_output_folder_is_built_again_and_again(
        tmp_path: Path) -> None:
    """kg build --out build --store-dir build/oxigraph, run every day: the store folder is
    swapped in with the build's files, in the same step (it was refused as another file
    on the second run)."""
    from kg.load import open_oxigraph

    out = tmp_path / "build"
    for _ in range(2):
        kg.build(data=DATA, out=out, store_dir=out / "oxigraph")
        assert sorted(p.name for p in out.iterdir()) == [
            "kg.nq", "kg.trig", "manifest.json", "oxigraph", "sources"]
        assert [p.name for p in tmp_path.iterdir()] == ["build"]
    opened = open_oxigraph(out / "oxigraph", bundle=kg.load(data=DATA).bundle)
    assert len(opened.store) == json.loads((out / "manifest.json").read_text())["quads"]
    with pytest.raises(ValidationFailed):
        kg.build([DATA, BAD / "no_label.ttl"], out=out, store_dir=out / "oxigraph")
    assert sorted(p.name for p in out.iterdir()) == [
        "kg.nq", "kg.trig", "manifest.json", "oxigraph", "sources"]
    assert [p.name for p in tmp_path.iterdir()] == ["build"]


@pytest.mark.parametrize("inside", [True, False])
def test_a_killed_builds_staged_store_is_removed_and_a_running_ones_kept(
        tmp_path: Path, inside: bool) -> None:
    """A store staged by a build that was killed (hundreds of megabytes at scale) is removed
    by the next build; one a build running beside holds is left alone (kg.atomic.Staging)."""
    from kg.atomic import Staging

    out = tmp_path / "build"
    store_dir = out / "oxigraph" if inside else tmp_path / "oxigraph"
    prefix = ".build.oxigraph.store-staging-" if inside else ".oxigraph.store-staging-"
    killed = tmp_path / f"{prefix}killed"
    (killed / "store").mkdir(parents=True)
    with Staging(tmp_path, prefix) as running:
        kg.build(data=DATA, out=out, store_dir=store_dir)
        assert not killed.exists()
        assert running.path.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == (
        ["build"] if inside else ["build", "oxigraph"])


def test_a_build_without_store_dir_over_one_that_had_it_says_how_and_keeps_the_store(
        tmp_path: Path) -> None:
    """Swapping the output folder in would delete the store an earlier build put inside
    it: refused, naming the option that builds it again."""
    from kg.errors import InputError

    out = tmp_path / "build"
    kg.build(data=DATA, out=out, store_dir=out / "oxigraph")
    before = sorted(p.name for p in (out / "oxigraph").iterdir())
    with pytest.raises(InputError, match=f"--out {out} holds {out / 'oxigraph'}, the store "
                                         f"folder of an earlier kg build; give --store-dir"):
        kg.build(data=DATA, out=out)
    assert sorted(p.name for p in (out / "oxigraph").iterdir()) == before


@pytest.mark.parametrize("inside", ["", "deeper/oxigraph"])
def test_a_store_dir_that_is_the_output_folder_or_deeper_in_it_is_refused(
        tmp_path: Path, inside: str) -> None:
    from kg.errors import InputError

    out = tmp_path / "build"
    with pytest.raises(InputError, match="--store-dir .* (is the --out folder|is inside "
                                         "--out .* but not directly)"):
        kg.build(data=DATA, out=out, store_dir=out / inside if inside else out)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", ["no_label.ttl", "one_party.trig"])
def test_invalid_data_writes_no_store_folder_and_leaves_nothing_staged(
        tmp_path: Path, bad: str) -> None:
    """The copy begun in the background is waited for and removed: nothing is written."""
    with pytest.raises(ValidationFailed):
        kg.build([DATA, BAD / bad], out=tmp_path / "out", store_dir=tmp_path / "oxigraph")
    assert list(tmp_path.iterdir()) == []


def test_a_store_dir_that_is_not_a_store_is_refused_before_anything_is_loaded(
        tmp_path: Path) -> None:
    from kg.errors import InputError

    other = tmp_path / "notes"
    other.mkdir()
    (other / "todo.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="exists and is not an Oxigraph store folder"):
        kg.build([BAD / "syntax_error.ttl"], out=tmp_path / "out", store_dir=other)
    assert [p.name for p in other.iterdir()] == ["todo.txt"]
    assert not (tmp_path / "out").exists()
