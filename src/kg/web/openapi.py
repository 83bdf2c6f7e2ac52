"""The OpenAPI 3.1 document of kg's HTTP API, written by hand as one dict.

It covers every route under ``/api`` (named queries and relationship analysis) and the
SPARQL endpoint ``/sparql``. The component schemas are those the tests check every JSON
answer against.

>>> document("http://localhost")["openapi"]
'3.1.0'
"""

from __future__ import annotations

import functools
from typing import Any

from ..analysis.jobs import MAX_DRAWN

__all__ = ["document", "query_parameters", "SCHEMAS"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_STR_OR_NULL = {"type": ["string", "null"]}
_ARRAY_OF_STR = {"type": "array", "items": {"type": "string"}}

SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["status", "type", "message"],
        "properties": {"status": {"type": "integer"}, "type": {"type": "string"},
                       "message": {"type": "string"},
                       "parameter": {"type": "string", "description":
                                     "The parameter whose value names no entity, or "
                                     "several (/api/paths: from or to)"},
                       "candidates": {"type": "array", "items": {
                           "type": "object", "required": ["iri", "label"],
                           "properties": {"iri": {"type": "string"},
                                          "label": {"type": "string"},
                                          "score": {"type": "number"},
                                          "about": {"type": "string", "description":
                                                    "What tells namesakes apart: the "
                                                    "entity's kind and first links"}}}}}}}},
    "Source": {"type": "object",
               "required": ["article", "label", "publisher", "issued", "quotes"],
               "properties": {"article": {"type": "string"}, "label": _STR_OR_NULL,
                              "publisher": _STR_OR_NULL, "publisher_label": _STR_OR_NULL,
                              "issued": _STR_OR_NULL, "quotes": _ARRAY_OF_STR}},
    "Date": {"type": "object",
             "required": ["property", "value", "precision", "inferred", "sources"],
             "properties": {"property": {"type": "string"}, "value": {"type": "string"},
                            "precision": {"enum": ["day", "month", "year"]},
                            "inferred": {"type": "boolean"}, "note": _STR_OR_NULL,
                            "sources": _ARRAY_OF_STR}},
    "Edge": {"type": "object",
             "required": ["source", "target", "key", "label", "kind", "predicate", "dates",
                          "sources", "validity", "contradiction", "inferred"],
             "properties": {"source": {"type": "string"}, "target": {"type": "string"},
                            "source_label": {"type": "string"},
                            "target_label": {"type": "string"},
                            "key": {"type": "string"}, "label": {"type": "string"},
                            "kind": {"enum": ["relationship", "property"]},
                            "predicate": {"type": "string"}, "relationship": _STR_OR_NULL,
                            "dates": {"type": "array", "items": _ref("Date")},
                            "sources": {"type": "array", "items": _ref("Source")},
                            "validity": {"enum": ["known", "reported"]},
                            "contradiction": {"type": "boolean"},
                            "inferred": {"type": "integer"}}},
    "Node": {"type": "object",
             "required": ["iri", "label", "alt_labels", "types", "kind", "label_is_editorial",
                          "sources", "dates", "validity"],
             "properties": {"iri": {"type": "string"}, "label": {"type": "string"},
                            "alt_labels": {"type": "array", "items": {
                                "type": "object", "required": ["label", "source"],
                                "properties": {"label": {"type": "string"},
                                               "source": {"type": "string"}}}},
                            "types": _ARRAY_OF_STR, "categories": _ARRAY_OF_STR,
                            "kind": {"type": "string"},
                            "label_is_editorial": {"type": "boolean"},
                            "sources": _ARRAY_OF_STR,
                            "dates": {"type": "array", "items": _ref("Date")},
                            "validity": {"enum": ["known", "reported"]},
                            "contradiction": {"type": "boolean"},
                            "distance": {"type": "integer"}}},
    "Matches": {"type": "object", "required": ["query", "count", "results"],
                "properties": {"query": {"type": "string"}, "count": {"type": "integer"},
                               "results": {"type": "array", "items": {
                                   "type": "object",
                                   "required": ["iri", "label", "kind", "score", "matched"],
                                   "properties": {"iri": {"type": "string"},
                                                  "label": {"type": "string"},
                                                  "kind": {"type": "string"},
                                                  "score": {"type": "number"},
                                                  "matched": {"type": "string"}}}}}},
    "EntityFacts": {"type": "object", "required": ["entity", "sources", "shared"],
                    "properties": {
                        "entity": {"type": "object", "required": ["iri", "label"]},
                        "sources": {"type": "array", "items": {
                            "type": "object",
                            "required": ["article", "label", "issued", "quotes", "statements",
                                         "facts"],
                            "properties": {"facts": {"type": "array", "items": {
                                "type": "object", "required": ["fact", "label", "quotes"]}}}}},
                        "shared": {"type": "array"}}},
    "Neighbourhood": {"type": "object",
                      "required": ["center", "radius", "nodes", "edges", "reached", "absent"],
                      "properties": {"center": {"type": "string"},
                                     "radius": {"type": "integer"},
                                     "reached": {"type": "integer", "description":
                                                 "Entities the radius reaches: past 500, "
                                                 "the nearest, most connected are given"},
                                     "nodes": {"type": "array", "items": _ref("Node")},
                                     "edges": {"type": "array", "items": _ref("Edge")},
                                     "absent": {"type": "array", "maxItems": 1,
                                                "description": "The center, when the "
                                                "filters leave it out of the graph (why "
                                                "there are no nodes)", "items": _ref("End")}}},
    "End": {"type": "object", "required": ["iri", "label"],
            "properties": {"iri": {"type": "string"}, "label": {"type": "string"},
                           "first_reported": {"type": ["string", "null"], "description":
                                              "With reported_by: the issue date of the "
                                              "first article that mentions it (null: "
                                              "none does)"}}},
    "Hop": {"type": "object",
            "required": ["source", "source_label", "target", "target_label", "edges"],
            "properties": {"source": {"type": "string"}, "source_label": {"type": "string"},
                           "target": {"type": "string"}, "target_label": {"type": "string"},
                           "edges": {"type": "array", "minItems": 1,
                                     "items": _ref("Edge")}}},
    "Paths": {"type": "object", "required": ["start", "end", "count", "paths", "absent",
                                             "max_hops", "fewest_hops"],
              "properties": {"start": {"type": "string"}, "end": {"type": "string"},
                             "count": {"type": "integer"},
                             "max_hops": {"type": "integer", "description": "The longest "
                                          "path looked for"},
                             "fewest_hops": {"type": ["integer", "null"], "description":
                                             "The hops of the shortest connection between "
                                             "the ends, however long (null: nothing "
                                             "connects them): when over max_hops, why "
                                             "there is no path"},
                             "absent": {"type": "array", "description": "The ends not in "
                                        "the graph with these filters (why there is no "
                                        "path)", "items": _ref("End")},
                             "paths": {"type": "array", "items": {
                                 "type": "object",
                                 "required": ["nodes", "labels", "hops", "sources", "inferred",
                                              "length"],
                                 "properties": {"hops": {"type": "array",
                                                         "items": _ref("Hop")},
                                                "length": {"type": "integer"}}}}}},
    "Table": {"type": "object", "required": ["name", "columns", "count", "total", "rows"],
              "properties": {"name": {"type": "string"}, "columns": _ARRAY_OF_STR,
                             "count": {"type": "integer", "description": "Rows here"},
                             "total": {"type": "integer",
                                       "description": "Rows in all (more than count: "
                                                      "ask with a larger limit)"},
                             "rows": {"type": "array", "items": {"type": "object"}}}},
    "CytoscapeElements": {"type": "object", "required": ["elements"], "properties": {
        "top": {"type": "object", "required": ["nodes", "of"],
                "description": "With top: how many nodes are drawn, of how many",
                "properties": {"nodes": {"type": "integer"}, "of": {"type": "integer"}}},
        "too_large": {"type": "string", "description": "With overview: why these are not "
                      "the whole graph (no nodes when even its most connected are refused)"},
        "elements": {"type": "object", "required": ["nodes", "edges"], "properties": {
            "nodes": {"type": "array", "items": {
                "type": "object", "required": ["data"], "properties": {"data": {
                    "type": "object", "required": ["id", "label"]}}}},
            "edges": {"type": "array", "items": {
                "type": "object", "required": ["data"], "properties": {"data": {
                    "type": "object", "required": ["id", "source", "target", "label",
                                                   "sources"]}}}}}}}},
    "Article": {"type": "object",
                "required": ["article", "id", "label", "publisher", "issued"],
                "properties": {"article": {"type": "string"}, "id": {"type": "string"},
                               "label": _STR_OR_NULL, "publisher": _STR_OR_NULL,
                               "publisher_label": _STR_OR_NULL, "issued": _STR_OR_NULL,
                               "text": _STR_OR_NULL,
                               "facts": {"type": "array", "description":
                                         "What the article states (/api/sources/{name} "
                                         "only), by label, with its words",
                                         "items": {"type": "object",
                                                   "required": ["fact", "label", "quotes"],
                                                   "properties": {
                                                       "fact": {"type": "string"},
                                                       "label": {"type": "string"},
                                                       "quotes": _ARRAY_OF_STR}}}}},
    "Articles": {"type": "object", "required": ["articles", "total", "matched", "offset"],
                 "properties": {
        "articles": {"type": "array", "items": _ref("Article")},
        "total": {"type": "integer", "description": "Every article of the graph"},
        "matched": {"type": "integer", "description": "The articles q keeps (total without q)"},
        "offset": {"type": "integer", "description": "Where this page starts among them"}}},
    "QueryCatalogue": {"type": "object", "required": ["queries"], "properties": {
        "queries": {"type": "array", "items": {"type": "object",
                                                "required": ["name", "title", "url"]}}}},
    "QueryAnswer": {"type": "object",
                    "required": ["query", "title", "params", "kind", "vars", "count", "rows"],
                    "properties": {"rows": {"type": "array", "items": {"type": "object"}},
                                   "count": {"type": "integer"}}},
}


