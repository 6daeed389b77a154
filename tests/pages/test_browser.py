"""Real-browser tests: Playwright drives Debian's Chromium against the app on loopback."""

from __future__ import annotations

import json

import pytest

from tests import browser_support as support
from tests.browser_support import ARTIFACTS, browser_page, require_chromium, serve

pytestmark = pytest.mark.browser

GRAPH = "#map-graph .js-plotly-plot"


def shown_ids(page) -> list[str]:
    return page.evaluate(f"() => document.querySelector('{GRAPH}').data[0].locations")


def wait_map_idle(page) -> None:
    """Wait until the main map has drawn its sources and stopped moving."""
    support.wait_map_idle(page, GRAPH)


def click_grid(page, lon: float, lat: float) -> None:
    """Click the main map where (lon, lat) is drawn."""
    support.click_lonlat(page, GRAPH, lon, lat)


def wait_shown_keys(page, keys: list[str]) -> None:
    """Wait until the map's grid trace shows exactly the grids keyed ``keys``."""
    expected = json.dumps(sorted(keys), separators=(",", ":"))
    page.wait_for_function(
        f"() => JSON.stringify([...document.querySelector('{GRAPH}').data[0].locations]"
        f".sort()) === '{expected}'"
    )


def drill_to_level5(page, base: str, root: str) -> list[str]:
    """From the district, click the first child grid at each level down to level 5, then a
    sibling of that level-5 grid; return the chosen ids."""
    chosen = []
    parent = current = page.request.get(f"{base}/api/v1/grids/{root}").json()
    while current["children"]:
        wait_map_idle(page)
        child = current["children"][0]
        assert child["key"] in shown_ids(page)
        click_grid(page, *child["point"])
        page.wait_for_function(f"() => location.search.includes('grid={child['grid_id']}')")
        chosen.append(child["grid_id"])
        parent, current = (
            current,
            page.request.get(f"{base}/api/v1/grids/{child['grid_id']}").json(),
        )
        if current["children"]:
            # The map now shows the children of the grid just clicked.
            wait_shown_keys(page, [c["key"] for c in current["children"]])
    # A level-5 grid is shown with its siblings: clicking another one selects it.
    assert current["grid"]["level"] == 5
    siblings = parent["children"]
    wait_shown_keys(page, [c["key"] for c in siblings])
    wait_map_idle(page)
    sibling = siblings[-1]
    assert sibling["grid_id"] != chosen[-1]
    click_grid(page, *sibling["point"])
    page.wait_for_function(f"() => location.search.includes('grid={sibling['grid_id']}')")
    chosen.append(sibling["grid_id"])
    return chosen


def test_drill_down_and_back_up_offline(tiny_app):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(tiny_app.server) as base, browser_page(base) as (page, foreign):
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        assert len(shown_ids(page)) == 2
        chosen = drill_to_level5(page, base, "T")
        assert [len(g) for g in chosen] == [2, 3, 4, 5, 5]
        # The detail panel names the level-5 grid; the breadcrumb holds the whole chain.
        page.wait_for_function(
            f"() => document.querySelector('#detail-code-value')?.textContent === '{chosen[-1]}'"
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
            f"() => document.querySelector('#detail-code-value')?.textContent === '{chosen[-1]}'"
        )
        page.screenshot(path=str(ARTIFACTS / "drill-back.png"))
    assert foreign == [], f"requests left the app's server: {foreign[:5]}"


def test_deep_link_and_language_toggle(tiny_app):
    require_chromium()
    with serve(tiny_app.server) as base, browser_page(base) as (page, foreign):
        page.goto(base + "/?grid=T12")
        page.wait_for_selector(GRAPH)
        page.wait_for_function(
            "() => document.querySelector('#detail-code-value')?.textContent === 'T12'"
        )
        keys = [c["key"] for c in page.request.get(f"{base}/api/v1/grids/T12").json()["children"]]
        # The map's grids come in their own callback: wait for them rather than race it.
        wait_shown_keys(page, keys)
        page.wait_for_function(
            "() => document.querySelector('#app-lang-toggle')?.textContent === '中文'"
        )
        page.locator("#app-lang-toggle").click()
        page.wait_for_function(
            "() => document.querySelector('#app-lang-toggle')?.textContent === 'English'"
        )
        # The panel re-renders in its own callback: wait for it rather than race it.
        page.wait_for_function(
            "() => document.querySelector('#detail-panel')?.innerText.includes('网格详情')"
        )
    assert foreign == []


def test_a_hover_label_follows_a_language_switch_from_the_keyboard(tiny_app):
    """The pointer rests on a grid (its label drawn in English) while the keyboard switches the
    language: the label shown then is the Chinese one (Plotly draws it again from the new
    figure), never the English one left behind."""
    require_chromium()
    label = f"() => [...document.querySelectorAll('{GRAPH} .hoverlayer .hovertext')]"
    with serve(tiny_app.server) as base, browser_page(base) as (page, foreign):
        page.goto(base + "/?grid=T1")
        wait_map_idle(page)
        child = page.request.get(f"{base}/api/v1/grids/T11").json()["grid"]
        support.hover_lonlat(page, GRAPH, *child["point"])
        page.wait_for_function(f"() => ({label})().some(n => n.textContent.includes('Village'))")
        page.focus("#app-lang-toggle")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('#app-lang-toggle')?.textContent === 'English'"
        )
        page.wait_for_function(
            "() => document.querySelector('#detail-panel')?.innerText.includes('网格详情')"
        )
        page.wait_for_function(
            f"() => ({label})().length > 0 && ({label})().every(n => n.textContent.includes('村'))"
        )
        page.wait_for_timeout(500)  # and it stays so
        texts = page.evaluate(f"() => ({label})().map(n => n.textContent)")
        assert texts and not any("Village" in text for text in texts), texts
    assert foreign == []
