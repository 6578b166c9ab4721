// Index pages: the rank-interval chart of the ranking and the pillar radar of a city or a pair.
(function () {
  "use strict";

  var esc = window.amityEscape;  // tooltips are HTML: every name goes through it

  function json(el, name) {
    return JSON.parse(el.getAttribute(name) || "null");
  }

  // As amity.core.i18n.place_name: the Chinese name on zh pages, else the local name, marked.
  function placeName(p, zh) {
    if (!zh) { return p.name; }
    return p.name_zh || (p.name + "（" + document.documentElement.getAttribute("data-no-zh") + "）");
  }

  function intervals(el) {
    var rows = json(el, "data-rows") || [];
    var text = json(el, "data-text") || {};
    var zh = el.getAttribute("data-locale") === "zh";
    var names = rows.map(function (r) { return placeName(r, zh); });
    var chart = echarts.init(el);
    chart.setOption({
      grid: { left: 160, right: 30, top: 30, bottom: 30 },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (ps) {
          var r = rows[ps[0].dataIndex];
          return esc(ps[0].name) + ": " + esc(text.interval) + " " + esc(r.rank_low) + "–" +
            esc(r.rank_high) + ", " + esc(text.median) + " " + esc(r.median_rank);
        }
      },
      legend: { data: [text.interval, text.median] },
      xAxis: { type: "value", name: text.rank, inverse: false, min: 1 },
      yAxis: { type: "category", data: names, inverse: true },
      series: [
        { name: "low", type: "bar", stack: "interval", silent: true,
          itemStyle: { color: "transparent" }, data: rows.map(function (r) { return r.rank_low; }) },
        { name: text.interval, type: "bar", stack: "interval", barWidth: 8,
          itemStyle: { color: "#9ecae1" },
          data: rows.map(function (r) { return Math.max(r.rank_high - r.rank_low, 0.5); }) },
        { name: text.median, type: "scatter", symbolSize: 8, itemStyle: { color: "#08519c" },
          data: rows.map(function (r) { return r.median_rank; }) }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function radar(el) {
    var data = json(el, "data-radar");
    if (!data || !data.axes.length) { return; }
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: {
        formatter: function (p) {
          return esc(p.name) + "<br>" + data.axes.map(function (a, i) {
            return esc(a) + ": " + esc(p.value[i]);
          }).join("<br>");
        }
      },
      legend: { data: data.series.map(function (s) { return s.name; }), bottom: 0 },
      radar: { indicator: data.axes.map(function (a) { return { name: a, max: 100 }; }) },
      series: [{ type: "radar", data: data.series.map(function (s) {
        return { name: s.name, value: s.values.map(function (v) { return v === null ? 0 : v; }) };
      }) }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") { return; }
    var el = document.getElementById("index-intervals");
    if (el) { intervals(el); }
    el = document.getElementById("index-radar");
    if (el) { radar(el); }
  });
}());
