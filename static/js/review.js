// Review form: ask the server for the class as the officer types income or ticks indicators (no page reload).
// The rule lives only on the server (households.rules.classify); this script just shows its answer.
(function () {
  "use strict";
  var form = document.querySelector("form[data-classify-url]");
  if (!form) { return; }
  var badge = document.querySelector("[data-testid=live-class]");
  var count = document.querySelector("[data-testid=deprivation-count]");
  var causes = document.querySelectorAll("[data-testid=causes] input[type=checkbox]");
  var causesNote = document.querySelector("[data-testid=causes-note]");
  var override = form.querySelector("select[name=class_override]");
  var timer = null;
  var seq = 0;

  // Causes of poverty are recorded only for a poor household (computed or agreed): otherwise the boxes are
  // greyed out, with a note saying so, and are not sent (the server refuses causes for a household not poor).
  function showCauses(computed) {
    if (!computed) { return; }
    var poor = computed === "poor" || (override !== null && override.value === "poor");
    causes.forEach(function (box) { box.disabled = !poor; });
    if (causesNote) { causesNote.classList.toggle("d-none", poor); }
  }

  function refresh() {
    var mine = ++seq;
    fetch(form.dataset.classifyUrl, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || mine !== seq) { return; }
        badge.textContent = data.label;
        badge.className = "badge" + (data["class"] ? " class-" + data["class"] : " text-bg-light");
        count.textContent = data.deprivations;
        showCauses(data["class"]);
      });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 200);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // A form shown again (after an error or a conflict) holds typed values, not the saved ones: show their class.
  if (form.dataset.bound === "true") { refresh(); } else { showCauses(form.dataset["class"]); }
})();
