"""The source articles: their metadata, and the text their quotes come from.

An article is a named graph ``src:<id>`` describing itself as a ``kg:NewsArticle``; its
text is ``sources/<id>.txt`` beside the data files (what ``kg validate`` checks quotes
against), or in the build or store folder ``kg build`` wrote (:mod:`kg.texts`). The
explorer shows a quote highlighted in this text.

The list narrows to the articles with every word of a text (:func:`articles`), as a person
picks one from many: the explorer's and the query page's source field, ``kg sources TEXT``,
``kg.sources(text)``.

>>> import kg
>>> [a["id"] for a in articles(kg.load())["articles"]]
['000_b2925a6198033b1b', '001_9e02c3f3c2711bf1']
>>> [a["issued"] for a in articles(kg.load(), "Trend 2024-05")["articles"]]
['2024-05-11']
"""

from __future__ import annotations

import re
import threading
from typing import Any

from rapidfuzz import fuzz, process
from rdflib import URIRef

from ..arguments import at_least
from ..by_identity import ByIdentity
from ..errors import ParameterError, UnknownEntity
from ..namespaces import SRC
from ..texts import text_file
from ..wording import counted
from .matching import spaced
from .projection import raw_of
from .reading import Raw

__all__ = ["articles", "article", "find_article", "COLUMNS"]

#: each projection input's :func:`_index`
_indexes: ByIdentity[list[tuple[dict[str, Any], str]]] = ByIdentity()
_lock = threading.Lock()

#: a date or its start, as an issue date is written (2015, 2015-04, 2015-1 as it is typed)
_DATE_START = re.compile(r"\d{4}(-\d{0,2}){0,2}")

#: what each article is described by, in this order
COLUMNS = ["article", "id", "label", "publisher", "publisher_label", "issued"]

#: how many of the nearest articles an unknown one is answered with
NEAREST = 5


def _described(iri: str, meta: dict[str, Any]) -> dict[str, Any]:
    return {"article": iri, "id": iri.removeprefix(str(SRC)), "label": meta["label"],
            "publisher": meta["publisher"], "publisher_label": meta["publisher_label"],
            "issued": meta["issued"]}


def articles(graph: Any, text: str | None = None, *, limit: int | None = None,
             offset: int = 0) -> dict[str, Any]:
    """The source articles, oldest first (IRI, id, label, publisher, issue date): those
    from ``offset`` on, at most ``limit`` (every one: None). ``text`` keeps the articles
    with each of its words at the start of a word of their id, label, publisher or issue
    date (case, accents and punctuation aside: "caspian 2015-02" finds that paper's
    articles of February 2015). Beside them: ``total`` (every article) and ``matched``
    (how many ``text`` keeps)."""
    if text is not None and not isinstance(text, str):
        raise ParameterError(f"q (the words to look for) must be text, not {text!r}")
    if limit is not None:
        at_least(limit, "limit", 1)
    at_least(offset, "offset", 0)
    index = _index(raw_of(graph))
    needles = _needles(text or "")
    found = [described for described, haystack in index
             if all(needle in haystack for needle in needles)]
    end = None if limit is None else offset + limit
    return {"articles": [dict(a) for a in found[offset:end]], "total": len(index),
            "matched": len(found), "offset": offset}


def _index(raw: Raw) -> list[tuple[dict[str, Any], str]]:
    """Each article of ``raw``, oldest first, described, with the words :func:`_needles`
    are looked for in: made once per projection input (a list typed into asks for each
    key pressed, and 10,000 articles took 0.17 s to describe)."""
    with _lock:
        known = _indexes.get(raw)
        if known is not None:
            return known
    index = []
    for iri, meta in raw.articles.items():
        described = _described(iri, meta)
        words = spaced(" ".join(str(described[k] or "") for k in ("id", "label",
                                                                   "publisher_label")))
        index.append((described, f" {words} {described['issued'] or ''}"))
    index.sort(key=lambda item: (item[0]["issued"] or "~", item[0]["article"]))
    with _lock:
        return _indexes.put(raw, index)


