// Feedback while a form's answer is coming: the submit button shows a spinner and "working"
// (data-busy on the page's root, from the template), and cannot send the form twice.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.getAttribute("aria-busy") === "true") {
      if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); }
      return;
    }
    form.setAttribute("aria-busy", "true");
    var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    if (button) {
      button.classList.add("busy");
      button.setAttribute("data-busy-label", document.documentElement.getAttribute("data-busy") || "…");
    }
  });

  // Back to a page kept in the browser's cache: its forms are ready again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[aria-busy=true]"), function (form) {
      form.removeAttribute("aria-busy");
      Array.prototype.forEach.call(form.querySelectorAll(".busy"), function (b) { b.classList.remove("busy"); });
    });
  });
}());
