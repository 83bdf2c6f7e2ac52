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

Values are not validated (:func:`retarget`). A value of a focus node comes into the chunk
with its types, so rudof would take it as a focus node of every shape targeting one of its
classes, and report its missing label and the rest: work whose results are all dropped
(about half of the nodes of a chunk, at 10,000 articles). So, once per run, the shapes are
rewritten: each ``sh:targetClass C`` becomes ``sh:targetSubjectsOf M`` for a marker
property ``M`` of ``C`` (an IRI of the reserved ``urn:x-kg-chunk:`` namespace), and each
chunk gets one marker statement ``f M C`` for each of its own focus nodes ``f`` and each
targeted class ``C`` that ``f`` is an instance of (one of its types, or a subclass of one
by the chunk's ``rdfs:subClassOf`` statements, which are those of the whole data: the
SHACL instances rudof would target). The targets of a shape on a chunk are then its
targets before, less the values. The marker statements are read by no shape (no path,
target or parameter names a marker property; :func:`retarget` declines shapes with
``sh:closed`` or another parameter outside :data:`LOCAL`, or with implicit class targets),
so the results on the focus nodes, their focus node, shape, path and value, are the same;
no marker term can appear in a result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from .entail import reachable

__all__ = ["LOCAL", "MARKERS", "Chunk", "Retargeted", "chunks", "local", "retarget"]

#: the namespace of the marker properties (:func:`retarget`); never in a result
MARKERS = "urn:x-kg-chunk:focus-of-"

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


def _triple(raw: bytes) -> tuple[str, str, str]:
    """An N-Triples line's subject, predicate and object, as N-Triples terms (no RDF term
    built: the object is what follows the predicate, less the final ``" ."``)."""
    subject, predicate, rest = raw.decode("utf-8").split(" ", 2)
    return subject, predicate, rest.rstrip()[:-1].rstrip()


@dataclass(frozen=True)
class Retargeted:
    """Shapes whose class targets are marker properties (:func:`retarget`)."""

    #: the shapes, each ``sh:targetClass C`` replaced by ``sh:targetSubjectsOf`` C's marker
    shapes: Graph
    #: each targeted class (an N-Triples term) and its marker property (an N-Triples term)
    markers: Mapping[str, str]


def retarget(shapes: Graph) -> Retargeted | None:
    """``shapes`` with every ``sh:targetClass C`` replaced by ``sh:targetSubjectsOf`` a
    marker property of ``C`` (see the module's docstring), for :func:`chunks` to write
    the marker statements of each chunk's own focus nodes; ``None`` when the shapes are
    not :func:`local` (``sh:closed`` would read the markers), have no class target, or have
    a shape that is also a class (an implicit class target, left as it is)."""
    if not local(shapes):
        return None
    classes = sorted({c for c in shapes.objects(None, SH.targetClass) if isinstance(c, URIRef)},
                     key=str)
    if not classes or any(not isinstance(c, URIRef)
                          for c in shapes.objects(None, SH.targetClass)):
        return None
    if any((None, RDF.type, kind) in shapes for kind in (RDFS.Class, OWL.Class)):
        return None
    marker = {c: URIRef(f"{MARKERS}{n}") for n, c in enumerate(classes)}
    copy = Graph(namespace_manager=shapes.namespace_manager)
    for s, p, o in shapes:
        if p == SH.targetClass:
            copy.add((s, SH.targetSubjectsOf, marker[o]))  # type: ignore[index]
        else:
            copy.add((s, p, o))
    return Retargeted(copy, {_token(c): _token(m) for c, m in marker.items()})


def _supers(subclass: list[bytes]) -> dict[str, set[str]]:
    """Each class of the ``rdfs:subClassOf`` statements (N-Triples lines), with itself and
    its superclasses (transitively: :func:`kg.entail.reachable`)."""
    direct: dict[str, set[str]] = defaultdict(set)
    for raw in subclass:
        sub, _p, sup = _triple(raw)
        direct[sub].add(sup)
    return {start: {start, *ups} for start, ups in reachable(direct).items()}


