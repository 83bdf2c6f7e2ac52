"""Named queries: SPARQL kept in ``.rq`` files, run with typed, bound parameters.

A named query is one file in the queries folder (``queries/`` of a project; the bundled
ones ship inside the package). Its name is the file's stem. The file starts with a header
of ``#`` comment lines::

    # title: Who signed an agreement, and for whom (CQ2)
    # description: The signatories of an agreement, the organization each signed for
    #   and the post in which they signed, with the source and quote of each signature.
    # param: agreement | iri | The agreement | kgr:agreement-2024-10-14-haf-icesco | default
    PREFIX kg: <https://w3id.org/kg/ontology#>
    SELECT ...

* ``title:`` and ``description:`` -- one each; a line ``#`` followed by two or more
  spaces continues the value above it;
* ``param:`` -- one per parameter, five fields separated by ``|``: the name (a Python
  identifier, used as ``?name`` in the query), the type, a description, an example value,
  and whether it is ``required`` (the default when the field is left out), ``optional``
  (left unbound when not given) or ``default`` (the example is used when not given);
* ``list:`` -- one per column that joins values (``GROUP_CONCAT``): its name, ``|``, and
  its separator as a quoted string (``# list: sources | " "``). SPARQL 1.1 leaves the
  order of the values ``GROUP_CONCAT`` joins to the engine (Oxigraph's follows how its
  store keeps them, so an in-memory and an on-disk store of the same data differ; rdflib
  and Virtuoso have their own), and has no ``ORDER BY`` inside an aggregate: kg sorts the
  parts of a list column (by code point) when it reads a named query's result, so the
  answer is the same on every store. Parts are what the separator splits: a value that
  holds the separator itself is sorted as its pieces (still one answer on every store).

* ``range:`` -- two parameters of one ordered type (``date``, ``year``, ``month`` or
  ``integer``), ``|`` between them, that bound a range (``# range: start | end``): given
  both, the first after the second is a :class:`~kg.errors.ParameterError`, where the
  query would answer nothing, silently.

A comment line ``# VALUES`` in the query marks where :meth:`NamedQuery.example_text`
writes the example values (by default: at the start of the ``WHERE`` clause); a query
whose subqueries each need them marks each (every marker gets the block).

A page: a query that declares the two integer parameters ``limit`` and ``offset`` has
one comment line ``# PAGE`` (after the ``ORDER BY`` of the query, or of a subquery to
cut the page before the rest of the query looks anything up for each row), where
:meth:`NamedQuery.text_for` writes ``LIMIT <limit> OFFSET <offset>`` (SPARQL takes
only a number there, no variable: the values are checked integers, ``limit`` 1 or more
and ``offset`` 0 or more). A paged query may also have comment lines ``# PAGE END``
(after the ``ORDER BY`` of a subquery), where ``LIMIT <offset + limit>`` goes: the rows up
to the page's end, for a subquery that picks what the page's rows can come from before
the query looks the rest of them up (``search.rq``: the keys that sort first). Without
the markers' values (a text run as it is), the query has no page.

Types: ``iri`` (``kgr:icesco``, ``<https://...>``, a full IRI, or a bare name, read as
``kgr:`` + name), ``string``, ``date`` (``YYYY-MM-DD``, an ``xsd:date``), ``year``
(``YYYY``, an ``xsd:gYear``) and ``integer``.

Values are bound to the query's variables (rdflib's ``initBindings``), never pasted into
its text. An unknown or missing parameter, or a value of the wrong kind, is a
:class:`~kg.errors.ParameterError` that names it.

>>> result = query("cq07-member-since")
>>> result.to_records()[0]["since"]
'1991'
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .errors import InputError, KgError, ParameterError, QueryError, UnknownQueryError
from .namespaces import KGR, PREFIXES
from .results import QueryResult, ResultFormat
from .sparql_guard import Graphs, PreparedQuery, QueryKind, prepare_cached

if TYPE_CHECKING:
    from .load import KnowledgeGraph

__all__ = ["ParamType", "Param", "NamedQuery", "query", "queries", "named_query",
           "run_prepared", "run_prepared_json", "default_graph", "graph_or_default",
           "with_values"]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RESERVED = {"graph", "format"}
_HEADER_LINE = re.compile(r"#\s?(?P<key>[a-z]+):\s*(?P<value>.*)")
_CONTINUATION = re.compile(r"#\s{2,}(?P<value>\S.*)")
#: what no IRI holds (RFC 3987): spaces and control characters, and <>"{}|^`\
IRI_FORBIDDEN = re.compile(r'[\s\x00-\x1f\x7f<>"{}|^`\\]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"-?\d{4,}")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_INTEGER = re.compile(r"[+-]?\d+")
_VALUES = re.compile(r"^([ \t]*)# VALUES[ \t]*$", re.MULTILINE)
_PAGE = re.compile(r"^[ \t]*# PAGE[ \t]*$", re.MULTILINE)
_PAGE_END = re.compile(r"^[ \t]*# PAGE END[ \t]*$", re.MULTILINE)
#: the parameters of a page (``# PAGE``), each with the least value it takes
PAGE_PARAMS = {"limit": 1, "offset": 0}


class ParamType(str, Enum):
    """The kinds of value a parameter takes."""

    IRI = "iri"
    STRING = "string"
    DATE = "date"
    YEAR = "year"
    MONTH = "month"
    INTEGER = "integer"


@dataclass(frozen=True)
class Param:
    """One parameter of a named query."""

    name: str
    type: ParamType
    description: str
    example: str
    #: ``required``, ``optional`` (unbound when not given) or ``default`` (the example)
    use: str = "required"

    @property
    def required(self) -> bool:
        return self.use == "required"

    @property
    def default(self) -> Node | None:
        """The value used when the parameter is not given (``None``: unbound or required)."""
        return self.convert(self.example) if self.use == "default" else None

    def convert(self, value: Any) -> Node:
        """``value`` as the RDF term this parameter binds, or :class:`ParameterError`.

        >>> Param("org", ParamType.IRI, "", "kgr:icesco").convert("kgr:icesco")
        rdflib.term.URIRef('https://w3id.org/kg/id/icesco')
        >>> Param("on", ParamType.DATE, "", "2024-10-14").convert("14 October")
        Traceback (most recent call last):
        ...
        kg.errors.ParameterError: parameter 'on': '14 October' is not a date (expected YYYY-MM-DD)
        """
        try:
            return _CONVERTERS[self.type](value)
        except ValueError as error:
            raise ParameterError(f"parameter {self.name!r}: {error}") from None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type.value, "description": self.description,
                "example": self.example, "required": self.required,
                "default": self.example if self.use == "default" else None}


def _to_iri(value: Any) -> URIRef:
    if isinstance(value, URIRef):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not an IRI")
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        text = str(PREFIXES[prefix]) + local
    elif not colon and text:
        text = str(KGR) + text
    if not text or IRI_FORBIDDEN.search(text) or not _SCHEME.match(text):
        raise ValueError(f"{value!r} is not an IRI (expected kgr:name, <https://...> "
                         f"or a full IRI)")
    return URIRef(text)


def _to_string(value: Any) -> Literal:
    if isinstance(value, Literal):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    return Literal(value)


def _to_date(value: Any) -> Literal:
    if isinstance(value, Literal) and value.datatype == XSD.date:
        return value
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value!r} is a date and time, not a date")
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    text = str(value).strip()
    if _DATE.fullmatch(text):
        try:
            dt.date.fromisoformat(text)
            return Literal(text, datatype=XSD.date)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)")


def _to_year(value: Any) -> Literal:
    if isinstance(value, Literal) and value.datatype == XSD.gYear:
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a year")
    text = str(value).strip()
    if isinstance(value, int):
        text = f"{value:04d}"
    if not _YEAR.fullmatch(text):
        raise ValueError(f"{value!r} is not a year (expected YYYY)")
    return Literal(text, datatype=XSD.gYear)


def _to_month(value: Any) -> Literal:
    if isinstance(value, Literal) and value.datatype == XSD.gYearMonth:
        return value
    text = str(value).strip()
    if not _MONTH.fullmatch(text):
        raise ValueError(f"{value!r} is not a month (expected YYYY-MM, e.g. 2024-10)")
    return Literal(text, datatype=XSD.gYearMonth)


def _to_integer(value: Any) -> Literal:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an integer")
    if isinstance(value, int):
        return Literal(value)
    text = str(value).strip()
    if not _INTEGER.fullmatch(text):
        raise ValueError(f"{value!r} is not an integer")
    return Literal(int(text))


_CONVERTERS = {
    ParamType.IRI: _to_iri,
    ParamType.STRING: _to_string,
    ParamType.DATE: _to_date,
    ParamType.YEAR: _to_year,
    ParamType.MONTH: _to_month,
    ParamType.INTEGER: _to_integer,
}


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with a name, a title, a description and typed parameters."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = field(default=None, compare=False)
    #: the list columns (``list:``): ``(name, separator)``, their parts sorted when read
    lists: tuple[tuple[str, str], ...] = ()
    #: the ranges (``range:``): ``(first, last)``, two parameters, first not after last
    ranges: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_file(cls, path: Path | str) -> NamedQuery:
        """Read one ``.rq`` file; its name is the file's stem."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"{path}: cannot read the query: {error}") from None
        return cls.from_text(text, name=path.stem, path=path)

    @classmethod
    def from_text(cls, text: str, *, name: str = "query", path: Path | None = None,
                  ) -> NamedQuery:
        """A query from its text; a header, if any, gives its title and parameters."""
        title, description, params, lists, ranges = _parse_header(text,
                                                                  where=str(path or name))
        _check_page(text, params, where=str(path or name))
        return cls(name=name, title=title, description=description, params=tuple(params),
                   text=text, path=path, lists=tuple(lists), ranges=tuple(ranges))

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise ParameterError(f"unknown parameter {name!r} for query {self.name!r} "
                             f"(its parameters: {known})")

    def bind(self, values: Mapping[str, Any] | None = None) -> dict[str, Node]:
        """The variable bindings for ``values``: converted, checked, defaults filled in."""
        values = dict(values or {})
        for name in values:
            self.param(name)
        bindings: dict[str, Node] = {}
        for param in self.params:
            value = values.get(param.name)
            if value == "" and param.type is not ParamType.STRING:
                value = None  # an empty form field is a value not given
            if value is not None:
                bindings[param.name] = param.convert(value)
            elif param.use == "default":
                bindings[param.name] = param.convert(param.example)
            elif param.required:
                raise ParameterError(
                    f"missing parameter {param.name!r} ({param.type.value}: "
                    f"{param.description}), for example {param.name}={param.example}")
        for first, last in self.ranges:
            if first in bindings and last in bindings and (
                    _ordered(bindings[first]) > _ordered(bindings[last])):
                raise ParameterError(f"parameter {first!r} ({bindings[first]}) is after "
                                     f"{last!r} ({bindings[last]}): nothing lies between")
        if self.paged:
            for name, least in PAGE_PARAMS.items():
                if bindings[name].toPython() < least:
                    raise ParameterError(f"parameter {name!r}: {bindings[name]} is less "
                                         f"than {least}")
        return bindings

    @property
    def paged(self) -> bool:
        """Whether the query lists a page (a ``# PAGE`` line: ``limit`` and ``offset``)."""
        return _PAGE.search(self.text) is not None

    def text_for(self, bindings: Mapping[str, Node] | None = None) -> str:
        """The text to run with ``bindings`` (:meth:`bind`'s): the query's own, with a
        paged query's ``# PAGE`` line replaced by its ``LIMIT`` and ``OFFSET``, and each
        ``# PAGE END`` line by ``LIMIT`` offset + limit (the parameters' defaults when
        ``bindings`` leaves them out).

        >>> search = named_query("search")
        >>> "LIMIT 20 OFFSET 40" in search.text_for(search.bind(
        ...     {"text": "nasser", "limit": 20, "offset": 40}))
        True
        >>> "LIMIT 60" in search.text_for(search.bind(
        ...     {"text": "nasser", "limit": 20, "offset": 40}))
        True
        """
        if not self.paged:
            return self.text
        values = dict(bindings or {})
        page = {name: int((values[name] if name in values else self.param(name).convert(
            self.param(name).example)).toPython()) for name in PAGE_PARAMS}
        text = _PAGE_END.sub(f"LIMIT {page['offset'] + page['limit']}", self.text)
        return _PAGE.sub(f"LIMIT {page['limit']} OFFSET {page['offset']}", text, count=1)

    def prepared(self, graphs: Graphs = (), bindings: Mapping[str, Node] | None = None,
                 ) -> PreparedQuery:
        """The parsed, checked query (the verdict is remembered, across commands too:
        :mod:`kg.guard_cache`), as run with ``bindings`` (a page's: :meth:`text_for`).
        ``graphs``: the dataset's graph names, or a function listing them, called only if
        the query names a graph."""
        return prepare_cached(self.text_for(bindings), graphs)

    def run(self, graph: KnowledgeGraph, params: Mapping[str, Any] | None = None, *,
            max_rows: int | None = None) -> QueryResult:
        """Run on ``graph`` with ``params`` bound; read the whole result."""
        return self.run_bound(graph, self.bind(params), max_rows=max_rows)

    def run_bound(self, graph: KnowledgeGraph, bindings: Mapping[str, Node], *,
                  max_rows: int | None = None) -> QueryResult:
        """Run on ``graph`` with ``bindings`` (:meth:`bind`'s): its page, its lists sorted."""
        prepared = self.prepared(graph.store.graph_names, bindings)
        return run_prepared(graph, prepared, bindings=bindings, max_rows=max_rows,
                            lists=self.lists)

    def example_text(self) -> str:
        """The query with its example values written in as a ``VALUES`` block: for showing
        and editing in a query editor only (kg runs named queries with bound parameters).

        The block goes where :func:`with_values` puts it; the header's ``param:`` lines are
        left out.
        """
        values = {p.name: p.convert(p.example) for p in self.params if p.use != "optional"}
        text = self.text_for(values)
        values = {name: value for name, value in values.items()
                  if not (self.paged and name in PAGE_PARAMS)}
        if not values:
            return text
        return with_values(_without_param_lines(text), values, strict=False)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "description": self.description,
                "params": [p.to_json() for p in self.params]}


