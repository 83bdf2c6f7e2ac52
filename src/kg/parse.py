"""Strict, located parsing of RDF files into :class:`rdflib.Dataset` objects.

rdflib's own Turtle and TriG parsers accept many documents the W3C test suites
reject, and they recurse once per nesting level of ``[ ... ]`` and ``( ... )``.
So kg parses with `pyoxigraph <https://pyoxigraph.readthedocs.io/>`_, which
follows the grammars exactly, reports where a document goes wrong and does not
recurse, and only then hands the quads over to rdflib.

Every failure is one of two errors from :mod:`kg.errors`:

* :class:`~kg.errors.InputError` -- the file cannot be used at all (missing,
  a directory, unknown extension, invalid base IRI);
* :class:`~kg.errors.ParseError` -- the file is not well-formed; it carries the
  file, and the 1-based line and column of the first problem (columns count
  characters, not bytes).

Relative IRIs are resolved only against an explicit ``base_iri``; without one
they are an error, which is what curated data wants.

What rdflib receives:

* blank nodes are fresh for every document, so two files both saying ``_:b``
  never share a node;
* literals keep their lexical form as written (``"01"^^xsd:integer`` stays
  ``"01"``, unlike rdflib's own parsers, which rewrite it to ``"1"``);
  ``"x"^^xsd:string`` becomes the simple literal ``"x"`` (the same literal in
  RDF 1.1), and language tags come out lower-cased (they are case-insensitive);
* RDF 1.2 triple terms and directional language tags, which pyoxigraph reads
  but rdflib cannot hold, are a :class:`~kg.errors.ParseError` (without a
  position: pyoxigraph does not report one for well-formed statements).

>>> ds = parse_text('<http://example.org/a> <http://example.org/b> "c" .', format=RdfFormat.TURTLE)
>>> len(ds)
1
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
import rdflib
from pyoxigraph import RdfFormat
from rdflib.term import BNode, Identifier, Literal, URIRef

from kg.errors import InputError, ParseError

__all__ = ["RdfFormat", "FORMATS_BY_EXTENSION", "format_for", "parse_file", "parse_text",
           "read_quads"]

#: the file extensions kg reads, and the format each one means
FORMATS_BY_EXTENSION: dict[str, RdfFormat] = {
    ".ttl": RdfFormat.TURTLE,
    ".trig": RdfFormat.TRIG,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
}

T = TypeVar("T")
_SUPPORTED_FORMATS = frozenset(FORMATS_BY_EXTENSION.values())
_UTF8_BOM = b"\xef\xbb\xbf"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# What any RDF 1.2 triple term (<<( … )>>, << … >>, a ~ reifier, a {| … |} annotation) or
# directional language tag ("…"@en--ltr) needs in the text: a file without any of these
# holds none, and its quads need no second look.
_MAY_HOLD_RDF12 = re.compile(rb"<<|~|\{\||--")
# pyoxigraph puts the position into its message too; ParseError adds it back in front.
_LOCATION_PREFIX = re.compile(
    r"^Parser error (?:at|between) line \d+ "
    r"(?:column \d+|between columns \d+ and \d+)(?: and line \d+ column \d+)?: "
)


def format_for(path: Path) -> RdfFormat:
    """Return the RDF format a file's extension stands for (case-insensitive).

    >>> format_for(Path("people.trig"))
    <RdfFormat TriG>
    >>> format_for(Path("notes.txt"))
    Traceback (most recent call last):
    ...
    kg.errors.InputError: notes.txt: unknown RDF file extension '.txt'; expected one of .ttl, .trig, .nt, .nq
    """
    # (os.path's split of the name, not a Path made again for each of thousands of files)
    fmt = FORMATS_BY_EXTENSION.get(os.path.splitext(path)[1].lower())
    if fmt is None:
        accepted = ", ".join(FORMATS_BY_EXTENSION)
        raise InputError(
            f"{path}: unknown RDF file extension {Path(path).suffix or '(none)'!r}; "
            f"expected one of {accepted}"
        )
    return fmt


def parse_file(path: Path | str, *, base_iri: str | None = None) -> rdflib.Dataset:
    """Parse one RDF file, its format chosen by :func:`format_for`.

    Turtle and N-Triples triples land in the dataset's default graph; TriG and
    N-Quads named graphs keep their names.  Prefixes the file declares are
    bound on the dataset's namespace manager.

    :param path: the file to read.
    :param base_iri: absolute IRI against which relative IRIs are resolved;
        with ``None`` (the default) a relative IRI is a :class:`ParseError`.
    :raises InputError: the file is missing, is a directory, cannot be read,
        has an unknown extension, or ``base_iri`` is not an absolute IRI.
    :raises ParseError: the file is not valid UTF-8 or not well-formed.
    """
    path, fmt, data = _read(path)
    return _parse(data, fmt, base_iri, path)


def read_quads(path: Path | str, *, base_iri: str | None = None) -> list[ox.Quad]:
    """The quads of one RDF file as pyoxigraph parses them, for a store that takes them
    as they are (:mod:`kg.oxigraph_store`): the same checks and errors as
    :func:`parse_file`, without building rdflib terms. Blank nodes are fresh for every
    file; a Turtle or N-Triples file's triples are in the default graph.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".ttl") as f:
    ...     _ = f.write("<urn:a> <urn:b> 'c' .")
    ...     f.flush()
    ...     read_quads(f.name)
    [<Quad subject=<NamedNode value=urn:a> predicate=<NamedNode value=urn:b> object=<Literal value=c datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>> graph_name=<DefaultGraph>>]
    """
    path, fmt, data = _read(path)
    data = _checked(data, path)
    parser = _parser(data, fmt, base_iri)
    quads = _located(lambda: list(parser), data, fmt, base_iri, path)
    if not _MAY_HOLD_RDF12.search(data):  # no quad to look at: the syntax is not there
        return quads
    for quad in quads:
        obj = quad.object
        if isinstance(obj, ox.Literal):
            if obj.direction is not None:
                raise ParseError(f"RDF 1.2 directional language tags are not supported: {obj}",
                                 path=path)
        elif isinstance(obj, ox.Triple):
            raise ParseError(f"RDF 1.2 triple terms are not supported: <<( {obj} )>>", path=path)
    return quads


def _read(path: Path | str) -> tuple[Path, RdfFormat, bytes]:
    """The file's path, format and bytes. Read first and asked why only when that fails
    (no look-up of whether it exists or is a folder for each of thousands of files); the
    same errors, in the same order, as asking first."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not an RDF file") from None
    except OSError as exc:
        if not path.exists():  # (a dangling link, say)
            raise InputError(f"no such file: {path}") from None
        if path.is_dir():
            raise InputError(f"{path} is a directory, not an RDF file") from None
        format_for(path)
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return path, format_for(path), data


