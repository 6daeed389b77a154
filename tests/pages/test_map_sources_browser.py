"""Real-browser tests of what a drill costs the browser: each level's geometry fetched ahead
(assets/map_prefetch.js), unchanged map sources left alone and tiles cut once for the deeper
levels (assets/map_sources.js)."""

from __future__ import annotations

import pytest

from tests.browser_support import ARTIFACTS, browser_page, map_js, require_chromium, serve
from tests.pages.test_browser import GRAPH, click_grid, wait_map_idle, wait_shown_keys

pytestmark = pytest.mark.browser

#: Logs every MapLibre GeoJSON source re-set (its id) in window.__setData.
LOG_SET_DATA = f"""() => {{
    const map = {map_js(GRAPH)};
    const id = Object.keys(map.getStyle().sources).find(k => map.getSource(k).setData);
    const proto = Object.getPrototypeOf(map.getSource(id));
    window.__setData = [];
    if (!proto.__logged) {{
        const setData = proto.setData;
        proto.setData = function (d) {{
            window.__setData.push(this.id);
            return setData.call(this, d);
        }};
        proto.__logged = true;
    }}
}}"""

#: Whether assets/map_sources.js has patched the main map's subplot.
PATCHED = """() => {
    const gd = document.querySelector('#map-graph .js-plotly-plot');
    const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    return !!sub && !!Object.getPrototypeOf(sub).__gridmapPatched;
}"""

#: The MapLibre source id of each trace: (grid, selection outline, posts), by trace order.
TRACE_SOURCES = """() => {
    const gd = document.querySelector('#map-graph .js-plotly-plot');
    return gd._fullData.map(t => 'source-' + t.uid);
}"""


def open_patched_map(page, base: str) -> None:
    """Open the main map and wait until it is idle and assets/map_sources.js has patched it.

    The patch is installed once the first map has finished its plot (polled): a drill before
    that re-sets every source and re-adds every layer, as Plotly alone does.
    """
    page.goto(base + "/")
    page.wait_for_selector(GRAPH)
    wait_map_idle(page)
    page.wait_for_function(PATCHED)


def drill_into_a_township(page, base: str) -> list[dict]:
    """Click the district's first township on the map; return its children once drawn."""
    town = page.request.get(f"{base}/api/v1/grids/T").json()["children"][0]
    click_grid(page, *town["point"])
    children = page.request.get(f"{base}/api/v1/grids/{town['grid_id']}").json()["children"]
    wait_shown_keys(page, [c["key"] for c in children])
    wait_map_idle(page)
    return children


def test_every_level_is_fetched_ahead_and_a_drill_fetches_none(tiny_app):
    require_chromium()
    with serve(tiny_app.server) as base, browser_page(base) as (page, foreign):
        geometry = []
        page.on("request", lambda r: geometry.append(r.url) if r.url.endswith(".geojson") else None)
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        urls = page.get_attribute("#geo-prefetch", "data-urls").split()
        # Levels 3 to 5 of the tiny district, the next level down first, then the townships.
        assert [u.rsplit("/", 1)[1] for u in urls] == [
            "level-3.geojson",
            "level-4.geojson",
            "level-5.geojson",
            "level-2.geojson",
        ]
        page.wait_for_function(
            "(urls) => urls.every(u => window.PlotlyGeoAssets"
            " && typeof window.PlotlyGeoAssets[u] === 'object')",
            arg=urls,
            timeout=30_000,
        )
        wait_map_idle(page)
        before = len(geometry)
        drill_into_a_township(page, base)
        # The drill drew the villages from the geometry fetched ahead: no level-3 download.
        assert not [u for u in geometry[before:] if "level-" in u], geometry[before:]
    assert foreign == []


