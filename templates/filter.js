// Filters the case list by text (title or id) and status. The list works
// without this script; it only hides rows.
(function () {
  "use strict";
  var form = document.getElementById("filter");
  var table = document.getElementById("cases");
  if (!form || !table) { return; }
  var text = document.getElementById("filter-text");
  var status = document.getElementById("filter-status");
  var rows = table.tBodies[0].rows;
  function apply() {
    var q = text.value.trim().toLowerCase();
    var s = status.value;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var okText = q === "" || r.cells[0].textContent.toLowerCase().indexOf(q) >= 0 ||
        r.cells[1].textContent.toLowerCase().indexOf(q) >= 0;
      var okStatus = s === "" || r.getAttribute("data-status") === s;
      r.hidden = !(okText && okStatus);
    }
  }
  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  text.addEventListener("input", apply);
  status.addEventListener("change", apply);
})();