def parse_text(text: str | bytes, *, format: RdfFormat, base_iri: str | None = None,
               source: str = "<input>") -> rdflib.Dataset:
    """Parse RDF held in memory; ``bytes`` must be UTF-8.

    :param text: the document.
    :param format: one of ``RdfFormat.TURTLE``, ``TRIG``, ``N_TRIPLES``, ``N_QUADS``.
    :param base_iri: as for :func:`parse_file`.
    :param source: the name errors report as the file.
    :raises InputError: unsupported ``format`` or invalid ``base_iri``.
    :raises ParseError: the text is not valid UTF-8 or not well-formed.

    >>> ds = parse_text('@prefix ex: <http://example.org/> . ex:g { ex:a ex:b ex:c . }',
    ...                 format=RdfFormat.TRIG)
    >>> [str(g.identifier) for g in ds.graphs() if len(g)]
    ['http://example.org/g']
    >>> str(ds.namespace_manager.expand_curie("ex:a"))
    'http://example.org/a'
    >>> parse_text('<a> <b> <c> .', format=RdfFormat.N_TRIPLES, source="x.nt")
    Traceback (most recent call last):
    ...
    kg.errors.ParseError: x.nt:1:1: relative IRI and no base IRI given: No scheme found in an absolute IRI
    """
    if format not in _SUPPORTED_FORMATS:
        raise InputError(f"unsupported RDF format {format}; kg reads Turtle, TriG, N-Triples and N-Quads")
    if isinstance(text, str):
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:  # lone surrogates
            line, column = _line_column(text[: exc.start])
            raise ParseError(f"not valid Unicode: unpaired surrogate U+{ord(text[exc.start]):04X}",
                             path=source, line=line, column=column) from None
    else:
        data = bytes(text)
    return _parse(data, format, base_iri, source)


def _line_column(before: str) -> tuple[int, int]:
    """1-based line and column of the character that follows ``before``."""
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


