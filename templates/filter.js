// Filters and sorts the case list. Without this script every list page
// still works: it shows one page of one view, with links to the others.
// With it, the form filters all cases (read from rows.js, loaded before
// this script) by text, procedure, status, category, channel,
// department, handler, stage, lateness, escalation, closed late, age,
// received and closed dates and days left, and sorts them; rows are built with DOM methods
// only, so no case text is ever parsed as markup.
//
// The filters live in the address after "#" (cases/index.html#s=bank/
// accepted&late=1): a link can open the list filtered, the address can be
// shared, and a reload keeps it. The dashboard's numbers link here so.
// "Download CSV" saves the rows that match, all of them, as a CSV file
// made in the browser.
(function () {
  "use strict";
  var form = document.getElementById("filter");
  var table = document.getElementById("cases");
  var all = window.casebookCases;
  if (!form || !table || !all) { return; }
  var base = form.getAttribute("data-base") || "";
  var step = 200;
  var limit = step;
  var hits = [];
  var body = table.tBodies[0];
  var count = document.getElementById("count");
  var more = document.getElementById("more");
  var pager = document.getElementById("pager");
  var download = document.getElementById("download");
  var el = function (id) { return document.getElementById(id); };
  var none = "\u2014"; // the blank department or handler, as the dashboard names it
  // Each filter: its key in the address, its control, and how a case
  // passes it given the control's value.
  var eq = function (key) { return function (c, v) { return v === none ? !c[key] : c[key] === v; }; };
  var filters = [
    {key: "q", id: "filter-text", test: function (c, v) {
      v = v.trim().toLowerCase();
      return v === "" || c.id.toLowerCase().indexOf(v) >= 0 || c.title.toLowerCase().indexOf(v) >= 0;
    }},
    {key: "p", id: "filter-policy", test: eq("p")},
    {key: "s", id: "filter-status", test: eq("s")},
    {key: "c", id: "filter-category", test: eq("c")},
    {key: "ch", id: "filter-channel", test: eq("ch")},
    {key: "d", id: "filter-department", test: eq("d")},
    {key: "a", id: "filter-handler", test: eq("a")},
    {key: "stage", id: "filter-stage", test: function (c, v) { return v === "open" ? !!c.open : v === "closed" ? !!c.x : true; }},
    {key: "late", id: "filter-overdue", test: function (c) { return !!c.late; }},
    {key: "esc", id: "filter-escalated", test: function (c) { return !!c.esc; }},
    {key: "missed", id: "filter-missed", test: function (c) { return !!c.ml; }},
    // Open for a span of working days ("4-10", "31-" for over 30).
    {key: "age", id: "filter-age", test: function (c, v) {
      var span = v.split("-"), lo = parseInt(span[0], 10), hi = parseInt(span[1], 10);
      return typeof c.ag === "number" && !(c.ag < lo) && !(c.ag > hi);
    }},
    {key: "from", id: "filter-from", test: function (c, v) { return !!c.r && c.r.slice(0, 10) >= v; }},
    {key: "to", id: "filter-to", test: function (c, v) { return !!c.r && c.r.slice(0, 10) <= v; }},
    {key: "cfrom", id: "filter-cfrom", test: function (c, v) { return !!c.x && c.x.slice(0, 10) >= v; }},
    {key: "cto", id: "filter-cto", test: function (c, v) { return !!c.x && c.x.slice(0, 10) <= v; }},
    // Due within N working days: open, not yet late, the next clock N
    // working days off or fewer (the dashboard's "due soon" is N = 2).
    {key: "due", id: "filter-due", test: function (c, v) {
      var n = parseInt(v, 10);
      return isNaN(n) || (!!c.open && !c.late && typeof c.dn === "number" && c.dn <= n);
    }},
    {key: "sort", id: "filter-sort", test: null}
  ];
  filters.forEach(function (f) { f.input = el(f.id); });
  filters = filters.filter(function (f) { return f.input; });
  var orders = {
    received: function (a, b) { return cmp(b.r, a.r) || cmp(b.id, a.id); },
    due: function (a, b) { return cmp(a.due || "\uffff", b.due || "\uffff") || cmp(a.id, b.id); },
    late: function (a, b) { return days(a) - days(b) || cmp(a.due || "\uffff", b.due || "\uffff") || cmp(a.id, b.id); },
    id: function (a, b) { return cmp(a.id, b.id); }
  };
  function days(c) { return typeof c.dn === "number" ? c.dn : 1e9; }
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function value(f) { return f.input.type === "checkbox" ? (f.input.checked ? "1" : "") : f.input.value; }
  // The table's columns: the header cells name them (data-key), so the
  // rows and the CSV follow the page's own columns and labels.
  var columns = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
    return {key: th.getAttribute("data-key"), label: th.textContent};
  });
  function cell(tr, col, c) {
    var td = document.createElement("td");
    td.setAttribute("data-label", col.label);
    var v = c[col.key] || "";
    if (col.key === "id") {
      var a = document.createElement("a");
      a.href = base + c.href;
      a.textContent = v;
      td.appendChild(a);
    } else {
      td.textContent = v;
    }
    tr.appendChild(td);
  }
  // read sets the controls from the address, or, with none, from the
  // filter of this page's view (data-view: the overdue list's "late=1").
  function read() {
    var h = location.hash.slice(1);
    var params = new URLSearchParams(h || form.getAttribute("data-view") || "");
    filters.forEach(function (f) {
      var v = params.get(f.key) || "";
      if (f.input.type === "checkbox") {
        f.input.checked = v === "1";
      } else if (f.input.tagName === "SELECT") {
        f.input.value = v;
        if (f.input.value !== v) { f.input.value = f.key === "sort" ? "received" : ""; }
      } else {
        f.input.value = v;
      }
    });
  }
  function write() {
    var params = new URLSearchParams();
    filters.forEach(function (f) {
      var v = value(f);
      if (v !== "" && !(f.key === "sort" && v === "received")) { params.set(f.key, v); }
    });
    var h = params.toString();
    // A view's page (the overdue list) with every filter cleared says so,
    // or a reload would bring the view's own filter back.
    if (!h && form.getAttribute("data-view")) { h = "all"; }
    if (h !== location.hash.slice(1)) {
      history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
    }
  }
  function match() {
    var active = filters.filter(function (f) { return f.test && value(f) !== ""; });
    hits = all.filter(function (c) {
      for (var i = 0; i < active.length; i++) {
        if (!active[i].test(c, value(active[i]))) { return false; }
      }
      return true;
    });
    var sort = el("filter-sort");
    hits.sort(orders[sort && sort.value] || orders.received);
    if (download) { download.disabled = hits.length === 0; }
  }
  function apply() {
    match();
    var rows = document.createDocumentFragment();
    hits.slice(0, limit).forEach(function (c) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-status", c.s);
      if (c.late) { tr.className = "late"; }
      columns.forEach(function (col) { cell(tr, col, c); });
      rows.appendChild(tr);
    });
    while (body.firstChild) { body.removeChild(body.firstChild); }
    body.appendChild(rows);
    var shown = Math.min(limit, hits.length);
    count.textContent = form.getAttribute("data-shown").replace("{n}", shown).replace("{total}", hits.length);
    count.setAttribute("data-total", hits.length);
    more.hidden = shown >= hits.length;
    if (pager) { pager.hidden = true; }
  }
  // csvCell quotes a cell and neutralises one a spreadsheet would run as
  // a formula, as cases.csv does.
  function csvCell(v) {
    v = String(v == null ? "" : v);
    if (/^[=+\-@\t\r]/.test(v)) { v = "'" + v; }
    if (/[",\r\n]/.test(v)) { v = '"' + v.replace(/"/g, '""') + '"'; }
    return v;
  }
  function saveCSV() {
    var lines = [columns.map(function (col) { return csvCell(col.label); }).join(",")];
    hits.forEach(function (c) {
      lines.push(columns.map(function (col) { return csvCell(c[col.key]); }).join(","));
    });
    // A byte-order mark, so Excel and WPS read it as UTF-8; CRLF lines.
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], {type: "text/csv;charset=utf-8"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = form.getAttribute("data-file") || "cases.csv";
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }
  function restart() { limit = step; write(); apply(); }
  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  filters.forEach(function (f) {
    f.input.addEventListener(f.input.type === "search" || f.input.type === "number" ? "input" : "change", restart);
  });
  var reset = el("filter-reset");
  if (reset) {
    reset.addEventListener("click", function (e) {
      e.preventDefault();
      history.replaceState(null, "", location.pathname + location.search);
      read();
      restart();
    });
  }
  if (download) { download.hidden = false; download.addEventListener("click", saveCSV); }
  more.addEventListener("click", function () { limit += step; apply(); });
  // A link to another filter of this page changes only the hash.
  window.addEventListener("hashchange", function () { read(); limit = step; apply(); });
  // Opened with filters in the address, the list shows them; opened
  // plain, it keeps the page's own rows (page 3 of a view stays page 3)
  // until a filter changes.
  read();
  if (location.hash.length > 1) { apply(); } else { match(); }
})();
