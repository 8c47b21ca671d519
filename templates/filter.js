// Filters and sorts the case list. Without this script every list page
// still works: it shows one page of one view, with links to the others.
// With it, the form filters all cases (read from rows.js, loaded before
// this script) by text, status, category, channel, department and
// lateness, and sorts them; rows are built with DOM methods only, so no
// case text is ever parsed as markup.
(function () {
  "use strict";
  var form = document.getElementById("filter");
  var table = document.getElementById("cases");
  var all = window.casebookCases;
  if (!form || !table || !all) { return; }
  var base = form.getAttribute("data-base") || "";
  var step = 200;
  var limit = step;
  var body = table.tBodies[0];
  var count = document.getElementById("count");
  var more = document.getElementById("more");
  var pager = document.getElementById("pager");
  var el = function (id) { return document.getElementById(id); };
  var text = el("filter-text"), status = el("filter-status"), category = el("filter-category"),
    channel = el("filter-channel"), dept = el("filter-department"), late = el("filter-overdue"),
    sort = el("filter-sort");
  var orders = {
    received: function (a, b) { return cmp(b.r, a.r) || cmp(b.id, a.id); },
    due: function (a, b) { return cmp(a.due || "\uffff", b.due || "\uffff") || cmp(a.id, b.id); },
    id: function (a, b) { return cmp(a.id, b.id); }
  };
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function cell(tr, value, href) {
    var td = document.createElement("td");
    if (href) {
      var a = document.createElement("a");
      a.href = base + href;
      a.textContent = value;
      td.appendChild(a);
    } else {
      td.textContent = value;
    }
    tr.appendChild(td);
  }
  function apply() {
    var q = text.value.trim().toLowerCase();
    var hits = all.filter(function (c) {
      return (q === "" || c.id.toLowerCase().indexOf(q) >= 0 || c.title.toLowerCase().indexOf(q) >= 0) &&
        (status.value === "" || c.s === status.value) &&
        (category.value === "" || c.c === category.value) &&
        (channel.value === "" || c.ch === channel.value) &&
        (dept.value === "" || c.d === dept.value) &&
        (!late.checked || c.late);
    });
    hits.sort(orders[sort.value] || orders.received);
    var rows = document.createDocumentFragment();
    hits.slice(0, limit).forEach(function (c) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-status", c.s);
      if (c.late) { tr.className = "late"; }
      cell(tr, c.id, c.href);
      [c.title, c.sl, c.cl, c.chl, c.d, c.r, c.due].forEach(function (v) { cell(tr, v); });
      rows.appendChild(tr);
    });
    while (body.firstChild) { body.removeChild(body.firstChild); }
    body.appendChild(rows);
    var shown = Math.min(limit, hits.length);
    count.textContent = form.getAttribute("data-shown").replace("{n}", shown).replace("{total}", hits.length);
    more.hidden = shown >= hits.length;
    if (pager) { pager.hidden = true; }
  }
  function restart() { limit = step; apply(); }
  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  text.addEventListener("input", restart);
  [status, category, channel, dept, late, sort].forEach(function (x) { x.addEventListener("change", restart); });
  more.addEventListener("click", function () { limit += step; apply(); });
})();
