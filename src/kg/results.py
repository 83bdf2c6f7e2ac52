"""Query results as Python values, DataFrames and the standard result formats.

A :class:`QueryResult` holds what a query returned, fully read: the rows of a SELECT,
the answer of an ASK, or the graph of a CONSTRUCT / DESCRIBE. It turns into

* ``to_records()``: a list of dicts of plain Python values;
* ``to_df()``: a pandas DataFrame with proper dtypes (see :meth:`QueryResult.to_df`);
* ``serialize(format)``: bytes in one of the :class:`ResultFormat` s, each written by
  one small function below (the SPARQL 1.1 JSON, XML, CSV and TSV result formats by kg
  itself; RDF syntaxes by rdflib, with kg's prefixes and never a remote JSON-LD context).

Dates keep the precision of the data: an ``xsd:date`` becomes a :class:`datetime.date`,
while ``xsd:gYear`` and ``xsd:gYearMonth`` stay strings (``"1991"``, ``"2024-11"``), so a
year is never mistaken for the first of January.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Node

from .errors import QueryError, ResultTooLarge
from .namespaces import PREFIXES, bind_prefixes
from .sparql_guard import QueryKind

if TYPE_CHECKING:  # pandas is imported only when a DataFrame is asked for
    import pandas as pd

__all__ = ["ResultFormat", "QueryResult", "json_bytes", "json_literal", "select_json", "check_size"]

_DAY_TYPES = {XSD.date}
_TIME_TYPES = {XSD.dateTime, XSD.dateTimeStamp}
_INTEGER_TYPES = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger,
                  XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
                  XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}
_FLOAT_TYPES = {XSD.decimal, XSD.double, XSD.float}


class ResultFormat(Enum):
    """The formats a result can be written in: ``(name, media type, for graphs?)``.

    ``TABLE`` is the readable text table of the command line.
    """

    TABLE = ("table", "text/plain", False)
    JSON = ("json", "application/sparql-results+json", False)
    XML = ("xml", "application/sparql-results+xml", False)
    CSV = ("csv", "text/csv", False)
    TSV = ("tsv", "text/tab-separated-values", False)
    TURTLE = ("turtle", "text/turtle", True)
    NTRIPLES = ("ntriples", "application/n-triples", True)
    JSONLD = ("jsonld", "application/ld+json", True)
    RDFXML = ("rdfxml", "application/rdf+xml", True)
    NQUADS = ("nquads", "application/n-quads", True)
    TRIG = ("trig", "application/trig", True)

    def __init__(self, label: str, media_type: str, for_graphs: bool) -> None:
        self.label = label
        self.media_type = media_type
        self.for_graphs = for_graphs

    @classmethod
    def parse(cls, value: ResultFormat | str, *, kind: QueryKind | None = None) -> ResultFormat:
        """A format from its name, a media type or a common alias (``ttl``, ``nt``...).

        With ``kind``, the generic names follow the result: ``json`` of a CONSTRUCT is
        JSON-LD, ``xml`` is RDF/XML.
        """
        if isinstance(value, ResultFormat):
            return value
        key = value.strip().lower()
        if kind is not None and kind.returns_graph and key in ("json", "xml"):
            key = {"json": "jsonld", "xml": "rdfxml"}[key]
        for member in cls:
            if key in (member.label, member.media_type):
                return member
        if key in _ALIASES:
            return _ALIASES[key]
        names = ", ".join(member.label for member in cls)
        raise QueryError(f"unknown format {value!r}; expected one of {names}")

    def suits(self, kind: QueryKind) -> bool:
        """Whether this format can carry a result of this kind."""
        return self is ResultFormat.TABLE or self.for_graphs == kind.returns_graph


_ALIASES = {
    "ttl": ResultFormat.TURTLE, "nt": ResultFormat.NTRIPLES, "n-triples": ResultFormat.NTRIPLES,
    "json-ld": ResultFormat.JSONLD, "rdf": ResultFormat.RDFXML, "rdf/xml": ResultFormat.RDFXML,
    "nq": ResultFormat.NQUADS, "n-quads": ResultFormat.NQUADS, "text": ResultFormat.TABLE,
    "application/json": ResultFormat.JSON, "srj": ResultFormat.JSON, "srx": ResultFormat.XML,
}


@dataclass
class QueryResult:
    """What a query returned, read in full. ``vars`` names the columns.

    For CONSTRUCT / DESCRIBE, ``graph`` holds the triples and the rows are its
    ``(subject, predicate, object)`` triples, sorted.
    """

    kind: QueryKind
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    @classmethod
    def from_rdflib(cls, result: Result, *, max_rows: int | None = None,
                    lists: Sequence[tuple[str, str]] = ()) -> QueryResult:
        """Read an rdflib result, refusing more than ``max_rows`` rows or triples.

        Rows are read lazily, so a cap stops a huge SELECT early
        (:class:`~kg.errors.ResultTooLarge`). ``lists``: ``(column, separator)`` pairs
        whose values are lists (``GROUP_CONCAT``), their parts sorted here, so that the
        answer does not follow an engine's order (:mod:`kg.queries`, ``list:``).
        """
        kind = QueryKind(result.type.lower())
        if kind is QueryKind.ASK:
            return cls(kind=kind, vars=["boolean"], boolean=bool(result.askAnswer))
        if kind.returns_graph:
            graph = Graph()
            bind_prefixes(graph)
            for triple in result.graph if result.graph is not None else ():
                graph.add(triple)
            check_size(len(graph), max_rows, "triples")
            return cls(kind=kind, vars=["subject", "predicate", "object"], graph=graph,
                       rows=sorted(graph, key=_triple_key))  # type: ignore[arg-type]
        names = [str(v) for v in (result.vars or [])]
        limit = None if max_rows is None else max_rows + 1
        rows = [tuple(row) for row in itertools.islice(result, limit)]
        check_size(len(rows), max_rows, "rows")
        separators = {names.index(name): separator for name, separator in lists
                      if name in names}
        if separators:
            rows = [tuple(_sorted_parts(value, separators[index]) if index in separators
                          else value for index, value in enumerate(row)) for row in rows]
        return cls(kind=kind, vars=names, rows=rows)  # type: ignore[arg-type]

    # -- Python views ---------------------------------------------------------------
    def __len__(self) -> int:
        return 1 if self.kind is QueryKind.ASK else len(self.rows)

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.kind is QueryKind.ASK else bool(self.rows)

    def to_records(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain values: ``str`` for IRIs, labels, years and months,
        :class:`datetime.date` for days, ``int``, ``float``, ``bool``; ``None`` if unbound.

        >>> QueryResult(kind=QueryKind.ASK, boolean=True).to_records()
        [{'boolean': True}]
        """
        if self.kind is QueryKind.ASK:
            return [{"boolean": self.boolean}]
        return [{name: to_python(value) for name, value in zip(self.vars, row)}
                for row in self.rows]

    def to_df(self) -> pd.DataFrame:
        """A pandas DataFrame, one column per variable, with these dtypes:

        * a column whose values are all ``xsd:date`` is ``datetime64`` (a day precision);
          ``xsd:dateTime`` likewise;
        * all integers: ``Int64``; all decimals or doubles: ``Float64``; all booleans:
          ``boolean`` (these three are nullable);
        * anything else -- IRIs, labels, ``xsd:gYear`` / ``xsd:gYearMonth`` (kept as their
          text, ``"1991"``, so no precision is invented), or a column mixing kinds -- is
          ``string``.
        """
        import pandas as pd

        if self.kind is QueryKind.ASK:
            return pd.DataFrame({"boolean": pd.array([self.boolean], dtype="boolean")})
        columns = {}
        for index, name in enumerate(self.vars):
            columns[name] = _column([row[index] for row in self.rows])
        return pd.DataFrame(columns, columns=list(self.vars))

    def _repr_html_(self) -> str:
        from .display import query_result_html

        return query_result_html(self)

    # -- formats --------------------------------------------------------------------
    def serialize(self, format: ResultFormat | str = ResultFormat.JSON, *,
                  pretty: bool = False) -> bytes:
        """The result in ``format`` (a :class:`ResultFormat` or its name), as UTF-8 bytes.

        JSON and JSON-LD are compact (an HTTP client's answer: 10,000 rows of four terms
        are written in 0.04 s, and take 3.2 MB; indented, 0.16 s and 4.3 MB: Python writes
        indented JSON with its slow encoder), or indented with ``pretty`` (for people:
        ``kg query --format json``)."""
        chosen = ResultFormat.parse(format, kind=self.kind)
        if not chosen.suits(self.kind):
            offered = ", ".join(f.label for f in ResultFormat if f.suits(self.kind))
            raise QueryError(f"{self.kind.result_name} cannot be written as "
                             f"{chosen.label}; use one of {offered}")
        if chosen in _INDENTED:
            return _INDENTED[chosen](self, pretty=pretty)
        return _WRITERS[chosen](self)