def test_a_drill_re_sets_only_the_sources_that_changed(tiny_app):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(tiny_app.server) as base, browser_page(base) as (page, _):
        open_patched_map(page, base)
        grid, outline, posts = page.evaluate(TRACE_SOURCES)[:3]
        page.evaluate(LOG_SET_DATA)
        children = drill_into_a_township(page, base)
        sent = page.evaluate("() => window.__setData")
        # The grids and the selection outline changed; the posts did not.
        assert grid in sent and outline + "-line" in sent, sent
        assert not [s for s in sent if s.startswith(posts)], sent
        # What was sent is drawn: the villages are the grid source's features.
        drawn = page.evaluate(
            f"""(id) => {{
                const map = {map_js(GRAPH)};
                return [...new Set(map.querySourceFeatures(id).map(f => String(f.id)))].sort();
            }}""",
            grid,
        )
        assert drawn == sorted(c["key"] for c in children)
        # Up again: the townships come back (a skipped update would leave the villages).
        page.evaluate(LOG_SET_DATA)
        page.click("#nav-up-button")
        page.wait_for_function(
            f"() => document.querySelector('{GRAPH}').data[0].locations.length === 2"
        )
        wait_map_idle(page)
        assert grid in page.evaluate("() => window.__setData")
        # A change to the posts themselves still reaches the map: hiding them hides their layer.
        page.evaluate(
            "() => window.dash_clientside.set_props('map-layer-checklist', {value: ['roads']})"
        )
        page.wait_for_function(
            f"""(uid) => {{
                const map = {map_js(GRAPH)};
                // Plotly removes a hidden scatter trace's layers.
                const layer = map.getLayer('plotly-trace-layer-' + uid + '-circle');
                return !layer || map.getLayoutProperty(layer.id, 'visibility') === 'none';
            }}""",
            arg=posts.removeprefix("source-"),
        )
        page.screenshot(path=str(ARTIFACTS / "map-sources-up.png"))
        assert (
            page.evaluate(f"() => document.querySelector('{GRAPH}')._fullData[2].visible") is False
        )


#: Logs every MapLibre layer added during a drill (its id) in window.__added.
LOG_ADDED = f"""() => {{
    const map = {map_js(GRAPH)};
    window.__added = [];
    const style = map.style;
    if (!style.__logged) {{
        const add = style.addLayer;
        style.addLayer = function (layer) {{
            window.__added.push(layer.id);
            return add.apply(this, arguments);
        }};
        style.__logged = true;
    }}
}}"""


def test_a_drill_keeps_every_layer_in_place(tiny_app):
    # Plotly cleared the place of every trace and basemap layer sharing one "below" on every
    # update and added them all again, and MapLibre reloaded each one's source (the roads,
    # the water, the heat: cut into tiles anew). With the stacking unchanged none is re-added;
    # layers switched off and on are added again, under the grids as before.
    require_chromium()
    with serve(tiny_app.server) as base, browser_page(base) as (page, foreign):
        open_patched_map(page, base)
        page.evaluate(LOG_ADDED)
        drill_into_a_township(page, base)
        assert page.evaluate("() => window.__added") == []
        order = f"() => {map_js(GRAPH)}.getStyle().layers.map(l => l.id)"
        before = page.evaluate(order)
        # Roads off and on again: their layers come back where they were (under the grids).
        for value in (["posts"], ["posts", "roads"]):
            page.evaluate(
                "(v) => window.dash_clientside.set_props('map-layer-checklist', {value: v})",
                value,
            )
            wait_map_idle(page)
        page.wait_for_function(f"(n) => ({order})().length === n", arg=len(before))
        after = page.evaluate(order)
        assert sorted(after) == sorted(before)
        # The water and the minor roads (basemap layers 0 and 1, "below": "traces") lie under
        # every trace's layer (the major roads are drawn over the grids).
        first_trace = min(i for i, id_ in enumerate(after) if "trace-layer" in id_)
        under = [i for i, id_ in enumerate(after) if id_.endswith(("-map-0", "-map-1"))]
        assert under and max(under) < first_trace, after
    assert foreign == []


#: The map's fade settings: [symbol fade in ms, paint transition in ms].
FADES = f"""() => {{
    const map = {map_js(GRAPH)};
    return [map._fadeDuration, map.style.getTransition().duration];
}}"""


def test_map_changes_are_drawn_at_once_without_fading(tiny_app):
    # MapLibre fades symbol placement and paint values in over 300 ms, drawing frame after
    # frame meanwhile (a drill took two or three frames more with software WebGL).
    require_chromium()
    with serve(tiny_app.server) as base, browser_page(base) as (page, foreign):
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        # The patch is installed once the first map exists (polled).
        page.wait_for_function(
            f"() => {{ const m = {map_js(GRAPH)}; return m && !m._fadeDuration; }}"
        )
        assert page.evaluate(FADES) == [0, 0]
        drill_into_a_township(page, base)
        assert page.evaluate(FADES) == [0, 0]
    assert foreign == []


#: Logs the map's frames (performance.now() of each MapLibre render) and the click's time.
LOG_FRAMES = f"""() => {{
    const map = {map_js(GRAPH)};
    window.__frames = [];
    map.on('render', () => window.__frames.push(performance.now()));
    document.addEventListener('click', () => {{ window.__clickAt = performance.now(); }}, true);
}}"""

#: [the first callback request's start after the click, the frames drawn before it].
FRAMES_BEFORE_REQUEST = """() => {
    const sent = performance.getEntriesByType('resource')
        .filter(e => e.name.includes('_dash-update-component') && e.startTime > window.__clickAt)
        .map(e => e.startTime);
    if (!sent.length) return null;
    const first = Math.min(...sent);
    return [first - window.__clickAt,
            window.__frames.filter(t => t > window.__clickAt && t < first).length];
}"""


