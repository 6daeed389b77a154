"""Browser benchmark: what a person waits for in Chromium, from a click until the page is idle.

Serves the demo district with ``python app.py`` (its own SQLite file, the demo year loaded) and
drives Debian's Chromium with Playwright. For each step it prints the median of several runs of
the time from the action until the page is idle: no request in flight and the map not drawing
for a quiet window. In the same run it times the floors, bare Plotly ``Choroplethmap`` pages:
the same level-5 polygons recoloured with ``Plotly.restyle``, and a drill (a district's
townships, then ``Plotly.react`` to one township's villages at the new centre and zoom); and the
naive baseline (the level-5 polygons inlined in the figure, drawn with ``Plotly.newPlot``). Not a
test: it asserts nothing.

Usage: ``python bench/bench_browser.py [--runs 5] [--data-dir data/geo]``
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, sign_in_page  # noqa: E402

GRAPH = "#map-graph .js-plotly-plot"
PLANNER_GRAPH = "#planner-map .js-plotly-plot"
QUIET_MS = 250
#: The shared API token of the benchmark's server (for its JSON look-ups).
TOKEN = "bench-browser-token"

# Counts requests in flight and stamps the last network or map activity (performance.now()).
WATCH_JS = """
(() => {
  window.__bench = {inflight: 0, last: performance.now()};
  const b = window.__bench;
  const touch = () => { b.last = performance.now(); };
  const origFetch = window.fetch;
  window.fetch = function(...args) {
    b.inflight++; touch();
    return origFetch.apply(this, args).then(
      r => { const done = () => { b.inflight--; touch(); };
             r.clone().arrayBuffer().then(done, done); return r; },
      e => { b.inflight--; touch(); throw e; });
  };
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function(...args) {
    b.inflight++; touch();
    this.addEventListener('loadend', () => { b.inflight--; touch(); });
    return send.apply(this, args);
  };
  new MutationObserver(touch).observe(document, {subtree: true, childList: true,
                                                 characterData: true});
  // Stamps each frame of ``map`` (once per map).
  b.hook = (map) => {
    if (map.__benchHooked) return;
    map.on('render', () => { b.last = performance.now(); b.map = b.last; });
    map.__benchHooked = true;
  };
  // Hook the first map the moment it exists, so that a first load counts its first frames.
  const early = setInterval(() => {
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
      if (sub && sub.map) { b.hook(sub.map); clearInterval(early); }
    }
  }, 5);
})();
"""

HOOK_MAP_JS = """
(sel) => {
  const gd = document.querySelector(sel);
  const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  const map = sub && sub.map;
  if (!map) return false;
  window.__bench.hook(map);
  return true;
}
"""

IDLE_JS = """
([sel, quiet, start]) => {
  const gd = document.querySelector(sel);
  const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  const map = sub && sub.map;
  const b = window.__bench;
  if (!map || !b) return false;
  const still = map.loaded() && !map.isMoving() && map.areTilesLoaded();
  const moved = b.last > start;
  return moved && b.inflight === 0 && still && performance.now() - b.last > quiet ? b.last : false;
}
"""


def free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, folder: Path) -> tuple[subprocess.Popen, str]:
    """Start ``python app.py`` on the demo data with its own database; return it and its URL."""
    port = free_port()
    env = dict(os.environ)
    env.update(
        GRIDMAP_DATA_DIR=str(data_dir),
        GRIDMAP_PORT=str(port),
        GRIDMAP_DATABASE_FILE=str(folder / "bench.sqlite"),
        GRIDMAP_CACHE_DIR=str(folder / "cache"),
        GRIDMAP_DEMO_INCIDENTS="true",
        # The live-refresh poll would land inside a measured wait: make it rare.
        GRIDMAP_REFRESH_SECONDS="3600",
        GRIDMAP_API_TOKEN=TOKEN,
        # Every measured page signs in afresh: more than the default 5 a minute per name.
        GRIDMAP_LOGIN_LIMIT="1000 per minute",
        GRIDMAP_LOGIN_NAME_LIMIT="1000 per minute",
    )
    log = open(folder / "server.log", "w")  # noqa: SIM115 (closed with the process)
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/api/v1/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"server did not start; see {folder / 'server.log'}")


def get_json(url: str) -> dict:
    """GET ``url`` as JSON."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as r:
        return json.loads(r.read())