def with_values(text: str, bindings: Mapping[str, Node], *, at: str = "start",
                strict: bool = True) -> str:
    """``text`` with ``bindings`` written in as one ``VALUES`` block, for a store that only
    takes query text (a remote SPARQL endpoint; rdflib's own store binds instead).

    The block goes in place of each comment line ``# VALUES`` if the query has any (for a
    parameter used inside a nested group or subquery, or where an engine profits from it),
    else at the
    ``"start"`` (or ``"end"``) of the ``WHERE`` clause's group: inside the group, so that
    its filters and ``BIND`` s see the values. (rdflib's engine evaluates the rest of a group
    that starts with ``VALUES`` unbound, which can be slow: a query may then put the marker
    at the group's end.) With nowhere to put it, ``strict`` raises
    :class:`~kg.errors.QueryError` (else ``text`` is returned as it is).

    >>> print(with_values("SELECT ?n WHERE { ?x rdfs:label ?n }", {"x": KGR.icesco}))
    SELECT ?n WHERE {
      VALUES (?x) { (<https://w3id.org/kg/id/icesco>) } ?x rdfs:label ?n }
    """
    if not bindings:
        return text
    names = list(bindings)
    block = ("VALUES ({}) {{ ({}) }}".format(" ".join(f"?{name}" for name in names),
                                              " ".join(bindings[n].n3() for n in names)))
    marked = _VALUES.sub(lambda marker: marker.group(1) + block, text)
    if marked != text:
        return marked
    plain = _without_comments(text)
    match = re.search(r"\bWHERE\s*\{", plain, re.IGNORECASE)
    if match is None:
        if strict:
            raise QueryError("cannot bind parameters in a query without a WHERE keyword; "
                             "write SELECT ... WHERE { ... }")
        return text
    if at == "start":
        return f"{text[:match.end()]}\n  {block}{text[match.end():]}"
    close = _closing_brace(plain, match.end())
    return f"{text[:close]}\n  {block}\n{text[close:]}"


