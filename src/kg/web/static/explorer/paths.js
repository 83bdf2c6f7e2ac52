// The path finder: how one entity is connected to another, hop by hop, each hop with the
// articles and words that state it (CQ8).
import { getJSON } from "./api.js";
import { absentName, add, clear, counted, dateText, fill, h } from "./dom.js";
import { sourceBlock } from "./article.js";

/** The longest path the API looks for (its max_hops). */
export const MOST_HOPS = 6;

/** Ask the API for the paths of at most ``hops`` hops (4 when not given); list them in
 * ``out``; return the answer. When the two are connected by more hops, a button offers to
 * look that far (``onLonger(hops)``) while the API can. Each path has a button that
 * draws it in the graph (``onShow(path)``). */
export async function findPaths(from, to, filters, out,
                                { hops = "", onLonger = null, onShow = null } = {}) {
  fill(out, h("p", { class: "xp-muted" }, "Looking for paths…"));
  let found;
  try {
    found = await getJSON("/api/paths", { from, to, max_hops: hops || 4, limit: 5,
                                          ...filters });
  } catch (error) {
    fill(out, h("p", { class: "xp-error", role: "alert" }, error.message));
    return null;
  }
  clear(out);
  if (found.absent.length) {  // an end the filters leave out: no path to look for
    const names = found.absent.map(absentName).join(" and ");
    add(out, h("p", {}, `${names} ${found.absent.length > 1 ? "are" : "is"} not in the graph `
      + "with these filters."));
    return found;
  }
  if (!found.paths.length) {
    const fewest = found.fewest_hops;
    const within = `No path of at most ${counted(found.max_hops, "hop")} with these filters`;
    if (fewest === null) {
      add(out, h("p", {}, "No path: nothing connects them with these filters, however many "
                          + "hops."));
    } else if (fewest <= MOST_HOPS && onLonger) {
      add(out, h("p", {}, `${within}: the shortest connection has ${fewest} hops. `,
        h("button", { type: "button", class: "xp-longer", onclick: () => onLonger(fewest) },
          `Show paths of up to ${fewest} hops`)));
    } else {
      add(out, h("p", {}, `${within}: the shortest connection has ${fewest} hops, more `
                          + `than the ${MOST_HOPS} the explorer follows.`));
    }
    return found;
  }
  add(out, h("p", {}, `${counted(found.count, "path")}, shortest first.`));
  found.paths.forEach((path, i) => add(out, h("section", { class: "xp-path" },
    h("h3", {}, `Path ${i + 1}: ${counted(path.length, "hop")}`),
    onShow ? h("button", { type: "button", class: "xp-show-path",
                           onclick: () => onShow(path) }, `Show path ${i + 1} in the graph`)
      : null,
    h("ol", { class: "xp-hops" }, path.hops.map((hop) => h("li", { class: "xp-hop" },
      h("p", { class: "xp-hop-title" }, hop.source_label, " → ", hop.target_label),
      hop.edges.map((edge) => h("div", {},
        h("p", {}, h("strong", {}, edge.label),
          edge.source === hop.source ? "" : " (read backwards)"),
        edge.dates.length ? h("ul", { class: "xp-dates" },
          edge.dates.map((d) => h("li", {}, dateText(d, edge.sources)))) : null,
        h("ul", { class: "xp-sources" }, edge.sources.map(sourceBlock))))))))));
  return found;
}

/** The elements of one path in the graph drawn (nodes and the edges between its hops). */
export function pathElements(cy, path) {
  let kept = cy.collection();
  for (const iri of path.nodes) kept = kept.union(cy.getElementById(iri));
  for (const hop of path.hops) {
    for (const edge of hop.edges) {
      kept = kept.union(cy.edges().filter((e) => e.source().id() === edge.source
        && e.target().id() === edge.target && e.data("key") === edge.key));
    }
  }
  return kept;
}
