// kg's query page: YASGUI on this endpoint, the named queries offered as examples.
// No inline script: the page runs under a 'self'-only Content-Security-Policy.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kg-config").textContent);
  var byName = {};
  config.queries.forEach(function (query) { byName[query.name] = query; });
  var first = config.queries.length ? config.queries[0] : null;

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: config.endpoint }]; }
    },
    yasqe: {
      // the prefix list ships with YASGUI; property and class completion would ask
      // a remote vocabulary service, which this page never contacts
      autocompleters: ["prefixes", "variables"],
      value: first ? first.text : "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    }
  });
  if (first) {
    var tab = yasgui.getTab();
    if (tab) { tab.setName(first.name); }
  }

  var select = document.getElementById("kg-examples");
  select.addEventListener("change", function () {
    var query = byName[select.value];
    if (!query) { return; }
    yasgui.addTab(true, { name: query.name, yasqe: { value: query.text } });
    select.value = "";
  });
})();
