// The exchange form's partnership field: once a place is chosen in it (js/places.js says so
// with "place-chosen"), its partnerships are listed by partner name ("巴黎 · 法国 · 1985") from
// /api/v1/places/{id}/partners, as the server lists them when the form comes back.
(function () {
  "use strict";

  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;

  function label(row) {
    var partner = row.partner;
    var name = zh ? (partner.name_zh || partner.name + "（" + document.documentElement.getAttribute("data-no-zh") + "）") : partner.name;
    var parts = [name, zh ? (partner.country_name_zh || partner.country_name) : partner.country_name];
    if (row.established) { parts.push(String(row.established).slice(0, 4)); }
    return parts.join(" · ");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".place-search[data-field='partnership_place_id']");
    var select = document.getElementById("partnership-choice");
    if (!box || !select) { return; }
    var status = box.parentNode.querySelector(".partnership-status");

    function reset() {
      select.textContent = "";
      var none = document.createElement("option");
      none.value = "";
      none.textContent = select.getAttribute("data-none");
      select.appendChild(none);
      if (status) { status.textContent = ""; }
    }

    box.addEventListener("place-cleared", reset);
    box.addEventListener("place-chosen", function (event) {
      reset();
      select.setAttribute("aria-busy", "true");
      fetch("/api/v1/places/" + encodeURIComponent(event.detail.id) + "/partners",
            { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { partners: [] }; })
        .then(function (data) {
          var rows = data.partners || [];
          rows.forEach(function (row) {
            var option = document.createElement("option");
            option.value = String(row.partnership_id);
            option.textContent = label(row);
            select.appendChild(option);
          });
          if (rows.length === 1) { select.value = String(rows[0].partnership_id); }
          if (status) { status.textContent = rows.length ? "" : select.getAttribute("data-empty"); }
        })
        .catch(function () { reset(); })
        .then(function () { select.removeAttribute("aria-busy"); });
    });
  });
}());
