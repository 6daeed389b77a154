"""Real-browser tests of the map's furniture with every layer on: the colour bar, the toolbar
and the credit line keep off the map's grids and each other; Plotly speaks the page's language
(its zh-CN locale, vendored in assets/)."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import datetime, timedelta

import pytest

from gridmap.clock import LOCAL_TZ
from tests.browser_support import ARTIFACTS, browser_page, map_js, require_chromium, serve
from tests.pages.test_browser import GRAPH, wait_map_idle

pytestmark = pytest.mark.browser

TOKEN = "layout-browser-token"
EVERY_LAYER = ["posts", "roads", "coverage", "gaps", "heat", "incidents"]


@pytest.fixture(scope="module")
def zh_app(make_tiny_app):
    return make_tiny_app(lang="zh", api_token=TOKEN)


@pytest.fixture(scope="module")
def en_app(make_tiny_app):
    return make_tiny_app(lang="en", api_token=TOKEN)


def rect(page, selector: str) -> dict:
    """Return the bounding box (left, top, right, bottom) of the first ``selector``."""
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                      return {l: r.left, t: r.top, r: r.right, b: r.bottom}; }""",
        selector,
    )


def overlap(a: dict, b: dict) -> bool:
    return a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]


def grids_rect(page) -> dict:
    """Return the screen box of the drawn grids (the selected grid's outline trace)."""
    return page.evaluate(
        f"""() => {{
            const gd = document.querySelector('{GRAPH}');
            const map = {map_js(GRAPH)};
            const box = map.getCanvas().getBoundingClientRect();
            const t = gd.data[1];
            const xs = [], ys = [];
            t.lon.forEach((lon, i) => {{
                if (lon === null) return;
                const p = map.project([lon, t.lat[i]]);
                xs.push(box.left + p.x); ys.push(box.top + p.y);
            }});
            return {{l: Math.min(...xs), t: Math.min(...ys), r: Math.max(...xs),
                     b: Math.max(...ys)}};
        }}"""
    )


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_every_layer_on_keeps_the_map_readable(zh_app, size):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(zh_app.server) as base, browser_page(base, *size) as (page, _):
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        page.evaluate(
            "(v) => window.dash_clientside.set_props('map-layer-checklist', {value: v})",
            EVERY_LAYER,
        )
        # The overlay stack: the choropleth turns grey and lighter under the coverage.
        page.wait_for_function(
            f"() => document.querySelector('{GRAPH}').data[0].marker.opacity === 0.5"
        )
        page.goto(base + "/?grid=T1")
        page.wait_for_selector(GRAPH)
        page.wait_for_function(
            f"() => {{ const gd = document.querySelector('{GRAPH}');"
            " return gd && gd.layout && gd.layout.uirevision === 'T1'"
            " && gd.data[0].marker.opacity === 0.5; }"
        )
        wait_map_idle(page)
        page.screenshot(path=str(ARTIFACTS / f"map-every-layer-{size[0]}.png"))
        scale = page.evaluate(f"() => document.querySelector('{GRAPH}').data[0].colorscale")
        assert all(len(set(c[1][1:])) in (1, 2) for c in scale), scale  # grey: #rrggbb equal
        grids = grids_rect(page)
        bar = rect(page, "#map-graph .colorbar")
        assert not overlap(grids, bar), (grids, bar)
        title = rect(page, "#map-graph .colorbar .cbtitle")
        modebar = rect(page, "#map-graph .modebar")
        assert not overlap(title, modebar), (title, modebar)
        canvas = rect(page, "#map-graph .maplibregl-canvas")
        credit = rect(page, "#map-credit")
        assert credit["t"] >= canvas["b"] - 0.5, (credit, canvas)
        # The credit line is the page's language.
        assert re.search(r"[\u4e00-\u9fff]", page.inner_text("#map-credit")) or (
            page.inner_text("#map-credit") == "Test data"
        )


def post_incidents(base: str, days_ago: list[int]) -> None:
    now = datetime.now(LOCAL_TZ)
    records = [
        {
            "id": f"trend-{d}",
            "category": "security",
            "reported_at": (now - timedelta(days=d)).isoformat(timespec="seconds"),
            "lon": 114.81,
            "lat": 33.71,
        }
        for d in days_ago
    ]
    request = urllib.request.Request(
        f"{base}/api/v1/incidents",
        data=json.dumps(records).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 201)


def trend_ticks(page) -> list[str]:
    page.wait_for_selector("#stats-trend .xtick text", timeout=20_000)
    # SVG text has no innerText: read its textContent.
    return page.evaluate(
        "() => [...document.querySelectorAll('#stats-trend .xtick text')].map(t => t.textContent)"
    )


def test_chinese_page_dates_and_toolbar_in_chinese(zh_app):
    require_chromium()
    with serve(zh_app.server) as base, browser_page(base) as (page, _):
        post_incidents(base, [5, 70, 150])
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        ticks = trend_ticks(page)
        chinese = [bool(re.fullmatch(r"\d{4}年\d{1,2}月", tick)) for tick in ticks]
        assert ticks and all(chinese), ticks
        # Plotly's own texts come from the registered zh-CN locale.
        titles = page.evaluate(
            "() => [...document.querySelectorAll('#map-graph .modebar-btn')]"
            ".map(b => b.getAttribute('data-title'))"
        )
        assert "放大" in titles and "Zoom in" not in titles, titles
        assert page.evaluate(f"() => document.querySelector('{GRAPH}')._context.locale") == (
            "zh-CN"
        )


def test_english_page_dates_and_toolbar_in_english(en_app):
    require_chromium()
    with serve(en_app.server) as base, browser_page(base) as (page, _):
        post_incidents(base, [5, 70, 150])
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        ticks = trend_ticks(page)
        months = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
        english = [bool(re.fullmatch(rf"({months}) \d{{4}}", tick)) for tick in ticks]
        assert ticks and all(english), ticks
        titles = page.evaluate(
            "() => [...document.querySelectorAll('#map-graph .modebar-btn')]"
            ".map(b => b.getAttribute('data-title'))"
        )
        assert "Zoom in" in titles, titles
        assert not re.search(r"[\u4e00-\u9fff]", page.inner_text("#map-credit"))
