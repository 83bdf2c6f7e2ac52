"""kg: a knowledge graph of organizations, people and agreements built from news reporting.

The public API is small; the CLI (``kg``) mirrors it command for command.

>>> import kg
>>> graph = kg.load()
>>> report = kg.validate()
>>> report.conforms
True
"""

from __future__ import annotations

__version__ = "0.1.0"

from .analysis.public import (centrality, communities, entity, neighbors, paths,  # noqa: E402
                              project, search, timeline)
from .article import NewArticle, new_article  # noqa: E402
from .background import serve_in_background  # noqa: E402
from .build import BuildResult, build  # noqa: E402
from .contradictions import Contradiction, contradictions  # noqa: E402
from .errors import KgError  # noqa: E402
from .load import KnowledgeGraph, load  # noqa: E402
from .queries import NamedQuery, queries, query  # noqa: E402
from .remote import RemoteGraph, connect  # noqa: E402
from .results import QueryResult, ResultFormat  # noqa: E402
from .validate import Report, validate  # noqa: E402

__all__ = ["__version__", "KgError", "KnowledgeGraph", "load", "validate", "Report", "build",
           "BuildResult", "query", "queries", "NamedQuery", "QueryResult", "ResultFormat",
           "project", "search", "neighbors", "paths", "centrality", "communities", "timeline",
           "new_article", "NewArticle", "contradictions", "Contradiction",
           "entity", "connect", "RemoteGraph", "serve_in_background"]
