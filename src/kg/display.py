"""HTML for Jupyter: what ``_repr_html_`` of kg's results returns.

One function per kind of result, stdlib only: every value is escaped (``html.escape``), IRIs
become links, each source is a link to its article with the article's words quoted under it.
The result classes (:class:`~kg.results.QueryResult`, :class:`~kg.analysis.model.Entity`,
:class:`~kg.analysis.model.Paths`, :class:`~kg.analysis.model.Table` ...) call these.

>>> print(link("https://w3id.org/kg/id/icesco", "ICESCO <&>"))
<a href="https://w3id.org/kg/id/icesco" target="_blank" rel="noopener">ICESCO &lt;&amp;&gt;</a>
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

__all__ = ["link", "table_html", "query_result_html", "entity_html", "paths_html",
           "timeline_html", "MAX_ROWS"]

#: rows shown in a notebook (the rest are counted, not shown: use .to_df())
MAX_ROWS = 200
_STYLE = ("<style>.kg-r blockquote{margin:.15em 0 .15em 1.2em;padding-left:.5em;"
          "border-left:3px solid #bbb;color:#444;font-style:italic}.kg-r td{text-align:left;"
          "vertical-align:top}.kg-r .kg-muted{color:#777;font-size:90%}</style>")


def link(iri: str, text: str | None = None) -> str:
    """An ``<a>`` to ``iri`` showing ``text`` (default: the IRI), both escaped. Only a web
    address (``http``, ``https``) is linked: an IRI of another scheme, which the data or
    a query may hold (``javascript:…`` runs code where a notebook's output is trusted), is
    shown as text, the IRI as its title.

    >>> print(link("javascript:alert(1)", "Click <me>"))
    <span title="javascript:alert(1)">Click &lt;me&gt;</span>
    """
    shown = escape(text if text is not None else iri)
    if not iri.lower().startswith(("http://", "https://")):
        return f'<span title="{escape(iri, quote=True)}">{shown}</span>'
    return (f'<a href="{escape(iri, quote=True)}" target="_blank" rel="noopener">'
            f"{shown}</a>")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(("http://", "https://")) and " " not in text:
        return link(text)
    return escape(text)


def _wrap(body: str) -> str:
    return f'<div class="kg-r">{_STYLE}{body}</div>'


def table_html(columns: Sequence[str], rows: Iterable[dict[str, Any]], *,
               caption: str = "") -> str:
    """A plain table of ``rows`` (dicts), at most :data:`MAX_ROWS` rows shown."""
    rows = list(rows)
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(r.get(c))}</td>" for c in columns) + "</tr>"
                   for r in rows[:MAX_ROWS])
    more = (f'<p class="kg-muted">{len(rows) - MAX_ROWS} more rows not shown '
            f"(.to_df() has them all)</p>" if len(rows) > MAX_ROWS else "")
    title = f"<caption>{escape(caption)}</caption>" if caption else ""
    return _wrap(f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
                 f"</table>{more}")


def query_result_html(result: Any) -> str:
    """A query result: its rows as a table (ASK: the answer; CONSTRUCT: the triples)."""
    records = result.to_records()
    columns = list(result.vars)
    if result.kind.returns_graph:
        records = [dict(zip(columns, map(str, row))) for row in result.rows]
    return table_html(columns, records, caption=f"{len(result)} row(s)")


def _quotes(quotes: Iterable[str]) -> str:
    return "".join(f"<blockquote>&ldquo;{escape(q)}&rdquo;</blockquote>" for q in quotes)


def _source(source: dict[str, Any]) -> str:
    issued = f" ({escape(str(source['issued']))})" if source.get("issued") else ""
    return (f"<div>{link(source['article'], source.get('label') or source['article'])}"
            f"{issued}{_quotes(source.get('quotes', []))}</div>")


def entity_html(entity: Any) -> str:
    """An entity: name, kind, IRI, names per source; then each article's words about it
    and the facts it takes part in, each with its quotes."""
    e = entity.entity
    alts = ", ".join(escape(a["label"]) for a in e.get("alt_labels", []))
    parts = [f"<h4>{escape(e['label'])} <span class='kg-muted'>{escape(str(e.get('kind', '')))}"
             f"</span></h4><div class='kg-muted'>{link(e['iri'])}</div>"]
    if alts:
        parts.append(f"<div>also called: {alts}</div>")
    for source in entity.sources:
        parts.append(f"<h5>{link(source['article'], source['label'])} "
                     f"<span class='kg-muted'>{escape(str(source.get('issued') or ''))}"
                     f"</span></h5>{_quotes(source.get('quotes', []))}")
        items = "".join(f"<li>{link(f['fact'], f['label'])}{_quotes(f['quotes'])}</li>"
                        for f in source.get("facts", []))
        if items:
            parts.append(f"<ul>{items}</ul>")
    statements = sum(len(s["statements"]) for s in entity.sources + entity.shared)
    parts.append(f"<p class='kg-muted'>{statements} statements (.to_df() lists them)</p>")
    return _wrap("".join(parts))


def paths_html(paths: Any) -> str:
    """Paths: each hop ``A --label--> B`` with its dates, its articles and their words."""
    from .analysis.model import dates_text, no_path_text

    if not len(paths):
        return _wrap(f"<p>{_cell(no_path_text(paths.to_json()))}</p>")
    out = []
    for number, path in enumerate(paths, 1):
        hops = []
        for hop in path.hops:
            for edge in hop["edges"]:
                forward = edge["source"] == hop["source"]
                arrow = (f"&mdash;{escape(edge['label'])}&rarr;" if forward
                         else f"&larr;{escape(edge['label'])}&mdash;")
                dates = escape(dates_text(edge["dates"], edge["sources"]))
                sources = "".join(_source(s) for s in edge["sources"])
                hops.append(f"<li><b>{escape(hop['source_label'])}</b> {arrow} "
                            f"<b>{escape(hop['target_label'])}</b>"
                            + (f" <span class='kg-muted'>[{dates}]</span>" if dates else "")
                            + sources + "</li>")
        out.append(f"<h5>path {number}: {path.length} hops, {path.sources} citations, "
                   f"{path.inferred} inferred dates</h5><ol>{''.join(hops)}</ol>")
    return _wrap("".join(out))


def timeline_html(table: Any) -> str:
    """The timeline: date (with its precision; an inferred date marked, its note on
    hover), what happened, the articles that say so."""
    rows = []
    for r in table.rows[:MAX_ROWS]:
        mark = ""
        if r["inferred"]:
            mark = (f" <span title='{escape(r.get('note') or 'inferred', quote=True)}'>"
                    f"(inferred)</span>")
        sources = ", ".join(link(s, s.rsplit("/", 1)[-1]) for s in r["sources"])
        rows.append(f"<tr><td>{escape(r['date'])}</td><td class='kg-muted'>"
                    f"{escape(r['precision'])}{mark}</td><td>{link(r['item'], r['label'])}"
                    f"</td><td>{sources}</td></tr>")
    return _wrap("<table><thead><tr><th>date</th><th>precision</th><th>what</th>"
                 f"<th>sources</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
