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
* ``kg:undocumented-term`` -- an ontology term without label, comment or isDefinedBy.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from .asserted import Asserted, internal_rows
from .hints import quote_hint, shown_path, untyped_hint
from .load import KnowledgeGraph
from .namespaces import DCTERMS, ENTAILED_GRAPH, GRAPH, KG, ONTOLOGY_GRAPH
from .ontology import terms, undocumented_terms

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


def _quads(graph: KnowledgeGraph, only: set[Node] | None,
           predicate: Node | None = None) -> Iterator[tuple[Node, Node, Node, URIRef]]:
    """Every quad (with ``predicate``), or those whose subject is in ``only``."""
    if only is None:
        yield from graph.store.quads((None, predicate, None))
        return
    for node in only:
        if not isinstance(node, Literal):
            yield from graph.store.quads((node, predicate, None))


def _rows(graph: KnowledgeGraph, name: str) -> list[tuple[Node | None, ...]]:
    """The rows of one of kg's own queries (``src/kg/sparql/<name>.rq``) on the store."""
    return internal_rows(graph, name)


def _unknown_terms(graph: KnowledgeGraph, data: Asserted,
                   only: set[Node] | None = None) -> Iterator[Problem]:
    known = defined_terms(graph.ontology)
    if only is None:  # the terms used, found by the store; then who uses an unknown one
        used = [(p, None) for (p,) in _rows(graph, "asserted-predicates") if p not in known]
        used += [(RDF.type, c) for (c,) in _rows(graph, "asserted-classes") if c not in known]
        quads: Iterable[tuple[Node, Node, Node, URIRef]] = (
            (s, p, o, g) for prop, cls in used
            for s, p, o, g in graph.store.quads((None, prop, cls)))
    else:
        quads = _quads(graph, only)
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


def _is_source(name: Node) -> bool:
    return not str(name).startswith(str(GRAPH))


def _provenance(graph: KnowledgeGraph, only: set[Node] | None = None) -> Iterator[Problem]:
    if only is None:
        elsewhere: Iterable[tuple[Node, Node, Node]] = (
            (s, o, g) for s, o, g in _rows(graph, "stated-elsewhere"))  # type: ignore[misc]
    else:
        elsewhere = ((s, o, g) for s, _, o, g in _quads(graph, only, KG.statedIn)
                     if g != ENTAILED_GRAPH and o != g)
    for s, o, g in elsewhere:
        yield Problem(rule="kg:stated-elsewhere", focus=s, path=KG.statedIn, value=o,
                      message=f"says it is stated in <{o}> but is written in graph <{g}>; "
                              "write each fact in the graph of the source that states it")
    if only is None:
        unquoted: Iterable[tuple[Node, Node]] = (
            (g, s) for g, s in _rows(graph, "unquoted"))  # type: ignore[misc]
        sources: Iterable[URIRef] = _source_graphs(graph)
    else:  # the graphs that describe a node of the scope
        described = {(s, g) for s, _, _, g in _quads(graph, only) if _is_source(g)}
        quoted = {(s, g) for s, _, _, g in _quads(graph, only, KG.quote)}
        unquoted = sorted(((g, s) for s, g in described - quoted), key=str)
        sources = sorted({g for _, g in described if g in only}, key=str)
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


class _Identifiers(dict):  # type: ignore[type-arg]
    """Each graph -> the ``dcterms:identifier`` it gives itself: all in one pass, or (with
    ``lazily``) each looked up when asked for."""

    def __init__(self, graph: KnowledgeGraph, *, lazily: bool = False) -> None:
        super().__init__()
        self.graph = graph
        if not lazily:
            for s, _, o, g in graph.store.quads((None, DCTERMS.identifier, None)):
                if s == g:
                    self._keep(g, o)
            self.complete = True
        else:
            self.complete = False

    def _keep(self, name: URIRef, value: Node) -> None:
        if name not in self or str(value) < str(self[name]):
            self[name] = value

    def get(self, name: URIRef, default: Node | None = None) -> Node | None:  # type: ignore[override]
        if not self.complete and name not in self:
            for _, _, o, g in self.graph.store.quads((name, DCTERMS.identifier, None)):
                if g == name:
                    self._keep(g, o)
        return super().get(name, default)


def _quotes(graph: KnowledgeGraph, only: set[Node] | None = None) -> Iterator[Problem]:
    texts: dict[URIRef, str | None] = {}
    files: dict[URIRef, str] = {}
    identifiers = _Identifiers(graph, lazily=only is not None)
    for name in _source_graphs(graph):
        if only is not None and name not in only:
            texts[name] = None  # a source; its text is read only for quotes of the scope
            continue
        identifier = identifiers.get(name)
        file = graph.graph_files.get(name)
        text = None
        if identifier is not None and file is not None:
            candidate = file.parent / "sources" / f"{identifier}.txt"
            if candidate.is_file():
                text = candidate.read_text(encoding="utf-8")
                files[name] = shown_path(candidate)
            else:
                yield Problem(rule="kg:missing-source-text", focus=name, path=DCTERMS.identifier,
                              value=identifier,
                              message=f"the article's text is not at {candidate.parent.name}/{candidate.name}; "
                                      "quotes cannot be checked")
        texts[name] = text
    quoted = list(_quads(graph, only, KG.quote))
    for g in {g for *_, g in quoted if only is not None and g in texts and g not in only}:
        texts[g] = _text(graph, g, files, identifiers)
    for s, _, quote, g in quoted:
        text = texts.get(g)  # type: ignore[arg-type]
        if g not in texts:
            yield Problem(rule="kg:quote-not-in-source", focus=s, path=KG.quote, value=quote,
                          message="a quote must be written in the graph of the article it quotes")
        elif text is not None and isinstance(quote, Literal) and str(quote) not in text:
            yield Problem(rule="kg:quote-not-in-source", focus=s, path=KG.quote, value=quote,
                          message="these words do not appear verbatim in the article's text",
                          hint=quote_hint(str(quote), text, source=files[g]))  # type: ignore[index]


def _text(graph: KnowledgeGraph, name: URIRef, files: dict[URIRef, str],
          identifiers: _Identifiers) -> str | None:
    """The text of the article whose graph is ``name``, when it is where it should be."""
    identifier = identifiers.get(name)
    file = graph.graph_files.get(name)
    if identifier is None or file is None:
        return None
    candidate = file.parent / "sources" / f"{identifier}.txt"
    if not candidate.is_file():
        return None
    files[name] = shown_path(candidate)
    return candidate.read_text(encoding="utf-8")


def _untyped(graph: KnowledgeGraph, data: Asserted,
             only: set[Node] | None = None) -> Iterator[Problem]:
    if only is None:
        nodes: Iterable[Node] = (n for (n,) in _rows(graph, "untyped"))
    else:
        nodes = (n for n in only if isinstance(n, URIRef) and (n, None, None) in data
                 and (n, RDF.type, None) not in data)
    for node in sorted(nodes, key=str):
        yield Problem(rule="kg:untyped", focus=node, path=RDF.type, value=None,
                      message="nothing says what this is: no file gives it an rdf:type",
                      hint=untyped_hint(graph, node, data=data))  # type: ignore[arg-type]


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
    every offender, or one pass over the quads of one property; no graph is copied."""
    data = Asserted(graph) if data is None else data
    found = [*_ontology(graph), *_unknown_terms(graph, data, only), *_untyped(graph, data, only),
             *_provenance(graph, only), *_quotes(graph, only)]
    return found if only is None else [p for p in found if p.focus in only]
