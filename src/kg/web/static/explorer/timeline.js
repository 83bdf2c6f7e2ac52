// The timeline strip: dated facts and publications by year, and a free period (from–to
// dates). Choosing a year or a period fades what does not take part in it. A period is
// kept in the URL as "YYYY" (a year) or "FROM/TO" (dates; either end may be open).
import { counted, fill, grouped, h } from "./dom.js";
import { getJSON } from "./api.js";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
// the ends of a period open on one side
const EARLIEST = "0000-01-01";
const LATEST = "9999-12-31";

/** The first and last day of ``period`` ("2006", "2024-05-01/2024-10-31", "2024-05-01/"),
 * or null; throws an Error saying what is wrong with a bad one. */
export function periodRange(period) {
  if (!period) return null;
  if (/^\d{4}$/.test(period)) return [`${period}-01-01`, `${period}-12-31`];
  const parts = period.split("/");
  if (parts.length !== 2 || !parts.every((p) => p === "" || DAY.test(p)) || !(parts[0] || parts[1])) {
    throw new Error(`Period: write it as YYYY or YYYY-MM-DD/YYYY-MM-DD, not “${period}”`);
  }
  const [start, end] = [parts[0] || EARLIEST, parts[1] || LATEST];
  if (start > end) throw new Error(`Period: the start ${start} is after the end ${end}`);
  return [start, end];
}

/** Whether a dated row (a day, a month or a year) overlaps the range [start, end]. */
export function inRange(date, [start, end]) {
  const first = date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date;
  const last = date.length === 4 ? `${date}-12-31` : date.length === 7 ? `${date}-31` : date;
  return first <= end && last >= start;
}

/** The timeline's ``start`` and ``end`` parameters that take in every row overlapping
 * ``range``: its years whole (the server keeps the rows within them; a row is a day, a
 * month or a year), an open end left out. */
export function yearsAround([start, end]) {
  return { start: start === EARLIEST ? "" : start.slice(0, 4),
           end: end === LATEST ? "" : end.slice(0, 4) };
}

let counts = { key: null, answer: null };

/** The count of each year under ``filters``: asked once for the same filters (choosing a
 * period does not change them). */
function yearCounts(filters) {
  const key = JSON.stringify(filters);
  if (counts.key !== key) {
    const answer = getJSON("/api/timeline", { ...filters, years: "true" });
    counts = { key, answer };
    answer.catch(() => { if (counts.answer === answer) counts = { key: null, answer: null }; });
  }
  return counts.answer;
}

/** Draw the strip in ``el``; ``onPeriod(period or "")`` is called when a period is chosen,
 * ``onItem(row)`` when a listed event is. Returns the rows of the period. The server sends
 * the count of each year, and the rows of the chosen period only: at 10,000 articles the
 * whole timeline is 69,000 rows (36 MB). */
// the most rows the server gives for a period (its LIMITS["dated"]): a year at 10,000
// articles has about 2,300
const MOST = 10000;

export async function renderTimeline(el, filters, period, onPeriod, onItem) {
  const range = periodRange(period);
  const [perYear, table] = await Promise.all([
    yearCounts(filters),
    range ? getJSON("/api/timeline", { ...filters, ...yearsAround(range), limit: MOST })
      : null]);
  const years = perYear.rows.map((row) => [row.year, row.count]);
  const most = Math.max(1, ...years.map(([, count]) => count));
  const rows = range ? table.rows.filter((row) => inRange(row.date, range)) : [];
  const custom = range && !/^\d{4}$/.test(period);
  const cut = range && table.total > table.count  // the server's most rows: said, not hidden
    ? ` (of the first ${grouped(table.count)} of ${grouped(table.total)} in its years: `
      + "choose a shorter period)"
    : "";
  const from = h("input", { type: "date", id: "xp-period-from", name: "from",
                            value: custom && period.split("/")[0] || "" });
  const to = h("input", { type: "date", id: "xp-period-to", name: "to",
                          value: custom && period.split("/")[1] || "" });
  const form = h("form", { class: "xp-period", "aria-label": "Period",
    onsubmit: (event) => {
      event.preventDefault();
      onPeriod(from.value || to.value ? `${from.value}/${to.value}` : "");
    } },
    h("label", { for: "xp-period-from" }, "From"), from,
    h("label", { for: "xp-period-to" }, "to"), to,
    h("button", { type: "submit" }, "Show period"),
    period ? h("button", { type: "button", onclick: () => onPeriod("") }, "Clear period") : null);
  fill(el,
    h("h2", { class: "xp-strip-title" }, "Timeline"),
    h("div", { class: "xp-years", role: "group", "aria-label": "Years" },
      // each year filled from below as its share of the busiest year: the strip reads as
      // a histogram (at 10,000 articles, 76 years from 1970, most of the facts after 2015)
      years.map(([year, count]) => h("button", {
        type: "button", class: "xp-year", "aria-pressed": String(year === period),
        style: `--share: ${(count / most).toFixed(3)}`,
        title: `${counted(count, "dated fact")} in ${year}`,
        onclick: () => onPeriod(year === period ? "" : year),
      }, `${year} (${count})`))),
    form,
    range ? h("p", { class: "xp-period-summary" }, custom
      ? `${counted(rows.length, "dated fact")} from ${period.split("/")[0] || "the start"} to ${period.split("/")[1] || "the latest"}${cut}`
      : `${counted(rows.length, "dated fact")} in ${period}${cut}`) : null,
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
