"""Dataset-level checks that SHACL cannot express over a single merged graph.

SHACL sees the union of all data; these checks see which graph (which source) each
statement is written in, and the article texts:

* ``kg:unknown-term`` -- a class or property that the ontology does not define
  (with a "did you mean" suggestion);
* ``kg:stated-elsewhere`` -- ``X kg:statedIn S`` written outside the graph of ``S``;
* ``kg:unquoted`` -- a node described in an article's graph with no ``kg:quote`` there;
* ``kg:not-a-source`` -- a named graph in a TriG file that is not described, inside
  itself, as a ``kg:NewsArticle``;
* ``kg:quote-not-in-source`` -- a ``kg:quote`` whose words are not in its article's text
  (with the closest passage of the text, the differences marked);
* ``kg:untyped`` -- a node described with no ``rdf:type`` anywhere (most often a typo in
  the IRI of a thing described elsewhere: with a "did you mean");
* ``kg:missing-source-text`` -- an article whose text file is not in ``sources/``;
* ``kg:states-nothing`` (a warning) -- an article whose graph says of nothing that it is
  ``kg:statedIn`` it: its facts are still to be written;
* ``kg:placeholder-label`` (a warning) -- an article whose label is still the one
  ``kg new-article`` writes for it to replace;
* ``kg:undocumented-term`` -- an ontology term without label, comment or isDefinedBy.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from .article import PLACEHOLDER_LABEL
from .asserted import Asserted, internal_rows
from .check_rows import in_store, nameable, rows
from .check_rows import term as subject_term
from .hints import quote_hint, shown_path, untyped_hint
from .load import KnowledgeGraph
from .namespaces import DCTERMS, ENTAILED_GRAPH, GRAPH, KG, ONTOLOGY_GRAPH
from .ontology import terms, undocumented_terms
from .texts import text_path

__all__ = ["Problem", "dataset_problems", "defined_terms"]


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One finding of a dataset-level check, in the same terms as a SHACL result."""

    rule: str
    focus: Node
    message: str
    path: Node | None = None
    value: Node | None = None
    severity: str = "Violation"
    #: the named graph the problem is in, where it matters
    graph: URIRef | None = None
    #: how to fix it, when kg can tell (may span lines)
    hint: str | None = None


def defined_terms(ontology: Graph) -> set[URIRef]:
    """Every class and property the ontology declares (its own and the reused ones)."""
    return terms(ontology) | {RDF.type}


def _suggest(term: URIRef, known: set[URIRef]) -> str:
    names = {str(k): k for k in known}
    close = difflib.get_close_matches(str(term), list(names), n=1, cutoff=0.75)
    return f" (did you mean <{close[0]}>?)" if close else ""


#: a statement of a node of the scope as ``statements.rq`` gives it (plain values): node,
#: blank?, property, value, literal?, graph
Stated = tuple[str, bool, str, str, bool, str]


def _stated(graph: KnowledgeGraph, only: set[Node]) -> list[Stated]:
    """The statements of the nodes of ``only``, in every graph: one query (blank nodes, and
    rdflib's store, looked up), read as plain values."""
    named = [n for n in only if not isinstance(n, Literal)]
    found: list[tuple[object, ...]] = []
    if in_store(graph):
        found = rows(graph, "statements", tables={"nodes": (["node"], [[n] for n in named
                                                                       if nameable([n])])})
        named = [n for n in named if not nameable([n])]
    found += [(str(s), isinstance(s, BNode), str(p), str(o), isinstance(o, Literal), str(g))
              for n in named for s, p, o, g in graph.store.quads((n, None, None))]
    return [(n, b is True, p, o, lit is True, g) for n, b, p, o, lit, g in found]  # type: ignore[misc]


_TYPE_TEXT, _STATED_IN_TEXT, _QUOTE_TEXT = str(RDF.type), str(KG.statedIn), str(KG.quote)
_OWN_GRAPHS_TEXT = {str(ONTOLOGY_GRAPH), str(ENTAILED_GRAPH)}


def _value(graph: KnowledgeGraph, node: str, blank: bool, prop: str, value: str,
           literal: bool, name: str) -> Node:
    """The term of a value :func:`_stated` gave as text: an IRI, or the stored literal
    (its language or datatype kept)."""
    if not literal:
        return URIRef(value)
    [stored, *_] = _stored(graph, subject_term(node, blank), URIRef(prop), value, name)
    return stored


def _rows(graph: KnowledgeGraph, name: str) -> list[tuple[Node | None, ...]]:
    """The rows of one of kg's own queries (``src/kg/sparql/<name>.rq``) on the store."""
    return internal_rows(graph, name)


