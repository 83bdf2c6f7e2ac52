"""``/sparql``: the SPARQL 1.1 Protocol, read-only.

=====================================  ==============================================
request                                answer
=====================================  ==============================================
``GET ?query=…``                       the results, in the negotiated format
``POST`` form ``query=…``              the same (``application/x-www-form-urlencoded``;
                                       the URL's parameters count too)
``POST`` ``application/sparql-query``  the same, the body being the query
``default-graph-uri``,                 the dataset: graphs of this store only (400
``named-graph-uri``                    otherwise); they override the query's FROM
``update=…``, sparql-update bodies     400: the endpoint is read-only
``GET`` without a query                the SPARQL 1.1 Service Description (RDF), or the
                                       query page when the client prefers HTML
=====================================  ==============================================

``format=`` (``json``, ``xml``, ``csv``, ``tsv``, ``turtle``, ``ntriples``, ``jsonld``,
``rdfxml``, ``nquads``, ``trig`` or a media type) overrides ``Accept``.
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from .. import __version__
from ..errors import QueryError, UnsafeQueryError
from ..namespaces import DCTERMS, bind_prefixes
from ..results import QueryResult, ResultFormat
from ..sparql_guard import QueryKind
from .errors import FORM, unsupported_media_type
from .negotiate import HTML, Choice, choose
from .service import service
from .ui import query_page

__all__ = ["blueprint", "service_description"]

blueprint = Blueprint("sparql", __name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")

_FORMAT_IRIS = {
    ResultFormat.JSON: FORMATS.SPARQL_Results_JSON,
    ResultFormat.XML: FORMATS.SPARQL_Results_XML,
    ResultFormat.CSV: FORMATS.SPARQL_Results_CSV,
    ResultFormat.TSV: FORMATS.SPARQL_Results_TSV,
    ResultFormat.TURTLE: FORMATS.Turtle,
    ResultFormat.NTRIPLES: FORMATS["N-Triples"],
    ResultFormat.JSONLD: FORMATS["JSON-LD"],
    ResultFormat.RDFXML: FORMATS.RDF_XML,
    ResultFormat.NQUADS: FORMATS["N-Quads"],
    ResultFormat.TRIG: FORMATS.TriG,
}

_DIRECT = "application/sparql-query"
_UPDATE = "application/sparql-update"
_READ_ONLY = "SPARQL Update is refused: this endpoint is read-only"


@blueprint.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """Answer one SPARQL protocol request."""
    if request.method == "POST":
        mimetype = request.mimetype
        if mimetype == _UPDATE:
            raise UnsafeQueryError(_READ_ONLY)
        if mimetype == _DIRECT:  # a query= in the URL as well is a second query
            texts = [request.get_data(as_text=True), *request.args.getlist("query")]
            params = request.args
        elif mimetype in (FORM, "multipart/form-data"):
            # the body's parameters and the URL's, as Fuseki reads them: a default-graph-uri
            # in the URL was ignored, and the query answered over the whole union
            params = request.values
            texts = params.getlist("query")
        else:
            return unsupported_media_type(f"{FORM} or {_DIRECT}")
    else:
        params = request.args
        texts = params.getlist("query")
    if "update" in params or "update" in request.args:
        raise UnsafeQueryError(_READ_ONLY)
    choice = Choice.of(request.accept_mimetypes, request.values.get("format"))
    if not texts:
        return _describe(choice)
    if len(texts) > 1:
        raise QueryError(f"give exactly one query, not {len(texts)}: one query= parameter "
                         "(in the URL or a form body) or one application/sparql-query body")
    answer = service().run_sparql(texts[0], choice,
                                  default_graph_uris=params.getlist("default-graph-uri"),
                                  named_graph_uris=params.getlist("named-graph-uri"))
    return _respond(answer.media_type, answer.body)


def _respond(media_type: str, body: bytes) -> Response:
    response = Response(body, mimetype=media_type)
    if media_type.startswith("text/") or media_type.endswith(("json", "xml", "trig",
                                                                "triples", "quads")):
        response.charset = "utf-8"
        response.headers["Content-Type"] = f"{media_type}; charset=utf-8"
    response.vary.add("Accept")
    return response


def _describe(choice: Choice) -> Response:
    chosen = choose(choice, None, html=True)
    if chosen == HTML:
        return query_page()
    assert isinstance(chosen, ResultFormat)
    endpoint = URIRef(url_for("sparql.sparql", _external=True))
    description = service_description(endpoint)
    result = QueryResult(kind=QueryKind.CONSTRUCT, graph=description)
    return _respond(chosen.media_type, result.serialize(chosen))


def service_description(endpoint: URIRef) -> Graph:
    """The SPARQL 1.1 Service Description of this endpoint: languages, formats, features,
    and the dataset (each named graph with its size)."""
    graph = Graph()
    bind_prefixes(graph)
    for prefix, namespace in (("sd", SD), ("formats", FORMATS), ("void", VOID)):
        graph.bind(prefix, namespace)
    store = service().graph.store
    graph.add((endpoint, RDF.type, SD.Service))
    graph.add((endpoint, SD.endpoint, endpoint))
    graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    graph.add((endpoint, DCTERMS.title, Literal("kg SPARQL endpoint (read-only)", lang="en")))
    graph.add((endpoint, DCTERMS.hasVersion, Literal(__version__)))
    for fmt, iri in _FORMAT_IRIS.items():
        graph.add((endpoint, SD.resultFormat, iri))
    dataset, default = BNode("dataset"), BNode("default-graph")
    graph.add((endpoint, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(store.size(), datatype=XSD.integer)))
    for name in store.graph_names():
        named, description = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, name))
        graph.add((named, SD.graph, description))
        graph.add((description, RDF.type, SD.Graph))
        graph.add((description, VOID.triples,
                   Literal(store.size(name), datatype=XSD.integer)))
    return graph

