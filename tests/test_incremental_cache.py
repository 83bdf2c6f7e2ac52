"""kg.rebase: an incremental validation (``changed=``, ``kg validate --changed``) that starts
from the cached store of the files before the change, only the changed files read, finds
what a full validation finds; the cached entry is only read."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode

import kg
from kg import statement_count
from kg.cache import cache_root
from kg.errors import KgError, ParseError
from kg.incremental import merge
from kg.load import load, rdf_files

from .conftest import DATA
from .test_validate import EDITS, SECOND
from .test_validate import apply_edit as edit


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    return folder


def entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in cache_dir.iterdir() if not p.name.startswith("."))


def contents(folder: Path) -> dict[str, str]:
    """Each file of a folder (recursively) -> its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_findings_are_the_full_runs_in_scope(partial: kg.Report, full: kg.Report) -> None:
    """The incremental report's findings are the full run's on the nodes of its scope."""
    scope = set(partial.scope or ())
    assert partial.to_dict()["results"] == [
        f for f in full.to_dict()["results"] if f["focus"] in scope]


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_incremental_run_from_the_cached_store_after_an_edit_equals_a_full_validation(
        tmp_path: Path, cache_dir: Path, name: str) -> None:
    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    # what the first kg validate --changed keeps: the store, and its statement count
    before = kg.validate(graph=load(data=data, entail=False, cache=True))
    [entry] = entries(cache_dir)
    assert (entry / statement_count.FILE).is_file()
    kept = contents(entry)
    path = edit(data, name)

    after = kg.validate(data=data)
    partial = kg.validate(data=data, changed=[path], cache=True)
    assert entries(cache_dir) == [entry], "started from the entry, nothing loaded or kept"
    assert contents(entry) == kept, "the cached entry is only read"
    assert not list(cache_dir.glob(".building-*")), "the scratch copy is removed"
    assert partial.scope is not None
    merged = merge(before, partial)
    assert merged.to_dict()["results"] == after.to_dict()["results"], (
        f"incremental:\n{merged.to_text()}\nfull:\n{after.to_text()}")
    assert (partial.statements, partial.sources, partial.files) == (
        after.statements, after.sources, after.files)


@pytest.mark.parametrize("name", ["delete an article", "remove a fact", "add a new article",
                                  "change an entity shared by two articles"])
def test_the_store_made_from_the_cached_one_holds_what_a_load_of_the_files_holds(
        tmp_path: Path, cache_dir: Path, name: str) -> None:
    """Every named graph and the union (the default graph, a set) as a fresh load has them;
    the bookkeeping of files and graphs too."""
    from kg.rebase import from_cache

    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    load(data=data, entail=False, cache=True)
    path = edit(data, name)
    fresh = load(data=data, entail=False)
    files = rdf_files([data])
    with from_cache(files, rdf_files([fresh.bundle.ontology], what="ontology"), [path],
                    bundle=fresh.bundle) as pair:
        assert pair is not None
        after, before = pair
        assert (path in before.graph_files.values()) == (EDITS[name][1] != "")

        def graphs(graph: kg.KnowledgeGraph) -> dict[str, set[tuple[str, ...]]]:
            found: dict[str, set[tuple[str, ...]]] = {}
            for s, p, o, g in graph.store.quads((None, None, None)):
                if not any(isinstance(t, BNode) for t in (s, p, o)):
                    found.setdefault(str(g), set()).add((str(s), str(p), o.n3()))
            return found

        assert graphs(after) == graphs(fresh)
        assert after.store.size() == fresh.store.size()  # the union
        assert {n: after.store.size(n) for n in after.store.graph_names()} == {
            n: fresh.store.size(n) for n in fresh.store.graph_names()}
        assert after.files == fresh.files and after.graph_files == fresh.graph_files
        assert after.file_graphs == fresh.file_graphs
        assert after.files_of(kg.namespaces.KG.Agreement) == fresh.files_of(
            kg.namespaces.KG.Agreement)


@pytest.mark.parametrize("name", ["delete an article", "change an entity shared by two articles"])
def test_the_statement_count_after_a_change_is_derived_from_the_count_kept_with_the_store(
        tmp_path: Path, cache_dir: Path, name: str) -> None:
    """The count kept beside the cached store, less the changed files' statements before,
    plus theirs now, is the count of the whole store; a count file that is not the
    entry's own is not read, and the whole store is counted instead."""
    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    graph = load(data=data, entail=False, cache=True)
    [entry] = entries(cache_dir)
    assert statement_count.kept(graph) is None
    kg.validate(graph=graph)
    assert statement_count.kept(graph) == kg.validate(data=data).statements
    path = edit(data, name)
    counted = kg.validate(data=data).statements

    assert kg.validate(data=data, changed=[path], cache=True).statements == counted
    held = entry / statement_count.FILE
    held.write_text('{"key": "another entry", "statements": 7}', encoding="utf-8")
    assert kg.validate(data=data, changed=[path], cache=True).statements == counted
    held.unlink()
    assert kg.validate(data=data, changed=[path], cache=True).statements == counted
    assert not held.exists(), "an incremental run only reads the cached entry"


