/* normref report: sortable tables, filters and search. No network, works from file://.
   Reads only data the page already holds; never builds HTML from it (textContent only). */
(function () {
  "use strict";

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function fold(text) {
    return (text || "").toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ");
  }

  /* ---------------------------------------------------------------- sorting */

  function cellKey(row, col) {
    var cell = row.cells[col];
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === "") return 1; // empty values last whichever the direction
    if (b === "") return -1;
    var na = Number(a), nb = Number(b);
    if (!isNaN(na) && !isNaN(nb)) return na - nb;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function sortBy(table, col, th) {
    var descending = th.getAttribute("aria-sort") === "ascending";
    all("thead th", table).forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var body = table.tBodies[0];
    var rows = all("tr", body).filter(function (r) { return !r.classList.contains("empty"); });
    rows.sort(function (r1, r2) {
      var a = cellKey(r1, col), b = cellKey(r2, col);
      if (a === "" || b === "") return compare(a, b);
      return descending ? compare(b, a) : compare(a, b);
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function initSorting() {
    all("table.sortable").forEach(function (table) {
      all("thead th", table).forEach(function (th, col) {
        var button = th.querySelector("button.sort");
        if (!button) return;
        button.addEventListener("click", function () { sortBy(table, col, th); });
      });
    });
  }

  /* ---------------------------------------------------------------- filters */

  function parseObligations(value) {
    return (value || "").split(" ").filter(Boolean).map(function (token) {
      var parts = token.split("|");
      return { provision: parts[0] || "", instrument: parts[1] || "", basis: (parts[2] || "").split(",") };
    });
  }

  function initFilters() {
    var form = document.getElementById("filters");
    var table = document.getElementById("incidents");
    if (!form || !table) return;
    var searchData = {};
    var island = document.getElementById("search-data");
    try { searchData = JSON.parse(island ? island.textContent : "{}"); } catch (e) { searchData = {}; }
    var rows = all("tbody tr", table).filter(function (r) { return !r.classList.contains("empty"); });
    var info = rows.map(function (row) {
      var index = row.getAttribute("data-index");
      return {
        row: row,
        date: row.getAttribute("data-date") || "",
        rubric: row.getAttribute("data-rubric") || "",
        obligations: parseObligations(row.getAttribute("data-obs")),
        text: fold(row.textContent + " " + (searchData[index] || ""))
      };
    });
    var normRows = all("#norms tbody tr").filter(function (r) { return !r.classList.contains("empty"); });
    var status = document.getElementById("filter-status");
    var fields = ["instrument", "provision", "rubric", "basis", "from", "to", "q"];

    function value(name) {
      var el = form.elements[name];
      return el ? el.value.trim() : "";
    }

    function matchingObligations(item, f) {
      return item.obligations.filter(function (o) {
        if (f.instrument && o.instrument !== f.instrument) return false;
        if (f.provision && o.provision !== f.provision) return false;
        if (f.basis && o.basis.indexOf(f.basis) < 0) return false;
        return true;
      });
    }

    function apply() {
      var f = {};
      fields.forEach(function (name) { f[name] = value(name); });
      var words = fold(f.q).split(" ").filter(Boolean);
      var byObligation = f.instrument || f.provision || f.basis;
      var active = fields.some(function (name) { return f[name]; });
      var counts = {};
      var shown = 0;
      info.forEach(function (item) {
        var ok = true;
        if (f.rubric && item.rubric !== f.rubric) ok = false;
        if (ok && (f.from || f.to)) {
          if (!item.date) ok = false;
          else if (f.from && item.date < f.from) ok = false;
          else if (f.to && item.date > f.to) ok = false;
        }
        if (ok && words.length) {
          ok = words.every(function (w) { return item.text.indexOf(w) >= 0; });
        }
        var obligations = byObligation ? matchingObligations(item, f) : item.obligations;
        if (ok && byObligation && !obligations.length) ok = false;
        item.row.hidden = !ok;
        if (!ok) return;
        shown += 1;
        var seen = {};
        obligations.forEach(function (o) {
          if (seen[o.provision]) return;
          seen[o.provision] = true;
          counts[o.provision] = (counts[o.provision] || 0) + 1;
        });
      });
      normRows.forEach(function (row) {
        var cell = row.querySelector("td.count");
        var n = counts[row.getAttribute("data-provision")] || 0;
        if (cell) {
          cell.textContent = active ? n + " of " + cell.getAttribute("data-total") : cell.getAttribute("data-total");
          cell.setAttribute("data-sort", active ? n : cell.getAttribute("data-total"));
        }
        row.hidden = active && n === 0;
      });
      if (status) status.textContent = "Showing " + shown + " of " + info.length + " incidents.";
      saveState(f);
    }

    function saveState(f) {
      var parts = [];
      fields.forEach(function (name) {
        if (f[name]) parts.push(name + "=" + encodeURIComponent(f[name]));
      });
      var hash = parts.length ? "#" + parts.join("&") : " ";
      try {
        history.replaceState(null, "", hash === " " ? location.pathname + location.search : hash);
      } catch (e) { /* some browsers refuse on file:// — the filters still work */ }
    }

    function narrowProvisions() {
      // the provision list follows the chosen instrument
      var chosen = value("instrument");
      var select = form.elements.provision;
      if (!select) return;
      all("option", select).forEach(function (o) {
        var inst = o.getAttribute("data-instrument");
        o.hidden = !!(chosen && inst && inst !== chosen);
        o.disabled = o.hidden;
      });
      var current = select.options[select.selectedIndex];
      if (current && current.hidden) select.value = "";
    }

    function loadState() {
      var hash = location.hash.replace(/^#/, "");
      if (!hash) return;
      fields.forEach(function (name) {
        var el = form.elements[name];
        if (el) el.value = "";
      });
      hash.split("&").forEach(function (pair) {
        var at = pair.indexOf("=");
        if (at < 0) return;
        var name = pair.slice(0, at), raw = pair.slice(at + 1), text;
        try { text = decodeURIComponent(raw); } catch (e) { return; }
        var el = form.elements[name];
        if (!el || fields.indexOf(name) < 0) return;
        if (el.tagName === "SELECT") {
          var known = all("option", el).some(function (o) { return o.value === text; });
          if (!known) return;
        }
        el.value = text;
      });
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", function (e) {
      if (e.target === form.elements.instrument) narrowProvisions();
      apply();
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    form.addEventListener("reset", function () {
      setTimeout(function () { narrowProvisions(); apply(); }, 0);
    });
    window.addEventListener("hashchange", function () { loadState(); narrowProvisions(); apply(); });
    loadState();
    narrowProvisions();
    apply();
  }

  /* ---------------------------------------------------------------- norm pages */

  function initNormPage() {
    var box = document.getElementById("only-engaged");
    if (!box) return;
    box.addEventListener("change", function () {
      document.body.classList.toggle("only-engaged", box.checked);
    });
  }

  function init() {
    initSorting();
    initFilters();
    initNormPage();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
