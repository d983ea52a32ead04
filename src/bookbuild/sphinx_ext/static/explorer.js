/* The events explorer: filters over the table the page already holds (it works without this script).
 * Filter state lives in the query string (?track=crypto-no&from=2021&to=2021&actor=pboc&province=CN-HI&
 * confidence=stated&search=word; not "q", which Sphinx's searchtools.js
 * takes as a search to run on any page), so a filtered view can be linked; the count of rows shown is always visible;
 * "Download CSV" saves the rows shown. Only textContent and DOM properties are set: no data becomes markup. */
(function () {
  "use strict";
  const dataNode = document.getElementById("explorer-data");
  const table = document.getElementById("events-table");
  const controls = document.getElementById("explorer-controls");
  const count = document.getElementById("explorer-count");
  if (!dataNode || !table || !controls || !count) return;
  const data = JSON.parse(dataNode.textContent);
  const records = data.records;
  const rows = new Map();
  for (const tr of table.querySelectorAll("tbody tr")) rows.set(tr.id.replace(/^event-/, ""), tr);
  const years = records.map((r) => r.year);
  const minYear = Math.min(...years), maxYear = Math.max(...years);
  const KEYS = ["track", "from", "to", "actor", "province", "confidence", "search"];

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children || []) node.append(child);
    return node;
  }
  function select(name, label, options) {
    const input = el("select", { name: name, id: "explorer-" + name });
    input.append(el("option", { value: "", textContent: "all" }));
    for (const [value, text] of Object.entries(options)) input.append(el("option", { value: value, textContent: text }));
    return el("label", { htmlFor: input.id }, [label + " ", input]);
  }
  function number(name, label, value) {
    const input = el("input", { type: "number", name: name, id: "explorer-" + name, min: minYear, max: maxYear, placeholder: String(value) });
    return el("label", { htmlFor: input.id }, [label + " ", input]);
  }
  const search = el("input", { type: "search", name: "search", id: "explorer-search", placeholder: "English or 中文" });
  const download = el("button", { type: "button", id: "explorer-download", textContent: "Download CSV of the rows shown" });
  const reset = el("button", { type: "reset", id: "explorer-reset", textContent: "Clear filters" });
  const form = el("form", { id: "explorer-form", role: "search", ariaLabel: "Filter the events" }, [
    select("track", "Track", data.tracks),
    number("from", "From year", minYear),
    number("to", "to", maxYear),
    select("actor", "Body", data.actors),
    select("province", "Province", data.provinces),
    select("confidence", "Confidence", data.confidence),
    el("label", { htmlFor: "explorer-search" }, ["Search ", search]),
    reset, download,
  ]);
  form.addEventListener("submit", (e) => e.preventDefault());
  controls.append(form);
  count.setAttribute("aria-live", "polite");

  function state() {
    const s = {};
    for (const key of KEYS) {
      const value = form.elements[key].value.trim();
      if (value) s[key] = value;
    }
    return s;
  }
  function fold(text) { return String(text).normalize("NFKC").toLocaleLowerCase(); }
  function matches(r, s) {
    if (s.track && r.track !== s.track) return false;
    if (s.from && r.year < Number(s.from)) return false;
    if (s.to && r.year > Number(s.to)) return false;
    if (s.actor && !r.actors.includes(s.actor)) return false;
    if (s.province && !r.provinces.includes(s.province)) return false;
    if (s.confidence && r.confidence !== s.confidence) return false;
    if (s.search) {
      const haystack = fold(r.search + " " + Object.values(r.csv).join(" "));
      for (const word of fold(s.search).split(/\s+/)) if (word && !haystack.includes(word)) return false;
    }
    return true;
  }
  function shown() { return records.filter((r) => matches(r, state())); }
  function apply(push) {
    const s = state();
    const visible = new Set(shown().map((r) => r.id));
    for (const [id, tr] of rows) tr.hidden = !visible.has(id);
    const filtered = Object.keys(s).length > 0;
    count.textContent = visible.size + " of " + records.length + " events shown" + (filtered ? " (filtered)." : " (all).");
    count.dataset.shown = String(visible.size);
    if (push) {
      const params = new URLSearchParams(s).toString();
      history.replaceState(null, "", location.pathname + (params ? "?" + params : "") + location.hash);
    }
  }
  function restore() {
    const params = new URLSearchParams(location.search);
    for (const key of KEYS) if (params.has(key)) form.elements[key].value = params.get(key);
  }
  function csvCell(value) {
    const text = String(value == null ? "" : value);
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function toCsv(list) {
    const lines = [data.columns.map(csvCell).join(",")];
    for (const r of list) lines.push(data.columns.map((c) => csvCell(r.csv[c])).join(","));
    return lines.join("\n") + "\n";
  }
  download.addEventListener("click", () => {
    const blob = new Blob([toCsv(shown())], { type: "text/csv;charset=utf-8" });
    const a = el("a", { href: URL.createObjectURL(blob), download: "events-filtered.csv" });
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  });
  form.addEventListener("input", () => apply(true));
  form.addEventListener("change", () => apply(true));
  form.addEventListener("reset", () => setTimeout(() => apply(true), 0));
  restore();
  apply(false);
  window.twotracksExplorer = { toCsv: toCsv, shown: shown, matches: matches };
})();
