// The labels of a query result's IRIs, and the network kinds of its types, asked from
// /sparql with kg's queries (their texts come from the server, in the page's kg-config:
// kg/sparql/labels.rq, kg/sparql/kinds.rq).
import { sparql } from "./api.js";
import { KGR } from "./dom.js";

/** At most this many IRIs are labelled per result (the rest keep their short names). */
export const MOST = 200;
const SAFE = /^[^\s<>"{}|^`\\]+$/;  // an IRI that can be written <like this> as it is

function template(name = "labels") {
  const el = document.getElementById("kg-config");
  return el ? JSON.parse(el.textContent)[name] || "" : "";
}

/** The rows of the query ``name`` for ``iris`` (written in as its VALUES block of
 * ``variable``), [] when there are none or it fails. */
async function askAbout(name, variable, iris) {
  const text = template(name);
  const list = iris.filter((iri) => SAFE.test(iri)).slice(0, MOST);
  if (!text || !list.length) return [];
  const block = `VALUES ?${variable} { ${list.map((iri) => `<${iri}>`).join(" ")} }`;
  try {
    return (await sparql(text.replace(/^[ \t]*# VALUES[ \t]*$/m, block))).data.results.bindings;
  } catch (_) {
    return [];
  }
}

/** A Map from class IRI to the network kind it is drawn as (Person, Agreement, …) for
 * ``types``; those of no kind are left out, and a failure leaves the map empty. */
export async function kindsFor(types) {
  const rows = await askAbout("kinds", "type", types);
  return new Map(rows.map((row) => [row.type.value, row.kind.value.split(/[#/]/).pop()]));
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
  const rows = await askAbout("labels", "resource", iris);
  return new Map(rows.map((row) => [row.resource.value, row.label.value]));
}
