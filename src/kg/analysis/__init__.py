"""Relationship analysis: the graph projected to networkx, with a source on every edge.

One module per concern, in the order the data flows:

* :mod:`.reading` -- the SPARQL (``sparql/*.rq``) that reads what the projection needs, through
  the :class:`~kg.store.Store` seam only;
* :mod:`.timefilter` -- dates with their precision, and the ``as_of`` / ``reported_by`` rules;
* :mod:`.projection` -- the ``actors`` and ``full`` views as a :class:`networkx.MultiDiGraph`,
  driven by the ontology's ``kg:networkNode`` / ``kg:networkEdge`` / ``kg:edgeSource`` ...;
* :mod:`.matching` -- fuzzy entity search and resolving a name to one entity;
* :mod:`.pathfinding` -- neighbours, shortest and simple paths, each hop explained;
* :mod:`.measures` -- centralities, communities, components, brokers, co-affiliation;
* :mod:`.chronology` -- the timeline;
* :mod:`.exporters` -- GraphML, GEXF, Cytoscape JSON, CSV;
* :mod:`.model` -- the small typed results (``.to_df()``, ``.to_json()``);
* :mod:`.public` -- the functions :mod:`kg` exports (``kg.search``, ``kg.paths`` ...);
* :mod:`.jobs` -- the same work as picklable jobs for bounded execution (CLI and HTTP).

No module here bears the name of a public function, so nothing shadows anything.
"""
