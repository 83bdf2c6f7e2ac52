// kg's interactive network view (anywidget): Cytoscape.js with the fcose layout, both
// vendored in the package (src/kg/web/static/vendor/), loaded once per page, offline.
// Nodes look as in the explorer: kg's palette (kg.palette, the model's _palette).

function load(sources) {
  // the vendored files are UMD bundles: run each with `this` as a namespace object
  const ns = globalThis.__kgVendor || (globalThis.__kgVendor = {});
  if (!ns.loaded) {
    for (const source of sources) {
      new Function("module", "exports", "define", source).call(ns, undefined, undefined, undefined);
    }
    ns.cytoscape = ns.cytoscape || globalThis.cytoscape;
    if (ns.cytoscapeFcose) ns.cytoscape.use(ns.cytoscapeFcose);
    ns.loaded = true;
  }
  return ns;
}

function render({ model, el }) {
  const ns = load(model.get("_libraries"));
  const box = document.createElement("div");
  box.style.height = model.get("height") + "px";
  box.style.border = "1px solid #ddd";
  const info = document.createElement("div");
  info.style.font = "12px sans-serif";
  info.style.minHeight = "1.5em";
  el.append(box, info);
  const palette = model.get("_palette");
  const look = (n) => palette.kinds[n.data("kind")] || palette.other;
  const cy = ns.cytoscape({
    container: box,
    elements: model.get("elements"),
    style: [
      {selector: "node", style: {"label": "data(label)", "font-size": 8,
        "text-wrap": "ellipsis", "text-max-width": 120,
        "background-color": (n) => look(n)[0], "shape": (n) => look(n)[1]}},
      {selector: "edge", style: {"label": "data(label)", "font-size": 6, "width": 1,
        "curve-style": "bezier", "target-arrow-shape": "triangle", "line-color": "#aaa",
        "target-arrow-color": "#aaa"}},
    ],
    layout: {name: ns.cytoscapeFcose ? "fcose" : "cose", animate: false},
  });
  cy.on("tap", "node, edge", (event) => {
    const data = event.target.data();
    const sources = (data.sources || []).map((s) => (typeof s === "string" ? s : s.label)).join("; ");
    info.textContent = `${data.label}${sources ? " — " + sources : ""}`;
    // report the tap back to Python: the node's IRI, or the relationship an edge stands for
    model.set("selected", data.iri || data.key || data.id);
    model.save_changes();
  });
  // a new graph from Python (NetworkView.update): redraw it, laid out afresh
  const layout = () => ({name: ns.cytoscapeFcose ? "fcose" : "cose", animate: false});
  model.on("change:elements", () => {
    cy.elements().remove();
    cy.add(model.get("elements"));
    cy.layout(layout()).run();
    info.textContent = "";
  });
  el.kgCytoscape = cy;  // the Cytoscape instance, for whoever embeds the view (and its tests)
  return () => cy.destroy();
}

export default { render };