def test_a_click_sends_its_request_before_the_map_draws_a_frame(tiny_app):
    # MapLibre asks for a frame on the button's release; with software WebGL it ran before the
    # click's request went out, and every drill waited on it. The frame is held till then.
    require_chromium()
    with serve(tiny_app.server) as base, browser_page(base) as (page, foreign):
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        wait_map_idle(page)
        page.evaluate(LOG_FRAMES)
        children = drill_into_a_township(page, base)
        page.wait_for_function(f"({FRAMES_BEFORE_REQUEST})() !== null")
        _after_ms, frames = page.evaluate(FRAMES_BEFORE_REQUEST)
        assert frames == 0
        # The held frames are drawn once the request is out: the township's grids are shown.
        drawn = page.evaluate("() => window.__frames.filter(t => t > window.__clickAt).length")
        assert drawn > 0
        # A pan still moves the map (its frames are not held for good).
        center = page.evaluate(f"() => {map_js(GRAPH)}.getCenter().lng")
        box = page.locator(GRAPH).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 80, y, steps=5)
        page.mouse.up()
        page.wait_for_function(f"() => {map_js(GRAPH)}.getCenter().lng < {center}")
        assert children
    assert foreign == []


#: Logs each frame MapLibre paints after the click: whether every source had its tiles then,
#: and whether the grid labels were shown (the page's own, over the map).
LOG_PAINTED = f"""() => {{
    const map = {map_js(GRAPH)};
    window.__painted = [];
    window.__labelsWhileHeld = [];
    document.addEventListener('click', () => {{ window.__clickAt = performance.now(); }}, true);
    map.on('render', () => {{
        if (!(performance.now() > (window.__clickAt || Infinity))) return;
        const labels = map.getContainer().querySelector('.map-labels');
        const shown = !!labels && labels.style.visibility !== 'hidden'
            && labels.childElementCount > 0;
        if (map.__gridmapHolding) window.__labelsWhileHeld.push(shown);
        else window.__painted.push([map.areTilesLoaded(), shown,
                                    performance.now() - map.__gridmapFlipStart]);
    }});
}}"""


def test_a_drill_paints_one_frame_once_its_tiles_are_in(tiny_app):
    # MapLibre drew a frame at the new camera at once (the old tiles, or none) and one more as
    # each source's tiles came back; with software WebGL each held the page for 80-130 ms.
    # Now the previous picture stays up (labels hidden) until every tile is in.
    require_chromium()
    with serve(tiny_app.server) as base, browser_page(base) as (page, foreign):
        open_patched_map(page, base)
        page.evaluate(LOG_PAINTED)
        children = drill_into_a_township(page, base)
        painted = page.evaluate("() => window.__painted")
        held = page.evaluate("() => window.__labelsWhileHeld")
        page.screenshot(path=str(ARTIFACTS / "drill-one-frame.png"))
        assert painted, "the drill's frame was never painted"
        # Every painted frame had every tile: none showed a half-loaded map (but for one drawn
        # because the hold ran out, 700 ms after the update began: a very slow worker).
        assert all(loaded or after > 700 for loaded, _, after in painted), painted
        # The new labels waited for the picture while frames were held.
        assert not any(held), held
        assert painted[-1][1], "the township's labels are shown once it is drawn"
        labels = page.locator("#map-graph .map-label").all_inner_texts()
        names = [sorted(c[f"name_{lang}"] for c in children) for lang in ("zh", "en")]
        assert sorted(labels) in names, labels
    assert foreign == []


#: {source id: [its GeoJSON maxzoom, the zooms of the tiles it holds]} for every GeoJSON source.
SOURCE_TILES = f"""() => {{
    const map = {map_js(GRAPH)};
    const out = {{}};
    for (const [id, manager] of Object.entries(map.style.tileManagers)) {{
        const source = map.getSource(id);
        if (source.type !== 'geojson') continue;
        const zooms = Object.values(manager._tiles || {{}}).map(t => t.tileID.canonical.z);
        out[id] = [source.maxzoom, [...new Set(zooms)].sort()];
    }}
    return out;
}}"""


