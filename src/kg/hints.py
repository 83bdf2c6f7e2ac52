"""Hints that show the fix for a finding: what to type, where, instead of only what is wrong.

* :func:`quote_hint` -- for a quote that is not verbatim in its article: the closest passage
  of the text (found with rapidfuzz, refined with difflib), the differing characters marked
  as in ``git diff --word-diff`` (``[-quote-]{+article+}``), and the differences nobody can
  see named (an en dash typed as a hyphen, curly quotes typed straight, a non-breaking or a
  double space);
* :func:`undescribed_hint` -- for a value that names a thing nobody described: "did you
  mean" an entity of the expected class with a close IRI or label, else the file to
  describe it in (the one that already holds things of that class, as the data shows) and
  the lines to add there;
* :func:`untyped_hint` -- for a node that nothing gives a type: the entity it most likely
  meant;
* :func:`unescaped_quote_hint` -- for a Turtle/TriG syntax error on a line where a ``"``
  inside a string ended it early.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from .namespaces import KG

if TYPE_CHECKING:
    from .load import KnowledgeGraph

__all__ = ["Passage", "closest_passage", "invisible_differences", "marked", "quote_hint",
           "shown_path", "undescribed_hint", "unescaped_quote_hint", "untyped_hint"]

#: characters that look alike (or like nothing), and how to name them
_NAMES = {
    "-": "a hyphen (-)", "\u2010": "a Unicode hyphen (\u2010)", "\u2011": "a non-breaking hyphen",
    "\u2013": "an en dash (\u2013)", "\u2014": "an em dash (\u2014)", "\u2212": "a minus sign (\u2212)",
    "'": "a straight apostrophe (')", "\u2019": "a curly apostrophe (\u2019)",
    "\u2018": "a curly opening single quote (\u2018)", "`": "a backtick (`)",
    '"': 'a straight double quote (")', "\u201c": "a curly opening quote (\u201c)",
    "\u201d": "a curly closing quote (\u201d)",
    " ": "a space", "\u00a0": "a non-breaking space", "\u202f": "a narrow non-breaking space",
    "\u2009": "a thin space", "\t": "a tab", "\n": "a line break",
}
#: how an invisible character is shown inside a marker
_SHOWN = {" ": "\u2423", "\u00a0": "<nbsp>", "\u202f": "<nnbsp>", "\u2009": "<thinsp>",
          "\t": "<tab>", "\n": "<newline>"}
#: below this rapidfuzz score, no passage is "close"
_MIN_SCORE = 60.0
#: what may follow a string literal in Turtle and TriG
_AFTER_LITERAL = set(" \t@^,;.])}#")
#: how close an IRI or label must be to be offered as "did you mean"
_MIN_SIMILARITY = 0.8


@dataclass(frozen=True)
class Passage:
    """The stretch of an article's text closest to a quote."""

    text: str
    start: int
    end: int
    line: int
    score: float


def closest_passage(quote: str, text: str) -> Passage | None:
    """The passage of ``text`` closest to ``quote`` (``None`` when nothing is close).

    >>> closest_passage("the foundation\u2019s  pavilion", "He saw the foundation's pavilion.").text
    "the foundation's pavilion"
    """
    if not quote or not text:
        return None
    found = fuzz.partial_ratio_alignment(quote, text, score_cutoff=_MIN_SCORE)
    if found is None:
        return None
    # rapidfuzz aligns a window as long as the quote; let difflib move its ends to where the
    # matching characters begin and end, so that a missing or extra character is one edit
    margin = max(8, len(quote) // 4)
    lo = max(0, found.dest_start - margin)
    window = text[lo:min(len(text), found.dest_end + margin)]
    blocks = [b for b in difflib.SequenceMatcher(None, quote, window, autojunk=False)
              .get_matching_blocks() if b.size]
    blocks = [b for b in blocks if b.size >= 3] or blocks  # a stray letter is no anchor
    if not blocks:
        return None
    first, last = blocks[0], blocks[-1]
    # a few unmatched characters at either end are a typo inside the passage; more are words
    # the article does not have there
    start = first.b - first.a if first.a <= 3 else first.b
    rest = len(quote) - last.a - last.size
    end = last.b + last.size + (rest if rest <= 3 else 0)
    start, end = max(0, start), min(len(window), end)
    start, end = lo + start, lo + end
    return Passage(text=text[start:end], start=start, end=end,
                   line=text.count("\n", 0, start) + 1, score=round(found.score, 1))


def _show(chars: str) -> str:
    return "".join(_SHOWN.get(c, c) for c in chars)


def marked(quote: str, passage: str) -> str:
    """``passage`` with the quote's differing characters marked ``[-quote-]{+article+}``.

    >>> marked("a-b  c", "a\u2013b c")
    'a[---]{+\u2013+}b [-\u2423-]c'
    """
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, quote, passage,
                                                        autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(passage[j1:j2])
            continue
        if i2 > i1:
            out.append(f"[-{_show(quote[i1:i2])}-]")
        if j2 > j1:
            out.append(f"{{+{_show(passage[j1:j2])}+}}")
    return "".join(out)


def invisible_differences(quote: str, passage: str) -> list[str]:
    """The differences between ``quote`` and ``passage`` that cannot be seen, named.

    >>> invisible_differences("Foundation\u2013ICESCO \u201cdeal\u201d", 'Foundation-ICESCO "deal"')
    ['the quote has an en dash (\u2013) where the article has a hyphen (-)', 'the quote has a curly opening quote (\u201c) where the article has a straight double quote (")', 'the quote has a curly closing quote (\u201d) where the article has a straight double quote (")']
    """
    named: list[str] = []

    def add(text: str) -> None:
        if text not in named:
            named.append(text)

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, quote, passage,
                                                        autojunk=False).get_opcodes():
        q, a = quote[i1:i2], passage[j1:j2]
        if tag == "replace" and len(q) == len(a):
            for qc, ac in zip(q, a):
                if qc != ac and qc in _NAMES and ac in _NAMES:
                    add(f"the quote has {_NAMES[qc]} where the article has {_NAMES[ac]}")
        elif tag in ("insert", "delete", "replace") and (q + a).strip() == "":
            extra, where = (q, "quote") if len(q) > len(a) else (a, "article")
            other = "article" if where == "quote" else "quote"
            seq, k1, k2 = (quote, i1, i2) if where == "quote" else (passage, j1, j2)
            beside = seq[k1 - 1:k1] + seq[k2:k2 + 1]
            if extra and (len(extra) > 1 or any(c.isspace() for c in beside)):
                add(f"the {where} has a double space where the {other} has one")
            elif extra:
                add(f"the {where} has {_NAMES.get(extra, repr(extra))} that the {other} lacks")
    return named


