"""The source articles: their metadata, and the text their quotes come from.

An article is a named graph ``src:<id>`` describing itself as a ``kg:NewsArticle``; its
text is ``sources/<id>.txt`` beside the data files (what ``kg validate`` checks quotes
against). The explorer shows a quote highlighted in this text.

>>> import kg
>>> [a["id"] for a in articles(kg.load())]
['000_b2925a6198033b1b', '001_9e02c3f3c2711bf1']
"""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz, process

from ..errors import UnknownEntity
from ..namespaces import SRC
from .projection import raw_of
from .reading import Raw

__all__ = ["articles", "article", "find_article"]

#: how many of the nearest articles an unknown one is answered with
NEAREST = 5


def _described(iri: str, meta: dict[str, Any]) -> dict[str, Any]:
    return {"article": iri, "id": iri.removeprefix(str(SRC)), "label": meta["label"],
            "publisher": meta["publisher"], "publisher_label": meta["publisher_label"],
            "issued": meta["issued"]}


def articles(graph: Any) -> list[dict[str, Any]]:
    """Every source article, oldest first: IRI, id, label, publisher, issue date."""
    raw = raw_of(graph)
    found = [_described(iri, meta) for iri, meta in raw.articles.items()]
    return sorted(found, key=lambda a: (a["issued"] or "~", a["article"]))


def article(graph: Any, name: str) -> dict[str, Any]:
    """One article (by id, ``src:`` CURIE or IRI) with its ``text`` (None when the text
    file is missing)."""
    raw = raw_of(graph)
    iri = find_article(raw, name)
    found = _described(iri, raw.articles[iri])
    path = graph.bundle.data / "sources" / f"{found['id']}.txt"
    found["text"] = path.read_text(encoding="utf-8") if path.is_file() else None
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
    raise UnknownEntity(f"{name!r} is not a source article of the graph ({count} "
                        f"article{'' if count == 1 else 's'}){hint}", candidates=candidates)