def _unknown_terms(graph: KnowledgeGraph, data: Asserted, only: set[Node] | None = None,
                   scoped: list[Stated] | None = None) -> Iterator[Problem]:
    known = defined_terms(graph.ontology)
    if only is None:  # the terms used, found by the store; then who uses an unknown one
        used = [(p, None) for (p,) in _rows(graph, "asserted-predicates") if p not in known]
        used += [(RDF.type, c) for (c,) in _rows(graph, "asserted-classes") if c not in known]
        quads: Iterable[tuple[Node, Node, Node, URIRef]] = (
            (s, p, o, g) for prop, cls in used
            for s, p, o, g in graph.store.quads((None, prop, cls)))
    else:
        known_text = {str(k) for k in known}
        kept = _OWN_GRAPHS_TEXT
        quads = ((subject_term(n, b), URIRef(p), _value(graph, n, b, p, o, lit, g), URIRef(g))
                 for n, b, p, o, lit, g in (_stated(graph, only) if scoped is None else scoped)
                 if g not in kept and (p not in known_text or (
                     p == _TYPE_TEXT and o not in known_text)))
    seen: set[tuple[Node, Node]] = set()
    for s, p, o, g in quads:
        if g in (ONTOLOGY_GRAPH, ENTAILED_GRAPH):
            continue
        if p not in known and (s, p) not in seen:
            seen.add((s, p))
            yield Problem(rule="kg:unknown-term", focus=s, path=p, value=None,
                          message=f"property <{p}> is not defined by the ontology{_suggest(p, known)}")  # type: ignore[arg-type]
        if p == RDF.type and o not in known and (s, o) not in seen:
            seen.add((s, o))
            yield Problem(rule="kg:unknown-term", focus=s, path=RDF.type, value=o,
                          message=f"class <{o}> is not defined by the ontology{_suggest(o, known)}")  # type: ignore[arg-type]


def _source_graphs(graph: KnowledgeGraph) -> list[URIRef]:
    return [name for name in graph.store.graph_names() if not str(name).startswith(str(GRAPH))]


def _named_graphs(graph: KnowledgeGraph, names: set[URIRef]) -> set[URIRef]:
    """Those of ``names`` that name a data graph of the store: the graphs of
    :attr:`~kg.load.KnowledgeGraph.graph_files`, which kg's loaders fill with every named
    graph they write but the ontology's and the entailed one (no listing of the store's
    graphs: ten thousand at 10,000 articles)."""
    return {n for n in names if n in graph.graph_files}


def _is_source(name: Node) -> bool:
    return not str(name).startswith(str(GRAPH))


def _provenance(graph: KnowledgeGraph, only: set[Node] | None = None,
                scoped: list[Stated] | None = None) -> Iterator[Problem]:
    if only is not None and scoped is None:
        scoped = _stated(graph, only)
    if only is None:
        elsewhere: Iterable[tuple[Node, Node, Node]] = (
            (s, o, g) for s, o, g in _rows(graph, "stated-elsewhere"))  # type: ignore[misc]
    else:
        elsewhere = ((subject_term(n, b), _value(graph, n, b, p, o, lit, g), URIRef(g))
                     for n, b, p, o, lit, g in scoped or ()
                     if p == _STATED_IN_TEXT and g != str(ENTAILED_GRAPH) and (lit or o != g))
    for s, o, g in elsewhere:
        yield Problem(rule="kg:stated-elsewhere", focus=s, path=KG.statedIn, value=o,
                      message=f"says it is stated in <{o}> but is written in graph <{g}>; "
                              "write each fact in the graph of the source that states it")
    if only is None:
        unquoted: Iterable[tuple[Node, Node]] = (
            (g, s) for g, s in _rows(graph, "unquoted"))  # type: ignore[misc]
        sources: Iterable[URIRef] = _source_graphs(graph)
    else:  # the graphs that describe a node of the scope
        described = {((n, b), g) for n, b, _, _, _, g in scoped or () if _is_source(g)}
        quoted = {((n, b), g) for n, b, p, _, _, g in scoped or () if p == _QUOTE_TEXT}
        unquoted = sorted(((URIRef(g), subject_term(*s)) for s, g in described - quoted),
                          key=str)
        sources = sorted({URIRef(g) for _, g in described if URIRef(g) in only}, key=str)
    for name, subject in unquoted:
        yield Problem(rule="kg:unquoted", focus=subject, path=KG.quote, value=None,
                      graph=name,  # type: ignore[arg-type]
                      message=f"is described in the graph of <{name}> without a kg:quote "
                              "there: quote the words of that article that state it")
    if only is None:  # one pass; else a look-up per graph of the scope
        described_as_source = {g for s, _, _, g in
                               graph.store.quads((None, RDF.type, KG.NewsArticle)) if s == g}
    else:
        described_as_source = {g for name in sources for _, _, _, g in
                               graph.store.quads((name, RDF.type, KG.NewsArticle)) if g == name}
    for name in sources:
        if name not in described_as_source:
            yield Problem(rule="kg:not-a-source", focus=name, path=RDF.type, value=KG.NewsArticle,
                          message="this named graph is not described, inside itself, as a kg:NewsArticle")


