"""The methods a graph offers an analyst: ``graph.query(...)``, ``graph.paths(...)`` ...

:class:`GraphMethods` is the one small façade shared by a loaded graph
(:class:`~kg.load.KnowledgeGraph`, from :func:`kg.load`) and a remote one
(:class:`~kg.remote.RemoteGraph`, from :func:`kg.connect`). Each method is the module-level
function of the same name (:func:`kg.query`, :func:`kg.paths` ...) with ``graph=self``:
there is no second implementation. The functions are imported when called, so this module
sits low in the layers and imports nothing heavy.

Every method, on the bundled graph (one example for all, so the graph loads once; a
remote graph from ``kg.connect(url)`` answers the same):

>>> import kg
>>> g = kg.load()
>>> g.query("cq07-member-since").to_records()[0]["since"]
'1991'
>>> posts = g.query("cq03-posts-at-organization", organization="kgr:icesco").to_df()
>>> posts["personLabel"].tolist()
['Salim bin Mohammed Al-Malik']
>>> g.search("Al Malik")[0].label
'Salim bin Mohammed Al-Malik'
>>> [s["issued"] for s in g.entity("Salim bin Mohammed Almalik").sources][:2]
['2024-05-11', '2024-10-15']
>>> "Salim bin Mohammed Al-Malik" in g.neighbors("ICESCO").to_df()["label"].tolist()
True
>>> g.paths("Leyla Aliyeva", "Burkina Faso", shortest=True)[0].labels[-1]
'Burkina Faso'
>>> g.centrality(limit=3).to_df().columns.tolist()
['iri', 'label', 'kind', 'degree', 'betweenness', 'pagerank']
>>> ["Leyla Aliyeva", "Mehriban Aliyeva"] in g.communities(
...     kind="coaffiliation", via="Heydar Aliyev Foundation").to_df()[
...     ["first_label", "second_label"]].values.tolist()
True
>>> g.timeline(entity="Leyla Aliyeva")[0]["date"]
'2024-10-14'
>>> g.sources("Trend May 2024")[0]["label"]
'Trend, 11 May 2024: Heydar Aliyev Foundation and ICESCO sign a memorandum of cooperation in Shusha'
>>> burkina = "https://w3id.org/kg/id/project-burkina-faso-displaced-girls"
>>> g.project(reported_by="2024-06-01").has_node(burkina), g.project().has_node(burkina)
(False, True)
>>> g.project(as_of="2006").number_of_edges() < g.project(as_of="2024").number_of_edges()
True
>>> g.project(view="full").number_of_nodes() > g.project().number_of_nodes()
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from .analysis.model import Entity, Matches, Neighbourhood, Paths, Table
    from .queries import NamedQuery
    from .results import QueryResult

__all__ = ["GraphMethods"]


class GraphMethods:
    """Query and analysis methods over ``self`` (which has ``store`` and ``bundle``).

    Every option is keyword-only. The filters ``view``, ``as_of``, ``reported_by``,
    ``source`` and ``node_types`` mean what they mean in :mod:`kg.analysis.public`.
    """

    def query(self, name_or_text: str, /, **params: Any) -> QueryResult:
        """Run a named query (by name) or a SPARQL text with ``params`` bound (kg's
        prefixes declared); ``.to_df()`` of the result is a DataFrame. Example: the
        module's."""
        from .queries import query

        return query(name_or_text, graph=self, **params)  # type: ignore[arg-type]

    def queries(self) -> list[NamedQuery]:
        """The named queries this graph answers (its bundle's queries folder)."""
        from .queries import queries

        return queries(folder=self.bundle.queries)  # type: ignore[attr-defined]

    def search(self, text: str, *, limit: int = 10, view: str = "actors", as_of: Any = None,
               reported_by: Any = None, source: str | None = None,
               node_types: Iterable[str] = ()) -> Matches:
        """Entities whose names match ``text``, best first (see :func:`kg.search`)."""
        from .analysis.public import search

        return search(text, limit=limit, graph=self, view=view, as_of=as_of,
                      reported_by=reported_by, source=source, node_types=node_types)

    def entity(self, name: str, *, reported_by: Any = None, source: str | None = None,
               ) -> Entity:
        """Everything the graph says about one entity, by source, with quotes (an unknown
        name raises :class:`~kg.errors.UnknownEntity` with suggestions)."""
        from .analysis.public import entity

        return entity(name, graph=self, reported_by=reported_by, source=source)

    def neighbors(self, entity: str, *, radius: int = 1, max_nodes: int = 500,
                  view: str = "actors", as_of: Any = None, reported_by: Any = None,
                  source: str | None = None, node_types: Iterable[str] = ()) -> Neighbourhood:
        """The entities within ``radius`` hops of ``entity`` (see :func:`kg.neighbors`)."""
        from .analysis.public import neighbors

        return neighbors(entity, radius=radius, max_nodes=max_nodes, graph=self, view=view,
                         as_of=as_of, reported_by=reported_by, source=source,
                         node_types=node_types)

    def paths(self, start: str, end: str, *, max_hops: int = 4, limit: int = 10,
              shortest: bool = False, view: str = "actors", as_of: Any = None,
              reported_by: Any = None, source: str | None = None,
              node_types: Iterable[str] = ()) -> Paths:
        """How ``start`` is connected to ``end``, each hop cited (see :func:`kg.paths`)."""
        from .analysis.public import paths

        return paths(start, end, max_hops=max_hops, limit=limit, shortest=shortest,
                     graph=self, view=view, as_of=as_of, reported_by=reported_by,
                     source=source, node_types=node_types)

    def centrality(self, *, by: str = "betweenness", limit: int | None = None,
                   view: str = "actors", as_of: Any = None, reported_by: Any = None,
                   source: str | None = None, node_types: Iterable[str] = ()) -> Table:
        """Degree, betweenness and PageRank (see :func:`kg.centrality`)."""
        from .analysis.public import centrality

        return centrality(by=by, limit=limit, graph=self, view=view, as_of=as_of,
                          reported_by=reported_by, source=source, node_types=node_types)

    def communities(self, *, kind: str = "louvain", via: str | None = None,
                    engine: str = "auto", limit: int | None = None,
                    members: int | None = None, view: str = "actors",
                    as_of: Any = None, reported_by: Any = None, source: str | None = None,
                    node_types: Iterable[str] = ()) -> Table:
        """Communities, components, brokers or co-affiliation, the first ``limit``, at most
        ``members`` listed of each group (see :func:`kg.communities`)."""
        from .analysis.public import communities

        return communities(kind=kind, via=via, engine=engine, limit=limit, members=members,
                           graph=self,
                           view=view, as_of=as_of, reported_by=reported_by, source=source,
                           node_types=node_types)

    def timeline(self, *, entity: str | None = None, start: Any = None, end: Any = None,
                 years: bool = False, limit: int | None = None, view: str = "actors",
                 as_of: Any = None, reported_by: Any = None, source: str | None = None,
                 node_types: Iterable[str] = ()) -> Table:
        """Dated facts in date order, precision and inferred marks kept; with ``years``,
        counted by year; the first ``limit`` (see :func:`kg.timeline`)."""
        from .analysis.public import timeline

        return timeline(entity=entity, start=start, end=end, years=years, limit=limit,
                        graph=self, view=view, as_of=as_of, reported_by=reported_by,
                        source=source, node_types=node_types)

    def sources(self, text: str | None = None, *, limit: int | None = None,
                offset: int = 0) -> Table:
        """The source articles, oldest first; ``text`` keeps those with each of its words
        (see :func:`kg.sources`)."""
        from .analysis.public import sources

        return sources(text, limit=limit, offset=offset, graph=self)

    def article(self, name: str) -> dict[str, Any]:
        """One source article with its text and the facts it states (see
        :func:`kg.article`)."""
        from .analysis.public import article

        return article(name, graph=self)

    def project(self, *, view: str = "actors", as_of: Any = None, reported_by: Any = None,
                source: str | None = None, node_types: Iterable[str] = (),
                top: int | None = None) -> nx.MultiDiGraph:
        """The network projection, a :class:`networkx.MultiDiGraph` of your own (see
        :func:`kg.project`; ``top``: only the most connected nodes and the edges among
        them)."""
        from .analysis.public import project

        return project(graph=self, view=view, as_of=as_of, reported_by=reported_by,
                       source=source, node_types=node_types, top=top)

    def show(self, *, entity: str | None = None, radius: int = 1, height: int = 480,
             view: str = "actors", as_of: Any = None, reported_by: Any = None,
             source: str | None = None, node_types: Iterable[str] = (),
             top: int | None = None) -> Any:
        """The projection (or the neighbourhood of ``entity``; ``top``: only the most
        connected nodes and the edges among them) as an interactive network in a notebook,
        with a static PNG twin (:class:`kg.widget.NetworkView`; needs ``kg[notebook]``). An
        ``entity`` the filters leave out draws nothing, with a warning saying so."""
        from .analysis.pathfinding import most_connected
        from .widget import show

        projected = self.project(view=view, as_of=as_of, reported_by=reported_by,
                                 source=source, node_types=node_types)
        if entity is not None:
            near = self.neighbors(entity, radius=radius, view=view, as_of=as_of,
                                  reported_by=reported_by, source=source,
                                  node_types=node_types)
            if near.absent:  # an empty picture, said why
                import warnings

                from .analysis.model import absent_text

                warnings.warn(f"{absent_text(near.absent)}: nothing to draw", stacklevel=2)
            projected = projected.subgraph([n["iri"] for n in near.nodes])
        if top is not None:
            projected = most_connected(projected, top)
        return show(projected, height=height)
