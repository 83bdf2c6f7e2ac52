"""Decide what a SPARQL text is, and refuse what a read-only, offline endpoint must not run.

Everything here works on rdflib's parse tree and algebra, never on the text with regular
expressions, so comments, string literals and odd spacing cannot fool it:

* a text that parses as SPARQL Update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``,
  ``CREATE``, ``DROP``, ``COPY``, ``MOVE``, ``ADD``) is refused: kg is read-only;
* ``SERVICE`` anywhere in the pattern is refused: kg never sends a request on a user's
  behalf (rdflib would POST the sub-query to that IRI);
* ``FROM`` / ``FROM NAMED`` may only name graphs of the dataset itself; they are taken
  out of the query and turned into a dataset selection (rdflib would otherwise GET and
  parse whatever the IRI points to);
* the SPARQL protocol's ``default-graph-uri`` / ``named-graph-uri`` obey the same rule and,
  when given, override the query's own ``FROM`` clauses (SPARQL 1.1 Protocol, 2.1.4).

:func:`prepare` returns a :class:`PreparedQuery` whose algebra has no dataset clause left,
ready for :meth:`kg.store.Store.query`. kg's prefixes (``kg:``, ``kgr:``, ``src:``,
``rdfs:`` ...) are predeclared; a query may still declare its own.

:func:`prepare_cached` remembers what it found about a text it accepted, in the process
and on disk (:mod:`kg.guard_cache`), so that a later command running the same text on a
store that parses it itself (Oxigraph) neither parses it with rdflib nor imports rdflib's
SPARQL parser; rdflib's store gets the algebra parsed when it asks for it.

>>> from rdflib import URIRef
>>> prepare("SELECT ?s WHERE { ?s a kg:Person }", graphs=[]).kind
<QueryKind.SELECT: 'select'>
>>> prepare("DROP ALL", graphs=[])
Traceback (most recent call last):
...
kg.errors.UnsafeQueryError: SPARQL Update is refused: this endpoint is read-only
"""

from __future__ import annotations

import functools
import re
import sys
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from .errors import QuerySyntaxError, UnsafeQueryError
from .namespaces import PREFIXES

if TYPE_CHECKING:  # rdflib's SPARQL parser (pyparsing) is imported when a text is parsed
    from pyparsing import ParseBaseException, ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query

__all__ = ["QueryKind", "PreparedQuery", "Graphs", "prepare", "prepare_cached", "is_update"]


class QueryKind(str, Enum):
    """The four SPARQL query forms."""

    SELECT = "select"
    ASK = "ask"
    CONSTRUCT = "construct"
    DESCRIBE = "describe"

    @property
    def returns_graph(self) -> bool:
        """CONSTRUCT and DESCRIBE return RDF; SELECT and ASK return result sets."""
        return self in (QueryKind.CONSTRUCT, QueryKind.DESCRIBE)

    @property
    def result_name(self) -> str:
        """How a message names its result: "a SELECT result", "an ASK result"."""
        name = self.value.upper()
        return f"{'an' if name.startswith('A') else 'a'} {name} result"


_KINDS = {
    "SelectQuery": QueryKind.SELECT,
    "AskQuery": QueryKind.ASK,
    "ConstructQuery": QueryKind.CONSTRUCT,
    "DescribeQuery": QueryKind.DESCRIBE,
}

_UPDATE_REFUSED = "SPARQL Update is refused: this endpoint is read-only"


