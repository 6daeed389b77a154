/* The wall's map overlays, drawn as HTML over the map (map-drawn text would fetch glyphs from
   the internet): township names placed without collisions, and the pulse of a new incident.

   Labels: the names (trace 0's text), their points (customdata), short names and priorities
   (meta.short, meta.priority). On every map move, the most important label is placed first, at
   its point or just above, below, right or left of it; a label that would overlap one already
   placed (or a panel floating over the map, or the map's edge) tries its short name, and is
   left out when nothing fits. Text boxes are measured once per text and screen size.

   Pulses: the refresh sends the newest incidents' ids and places; one the page has not seen
   before pulses at its place for PULSE_MS. Nothing is requested from anywhere. */
(function () {
  "use strict";
  var GRAPH = "#wall-map .js-plotly-plot";
  var PULSE_MS = 9000;
  var GAP = 3;  // px between two labels
  var OBSTACLES = ".wall-tour-caption, .wall-legend";

  var state = { gd: null, map: null, layer: null, pulses: null, sizes: {}, key: "" };
  var seen = null;  // ids of the newest incidents last sent (null: nothing yet)
  var live = [];  // pulses on screen: {id, lon, lat, el, until}

  function mapOf(gd) {
    var full = gd && gd._fullLayout;
    return full && full.map && full.map._subplot && full.map._subplot.map;
  }

  function measure(text) {
    var key = state.key + "|" + text;
    var size = state.sizes[key];
    if (size) return size;
    var probe = document.createElement("div");
    probe.className = "wall-label";
    probe.style.visibility = "hidden";
    probe.textContent = text;
    state.layer.appendChild(probe);
    size = { w: probe.offsetWidth, h: probe.offsetHeight };
    state.layer.removeChild(probe);
    state.sizes[key] = size;
    return size;
  }

  function overlaps(a, b) {
    return a.x < b.x + b.w + GAP && b.x < a.x + a.w + GAP &&
      a.y < b.y + b.h + GAP && b.y < a.y + a.h + GAP;
  }

  // The floating panels' boxes, read at most twice a second (reading them forces a layout).
  var blocked = { at: 0, boxes: [] };

  function obstacles(container) {
    var now = Date.now();
    if (now - blocked.at < 500) return blocked.boxes;
    var out = [];
    var origin = container.getBoundingClientRect();
    var panel = container.closest(".wall-map-panel") || container;
    var found = panel.querySelectorAll(OBSTACLES);
    for (var i = 0; i < found.length; i++) {
      var r = found[i].getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        out.push({ x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height });
      }
    }
    blocked = { at: now, boxes: out };
    return out;
  }

  // Place labels (items: {point: {x, y}, texts: [full, short], priority}) in a w x h box
  // avoiding ``blocked`` boxes; return, by item, {text, x, y, w, h} or null (left out).
  function place(items, w, h, blocked, sizeOf) {
    var order = items.map(function (_it, i) { return i; });
    order.sort(function (a, b) { return items[b].priority - items[a].priority || a - b; });
    var taken = blocked.slice();
    var result = new Array(items.length);
    order.forEach(function (i) {
      var it = items[i];
      result[i] = null;
      var texts = it.texts[1] && it.texts[1] !== it.texts[0] ? it.texts : [it.texts[0]];
      for (var k = 0; k < texts.length && !result[i]; k++) {
        var size = sizeOf(texts[k]);
        var offsets = [
          [0, 0], [0, -size.h], [0, size.h],
          [size.w / 2 + GAP * 2, 0], [-(size.w / 2 + GAP * 2), 0],
        ];
        for (var j = 0; j < offsets.length; j++) {
          var box = {
            x: it.point.x + offsets[j][0] - size.w / 2,
            y: it.point.y + offsets[j][1] - size.h / 2,
            w: size.w, h: size.h,
          };
          if (box.x < 2 || box.y < 2 || box.x + box.w > w - 2 || box.y + box.h > h - 2) continue;
          if (taken.some(function (t) { return overlaps(box, t); })) continue;
          taken.push(box);
          result[i] = { text: texts[k], x: box.x, y: box.y, w: box.w, h: box.h, short: k > 0 };
          break;
        }
      }
    });
    return result;
  }

  function drawLabels() {
    var gd = state.gd, map = state.map, layer = state.layer;
    var trace = gd.data && gd.data[0];
    var names = (trace && trace.text) || [];
    var points = (trace && trace.customdata) || [];
    var meta = (trace && trace.meta) || {};
    if (!state.box || !state.box.w || !state.box.h) {
      state.box = { w: layer.clientWidth, h: layer.clientHeight };
    }
    var w = state.box.w, h = state.box.h;
    if (!w || !h) return;
    state.key = w + "x" + h + "@" + window.innerHeight;
    while (layer.childElementCount < names.length) {
      var div = document.createElement("div");
      div.className = "wall-label";
      layer.appendChild(div);
    }
    while (layer.childElementCount > names.length) layer.removeChild(layer.lastChild);
    var items = [];
    for (var i = 0; i < names.length; i++) {
      var p = map.project(points[i]);
      items.push({
        point: { x: p.x, y: p.y },
        texts: [names[i], (meta.short || [])[i] || names[i]],
        priority: (meta.priority || [])[i] || 0,
      });
    }
    var placed = place(items, w, h, obstacles(map.getContainer()), measure);
    for (var j = 0; j < names.length; j++) {
      var el = layer.children[j];
      var spot = placed[j];
      if (!spot) {
        el.style.display = "none";
        continue;
      }
      if (el.textContent !== spot.text) el.textContent = spot.text;
      el.dataset.full = names[j];
      el.style.display = "";
      el.style.transform = "translate(" + Math.round(spot.x) + "px," + Math.round(spot.y) + "px)";
    }
  }

  function drawPulses() {
    var now = Date.now();
    live = live.filter(function (p) {
      if (p.until > now) return true;
      if (p.el.parentNode) p.el.parentNode.removeChild(p.el);
      return false;
    });
    live.forEach(function (p) {
      var xy = state.map.project([p.lon, p.lat]);
      p.el.style.left = Math.round(xy.x) + "px";
      p.el.style.top = Math.round(xy.y) + "px";
    });
  }

  var pending = false;

  // One placement per animation frame, however many move events the map fires in it.
  function draw() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      if (!state.map || !state.layer) return;
      drawLabels();
      drawPulses();
    });
  }

  function attach() {
    var gd = document.querySelector(GRAPH);
    var map = mapOf(gd);
    if (!map || state.map === map) return;
    state.gd = gd;
    state.map = map;
    var container = map.getContainer();
    state.layer = document.createElement("div");
    state.layer.className = "wall-labels";
    state.pulses = document.createElement("div");
    state.pulses.className = "wall-labels wall-pulses";
    container.appendChild(state.layer);
    container.appendChild(state.pulses);
    var sized = function () {
      state.box = { w: state.layer.clientWidth, h: state.layer.clientHeight };
      blocked.at = 0;
      draw();
    };
    map.on("move", draw);
    map.on("resize", sized);
    state.box = { w: state.layer.clientWidth, h: state.layer.clientHeight };
    gd.on("plotly_afterplot", draw);
    draw();
  }

  function pulse(item) {
    var el = document.createElement("div");
    el.className = "wall-pulse";
    el.dataset.id = item.id;
    state.pulses.appendChild(el);
    live.push({ id: item.id, lon: item.lon, lat: item.lat, el: el, until: Date.now() + PULSE_MS });
  }

  // The refresh's newest incidents: pulse those not seen before (none on the first answer).
  function fresh(list) {
    if (!Array.isArray(list)) return window.dash_clientside.no_update;
    var ids = {};
    var added = 0;
    list.forEach(function (item) {
      ids[item.id] = true;
      if (seen && !seen[item.id] && state.pulses) {
        pulse(item);
        added += 1;
      }
    });
    seen = ids;
    draw();
    return added;
  }

  setInterval(function () {
    attach();
    if (live.length) drawPulses();
  }, 400);

  window.wallMap = { fresh: fresh, place: place, redraw: draw };
})();
