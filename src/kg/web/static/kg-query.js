// kg's query page: YASGUI on this endpoint, the named queries offered as examples.
// No inline script: the page runs under a 'self'-only Content-Security-Policy.
// An ES module (after yasgui.min.js, which defines Yasgui, Yasqe and Yasr).
import { KGR, SRC, localHref } from "./explorer/dom.js";
import { renderSparqlResults } from "./explorer/results.js";
import { showError } from "./explorer/status.js";

const config = JSON.parse(document.getElementById("kg-config").textContent);
const byName = new Map(config.queries.map((query) => [query.name, query]));

/** The editor knows kg's predeclared prefixes (from the server, config.prefixes): a query
 * that uses kg: without declaring it is not marked as an error. YASQE's SPARQL mode starts
 * each parse with no prefixes; this mode is the same with kg's filled in. */
function predeclarePrefixes(prefixes) {
  const sparqlMode = window.Yasqe.modes.sparql11;
  window.Yasqe.defineMode("sparql11", (options, modeOptions) => {
    const mode = sparqlMode(options, modeOptions);
    const startState = mode.startState;
    mode.startState = (...args) => {
      const state = startState.apply(mode, args);
      state.prefixes = { ...prefixes, ...state.prefixes };
      return state;
    };
    return mode;
  });
}

/** A YASR view of a SELECT or ASK result: entities by their labels (linked to their local
 * pages), plain dates; "show raw terms" switches to the IRIs and typed literals. */
class LabelledTable {
  constructor(yasr) {
    this.yasr = yasr;
    this.priority = 30;
    this.label = "Labels";
  }

  json() {
    const results = this.yasr.results;
    if (!results || results.getError() || !results.getAsJson) return null;
    const json = results.getAsJson();
    return json && (json.results || typeof json.boolean === "boolean") ? json : null;
  }

  canHandleResults() { return this.json() !== null; }

  async draw() {
    const out = document.createElement("div");
    out.className = "kg-labelled xp-results";
    this.yasr.resultsEl.appendChild(out);
    await renderSparqlResults(out, this.json());
  }

  getIcon() {
    const icon = document.createElement("span");
    icon.textContent = "Aa";
    icon.setAttribute("aria-hidden", "true");
    return icon;
  }
}

predeclarePrefixes(config.prefixes);
window.Yasr.registerPlugin("labels", LabelledTable);

const yasgui = new window.Yasgui(document.getElementById("yasgui"), {
  requestConfig: { endpoint: config.endpoint, method: "POST" },
  copyEndpointOnNewTab: true,
  // typed queries and tabs survive a reload (kept in this browser's localStorage)
  persistenceId: "kg-query",
  endpointCatalogueOptions: {
    getData: () => [{ endpoint: config.endpoint }],
  },
  yasr: {
    // results open on labels; YASR's own table (kgr:leyla-aliyeva, typed literals) is a
    // click away, as is the raw response
    prefixes: config.prefixes,
    defaultPlugin: "labels",
    pluginOrder: ["labels", "table", "response"],
  },
  yasqe: {
    // the prefix list ships with YASGUI; property and class completion would ask
    // a remote vocabulary service, which this page never contacts
    autocompleters: ["prefixes", "variables"],
    value: config.first.text,
  },
});
const tab = yasgui.getTab();
if (tab && tab.getQuery() === config.first.text) tab.setName(config.first.name);

/** Open the named query ``query`` in the editor: a tab of its own, unless the tab shown
 * holds its text already. */
function openNamed(query) {
  const shown = yasgui.getTab();
  if (shown && shown.getQuery() === query.text) return;
  yasgui.addTab(true, { name: query.name, yasqe: { value: query.text } });
}

const select = document.getElementById("kg-examples");
select.addEventListener("change", () => {
  const query = byName.get(select.value);
  if (!query) return;
  openNamed(query);
  select.value = "";
});

// a link may name the named query to open: /query?open=cq07-member-since (one that names
// none is said, and the editor opens as it was)
const asked = new URLSearchParams(window.location.search).get("open");
if (asked) {
  if (byName.has(asked)) openNamed(byName.get(asked));
  else showError(`No named query is called “${asked}”: choose one from the list.`);
}

// IRIs of things the graph names and of its articles lead to their local pages, never
// off-site
function localise(root) {
  root.querySelectorAll(`a[href^='${KGR}'], a[href^='${SRC}']`).forEach((link) => {
    link.setAttribute("href", localHref(link.getAttribute("href")));
    link.removeAttribute("target");
  });
}
// a typed query survives a reload: YASGUI stores the editor's text when the editor loses
// the focus (or a query runs), so the page takes the focus away as it goes
window.addEventListener("pagehide", () => {
  if (document.activeElement && document.activeElement !== document.body) {
    document.activeElement.blur();
  }
});

/** Names for YASGUI's unnamed fields, and a tab list holding only tabs (its "+" button
 * becomes a tab of its own): what axe-core asks of the page (tests/test_explorer_access.py). */
function accessible(root) {
  const name = (selector, label) => root.querySelectorAll(`${selector}:not([aria-label])`)
    .forEach((el) => el.setAttribute("aria-label", label));
  name("input.autocomplete", "SPARQL endpoint");
  name(".yasqe textarea", "SPARQL query");
  root.querySelectorAll(".tabsList button.addTab:not([role])").forEach((button) => {
    button.setAttribute("role", "tab");
    button.setAttribute("aria-selected", "false");
  });
}

const results = document.getElementById("yasgui");
new MutationObserver(() => { localise(results); accessible(results); })
  .observe(results, { childList: true, subtree: true });
localise(results);
accessible(results);
window.kgYasgui = yasgui;
