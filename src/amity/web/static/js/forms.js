// Feedback while a form's answer is coming: its submit button shows a spinner and "working"
// (the words from <html data-busy>), and a form that writes (POST) cannot be sent twice.
// A form whose answer is a download says data-no-busy (the page stays, so would the spinner).
(function () {
  "use strict";

  var RECOVER_MS = 30000;  // a stalled answer: the form can be sent again after this

  function clear(form) {
    form.removeAttribute("aria-busy");
    Array.prototype.forEach.call(form.querySelectorAll(".busy"), function (button) {
      button.classList.remove("busy");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-no-busy")) { return; }
    var writes = (form.getAttribute("method") || "get").toLowerCase() === "post";
    if (form.getAttribute("aria-busy") === "true") {
      if (writes) { event.preventDefault(); }
      return;
    }
    if (event.defaultPrevented) { return; }
    form.setAttribute("aria-busy", "true");
    var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    if (button) {
      button.setAttribute("data-busy-label", document.documentElement.getAttribute("data-busy") || "…");
      button.classList.add("busy");
    }
    setTimeout(function () { clear(form); }, RECOVER_MS);
  });

  // Back to a page kept in the browser's cache: its forms are ready again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[aria-busy=true]"), clear);
  });
}());
