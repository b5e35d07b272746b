// Reporting rates: the bar chart of each unit's rate (on time and late, in % of its expected units), drawn from
// the page's json_script data (the CSP forbids inline scripts). Every number drawn is also in the table beside it.
(function () {
  "use strict";
  var source = document.getElementById("rates-chart-data");
  var canvas = document.getElementById("chart-rates");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  // One bar a unit, across: a district's thirty communes need the height.
  canvas.parentElement.style.height = Math.max(240, 28 * data.labels.length + 80) + "px";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.names.on_time, data: data.on_time, backgroundColor: "#146c43" },
        { label: data.names.late, data: data.late, backgroundColor: "#995c00" }
      ]
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      scales: { x: { stacked: true, min: 0, max: 100 }, y: { stacked: true } }
    }
  });
})();
