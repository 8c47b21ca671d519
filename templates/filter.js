// Filters and sorts the case list. Without this script every list page
// still works: it shows one page of one view, with links to the others.
// With it, the form filters all cases by text, procedure, status,
// category, channel, department, handler, stage, lateness, escalation,
// closed late, age, received and closed dates and days left, and sorts
// them; rows are built with DOM methods only, so no case text is ever
// parsed as markup.
//
// The cases are in chunks (cases/rows/: the open cases, then the closed
// ones by month closed), listed by cases/rows/index.js, which the page
// loads before this script. Nothing else loads until a filter is set;
// then only the chunks the filters can match, as <script> elements (the
// site's CSP allows its own scripts, and a fetch would fail from file://).
// While chunks arrive the list shows the matches found so far; the count
// gets its data-total when the answer is complete.
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
  var index = window.casebookRows;
  if (!form || !table || !index) { return; }
  // The chunks' folder: where the page's data-data (the index) points.
  var dir = (form.getAttribute("data-data") || "").replace(/[^\/]*$/, "");
  var tables = index.tables;
  var chunks = index.chunks;
  var loaded = {}; // chunk id → its cases, decoded
  var loading = {}; // chunk id → true while its script loads
  var query = null; // the answer being made or shown (ask)
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
  // A filter's chunk test tells whether a chunk (its entry in the index)
  // may hold a case that passes; a filter without one needs every chunk.
  var eq = function (key) { return function (c, v) { return v === none ? !c[key] : c[key] === v; }; };
  var flag = function (bit) { return function (ch) { return (ch.f & bit) !== 0; }; };
  var OPEN = 1, LATE = 2, ESC = 4, MISSED = 8; // the rows' flags (rows.go)
  // among: whether the chunk's list (ch.p, ch.s) holds the table entry
  // whose key is v.
  var among = function (table, key) {
    return function (ch, v) {
      for (var i = 0; i < ch[key].length; i++) {
        if (tables[table][ch[key][i]][0] === v) { return true; }
      }
      return false;
    };
  };
  var after = function (span, v) { return !!span && span[1] >= v; };
  var before = function (span, v) { return !!span && span[0] <= v; };
  var filters = [
    {key: "q", id: "filter-text", prep: function (v) { return v.trim().toLowerCase(); },
      test: function (c, v) { return v === "" || c.q.indexOf(v) >= 0; }},
    {key: "p", id: "filter-policy", test: eq("p"), chunk: among("p", "p")},
    {key: "s", id: "filter-status", test: eq("s"), chunk: among("s", "s")},
    {key: "c", id: "filter-category", test: eq("c")},
    {key: "ch", id: "filter-channel", test: eq("ch")},
    {key: "d", id: "filter-department", test: eq("d")},
    {key: "a", id: "filter-handler", test: eq("a")},
    {key: "stage", id: "filter-stage", test: function (c, v) { return v === "open" ? !!c.open : v === "closed" ? !!c.x : true; },
      chunk: function (ch, v) { return v === "open" ? (ch.f & OPEN) !== 0 : v === "closed" ? !!ch.x : true; }},
    {key: "late", id: "filter-overdue", test: function (c) { return !!c.late; }, chunk: flag(LATE)},
    {key: "esc", id: "filter-escalated", test: function (c) { return !!c.esc; }, chunk: flag(ESC)},
    {key: "missed", id: "filter-missed", test: function (c) { return !!c.ml; }, chunk: flag(MISSED)},
    // Open for a span of working days ("4-10", "31-" for over 30).
    {key: "age", id: "filter-age", test: function (c, v) {
      var span = v.split("-"), lo = parseInt(span[0], 10), hi = parseInt(span[1], 10);
      return typeof c.ag === "number" && !(c.ag < lo) && !(c.ag > hi);
    }, chunk: flag(OPEN)},
    {key: "from", id: "filter-from", test: function (c, v) { return !!c.r && c.r.slice(0, 10) >= v; },
      chunk: function (ch, v) { return after(ch.r, v); }},
    {key: "to", id: "filter-to", test: function (c, v) { return !!c.r && c.r.slice(0, 10) <= v; },
      chunk: function (ch, v) { return before(ch.r, v); }},
    {key: "cfrom", id: "filter-cfrom", test: function (c, v) { return !!c.x && c.x.slice(0, 10) >= v; },
      chunk: function (ch, v) { return after(ch.x, v); }},
    {key: "cto", id: "filter-cto", test: function (c, v) { return !!c.x && c.x.slice(0, 10) <= v; },
      chunk: function (ch, v) { return before(ch.x, v); }},
    // Due within N working days: open, not yet late, the next clock N
    // working days off or fewer (the dashboard's "due soon" is N = 2).
    {key: "due", id: "filter-due", test: function (c, v) {
      var n = parseInt(v, 10);
      return isNaN(n) || (!!c.open && !c.late && typeof c.dn === "number" && c.dn <= n);
    }, chunk: function (ch, v) { return isNaN(parseInt(v, 10)) || (ch.f & OPEN) !== 0; }},
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
  // decode turns a chunk's rows (arrays, rows.go) into the cases the
  // filters and columns read, with the search text lower-cased once.
  function decode(rows) {
    var t = tables;
    return rows.map(function (w) {
      var p = t.p[w[3]], s = t.s[w[4]], c = t.c[w[5]], ch = t.ch[w[6]], f = w[14];
      return {
        id: w[0], href: w[1] || w[0] + ".html", title: w[2],
        p: p[0], pl: p[1], s: s[0], sl: s[1], c: c[0], cl: c[1], ch: ch[0], chl: ch[1],
        d: t.d[w[7]], a: t.a[w[8]], r: w[9], due: w[10], x: w[11], dt: t.dt[w[12]],
        dn: w[13] === null ? undefined : w[13], ag: w[15] === null ? undefined : w[15],
        open: (f & OPEN) !== 0, late: (f & LATE) !== 0, esc: (f & ESC) !== 0, ml: (f & MISSED) !== 0,
        q: (w[0] + "\n" + w[2]).toLowerCase(), o: w[16]
      };
    });
  }
  function active() {
    return filters.filter(function (f) { return f.test && value(f) !== ""; }).map(function (f) {
      var v = value(f);
      return {f: f, v: v, pv: f.prep ? f.prep(v) : v};
    });
  }
  // needed are the chunks the current filters can match, in the index's
  // order: the open cases first, then the latest months.
  function needed(act) {
    return chunks.filter(function (ch) {
      for (var i = 0; i < act.length; i++) {
        if (act[i].f.chunk && !act[i].f.chunk(ch, act[i].v)) { return false; }
      }
      return true;
    });
  }
  function load(ch) {
    if (loaded[ch.id] || loading[ch.id]) { return; }
    loading[ch.id] = true;
    var s = document.createElement("script");
    s.src = dir + ch.id + ".js";
    s.onload = function () {
      loading[ch.id] = false;
      loaded[ch.id] = decode(window.casebookChunks[ch.id] || []);
      delete window.casebookChunks[ch.id];
      s.parentNode.removeChild(s);
      if (query && query.want.indexOf(ch) >= 0) { progress(query); }
    };
    // A chunk that fails to load is asked for again by the next change.
    s.onerror = function () { loading[ch.id] = false; s.parentNode.removeChild(s); };
    document.head.appendChild(s);
  }
  // ask starts the answer to the current filters: it loads the chunks
  // missing and shows the matches (when show; the CSV of an untouched page
  // does not), then runs then, if given, once every chunk is in.
  function ask(show, then) {
    var act = active();
    query = {act: act, want: needed(act), show: show, then: then || null, done: false};
    query.want.forEach(load);
    progress(query);
  }
  // progress matches the chunks of q that have arrived. Partial answers
  // are made at 1, 2, 4, 8 … chunks, so the first matches show as soon as
  // one chunk is in and the loaded cases are put in order (ordered) only
  // a few times.
  function progress(q) {
    if (q !== query) { return; }
    var have = q.want.filter(function (ch) { return loaded[ch.id]; });
    q.done = have.length === q.want.length;
    if (!q.done && have.length > 0 && (have.length & (have.length - 1)) !== 0) { return; }
    match(q.act);
    if (q.show) { render(); }
    if (q.done && q.then) {
      var then = q.then;
      q.then = null;
      then();
    }
  }
  // ordered is every loaded case in the order chosen, made again only
  // when a chunk has arrived: matching then keeps that order, with no
  // sort per change. It may hold chunks the filters do not need, whose
  // cases cannot match. The list's own order (the latest received first)
  // is each case's place, o, so it needs no sort at all.
  var cache = {};
  function ordered(name) {
    var n = 0;
    for (var id in loaded) { if (loaded[id]) { n += loaded[id].length; } }
    var c = cache[name];
    if (c && c.n === n) { return c.rows; }
    var rows;
    if (name === "received") {
      var at = new Array(index.chunks.reduce(function (m, ch) { return m + ch.n; }, 0));
      for (var k in loaded) { loaded[k].forEach(function (r) { at[r.o] = r; }); }
      rows = at.filter(function (r) { return r; });
    } else {
      rows = ordered("received").slice().sort(orders[name]);
    }
    cache[name] = {n: n, rows: rows};
    return rows;
  }
  function match(act) {
    var sort = el("filter-sort");
    var rows = ordered(sort && orders[sort.value] ? sort.value : "received");
    hits = [];
    for (var j = 0; j < rows.length; j++) {
      var c = rows[j], ok = true;
      for (var i = 0; i < act.length && ok; i++) { ok = act[i].f.test(c, act[i].pv); }
      if (ok) { hits.push(c); }
    }
  }
  function render() {
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
    shown();
    if (pager) { pager.hidden = true; }
  }
  // shown says how many rows are on screen, and of how many: data-total
  // only once the answer is complete.
  function shown() {
    var n = Math.min(limit, hits.length);
    if (query.done) {
      count.textContent = form.getAttribute("data-shown").replace("{n}", n).replace("{total}", hits.length);
      count.setAttribute("data-total", hits.length);
    } else {
      count.textContent = form.getAttribute("data-loading").replace("{n}", n);
      count.removeAttribute("data-total");
    }
    more.hidden = n >= hits.length;
    if (download) { download.disabled = query.done && hits.length === 0; }
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
  // The CSV holds every match: it waits for the answer to be complete, and
  // on a page no filter has touched yet it makes the answer without
  // replacing the page's own rows.
  function download_() {
    if (query && query.done) { saveCSV(); return; }
    if (query) { query.then = saveCSV; return; }
    ask(false, saveCSV);
  }
  function restart() { limit = step; write(); ask(true); }
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
  if (download) {
    download.hidden = false;
    download.disabled = body.rows.length === 0;
    download.addEventListener("click", download_);
  }
  more.addEventListener("click", function () { limit += step; render(); });
  // A link to another filter of this page changes only the hash.
  window.addEventListener("hashchange", function () { read(); limit = step; ask(true); });
  // Opened with filters in the address, the list shows them; opened
  // plain, it keeps the page's own rows (page 3 of a view stays page 3)
  // and loads no chunk until a filter changes.
  read();
  if (location.hash.length > 1) { ask(true); }
})();
