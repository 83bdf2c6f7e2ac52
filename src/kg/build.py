"""``kg build``: validate, then write the combined graph atomically.

Output folder (default ``build/``):

* ``kg.trig``: every named graph (sources, entities, vocabulary, ontology, entailed);
* ``kg.nq``: the same as N-Quads, lines sorted, so equal graphs give equal files;
* ``manifest.json``: counts, sources and content hashes;
* ``sources/``: the articles' texts (``<id>.txt``), so that the folder served shows each
  quote in its article wherever it is (:mod:`kg.texts`).

The folder is replaced as a whole (:mod:`kg.atomic`): a reader, or a build killed at
any moment, sees the previous build or the new one, never a mix; invalid input, a full
disk or a folder that cannot be written leaves an earlier build untouched. The manifest
records the SHA-256 of each file, and :func:`open_build` refuses a build whose files do
not match it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from . import __version__
from .asserted import Asserted
from .atomic import write_folder
from .errors import InputError, ValidationFailed
from .load import KnowledgeGraph, load, load_nquads, resolve_bundle
from .namespaces import DCTERMS, KG
from .texts import FOLDER as TEXTS
from .texts import copy_texts
from .validate import Report, validate

__all__ = ["BuildResult", "build", "summarize", "open_build", "CorruptBuild", "write_projection"]

OUTPUT_FILES = ("kg.trig", "kg.nq", "manifest.json")


@dataclass(frozen=True, kw_only=True)
class BuildResult:
    """What a build wrote: the output folder, its files, the manifest and the report."""

    out: Path
    files: list[Path]
    manifest: dict[str, Any]
    report: Report


def summarize(graph: KnowledgeGraph) -> dict[str, Any]:
    """Counts an analyst wants first: entities per class, statements, sources. Counted by
    the store (:meth:`~kg.asserted.Asserted.class_counts`,
    :meth:`~kg.store.Store.graph_sizes`) and read from its indexes
    (:class:`~kg.asserted.Asserted`), not from a copy of the data in rdflib (which took 17
    of a build's 125 seconds at 10,000 articles)."""
    data = Asserted(graph)
    normalized = graph.ontology.namespace_manager.normalizeUri
    classes = {normalized(cls): count for cls, count in data.class_counts().items()}
    sizes = graph.store.graph_sizes()
    sources = []
    for source in sorted(set(data.subjects(RDF.type, KG.NewsArticle))):
        issued = data.value(source, DCTERMS.issued)
        sources.append({
            "iri": str(source),
            "identifier": str(data.value(source, DCTERMS.identifier) or ""),
            "issued": str(issued) if issued is not None else None,
            "issued_inferred": (source, KG.inferredProperty, DCTERMS.issued) in data,
            "label": str(data.value(source, RDFS.label) or ""),
            "statements": sizes.get(source, 0),
        })
    return {
        "entities_per_class": dict(sorted(classes.items())),
        "statements": len(data),
        "quads": len(graph.store),
        "graphs": {str(name): count for name, count in sizes.items()},
        "sources": sources,
    }


class CorruptBuild(InputError):
    """A build folder whose files are missing, unreadable or do not match its manifest."""


def open_build(folder: Path | str, *, project: Path | str | None = None,
               store: str = "oxigraph") -> KnowledgeGraph:
    """Load a build written by :func:`build` (its ``kg.nq``), after checking it.

    Raises :class:`CorruptBuild`, saying what is wrong, when the manifest is missing or
    unreadable, or when ``kg.nq`` is missing or its SHA-256 differs from the manifest's;
    nothing is loaded then. The named queries are those of ``project`` (default: the
    bundled ones).
    """
    path = checked_nquads(Path(folder))
    return load_nquads(path, bundle=resolve_bundle(project=project), store=store)


def checked_nquads(folder: Path) -> Path:
    """The ``kg.nq`` of the build in ``folder``, once checked against its manifest
    (:class:`CorruptBuild` saying what is wrong otherwise)."""
    return checked_build(folder)[0]


def checked_build(folder: Path) -> tuple[Path, str]:
    """The ``kg.nq`` of the build in ``folder`` and its SHA-256 (what identifies the
    build), once checked against its manifest (:class:`CorruptBuild` otherwise)."""
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        expected = manifest["files"]["kg.nq"]
    except FileNotFoundError:
        raise CorruptBuild(f"{folder} is not a kg build: it has no manifest.json "
                           f"(kg build --out {folder} writes one)") from None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise CorruptBuild(f"{manifest_path}: not a kg build manifest ({error})") from None
    try:
        nquads = (folder / "kg.nq").read_bytes()
    except OSError as error:
        raise CorruptBuild(f"{folder / 'kg.nq'}: cannot read it: {error.strerror}") from None
    actual = hashlib.sha256(nquads).hexdigest()
    if actual != expected:
        raise CorruptBuild(f"{folder / 'kg.nq'} does not match {manifest_path} (SHA-256 "
                           f"{actual[:12]}… where the manifest says {expected[:12]}…): the "
                           f"build is damaged or was changed by hand; run kg build again")
    return folder / "kg.nq", actual


def _check_store_dir(folder: Path) -> None:
    """Refuse, before any work, a ``--store-dir`` that is something else than a store."""
    if folder.exists() and not (folder / "CURRENT").is_file():
        raise InputError(f"--store-dir {folder} exists and is not an Oxigraph store folder")


class _StoreDir:
    """The Oxigraph folder of a build, staged beside where it goes, on the same file
    system: the store copied into it in the background from the moment the graph is
    loaded (:class:`~kg.oxigraph_store.BackgroundCopy`: on the other core, while the build
    validates and writes its files); then :meth:`prepared`, the copy awaited and the
    projection beside it, and :meth:`finish`, the folder renamed into place. A folder that
    goes directly ``inside`` the output folder ``out`` is staged beside ``out`` instead,
    under a name that says whose it is, and moved in with the build's files
    (:func:`kg.atomic.write_folder`). Use it as a context manager: leaving it (invalid
    data, a failure, or done) waits for the copy and removes whatever is still staged."""

    def __init__(self, graph: KnowledgeGraph, folder: Path, *, out: Path,
                 inside: bool) -> None:
        from .atomic import Staging
        from .oxigraph_store import BackgroundCopy

        stage_in, prefix = ((out.absolute().parent, f".{out.name}.{folder.name}.store-staging-")
                            if inside else (folder.absolute().parent,
                                            f".{folder.name}.store-staging-"))
        stage_in.mkdir(parents=True, exist_ok=True)
        self.graph, self.folder, self.inside = graph, folder, inside
        # held while the build runs; one a killed build left is removed (kg.atomic)
        self.staging = Staging(stage_in, prefix)
        self.fresh = self.staging.path
        self.copy = BackgroundCopy(graph.store, self.fresh / "store")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *failure: object) -> None:
        try:
            if failure[0] is not None:
                with contextlib.suppress(Exception):  # (the failure is what is told)
                    self.copy.wait()
        finally:
            self.staging.close()

    def prepared(self, articles: dict[URIRef, str]) -> Path:
        """The store folder, complete, still staged: the projection
        (:func:`kg.analysis.snapshot.save`), read from the graph in memory while the copy
        goes on (in memory, Oxigraph answers the projection's queries in half the time it
        takes on disk: 11 against 21.5 s at 10,000 articles), then the copy awaited (or
        made now, :class:`~kg.oxigraph_store.BackgroundCopy` saying why), and the texts of
        the ``articles`` (graph name -> identifier) copied into it (:mod:`kg.texts`: the
        server of the folder shows them wherever it runs)."""
        import os

        from .analysis import snapshot
        from .oxigraph_store import write_oxigraph

        projection = snapshot.save(self.graph, self.fresh / snapshot.FILE_NAME)
        store = self.fresh / "store"
        if not self.copy.wait():
            write_oxigraph(self.graph.store, store)
        os.replace(projection, store / snapshot.FILE_NAME)
        copy_texts(self.graph, articles, store)
        return store

    def finish(self, articles: dict[URIRef, str]) -> None:
        """:meth:`prepared`, then swapped in where it goes (the folder there before, a
        store, removed)."""
        store = self.prepared(articles)
        if self.folder.exists():  # set aside in the staging folder, removed with it
            self.folder.rename(self.fresh / "old")
        store.rename(self.folder)


