// kg's explorer: the network of the graph, every line leading to its article and words.
// This module wires the parts together; each part lives in a module of its own.
import { apiUrl, getJSON } from "./api.js";
import { absentName, clear, counted, curie, grouped, h, iriOf, slugOf } from "./dom.js";
import { createGraph, draw, merge, spotlight, centreOn, fitAll, renderLegend } from "./graph.js";
import { autocomplete, entityValue, findArticles, findEntities } from "./search.js";
import { showNode, showEdge, showNothing } from "./panel.js";
import { installArticleDialog } from "./article.js";
import { findPaths, MOST_HOPS, pathElements } from "./paths.js";
import { renderTypes, readFilters, writeFilters } from "./filters.js";
import { renderTimeline, periodIds, periodRange } from "./timeline.js";
import { installSparqlBox, installNamedQueries } from "./sparql.js";
import { readState, writeState, filterParams } from "./state.js";
import { showError, showInfo, showingError, clearStatus, installGlobalHandlers } from "./status.js";

const $ = (id) => document.getElementById(id);
let state = readState();
let cy = null;
let drawnFor = null;   // the filters the drawn graph was loaded with (JSON)
let periodRows = [];
// why the graph is drawn in part ("" when whole): too large to draw at once, it opens on
// its most connected entities (``overview``: how many of how many) and is grown from the
// entities one looks for or expands, each with its neighbours
let partial = "";
let overview = null;
// how many of the most connected entities a graph too large to draw whole opens on (the
// server keeps fewer when they and the lines among them would pass its limit)
const OVERVIEW = 100;

const actions = {
  selectNode: (node) => select(node, { push: true }),
  selectEdge: (edge) => selectEdge(edge, { push: true }),
  expand: (node) => expand(node),
  hide: (node) => { node.style("display", "none"); cy.elements().unselect();
                    state = { ...state, node: "", edge: "" }; writeState(state); showNothing(); },
  pathFrom: (node) => setPathEnd("from", node),
  pathTo: (node) => setPathEnd("to", node),
};

function setPathEnd(which, node) {
  const input = $(`xp-path-${which}`);
  input.value = node.data("label");
  input.dataset.iri = node.id();
  $("xp-tools").open = true;
  $("xp-pathfinder").open = true;
  input.focus();
}

function select(node, { push = false } = {}) {
  if (!node || node.empty()) return;
  show(node);
  centreOn(cy, node);
  showNode(node, actions, state);
  const slug = slugOf(node.id());
  if (state.node !== slug || state.edge) {
    state = { ...state, node: slug, edge: "" };
    writeState(state, { push });
  }
}

/** Show hidden elements again. (Only hidden ones: a style set on a drawn node leaves
 * Cytoscape's hit test looking at its old place, and clicks on it then miss.) */
function show(elements) {
  elements.filter((el) => el.style("display") === "none").style("display", "element");
}

/** An edge's name in the URL, the same whatever the filters: "source key target", each a
 * slug or a short name (salim-al-malik kgr:signature-2024-10-14-icesco agreement-…). */
function edgeKey(edge) {
  return [slugOf(edge.source().id()), curie(edge.data("key") || edge.data("label")),
          slugOf(edge.target().id())].join(" ");
}

function selectEdge(edge, { push = false } = {}) {
  if (!edge || edge.empty()) return;
  cy.elements().unselect();
  show(edge.union(edge.connectedNodes()));
  edge.select();
  showEdge(edge, actions);
  const key = edgeKey(edge);
  if (state.edge !== key || state.node) {
    state = { ...state, node: "", edge: key };
    writeState(state, { push });
  }
}

/** Draw ``entity`` (an IRI) and its neighbours beside what is drawn; its node, and how
 * many neighbours it has; ``absent`` when the filters leave it out (nothing drawn). */
async function drawAround(entity) {
  const found = await getJSON("/api/neighbors", { entity, radius: 1, ...filterParams(state) });
  if (found.absent.length) {
    return { node: cy.collection(), neighbours: 0, reached: 0, absent: found.absent };
  }
  const drawn = new Set(cy.edges().map((e) => `${e.source().id()} ${e.data("key")} ${e.target().id()}`));
  const edges = found.edges.filter((d) => !drawn.has(`${d.source} ${d.key} ${d.target}`))
    .map((d, i) => ({ data: { ...d, id: `x${Date.now()}-${i}` } }));
  await merge(cy, { nodes: found.nodes.map((d) => ({ data: { ...d, id: d.iri } })), edges });
  countDrawn();
  renderLegend($("xp-legend"), cy);
  return { node: cy.getElementById(found.center), neighbours: found.nodes.length - 1,
           reached: Math.max(found.reached - 1, 0) };
}

