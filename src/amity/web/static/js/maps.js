// Maps drawn with the vendored ECharts from data-* attributes (no inline scripts, no CDN).
(function () {
  "use strict";

  var lang = document.documentElement.lang || "en";
  var numberFormat = new Intl.NumberFormat(lang);
  var esc = window.amityEscape;  // tooltips are HTML: every name goes through it

  function readJSON(element, name) {
    var raw = element.getAttribute(name);
    return raw ? JSON.parse(raw) : null;
  }

  function loadWorld(element) {
    if (window.echarts.getMap("world")) {
      return Promise.resolve();
    }
    return fetch(element.getAttribute("data-geojson"))
      .then(function (response) { return response.json(); })
      .then(function (geojson) { window.echarts.registerMap("world", geojson); });
  }

  function draw(element, option) {
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    element.setAttribute("data-drawn", "true");
    return chart;
  }

  function worldMap(element) {
    var rows = readJSON(element, "data-series") || [];
    loadWorld(element).then(function () {
      draw(element, {
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            if (!p.data) { return ""; }
            return esc(p.data.label) + ": " + esc(numberFormat.format(p.data.value));
          }
        },
        visualMap: {
          type: "piecewise",
          left: 8,
          bottom: 8,
          pieces: [
            { min: 1000 }, { min: 200, max: 999 }, { min: 50, max: 199 },
            { min: 10, max: 49 }, { min: 1, max: 9 }
          ],
          inRange: { color: ["#cfe3f3", "#93c1e4", "#4f96cf", "#1f66a8", "#0b3a6f"] },
          outOfRange: { color: "#eeeeee" },
          textStyle: { color: "#333" }
        },
        series: [{
          type: "map",
          map: "world",
          roam: true,
          scaleLimit: { min: 1, max: 8 },
          left: 4, right: 4, top: 8, bottom: 8,
          emphasis: { label: { show: false }, itemStyle: { areaColor: "#f2b134" } },
          select: { disabled: true },
          itemStyle: { borderColor: "#ffffff", borderWidth: 0.5, areaColor: "#eeeeee" },
          data: rows
        }]
      }).on("click", function (p) {
        if (p.data && p.data.href) { window.location.href = p.data.href; }
      });
    });
  }

  function placeMap(element) {
    var place = readJSON(element, "data-place");
    var partners = readJSON(element, "data-partners") || [];
    if (!place) { return; }
    loadWorld(element).then(function () {
      draw(element, {
        tooltip: { trigger: "item", formatter: function (p) { return esc(p.name); } },
        geo: {
          map: "world",
          roam: true,
          silent: true,
          left: 4, right: 4, top: 8, bottom: 8,
          itemStyle: { areaColor: "#eef2f5", borderColor: "#b9c4cc", borderWidth: 0.5 }
        },
        series: [
          {
            type: "lines",
            coordinateSystem: "geo",
            silent: true,
            lineStyle: { color: "#1f66a8", width: 1, opacity: 0.5, curveness: 0.2 },
            data: partners.map(function (p) {
              return { coords: [[place.lon, place.lat], [p.lon, p.lat]] };
            })
          },
          {
            type: "scatter",
            coordinateSystem: "geo",
            symbolSize: 6,
            itemStyle: { color: "#1f66a8" },
            data: partners.map(function (p) {
              return { name: p.name, value: [p.lon, p.lat], href: p.href };
            })
          },
          {
            type: "scatter",
            coordinateSystem: "geo",
            symbolSize: 12,
            itemStyle: { color: "#d9480f" },
            data: [{ name: place.name, value: [place.lon, place.lat] }]
          }
        ]
      }).on("click", function (p) {
        if (p.data && p.data.href) { window.location.href = p.data.href; }
      });
    });
  }

  var world = document.getElementById("world-map");
  if (world) { worldMap(world); }
  var local = document.getElementById("place-map");
  if (local) { placeMap(local); }
})();
