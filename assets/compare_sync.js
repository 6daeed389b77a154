/* Scenarios side by side: when one compare map is panned or zoomed, the other follows.
   Plotly's relayout event of one map is replayed on the other (no server round trip); a flag
   keeps the replayed relayout from echoing back. */
(function () {
  "use strict";
  var IDS = ["planner-compare-map-a", "planner-compare-map-b"];
  function graph(id) {
    var el = document.getElementById(id);
    return el && el.querySelector(".js-plotly-plot");
  }
  function view(update) {
    var out = {};
    ["map.center", "map.zoom", "map.bearing", "map.pitch"].forEach(function (k) {
      if (update[k] !== undefined) out[k] = update[k];
    });
    return out;
  }
  function attach(gd, other) {
    if (!gd || !gd.on || gd._compareSynced) return;
    gd._compareSynced = true;
    gd.on("plotly_relayout", function (update) {
      if (gd._compareEcho) { gd._compareEcho = false; return; }
      var target = graph(other);
      var change = view(update || {});
      if (!target || !window.Plotly || Object.keys(change).length === 0) return;
      target._compareEcho = true;
      setTimeout(function () { target._compareEcho = false; }, 600);
      window.Plotly.relayout(target, change);
    });
  }
  setInterval(function () {
    attach(graph(IDS[0]), IDS[1]);
    attach(graph(IDS[1]), IDS[0]);
  }, 400);
})();
