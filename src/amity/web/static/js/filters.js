// Progressive enhancement of the filter form: a changed filter applies at once.
(function () {
  "use strict";
  var form = document.querySelector("form.filters");
  if (!form) { return; }
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", function () { form.requestSubmit(); });
  });
  // Empty filters stay out of the address, so shared links are short.
  form.addEventListener("submit", function () {
    form.querySelectorAll("select, input").forEach(function (field) {
      if (field.value === "") { field.disabled = true; }
    });
  });
})();
