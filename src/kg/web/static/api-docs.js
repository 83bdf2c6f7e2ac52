// The API's documentation page: Swagger UI (shipped in the package) reading this server's
// OpenAPI document. No validator badge (it would send the document to another server),
// nothing loaded from elsewhere. No deep links: they nest a link in each route's button.
const el = document.getElementById("kg-api");
window.SwaggerUIBundle({
  url: el.dataset.openapi,
  domNode: el,
  validatorUrl: null,
  deepLinking: false,
  docExpansion: "list",
  defaultModelsExpandDepth: 0,
  onComplete: () => {
    nameWhatSwaggerLeavesUnnamed();
    new MutationObserver(nameWhatSwaggerLeavesUnnamed).observe(el, { childList: true,
                                                                  subtree: true });
    document.body.dataset.ready = "true";
  },
});

/** What Swagger UI draws without a name or out of the keyboard's reach: the server list and
 * each parameter's list of values get a name (the parameter's), and a code block that
 * scrolls can be focused, so that it can be scrolled with the keys. */
function nameWhatSwaggerLeavesUnnamed() {
  const servers = document.getElementById("servers");
  if (servers && !servers.hasAttribute("aria-label")) servers.setAttribute("aria-label", "Server");
  for (const select of el.querySelectorAll("tr[data-param-name] select:not([aria-label])")) {
    select.setAttribute("aria-label", select.closest("tr").dataset.paramName);
  }
  for (const code of el.querySelectorAll(".microlight:not([tabindex])")) {
    code.setAttribute("tabindex", "0");
  }
}