def _closing_brace(text: str, start: int) -> int:
    """The index of the ``}`` closing the group that starts at ``start`` (after its ``{``)."""
    depth = 1
    for index in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return index
    return len(text)


def _without_param_lines(text: str) -> str:
    """``text`` without its header's ``param:`` lines (the VALUES block replaces them),
    and its ``range:`` lines, which name them."""
    out, in_header, in_param = [], True, False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if in_header and stripped and not stripped.startswith("#"):
            in_header = False
        if in_header and stripped.startswith("#"):
            if _HEADER_LINE.fullmatch(stripped):
                in_param = stripped[1:].lstrip().startswith(("param:", "range:"))
            elif not _CONTINUATION.fullmatch(stripped):
                in_param = False
            if in_param:
                continue
        out.append(line)
    return "".join(out)


def _without_comments(text: str) -> str:
    """``text`` with each comment line blanked out (same length, so offsets hold)."""
    return "".join(re.sub(r"[^\r\n]", " ", line) if line.lstrip().startswith("#") else line
                   for line in text.splitlines(keepends=True))


#: the parameter types a ``range:`` may bound
_ORDERED_TYPES = (ParamType.DATE, ParamType.YEAR, ParamType.MONTH, ParamType.INTEGER)


def _ordered(value: Node) -> Any:
    """A bound value of an ordered type as Python compares it: a number, or the ISO text
    of a date, a month or a year (four digits, so text order is time order)."""
    return value.toPython() if isinstance(value, Literal) and value.datatype == XSD.integer \
        else str(value)


