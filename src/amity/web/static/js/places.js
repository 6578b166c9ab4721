// The place autocomplete of every form (templates/place_input.html): typing asks
// /api/v1/places/suggest, which lists each place with its division and country (台州市 · 浙江省 ·
// 中国 against 泰州市 · 江苏省 · 中国); choosing one fills the hidden id and shows the name.
// Without a choice the server resolves the name, so the forms also work without this script.
(function () {
  "use strict";

  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;

  function attach(box) {
    var input = box.querySelector(".place-search-input");
    var list = box.querySelector(".place-suggestions");
    var context = box.querySelector(".place-context");
    var note = box.querySelector(".place-note");
    var url = box.getAttribute("data-suggest");
    var field = box.getAttribute("data-field");
    var timer = null;
    var asked = "";
    var last = null;

    // The id field: the hidden input, or (after the server listed candidates as radio buttons)
    // a new one when a suggestion is chosen instead.
    function hidden() {
      var found = box.querySelector(".place-search-id");
      if (!found) {
        var choices = box.querySelector(".place-choices");
        if (choices) { choices.parentNode.removeChild(choices); }
        found = document.createElement("input");
        found.type = "hidden";
        found.name = field;
        found.className = "place-search-id";
        box.appendChild(found);
      }
      return found;
    }

    function say(text) { if (note) { note.textContent = text || ""; } }

    function close() {
      list.textContent = "";
      input.setAttribute("aria-expanded", "false");
    }

    function choose(item) {
      hidden().value = String(item.id);
      input.value = item.name;
      if (context) { context.textContent = item.context; }
      say("");
      close();
      // Other scripts of the form may follow the choice (js/exchange_form.js lists its partners).
      box.dispatchEvent(new CustomEvent("place-chosen", { bubbles: true, detail: item }));
      // requestSubmit, so that the form shows it is working (js/forms.js) like a click would.
      if (box.getAttribute("data-submit") === "true" && input.form) { input.form.requestSubmit(); }
    }

    function show(items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "place-suggestion";
        button.setAttribute("data-place", String(item.id));
        var name = document.createElement("span");
        name.className = "place-suggestion-name";
        name.textContent = item.name;
        var where = document.createElement("small");
        where.textContent = item.context;
        button.appendChild(name);
        button.appendChild(document.createTextNode(" "));
        button.appendChild(where);
        button.addEventListener("click", function () { choose(item); input.focus(); });
        li.appendChild(button);
        list.appendChild(li);
      });
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    function ask() {
      var query = input.value.trim();
      if (!query || query === asked) { return; }
      asked = query;
      box.setAttribute("aria-busy", "true");
      var address = url + "?limit=8&lang=" + (zh ? "zh" : "en") + "&q=" + encodeURIComponent(query);
      fetch(address, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          if (input.value.trim() !== query) { return; }
          last = data;
          show(data.suggestions || []);
          say((data.suggestions || []).length ? "" : box.getAttribute("data-unknown"));
        })
        .catch(function () { show([]); })
        .then(function () { box.removeAttribute("aria-busy"); });
    }

    input.addEventListener("input", function () {
      if (hidden().value) { box.dispatchEvent(new CustomEvent("place-cleared", { bubbles: true })); }
      hidden().value = "";
      if (context) { context.textContent = ""; }
      last = null;
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });

    // Leaving the field without choosing: a name that stands for several places says so now
    // (the server would refuse it); one that stands for one place is taken.
    input.addEventListener("blur", function () {
      setTimeout(function () {
        if (box.contains(document.activeElement) || hidden().value || !input.value.trim()) { return; }
        if (!last || input.value.trim() !== last.query) { return; }
        var items = last.suggestions || [];
        if (items.length === 1 && last.status === "resolved") { choose(items[0]); return; }
        if (items.length) { say(box.getAttribute("data-ambiguous")); }
      }, 150);
    });

    // Arrow keys walk the suggestions, Escape closes them; Enter on a suggestion chooses it.
    box.addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call(list.querySelectorAll(".place-suggestion"));
      var at = buttons.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && buttons.length) {
        event.preventDefault();
        buttons[Math.min(at + 1, buttons.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        if (at === 0) { input.focus(); } else { buttons[at - 1].focus(); }
      } else if (event.key === "Escape") {
        close();
        input.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".place-search[data-suggest]"), attach);
  });
}());
