// An input with autocomplete: over the entities' labels and alternative labels (the API's
// fuzzy search), or over the source articles (their words: findArticles). Keyboard:
// arrows move, Enter chooses, Escape closes. The chosen one's IRI is kept in
// input.dataset.iri.
import { getJSON } from "./api.js";
import { add, clear, h, slugOf } from "./dom.js";
import { showError } from "./status.js";

let counter = 0;

/** The entities whose names best match ``text``: {iri, label, kind, matched}; with
 * ``filters`` (the API's view, as_of, reported_by, source, type), only those in that view. */
export async function findEntities(text, filters = {}) {
  return (await getJSON("/api/entities", { ...filters, q: text, limit: 8 })).results;
}

/** The source articles with each word of ``text`` (id, label, publisher or date), as
 * options whose value is the article's id: what the filters' source field takes. */
export async function findArticles(text) {
  const found = await getJSON("/api/sources", { q: text, limit: 8 });
  return found.articles.map((a) => ({ iri: a.article, label: a.label, matched: a.label,
                                      kind: a.issued || "", value: a.id }));
}

/** Turn ``input`` into a combobox; ``onChoose({iri, label, kind})`` is called on a choice.
 * ``find(text)`` gives the options (each {iri, label, kind, matched}, and ``value``: what
 * the input then holds, the label when not given); ``none(text)``, what the list says
 * when there are none (nothing, when not given). */
export function autocomplete(input, onChoose = () => {}, find = findEntities, none = null) {
  const id = `xp-list-${++counter}`;
  const list = h("ul", { id, role: "listbox", class: "xp-options", hidden: true });
  const wrap = h("span", { class: "xp-combo" });
  input.replaceWith(wrap);
  wrap.append(input, list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", id);
  input.setAttribute("aria-expanded", "false");
  input.autocomplete = "off";
  let results = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const mark = (index) => {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
    if (index >= 0) input.setAttribute("aria-activedescendant", `${id}-${index}`);
  };
  const choose = (index) => {
    const chosen = results[index];
    if (!chosen) return;
    input.value = chosen.value ?? chosen.label;
    input.dataset.iri = chosen.iri;
    close();
    onChoose(chosen);
  };
  const show = () => {
    clear(list);
    // namesakes (two people of one name) told apart by their identifiers
    const named = new Map();
    const name = (r) => `${r.kind} ${r.label}`;
    results.forEach((r) => named.set(name(r), (named.get(name(r)) || 0) + 1));
    results.forEach((r, i) => add(list, h("li", {
      id: `${id}-${i}`, role: "option", "aria-selected": "false", dataset: { iri: r.iri },
      title: r.iri, onmousedown: (event) => { event.preventDefault(); choose(i); },
    }, r.label, h("span", { class: "xp-muted" }, ` ${r.kind}`),
       r.matched !== r.label ? h("span", { class: "xp-muted" }, ` (“${r.matched}”)`) : null,
       named.get(name(r)) > 1 ? h("span", { class: "xp-muted" }, ` · ${slugOf(r.iri)}`) : null)));
    const said = !results.length && none ? none(input.value.trim()) : null;
    if (said) {  // (an option of the listbox, as ARIA asks, that cannot be chosen)
      add(list, h("li", { class: "xp-muted xp-none", role: "option", "aria-disabled": "true",
                          "aria-selected": "false" }, said));
    }
    list.hidden = results.length === 0 && !said;
    input.setAttribute("aria-expanded", String(!list.hidden));
    mark(results.length ? 0 : -1);
  };
  const lookUp = async () => {
    const text = input.value.trim();
    if (!text) { results = []; close(); return; }
    const mine = ++asked;
    try {
      const found = await find(text);
      if (mine !== asked) return;
      results = found;
      show();
    } catch (error) {
      showError(`Search failed: ${error.message}`);
    }
  };
  input.addEventListener("input", () => {
    delete input.dataset.iri;
    clearTimeout(timer);
    timer = setTimeout(lookUp, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && results.length) {
      event.preventDefault();
      if (list.hidden) show(); else mark(Math.min(active + 1, results.length - 1));
    } else if (event.key === "ArrowUp" && results.length) {
      event.preventDefault();
      mark(Math.max(active - 1, 0));
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      clearTimeout(timer);  // a look-up typed for and not yet answered opens nothing after
      asked += 1;
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
  return { close };
}

/** The value of an entity input: the chosen IRI, else what was typed (the API resolves it). */
export function entityValue(input) {
  return input.dataset.iri || input.value.trim();
}