def test_an_entry_loaded_with_entailment_is_not_started_from(tmp_path: Path,
                                                             cache_dir: Path) -> None:
    """kg query's entries hold entailed types that the change may make wrong, mixed into
    the union: the files are loaded (and kept, for the next run) instead."""
    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    load(data=data, entail=True, cache=True)
    path = edit(data, "break a date order")
    partial = kg.validate(data=data, changed=[path], cache=True)
    assert len(entries(cache_dir)) == 2
    assert not partial.conforms
    again = kg.validate(data=data, changed=[path], cache=True)
    assert len(entries(cache_dir)) == 2 and again.to_dict() == partial.to_dict()


def test_an_edit_to_a_file_not_named_as_changed_is_not_started_from(tmp_path: Path,
                                                                    cache_dir: Path) -> None:
    """Only the files named as changed may differ from the cached entry's."""
    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    load(data=data, entail=False, cache=True)
    edit(data, "change an entity shared by two articles")  # entities.ttl, not named
    path = edit(data, "break a date order")
    partial = kg.validate(data=data, changed=[path], cache=True)
    assert len(entries(cache_dir)) == 2, "loaded again, the entry kept for the next time"
    full = kg.validate(data=data)
    assert_findings_are_the_full_runs_in_scope(partial, full)


def test_kg_validate_changed_after_a_deletion_starts_from_the_store_of_the_first_run(
        tmp_path: Path, cache_dir: Path) -> None:
    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    changed = data / f"{SECOND}.trig"
    env = {**os.environ, "KG_CACHE_DIR": str(cache_dir)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kg", "validate", "--data", str(data),
                               "--changed", str(changed), *args],
                              check=False, capture_output=True, text=True, env=env,
                              timeout=120)

    first = run()
    assert first.returncode == 0, first.stdout + first.stderr
    assert len(entries(cache_dir)) == 1
    changed.unlink()
    second = run()
    assert second.returncode == (0 if kg.validate(data=data).conforms else 1), second.stderr
    assert "re-checked" in second.stdout and len(entries(cache_dir)) == 1
    assert cache_root() == cache_dir
    without = run("--no-cache")
    assert without.returncode == 2 and "graph loaded before" in without.stderr


def test_a_changed_file_that_does_not_parse_raises_as_a_load_does_and_leaves_nothing(
        tmp_path: Path, cache_dir: Path) -> None:
    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    load(data=data, entail=False, cache=True)
    path = data / f"{SECOND}.trig"
    path.write_text(path.read_text(encoding="utf-8").replace(" ;\n", " ;;\n", 1) + "oops",
                    encoding="utf-8")
    with pytest.raises(ParseError) as from_cache:
        kg.validate(data=data, changed=[path], cache=True)
    with pytest.raises(ParseError) as loaded:
        kg.validate(data=data)
    assert str(from_cache.value) == str(loaded.value)
    assert len(entries(cache_dir)) == 1 and not list(cache_dir.glob(".building-*"))


def test_a_changed_file_writing_into_another_files_graph_is_validated_from_a_full_load(
        tmp_path: Path, cache_dir: Path) -> None:
    """Replacing its graphs would take the other file's statements too: the files are
    loaded instead, and the findings are a full run's."""
    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    load(data=data, entail=False, cache=True)
    extra = data / "extra.trig"
    text = (data / f"{SECOND}.trig").read_text(encoding="utf-8")
    prefixes = "".join(line + "\n" for line in text.splitlines() if line.startswith("@prefix"))
    extra.write_text(prefixes + f"src:{SECOND} {{ kgr:icesco rdfs:comment \"more\" . }}\n",
                     encoding="utf-8")
    partial = kg.validate(data=data, changed=[extra], cache=True)
    assert len(entries(cache_dir)) == 2, "loaded, and kept for the next time"
    full = kg.validate(data=data)
    assert_findings_are_the_full_runs_in_scope(partial, full)
    assert partial.statements == full.statements


def test_the_store_after_the_change_is_closed_before_its_scratch_folder_is_removed(
        tmp_path: Path, cache_dir: Path) -> None:
    """The caller may still hold the graph after the ``with`` block: its store is closed
    first (RocksDB writing into a folder being removed otherwise), and any use of it says
    so rather than failing on a missing attribute."""
    from kg.rebase import from_cache

    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    load(data=data, entail=False, cache=True)
    path = edit(data, "remove a fact")
    bundle = load(data=data, entail=False).bundle
    with from_cache(rdf_files([data]), rdf_files([bundle.ontology], what="ontology"), [path],
                    bundle=bundle) as pair:
        assert pair is not None
        after, _ = pair
        folder = after.store.path
        assert folder is not None and folder.is_dir() and after.store.size() > 0
    assert not folder.exists()
    with pytest.raises(KgError, match="this Oxigraph store was closed"):
        list(after.store.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1"))
