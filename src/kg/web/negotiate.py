"""Content negotiation: which format answers a request, from ``Accept`` and ``format=``.

Werkzeug parses ``Accept`` (q-values, wildcards, specificity); this module only says
what is offered for each kind of result and turns "nothing acceptable" into
:class:`NotAcceptable` (HTTP 406), which lists what is offered.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept

from ..errors import KgError, QueryError
from ..results import ResultFormat
from ..sparql_guard import QueryKind

__all__ = ["NotAcceptable", "Choice", "offers", "choose", "HTML"]

HTML = "text/html"

#: media types offered for SELECT / ASK, in order of preference; aliases last
_TABLE_OFFERS: list[tuple[str, ResultFormat]] = [
    ("application/sparql-results+json", ResultFormat.JSON),
    ("application/sparql-results+xml", ResultFormat.XML),
    ("text/csv", ResultFormat.CSV),
    ("text/tab-separated-values", ResultFormat.TSV),
    ("application/json", ResultFormat.JSON),
    ("application/xml", ResultFormat.XML),
    ("text/xml", ResultFormat.XML),
]

#: media types offered for CONSTRUCT / DESCRIBE (and the service description)
_GRAPH_OFFERS: list[tuple[str, ResultFormat]] = [
    ("text/turtle", ResultFormat.TURTLE),
    ("application/n-triples", ResultFormat.NTRIPLES),
    ("application/ld+json", ResultFormat.JSONLD),
    ("application/rdf+xml", ResultFormat.RDFXML),
    ("application/n-quads", ResultFormat.NQUADS),
    ("application/trig", ResultFormat.TRIG),
    ("application/x-turtle", ResultFormat.TURTLE),
    ("text/plain", ResultFormat.NTRIPLES),
    ("application/json", ResultFormat.JSONLD),
    ("application/xml", ResultFormat.RDFXML),
]


class NotAcceptable(KgError):
    """No format offered for this result is acceptable to the client (HTTP 406)."""

    def __init__(self, message: str, *, offered: list[str]) -> None:
        self.offered = offered
        super().__init__(message)


@dataclass(frozen=True)
class Choice:
    """What the client asked for, as plain values (safe to hand to a worker process)."""

    accept: tuple[tuple[str, float], ...] = ()
    format: str | None = None

    @classmethod
    def of(cls, accept: MIMEAccept, format: str | None) -> Choice:
        return cls(accept=tuple(accept), format=format or None)


def offers(kind: QueryKind | None) -> list[tuple[str, ResultFormat]]:
    """What is offered for a result of ``kind`` (``None``: an RDF document)."""
    return _TABLE_OFFERS if kind is not None and not kind.returns_graph else _GRAPH_OFFERS


def canonical(kind: QueryKind | None) -> list[str]:
    """The main media types offered for ``kind``, without aliases."""
    seen: list[str] = []
    for media_type, fmt in offers(kind):
        if fmt.media_type == media_type and media_type not in seen:
            seen.append(media_type)
    return seen


def choose(choice: Choice, kind: QueryKind | None, *, html: bool = False,
           only: Collection[ResultFormat] | None = None,
           what: str | None = None) -> ResultFormat | str:
    """The format for a result of ``kind``; :data:`HTML` when ``html`` is allowed and the
    client prefers it. ``format=`` wins over ``Accept``. ``only`` narrows what is offered
    (an entity page: three RDF formats), ``what`` names the answer in a refusal.
    """
    offered = [(m, f) for m, f in offers(kind) if only is None or f in only]
    main = [m for m in canonical(kind) if only is None or dict(offers(kind))[m] in only]
    named = what or _what(kind)
    if choice.format:
        if html and choice.format.lower() in ("html", HTML):
            return HTML
        try:
            fmt = ResultFormat.parse(choice.format, kind=kind or QueryKind.CONSTRUCT)
        except QueryError:
            fmt = None
        if fmt in [f for _, f in offered]:
            return fmt  # type: ignore[return-value]
        names = [f.label for f in dict.fromkeys(f for _, f in offered)]
        if html:
            names.append("html")
        raise NotAcceptable(f"format={choice.format} is not offered for "
                            f"{named}; it is one of {', '.join(names)}",
                            offered=main + ([HTML] if html else []))
    accept = MIMEAccept(list(choice.accept))
    media_types = [media_type for media_type, _ in offered] + ([HTML] if html else [])
    if not choice.accept:
        return offered[0][1]
    best = accept.best_match(media_types)
    if best is None:
        shown = main + ([HTML] if html else [])
        raise NotAcceptable(f"{named} is not offered as Accept: {accept.to_header()}; it "
                            f"is offered as {', '.join(shown)}", offered=shown)
    if best == HTML:
        return HTML
    return dict(offered)[best]


def _what(kind: QueryKind | None) -> str:
    return "this document" if kind is None else kind.result_name
