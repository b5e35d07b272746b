// An import job being checked or imported by the worker: poll its status and show rows done, rows/s, time left.
// No inline script or style: the Content Security Policy forbids them; widths are set through the CSSOM.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-poll]");
  if (!box) { return; }
  var bar = box.querySelector("[data-testid=job-progress-bar]");
  var meter = box.querySelector("[role=progressbar]");
  var phase = box.querySelector("[data-testid=job-phase]");
  var rows = box.querySelector("[data-testid=job-rows]");
  var rate = box.querySelector("[data-testid=job-rate]");
  var eta = box.querySelector("[data-testid=job-eta]");
  var state = box.dataset.state;

  function show(percent) {
    bar.style.width = percent + "%";
    meter.setAttribute("aria-valuenow", percent);
  }
  show(parseInt(meter.dataset.percent || "0", 10));

  function tick() {
    fetch(box.dataset.jobPoll, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        show(data.percent);
        rows.textContent = data.rows;
        rate.textContent = data.rate;
        eta.textContent = data.eta;
        if (data.running && data.state === state) {
          phase.textContent = data.label;
          setTimeout(tick, 1000);
        } else {
          window.location.reload();  // a new state: counts, errors and buttons come from the server
        }
      })
      .catch(function () { setTimeout(tick, 3000); });
  }
  setTimeout(tick, 700);
})();
