// The source articles as the panels show them, and a dialog that shows an article's text
// with a quote's words highlighted.
import { getJSON } from "./api.js";
import { add, clear, counted, fill, h, localHref } from "./dom.js";
import { showError } from "./status.js";

/** A source as the panels show it (an edge's or an entity's: each comes with its article's
 * label, publisher and date): its quotes, each with a button that shows the quote in the
 * article's text. */
export function sourceBlock(source) {
  return h("li", { class: "xp-source" },
    h("a", { class: "xp-source-label", href: localHref(source.article),
             title: "The article: what it states, and its text" },
      source.label || source.article),
    h("span", { class: "xp-muted" },
      ` — ${source.publisher_label || ""}${source.issued ? ", " + source.issued : ""}`),
    (source.quotes || []).map((quote) => h("blockquote", {},
      `“${quote}”`,
      h("button", { type: "button", class: "xp-link",
                    onclick: () => showInArticle(source.article, quote) },
        "show in article"))));
}

/** Open the article's text with ``quote`` highlighted and scrolled into view. */
export async function showInArticle(articleIri, quote) {
  const dialog = document.getElementById("xp-article");
  let article;
  try {
    article = await getJSON(`/api/sources/${encodeURIComponent(articleIri.split("/").pop())}`);
  } catch (error) {
    showError(`The article could not be read: ${error.message}`);
    return;
  }
  const body = clear(dialog.querySelector(".xp-article-text"));
  dialog.querySelector("h2").textContent = article.label;
  fill(dialog.querySelector(".xp-article-meta"),
    `${article.publisher_label || ""}, ${article.issued || ""} · `,
    h("a", { href: localHref(article.article) },
      `its page: ${counted(article.facts.length, "fact")} it states, every quote marked`));
  const text = article.text || "(The article's text is not available.)";
  const at = quote ? text.indexOf(quote) : -1;
  let mark = null;
  if (at >= 0) {
    mark = h("mark", {}, quote);
    add(body, text.slice(0, at), mark, text.slice(at + quote.length));
  } else {
    add(body, text);
  }
  dialog.showModal();
  if (mark) mark.scrollIntoView({ block: "center" });
}

export function installArticleDialog() {
  const dialog = document.getElementById("xp-article");
  dialog.querySelector("button.xp-close").addEventListener("click", () => dialog.close());
}