def chunks(ntriples: bytes, shapes: Graph, *, size: int,
           retargeted: Retargeted | None = None) -> Iterator[Chunk]:
    """``ntriples`` (the data with the ontology, one triple a line) in chunks of focus
    nodes with their neighbourhoods, each of about ``size`` statements of its own; the
    whole in one chunk, with every node kept, when ``shapes`` is not :func:`local` or the
    data is not larger than ``size``. With ``retargeted`` (:func:`retarget` of ``shapes``),
    each chunk also holds the marker statements of its own focus nodes (of every subject,
    for the whole), to be validated against ``retargeted.shapes``."""
    lines = ntriples.splitlines(keepends=True)
    if len(lines) <= size or not local(shapes) or any(
            not isinstance(n, URIRef) for n in shapes.objects(None, SH.targetNode)):
        yield _whole(ntriples, lines, retargeted), None
        return
    incoming = {_token(p) for p in shapes.objects(None, SH.targetObjectsOf)
                if isinstance(p, URIRef)}
    own: dict[str, list[bytes]] = defaultdict(list)
    named: dict[str, list[bytes]] = defaultdict(list)  # by a targetObjectsOf property
    types: dict[str, list[bytes]] = defaultdict(list)
    values: dict[str, list[str]] = defaultdict(list)
    subclass: list[bytes] = []
    for raw in lines:
        if not raw.strip():
            continue
        subject, predicate, obj = _triple(raw)
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
            yield _whole(ntriples, lines, retargeted), None
            return
    nodes = list(own) + [o for o in named if o not in own]
    extra = [_token(n) for n in shapes.objects(None, SH.targetNode)
             if isinstance(n, URIRef) and _token(n) not in own and _token(n) not in named]
    shared = b"".join(subclass)
    mark = _Marks(retargeted, subclass)

    def chunk(focus: list[str], part: list[bytes], seen: set[str]) -> Chunk:
        # the types of the values that are not focus nodes here (those are in already)
        typed = {v for node in focus for v in values.get(node, ()) if v not in seen}
        return shared + b"".join(part) + b"".join(
            line for value in typed for line in types.get(value, ())) + mark(
                (node, types.get(node, ())) for node in focus), frozenset(focus)

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


class _Marks:
    """The marker statements (:func:`retarget`) of focus nodes, given with their
    ``rdf:type`` lines: ``f M ""`` for each targeted class ``C`` (of marker ``M``) that ``f`` is an
    instance of, by the ``rdfs:subClassOf`` lines ``subclass`` (none without ``retargeted``)."""

    def __init__(self, retargeted: Retargeted | None, subclass: list[bytes]) -> None:
        self.markers = {} if retargeted is None else dict(retargeted.markers)
        self.supers = _supers(subclass) if self.markers else {}
        self.of_type: dict[str, list[str]] = {}

    def _targeted(self, cls: str) -> list[str]:
        """The targeted classes ``cls`` is (itself or a subclass of), sorted."""
        if cls not in self.of_type:
            self.of_type[cls] = sorted(c for c in self.supers.get(cls, {cls})
                                       if c in self.markers)
        return self.of_type[cls]

    def __call__(self, focus: Iterable[tuple[str, Iterable[bytes]]]) -> bytes:
        if not self.markers:
            return b""
        out: list[str] = []
        for node, typing in focus:
            classes = {c for raw in typing for c in self._targeted(_triple(raw)[2])}
            out += [f"{node} {self.markers[c]} \"\" .\n" for c in sorted(classes)]
        return "".join(out).encode("utf-8")


def _whole(ntriples: bytes, lines: list[bytes], retargeted: Retargeted | None) -> bytes:
    """The whole data as one chunk, with the marker statements of every subject."""
    if retargeted is None:
        return ntriples
    if ntriples and not ntriples.endswith(b"\n"):
        ntriples += b"\n"
    types: dict[str, list[bytes]] = defaultdict(list)
    subclass: list[bytes] = []
    for raw in lines:
        parts = raw.split(b" ", 2)
        if len(parts) < 3:
            continue
        if parts[1] == _TYPE.encode():
            types[parts[0].decode("utf-8")].append(raw)
        elif parts[1] == _SUBCLASS.encode():
            subclass.append(raw)
    return ntriples + _Marks(retargeted, subclass)(types.items())