def test_deeper_levels_draw_tiles_cut_once(tiny_app):
    # MapLibre cut every GeoJSON source into tiles again at each new zoom: every drill waited
    # for its worker and drew a frame per late batch. No source is cut deeper than zoom 11:
    # the deeper levels draw those tiles magnified, and their shapes still meet.
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(tiny_app.server) as base, browser_page(base) as (page, foreign):
        page.goto(base + "/?grid=T11")
        page.wait_for_selector(GRAPH)
        # The first plot's sources were made before the page's patch: they get the limit then.
        page.wait_for_function(
            f"""() => {{
                const m = {map_js(GRAPH)};
                return m && m.style && Object.keys(m.style.tileManagers).every(
                    id => m.getSource(id).type !== 'geojson' || m.getSource(id).maxzoom === 11);
            }}"""
        )
        wait_map_idle(page)
        for above, depth in (("T11", "T111"), ("T111", "T1111")):
            children = page.request.get(f"{base}/api/v1/grids/{above}").json()["children"]
            click_grid(page, *next(c for c in children if c["grid_id"] == depth)["point"])
            page.wait_for_function("(g) => location.search === '?grid=' + g", arg=depth)
            wait_map_idle(page)
        zoom = page.evaluate(f"() => {map_js(GRAPH)}.getZoom()")
        assert zoom > 12, zoom  # the level-5 grid is shown deeper than its tiles
        sources = page.evaluate(SOURCE_TILES)
        assert sources, "no GeoJSON source"
        for source, (maxzoom, zooms) in sources.items():
            assert maxzoom == 11 and all(z <= 11 for z in zooms), (source, maxzoom, zooms)
        # The grids are drawn from those tiles: one feature (by its centre) per grid shown.
        grid_source = page.evaluate(TRACE_SOURCES)[0]
        centres = page.evaluate(
            f"""(id) => [...new Set({map_js(GRAPH)}.querySourceFeatures(id)
                .map(f => JSON.stringify(f.properties.ct)))]""",
            grid_source,
        )
        shown = page.evaluate(f"() => document.querySelector('{GRAPH}').data[0].locations")
        assert len(centres) == len(shown) >= 2, (centres, shown)
        page.screenshot(path=str(ARTIFACTS / "map-tiles-level-5.png"))
    assert foreign == []


#: [maxzoom, tolerance in tile units] of a source added with ``n`` polygons, then re-set with ``m``.
SOURCE_RULE = f"""([n, m]) => {{
    const map = {map_js(GRAPH)};
    const square = (i) => ({{type: 'Feature', properties: {{}}, geometry: {{type: 'Polygon',
        coordinates: [[[i * 1e-4, 0], [i * 1e-4 + 5e-5, 0], [i * 1e-4, 5e-5], [i * 1e-4, 0]]]}}}});
    // A ring of ``v`` vertices (a circle's outline).
    const ring = (v) => ({{type: 'Feature', properties: {{}}, geometry: {{type: 'Polygon',
        coordinates: [Array.from({{length: v}}, (_, i) => [Math.cos(i * 6.283 / v) * 1e-2,
                                                          Math.sin(i * 6.283 / v) * 1e-2])
                      .concat([[1e-2, 0]])]}}}});
    // ``k`` small squares, or [k, v]: k rings of v vertices each.
    const polygons = (k) => ({{type: 'FeatureCollection', features: Array.isArray(k)
        ? Array.from({{length: k[0]}}, () => ring(k[1]))
        : Array.from({{length: k}}, (_, i) => square(i))}});
    const id = 'test-rule-' + n + '-' + m;
    map.addSource(id, {{type: 'geojson', data: polygons(n)}});
    const source = map.getSource(id);
    const added = [source.maxzoom, source.workerOptions.geojsonVtOptions.tolerance];
    source.setData(polygons(m));
    const reset = [source.maxzoom, source.workerOptions.geojsonVtOptions.tolerance];
    map.removeSource(id);
    return [added, reset];
}}"""


def test_a_whole_level_of_grids_keeps_maplibres_own_tiles(tiny_app):
    # Every vertex of thousands of grids at the district's zoom would slow a whole level's
    # recolour: more than 2,000 polygons keep MapLibre's tiles, simplified for each zoom.
    require_chromium()
    with serve(tiny_app.server) as base, browser_page(base) as (page, foreign):
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        page.wait_for_function(f"() => {{ const m = {map_js(GRAPH)}; return m && m.style; }}")
        wait_map_idle(page)
        page.wait_for_function(
            f"() => Object.keys({map_js(GRAPH)}.style.tileManagers).every("
            f"id => {map_js(GRAPH)}.getSource(id).maxzoom !== 18)"
        )
        few, many = [11, 0], [18, 6]  # 0.375 px = 6 units of an 8,192-unit, 512-px tile
        assert page.evaluate(SOURCE_RULE, [10, 2001]) == [few, many]
        assert page.evaluate(SOURCE_RULE, [2001, 10]) == [many, few]
        # Or a few polygons of many vertices (the planner's coverage at the district's zoom).
        assert page.evaluate(SOURCE_RULE, [10, [1, 20001]]) == [few, many]
    assert foreign == []
