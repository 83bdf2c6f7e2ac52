"""Read what the projection needs from the store, with the SPARQL of ``sparql/*.rq`` only.

Every query goes through :meth:`kg.store.Store.query` with its graph names bound (never
pasted in), so another store -- rdflib, Oxigraph, a remote SPARQL endpoint -- serves the
projection unchanged. Nothing is copied into an rdflib graph: each query's rows are read
in **pages** of ``page_size`` rows (the query's text with ``ORDER BY`` over every selected
variable, then ``LIMIT`` / ``OFFSET``; a total order, so the pages partition the answer),
and each page is folded into a :class:`Raw` of plain strings and tuples before the next
is asked for. ``page_size=None`` reads each answer in one go, as the default does from an
embedded store (:data:`AUTO`). The result does not depend
on the page size: everything read is kept in sets or sorted before use.

A store evaluates (and sorts) a query's whole answer for each of its pages, then skips to
the page: read so, an answer costs the square of its pages (at 10,000 articles on an
Oxigraph server, the mentions alone took about 45 minutes). So a query whose every row
comes from one named graph says which variable holds that graph, with a comment line
``# VALUES ?graph`` at the start of its ``WHERE`` group, and is read **by graph**: over a
batch of the store's named graphs at a time (a ``VALUES`` block there, in a subquery with
the ``GRAPH`` group it drives: :func:`driven_by_batch`). The batches partition the graphs,
so their answers partition the query's; each batch is sized after the last one's answer
to fill about half a page (:func:`next_batch`) and asked once, in no order (sorting was
most of a page's cost); one whose answer fills the page is then read in ordered pages. The
cost grows with the answer, not its square. A batch whose query the store stops at its
time limit (a busy server) is asked again in halves, down to one graph. (A type is read
from the graph that states it, then its superclasses from the default graph: so the node
classes and the events are read by graph too.) The relationships, whose statements may
come from several graphs, are paged over their whole answer.
"""

from __future__ import annotations

import functools
import re
import sys
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ..contradictions import CHECKED, Said, contradicted, is_source_graph
from ..errors import ParameterError, QueryError, QueryTimeout
from ..namespaces import ENTAILED_GRAPH, ONTOLOGY_GRAPH
from ..paging import PAGE, pages
from ..queries import _closing_brace
from ..values_blocks import Table, at_markers

__all__ = ["Raw", "local_name", "read", "read_all_edges", "sparql_text", "run", "rows",
           "check_page_size", "pages_for", "graph_variable", "next_batch", "PAGE_SIZE",
           "AUTO", "FIRST_BATCH", "MAX_BATCH"]

#: the graph names every analysis query may use
BINDINGS = {"ontology": ONTOLOGY_GRAPH, "entailed": ENTAILED_GRAPH}
#: rows per page of a remote store unless told otherwise (:data:`kg.paging.PAGE`): few
#: pages on a large graph, a bounded answer each
PAGE_SIZE = PAGE
#: the default page size: :data:`PAGE_SIZE` from a remote store, each answer at once from
#: an embedded one (Oxigraph or rdflib in this process), which streams it: paging would
#: sort the whole answer again and skip what came before for every page (reading the
#: projection's input at 1,000 articles, Oxigraph: 2.3 s whole, 29.7 s in pages of 10,000)
AUTO = "auto"
#: named graphs in the first batch of a query read by graph (then :func:`next_batch`)
FIRST_BATCH = 64
#: the most named graphs in one batch (its ``VALUES`` block: about 70 KB of query text)
MAX_BATCH = 1024
#: a query read by graph: the comment line naming the variable that holds the graph
_BY_GRAPH = re.compile(r"^[ \t]*# VALUES \?(\w+)[ \t]*$", re.MULTILINE)
_SELECTED = re.compile(r"^\s*SELECT\s+(?:DISTINCT\s+)?((?:\?\w+\s*)+)\s*$",
                       re.IGNORECASE | re.MULTILINE)


@functools.cache
def sparql_text(name: str) -> str:
    """The text of ``sparql/NAME.rq``, shipped inside the package."""
    return (resources.files(__package__) / "sparql" / f"{name}.rq").read_text(encoding="utf-8")