def _parse_header(text: str, *, where: str) -> tuple[
        str, str, list[Param], list[tuple[str, str]], list[tuple[str, str]]]:
    fields: dict[str, str] = {}
    raw_params: list[tuple[int, str]] = []
    lists: list[tuple[str, str]] = []
    raw_ranges: list[tuple[int, str]] = []
    last: tuple[str, int] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        if (continued := _CONTINUATION.fullmatch(stripped)) and last is not None:
            key, index = last
            if key == "param":
                raw_params[index] = (raw_params[index][0],
                                     f"{raw_params[index][1]} {continued['value'].strip()}")
            else:
                fields[key] = f"{fields[key]} {continued['value'].strip()}"
            continue
        header = _HEADER_LINE.fullmatch(stripped)
        if header is None:
            last = None
            continue  # a plain comment
        key, value = header["key"], header["value"].strip()
        if key == "param":
            raw_params.append((number, value))
            last = ("param", len(raw_params) - 1)
        elif key == "list":
            lists.append(_parse_list(value, where=f"{where}:{number}"))
            last = None
        elif key == "range":
            raw_ranges.append((number, value))
            last = None
        elif key in ("title", "description"):
            if key in fields:
                raise InputError(f"{where}:{number}: a second {key}: line")
            fields[key] = value
            last = (key, 0)
        else:
            raise InputError(f"{where}:{number}: unknown header key {key!r} "
                             f"(expected title, description, param, list or range)")
    params = [_parse_param(value, where=f"{where}:{number}") for number, value in raw_params]
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise InputError(f"{where}: a parameter is declared twice: {', '.join(names)}")
    listed = [name for name, _ in lists]
    if len(set(listed)) != len(listed):
        raise InputError(f"{where}: a list is declared twice: {', '.join(listed)}")
    ranges = [_parse_range(value, params, where=f"{where}:{number}")
              for number, value in raw_ranges]
    return fields.get("title", ""), fields.get("description", ""), params, lists, ranges