@dataclass(frozen=True)
class PreparedQuery:
    """A parsed, checked query: its form, its algebra and the graphs it may see.

    ``default_graphs`` / ``named_graphs`` are ``None`` when the query uses the whole
    dataset (default graph = union of all graphs); otherwise both are tuples, as the
    SPARQL dataset is then exactly the graphs named.

    ``query``, rdflib's algebra, is what rdflib's engine runs; a query whose verdict came
    from the disk (:mod:`kg.guard_cache`) is parsed for it only when it is first asked for
    (Oxigraph and remote stores run the text and never ask).
    """

    text: str
    kind: QueryKind
    default_graphs: tuple[URIRef, ...] | None = None
    named_graphs: tuple[URIRef, ...] | None = None
    #: the predicates its patterns read; ``None`` when it may read any (a variable or a
    #: negated path as a predicate, or DESCRIBE): a load may leave out statements of
    #: predicates no query it answers reads (:func:`kg.load.reads_keys`)
    predicates: frozenset[URIRef] | None = None
    #: the algebra, or ``None`` until :attr:`query` parses it
    _algebra: Query | None = field(default=None, compare=False, repr=False)
    #: the protocol's graph parameters the text was prepared with (to parse it again)
    _protocol: tuple[tuple[str, ...], tuple[str, ...]] = field(
        default=((), ()), compare=False, repr=False)

    @property
    def query(self) -> Query:
        """rdflib's algebra of the query, its dataset clause taken out."""
        if self._algebra is None:
            algebra = _parsed_in_full(self.text, *self._protocol).prepared.query
            object.__setattr__(self, "_algebra", algebra)
        return self._algebra  # type: ignore[return-value]