@functools.cache
def _selected(name: str) -> tuple[str, ...]:
    """The variables ``sparql/NAME.rq`` selects, in order."""
    match = _SELECTED.search(sparql_text(name))
    if match is None:
        raise ValueError(f"sparql/{name}.rq: cannot find its SELECT ?variables line")
    return tuple(match.group(1).split())


@functools.cache
def graph_variable(name: str) -> str | None:
    """The variable holding the named graph each row of ``sparql/NAME.rq`` comes from, if
    the query is read by graph (its ``# VALUES ?variable`` line), else ``None``."""
    match = _BY_GRAPH.search(sparql_text(name))
    return match.group(1) if match else None


def next_batch(size: int, rows: int, page_size: int) -> int:
    """How many named graphs to read in the next batch, after a batch of ``size`` graphs
    answered ``rows`` rows: about half a page's worth at the rate seen (so that most
    batches are one page), at most four times as many as before, from 1 to
    :data:`MAX_BATCH`.

    >>> next_batch(64, 1_000, 10_000), next_batch(64, 40_000, 10_000), next_batch(64, 0, 10)
    (256, 8, 256)
    """
    wanted = size * page_size // (2 * rows) if rows else size * 4
    return max(1, min(MAX_BATCH, size * 4, wanted))


def check_page_size(page_size: int | str | None) -> int | str | None:
    """``page_size`` if it is a whole number of rows above zero, ``None`` (no paging) or
    :data:`AUTO`."""
    if page_size is not None and page_size != AUTO and (
            isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1):
        raise ParameterError(f"page_size must be a whole number of rows, 1 or more (or None "
                             f"for one page, or {AUTO!r}), not {page_size!r}")
    return page_size


def pages_for(graph: Any, page_size: int | str | None) -> int | None:
    """The page size to read ``graph``'s store with: ``page_size`` as given, or, for
    :data:`AUTO`, none from an embedded store and :data:`PAGE_SIZE` from a remote one."""
    check_page_size(page_size)
    if page_size != AUTO:
        return page_size  # type: ignore[return-value]
    return None if getattr(graph.store, "streams_answers", False) else PAGE_SIZE


def _page(text: str, name: str, size: int, offset: int) -> str:
    order = " ".join(_selected(name))
    return f"{text.rstrip()}\nORDER BY {order}\nLIMIT {size} OFFSET {offset}\n"


def rows(graph: Any, name: str, *, page_size: int | str | None = AUTO,
         tables: Mapping[str, Table] | None = None,
         **bindings: Any) -> Iterator[tuple[Any, ...]]:
    """The rows of the analysis query ``name`` as plain values (IRIs and literals as
    ``str``, booleans as ``bool``, ``None`` when unbound), asked of the store a page at a
    time (see the module's docstring; :func:`pages_for`), the graph names and ``bindings``
    bound and ``tables`` written in at their markers (:func:`kg.values_blocks.at_markers`);
    read with :meth:`kg.store.Store.select`, which builds no RDF term per value."""
    text = sparql_text(name)
    if tables:
        text = at_markers(text, tables, write=_n3, what=f"sparql/{name}.rq")
    return _paged(graph.store.select, name, text, pages_for(graph, page_size), bindings,
                  graph.store.graph_names,
                  drive=getattr(graph.store, "plans_joins", True))


def _n3(term: Any) -> str:
    """A term of a ``VALUES`` table, in SPARQL (a plain string is an IRI)."""
    return (term if isinstance(term, Node) else URIRef(term)).n3()


