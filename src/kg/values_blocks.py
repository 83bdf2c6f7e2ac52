"""Tables of terms written into kg's own SPARQL text as ``VALUES`` blocks, at marker lines.

kg's internal queries and updates (``src/kg/sparql/*.rq``) say where a table of terms
binds them with a comment line ``# VALUES <marker>`` (a plain ``# VALUES`` for the one
table of a text). :func:`at_markers` writes each table there, at every line with its
marker (each branch of a ``UNION`` may carry one), indented as the line was; a marker
given no table stays a comment. The terms are written by ``write``: ``str`` for
pyoxigraph's terms (their SPARQL form), :meth:`rdflib.term.Node.n3` for rdflib's.
(A named query's parameters are bound by :func:`kg.queries.with_values`, which also
finds a place for a query without a marker.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from .errors import QueryError

__all__ = ["Table", "at_markers"]

#: a ``VALUES`` table: its variables' names and its rows of terms
Table = tuple[Sequence[str], Iterable[Sequence[Any]]]


def at_markers(text: str, tables: Mapping[str, Table], *, write: Callable[[Any], str] = str,
               what: str = "a kg query") -> str:
    """``text`` with each of ``tables`` (marker -> table; ``""`` for a plain ``# VALUES``)
    written as a ``VALUES`` block at every line with its marker; raises
    :class:`~kg.errors.QueryError`, naming ``what``, when a marker has no line.

    A table of one variable is written in the one-variable form (``VALUES ?x { <a> <b> }``):
    rdflib's parser (which kg's endpoint checks every query with) reads a row in brackets
    nine times slower, 0.41 s against 0.045 s for the 1,024 graph names of a batch.

    >>> print(at_markers("SELECT * {\\n  # VALUES\\n  ?x ?p ?o }", {"": (["x"], [["<a>"]])}))
    SELECT * {
      VALUES ?x { <a> }
      ?x ?p ?o }
    >>> print(at_markers("# VALUES t", {"t": (["x", "y"], [["<a>", "1"], ["<b>", "2"]])}))
    VALUES (?x ?y) { (<a> 1) (<b> 2) }
    """
    for marker, (variables, rows) in tables.items():
        if len(variables) == 1:
            body = " ".join(write(term) for row in rows for term in row)
            block = f"VALUES ?{variables[0]} {{ {body} }}"
        else:
            body = " ".join(f"({' '.join(write(term) for term in row)})" for row in rows)
            block = f"VALUES ({' '.join(f'?{v}' for v in variables)}) {{ {body} }}"
        label = f"# VALUES {marker}" if marker else "# VALUES"
        text, count = re.subn(rf"^([ \t]*){re.escape(label)}[ \t]*$",
                              lambda line, block=block: line.group(1) + block, text,
                              flags=re.MULTILINE)
        if not count:
            raise QueryError(f"{what} has no '{label}' line")
    return text
