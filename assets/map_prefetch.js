/* Each level's grid geometry, fetched once the first map is drawn and the page is idle.

   A drill to a level not seen yet waited for that level's GeoJSON (up to 1.5 MB to download
   and parse: 0.5-0.7 s here) before Plotly could draw it. The URLs are in the page
   (#geo-prefetch, data-urls); Plotly keeps fetched GeoJSON in window.PlotlyGeoAssets by URL
   and fetches nothing it finds there. One file at a time, the next level down first. */
(function () {
  "use strict";

  function mapDrawn() {
    var gd = document.querySelector("#map-graph .js-plotly-plot");
    var full = gd && gd._fullLayout;
    var map = full && full.map && full.map._subplot && full.map._subplot.map;
    return !!(map && map.loaded() && map.areTilesLoaded());
  }

  function idle(fn) {
    if (window.requestIdleCallback) window.requestIdleCallback(fn, { timeout: 3000 });
    else setTimeout(fn, 200);
  }

  function fetchAll(urls) {
    var assets = (window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} });
    var url = urls.shift();
    if (!url) return;
    if (assets[url]) return idle(function () { fetchAll(urls); });  // Plotly has it
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (geo) {
        if (geo && !(assets[url] && assets[url] !== "pending")) assets[url] = geo;
        idle(function () { fetchAll(urls); });
      })
      .catch(function () { /* Plotly fetches it itself when a drill needs it */ });
  }

  var timer = setInterval(function () {
    var el = document.getElementById("geo-prefetch");
    if (!el || !mapDrawn()) return;
    clearInterval(timer);
    var urls = (el.getAttribute("data-urls") || "").split(" ").filter(Boolean);
    // A second after the first map: its own last frames and the panels' requests go first.
    setTimeout(function () { idle(function () { fetchAll(urls); }); }, 1000);
  }, 500);
})();
