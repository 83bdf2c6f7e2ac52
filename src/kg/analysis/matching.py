"""Find entities by name: fuzzy, ranked, blind to case, accents, hyphens and spacing.

Names are the ``rdfs:label`` and every ``skos:altLabel`` of each node of the ``actors``
projection. Both the query and each name are folded (Unicode NFKD without combining marks,
lower case, every non-alphanumeric character dropped), so "al-Malik", "Al Malik" and
"almalik" are one spelling. The score (0-100) mixes rapidfuzz's ``partial_ratio`` of the
folded forms (the query found inside the name) with its ``ratio`` of the whole names (a
name close to the query as a whole ranks first); ties go to the shorter name.

:func:`resolve` turns what a user typed (a label, an alternative label, an IRI, a
``kgr:`` CURIE or a bare slug) into one IRI, or raises
:class:`~kg.errors.UnknownEntity` / :class:`~kg.errors.AmbiguousEntity` with candidates.

>>> fold("Salim bin Mohammed al-Malik")
'salimbinmohammedalmalik'
"""

from __future__ import annotations

import re
import threading
import unicodedata
import weakref
from collections.abc import Callable
from typing import Any

from rapidfuzz import fuzz

from ..errors import AmbiguousEntity, ParameterError, UnknownEntity
from ..namespaces import KGR, PREFIXES
from .model import Match, Matches

__all__ = ["fold", "spaced", "folded_names", "search_names", "resolve", "pick"]

#: below this score a name is not a match
THRESHOLD = 60.0


def fold(text: str) -> str:
    """``text`` without case, accents, punctuation or spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", stripped.casefold())


def spaced(text: str) -> str:
    """``text`` without case, accents or punctuation, its words one space apart."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", stripped.casefold()).split())


def _names(graph: Any) -> list[tuple[str, str, str, str]]:
    """(iri, label, kind, name) for every name of every node of ``graph`` (a projection)."""
    found = []
    for node, data in graph.nodes(data=True):
        names = [data["label"]] + [a["label"] for a in data["alt_labels"]]
        for name in dict.fromkeys(names):
            found.append((node, data["label"], data["kind"], name))
    return found


#: projection -> its names with their folded and spaced forms (a projection is shared and
#: never changed once built, so each is folded once per process, not once per search)
_folded: weakref.WeakKeyDictionary[Any, list[tuple[str, str, str, str, str, str]]] = \
    weakref.WeakKeyDictionary()
_folded_lock = threading.Lock()


def folded_names(graph: Any) -> list[tuple[str, str, str, str, str, str]]:
    """:func:`_names` of ``graph``, each with its :func:`fold` and :func:`spaced` forms
    (built once, under the lock: a search arriving while a worker's warm-up builds them
    waits for that build, :mod:`.warmup`)."""
    with _folded_lock:
        found = _folded.get(graph)
        if found is None:
            found = [(iri, label, kind, name, fold(name), spaced(name))
                     for iri, label, kind, name in _names(graph)]
            _folded[graph] = found
    return found


def score(query: str, name: str) -> float:
    return _score(fold(query), spaced(query), fold(name), spaced(name))


def _score(folded_query: str, spaced_query: str, folded_name: str, spaced_name: str) -> float:
    if not folded_query or not folded_name:
        return 0.0
    # a query written inside a name ("almalik" in "Salim bin Mohammed Al-Malik"); a name
    # shorter than the query is found inside it by whole words ("Leyla Aliyeva vice
    # president"), not by letters ("icesco" is no part of "morocco", though "occo" is)
    inside = (fuzz.partial_ratio(folded_query, folded_name)
              if len(folded_name) >= len(folded_query)
              else fuzz.token_set_ratio(spaced_query, spaced_name))
    whole = fuzz.ratio(spaced_query, spaced_name)
    return round(0.7 * inside + 0.3 * whole, 1)


def search_names(graph: Any, text: str, *, limit: int = 10) -> Matches:
    """The nodes of the projection ``graph`` whose names best match ``text``."""
    best: dict[str, Match] = {}
    folded, words = fold(text), spaced(text)
    for iri, label, kind, name, folded_name, spaced_name in folded_names(graph):
        value = _score(folded, words, folded_name, spaced_name)
        if value < THRESHOLD:
            continue
        current = best.get(iri)
        if current is None or (value, -len(name)) > (current.score, -len(current.matched)):
            best[iri] = Match(iri=iri, label=label, kind=kind, score=value, matched=name)
    ranked = sorted(best.values(), key=lambda m: (-m.score, len(m.matched), m.label, m.iri))
    return Matches(query=text, items=ranked[:limit])


