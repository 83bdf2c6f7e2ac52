"""What the web application works with: the loaded graph, its named queries, the limits.

One :class:`Service` is made by :func:`kg.web.create_app` and kept in
``app.extensions["kg"]``. Its two methods run a SPARQL text or a named query inside
:func:`kg.execute.run_bounded`: the forked worker parses, checks, evaluates, caps and
serializes; the request thread receives finished bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import current_app

from ..execute import Limits, run_bounded, run_job
from ..load import KnowledgeGraph
from ..queries import NamedQuery, named_query, queries, run_prepared
from ..results import QueryResult, ResultFormat
from ..sparql_guard import prepare
from .negotiate import HTML, Choice, NotAcceptable, canonical, choose

__all__ = ["Service", "service", "Answer", "records_json"]

T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    """A finished response body and its media type."""

    media_type: str
    body: bytes


@dataclass
class Service:
    """The loaded graph, its named queries and the limits every query runs under."""

    graph: KnowledgeGraph
    limits: Limits
    named: dict[str, NamedQuery] = field(default_factory=dict)

    @classmethod
    def start(cls, graph: KnowledgeGraph, limits: Limits) -> Service:
        """Read the named queries and parse each once (the workers inherit the parses)."""
        catalogue = {q.name: q for q in queries(folder=graph.bundle.queries)}
        names = graph.store.graph_names()
        for query in catalogue.values():
            query.prepared(names)
        return cls(graph=graph, limits=limits, named=catalogue)

    @property
    def graph_names(self) -> list[Any]:
        return self.graph.store.graph_names()

    def named_query(self, name: str) -> NamedQuery:
        if name in self.named:
            return self.named[name]
        return named_query(name, folder=self.graph.bundle.queries)  # raises UnknownQueryError

    def run_sparql(self, text: str, choice: Choice, *, default_graph_uris: Sequence[str] = (),
                   named_graph_uris: Sequence[str] = ()) -> Answer:
        """Run a SPARQL query text as the protocol asks; answer in the chosen format."""
        graph, limits, names = self.graph, self.limits, self.graph_names

        def job() -> Answer:
            prepared = prepare(text, graphs=names, default_graph_uris=default_graph_uris,
                               named_graph_uris=named_graph_uris)
            fmt = choose(choice, prepared.kind)
            if fmt == HTML or not isinstance(fmt, ResultFormat):
                raise NotAcceptable("HTML is not offered for query results",
                                    offered=canonical(prepared.kind))
            result = run_prepared(graph, prepared, max_rows=limits.max_rows)
            return Answer(fmt.media_type, result.serialize(fmt))

        return self._bounded(job)

    def run_named(self, name: str, params: Mapping[str, Any],
                  render: Callable[[NamedQuery, dict[str, Any], QueryResult], Answer]) -> Answer:
        """Run a named query with ``params`` (checked here, before any worker starts)."""
        query = self.named_query(name)
        bindings = query.bind(params)
        prepared = query.prepared(self.graph_names)
        graph, limits = self.graph, self.limits

        def job() -> Answer:
            result = run_prepared(graph, prepared, bindings=bindings, max_rows=limits.max_rows)
            return render(query, {k: str(v) for k, v in bindings.items()}, result)

        return self._bounded(job)

    def run(self, job: Callable[..., T], *args: Any) -> T:
        """Run ``job(graph, *args)`` within the service's limits: the bounded execution
        every route that runs a user's query or analysis goes through. ``job`` is a
        module-level function; its arguments and result must be picklable."""
        return run_job(self.graph, job, *args, limits=self.limits)

    def _bounded(self, job: Callable[[], Answer]) -> Answer:
        return run_bounded(job, timeout=self.limits.timeout, max_memory=self.limits.max_memory)


def service() -> Service:
    """The :class:`Service` of the current application."""
    return current_app.extensions["kg"]  # type: ignore[no-any-return]


def records_json(query: NamedQuery, params: dict[str, Any], result: QueryResult) -> bytes:
    """The JSON twin of a named query's answer."""
    rows = result.to_records()
    document = {"query": query.name, "title": query.title, "params": params,
                "kind": result.kind.value, "vars": result.vars, "count": len(rows),
                "rows": rows}
    return json.dumps(document, ensure_ascii=False, indent=1, default=_plain).encode("utf-8")


def _plain(value: Any) -> Any:
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return isoformat()
    return str(value)