def _parse_range(value: str, params: list[Param], *, where: str) -> tuple[str, str]:
    """``first | last`` (a ``range:`` line): two declared parameters of one ordered type."""
    names = [part.strip() for part in value.split("|")]
    types = {p.name: p.type for p in params}
    if (len(names) != 2 or names[0] == names[1]
            or any(types.get(name) not in _ORDERED_TYPES for name in names)
            or types[names[0]] is not types[names[1]]):
        raise InputError(f"{where}: a range: line is two parameters of one type among "
                         f"{', '.join(t.value for t in _ORDERED_TYPES)}, '|' between them, "
                         f"e.g. start | end (not {value!r})")
    return names[0], names[1]


def _parse_list(value: str, *, where: str) -> tuple[str, str]:
    """``name | "separator"`` (a ``list:`` line) as ``(name, separator)``."""
    name, bar, quoted = (part.strip() for part in value.partition("|"))
    try:
        separator = json.loads(quoted) if bar else None
    except ValueError:
        separator = None
    if not _IDENTIFIER.fullmatch(name) or not isinstance(separator, str) or not separator:
        raise InputError(f"{where}: a list: line is a column name, '|' and its separator "
                         f"as a quoted string, e.g. sources | \" \" (not {value!r})")
    return name, separator


def _check_page(text: str, params: list[Param], *, where: str) -> None:
    """A ``# PAGE`` line comes with the integer parameters ``limit`` and ``offset``, and
    they with it."""
    declared = {p.name: p for p in params if p.name in PAGE_PARAMS}
    marks = len(_PAGE.findall(text))
    if _PAGE_END.search(text) and not marks:
        raise InputError(f"{where}: a '# PAGE END' line without a '# PAGE' line: the end "
                         f"of a page is that of the page the query lists")
    if not marks and not declared:
        return
    if marks != 1:
        raise InputError(f"{where}: {'a second' if marks else 'no'} '# PAGE' line: a query "
                         f"with the parameters limit and offset has one, where its LIMIT "
                         f"and OFFSET go")
    for name in PAGE_PARAMS:
        param = declared.get(name)
        if param is None or param.type is not ParamType.INTEGER or param.use != "default":
            raise InputError(f"{where}: a query with a '# PAGE' line declares the "
                             f"parameter {name!r} as an integer with a default "
                             f"({name} | integer | ... | <default> | default)")


