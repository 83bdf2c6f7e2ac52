"""Contradictions: two sources that give different values for the same property of a fact.

News sources disagree; kg keeps both values, each in its article's graph, and reports the
disagreement as a finding, not a failure (``kg validate`` shows it as a ``kg:contradiction``
warning; ``kg contradictions`` lists them). Values that agree at different precisions are
not contradictions: a month and a day inside it, a city and the country it is located in,
one party list and a longer one that contains it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import asdict, dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, NamespaceManager
from rdflib.term import Node

from .asserted import internal_query
from .check_rows import Table, in_store, nameable, rows, term
from .load import KnowledgeGraph, load
from .locate import line_of
from .namespaces import ENTAILED_GRAPH, GRAPH, KG, ONTOLOGY_GRAPH

__all__ = ["CHECKED", "Contradiction", "Statement", "contradicted", "contradictions"]

#: the properties whose values two sources must not give differently; the multi-valued ones
#: contradict only when neither source's values contain the other's
CHECKED = (KG.date, KG.startDate, KG.endDate, KG.asOf, KG.place, KG.role, KG.holder,
           KG.organization, KG.member, KG.signatory, KG.onBehalfOf, KG.inCapacityOf,
           KG.agreement, KG.designee, KG.title, KG.party, KG.partner)
_MULTI = {KG.party, KG.partner}
_DATES = {KG.date, KG.startDate, KG.endDate, KG.asOf}


@dataclass(frozen=True, kw_only=True)
class Statement:
    """What one source says: its values, the source, and where it is written."""

    values: tuple[str, ...]
    #: the label of each value that has one (``None`` for a date or an unlabelled thing)
    labels: tuple[str | None, ...]
    source: str
    file: str | None
    line: int | None


@dataclass(frozen=True, kw_only=True)
class Contradiction:
    """Two sources that disagree about one property of one fact."""

    fact: str
    fact_label: str | None
    property: str
    first: Statement
    second: Statement

    def message(self) -> str:
        """One line with both values, both sources and both places."""
        def side(s: Statement) -> str:
            where = f"{s.file}:{s.line}" if s.file and s.line else (s.file or "?")
            return f"{', '.join(s.values)} in <{s.source}> ({where})"
        return f"two sources disagree: {side(self.first)}; {side(self.second)}"

    def side_by_side(self, names: NamespaceManager | None = None) -> str:
        """Two aligned lines, one per source: where it is written, what it says (values with
        their labels, IRIs compacted with ``names``)."""
        def short(value: str) -> str:
            if names is None or not value.startswith(("http://", "https://")):
                return value
            try:
                return names.normalizeUri(URIRef(value))
            except Exception:  # noqa: BLE001 - rdflib raises various errors on odd IRIs
                return f"<{value}>"

        def said(s: Statement) -> str:
            return ", ".join(short(v) + (f' "{label}"' if label else "")
                             for v, label in zip(s.values, s.labels))

        rows = [(short(s.source), f"{s.file}:{s.line}" if s.file and s.line else (s.file or "?"),
                 said(s)) for s in (self.first, self.second)]
        width = [max(len(r[i]) for r in rows) for i in (0, 1)]
        lines = [f"{a:<{width[0]}}  {b:<{width[1]}}  {self.property} {c}" for a, b, c in rows]
        advice = ("both values are kept: check each article's words; "
                  "if one was misread, correct it in that article's file")
        return "\n".join([*lines, advice])

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``kg contradictions --format json``)."""
        return asdict(self)


def _compatible_dates(a: Node, b: Node) -> bool:
    x, y = str(a), str(b)
    return x.startswith(y) or y.startswith(x)


def _within(graph: KnowledgeGraph, a: Node, b: Node) -> bool:
    """True when place ``a`` is ``b`` or located in it (asked of the store, so that a
    remote graph answers too)."""
    if a == b:
        return True
    text = internal_query("located-within").text
    return bool(graph.store.query(text, bindings={"place": a, "within": b}).askAnswer)


def _agree(graph: KnowledgeGraph, prop: URIRef, first: set[Node], second: set[Node]) -> bool:
    if prop in _MULTI:
        return first <= second or second <= first
    if prop in _DATES:
        return all(_compatible_dates(a, b) for a in first for b in second)
    if prop == KG.place:
        return all(_within(graph, a, b) or _within(graph, b, a) for a in first for b in second)
    return first == second


def _source_graphs(graph: KnowledgeGraph) -> list[URIRef]:
    return sorted(name for name in graph.store.graph_names() if is_source_graph(name))


Side = tuple[URIRef, set[Node]]


#: (fact, property) -> source graph -> the values it gives
Said = dict[tuple[Node, URIRef], dict[URIRef, set[Node]]]


def is_source_graph(name: Node) -> bool:
    """Whether a graph is a source's (not one of kg's own: ontology, entailed, entities)."""
    return not str(name).startswith(str(GRAPH))


