"""The data cut into chunks of focus nodes, each with the statements its results read.

rudof's time on one graph grows faster than the graph (at 1,000 articles it takes
twelve times as long as at 100; at 10,000 it needs gigabytes), so :mod:`kg.validate`
hands it the data in chunks of a few thousand statements: each chunk is a set of focus
nodes and their *neighbourhood*, and only the results on the chunk's own focus nodes are
kept. Chunks are independent (rudof releases the GIL: two run at once on two cores).

Why the union of the chunks' results equals the whole graph's. Every subject of the data,
and every object of a ``sh:targetObjectsOf`` property, is the focus node of exactly one
chunk; a node that is neither is the focus node of no core shape (a ``sh:targetNode``
that names nothing in the data is put in the first chunk). (A literal that is the object
of a ``sh:targetObjectsOf`` property, or a ``sh:targetNode`` that is not an IRI, is a focus
node too, named by rudof its own way: data or shapes that have one are validated whole.) A chunk holds, for each of its
focus nodes ``f``:

* every statement whose subject is ``f`` (its types decide ``sh:targetClass``, its
  properties ``sh:targetSubjectsOf`` and the values on each path);
* every statement of a ``sh:targetObjectsOf`` property whose object is ``f``;
* the types (``rdf:type``) of every value of ``f``;

and every ``rdfs:subClassOf`` statement of the data and the ontology. That is everything a
core shape's result on ``f`` reads when the shapes are *local* (:func:`local`): each path
is one property, only a targeted shape or a property shape directly under one has a path,
and the parameters are those of :data:`LOCAL` — a value's ``sh:class`` (also inside
``sh:or``, ``sh:not``, ``sh:qualifiedValueShape``) reads its types and the subclass
statements; a datatype, a pattern, a count reads the values themselves. kg's shapes are
local; a shapes file that is not is validated over the whole graph, in one piece
(:func:`chunks` then yields it whole). A result on a node that is not a focus node of the
chunk (a value, seen with only part of its statements) is dropped: that node's own chunk
reports it.

The statements are cut as N-Triples text, line by line, with no RDF term built: the
subject is the line's first token, the object what follows the predicate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

__all__ = ["LOCAL", "Chunk", "chunks", "local"]

#: the SHACL parameters (of the core shapes kg's shapes use) with which a result on a focus
#: node reads only the focus node's own statements, the statements of a
#: ``sh:targetObjectsOf`` property that name it, and the types of its values; the others
#: of the ``sh:`` namespace (``sh:node``, ``sh:equals``, ``sh:closed`` …) may read farther
LOCAL = frozenset({
    SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.path,
    SH.property, SH["class"], SH.datatype, SH.minCount, SH.maxCount, SH["or"], SH["not"],
    SH.pattern, SH.flags, SH.languageIn, SH.nodeKind, SH.minInclusive, SH.maxInclusive,
    SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength, SH["in"], SH.hasValue,
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.message,
    SH.severity, SH.name, SH.description, SH.deactivated, SH.order, SH.group,
    SH.declare, SH.prefix, SH.namespace, SH.prefixes})

_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"

#: one chunk: its N-Triples (UTF-8) and its focus nodes, as N-Triples terms (``None``: the
#: whole data, every result kept)
Chunk = tuple[bytes, frozenset[str] | None]


def local(shapes: Graph) -> bool:
    """True when a core shape's result on a node reads only the node's neighbourhood (see
    the module's docstring): parameters of :data:`LOCAL` only, paths of one property, and
    paths only on targeted shapes and the property shapes directly under them."""
    if any(str(p).startswith(str(SH)) and p not in LOCAL for p in shapes.predicates()):
        return False
    if any(not isinstance(o, URIRef) for o in shapes.objects(None, SH.path)):
        return False
    targeted = {s for t in _TARGETS for s in shapes.subjects(t)}
    direct = {o for s in targeted for o in shapes.objects(s, SH.property)}
    return all(s in targeted or s in direct for s in shapes.subjects(SH.path)) and all(
        s in targeted for s in shapes.subjects(SH.property))


def _token(node: URIRef) -> str:
    return f"<{node}>"


def chunks(ntriples: bytes, shapes: Graph, *, size: int) -> Iterator[Chunk]:
    """``ntriples`` (the data with the ontology, one triple a line) in chunks of focus
    nodes with their neighbourhoods, each of about ``size`` statements of its own; the
    whole in one chunk, with every node kept, when ``shapes`` is not :func:`local` or the
    data is not larger than ``size``."""
    lines = ntriples.splitlines(keepends=True)
    if len(lines) <= size or not local(shapes) or any(
            not isinstance(n, URIRef) for n in shapes.objects(None, SH.targetNode)):
        yield ntriples, None
        return
    incoming = {_token(p) for p in shapes.objects(None, SH.targetObjectsOf)
                if isinstance(p, URIRef)}
    own: dict[str, list[bytes]] = defaultdict(list)
    named: dict[str, list[bytes]] = defaultdict(list)  # by a targetObjectsOf property
    types: dict[str, list[bytes]] = defaultdict(list)
    values: dict[str, list[str]] = defaultdict(list)
    subclass: list[bytes] = []
    for raw in lines:
        line = raw.decode("utf-8")
        if not line.strip():
            continue
        subject, predicate, rest = line.split(" ", 2)
        obj = rest.rstrip()[:-1].rstrip()  # less the final " ."
        own[subject].append(raw)
        if predicate == _TYPE:
            types[subject].append(raw)
        elif predicate == _SUBCLASS:
            subclass.append(raw)
        if obj[0] in "<_":
            values[subject].append(obj)
            if predicate in incoming:
                named[obj].append(raw)
        elif predicate in incoming:  # a literal focus node: rudof names it its own way
            yield ntriples, None
            return
    nodes = list(own) + [o for o in named if o not in own]
    extra = [_token(n) for n in shapes.objects(None, SH.targetNode)
             if isinstance(n, URIRef) and _token(n) not in own and _token(n) not in named]
    shared = b"".join(subclass)

    def chunk(focus: list[str], part: list[bytes], seen: set[str]) -> Chunk:
        # the types of the values that are not focus nodes here (those are in already)
        typed = {v for node in focus for v in values.get(node, ()) if v not in seen}
        return shared + b"".join(part) + b"".join(
            line for value in typed for line in types.get(value, ())), frozenset(focus)

    focus: list[str] = extra
    part: list[bytes] = []
    seen: set[str] = set()
    for node in nodes:
        focus.append(node)
        if node in own:
            seen.add(node)
            part += own[node]
        part += named.get(node, ())
        if len(part) >= size:
            yield chunk(focus, part, seen)
            focus, part, seen = [], [], set()
    if focus:
        yield chunk(focus, part, seen)
