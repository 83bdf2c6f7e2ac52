// The query page's own parts beside YASGUI: a summary of what is in the graph (classes
// with counts, the source articles) and a form for each named query. ES module; it uses
// the explorer's modules, and talks only to this server.
import { getJSON, sparql } from "./explorer/api.js";
import { fill, h, curie } from "./explorer/dom.js";
import { installNamedQueries } from "./explorer/sparql.js";
import { showError, installGlobalHandlers } from "./explorer/status.js";

async function summary(el, classQuery) {
  const [classes, sources] = await Promise.all([sparql(classQuery), getJSON("/api/sources")]);
  const rows = classes.data.results.bindings;
  fill(el,
    h("p", {}, h("strong", {}, "In the graph: "),
      rows.map((row, i) => [i ? ", " : "", `${row.things.value} ${curie(row.class.value)}`])),
    h("p", {}, h("strong", {}, `${sources.articles.length} source articles: `),
      sources.articles.map((a, i) => [i ? "; " : "", `${a.label} (${a.issued})`])));
}

const config = JSON.parse(document.getElementById("kg-config").textContent);
installGlobalHandlers();
summary(document.getElementById("kg-summary"), config.first.text.replace(/^PREFIX[^\n]*\n/gm, ""))
  .catch((error) => showError(`The summary could not be loaded: ${error.message}`));
installNamedQueries(document.getElementById("xp-named"), document.getElementById("xp-results"))
  .catch((error) => showError(`The named queries could not be loaded: ${error.message}`));