class Page:
    """One Chromium page with the activity watcher, and a byte counter on the wire."""

    def __init__(self, browser, base: str, width: int = 1600, height: int = 1000):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        sign_in_page(self.page, base, "demo-commander")
        self.page.add_init_script(WATCH_JS)
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.bytes = 0
        self.requests = 0
        self.cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event: dict) -> None:
        self.bytes += int(event.get("encodedDataLength", 0))
        self.requests += 1

    def wait_idle(self, graph: str, start: float) -> float:
        """Wait until ``graph``'s page is idle; return ms from ``start`` (page clock) to idle."""
        self.page.wait_for_function(HOOK_MAP_JS, arg=graph, timeout=60_000)
        # Idle means: something happened after ``start`` and then nothing for QUIET_MS.
        last = self.page.wait_for_function(
            IDLE_JS, arg=[graph, QUIET_MS, start - 1], timeout=60_000
        )
        drawn = self.page.evaluate("() => window.__bench.map || 0")
        #: ms from ``start`` to the map's last frame (the rest of the wait is other requests).
        self.map_ms = max(0.0, float(drawn) - start)
        return max(0.0, float(last.json_value()) - start)

    def settle(self, graph: str) -> None:
        """Wait until ``graph``'s page has been quiet for QUIET_MS (whatever came before)."""
        self.page.wait_for_function(HOOK_MAP_JS, arg=graph, timeout=60_000)
        self.page.wait_for_function(IDLE_JS, arg=[graph, QUIET_MS, -1], timeout=60_000)

    def now(self) -> float:
        """Return the page's performance.now()."""
        return float(self.page.evaluate("() => performance.now()"))

    def act(self, graph: str, action, prepare=None) -> tuple[float, float]:
        """Run ``action()`` (a click, a navigation); return ms until idle and to the map's frame.

        The page is idle when no request is in flight and the map has not drawn for QUIET_MS;
        the second figure is the map's last frame, before the panels' own requests end.
        ``prepare()`` runs before the clock starts (the pointer's way to what it clicks: its
        hover label is drawn before the click, the wait starts at the click).
        """
        if prepare is not None:
            prepare()
        self.settle(graph)
        start = self.now()
        action()
        return self.wait_idle(graph, start), self.map_ms

    def close(self) -> None:
        """Close the page's context."""
        self.context.close()


