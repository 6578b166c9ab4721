// Matchmaking pages: the place search box asks /api/v1/resolve and lists the places it finds;
// picking one fills the hidden place id and sends the form.
(function () {
  "use strict";

  // As amity.core.i18n.place_name: the Chinese name on zh pages, else the local name, marked.
  function label(match, zh) {
    var mark = "（" + document.documentElement.getAttribute("data-no-zh") + "）";
    var name = !zh ? match.name : (match.name_zh || match.name + mark);
    // Homophones (Taizhou 台州/泰州) differ only by their Chinese name: English shows it too.
    if (!zh && match.name_zh) { name += " " + match.name_zh; }
    return name + " · " + match.country;
  }

  function attach(box) {
    var input = box.querySelector(".place-search-input");
    var hidden = box.querySelector(".place-search-id");
    var list = box.querySelector(".place-suggestions");
    var url = box.getAttribute("data-resolve");
    var zh = document.documentElement.lang.indexOf("zh") === 0;
    var timer = null;
    var asked = "";

    function show(matches) {
      list.textContent = "";
      matches.forEach(function (match) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "place-suggestion";
        button.setAttribute("data-place", String(match.id));
        button.textContent = label(match, zh);
        button.addEventListener("click", function () {
          hidden.value = String(match.id);
          input.value = zh && match.name_zh ? match.name_zh : match.name;
          list.textContent = "";
          input.form.submit();
        });
        item.appendChild(button);
        list.appendChild(item);
      });
    }

    function ask() {
      var query = input.value.trim();
      if (!query || query === asked) { return; }
      asked = query;
      fetch(url + "?limit=8&q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { matches: [] }; })
        .then(function (data) { if (input.value.trim() === query) { show(data.matches || []); } })
        .catch(function () { show([]); });
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".place-search"), attach);
  });
}());
