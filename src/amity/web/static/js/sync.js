// The Wikidata sync page: while Wikidata is asked (seconds to a minute), say so and keep the
// button from being pressed twice.
(function () {
  const form = document.getElementById("sync-preview");
  if (!form) return;
  form.addEventListener("submit", function () {
    const busy = form.querySelector(".busy");
    busy.textContent = form.dataset.busy;
    busy.hidden = false;
    form.querySelector("button[type=submit]").disabled = true;
  });
})();