def _needles(text: str) -> list[str]:
    """What :func:`articles` looks for: each word of ``text`` after a space, so that it
    starts a word; a date or its start (2015, 2015-04) as it is, in the issue date (whose
    hyphens stay: "2015-04" is not April 2015 or the 4th of a month of 2015), any other
    word without case, accents or punctuation."""
    found = []
    for word in text.split():
        if _DATE_START.fullmatch(word):
            found.append(f" {word}")
        else:
            found.extend(f" {part}" for part in spaced(word).split())
    return found


def article(graph: Any, name: str) -> dict[str, Any]:
    """One article (by id, ``src:`` CURIE or IRI) with its ``text`` (None when the text
    file is missing) and the ``facts`` it states (``kg:statedIn`` it), by label, each
    with its IRI and the article's words that state it (``quotes``)."""
    raw = raw_of(graph)
    iri = find_article(raw, name)
    found = _described(iri, raw.articles[iri])
    path = text_file(graph, URIRef(iri), found["id"])
    found["text"] = path.read_text(encoding="utf-8") if path is not None else None
    facts = [{"fact": node, "label": raw.labels.get(node) or node,
              "quotes": list(raw.quotes.get(node, {}).get(iri, []))}
             for node, sources in raw.stated_in.items() if iri in sources]
    found["facts"] = sorted(facts, key=lambda f: (f["label"].lower(), f["fact"]))
    return found


def passages(text: str, quotes: list[str]) -> list[tuple[str, bool]]:
    """``text`` cut where the ``quotes`` are: ``(part, quoted)`` in order, each quote's
    first place marked once (a quote inside another, or overlapping one found earlier in
    the text, stays in it).

    >>> passages("Baku. They met in Rabat. Then left.", ["They met in Rabat", "Rabat"])
    [('Baku. ', False), ('They met in Rabat', True), ('. Then left.', False)]
    """
    spans = sorted({(at, at + len(q)) for q in quotes if q and (at := text.find(q)) >= 0})
    found: list[tuple[str, bool]] = []
    done = 0
    for start, end in spans:
        if start < done:  # (inside or across a quote marked already)
            continue
        if start > done:
            found.append((text[done:start], False))
        found.append((text[start:end], True))
        done = end
    if done < len(text):
        found.append((text[done:], False))
    return found


def find_article(raw: Raw, name: Any) -> str:
    """The IRI of the article ``name`` gives (its id, ``src:`` CURIE or IRI, ``<>`` or
    not); :class:`UnknownEntity` otherwise, naming the :data:`NEAREST` articles whose id
    (by edit distance) or label (by rapidfuzz's weighted ratio) come closest: not every
    article, 10,000 of them at that many."""
    text = str(name).strip().strip("<>")
    for candidate in (text, str(SRC[text.removeprefix("src:")])):
        if candidate in raw.articles:
            return candidate
    wanted = text.removeprefix(str(SRC)).removeprefix("src:")
    best: dict[str, float] = {}
    for choices, scorer in (({iri: iri.removeprefix(str(SRC)) for iri in raw.articles},
                             fuzz.ratio),
                            ({iri: meta["label"] or "" for iri, meta in raw.articles.items()},
                             fuzz.WRatio)):
        for _choice, score, iri in process.extract(wanted, choices, scorer=scorer,
                                                   limit=NEAREST):
            best[iri] = max(score, best.get(iri, 0.0))
    near = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:NEAREST]
    candidates = [{"iri": iri, "label": raw.articles[iri]["label"], "score": round(score, 1)}
                  for iri, score in near]
    hint = ("; the nearest: " + "; ".join(f"{c['label']} <{c['iri']}>" for c in candidates)
            if candidates else "")
    count = len(raw.articles)
    raise UnknownEntity(f"{name!r} is not a source article of the graph "
                        f"({counted(count, 'article')}){hint}", candidates=candidates)
