// Small DOM helpers: build elements, link IRIs to their local pages.
export const KGR = "https://w3id.org/kg/id/";
export const SRC = "https://w3id.org/kg/source/";

const PREFIXES = [
  ["kgr:", KGR],
  ["kg:", "https://w3id.org/kg/ontology#"],
  ["src:", SRC],
  ["rdfs:", "http://www.w3.org/2000/01/rdf-schema#"],
  ["rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"],
  ["skos:", "http://www.w3.org/2004/02/skos/core#"],
  ["xsd:", "http://www.w3.org/2001/XMLSchema#"],
  ["dcterms:", "http://purl.org/dc/terms/"],
];

/** h("a", {href: "/"}, "text", child...): an element with attributes and children. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? "" : value);
  }
  return add(el, ...children);
}

function nodes(children) {
  return children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : String(c)));
}

export function clear(el) { el.replaceChildren(); return el; }

/** Append children (arrays flattened; null, undefined and false left out). */
export function add(el, ...children) { el.append(...nodes(children)); return el; }

/** Replace the children of ``el``. */
export function fill(el, ...children) { el.replaceChildren(...nodes(children)); return el; }

/** A number as people read it, its thousands grouped: 10,000. */
export function grouped(number) { return Number(number).toLocaleString("en"); }

/** "1 path", "2 paths": a number and what it counts. */
export function counted(number, thing) {
  return `${grouped(number)} ${thing}${Number(number) === 1 ? "" : "s"}`;
}

/** The short form of an IRI (kgr:icesco), or the IRI itself. */
export function curie(iri) {
  for (const [prefix, ns] of PREFIXES) {
    if (iri.startsWith(ns)) return prefix + iri.slice(ns.length);
  }
  return iri;
}

/** The local page of an IRI the graph names (/id/<slug>; an article's /source/<id>), or null. */
export function localHref(iri) {
  if (iri && iri.startsWith(KGR)) return "/id/" + iri.slice(KGR.length);
  return iri && iri.startsWith(SRC) ? "/source/" + iri.slice(SRC.length) : null;
}

/** A link to the IRI's local page; never a link off-site. */
export function iriLink(iri, label) {
  const href = localHref(iri);
  const text = label || curie(iri);
  return href ? h("a", { href, class: "iri", title: iri }, text)
    : h("span", { class: "iri", title: iri }, text);
}

export function slugOf(iri) {
  return iri && iri.startsWith(KGR) ? iri.slice(KGR.length) : iri;
}

/** The IRI a link names: an IRI, a short name (kgr:icesco) or a slug (icesco). */
export function iriOf(slugOrIri) {
  if (!slugOrIri || /^https?:/.test(slugOrIri)) return slugOrIri;
  const known = PREFIXES.find(([prefix]) => slugOrIri.startsWith(prefix));
  return known ? known[1] + slugOrIri.slice(known[0].length) : KGR + slugOrIri;
}

/** A date with its precision shown and an inferred date marked; where the fact's
 * ``sources`` (an edge's: {article, publisher_label, issued}; a node's: IRIs) do not all
 * give it, the articles that do (two sources that disagree: which says what; as
 * kg.analysis.model.dates_text says it). */
export function dateText(d, sources = []) {
  let text = `${d.property} ${d.value}`;
  if (d.precision && d.precision !== "day") text += ` (${d.precision})`;
  const names = new Map(sources.map((s) => typeof s === "string" ? [s, curie(s)]
    : [s.article, `${s.publisher_label || ""} ${s.issued || ""}`.trim()
                  || lastSegment(s.article)]));
  const given = d.sources || [];
  if (names.size > 1 && given.length && given.length < names.size
      && given.every((g) => names.has(g))) {
    text += ` — according to ${given.map((g) => names.get(g)).join(", ")}`;
  }
  if (d.inferred) text += " — inferred" + (d.note ? `: ${d.note}` : "");
  return text;
}

/** An entity the filters leave out (an ``absent`` end of /api/paths or /api/neighbors),
 * by name, with when it was first reported when a "reported by" date left it out (as
 * kg.analysis.model.absent_text says it). */
export function absentName(end) {
  if (!("first_reported" in end)) return end.label;
  return end.first_reported ? `${end.label} (first reported on ${end.first_reported})`
    : `${end.label} (reported by no article)`;
}

function lastSegment(iri) {
  return iri.replace(/[/#]+$/, "").split(/[/#]/).pop();
}
