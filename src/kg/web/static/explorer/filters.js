// The filter form: node types, one source article (found by its words: search.js
// findArticles), "as of" (valid time) and "as reported by" (knowledge time), the view. It
// reads from and writes to the state.
import { fill, h } from "./dom.js";
import { KINDS } from "./graph.js";

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

export function renderTypes(fieldset, state) {
  const kinds = Object.keys(KINDS).filter((k) => k !== "NewsArticle");
  fill(fieldset, h("legend", {}, "Types"), kinds.map((kind) => h("label", {},
    h("input", { type: "checkbox", name: "type", value: kind,
                 checked: !state.type.length || state.type.includes(kind) }), ` ${kind}`)));
}

/** The form's values, checked; throws an Error naming a bad date. */
export function readFilters(form, state) {
  const data = new FormData(form);
  const checked = data.getAll("type");
  const all = form.querySelectorAll("input[name=type]").length;
  const next = { ...state, view: data.get("view") || "actors",
                 source: (data.get("source") || "").trim(),
                 as_of: (data.get("as_of") || "").trim(),
                 reported_by: (data.get("reported_by") || "").trim(),
                 type: checked.length === all ? [] : checked };
  for (const name of ["as_of", "reported_by"]) {
    if (next[name] && !DATE.test(next[name])) {
      throw new Error(`${name === "as_of" ? "As of" : "As reported by"}: write a date as ` +
                      `YYYY, YYYY-MM or YYYY-MM-DD, not “${next[name]}”`);
    }
  }
  return next;
}

export function writeFilters(form, state) {
  form.elements.view.value = state.view;
  form.elements.as_of.value = state.as_of;
  form.elements.reported_by.value = state.reported_by;
  form.elements.source.value = state.source;
  form.querySelectorAll("input[name=type]").forEach((box) => {
    box.checked = !state.type.length || state.type.includes(box.value);
  });
}
