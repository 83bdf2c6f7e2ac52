// An input with autocomplete over labels and alternative labels (the API's fuzzy search).
// Keyboard: arrows move, Enter chooses, Escape closes. The chosen entity's IRI is kept
// in input.dataset.iri.
import { getJSON } from "./api.js";
import { add, clear, h } from "./dom.js";
import { showError } from "./status.js";

let counter = 0;

/** Turn ``input`` into a combobox; ``onChoose({iri, label, kind})`` is called on a choice. */
export function autocomplete(input, onChoose = () => {}) {
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
    input.value = chosen.label;
    input.dataset.iri = chosen.iri;
    close();
    onChoose(chosen);
  };
  const show = () => {
    clear(list);
    results.forEach((r, i) => add(list, h("li", {
      id: `${id}-${i}`, role: "option", "aria-selected": "false", dataset: { iri: r.iri },
      onmousedown: (event) => { event.preventDefault(); choose(i); },
    }, r.label, h("span", { class: "xp-muted" }, ` ${r.kind}`),
       r.matched !== r.label ? h("span", { class: "xp-muted" }, ` (“${r.matched}”)`) : null)));
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
    mark(results.length ? 0 : -1);
  };
  const lookUp = async () => {
    const text = input.value.trim();
    if (!text) { results = []; close(); return; }
    const mine = ++asked;
    try {
      const found = await getJSON("/api/entities", { q: text, limit: 8 });
      if (mine !== asked) return;
      results = found.results;
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
