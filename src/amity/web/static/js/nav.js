// The site's navigation on a phone: below 768 px its links fold behind the Menu button
// (amity.css). Run right after the header, so the links never flash open; without scripts
// the button stays hidden and the links are shown as on a wide screen.
(function () {
  "use strict";
  var header = document.querySelector("header.site");
  var button = header && header.querySelector(".nav-toggle");
  if (!button) { return; }
  header.classList.add("collapsible");
  button.hidden = false;

  function show(open) {
    header.classList.toggle("open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  button.addEventListener("click", function () {
    show(button.getAttribute("aria-expanded") !== "true");
  });
  // Escape closes the open menu and gives the focus back to its button.
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("open")) {
      show(false);
      button.focus();
    }
  });
})();
