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

from ..errors import UnknownEntity
from ..namespaces import SRC
from .projection import raw_of

__all__ = ["articles", "article"]


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
    text = str(name).strip().strip("<>").removeprefix("src:")
    iri = text if text in raw.articles else str(SRC[text])
    if iri not in raw.articles:
        candidates = [{"iri": a, "label": m["label"], "score": 0.0}
                      for a, m in sorted(raw.articles.items())]
        raise UnknownEntity(f"{name!r} is not a source article of the graph",
                            candidates=candidates)
    found = _described(iri, raw.articles[iri])
    path = graph.bundle.data / "sources" / f"{found['id']}.txt"
    found["text"] = path.read_text(encoding="utf-8") if path.is_file() else None
    return found