#: a quote as ``quotes.rq`` gives it: node, blank?, the quote's text, literal?, graph
Quoted = tuple[str, bool, str, bool, str]


def _quoted(graph: KnowledgeGraph, only: set[Node] | None) -> list[Quoted]:
    """Every quote (``quotes.rq``, plain values), or the quotes of the nodes of ``only``;
    each once."""
    if not in_store(graph):  # rdflib's store: the same rows, looked up
        found = [(str(s), isinstance(s, BNode), str(o), isinstance(o, Literal), str(g))
                 for node in ([None] if only is None else
                              [n for n in only if not isinstance(n, Literal)])
                 for s, _, o, g in graph.store.quads((node, KG.quote, None))]
    elif only is None:
        found = rows(graph, "quotes")
    else:
        named = [n for n in only if not isinstance(n, Literal)]
        found = rows(graph, "quotes", tables={"nodes": (["node"], [[n] for n in named
                                                                   if nameable([n])])})
        found += [(str(s), True, str(o), isinstance(o, Literal), str(g))  # cannot be named
                  for n in named if not nameable([n])
                  for s, _, o, g in graph.store.quads((n, KG.quote, None))]
    return list(dict.fromkeys((n, b is True, q, lit is True, g) for n, b, q, lit, g in found))


def _identifiers(graph: KnowledgeGraph, names: Iterable[URIRef] | None) -> dict[str, str]:
    """Each graph (of ``names``, or every one) -> the ``dcterms:identifier`` it gives itself
    (the smallest, if several)."""
    if not in_store(graph):  # rdflib's store: the same rows, looked up
        pairs = [(str(g), str(o)) for name in ([None] if names is None else names)
                 for s, _, o, g in graph.store.quads((name, DCTERMS.identifier, None))
                 if s == g]
    else:
        tables = None if names is None else {"graphs": (["graph"], [[n] for n in names])}
        pairs = rows(graph, "source-identifiers", tables=tables)
    found: dict[str, str] = {}
    for name, identifier in pairs:
        if name not in found or identifier < found[name]:
            found[name] = identifier
    return found


def _stored(graph: KnowledgeGraph, subject: Node, predicate: URIRef, text: str,
            name: str) -> list[Node]:
    """The terms ``subject predicate ?o`` states in the graph ``name`` whose text is
    ``text``: the exact terms (language, datatype) of a value read as plain text."""
    return sorted({o for _, _, o, g in graph.store.quads((subject, predicate, None))
                   if str(g) == name and str(o) == text}, key=lambda o: o.n3())


def _quotes(graph: KnowledgeGraph, only: set[Node] | None = None) -> Iterator[Problem]:
    """Each quote not in its article's text, or not in an article's graph; each article
    (of the scope) whose text is missing. Read in two queries as plain values; the texts
    read once each; terms made for the problems only."""
    quoted = _quoted(graph, only)
    if only is None:
        wanted = set(_source_graphs(graph))
    else:  # the articles of the scope, and those the scope's quotes are written in
        candidates = {n for n in only if isinstance(n, URIRef) and _is_source(n)} | {
            URIRef(g) for *_, g in quoted if _is_source(URIRef(g))}
        wanted = _named_graphs(graph, candidates)
    identifiers = _identifiers(graph, None if only is None else sorted(wanted, key=str))
    texts: dict[str, str | None] = {}
    files: dict[str, Path] = {}
    for name in sorted(wanted, key=str):
        identifier, file = identifiers.get(str(name)), graph.graph_files.get(name)
        text = None
        if identifier is not None and file is not None:
            candidate = text_path(file.parent, identifier)
            if candidate.is_file():
                text = candidate.read_text(encoding="utf-8")
                files[str(name)] = candidate
            elif only is None or name in only:
                for value in _stored(graph, name, DCTERMS.identifier, identifier, str(name)):
                    yield Problem(rule="kg:missing-source-text", focus=name,
                                  path=DCTERMS.identifier, value=value,
                                  message=f"the article's text is not at {candidate.parent.name}/"
                                          f"{candidate.name}; quotes cannot be checked")
        texts[str(name)] = text
    for node, blank, quote, literal, name in quoted:
        if name not in texts:
            message, hint = "a quote must be written in the graph of the article it quotes", None
        else:
            text = texts[name]
            if text is None or not literal or quote in text:
                continue
            message = "these words do not appear verbatim in the article's text"
            hint = quote_hint(quote, text, source=shown_path(files[name]))
        focus = subject_term(node, blank)
        for value in _stored(graph, focus, KG.quote, quote, name):
            yield Problem(rule="kg:quote-not-in-source", focus=focus, path=KG.quote,
                          value=value, message=message, hint=hint)


