// The upload form of attachments/section.html: sends the file with XMLHttpRequest so that its
// progress can be shown, says at once when a file is too large, shows a refusal in the page's
// language (the server writes it), and reloads the page to show the new file. Without this
// script the form still works (the server answers with a redirect).
(function () {
  "use strict";

  function attach(form) {
    var input = form.querySelector("input[type=file]");
    var bar = form.querySelector(".attachment-progress");
    var status = form.querySelector(".attachment-status");
    var button = form.querySelector("button[type=submit]");
    var limit = Number(form.getAttribute("data-max-bytes"));

    function say(text, failed) {
      status.textContent = text || "";
      status.classList.toggle("field-error", Boolean(failed));
    }

    function done() {
      button.disabled = false;
      bar.hidden = true;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var file = input.files && input.files[0];
      if (!file) { return; }
      if (limit && file.size > limit) { say(form.getAttribute("data-too-large"), true); return; }
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          bar.value = Math.round(100 * progress.loaded / progress.total);
          say(bar.value + " %");
        }
      });
      request.addEventListener("load", function () {
        var answer = {};
        try { answer = JSON.parse(request.responseText); } catch (ignored) { answer = {}; }
        if (request.status >= 200 && request.status < 300) {
          bar.value = 100;
          // The page again, without the refusal an earlier upload left in its address.
          var search = window.location.search.replace(/([?&])attachment_error=[^&]*&?/, "$1")
            .replace(/[?&]$/, "");
          if (search === window.location.search) {
            window.location.reload();
          } else {
            window.location.replace(window.location.pathname + search + "#attachments");
          }
          return;
        }
        done();
        say(answer.message || form.getAttribute("data-failed"), true);
      });
      request.addEventListener("error", function () {
        done();
        say(form.getAttribute("data-failed"), true);
      });
      button.disabled = true;
      bar.hidden = false;
      bar.value = 0;
      say("0 %");
      request.send(new FormData(form));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.attachment-upload"), attach);
  });
}());
