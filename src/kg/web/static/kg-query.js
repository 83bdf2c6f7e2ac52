// kg's query page: YASGUI on this endpoint, the named queries offered as examples.
// No inline script: the page runs under a 'self'-only Content-Security-Policy.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg-config").textContent);
  var byName = {};
  config.queries.forEach(function (query) { byName[query.name] = query; });
  var KGR = "https://w3id.org/kg/id/";

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    // typed queries and tabs survive a reload (kept in this browser's localStorage)
    persistenceId: "kg-query",
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: config.endpoint }]; }
    },
    // results show kgr:leyla-aliyeva rather than the whole IRI
    yasr: { prefixes: config.prefixes },
    yasqe: {
      // the prefix list ships with YASGUI; property and class completion would ask
      // a remote vocabulary service, which this page never contacts
      autocompleters: ["prefixes", "variables"],
      value: config.first.text
    }
  });
  var tab = yasgui.getTab();
  if (tab && tab.getQuery() === config.first.text) { tab.setName(config.first.name); }

  var select = document.getElementById("kg-examples");
  select.addEventListener("change", function () {
    var query = byName[select.value];
    if (!query) { return; }
    yasgui.addTab(true, { name: query.name, yasqe: { value: query.text } });
    select.value = "";
  });

  // IRIs of things the graph names lead to their local pages, never off-site
  function localise(root) {
    root.querySelectorAll("a[href^='" + KGR + "']").forEach(function (link) {
      link.setAttribute("href", "/id/" + link.getAttribute("href").slice(KGR.length));
      link.removeAttribute("target");
    });
  }
  var results = document.getElementById("yasgui");
  new MutationObserver(function () { localise(results); })
    .observe(results, { childList: true, subtree: true });
  localise(results);
})();
