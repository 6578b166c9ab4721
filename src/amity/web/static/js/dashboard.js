// Dashboard and network charts, drawn with the vendored ECharts from the JSON API (no CDN).
// Each [data-chart] section fetches its JSON twin after the first paint, shows a loading
// indicator meanwhile, and offers PNG (ECharts getDataURL) and CSV (from the same JSON).
(function () {
  "use strict";

  var root = document.getElementById("charts");
  if (!root || !window.echarts) { return; }
  var T = JSON.parse(root.getAttribute("data-text"));
  var esc = window.amityEscape;  // tooltips are HTML: every name goes through it
  var NAMES = JSON.parse(root.getAttribute("data-names"));
  var HOME = root.getAttribute("data-home") || "CN";
  var htmlLang = document.documentElement.lang || "en";
  var zh = htmlLang.indexOf("zh") === 0;
  var number = new Intl.NumberFormat(htmlLang);
  var decimal = new Intl.NumberFormat(htmlLang, { maximumFractionDigits: 3 });
  var percent = new Intl.NumberFormat(htmlLang, { style: "percent", maximumFractionDigits: 1 });
  var BLUES = ["#cfe3f3", "#93c1e4", "#4f96cf", "#1f66a8", "#0b3a6f"];
  var REGION_COLOURS = { east: "#d9480f", central: "#2b8a3e", west: "#7048e8", northeast: "#1098ad" };
  var FONT = zh ? "'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif" : "system-ui, sans-serif";

  // ---- data ---------------------------------------------------------------------------------

  var fetched = {};
  function getJSON(url) {
    if (!fetched[url]) {
      fetched[url] = fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
        if (!r.ok) { throw new Error(r.status + " " + url); }
        return r.json();
      });
      fetched[url].catch(function () { delete fetched[url]; });
    }
    return fetched[url];
  }

  var maps = {};
  function loadMap(name, url) {
    if (!maps[name]) {
      maps[name] = getJSON(url).then(function (geojson) { window.echarts.registerMap(name, geojson); });
    }
    return maps[name];
  }
  function world() { return loadMap("world", root.getAttribute("data-world-geojson")); }
  // China's file holds the main map and the South China Sea islands inset (feature property
  // `part`). Not registered as "china": ECharts adds its own small schematic of the islands to
  // a map of that name, which the inset replaces.
  function china() {
    if (!maps.china) {
      maps.china = getJSON(root.getAttribute("data-china-geojson")).then(function (geojson) {
        ["main", "inset"].forEach(function (part) {
          window.echarts.registerMap(part === "main" ? "amity-china" : "amity-nanhai", {
            type: "FeatureCollection",
            features: geojson.features.filter(function (f) { return f.properties.part === part; })
          });
        });
      });
    }
    return maps.china;
  }

  // As amity.core.i18n.place_name: the Chinese name on zh pages, else the local name, marked.
  function placeName(p) {
    if (!zh) { return p.name; }
    return p.name_zh || (p.name + "（" + document.documentElement.getAttribute("data-no-zh") + "）");
  }
  function countryName(row) {
    var iso2 = row.iso2 || row.country;
    if (NAMES.china_regions[iso2]) { return NAMES.china_regions[iso2]; }
    return (zh && row.name_zh) ? row.name_zh : (row.name_en || iso2);
  }
  function provinceName(code) { return NAMES.provinces[code] ? NAMES.provinces[code].name : code; }
  function regionName(code) { return T.regions[code] || code || "—"; }

  // ---- downloads ----------------------------------------------------------------------------

  function save(href, filename) {
    var a = document.createElement("a");
    a.href = href;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function csvText(rows) {
    if (!rows.length) { return ""; }
    var keys = Object.keys(rows[0]);
    function cell(v) {
      var s = v === null || v === undefined ? "" : String(v);
      return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    }
    var lines = [keys.join(",")];
    rows.forEach(function (row) { lines.push(keys.map(function (k) { return cell(row[k]); }).join(",")); });
    return lines.join("\r\n") + "\r\n";
  }

  function saveCSV(rows, filename) {
    // The byte-order mark lets spreadsheet programs read the Chinese names as UTF-8.
    var blob = new Blob(["\ufeff" + csvText(rows)], { type: "text/csv;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    save(url, filename);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  // ---- cards --------------------------------------------------------------------------------

  function makeCard(section, spec) {
    var box = section.querySelector(".chart");
    var status = section.querySelector(".chart-status");
    var twin = section.querySelector("a.json-twin");
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    var current = null;
    var seq = 0;
    window.addEventListener("resize", function () { chart.resize(); });

    function load() {
      var url = spec.url();
      var mine = ++seq;
      if (!url) { return; }
      twin.href = url;
      section.setAttribute("data-state", "loading");
      chart.showLoading({ text: T.loading, color: "#1f66a8", textColor: "#333", maskColor: "rgba(255,255,255,0.7)" });
      var ready = spec.needs ? spec.needs() : Promise.resolve();
      return Promise.all([getJSON(url), ready]).then(function (results) {
        if (mine !== seq) { return; }
        current = results[0];
        chart.hideLoading();
        var option = spec.option(current);
        option.textStyle = { fontFamily: FONT };
        option.animation = false;
        chart.setOption(option, true);
        status.textContent = spec.status ? spec.status(current) : "";
        section.setAttribute("data-state", "drawn");
      }).catch(function () {
        if (mine !== seq) { return; }
        chart.hideLoading();
        status.textContent = T.error;
        section.setAttribute("data-state", "error");
      });
    }

    section.querySelector("[data-action=png]").addEventListener("click", function () {
      save(chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" }), spec.file + ".png");
    });
    section.querySelector("[data-action=csv]").addEventListener("click", function () {
      if (current) { saveCSV(spec.rows(current), spec.file + ".csv"); }
    });
    if (spec.click) { chart.on("click", spec.click); }
    return { load: load, chart: chart };
  }

  function bars(labels, values, colours, valueFormat) {
    return {
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (ps) { return esc(ps[0].name) + ": " + esc((valueFormat || number.format)(ps[0].value)); }
      },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: function (v) { return number.format(v); } } },
      yAxis: { type: "category", data: labels, inverse: true, axisTick: { show: false } },
      series: [{
        type: "bar",
        name: T.partnerships,
        data: values.map(function (v, i) { return { value: v, itemStyle: { color: colours ? colours[i] : "#1f66a8" } }; }),
        label: { show: true, position: "right", formatter: function (p) { return (valueFormat || number.format)(p.value); } },
        barMaxWidth: 18
      }]
    };
  }

  // ---- place search (lines filter, ego network) ---------------------------------------------

  // The shared place field (templates/place_input.html, js/places.js) fills the hidden id and
  // sends the form when a suggestion is chosen; a name sent without a choice is taken when it
  // stands for one place, else the field says so.
  function placeSearch(form, onPick) {
    var box = form.querySelector(".place-search");
    var input = box.querySelector(".place-search-input");
    var note = box.querySelector(".place-note");
    function id() { var hidden = box.querySelector(".place-search-id"); return hidden ? hidden.value : ""; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = input.value.trim();
      if (!q) { onPick(null); return; }
      if (id()) { onPick({ id: Number(id()), name: q }); return; }
      getJSON(box.getAttribute("data-suggest") + "?limit=8&lang=" + (zh ? "zh" : "en") + "&q=" + encodeURIComponent(q)).then(function (answer) {
        var items = answer.suggestions || [];
        if (items.length === 1) { input.value = items[0].name; onPick({ id: items[0].id, name: items[0].name }); return; }
        note.textContent = box.getAttribute(items.length ? "data-ambiguous" : "data-unknown");
      });
    });
    // Another filter took over (or the page chose the place): the field shows that place's name
    // or nothing, and forgets an earlier choice.
    return {
      set: function (name) {
        input.value = name;
        var hidden = box.querySelector(".place-search-id");
        if (hidden) { hidden.value = ""; }
        box.querySelector(".place-context").textContent = "";
        note.textContent = "";
      }
    };
  }

  // ---- charts -------------------------------------------------------------------------------

  var specs = {};

  specs.lines = function (section) {
    var form = section.querySelector("form");
    var state = { country: form.country.value, province: "", place: null };
    var card = makeCard(section, {
      file: "partnership-lines",
      needs: world,
      url: function () {
        var q = [];
        if (state.place) { q.push("place=" + state.place.id); }
        else if (state.province) { q.push("province=" + state.province); }
        else if (state.country) { q.push("country=" + state.country); }
        return "/api/v1/lines" + (q.length ? "?" + q.join("&") : "");
      },
      option: function (data) {
        var byId = {};
        data.places.forEach(function (p) { byId[p.id] = p; });
        var dense = data.pairs.length > 1500;
        return {
          legend: { bottom: 8, left: 8, data: [T.partnerships, T.places] },
          tooltip: { trigger: "item", formatter: function (p) { return p.seriesType === "scatter" ? esc(p.name) : ""; } },
          geo: {
            map: "world", roam: true, left: 4, right: 4, top: 8, bottom: 40, silent: true,
            itemStyle: { areaColor: "#eef2f5", borderColor: "#b9c4cc", borderWidth: 0.5 }
          },
          series: [
            {
              name: T.partnerships, type: "lines", coordinateSystem: "geo", silent: true, large: dense,
              lineStyle: { color: "#1f66a8", width: 1, opacity: dense ? 0.12 : 0.45, curveness: 0.2 },
              data: data.pairs.map(function (pair) {
                var a = byId[pair[1]], b = byId[pair[2]];
                return { coords: [[a.lon, a.lat], [b.lon, b.lat]] };
              })
            },
            {
              name: T.places, type: "scatter", coordinateSystem: "geo", symbolSize: 4,
              itemStyle: { color: "#d9480f" },
              data: data.places.map(function (p) { return { name: placeName(p), value: [p.lon, p.lat], id: p.id }; })
            }
          ]
        };
      },
      status: function (data) {
        var shown = number.format(data.pairs.length);
        return T.shown + ": " + shown + " " + T.of + " " + number.format(data.count) + " " + T.pairs +
          (data.truncated ? " (" + T.truncated + ")" : "");
      },
      rows: function (data) {
        var byId = {};
        data.places.forEach(function (p) { byId[p.id] = p; });
        return data.pairs.map(function (pair) {
          var a = byId[pair[1]], b = byId[pair[2]];
          return {
            id: pair[0], a_id: a.id, a_name: placeName(a), a_country: a.country, a_lat: a.lat, a_lon: a.lon,
            b_id: b.id, b_name: placeName(b), b_country: b.country, b_lat: b.lat, b_lon: b.lon
          };
        });
      },
      click: function (p) { if (p.data && p.data.id) { window.location.href = "/places/" + p.data.id; } }
    });
    form.country.addEventListener("change", function () {
      state = { country: form.country.value, province: "", place: null };
      if (form.province) { form.province.value = ""; }
      search.set("");
      card.load();
    });
    if (form.province) {
      form.province.addEventListener("change", function () {
        state = { country: "", province: form.province.value, place: null };
        if (state.province) { form.country.value = ""; }
        search.set("");
        card.load();
      });
    }
    var search = placeSearch(form, function (place) {
      state = { country: place ? "" : form.country.value, province: "", place: place };
      if (place) { form.country.value = ""; if (form.province) { form.province.value = ""; } }
      card.load();
    });
    return card;
  };

  function countryRows(stats, view) {
    var rows = view === "home" ? stats.home.by_partner_country : stats.world.by_country;
    var result = rows.map(function (r) {
      return { name: r.iso2, value: r.pairs, label: countryName(r), share: r.share };
    });
    if (HOME === "CN" && view === "world") {
      var cn = result.filter(function (r) { return r.name === "CN"; })[0];
      // Hong Kong, Macao and Taiwan are regions of China: China's colour, never their own.
      result = result.filter(function (r) { return !NAMES.china_regions[r.name]; });
      if (cn) {
        Object.keys(NAMES.china_regions).forEach(function (code) {
          result.push({ name: code, value: cn.value, label: NAMES.china_regions[code] + " (" + T.home_region + ")", share: cn.share });
        });
      }
    }
    return result;
  }

  specs.choropleth = function (section) {
    var form = section.querySelector("form");
    var card = makeCard(section, {
      file: "partnerships-per-country",
      needs: world,
      url: function () { return section.getAttribute("data-src"); },
      option: function (stats) {
        var rows = countryRows(stats, form.view.value);
        return {
          tooltip: {
            trigger: "item",
            formatter: function (p) { return p.data ? esc(p.data.label) + ": " + esc(number.format(p.data.value)) : ""; }
          },
          visualMap: {
            type: "piecewise", left: 8, bottom: 8,
            pieces: [{ min: 1000 }, { min: 200, max: 999 }, { min: 50, max: 199 }, { min: 10, max: 49 }, { min: 1, max: 9 }],
            inRange: { color: BLUES }, outOfRange: { color: "#eeeeee" }
          },
          series: [{
            type: "map", map: "world", roam: true, name: T.partnerships,
            left: 4, right: 4, top: 8, bottom: 8, select: { disabled: true },
            emphasis: { label: { show: false }, itemStyle: { areaColor: "#f2b134" } },
            itemStyle: { borderColor: "#ffffff", borderWidth: 0.5, areaColor: "#eeeeee" },
            data: rows
          }]
        };
      },
      rows: function (stats) {
        return countryRows(stats, form.view.value).map(function (r) {
          return { iso2: r.name, country: r.label, pairs: r.value, share: r.share };
        });
      }
    });
    form.view.addEventListener("change", function () { card.load(); });
    return card;
  };

  function provinceRows(stats) {
    return stats.home.by_province.filter(function (r) { return r.code && NAMES.provinces[r.code]; });
  }

  // Taiwan, Hong Kong and Macao on the map of China: drawn and coloured like the provinces, with
  // their own foreign pairs, which the official count (mainland places only) leaves out.
  var REGION_DIVISIONS = { TW: "710000", HK: "810000", MO: "820000" };

  function divisionName(iso2) {
    return iso2 === "TW" ? T.taiwan : provinceName(REGION_DIVISIONS[iso2]);
  }

  // The South China Sea islands inset (南海诸岛), in the lower right as on the standard map.
  function insetGeo(box) {
    var height = Math.max(150, Math.min(260, box.clientHeight * 0.36));
    return {
      map: "amity-nanhai", silent: true, roam: false, right: 10, bottom: 10,
      width: Math.round(height * 0.625), height: Math.round(height),
      itemStyle: { areaColor: "#dfe3e7", borderColor: "#c4cad0", borderWidth: 0.5 },
      label: { show: false },
      regions: [
        { name: "frame", itemStyle: { areaColor: "#f3f8fc", borderColor: "#495057", borderWidth: 1 } },
        { name: "china", itemStyle: { areaColor: "#cfe3f3", borderColor: "#93c1e4", borderWidth: 0.5 } },
        { name: "islands", itemStyle: { areaColor: "#1f66a8", borderColor: "#1f66a8", borderWidth: 0.3 } },
        { name: "dashes", itemStyle: { borderColor: "#495057", borderWidth: 1.6 } }
      ]
    };
  }

  specs.china = function (section) {
    var box = section.querySelector(".chart");
    return makeCard(section, {
      file: "partnerships-per-province",
      needs: china,
      url: function () { return section.getAttribute("data-src"); },
      option: function (stats) {
        var rows = provinceRows(stats);
        var apart = stats.home.regions_foreign_by_region || {};
        var regions = Object.keys(REGION_DIVISIONS).filter(function (iso2) { return NAMES.china_regions[iso2]; });
        var max = Math.max.apply(null, rows.map(function (r) { return r.pairs; })
          .concat(regions.map(function (iso2) { return apart[iso2] || 0; })).concat([1]));
        var markers = ["east", "central", "west"].map(function (region, i) {
          return {
            name: regionName(region), type: "scatter", coordinateSystem: "geo",
            symbol: ["circle", "triangle", "diamond"][i], symbolSize: 9,
            itemStyle: { color: REGION_COLOURS[region], borderColor: "#fff", borderWidth: 1 },
            data: Object.keys(NAMES.provinces).filter(function (code) {
              return NAMES.provinces[code].region3 === region;
            }).map(function (code) {
              return { name: NAMES.provinces[code].name, value: NAMES.provinces[code].capital, code: code };
            })
          };
        });
        var data = rows.map(function (r) { return { name: r.code, value: r.pairs, label: provinceName(r.code), region: r.region3 }; });
        // A mainland division without a pair in the registry has 0, the scale's lowest colour.
        var drawn = {};
        data.forEach(function (d) { drawn[d.name] = true; });
        Object.keys(NAMES.provinces).forEach(function (code) {
          if (NAMES.provinces[code].region3 && !drawn[code]) {
            data.push({ name: code, value: 0, label: provinceName(code), region: NAMES.provinces[code].region3 });
          }
        });
        regions.forEach(function (iso2) {
          data.push({ name: REGION_DIVISIONS[iso2], value: apart[iso2] || 0, label: divisionName(iso2) + " · " + T.outside_count, apart: true });
        });
        var inset = insetGeo(box);
        return {
          legend: { top: 8, left: 8, data: markers.map(function (m) { return m.name; }) },
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              if (p.seriesType === "scatter") { return esc(p.seriesName) + ": " + esc(p.name); }
              if (!p.data) { return p.name === "dashes" ? "" : esc(provinceName(p.name)); }
              return esc(p.data.label) + ": " + esc(number.format(p.data.value)) + " " + esc(T.pairs);
            }
          },
          visualMap: {
            type: "continuous", min: 0, max: max, left: 8, bottom: 8, calculable: false,
            seriesIndex: 3, inRange: { color: BLUES }, text: [number.format(max), "0"]
          },
          geo: [{
            map: "amity-china", roam: true, left: 4, right: inset.width + 16, top: 40, bottom: 8,
            itemStyle: { areaColor: "#eeeeee", borderColor: "#ffffff", borderWidth: 0.6 },
            emphasis: { label: { show: false }, itemStyle: { areaColor: "#f2b134" } }, select: { disabled: true },
            regions: [{ name: "dashes", silent: true, itemStyle: { borderColor: "#495057", borderWidth: 1.6 } }]
          }, inset],
          graphic: [{
            type: "text", right: 16, bottom: 16, silent: true, z: 100,
            // Within the frame, on two lines where the name is longer than the frame is wide.
            style: { text: T.south_china_sea, fill: "#333", font: "11px " + FONT, width: inset.width - 12,
                     overflow: "break", stroke: "#f3f8fc", lineWidth: 3 }
          }],
          series: markers.concat([{
            type: "map", geoIndex: 0, name: T.partnerships, data: data
          }])
        };
      },
      rows: function (stats) {
        var apart = stats.home.regions_foreign_by_region || {};
        return provinceRows(stats).map(function (r) {
          return { code: r.code, province: provinceName(r.code), region: regionName(r.region3), pairs: r.pairs, share: r.share, places: r.places, official_count: true };
        }).concat(Object.keys(REGION_DIVISIONS).filter(function (iso2) { return NAMES.china_regions[iso2]; }).map(function (iso2) {
          return { code: REGION_DIVISIONS[iso2], province: divisionName(iso2), region: "", pairs: apart[iso2] || 0, share: null, places: null, official_count: false };
        }));
      }
    });
  };

  specs.top_countries = function (section) {
    return makeCard(section, {
      file: "top-partner-countries",
      url: function () { return section.getAttribute("data-src"); },
      option: function (stats) {
        var rows = stats.home.by_partner_country.slice(0, 15);
        return bars(rows.map(countryName), rows.map(function (r) { return r.pairs; }));
      },
      rows: function (stats) {
        return stats.home.by_partner_country.map(function (r) {
          return { iso2: r.iso2, country: countryName(r), pairs: r.pairs, share: r.share };
        });
      }
    });
  };

  specs.top_provinces = function (section) {
    return makeCard(section, {
      file: "top-provinces",
      url: function () { return section.getAttribute("data-src"); },
      option: function (stats) {
        var rows = provinceRows(stats).slice(0, 15);
        return bars(
          rows.map(function (r) { return provinceName(r.code); }),
          rows.map(function (r) { return r.pairs; }),
          rows.map(function (r) { return REGION_COLOURS[r.region3] || "#1f66a8"; })
        );
      },
      rows: function (stats) {
        return provinceRows(stats).map(function (r) {
          return { code: r.code, province: provinceName(r.code), region: regionName(r.region3), pairs: r.pairs, share: r.share };
        });
      }
    });
  };

  specs.regions = function (section) {
    return makeCard(section, {
      file: "regions-against-population",
      url: function () { return section.getAttribute("data-src"); },
      option: function (layout) {
        var rows = layout.provinces.regions3;
        return {
          legend: { top: 0 },
          tooltip: { trigger: "axis", valueFormatter: function (v) { return percent.format(v); } },
          grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
          xAxis: { type: "category", data: rows.map(function (r) { return regionName(r.region); }) },
          yAxis: { type: "value", axisLabel: { formatter: function (v) { return percent.format(v); } } },
          series: [
            { name: T.pairs_share, type: "bar", itemStyle: { color: "#1f66a8" }, data: rows.map(function (r) { return r.pairs_share; }),
              label: { show: true, position: "top", formatter: function (p) { return percent.format(p.value); } } },
            { name: T.population_share, type: "bar", itemStyle: { color: "#adb5bd" }, data: rows.map(function (r) { return r.population_share; }),
              label: { show: true, position: "top", formatter: function (p) { return percent.format(p.value); } } }
          ]
        };
      },
      rows: function (layout) {
        return layout.provinces.regions3.map(function (r) {
          return { region: regionName(r.region), pairs: r.pairs, pairs_share: r.pairs_share, population: r.population, population_share: r.population_share, ratio: r.ratio };
        });
      }
    });
  };

  specs.gaps = function (section) {
    return makeCard(section, {
      file: "province-gaps",
      url: function () { return section.getAttribute("data-src"); },
      option: function (layout) {
        var rows = layout.provinces.rows.slice().sort(function (a, b) { return b.gap - a.gap; });
        var option = bars(
          rows.map(function (r) { return provinceName(r.code); }),
          rows.map(function (r) { return Math.round(r.gap * 10) / 10; }),
          rows.map(function (r) { return r.gap >= 0 ? "#1f66a8" : "#e8590c"; }),
          function (v) { return (v > 0 ? "+" : "") + number.format(v); }
        );
        option.series[0].name = T.gap;
        option.series[0].label.position = "insideRight";
        option.series[0].label.show = false;
        option.yAxis.axisLabel = { interval: 0, fontSize: 11 };
        return option;
      },
      rows: function (layout) {
        return layout.provinces.rows.map(function (r) {
          return { code: r.code, province: provinceName(r.code), region: regionName(r.region3), pairs: r.pairs, population: r.population, per_million: r.per_million, expected_pairs: r.expected_pairs, gap: r.gap };
        });
      }
    });
  };

  specs.years = function (section) {
    return makeCard(section, {
      file: "pairs-by-year",
      url: function () { return section.getAttribute("data-src"); },
      option: function (stats) {
        var rows = stats.home.by_year.rows;
        var phases = stats.home.by_phase.rows;
        var shades = ["rgba(31,102,168,0.07)", "rgba(31,102,168,0.14)", "rgba(31,102,168,0.07)"];
        var last = rows.length ? rows[rows.length - 1].year : new Date().getFullYear();
        var bands = phases.map(function (p, i) {
          return [{ name: (zh ? p.name_zh : p.name_en) + "\n" + p.first + "–" + (p.last || ""), xAxis: p.first - 0.5,
                    itemStyle: { color: shades[i % shades.length] } },
                  { xAxis: (p.last || Math.max(last, p.first)) + 0.5 }];
        });
        return {
          legend: { top: 0, data: [T.signed_per_year, T.running_total] },
          tooltip: { trigger: "axis" },
          grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
          xAxis: { type: "value", min: Math.min(1973, rows.length ? rows[0].year : 1973) - 1, max: last + 1,
                   minInterval: 1, axisLabel: { formatter: function (v) { return String(v); } } },
          yAxis: [{ type: "value", name: T.signed_per_year, minInterval: 1 }, { type: "value", name: T.running_total, minInterval: 1, splitLine: { show: false } }],
          series: [
            { name: T.signed_per_year, type: "bar", itemStyle: { color: "#1f66a8" }, barMaxWidth: 14,
              data: rows.map(function (r) { return [r.year, r.pairs]; }),
              markArea: { silent: true, label: { position: "insideTop", fontSize: 11, color: "#333" }, data: bands } },
            { name: T.running_total, type: "line", yAxisIndex: 1, symbolSize: 5, itemStyle: { color: "#d9480f" },
              data: rows.map(function (r) { return [r.year, r.cumulative]; }) }
          ]
        };
      },
      status: function (stats) {
        var y = stats.home.by_year;
        return T.dated_share.replace("{dated}", number.format(y.dated)).replace("{total}", number.format(y.dated + y.undated));
      },
      rows: function (stats) {
        return stats.home.by_year.rows.map(function (r) {
          return { year: r.year, pairs: r.pairs, cumulative: r.cumulative, phase: r.phase };
        });
      }
    });
  };

  // A date ("2015", "2016-11", "2015-07-01") as a year with its fraction, for a value axis of years.
  function yearOf(date) {
    var parts = String(date).split("-").map(Number);
    var start = Date.UTC(parts[0], 0, 1);
    var at = Date.UTC(parts[0], (parts[1] || 1) - 1, parts[2] || 1);
    return parts[0] + (at - start) / (Date.UTC(parts[0] + 1, 0, 1) - start);
  }

  specs.coverage = function (section) {
    return makeCard(section, {
      file: "coverage",
      url: function () { return section.getAttribute("data-src"); },
      option: function (stats) {
        var coverage = stats.coverage;
        var official = coverage.official;
        var registry = coverage.registry.pairs;
        // Years on a value axis, spaced by time and labelled once each: the official totals at
        // their dates, the registry's dated pairs by the end of each year, and its current
        // total (dated or not) as a dashed level up to today.
        var today = new Date().toISOString().slice(0, 10);
        var first = official.length ? yearOf(official[0].as_of) : 1973;
        if (coverage.growth.length) { first = Math.min(first, coverage.growth[0].year); }
        var series = [
          { name: T.official, type: "line", symbolSize: 7, itemStyle: { color: "#1f66a8" },
            data: official.map(function (r) { return { value: [yearOf(r.as_of), r.pairs], when: r.as_of }; }) },
          { name: T.registry, type: "line", symbol: "none", lineStyle: { color: "#d9480f", type: "dashed" },
            itemStyle: { color: "#d9480f" },
            data: [{ value: [first, registry], when: "" }, { value: [yearOf(today), registry], when: today }],
            endLabel: { show: true, formatter: function () { return number.format(registry); }, color: "#d9480f" } }
        ];
        var legend = [T.official, T.registry];
        if (coverage.growth.length) {
          series.push({ name: T.registry_dated, type: "line", step: "end", symbol: "none", itemStyle: { color: "#2b8a3e" },
                        data: coverage.growth.map(function (r) { return { value: [r.year + 1, r.pairs], when: String(r.year) }; }) });
          legend.push(T.registry_dated);
        }
        return {
          legend: { top: 0, data: legend },
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              return esc(p.seriesName) + (p.data.when ? " (" + esc(p.data.when) + ")" : "") + ": " + esc(number.format(p.value[1]));
            }
          },
          grid: { left: 8, right: 48, top: 36, bottom: 8, containLabel: true },
          xAxis: {
            type: "value", minInterval: 1, min: Math.floor(first) - 1, max: Math.ceil(yearOf(today)),
            axisLabel: { formatter: function (v) { return Number.isInteger(v) ? String(v) : ""; } }
          },
          yAxis: { type: "value", axisLabel: { formatter: function (v) { return number.format(v); } } },
          series: series
        };
      },
      rows: function (stats) {
        return stats.coverage.official.map(function (r) {
          return { as_of: r.as_of, official_pairs: r.pairs, registry_pairs: stats.coverage.registry.pairs, pairs_share: r.pairs_share, partner_countries: r.partner_countries, source: r.source };
        });
      }
    });
  };

  function powerLawLine(fit, maxDegree) {
    // Expected number of places of each degree k >= xmin under the fit: n_tail k^-a / sum j^-a.
    if (!fit || !fit.alpha) { return []; }
    var norm = 0;
    for (var j = fit.xmin; j < 100000; j += 1) { norm += Math.pow(j, -fit.alpha); }
    var points = [];
    for (var k = fit.xmin; k <= maxDegree; k = Math.max(k + 1, Math.round(k * 1.15))) {
      points.push([k, fit.tail_nodes * Math.pow(k, -fit.alpha) / norm]);
    }
    return points;
  }

  specs.degree = function (section) {
    return makeCard(section, {
      file: "degree-distribution",
      url: function () { return section.getAttribute("data-src"); },
      option: function (report) {
        var dist = report.degree.distribution.filter(function (r) { return r.degree > 0; });
        var fit = report.degree.power_law;
        var fitName = T.fit + (fit && fit.alpha ? " (α = " + decimal.format(fit.alpha) + ")" : "");
        return {
          legend: { top: 0, data: [T.places, fitName] },
          tooltip: { trigger: "item", formatter: function (p) { return esc(number.format(p.value[0])) + " → " + esc(decimal.format(p.value[1])); } },
          grid: { left: 8, right: 24, top: 36, bottom: 28, containLabel: true },
          xAxis: { type: "log", name: T.degree, nameLocation: "middle", nameGap: 24, logBase: 10 },
          yAxis: { type: "log", name: T.places_count, logBase: 10 },
          series: [
            { name: T.places, type: "scatter", symbolSize: 6, itemStyle: { color: "#1f66a8" },
              data: dist.map(function (r) { return [r.degree, r.count]; }) },
            { name: fitName, type: "line", symbol: "none", lineStyle: { color: "#d9480f", width: 2 },
              data: powerLawLine(fit, report.degree.max) }
          ]
        };
      },
      rows: function (report) {
        return report.degree.distribution.map(function (r) { return { degree: r.degree, places: r.count }; });
      }
    });
  };

  specs.distance = function (section) {
    return makeCard(section, {
      file: "partnership-lengths",
      url: function () { return section.getAttribute("data-src"); },
      option: function (report) {
        var rows = report.geography.histogram_1000km || [];
        return {
          tooltip: { trigger: "axis" },
          grid: { left: 8, right: 16, top: 16, bottom: 28, containLabel: true },
          xAxis: { type: "category", name: "km", data: rows.map(function (r) { return number.format(r.from_km); }) },
          yAxis: { type: "value", name: T.partnerships, axisLabel: { formatter: function (v) { return number.format(v); } } },
          series: [{ name: T.partnerships, type: "bar", itemStyle: { color: "#1f66a8" }, data: rows.map(function (r) { return r.pairs; }) }]
        };
      },
      rows: function (report) {
        return (report.geography.histogram_1000km || []).map(function (r) { return { from_km: r.from_km, to_km: r.from_km + 1000, pairs: r.pairs }; });
      }
    });
  };

  specs.ego = function (section) {
    var form = section.querySelector("form");
    var state = { id: Number(section.getAttribute("data-place")) || null };
    var card = makeCard(section, {
      file: "ego-network",
      url: function () {
        return state.id ? "/api/v1/network/ego/" + state.id + "?radius=" + form.radius.value : null;
      },
      option: function (ego) {
        var categories = [T.centre, T.hop, T.hop2, T.hop3];
        var box = section.querySelector(".chart");
        return {
          legend: { top: 0, data: categories.slice(0, ego.radius + 1) },
          tooltip: { trigger: "item", formatter: function (p) { return p.dataType === "node" ? esc(p.data.label) : ""; } },
          series: [{
            type: "graph", layout: "force", roam: true, draggable: true, top: 36,
            categories: categories.map(function (name, i) {
              return { name: name, itemStyle: { color: ["#d9480f", "#1f66a8", "#74c0fc", "#ced4da"][i] } };
            }),
            force: { repulsion: ego.nodes.length > 150 ? 40 : 120, edgeLength: [30, 90], gravity: 0.15 },
            label: { show: ego.nodes.length <= 60, position: "right", fontSize: 10 },
            lineStyle: { color: "#adb5bd", opacity: 0.6, width: 0.8 },
            data: ego.nodes.map(function (n) {
              var label = placeName(n) + " · " + countryName({ iso2: n.country, name_en: n.country });
              return {
                id: String(n.id), name: placeName(n), label: label, category: n.hops, placeId: n.id,
                symbolSize: n.hops === 0 ? 22 : (n.hops === 1 ? 9 : 5),
                // The chosen place stays in the middle; its partners settle around it.
                fixed: n.hops === 0, x: n.hops === 0 ? box.clientWidth / 2 : undefined,
                y: n.hops === 0 ? box.clientHeight / 2 : undefined
              };
            }),
            links: ego.edges.map(function (e) { return { source: String(e.source), target: String(e.target) }; })
          }]
        };
      },
      status: function (ego) {
        return placeName(ego.center) + ": " + number.format(ego.nodes.length) + " " + T.places + ", " +
          number.format(ego.edges.length) + " " + T.pairs + (ego.truncated ? " (" + T.truncated + ")" : "");
      },
      rows: function (ego) {
        var byId = {};
        ego.nodes.forEach(function (n) { byId[n.id] = n; });
        return ego.edges.map(function (e) {
          return { id: e.id, source_id: e.source, source: placeName(byId[e.source]), target_id: e.target, target: placeName(byId[e.target]), kind: e.kind, level: e.level, status: e.status };
        });
      },
      click: function (p) { if (p.dataType === "node" && p.data.placeId) { window.location.href = "/places/" + p.data.placeId; } }
    });
    var search = placeSearch(form, function (place) { if (place) { state.id = place.id; card.load(); } });
    form.radius.addEventListener("change", function () { card.load(); });
    card.start = function () {
      if (state.id) { return card.load(); }
      // No place chosen yet: the place with the most partners.
      return getJSON("/api/v1/statistics").then(function (stats) {
        var top = stats.home.top_places[0] || stats.world.top_places[0];
        if (top) { state.id = top.id; search.set(placeName(top)); }
        return card.load();
      });
    };
    return card;
  };

  // ---- figures (layout panel) ---------------------------------------------------------------

  function fillFigures(section) {
    getJSON(section.getAttribute("data-src")).then(function (data) {
      section.querySelectorAll("[data-field]").forEach(function (dd) {
        var value = dd.getAttribute("data-field").split(".").reduce(function (o, k) { return o ? o[k] : null; }, data);
        if (value === null || value === undefined) { dd.textContent = "—"; return; }
        dd.textContent = dd.getAttribute("data-format") === "percent" ? percent.format(value) : decimal.format(value);
      });
      section.setAttribute("data-state", "drawn");
    }).catch(function () { section.setAttribute("data-state", "error"); });
  }

  // ---- start --------------------------------------------------------------------------------

  function start() {
    document.querySelectorAll("[data-chart]").forEach(function (section) {
      var make = specs[section.getAttribute("data-chart")];
      if (!make) { return; }
      var card = make(section);
      if (card.start) { card.start(); } else { card.load(); }
    });
    document.querySelectorAll("[data-figures]").forEach(fillFigures);
  }
  // Charts start after the first paint, so the page shows at once with a spinner in each box.
  window.requestAnimationFrame(function () { setTimeout(start, 0); });
})();
