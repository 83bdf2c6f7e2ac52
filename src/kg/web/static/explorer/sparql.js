// The query tools of the explorer: a SPARQL box (a SELECT gives a table, a CONSTRUCT is
// drawn as a graph) and a form for each named query, run through /api/queries/<name>.
import { getJSON, sparql } from "./api.js";
import { fill, h } from "./dom.js";
import { autocomplete, findEntities } from "./search.js";
import { kindsFor } from "./labels.js";
import { renderSparqlResults, renderNamedResults, jsonldElements } from "./results.js";

export const EXAMPLE = `# Who holds which post, at which organization? (kg's prefixes are predeclared)
SELECT ?person ?post ?organization WHERE {
  ?holding a kg:PostHolding ; kg:holder ?p ; kg:role ?r ; kg:organization ?o .
  ?p rdfs:label ?person . ?r rdfs:label ?post . ?o rdfs:label ?organization .
}
ORDER BY ?organization ?person`;

function errorIn(out, error) {
  fill(out, h("pre", { class: "xp-error", role: "alert" }, error.message));
}

/** Wire the SPARQL box; ``onGraph(elements)`` draws a CONSTRUCT result. */
export function installSparqlBox(form, out, onGraph) {
  const text = form.elements.query;
  const saved = window.localStorage.getItem("kg.explorer.sparql");
  text.value = saved || EXAMPLE;
  text.addEventListener("input", () => window.localStorage.setItem("kg.explorer.sparql", text.value));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fill(out, h("p", { class: "xp-muted" }, "Running…"));
    try {
      const answer = await sparql(text.value);
      if (answer.kind === "graph") {
        const elements = jsonldElements(answer.data);
        // each node as the network draws its kind (kg:CooperationAgreement: an Agreement)
        const kinds = await kindsFor([...new Set(elements.nodes.flatMap((n) => n.data.types))]);
        for (const node of elements.nodes) {
          const kind = node.data.types.map((type) => kinds.get(type)).find(Boolean);
          if (kind) node.data.kind = kind;
        }
        fill(out, h("p", {}, `Drawn in the graph: ${elements.nodes.length} nodes, ` +
                                     `${elements.edges.length} edges.`));
        onGraph(elements);
      } else {
        await renderSparqlResults(out, answer.data);
      }
    } catch (error) {
      errorIn(out, error);
    }
  });
}

function field(param) {
  const id = `xp-param-${param.name}`;
  const value = param.default || param.example || "";
  const types = { date: "date", month: "month", year: "number", integer: "number" };
  const input = h("input", { id, name: param.name, type: types[param.type] || "text",
                             value: param.required ? "" : value,
                             placeholder: param.type === "iri" ? "type a name…" : param.example });
  const div = h("div", { class: "xp-field" },
    h("label", { for: id }, `${param.name} `, h("span", { class: "xp-muted" },
      `(${param.description}${param.required ? ", required" : ""})`)), input);
  if (param.type === "iri") {
    if (!param.required && value) input.dataset.iri = value;
    // once the input has its place: the list goes beside it (the whole graph's names:
    // a named query reads the graph, not the view)
    autocomplete(input, () => {}, findEntities, (text) => `No entity matches “${text}”.`);
  }
  return div;
}

/** Wire the named-query form: a choice of query, then a field per parameter. */
export async function installNamedQueries(form, out) {
  const select = form.elements.name;
  const fields = form.querySelector(".xp-params");
  const catalogue = await getJSON("/api/queries");
  const byName = new Map(catalogue.queries.map((q) => [q.name, q]));
  fill(select, catalogue.queries.map((q) => h("option", { value: q.name }, q.title)));
  const build = () => {
    const query = byName.get(select.value);
    fill(fields, h("p", { class: "xp-muted" }, query.description),
                         query.params.map(field));
  };
  select.addEventListener("change", build);
  select.value = byName.has("cq03-posts-at-organization") ? "cq03-posts-at-organization"
    : catalogue.queries[0].name;
  build();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const params = {};
    fields.querySelectorAll("input").forEach((input) => {
      const value = input.dataset.iri || input.value.trim();
      if (value) params[input.name] = value;
    });
    fill(out, h("p", { class: "xp-muted" }, "Running…"));
    try {
      renderNamedResults(out, await getJSON(`/api/queries/${encodeURIComponent(select.value)}`, params));
    } catch (error) {
      errorIn(out, error);
    }
  });
}