def quote_hint(quote: str, text: str, *, source: str) -> str:
    """What to write instead of a quote that is not verbatim in ``text`` (the file ``source``)."""
    passage = closest_passage(quote, text)
    if passage is None:
        return f"no passage of {source} is close to these words: copy the quote from the text"
    heading = f"closest passage ({source}:{passage.line}), differences marked [-quote-]{{+article+}}:"
    lines = [heading, f"  {marked(quote, passage.text)}"]
    lines += invisible_differences(quote, passage.text)
    lines.append(f'copy it from the text: "{_escaped(passage.text)}"')
    return "\n".join(lines)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def unescaped_quote_hint(line: str) -> str | None:
    """A hint when a line of Turtle/TriG holds a string with an unescaped ``"`` in it.

    >>> unescaped_quote_hint('    kg:quote "he said "yes" to it" ;') is not None
    True
    >>> unescaped_quote_hint('    kg:quote "he said \\\\"yes\\\\" to it" ;') is None
    True
    >>> unescaped_quote_hint('    kg:quote "a", "b"@en ; kg:x "c"^^xsd:string .') is None
    True
    """
    if '"""' in line or "'''" in line:
        return None
    # a string that ends early is followed by the rest of its words, which a well-formed
    # literal never is (after one comes a space, a language tag, a datatype or punctuation)
    ends_early = any(following not in _AFTER_LITERAL
                     for following in re.findall(r'"(?:[^"\\\n]|\\.)*"(.)', line))
    if not ends_early:
        return None
    return ('a " inside a string ends the string: write it as \\" '
            '(or put the whole string in """…""")')


# ------------------------------------------------------------------ undescribed values

def _subclasses(ontology: Graph, cls: URIRef) -> set[Node]:
    return set(ontology.transitive_subjects(RDFS.subClassOf, cls))


def _instances(data: Graph, ontology: Graph, cls: URIRef) -> set[Node]:
    return {s for c in _subclasses(ontology, cls) for s in data.subjects(RDF.type, c)}


def _home(graph: KnowledgeGraph, cls: URIRef, data: Graph) -> tuple[Path | None, URIRef]:
    """The file that holds the most things of ``cls`` (or, when there is none yet, of its
    nearest superclass that has some), and the class that decided it."""
    ontology = graph.ontology
    for candidate in ontology.transitive_objects(cls, RDFS.subClassOf):
        if not isinstance(candidate, URIRef):
            continue
        counts: Counter[Path] = Counter()
        for node in _instances(data, ontology, candidate):
            for file in graph.files_of(node):
                if _typed_in(graph, file, node):
                    counts[file] += 1
        if counts:
            return min(counts, key=lambda f: (-counts[f], str(f))), candidate
    return None, cls


def _typed_in(graph: KnowledgeGraph, file: Path, node: Node) -> bool:
    """Whether the graphs ``file`` writes give ``node`` a type (so that a file counts for a
    node only when it gives the node's type, not when it adds an alternative label)."""
    names = graph.file_graphs.get(file, set())
    return any(g in names for *_, g in graph.store.quads((node, RDF.type, None)))