def _said(graph: KnowledgeGraph, facts: Collection[Node] | None = None) -> Said:
    """What each source says of the checked properties, where two sources may disagree
    (``disputed.rq``: a fact's property given values by two sources or more, with two
    values or more among them; the others agree): of every fact, or of ``facts``."""
    subjects = None if facts is None else [f for f in facts if not isinstance(f, Literal)]
    if not in_store(graph):  # rdflib's store: a look-up per property (and fact)
        return _said_by_lookups(graph, subjects)
    blank = [] if subjects is None else [f for f in subjects if not nameable([f])]
    tables: dict[str, Table] = (  # the properties drive the look-ups, or the facts do
        {"properties": (["property"], [[prop] for prop in CHECKED])} if subjects is None else
        {"facts": (["fact"], [[f] for f in subjects if nameable([f])])})
    checked = {str(prop) for prop in CHECKED}
    disputed = {(term(fact, is_blank), URIRef(prop))
                for fact, is_blank, prop in rows(graph, "disputed", tables=tables)
                if prop in checked}
    disputed |= {(fact, prop) for fact in blank for prop in CHECKED}  # cannot be named
    said: Said = {}
    for fact, prop in sorted(disputed, key=lambda fp: (str(fp[0]), str(fp[1]))):
        for s, _, o, name in graph.store.quads((fact, prop, None)):
            if is_source_graph(name):
                said.setdefault((s, prop), {}).setdefault(name, set()).add(o)
    return said


def _said_by_lookups(graph: KnowledgeGraph, subjects: list[Node] | None) -> Said:
    said: Said = {}
    for prop in CHECKED:  # one pass per property over every graph (not one per graph)
        for subject in [None] if subjects is None else subjects:
            for s, _, o, name in graph.store.quads((subject, prop, None)):
                if is_source_graph(name):
                    said.setdefault((s, prop), {}).setdefault(name, set()).add(o)
    return said


def _disagreements(graph: KnowledgeGraph, said: Said | None = None,
                   ) -> Iterator[tuple[Node, URIRef, Side, Side]]:
    """(fact, property, (source, values), (other source, values)) for each disagreement;
    ``said`` is what each source says of the checked properties, when already read."""
    if said is None:
        said = _said(graph)
    for (fact, prop), by_source in sorted(said.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        for (a, va), (b, vb) in combinations(sorted(by_source.items(), key=lambda kv: str(kv[0])), 2):
            if not _agree(graph, prop, va, vb):
                yield fact, prop, (a, va), (b, vb)


def contradicted(graph: KnowledgeGraph, *, said: Said | None = None) -> dict[str, set[str]]:
    """Each fact that two sources disagree about -> the properties they disagree on (full
    IRIs): the same notion as :func:`contradictions`, without locating anything (what the
    analysis layer marks edges with). ``said`` gives what each source graph says of the
    :data:`CHECKED` properties when the caller has read it (the analysis reads it with
    paged SPARQL); else it is read here.

    >>> import kg
    >>> contradicted(kg.load())
    {}
    """
    found: dict[str, set[str]] = {}
    for fact, prop, _first, _second in _disagreements(graph, said):
        found.setdefault(str(fact), set()).add(str(prop))
    return found


def _label(graph: KnowledgeGraph, node: Node) -> Node | None:
    """One asserted ``rdfs:label`` of ``node`` (looked up in the store, nothing copied)."""
    found = sorted((o for _, _, o, g in graph.store.quads((node, RDFS.label, None))
                    if g not in (ONTOLOGY_GRAPH, ENTAILED_GRAPH)), key=str)
    return found[0] if found else None


def _found(graph: KnowledgeGraph,
           facts: Collection[Node] | None = None) -> Iterator[Contradiction]:
    cache: dict[Path, list[str]] = {}
    readable: dict[Path, bool] = {}  # (a built store's graphs come from its folder)
    root = Path.cwd()

    def statement(fact: Node, prop: URIRef, source: URIRef, values: set[Node]) -> Statement:
        file = graph.graph_files.get(source)
        if file is not None and file not in readable:
            readable[file] = file.is_file()
        if file is not None and not readable[file]:
            file = None
        shown = file
        if file is not None:
            try:
                shown = file.resolve().relative_to(root.resolve())
            except ValueError:
                shown = file
        ordered = sorted(values, key=str)
        found = [None if isinstance(v, Literal) else _label(graph, v) for v in ordered]
        labels = tuple(None if label is None else str(label) for label in found)
        return Statement(values=tuple(str(v) for v in ordered), labels=labels,
                         source=str(source), file=str(shown) if shown else None,
                         line=line_of(file, fact, cache, predicate=prop))

    for fact, prop, (a, va), (b, vb) in _disagreements(graph, _said(graph, facts)):
        label = _label(graph, fact)
        yield Contradiction(fact=str(fact), fact_label=str(label) if label else None,
                            property=_short(prop),
                            first=statement(fact, prop, a, va),
                            second=statement(fact, prop, b, vb))


def _short(prop: URIRef) -> str:
    return "kg:" + str(prop)[len(str(KG)):] if str(prop).startswith(str(KG)) else str(prop)


def contradictions(paths: Sequence[Path | str] = (), *, graph: KnowledgeGraph | None = None,
                   project: Path | str | None = None, data: Path | str | None = None,
                   ontology: Path | str | None = None, store: str = "oxigraph",
                   facts: Collection[Node] | None = None) -> list[Contradiction]:
    """Every pair of sources that disagree about a property of a fact, in a stable order;
    with ``facts``, about one of those facts only (incremental validation).

    The files are loaded (``store`` as :func:`kg.load` takes it: a built store folder or a
    triplestore ``kg push`` filled is read as it is) unless ``graph`` is given. Each side
    says the file and line that state it where the graph was read from data files; from a
    built store, the source only.

    >>> contradictions()
    []
    """
    if graph is None:
        graph = load(paths, project=project, data=data, ontology=ontology, entail=False,
                     store=store)
    return list(_found(graph, facts))