def _untyped(graph: KnowledgeGraph, data: Asserted, only: set[Node] | None = None,
             scoped: list[Stated] | None = None) -> Iterator[Problem]:
    """The IRIs with asserted statements and no asserted type; with ``only``, those of
    ``only``, read from ``scoped`` (their statements in every graph, :func:`_stated`)."""
    if only is None:
        nodes: Iterable[Node] = (n for (n,) in _rows(graph, "untyped"))
    else:
        if scoped is None:
            scoped = _stated(graph, only)
        stated = {n for n, _b, _p, _o, _lit, g in scoped if g not in _OWN_GRAPHS_TEXT}
        typed = {n for n, _b, p, _o, _lit, g in scoped
                 if p == _TYPE_TEXT and g not in _OWN_GRAPHS_TEXT}
        nodes = (n for n in only if isinstance(n, URIRef) and str(n) in stated
                 and str(n) not in typed)
    for node in sorted(nodes, key=str):
        yield Problem(rule="kg:untyped", focus=node, path=RDF.type, value=None,
                      message="nothing says what this is: no file gives it an rdf:type",
                      hint=untyped_hint(graph, node, data=data))  # type: ignore[arg-type]


def _unfinished(graph: KnowledgeGraph, only: set[Node] | None = None) -> Iterator[Problem]:
    """The articles whose facts or label are still those of ``kg new-article``'s skeleton:
    one query over the store; with ``only``, a look-up per article of the scope."""
    if only is None:
        found: Iterable[tuple[Node | None, ...]] = _rows(graph, "unfinished-articles")
    else:
        found = [_unfinished_article(graph, name) for name in sorted(
            _named_graphs(graph, {n for n in only if isinstance(n, URIRef)}), key=str)]
    for article, states_nothing, placeholder in found:
        if states_nothing is not None and states_nothing.toPython() is True:
            yield Problem(rule="kg:states-nothing", focus=article, path=KG.statedIn,
                          severity="Warning", graph=article,  # type: ignore[arg-type]
                          message="this article's graph states no fact: describe each fact "
                                  "it reports there, with kg:statedIn and a kg:quote")
        if placeholder is not None:
            yield Problem(rule="kg:placeholder-label", focus=article, path=RDFS.label,
                          value=placeholder, severity="Warning", graph=article,  # type: ignore[arg-type]
                          message="the label is still kg new-article's placeholder: sum "
                                  "up the article in one line")


def _unfinished_article(graph: KnowledgeGraph, name: URIRef) -> tuple[Node | None, ...]:
    """The row ``unfinished-articles.rq`` gives for the article ``name`` (its flags
    ``None`` where it has nothing unfinished, or is no article of its own graph)."""
    own = [q for q in graph.store.quads((name, None, None)) if q[3] == name]
    if not any(p == RDF.type and o == KG.NewsArticle for _, p, o, _ in own):
        return name, None, None
    states = any(g == name for _, _, _, g in graph.store.quads((None, KG.statedIn, name)))
    placeholder = next((o for _, p, o, _ in own if p == RDFS.label
                        and str(o).endswith(PLACEHOLDER_LABEL)), None)
    return name, Literal(not states), placeholder


def _ontology(graph: KnowledgeGraph) -> Iterator[Problem]:
    for term, lacks in undocumented_terms(graph.ontology).items():
        yield Problem(rule="kg:undocumented-term", focus=term, path=None, value=None,
                      message=f"ontology term lacks {', '.join(lacks)}")


def dataset_problems(graph: KnowledgeGraph, *, only: set[Node] | None = None,
                     data: Asserted | None = None) -> list[Problem]:
    """Every dataset-level problem of a loaded graph; with ``only``, those whose focus is
    one of these nodes (each check then reads only the statements about them). ``data``:
    the graph's :class:`~kg.asserted.Asserted` data, when the caller has it.

    Each check runs once over the whole store: a query of ``src/kg/sparql/`` that finds
    every offender (or, for the quotes, every quote, read as plain values: no RDF term
    made but for the problems); with ``only``, the queries are restricted to those nodes,
    and their statements read once. No graph is copied."""
    data = Asserted(graph) if data is None else data
    scoped = None if only is None else _stated(graph, only)  # read once, for two checks
    found = [*_ontology(graph), *_unknown_terms(graph, data, only, scoped),
             *_untyped(graph, data, only, scoped), *_provenance(graph, only, scoped),
             *_quotes(graph, only), *_unfinished(graph, only)]
    return found if only is None else [p for p in found if p.focus in only]