def _one_line(message: str) -> str:
    """``message`` with control characters (a raw newline quoted from the input...) escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in message)


def _checked(data: bytes, source: Path | str) -> bytes:
    """``data`` if it is UTF-8, without a byte order mark."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # everything before exc.start decoded fine, so columns are counted in characters
        line, column = _line_column(data[: exc.start].decode("utf-8"))
        raise ParseError(f"not valid UTF-8: byte 0x{data[exc.start]:02x}",
                         path=source, line=line, column=column) from None
    if data.startswith(_UTF8_BOM):  # editors hide it and the grammars do not allow it
        data = data[len(_UTF8_BOM):]
    return data


def _parser(data: bytes, fmt: RdfFormat, base_iri: str | None) -> Iterator[ox.Quad]:
    try:
        return ox.parse(data, format=fmt, base_iri=base_iri, rename_blank_nodes=True)
    except ValueError as exc:  # raised up front for a bad base IRI
        raise InputError(f"invalid base IRI {base_iri!r}: {exc}") from None


def _located(read: Callable[[], T], data: bytes, fmt: RdfFormat, base_iri: str | None,
             source: Path | str) -> T:
    """``read()``, pyoxigraph's syntax errors turned into a :class:`ParseError` with the
    file, line and column."""
    try:
        return read()
    except SyntaxError as exc:
        message = _one_line(_LOCATION_PREFIX.sub("", exc.msg or str(exc)))
        if base_iri is None and "No scheme found" in message:
            message = f"relative IRI and no base IRI given: {message}"
        raise ParseError(message, path=source, line=exc.lineno, column=exc.offset,
                         hint=_hint(data, fmt, exc.lineno)) from None


def _parse(data: bytes, fmt: RdfFormat, base_iri: str | None, source: Path | str) -> rdflib.Dataset:
    data = _checked(data, source)
    parser = _parser(data, fmt, base_iri)
    dataset = rdflib.Dataset(default_union=True)
    quads = _located(lambda: list(_to_rdflib(parser, dataset, source)), data, fmt, base_iri,
                     source)
    dataset.addN(quads)
    for prefix, namespace in parser.prefixes.items():
        dataset.namespace_manager.bind(prefix, URIRef(namespace), override=True, replace=True)
    return dataset


def _hint(data: bytes, fmt: RdfFormat, line: int | None) -> str | None:
    """A hint for a common mistake on the line where parsing failed (or the one before)."""
    if line is None or fmt not in (RdfFormat.TURTLE, RdfFormat.TRIG):
        return None
    from kg.hints import unescaped_quote_hint  # (rapidfuzz: only when a file is broken)

    lines = data.decode("utf-8").splitlines()
    for number in (line, line - 1):
        if 0 < number <= len(lines):
            hint = unescaped_quote_hint(lines[number - 1])
            if hint:
                return hint
    return None


def _to_rdflib(quads: Iterable[ox.Quad], dataset: rdflib.Dataset,
               source: Path | str) -> Iterator[tuple[Identifier, Identifier, Identifier, rdflib.Graph]]:
    """Convert pyoxigraph quads to rdflib (s, p, o, graph) tuples, graphs created in ``dataset``."""
    iris: dict[str, URIRef] = {}
    graphs: dict[object, rdflib.Graph] = {}
    default_graph = dataset.default_graph

    def term(node: object) -> Identifier:
        if isinstance(node, ox.NamedNode):
            value = node.value
            iri = iris.get(value)
            if iri is None:
                iri = iris[value] = URIRef(value)
            return iri
        if isinstance(node, ox.BlankNode):
            return BNode(node.value)
        if isinstance(node, ox.Literal):
            if node.direction is not None:
                raise ParseError(f"RDF 1.2 directional language tags are not supported: {node}",
                                 path=source)
            datatype = node.datatype.value
            if node.language is not None or datatype == _RDF_LANG_STRING:
                return Literal(node.value, lang=node.language)
            if datatype == _XSD_STRING:  # RDF 1.1: "x" and "x"^^xsd:string are the same literal
                return Literal(node.value)
            # keep the lexical form exactly as written ("01" stays "01")
            return Literal(node.value, datatype=term(node.datatype), normalize=False)
        raise ParseError(f"RDF 1.2 triple terms are not supported: <<( {node} )>>", path=source)

    for quad in quads:
        name = quad.graph_name
        if isinstance(name, ox.DefaultGraph):
            graph = default_graph
        else:
            graph = graphs.get(name)
            if graph is None:
                graph = graphs[name] = dataset.graph(term(name))
        yield term(quad.subject), term(quad.predicate), term(quad.object), graph