def _paged(read: Any, name: str, text: str, page_size: int | None, bindings: dict[str, Any],
           graph_names: Callable[[], Sequence[URIRef]], *, drive: bool = True,
           ) -> Iterator[tuple[Any, ...]]:
    """The rows ``read`` (a store's ``select``) gives for ``name`` (its ``text``), a page
    of ``page_size`` at a time (all at once with ``None``), cut to the selected columns: by
    batches of ``graph_names()`` for a query read by graph (the module's docstring), each
    asked of the store with its dataset's named graphs narrowed to the batch's and the
    ontology (a remote store then sends a batch's graph names with each request, not
    every one). With ``drive``, a batch's graph names go in a subquery with their GRAPH group
    (:func:`driven_by_batch`): not for rdflib's store, which evaluates a group in its
    written order (the names first, as they are) and a subquery again for each row of what
    comes before it (the paged projection of two articles: 17-23 s, 73 s so)."""
    check_page_size(page_size)
    bound = _bound(bindings)
    width = len(_selected(name))
    if page_size is None:
        for row in read(text, bindings=bound):
            yield tuple(row)[:width]
        return
    variable = graph_variable(name)
    if variable is None:
        yield from _pages(read, text, name, page_size, bound, width)
        return
    if drive:
        text = driven_by_batch(text, variable, what=f"sparql/{name}.rq")
    names, start, size = list(graph_names()), 0, FIRST_BATCH
    while start < len(names):
        batch = names[start:start + size]
        rows = 0
        try:
            for row in _batch(read, text, name, variable, batch, page_size, bound, width):
                rows += 1
                yield row
        except QueryTimeout:
            # the store stopped the batch's query at its time limit (a server busy with
            # other work: at 10,000 articles, kg's server computing its centrality took 13
            # to 19 s over batches it answers in 0.2 s, and the whole read of two minutes
            # was lost): asked again in halves, down to one graph
            if rows or len(batch) == 1:
                raise
            size = len(batch) // 2
            continue
        start += len(batch)
        size = next_batch(len(batch), rows, page_size)


def driven_by_batch(text: str, variable: str, *, what: str = "a query") -> str:
    """``text`` with its ``# VALUES ?variable`` line and the ``GRAPH ?variable { … }`` group
    that follows it in a subquery of their own (``{ SELECT * WHERE { … } }``), and what
    stands between them (plain patterns, ``VALUES``, subqueries) before it.

    The batch's graph names then drive the lookups: given the ``VALUES`` block beside the
    rest of the group, Oxigraph joined it with every graph's rows (a batch of 256 articles'
    checked properties at 10,000 articles: 2.8 s; 0.12 s so), and with any other
    ``VALUES`` block in the subquery as well.

    >>> print(driven_by_batch("SELECT * WHERE {\\n  # VALUES ?g\\n  ?t a ?c .\\n"
    ...                       "  GRAPH ?g { ?s a ?t }\\n}", "g"))
    SELECT * WHERE {
      ?t a ?c .
      { SELECT * WHERE {
      # VALUES ?g
      GRAPH ?g { ?s a ?t }
      } }
    }
    """
    marker = re.search(rf"^[ \t]*# VALUES \?{variable}[ \t]*\n", text, re.MULTILINE)
    group = re.compile(rf"\bGRAPH\s+\?{variable}\s*\{{").search(text, marker.end()) \
        if marker else None
    if marker is None or group is None:
        raise QueryError(f"{what}: no '# VALUES ?{variable}' line followed by a "
                         f"'GRAPH ?{variable} {{' group")
    between = text[marker.end():group.start()]
    if re.search(r"\b(OPTIONAL|MINUS|BIND|FILTER|SERVICE)\b",
                 "\n".join(line for line in between.splitlines()
                           if not line.lstrip().startswith("#"))):
        raise QueryError(f"{what}: only patterns, VALUES and subqueries may stand between "
                         f"'# VALUES ?{variable}' and its GRAPH group (they are moved "
                         f"before it)")
    close = _closing_brace(text, group.end())
    return (f"{text[:marker.start()]}{between}{{ SELECT * WHERE {{\n"
            f"{text[marker.start():marker.end()]}  {text[group.start():close + 1]}\n"
            f"  }} }}{text[close + 1:]}")


def _batch(read: Any, text: str, name: str, variable: str, batch: Sequence[URIRef],
           page_size: int, bound: dict[str, Any], width: int) -> Iterator[tuple[Any, ...]]:
    """The rows of the query ``text`` (``name``'s) over the named graphs ``batch``: asked
    once, in no order, at most ``page_size`` rows; an answer that fills the page may have
    more, so the batch is then read in ordered pages.

    Sorting is most of what a page costs a store (an Oxigraph server sorts the 6,335
    mentions of 256 articles in 1.5 s, and finds them in 0.1 s), and :func:`next_batch`
    sizes a batch to answer half a page: ordered pages are read only where a batch answers
    more than a page."""
    table = ([variable], [[graph] for graph in batch])
    batch_text = at_markers(text, {f"?{variable}": table}, write=_n3, what=f"sparql/{name}.rq")
    ask = functools.partial(read, named_graphs=[*batch, ONTOLOGY_GRAPH])
    found = [tuple(row)[:width]
             for row in ask(f"{batch_text.rstrip()}\nLIMIT {page_size}\n", bindings=bound)]
    if len(found) < page_size:
        yield from found
    else:  # (asked again in halves instead, the batches' requests grew by a third)
        yield from _pages(ask, batch_text, name, page_size, bound, width)


