"""Where a node, or one of its statements, is written: the line of a data file.

Messages name ``file:line`` so that a curator can jump there; this module finds the line
by the text of the file (its prefixes, the node's IRI or prefixed name), not by parsing.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["line_of"]

_PREFIX = re.compile(r"\s*@?prefix\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)


def _forms(lines: list[str], iri: str) -> list[str]:
    forms = [f"<{iri}>"]
    for line in lines:
        declared = _PREFIX.match(line)
        if declared and iri.startswith(declared.group(2)):
            forms.append(f"{declared.group(1)}:{iri[len(declared.group(2)):]}")
    return forms


def line_of(path: Path | None, node: Node, cache: dict[Path, list[str]] | None = None,
            *, predicate: Node | None = None, label: str | None = None,
            value: Node | None = None) -> int | None:
    """The first line of ``path`` where ``node`` starts a description (or, with
    ``predicate``, the line of that description that states ``predicate``; with ``value``
    too, the line of that description that writes the value: one quote among several), if
    found. A blank node has no name to look for: given its ``label``, the first line that
    writes that label as a string is its line.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = Path(tmp) / "x.ttl"
    ...     _ = f.write_text('@prefix ex: <urn:ex:> .\\n\\nex:a a ex:T ;\\n    ex:p 1 ;\\n'
    ...                      '    ex:q "one",\\n        "two" .\\n')
    ...     a, q = URIRef("urn:ex:a"), URIRef("urn:ex:q")
    ...     line_of(f, a), line_of(f, a, predicate=URIRef("urn:ex:p")), line_of(
    ...         f, a, predicate=q, value=Literal("two"))
    (3, 4, 6)
    """
    if path is None or not isinstance(node, (URIRef, BNode)):
        return None
    if isinstance(node, BNode) and not label:
        return None
    cache = {} if cache is None else cache
    if path not in cache:
        cache[path] = path.read_text(encoding="utf-8", errors="replace").splitlines()
    lines = cache[path]
    if isinstance(node, BNode):
        written = '"' + str(label).replace("\\", "\\\\").replace('"', '\\"') + '"'
        return next((number for number, line in enumerate(lines, start=1) if written in line),
                    None)
    forms = _forms(lines, str(node))
    start = None
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip()
        if any(stripped.startswith(form) and stripped[len(form):len(form) + 1] in (" ", "\t", "", "{")
               for form in forms):
            start = number
            break
    if start is None:
        for number, line in enumerate(lines, start=1):
            if any(form in line for form in forms):
                return number
        return None
    if predicate is None or not isinstance(predicate, URIRef):
        return start
    block = []  # the description's lines, to its closing " ."
    for number in range(start, len(lines) + 1):
        block.append(number)
        line = lines[number - 1].rstrip()
        if line.endswith(" .") or line == ".":
            break
    written = _written(lines, value)
    for number in block if written else ():
        if any(form in lines[number - 1] for form in written):
            return number
    wanted = _forms(lines, str(predicate))
    for number in block:
        if any(re.search(rf"(^|[\s;]){re.escape(form)}(\s|$)", lines[number - 1])
               for form in wanted):
            return number
    return start


def _written(lines: list[str], value: Node | None) -> list[str]:
    """How ``value`` may be written in a file of ``lines``: an IRI in full or by a prefix
    declared there, a literal as its quoted lexical form (its start: a long one may wrap);
    none for anything else."""
    if isinstance(value, URIRef):
        return _forms(lines, str(value))
    if isinstance(value, Literal) and str(value):
        escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
        return ['"' + escaped[:60]]
    return []