def _parse_param(value: str, *, where: str) -> Param:
    parts = [part.strip() for part in value.split("|")]
    if len(parts) not in (4, 5):
        raise InputError(f"{where}: a param: line has 4 or 5 fields separated by '|' "
                         f"(name | type | description | example [| required|optional|default])")
    name, kind, description, example = parts[:4]
    use = parts[4] if len(parts) == 5 else "required"
    if not _IDENTIFIER.fullmatch(name) or name in _RESERVED:
        raise InputError(f"{where}: parameter name {name!r} must be an identifier "
                         f"other than {', '.join(sorted(_RESERVED))}")
    try:
        param_type = ParamType(kind)
    except ValueError:
        raise InputError(f"{where}: unknown parameter type {kind!r} (expected "
                         f"{', '.join(t.value for t in ParamType)})") from None
    if use not in ("required", "optional", "default"):
        raise InputError(f"{where}: the fifth field is required, optional or default, "
                         f"not {use!r}")
    param = Param(name=name, type=param_type, description=description, example=example,
                  use=use)
    try:
        param.convert(example)
    except ParameterError as error:
        raise InputError(f"{where}: the example does not fit: {error}") from None
    return param


def run_prepared(graph: KnowledgeGraph, prepared: PreparedQuery, *,
                 bindings: Mapping[str, Node] | None = None,
                 max_rows: int | None = None,
                 lists: Sequence[tuple[str, str]] = ()) -> QueryResult:
    """Evaluate a checked query on ``graph``'s store and read the result; the parts of
    each list column (``(name, separator)``: a named query's ``lists``) sorted."""
    with _evaluating():
        # a store that takes text only (a remote endpoint) gets the text; the rdflib and
        # Oxigraph stores the prepared query (its algebra, or its text and form)
        sparql = prepared.text if getattr(graph.store, "takes_text", False) else prepared
        result = graph.store.query(sparql, bindings=bindings,
                                   default_graphs=prepared.default_graphs,
                                   named_graphs=prepared.named_graphs)
        return QueryResult.from_rdflib(result, max_rows=max_rows, lists=lists)


def run_prepared_json(graph: KnowledgeGraph, prepared: PreparedQuery, *,
                      max_rows: int | None = None) -> bytes:
    """:func:`run_prepared`'s result as SPARQL JSON results (compact), the same bytes; a
    ``SELECT`` on a store that writes them itself (Oxigraph's
    :meth:`~kg.oxigraph_store.OxigraphStore.select_json`) without an rdflib term per
    value."""
    write = getattr(graph.store, "select_json", None)
    if write is None or prepared.kind is not QueryKind.SELECT:
        return run_prepared(graph, prepared, max_rows=max_rows).serialize(ResultFormat.JSON)
    with _evaluating():
        return write(prepared, max_rows=max_rows)  # type: ignore[no-any-return]