def _param(name: str, description: str, *, schema: dict[str, Any] | None = None,
           required: bool = False, where: str = "query") -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "description": description,
            "schema": schema or {"type": "string"}}


def _choice(*values: str, default: str | None = None) -> dict[str, Any]:
    """An optional choice: one of ``values``, or empty -- not given, as a form's empty field
    sends it (the server then takes its default), like an empty date."""
    schema: dict[str, Any] = {"enum": [*values, ""]}
    if default is not None:
        schema["default"] = default
    return schema


def _number(minimum: int, maximum: int | None = None) -> dict[str, Any]:
    """An optional whole number from ``minimum`` (to ``maximum``), or empty -- not given,
    as a form's empty field sends it (the server then takes its default): a string of no
    character is the one string allowed (``minimum`` holds for numbers only)."""
    schema: dict[str, Any] = {"type": ["integer", "string"], "minimum": minimum,
                              "maxLength": 0}
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


#: an optional flag, or empty (not given, as :func:`_number`)
_FLAG = {"type": ["boolean", "string"], "maxLength": 0}

#: a date as precise as it is known: a day, a month or a year (empty: not given, as a
#: form's empty field sends it)
_DATE = {"type": "string",
         "pattern": r"^(\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)?$"}

_FILTERS = [
    _param("view", "actors (relationships as edges) or full (every resource)",
           schema=_choice("actors", "full", default="actors")),
    _param("as_of", "Only what held on this date (YYYY-MM-DD, YYYY-MM or YYYY)",
           schema=_DATE),
    _param("reported_by", "Only what articles issued on or before this date state",
           schema=_DATE),
    _param("source", "Only what one article states (its IRI or identifier)"),
    _param("type", "Keep only nodes of this class: a name (Person), a CURIE (kg:Person) "
           "or an IRI (repeatable); one that is no class of the ontology or of the "
           "graph's nodes is a 400 with the nearest names",
           schema={"type": "array", "items": {"type": "string"}}),
]


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": _ref(schema)}}}