def _pages(read: Any, text: str, name: str, page_size: int, bound: dict[str, Any],
           width: int) -> Iterator[tuple[Any, ...]]:
    """The rows of the query ``text`` (``name``'s, maybe for a batch of graphs), a page of
    ``page_size`` at a time until a page comes back short (:func:`kg.paging.pages`)."""
    return pages(lambda limit, offset: (tuple(row)[:width] for row in read(
        _page(text, name, limit, offset), bindings=bound)), page_size)


def _bound(bindings: dict[str, Any]) -> dict[str, Any]:
    bound = dict(BINDINGS)
    bound.update({k: v if isinstance(v, (URIRef, Literal)) else URIRef(v)
                  for k, v in bindings.items()})
    return bound


def run(graph: Any, name: str, **bindings: Any) -> list[tuple[Any, ...]]:
    """Run the analysis query ``name`` with the graph names and ``bindings`` bound, in one
    page; rows of plain values (IRIs and literals as ``str``, ``None`` when unbound)."""
    return list(rows(graph, name, page_size=None, **bindings))


#: datatypes SPARQL's DATATYPE() gives literals that rdflib keeps without one
_UNTYPED = {str(XSD.string), str(RDF.langString)}


def _datatype(datatype: str | None) -> str | None:
    """A value's datatype as rdflib's ``Literal.datatype`` would say it."""
    return None if datatype in _UNTYPED else datatype


def _term(value: str, datatype: str | None, language: str | None, blank: bool) -> Node:
    """The RDF term a row of ``checked-statements`` describes."""
    if datatype is None:
        return BNode(value) if blank else URIRef(value)
    if language:
        return Literal(value, lang=language)
    datatype = _datatype(datatype)
    return Literal(value, datatype=URIRef(datatype) if datatype else None, normalize=False)


@dataclass
class Raw:
    """Everything the projection is built from, as plain Python values."""

    #: node -> the network-node classes it is an instance of
    node_classes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: (relationship, class, source, target, label value or None)
    relationships: list[tuple[str, str, str, str, str | None]] = field(default_factory=list)
    #: (subject, property, object) -> graphs stating it (edge properties)
    property_edges: dict[tuple[str, str, str], set[str]] = field(
        default_factory=lambda: defaultdict(set))
    #: (subject, property, object) -> graphs stating it (every resource statement)
    all_edges: dict[tuple[str, str, str], set[str]] = field(
        default_factory=lambda: defaultdict(set))
    #: article -> {"label", "publisher", "publisher_label", "issued"}
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: node -> article -> quotes
    quotes: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    #: node -> articles stating it (kg:statedIn)
    stated_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, str] = field(default_factory=dict)
    editorial: set[str] = field(default_factory=set)
    #: node -> [(alt label, graph)]
    alt_labels: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: node -> [(property, lexical value, datatype, graph)]
    dates: dict[str, list[tuple[str, str, str | None, str]]] = field(
        default_factory=lambda: defaultdict(list))
    #: (node, property, graph) -> inference note ("" when none)
    inferred: dict[tuple[str, str, str], str] = field(default_factory=dict)
    #: node -> articles whose graph mentions it
    mentions: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    events: set[str] = field(default_factory=set)
    #: fact -> the properties two sources give different values of (:mod:`kg.contradictions`)
    contradicted: dict[str, set[str]] = field(default_factory=dict)
    #: whether ``all_edges`` has been read
    full_read: bool = False

    def label(self, iri: str) -> str:
        """The node's label, or the last segment of its IRI."""
        return self.labels.get(iri) or local_name(iri)


def local_name(iri: str) -> str:
    """The last segment of an IRI (after ``#`` or ``/``).

    >>> local_name("https://w3id.org/kg/ontology#PostHolding")
    'PostHolding'
    """
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