/** What was drawn around a node, said: how many neighbours, and that they are the most
 * connected of more when the server kept only those. */
function shownAround(label, { neighbours, reached }) {
  return reached > neighbours
    ? `${label}: the ${neighbours} most connected of its ${reached} neighbours shown.`
    : `${label}: ${counted(neighbours, "neighbour")} shown.`;
}

async function expand(node) {
  try {
    showInfo(shownAround(node.data("label"), await drawAround(node.id())));
  } catch (error) {
    showError(`Could not expand: ${error.message}`);
  }
}

/** The node of ``iri``. In a graph drawn in part, one not drawn is drawn now with its
 * neighbours (with ``around``, one drawn already too: a name looked for, perhaps among
 * the most connected the graph opened on); one not in this view is said, when
 * ``missing`` is given: ``missing(label)`` is what to say (the label the server gives,
 * when the filters leave the entity out of a graph drawn in part). */
async function reach(iri, missing = null, { around = false } = {}) {
  const node = cy.getElementById(iri);
  if (!partial || (node.nonempty() && !around)) {
    if (node.empty() && missing) { showNothing(); showInfo(missing()); }
    return node;
  }
  try {
    const drawn = await drawAround(iri);
    if (drawn.absent) {  // left out by the filters: nothing to draw around
      if (missing) { showNothing(); showInfo(missing(absentName(drawn.absent[0]))); }
      return drawn.node;
    }
    // what was drawn, said (in place of what the overview said: it is drawn from now)
    showInfo(shownAround(drawn.node.data("label"), drawn));
    return drawn.node;
  } catch (error) {
    if (missing) { showNothing(); showError(error.message); }
    return cy.collection();
  }
}

function countDrawn() {
  $("xp-count").textContent = `${counted(cy.nodes().length, "node")}, `
    + counted(cy.edges().length, "line")
    + (partial ? " (part of the graph)" : "");
}

/** Load and draw the graph for the state's filters (only when they changed). */
async function loadGraph() {
  const filters = filterParams(state);
  const key = JSON.stringify(filters);
  if (key === drawnFor) return;
  $("cy").setAttribute("aria-busy", "true");
  try {
    // the whole graph, or when it is too large to draw whole (too_large says why), its
    // most connected entities and the lines among them: drawn in part, grown from there
    // (none when even those are refused: the whole full view, before it is built)
    const answer = await getJSON("/api/graph", { ...filters, overview: OVERVIEW });
    partial = answer.too_large || "";
    overview = answer.top || null;
    await draw(cy, answer.elements);
    drawnFor = key;
    countDrawn();
    renderLegend($("xp-legend"), cy);
    updateExports();
  } finally {
    $("cy").removeAttribute("aria-busy");
  }
}

/** The export links: the graph of the filters, or, when it is too large to draw whole,
 * the most connected entities it opened on (the whole would pass the server's time limit
 * at 10,000 articles, a 200 MB file: ``kg export`` writes it). */
function updateExports() {
  const filters = filterParams(state);
  const top = partial ? (overview ? overview.nodes : OVERVIEW) : null;
  for (const format of ["graphml", "gexf"]) {
    const link = $(`xp-export-${format}`);
    link.href = apiUrl("/api/export", { format, ...filters, ...(top ? { top } : {}) });
    link.textContent = `${format === "gexf" ? "GEXF" : "GraphML"}${top ? ` (top ${top})` : ""}`;
    link.title = top
      ? `The ${top} most connected entities and the lines among them: the graph is too `
        + `large to export here whole (kg export --format ${format} writes it)`
      : "The graph of these filters, every attribute kept";
  }
}

async function loadTimeline() {
  periodRows = [];
  try {
    periodRange(state.period);
  } catch (error) {  // (a link's period the strip cannot show: said, and the strip drawn)
    dropFromLink("period", error.message);
  }
  periodRows = await renderTimeline($("xp-timeline"), filterParams(state), state.period,
    (period) => {
      try {
        periodRange(period);
      } catch (error) {
        showError(error.message);
        return;
      }
      state = { ...state, period };
      writeState(state);
      apply();
    },
    async (row) => {
      for (const iri of [row.item, ...row.entities.slice(0, 1)]) {
        const node = await reach(iri);
        if (node.nonempty()) { select(node, { push: true }); return; }
      }
    });
}

