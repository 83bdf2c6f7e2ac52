"""Suggestions for an IRI the graph does not describe: the entities it most likely meant.

Used where a query was given an IRI that names nothing (a typo in ``kgr:icesko``, a
guessed slug): the answer is empty, and the user is better served by "did you mean" than
by zero rows. Candidates are the graph's labelled resources, ranked by how close the
IRI's last segment is to their own slug or to one of their labels (rapidfuzz's ``ratio``,
the normalized Indel similarity, on text folded to lower-case letters and digits).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process
from rdflib import URIRef
from rdflib.term import Node

from .asserted import internal_query
from .by_identity import ByIdentity
from .queries import NamedQuery, ParamType

if TYPE_CHECKING:
    from .load import KnowledgeGraph

__all__ = ["describes", "last_segment", "nearest_entities", "unknown_iris"]


def describes(graph: KnowledgeGraph, iri: URIRef) -> bool:
    """Whether any statement of ``graph`` has ``iri`` as its subject or object."""
    return bool(internal_query("describes").run(graph, {"resource": iri}).boolean)


_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]")


def _fold(text: str) -> str:
    if text.isascii():  # nothing to decompose: the same answer, without the loop
        return _NOT_ALPHANUMERIC.sub("", text.lower())
    plain = unicodedata.normalize("NFKD", text)
    return _NOT_ALPHANUMERIC.sub("", "".join(c for c in plain if not unicodedata.combining(c))
                                 .lower())


def last_segment(iri: str) -> str:
    """What follows an IRI's last ``/``, ``#`` or ``:`` (its slug, a term's local name).

    >>> last_segment("https://w3id.org/kg/id/icesco")
    'icesco'
    """
    return re.split(r"[/#:]", iri.rstrip("/#"))[-1]


def nearest_entities(graph: KnowledgeGraph, iri: URIRef, *, limit: int = 5,
                     cutoff: float = 0.6) -> list[dict[str, Any]]:
    """Up to ``limit`` labelled resources closest to ``iri``, best first:
    ``[{"iri": ..., "label": ..., "score": 0..1}]``.

    >>> import kg
    >>> nearest_entities(kg.load(), URIRef("https://w3id.org/kg/id/icesko"))[0]["iri"]
    'https://w3id.org/kg/id/icesco'
    """
    wanted = _fold(last_segment(str(iri)))
    if not wanted:
        return []
    candidates = _candidates(graph)
    # each candidate's two names side by side (slug, label): name i is candidate i // 2's
    names = [name for _, _, pair in candidates for name in pair]
    scored = process.extract(wanted, names, scorer=fuzz.ratio, score_cutoff=cutoff * 100,
                             limit=None)
    # resource -> (-score, -its label's own score, label): the least is the best, so that
    # the label shown is the one closest to what was typed, whatever order the store
    # gives the labels in
    scores: dict[int, list[float]] = {}
    for _, score, index in scored:
        scores.setdefault(index // 2, [0.0, 0.0])[index % 2] = score / 100
    best: dict[str, tuple[float, float, str]] = {}
    for row, (slug_score, label_score) in scores.items():
        key, label, _ = candidates[row]
        ranking = (-max(slug_score, label_score), -label_score, label)
        if key not in best or ranking < best[key]:
            best[key] = ranking
    ranked = sorted(best.items(), key=lambda item: (item[1][0], item[0]))[:limit]
    return [{"iri": key, "label": label, "score": round(-score, 3)}
            for key, (score, _, label) in ranked]


_candidates_of: ByIdentity[list[tuple[str, str, tuple[str, str]]]] = ByIdentity()


def _candidates(graph: KnowledgeGraph) -> list[tuple[str, str, tuple[str, str]]]:
    """Each labelled resource of ``graph`` as (IRI, label, its two folded names), read once
    per loaded graph in this process (a served graph does not change)."""
    known = _candidates_of.get(graph)
    if known is not None:
        return known
    text = internal_query("labelled-entities").text
    found = [(resource, label, (_fold(last_segment(resource)), _fold(label)))
             for resource, label in graph.store.select(text)]
    try:
        _candidates_of.put(graph, found)
    except TypeError:  # a graph that cannot be weakly referenced is not remembered
        pass
    return found


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
