/* zhanaozen-graph explorer: a network (vis-network), a timeline and a map (SVG), tables and a panel,
 * linked by selection and hover, filtered together by type, stance, a date range and search, with the
 * view kept in the URL fragment. Every text from the data is inserted with textContent or drawn as
 * canvas text, never as markup. */
(function () {
  "use strict";
  var T = { start: performance.now() };
  var data = JSON.parse(document.getElementById("zg-data").textContent);
  var SVG = "http://www.w3.org/2000/svg"; // a namespace name, never fetched
  var DAY = 86400000;

  // ---------------------------------------------------------------- helpers
  var CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  /* Control and bidirectional-control characters as visible marks: an RLO cannot reverse a label. */
  function shown(s) {
    return String(s).replace(CONTROLS, function (c) { return "\u27e6U+" + ("000" + c.charCodeAt(0).toString(16).toUpperCase()).slice(-4) + "\u27e7"; });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = shown(text);
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    return e;
  }
  function dayOf(iso) { return Math.floor(Date.parse(iso.slice(0, 10) + "T00:00:00Z") / DAY); }
  function isoOf(day) { return new Date(day * DAY).toISOString().slice(0, 10); }
  function short(s, n) { s = shown(s); return s.length > n ? s.slice(0, Math.max(1, n - 1)) + "\u2026" : s; }
  /* Folding for search: case, diacritics, typographic quotes and dashes. */
  function fold(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\u2018\u2019\u201a\u201b\u2032\u00b4`]/g, "'").replace(/[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g, '"')
      .replace(/[\u2010-\u2015\u2212]/g, "-");
  }
  function push(map, key, value) { var l = map.get(key); if (l) l.push(value); else map.set(key, [value]); }

  // ---------------------------------------------------------------- indexes
  var kinds = new Map(), stances = new Map(), byId = new Map(), outgoing = new Map(), incoming = new Map();
  data.kinds.forEach(function (k) { kinds.set(k.key, k); });
  data.stances.forEach(function (s) { stances.set(s.key, s); });
  var minDay = Infinity, maxDay = -Infinity;
  data.nodes.forEach(function (n) {
    byId.set(n.id, n);
    n._v = true; n._deg = 0;
    if (n.date) {
      n._e = dayOf(n.date.earliest);
      n._l = dayOf(n.date.latest);
      if (n._e < minDay) minDay = n._e;
      if (n._l > maxDay) maxDay = n._l;
    }
  });
  data.edges.forEach(function (e, i) {
    e.id = i; push(outgoing, e.from, e); push(incoming, e.to, e);
    var a = byId.get(e.from), b = byId.get(e.to);
    if (a) a._deg++; if (b) b._deg++;
  });
  var byDegree = data.nodes.slice().sort(function (a, b) { return b._deg - a._deg || (a.label < b.label ? -1 : 1); });
  var dated = data.nodes.filter(function (n) { return (n.kind === "Event" || n.kind === "Claim") && n.date; });
  dated.sort(function (a, b) { return a._e - b._e || a._l - b._l || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0); });
  var hasDates = minDay <= maxDay;
  function neighbours(id) {
    var out = new Set();
    (outgoing.get(id) || []).forEach(function (e) { out.add(e.to); });
    (incoming.get(id) || []).forEach(function (e) { out.add(e.from); });
    return out;
  }
  // Containment: a place's parent, and the nearest place with coordinates it is drawn at.
  var parentOf = new Map(), childrenOf = new Map();
  data.edges.forEach(function (e) {
    if (e.label === "contained in" && byId.has(e.from) && byId.has(e.to) && !parentOf.has(e.from)) {
      parentOf.set(e.from, e.to); push(childrenOf, e.to, e.from);
    }
  });
  function locatedAt(id) {
    var seen = new Set(), cur = id;
    while (cur && !seen.has(cur)) {
      seen.add(cur);
      var n = byId.get(cur);
      if (n && n.coordinates) return cur;
      cur = parentOf.get(cur);
    }
    return null;
  }
  function descendants(id) {
    var out = [id], i = 0;
    while (i < out.length) { (childrenOf.get(out[i]) || []).forEach(function (c) { if (out.indexOf(c) < 0) out.push(c); }); i++; }
    return out;
  }

  // ---------------------------------------------------------------- state and its URL
  var state = {
    kinds: new Set(data.kinds.map(function (k) { return k.key; })),
    stances: new Set(data.stances.map(function (s) { return s.key; })),
    from: hasDates ? minDay : 0, to: hasDates ? maxDay : 0, mode: "overlaps",
    selected: null, query: "", tab: "network", derivedOpen: false, focus: true, hover: null,
  };
  var view = { v0: state.from, v1: state.to }; // the timeline's visible window (zoom and pan)

  function writeHash() {
    var p = new URLSearchParams();
    if (state.selected) p.set("sel", state.selected);
    if (state.query) p.set("q", state.query);
    var hk = data.kinds.filter(function (k) { return !state.kinds.has(k.key); }).map(function (k) { return k.key; });
    if (hk.length) p.set("hide", hk.join(","));
    var hs = data.stances.filter(function (s) { return !state.stances.has(s.key); }).map(function (s) { return s.key; });
    if (hs.length) p.set("hidestance", hs.join(","));
    if (hasDates && state.from !== minDay) p.set("from", isoOf(state.from));
    if (hasDates && state.to !== maxDay) p.set("to", isoOf(state.to));
    if (state.mode !== "overlaps") p.set("range", state.mode);
    if (state.tab !== "network") p.set("tab", state.tab);
    if (state.derivedOpen) p.set("derived", "open");
    var h = p.toString();
    if (("#" + h) === location.hash || (h === "" && location.hash === "")) return;
    try {
      history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
    } catch (e) {
      // a sandboxed srcdoc frame (the notebook) has no address of its own to keep the view in
    }
  }
  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    var hk = (p.get("hide") || "").split(",").filter(Boolean), hs = (p.get("hidestance") || "").split(",").filter(Boolean);
    state.kinds = new Set(data.kinds.map(function (k) { return k.key; }).filter(function (k) { return hk.indexOf(k) < 0; }));
    state.stances = new Set(data.stances.map(function (s) { return s.key; }).filter(function (s) { return hs.indexOf(s) < 0; }));
    var f = p.get("from"), t = p.get("to");
    state.from = hasDates && f && /^\d{4}-\d\d-\d\d$/.test(f) ? dayOf(f) : minDay;
    state.to = hasDates && t && /^\d{4}-\d\d-\d\d$/.test(t) ? dayOf(t) : maxDay;
    if (!hasDates) { state.from = 0; state.to = 0; }
    state.mode = p.get("range") === "within" ? "within" : "overlaps";
    state.tab = ["network", "claims", "events"].indexOf(p.get("tab")) >= 0 ? p.get("tab") : "network";
    state.derivedOpen = p.get("derived") === "open";
    state.query = p.get("q") || "";
    var sel = p.get("sel");
    return sel && (byId.has(sel) || (sel.indexOf("source:") === 0 && data.sources[sel.slice(7)] !== undefined)) ? sel : null;
  }

  function visible(n) {
    if (!state.kinds.has(n.kind)) return false;
    if (n.kind === "Claim" && n.stance && stances.has(n.stance) && !state.stances.has(n.stance)) return false; // a stance with no box cannot be unticked
    if (n.date) {
      if (state.mode === "within") { if (n._e < state.from || n._l > state.to) return false; }
      else if (n._l < state.from || n._e > state.to) return false;
    }
    return true;
  }
  function colourOf(n) {
    if (n.kind === "Claim" && n.stance && stances.has(n.stance)) return stances.get(n.stance).color;
    var k = kinds.get(n.kind);
    return k ? k.color : "#999";
  }
  function dateShort(n) {
    if (!n || !n.date) return "";
    var d = n.date;
    if (d.status === "derived") return "between " + d.earliest + " and " + d.latest + " (derived)";
    var when = d.earliest === d.latest ? d.earliest : d.earliest + " to " + d.latest;
    return when + (d.status === "stated" ? "" : " (" + d.status.replace("-", " ") + ")");
  }

  // ---------------------------------------------------------------- title, filters, legend
  document.getElementById("zg-title").textContent = shown(data.title);
  var counts = new Map();
  data.nodes.forEach(function (n) { counts.set(n.kind, (counts.get(n.kind) || 0) + 1); if (n.stance) counts.set("stance:" + n.stance, (counts.get("stance:" + n.stance) || 0) + 1); });
  var boxes = [];
  function checkbox(container, key, label, color, shape, count, which) {
    var l = el("label"), box = el("input"), sw = el("span", "zg-swatch " + shape);
    box.type = "checkbox"; box.value = key; box.dataset.key = key; box.dataset.set = which;
    sw.style.background = color;
    box.addEventListener("change", function () {
      var set = which === "kind" ? state.kinds : state.stances;
      if (box.checked) set.add(key); else set.delete(key);
      applyFilters(true);
    });
    l.append(box, sw, el("span", null, label), el("span", "zg-n", count || 0));
    container.append(l); boxes.push(box);
  }
  var kindBox = document.getElementById("zg-kinds");
  data.kinds.forEach(function (k) { checkbox(kindBox, k.key, k.label, k.color, k.shape, counts.get(k.key), "kind"); });
  var stanceBox = document.getElementById("zg-stances");
  data.stances.forEach(function (s) { checkbox(stanceBox, s.key, s.label, s.color, "star", counts.get("stance:" + s.key), "stance"); });
  function syncBoxes() { boxes.forEach(function (b) { b.checked = (b.dataset.set === "kind" ? state.kinds : state.stances).has(b.dataset.key); }); }
  var edgeLegend = document.getElementById("zg-edge-legend");
  [["", "from the documents"], ["dashed", "outside knowledge"]].forEach(function (p) {
    var l = el("label"); l.append(el("span", "zg-line " + p[0]), el("span", null, p[1])); edgeLegend.append(l);
  });
  var focusBox = document.getElementById("zg-focus");
  focusBox.checked = true;
  focusBox.addEventListener("change", function () { state.focus = focusBox.checked; applyFocus(); });

  // ---------------------------------------------------------------- network (with an optional overview)
  var big = data.nodes.length > 1000 || data.edges.length > 3000;
  var overview = data.overview || null, clusterOf = new Map(), clusters = new Map(), expanded = new Set();
  if (overview) {
    overview.clusters.forEach(function (c) { clusters.set("cluster:" + c.id, c); c.members.forEach(function (m) { clusterOf.set(m, "cluster:" + c.id); }); });
    overview.shown.forEach(function (id) { clusterOf.delete(id); });
  }
  // The layout's units grow with the graph (18,627 nodes span ~250,000 units), so a node's own size is a
  // fraction of a pixel once an overview is fitted to the canvas. On an overview every drawn node gets a
  // floor in screen terms: `unit` is one pixel of the overview fitted into 600 pixels.
  var unit = 0;
  if (overview) {
    var ext = [Infinity, -Infinity, Infinity, -Infinity];
    var grow = function (x, y) { ext = [Math.min(ext[0], x), Math.max(ext[1], x), Math.min(ext[2], y), Math.max(ext[3], y)]; };
    overview.clusters.forEach(function (c) { grow(c.x, c.y); });
    data.nodes.forEach(function (n) { if (!clusterOf.has(n.id)) grow(n.x || 0, n.y || 0); });
    if (ext[0] <= ext[1]) unit = Math.max(ext[1] - ext[0], ext[3] - ext[2]) / 600;
  }
  function nodeItem(n) {
    var c = colourOf(n), k = kinds.get(n.kind);
    return {
      id: n.id, label: undefined, x: n.x || 0, y: n.y || 0, size: Math.max(n.size || 10, 4 * unit), opacity: dimmed(n.id) ? 0.18 : 1,
      shape: k ? k.shape : "dot",
      color: { background: c, border: "#222", highlight: { background: c, border: "#000" }, hover: { background: c, border: "#000" } },
    };
  }
  function edgeItem(e) {
    return {
      id: e.id, from: e.from, to: e.to, dashes: !!e.external,
      label: big ? undefined : e.label,
      color: { color: e.kind === "relationship" ? "#8a6d3b" : "#b5b5b5", highlight: "#222", hover: "#555" },
    };
  }
  var revealed = new Set(); // members of a closed cluster drawn on their own (a selection and its neighbours)
  function drawnNode(id) { return byId.has(id) ? !clusterOf.has(id) || expanded.has(clusterOf.get(id)) || revealed.has(id) : clusters.has(id) && !expanded.has(id); }
  /* Draw a node of a closed cluster with its neighbours (at most 200), not the whole cluster. */
  function reveal(id) {
    var want = [id].concat(Array.from(neighbours(id)).slice(0, 200)).filter(function (m) { return byId.has(m) && !drawnNode(m); });
    if (!want.length) return;
    want.forEach(function (m) { revealed.add(m); });
    nodes.add(want.map(function (m) { return nodeItem(byId.get(m)); }));
    var add = [], queued = new Set();
    want.forEach(function (m) {
      (outgoing.get(m) || []).concat(incoming.get(m) || []).forEach(function (e) {
        if (!queued.has(e.id) && drawnNode(e.from) && drawnNode(e.to) && !edges.get(e.id)) { queued.add(e.id); add.push(edgeItem(e)); }
      });
    });
    edges.add(add);
  }
  var nodes = new vis.DataSet(), edges = new vis.DataSet();
  (function initialItems() {
    var items = [];
    data.nodes.forEach(function (n) { if (drawnNode(n.id)) items.push(nodeItem(n)); });
    clusters.forEach(function (c, cid) {
      items.push({ id: cid, label: undefined, x: c.x, y: c.y, size: Math.max(1, unit) * (8 + Math.min(16, Math.sqrt(c.members.length))), shape: "dot",
        color: { background: "#e8e8e8", border: "#555" }, borderWidth: 2 });
    });
    nodes.add(items);
    edges.add(data.edges.filter(function (e) { return drawnNode(e.from) && drawnNode(e.to); }).map(edgeItem));
  })();
  function expandCluster(cid) {
    var c = clusters.get(cid);
    if (!c || expanded.has(cid)) return;
    expanded.add(cid);
    nodes.remove(cid);
    // members already drawn (the overview's "shown" nodes belong to a cluster too) stay as they are
    nodes.add(c.members.filter(function (m) { return byId.has(m) && !nodes.get(m) && !revealed.has(m); }).map(function (m) { return nodeItem(byId.get(m)); }));
    var add = [], queued = new Set(); // an edge between two members is met from both ends
    c.members.forEach(function (m) {
      (outgoing.get(m) || []).concat(incoming.get(m) || []).forEach(function (e) {
        if (!queued.has(e.id) && drawnNode(e.from) && drawnNode(e.to) && !edges.get(e.id)) { queued.add(e.id); add.push(edgeItem(e)); }
      });
    });
    edges.add(add);
    applyFilters(true);
  }
  function nodeVisible(id) { var n = byId.get(id); return n ? n._v : clusters.has(id); }
  var nodesView = new vis.DataView(nodes, { filter: function (item) { return nodeVisible(item.id); } });
  var edgesView = new vis.DataView(edges, { filter: function (item) { return nodeVisible(item.from) && nodeVisible(item.to); } });
  var options = {
    physics: false,
    layout: { improvedLayout: false },
    interaction: { hover: true, hideEdgesOnDrag: big, hideEdgesOnZoom: big, zoomSpeed: 0.6, keyboard: false },
    nodes: { borderWidth: 1, font: { size: 12, face: "system-ui, sans-serif" } },
    edges: {
      smooth: false, width: 0.8, selectionWidth: 1.5,
      arrows: { to: { enabled: true, scaleFactor: 0.4 } },
      font: { size: 9, color: "#666", strokeWidth: 2, align: "middle" },
      scaling: { label: { drawThreshold: 8 } },
    },
  };
  var container = document.getElementById("zg-network");
  var network = new vis.Network(container, {}, options);
  network.once("afterDrawing", function () {
    T.firstDraw = performance.now();
    document.documentElement.dataset.drawn = "1";
  });
  network.setData({ nodes: nodesView, edges: edgesView });
  network.on("click", function (p) {
    if (p.nodes.length) { if (clusters.has(p.nodes[0])) showCluster(p.nodes[0]); else select(p.nodes[0], "network"); }
    else if (p.edges.length) showEdge(data.edges[p.edges[0]]);
  });
  network.on("doubleClick", function (p) { if (p.nodes.length && clusters.has(p.nodes[0])) expandCluster(p.nodes[0]); });
  container.tabIndex = 0;
  container.addEventListener("keydown", function (ev) {
    var sel = network.getSelectedNodes()[0];
    if (ev.key === "Enter" && sel && clusters.has(sel)) expandCluster(sel);
    else if (ev.key === "Escape") clearSelection();
  });

  /* Fit what is visible, a little zoomed out so that the labels of the outer nodes fit too. */
  function fitNetwork() {
    network.fit({ animation: false });
    var s = network.getScale();
    if (s > 0) network.moveTo({ scale: s * 0.88, animation: false });
  }
  // Labels: drawn by us on the canvas, collision-aware, for the selection and its neighbours first,
  // then the most connected visible nodes; the boxes drawn are kept for the tests.
  var labelBoxes = [];
  var LABEL_FONT = 12, LABEL_CHARS = 34;
  function labelTargets() {
    var scale = network.getScale(), want = Math.round(Math.min(60, 12 * Math.max(1, scale / (T.fitScale || scale)) * Math.max(1, scale / (T.fitScale || scale))));
    var out = [], seen = new Set();
    function add(id, prio) { if (!seen.has(id) && nodeVisible(id) && nodes.get(id)) { seen.add(id); out.push([id, prio]); } }
    if (state.hover) add(state.hover, 0);
    if (state.selected && byId.has(state.selected)) { add(state.selected, 0); neighbours(state.selected).forEach(function (id) { add(id, 1); }); }
    clusters.forEach(function (c, cid) { if (!expanded.has(cid)) add(cid, 2); });
    var budget = want;
    for (var i = 0; i < byDegree.length && budget > 0; i++) {
      var n = byDegree[i];
      if (n._v && drawnNode(n.id) && !seen.has(n.id)) { add(n.id, want - budget < 10 ? 2 : 3); budget--; }
    }
    return out;
  }
  network.on("afterDrawing", function (ctx) {
    var t0 = performance.now();
    labelBoxes = [];
    var targets = labelTargets();
    if (!targets.length) return;
    var ids = targets.map(function (t) { return t[0]; });
    var pos = network.getPositions(ids), scale = network.getScale();
    var w = container.clientWidth, h = container.clientHeight;
    // The selected node and its neighbours are obstacles too: no label covers one of them.
    var discs = [], draws = [];
    targets.forEach(function (t) {
      var id = t[0], p = pos[id];
      if (!p || t[1] > 1) return;
      var d = network.canvasToDOM(p), r = ((nodes.get(id) || {}).size || 10) * scale + 1;
      discs.push({ id: id, x: d.x - r, y: d.y - r, w: 2 * r, h: 2 * r });
    });
    ctx.save();
    ctx.font = (LABEL_FONT / scale) + "px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    targets.forEach(function (t) {
      var id = t[0], p = pos[id];
      if (!p) return;
      var n = byId.get(id), c = clusters.get(id);
      var chars = w < 600 ? 24 : LABEL_CHARS;
      var text = n ? short(n.label, chars) : short(c.label + " (" + c.members.length + ")", chars);
      var d = network.canvasToDOM(p);
      if (d.x < -50 || d.y < -20 || d.x > w + 50 || d.y > h + 20) return;
      // Measure in the font the label is drawn in (bold for the selection and its neighbours), so that the
      // box kept for the collision test is the box drawn.
      var strong = t[1] <= 1;
      ctx.font = (strong ? "bold " : "") + (LABEL_FONT / scale) + "px system-ui, sans-serif";
      var tw = Math.ceil(ctx.measureText(text).width * scale) + 6, th = LABEL_FONT + 4;
      var r = ((nodes.get(id) || {}).size || 10) * scale + 3;
      // Eight places around the node, then the same further out (with a leader line), first free one wins.
      var cands = [];
      (strong ? [0, 14, 30, 48, 70, 96, 126, 160] : [0, 14, 30, 48]).forEach(function (gap) {
        var q = r + gap;
        cands.push([d.x - tw / 2, d.y + q], [d.x - tw / 2, d.y - q - th], [d.x + q, d.y - th / 2], [d.x - q - tw, d.y - th / 2],
          [d.x + q * 0.7, d.y + q * 0.7], [d.x - tw - q * 0.7, d.y - th - q * 0.7], [d.x + q * 0.7, d.y - th - q * 0.7], [d.x - tw - q * 0.7, d.y + q * 0.7]);
      });
      if (t[1] > 2) cands = cands.slice(0, 16);
      for (var k = 0; k < cands.length; k++) {
        var bx = cands[k][0], by = cands[k][1], ok = bx >= 0 && by >= 0 && bx + tw <= w && by + th <= h;
        for (var j = 0; j < labelBoxes.length && ok; j++) {
          var o = labelBoxes[j];
          if (bx < o.x + o.w && o.x < bx + tw && by < o.y + o.h && o.y < by + th) ok = false;
        }
        for (j = 0; j < discs.length && ok; j++) {
          o = discs[j];
          if (o.id !== id && bx < o.x + o.w && o.x < bx + tw && by < o.y + o.h && o.y < by + th) ok = false;
        }
        if (!ok) continue;
        labelBoxes.push({ id: id, x: bx, y: by, w: tw, h: th, text: text, bold: strong });
        var end = k >= 8 ? network.DOMtoCanvas({ x: Math.max(bx, Math.min(bx + tw, d.x)), y: Math.max(by, Math.min(by + th, d.y)) }) : null;
        draws.push({ id: id, text: text, strong: strong, at: network.DOMtoCanvas({ x: bx + 3, y: by + th / 2 }), from: p, end: end });
        break;
      }
    });
    // Leader lines first, then every text over them (with its white halo): a line never hides a label.
    ctx.lineWidth = 1 / scale; ctx.strokeStyle = "#888";
    draws.forEach(function (l) { if (l.end) { ctx.beginPath(); ctx.moveTo(l.from.x, l.from.y); ctx.lineTo(l.end.x, l.end.y); ctx.stroke(); } });
    draws.forEach(function (l) {
      ctx.font = (l.strong ? "bold " : "") + (LABEL_FONT / scale) + "px system-ui, sans-serif";
      ctx.lineWidth = 4 / scale; ctx.strokeStyle = "rgba(255,255,255,0.92)"; ctx.fillStyle = dimmed(l.id) ? "#9a9a9a" : "#111";
      ctx.strokeText(l.text, l.at.x, l.at.y); ctx.fillText(l.text, l.at.x, l.at.y);
    });
    // A ring around the node hovered in another view.
    if (state.hover && pos[state.hover] && nodes.get(state.hover)) {
      var hp = pos[state.hover];
      ctx.beginPath(); ctx.lineWidth = 3 / scale; ctx.strokeStyle = "#000";
      ctx.arc(hp.x, hp.y, (nodes.get(state.hover).size || 10) + 6, 0, 2 * Math.PI); ctx.stroke();
    }
    ctx.restore();
    T.labelMs = performance.now() - t0;
  });

  // Focus: a selection dims everything but itself and its neighbours.
  var focusSet = null, dimEdges = new Set();
  function dimmed(id) { return !!(focusSet && !focusSet.has(id)); }
  function applyFocus() {
    var next = state.focus && state.selected && byId.has(state.selected) ? neighbours(state.selected) : null;
    if (next) next.add(state.selected);
    var was = focusSet;
    focusSet = next;
    if (!was && !next) return;
    // only the items whose dimming changes are updated (vis-network redoes an edge's options on update)
    var nu = [], eu = [];
    nodes.forEach(function (item) {
      var d = dimmed(item.id), w = !!(was && !was.has(item.id));
      if (d !== w) nu.push({ id: item.id, opacity: d ? 0.18 : 1 });
    });
    edges.forEach(function (item) {
      var d = !!(next && !(item.from === state.selected || item.to === state.selected));
      if (d !== dimEdges.has(item.id)) { eu.push({ id: item.id, color: { opacity: d ? 0.12 : 1 } }); if (d) dimEdges.add(item.id); else dimEdges.delete(item.id); }
    });
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
  }

  // Tooltips on hover, as text.
  var tip = document.getElementById("zg-tip");
  function showTip(id, x, y) {
    var n = byId.get(id), c = clusters.get(id);
    tip.replaceChildren();
    if (n) {
      var k = kinds.get(n.kind);
      tip.append(el("strong", null, n.label), el("div", "zg-kind", (k ? k.label : n.kind) + (n.type ? " \u00b7 " + n.type : "") + (n.stance && stances.get(n.stance) ? " \u00b7 " + stances.get(n.stance).label : "")));
      if (n.date) tip.append(el("div", null, (n.date.text ? "\u201c" + n.date.text + "\u201d: " : "") + dateShort(n)));
      tip.append(el("div", "zg-note", n._deg + " links \u00b7 " + (n.sources || []).length + " source" + ((n.sources || []).length === 1 ? "" : "s")));
    } else if (c) {
      tip.append(el("strong", null, c.label), el("div", "zg-note", c.members.length + " members: double-click or Enter to expand"));
    } else return;
    tip.hidden = false;
    var r = tip.getBoundingClientRect();
    tip.style.left = Math.min(window.innerWidth - r.width - 4, x + 14) + "px";
    tip.style.top = Math.min(window.innerHeight - r.height - 4, y + 14) + "px";
  }
  function hideTip() { tip.hidden = true; }
  network.on("hoverNode", function (p) {
    var r = container.getBoundingClientRect();
    showTip(p.node, r.left + p.pointer.DOM.x, r.top + p.pointer.DOM.y);
    setHover(p.node, "network");
  });
  network.on("blurNode", function () { hideTip(); setHover(null, "network"); });

  // ---------------------------------------------------------------- timeline (virtualised rows)
  var tl = document.getElementById("zg-timeline"), tlAxis = document.getElementById("zg-timeline-axis");
  var tlBody = document.getElementById("zg-timeline-body");
  var RH = 18, rows = [], marked = new Set(), hits = new Set(), printing = false;
  function fillPatterns() {
    var defs = svg("svg", { width: 0, height: 0, "aria-hidden": "true", class: "zg-defs" });
    var d = svg("defs", {});
    var hatch = svg("pattern", { id: "zg-p-hatch", patternUnits: "userSpaceOnUse", width: 5, height: 5, patternTransform: "rotate(45)" });
    hatch.append(svg("rect", { width: 5, height: 5, fill: "#fff" }), svg("line", { x1: 1, y1: 0, x2: 1, y2: 5, stroke: "#a33f00", "stroke-width": 2.2 }));
    var dots = svg("pattern", { id: "zg-p-dots", patternUnits: "userSpaceOnUse", width: 4, height: 4 });
    dots.append(svg("rect", { width: 4, height: 4, fill: "#fff" }), svg("circle", { cx: 2, cy: 2, r: 1.1, fill: "#a33f00" }));
    d.append(hatch, dots); defs.append(d);
    document.body.append(defs);
  }
  fillPatterns();
  function glyph(status, w) {
    var g = svg("g", { class: "zg-bar st-" + status });
    if (status === "derived") {
      g.append(svg("line", { x1: 1, x2: w - 1, y1: 6, y2: 6 }), svg("line", { x1: 1, x2: 1, y1: 2, y2: 10 }), svg("line", { x1: w - 1, x2: w - 1, y1: 2, y2: 10 }));
    } else g.append(svg("rect", { x: 1, y: 1, width: Math.max(w - 2, 1), height: 10, rx: 1.5 })); // a bar cut at the edge keeps 1 px
    return g;
  }
  var SHORT_STATUS = { stated: "date stated", "year-inferred": "year inferred", relative: "relative to another event", derived: "derived bounds only (no date in the text)" };
  (function buildLegend() {
    var legend = document.getElementById("zg-timeline-legend");
    Object.keys(data.statuses).forEach(function (st) {
      var item = el("span"), s = svg("svg", { width: 24, height: 12, "aria-hidden": "true" });
      s.append(glyph(st, 24)); item.append(s, document.createTextNode(" " + (SHORT_STATUS[st] || data.statuses[st])));
      item.title = data.statuses[st]; legend.append(item);
    });
  })();

  function ticks(d0, d1, width) {
    var span = d1 - d0, out = [], y, m, d;
    var perPx = span / Math.max(width, 1);
    if (perPx * 70 > 300) {
      var step = Math.max(1, Math.ceil(perPx * 70 / 365));
      for (y = new Date(d0 * DAY).getUTCFullYear(); ; y += step) {
        d = Date.UTC(y, 0, 1) / DAY; if (d > d1) break; if (d >= d0) out.push([d, String(y)]);
      }
    } else if (perPx * 70 > 20) {
      var mstep = Math.max(1, Math.ceil(perPx * 70 / 30));
      var start = new Date(d0 * DAY);
      for (y = start.getUTCFullYear(), m = start.getUTCMonth(); ; m += mstep) {
        d = Date.UTC(y, m, 1) / DAY; if (d > d1) break; if (d >= d0) out.push([d, isoOf(d).slice(0, 7)]);
      }
    } else {
      var dstep = Math.max(1, Math.ceil(perPx * 70));
      for (d = d0; d <= d1; d += dstep) out.push([d, isoOf(d)]);
    }
    return out;
  }
  function geometry() {
    var width = Math.max(360, tl.clientWidth - 2);
    var lw = Math.round(Math.min(280, Math.max(150, width * 0.38)));
    var a = lw + 8, b = width - 10, d0 = view.v0, d1 = view.v1 + 1;
    return { width: width, lw: lw, a: a, b: b, x: function (d) { return a + (d - d0) / Math.max(d1 - d0, 1) * (b - a); }, perDay: (b - a) / Math.max(d1 - d0, 1) };
  }
  function buildRows() {
    var main = [], derived = [];
    dated.forEach(function (n) { if (n._v) (n.date.status === "derived" ? derived : main).push(n); });
    rows = main.map(function (n) { return { n: n }; });
    if (derived.length) {
      rows.push({ lane: "derived", count: derived.length });
      if (state.derivedOpen) derived.forEach(function (n) { rows.push({ n: n, derived: true }); });
    }
    rows.derived = derived;
    tlBody.style.height = (rows.length * RH + 4) + "px";
  }
  function drawAxis(g) {
    var root = svg("svg", { width: g.width, height: 20 });
    root.append(svg("rect", { x: 0, y: 0, width: g.width, height: 20, class: "zg-axis-bg" }));
    var lab = svg("text", { x: 6, y: 14, class: "zg-axis-title" });
    lab.textContent = isoOf(view.v0) + " \u2013 " + isoOf(view.v1);
    root.append(lab);
    ticks(view.v0, view.v1 + 1, g.b - g.a).forEach(function (t) {
      var tx = g.x(t[0]);
      root.append(svg("line", { x1: tx, x2: tx, y1: 14, y2: 20, class: "zg-tick" }));
      var label = svg("text", { x: tx + 2, y: 12, class: "zg-tick" }); label.textContent = t[1]; root.append(label);
    });
    tlAxis.replaceChildren(root);
    return root;
  }
  var derivedMarked = 0;
  function renderTimeline() {
    var t0 = performance.now(), g = geometry();
    drawAxis(g);
    if (printing) { renderPrintTimeline(g); T.timelineMs = performance.now() - t0; return; }
    var top = tl.scrollTop, last = Math.min(rows.length, Math.ceil((top + tl.clientHeight) / RH) + 4);
    var first = Math.min(last, Math.max(0, Math.floor(top / RH) - 4)); // a filter can leave the scroll below the rows
    var root = rowsSvg(g, first, last);
    root.style.top = (first * RH) + "px";
    var had = document.activeElement && tlBody.contains(document.activeElement);
    tlBody.replaceChildren(root);
    // rows are rebuilt on every render: keep the keyboard focus on the same row
    if (had && kbRow) { var f = tlBody.querySelector('.zg-ev[data-id="' + CSS.escape(kbRow) + '"]'); if (f) f.focus({ preventScroll: true }); }
    T.timelineMs = performance.now() - t0;
  }
  /* For print, every row (not only those in sight), in blocks that a page break does not cut. */
  var PRINT_ROWS = 40;
  function renderPrintTimeline(g) {
    var blocks = [];
    for (var i = 0; i < rows.length; i += PRINT_ROWS) {
      var b = rowsSvg(g, i, Math.min(rows.length, i + PRINT_ROWS));
      b.classList.add("zg-print-rows");
      blocks.push(b);
    }
    tlBody.replaceChildren.apply(tlBody, blocks);
  }
  function rowsSvg(g, first, last) {
    var root = svg("svg", { width: g.width, height: (last - first) * RH, role: "list", class: "zg-rows" });
    var tk = ticks(view.v0, view.v1 + 1, g.b - g.a);
    tk.forEach(function (t) { var tx = g.x(t[0]); root.append(svg("line", { x1: tx, x2: tx, y1: 0, y2: (last - first) * RH, class: "zg-grid" })); });
    var chars = Math.floor((g.lw - 20) / 6.4);
    for (var i = first; i < last; i++) {
      var r = rows[i], y = (i - first) * RH;
      if (r.lane) {
        var head = svg("g", { class: "zg-lane" + (derivedMarked ? " rel" : ""), role: "listitem", tabindex: "0" });
        head.dataset.lane = r.lane;
        head.append(svg("rect", { x: 0, y: y + 1, width: g.width, height: RH - 2, class: "zg-lane-bg" }));
        var ht = svg("text", { x: 6, y: y + 13 });
        ht.textContent = (state.derivedOpen ? "\u25be " : "\u25b8 ") + r.count + " events the text does not date (bounds derived from context), drawn as whiskers" +
          (derivedMarked ? " \u00b7 " + derivedMarked + " marked" : "") + (state.derivedOpen || printing ? "" : " \u2014 click to show");
        head.append(ht); root.append(head);
        continue;
      }
      var n = r.n, cls = "zg-ev" + (n.id === state.selected ? " sel" : "") + (marked.has(n.id) ? " rel" : "") + (hits.has(n.id) ? " hit" : "") + (n.id === state.hover || hoverEvents.has(n.id) ? " hov" : "");
      var row = svg("g", { class: cls, role: "listitem", tabindex: n.id === kbRow ? "0" : "-1" });
      row.dataset.id = n.id;
      row.append(svg("rect", { x: 0, y: y, width: g.width, height: RH, class: "zg-row-bg" }));
      var label = svg("text", { x: 6, y: y + 13, class: "zg-row-label" });
      label.textContent = (n.kind === "Claim" ? "\u2605 " : "") + short(n.label, chars);
      row.append(label);
      var x0 = g.x(n._e), x1 = g.x(n._l + 1), min = 6;
      if (x1 - x0 < min) { var c = (x0 + x1) / 2; x0 = c - min / 2; x1 = c + min / 2; }
      var cx0 = Math.max(g.a, x0), cx1 = Math.min(g.b, x1);
      if (cx1 > cx0) {
        var bar = glyph(n.date.status, cx1 - cx0);
        bar.setAttribute("transform", "translate(" + cx0.toFixed(1) + "," + (y + 3) + ")");
        if (n.kind === "Claim") bar.classList.add("claim");
        row.append(bar);
      } else {
        var arrow = svg("text", { x: x1 <= g.a ? g.a : g.b - 8, y: y + 13, class: "zg-off" });
        arrow.textContent = x1 <= g.a ? "\u25c2" : "\u25b8"; row.append(arrow);
      }
      var title = svg("title", {});
      title.textContent = shown(n.label) + " \u2014 " + (n.date.text ? "\u201c" + shown(n.date.text) + "\u201d, " : "") + dateShort(n) + "; " + (data.statuses[n.date.status] || n.date.status);
      row.append(title);
      root.append(row);
    }
    root.append(svg("line", { x1: g.lw, x2: g.lw, y1: 0, y2: (last - first) * RH, class: "zg-divider" }));
    return root;
  }
  var tlFrame = 0;
  function scheduleTimeline() { if (!tlFrame) tlFrame = requestAnimationFrame(function () { tlFrame = 0; renderTimeline(); }); }
  tl.addEventListener("scroll", scheduleTimeline);
  tl.addEventListener("click", function (ev) {
    if (dragMoved) return;
    var lane = ev.target.closest ? ev.target.closest(".zg-lane") : null;
    if (lane) { toggleDerived(); return; }
    var g = ev.target.closest ? ev.target.closest(".zg-ev") : null;
    if (g && g.dataset.id) select(g.dataset.id, "timeline");
  });
  // Keyboard: Tab reaches the timeline, arrows move from row to row, Enter selects (or opens the lane).
  var kbRow = null;
  tl.addEventListener("keydown", function (ev) {
    var t = ev.target.closest ? ev.target : null;
    if (ev.key === "Enter" && t && t.closest(".zg-lane")) { toggleDerived(); return; }
    var ids = rows.filter(function (r) { return r.n; }).map(function (r) { return r.n.id; });
    if (!ids.length) return;
    var at = kbRow ? ids.indexOf(kbRow) : -1;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      at = Math.max(0, Math.min(ids.length - 1, at + (ev.key === "ArrowDown" ? 1 : -1)));
      kbRow = ids[at];
      var idx = rows.findIndex(function (r) { return r.n && r.n.id === kbRow; });
      if (idx * RH < tl.scrollTop + 20) tl.scrollTop = Math.max(0, idx * RH - 20);
      else if ((idx + 1) * RH > tl.scrollTop + tl.clientHeight) tl.scrollTop = (idx + 1) * RH - tl.clientHeight + 20;
      tl.focus({ preventScroll: true });
      renderTimeline();
      var f = tlBody.querySelector('.zg-ev[data-id="' + CSS.escape(kbRow) + '"]');
      if (f) f.focus({ preventScroll: true });
      setHover(kbRow, "keyboard");
    } else if (ev.key === "Enter" && kbRow) select(kbRow, "timeline");
  });
  tl.addEventListener("mouseover", function (ev) {
    var g = ev.target.closest ? ev.target.closest(".zg-ev") : null;
    setHover(g ? g.dataset.id : null, "timeline");
  });
  tl.addEventListener("mouseleave", function () { setHover(null, "timeline"); });
  function toggleDerived() { state.derivedOpen = !state.derivedOpen; buildRows(); renderTimeline(); writeHash(); }

  // Zoom (buttons, ctrl+wheel) and pan (drag, horizontal wheel) on the time axis.
  function setView(v0, v1) {
    if (!hasDates) return;
    var span = Math.max(3, v1 - v0), lo = minDay - 365, hi = maxDay + 365;
    v0 = Math.round(v0); v1 = Math.round(v0 + span);
    if (v0 < lo) { v1 += lo - v0; v0 = lo; }
    if (v1 > hi) { v0 -= v1 - hi; v1 = hi; }
    view.v0 = v0; view.v1 = v1;
    scheduleTimeline();
  }
  function zoomTimeline(factor, atDay) {
    var c = atDay === undefined ? (view.v0 + view.v1) / 2 : atDay;
    setView(c - (c - view.v0) * factor, c + (view.v1 - c) * factor);
  }
  document.getElementById("zg-zoom-in").addEventListener("click", function () { zoomTimeline(0.5); });
  document.getElementById("zg-zoom-out").addEventListener("click", function () { zoomTimeline(2); });
  document.getElementById("zg-zoom-fit").addEventListener("click", function () { setView(state.from, state.to); });
  tl.addEventListener("wheel", function (ev) {
    var g = geometry(), r = tl.getBoundingClientRect(), px = ev.clientX - r.left;
    if (ev.ctrlKey || ev.metaKey) {
      ev.preventDefault();
      zoomTimeline(ev.deltaY > 0 ? 1.25 : 0.8, px > g.a ? view.v0 + (px - g.a) / g.perDay : undefined);
    } else if (Math.abs(ev.deltaX) > Math.abs(ev.deltaY) || ev.shiftKey) {
      ev.preventDefault();
      var dx = ev.deltaX || ev.deltaY;
      setView(view.v0 + dx / g.perDay, view.v1 + dx / g.perDay);
    }
  }, { passive: false });
  var drag = null, dragMoved = false;
  tl.addEventListener("mousedown", function (ev) {
    var g = geometry(), r = tl.getBoundingClientRect();
    dragMoved = false;
    if (ev.clientX - r.left > g.a && ev.button === 0) drag = { x: ev.clientX, v0: view.v0, v1: view.v1, perDay: g.perDay };
  });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x;
    if (Math.abs(dx) > 3) dragMoved = true;
    if (dragMoved) setView(drag.v0 - dx / drag.perDay, drag.v1 - dx / drag.perDay);
  });
  window.addEventListener("mouseup", function () { drag = null; setTimeout(function () { dragMoved = false; }, 0); });

  // ---------------------------------------------------------------- date range (typed dates)
  var fromInput = document.getElementById("zg-from"), toInput = document.getElementById("zg-to"), modeInput = document.getElementById("zg-mode");
  if (hasDates) [fromInput, toInput].forEach(function (inp) { inp.min = isoOf(minDay); inp.max = isoOf(maxDay); });
  function syncRange() { fromInput.value = hasDates ? isoOf(state.from) : ""; toInput.value = hasDates ? isoOf(state.to) : ""; modeInput.value = state.mode; }
  function onRange(ev) {
    var a = fromInput.value ? dayOf(fromInput.value) : minDay, b = toInput.value ? dayOf(toInput.value) : maxDay;
    if (isNaN(a)) a = minDay; if (isNaN(b)) b = maxDay;
    if (a > b) { if (ev && ev.target === fromInput) b = a; else a = b; }
    state.from = a; state.to = b; state.mode = modeInput.value === "within" ? "within" : "overlaps";
    syncRange();
    view.v0 = state.from; view.v1 = state.to;
    applyFilters(true);
  }
  fromInput.addEventListener("change", onRange); toInput.addEventListener("change", onRange); modeInput.addEventListener("change", onRange);
  document.getElementById("zg-reset").addEventListener("click", function () { fromInput.value = isoOf(minDay); toInput.value = isoOf(maxDay); onRange(null); });
  if (!hasDates) document.getElementById("zg-timeline-head").querySelectorAll("label, button, select").forEach(function (e) { e.hidden = true; });

  // ---------------------------------------------------------------- map
  var mapSvg = document.getElementById("zg-map"), placeList = document.getElementById("zg-places");
  var located = data.nodes.filter(function (n) { return n.kind === "Place" && n.coordinates; });
  var AREA = /country|region|area|province|district/i;
  var markerOf = new Map();
  /* The map: the outlines are projected once and zoomed by an SVG transform (their strokes do not
     scale); markers are re-placed at the zoomed positions at their own size, and their labels placed
     again by the same rule, so they stay legible at any zoom. mapView: scale k, then shift (tx, ty) px. */
  var mapView = { k: 1, tx: 0, ty: 0 }, mapBase = [], mapGeo = null, mapSize = [300, 220];
  var MAP_MAX = 64;
  function renderMap() {
    var t0 = performance.now();
    mapSvg.replaceChildren(); markerOf.clear();
    if (!located.length) { mapSvg.hidden = true; document.getElementById("zg-map-zoom").hidden = true; return; }
    var w = mapSvg.clientWidth || 300, h = mapSvg.clientHeight || 220;
    mapSize = [w, h];
    mapSvg.setAttribute("viewBox", "0 0 " + w + " " + h); // scales as a whole when printed narrower
    var lons = located.map(function (n) { return n.coordinates.long; }), lats = located.map(function (n) { return n.coordinates.lat; });
    var x0 = Math.min.apply(null, lons), x1 = Math.max.apply(null, lons), y0 = Math.min.apply(null, lats), y1 = Math.max.apply(null, lats);
    var px = Math.max(2, (x1 - x0) * 0.15), py = Math.max(2, (y1 - y0) * 0.15);
    var bbox = { type: "MultiPoint", coordinates: [[x0 - px, y0 - py], [x1 + px, y0 - py], [x0 - px, y1 + py], [x1 + px, y1 + py]] };
    var haveGeo = typeof d3 !== "undefined" && typeof topojson !== "undefined" && document.getElementById("zg-world");
    var project;
    mapSvg.append(svg("rect", { width: w, height: h, class: "zg-sea" }));
    mapGeo = svg("g", { class: "zg-geo" });
    mapSvg.append(mapGeo);
    if (haveGeo) {
      var proj = d3.geoMercator().fitExtent([[8, 8], [w - 8, h - 8]], bbox), path = d3.geoPath(proj);
      var world = JSON.parse(document.getElementById("zg-world").textContent);
      var land = svg("path", { d: path(topojson.feature(world, world.objects.countries)) || "", class: "zg-land" });
      var borders = svg("path", { d: path(topojson.mesh(world, world.objects.countries, function (a, b) { return a !== b; })) || "", class: "zg-borders", "vector-effect": "non-scaling-stroke" });
      mapGeo.append(land, borders);
      project = function (c) { return proj([c.long, c.lat]); };
    } else {
      project = function (c) { return [8 + (c.long - x0 + px) / (x1 - x0 + 2 * px) * (w - 16), h - 8 - (c.lat - y0 + py) / (y1 - y0 + 2 * py) * (h - 16)]; };
    }
    // Cities first (their names matter most); areas are drawn underneath and labelled where room is left.
    var order = located.slice().sort(function (a, b) { return (AREA.test(a.type || "") ? 1 : 0) - (AREA.test(b.type || "") ? 1 : 0); });
    mapBase = order.map(function (n) { return { n: n, p: project(n.coordinates), area: AREA.test(n.type || "") }; });
    drawPlaces();
    T.mapMs = performance.now() - t0;
  }
  /* A map label's width in the bold it takes when marked (a marked place's label is bold), plus a gap. */
  var mapMeasure = document.createElement("canvas").getContext("2d");
  function mapTextWidth(text) {
    mapMeasure.font = "bold 11px " + getComputedStyle(document.body).fontFamily;
    return Math.ceil(mapMeasure.measureText(text).width) + 3;
  }
  function mapAt(p) { return [p[0] * mapView.k + mapView.tx, p[1] * mapView.k + mapView.ty]; }
  function drawPlaces() {
    var w = mapSize[0], h = mapSize[1];
    if (mapGeo) mapGeo.setAttribute("transform", "translate(" + mapView.tx.toFixed(2) + " " + mapView.ty.toFixed(2) + ") scale(" + mapView.k + ")");
    markerOf.forEach(function (g) { g.remove(); });
    markerOf.clear();
    var focused = document.activeElement && document.activeElement.closest ? document.activeElement.closest(".zg-place") : null;
    var focusId = focused && mapSvg.contains(focused) ? focused.dataset.id : null;
    var points = mapBase.map(function (b) { var q = mapAt(b.p); return { id: b.n.id, x: q[0], y: q[1], area: b.area }; });
    var firstCity = null, placed = [];
    mapBase.forEach(function (b, i) {
      var n = b.n, p = [points[i].x, points[i].y], area = b.area;
      var g = svg("g", { class: "zg-place" + (area ? " area" : "") + (n.coordinates.external ? " ext" : ""), tabindex: "0", role: "button" });
      g.dataset.id = n.id;
      g.append(svg("circle", { cx: p[0].toFixed(1), cy: p[1].toFixed(1), r: area ? 9 : 4.5 }));
      var text = short(n.label, 26), tw = mapTextWidth(text), box = null;
      // right, left, above, below, then the four corners: the first place that stays inside and covers
      // no label and no marker
      [[p[0] + 8, p[1] - 6], [p[0] - 8 - tw, p[1] - 6], [p[0] - tw / 2, p[1] - 20], [p[0] - tw / 2, p[1] + 8],
        [p[0] + 5, p[1] - 17], [p[0] + 5, p[1] + 5], [p[0] - 5 - tw, p[1] - 17], [p[0] - 5 - tw, p[1] + 5]].some(function (c) {
        var bx = [c[0], c[1], tw, 12];
        if (bx[0] < 0 || bx[1] < 0 || bx[0] + tw > w || bx[1] + 12 > h) return false;
        var hit = placed.some(function (o) { return bx[0] < o[0] + o[2] && o[0] < bx[0] + bx[2] && bx[1] < o[1] + o[3] && o[1] < bx[1] + bx[3]; }) ||
          points.some(function (q) { return q.id !== n.id && !q.area && q.x + 4 > bx[0] && q.x - 4 < bx[0] + tw && q.y + 4 > bx[1] && q.y - 4 < bx[1] + 12; });
        if (!hit) box = bx;
        return !hit;
      });
      if (box) {
        placed.push(box);
        var t = svg("text", { x: box[0].toFixed(1), y: (box[1] + 10).toFixed(1) }); t.textContent = text; g.append(t);
      }
      var title = svg("title", {});
      title.textContent = shown(n.label) + " (" + n.coordinates.lat + ", " + n.coordinates.long + ")" + (n.coordinates.external ? " \u2014 coordinates from outside knowledge, not from the documents" : "") + (area ? "; an area, drawn at its centre" : "");
      g.append(title);
      markerOf.set(n.id, g);
      if (area) mapSvg.insertBefore(g, firstCity); else { mapSvg.append(g); if (!firstCity) firstCity = g; }
    });
    if (focusId && markerOf.has(focusId)) markerOf.get(focusId).focus();
    markMap();
    document.getElementById("zg-map-scale").textContent = mapView.k === 1 ? "" : "\u00d7" + (Math.round(mapView.k * 10) / 10);
  }
  /* Zoom by `factor` keeping the point (cx, cy) of the map where it is; pan by (dx, dy) px. The view
     never zooms out beyond the whole map, nor pans it out of sight. */
  function zoomMap(factor, cx, cy) {
    var k = Math.max(1, Math.min(MAP_MAX, mapView.k * factor));
    if (cx === undefined) { cx = mapSize[0] / 2; cy = mapSize[1] / 2; }
    mapView.tx = cx - (cx - mapView.tx) * (k / mapView.k);
    mapView.ty = cy - (cy - mapView.ty) * (k / mapView.k);
    mapView.k = k;
    panMap(0, 0);
  }
  function panMap(dx, dy) {
    var w = mapSize[0], h = mapSize[1], k = mapView.k;
    mapView.tx = Math.min(0, Math.max(w - w * k, mapView.tx + dx));
    mapView.ty = Math.min(0, Math.max(h - h * k, mapView.ty + dy));
    drawPlaces();
  }
  function resetMap() { mapView = { k: 1, tx: 0, ty: 0 }; drawPlaces(); }
  document.getElementById("zg-map-in").addEventListener("click", function () { zoomMap(2); });
  document.getElementById("zg-map-out").addEventListener("click", function () { zoomMap(0.5); });
  document.getElementById("zg-map-reset").addEventListener("click", resetMap);
  function mapPoint(ev) { var r = mapSvg.getBoundingClientRect(); return [ev.clientX - r.left, ev.clientY - r.top]; }
  mapSvg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var q = mapPoint(ev);
    zoomMap(Math.pow(2, -ev.deltaY / 300), q[0], q[1]);
  }, { passive: false });
  var mapDrag = null, mapDragged = false;
  mapSvg.addEventListener("mousedown", function (ev) { if (ev.button === 0) { mapDrag = [ev.clientX, ev.clientY]; mapDragged = false; } });
  window.addEventListener("mousemove", function (ev) {
    if (!mapDrag) return;
    var dx = ev.clientX - mapDrag[0], dy = ev.clientY - mapDrag[1];
    if (!mapDragged && Math.abs(dx) + Math.abs(dy) < 4) return;
    mapDragged = true; mapDrag = [ev.clientX, ev.clientY];
    mapSvg.classList.add("zg-dragging");
    panMap(dx, dy);
  });
  window.addEventListener("mouseup", function () { if (mapDrag) { mapDrag = null; mapSvg.classList.remove("zg-dragging"); setTimeout(function () { mapDragged = false; }, 0); } });
  mapSvg.tabIndex = 0;
  mapSvg.addEventListener("keydown", function (ev) {
    var keys = { "+": 0, "=": 0, "-": 1, "_": 1, "0": 2, ArrowLeft: 3, ArrowRight: 4, ArrowUp: 5, ArrowDown: 6 }, a = keys[ev.key];
    if (a === undefined || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    ev.preventDefault();
    if (a === 0) zoomMap(2); else if (a === 1) zoomMap(0.5); else if (a === 2) resetMap();
    else panMap(a === 3 ? 40 : a === 4 ? -40 : 0, a === 5 ? 40 : a === 6 ? -40 : 0);
  });
  mapSvg.addEventListener("click", function (ev) { if (mapDragged) return; var g = ev.target.closest ? ev.target.closest(".zg-place") : null; if (g) select(g.dataset.id, "map"); });
  mapSvg.addEventListener("keydown", function (ev) { var g = ev.target.closest ? ev.target.closest(".zg-place") : null; if (g && ev.key === "Enter") select(g.dataset.id, "map"); });
  mapSvg.addEventListener("mouseover", function (ev) { var g = ev.target.closest ? ev.target.closest(".zg-place") : null; setHover(g ? g.dataset.id : null, "map"); });
  mapSvg.addEventListener("mouseleave", function () { setHover(null, "map"); });
  (function buildPlaceList() {
    var places = data.nodes.filter(function (n) { return n.kind === "Place"; });
    var roots = places.filter(function (n) { return !parentOf.has(n.id) || !byId.has(parentOf.get(n.id)); });
    roots.sort(function (a, b) { return a.label < b.label ? -1 : 1; });
    function item(n, depth) {
      var li = el("li"), b = el("button", "zg-link", n.label);
      b.type = "button"; b.dataset.id = n.id;
      b.addEventListener("click", function () { select(n.id, "map"); });
      li.append(b);
      if (!n.coordinates) {
        var at = locatedAt(n.id);
        li.append(el("span", "zg-note", at ? " no coordinates: marked at " + byId.get(at).label : " no coordinates"));
      } else if (n.coordinates.external) li.append(el("span", "zg-note", " \u2295 outside knowledge"));
      var kids = (childrenOf.get(n.id) || []).map(function (id) { return byId.get(id); });
      if (kids.length && depth < 8) {
        var ul = el("ul");
        kids.sort(function (a, b) { return a.label < b.label ? -1 : 1; }).forEach(function (k) { ul.append(item(k, depth + 1)); });
        li.append(ul);
      }
      return li;
    }
    roots.forEach(function (n) { placeList.append(item(n, 0)); });
  })();
  var markedPlaces = new Set();
  function markMap() {
    markerOf.forEach(function (g, id) {
      g.classList.toggle("rel", markedPlaces.has(id));
      g.classList.toggle("sel", id === state.selected || (state.selected && byId.has(state.selected) && !byId.get(state.selected).coordinates && locatedAt(state.selected) === id && byId.get(state.selected).kind === "Place"));
      g.classList.toggle("hov", hoverPlaces.has(id));
    });
    placeList.querySelectorAll("button[data-id]").forEach(function (b) {
      b.classList.toggle("rel", markedPlaces.has(b.dataset.id) || relPlaces.has(b.dataset.id));
    });
  }
  var relPlaces = new Set();

  // ---------------------------------------------------------------- linking
  /* The events (and dated claims) and places a selection is about. */
  function related(id) {
    var evs = new Set(), places = new Set();
    if (id && id.indexOf("source:") === 0) {
      var slug = id.slice(7);
      data.nodes.forEach(function (n) { if ((n.sources || []).indexOf(slug) >= 0) { if (n.date && n._v) evs.add(n.id); if (n.kind === "Place") places.add(n.id); } });
    } else {
      var n = byId.get(id);
      if (!n) return { events: evs, places: places };
      // only the events the filters show (the views agree), and the places of those events
      if (n.date && n._v) evs.add(n.id);
      var around = n.kind === "Place" ? descendants(n.id) : [n.id];
      around.forEach(function (pid) {
        neighbours(pid).forEach(function (m) { var o = byId.get(m); if (o && o.date && o._v) evs.add(m); if (o && o.kind === "Place" && n.kind !== "Place") places.add(m); });
      });
      if (n.kind === "Place") places.add(n.id);
      evs.forEach(function (e) { (outgoing.get(e) || []).forEach(function (ed) { var o = byId.get(ed.to); if (o && o.kind === "Place" && ed.label === "places") places.add(ed.to); }); });
    }
    return { events: evs, places: places };
  }
  function applyLinks() {
    var r = state.selected ? related(state.selected) : { events: new Set(), places: new Set() };
    marked = r.events; relPlaces = r.places;
    markedPlaces = new Set();
    r.places.forEach(function (p) { var at = locatedAt(p); if (at) markedPlaces.add(at); });
    derivedMarked = 0;
    (rows.derived || []).forEach(function (n) { if (marked.has(n.id)) derivedMarked++; });
    if (state.selected && byId.has(state.selected) && byId.get(state.selected).date && byId.get(state.selected).date.status === "derived" && !state.derivedOpen) { state.derivedOpen = true; buildRows(); }
    markMap();
  }
  var hoverEvents = new Set(), hoverPlaces = new Set();
  function setHover(id, origin) {
    if (state.hover === id) return;
    state.hover = id;
    // what the hovered item is about, highlighted in the other views (its events, its places)
    var r = id && byId.has(id) ? related(id) : { events: new Set(), places: new Set() };
    hoverEvents = r.events; hoverPlaces = new Set();
    r.places.forEach(function (p) { var at = locatedAt(p); if (at) hoverPlaces.add(at); });
    if (origin !== "timeline") scheduleTimeline();
    markMap();
    if (origin !== "network") network.redraw();
    if (origin !== "network" && !id) hideTip();
  }

  // ---------------------------------------------------------------- filtering
  var countOut = document.getElementById("zg-count");
  function applyFilters(refit) {
    var t0 = performance.now(), n = 0;
    data.nodes.forEach(function (x) { x._v = visible(x); if (x._v) n++; });
    var t1 = performance.now();
    nodesView.refresh(); edgesView.refresh();
    var t2 = performance.now();
    buildRows(); applyLinks();
    var t3 = performance.now();
    renderTimeline(); renderTables();
    T.filterParts = { visible: t1 - t0, views: t2 - t1, rows: t3 - t2, draw: performance.now() - t3 };
    countOut.textContent = n + " of " + data.nodes.length + " nodes shown";
    if (state.selected && byId.get(state.selected) && byId.get(state.selected)._v) network.selectNodes([state.selected]);
    if (refit) fitNetwork();
    writeHash();
    T.filterMs = performance.now() - t0;
  }

  // ---------------------------------------------------------------- search (labels, aliases, quotes, claims, descriptions)
  var searchInput = document.getElementById("zg-search"), results = document.getElementById("zg-results");
  var searchIndex = null;
  /* Fold a text and keep, for each folded character, the index of the original one (for snippets). */
  function folded(text) {
    var out = "", map = [];
    for (var i = 0; i < text.length; i++) {
      var c = text[i], code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) { c = text.slice(i, i + 2); }
      var f = fold(c);
      for (var j = 0; j < f.length; j++) map.push(i);
      out += f;
      if (c.length === 2) i++;
    }
    map.push(text.length);
    return { text: out, map: map };
  }
  function buildIndex() {
    searchIndex = data.nodes.map(function (n) {
      var fields = [["label", n.label]];
      (n.aliases || []).forEach(function (a) { fields.push(["also called", a]); });
      if (n.description) fields.push(["description", n.description]);
      (n.roles || []).forEach(function (a) { fields.push(["described as", a]); });
      (n.quantities || []).forEach(function (a) { fields.push(["number", a]); });
      if (n.date && n.date.text) fields.push(["date", n.date.text]);
      (n.evidence || []).concat.apply(n.evidence || [], (n.numbers || []).map(function (x) { return x.evidence; })).forEach(function (q) {
        fields.push(["quote", q.before + q.quote + q.after]);
      });
      return { n: n, fields: fields.map(function (f) { var x = folded(f[1]); return { name: f[0], raw: f[1], text: x.text, map: x.map }; }) };
    });
  }
  function tokens(q) { return fold(q).split(/[^\p{L}\p{N}'"-]+/u).map(function (t) { return t.replace(/^['"-]+|['"-]+$/g, ""); }).filter(Boolean); }
  function search(query) {
    if (!searchIndex) buildIndex();
    var toks = tokens(query), phrase = toks.join(" "), out = [];
    if (!toks.length) return out;
    for (var i = 0; i < searchIndex.length; i++) {
      var it = searchIndex[i], found = new Array(toks.length), best = null;
      for (var j = 0; j < it.fields.length; j++) {
        var f = it.fields[j], c = 0;
        for (var k = 0; k < toks.length; k++) if (f.text.indexOf(toks[k]) >= 0) { found[k] = true; c++; }
        if (c) {
          var score = c * 10 + (f.text.indexOf(phrase) >= 0 ? 50 : 0) + (j === 0 ? 6 : f.name === "also called" ? 5 : 0) + (f.text === phrase ? 30 : f.text.indexOf(phrase) === 0 ? 8 : 0);
          if (!best || score > best.score) best = { f: f, score: score };
        }
      }
      var all = true;
      for (var m = 0; m < toks.length; m++) if (!found[m]) { all = false; break; }
      if (all) out.push({ n: it.n, score: best.score, field: best.f, toks: toks });
    }
    out.sort(function (a, b) { return b.score - a.score || a.n.label.length - b.n.label.length || (a.n.label < b.n.label ? -1 : 1); });
    return out;
  }
  /* A snippet of the matching field with every query word marked (text nodes only). */
  function snippet(h) {
    var f = h.field, spans = [];
    var ph = f.text.indexOf(h.toks.join(" "));
    if (ph >= 0) spans.push([f.map[ph], f.map[ph + h.toks.join(" ").length - 1] + 1]);
    h.toks.forEach(function (t) { var at = f.text.indexOf(t); while (at >= 0) { spans.push([f.map[at], f.map[at + t.length - 1] + 1]); at = f.text.indexOf(t, at + t.length); } });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    spans.forEach(function (s) { var l = merged[merged.length - 1]; if (l && s[0] <= l[1]) l[1] = Math.max(l[1], s[1]); else merged.push(s.slice()); });
    var raw = f.raw, lo = Math.max(0, (merged.length ? merged[0][0] : 0) - 50), hi = Math.min(raw.length, (merged.length ? merged[merged.length - 1][1] : 0) + 60);
    if (hi - lo > 220) hi = lo + 220;
    var p = el("span", "zg-snippet"), cur = lo;
    if (lo > 0) p.append(document.createTextNode("\u2026"));
    merged.forEach(function (s) {
      if (s[0] < cur || s[1] > hi) return;
      p.append(document.createTextNode(shown(raw.slice(cur, s[0]))), el("mark", null, raw.slice(s[0], s[1])));
      cur = s[1];
    });
    p.append(document.createTextNode(shown(raw.slice(cur, hi)) + (hi < raw.length ? "\u2026" : "")));
    var wrap = el("span", "zg-hit-where", f.name === "label" ? "" : f.name + ": ");
    wrap.append(p);
    return wrap;
  }
  var lastHits = [];
  function onSearch(fromUser) {
    var t0 = performance.now();
    state.query = searchInput.value;
    lastHits = search(searchInput.value);
    results.replaceChildren();
    hits = new Set(lastHits.map(function (h) { return h.n.id; }));
    var groups = new Map();
    lastHits.forEach(function (h) { push(groups, h.n.kind, h); });
    // Groups by kind, the group with the best hit first.
    Array.from(groups.keys()).forEach(function (key) {
      var list = groups.get(key), k = kinds.get(key) || { key: key, label: key, color: "#999", shape: "dot" };
      var head = el("li", "zg-group"), sw = el("span", "zg-swatch " + k.shape);
      sw.style.background = k.color;
      head.append(sw, el("span", null, k.label + " (" + list.length + ")"));
      results.append(head);
      list.slice(0, 8).forEach(function (h) {
        var li = el("li"), b = el("button", "zg-hit");
        b.type = "button"; b.dataset.id = h.n.id;
        b.append(el("span", "zg-hit-label", h.n.label));
        if (h.field.name !== "label") b.append(snippet(h));
        else if (h.n.date) b.append(el("span", "zg-hit-where", dateShort(h.n)));
        if (!h.n._v) b.append(el("span", "zg-note", " hidden by filters"));
        b.addEventListener("click", function () { results.replaceChildren(); select(h.n.id, "search"); });
        li.append(b); results.append(li);
      });
      if (list.length > 8) results.append(el("li", "zg-note", (list.length - 8) + " more " + k.label.toLowerCase() + " matches: refine the search"));
    });
    if (!lastHits.length && searchInput.value.trim()) results.append(el("li", "zg-note", "Nothing found."));
    var ids = lastHits.filter(function (h) { return h.n._v && drawnNode(h.n.id); }).slice(0, 500).map(function (h) { return h.n.id; });
    if (ids.length) network.selectNodes(ids); else if (searchInput.value && !state.selected) network.unselectAll();
    countOut.textContent = searchInput.value ? lastHits.length + " match" + (lastHits.length === 1 ? "" : "es") : countOut.textContent;
    scheduleTimeline();
    if (fromUser) writeHash();
    T.searchMs = performance.now() - t0;
  }
  searchInput.addEventListener("input", function () { onSearch(true); });
  searchInput.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && lastHits.length) { results.replaceChildren(); select(lastHits[0].n.id, "search"); }
    else if (ev.key === "Escape") { results.replaceChildren(); }
  });
  document.addEventListener("click", function (ev) { if (!ev.target.closest || !ev.target.closest("#zg-search-box")) results.replaceChildren(); });
  searchInput.addEventListener("focus", function () { if (searchInput.value && !results.childElementCount) onSearch(false); });

  // ---------------------------------------------------------------- tables (claims by stance, events with sources)
  var tableBox = document.getElementById("zg-table"), tabs = document.querySelectorAll("#zg-tabs button");
  var sortBy = { claims: [0, 1], events: [0, 1] }, tableFilter = document.getElementById("zg-table-filter");
  function names(ids) { return ids.map(function (id) { var x = byId.get(id); return x ? shown(x.label) : id; }).join("; "); }
  function tableData(which) {
    if (which === "claims") {
      var cols = ["Stance", "Claimant", "Claim", "About", "Quote", "Source"];
      var rowsOut = data.nodes.filter(function (n) { return n.kind === "Claim" && n._v; }).map(function (n) {
        var out = outgoing.get(n.id) || [];
        var st = stances.get(n.stance);
        return { id: n.id, cells: [st ? st.label : (n.stance || ""), names(out.filter(function (e) { return e.label === "claimed by"; }).map(function (e) { return e.to; })), shown(n.label),
          names(out.filter(function (e) { return e.label === "about"; }).map(function (e) { return e.to; })), (n.evidence || []).map(function (q) { return q.quote; }).join(" \u2016 "),
          (n.sources || []).map(function (s) { return shown(data.sources[s] || s); }).join("; ")], date: n._e };
      });
      return { cols: cols, rows: rowsOut };
    }
    var ecols = ["Earliest", "Latest", "Date as written", "Status", "Event", "Places", "Sources"];
    var erows = data.nodes.filter(function (n) { return n.kind === "Event" && n._v; }).map(function (n) {
      var out = outgoing.get(n.id) || [];
      return { id: n.id, cells: [n.date ? n.date.earliest : "", n.date ? n.date.latest : "", n.date && n.date.text ? shown(n.date.text) : "", n.date ? n.date.status : "", shown(n.label),
        names(out.filter(function (e) { return e.label === "places"; }).map(function (e) { return e.to; })), (n.sources || []).map(function (s) { return shown(data.sources[s] || s); }).join("; ")] };
    });
    return { cols: ecols, rows: erows };
  }
  function currentTable() {
    var which = state.tab, t = tableData(which), f = tokens(tableFilter.value);
    var s = sortBy[which];
    var rowsOut = t.rows.filter(function (r) { var text = fold(r.cells.join(" ")); return f.every(function (w) { return text.indexOf(w) >= 0; }); });
    rowsOut.sort(function (a, b) { var x = a.cells[s[0]], y = b.cells[s[0]]; return (x < y ? -1 : x > y ? 1 : 0) * s[1] || (a.cells[4] < b.cells[4] ? -1 : 1); });
    return { cols: t.cols, rows: rowsOut };
  }
  function renderTables() {
    tabs.forEach(function (b) { b.setAttribute("aria-selected", String(b.dataset.tab === state.tab)); });
    var isTable = state.tab !== "network";
    container.hidden = isTable; document.getElementById("zg-table-box").hidden = !isTable;
    document.body.classList.toggle("zg-tab-table", isTable); // a table reads better wide: the map steps aside
    if (!isTable) return;
    var t = currentTable(), table = el("table"), thead = el("thead"), tr = el("tr");
    t.cols.forEach(function (c, i) {
      var th = el("th"), b = el("button", null, c + (sortBy[state.tab][0] === i ? (sortBy[state.tab][1] > 0 ? " \u25b4" : " \u25be") : ""));
      b.type = "button"; b.dataset.col = String(i);
      b.addEventListener("click", function () { var s = sortBy[state.tab]; sortBy[state.tab] = [i, s[0] === i ? -s[1] : 1]; renderTables(); });
      th.append(b); tr.append(th);
    });
    thead.append(tr); table.append(thead);
    var tb = el("tbody");
    t.rows.forEach(function (r) {
      var row = el("tr");
      row.dataset.id = r.id;
      if (r.id === state.selected) row.className = "sel"; else if (marked.has(r.id)) row.className = "rel";
      r.cells.forEach(function (c, i) {
        var td = el("td");
        if (state.tab === "claims" && i === 0) { var st = stances.get(byId.get(r.id).stance); var bd = badge(c, st ? st.color : null); td.append(bd); }
        else td.textContent = c;
        row.append(td);
      });
      row.addEventListener("click", function () { select(r.id, "table"); });
      tb.append(row);
    });
    table.append(tb);
    document.getElementById("zg-table-count").textContent = t.rows.length + " rows";
    tableBox.replaceChildren(table);
  }
  function csvCell(c) { c = String(c); return /[",\n\r]/.test(c) || /^[=+\-@]/.test(c) ? '"' + (/^[=+\-@]/.test(c) ? "'" : "") + c.replace(/"/g, '""') + '"' : c; }
  function tableCsv() { var t = currentTable(); return [t.cols].concat(t.rows.map(function (r) { return r.cells; })).map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n"; }
  document.getElementById("zg-csv").addEventListener("click", function () {
    var blob = new Blob([tableCsv()], { type: "text/csv;charset=utf-8" }), a = el("a");
    a.href = URL.createObjectURL(blob); a.download = "zhanaozen-" + state.tab + ".csv";
    document.body.append(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  });
  tableFilter.addEventListener("input", renderTables);
  tabs.forEach(function (b) { b.addEventListener("click", function () { state.tab = b.dataset.tab; renderTables(); writeHash(); if (state.tab === "network") { network.setSize("100%", "100%"); network.redraw(); fitNetwork(); } }); });

  // ---------------------------------------------------------------- details panel
  var panel = document.getElementById("zg-panel");
  function link(id) {
    var n = byId.get(id), b = el("button", "zg-link", n ? n.label : id);
    b.type = "button"; b.dataset.id = id;
    b.addEventListener("click", function () { select(id, "panel"); });
    return b;
  }
  function sourceLink(slug) {
    var b = el("button", "zg-link", data.sources[slug] || slug);
    b.type = "button"; b.dataset.source = slug;
    b.addEventListener("click", function () { select("source:" + slug, "panel"); });
    return b;
  }
  /* One value (an alias, a description) and who gives it. */
  function attributed(a) {
    var who = a.sources.map(function (s) { return data.sources[s] || s; });
    if (a.register) who.push("the register");
    if (a.external) who.push("outside knowledge");
    return [a.value, el("span", "zg-said", (a.sources.length || !a.external ? "according to " : "") + (who.join("; ") || "no source"))];
  }
  function details(title, open) {
    var d = el("details", "zg-section"); d.open = open !== false;
    d.append(el("summary", null, title)); panel.append(d);
    return d;
  }
  var FIRST = 6; // a long list shows its first items and a button for the rest
  function section(title, items, open) {
    if (!items.length) return;
    var d = details(title + " (" + items.length + ")", open), ul = el("ul");
    function item(parts) { var li = el("li"); parts.forEach(function (p) { if (p !== null && p !== undefined) li.append(typeof p === "string" ? document.createTextNode(shown(p)) : p); }); ul.append(li); }
    items.slice(0, items.length > FIRST + 2 ? FIRST : items.length).forEach(item);
    d.append(ul);
    if (items.length > FIRST + 2) {
      var more = el("button", "zg-more", "Show " + (items.length - FIRST) + " more");
      more.type = "button";
      more.addEventListener("click", function () { items.slice(FIRST).forEach(item); more.remove(); });
      d.append(more);
    }
  }
  function badge(text, color, cls) { var b = el("span", "zg-badge" + (cls ? " " + cls : ""), text); if (color) { b.style.background = color; b.style.color = contrast(color); } return b; }
  function contrast(hex) { var v = parseInt(hex.slice(1), 16), l = 0.299 * (v >> 16) + 0.587 * ((v >> 8) & 255) + 0.114 * (v & 255); return l > 150 ? "#111" : "#fff"; }
  function stanceBadge(n) { var s = stances.get(n.stance); return badge(s ? s.label : n.stance, s ? s.color : null); }
  function quote(q, target) {
    var bq = el("blockquote", "zg-evidence"), p = el("p");
    p.append(document.createTextNode(shown(q.before)), el("mark", null, q.quote), document.createTextNode(shown(q.after)));
    var cite = el("cite", null, "according to " + (data.sources[q.source] || q.source));
    bq.append(p, cite);
    target.append(bq);
  }
  function when(id) { var x = byId.get(id); return x && x.date ? el("span", "zg-when", dateShort(x)) : null; }
  function byDate(a, b) { var x = byId.get(a), y = byId.get(b); return ((x && x._e) || 0) - ((y && y._e) || 0); }

  function renderPanel(n) {
    panel.replaceChildren();
    var k = kinds.get(n.kind), head = el("div", "zg-kind-line"), sw = el("span", "zg-swatch " + (k ? k.shape : "dot"));
    sw.style.background = colourOf(n);
    head.append(sw, el("span", "zg-kind", (k ? k.label : n.kind) + (n.type ? " \u00b7 " + n.type : "")));
    var close = el("button", "zg-close", "\u00d7"); close.type = "button"; close.title = "Clear the selection (Esc)"; close.setAttribute("aria-label", "Clear the selection");
    close.addEventListener("click", clearSelection);
    head.append(close);
    panel.append(head, el("h2", "zg-panel-title", n.label));
    if (n.stance) { var sp = el("p"); sp.append(document.createTextNode("Stance: "), stanceBadge(n)); panel.append(sp); }
    if (n.description) panel.append(el("p", null, n.description));
    // Each alias and description with who gives it: the sources that state it, the register, outside knowledge.
    if (n.alias_sources && n.alias_sources.length) section("Also called", n.alias_sources.map(attributed));
    else if (n.aliases && n.aliases.length) panel.append(el("p", "zg-aliases", "Also called: " + n.aliases.map(shown).join("; ")));
    if (n.role_sources && n.role_sources.length) section("Described as", n.role_sources.map(attributed));
    else section("Described as", (n.roles || []).map(function (a) { return [a]; }));
    if (n.date) {
      var dd = details("Date"), dl = el("dl"), d = n.date;
      var row = function (t, v) { dl.append(el("dt", null, t)); var x = el("dd"); if (typeof v === "string") x.textContent = shown(v); else x.append(v); dl.append(x); };
      row("As written", d.text || "(no date in the text)");
      row("EDTF", d.edtf);
      row(d.earliest === d.latest ? "On" : "Between", d.earliest === d.latest ? d.earliest : d.earliest + " and " + d.latest);
      var st = el("span"); st.append(badge(d.status, null, d.status === "stated" ? "" : "inferred"), document.createTextNode(data.statuses[d.status] || ""));
      row("Status", st);
      if (d.reason) row("Why", d.reason);
      if (d.by_source && d.by_source.length > 1) {
        row("Sources", d.agreement === "conflict" ? "disagree: no single day fits them all" : "agree");
        d.by_source.forEach(function (s) {
          var one = el("dd", "zg-wide");
          one.append(el("strong", null, s.edtf + (s.earliest === s.latest ? "" : " (" + s.earliest + " to " + s.latest + ")")),
            el("span", "zg-said", "according to " + (data.sources[s.source] || s.source)));
          dl.append(one);
        });
      } else if (d.by_source && d.by_source.length === 1) row("According to", data.sources[d.by_source[0].source] || d.by_source[0].source);
      dd.append(dl);
    }
    if (n.numbers && n.numbers.length) {
      var nd = details("Numbers (" + n.numbers.length + ")"), nl = el("ul", "zg-numbers");
      // The numbers of one measure from several sources stand together: agreeing, or in conflict with
      // each value and its own quote and source side by side (never averaged).
      var groups = [], byKey = new Map();
      n.numbers.forEach(function (x) {
        var key = x.measure === undefined ? x.text : x.measure + "\u0000" + (x.unit || "");
        if (!byKey.has(key)) { byKey.set(key, []); groups.push(byKey.get(key)); }
        byKey.get(key).push(x);
      });
      groups.forEach(function (group) {
        var sources = new Set(group.map(function (x) { return x.source; })), target = nl;
        if (sources.size > 1) {
          var gl = el("li", "zg-number-group" + (group[0].agreement === "conflict" ? " conflict" : ""));
          gl.append(el("strong", null, group[0].measure + (group[0].unit ? " (" + group[0].unit + ")" : "") + ": "),
            badge(group[0].agreement === "conflict" ? "conflict" : "sources agree", null, group[0].agreement === "conflict" ? "conflict" : "agree"),
            document.createTextNode(group[0].agreement === "conflict" ? sources.size + " sources give numbers whose ranges do not meet" : sources.size + " sources give numbers whose ranges meet"));
          target = el("ul", "zg-numbers");
          gl.append(target); nl.append(gl);
        }
        group.forEach(function (x) {
          var li = el("li"); li.append(el("strong", null, x.text));
          // the quote's citation names its source; say it here only for a number without a quote
          if (x.source && !x.evidence.length) li.append(el("span", "zg-said", "according to " + (data.sources[x.source] || x.source)));
          if (x.according_to && x.according_to.length) {
            var by = el("span", "zg-said", "who report it through ");
            x.according_to.forEach(function (a, i) { if (i) by.append(document.createTextNode(", ")); by.append(link(a)); });
            li.append(by);
          }
          x.evidence.forEach(function (q) { quote(q, li); });
          target.append(li);
        });
      });
      nd.append(nl);
    } else section("Numbers", (n.quantities || []).map(function (q) { return [q]; }));
    var out = outgoing.get(n.id) || [], inc = incoming.get(n.id) || [];
    section("According to (the source reports it through them)", out.filter(function (e) { return e.label === "according to"; }).map(function (e) { return [link(e.to)]; }));
    section("Participants", out.filter(function (e) { return e.kind === "participant"; }).map(function (e) { return [link(e.to), " \u2014 " + e.label]; }));
    section("Roles in events", inc.filter(function (e) { return e.kind === "participant"; })
      .sort(function (a, b) { return byDate(a.from, b.from); })
      .map(function (e) { return [el("span", "zg-role", e.label), " in ", link(e.from), when(e.from)]; }));
    var claimsBy = inc.filter(function (e) { return e.label === "claimed by" && byId.has(e.from); });
    var claimsAbout = inc.filter(function (e) { return e.label === "about" && byId.has(e.from); });
    section("Claims by " + (n.kind === "Claim" ? "this claim" : "them"), claimsBy.map(function (e) { return [stanceBadge(byId.get(e.from)), link(e.from)]; }));
    section("Claims about this", claimsAbout.map(function (e) { return [stanceBadge(byId.get(e.from)), link(e.from)]; }));
    section("Claimed by", out.filter(function (e) { return e.label === "claimed by"; }).map(function (e) { return [link(e.to)]; }));
    section("About", out.filter(function (e) { return e.label === "about"; }).map(function (e) { return [link(e.to), when(e.to)]; }));
    var rel = out.concat(inc).filter(function (e) { return e.kind === "relationship"; });
    section("Relationships", rel.map(function (e) {
      return e.from === n.id ? [e.label + " ", link(e.to)] : [link(e.from), " " + e.label + " this"];
    }));
    var other = function (e) { return e.kind === "reference" && e.label !== "claimed by" && e.label !== "about" && e.label !== "according to"; };
    section("Links", out.filter(other).map(function (e) { return [e.label + ": ", link(e.to), e.external ? " (outside knowledge)" : ""]; })
      .concat(inc.filter(other).map(function (e) { return [link(e.from), " \u2014 " + e.label + " this" + (e.external ? " (outside knowledge)" : "")]; })), n.kind !== "Event");
    if (n.coordinates) {
      panel.append(el("p", "zg-note", "Coordinates " + n.coordinates.lat + ", " + n.coordinates.long + (n.coordinates.external ? ": outside knowledge, not from the documents." : ".")));
    }
    section("Sources", (n.sources || []).map(function (s) { return [sourceLink(s)]; }));
    if (n.evidence && n.evidence.length) {
      // an event's or a claim's quotes are what it is; an actor's many mentions start folded
      var ed = details("Evidence (" + n.evidence.length + ", verbatim, in its sentence)", n.kind === "Event" || n.kind === "Claim" || n.evidence.length <= 2);
      n.evidence.forEach(function (q) { quote(q, ed); });
    }
    panel.scrollTop = 0;
  }
  function renderSourcePanel(slug) {
    panel.replaceChildren();
    panel.append(el("div", "zg-kind", "Source document"), el("h2", "zg-panel-title", data.sources[slug] || slug));
    var recs = data.nodes.filter(function (n) { return (n.sources || []).indexOf(slug) >= 0; });
    panel.append(el("p", null, recs.length + " records come from this source."));
    section("Events from this source", recs.filter(function (n) { return n.kind === "Event"; }).sort(function (a, b) { return (a._e || 0) - (b._e || 0); }).map(function (n) { return [link(n.id), when(n.id)]; }));
    section("Claims from this source", recs.filter(function (n) { return n.kind === "Claim"; }).map(function (n) { return [stanceBadge(n), link(n.id)]; }), false);
  }
  function showEdge(e) {
    if (!e) return;
    document.body.classList.add("zg-sel");
    panel.replaceChildren();
    panel.append(el("div", "zg-kind", e.kind === "relationship" ? "Relationship" : e.kind === "participant" ? "Role in an event" : "Link"));
    var h = el("h2", "zg-panel-title");
    h.append(link(e.from), document.createTextNode(" \u2014 " + shown(e.label) + " \u2192 "), link(e.to));
    panel.append(h);
    if (e.external) panel.append(el("p", "zg-note", "Outside knowledge, not stated in the documents."));
    if (e.evidence && e.evidence.length) { var d = details("Evidence (verbatim, in its sentence)"); e.evidence.forEach(function (q) { quote(q, d); }); }
  }
  function showCluster(cid) {
    var c = clusters.get(cid);
    document.body.classList.add("zg-sel");
    panel.replaceChildren();
    panel.append(el("div", "zg-kind", "Cluster"), el("h2", "zg-panel-title", c.label));
    var b = el("button", "zg-expand", "Show its " + c.members.length + " members"); b.type = "button";
    b.addEventListener("click", function () { expandCluster(cid); });
    panel.append(b, el("p", "zg-note", "Or double-click the cluster, or select it and press Enter."));
  }
  var hint = panel.innerHTML === undefined ? null : Array.prototype.slice.call(panel.childNodes);

  // ---------------------------------------------------------------- selection
  function select(id, origin) {
    var isSource = id && id.indexOf("source:") === 0;
    var n = byId.get(id), t0 = performance.now(), parts = {};
    if (!n && !isSource) return;
    if (n && overview) { reveal(id); nodesView.refresh(); edgesView.refresh(); }
    state.selected = id;
    document.body.classList.add("zg-sel");
    if (n && n._v) {
      network.selectNodes([id]);
      if (origin !== "network") focusOn(id);
    } else network.unselectAll();
    parts.network = performance.now() - t0;
    applyFocus();
    parts.focus = performance.now() - t0 - parts.network;
    applyLinks();
    renderTimeline();
    if (origin !== "timeline" && n && n.date) {
      var idx = rows.findIndex(function (r) { return r.n && r.n.id === id; });
      if (idx >= 0) { tl.scrollTop = Math.max(0, idx * RH - tl.clientHeight / 2); renderTimeline(); }
    }
    if (state.tab !== "network") renderTables();
    var t1 = performance.now();
    if (isSource) renderSourcePanel(id.slice(7)); else renderPanel(n);
    parts.panel = performance.now() - t1;
    network.redraw();
    writeHash();
    T.selectMs = performance.now() - t0; T.selectParts = parts;
  }
  /* Show a selection made outside the network with room for its neighbours' labels: fit the node and
     its drawn neighbours (zoomed out a little so the outer labels fit), never below the opening scale. */
  function focusOn(id) {
    var ids = [id].concat(Array.from(neighbours(id)).filter(function (m) { return nodeVisible(m) && nodes.get(m); }));
    if (ids.length < 2) { network.focus(id, { scale: Math.max(network.getScale(), T.fitScale || 0.5), animation: false }); return; }
    network.fit({ nodes: ids, animation: false });
    var s = network.getScale();
    network.moveTo({ scale: Math.max(s * 0.8, T.fitScale || 0.5), animation: false });
  }
  function clearSelection() {
    state.selected = null;
    document.body.classList.remove("zg-sel");
    network.unselectAll();
    applyFocus(); applyLinks(); renderTimeline();
    if (state.tab !== "network") renderTables();
    if (hint) panel.replaceChildren.apply(panel, hint);
    network.redraw();
    writeHash();
  }
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && state.selected && document.activeElement !== searchInput) clearSelection(); });

  // ---------------------------------------------------------------- start, and restore a view from the URL
  function restore() {
    var sel = readHash();
    syncBoxes(); syncRange();
    view.v0 = state.from; view.v1 = state.to;
    searchInput.value = state.query;
    applyFilters(true);
    if (state.query) onSearch(false);
    if (sel) select(sel, "url"); else if (state.selected) clearSelection();
  }
  window.addEventListener("hashchange", function () { restore(); });
  T.fitScale = null;
  restore();
  T.fitScale = network.getScale();
  renderMap();
  if (window.ResizeObserver) {
    var ro = new ResizeObserver(function () { scheduleTimeline(); renderMap(); });
    ro.observe(tl); ro.observe(mapSvg);
  }
  network.redraw();
  // ---------------------------------------------------------------- print
  /* Printing (or print media emulated) shows everything a page can hold: every timeline row, every
     section of the panel opened, long lists in full. Afterwards the sections closed before close again. */
  var closedBeforePrint = [];
  function beforePrint() {
    if (printing) return;
    printing = true;
    closedBeforePrint = Array.from(panel.querySelectorAll("details:not([open])"));
    closedBeforePrint.forEach(function (d) { d.open = true; });
    panel.querySelectorAll("button.zg-more").forEach(function (b) { b.click(); });
    renderTimeline();
  }
  function afterPrint() {
    if (!printing) return;
    printing = false;
    closedBeforePrint.forEach(function (d) { d.open = false; });
    closedBeforePrint = [];
    renderTimeline();
  }
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  var printQuery = window.matchMedia("print");
  printQuery.addEventListener("change", function (ev) { if (ev.matches) beforePrint(); else afterPrint(); });

  window.zgExplorer = {
    network: network, nodesView: nodesView, edgesView: edgesView, state: state, timings: T, view: view,
    select: select, search: search, clearSelection: clearSelection, expandCluster: expandCluster, zoomTimeline: zoomTimeline,
    visibleIds: function () { return nodesView.getIds(); },
    timelineIds: function () { return rows.filter(function (r) { return r.n; }).map(function (r) { return r.n.id; }).concat(state.derivedOpen ? [] : (rows.derived || []).map(function (n) { return n.id; })); },
    mainLaneIds: function () { return rows.filter(function (r) { return r.n && !r.derived; }).map(function (r) { return r.n.id; }); },
    derivedLaneIds: function () { return (rows.derived || []).map(function (n) { return n.id; }); },
    markedEvents: function () { return Array.from(marked).sort(); },
    markedPlaces: function () { return Array.from(markedPlaces).sort(); },
    mapView: function () { return { k: mapView.k, tx: mapView.tx, ty: mapView.ty }; },
    zoomMap: zoomMap, resetMap: resetMap,
    labelBoxes: function () { return labelBoxes.map(function (b) { return { id: b.id, x: b.x, y: b.y, w: b.w, h: b.h, text: b.text, bold: b.bold }; }); },
    tableCsv: tableCsv,
    /* Set the date range as the typed fields do ("YYYY-MM-DD", mode "overlaps" or "within"); returns the
       filter's time in ms (for the benchmark). */
    setRange: function (from, to, mode) {
      fromInput.value = from; toInput.value = to; modeInput.value = mode === "within" ? "within" : "overlaps";
      onRange(null);
      return T.filterMs;
    },
    dayOf: dayOf,
  };
  if (state.tab !== "network") document.documentElement.dataset.drawn = "1"; // a table is the opening view
  T.ready = performance.now();
})();
