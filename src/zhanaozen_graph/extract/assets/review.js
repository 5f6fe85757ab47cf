// The review page: builds every element with textContent (never innerHTML), talks to the local server
// with the token of the page's URL. No inline script: the Content-Security-Policy forbids it.
"use strict";
(function () {
  const token = new URLSearchParams(window.location.search).get("token") || "";
  const $ = (id) => document.getElementById(id);
  let state = null;
  let index = 0;

  function api(path, body) {
    const opts = body === undefined ? { method: "GET" } : {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    };
    return fetch(path + "?token=" + encodeURIComponent(token), opts).then((r) =>
      r.json().then((data) => {
        if (!r.ok) { throw new Error(data.error || r.statusText); }
        return data;
      }));
  }

  function say(message, bad) {
    $("status").textContent = message;
    $("status").className = bad ? "bad" : "";
  }

  function render() {
    $("source").textContent = state.source;
    const doc = $("doc");
    doc.replaceChildren();
    const text = state.text;
    // Highlight the proposals that do not overlap an earlier one (events span clauses: shown in the panel).
    const marks = state.proposals.filter((p) => p.what !== "event" && p.what !== "claim");
    let pos = 0;
    for (const p of marks) {
      if (p.start < pos) { continue; }
      doc.appendChild(document.createTextNode(text.slice(pos, p.start)));
      const m = document.createElement("mark");
      m.className = p.what;
      m.dataset.id = p.id;
      m.textContent = text.slice(p.start, p.end);
      doc.appendChild(m);
      pos = p.end;
    }
    doc.appendChild(document.createTextNode(text.slice(pos)));
    show();
  }

  function show() {
    const items = state.proposals;
    $("count").textContent = items.length + " proposals open";
    document.querySelectorAll("mark.current").forEach((m) => m.classList.remove("current"));
    if (!items.length) {
      $("what").textContent = "No proposal left";
      $("reason").textContent = "";
      $("quote").textContent = "";
      $("editor").value = "";
      return;
    }
    index = Math.max(0, Math.min(index, items.length - 1));
    const p = items[index];
    $("current").dataset.id = p.id;
    $("what").textContent = (index + 1) + "/" + items.length + ": " + p.what + " (" + p.section + ")";
    $("reason").textContent = p.reason;
    $("quote").textContent = state.text.slice(p.start, p.end);
    $("editor").value = p.yaml;
    $("accept").disabled = !p.acceptable;
    const mark = document.querySelector('mark[data-id="' + CSS.escape(p.id) + '"]');
    if (mark) { mark.classList.add("current"); mark.scrollIntoView({ block: "nearest" }); }
  }

  function load(message) {
    return api("/api/state").then((s) => { state = s; render(); if (message) { say(message); } })
      .catch((e) => say("Error: " + e.message, true));
  }

  function current() { return state && state.proposals[index]; }

  function accept() {
    const p = current();
    if (!p || !p.acceptable) { return; }
    api("/api/accept", { id: p.id, yaml: $("editor").value })
      .then(() => load("Accepted " + p.id)).catch((e) => say("Error: " + e.message, true));
  }

  function reject() {
    const p = current();
    if (!p) { return; }
    api("/api/reject", { id: p.id }).then(() => load("Rejected " + p.id))
      .catch((e) => say("Error: " + e.message, true));
  }

  // Character offsets of the selection in the document: the length of the text before it.
  function selectionOffsets() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return null; }
    const range = sel.getRangeAt(0);
    const doc = $("doc");
    if (!doc.contains(range.startContainer) || !doc.contains(range.endContainer)) { return null; }
    const before = document.createRange();
    before.setStart(doc, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const start = before.toString().length;
    const selected = range.toString();
    return { start: start, end: start + selected.length, selected: selected };
  }

  let pending = null;
  function openCreate() {
    const sel = selectionOffsets();
    if (!sel) { say("Select some text of the document first", true); return; }
    pending = sel;
    $("selection").textContent = sel.selected;
    $("create").hidden = false;
    $("fields").value = "id: \nlabel: " + sel.selected.replace(/\s+/g, " ").trim() + "\n";
    $("section").focus();
  }

  function closeCreate() { $("create").hidden = true; pending = null; }

  function saveCreate() {
    if (!pending) { return; }
    api("/api/create", {
      section: $("section").value, start: pending.start, end: pending.end,
      selected: pending.selected, yaml: $("fields").value,
    }).then(() => { closeCreate(); load("Created a record from the selection"); })
      .catch((e) => say("Error: " + e.message, true));
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("accept").addEventListener("click", accept);
    $("reject").addEventListener("click", reject);
    $("next").addEventListener("click", () => { index += 1; show(); });
    $("prev").addEventListener("click", () => { index -= 1; show(); });
    $("create-save").addEventListener("click", saveCreate);
    $("create-cancel").addEventListener("click", closeCreate);
    document.addEventListener("keydown", (ev) => {
      const typing = ev.target instanceof HTMLTextAreaElement || ev.target instanceof HTMLSelectElement;
      if (ev.key === "Enter" && ev.ctrlKey) {
        ev.preventDefault();
        if (!$("create").hidden) { saveCreate(); } else { accept(); }
        return;
      }
      if (ev.key === "Escape") {
        if (!$("create").hidden) { closeCreate(); } else { ev.target.blur && ev.target.blur(); }
        return;
      }
      if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
      if (ev.key === "j") { index += 1; show(); }
      else if (ev.key === "k") { index -= 1; show(); }
      else if (ev.key === "a") { accept(); }
      else if (ev.key === "r") { reject(); }
      else if (ev.key === "e") { ev.preventDefault(); $("editor").focus(); }
      else if (ev.key === "c") { ev.preventDefault(); openCreate(); }
      else { return; }
    });
    api("/api/state").then((s) => {
      state = s;
      const select = $("section");
      for (const name of s.sections) {
        const o = document.createElement("option");
        o.value = name;
        o.textContent = name;
        select.appendChild(o);
      }
      render();
    }).catch((e) => say("Error: " + e.message, true));
  });
})();
