"""Start a new article: its text in ``data/sources/`` and the skeleton of its TriG file.

:func:`new_article` is the first step of the README's recipe "Adding an article's facts":
it copies the text, writes ``data/<id>.trig`` with the article's self-description (a
``kg:NewsArticle`` in its own named graph, quoting its dateline), flags the issue date as
inferred when the dateline prints no year, and never overwrites anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .atomic import write_file
from .canonical import canonical_of
from .errors import InputError
from .namespaces import DCTERMS, KG, KGR, SRC
from .parse import RdfFormat
from .texts import ARTICLE_ID, text_path

__all__ = ["NewArticle", "PLACEHOLDER_LABEL", "new_article"]

#: how the label the skeleton gives an article ends, for the curator to replace (kg
#: validate warns while it is there: ``kg:placeholder-label``; ``unfinished-articles.rq``
#: looks for the same words)
PLACEHOLDER_LABEL = ": a one-line summary of the article"

#: a language tag, as kgsh:LanguageValue takes it (BCP 47's shape)
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")


@dataclass(frozen=True, kw_only=True)
class NewArticle:
    """What :func:`new_article` wrote, and what to do next."""

    text: Path
    trig: Path
    issued_inferred: bool
    next_steps: list[str]


def _publisher(publisher: str) -> URIRef:
    """``--publisher`` as an IRI, read as a named query's IRI parameter is (``kgr:trend``,
    ``trend``, ``<https://…>`` or a full IRI)."""
    from .errors import ParameterError
    from .queries import Param, ParamType

    try:
        return Param("publisher", ParamType.IRI, "", "kgr:trend").convert(publisher)  # type: ignore[return-value]
    except ParameterError:
        raise InputError(f"--publisher {publisher!r} is not an IRI (expected kgr:name, "
                         f"<https://...> or a full IRI)") from None


def _name_of(publisher: URIRef, data: Path) -> str:
    """How the skeleton's label names the publisher: its ``rdfs:label`` in the data folder's
    Turtle files (``entities.ttl``: "Trend"), else the last part of its IRI ("trend")."""
    import pyoxigraph as ox

    from .suggest import last_segment

    wanted, label = ox.NamedNode(str(publisher)), ox.NamedNode(str(RDFS.label))
    for path in sorted(data.glob("*.ttl")):
        try:
            for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                if triple.subject == wanted and triple.predicate == label:
                    return str(triple.object.value)
        except (OSError, SyntaxError, ValueError):  # (kg validate says what is wrong there)
            continue
    return last_segment(str(publisher))


def _issued(issued: str) -> Literal:
    for pattern, datatype in ((r"\d{4}-\d{2}-\d{2}", XSD.date), (r"\d{4}-\d{2}", XSD.gYearMonth),
                              (r"\d{4}", XSD.gYear)):
        if re.fullmatch(pattern, issued):
            try:  # a real day, a real month
                date.fromisoformat(issued if datatype == XSD.date else
                                   f"{issued}-01" if datatype == XSD.gYearMonth else
                                   f"{issued}-01-01")
            except ValueError as error:
                raise InputError(f"--issued {issued!r} is no such date ({error})") from None
            return Literal(issued, datatype=datatype)
    raise InputError(f"--issued {issued!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")


def new_article(text_file: Path | str, *, id: str, publisher: str, issued: str,  # noqa: A002
                data: Path | str = "data", dateline: str | None = None,
                label: str | None = None, language: str = "en") -> NewArticle:
    """Copy ``text_file`` to ``data/sources/<id>.txt`` and write the skeleton ``data/<id>.trig``.

    ``dateline`` defaults to the first non-blank line of the text (it must appear in the
    text verbatim: it is the article node's quote). When it prints no year, the skeleton
    flags ``dcterms:issued`` as inferred (``kg:inferredProperty``) with a note to check.
    Raises :class:`~kg.errors.InputError` if either file exists, the id is not a file
    name, or the text is missing or empty.
    """
    source = Path(text_file)
    data = Path(data)
    if not ARTICLE_ID.fullmatch(id):
        raise InputError(f"--id {id!r}: use letters, digits, '_', '-' or '.' (it names files)")
    if not source.is_file():
        raise InputError(f"no such file: {source}")
    if not data.is_dir():
        raise InputError(f"no data folder at {data}: run kg new-article inside a project")
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{source}: not UTF-8 text (byte {error.object[error.start]:#04x} at "
                         f"offset {error.start}); save the article as UTF-8") from None
    except OSError as error:
        raise InputError(f"cannot read {source}: {error.strerror or error}") from None
    if not text.strip():
        raise InputError(f"{source} is empty")
    if label is not None and (not label.strip() or "\n" in label or "\r" in label):
        raise InputError(f"--label {label!r}: a label is a summary on one line, not blank")
    if not _LANGUAGE.fullmatch(language):
        raise InputError(f"language {language!r} is not a language tag (BCP 47: en, en-GB)")
    copied = text_path(data, id)
    trig_path = data / f"{id}.trig"
    for existing in (copied, trig_path):
        if existing.exists():
            raise InputError(f"{existing} already exists; kg new-article never overwrites "
                             "(choose another --id, or edit the file)")
    line = dateline if dateline is not None else next(
        (ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if line not in text:
        raise InputError(f"the dateline {line!r} is not in the text verbatim")
    issued_value = _issued(issued)
    publisher_iri = _publisher(publisher)
    inferred = _YEAR.search(line) is None

    article = SRC[id]
    dataset = Dataset()
    for prefix, namespace in (("dcterms", DCTERMS), ("kg", KG), ("kgr", KGR), ("rdfs", RDFS),
                              ("src", SRC), ("xsd", XSD)):
        dataset.bind(prefix, namespace)
    g = dataset.graph(article)
    g.add((article, RDF.type, KG.NewsArticle))
    g.add((article, RDFS.label, Literal(label or f"{_name_of(publisher_iri, data)}, {issued}"
                                        f"{PLACEHOLDER_LABEL}", lang="en")))
    g.add((article, KG.labelIsEditorial, Literal(True)))
    g.add((article, DCTERMS.identifier, Literal(id)))
    g.add((article, DCTERMS.issued, issued_value))
    g.add((article, DCTERMS.language, Literal(language)))
    g.add((article, DCTERMS.publisher, publisher_iri))
    g.add((article, KG.dateline, Literal(line)))
    g.add((article, KG.quote, Literal(line)))
    if inferred:
        g.add((article, KG.inferredProperty, DCTERMS.issued))
        g.add((article, KG.inferenceNote, Literal(
            f"The dateline '{line}' prints no year; the year of {issued} is inferred "
            "(check it against the text).")))

    # both files or neither: each written in one step (kg.atomic.write_file, beside it
    # under a name no load reads), the text taken back should the skeleton fail
    skeleton = canonical_of(dataset.serialize(format="trig"), format=RdfFormat.TRIG)
    copied.parent.mkdir(parents=True, exist_ok=True)
    write_file(copied, text)
    try:
        write_file(trig_path, skeleton)
    except InputError:
        copied.unlink(missing_ok=True)
        raise
    steps = [
        f"edit {trig_path}: describe every fact of the article in graph src:{id}, each with "
        f"kg:statedIn src:{id} and a kg:quote of the article's exact words",
        "add new people, organizations and places to data/entities.ttl, new roles, fields "
        "and titles to data/vocabulary.ttl",
        "kg format data/",
        "kg validate",
        "kg contradictions",
    ]
    return NewArticle(text=copied, trig=trig_path, issued_inferred=inferred,
                      next_steps=steps)