_ERRORS = {"400": _json("Error", "A bad parameter (the message names it)"),
           "404": _json("Error", "An unknown entity (with the nearest matches)"),
           "503": _json("Error", "The analysis ran out of time")}


#: ``top``, of the routes that draw or export the projection
_TOP = _param("top", "Only the TOP most connected nodes (the most distinct neighbours in the "
              "filtered graph; ties by label, then IRI) and the lines among them: an "
              "overview of a graph too large to draw whole (/api/graph: fewer when they "
              "would pass the limit of elements drawn, and 'top' says how many of how many)",
              schema=_number(1, MAX_DRAWN))


def _get(summary: str, schema: str, params: list[dict[str, Any]],
         *, filters: tuple[str, ...] = tuple(f["name"] for f in _FILTERS)) -> dict[str, Any]:
    """A GET route answering ``schema`` that takes ``params`` and the common ``filters``
    named (all of them unless told)."""
    kept = [f for f in _FILTERS if f["name"] in filters]
    return {"get": {"summary": summary, "parameters": params + kept,
                    "responses": {"200": _json(schema, summary), **_ERRORS}}}


#: what ``/sparql`` answers when it cannot answer (plain text, as the protocol's clients
#: expect)
_SPARQL_ERRORS = {
    "400": {"description": "A query that does not parse or is refused (text/plain)"},
    "406": {"description": "No format offered is acceptable (text/plain, lists them)"},
    "503": {"description": "The query ran out of time, or every worker was busy"},
}


