// The query page's own parts beside YASGUI: a summary of what is in the graph (classes
// with counts, how many source articles, the first few named) and a form for each named
// query. ES module; it uses the explorer's modules, and talks only to this server.
import { apiUrl, getJSON, sparql } from "./explorer/api.js";
import { counted, curie, fill, grouped, h } from "./explorer/dom.js";
import { installNamedQueries } from "./explorer/sparql.js";
import { showError, installGlobalHandlers } from "./explorer/status.js";

// how many articles the summary names (the rest are counted, and a link lists them)
const SHOWN = 5;

async function summary(el, classQuery) {
  const [classes, sources] = await Promise.all([
    sparql(classQuery), getJSON("/api/sources", { limit: SHOWN })]);
  const rows = classes.data.results.bindings;
  const more = sources.total - sources.articles.length;
  fill(el,
    h("p", {}, h("strong", {}, "In the graph: "),
      rows.map((row, i) => [i ? ", " : "", `${grouped(row.things.value)} ${curie(row.class.value)}`])),
    h("p", {}, h("strong", {}, `${counted(sources.total, "source article")}: `),
      sources.articles.map((a, i) => [i ? "; " : "", `${a.label} (${a.issued})`]),
      more > 0 ? [" … and ", h("a", { href: apiUrl("/api/sources", { offset: SHOWN }) },
                                    `${grouped(more)} more`)] : null));
}

const config = JSON.parse(document.getElementById("kg-config").textContent);
installGlobalHandlers();
summary(document.getElementById("kg-summary"), config.first.text.replace(/^PREFIX[^\n]*\n/gm, ""))
  .catch((error) => showError(`The summary could not be loaded: ${error.message}`));
installNamedQueries(document.getElementById("xp-named"), document.getElementById("xp-results"))
  .catch((error) => showError(`The named queries could not be loaded: ${error.message}`));
