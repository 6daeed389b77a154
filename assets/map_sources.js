/* Plotly map updates that leave unchanged traces alone, and apply at once; tiles cut once for
   the deeper levels; a click's request sent before the map draws its next frame; one painted
   frame per update, once its tiles are in; layers kept in place while their stacking holds.

   On every figure update (a drill's Patch, a filter, a recolour) Plotly's map subplot calls
   update() on each of its traces, and each update re-sets the trace's MapLibre source: the
   posts, the outline and the heat were sent to MapLibre's worker, cut into tiles again and
   drawn again although nothing in them had changed, and each source that came back late cost
   one more frame (100-300 ms each with software WebGL). Here a trace's update is skipped when
   its input (the figure's own JSON for that trace) and its layer position are those it last
   drew. The patch is on the map subplot's prototype, installed once the first map exists. */
(function () {
  "use strict";

  function key(subplot, trace) {
    // The trace as the figure gives it, and where its layers go (the layout's layers decide).
    return JSON.stringify(trace._input) + "|" + subplot.belowLookup["trace-" + trace.uid];
  }

  function carry(from, to) {
    // What a trace's update() computes beside its source, kept from the update that drew the
    // same input: each point's feature, centroid and polygons (hover and clicks find a grid by
    // them), the trace's layer options, and the trace object hover and selection look up.
    for (var i = 0; i < to.length && i < from.length; i++) {
      for (var k in from[i]) if (!(k in to[i])) to[i][k] = from[i][k];
    }
    var was = from[0].trace, now = to[0].trace;
    if (was._opts && !now._opts) now._opts = was._opts;
  }

  function wrap(subplot, obj, calcTrace) {
    if (obj.__gridmapUpdate) return;
    var update = obj.update;
    obj.__gridmapUpdate = true;
    obj.__gridmapKey = key(subplot, calcTrace[0].trace);
    obj.__gridmapCalc = calcTrace;
    obj.update = function (next) {
      var k = key(this.subplot, next[0].trace);
      var last = this.__gridmapCalc;
      this.__gridmapCalc = next;
      if (k === this.__gridmapKey && last && last.length === next.length) {
        carry(last, next);
        if (this.type !== "densitymap") next[0].trace._glTrace = this;
        return;
      }
      this.__gridmapKey = k;
      return update.call(this, next);
    };
  }

  function instant(subplot) {
    // Changes drawn at once. MapLibre fades its symbol placement in over 300 ms after every
    // change (this map draws no symbol: its labels are the page's own), drawing frame after
    // frame meanwhile: a drill took two or three frames more. Its paint values fade in over
    // 300 ms too; Plotly's style object asks for none, but that never reaches MapLibre.
    var map = subplot.map;
    if (!map) return;
    map._fadeDuration = 0;
    if (map.style && map.style.stylesheet) {
      map.style.stylesheet.transition = { duration: 0, delay: 0 };
    }
  }

  // Tiles cut once for every deeper level. MapLibre cuts a GeoJSON source into tiles for each
  // zoom it is shown at (up to zoom 18): every drill asked its worker for new tiles of every
  // source (grids, outlines, roads, water, posts, heat), and the batches that came back late
  // cost a frame each (one worker on this machine's two cores). Cut no deeper than zoom
  // MAX_TILE_ZOOM, tiles are drawn magnified below it: at zoom 16 a tile unit is about 2 m, a
  // pixel 1.9 m. The shapes are simplified on the server already (shared edges kept shared),
  // so these tiles keep every vertex (tolerance 0) and neighbouring grids still meet. A source
  // of more than MANY_FEATURES polygons or MANY_VERTICES vertices (a whole level's grids, the
  // planner's coverage, seen at the district's zoom) keeps MapLibre's own tiles, simplified for
  // each zoom: every vertex of 6,438 grids at the district's zoom would slow its recolour.
  var MAX_TILE_ZOOM = 11;
  var MANY_FEATURES = 2000;
  var MANY_VERTICES = 20000;
  var OWN = { maxzoom: 18, tolerance: 0.375 }; // MapLibre's defaults (tolerance in pixels)

  function many(data) {
    // Many polygons or many vertices (the heat's thousands of points need no vertex kept).
    var features = data && typeof data === "object" && data.features;
    if (!features || !features.length) return false;
    var geometry = features[0] && features[0].geometry;
    if (!geometry || String(geometry.type).indexOf("Polygon") < 0) return false;
    if (features.length > MANY_FEATURES) return true;
    var vertices = 0;
    function count(c) {
      if (typeof c[0] === "number") return (vertices += 1);
      for (var i = 0; i < c.length && vertices <= MANY_VERTICES; i++) count(c[i]);
    }
    for (var i = 0; i < features.length && vertices <= MANY_VERTICES; i++) {
      var g = features[i].geometry;
      if (g && g.coordinates) count(g.coordinates);
    }
    return vertices > MANY_VERTICES;
  }

  function tuned(options) {
    if (!options || options.type !== "geojson" || options.maxzoom !== undefined) return options;
    var out = {};
    for (var k in options) out[k] = options[k];
    var own = many(options.data);
    out.maxzoom = own ? OWN.maxzoom : MAX_TILE_ZOOM;
    out.tolerance = own ? OWN.tolerance : 0;
    return out;
  }

  function fit(source, data) {
    // A source's tiles follow its data: few features cut once, many cut per zoom.
    var vt = source.workerOptions && source.workerOptions.geojsonVtOptions;
    if (!vt || source.type !== "geojson") return;
    var own = many(data);
    source.maxzoom = vt.maxZoom = own ? OWN.maxzoom : MAX_TILE_ZOOM;
    vt.tolerance = own ? source._pixelsToTileUnits(OWN.tolerance) : 0;
  }

  function tileOnce(map) {
    if (!map || map.__gridmapTiles) return;
    map.__gridmapTiles = true;
    var addSource = map.addSource;
    map.addSource = function (id, options) {
      return addSource.call(this, id, tuned(options));
    };
    var managers = (map.style && map.style.tileManagers) || {};
    for (var id in managers) {
      var source = map.getSource(id);
      if (!source || source.type !== "geojson" || !source.setData) continue;
      var proto = Object.getPrototypeOf(source);
      if (!proto.__gridmapFit) {
        proto.__gridmapFit = true;
        var setData = proto.setData;
        proto.setData = function (data) {
          fit(this, data);
          return setData.call(this, data);
        };
      }
      // The first plot's sources, made before: cut anew with the same rule.
      var data = source._data || {};
      var now = data.url !== undefined ? data.url : data.geojson;
      if (now !== undefined && source.maxzoom !== (many(now) ? OWN.maxzoom : MAX_TILE_ZOOM)) {
        source.setData(now);
      }
    }
  }

  // One frame per update, drawn once every source has its tiles. A drill's update moves the
  // camera and re-sets sources, and MapLibre then drew a frame at once (the old tiles, or none,
  // at the new camera) and one more as each source's tiles came back from its worker. With
  // software WebGL each frame held the page's thread for 80-130 ms (the canvas is read back
  // for the compositor). While an update's tiles load, frames paint nothing (the previous
  // picture stays up; map.__gridmapHolding tells the labels); the first frame with every
  // source's new data and every tile loaded paints, or the first after FLIP_MS.
  var FLIP_MS = 700;

  function ready(map) {
    // Every source has its new data (a GeoJSON source's worker is done with it: until then
    // its old tiles count as loaded) and the tiles of this camera.
    return map.areTilesLoaded() && !!map.style && map.style.loaded();
  }

  function flip(map) {
    var painter = map && map.painter;
    if (!painter) return;
    var state = painter.__gridmapFlip;
    if (!state) {
      var render = painter.render;
      state = painter.__gridmapFlip = { until: 0, timer: null };
      painter.render = function () {
        // A camera the user or the wall's tour moves is drawn as it goes.
        if (performance.now() < state.until && !ready(map) && !map.isMoving()) {
          map.__gridmapHolding = true;
          return;
        }
        state.until = 0;
        map.__gridmapHolding = false;
        return render.apply(this, arguments);
      };
    }
    map.__gridmapFlipStart = performance.now();
    state.until = map.__gridmapFlipStart + FLIP_MS;
    map.__gridmapHolding = true; // until a frame paints (the camera may move before)
    clearTimeout(state.timer);
    state.timer = setTimeout(function () {
      state.until = 0;
      if (map.__gridmapHolding) map.triggerRepaint();
    }, FLIP_MS);
  }

  // Layers re-added only when their stacking changes. Where several traces or basemap layers
  // share one "below" (every trace's default, and the basemap's "traces"), Plotly clears their
  // stored position on every update so that each is removed and added again in order, and
  // MapLibre then reloads each one's source: the grids, the heat, the outline and every basemap
  // layer (6,386 minor roads) were cut into tiles again on each drill, twice for the changed
  // ones. When the traces and layers and their "below" are those already drawn (the same
  // stacking), the positions Plotly cleared are put back and nothing is re-added.
  function signature(subplot, fullLayout) {
    // The "below" of every trace and layer, and each basemap layer's source and visibility: a
    // layer shown, hidden or given a new source is added again by Plotly, in its own place.
    var full = fullLayout && fullLayout[subplot.id];
    var layers = ((full && full.layers) || []).map(function (l) {
      return [l.visible, l.sourcetype, l.type, l.source];
    });
    return JSON.stringify([subplot.belowLookup, layers]);
  }

  function keepStacking(proto) {
    var fill = proto.fillBelowLookup;
    if (!fill) return;
    proto.fillBelowLookup = function () {
      var traces = this.traceHash || {}, layers = this.layerList || [], was = {}, id, i;
      for (id in traces) was["trace-" + id] = traces[id].below;
      for (i = 0; i < layers.length; i++) if (layers[i]) was["layout-" + i] = layers[i].below;
      var out = fill.apply(this, arguments);
      var stacking = signature(this, arguments[1]);
      if (stacking === this.__gridmapStacking) {
        var lookup = this.belowLookup;
        for (id in traces) {
          var key = "trace-" + id;
          // (null: a trace whose update was skipped since Plotly last cleared it; in place.)
          if (traces[id].below === null && (was[key] === lookup[key] || was[key] === null)) {
            traces[id].below = lookup[key];
          }
        }
        for (i = 0; i < layers.length; i++) {
          var k = "layout-" + i;
          if (layers[i] && layers[i].below === null && (was[k] === lookup[k] || was[k] === null)) {
            layers[i].below = lookup[k];
          }
        }
      }
      this.__gridmapStacking = stacking;
      return out;
    };
  }

  function patch(proto) {
    if (proto.__gridmapPatched) return;
    proto.__gridmapPatched = true;
    keepStacking(proto);
    var updateData = proto.updateData;
    proto.updateData = function (calcData) {
      instant(this);
      tileOnce(this.map);
      flip(this.map);
      var out = updateData.call(this, calcData);
      // Traces drawn for the first time: what they drew is the key their next update meets.
      for (var i = 0; i < calcData.length; i++) {
        var obj = this.traceHash[calcData[i][0].trace.uid];
        if (obj) wrap(this, obj, calcData[i]);
      }
      return out;
    };
  }

  // A click on a map answers first, and draws after. MapLibre asks for a frame on the
  // button's release (its handlers look for a drag); with software WebGL that frame takes
  // 80-110 ms, and it ran before Dash sent the click's request: every drill waited on a frame
  // that showed nothing new. Frames asked for after a click are held until the page sends its
  // request, then dropped (the answer's update draws the map anew; drawn while the server
  // answered, the frame still held the page when the answer came), or until HOLD_MS have
  // passed (a click that asks nothing: a pan's end, a click on no grid): then drawn.
  var HOLD_MS = 100;
  var held = [];

  function hold(map) {
    var state = map.__gridmapHold;
    if (!state) {
      var repaint = map.triggerRepaint;
      state = map.__gridmapHold = { until: 0, pending: false, timer: null };
      map.triggerRepaint = function () {
        if (performance.now() < state.until) {
          state.pending = true;
          return;
        }
        return repaint.apply(this, arguments);
      };
      state.release = function () {
        clearTimeout(state.timer);
        state.until = 0;
        if (state.pending) {
          state.pending = false;
          map.triggerRepaint();
        }
      };
    }
    state.until = performance.now() + HOLD_MS;
    if (map._frameRequest) {
      // The release's frame, asked for already: called off, and asked for again on release.
      map._frameRequest.abort();
      map._frameRequest = null;
      state.pending = true;
    }
    clearTimeout(state.timer);
    state.timer = setTimeout(state.release, HOLD_MS);
    if (held.indexOf(state) < 0) held.push(state);
  }

  function releaseAll(drop) {
    var states = held;
    held = [];
    for (var i = 0; i < states.length; i++) {
      if (drop) states[i].pending = false;
      states[i].release();
    }
  }

  document.addEventListener(
    "click",
    function (event) {
      var gd = event.target && event.target.closest && event.target.closest(".js-plotly-plot");
      var full = gd && gd._fullLayout;
      var map = full && full.map && full.map._subplot && full.map._subplot.map;
      if (map) hold(map);
    },
    true
  );

  var fetch = window.fetch;
  window.fetch = function (input) {
    var url = typeof input === "string" ? input : input && input.url;
    if (held.length && url && String(url).indexOf("_dash-update-component") >= 0) {
      // Sent first; the held frames are dropped (the answer draws the map).
      var sent = fetch.apply(this, arguments);
      releaseAll(true);
      return sent;
    }
    return fetch.apply(this, arguments);
  };

  // Polled until the first map is found; then the patched prototype serves every map, those
  // drawn later included (their traces are wrapped by the patched updateData).
  var timer = setInterval(install, 300);

  function install() {
    var graphs = document.querySelectorAll(".js-plotly-plot");
    var patched = false;
    for (var i = 0; i < graphs.length; i++) {
      var full = graphs[i]._fullLayout;
      var subplot = full && full.map && full.map._subplot;
      // Dash marks a graph "pending" while its plot runs: its data may then be ahead of
      // what the map shows, so it is looked at again on the next round.
      if (!subplot || !subplot.traceHash) continue;
      if (graphs[i].classList.contains("dash-graph--pending")) continue;
      patch(Object.getPrototypeOf(subplot));
      // The first plot's stacking, drawn before the patch: the next update compares with it.
      if (subplot.__gridmapStacking === undefined) {
        subplot.__gridmapStacking = signature(subplot, full);
      }
      instant(subplot);
      tileOnce(subplot.map);
      // The traces of the first plot were drawn before the patch: they are wrapped now, each
      // with the input it drew.
      var calc = graphs[i].calcdata || [];
      for (var j = 0; j < calc.length; j++) {
        var obj = subplot.traceHash[calc[j][0].trace.uid];
        if (obj) wrap(subplot, obj, calc[j]);
      }
      patched = true;
    }
    // A map drawing now (pending) is covered too: its next update runs the patched updateData.
    if (patched) clearInterval(timer);
  }
})();
