// The dependency graph picture (estate/dependencies.html), drawn with Cytoscape.js.
// Loaded as a file: the CSP allows no inline script. The data is the page's
// <script type="application/json" id="graph-data">, which is read, never run.
// The nested lists on the page hold the same records for keyboards and screen readers.
(function () {
  "use strict";

  var holder = document.getElementById("dependency-graph");
  var source = document.getElementById("graph-data");
  if (!holder || !source || typeof window.cytoscape !== "function") { return; }
  var data = JSON.parse(source.textContent);

  // Cytoscape adds a <style> element (one rule: position: relative) unless an element with
  // this id exists. The CSP refuses inline styles, so say it exists: the holder's
  // position-relative class gives the rule instead.
  var STYLESHEET_ID = "__________cytoscape_stylesheet";
  if (!document.getElementById(STYLESHEET_ID)) {
    var marker = document.createElement("meta");
    marker.id = STYLESHEET_ID;
    marker.name = "cytoscape-stylesheet";
    marker.content = "provided by the page";
    document.head.appendChild(marker);
  }

  var PER_ROW = 8;  // nodes side by side before a level wraps onto another row
  var COLUMN = 170;
  var ROW = 90;
  var LEVEL_GAP = 60;

  // Lay the levels out top to bottom: what depends on the focus above it, what it depends
  // on below. Long levels wrap onto several rows.
  function positions(nodes) {
    var levels = {};
    nodes.forEach(function (node) {
      (levels[node.level] = levels[node.level] || []).push(node);
    });
    var order = Object.keys(levels).map(Number).sort(function (a, b) { return a - b; });
    var at = {};
    var y = 0;
    order.forEach(function (level) {
      var row = levels[level];
      for (var i = 0; i < row.length; i += 1) {
        var line = Math.floor(i / PER_ROW);
        var inLine = Math.min(PER_ROW, row.length - line * PER_ROW);
        var column = i % PER_ROW;
        at[row[i].id] = {
          x: (column - (inLine - 1) / 2) * COLUMN + (line % 2) * (COLUMN / 4),
          y: y + line * ROW,
        };
      }
      y += Math.ceil(row.length / PER_ROW) * ROW + LEVEL_GAP;
    });
    return at;
  }

  var at = positions(data.nodes);
  var elements = data.nodes.map(function (node) {
    return { group: "nodes", data: node, position: at[node.id] };
  }).concat(data.edges.map(function (edge) {
    return { group: "edges", data: edge };
  }));

  holder.hidden = false;
  var fallback = document.getElementById("dependency-graph-fallback");
  if (fallback) { fallback.hidden = true; }
  if (window.matchMedia("(min-width: 40em)").matches) { holder.style.height = "32rem"; }

  var cy = window.cytoscape({
    container: holder,
    elements: elements,
    layout: { name: "preset", fit: true, padding: 30 },
    minZoom: 0.05,
    maxZoom: 2,
    boxSelectionEnabled: false,
    autoungrabify: true,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "font-size": 12,
          "font-family": "Source Sans Pro Web, Helvetica Neue, Helvetica, Roboto, Arial, sans-serif",
          color: "#1b1b1b",
          "text-valign": "bottom",
          "text-margin-y": 4,
          "text-wrap": "ellipsis",
          "text-max-width": 150,
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.9,
          "text-background-padding": 2,
          width: 26,
          height: 26,
          "border-width": 1,
          "border-color": "#1b1b1b",
        },
      },
      { selector: "node[kind = 'service']", style: { shape: "ellipse", "background-color": "#005ea2" } },
      { selector: "node[kind = 'system']", style: { shape: "round-rectangle", "background-color": "#4d8055" } },
      { selector: "node[kind = 'component']", style: { shape: "diamond", "background-color": "#c05600" } },
      {
        // A redundancy group: one box whose label lists its members, any one of which is enough.
        selector: "node[kind = 'group']",
        style: {
          shape: "rectangle",
          "background-color": "#ffffff",
          "border-style": "dashed",
          "border-width": 2,
          width: 60,
          height: 20,
          "text-wrap": "wrap",
          "text-max-width": 180,
        },
      },
      {
        // A single point of failure for mission-essential services: a double outline and
        // a caption saying how many it stops, so it is marked by more than colour.
        selector: "node[loss > 0]",
        style: {
          label: "data(caption)",
          "border-style": "double",
          "border-width": 6,
          "border-color": "#1b1b1b",
          "font-weight": "bold",
        },
      },
      {
        selector: "node[?focus]",
        style: { width: 42, height: 42, "border-width": 5, "font-size": 14, "font-weight": "bold" },
      },
      {
        selector: "edge",
        style: {
          width: 1.5,
          "curve-style": "bezier",
          "line-color": "#71767a",
          "target-arrow-color": "#71767a",
          "target-arrow-shape": "triangle",
        },
      },
      {
        selector: "edge[?cycle]",
        style: {
          width: 3,
          "line-style": "dashed",
          "line-color": "#b50909",
          "target-arrow-color": "#b50909",
        },
      },
    ],
  });

  cy.on("tap", "node", function (event) {
    var url = event.target.data("url");
    if (url) { window.location.assign(url); }
  });
  cy.on("mouseover", "node", function () { holder.style.cursor = "pointer"; });
  cy.on("mouseout", "node", function () { holder.style.cursor = ""; });

  // Cytoscape remembers where its box is on the page and forgets only on scroll or resize;
  // late fonts or images can move the box, so it asks again before any pointer use.
  ["mouseenter", "touchstart"].forEach(function (name) {
    holder.addEventListener(name, function () { cy.resize(); }, { passive: true });
  });

  // For tests and the curious: the Cytoscape instance.
  window.townhallGraph = cy;
})();