def _as_iri(text: str) -> str | None:
    if re.match(r"^https?://", text):
        return text
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    prefix, colon, rest = text.partition(":")
    if colon and prefix in PREFIXES and " " not in text:
        return str(PREFIXES[prefix]) + rest
    return None


#: the links :func:`about` names at most
ABOUT_LINKS = 2


def about(graph: Any, iri: str) -> str:
    """What tells the node ``iri`` of the projection ``graph`` apart from a namesake: its
    kind and its first links in label order, written as ``kg path`` writes hops
    (``"Person: --President--> Youth Foundation of Chad; <--participant-- Visit of …"``),
    at most :data:`ABOUT_LINKS` of them."""
    if iri not in graph:
        return ""
    links = sorted({f"--{data['label']}--> {graph.nodes[target]['label']}"
                    for _, target, data in graph.out_edges(iri, data=True)})
    links += sorted({f"<--{data['label']}-- {graph.nodes[source]['label']}"
                     for source, _, data in graph.in_edges(iri, data=True)})
    shown = "; ".join(links[:ABOUT_LINKS]) + ("; …" if len(links) > ABOUT_LINKS else "")
    kind = graph.nodes[iri].get("kind") or ""
    return f"{kind}: {shown}" if shown and kind else shown or kind


def resolve(graph: Any, text: str, *, known: set[str] | None = None,
            what: str = "entity") -> str:
    """The one entity ``text`` names in the projection ``graph`` (or among ``known`` IRIs).

    An IRI, CURIE or slug must name a known resource; a name must equal (once folded) the
    label or an alternative label of exactly one node (:func:`pick`).
    """
    if not isinstance(text, str):  # None or a number named no entity, with suggestions
        raise ParameterError(f"the {what} must be a name, IRI, CURIE or slug (text), not "
                             f"{text!r}")
    text = text.strip()
    pool = set(graph.nodes) | (known or set())
    try:
        found = pick(text, known=pool.__contains__,
                     named=lambda wanted: {i for i, _l, _k, _n, folded, _s
                                           in folded_names(graph) if folded == wanted},
                     label=lambda iri: graph.nodes[iri]["label"],
                     about=lambda iri: about(graph, iri))
    except AmbiguousEntity as error:  # which of the names asked for, when there are two
        said = str(error) if what == "entity" else f"the {what} {error}"
        raise AmbiguousEntity(said, candidates=error.candidates, what=what) from None
    if found is not None:
        return found
    if _as_iri(text) is not None:
        raise UnknownEntity(f"no {what} {text!r} in the graph", candidates=[], what=what)
    near = search_names(graph, text, limit=5)
    candidates = [{"iri": m.iri, "label": m.label, "score": m.score} for m in near]
    hint = (": did you mean " + "; ".join(f"{c['label']} <{c['iri']}>" for c in candidates)
            if candidates else "")
    raise UnknownEntity(f"no {what} named {text!r}{hint}", candidates=candidates, what=what)


def pick(text: str, *, known: Callable[[str], bool], named: Callable[[str], set[str]],
         label: Callable[[str], str], about: Callable[[str], str] | None = None,
         ) -> str | None:
    """The one resource ``text`` (stripped) names: an IRI or CURIE that is ``known``; a
    slug whose ``kgr:`` IRI is; else the one resource whose label or alternative label
    equals it once folded (``named(folded text)``: those resources). ``None`` when it
    names none (an IRI or CURIE that is not known among them); :class:`AmbiguousEntity`,
    each candidate with its ``label`` (and what tells namesakes apart, ``about(iri)``,
    when given and not empty), when it names several."""
    iri = _as_iri(text)
    if iri is None and re.fullmatch(r"[a-z0-9][a-z0-9-]*", text) and known(str(KGR[text])):
        return str(KGR[text])
    if iri is not None:
        return iri if known(iri) else None
    exact = sorted(named(fold(text)))
    if len(exact) == 1:
        return exact[0]
    if exact:
        candidates = [{"iri": i, "label": label(i), "score": 100.0} for i in exact]
        for candidate in candidates:
            said = about(candidate["iri"]) if about is not None else ""
            if said:
                candidate["about"] = said
        listed = "; ".join(f"{c['label']} <{c['iri']}>"
                           + (f" ({c['about']})" if "about" in c else "") for c in candidates)
        raise AmbiguousEntity(f"{text!r} names several entities: {listed}",
                              candidates=candidates)
    return None