def _named_query() -> dict[str, Any]:
    """``/api/queries/{name}``: by GET (query string) or POST (form), in kg's JSON, CSV or
    a SPARQL results format."""
    answer = {"description": "The answer", "content": {
        "application/json": {"schema": _ref("QueryAnswer")},
        "text/csv": {"schema": {"type": "string"}},
        "application/sparql-results+json": {"schema": {"type": "object"}},
        "application/sparql-results+xml": {"schema": {"type": "string"}},
        "text/tab-separated-values": {"schema": {"type": "string"}}}}
    responses = {"200": answer,
                 "400": _json("Error", "A bad parameter"),
                 "404": _json("Error", "No such query"),
                 "406": _json("Error", "A format this route does not serve"),
                 "413": _json("Error", "A request body over the limit"),
                 "503": _json("Error", "The query ran out of time")}
    name = _param("name", "The query's name", required=True, where="path")
    fmt = _param("format", "records as JSON (json, the default), csv, or a SPARQL results "
                 "format (sparql-json, xml, tsv); overrides Accept",
                 schema=_choice("json", "csv", "sparql-json", "srj", "xml", "srx", "tsv"))
    return {
        "get": {"summary": "Run a named query (its parameters in the query string)",
                "parameters": [name, fmt], "responses": responses},
        "post": {"summary": "Run a named query (its parameters as a form or a JSON object)",
                 "parameters": [name],
                 "requestBody": {"content": {
                     "application/x-www-form-urlencoded": {"schema": {
                         "type": "object", "additionalProperties": {"type": "string"},
                         "properties": {"format": fmt["schema"]}}},
                     "application/json": {"schema": {
                         "type": "object",
                         "additionalProperties": {"type": ["string", "number"]},
                         "properties": {"format": fmt["schema"]}}}}},
                 "responses": {**responses, "415": _json(
                     "Error", "A body neither a form nor a JSON object")}},
    }


