// Query results as tables: labels and plain dates, IRIs linked to their local pages; the
// raw terms one click away.
import { add, clear, counted, curie, fill, h, iriLink } from "./dom.js";
import { entityIris, labelsFor } from "./labels.js";

const KG_IRI = /^https:\/\/w3id\.org\/kg\//;

function rawTerm(term) {
  if (!term) return "";
  if (term.type === "uri") return `<${term.value}>`;
  if (term.type === "bnode") return `_:${term.value}`;
  let text = JSON.stringify(term.value);
  if (term["xml:lang"]) text += "@" + term["xml:lang"];
  else if (term.datatype) text += "^^" + curie(term.datatype);
  return text;
}

/** A term as a person reads it: an IRI by its label (linked to its local page), a literal
 * by its plain value (2024-05-11, not "2024-05-11"^^xsd:date); a literal that lists kg's
 * IRIs (a named query's sources, GROUP_CONCAT of STR(?source) by spaces) as links, as in
 * a named query's table: they were text, the articles a row cites one copy away. */
function niceTerm(term, labels) {
  if (!term) return "";
  if (term.type === "uri") return iriLink(term.value, labels.get(term.value));
  if (term.type === "literal" || term.type === "typed-literal") return niceValue(term.value);
  return term.value;
}

/** A plain value from a named query's JSON rows: IRIs (alone or space-separated) linked. */
function niceValue(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string" && value.split(" ").every((part) => KG_IRI.test(part))) {
    return value.split(" ").flatMap((iri, i) => (i ? [" ", iriLink(iri)] : [iriLink(iri)]));
  }
  return String(value);
}

function table(vars, rows, cell) {
  return h("div", { class: "xp-table-wrap" }, h("table", { class: "xp-table" },
    h("thead", {}, h("tr", {}, vars.map((v) => h("th", { scope: "col" }, v)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, vars.map((v) => h("td", {}, cell(row[v]))))))));
}

/** SPARQL JSON results (SELECT or ASK) in ``out``: labels and plain values, with a switch
 * to the raw terms (IRIs, typed literals). */
export async function renderSparqlResults(out, data) {
  if (typeof data.boolean === "boolean") {
    fill(out, h("p", { class: "xp-answer" }, `Answer: ${data.boolean ? "yes" : "no"}`));
    return;
  }
  const vars = data.head.vars;
  const rows = data.results.bindings;
  const labels = await labelsFor(entityIris(rows));
  const nice = (term) => niceTerm(term, labels);
  const holder = h("div", { class: "xp-result-table" }, table(vars, rows, nice));
  const raw = h("input", { type: "checkbox", class: "xp-raw" });
  raw.addEventListener("change", () => {
    fill(holder, table(vars, rows, raw.checked ? rawTerm : nice));
  });
  fill(out, h("p", {}, `${counted(rows.length, "row")} · `,
                h("label", {}, raw, " show raw terms")), holder);
}

/** A named query's JSON answer in ``out``: a column ``x`` with a column ``xLabel`` is shown
 * once, as links labelled with the label. */
export function renderNamedResults(out, answer) {
  const labelled = new Set(answer.vars.filter((v) => answer.vars.includes(`${v}Label`)));
  const vars = answer.vars.filter((v) => !(v.endsWith("Label") && labelled.has(v.slice(0, -5))));
  const rows = answer.rows.map((row) => Object.fromEntries(vars.map((v) => [v,
    labelled.has(v) && row[v] ? { iri: row[v], label: row[`${v}Label`] } : row[v]])));
  const cell = (value) => (value && value.iri ? iriLink(value.iri, value.label) : niceValue(value));
  fill(out, h("p", {}, `${answer.title}: ${counted(answer.count, "row")}`),
    (answer.warnings || []).map((w) => h("p", { class: "xp-warn" }, w.message || JSON.stringify(w))),
    answer.kind === "ask" ? h("p", { class: "xp-answer" }, JSON.stringify(answer.rows[0]))
      : table(vars, rows, cell));
}

/** JSON-LD as the server writes it (an inline prefix context, compact IRIs) as Cytoscape
 * elements: a node per resource, an edge per statement between resources. */
export function jsonldElements(doc) {
  const context = (doc && !Array.isArray(doc) && doc["@context"]) || {};
  const expand = (term) => {
    const at = term.indexOf(":");
    const prefix = at > 0 ? term.slice(0, at) : null;
    return prefix && typeof context[prefix] === "string" ? context[prefix] + term.slice(at + 1) : term;
  };
  const list = (value) => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
  const items = Array.isArray(doc) ? doc : doc["@graph"] ? list(doc["@graph"]) : [doc];
  const nodes = new Map();
  const edges = [];
  const LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
  const node = (id) => {
    if (!nodes.has(id)) nodes.set(id, { data: { id, iri: id, label: curie(id), kind: "", types: [] } });
    return nodes.get(id);
  };
  for (const item of items) {
    const id = expand(item["@id"]);
    const subject = node(id);
    const types = list(item["@type"]).map(expand);
    if (types.length) {
      subject.data.types = types;
      subject.data.kind = types[0].split(/[#/]/).pop();
    }
    for (const [key, values] of Object.entries(item)) {
      if (key.startsWith("@")) continue;
      const predicate = expand(key);
      for (const value of list(values)) {
        if (value && typeof value === "object" && value["@id"]) {
          const target = expand(value["@id"]);
          node(target);
          edges.push({ data: { id: `q${edges.length}`, source: id, target,
                               label: curie(predicate), sources: [] } });
        } else if (predicate === LABEL) {
          subject.data.label = typeof value === "object" ? value["@value"] : String(value);
        }
      }
    }
  }
  return { nodes: [...nodes.values()], edges };
}
