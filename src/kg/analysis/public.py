"""The analysis functions :mod:`kg` exports: ``kg.project``, ``kg.search``, ``kg.neighbors``,
``kg.paths``, ``kg.centrality``, ``kg.communities``, ``kg.timeline``, ``kg.sources``, and
``entity_facts``.

Every option is keyword-only. Every function takes the same filters -- ``view``
(``"actors"`` or ``"full"``), ``as_of`` and ``reported_by`` (a date, ``"YYYY-MM-DD"``,
``"YYYY-MM"`` or ``"YYYY"``; see :mod:`kg.analysis.timefilter` for the rules), ``source``
(one article: its IRI, ``src:`` CURIE or identifier) and ``node_types`` (class names such as
``"Person"``) -- and ``graph``, which defaults to the bundled graph loaded once (like
:func:`kg.query`). Entities are given by label, alternative label, IRI, CURIE or slug.

>>> import kg
>>> [hop["target_label"] for hop in kg.paths("Leyla Aliyeva", "Burkina Faso")[0].hops]
['Heydar Aliyev Foundation', 'Cooperation agreement between the Heydar Aliyev Foundation and ICESCO (Rabat, 2024-10-14)', 'Project supporting displaced girls and orphanages in Burkina Faso', 'Burkina Faso']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx
from rdflib import BNode, URIRef

from ..arguments import at_least
from ..errors import ParameterError, UnknownEntity
from .articles import COLUMNS, articles, find_article
from .chronology import timeline_table
from .jobs import COMMUNITY_KINDS, GROUP_KINDS
from .kept_measures import keep, recall_kept
from .matching import fold, pick, resolve, search_names
from .measures import (
    SEED,
    broker_table,
    centrality_table,
    coaffiliation_table,
    community_table,
    component_table,
    most_connected_members,
)
from .model import Entity, Matches, Neighbourhood, Paths, Table
from .pathfinding import find_paths, most_connected, neighbourhood
from .projection import Filters, _Builder, installed, local_name, projection, raw_of
from .reading import AUTO, Raw, run
from .timefilter import parse_when

__all__ = ["project", "search", "neighbors", "paths", "centrality", "communities", "timeline",
           "sources", "article", "entity", "entity_facts", "filters_for", "shared_projection",
           "COMMUNITY_KINDS"]


def _graph(graph: Any) -> Any:
    from ..queries import graph_or_default

    return graph_or_default(graph)


def filters_for(graph: Any, *, view: str = "actors", as_of: Any = None, reported_by: Any = None,
                source: str | None = None, node_types: Iterable[str] = ()) -> Filters:
    """Check and normalise the common filters (errors name the parameter)."""
    article = None
    if source:
        try:
            article = find_article(raw_of(graph), source)
        except UnknownEntity as unknown:
            raise ParameterError(f"source: {unknown}") from None
    types = tuple(node_types) if not isinstance(node_types, str) else (node_types,)
    return Filters(view=view, as_of=parse_when(as_of, name="as_of"),
                   reported_by=parse_when(reported_by, name="reported_by"), source=article,
                   node_types=_known_types(graph, [t for t in types if t]))


def _known_types(graph: Any, types: list[Any]) -> tuple[str, ...]:
    """Each of ``types`` as the projection's filter matches it: a class's name
    (``Person``), its IRI, or a prefixed name kg knows (``kg:Person``, expanded). A type
    that is neither a class of the ontology nor one a node of the graph has is a
    :class:`ParameterError` with the nearest names: it would keep nothing, silently (a
    class of the ontology that no node has keeps nothing, and says so by being empty)."""
    import difflib

    from rdflib.namespace import OWL, RDF, RDFS

    from ..namespaces import PREFIXES
    from .projection import local_name

    if not types:
        return ()
    raw = raw_of(graph)
    iris = {t for found in raw.types.values() for t in found}
    iris |= {c for found in raw.node_classes.values() for c in found}
    ontology = getattr(graph, "ontology", None)
    if ontology is not None:
        iris |= {str(c) for kind in (OWL.Class, RDFS.Class)
                 for c in ontology.subjects(RDF.type, kind) if not isinstance(c, BNode)}
    names = {local_name(t) for t in iris}
    kept = []
    for given in types:
        text = str(given).strip().strip("<>")
        prefix, colon, local = text.partition(":")
        if colon and prefix in PREFIXES and not local.startswith("//"):
            text = str(PREFIXES[prefix]) + local
        if text not in iris and text not in names:
            near = difflib.get_close_matches(local_name(text), sorted(names), n=3, cutoff=0.6)
            raise ParameterError(
                f"type {given!r} is no class of the ontology or of the graph's nodes"
                + (f"; did you mean {', '.join(near)}?" if near else
                   f"; they are: {', '.join(sorted(names))}"))
        kept.append(text)
    return tuple(kept)


def _projected(graph: Any, options: dict[str, Any], *,
               page_size: int | str | None = AUTO) -> tuple[Any, nx.MultiDiGraph]:
    target = _graph(graph)
    filters = filters_for(target, **options)
    if filters != Filters() or not installed(target):
        raw_of(target, page_size=page_size)  # read (once per graph) with this page size
    return target, projection(target, filters, page_size=page_size)


def _entity(target: Any, name: str, options: dict[str, Any], *, what: str) -> str:
    """Resolve ``name`` in the unfiltered projection of the same view (so a filter that
    hides an entity gives an empty answer, not an unknown name)."""
    whole = projection(target, Filters(view=options.get("view", "actors")))
    return resolve(whole, name, what=what)


def shared_projection(*, graph: Any = None, **options: Any) -> nx.MultiDiGraph:
    """The projection :func:`project` copies: the one kept for every caller of this
    process, to read and never change (copying it only to read it took a second at 10,000
    articles)."""
    return _projected(graph, options)[1]


def project(*, graph: Any = None, view: str = "actors", as_of: Any = None,
            reported_by: Any = None, source: str | None = None,
            node_types: Iterable[str] = (), page_size: int | str | None = AUTO,
            top: int | None = None) -> nx.MultiDiGraph:
    """The network projection as a :class:`networkx.MultiDiGraph` (a copy: yours to change).

    The store is read once per loaded graph, each query's answer in pages of ``page_size``
    rows (``None``: whole; ``"auto"``, the default: whole from an embedded store, in pages
    of 10,000 rows from a remote one); the projection is the same whatever the page size.
    With ``top``, only the ``top`` most connected nodes (the most distinct neighbours in
    the filtered projection; ties by label, then IRI) and the edges among them: an overview
    of a graph too large to draw whole.

    >>> g = project(as_of="2005-01-01")
    >>> any(d["label"] == "Designation" for *_, d in g.edges(data=True))
    False
    >>> project(top=3).number_of_nodes()
    3
    """
    options = dict(view=view, as_of=as_of, reported_by=reported_by, source=source,
                   node_types=node_types)
    _, projected = _projected(graph, options, page_size=page_size)
    if top is not None:
        projected = most_connected(projected, top)
    return projected.copy()


def search(text: str, *, limit: int = 10, graph: Any = None, view: str = "actors",
           as_of: Any = None, reported_by: Any = None, source: str | None = None,
           node_types: Iterable[str] = ()) -> Matches:
    """Entities whose label or alternative label match ``text``, best first (fuzzy; case,
    accents, hyphens and spacing ignored).

    >>> search("almalik")[0].label
    'Salim bin Mohammed Al-Malik'
    """
    if not isinstance(text, str):
        raise ParameterError(f"q (the text to search for) must be text, not {text!r}")
    if not text.strip():
        raise ParameterError("q (the text to search for) is empty")
    at_least(limit, "limit", 1)
    _, projected = _projected(graph, dict(view=view, as_of=as_of, reported_by=reported_by,
                                          source=source, node_types=node_types))
    return search_names(projected, text, limit=limit)


def neighbors(entity: str, *, radius: int = 1, max_nodes: int = 500, graph: Any = None,
              view: str = "actors", as_of: Any = None, reported_by: Any = None,
              source: str | None = None, node_types: Iterable[str] = ()) -> Neighbourhood:
    """The entities within ``radius`` hops of ``entity``, and the edges among them; past
    ``max_nodes`` entities, the nearest and most connected (``reached`` says how many the
    radius reaches).

    >>> sorted(n["label"] for n in neighbors("Burkina Faso").nodes)
    ['Burkina Faso', 'Project supporting displaced girls and orphanages in Burkina Faso']
    """
    options = dict(view=view, as_of=as_of, reported_by=reported_by, source=source,
                   node_types=node_types)
    target, projected = _projected(graph, options)
    center = _entity(target, entity, options, what="entity")
    if center not in projected:  # left out by the filters: said, as a path's end is
        return Neighbourhood(center=center, radius=radius,
                             absent=_absent(target, view, [center], projected,
                                            reported_by=reported_by))
    return neighbourhood(projected, center, radius=radius, max_nodes=max_nodes)


def paths(start: str, end: str, *, max_hops: int = 4, limit: int = 10, shortest: bool = False,
          graph: Any = None, view: str = "actors", as_of: Any = None, reported_by: Any = None,
          source: str | None = None, node_types: Iterable[str] = ()) -> Paths:
    """How ``start`` is connected to ``end``: simple paths of at most ``max_hops`` hops,
    each hop with its edges' labels, dates, sources and quotes; ranked by fewer hops, then
    more sources, then fewer inferred dates. ``shortest=True`` keeps the shortest only.
    An end the filters leave out of the graph is in ``absent``; ``fewest_hops`` is the
    number of hops of the shortest connection, however long (``None``: nothing connects
    them), which says why there is no path within ``max_hops``.

    >>> len(paths("Leyla Aliyeva", "Burkina Faso", shortest=True)[0].hops)
    4
    """
    options = dict(view=view, as_of=as_of, reported_by=reported_by, source=source,
                   node_types=node_types)
    target, projected = _projected(graph, options)
    a = _entity(target, start, options, what="start entity")
    b = _entity(target, end, options, what="end entity")
    found = find_paths(projected, a, b, max_hops=max_hops, limit=limit, shortest=shortest)
    found.absent = _absent(target, view, [a, b], projected, reported_by=reported_by)
    return found


def _absent(graph: Any, view: str, ends: list[str], projected: nx.MultiDiGraph, *,
            reported_by: Any = None) -> list[dict[str, Any]]:
    """The ``ends`` (entities found in ``graph``'s unfiltered ``view``) that the filters
    leave out of ``projected``, with their labels: why a path or a neighbourhood is
    empty. With ``reported_by``, each also says when an article first mentioned it
    (``first_reported``, the earliest issue date; ``None``: no article does)."""
    whole = projection(graph, Filters(view=view))
    left_out = [{"iri": iri, "label": whole.nodes[iri]["label"]} for iri in ends
                if iri not in projected]
    if reported_by is not None and left_out:
        raw = raw_of(graph)
        for end in left_out:
            issued = [raw.articles[g]["issued"] for g in raw.mentions.get(end["iri"], ())
                      if g in raw.articles and raw.articles[g]["issued"]]
            end["first_reported"] = min(issued, default=None)
    return left_out


def centrality(*, by: str = "betweenness", limit: int | None = None, engine: str = "auto",
               graph: Any = None, view: str = "actors", as_of: Any = None,
               reported_by: Any = None, source: str | None = None,
               node_types: Iterable[str] = ()) -> Table:
    """Degree, betweenness and PageRank of each node, highest ``by`` first. ``engine``
    computes betweenness: ``"networkx"`` (the reference), ``"igraph"`` (fast, same
    figures) or ``"auto"`` (igraph on large graphs; see :mod:`kg.analysis.engines`).
    The whole graph's measures are computed once per process, or read where a server, a
    command or a notebook kept them: computed for a graph with a saved projection (a
    store folder's, or one kept in kg's cache), they are kept beside it for the next
    (:mod:`kg.analysis.kept_measures`). Sorted by degree or PageRank, a large
    graph (past :data:`~kg.analysis.measures.QUICK_BETWEENNESS`) has betweenness ``None``
    unless it is known: exact betweenness there takes minutes (sort by it to have it).

    >>> centrality(limit=1)[0]["label"]
    'ICESCO'
    """
    _check_limit(limit)
    target, projected = _projected(graph, dict(view=view, as_of=as_of,
                                               reported_by=reported_by, source=source,
                                               node_types=node_types))
    whole = projected is projection(target, Filters())
    # the whole graph's, if a server, a command or a notebook kept them
    known = whole and recall_kept(target, projected)
    table = centrality_table(projected, by=by, limit=limit, engine=engine)
    if whole and not known:
        keep(target, projected)  # computed now: kept for the next, if it has a place
    return table


def communities(*, kind: str = "louvain", via: str | None = None, seed: int = SEED,
                engine: str = "auto", limit: int | None = None, members: int | None = None,
                graph: Any = None,
                view: str = "actors", as_of: Any = None, reported_by: Any = None,
                source: str | None = None, node_types: Iterable[str] = ()) -> Table:
    """Groups in the network: ``kind="louvain"`` communities (seeded, so they repeat),
    ``"components"``, ``"brokers"`` (articulation points and bridges) or
    ``"coaffiliation"`` (people sharing an organization, organizations sharing a person
    or an agreement; ``via`` keeps the pairs through one entity). ``engine`` runs Louvain:
    ``"networkx"`` (the reference), ``"igraph"`` (fast; a partition of the same quality,
    not always the same one) or ``"auto"`` (igraph on large graphs; see
    :mod:`kg.analysis.engines`). ``limit``: the first rows only (groups come largest
    first), ``total`` saying how many there are. ``members``: with ``"louvain"`` or
    ``"components"``, list at most that many members of each group, its most connected
    (still in label order; ``size`` counts them all).

    >>> sorted((r["first_label"], r["second_label"]) for r in
    ...        communities(kind="coaffiliation", via="Heydar Aliyev Foundation"))
    [('Anar Alakbarov', 'Leyla Aliyeva'), ('Anar Alakbarov', 'Mehriban Aliyeva'), ('Leyla Aliyeva', 'Mehriban Aliyeva')]
    """
    if kind not in COMMUNITY_KINDS:
        raise ParameterError(f"kind must be one of {', '.join(COMMUNITY_KINDS)}, not {kind!r}")
    if via and kind != "coaffiliation":  # else the groups would be those of the whole graph
        raise ParameterError(f"via keeps the co-affiliation pairs through one entity: it goes "
                             f"with kind 'coaffiliation', not {kind!r}")
    if members is not None and kind not in GROUP_KINDS:
        raise ParameterError(f"members cuts the member lists of groups: it goes with kind "
                             f"'louvain' or 'components', not {kind!r}")
    _check_limit(limit)
    if members is not None:
        at_least(members, "members", 1)
    options = dict(view=view, as_of=as_of, reported_by=reported_by, source=source,
                   node_types=node_types)
    target, projected = _projected(graph, options)
    if kind in GROUP_KINDS:
        groups = community_table(projected, seed=seed, engine=engine) if kind == "louvain" \
            else component_table(projected)
        return most_connected_members(groups.cut(limit), projected, members)
    if kind == "brokers":
        return broker_table(projected).cut(limit)
    hub = _entity(target, via, options, what="entity") if via else None
    return coaffiliation_table(projected, via=hub).cut(limit)


def _check_limit(limit: Any) -> None:
    """An optional ``limit`` (None: every row), checked."""
    if limit is not None:
        at_least(limit, "limit", 1)


def timeline(*, entity: str | None = None, start: Any = None, end: Any = None,
             years: bool = False, limit: int | None = None, graph: Any = None,
             view: str = "actors",
             as_of: Any = None, reported_by: Any = None, source: str | None = None,
             node_types: Iterable[str] = ()) -> Table:
    """Dated relationships, events and publications in date order, with precision and the
    inferred mark, between ``start`` and ``end`` (dates, months or years), about ``entity``.
    With ``years``, one row per year instead: how many of those dated facts it has, and
    how many of them are inferred (a timeline's overview, small at any size). ``limit``:
    the first rows only, ``total`` saying how many there are.

    >>> [r["date"] for r in timeline(start="2024-10-15", end="2024-10")]
    ['2024-10-15']
    >>> timeline(years=True, start="2006", end="2006").rows
    [{'year': '2006', 'count': 2, 'inferred': 0}]
    """
    if not isinstance(years, bool):
        raise ParameterError(f"years must be True or False, not {years!r}")
    _check_limit(limit)
    lower, upper = parse_when(start, name="start"), parse_when(end, name="end")
    if lower is not None and upper is not None and lower.start > upper.end:
        raise ParameterError(f"start {lower} is after end {upper}: no date lies between")
    options = dict(view=view, as_of=as_of, reported_by=reported_by, source=source,
                   node_types=node_types)
    target, projected = _projected(graph, options)
    filters = filters_for(target, **options)
    center = _entity(target, entity, options, what="entity") if entity else None
    kept = _Builder(raw_of(target), filters).kept
    table = timeline_table(projected, raw_of(target), entity=center, start=lower, end=upper,
                           kept_articles=kept)
    if years:
        return _by_year(table).cut(limit)
    table = table.cut(limit)  # (rows of their own: the table's are kept for the next call)
    return Table(table.name, table.columns, [dict(row) for row in table.rows], total=table.total)


def sources(text: str | None = None, *, limit: int | None = None, offset: int = 0,
            graph: Any = None) -> Table:
    """The source articles, oldest first: IRI, id, label, publisher, issue date. ``text``
    keeps those with each of its words at the start of a word of their id, label,
    publisher or date (case and accents aside); ``limit`` and ``offset`` take a page
    (``total``: how many there are in all, or that ``text`` keeps).

    >>> [a["issued"] for a in sources()]
    ['2024-05-11', '2024-10-15']
    >>> sources("october icesco")[0]["id"]
    '001_9e02c3f3c2711bf1'
    """
    found = articles(_graph(graph), text, limit=limit, offset=offset)
    return Table(name="sources", columns=list(COLUMNS), rows=found["articles"],
                 total=found["matched"])


def article(name: str, *, graph: Any = None) -> dict[str, Any]:
    """One source article (its id, ``src:`` CURIE or IRI): ``article`` (IRI), ``id``,
    ``label``, ``publisher``, ``publisher_label``, ``issued``, its ``text`` (None when
    its file is not with the graph) and the ``facts`` it states, by label, each with its
    IRI and the article's words (``quotes``). A name that is no article is an
    :class:`~kg.errors.UnknownEntity` naming the nearest.

    >>> found = article("000_b2925a6198033b1b")
    >>> found["issued"], len(found["facts"]) > 10
    ('2024-05-11', True)
    """
    from .articles import article as described

    return described(_graph(graph), name)


def _by_year(table: Table) -> Table:
    """The timeline ``table`` counted by year (its rows are in date order)."""
    counts: dict[str, dict[str, Any]] = {}
    for row in table:
        year = counts.setdefault(row["date"][:4], {"year": row["date"][:4], "count": 0,
                                                   "inferred": 0})
        year["count"] += 1
        year["inferred"] += bool(row["inferred"])
    return Table("timeline-years", ["year", "count", "inferred"], list(counts.values()))


def entity_facts(entity: str, *, graph: Any = None, reported_by: Any = None,
                 source: str | None = None) -> dict[str, Any]:
    """Everything the graph says about ``entity``, grouped by source: each article's
    statements about it, its words about it, and the facts it takes part in with their
    quotes; then the shared graphs (entities, vocabulary)."""
    target = _graph(graph)
    filters = filters_for(target, view="full", reported_by=reported_by, source=source)
    raw = raw_of(target)
    iri = _resolve_in_full_view(target, raw, entity)
    kept = _Builder(raw, filters).kept
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for g, direction, prop, prop_label, value, value_label in run(
            target, "entity-statements", entity=iri):
        grouped[g].append({"direction": direction, "property": prop,
                           # (rdf:type and other terms of no label: their local name)
                           "property_label": prop_label or local_name(prop), "value": value,
                           "value_label": value_label})
    sources, shared = [], []
    for g in sorted(grouped, key=lambda x: (raw.articles.get(x, {}).get("issued") or "~", x)):
        statements = sorted(grouped[g], key=lambda s: (s["direction"], s["property"],
                                                       s["value"]))
        if g in raw.articles:
            if g not in kept:
                continue
            meta = raw.articles[g]
            facts = sorted({s["value"] for s in statements
                            if s["direction"] == "in" and s["value"] in raw.stated_in})
            sources.append({
                "article": g, "label": meta["label"], "publisher": meta["publisher"],
                "publisher_label": meta["publisher_label"], "issued": meta["issued"],
                "quotes": list(raw.quotes.get(iri, {}).get(g, [])),
                "statements": statements,
                "facts": [{"fact": f, "label": raw.label(f),
                           "quotes": list(raw.quotes.get(f, {}).get(g, []))} for f in facts]})
        else:
            shared.append({"graph": g, "statements": statements})
    node = _Builder(raw, Filters(view="full")).node_attrs(iri)
    assert node is not None  # (unfiltered, every node has its attributes)
    return {"entity": {k: node[k] for k in ("iri", "label", "kind", "types", "alt_labels",
                                            "label_is_editorial")},
            "sources": sources, "shared": shared}


def _resolve_in_full_view(target: Any, raw: Raw, text: Any) -> str:
    """The node of the ``full`` view that ``text`` names (as :func:`resolve` finds it in
    that view), without building the view: that reads every statement of the graph, past
    the server's time limit at 10,000 articles. The ``actors`` view (saved, shared) is
    asked first; then an IRI, CURIE or slug is a node of the full view when a statement
    the view draws is about it, and a name is one if it is the label or an alternative
    label of exactly one resource."""
    actors = projection(target, Filters())
    try:
        return resolve(actors, text, what="entity")
    except UnknownEntity as missing:
        unknown = missing
    excluded = {row[0] for row in run(target, "excluded-properties")}

    def is_node(node: str) -> bool:
        return node in raw.node_classes or _draws_edges_of(target, node, excluded)

    def named(folded: str) -> set[str]:
        found = {node for node, label in raw.labels.items() if fold(label) == folded}
        found |= {node for node, alts in raw.alt_labels.items()
                  if any(fold(alt) == folded for alt, _graph in alts)}
        return {node for node in found if is_node(node)}

    found = pick(text.strip(), known=is_node, named=named, label=raw.label)
    if found is None:
        raise unknown
    return found


def _draws_edges_of(target: Any, iri: str, excluded: set[str]) -> bool:
    """Whether the full view draws a statement about ``iri`` (all-edges.rq's, less the
    ``excluded`` properties: excluded-properties.rq's)."""
    return any(row[0] not in excluded
               for row in run(target, "full-view-edges-of", resource=URIRef(iri)))


def entity(name: str, *, graph: Any = None, reported_by: Any = None,
           source: str | None = None) -> Entity:
    """Everything the graph says about ``name`` (label, alternative label, IRI, CURIE or
    slug), by source, with the articles' words (:func:`entity_facts` as an :class:`Entity`).

    >>> e = entity("Salim bin Mohammed Almalik")
    >>> e.label, [s["issued"] for s in e.sources]
    ('Salim bin Mohammed Al-Malik', ['2024-05-11', '2024-10-15'])
    """
    facts = entity_facts(name, graph=graph, reported_by=reported_by, source=source)
    return Entity(entity=facts["entity"], sources=facts["sources"], shared=facts["shared"])
