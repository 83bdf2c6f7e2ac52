"""Incremental validation: what a change to some data files can affect, and why.

After one article changes, :func:`kg.validate` with ``changed=[files]`` re-checks only the
nodes the change can affect (:func:`scope`) and returns their findings;
:func:`merge` puts them together with the findings of the previous full run on everything
else. The result equals a full validation of the new data (``tests/test_validate.py``
checks it for every kind of edit: a fact added or removed, a quote or a date order broken,
an entity shared by two articles changed, an article added or deleted).

Why the scope is enough. Let ``D`` be the triples the changed files held before or hold
now, and ``N`` every subject and object of ``D``; only triples of ``D`` differ between the
two versions of the data (the ontology and the shapes are the same; a change to either
needs a full run). Every finding has a focus node, and depends only on triples near it:

* a core shape's result on ``f`` reads ``f``'s own statements, the types of its values
  (``sh:class``, ``sh:or``) and, for a ``sh:targetObjectsOf`` target, the statements whose
  object is ``f``: it can change only when ``f`` is in ``N`` or is a subject or object of a
  triple whose other end is in ``N`` (the *neighbours* of ``N``);
* the SHACL-SPARQL rules read ``$this``'s statements and at most: the statements of its
  values (an agreement's parties, the node a node comes after), the agreements made for
  it (a project), and the post holdings of its signatory (the one rule that reads
  statements *about* a value: a changed holding names its holder) — except the
  containment rule, which follows ``kg:locatedIn`` / ``kg:partOf`` chains of any length: a
  cycle that a changed triple makes or breaks passes through that triple, so every node on
  it reaches ``N`` backwards along those properties, and the scope takes that closure;
* the dataset checks are per statement, per node or per named graph (quotes, sources,
  untyped nodes, unknown terms), and a contradiction is about one fact's statements in two
  articles: their focus nodes are in ``N``;
* the types RDFS entailment adds to a node come from statements the node is in (``N``).

The scope is therefore: ``N``; every node with a statement about a subject of ``D`` or
that such a subject has a statement about (its values' types and statements are read by
the shapes on those nodes; a project reads the date of the agreements made for it); the
signatures whose signatory is in ``N`` or next to a subject of ``D`` (a post holding
changed: its holder's signatures); and the containment closure — each taken in the data
before and after. Findings on nodes outside it are the same before and after.

How little is read, once the scope is known (so that one changed article costs about as
much at ten thousand articles as at ten):

* the core shapes run on the scope's *neighbourhood* only: the statements of the scope's
  nodes, those of a ``sh:targetObjectsOf`` property that name them, the types of their
  values, and the ontology (:func:`kg.validate._neighbourhood`; on Oxigraph one
  ``CONSTRUCT`` query, ``sparql/neighbourhood.rq``, written as N-Triples by the store:
  the same statements the look-ups find, ``tests/test_validate.py`` compares them). That is all a core
  shape's result on a focus node reads when the shapes use only single-property paths
  and the parameters of :data:`kg.validate._LOCAL` (a target, counts, datatypes, patterns,
  ``sh:class`` / ``sh:or`` / ``sh:not`` / ``sh:qualifiedValueShape`` of classes, …), as
  kg's shapes do: the focus node's own types decide its targets, its values on the path
  are its own statements, and a value's class is its types with the ontology's
  ``rdfs:subClassOf``. A shapes file that uses anything else is validated over the whole
  data instead (the results on the scope kept);
* each SHACL-SPARQL rule runs once, in the store, with ``$this`` bound to a table of the
  scope's nodes (:func:`kg.shacl_sparql.among`: for the rules kg evaluates itself, the
  rows of running it once per node with ``$this`` bound, SHACL's own pre-binding), and
  only the rows whose ``$this`` the rule's shape targets are kept (a blank node of the
  scope, which a query cannot name, is run on its own);
* the scope itself, the dataset checks, the retypings and the contradictions ask the
  store a few set-based queries restricted to the scope's nodes (a ``VALUES`` table,
  :mod:`kg.check_rows`; one per step of the containment closure), read as plain values,
  not the whole store and not a look-up per node (rdflib's store, and blank nodes, are
  looked up); the untyped nodes are read from the scope's statements that the unknown-term
  and provenance checks read already (a node is untyped when it has an asserted
  statement and no asserted ``rdf:type``: both are statements *of* the node).

Where the two versions come from. In Python, the caller gives them (``graph``, or the
files loaded now; ``before=``, the graph loaded before). ``kg validate --changed``
(``validate(..., cache=True)``) takes both from the cache of loaded stores
(:mod:`kg.rebase`): the kept store of the same files before the change is ``before``, and a
scratch copy of it with the changed files' graphs replaced is the data now; :mod:`kg.rebase`
says why that copy holds exactly what a load of the files would, so the scope and the
findings are those above (``tests/test_incremental_cache.py`` compares them with a full
validation for every kind of edit). The kept store is the one loaded *without* entailment:
the scope's entailed types (retypings, ``sh:class`` through a domain or range) are worked
out from the asserted statements of each version, as in a full run, so no type that the
changed article entailed before the change can be read after it; a store kept with
entailment (``kg query``'s) is not used (its entailed graph and its union would still hold
the types the article entailed before the change, and taking them out costs more than the
whole run). The scope is then relative to the kept store: the findings of the nodes the
change can affect *since that store was loaded*, which is what a full run after the change
finds on them.

What is not done again, and why that stays exact: the shapes files are parsed, and split
into core shapes and SHACL-SPARQL rules, once per process for each version of the files
(path, size, modification time: an edited file is read again, and a shapes graph changed
after loading is split anew); the report's count of statements is derived from the count
kept beside the cached store before the change, less and plus the changed files'
statements (:mod:`kg.statement_count` says why that is the count), or else counted by the
store. Nothing else found about the data is kept from one run to the next.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Literal
from rdflib.term import Node

from .asserted import Asserted
from .check_rows import Table, in_store, nameable, rows, term
from .namespaces import DCTERMS, KG

if TYPE_CHECKING:
    from .load import KnowledgeGraph
    from .validate import Report

__all__ = ["changed_triples", "graphs_of_files", "merge", "scope", "triples_of"]

_CONTAINMENT = (KG.locatedIn, KG.partOf)


def changed_triples(graph: KnowledgeGraph, files: Iterable[Path]) -> set[tuple[Node, Node, Node]]:
    """The triples that the named graphs of ``files`` hold in one loaded version of the
    data; an article's text (``sources/<id>.txt``) stands for the graph of that article.
    Only those graphs are read."""
    return triples_of(graph, graphs_of_files(graph, files)[0])


def triples_of(graph: KnowledgeGraph, names: Iterable[Node]) -> set[tuple[Node, Node, Node]]:
    """The triples that the named graphs ``names`` hold in ``graph``."""
    found: set[tuple[Node, Node, Node]] = set()
    for name in names:
        found.update(graph.store.graph(name))  # type: ignore[arg-type]
    return found


def graphs_of_files(graph: KnowledgeGraph, files: Iterable[Path]) -> tuple[set[Node], list[Path]]:
    """The named graphs that ``files`` stand for in one loaded version of the data (a data
    file, the graphs it writes; an article's text, ``sources/<id>.txt``, the graph of
    that article), and those of ``files`` that stand for nothing there: neither one of
    its data files nor the text of one of its articles."""
    given = [Path(f) for f in files]
    wanted = {f.resolve(): f for f in given}
    named = {w.name for w in wanted}
    names: set[Node] = set()
    matched: set[Path] = set()
    for path in graph.files:  # resolved only when the name matches (ten thousand files)
        if os.path.basename(path) in named and (resolved := Path(path).resolve()) in wanted:
            matched.add(resolved)
            names |= graph.file_graphs.get(path, set())
    texts = {f.stem: f.resolve() for f in given if f.suffix == ".txt"}
    if texts:  # the graphs that give themselves one of these identifiers
        for s, _, o, g in graph.store.quads((None, DCTERMS.identifier, None)):
            if s == g and str(o) in texts and g in graph.graph_files:
                names.add(g)
                matched.add(texts[str(o)])
    return names, [f for resolved, f in wanted.items() if resolved not in matched]


def _asked(data: Any, name: str, nodes: set[Node]) -> tuple[set[Node], set[Node]]:
    """The answer of ``name`` (``neighbours``, ``signers``, ``contained``: kg's own queries) for the
    nodes that can be named in a query, when ``data`` is a store's asserted data (one
    query for all of them, plain values); and the nodes left to look up one by one (all of
    them when ``data`` is an rdflib graph or on rdflib's store, else the blank nodes)."""
    if not isinstance(data, Asserted) or not in_store(data.graph):
        return set(), nodes
    named = {n for n in nodes if not isinstance(n, Literal) and nameable([n])}
    if not named:
        return set(), nodes - named
    tables: dict[str, Table] = {"nodes": (["of"], [[n] for n in sorted(named, key=str)])}
    found = {term(value, blank) for value, blank in rows(data.graph, name, tables=tables)}
    return found, nodes - named


def _around(data: Any, nodes: set[Node]) -> set[Node]:
    """The nodes with a statement about one of ``nodes`` or that one of them is about."""
    found, rest = _asked(data, "neighbours", nodes)
    for node in rest:
        found.update(o for o in data.objects(node, None) if not isinstance(o, Literal))
        found.update(data.subjects(None, node))
    return found


def _signers(data: Any, nodes: set[Node]) -> set[Node]:
    """The signatures whose signatory is one of ``nodes``."""
    found, rest = _asked(data, "signers", nodes)
    return found | {s for node in rest for s in data.subjects(KG.signatory, node)}


def _containment(data: Any, nodes: set[Node]) -> set[Node]:
    """What is located in or part of one of ``nodes``, at any depth: one query per step
    for the store's data."""
    found: set[Node] = set()
    todo = set(nodes)
    while todo:
        step, rest = _asked(data, "contained", todo)
        for node in rest:
            step.update(before for prop in _CONTAINMENT for before in data.subjects(prop, node))
        todo = step - found
        found |= step
    return found


def scope(triples: Iterable[tuple[Node, Node, Node]], versions: Sequence[Any]) -> set[Node]:
    """The nodes whose findings the changed ``triples`` can affect, in each of the
    ``versions`` of the data (before and after the change): rdflib graphs, or any graph
    with their ``objects`` and ``subjects`` (:class:`kg.asserted.Asserted`)."""
    subjects: set[Node] = set()
    objects: set[Node] = set()
    for s, _p, o in triples:
        subjects.add(s)
        if not isinstance(o, Literal):
            objects.add(o)
    found = subjects | objects
    for data in versions:
        near = _around(data, subjects)
        found |= near | _signers(data, objects | near) | _containment(data, subjects | objects)
    return found


def merge(previous: Report, partial: Report) -> Report:
    """The findings of a previous full run outside ``partial.scope``, with those of
    ``partial`` (an incremental run): the findings of a full run of the new data."""
    from .validate import SEVERITIES, Report

    if partial.scope is None:
        raise ValueError("merge takes an incremental report (validate(..., changed=[...]))")
    inside = set(partial.scope)
    findings = [f for f in previous.findings if f.focus not in inside] + partial.findings
    findings.sort(key=lambda f: (SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 9,
                                 f.rule, f.file or "", f.line or 0, f.focus, f.path or "",
                                 f.value or "", f.message))
    return Report(findings=findings, files=partial.files, statements=partial.statements,
                  sources=partial.sources, shapes=partial.shapes)