@contextlib.contextmanager
def _evaluating() -> Iterator[None]:
    """kg's own errors (an unreachable endpoint, a refused query, a result too large) as
    they are; any other an engine raises while it evaluates a query as a
    :class:`~kg.errors.QueryError` (rdflib's evaluator raises plain exceptions)."""
    try:
        yield
    except KgError:
        raise
    except RecursionError:
        raise QueryError("the query is nested too deeply to evaluate") from None
    except Exception as error:
        raise QueryError(f"the query could not be evaluated: {error}") from None


# -- the catalogue ----------------------------------------------------------------------

def _folder(folder: Path | str | None) -> Path:
    if folder is not None:
        return Path(folder)
    from .bundle import bundled

    return bundled().queries


def queries(*, folder: Path | str | None = None) -> list[NamedQuery]:
    """The named queries of ``folder`` (default: the bundled ones), sorted by name.

    >>> [q.name for q in queries()][:2]
    ['agreements-of-organization', 'cq01-agreements-between']
    """
    path = _folder(folder)
    if not path.is_dir():
        raise InputError(f"no such queries folder: {path}")
    files = sorted(path.glob("*.rq"))
    stamp = tuple((f.name, s.st_mtime_ns, s.st_ctime_ns, s.st_size)  # (ctime: an older
                  for f in files for s in (f.stat(),))               # copy put back too)
    return list(_read_catalogue(str(path.resolve()), stamp))


@functools.lru_cache(maxsize=16)
def _read_catalogue(folder: str, stamp: tuple[tuple[str, int, int, int], ...],
                    ) -> tuple[NamedQuery, ...]:
    return tuple(NamedQuery.from_file(Path(folder) / name) for name, *_ in stamp)


def named_query(name: str, *, folder: Path | str | None = None) -> NamedQuery:
    """The named query called ``name``, or :class:`~kg.errors.UnknownQueryError`."""
    catalogue = queries(folder=folder)
    for candidate in catalogue:
        if candidate.name == name:
            return candidate
    known = ", ".join(q.name for q in catalogue)
    raise UnknownQueryError(f"no named query {name!r}; the named queries are: {known}")


@functools.lru_cache(maxsize=1)
def default_graph() -> KnowledgeGraph:
    """The bundled graph, loaded once per process."""
    from .load import load

    return load()


def graph_or_default(graph: Any) -> KnowledgeGraph:
    """``graph`` as the API's ``graph=`` takes it: a graph of :func:`kg.load` or
    :func:`kg.connect`, or ``None`` for the bundled one (:func:`default_graph`); anything
    else is a :class:`~kg.errors.ParameterError` (it failed later, on a missing attribute)."""
    from .facade import GraphMethods

    if graph is None:
        return default_graph()
    if not isinstance(graph, GraphMethods):
        shown = repr(graph)
        raise ParameterError(f"graph must be a graph that kg.load() or kg.connect() returns, "
                             f"not {type(graph).__name__} "
                             f"{shown if len(shown) <= 60 else shown[:59] + '…'}")
    return graph  # type: ignore[return-value]


def query(name_or_text: str, *, graph: KnowledgeGraph | None = None,
          **params: Any) -> QueryResult:
    """Run a named query (by name) or a SPARQL text, with ``params`` bound.

    ``graph`` defaults to the bundled graph, loaded once and kept for the process; the
    named queries are those of ``graph``'s queries folder. A text may carry a header like
    a ``.rq`` file, which declares its parameters. Updates, ``SERVICE`` and ``FROM`` a
    graph outside the dataset are refused (:class:`~kg.errors.UnsafeQueryError`).

    >>> query("cq03-posts-at-organization").to_df()[["personLabel", "roleLabel"]].shape
    (3, 2)
    """
    target = graph_or_default(graph)
    if not isinstance(name_or_text, str):
        raise ParameterError(f"the query must be a name or a SPARQL text, not "
                             f"{name_or_text!r}")
    text = name_or_text.strip()
    if _NAME.fullmatch(text):
        named = named_query(text, folder=target.bundle.queries)
    else:
        named = NamedQuery.from_text(name_or_text, name="query")
    return named.run(target, params)