def is_update(text: str) -> bool:
    """True when ``text`` is a (non-empty) SPARQL Update request rather than a query.

    >>> is_update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    True
    >>> is_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parseQuery(text)
        return False
    except (ParseBaseException, RecursionError):
        pass
    try:
        return _has_operations(parseUpdate(text))
    except (ParseBaseException, RecursionError):
        return False


#: the dataset's graph names, or a function that lists them: called only when a query
#: names a graph (``FROM``, ``FROM NAMED`` or the protocol's parameters), so that a query
#: naming none never pays for listing a store's thousands of graphs
Graphs = Collection[URIRef] | Callable[[], Collection[URIRef]]


def prepare(text: str, *, graphs: Graphs,
            default_graph_uris: Iterable[str] = (), named_graph_uris: Iterable[str] = (),
            prefixes: Mapping[str, Any] = PREFIXES) -> PreparedQuery:
    """Parse and check ``text``; raise instead of returning anything unsafe.

    ``graphs`` are the names of the dataset's own graphs (or a function returning them,
    called only if the query names a graph): the only IRIs that ``FROM``, ``FROM NAMED``,
    ``default-graph-uri`` and ``named-graph-uri`` may name.

    Raises :class:`~kg.errors.QuerySyntaxError` (with line and column) when the text is
    not SPARQL, and :class:`~kg.errors.UnsafeQueryError` for updates, ``SERVICE`` and
    graphs outside the dataset.
    """
    parsed = _unchecked(text, tuple(default_graph_uris), tuple(named_graph_uris), prefixes)
    return _checked(parsed, graphs)


def prepare_cached(text: str, graphs: Graphs,
                   default_graph_uris: tuple[str, ...] = (),
                   named_graph_uris: tuple[str, ...] = ()) -> PreparedQuery:
    """:func:`prepare`, remembered: a text asked again is not parsed again (parsing with
    rdflib's grammar costs more than answering most queries), in this process nor, through
    the verdicts kept on disk (:mod:`kg.guard_cache`), in the next. Only the parse is
    remembered: the graphs a query names are checked against ``graphs`` on every call.
    Refusals are not cached."""
    parsed = _unchecked_cached(text, tuple(default_graph_uris), tuple(named_graph_uris))
    return _checked(parsed, graphs)


@dataclass(frozen=True)
class _Parsed:
    """A query parsed and checked for all but its graphs: the prepared query and every
    graph it names, with where (for the message), in the order they are checked."""

    prepared: PreparedQuery
    names: tuple[tuple[URIRef, str], ...]

    def to_json(self) -> dict[str, Any]:
        """The verdict without the algebra, as :mod:`kg.guard_cache` keeps it."""
        def iris(names: tuple[URIRef, ...] | None) -> list[str] | None:
            return None if names is None else [str(name) for name in names]

        return {"kind": self.prepared.kind.value,
                "default_graphs": iris(self.prepared.default_graphs),
                "named_graphs": iris(self.prepared.named_graphs),
                "predicates": (None if self.prepared.predicates is None
                               else sorted(map(str, self.prepared.predicates))),
                "names": [[str(name), where] for name, where in self.names]}

    @classmethod
    def from_json(cls, verdict: Mapping[str, Any], text: str,
                  protocol: tuple[tuple[str, ...], tuple[str, ...]]) -> _Parsed | None:
        """A verdict read back (its algebra parsed when asked for); ``None`` when it is
        not one :meth:`to_json` wrote."""
        def iris(value: Any) -> tuple[URIRef, ...] | None:
            if value is None:
                return None
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError("not a list of IRIs")
            return tuple(URIRef(v) for v in value)

        try:
            names = verdict["names"]
            if not isinstance(names, list) or not all(
                    isinstance(n, list) and len(n) == 2 and isinstance(n[0], str)
                    and n[1] in _NAMING for n in names):
                raise ValueError("not a list of named graphs")
            prepared = PreparedQuery(
                text=text, kind=QueryKind(verdict["kind"]),
                default_graphs=iris(verdict["default_graphs"]),
                named_graphs=iris(verdict["named_graphs"]),
                predicates=_frozen(iris(verdict["predicates"])), _protocol=protocol)
        except (KeyError, TypeError, ValueError):
            return None
        named = tuple((URIRef(name), where) for name, where in names)
        selected = {*(prepared.default_graphs or ()), *(prepared.named_graphs or ())}
        if not selected <= {name for name, _ in named}:
            return None  # every graph the dataset is made of is one checked at each call
        return cls(prepared, named)


#: where a query may name a graph, as the refusal says it
_NAMING = ("FROM", "FROM NAMED", "default-graph-uri", "named-graph-uri")


def _checked(parsed: _Parsed, graphs: Graphs) -> PreparedQuery:
    """``parsed.prepared`` once each graph it names is one of ``graphs``."""
    if parsed.names:
        known = set(graphs() if callable(graphs) else graphs)
        for name, where in parsed.names:
            _own_graph(name, known, where)
    return parsed.prepared


def _unchecked(text: str, default_graph_uris: tuple[str, ...],
               named_graph_uris: tuple[str, ...], prefixes: Mapping[str, Any]) -> _Parsed:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery

    tree = _parse(text)
    select_star = tree[1].name == "SelectQuery" and not dict.get(tree[1], "projection")
    try:
        query = translateQuery(tree, initNs=dict(prefixes))
    except ParseBaseException as error:
        raise _syntax_error(error) from None
    except RecursionError:  # (a nesting the parser took, with room, and the algebra not)
        raise QuerySyntaxError("the query is nested too deeply to parse") from None
    except Exception as error:  # rdflib reports e.g. unknown prefixes as plain Exception
        raise QuerySyntaxError(str(error)) from None

    if _contains(query.algebra, "ServiceGraphPattern"):
        raise UnsafeQueryError("SERVICE is refused: this endpoint never sends requests "
                               "to other servers")

    if select_star:
        _in_order_of_appearance(query.algebra, text)

    from_default: list[URIRef] = []
    from_named: list[URIRef] = []
    # (CompValue.get answers a missing key with the key itself: use dict.get)
    for clause in dict.get(query.algebra, "datasetClause") or ():
        if dict.get(clause, "default") is not None:
            from_default.append(URIRef(str(clause["default"])))
        else:
            from_named.append(URIRef(str(clause["named"])))
    query.algebra["datasetClause"] = None

    protocol_default = [URIRef(str(uri)) for uri in default_graph_uris]
    protocol_named = [URIRef(str(uri)) for uri in named_graph_uris]
    names = tuple([(name, "FROM") for name in from_default]
                  + [(name, "FROM NAMED") for name in from_named]
                  + [(name, "default-graph-uri") for name in protocol_default]
                  + [(name, "named-graph-uri") for name in protocol_named])

    defaults: tuple[URIRef, ...] | None = None
    named: tuple[URIRef, ...] | None = None
    if protocol_default or protocol_named:
        defaults, named = tuple(protocol_default), tuple(protocol_named)
    elif from_default or from_named:
        defaults, named = tuple(from_default), tuple(from_named)
    kind = _KINDS[query.algebra.name]
    prepared = PreparedQuery(text=text, kind=kind, default_graphs=defaults,
                             named_graphs=named,
                             predicates=None if kind is QueryKind.DESCRIBE
                             else _predicates(query.algebra),
                             _algebra=query, _protocol=(default_graph_uris, named_graph_uris))
    return _Parsed(prepared, names)


def _frozen(iris: tuple[URIRef, ...] | None) -> frozenset[URIRef] | None:
    return None if iris is None else frozenset(iris)


def _predicates(algebra: Any) -> frozenset[URIRef] | None:
    """The predicates of the triple patterns below ``algebra`` (property paths' own
    included); ``None`` when a pattern may match any predicate (a variable, a negated
    path, a path of length zero between two variables). A CONSTRUCT template reads
    nothing, so it is not counted."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
    from rdflib.term import BNode, Variable

    found: set[URIRef] = set()
    for current in _below(algebra, skip="template"):
        if current.name in ("BGP", "TriplesBlock"):
            # (a BGP's triples are 3-tuples; a pattern rdflib left as parsed, an EXISTS's
            # say, has lists of subject, predicate, object, subject, predicate, ...)
            terms = [term for triple in dict.get(current, "triples") or () for term in triple]
            for subject, predicate, obj in zip(terms[0::3], terms[1::3], terms[2::3]):
                # a path that may be of length zero between two open ends matches every
                # node of the graph, those of any predicate's statements
                if isinstance(subject, (Variable, BNode)) and \
                        isinstance(obj, (Variable, BNode)) and _may_be_empty(predicate):
                    return None
                paths = [predicate]
                while paths:
                    step = paths.pop()
                    if isinstance(step, URIRef):
                        found.add(step)
                    elif isinstance(step, (SequencePath, AlternativePath)):
                        paths.extend(step.args)
                    elif isinstance(step, InvPath):
                        paths.append(step.arg)
                    elif isinstance(step, MulPath):
                        paths.append(step.path)
                    else:  # a variable, a negated path
                        return None
    return frozenset(found)


def _may_be_empty(path: Any) -> bool:
    """Whether the property path ``path`` matches with length zero (a node to itself)."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, OneOrMore, SequencePath

    if isinstance(path, MulPath):
        return path.mod != OneOrMore or _may_be_empty(path.path)
    if isinstance(path, SequencePath):
        return all(_may_be_empty(step) for step in path.args)
    if isinstance(path, AlternativePath):
        return any(_may_be_empty(step) for step in path.args)
    if isinstance(path, InvPath):
        return _may_be_empty(path.arg)
    return False


@functools.lru_cache(maxsize=512)
def _unchecked_cached(text: str, default_graph_uris: tuple[str, ...],
                      named_graph_uris: tuple[str, ...]) -> _Parsed:
    """The verdict on a text: kept on disk by an earlier run, else parsed (and kept)."""
    from . import guard_cache

    if not isinstance(text, str):
        raise QuerySyntaxError("a SPARQL query must be text")
    protocol = (default_graph_uris, named_graph_uris)
    question = [text, list(default_graph_uris), list(named_graph_uris)]
    kept = guard_cache.recall(question)
    if kept is not None:
        parsed = _Parsed.from_json(kept, text, protocol)
        if parsed is not None:
            return parsed
    parsed = _parsed_in_full(text, default_graph_uris, named_graph_uris)
    guard_cache.remember(question, parsed.to_json())
    return parsed


@functools.lru_cache(maxsize=512)
def _parsed_in_full(text: str, default_graph_uris: tuple[str, ...],
                    named_graph_uris: tuple[str, ...]) -> _Parsed:
    """The verdict on a text, by parsing it with rdflib's grammar (and its algebra)."""
    return _unchecked(text, default_graph_uris, named_graph_uris, PREFIXES)


# -- helpers -------------------------------------------------------------------------

#: held while rdflib's SPARQL grammar parses: pyparsing's grammar objects are not safe to
#: use from two threads at once (a worker's job and its warm-up thread, see
#: :mod:`kg.analysis.warmup`); a worker's job holds it for its whole run
PARSER_LOCK = threading.RLock()


def _parse(text: str) -> ParseResults:
    """The query's parse tree; updates are refused, anything else is a syntax error."""
    if not isinstance(text, str):
        raise QuerySyntaxError("a SPARQL query must be text")
    with PARSER_LOCK:
        return _parse_unlocked(text)


def _parse_unlocked(text: str) -> ParseResults:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        return _deeper(parseQuery, text)
    except RecursionError:
        raise QuerySyntaxError("the query is nested too deeply to parse") from None
    except ParseBaseException as query_error:
        first_error: ParseBaseException = query_error
    try:
        update = parseUpdate(text)
    except (ParseBaseException, RecursionError) as update_error:
        # report whichever reading got further into the text
        if isinstance(update_error, ParseBaseException) and update_error.loc > first_error.loc:
            raise _syntax_error(update_error) from None
        raise _syntax_error(first_error) from None
    if _has_operations(update):
        raise UnsafeQueryError(_UPDATE_REFUSED)
    raise _syntax_error(first_error)


def _deeper(parse: Any, text: str) -> Any:
    """``parse(text)``; on a RecursionError, once more with room for 10 000 frames.

    pyparsing's packrat cache, which matplotlib switches on for the whole process when it
    first draws text, makes each level of rdflib's SPARQL grammar several frames deep: a
    long query that parses in 1 000 frames without it needs more once a notebook has
    drawn a chart.
    """
    try:
        return parse(text)
    except RecursionError:
        limit = sys.getrecursionlimit()
        if limit >= 10_000:
            raise
        sys.setrecursionlimit(10_000)
        try:
            return parse(text)
        finally:
            sys.setrecursionlimit(limit)


def _has_operations(update: Any) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    return isinstance(update, CompValue) and bool(dict.get(update, "request"))


@functools.cache
def _clauses() -> list[tuple[re.Pattern[str], Any, str]]:
    """Clauses whose inner mistake pyparsing reports at the clause's first word: the
    keyword that opens each, the grammar rule that parses it, and what a well-formed one
    looks like."""
    from rdflib.plugins.sparql import parser as sparql_grammar

    return [
        (re.compile(r"FILTER\b", re.I), sparql_grammar.Filter,
         "a FILTER with a complete bracketed expression, e.g. "
         "FILTER (?date >= \"2024-01-01\"^^xsd:date)"),
        (re.compile(r"BIND\b", re.I), sparql_grammar.Bind,
         "BIND (expression AS ?variable)"),
        (re.compile(r"(OPTIONAL|MINUS|GRAPH|SERVICE|VALUES)\b|\{", re.I),
         sparql_grammar.GraphPatternNotTriples, "a complete group: KEYWORD { patterns }"),
        (re.compile(r"GROUP\b", re.I), sparql_grammar.GroupClause,
         "GROUP BY ?variable"),
        (re.compile(r"ORDER\b", re.I), sparql_grammar.OrderClause,
         "ORDER BY ?variable, or ORDER BY DESC(?variable)"),
        (re.compile(r"HAVING\b", re.I), sparql_grammar.HavingClause,
         "HAVING (expression)"),
        (re.compile(r"LIMIT\b", re.I), sparql_grammar.LimitClause,
         "LIMIT and a whole number"),
        (re.compile(r"OFFSET\b", re.I), sparql_grammar.OffsetClause,
         "OFFSET and a whole number"),
        (re.compile(r"\("), sparql_grammar.SelectClause, "a projection: (expression AS ?name)"),
    ]


#: pyparsing's names for what it expected, in the words of the SPARQL specification
_EXPECTED = {
    "SelectQuery": "a query: SELECT, CONSTRUCT, DESCRIBE or ASK",
    "{SelectQuery | ConstructQuery | DescribeQuery | AskQuery}":
        "a query: SELECT, CONSTRUCT, DESCRIBE or ASK",
    "end of text": "the end of the query",
    "'}'": "'}' (to close the group)",
    "')'": "')'",
    "triples": "a triple pattern (subject predicate object)",
}


def _syntax_error(error: ParseBaseException) -> QuerySyntaxError:
    """A syntax error that points at the mistake and says what was expected there.

    pyparsing gives up at the start of the clause that failed (a FILTER, an OPTIONAL
    group...), having tried every alternative; the clause is then parsed on its own, as
    deep as the mistake, so that line and column point at the mistake itself.
    """
    text = error.pstr or ""
    loc, expected, clause = error.loc, error.msg, None
    while loc < len(text):
        deeper = _inside_clause(text, loc)
        if deeper is None:
            break
        loc, expected, clause = deeper
    line = text.count("\n", 0, loc) + 1
    column = loc - (text.rfind("\n", 0, loc) + 1) + 1
    what = expected.removeprefix("Expected ").strip()
    words = _EXPECTED.get(what, what)
    if what == "SelectQuery" and _open_braces(text, loc) > 0:
        words = ("a triple pattern (subject predicate object, '.' between two), FILTER, "
                 "OPTIONAL, BIND, VALUES, a { } group, or '}' to close the group")
    if loc < len(text):
        found = f"found {text[loc:loc + 20].splitlines()[0]!r}"
    else:
        found = ("found the end of the query (is a '{', '(' or a string left open?)"
                 if text.strip() else "found an empty query")
    if clause is not None and not what.startswith(("'", '"')):
        words = clause  # the rule's own name means nothing to a SPARQL user
        clause = None
    message = f"expected {words}, {found}"
    if clause is not None:
        message += f", in {clause}"
    lines = text.splitlines()
    if text.strip() and 0 < line <= len(lines):
        message += f"\n  {lines[line - 1]}\n  {' ' * (column - 1)}^"
    return QuerySyntaxError(message, line=line, column=column)


def _open_braces(text: str, loc: int) -> int:
    """How many ``{`` are open at ``loc`` (strings and IRIs are not told apart: a hint)."""
    before = text[:loc]
    return before.count("{") - before.count("}")


def _inside_clause(text: str, loc: int) -> tuple[int, str, str] | None:
    """Where parsing the clause that starts at ``loc`` on its own fails, if further on."""
    start = loc + len(text[loc:]) - len(text[loc:].lstrip())
    from pyparsing import ParseBaseException

    for opener, rule, name in _clauses():
        if not opener.match(text, start):
            continue
        try:
            rule.parse_string(text[start:], parse_all=False)
        except ParseBaseException as inner:
            if start + inner.loc > loc:
                return start + inner.loc, inner.msg, name
        except RecursionError:
            return None
        return None
    return None


def _own_graph(iri: Any, known: set[URIRef], where: str) -> URIRef:
    name = URIRef(str(iri))
    if name not in known:
        raise UnsafeQueryError(
            f"{where} <{name}> is not a graph of this dataset; graphs are never fetched "
            f"from elsewhere (GET /sparql with Accept: text/turtle lists the graphs)")
    return name


def _in_order_of_appearance(algebra: CompValue, text: str) -> None:
    """``SELECT *``: columns in the order the variables first appear in the text (rdflib
    would otherwise order them as a set iterates)."""
    def position(variable: Any) -> int:
        found = re.search(rf"[?$]{re.escape(str(variable))}(?![\w\u00b7-])", text)
        return found.start() if found else len(text)

    from rdflib.plugins.sparql.parserutils import CompValue

    for node in (algebra, dict.get(algebra, "p")):
        if isinstance(node, CompValue) and dict.get(node, "PV"):
            node["PV"] = sorted(node["PV"], key=position)


def _contains(node: Any, name: str) -> bool:
    """True when a CompValue called ``name`` occurs anywhere below ``node``."""
    return any(current.name == name for current in _below(node))


def _below(node: Any, *, skip: str | None = None) -> Iterator[Any]:
    """Every CompValue (a parsed or translated part of a query) at or below ``node``, each
    once, in no particular order; not below a key ``skip`` of any of them (a CONSTRUCT's
    ``template``, say)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [node], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, CompValue):
            yield current
        if isinstance(current, Mapping):
            stack.extend(value for key, value in current.items() if key != skip)
        elif isinstance(current, (list, tuple, set, frozenset, ParseResults)):
            stack.extend(current)
