// Annual report: the partners' map and the charts from data-* attributes (the search form's
// place suggestions are the shared js/places.js). No inline scripts, nothing from a CDN.
(function () {
  "use strict";

  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
  var esc = window.amityEscape;  // tooltips are HTML: every name goes through it

  function readJSON(element, name) {
    var raw = element.getAttribute(name);
    return raw ? JSON.parse(raw) : null;
  }

  function draw(element, option) {
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    window.addEventListener("beforeprint", function () { chart.resize(); });
    element.setAttribute("data-drawn", "true");
  }

  // As amity.core.i18n.place_name: the Chinese name on zh pages, else the local name, marked.
  function name(item) {
    if (!zh) { return item.name; }
    return item.name_zh || (item.name + "（" + document.documentElement.getAttribute("data-no-zh") + "）");
  }

  function partnerMap(element) {
    var place = readJSON(element, "data-place");
    var partners = readJSON(element, "data-partners") || [];
    fetch(element.getAttribute("data-geojson"))
      .then(function (response) { return response.json(); })
      .then(function (geojson) {
        if (!window.echarts.getMap("world")) { window.echarts.registerMap("world", geojson); }
        var home = place.lat === null ? [] : [[place.lon, place.lat]];
        draw(element, {
          animation: false,
          tooltip: { trigger: "item", formatter: function (p) { return esc(p.name); } },
          geo: {
            map: "world", roam: true, silent: true, left: 4, right: 4, top: 8, bottom: 8,
            itemStyle: { areaColor: "#eef2f5", borderColor: "#b9c4cc", borderWidth: 0.5 }
          },
          series: [
            {
              type: "lines", coordinateSystem: "geo", silent: true,
              data: home.length ? partners.map(function (p) {
                return {
                  coords: [home[0], [p.lon, p.lat]],
                  lineStyle: { color: p.dormant ? "#d9480f" : "#1f66a8" }
                };
              }) : [],
              lineStyle: { width: 1, opacity: 0.5, curveness: 0.2 }
            },
            {
              type: "scatter", coordinateSystem: "geo", symbolSize: 5,
              itemStyle: { color: "#1f66a8" },
              data: partners.map(function (p) { return { name: name(p), value: [p.lon, p.lat] }; })
            },
            {
              type: "scatter", coordinateSystem: "geo", symbolSize: 12,
              itemStyle: { color: "#d9480f" },
              data: home.length ? [{ name: name(place), value: home[0] }] : []
            }
          ]
        });
      });
  }

  function chart(element) {
    var values = readJSON(element, "data-series") || [];
    var labels = readJSON(element, "data-labels") || [];
    var kind = element.getAttribute("data-kind");
    if (!values.some(function (v) { return v > 0; })) {
      element.classList.add("is-empty");
      return;
    }
    if (kind === "pie") {
      draw(element, {
        animation: false,
        tooltip: { trigger: "item", formatter: function (p) { return esc(p.name) + ": " + esc(p.value) + " (" + esc(p.percent) + "%)"; } },
        series: [{
          type: "pie", radius: ["35%", "65%"],
          data: values.map(function (v, i) { return { value: v, name: labels[i] }; })
        }]
      });
      return;
    }
    var horizontal = kind === "bar";
    var category = { type: "category", data: labels, axisLabel: { interval: 0 } };
    var value = { type: "value", minInterval: 1 };
    draw(element, {
      animation: false,
      grid: { left: horizontal ? 110 : 36, right: 16, top: 10, bottom: 28 },
      tooltip: { trigger: "axis", formatter: function (ps) { return esc(ps[0].name) + ": " + esc(ps[0].value); } },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign(category, { inverse: true }) : value,
      series: [{ type: "bar", data: values, itemStyle: { color: "#1f66a8" } }]
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var map = document.getElementById("report-map");
    if (map && window.echarts) { partnerMap(map); }
    if (window.echarts) {
      Array.prototype.forEach.call(document.querySelectorAll(".report-chart"), chart);
    }
  });
}());
