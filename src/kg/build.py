"""``kg build``: validate, then write the combined graph atomically.

Output folder (default ``build/``):

* ``kg.trig``: every named graph (sources, entities, vocabulary, ontology, entailed);
* ``kg.nq``: the same as N-Quads, lines sorted, so equal graphs give equal files;
* ``manifest.json``: counts, sources and content hashes.

Each file is written to a temporary file in the output folder and renamed into place
only after all of them are complete; invalid input writes nothing and leaves an earlier
build untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from . import __version__
from .errors import InputError, ValidationFailed
from .load import KnowledgeGraph, load
from .namespaces import DCTERMS, KG
from .validate import Report, validate

__all__ = ["BuildResult", "build", "summarize"]

OUTPUT_FILES = ("kg.trig", "kg.nq", "manifest.json")


@dataclass(frozen=True, kw_only=True)
class BuildResult:
    """What a build wrote: the output folder, its files, the manifest and the report."""

    out: Path
    files: list[Path]
    manifest: dict[str, Any]
    report: Report


def summarize(graph: KnowledgeGraph) -> dict[str, Any]:
    """Counts an analyst wants first: entities per class, statements, sources."""
    data = graph.data()
    classes = Counter(graph.ontology.namespace_manager.normalizeUri(o)
                      for o in data.objects(None, RDF.type) if isinstance(o, URIRef))
    sources = []
    for source in sorted(data.subjects(RDF.type, KG.NewsArticle)):
        issued = data.value(source, DCTERMS.issued)
        sources.append({
            "iri": str(source),
            "identifier": str(data.value(source, DCTERMS.identifier) or ""),
            "issued": str(issued) if issued is not None else None,
            "issued_inferred": (source, KG.inferredProperty, DCTERMS.issued) in data,
            "label": str(data.value(source, RDFS.label) or ""),
            "statements": len(graph.store.graph(source)),
        })
    return {
        "entities_per_class": dict(sorted(classes.items())),
        "statements": len(data),
        "quads": len(graph.store),
        "graphs": {str(name): len(graph.store.graph(name)) for name in graph.store.graph_names()},
        "sources": sources,
    }


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build(paths: Sequence[Path | str] = (), *, out: Path | str = "build",
          project: Path | str | None = None, data: Path | str | None = None,
          ontology: Path | str | None = None, shapes: Path | str | None = None) -> BuildResult:
    """Validate, then write ``kg.trig``, ``kg.nq`` and ``manifest.json`` into ``out``.

    Raises :class:`~kg.errors.ValidationFailed` (carrying the report) when the data has
    violations; nothing is written then.
    """
    graph = load(paths, project=project, data=data, ontology=ontology)
    report = validate(graph=graph, project=project, data=data, ontology=ontology, shapes=shapes)
    if not report.conforms:
        raise ValidationFailed(report)

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} exists and is not a folder")
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

    out.mkdir(parents=True, exist_ok=True)
    temporary: dict[str, Path] = {}
    try:
        for name in OUTPUT_FILES:  # write everything first...
            handle, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
            temporary[name] = Path(tmp)
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(contents[name])
                stream.flush()
                os.fsync(stream.fileno())
        for name in OUTPUT_FILES:  # ...then rename, the manifest last
            os.replace(temporary.pop(name), out / name)
    finally:
        for leftover in temporary.values():
            leftover.unlink(missing_ok=True)
    return BuildResult(out=out, files=[out / name for name in OUTPUT_FILES],
                       manifest=manifest, report=report)