def hover_lonlat(page, graph: str, lon: float, lat: float) -> tuple[float, float]:
    """Move the pointer to where (lon, lat) is drawn on the map; return that point."""
    x, y = page.evaluate(
        """([sel, lon, lat]) => {
            const gd = document.querySelector(sel);
            const map = gd._fullLayout.map._subplot.map;
            const p = map.project([lon, lat]);
            const box = map.getCanvas().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        [graph, lon, lat],
    )
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)
    page.wait_for_timeout(150)
    return x, y


def map_click(p: Page, graph: str, lon: float, lat: float) -> tuple[float, float]:
    """Time a click on the map at (lon, lat) from the click itself (the pointer is there first)."""
    spot: list[tuple[float, float]] = []
    return p.act(
        graph,
        lambda: p.page.mouse.click(*spot[0]),
        prepare=lambda: spot.append(hover_lonlat(p.page, graph, lon, lat)),
    )


def set_props(page, component: str, props: dict) -> None:
    """Set a Dash component's props as a user's choice would (dash_clientside.set_props)."""
    page.evaluate(
        "([id, props]) => window.dash_clientside.set_props(id, props)", [component, props]
    )


def first_load(browser, base: str) -> tuple[float, int, int, float]:
    """Return a cold load of ``/``: ms to idle, bytes, requests, ms to the map's last frame."""
    p = Page(browser, base)
    try:
        p.page.goto(base + "/")
        p.page.wait_for_selector(GRAPH, timeout=60_000)
        ms = p.wait_idle(GRAPH, 0)
        return ms, p.bytes, p.requests, p.map_ms
    finally:
        p.close()


def main_page_steps(browser, base: str, root: str) -> dict[str, tuple[float, float]]:
    """Time the drills, breadcrumb, back, language, filter and metric changes on ``/``."""
    out: dict[str, tuple] = {}
    p = Page(browser, base)
    page = p.page
    try:
        page.goto(base + "/")
        page.wait_for_selector(GRAPH, timeout=60_000)
        # Single incidents are drawn from village views down and take the clicks on them (they
        # open an incident's detail): switch that layer off so every click lands on a grid.
        set_props(page, "map-layer-checklist", {"value": ["posts", "roads", "heat"]})
        p.settle(GRAPH)
        current = get_json(f"{base}/api/v1/grids/{root}")
        level = 1
        while current["children"]:
            child = max(current["children"], key=lambda c: c.get("population") or 0)
            out[f"drill: level {level} to {level + 1}"] = map_click(p, GRAPH, *child["point"])
            here = page.evaluate("() => location.search")
            if f"grid={child['grid_id']}" not in here:
                raise SystemExit(f"the click did not drill into {child['grid_id']} ({here})")
            current = get_json(f"{base}/api/v1/grids/{child['grid_id']}")
            level += 1
        out["browser back (level 5 to 4)"] = p.act(GRAPH, page.go_back)
        crumb = page.locator(".crumb").nth(1)
        out["breadcrumb to the township"] = p.act(GRAPH, crumb.click, prepare=crumb.hover)
        toggle = page.locator("#app-lang-toggle")
        out["language switch"] = p.act(GRAPH, toggle.click, prepare=toggle.hover)
        out["category filter change"] = p.act(
            GRAPH, lambda: set_props(page, "incident-category-select", {"value": ["dispute"]})
        )
        page.goto(base + "/?view=level-5")
        page.wait_for_selector(GRAPH, timeout=60_000)
        p.settle(GRAPH)
        for metric in ("population", "density"):
            out[f"whole level 5: metric to {metric}"] = p.act(
                GRAPH, lambda m=metric: set_props(page, "map-metric-select", {"value": m})
            )
    finally:
        p.close()
    return out


def planner_steps(browser, base: str, spot: tuple[float, float]) -> dict[str, tuple]:
    """Time a what-if click (a new post) and a suggestion on the planner."""
    out: dict[str, tuple] = {}
    p = Page(browser, base)
    page = p.page
    try:
        page.goto(base + "/planner/")
        page.wait_for_selector(PLANNER_GRAPH, timeout=60_000)
        out["planner: add a post (what-if click)"] = map_click(p, PLANNER_GRAPH, *spot)
        run = page.locator("#planner-suggest-run")
        out["planner: suggest new posts"] = p.act(PLANNER_GRAPH, run.click, prepare=run.hover)
    finally:
        p.close()
    return out


FLOOR_HTML = """<!doctype html><html><head><meta charset="utf-8">
<script src="{plotly}"></script></head><body style="margin:0">
<div id="g" style="width:1200px;height:850px"></div></body></html>"""


def floor_and_naive(browser, base: str, version: str, center: list, zoom: float) -> dict:
    """Time a bare Plotly page with the level-5 polygons: recolour (floor) and inlined draw."""
    geo = get_json(f"{base}/geo/{version}/level-5.geojson")
    keys = [f["id"] for f in geo["features"]]
    plotly = _plotly_url(base)
    html = FLOOR_HTML.format(plotly=base + plotly)
    out = {}
    p = Page(browser, base)
    page = p.page
    try:
        page.goto(base + "/api/v1/health")
        page.set_content(html)
        page.wait_for_function("() => window.Plotly")
        layout = {
            "map": {
                "style": "white-bg",
                "center": {"lon": center[0], "lat": center[1]},
                "zoom": zoom,
            },
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        }
        by_url = {
            "type": "choroplethmap",
            "geojson": f"{base}/geo/{version}/level-5.geojson",
            "locations": keys,
            "z": list(range(len(keys))),
            "featureidkey": "id",
        }
        page.evaluate("([t, l]) => Plotly.newPlot('g', [t], l)", [by_url, layout])
        sel = "#g"
        p.settle(sel)
        runs = []
        for k in range(3):
            z = [((i * 7919 + k) % 97) for i in range(len(keys))]
            runs.append(
                p.act(
                    sel, lambda z=z: page.evaluate("(z) => { Plotly.restyle('g', {z: [z]}); }", z)
                )[0]
            )
        out["floor: bare Plotly restyle of the 6,438 polygons"] = statistics.median(runs)
        inline = dict(by_url, geojson=geo)
        out["naive: newPlot with the polygons inlined"] = p.act(
            sel, lambda: page.evaluate("([t, l]) => Plotly.newPlot('g', [t], l)", [inline, layout])
        )[0]
    finally:
        p.close()
    return out


def drill_floor(browser, base: str, version: str, district) -> dict:
    """Time a bare Plotly drill: the townships, then ``Plotly.react`` to one township's villages.

    The same step as the map's first drill (geometry by URL, the new centre and zoom), drawn by
    Plotly alone: what Plotly itself needs for it, click to idle measured the same way.
    """
    from gridmap.views.map_view import fit_zoom

    towns = district.children(district.root_id)
    town = max(towns, key=lambda g: district.record(g).get("population") or 0)
    villages = district.children(town)

    def figure(level: int, grids: list[str], box) -> list:
        keys = [district.key_of[g] for g in grids]
        trace = {
            "type": "choroplethmap",
            "geojson": f"{base}/geo/{version}/level-{level}.geojson",
            "locations": keys,
            "z": list(range(len(keys))),
            "featureidkey": "id",
        }
        zoom = fit_zoom(box, (1200, 850))
        layout = {
            "map": {
                "style": "white-bg",
                "center": {"lon": box.center[0], "lat": box.center[1]},
                "zoom": zoom,
            },
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        }
        return [[trace], layout]

    top = figure(2, towns, district.bounds(district.root_id))
    down = figure(3, villages, district.bounds(town))
    html = FLOOR_HTML.format(plotly=base + _plotly_url(base))
    p = Page(browser, base)
    page = p.page
    try:
        page.goto(base + "/api/v1/health")
        page.set_content(html)
        page.wait_for_function("() => window.Plotly")
        runs = []
        for _ in range(3):
            page.evaluate("([d, l]) => Plotly.newPlot('g', d, l)", top)
            runs.append(
                p.act(
                    "#g", lambda: page.evaluate("([d, l]) => { Plotly.react('g', d, l); }", down)
                )[0]
            )
    finally:
        p.close()
    return {
        "floor: bare Plotly drill (townships to one township's villages)": statistics.median(runs)
    }


def _plotly_url(base: str) -> str:
    """Return the path of plotly.min.js as the app serves it."""
    request = urllib.request.Request(base + "/", headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as r:
        text = r.read().decode()
    start = text.find("/_dash-component-suites/plotly/")
    if start < 0:
        # Dash loads plotly on demand: its path is the graph component's.
        return "/_dash-component-suites/plotly/package_data/plotly.min.js"
    return text[start : text.find('"', start)]


def main() -> None:
    """Run every step ``--runs`` times and print the medians."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", default=str(ROOT / "data" / "geo"))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gridmap-bench-browser-"))
    proc, base = start_server(Path(args.data_dir), folder)
    try:
        health = get_json(base + "/api/v1/health")
        version = health["data_version"]
        from gridmap.grids.district import load_district

        district = load_district(Path(args.data_dir))
        root = district.root_id
        box = district.bounds(root)
        from gridmap.views.map_view import fit_zoom

        zoom = fit_zoom(box, (1200, 850))
        spot = tuple(district.label_points[district.level_ids(3)[0]])
        results: dict[str, list[float]] = {}
        loads = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            for _ in range(args.runs):
                loads.append(first_load(browser, base))
                for name, ms in main_page_steps(browser, base, root).items():
                    results.setdefault(name, []).append(ms)
                for name, ms in planner_steps(browser, base, spot).items():
                    results.setdefault(name, []).append(ms)
                for name, ms in drill_floor(browser, base, version, district).items():
                    results.setdefault(name, []).append(ms)
                for name, ms in floor_and_naive(
                    browser, base, version, list(box.center), zoom
                ).items():
                    results.setdefault(name, []).append(ms)
            browser.close()
        load_ms = statistics.median(x[0] for x in loads)
        load_kb = statistics.median(x[1] for x in loads) / 1024
        load_req = statistics.median(x[2] for x in loads)
        load_map = statistics.median(x[3] for x in loads)
        print(
            f"\nBrowser benchmark: medians of {args.runs} runs, headless Chromium "
            "(software WebGL); ms from the action until the page is idle, and until the map's "
            "last frame\n"
        )
        print("| what the user does | idle, ms | map drawn, ms |")
        print("|---|---:|---:|")
        print(
            f"| first load of `/` ({load_kb:,.0f} KiB on the wire, "
            f"{load_req:.0f} requests) | {load_ms:,.0f} | {load_map:,.0f} |"
        )
        for name, values in results.items():
            idle = statistics.median(v[0] if isinstance(v, tuple) else v for v in values)
            drawn = [v[1] for v in values if isinstance(v, tuple)]
            shown = f"{statistics.median(drawn):,.0f}" if drawn else ""
            print(f"| {name} | {idle:,.0f} | {shown} |")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
