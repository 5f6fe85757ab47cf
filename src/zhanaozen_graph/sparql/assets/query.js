// The query page of `zhanaozen-graph serve`: runs the forms with fetch and shows the answer as a table.
// Every value is inserted as text (textContent), never as markup; links are made only for the graph's
// own record IRIs (into the explorer) and for http(s) IRIs. A format other than "table" submits the form
// as it is, so the page also works without this script.
(function () {
  "use strict";
  var body = document.body;
  var base = body.dataset.base || "";
  var explorer = body.dataset.explorer === "1";
  var nodeKinds = (body.dataset.kinds || "").split(" ").filter(Boolean);
  var status = document.getElementById("zg-status");
  var out = document.getElementById("zg-result");

  // The explorer's selection for an IRI of the graph: "slug" for a record drawn as a node,
  // "source:slug" for a source document, null otherwise.
  function explorerTarget(iri) {
    if (iri.indexOf(base + "id/") !== 0) return null;
    var rest = iri.slice(base.length + 3).split("/");
    if (rest.length !== 2 || !rest[1]) return null;
    if (rest[0] === "source") return "source:" + rest[1];
    return nodeKinds.indexOf(rest[0]) >= 0 ? rest[1] : null;
  }

  // An IRI as text with a line-break opportunity after each "/" and "#" (no markup from the value).
  function iriText(el, text) {
    text.split(/(?<=[\/#])/).forEach(function (part, i) {
      if (i) el.appendChild(document.createElement("wbr"));
      el.appendChild(document.createTextNode(part));
    });
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      var target = explorerTarget(term.value);
      var shown = target !== null ? term.value.slice(base.length + 3) : term.value;
      var a = null;
      if (target !== null && explorer) {
        a = document.createElement("a");
        a.href = "/explorer#" + new URLSearchParams({ sel: target }).toString();
        a.title = "Show " + term.value + " in the explorer";
        a.className = "zg-explore";
      } else if (/^https?:\/\//i.test(term.value)) {
        a = document.createElement("a");
        a.href = term.value;
        a.rel = "noreferrer noopener";
      }
      if (a) {
        iriText(a, shown);
        td.appendChild(a);
      } else {
        iriText(td, shown);
      }
      td.className = "zg-iri";
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.title = "language: " + term["xml:lang"];
      else if (term.datatype) td.title = term.datatype;
      if (term.type === "bnode") td.className = "zg-bnode";
    }
    return td;
  }

  function table(json) {
    var vars = json.head.vars || [];
    var rows = json.results.bindings;
    var t = document.createElement("table");
    var head = t.createTHead().insertRow();
    vars.forEach(function (v) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = v;
      head.appendChild(th);
    });
    var tb = t.createTBody();
    rows.forEach(function (row) {
      var tr = tb.insertRow();
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
    });
    return t;
  }

  function run(form, event) {
    var data = new FormData(form);
    if (data.get("format")) return; // another format: the browser submits the form itself
    event.preventDefault();
    data.delete("format");
    var params = new URLSearchParams();
    data.forEach(function (value, key) { params.append(key, value); });
    var url = form.getAttribute("action") + "?" + params.toString();
    var started = performance.now();
    status.textContent = "Running…";
    status.className = "";
    out.textContent = "";
    fetch(url, { headers: { Accept: "application/sparql-results+json, text/turtle;q=0.5" } })
      .then(function (r) {
        return r.text().then(function (text) { return { r: r, text: text }; });
      })
      .then(function (x) {
        var ms = Math.round(performance.now() - started);
        var ctype = x.r.headers.get("Content-Type") || "";
        var cut = x.r.headers.get("X-Zhanaozen-Truncated");
        if (!x.r.ok) {
          status.textContent = "Error " + x.r.status + ": " + x.text.trim();
          status.className = "zg-error";
          return;
        }
        var note = cut ? " (cut at " + cut + ")" : "";
        if (ctype.indexOf("application/sparql-results+json") === 0) {
          var json = JSON.parse(x.text);
          if (typeof json.boolean === "boolean") {
            status.textContent = "Answer: " + json.boolean + " (" + ms + " ms)";
            return;
          }
          var n = json.results.bindings.length;
          status.textContent = n + (n === 1 ? " row" : " rows") + note + " in " + ms + " ms";
          out.appendChild(table(json));
        } else {
          status.textContent = "Triples (Turtle)" + note + " in " + ms + " ms";
          var pre = document.createElement("pre");
          pre.textContent = x.text;
          out.appendChild(pre);
        }
      })
      .catch(function (err) {
        status.textContent = "The server did not answer: " + err.message;
        status.className = "zg-error";
      });
  }

  document.querySelectorAll("form.zg-run").forEach(function (form) {
    form.addEventListener("submit", function (event) { run(form, event); });
  });
})();
