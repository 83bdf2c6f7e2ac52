"""Suggestions for an IRI the graph does not describe: the entities it most likely meant.

Used where a query was given an IRI that names nothing (a typo in ``kgr:icesko``, a
guessed slug): the answer is empty, and the user is better served by "did you mean" than
by zero rows. Candidates are the graph's labelled resources, ranked by how close the
IRI's last segment is to their own slug or to one of their labels (difflib's ratio, on
text folded to lower-case letters and digits).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collections.abc import Mapping

from rdflib import URIRef
from rdflib.term import Node

from .queries import NamedQuery, ParamType

if TYPE_CHECKING:
    from .load import KnowledgeGraph

__all__ = ["describes", "nearest_entities", "unknown_iris"]

_SPARQL = Path(__file__).resolve().parent / "sparql"


@functools.cache
def _internal(name: str) -> NamedQuery:
    return NamedQuery.from_file(_SPARQL / f"{name}.rq")


def describes(graph: KnowledgeGraph, iri: URIRef) -> bool:
    """Whether any statement of ``graph`` has ``iri`` as its subject or object."""
    return bool(_internal("describes").run(graph, {"resource": iri}).boolean)


_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]")


def _fold(text: str) -> str:
    if text.isascii():  # nothing to decompose: the same answer, without the loop
        return _NOT_ALPHANUMERIC.sub("", text.lower())
    plain = unicodedata.normalize("NFKD", text)
    return _NOT_ALPHANUMERIC.sub("", "".join(c for c in plain if not unicodedata.combining(c))
                                 .lower())


def _ratio(wanted: str, wanted_counts: Counter[str], text: str, cutoff: float) -> float:
    """difflib's ratio of ``wanted`` and ``text``, or 0.0 when its upper bounds (the
    lengths, then the letters in common) already fall below ``cutoff``."""
    total = len(wanted) + len(text)
    if not total or 2 * min(len(wanted), len(text)) / total < cutoff:
        return 0.0
    if 2 * sum((wanted_counts & Counter(text)).values()) / total < cutoff:
        return 0.0
    return difflib.SequenceMatcher(None, wanted, text).ratio()


def _slug(iri: str) -> str:
    return re.split(r"[/#:]", iri.rstrip("/#"))[-1]


def nearest_entities(graph: KnowledgeGraph, iri: URIRef, *, limit: int = 5,
                     cutoff: float = 0.6) -> list[dict[str, Any]]:
    """Up to ``limit`` labelled resources closest to ``iri``, best first:
    ``[{"iri": ..., "label": ..., "score": 0..1}]``.

    >>> import kg
    >>> nearest_entities(kg.load(), URIRef("https://w3id.org/kg/id/icesko"))[0]["iri"]
    'https://w3id.org/kg/id/icesco'
    """
    wanted = _fold(_slug(str(iri)))
    if not wanted:
        return []
    best: dict[str, tuple[float, str]] = {}
    counts = Counter(wanted)
    for resource, label in _internal("labelled-entities").run(graph).rows:
        key = str(resource)
        score = max(_ratio(wanted, counts, _fold(text), cutoff)
                    for text in (_slug(key), str(label)))
        if score >= cutoff and score > best.get(key, (0.0, ""))[0]:
            best[key] = (score, str(label))
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    return [{"iri": key, "label": label, "score": round(score, 3)}
            for key, (score, label) in ranked]


def unknown_iris(graph: KnowledgeGraph, query: NamedQuery,
                 bindings: Mapping[str, Node]) -> list[dict[str, Any]]:
    """A warning for each IRI parameter of ``query`` that names nothing ``graph``
    describes, with the nearest entities: what an empty answer most likely means.

    >>> import kg
    >>> from kg.queries import named_query
    >>> cq3 = named_query("cq03-posts-at-organization")
    >>> [w["suggestions"][0]["iri"] for w in unknown_iris(kg.load(), cq3,
    ...     cq3.bind({"organization": "kgr:icesko"}))]
    ['https://w3id.org/kg/id/icesco']
    """
    warnings = []
    for param in query.params:
        value = bindings.get(param.name)
        if param.type is not ParamType.IRI or not isinstance(value, URIRef):
            continue
        if describes(graph, value):
            continue
        suggestions = nearest_entities(graph, value)
        hint = (" (did you mean " + " or ".join(f"<{s['iri']}>" for s in suggestions[:3])
                + "?)") if suggestions else ""
        warnings.append({"param": param.name, "value": str(value),
                         "message": f"parameter {param.name!r}: the graph knows nothing "
                                    f"about <{value}>{hint}",
                         "suggestions": suggestions})
    return warnings
