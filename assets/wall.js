/* The command-centre wall's browser side: clock, freshness, stale banner and the map tour.
   Called by the wall's clientside callbacks (callbacks/wall.py); runs without the server, so
   the wall keeps its clock and tour while the server is away. Defines one global and does
   nothing else on the other pages. */
(function () {
  "use strict";
  var TZ = "Asia/Shanghai";
  // The status of the last refused callback (401, 403) of this wall, 0 after a good one.
  var refused = 0;
  // The wall's refresh requests (their body names the refresh's own output store): when the
  // first one left, when the newest one left, how many still wait for their answer, and when
  // the last good answer (one carrying last_ok) arrived, on the browser's clock.
  var LAST_OK = "wall-last-ok-store";
  var firstSent = 0;
  var lastSent = 0;
  var inFlight = 0;
  var lastGood = 0;
  // When each refresh still on its way left, and when one last failed (no answer, an error
  // status, or an answer without fresh data: a database error).
  var pending = [];
  var lastFailed = 0;
  // The header of a refresh answer that carries fresh data (set by the server's callback):
  // read when the answer arrives, before a busy page has parsed or applied it.
  var FRESH_HEADER = "X-Wall-Fresh";
  // Missed refresh periods without an answer before the wall says it is stale.
  var MISSED = 3;
  // A refresh on its way is waited for at least this long (ms), even at a 1 s refresh.
  var PATIENCE = 10000;
  // Before the first good answer the page (and the server's caches) may still be starting.
  var FIRST_PATIENCE = 20000;

  function isRefresh(init) {
    var body = init && typeof init.body === "string" ? init.body : "";
    return body.indexOf(LAST_OK + ".data") !== -1;
  }

  function noteAnswer(response) {
    // A database error answers 200 without last_ok: only an answer carrying it is good.
    response.clone().json().then(function (body) {
      var out = body && body.response;
      if (out && out[LAST_OK] && out[LAST_OK].data) lastGood = Date.now();
      else lastFailed = Date.now();
    }, function () {});
  }

  // The server refuses a revoked kiosk link (or an ended session) with 401/403 on the next
  // refresh; Dash only logs that, so the wall watches its own callback answers. It also
  // follows its refresh requests: a slow answer is not a lost one.
  if (window.fetch && !window.fetch.wallWatched) {
    var plainFetch = window.fetch;
    window.fetch = function (resource, init) {
      var url = typeof resource === "string" ? resource : (resource && resource.url) || "";
      var answer = plainFetch.apply(this, arguments);
      if (url.indexOf("/wall/_dash-update-component") === -1) return answer;
      var refresh = isRefresh(init);
      var sent = Date.now();
      if (refresh) {
        lastSent = sent;
        firstSent = firstSent || lastSent;
        inFlight += 1;
        pending.push(sent);
      }
      var done = function () {
        if (!refresh) return;
        inFlight = Math.max(0, inFlight - 1);
        var at = pending.indexOf(sent);
        if (at !== -1) pending.splice(at, 1);
      };
      return answer.then(
        function (response) {
          done();
          if (response.status === 401 || response.status === 403) refused = response.status;
          else if (response.ok) refused = 0;
          if (refresh) {
            if (response.ok && response.headers.get(FRESH_HEADER) === "1") lastGood = Date.now();
            else if (response.ok) noteAnswer(response);
            else lastFailed = Date.now();
          }
          return response;
        },
        function (error) {
          done();
          if (refresh) lastFailed = Date.now();
          throw error;
        }
      );
    };
    window.fetch.wallWatched = true;
  }

  function periodOf(settings) {
    return 1000 * Math.max(1, (settings && settings.refresh) || 10);
  }

  function waiting(now, period) {
    // A refresh still on its way, sent less than MISSED periods (at least PATIENCE) ago.
    return inFlight > 0 && now - lastSent <= Math.max(MISSED * period, PATIENCE);
  }

  function isStale(now, received, period) {
    // Stale only on evidence that the server does not answer, after MISSED refresh periods
    // without a good answer (counted from the last one; before the first, from the first
    // request, and never before it had time): a refresh failed since the last good answer, or
    // the oldest one still on its way has waited longer than its patience. A slow answer is not
    // a lost one, and a page too busy to ask (its timers late under load) is not an outage.
    var good = Math.max(received || 0, lastGood);
    var since = good || firstSent;
    if (!since) return false;
    var deadline = since + (good ? MISSED * period : Math.max(MISSED * period, FIRST_PATIENCE));
    if (now <= deadline) return false;
    var patience = Math.max(MISSED * period, PATIENCE);
    if (lastFailed > good) return true;
    if (pending.length) return now - Math.min.apply(null, pending) > patience;
    // Nothing failed and nothing is on its way: the page has not asked (a busy browser).
    return now > deadline + patience;
  }

  function gate(n, settings) {
    // The refresh interval asks the server only when no refresh is waiting for its answer:
    // Dash drops the answer of a callback fired again before it answered, so a server slower
    // than the period would otherwise never land one (and get ever more requests).
    if (waiting(Date.now(), periodOf(settings))) return noUpdate();
    return n || 0;
  }

  function noUpdate() {
    return window.dash_clientside.no_update;
  }

  function locale(settings) {
    return settings && settings.lang === "en" ? "en-GB" : "zh-CN";
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_m, k) {
      return values[k] === undefined ? "" : values[k];
    });
  }

  function timeText(ms, settings) {
    return new Date(ms).toLocaleTimeString(locale(settings), {
      timeZone: TZ, hour12: false, hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
  }

  function tick(received, settings, error, views) {
    var now = Date.now();
    var clock = timeText(now, settings);
    var date = new Date(now).toLocaleDateString(locale(settings), {
      timeZone: TZ, year: "numeric", month: "long", day: "numeric", weekday: "long",
    });
    var radius = views ? heatRadius(mapScale(views.size || [800, 950])) : noUpdate();
    if (!settings) {
      return [
        clock, date, noUpdate(), noUpdate(), noUpdate(), noUpdate(), noUpdate(), noUpdate(),
        radius,
      ];
    }
    var texts = settings.texts || {};
    if (refused) {
      // Not stale but refused: the link (or the session) no longer opens this wall.
      var notice = texts[settings.kiosk ? "wall-link-invalid" : "wall-signed-out"];
      return [
        clock, date, notice, "wall-freshness wall-freshness-stale", "", true, notice, false,
        radius,
      ];
    }
    // The newest good answer: applied (received) or arrived and not yet applied (lastGood).
    var newest = Math.max(received || 0, lastGood);
    var age = Math.max(0, Math.floor((now - (newest || now)) / 1000));
    var stale = isStale(now, received, periodOf(settings));
    var fresh;
    if (!newest) fresh = texts["wall-updated-never"];
    else if (age < 120) fresh = fill(texts["wall-updated"], { n: age });
    else fresh = fill(texts["wall-updated-min"], { n: Math.floor(age / 60) });
    var banner = "";
    if (stale) {
      banner = fill(texts["wall-stale"], { time: received ? timeText(received, settings) : "—" });
      if (error && error.kind === "database" && error.at >= (received || 0) - 1000) {
        banner += " · " + texts["wall-stale-db"];
      }
    }
    return [
      clock,
      date,
      fresh,
      "wall-freshness" + (stale ? " wall-freshness-stale" : ""),
      banner,
      !stale,
      "",
      true,
      radius,
    ];
  }

  function mapOf() {
    var gd = document.querySelector("#wall-map .js-plotly-plot");
    var full = gd && gd._fullLayout;
    return full && full.map && full.map._subplot && full.map._subplot.map;
  }

  function heatRadius(scale) {
    // Densitymap radii are in pixels: on a bigger screen (4K) the same spots need bigger ones.
    var gd = document.querySelector("#wall-map .js-plotly-plot");
    var P = window.dash_clientside.Patch;
    if (!gd || !gd.data || !gd.data[1] || !P || !(scale > 0)) return noUpdate();
    if (gd._wallBaseRadius === undefined) gd._wallBaseRadius = gd.data[1].radius || 20;
    var radius = Math.round(gd._wallBaseRadius * Math.max(1, scale));
    if (gd.data[1].radius === radius) return noUpdate();
    return new P().assign(["data", 1, "radius"], radius).build();
  }

  function mapScale(size) {
    var gd = document.querySelector("#wall-map .js-plotly-plot");
    if (!gd) return 0;
    return Math.min(gd.clientWidth / size[0], gd.clientHeight / size[1]);
  }

  // The share of the map's width and height a fitted grid may fill (as the server's fit).
  var FIT = 0.94;

  function fitted(map, view, size) {
    // Fit the grid's bounds to the map's real size (a 4K wall, a panel of another shape);
    // never closer than the view's max_zoom, scaled like the zooms fitted at 1920x1080.
    var box = map.getContainer();
    var scale = Math.min(box.clientWidth / size[0], box.clientHeight / size[1]);
    var lift = scale > 0 ? Math.log2(scale) : 0;
    if (view.bounds && map.cameraForBounds && box.clientWidth > 0 && box.clientHeight > 0) {
      var b = view.bounds;
      var pad = {
        left: (box.clientWidth * (1 - FIT)) / 2, right: (box.clientWidth * (1 - FIT)) / 2,
        top: (box.clientHeight * (1 - FIT)) / 2, bottom: (box.clientHeight * (1 - FIT)) / 2,
      };
      var cam = map.cameraForBounds([[b[0], b[1]], [b[2], b[3]]], { padding: pad });
      if (cam && isFinite(cam.zoom)) {
        var cap = view.max_zoom === undefined ? Infinity : view.max_zoom + lift;
        return { center: cam.center, zoom: Math.min(cam.zoom, cap) };
      }
    }
    // Zooms were fitted to a 1920x1080 map; scale them to the map's real size (e.g. 4K).
    return { center: view.center, zoom: view.zoom + lift };
  }

  function move(view, size, duration, tries) {
    var map = mapOf();
    var box = map && map.getContainer();
    if (!map || !box.clientWidth) {
      // The map is still starting (first step at page load): try again shortly. MapLibre
      // moves before its sources have loaded, so only a map with a size is waited for.
      if (tries > 0) setTimeout(function () { move(view, size, duration, tries - 1); }, 250);
      return;
    }
    var fit = fitted(map, view, size);
    var zoom = fit.zoom;
    var target = { center: fit.center, zoom: zoom, essential: true };
    // originalEvent: Plotly then records the view as a user's, so a later refresh (which
    // patches the heat) keeps it instead of jumping back to the figure's initial view.
    var eventData = { originalEvent: { type: "wall-tour" } };
    if (duration > 0) {
      target.duration = duration;
      // A refresh landing mid-flight would make Plotly set the old centre (it does not while
      // the user drags): flag the flight as a drag until it ends.
      var sub = document.querySelector("#wall-map .js-plotly-plot")._fullLayout.map._subplot;
      sub.dragging = true;
      map.once("moveend", function () { sub.dragging = false; });
      map.flyTo(target, eventData);
    } else {
      map.jumpTo(target, eventData);
    }
  }

  function tour(n, views, newest, settings) {
    if (!views || !views.district) return [noUpdate(), noUpdate()];
    var step = n || 0;
    var texts = (settings && settings.texts) || {};
    var lang = settings && settings.lang === "en" ? "en" : "zh";
    var towns = views.townships || [];
    var view = views.district;
    // A scoped wall's home is its own grid(s): caption it by name, not "whole district".
    var caption = views.scoped ? view[lang] : texts["wall-tour-district"] || view[lang];
    if (step % 2 === 1) {
      var useNewest = settings && settings.order === "newest" && newest;
      if (useNewest) {
        view = newest;
        caption = (texts["wall-tour-newest"] || "") + " · " + view[lang];
      } else if (towns.length) {
        view = towns[((step - 1) / 2) % towns.length];
        caption = view[lang];
      }
    }
    var seconds = (settings && settings.tour) || 20;
    var duration = step === 0 ? 0 : Math.min(4000, seconds * 450);
    move(view, views.size || [800, 950], duration, 120);
    return [{ step: step, id: view.id, center: view.center, zoom: view.zoom }, caption];
  }

  window.wallDisplay = {
    tick: tick,
    gate: gate,
    tour: tour,
    fitted: fitted,
    refused: function () { return refused; },
    // What the wall knows of its refresh requests (ms on the browser's clock), for tests.
    requests: function () {
      return {
        firstSent: firstSent, lastSent: lastSent, inFlight: inFlight, lastGood: lastGood,
        lastFailed: lastFailed, pending: pending.slice(),
      };
    },
  };
})();
