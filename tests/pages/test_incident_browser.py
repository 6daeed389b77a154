"""Real-browser test: an incident posted to the API appears on an open map without a reload."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import datetime, timedelta

import pytest

from gridmap.clock import LOCAL_TZ
from tests.browser_support import ARTIFACTS, browser_page, require_chromium, serve
from tests.pages.test_browser import GRAPH, click_grid, wait_map_idle

pytestmark = pytest.mark.browser

TOKEN = "incident-browser-token"
LEVEL_GEOMETRY = re.compile(r"/geo/[^/]+/level-\d\.geojson")


@pytest.fixture(scope="module")
def live_app(make_tiny_app):
    return make_tiny_app(api_token=TOKEN, refresh_seconds=1)


def post_incident(base: str, record: dict) -> dict:
    request = urllib.request.Request(
        f"{base}/api/v1/incidents",
        data=json.dumps(record).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        return json.loads(response.read())


def incident_ids(page) -> list[str]:
    return page.evaluate(f"() => [...(document.querySelector('{GRAPH}').data[4].customdata || [])]")


def test_posted_incident_appears_live(live_app):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    geometry: list[str] = []
    with serve(live_app.server) as base, browser_page(base) as (page, foreign):
        page.on(
            "request", lambda r: geometry.append(r.url) if LEVEL_GEOMETRY.search(r.url) else None
        )
        page.goto(base + "/?grid=T111")
        page.wait_for_selector(GRAPH)
        # A level-4 view: its two level-5 children are drawn, the point layer is on (empty).
        page.wait_for_function(
            f"() => document.querySelector('{GRAPH}').data[0].locations.length === 2"
        )
        page.wait_for_function(
            f"() => document.querySelector('{GRAPH}').data[4].visible === true", timeout=15_000
        )
        wait_map_idle(page)
        page.wait_for_timeout(1500)  # a refresh tick or two with nothing new
        assert incident_ids(page) == []
        first_load = list(geometry)
        assert any("level-5.geojson" in u for u in first_load), first_load

        page.evaluate("() => { window.__marker = 1; }")
        reported = datetime.now(LOCAL_TZ) - timedelta(minutes=5)
        rid = f"live-{reported:%H%M%S}"
        lon, lat = 114.81, 33.71  # inside T1111
        answer = post_incident(
            base,
            {
                "id": rid,
                "category": "security",
                "reported_at": reported.isoformat(timespec="seconds"),
                "lon": lon,
                "lat": lat,
                "description": "live test",
            },
        )
        assert answer["stored_ids"] == [rid]

        # Within a few refresh intervals (1 s each), without a reload.
        page.wait_for_function(
            f"() => (document.querySelector('{GRAPH}').data[4].customdata || []).includes('{rid}')",
            timeout=10_000,
        )
        assert page.evaluate("() => window.__marker") == 1
        assert incident_ids(page) == [rid]
        # The heat layer counts it too.
        assert (
            page.evaluate(
                f"() => document.querySelector('{GRAPH}').data[3].z.reduce((a, b) => a + b, 0)"
            )
            == 1
        )
        page.wait_for_timeout(2500)  # more refresh ticks: nothing refetched
        assert geometry == first_load, f"geometry requested again: {geometry[len(first_load) :]}"

        # Click the point: its detail shows.
        wait_map_idle(page)
        click_grid(page, lon, lat)
        page.wait_for_function(
            f"() => document.querySelector('#incident-detail')?.textContent.includes('{rid}')",
            timeout=10_000,
        )
        detail = page.locator("#incident-detail").inner_text()
        assert "Public security" in detail and "Grid 1111" in detail
        assert "grid=T111" in page.url and "T1111" not in page.url.split("grid=")[1]
        assert page.evaluate("() => window.__marker") == 1
        page.screenshot(path=str(ARTIFACTS / "incident-live.png"))
    assert geometry == first_load
    assert foreign == [], f"requests left the app's server: {foreign[:5]}"
