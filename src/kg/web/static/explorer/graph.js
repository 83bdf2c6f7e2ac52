// The network drawn with Cytoscape.js and the fCoSE force-directed layout (vendored).
// Nodes are coloured and shaped by kind; the legend says which is which.
import { add, fill, h } from "./dom.js";

/** kg's palette (kg.palette, in the page's kg-config: the notebook's view and drawings
 * use the same): ``KINDS`` kind -> [colour, shape], ``OTHER`` for a node of no kind. */
const PALETTE = JSON.parse(document.getElementById("kg-config").textContent).palette;
export const KINDS = PALETTE.kinds;
const OTHER = PALETTE.other;
const HIGHLIGHT = PALETTE.highlight;

const STYLE = [
  { selector: "node", style: {
    "background-color": (n) => (KINDS[n.data("kind")] || OTHER)[0],
    shape: (n) => (KINDS[n.data("kind")] || OTHER)[1],
    label: "data(label)", width: 26, height: 26,
    "font-size": 11, color: "#111", "text-valign": "bottom", "text-margin-y": 4,
    "text-wrap": "ellipsis", "text-max-width": "150px",
    "text-outline-color": "#fff", "text-outline-width": 2, "min-zoomed-font-size": 7 } },
  { selector: "edge", style: {
    width: 1.5, "line-color": "#9aa3ab", "target-arrow-color": "#9aa3ab",
    "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.8,
    label: "data(label)", "font-size": 9, color: "#333", "text-rotation": "autorotate",
    "text-outline-color": "#fff", "text-outline-width": 2, "min-zoomed-font-size": 9 } },
  { selector: "edge[validity = 'reported']", style: { "line-style": "dashed" } },
  { selector: ".faded", style: { opacity: 0.15 } },
  { selector: "node.highlighted", style: { "border-width": 4, "border-color": HIGHLIGHT,
                                            "font-weight": "bold", "z-index": 10 } },
  { selector: "edge.highlighted", style: { "line-color": HIGHLIGHT, "target-arrow-color": HIGHLIGHT,
                                            width: 4, "font-weight": "bold", "z-index": 10 } },
  // (a path is labelled at any zoom: its names are what one reads)
  { selector: ".on-path", style: { "min-zoomed-font-size": 0 } },
  { selector: "node:selected", style: { "border-width": 5, "border-color": "#000", "z-index": 20 } },
  { selector: "edge:selected", style: { "line-color": "#000", "target-arrow-color": "#000",
                                         width: 4, "z-index": 20 } },
];

/** Space around what is fitted into the canvas (the layout's fit and the Fit button's). */
const PADDING = 30;
/** The key of Cytoscape's scratch data saying the whole drawing is fitted (keepInView). */
const WHOLE = "kg-whole";

/** fCoSE's options. Entities with no line drawn are tiled in rows apart from the rest:
 * spaced for their names (written below each, up to 150 px wide), not packed 10 px apart
 * with their names over each other. */
export function layoutOptions(animate = false) {
  return { name: "fcose", quality: "proof", randomize: true, animate, nodeRepulsion: 9000,
           idealEdgeLength: 110, nodeSeparation: 90, padding: PADDING,
           tilingPaddingHorizontal: 110, tilingPaddingVertical: 30 };
}

/** A Cytoscape instance in ``container``. */
export function createGraph(container) {
  if (!window.cytoscape) throw new Error("The graph library did not load.");
  if (window.cytoscapeFcose && !createGraph.registered) {
    window.cytoscape.use(window.cytoscapeFcose);
    createGraph.registered = true;
  }
  const cy = window.cytoscape({ container, style: STYLE, minZoom: 0.1,
                                maxZoom: 4, boxSelectionEnabled: false });
  keepInView(cy);
  return cy;
}

/** Replace what is drawn with ``elements`` ({nodes, edges}) and lay it out. */
export function draw(cy, elements) {
  cy.elements().remove();
  // spread the nodes before the layout runs, so that no edge joins two nodes at one point
  const side = Math.max(200, Math.sqrt(elements.nodes.length) * 120);
  cy.add([...elements.nodes.map((n) => ({ ...n, position: { x: Math.random() * side,
                                                             y: Math.random() * side } })),
          ...elements.edges]);
  return run(cy);
}

