// The movement dashboard: its two charts, drawn from the page's json_script data (the CSP forbids inline scripts),
// and the sortable table of the units under the unit. Every number drawn is also in the table beside its chart.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var styles = {
    poor: { borderColor: "#b02a37", backgroundColor: "#b02a37" },
    near: { borderColor: "#995c00", backgroundColor: "#995c00" },
    upper: { borderColor: "#146c43", backgroundColor: "rgba(20, 108, 67, .12)", borderDash: [6, 4], fill: "+1", pointRadius: 0 },
    lower: { borderColor: "#146c43", backgroundColor: "rgba(20, 108, 67, .12)", borderDash: [6, 4], pointRadius: 0 },
    final: { borderColor: "#0a58ca", backgroundColor: "#0a58ca", borderDash: [2, 3], pointRadius: 0 },
    reduction: { backgroundColor: "#146c43" },
    newly: { backgroundColor: "#b02a37" },
    repoor: { backgroundColor: "#995c00" }
  };
  var datasets = function (series) {
    return series.map(function (item) {
      return Object.assign({ label: item.label, data: item.data, spanGaps: true }, styles[item.key] || {});
    });
  };
  var options = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: "index", intersect: false },
    plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
    scales: { y: { beginAtZero: true } }
  };
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var kind = canvas.dataset.chart;
    new Chart(canvas, {
      type: kind === "moves" ? "bar" : "line",
      data: { labels: data.labels, datasets: datasets(data[kind]) },
      options: options
    });
  });

  // Sorting: a header button sorts its column (numbers by their data-value), a second press reverses.
  document.querySelectorAll("table.js-sortable").forEach(function (table) {
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    headers.forEach(function (th, index) {
      var button = th.querySelector("button[data-sort]");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var numeric = button.dataset.sort === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) {
          var cell = row.cells[index];
          var value = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
          if (index === 0) { return Number(value); }
          if (!numeric) { return value; }
          return value === "" ? -Infinity : Number(value);
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var order = typeof x === "number" ? x - y : String(x).localeCompare(String(y), "vi");
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  });
})();
