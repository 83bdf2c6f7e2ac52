// The labels of a query result's IRIs, asked from /sparql with kg's labels query (its text
// comes from the server, in the page's kg-config: kg/sparql/labels.rq).
import { sparql } from "./api.js";
import { KGR } from "./dom.js";

/** At most this many IRIs are labelled per result (the rest keep their short names). */
export const MOST = 200;
const SAFE = /^[^\s<>"{}|^`\\]+$/;  // an IRI that can be written <like this> as it is

function template() {
  const el = document.getElementById("kg-config");
  return el ? JSON.parse(el.textContent).labels || "" : "";
}

/** The IRIs of the things the graph names (kgr:) among SPARQL JSON results' bindings. */
export function entityIris(bindings) {
  const iris = new Set();
  for (const row of bindings) {
    for (const term of Object.values(row)) {
      if (term && term.type === "uri" && term.value.startsWith(KGR)) iris.add(term.value);
    }
  }
  return [...iris];
}

/** A Map from IRI to label for ``iris`` (those without a label are left out). A failure
 * leaves the map empty: the result is then shown by short names, never not at all. */
export async function labelsFor(iris) {
  const labels = new Map();
  const text = template();
  const list = iris.filter((iri) => SAFE.test(iri)).slice(0, MOST);
  if (!text || !list.length) return labels;
  const block = `VALUES ?resource { ${list.map((iri) => `<${iri}>`).join(" ")} }`;
  try {
    const answer = await sparql(text.replace(/^[ \t]*# VALUES[ \t]*$/m, block));
    for (const row of answer.data.results.bindings) labels.set(row.resource.value, row.label.value);
  } catch (_) {
    labels.clear();
  }
  return labels;
}
