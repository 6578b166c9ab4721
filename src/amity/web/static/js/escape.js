// The one escape for text that a chart puts into HTML. ECharts tooltips are HTML: a formatter's
// string becomes markup, so a place named `<img src=x onerror=...>` would become an element.
// Every formatter passes names and any other data string through amityEscape (loaded by
// base.html on every page, before the chart scripts).
(function () {
  "use strict";

  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };

  window.amityEscape = function (value) {
    if (value === null || value === undefined) { return ""; }
    return String(value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  };
}());
