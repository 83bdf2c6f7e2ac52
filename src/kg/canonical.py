"""The canonical text of a data file: sorted, stable serialization, reviewed like code.

``kg format`` rewrites data files into this form and ``kg format --check`` reports the
ones that are not in it, so a diff of ``data/`` shows exactly which facts changed.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .parse import RdfFormat, format_for, parse_file, parse_text

__all__ = ["canonical_of", "canonical_text", "is_canonical"]


def canonical_text(path: Path | str) -> str:
    """The file's statements, serialized by rdflib (sorted subjects, predicates and objects)
    with the prefixes the file declares."""
    path = Path(path)
    return _canonical(parse_file(path), format_for(path))


def canonical_of(text: str, *, format: RdfFormat) -> str:  # noqa: A002 - parse_text's name
    """:func:`canonical_text` of a document held in memory, in ``format``."""
    return _canonical(parse_text(text, format=format), format)


def _canonical(parsed: Dataset, fmt_of_file: RdfFormat) -> str:
    """The canonical text of ``parsed``, read from a document in ``fmt_of_file``."""
    prefixes = [(p, n) for p, n in parsed.namespace_manager.namespaces()]
    if fmt_of_file in (RdfFormat.TRIG, RdfFormat.N_QUADS):
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
           RdfFormat.N_TRIPLES: "nt", RdfFormat.TURTLE: "turtle"}[fmt_of_file]
    text = target.serialize(format=fmt)
    return text.rstrip("\n") + "\n"


def is_canonical(path: Path | str) -> bool:
    """True when the file's text is exactly its canonical text."""
    return Path(path).read_text(encoding="utf-8") == canonical_text(path)