function applyPeriod() {
  if (!state.period) { spotlight(cy, null); return; }
  const ids = periodIds(periodRows);
  const kept = cy.nodes().filter((n) => ids.has(n.id()))
    .union(cy.edges().filter((e) => ids.has(e.data("relationship"))
      || (ids.has(e.source().id()) && ids.has(e.target().id()))));
  spotlight(cy, kept.union(kept.connectedNodes()));
}

/** Whether any filter narrows the graph (a view other than actors counts: it is another
 * graph, not a narrower one, but its names are its own). */
function filtersSet() {
  const f = filterParams(state);
  return Boolean(f.as_of || f.reported_by || f.source || f.type.length || f.view !== "actors");
}

/** Show a path end from the URL by its label when it is drawn. */
function showEnd(input, value) {
  const node = cy.getElementById(iriOf(value));
  input.value = node.nonempty() ? node.data("label") : value;
  if (node.nonempty()) input.dataset.iri = node.id();
}

/** A link's ``key`` the page cannot use: ``message`` said, and the value dropped from the
 * state and the URL (the entry replaced: the back button does not return to it). */
function dropFromLink(key, message) {
  showError(message);
  state = { ...state, [key]: "" };
  writeState(state, { push: false });
}

async function runPaths() {
  if (!state.from || !state.to) return;
  if (state.hops && !(/^[1-9]$/.test(state.hops) && Number(state.hops) <= MOST_HOPS)) {
    dropFromLink("hops", `The link's hops=${state.hops} is not a number of hops from 1 to `
                         + `${MOST_HOPS}: paths of up to 4 hops are looked for.`);
  }
  const found = await findPaths(state.from, state.to, filterParams(state), $("xp-paths"), {
    hops: state.hops,
    onLonger: (hops) => { state = { ...state, hops: String(hops), path: "" }; writeState(state);
                          runPaths(); },
    onShow: (path) => {
      const number = String(found.paths.indexOf(path) + 1);
      state = { ...state, path: number === "1" ? "" : number };
      writeState(state);
      showPath(path, number);
    },
  });
  if (!found || !found.paths.length) return;
  let shown = found.paths[0];
  if (state.path) {  // the path a link names (?path=2), the first when it names none found
    const chosen = /^[1-9]\d*$/.test(state.path) && found.paths[Number(state.path) - 1];
    if (chosen) shown = chosen;
    else {
      dropFromLink("path", `The link's path=${state.path} is not one of the `
                           + `${found.paths.length} paths found: the first is drawn.`);
    }
  }
  await showPath(shown, found.paths.indexOf(shown) + 1);
}

/** Draw ``path`` (one of /api/paths' answer, its ``number``) in red, in view, its names at
 * any zoom. In a graph drawn in part, what was drawn is said: the path (its entities not
 * drawn yet are drawn with their neighbours, each saying so in turn: the last one's words
 * stayed, as if only it had been drawn). */
async function showPath(path, number) {
  const warned = showingError();  // (a link's path= that was dropped: said, and kept)
  for (const iri of path.nodes) await reach(iri);  // (drawn in part: drawn now)
  spotlight(cy, pathElements(cy, path), { path: true });
  if (partial && !warned && !showingError()) {
    const [first, last] = [path.labels[0], path.labels[path.labels.length - 1]];
    showInfo(`Path ${number} drawn: ${counted(path.hops.length, "hop")} from ${first} to `
             + `${last}.`);
  }
}

/** Make the page show ``state``: graph, filters, selection, period, paths. */
async function apply() {
  clearStatus();
  writeFilters($("xp-filters"), state);
  const shown = state.node && cy.getElementById(iriOf(state.node));  // (before a redraw)
  const name = shown && shown.nonempty() ? shown.data("label") : state.node;
  try {
    await loadGraph();
  } catch (error) {
    showNothing();  // (not "Loading the graph…" for good)
    showError(`The graph could not be loaded: ${error.message}`);
    return;
  }
  try {
    await loadTimeline();
  } catch (error) {
    showError(`The timeline could not be loaded: ${error.message}`);
  }
  applyPeriod();
  if (state.from && state.to) {
    await runPaths();  // (first: drawn in part, the ends are drawn by it)
    showEnd($("xp-path-from"), state.from);
    showEnd($("xp-path-to"), state.to);
  }
  if (state.edge) {
    await reach(iriOf(state.edge.split(" ")[0]));  // (drawn in part: its source, drawn now)
    const edge = cy.edges().filter((e) => edgeKey(e) === state.edge);
    if (edge.nonempty()) { selectEdge(edge.first()); centreOn(cy, edge.first()); }
    else { showNothing(); showInfo(`The line ${state.edge} is not in this view.`); }
  } else if (state.node) {
    const node = await reach(iriOf(state.node),  // (one in the overview too: with its own)
      (label = name) => `${label} is not in this view: change the filters.`, { around: true });
    if (node.nonempty()) select(node);
  } else {
    cy.elements().unselect();
    showNothing();
  }
  const onlyOverview = overview && cy.nodes().length === overview.nodes;  // nothing grown
  if (partial && (cy.nodes().empty() || (onlyOverview && !state.node && !state.edge))
      && !showingError()) {  // (an error said on the way stays said)
    // (lines among them when there are some: the hubs of a star-shaped graph, places each
    // with a hundred events, may have none between them; the filters can take them away)
    const lines = cy.edges().length;
    const among = lines ? "and the lines among them" : "(no line joins any two of them)";
    const drawn = overview && overview.nodes
      ? `drawn are its ${overview.nodes} most connected entities of `
        + `${grouped(overview.of)} ${among}; `
      : "";
    showInfo(`The graph is too large to draw whole (${partial.replace(/; narrow.*/, "")}): `
             + `${drawn}find a name to start from it and its neighbours, double-click a node `
             + "to draw its own, or narrow the graph with the filters.");
  }
}