/** Add elements not yet drawn; lay out again. */
export function merge(cy, elements) {
  const fresh = [...elements.nodes, ...elements.edges].filter(
    (el) => cy.getElementById(el.data.id).empty());
  cy.add(fresh);
  cy.elements().style("display", "element");
  return run(cy);
}

function run(cy) {
  return new Promise((resolve) => {
    if (cy.nodes().empty()) { resolve(); return; }
    const layout = cy.layout(layoutOptions());
    layout.one("layoutstop", () => resolve());
    layout.run();
  });
}

/** Fade everything but ``kept`` (a collection); an empty one clears the fading. A
 * ``path`` is also labelled at any zoom and brought into view. */
export function spotlight(cy, kept, { path = false } = {}) {
  cy.elements().removeClass("faded highlighted on-path");
  if (!kept || kept.empty()) return;
  cy.elements().not(kept).addClass("faded");
  kept.addClass("highlighted");
  if (!path) return;
  kept.addClass("on-path");
  fitPath(cy, { animate: true });
}

/** Bring the path drawn (its elements: ``.on-path``) into view, no closer than the usual
 * reading zoom (a one-hop path would fill the canvas). */
function fitPath(cy, { animate = false } = {}) {
  const kept = cy.$(".on-path");
  if (kept.empty()) return;
  cy.scratch(WHOLE, false);
  const closest = () => {
    if (cy.zoom() > 1.5) {
      cy.zoom({ level: 1.5, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    }
  };
  // (one still running was aimed at the old size: it stops where it is, this one goes on)
  if (!animate) cy.stop(true);
  cy.animate({ fit: { eles: kept, padding: 60 } }, { duration: animate ? 250 : 100,
                                                      complete: closest });
}

/** The view kept steady when the canvas changes size (a status line shown above it, a
 * panel opened beside it, the window resized): a path drawn stays in view, fitted again;
 * otherwise what was at the centre stays there. (Cytoscape keeps the top-left corner:
 * a path fitted just before the status said "Path 1 drawn" lost its lowest names under
 * the canvas's new edge.) */
function keepInView(cy) {
  let size = { width: cy.width(), height: cy.height() };
  cy.on("resize", () => {
    const now = { width: cy.width(), height: cy.height() };
    if (cy.$(".on-path").nonempty()) fitPath(cy);
    else if (cy.scratch(WHOLE)) fitAll(cy);
    else cy.panBy({ x: (now.width - size.width) / 2, y: (now.height - size.height) / 2 });
    size = now;
  });
  // the whole drawing is in view, fitted (by a layout, or fitAll), until the reader moves
  // or zooms it: then it stays fitted when the canvas changes size (the timeline drawn
  // below it after the graph took 150 px off the canvas: the overview lost its top and
  // bottom rows under the edges)
  cy.on("layoutstop", () => cy.scratch(WHOLE, true));
  cy.on("dragpan scrollzoom pinchzoom", () => cy.scratch(WHOLE, false));
}

/** Fit the whole drawing into the canvas, and keep it so when the canvas changes size. */
export function fitAll(cy) {
  cy.fit(undefined, PADDING);
  cy.scratch(WHOLE, true);
}

export function centreOn(cy, node) {
  cy.scratch(WHOLE, false);
  cy.elements().unselect();
  node.select();
  cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.1) }, { duration: 250 });
}

/** The legend: one entry per kind drawn. */
export function renderLegend(el, cy) {
  const kinds = [...new Set(cy.nodes().map((n) => n.data("kind")))].sort();
  fill(el, h("h2", { class: "xp-sr" }, "Legend"),
    h("ul", {}, kinds.map((kind) => {
      const [colour, shape] = KINDS[kind] || OTHER;
      return h("li", {}, h("span", { class: `xp-swatch xp-shape-${shape}`,
                                      style: `background:${colour}` }),
               kind || "no type");  // (a query result's node whose type it does not give)
    }),
    h("li", {}, h("span", { class: "xp-dash" }), "reported, not known to hold")));
}