def write_projection(folder: Path, *, bundle: Any) -> Path:
    """Save the network projection of the Oxigraph store folder ``folder`` inside it
    (:mod:`kg.analysis.snapshot`; read from the folder itself, by Oxigraph), so that a
    server's workers load it instead of each building it; returns the file. (``kg build``
    reads it from the graph it loaded instead: :class:`_StoreDir`.)"""
    from .analysis import snapshot
    from .load import open_oxigraph

    return snapshot.save(open_oxigraph(folder, bundle=bundle), folder / snapshot.FILE_NAME)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build(paths: Sequence[Path | str] = (), *, out: Path | str = "build",
          project: Path | str | None = None, data: Path | str | None = None,
          ontology: Path | str | None = None, shapes: Path | str | None = None,
          store_dir: Path | str | None = None) -> BuildResult:
    """Validate, then write ``kg.trig``, ``kg.nq`` and ``manifest.json`` into ``out``;
    with ``store_dir``, also an Oxigraph store folder holding the same graphs and the
    network projection built from them (:class:`_StoreDir`; written beside, then
    swapped in whole), which ``kg serve --store oxigraph:DIR`` opens.

    Raises :class:`~kg.errors.ValidationFailed` (carrying the report) when the data has
    violations; nothing is written then.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} exists and is not a folder")
    inside = False
    if store_dir is not None:
        store_dir = Path(store_dir)
        _check_store_dir(store_dir)
        inside = _inside(store_dir, out)
    _check_earlier_store(out, store_dir if inside else None)
    graph = load(paths, project=project, data=data, ontology=ontology)
    options = {"project": project, "data": data, "ontology": ontology, "shapes": shapes}
    if store_dir is None:
        return _validated_and_written(graph, out, None, **options)
    with _StoreDir(graph, store_dir, out=out, inside=inside) as folder:  # copied meanwhile
        return _validated_and_written(graph, out, folder, **options)


@contextlib.contextmanager
def _staged_texts(graph: KnowledgeGraph, articles: dict[URIRef, str], out: Path) -> Any:
    """The texts of ``articles`` (graph name -> identifier) copied into a folder staged
    beside ``out``, to be moved in with the build's files (:func:`kg.atomic.write_folder`):
    a build folder served (``kg serve --build``) shows its articles' texts wherever it is.
    Whatever is still staged on leaving is removed."""
    from .atomic import Staging

    stage_in = out.absolute().parent
    try:  # (as kg.atomic.write_folder says it: nothing was written)
        stage_in.mkdir(parents=True, exist_ok=True)
        staging = Staging(stage_in, f".{out.name}.{TEXTS}-staging-")
    except OSError as error:
        raise InputError(f"cannot write into {out.parent}: {error.strerror}") from None
    with staging:
        try:
            copy_texts(graph, articles, staging.path)
        except OSError as error:
            raise InputError(f"cannot write {out}: {error.strerror}; nothing was changed "
                             f"there") from None
        yield staging.path / TEXTS


def _check_earlier_store(out: Path, store_dir: Path | None) -> None:
    """Refuse, saying why, an output folder holding a store folder an earlier
    ``kg build --store-dir`` put inside it, when this build does not write it again there
    (``store_dir``): swapping the folder in would delete that store."""
    if not out.is_dir():
        return
    for entry in sorted(out.iterdir()):
        if entry.name in OUTPUT_FILES or (store_dir is not None
                                          and entry.name == store_dir.name):
            continue
        if (entry / "CURRENT").is_file():
            raise InputError(f"--out {out} holds {entry}, the store folder of an earlier kg "
                             f"build; give --store-dir {entry} to build it again, or remove "
                             f"it")


def _inside(store_dir: Path, out: Path) -> bool:
    """Whether ``--store-dir`` goes inside ``--out`` (then directly: ``build/oxigraph``,
    swapped in with the build's files; deeper is refused)."""
    store, folder = store_dir.resolve(), out.resolve()
    if store == folder:
        raise InputError(f"--store-dir {store_dir} is the --out folder; give a folder inside "
                         f"it ({out / 'oxigraph'}) or beside it")
    if folder not in store.parents:
        return False
    if store.parent != folder:
        raise InputError(f"--store-dir {store_dir} is inside --out {out} but not directly: "
                         f"give {out / store_dir.name}, or a folder outside it")
    return True


def _validated_and_written(graph: KnowledgeGraph, out: Path, folder: _StoreDir | None, *,
                           project: Path | str | None, data: Path | str | None,
                           ontology: Path | str | None, shapes: Path | str | None,
                           ) -> BuildResult:
    """:func:`build` once the graph is loaded (and its store being copied into
    ``folder``)."""
    report = validate(graph=graph, project=project, data=data, ontology=ontology, shapes=shapes)
    if not report.conforms:
        raise ValidationFailed(report)
    nquads = "".join(sorted(line + "\n" for line in
                            graph.store.serialize(format="nquads").splitlines() if line.strip()))
    trig = graph.store.serialize(format="trig")
    manifest = {
        "kg_version": __version__,
        **summarize(graph),
        "validation": {"conforms": True, "warnings": len(report.warnings)},
        "content_sha256": _sha256(nquads),
        "files": {"kg.trig": _sha256(trig), "kg.nq": _sha256(nquads)},
    }
    contents = {"kg.trig": trig, "kg.nq": nquads,
                "manifest.json": json.dumps(manifest, indent=2, sort_keys=True) + "\n"}
    articles = {URIRef(source["iri"]): source["identifier"] for source in manifest["sources"]}
    with _staged_texts(graph, articles, out) as texts:
        if folder is not None and folder.inside:
            write_folder(out, contents, folders={TEXTS: texts,
                                                 folder.folder.name: folder.prepared(articles)})
        else:
            write_folder(out, contents, folders={TEXTS: texts})
            if folder is not None:
                folder.finish(articles)
    return BuildResult(out=out, files=[*(out / name for name in OUTPUT_FILES), out / TEXTS],
                       manifest=manifest, report=report)