function exportPng() {
  const blob = cy.png({ output: "blob", full: true, bg: "#ffffff", scale: 2 });
  const link = h("a", { href: URL.createObjectURL(blob), download: "kg-graph.png" });
  document.body.append(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
}

function wire() {
  // names looked for in the view the filters make (one they leave out could not be shown)
  const inView = (text) => findEntities(text, filterParams(state));
  const noneInView = (text) => `No name in this view matches “${text}”`
    + (filtersSet() ? ": the filters leave out the rest." : ".");
  autocomplete($("xp-search"), async (chosen) => {
    const node = await reach(chosen.iri,
                             () => `${chosen.label} is not in this view: change the filters.`,
                             { around: true });
    if (node.nonempty()) select(node, { push: true });
  }, inView, noneInView);
  autocomplete($("xp-path-from"), () => {}, inView, noneInView);
  autocomplete($("xp-path-to"), () => {}, inView, noneInView);
  autocomplete($("xp-source"), () => {}, findArticles);  // found by words: 10,000 are no list
  cy.on("tap", "node", (event) => select(event.target, { push: true }));
  cy.on("tap", "edge", (event) => actions.selectEdge(event.target));
  cy.on("dbltap", "node", (event) => expand(event.target));
  $("xp-filters").addEventListener("submit", (event) => {
    event.preventDefault();
    try {
      state = readFilters(event.target, state);
    } catch (error) {
      showError(error.message);
      return;
    }
    writeState(state);
    apply();
  });
  $("xp-filters").elements.view.addEventListener("change", () => $("xp-filters").requestSubmit());
  $("xp-pathfinder-form").addEventListener("submit", (event) => {
    event.preventDefault();
    // (slugs in the URL, as a selection's: ?from=leyla-aliyeva; two new ends: 4 hops first)
    state = { ...state, from: slugOf(entityValue($("xp-path-from"))),
              to: slugOf(entityValue($("xp-path-to"))), hops: "", path: "" };
    writeState(state);
    runPaths();
  });
  $("xp-reset").addEventListener("click", () => {
    history.pushState(null, "", window.location.origin + window.location.pathname);
    state = readState("");
    drawnFor = null;
    clear($("xp-paths"));
    cy.elements().style("display", "element");
    apply();
  });
  $("xp-fit").addEventListener("click", () => fitAll(cy));
  $("xp-export-png").addEventListener("click", exportPng);
  window.addEventListener("popstate", () => { state = readState(); apply(); });
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
      event.preventDefault();
      $("xp-search").focus();
    }
  });
}

async function main() {
  installGlobalHandlers();
  installArticleDialog();
  if (window.matchMedia("(max-width: 800px)").matches) $("xp-tools").open = false;  // graph first
  cy = createGraph($("cy"));
  window.kgExplorer = { get cy() { return cy; }, get state() { return state; } };
  renderTypes($("xp-types"), state);
  wire();
  installSparqlBox($("xp-sparql"), $("xp-results"), async (elements) => {
    await draw(cy, elements);
    drawnFor = null;
    renderLegend($("xp-legend"), cy);
    $("xp-count").textContent = `query result: ${cy.nodes().length} nodes, ${cy.edges().length} lines (Reset to return)`;
  });
  installNamedQueries($("xp-named"), $("xp-results")).catch(
    (error) => showError(`The named queries could not be loaded: ${error.message}`));
  await apply();
  document.body.dataset.ready = "true";
}

main();
