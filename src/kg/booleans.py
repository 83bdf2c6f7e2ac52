"""Booleans that a SPARQL server answered as integers, given back as booleans.

SPARQL 1.1 gives ``EXISTS { … }``, comparisons, ``&&``, ``||``, ``!``, ``BOUND``,
``isIRI`` and the other tests an ``xsd:boolean`` value. Virtuoso 7.2 answers each of them
as an ``xsd:integer`` 0 or 1, so that a ``dateInferred`` bound by ``EXISTS`` would read as
the number 1 rather than ``True``. The query itself says which of its variables hold such
a value: :func:`boolean_variables` reads them from its algebra, and
:func:`standard_booleans` turns *their* integers 0 and 1 into ``false`` and ``true``. No
other value is touched: an integer of any other variable (a count, a year) stays as the
server sent it, and an answer with no integer 0 or 1 in it is given back unread.

>>> sorted(boolean_variables("SELECT ?n ?known WHERE { ?s ?p ?n "
...                          "BIND (EXISTS { ?s a ?t } AS ?known) }"))
['known']
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from rdflib import Literal, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

from .namespaces import PREFIXES

__all__ = ["boolean_variables", "standard_booleans"]

#: the algebra's names of the expressions whose value is always an xsd:boolean
_BOOLEAN = frozenset({
    "Builtin_EXISTS", "Builtin_NOTEXISTS", "RelationalExpression", "ConditionalAndExpression",
    "ConditionalOrExpression", "UnaryNot", "Builtin_BOUND", "Builtin_isIRI", "Builtin_isURI",
    "Builtin_isBLANK", "Builtin_isLITERAL", "Builtin_isNUMERIC", "Builtin_REGEX",
    "Builtin_sameTerm", "Builtin_LANGMATCHES", "Builtin_CONTAINS", "Builtin_STRSTARTS",
    "Builtin_STRENDS",
})
#: aggregates whose value is one of their argument's values
_PASSING = frozenset({"Aggregate_Sample", "Aggregate_Min", "Aggregate_Max"})
#: the datatypes a server may give a boolean it answers as a number
_INTEGERS = frozenset({XSD.integer, XSD.int})
_BITS = {"0": Literal(False), "1": Literal(True)}


def boolean_variables(query: Any) -> frozenset[str]:
    """The names of the variables that ``query`` (SPARQL text, or a query rdflib parsed)
    binds to an ``xsd:boolean``: with ``BIND``, ``AS`` or ``GROUP BY (… AS ?v)`` to a test,
    to ``true`` or ``false``, to ``IF`` / ``COALESCE`` of booleans, or to ``SAMPLE``,
    ``MIN`` or ``MAX`` of such a variable."""
    algebra = _algebra(query) if isinstance(query, str) else query.algebra
    bound: list[tuple[Variable, Any]] = []
    for node in _nodes(algebra):
        if node.name == "Extend":
            bound.append((node["var"], node["expr"]))
        elif node.name in _PASSING:
            bound.append((node["res"], node["vars"]))
    booleans: set[Variable] = set()
    grown = True
    while grown:  # a variable bound to a boolean variable is one too
        before = len(booleans)
        booleans.update(var for var, expr in bound if _is_boolean(expr, booleans))
        grown = len(booleans) > before
    # (rdflib names the aggregates' own values __agg_N__: no answer has such a column)
    return frozenset(str(var) for var in booleans if not str(var).startswith("__"))


def standard_booleans(result: Result, query: Any) -> Result:
    """``result`` (the answer to ``query``, text or parsed), its integers 0 and 1 turned
    into ``false`` and ``true`` where ``query`` binds a boolean (see the module's
    documentation); changed in place, and given back."""
    if result.type != "SELECT" or not any(
            _is_bit(value) for row in result.bindings for value in row.values()):
        return result
    try:
        booleans = [Variable(name) for name in boolean_variables(query)]
    except Exception:  # noqa: BLE001 - a text in a server's own dialect, which rdflib
        return result  # cannot read: nothing is known of its variables, its answer as sent
    if booleans:
        result.bindings = [_with_booleans(row, booleans) for row in result.bindings]
    return result


def _with_booleans(row: Any, booleans: list[Variable]) -> Any:
    if not any(_is_bit(row.get(var)) for var in booleans):
        return row
    fixed = dict(row)
    for var in booleans:
        if _is_bit(fixed.get(var)):
            fixed[var] = _BITS[str(fixed[var])]
    return fixed


def _is_bit(value: Any) -> bool:
    return (isinstance(value, Literal) and value.datatype in _INTEGERS
            and str(value) in _BITS)


def _is_boolean(expr: Any, booleans: set[Variable]) -> bool:
    if isinstance(expr, Variable):
        return expr in booleans
    if isinstance(expr, Literal):
        return expr.datatype == XSD.boolean
    if not isinstance(expr, CompValue):
        return False
    if expr.name in _BOOLEAN:
        return True
    if expr.name == "Builtin_IF":
        return _is_boolean(expr["arg2"], booleans) and _is_boolean(expr["arg3"], booleans)
    if expr.name == "Builtin_COALESCE":
        return all(_is_boolean(arg, booleans) for arg in expr["arg"])
    return False


def _nodes(tree: Any) -> Iterator[CompValue]:
    """Every algebra node of ``tree``, depth first."""
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(dict.values(item))
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


@functools.lru_cache(maxsize=256)
def _algebra(text: str) -> Any:
    """The algebra of a query text, kg's prefixes declared (parsed once per text)."""
    return prepareQuery(text, initNs=dict(PREFIXES)).algebra
