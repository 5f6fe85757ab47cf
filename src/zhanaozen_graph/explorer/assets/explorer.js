/* zhanaozen-graph explorer: a network (vis-network) and a timeline (SVG) linked by selection and
 * filtered together by type, stance and a date range. Every text from the data is inserted with
 * textContent or as canvas text, never as markup. */
(function () {
  "use strict";
  var T = { start: performance.now() };
  var data = JSON.parse(document.getElementById("zg-data").textContent);
  var SVG = "http://www.w3.org/2000/svg"; // a namespace name, never fetched
  var DAY = 86400000;

  // ---------------------------------------------------------------- helpers
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    return e;
  }
  function dayOf(iso) { return Math.floor(Date.parse(iso.slice(0, 10) + "T00:00:00Z") / DAY); }
  function isoOf(day) { return new Date(day * DAY).toISOString().slice(0, 10); }
  function short(s, n) { return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }
  function norm(s) { return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function push(map, key, value) { var l = map.get(key); if (l) l.push(value); else map.set(key, [value]); }

  // ---------------------------------------------------------------- indexes
  var kinds = new Map(), stances = new Map(), byId = new Map(), outgoing = new Map(), incoming = new Map();
  data.kinds.forEach(function (k) { kinds.set(k.key, k); });
  data.stances.forEach(function (s) { stances.set(s.key, s); });
  var minDay = Infinity, maxDay = -Infinity;
  data.nodes.forEach(function (n) {
    byId.set(n.id, n);
    n._v = true;
    if (n.date) {
      n._e = dayOf(n.date.earliest);
      n._l = dayOf(n.date.latest);
      if (n._e < minDay) minDay = n._e;
      if (n._l > maxDay) maxDay = n._l;
    }
  });
  data.edges.forEach(function (e, i) { e.id = i; push(outgoing, e.from, e); push(incoming, e.to, e); });
  var events = data.nodes.filter(function (n) { return n.kind === "Event" && n.date; });
  events.sort(function (a, b) { return a._e - b._e || a._l - b._l || (a.label < b.label ? -1 : 1); });
  var hasDates = minDay <= maxDay;

  var state = {
    kinds: new Set(data.kinds.map(function (k) { return k.key; })),
    stances: new Set(data.stances.map(function (s) { return s.key; })),
    from: hasDates ? minDay : 0,
    to: hasDates ? maxDay : 0,
    selected: null,
  };

  function visible(n) {
    if (!state.kinds.has(n.kind)) return false;
    if (n.kind === "Claim" && n.stance && !state.stances.has(n.stance)) return false;
    if (n.date && (n._l < state.from || n._e > state.to)) return false;
    return true;
  }
  function colourOf(n) {
    if (n.kind === "Claim" && n.stance && stances.has(n.stance)) return stances.get(n.stance).color;
    var k = kinds.get(n.kind);
    return k ? k.color : "#999";
  }

  // ---------------------------------------------------------------- title, filters, legend
  document.getElementById("zg-title").textContent = data.title;
  var counts = new Map();
  data.nodes.forEach(function (n) { counts.set(n.kind, (counts.get(n.kind) || 0) + 1); if (n.stance) counts.set("stance:" + n.stance, (counts.get("stance:" + n.stance) || 0) + 1); });

  function checkbox(container, key, label, color, shape, count, set) {
    var l = el("label"), box = el("input"), sw = el("span", "zg-swatch " + shape);
    box.type = "checkbox"; box.checked = true; box.value = key; box.dataset.key = key;
    sw.style.background = color;
    box.addEventListener("change", function () {
      if (box.checked) set.add(key); else set.delete(key);
      applyFilters();
    });
    l.append(box, sw, el("span", null, label), el("span", "zg-n", count || 0));
    container.append(l);
  }
  var kindBox = document.getElementById("zg-kinds");
  data.kinds.forEach(function (k) { checkbox(kindBox, k.key, k.label, k.color, k.shape, counts.get(k.key), state.kinds); });
  var stanceBox = document.getElementById("zg-stances");
  data.stances.forEach(function (s) { checkbox(stanceBox, s.key, s.label, s.color, "star", counts.get("stance:" + s.key), state.stances); });
  var edgeLegend = document.getElementById("zg-edge-legend");
  [["", "from the documents"], ["dashed", "outside knowledge"]].forEach(function (p) {
    var l = el("label"); l.append(el("span", "zg-line " + p[0]), el("span", null, p[1])); edgeLegend.append(l);
  });

  // ---------------------------------------------------------------- network
  var big = data.nodes.length > 1000 || data.edges.length > 3000;
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var c = colourOf(n), k = kinds.get(n.kind), size = n.size || 10;
    return {
      id: n.id, label: short(n.label, 40), x: n.x || 0, y: n.y || 0, size: size,
      font: { size: Math.round(11 + size * 0.35) },
      shape: k ? k.shape : "dot",
      color: { background: c, border: "#333", highlight: { background: c, border: "#000" } },
    };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return {
      id: e.id, from: e.from, to: e.to, dashes: !!e.external,
      label: big ? undefined : e.label,
      color: { color: e.kind === "relationship" ? "#8a6d3b" : "#b5b5b5", highlight: "#222" },
    };
  }));
  var nodesView = new vis.DataView(nodes, { filter: function (item) { return byId.get(item.id)._v; } });
  var edgesView = new vis.DataView(edges, {
    filter: function (item) { return byId.get(item.from)._v && byId.get(item.to)._v; },
  });
  var options = {
    physics: false,
    layout: { improvedLayout: false },
    interaction: { hideEdgesOnDrag: big, hideEdgesOnZoom: big, tooltipDelay: 300, zoomSpeed: 0.6 },
    nodes: {
      borderWidth: 1,
      font: { size: 12, face: "system-ui, sans-serif", color: "#222", strokeWidth: 2, strokeColor: "#fff" },
      scaling: { label: { drawThreshold: 6 } },
    },
    edges: {
      smooth: false, width: 0.8, selectionWidth: 1.5,
      arrows: { to: { enabled: true, scaleFactor: 0.4 } },
      font: { size: 9, color: "#666", strokeWidth: 2, align: "middle" },
    },
  };
  var container = document.getElementById("zg-network");
  var network = new vis.Network(container, {}, options);
  network.once("afterDrawing", function () {
    T.firstDraw = performance.now();
    document.documentElement.dataset.drawn = "1";
  });
  network.setData({ nodes: nodesView, edges: edgesView });
  network.fit({ animation: false });
  network.on("click", function (p) {
    if (p.nodes.length) select(p.nodes[0], "network");
    else if (p.edges.length) showEdge(data.edges[p.edges[0]]);
  });

  // ---------------------------------------------------------------- timeline
  var tl = document.getElementById("zg-timeline");
  var legend = document.getElementById("zg-timeline-legend");
  (function buildLegend() {
    var defs = svg("svg", { width: 0, height: 0, "aria-hidden": "true" });
    defs.style.position = "absolute";
    var d = svg("defs", {});
    var pat = svg("pattern", { id: "zg-hatch", patternUnits: "userSpaceOnUse", width: 5, height: 5, patternTransform: "rotate(45)" });
    pat.append(svg("rect", { width: 5, height: 5, fill: "#fbe3e3" }), svg("line", { x1: 1, y1: 0, x2: 1, y2: 5, stroke: "#e15759", "stroke-width": 2 }));
    d.append(pat); defs.append(d); legend.append(defs);
    Object.keys(data.statuses).forEach(function (st) {
      var item = el("span"), s = svg("svg", { width: 22, height: 12 }), g = svg("g", { class: "zg-ev st-" + st });
      g.append(svg("rect", { x: 1, y: 1, width: 20, height: 10, rx: 2 }));
      s.append(g); item.append(s, document.createTextNode(" " + data.statuses[st])); legend.append(item);
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

  function renderTimeline() {
    var t0 = performance.now();
    var width = Math.max(320, tl.clientWidth - 4);
    var d0 = state.from, d1 = state.to + 1;
    var shown = events.filter(function (n) { return n._v; });
    var withLabels = shown.length <= 400;
    var x = function (d) { return 6 + (d - d0) / Math.max(d1 - d0, 1) * (width - 12); };
    var lanes = [], rows = [], maxX = width;
    shown.forEach(function (n) {
      var x0 = x(Math.max(n._e, d0)), x1 = Math.max(x0 + 4, x(Math.min(n._l + 1, d1)));
      var text = withLabels ? short(n.label, 70) : "", w = text.length * 6.2, place = "right", a = x0, b = x1;
      if (text) {
        if (x1 + 6 + w <= width) { b = x1 + 6 + w; }
        else if (x0 - 6 - w >= 0) { place = "left"; a = x0 - 6 - w; }
        else { place = "inside"; b = Math.max(x1, x0 + 4 + w); }
      }
      var lane = -1;
      for (var i = 0; i < lanes.length; i++) if (lanes[i] + 6 < a) { lane = i; break; }
      if (lane < 0) { lane = lanes.length; lanes.push(b); } else lanes[lane] = b;
      if (b > maxX) maxX = b;
      rows.push({ n: n, x0: x0, x1: x1, lane: lane, text: text, place: place });
    });
    var height = 24 + lanes.length * 17 + 4;
    var root = svg("svg", { width: Math.ceil(maxX + 6), height: height, role: "list" });
    var axis = svg("g", { class: "zg-axis" });
    ticks(d0, d1, width).forEach(function (t) {
      var tx = x(t[0]);
      axis.append(svg("line", { x1: tx, x2: tx, y1: 14, y2: height }));
      var label = svg("text", { x: tx + 2, y: 11 }); label.textContent = t[1]; axis.append(label);
    });
    root.append(axis);
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) {
      var n = r.n, y = 20 + r.lane * 17;
      var g = svg("g", { class: "zg-ev st-" + n.date.status + (n.id === state.selected ? " sel" : ""), role: "listitem" });
      g.dataset.id = n.id;
      g.append(svg("rect", { x: r.x0, y: y, width: r.x1 - r.x0, height: 11, rx: 2 }));
      if (r.text) {
        var t = svg("text", r.place === "right" ? { x: r.x1 + 4, y: y + 10 } : r.place === "left" ? { x: r.x0 - 4, y: y + 10, "text-anchor": "end" } : { x: r.x0 + 4, y: y + 10, class: "inside" });
        if (r.place === "inside") g.append(svg("rect", { class: "zg-label-bg", x: r.x0 + 2, y: y + 1, width: r.text.length * 6.2 + 4, height: 9 }));
        t.textContent = r.text; g.append(t);
      }
      var title = svg("title", {});
      title.textContent = n.label + " \u2014 " + (n.date.text || n.date.edtf) + " (" + n.date.earliest +
        (n.date.latest !== n.date.earliest ? " to " + n.date.latest : "") + "; " + (data.statuses[n.date.status] || n.date.status) + ")";
      g.append(title);
      frag.append(g);
    });
    root.append(frag);
    tl.replaceChildren(root);
    T.timelineMs = performance.now() - t0;
  }
  tl.addEventListener("click", function (ev) {
    var g = ev.target.closest ? ev.target.closest(".zg-ev") : null;
    if (g && g.dataset.id) select(g.dataset.id, "timeline");
  });
  function markTimeline(scroll) {
    tl.querySelectorAll(".zg-ev.sel").forEach(function (g) { g.classList.remove("sel"); });
    if (!state.selected) return;
    var g = tl.querySelector('.zg-ev[data-id="' + CSS.escape(state.selected) + '"]');
    if (g) { g.classList.add("sel"); if (scroll && g.scrollIntoView) g.scrollIntoView({ block: "nearest", inline: "nearest" }); }
  }

  // ---------------------------------------------------------------- date range
  var fromInput = document.getElementById("zg-from"), toInput = document.getElementById("zg-to");
  var fromOut = document.getElementById("zg-from-out"), toOut = document.getElementById("zg-to-out");
  [fromInput, toInput].forEach(function (inp) { inp.min = String(minDay); inp.max = String(maxDay); });
  fromInput.value = String(state.from); toInput.value = String(state.to);
  function showRange() { fromOut.textContent = hasDates ? isoOf(state.from) : ""; toOut.textContent = hasDates ? isoOf(state.to) : ""; }
  var frame = 0;
  function onRange(ev) {
    var a = parseInt(fromInput.value, 10), b = parseInt(toInput.value, 10);
    if (a > b) { if (ev && ev.target === fromInput) { b = a; toInput.value = String(b); } else { a = b; fromInput.value = String(a); } }
    state.from = a; state.to = b; showRange();
    if (!frame) frame = requestAnimationFrame(function () { frame = 0; applyFilters(); });
  }
  fromInput.addEventListener("input", onRange); toInput.addEventListener("input", onRange);
  document.getElementById("zg-reset").addEventListener("click", function () {
    fromInput.value = String(minDay); toInput.value = String(maxDay); onRange(null);
  });
  if (!hasDates) document.getElementById("zg-timeline-head").querySelectorAll("label, button").forEach(function (e) { e.hidden = true; });
  showRange();

  // ---------------------------------------------------------------- filtering
  var countOut = document.getElementById("zg-count");
  function applyFilters() {
    var t0 = performance.now(), shown = 0;
    data.nodes.forEach(function (n) { n._v = visible(n); if (n._v) shown++; });
    nodesView.refresh(); edgesView.refresh();
    renderTimeline();
    countOut.textContent = shown + " of " + data.nodes.length + " nodes shown";
    if (state.selected && byId.get(state.selected) && byId.get(state.selected)._v) network.selectNodes([state.selected]);
    markTimeline(false);
    T.filterMs = performance.now() - t0;
  }

  // ---------------------------------------------------------------- search
  var searchInput = document.getElementById("zg-search"), results = document.getElementById("zg-results");
  var index = data.nodes.map(function (n) { return { n: n, keys: [n.label].concat(n.aliases || []).map(norm) }; });
  function search(query) {
    var q = norm(query.trim()), out = [];
    if (!q) return out;
    for (var i = 0; i < index.length; i++) {
      var it = index[i], best = 9, via = 0;
      for (var j = 0; j < it.keys.length; j++) {
        var k = it.keys[j], r = k === q ? 0 : k.indexOf(q) === 0 ? 1 : k.indexOf(" " + q) >= 0 ? 2 : k.indexOf(q) >= 0 ? 3 : 9;
        if (r < best) { best = r; via = j; }
      }
      if (best < 9) out.push({ n: it.n, rank: best, alias: via > 0 ? it.n.aliases[via - 1] : null });
    }
    out.sort(function (a, b) { return a.rank - b.rank || a.n.label.length - b.n.label.length || (a.n.label < b.n.label ? -1 : 1); });
    return out;
  }
  var lastHits = [];
  function onSearch() {
    var t0 = performance.now();
    lastHits = search(searchInput.value);
    results.replaceChildren();
    lastHits.slice(0, 30).forEach(function (h) {
      var li = el("li"), b = el("button", "zg-hit");
      b.type = "button"; b.dataset.id = h.n.id;
      var k = kinds.get(h.n.kind);
      b.append(el("span", null, h.n.label), el("span", "zg-kind", (k ? k.label : h.n.kind) + (h.alias ? " \u00b7 also called " + h.alias : "") + (h.n._v ? "" : " \u00b7 hidden by filters")));
      b.addEventListener("click", function () { results.replaceChildren(); select(h.n.id, "search"); });
      li.append(b); results.append(li);
    });
    if (lastHits.length > 30) results.append(el("li", "zg-note", (lastHits.length - 30) + " more: refine the search"));
    var ids = lastHits.filter(function (h) { return h.n._v; }).slice(0, 500).map(function (h) { return h.n.id; });
    if (ids.length) network.selectNodes(ids); else if (searchInput.value) network.unselectAll();
    countOut.textContent = searchInput.value ? lastHits.length + " match" + (lastHits.length === 1 ? "" : "es") : "";
    T.searchMs = performance.now() - t0;
  }
  searchInput.addEventListener("input", onSearch);
  searchInput.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && lastHits.length) { results.replaceChildren(); select(lastHits[0].n.id, "search"); }
    else if (ev.key === "Escape") { results.replaceChildren(); }
  });

  // ---------------------------------------------------------------- details panel
  var panel = document.getElementById("zg-panel");
  function link(id) {
    var n = byId.get(id), b = el("button", "zg-link", n ? n.label : id);
    b.type = "button"; b.dataset.id = id;
    b.addEventListener("click", function () { select(id, "panel"); });
    return b;
  }
  function section(title, items) {
    if (!items.length) return;
    panel.append(el("h3", null, title));
    var ul = el("ul");
    items.forEach(function (parts) { var li = el("li"); parts.forEach(function (p) { li.append(typeof p === "string" ? document.createTextNode(p) : p); }); ul.append(li); });
    panel.append(ul);
  }
  function badge(text, color, cls) { var b = el("span", "zg-badge" + (cls ? " " + cls : ""), text); if (color) b.style.background = color; return b; }
  function stanceBadge(n) { var s = stances.get(n.stance); return badge(s ? s.label : n.stance, s ? s.color : null); }
  function quotes(list) {
    list.forEach(function (q) {
      var bq = el("blockquote", "zg-evidence"), p = el("p");
      p.style.margin = "0";
      p.append(document.createTextNode(q.before), el("mark", null, q.quote), document.createTextNode(q.after));
      bq.append(p, el("cite", null, data.sources[q.source] || q.source));
      panel.append(bq);
    });
  }
  function byDate(a, b) { var x = byId.get(a), y = byId.get(b); return ((x && x._e) || 0) - ((y && y._e) || 0); }

  function renderPanel(n) {
    panel.replaceChildren();
    var k = kinds.get(n.kind), head = el("div", "zg-kind-line"), sw = el("span", "zg-swatch " + (k ? k.shape : "dot"));
    sw.style.background = colourOf(n);
    head.append(sw, el("span", "zg-kind", (k ? k.label : n.kind) + (n.type ? " \u00b7 " + n.type : "")));
    panel.append(head, el("h2", "zg-panel-title", n.label));
    if (n.stance) { var sp = el("p"); sp.append(document.createTextNode("Stance: "), stanceBadge(n)); panel.append(sp); }
    if (n.description) panel.append(el("p", null, n.description));
    section("Also called", (n.aliases || []).map(function (a) { return [a]; }));
    section("Described as", (n.roles || []).map(function (a) { return [a]; }));
    if (n.date) {
      panel.append(el("h3", null, "Date"));
      var dl = el("dl"), d = n.date;
      var row = function (t, v) { dl.append(el("dt", null, t)); var dd = el("dd"); if (typeof v === "string") dd.textContent = v; else dd.append(v); dl.append(dd); };
      row("As written", d.text || "(no date in the text)");
      row("EDTF", d.edtf);
      row(d.earliest === d.latest ? "On" : "Between", d.earliest === d.latest ? d.earliest : d.earliest + " and " + d.latest);
      var st = el("span"); st.append(badge(d.status, null, d.status === "stated" ? "" : "inferred"), document.createTextNode(data.statuses[d.status] || ""));
      row("Status", st);
      if (d.reason) row("Why", d.reason);
      if (d.by_source && d.by_source.length > 1) {
        row("Sources", d.agreement === "conflict" ? "disagree: no single day fits them all" : "agree");
        d.by_source.forEach(function (s) {
          row(data.sources[s.source] || s.source, s.edtf + (s.earliest === s.latest ? "" : " (" + s.earliest + " to " + s.latest + ")"));
        });
      }
      panel.append(dl);
    }
    section("Numbers", (n.quantities || []).map(function (q) { return [q]; }));
    var outAll = outgoing.get(n.id) || [];
    section("According to (the source reports it through them)", outAll.filter(function (e) { return e.label === "according to"; }).map(function (e) { return [link(e.to)]; }));
    var out = outgoing.get(n.id) || [], inc = incoming.get(n.id) || [];
    section("Participants", out.filter(function (e) { return e.kind === "participant"; }).map(function (e) { return [link(e.to), " \u2014 " + e.label]; }));
    section("Roles in events", inc.filter(function (e) { return e.kind === "participant"; })
      .sort(function (a, b) { return byDate(a.from, b.from); })
      .map(function (e) { return [e.label + " in ", link(e.from)]; }));
    var claimsBy = inc.filter(function (e) { return e.label === "claimed by" && byId.has(e.from); });
    var claimsAbout = inc.filter(function (e) { return e.label === "about" && byId.has(e.from); });
    section("Claims by " + (n.kind === "Claim" ? "this claim" : "them"), claimsBy.map(function (e) { return [stanceBadge(byId.get(e.from)), link(e.from)]; }));
    section("Claims about this", claimsAbout.map(function (e) { return [stanceBadge(byId.get(e.from)), link(e.from)]; }));
    section("Claimed by", out.filter(function (e) { return e.label === "claimed by"; }).map(function (e) { return [link(e.to)]; }));
    section("About", out.filter(function (e) { return e.label === "about"; }).map(function (e) { return [link(e.to)]; }));
    var rel = out.concat(inc).filter(function (e) { return e.kind === "relationship"; });
    section("Relationships", rel.map(function (e) {
      return e.from === n.id ? [e.label + " ", link(e.to)] : [link(e.from), " " + e.label + " this"];
    }));
    var other = function (e) { return e.kind === "reference" && e.label !== "claimed by" && e.label !== "about" && e.label !== "according to"; };
    section("Links", out.filter(other).map(function (e) { return [e.label + ": ", link(e.to), e.external ? " (outside knowledge)" : ""]; })
      .concat(inc.filter(other).map(function (e) { return [link(e.from), " \u2014 " + e.label + " this" + (e.external ? " (outside knowledge)" : "")]; })));
    section("Sources", (n.sources || []).map(function (s) { return [data.sources[s] || s]; }));
    if (n.evidence && n.evidence.length) { panel.append(el("h3", null, "Evidence (verbatim, in its sentence)")); quotes(n.evidence); }
    panel.scrollTop = 0;
  }
  function showEdge(e) {
    if (!e) return;
    panel.replaceChildren();
    panel.append(el("div", "zg-kind", e.kind === "relationship" ? "Relationship" : e.kind === "participant" ? "Role in an event" : "Link"));
    var h = el("h2", "zg-panel-title");
    h.append(link(e.from), document.createTextNode(" \u2014 " + e.label + " \u2192 "), link(e.to));
    panel.append(h);
    if (e.external) panel.append(el("p", "zg-note", "Outside knowledge, not stated in the documents."));
    if (e.evidence && e.evidence.length) { panel.append(el("h3", null, "Evidence (verbatim, in its sentence)")); quotes(e.evidence); }
  }

  // ---------------------------------------------------------------- selection
  function select(id, origin) {
    var n = byId.get(id);
    if (!n) return;
    state.selected = id;
    if (n._v) {
      network.selectNodes([id]);
      if (origin !== "network") network.focus(id, { scale: Math.max(network.getScale(), 0.8), animation: false });
    } else {
      network.unselectAll();
    }
    markTimeline(origin !== "timeline");
    renderPanel(n);
  }

  applyFilters();
  window.zgExplorer = {
    network: network, nodesView: nodesView, edgesView: edgesView, state: state, timings: T,
    select: select, search: search,
    visibleIds: function () { return nodesView.getIds(); },
    timelineIds: function () { return Array.prototype.map.call(tl.querySelectorAll(".zg-ev"), function (g) { return g.dataset.id; }); },
    dayOf: dayOf,
  };
  T.ready = performance.now();
})();
