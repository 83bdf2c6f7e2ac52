// The side panel: everything about the selected node or edge, each fact with its dates
// and the articles and words that state it.
import { getJSON } from "./api.js";
import { add, clear, curie, dateText, fill, h, iriLink, localHref } from "./dom.js";
import { sourceBlock } from "./article.js";

const panel = () => document.getElementById("xp-panel");

function dates(list, sources) {
  if (!list || !list.length) return null;
  return h("ul", { class: "xp-dates" }, list.map((d) => h("li", {}, dateText(d, sources))));
}

function edgeFacts(edge) {
  const d = edge.data();
  return [
    d.validity === "reported" ? h("p", { class: "xp-muted" },
      "Reported, not known to hold at the chosen date.") : null,
    d.contradiction ? h("p", { class: "xp-warn" }, "The sources disagree about its dates.") : null,
    dates(d.dates, d.sources || []),
    h("ul", { class: "xp-sources" }, (d.sources || []).map(sourceBlock)),
  ];
}

/** Buttons that act on a node; ``actions`` holds the explorer's callbacks. */
function nodeButtons(node, actions) {
  return h("div", { class: "xp-actions" },
    h("button", { type: "button", onclick: () => actions.expand(node) }, "Expand neighbours"),
    h("button", { type: "button", onclick: () => actions.hide(node) }, "Hide"),
    h("button", { type: "button", onclick: () => actions.pathFrom(node) }, "Path from here"),
    h("button", { type: "button", onclick: () => actions.pathTo(node) }, "Path to here"));
}

export function showNothing() {
  fill(panel(), h("h2", {}, "Nothing selected"),
    h("p", {}, "Click a node or a line, or search for a name. Every line leads to the " +
               "article and the words that state it."));
}

export async function showNode(node, actions, filters) {
  const d = node.data();
  const el = clear(panel());
  const href = localHref(d.iri);
  add(el, 
    h("p", { class: "xp-kind" }, d.kind),
    h("h2", { id: "xp-panel-title" }, d.label),
    href ? h("p", {}, h("a", { href }, "Open its page"), " · ",
             h("code", { class: "xp-iri" }, d.iri)) : null,
    nodeButtons(node, actions),
    d.alt_labels && d.alt_labels.length ? h("section", {}, h("h3", {}, "Also called"),
      h("ul", {}, d.alt_labels.map((a) => h("li", {}, `${a.label} `,
        h("span", { class: "xp-muted" }, `(in ${a.source_label || curie(a.source)})`))))) : null,
    h("p", { class: "xp-muted" }, "Types: ",
      (d.types || []).map((t) => t.split(/[#/]/).pop()).join(", ")),
    d.dates && d.dates.length ? h("section", {}, h("h3", {}, "Dates"),
      // (which article gives which, where two disagree: a node's sources are the articles
      // that mention it, by their identifiers; most give none of its dates)
      dates(d.dates, d.contradiction ? d.sources || [] : [])) : null);

  const connections = node.connectedEdges(":visible");
  const list = h("ul", { class: "xp-connections" });
  connections.forEach((edge) => {
    const outgoing = edge.source().id() === node.id();
    const other = outgoing ? edge.target() : edge.source();
    add(list, h("li", {},
      h("p", { class: "xp-connection" }, outgoing ? "" : "← ",
        h("button", { type: "button", class: "xp-link",
                      onclick: () => actions.selectEdge(edge) }, edge.data("label")),
        outgoing ? " → " : " — ",
        h("button", { type: "button", class: "xp-link",
                      onclick: () => actions.selectNode(other) }, other.data("label"))),
      edgeFacts(edge)));
  });
  add(el, h("section", {}, h("h3", {}, `Connections (${connections.length})`), list));

  const sources = h("section", { "aria-busy": "true" }, h("h3", {}, "Sources"),
                    h("p", { class: "xp-muted" }, "Loading…"));
  add(el, sources);
  try {
    const facts = await getJSON(`/api/entities/${encodeURIComponent(curie(d.iri))}`,
                                { reported_by: filters.reported_by, source: filters.source });
    fill(sources, h("h3", {}, `Sources (${facts.sources.length})`),
      facts.sources.length ? null : h("p", { class: "xp-muted" },
        "No article states anything about it: it is described in the shared graphs only."),
      h("ul", { class: "xp-sources" }, facts.sources.map((s) => add(
        sourceBlock(s),  // an <li> of its own
        s.facts.length ? h("details", {}, h("summary", {}, `${s.facts.length} facts in this article`),
          h("ul", {}, s.facts.map((f) => h("li", {}, iriLink(f.fact, f.label),
            f.quotes.map((q) => h("blockquote", {}, `“${q}”`)))))) : null))));
  } catch (error) {
    fill(sources, h("h3", {}, "Sources"), h("p", { class: "xp-error" },
      `Could not load the sources: ${error.message}`));
  }
  sources.removeAttribute("aria-busy");
}

export function showEdge(edge, actions) {
  const d = edge.data();
  fill(panel(), 
    h("p", { class: "xp-kind" }, d.kind === "relationship" ? "Relationship" : "Statement"),
    h("h2", { id: "xp-panel-title" }, d.label),
    h("p", {},
      h("button", { type: "button", class: "xp-link",
                    onclick: () => actions.selectNode(edge.source()) }, edge.source().data("label")),
      ` —${d.label}→ `,
      h("button", { type: "button", class: "xp-link",
                    onclick: () => actions.selectNode(edge.target()) }, edge.target().data("label"))),
    d.relationship ? h("p", {}, "Fact: ", iriLink(d.relationship)) : null,
    edgeFacts(edge));
}
