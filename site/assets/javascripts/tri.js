/*
 * Sortable tables (progressive enhancement, no dependency): every <table data-inv-sortable>
 * gets a button in each header cell; activating it sorts the body rows by that column
 * (numbers from the cells' data-sort attribute, text otherwise), ascending then descending.
 * The sorted header carries aria-sort, and a polite live region says what happened. Without
 * JavaScript the table stays a plain, complete table.
 */
(function () {
  "use strict";

  var collator = new Intl.Collator("fr", { sensitivity: "base", numeric: true });

  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) return "";
    var value = cell.getAttribute("data-sort");
    return value !== null ? value : cell.textContent.trim();
  }

  function enhance(table) {
    if (table.getAttribute("data-inv-ready") === "1") return;
    table.setAttribute("data-inv-ready", "1");
    var status = table.parentNode && table.parentNode.parentNode
      ? table.parentNode.parentNode.querySelector("[data-inv-sort-status]") : null;
    var headers = table.querySelectorAll("thead th");
    var body = table.tBodies[0];
    if (!body) return;
    Array.prototype.forEach.call(headers, function (th, index) {
      var label = th.textContent.trim();
      var numeric = th.getAttribute("data-sort-type") === "number";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "inv-sort";
      button.textContent = label;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        if (numeric && !th.hasAttribute("aria-sort")) ascending = false;
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index);
          var y = cellValue(b, index);
          var order = numeric ? parseFloat(x) - parseFloat(y) : collator.compare(x, y);
          if (order === 0) order = collator.compare(cellValue(a, 0), cellValue(b, 0));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        Array.prototype.forEach.call(headers, function (other) {
          other.removeAttribute("aria-sort");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        if (status) {
          status.textContent = "Tableau trié par « " + label + " », ordre " +
            (ascending ? "croissant" : "décroissant") + ".";
        }
      });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-inv-sortable]"), enhance);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
