// Small behaviours shared by every page; no inline scripts are allowed by the Content Security Policy.
(function () {
  "use strict";
  document.querySelectorAll("form.js-autosubmit select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // A table of checkboxes: a header box selects every row of the page, and a line counts the selected.
  document.querySelectorAll("[data-select-scope]").forEach(function (scope) {
    var all = scope.querySelector("[data-select-all]");
    var boxes = Array.prototype.slice.call(scope.querySelectorAll("input[type=checkbox][name=reviews]"));
    var counter = scope.querySelector("[data-selected-count]");
    var update = function () {
      var n = boxes.filter(function (box) { return box.checked; }).length;
      if (all) {
        all.checked = n > 0 && n === boxes.length;
        all.indeterminate = n > 0 && n < boxes.length;
      }
      if (counter) {
        counter.textContent = counter.dataset.template.replace("%(n)s", n);
        counter.hidden = false;
      }
    };
    if (all) {
      all.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = all.checked; });
        update();
      });
    }
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    update();
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // The "new household" form: the code follows the chosen village's commune (its next free number), until the
  // officer types a code of their own.
  var householdForm = document.querySelector("form[data-next-code-url]");
  if (householdForm) {
    var village = householdForm.querySelector("[name=village]");
    var code = householdForm.querySelector("[name=code]");
    var suggested = householdForm.dataset.suggestedCode;
    village.addEventListener("change", function () {
      if (!village.value || (code.value && code.value !== suggested)) { return; }
      var url = householdForm.dataset.nextCodeUrl + "?village=" + encodeURIComponent(village.value);
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && (!code.value || code.value === suggested)) {
            code.value = suggested = data.code;
          }
        });
    });
  }
})();
