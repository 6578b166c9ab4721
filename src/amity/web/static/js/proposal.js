// A proposal's page: while a check is pending (computed after the submission answered), ask
// /proposals/ID/checks, which computes the next one, and show each check as it completes.
(function () {
  "use strict";

  var MAX_TRIES = 60;          // the score waits for the recommender: about three minutes
  var WAIT_MS = 3000;          // between asks while only the recommender is awaited

  function ask(list, tries) {
    fetch(list.getAttribute("data-src"), { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .catch(function () { return null; })
      .then(function (html) {
        if (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector("ul.checks");
          if (fresh) { list.parentNode.replaceChild(fresh, list); list = fresh; }
        }
        var waiting = (list.getAttribute("data-pending") || "").split(" ").filter(Boolean);
        if (!waiting.length || tries >= MAX_TRIES) { return; }
        // The next check is asked for at once; the recommender being built is waited for.
        var delay = html && !list.getAttribute("data-waiting") ? 0 : WAIT_MS;
        setTimeout(function () { ask(list, tries + 1); }, delay);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector("ul.checks[data-pending]");
    if (list) { ask(list, 0); }
  });
}());
