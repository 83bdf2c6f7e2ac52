"""The canonical text of a data file: sorted, stable serialization, reviewed like code.

``kg format`` rewrites data files into this form and ``kg format --check`` reports the
ones that are not in it, so a diff of ``data/`` shows exactly which facts changed.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .parse import RdfFormat, format_for, parse_file

__all__ = ["canonical_text", "is_canonical"]


def canonical_text(path: Path | str) -> str:
    """The file's statements, serialized by rdflib (sorted subjects, predicates and objects)
    with the prefixes the file declares."""
    path = Path(path)
    parsed = parse_file(path)
    prefixes = [(p, n) for p, n in parsed.namespace_manager.namespaces()]
    if format_for(path) in (RdfFormat.TRIG, RdfFormat.N_QUADS):
        target: Graph | Dataset = Dataset()
    else:
        target = Graph(bind_namespaces="none")
    target.namespace_manager = type(target.namespace_manager)(target, bind_namespaces="none")
    for prefix, namespace in prefixes:
        target.bind(prefix, namespace, override=True, replace=True)
    for s, p, o, g in parsed.quads():
        if isinstance(target, Dataset):
            name = DATASET_DEFAULT_GRAPH_ID if g is None else g
            target.graph(name).add((s, p, o))
        else:
            target.add((s, p, o))
    fmt = {RdfFormat.TRIG: "trig", RdfFormat.N_QUADS: "nquads",
           RdfFormat.N_TRIPLES: "nt", RdfFormat.TURTLE: "turtle"}[format_for(path)]
    text = target.serialize(format=fmt)
    return text.rstrip("\n") + "\n"


def is_canonical(path: Path | str) -> bool:
    """True when the file's text is exactly its canonical text."""
    return Path(path).read_text(encoding="utf-8") == canonical_text(path)
