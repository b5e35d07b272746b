// A job done by the worker (an import, an export, a document): poll its JSON status and show its progress.
// The page marks the box with data-job-status (the status URL) and data-job-state (the state it was drawn in);
// inside it, [role=progressbar] and its .progress-bar show the percent, [data-job-label] the label and each
// [data-job-field] the status key it names. Once the job leaves that state or stops running the page reloads:
// counts, errors, buttons and the download link come from the server. No inline script or style: the Content
// Security Policy forbids them, so widths are set through the CSSOM.
(function () {
  "use strict";
  document.querySelectorAll("[data-job-status]").forEach(function (box) {
    var meter = box.querySelector("[role=progressbar]");
    var bar = meter.querySelector(".progress-bar");
    var label = box.querySelector("[data-job-label]");
    var fields = box.querySelectorAll("[data-job-field]");

    function show(percent) {
      bar.style.width = percent + "%";
      meter.setAttribute("aria-valuenow", percent);
    }
    show(parseInt(meter.getAttribute("aria-valuenow") || "0", 10));

    function tick() {
      fetch(box.dataset.jobStatus, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (data) {
          show(data.progress);
          fields.forEach(function (field) { field.textContent = data[field.dataset.jobField] || ""; });
          if (data.running && data.state === box.dataset.jobState) {
            if (label) { label.textContent = data.label; }
            setTimeout(tick, 1000);
          } else {
            window.location.reload();
          }
        })
        .catch(function () { setTimeout(tick, 3000); });
    }
    setTimeout(tick, 700);
  });
})();
