"""Real-browser tests: Playwright drives Debian's Chromium against the app on loopback."""

from __future__ import annotations

import pytest

from tests.browser_support import ARTIFACTS, browser_page, require_chromium, serve

pytestmark = pytest.mark.browser

GRAPH = "#map-graph .js-plotly-plot"


def shown_ids(page) -> list[str]:
    return page.evaluate(f"() => document.querySelector('{GRAPH}').data[0].locations")


def wait_map_idle(page) -> None:
    """Wait until the map has drawn its sources and stopped moving."""
    page.wait_for_function(
        f"""() => {{
            const gd = document.querySelector('{GRAPH}');
            const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
            const map = sub && sub.map;
            return map && map.loaded() && !map.isMoving() && map.areTilesLoaded();
        }}""",
        timeout=30_000,
    )
    page.wait_for_timeout(300)


def click_grid(page, lon: float, lat: float) -> None:
    """Click the map where (lon, lat) is drawn."""
    x, y = page.evaluate(
        f"""([lon, lat]) => {{
            const gd = document.querySelector('{GRAPH}');
            const map = gd._fullLayout.map._subplot.map;
            const p = map.project([lon, lat]);
            const box = map.getCanvas().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }}""",
        [lon, lat],
    )
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)
    page.wait_for_timeout(250)
    page.mouse.click(x, y)


def drill_to_level5(page, base: str) -> list[str]:
    """From the district, click the first grid shown at each level; return the chosen ids."""
    chosen = []
    for _ in range(4):
        wait_map_idle(page)
        ids = shown_ids(page)
        target = ids[0]
        summary = page.request.get(f"{base}/api/v1/grids/{target}").json()
        click_grid(page, *summary["grid"]["point"])
        page.wait_for_url(f"**grid={target}**", timeout=15_000)
        page.wait_for_function(
            f"() => !document.querySelector('{GRAPH}').data[0].locations.includes('{target}')"
            if summary["grid"]["children"]
            else "() => true",
            timeout=15_000,
        )
        chosen.append(target)
    # At level 4 the children are level-5 grids: click one to select it.
    wait_map_idle(page)
    target = shown_ids(page)[0]
    summary = page.request.get(f"{base}/api/v1/grids/{target}").json()
    assert summary["grid"]["level"] == 5
    click_grid(page, *summary["grid"]["point"])
    page.wait_for_url(f"**grid={target}**", timeout=15_000)
    chosen.append(target)
    return chosen


def test_drill_down_and_back_up_offline(tiny_app):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(tiny_app.server) as base, browser_page(base) as (page, foreign):
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        assert sorted(shown_ids(page)) == ["T1", "T2"]
        chosen = drill_to_level5(page, base)
        assert [len(g) for g in chosen] == [2, 3, 4, 5, 5]
        # The detail panel names the level-5 grid; the breadcrumb holds the whole chain.
        page.wait_for_function(
            f"() => document.querySelector('#detail-code-value').textContent === '{chosen[-1]}'"
        )
        crumbs = page.locator(".crumb")
        assert crumbs.count() == 5
        page.screenshot(path=str(ARTIFACTS / "drill-level5.png"))
        # Back up with the breadcrumb: its first button is the district.
        page.locator(".crumb").first.click()
        page.wait_for_function("() => !location.search.includes('grid=')")
        page.wait_for_function(
            f"() => document.querySelector('{GRAPH}').data[0].locations.length === 2"
        )
        # The browser's back button returns to the level-5 grid.
        page.go_back()
        page.wait_for_function(f"() => location.search.includes('grid={chosen[-1]}')")
        page.wait_for_function(
            f"() => document.querySelector('#detail-code-value').textContent === '{chosen[-1]}'"
        )
        page.screenshot(path=str(ARTIFACTS / "drill-back.png"))
    assert foreign == [], f"requests left the app's server: {foreign[:5]}"


def test_deep_link_and_language_toggle(tiny_app):
    require_chromium()
    with serve(tiny_app.server) as base, browser_page(base) as (page, foreign):
        page.goto(base + "/?grid=T12")
        page.wait_for_selector(GRAPH)
        page.wait_for_function(
            "() => document.querySelector('#detail-code-value') && "
            "document.querySelector('#detail-code-value').textContent === 'T12'"
        )
        assert sorted(shown_ids(page)) == ["T121", "T122"]
        assert page.locator("#app-lang-toggle").inner_text() == "中文"
        page.locator("#app-lang-toggle").click()
        page.wait_for_function(
            "() => document.querySelector('#app-lang-toggle').textContent === 'English'"
        )
        assert "网格详情" in page.locator("#detail-panel").inner_text()
    assert foreign == []
