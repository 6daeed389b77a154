/* Grid names drawn by the app over the map, as HTML: the map itself would fetch glyphs from
   the internet to draw text. Reads names (trace.text) and label points (trace.customdata) of
   the grid trace; repositions on every map move, and waits while the map holds its previous
   picture. Nothing is requested from anywhere. */
(function () {
  "use strict";
  var MAX_LABELS = 120;

  function mapOf(gd) {
    var full = gd && gd._fullLayout;
    return full && full.map && full.map._subplot && full.map._subplot.map;
  }

  function draw(gd) {
    var map = mapOf(gd);
    var layer = gd._gridLabels;
    if (!map || !layer) return;
    if (map.__gridmapHolding) {
      // The map still shows the previous picture (assets/map_sources.js draws an update's
      // frame once its tiles are in): the new names wait for it, the old ones are hidden.
      layer.style.visibility = "hidden";
      layer._pending = true;
      return;
    }
    layer._pending = false;
    layer.style.visibility = "";
    var trace = gd.data && gd.data[0];
    var names = (trace && trace.text) || [];
    var points = (trace && trace.customdata) || [];
    if (!points.length || points.length > MAX_LABELS) {
      layer.textContent = "";
      return;
    }
    if (layer.childElementCount !== points.length || layer._names !== names) {
      layer.textContent = "";
      for (var i = 0; i < points.length; i++) {
        var div = document.createElement("div");
        div.className = "map-label";
        div.textContent = names[i];
        layer.appendChild(div);
      }
      layer._names = names;
    }
    var w = layer.clientWidth, h = layer.clientHeight;
    for (var j = 0; j < points.length; j++) {
      var p = map.project(points[j]);
      var el = layer.children[j];
      var inside = p.x > 0 && p.y > 0 && p.x < w && p.y < h;
      el.style.display = inside ? "" : "none";
      el.style.transform = "translate(" + Math.round(p.x) + "px," + Math.round(p.y) + "px)";
    }
  }

  function attach(gd) {
    var map = mapOf(gd);
    if (!map || gd._gridLabelsMap === map) return;
    gd._gridLabelsMap = map;
    var layer = document.createElement("div");
    layer.className = "map-labels";
    map.getContainer().appendChild(layer);
    gd._gridLabels = layer;
    var redraw = function () { draw(gd); };
    map.on("move", redraw);
    map.on("resize", redraw);
    map.on("render", function () {
      if (layer._pending && !map.__gridmapHolding) draw(gd);
    });
    gd.on("plotly_afterplot", redraw);
    redraw();
  }

  setInterval(function () {
    var graphs = document.querySelectorAll(".map-graph .js-plotly-plot");
    for (var i = 0; i < graphs.length; i++) attach(graphs[i]);
  }, 400);
})();
