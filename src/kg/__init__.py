"""kg: a knowledge graph of organizations, people and agreements built from news reporting.

The public API is small; the CLI (``kg``) mirrors it command for command.

>>> import kg
>>> graph = kg.load()
>>> report = kg.validate()
>>> report.conforms
True
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: each public name and the module that defines it, imported on first use (PEP 562), so
#: that ``import kg`` and every ``kg`` command start without loading pandas, networkx and
#: pySHACL until they are needed
_HOMES = {
    "article": ".analysis.public",
    "centrality": ".analysis.public", "communities": ".analysis.public",
    "entity": ".analysis.public", "neighbors": ".analysis.public", "paths": ".analysis.public",
    "project": ".analysis.public", "search": ".analysis.public", "sources": ".analysis.public",
    "timeline": ".analysis.public",
    "NewArticle": ".article", "new_article": ".article",
    "serve_in_background": ".background",
    "BuildResult": ".build", "build": ".build",
    "Contradiction": ".contradictions", "contradictions": ".contradictions",
    "KgError": ".errors",
    "KnowledgeGraph": ".load", "load": ".load",
    "NamedQuery": ".queries", "queries": ".queries", "query": ".queries",
    "RemoteGraph": ".remote", "connect": ".remote", "open_remote": ".remote_store",
    "QueryResult": ".results", "ResultFormat": ".results",
    "Report": ".validate", "validate": ".validate",
}

if TYPE_CHECKING:  # what type checkers and editors see
    from .analysis.public import (
        article,
        centrality,
        communities,
        entity,
        neighbors,
        paths,
        project,
        search,
        sources,
        timeline,
    )
    from .article import NewArticle, new_article
    from .background import serve_in_background
    from .build import BuildResult, build
    from .contradictions import Contradiction, contradictions
    from .errors import KgError
    from .load import KnowledgeGraph, load
    from .queries import NamedQuery, queries, query
    from .remote import RemoteGraph, connect
    from .remote_store import open_remote
    from .results import QueryResult, ResultFormat
    from .validate import Report, validate

__all__ = ["__version__", "KgError", "KnowledgeGraph", "load", "validate", "Report", "build",
           "BuildResult", "query", "queries", "NamedQuery", "QueryResult", "ResultFormat",
           "project", "search", "neighbors", "paths", "centrality", "communities", "timeline",
           "sources", "article",
           "new_article", "NewArticle", "contradictions", "Contradiction",
           "entity", "connect", "RemoteGraph", "open_remote", "serve_in_background"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value  # once imported, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """``kg`` itself: importing a submodule that shares a public function's name
    (``kg.validate``, ``kg.load``, ``kg.build``, ``kg.queries``, ``kg.contradictions``)
    leaves ``kg.validate`` the function, as the API promises."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _HOMES and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
