"""``/id/<slug>``: a page for every thing the graph names (``https://w3id.org/kg/id/<slug>``);
``/source/<id>``: one for every article (``https://w3id.org/kg/source/<id>``).

Content negotiation, as for a Linked Data IRI: a browser gets an HTML page (label, types,
alternative names, every fact about it by source with the article's words and dates, its
neighbours, a link that opens it in the explorer); an RDF client gets the statements about
it as Turtle, JSON-LD (no remote context) or N-Triples (``Accept``, or ``format=``).
The HTML page uses the same function as ``/api/entities/<name>``
(:func:`kg.analysis.public.entity_facts`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request

from ..analysis import jobs
from ..errors import UnknownEntity
from ..namespaces import KGR, SRC
from ..queries import IRI_FORBIDDEN
from ..results import ResultFormat
from ..sparql_guard import QueryKind
from ..wording import counted
from .negotiate import HTML, Choice, choose
from .service import entity_rdf_job, service

__all__ = ["blueprint", "entity_rdf_job", "local_href"]

blueprint = Blueprint("entities", __name__)

#: the RDF formats an entity page is offered in (besides HTML)
RDF_FORMATS = (ResultFormat.TURTLE, ResultFormat.JSONLD, ResultFormat.NTRIPLES)


def local_href(iri: str) -> str | None:
    """The local page of an IRI the graph names (``/id/<slug>``, an article's
    ``/source/<id>``), or None."""
    for namespace, path in ((str(KGR), "/id/"), (str(SRC), "/source/")):
        if iri.startswith(namespace):
            return path + iri[len(namespace):]
    return None


def _format() -> ResultFormat | str:
    choice = Choice.of(request.accept_mimetypes, request.args.get("format"))
    if not choice.accept and not choice.format:
        return HTML
    # among its own formats: "application/rdf+xml, text/turtle;q=0.5" is answered in Turtle
    return choose(choice, QueryKind.CONSTRUCT, html=True, only=RDF_FORMATS,
                  what="an entity page")


@blueprint.route("/id/<slug>")
def entity_page(slug: str) -> Response:
    """The entity ``kgr:<slug>``: HTML, Turtle, JSON-LD or N-Triples."""
    if IRI_FORBIDDEN.search(slug):  # (no IRI holds it: no thing of the graph is named so)
        abort(404)
    iri = str(KGR[slug])
    fmt = _format()
    if fmt != HTML:
        answer = service().run(entity_rdf_job, iri, fmt, service().limits.max_rows)
        return _negotiated(Response(answer.body, mimetype=answer.media_type))
    try:
        facts = service().run(jobs.entity_job, iri, {"reported_by": None, "source": None})
    except UnknownEntity:
        abort(404)
    try:  # a role, a field or a title is no node of the actors view
        neighbours = service().run(jobs.neighbors_job,
                                   {"entity": iri, "radius": 1,
                                    "max_nodes": int(current_app.config["MAX_NEIGHBOURS"]),
                                    "view": "actors", "as_of": None, "reported_by": None,
                                    "source": None, "node_types": []})
    except UnknownEntity:
        neighbours = {}
    articles = {source["article"]: source["label"] for source in facts["sources"]}
    html = render_template("entity.html", facts=facts, neighbours=_neighbours(iri, neighbours),
                           reached=neighbours.get("reached", 0), articles=articles,
                           local_href=local_href, slug=slug, counted=counted)
    return _negotiated(Response(html, mimetype="text/html"))


@blueprint.route("/source/<article_id>")
def article_page(article_id: str) -> Response:
    """The article ``src:<article_id>``: for a browser, what it states (each fact, with its
    words) and its text with those words marked; for an RDF client, its named graph."""
    if IRI_FORBIDDEN.search(article_id):
        abort(404)
    iri = str(SRC[article_id])
    fmt = _format()
    if fmt != HTML:
        answer = service().run(entity_rdf_job, iri, fmt, service().limits.max_rows, True)
        return _negotiated(Response(answer.body, mimetype=answer.media_type))
    try:
        found = service().run(jobs.article_job, iri)
    except UnknownEntity:
        abort(404)
    from ..analysis.articles import passages  # (the analysis is the workers' to import)

    quotes = [quote for fact in found["facts"] for quote in fact["quotes"]]
    html = render_template("source.html", article=found, local_href=local_href,
                           counted=counted,
                           passages=passages(found["text"] or "", quotes))
    return _negotiated(Response(html, mimetype="text/html"))


def _negotiated(response: Response) -> Response:
    """``response``, saying that it depends on ``Accept`` (HTML or RDF, one URL)."""
    response.headers["Vary"] = "Accept"
    return response


def _neighbours(iri: str, found: dict[str, Any]) -> list[dict[str, Any]]:
    """Each neighbour once, with the labels of the edges that join it to ``iri``."""
    labels = {n["iri"]: n for n in found.get("nodes", [])}
    joined: dict[str, list[str]] = {}
    for edge in found.get("edges", []):
        other = edge["target"] if edge["source"] == iri else edge["source"]
        if other != iri:
            joined.setdefault(other, [])
            if edge["label"] not in joined[other]:
                joined[other].append(edge["label"])
    return sorted(({"iri": other, "label": labels.get(other, {}).get("label", other),
                    "kind": labels.get(other, {}).get("kind", ""), "edges": edges}
                   for other, edges in joined.items()), key=lambda n: n["label"].lower())
