"""The planner in a real browser: clicking the map adds a new post, clicking it removes it."""

from __future__ import annotations

import pytest

from tests import browser_support as support
from tests.browser_support import ARTIFACTS, browser_page, require_chromium, serve

pytestmark = pytest.mark.browser

GRAPH = "#planner-map .js-plotly-plot"
POSTS_KPI = "#planner-kpi-posts .kpi-value"
ROAD_JUNCTION = (114.84, 33.74)  # inside the tiny district, about 1.4 km from the nearest post


@pytest.fixture(scope="module")
def app(make_tiny_app):
    return make_tiny_app()


def wait_map_idle(page) -> None:
    """Wait until the planner map is drawn, still, and has its click handler."""
    support.wait_map_idle(page, GRAPH, also="gd._plannerClickMap === map")


def click_map(page, lon: float, lat: float) -> None:
    """Click the planner map where (lon, lat) is drawn."""
    support.click_lonlat(page, GRAPH, lon, lat)


def wait_posts_kpi(page, value: str) -> None:
    page.wait_for_function(
        f"() => {{ const el = document.querySelector('{POSTS_KPI}');"
        f" return el && el.textContent === '{value}'; }}",
        timeout=30_000,
    )


def test_click_adds_then_removes_a_post_offline(app):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(app.server) as base, browser_page(base) as (page, foreign):
        page.goto(base + "/planner/")
        page.wait_for_selector(GRAPH)
        page.wait_for_selector(POSTS_KPI)
        before = int(page.locator(POSTS_KPI).inner_text())
        assert before == 3
        # The header names the signed-in person and their role, with a sign-out link.
        page.wait_for_selector("#planner-user .user-name")
        assert page.locator("#planner-user .user-name").inner_text().startswith("demo-commander · ")
        assert page.locator("#planner-user a.sign-out").get_attribute("href") == "/logout"
        wait_map_idle(page)

        click_map(page, *ROAD_JUNCTION)
        page.wait_for_function("() => location.search.includes('add=')", timeout=30_000)
        wait_posts_kpi(page, str(before + 1))
        search = page.evaluate("() => location.search")
        assert "add=114.84" in search
        # The map draws the new post and asks for the scenario's coverage layers.
        page.wait_for_function(f"() => document.querySelector('{GRAPH}').data[2].lon.length === 1")
        sources = page.evaluate(
            f"() => document.querySelector('{GRAPH}').layout.map.layers.slice(0, 2)"
            ".map(l => l.source)"
        )
        assert all("add=114.84" in s for s in sources), sources
        wait_map_idle(page)
        page.screenshot(path=str(ARTIFACTS / "planner.png"))

        # Clicking the new post again removes it.
        new_lon, new_lat = page.evaluate(
            f"() => {{ const t = document.querySelector('{GRAPH}').data[2];"
            " return [t.lon[0], t.lat[0]]; }"
        )
        click_map(page, new_lon, new_lat)
        page.wait_for_function("() => !location.search.includes('add=')", timeout=30_000)
        wait_posts_kpi(page, str(before))
        assert page.locator("#planner-error").inner_text() == ""
    assert foreign == [], f"requests left the app's server: {foreign[:5]}"


def test_the_minutes_slider_moves_with_the_arrow_keys(app):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(app.server) as base, browser_page(base) as (page, _foreign):
        # Answers slowed as on a loaded server: a press must survive the answers before it.
        def slow(route):
            page.wait_for_timeout(600)
            route.continue_()

        page.route("**/_dash-update-component*", slow)
        page.goto(base + "/planner/?minutes=5")
        thumb = page.locator("#planner-minutes-slider [role=slider]")
        thumb.wait_for()
        # No number box beside the slider: its arrow keys moved the thumb but set nothing.
        assert page.locator("#planner-minutes-slider input").count() == 0
        # Pressed at once, while the page's first answers are still on their way, then again.
        thumb.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(200)
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => location.search.includes('minutes=7')", timeout=30_000)
        page.wait_for_selector(POSTS_KPI)
        page.wait_for_timeout(5000)  # every answer in
        assert thumb.get_attribute("aria-valuenow") == "7"
        assert "minutes=7" in page.evaluate("() => location.search")
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("() => location.search.includes('minutes=6')", timeout=30_000)
        page.wait_for_timeout(3000)
        assert thumb.get_attribute("aria-valuenow") == "6"
        assert page.evaluate("() => document.activeElement.getAttribute('role')") == "slider"
        page.screenshot(path=str(ARTIFACTS / "planner-slider-keys.png"))


def test_english_page_names_the_suggested_sites_and_the_district(make_tiny_app):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    zh_app = make_tiny_app(lang="zh")
    with serve(zh_app.server) as base, browser_page(base) as (page, _foreign):
        page.goto(base + "/planner/?minutes=5&add=114.84000,33.74000")
        page.wait_for_selector(POSTS_KPI)
        page.click("#planner-lang-toggle")
        page.wait_for_function(
            "() => document.querySelector('#planner-title-district')?.textContent"
            " === 'Test District'",
            timeout=30_000,
        )
        assert page.get_attribute("#planner-save-name", "placeholder") == "Scenario name"
        page.fill("#planner-suggest-k", "1")
        page.click("#planner-suggest-run")
        page.wait_for_selector("#planner-suggest-panel li", timeout=60_000)
        site = page.locator("#planner-suggest-panel li").first.inner_text()
        assert site.startswith("Site 1 (Dong Town ") and "· Lizhuang Village " in site, site
        population = page.locator("#planner-kpi-population .kpi-delta")
        assert population.inner_text().endswith(" pp")
        assert "up" in population.get_attribute("class")
        page.screenshot(path=str(ARTIFACTS / "planner-english.png"))
