"""A ranking row drills the map, also right after the language switch redrew the rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.browser_support import ARTIFACTS, browser_page, require_chromium, serve
from tests.incident_fixtures import incident
from tests.pages.test_browser import wait_map_idle, wait_shown_keys

pytestmark = pytest.mark.browser

ROW = """[id='{"index":"T11","type":"stats-child"}']"""


@pytest.fixture(scope="module")
def app(make_tiny_app):
    app = make_tiny_app()
    recent = datetime.now(UTC) - timedelta(days=10)  # inside the page's default window
    rows = [
        incident(f"r{i}", "T1111", 114.8025, 33.7025, reported_at=recent - timedelta(hours=i))
        for i in range(3)
    ]
    app.server.extensions["gridmap"].incident_store.insert(rows)
    return app


def test_a_ranking_row_drills_after_a_language_switch(app):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(app.server) as base, browser_page(base) as (page, foreign):
        page.goto(base + "/?grid=T1")
        page.wait_for_selector(ROW)
        wait_map_idle(page)
        # The switch redraws the panel, the breadcrumb and the statistics' rows at once.
        page.locator("#app-lang-toggle").click()
        page.wait_for_function(
            "() => document.querySelector('#detail-panel')?.innerText.includes('网格详情')"
        )
        page.wait_for_function(
            "() => document.querySelector('#stats-panel')?.innerText.includes('事件统计')"
        )
        page.locator(ROW).click()
        page.wait_for_function("() => location.search === '?grid=T11'")
        keys = [c["key"] for c in page.request.get(f"{base}/api/v1/grids/T11").json()["children"]]
        wait_shown_keys(page, keys)
        page.wait_for_function(
            "() => document.querySelector('#detail-code-value')?.textContent === 'T11'"
        )
        # Still in Chinese, and the breadcrumb ends at the row's grid.
        assert "网格详情" in page.inner_text("#detail-panel")
        assert page.locator(".crumb").count() == 3
        page.screenshot(path=str(ARTIFACTS / "ranking-row-drill.png"))
        # The browser's back button returns to the township.
        page.go_back()
        page.wait_for_function("() => location.search === '?grid=T1'")
    assert foreign == []