#: the projection's queries, in the order :func:`read` folds their answers
_READ = ("node-classes", "relationships", "property-edges", "articles", "quotes", "stated-in",
         "labels", "alt-labels", "types", "dates", "inferred", "mentions", "events",
         "checked-statements")
#: the ``full`` view's queries, read after :data:`_READ`'s when it is asked for too
_FULL = ("excluded-properties", "all-edges")
#: what a query of :data:`_READ` is given beside the graph names
_GIVEN: dict[str, dict[str, Any]] = {"checked-statements": {"tables": {
    "properties": (["property"], [[p] for p in CHECKED])}}}
#: how many of the projection's queries a store read in pages (a remote one) is asked at
#: once, ahead of their folding: its engine answers one while this process reads another
#: (at most this many answers are held whole at a time)
READERS = 3


class _Asked:
    """The answers of :data:`_READ`'s queries, in that order: streamed as each is folded
    from a store that streams its answers; else asked :data:`READERS` at a time in threads,
    each read whole (in its pages) ahead of its turn."""

    def __init__(self, graph: Any, page_size: int | None, *, full: bool = False) -> None:
        self._graph, self._page_size = graph, page_size
        self._pending = [*_READ, *(_FULL if full else ())]
        self._pool = None if page_size is None else ThreadPoolExecutor(
            READERS, thread_name_prefix="kg-read")
        self._ahead: deque[tuple[str, Future[list[tuple[Any, ...]]]]] = deque()
        if self._pool is not None:
            graph.store.graph_names()  # (asked once here, not by each thread at first)
        for _ in range(READERS):
            self._ask_next()

    def _rows(self, name: str) -> Iterator[tuple[Any, ...]]:
        return rows(self._graph, name, page_size=self._page_size, **_GIVEN.get(name, {}))

    def _ask_next(self) -> None:
        if self._pool is not None and self._pending:
            name = self._pending.pop(0)
            self._ahead.append((name, self._pool.submit(lambda: list(self._rows(name)))))

    def __call__(self, name: str) -> Iterable[tuple[Any, ...]]:
        """The rows of ``name``, the next query of :data:`_READ`."""
        if self._pool is None:
            return self._rows(name)
        asked, answer = self._ahead.popleft()
        assert asked == name, (asked, name)  # (read folds them in _READ's order)
        self._ask_next()
        return answer.result()

    def close(self) -> None:
        """Stop asking: the answers not yet asked for are not (after an error)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


def read(graph: Any, *, page_size: int | str | None = AUTO, full: bool = False) -> Raw:
    """Read the whole projection input of ``graph`` (a :class:`~kg.load.KnowledgeGraph`),
    ``page_size`` rows per query at a time (``None``: each answer at once; :data:`AUTO`:
    :func:`pages_for`); from a store read in pages, :data:`READERS` queries at a time.
    ``full``: what the ``full`` view needs as well (:func:`read_all_edges`), asked with
    the rest. Read in pages by default (a remote store), it says so on standard error
    when it starts and when it is done; from kg's server, it is read in one request
    (:meth:`kg.remote.RemoteStore.projection_input`) when the server hands it over."""
    told = page_size == AUTO and pages_for(graph, AUTO) is not None
    page_size = pages_for(graph, page_size)
    started = time.monotonic()
    where = getattr(graph.store, "url", None) or type(graph.store).__name__
    served = getattr(graph.store, "projection_input", None) if told else None
    raw = served() if served is not None else None
    if raw is not None:  # (kg's server: in one request, :mod:`.transfer`)
        _tell(f"kg: read {len(raw.node_classes):,} entities of {where} from kg's server in "
              f"one request, in {time.monotonic() - started:.1f} s")
        return raw
    asked = _Asked(graph, page_size, full=full)
    if told:  # (a remote store: about two minutes at 10,000 articles, said, not silent)
        _tell(f"kg: reading the entities and relationships of {where} "
              f"({len(graph.store.graph_names()):,} named graphs) for the analysis, "
              f"once; a large graph takes minutes")
    try:
        raw = _folded(graph, asked)
        if full:
            _all_edges(raw, asked("excluded-properties"), asked("all-edges"))
    finally:
        asked.close()
    if told:
        _tell(f"kg: read {len(raw.node_classes):,} entities in "
              f"{time.monotonic() - started:.1f} s")
    return raw


def _tell(line: str) -> None:
    """Say ``line`` on standard error (a notebook shows it below the cell)."""
    print(line, file=sys.stderr, flush=True)


def _folded(graph: Any, each: Callable[[str], Iterable[tuple[Any, ...]]]) -> Raw:
    """The :class:`Raw` of ``graph`` from the answers ``each`` gives, query by query."""
    raw = Raw()

    for node, cls in each("node-classes"):
        raw.node_classes[node].add(cls)
    raw.relationships = sorted(set(each("relationships")),
                               key=lambda r: tuple(x or "" for x in r))
    for s, p, o, g in each("property-edges"):
        raw.property_edges[(s, p, o)].add(g)
    for article, label, publisher, publisher_label, issued in sorted(
            each("articles"), key=lambda r: tuple(x or "" for x in r)):
        raw.articles.setdefault(article, {"label": label, "publisher": publisher,
                                          "publisher_label": publisher_label,
                                          "issued": issued})
    for node, g, quote in each("quotes"):
        if quote not in raw.quotes[node][g]:
            raw.quotes[node][g].append(quote)
    for node, g in each("stated-in"):
        raw.stated_in[node].add(g)
    for node, label, editorial in each("labels"):
        if node not in raw.labels or label < raw.labels[node]:
            raw.labels[node] = label
        if editorial is True:
            raw.editorial.add(node)
    alt_labels: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for node, alt, g in each("alt-labels"):
        alt_labels[node].add((alt, g))
    for node, type_ in each("types"):
        raw.types[node].add(type_)
    dates: dict[str, set[tuple[str, str, str | None, str]]] = defaultdict(set)
    for node, prop, value, g, datatype in each("dates"):
        dates[node].add((prop, value, _datatype(datatype), g))
    notes: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for node, prop, note, g in each("inferred"):
        notes[(node, prop, g)].add(note or "")
    for node, g in each("mentions"):
        raw.mentions[node].add(g)
    raw.events = {row[0] for row in each("events")}
    raw.contradicted = contradicted(graph, said=_said(each("checked-statements")))
    for values in raw.quotes.values():
        for quotes in values.values():
            quotes.sort()
    raw.alt_labels.update((node, sorted(alts)) for node, alts in alt_labels.items())
    raw.dates.update((node, sorted(found, key=lambda d: tuple(x or "" for x in d)))
                     for node, found in dates.items())
    # one note per inferred value: the longest, then the first in order, whatever the order
    raw.inferred.update((key, max(found, key=lambda n: (len(n), n)))
                        for key, found in notes.items())
    return raw


def _said(checked_statements: Iterable[tuple[Any, ...]]) -> Said:
    """What each source graph says of the :data:`~kg.contradictions.CHECKED` properties,
    for the facts two or more sources state (only those can be contradicted), as RDF
    terms, from the rows of ``checked-statements.rq``."""
    said: dict[tuple[str, URIRef], dict[str, set[tuple[Any, ...]]]] = {}
    checked = {str(prop): prop for prop in CHECKED}
    for g, fact, prop, *value in checked_statements:
        if is_source_graph(g):
            said.setdefault((fact, checked[prop]), {}).setdefault(g, set()).add(tuple(value))
    return {(URIRef(fact), prop): {URIRef(g): {_term(*v) for v in values}
                                   for g, values in by_graph.items()}
            for (fact, prop), by_graph in said.items() if len(by_graph) > 1}


def read_all_edges(graph: Any, raw: Raw, *, page_size: int | str | None = AUTO) -> None:
    """Fill ``raw.all_edges`` (only the ``full`` view needs them), paged as :func:`read`."""
    _all_edges(raw, rows(graph, "excluded-properties", page_size=page_size),
               rows(graph, "all-edges", page_size=page_size))


def _all_edges(raw: Raw, excluded_properties: Iterable[tuple[Any, ...]],
               all_edges: Iterable[tuple[Any, ...]]) -> None:
    """Fill ``raw.all_edges`` from the rows of ``excluded-properties.rq`` and
    ``all-edges.rq``."""
    excluded = {row[0] for row in excluded_properties}
    for s, p, o, g in all_edges:
        if p not in excluded:
            raw.all_edges[(s, p, o)].add(g)
    raw.full_read = True