def _words(name: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)]


def _narrowest(ontology: Graph, cls: URIRef, slug: str) -> URIRef:
    """The subclass of ``cls`` whose name the slug spells (``new-country`` -> kg:Country)."""
    best, best_len = cls, 0
    for sub in _subclasses(ontology, cls):
        if not isinstance(sub, URIRef):
            continue
        words = _words(str(sub).rsplit("#", 1)[-1].rsplit("/", 1)[-1])
        if words and "-".join(words) in slug and len(words) >= best_len and sub != cls:
            best, best_len = sub, len(words)
    return best


def _nearest_of_class(graph: KnowledgeGraph, iri: URIRef, classes: Sequence[URIRef],
                      data: Graph) -> list[dict[str, object]]:
    from .suggest import nearest_entities

    ontology = graph.ontology
    allowed = set().union(*(_instances(data, ontology, c) for c in classes)) if classes else None
    return [s for s in nearest_entities(graph, iri, cutoff=_MIN_SIMILARITY)
            if s["iri"] != str(iri)
            and (allowed is None or URIRef(str(s["iri"])) in allowed)][:3]


def _did_you_mean(graph: KnowledgeGraph, iri: URIRef, classes: Sequence[URIRef],
                  data: Graph) -> str | None:
    near = _nearest_of_class(graph, iri, classes, data)
    if not near:
        return None
    names = data.namespace_manager
    return "did you mean " + " or ".join(
        f'{URIRef(str(s["iri"])).n3(names)} ("{s["label"]}")' for s in near) + "?"


def undescribed_hint(graph: KnowledgeGraph, value: URIRef, expected: Sequence[URIRef], *,
                     root: Path | None = None, data: Graph | None = None) -> str:
    """The fix for a value that names a thing nobody described, expected to be of one of
    the ``expected`` classes: an existing entity it most likely meant, and how to describe
    it if it is new. ``data`` is the asserted data (default: ``graph.data()``; any graph
    with rdflib's look-ups, such as :class:`kg.asserted.Asserted`)."""
    data = graph.data() if data is None else data
    ontology = graph.ontology
    names = data.namespace_manager
    lines = []
    mean = _did_you_mean(graph, value, expected, data)
    if mean:
        lines.append(mean)
    cls = expected[0]
    slug = str(value).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    narrow = _narrowest(ontology, cls, slug)
    file, decided = _home(graph, narrow, data)
    prefix = "-".join(_words(str(cls).rsplit("#", 1)[-1].rsplit("/", 1)[-1])) + "-"
    named = slug[len(prefix):] if slug.startswith(prefix) and len(slug) > len(prefix) else slug
    label = named.replace("-", " ").replace("_", " ").strip().capitalize() or "…"
    statements = [f"{value.n3(names)} a {narrow.n3(names)} ;"]
    if narrow == cls and _subclasses(ontology, cls) - {cls}:
        used = sorted({str(t) for n in _instances(data, ontology, cls)
                       for t in data.objects(n, RDF.type)
                       if t in _subclasses(ontology, cls) and t != cls})
        if used:
            statements[0] += "  # or a narrower class: " + ", ".join(
                URIRef(u).n3(names) for u in used[:5])
    concept = SKOS.Concept in set(ontology.transitive_objects(narrow, RDFS.subClassOf))
    if concept:
        schemes = Counter(o for n in _instances(data, ontology, decided)
                          for o in data.objects(n, SKOS.inScheme))
        if schemes:
            statements.append(f"    skos:inScheme {schemes.most_common(1)[0][0].n3(names)} ;")
        statements.append('    skos:definition "…"@en ;')
    fact = KG.Fact in set(ontology.transitive_objects(narrow, RDFS.subClassOf))
    if fact:
        statements.append("    kg:statedIn src:… ; kg:quote \"…\" ;")
    statements.append(f'    rdfs:label "{label}"@en .')
    where = shown_path(file, root) if file is not None else "a data file"
    if fact:
        where = f"the graph of the article that states it (as in {where})"
    lines.append(f"if it is new, describe it in {where}:")
    lines += [f"  {s}" for s in statements]
    return "\n".join(lines)


def untyped_hint(graph: KnowledgeGraph, node: URIRef, *, data: Graph | None = None) -> str:
    """The fix for a node that nothing gives a type: the entity it most likely meant
    (``data``: as for :func:`undescribed_hint`)."""
    mean = _did_you_mean(graph, node, (), graph.data() if data is None else data)
    return mean or "give it a type (a class of the ontology) where you first describe it"


def shown_path(file: Path, root: Path | None = None) -> str:
    """``file`` as the user would type it: relative to ``root`` (the working directory) when
    inside it."""
    root = root or Path.cwd()
    try:
        return str(file.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(file)
