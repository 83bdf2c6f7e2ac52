// The timeline strip: dated facts and publications by year; choosing a period fades what
// does not take part in it.
import { getJSON } from "./api.js";
import { add, fill, h } from "./dom.js";

/** Draw the strip in ``el``; ``onPeriod(year or "")`` is called when a period is chosen. */
export async function renderTimeline(el, filters, period, onPeriod, onItem) {
  const table = await getJSON("/api/timeline", filters);
  const years = new Map();
  for (const row of table.rows) {
    const year = row.date.slice(0, 4);
    if (!years.has(year)) years.set(year, []);
    years.get(year).push(row);
  }
  const rows = period ? years.get(period) || [] : [];
  fill(el, 
    h("h2", { class: "xp-strip-title" }, "Timeline"),
    h("div", { class: "xp-years", role: "group", "aria-label": "Periods" },
      [...years].map(([year, list]) => h("button", {
        type: "button", class: "xp-year", "aria-pressed": String(year === period),
        title: `${list.length} dated facts in ${year}`,
        onclick: () => onPeriod(year === period ? "" : year),
      }, `${year} (${list.length})`))),
    rows.length ? h("ol", { class: "xp-events" }, rows.map((row) => h("li", {},
      h("span", { class: "xp-date" }, row.date + (row.inferred ? " (inferred)" : "")), " ",
      h("button", { type: "button", class: "xp-link", onclick: () => onItem(row) },
        row.label)))) : null);
  return rows;
}

/** The ids of the entities and facts a period's rows involve. */
export function periodIds(rows) {
  const ids = new Set();
  for (const row of rows) {
    ids.add(row.item);
    (row.entities || []).forEach((e) => ids.add(e));
  }
  return ids;
}
