/* Planner map clicks: MapLibre's click position (lon, lat) and zoom, written to the planner's
   click store. Plotly reports clicks on traces only; the planner needs every click. */
(function () {
  "use strict";
  function attach(gd) {
    var full = gd && gd._fullLayout;
    var map = full && full.map && full.map._subplot && full.map._subplot.map;
    if (!map || gd._plannerClickMap === map) return;
    gd._plannerClickMap = map;
    map.on("click", function (e) {
      if (!window.dash_clientside || !window.dash_clientside.set_props) return;
      window.dash_clientside.set_props("planner-click-store", {
        data: { lon: e.lngLat.lng, lat: e.lngLat.lat, zoom: map.getZoom(), t: Date.now() },
      });
    });
  }
  setInterval(function () {
    var graphs = document.querySelectorAll(".planner-map .js-plotly-plot");
    for (var i = 0; i < graphs.length; i++) attach(graphs[i]);
  }, 400);
})();