def _paths() -> dict[str, Any]:
    limit = _number(1)
    return {
        "/api/queries": {"get": {"summary": "The named queries and their parameters",
                                 "responses": {"200": _json("QueryCatalogue", "The catalogue")}}},
        "/api/queries/{name}": _named_query(),
        "/sparql": {"get": {
            "summary": "SPARQL 1.1 Protocol query (read-only); without query: the service "
                       "description",
            "parameters": [_param("query", "The SPARQL query"),
                           _param("default-graph-uri", "A graph of the dataset"),
                           _param("named-graph-uri", "A graph of the dataset"),
                           _param("format", "json, xml, csv, tsv, turtle, ...")],
            "responses": {"200": {"description": "SPARQL results or RDF", "content": {
                "application/sparql-results+json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
                "text/turtle": {"schema": {"type": "string"}}}},
                **_SPARQL_ERRORS}},
            "post": {"summary": "SPARQL 1.1 Protocol query by POST (form or "
                                "application/sparql-query)",
                     "requestBody": {"content": {
                         "application/x-www-form-urlencoded": {"schema": {
                             "type": "object", "properties": {"query": {"type": "string"}}}},
                         "application/sparql-query": {"schema": {"type": "string"}}}},
                     "responses": {"200": {"description": "SPARQL results or RDF"},
                                   **_SPARQL_ERRORS,
                                   "413": {"description": "A body over the limit "
                                                          "(text/plain)"},
                                   "415": {"description": "A body neither a form nor "
                                                          "application/sparql-query"}}}},
        "/api/entities": _get("Entities whose names match q, best first", "Matches", [
            _param("q", "The text to look for", required=True),
            _param("limit", "Most results (1-100)", schema=limit)]),
        "/api/entities/{name}": _get(
            "Every fact about an entity, by source, with quotes", "EntityFacts",
            [_param("name", "A slug (leyla-aliyeva), CURIE (kgr:icesco), label or IRI "
                    "(percent-encoded or not)", required=True, where="path")],
            filters=("reported_by", "source")),
        "/api/neighbors": _get("Entities within radius hops, and the edges among them",
                               "Neighbourhood", [
            _param("entity", "Label, alternative label, IRI or slug", required=True),
            _param("radius", "Hops (0-3)", schema=_number(0, 3))]),
        "/api/paths": _get("Ranked paths between two entities, each hop explained", "Paths", [
            _param("from", "The start entity", required=True),
            _param("to", "The end entity", required=True),
            _param("max_hops", "Longest path (1-6)", schema=_number(1, 6)),
            _param("limit", "Most paths (1-50)", schema=limit),
            _param("shortest", "Only the shortest paths", schema=_FLAG)]),
        "/api/centrality": _get("Degree, betweenness and PageRank", "Table", [
            _param("by", "Sort by", schema=_choice("degree", "betweenness", "pagerank")),
            _param("limit", "Most rows (1-100)", schema=limit),
            _param("engine", "Computes betweenness: networkx, igraph or auto",
                   schema=_choice("auto", "networkx", "igraph"))]),
        "/api/communities": _get("Communities, components, brokers or co-affiliation",
                                 "Table", [
            _param("kind", "What to compute", schema=_choice("louvain", "components",
                                                          "brokers", "coaffiliation")),
            _param("via", "For coaffiliation: only pairs through this entity"),
            _param("engine", "Runs Louvain: networkx, igraph or auto",
                   schema=_choice("auto", "networkx", "igraph")),
            _param("limit", "Most rows, largest groups first (1-1000; 100 when not given; "
                   "total says how many there are)", schema=_number(1, 1000)),
            _param("members", "For louvain and components: most members listed of each "
                   "group, its most connected (1-10000; 100 when not given; size says how "
                   "many there are)", schema=_number(1, 10000))]),
        "/api/timeline": _get("Dated facts and publications in date order", "Table", [
            _param("entity", "Only what involves this entity"),
            _param("start", "From (YYYY-MM-DD, YYYY-MM or YYYY)", schema=_DATE),
            _param("end", "Up to (YYYY-MM-DD, YYYY-MM or YYYY)", schema=_DATE),
            _param("years", "One row per year (year, count, inferred) instead of each "
                   "dated fact", schema=_FLAG),
            _param("limit", "Most rows, the earliest first (1-10000; 1000 when not given; "
                   "total says how many there are)", schema=_number(1, 10000))]),
        "/api/graph": _get("The projection as Cytoscape.js elements JSON",
                           "CytoscapeElements", [_TOP, _param(
                               "overview", "The whole graph when it fits the limit of "
                               "elements drawn, else as top=OVERVIEW, 'too_large' saying why "
                               "(what the explorer opens on; not with top)",
                               schema=_number(1, MAX_DRAWN))]),
        "/api/export": {"get": {
            "summary": "The projection as a file",
            "parameters": [_param("format", "graphml, gexf, cytoscape or csv", required=True,
                                  schema={"enum": ["graphml", "gexf", "cytoscape", "csv"]}),
                           _param("part", "For csv: nodes or edges",
                                  schema=_choice("nodes", "edges")), _TOP] + _FILTERS,
            "responses": {"200": {"description": "The file", "content": {
                "application/graphml+xml": {"schema": {"type": "string"}},
                "application/gexf+xml": {"schema": {"type": "string"}},
                "application/json": {"schema": _ref("CytoscapeElements")},
                "text/csv": {"schema": {"type": "string"}}}}, **_ERRORS}}},
        "/api/sources": _get(
            "The source articles, oldest first, a page at a time", "Articles", [
                _param("q", "Only the articles with each of these words at the start of a "
                       "word of their id, label, publisher or issue date (case and accents "
                       "aside): caspian 2015-02"),
                _param("limit", "Most articles (1-1000; 100 when not given)",
                       schema=_number(1, 1000)),
                _param("offset", "How many matching articles to skip (0 when not given)",
                       schema=_number(0))],
            filters=()),
        "/api/sources/{name}": _get(
            "One source article with its text (where the quotes come from)", "Article",
            [_param("name", "Its identifier, src: CURIE or IRI", required=True, where="path")],
            filters=()),
        "/api/openapi.json": {"get": {"summary": "This document", "responses": {
            "200": {"description": "OpenAPI 3.1",
                    "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    }


@functools.cache
def query_parameters(path: str, method: str = "get") -> tuple[str, ...] | None:
    """The names of the query-string parameters the route ``path`` (as the document writes
    it: ``/api/entities/{name}``) takes for ``method``; ``None`` for a route or method the
    document does not describe.

    >>> query_parameters("/api/entities/{name}")
    ('reported_by', 'source')
    """
    operation = _paths().get(path, {}).get(method)
    if operation is None:
        return None
    return tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")


#: the groups the routes are shown in (the API's documentation page, any OpenAPI tool), and
#: each route's group
TAGS = [
    {"name": "SPARQL", "description": "The SPARQL 1.1 Protocol, read-only"},
    {"name": "Named queries", "description": "The named queries (queries/*.rq): each "
                                             "competency question, with its parameters"},
    {"name": "Entities and sources", "description": "Find an entity by name; everything "
                                                    "about one, by source; the articles"},
    {"name": "Analysis", "description": "The network: neighbours, cited paths, centrality, "
                                        "communities, the timeline; as_of (valid time) and "
                                        "reported_by (what the articles said by then)"},
    {"name": "Drawing and export", "description": "The network for Cytoscape.js, Gephi "
                                                  "and other tools"},
    {"name": "This document", "description": "The OpenAPI document itself"},
]
_TAG_OF = {"/sparql": "SPARQL", "/api/queries": "Named queries",
           "/api/queries/{name}": "Named queries", "/api/entities": "Entities and sources",
           "/api/entities/{name}": "Entities and sources", "/api/sources": "Entities and sources",
           "/api/sources/{name}": "Entities and sources", "/api/neighbors": "Analysis",
           "/api/paths": "Analysis", "/api/centrality": "Analysis",
           "/api/communities": "Analysis", "/api/timeline": "Analysis",
           "/api/graph": "Drawing and export", "/api/export": "Drawing and export",
           "/api/openapi.json": "This document"}


def _tagged(paths: dict[str, Any]) -> dict[str, Any]:
    """``paths``, each operation in its route's group (:data:`TAGS`)."""
    for path, operations in paths.items():
        for operation in operations.values():
            operation["tags"] = [_TAG_OF[path]]
    return paths


def document(server_url: str = "") -> dict[str, Any]:
    """The OpenAPI 3.1 document, for a server at ``server_url``."""
    from .. import __version__

    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "kg", "version": __version__,
                 "description": "A knowledge graph of organizations, people and agreements "
                                "built from news reporting; every fact cites its article "
                                "and quote."},
        "tags": TAGS,
        "paths": _tagged(_paths()),
        "components": {"schemas": SCHEMAS},
    }
    if server_url:
        doc["servers"] = [{"url": server_url}]
    return doc