def _sorted_parts(value: Node | None, separator: str) -> Node | None:
    """A list literal with its parts (split at ``separator``) sorted by code point; any
    other value as it is.

    >>> _sorted_parts(Literal("b | a | c"), " | ")
    rdflib.term.Literal('a | b | c')
    """
    if not isinstance(value, Literal) or separator not in value:
        return value
    joined = separator.join(sorted(str(value).split(separator)))
    return Literal(joined, lang=value.language, datatype=value.datatype)


def check_size(count: int, limit: int | None, what: str) -> None:
    if limit is not None and count > limit:
        raise ResultTooLarge(f"the result has more than {limit} {what}, the limit of this "
                             f"service; narrow the query or add LIMIT {limit}")


def _triple_key(triple: tuple[Node, Node, Node]) -> tuple[str, ...]:
    return tuple(term.n3() for term in triple)


# -- terms to Python values ------------------------------------------------------------

def to_python(term: Node | None) -> Any:
    """One RDF term as a plain Python value (see :meth:`QueryResult.to_records`)."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    if not isinstance(term, Literal):
        return str(term)
    datatype = term.datatype
    if datatype is None or term.ill_typed:
        return str(term)
    value = term.toPython()
    if datatype in _DAY_TYPES and isinstance(value, dt.date):
        return value
    if datatype in _TIME_TYPES and isinstance(value, dt.datetime):
        return value
    if datatype == XSD.boolean and isinstance(value, bool):
        return value
    if datatype in _INTEGER_TYPES and isinstance(value, int):
        return value
    if datatype in _FLOAT_TYPES and isinstance(value, (float, Decimal)):
        return float(value)
    return str(term)


def _kind_of(term: Node) -> str:
    if isinstance(term, Literal) and term.datatype is not None and not term.ill_typed:
        if term.datatype in _DAY_TYPES:
            return "date"
        if term.datatype in _TIME_TYPES:
            return "datetime"
        if term.datatype in _INTEGER_TYPES:
            return "integer"
        if term.datatype in _FLOAT_TYPES:
            return "float"
        if term.datatype == XSD.boolean:
            return "boolean"
    return "string"


def _column(values: Sequence[Node | None]) -> Any:
    import pandas as pd

    kinds = {_kind_of(v) for v in values if v is not None}
    kind = kinds.pop() if len(kinds) == 1 else "string"
    if kind in ("date", "datetime"):
        return pd.to_datetime(pd.Series([to_python(v) for v in values], dtype=object))
    if kind == "integer":
        return pd.array([to_python(v) for v in values], dtype="Int64")
    if kind == "float":
        return pd.array([to_python(v) for v in values], dtype="Float64")
    if kind == "boolean":
        return pd.array([to_python(v) for v in values], dtype="boolean")
    return pd.array([None if v is None else _text(v) for v in values], dtype="string")


def _text(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


# -- writers: one small function per format --------------------------------------------

def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    return json_literal(str(term), term.language,
                        None if term.datatype is None else str(term.datatype))


def json_literal(value: str, language: str | None, datatype: str | None) -> dict[str, str]:
    """A literal as SPARQL JSON results write it: its language, or its datatype unless
    it is ``xsd:string``."""
    out = {"type": "literal", "value": value}
    if language:
        out["xml:lang"] = language
    elif datatype is not None and datatype != _XSD_STRING:
        out["datatype"] = datatype
    return out


_XSD_STRING = str(XSD.string)


def _write_json(result: QueryResult, *, pretty: bool = False) -> bytes:
    if result.kind is QueryKind.ASK:
        return json_bytes({"head": {}, "boolean": bool(result.boolean)}, pretty=pretty)
    bindings = [{name: _json_term(value) for name, value in zip(result.vars, row)
                 if value is not None} for row in result.rows]
    return select_json(result.vars, bindings, pretty=pretty)


def select_json(variables: Sequence[str], bindings: list[dict[str, dict[str, str]]], *,
                pretty: bool = False) -> bytes:
    """The SPARQL JSON results of a ``SELECT``: its ``variables`` and its rows, each the
    JSON terms of its bound variables (:meth:`QueryResult.serialize`'s, or a store's own:
    :meth:`kg.oxigraph_store.OxigraphStore.select_json`)."""
    return json_bytes({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                      pretty=pretty)


def json_bytes(document: Any, *, pretty: bool = False, **options: Any) -> bytes:
    """``document`` as UTF-8 JSON: compact, or indented with ``pretty`` (see
    :meth:`QueryResult.serialize`); ``options`` as :func:`json.dumps` takes them."""
    layout: dict[str, Any] = {"indent": 1} if pretty else {"separators": (",", ":")}
    return json.dumps(document, ensure_ascii=False, **layout, **options).encode("utf-8")


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    attributes = ""
    if term.language:
        attributes = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype is not None and term.datatype != XSD.string:
        attributes = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attributes}>{escape(str(term))}</literal>"


def _write_xml(result: QueryResult) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind is QueryKind.ASK:
        out += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        out.append("  <head>")
        out += [f"    <variable name={quoteattr(name)}/>" for name in result.vars]
        out += ["  </head>", "  <results>"]
        for row in result.rows:
            out.append("    <result>")
            out += [f"      <binding name={quoteattr(name)}>{_xml_term(value)}</binding>"
                    for name, value in zip(result.vars, row) if value is not None]
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _table_rows(result: QueryResult) -> tuple[list[str], Iterable[Sequence[Node | None]]]:
    if result.kind is QueryKind.ASK:
        return ["boolean"], [(Literal(bool(result.boolean)),)]
    return result.vars, result.rows


def _write_csv(result: QueryResult) -> bytes:
    """SPARQL 1.1 CSV: plain values (IRIs, lexical forms), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names, rows = _table_rows(result)
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if value is None else _text(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        term = Literal(str(term))
    return term.n3().replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _write_tsv(result: QueryResult) -> bytes:
    """SPARQL 1.1 TSV: ``?var`` headers, terms in Turtle / N-Triples syntax."""
    names, rows = _table_rows(result)
    lines = ["\t".join(f"?{name}" for name in names)]
    lines += ["\t".join(_tsv_term(value) for value in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _short(term: Node | None, graph: Graph) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:  # pragma: no cover - odd IRIs stay as they are
            return str(term)
    return _text(term)


def _write_table(result: QueryResult, *, width: int = 80) -> bytes:
    """A readable, aligned text table; IRIs shortened with kg's prefixes, long cells cut."""
    names, rows = _table_rows(result)
    if result.kind.returns_graph:
        names = ["subject", "predicate", "object"]
    shortener = Graph()
    bind_prefixes(shortener)
    cells = [[_cut(_short(value, shortener), width) for value in row] for row in rows]
    widths = [max([len(name)] + [len(row[i]) for row in cells]) for i, name in enumerate(names)]
    lines = ["  ".join(name.ljust(w) for name, w in zip(names, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in cells]
    count = len(cells)
    lines.append(f"({count} {'row' if count == 1 else 'rows'})")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _graph_of(result: QueryResult) -> Graph:
    graph = result.graph if result.graph is not None else Graph()
    bind_prefixes(graph)
    return graph


def _write_rdf(rdflib_format: str) -> Any:
    def write(result: QueryResult) -> bytes:
        text = _graph_of(result).serialize(format=rdflib_format)
        return text.encode("utf-8") if isinstance(text, str) else text
    return write


def _write_jsonld(result: QueryResult, *, pretty: bool = False) -> bytes:
    # a local context built from kg's prefixes: nothing is ever fetched
    context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    return _graph_of(result).serialize(format="json-ld", context=context,
                                       indent=1 if pretty else None).encode("utf-8")


def _write_trig(result: QueryResult) -> bytes:
    dataset = Dataset()
    bind_prefixes(dataset)
    for triple in _graph_of(result):
        dataset.default_graph.add(triple)
    return dataset.serialize(format="trig").encode("utf-8")


#: the writers of JSON, compact or indented (``pretty``)
_INDENTED = {ResultFormat.JSON: _write_json, ResultFormat.JSONLD: _write_jsonld}
_WRITERS = {
    ResultFormat.TABLE: _write_table,
    ResultFormat.XML: _write_xml,
    ResultFormat.CSV: _write_csv,
    ResultFormat.TSV: _write_tsv,
    ResultFormat.TURTLE: _write_rdf("turtle"),
    # N-Triples is N-Quads without graph names: a CONSTRUCT result is one graph
    ResultFormat.NTRIPLES: _write_rdf("nt"),
    ResultFormat.NQUADS: _write_rdf("nt"),
    ResultFormat.RDFXML: _write_rdf("xml"),
    ResultFormat.TRIG: _write_trig,
}
