"""Real-browser tests of the main map as a user meets it: search by pinyin in the Chinese page,
the dropdown's own texts, an unknown grid in the link."""

from __future__ import annotations

import pytest

from tests.browser_support import ARTIFACTS, browser_page, require_chromium, serve
from tests.pages.test_browser import GRAPH, wait_map_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def zh_app(make_tiny_app):
    return make_tiny_app(lang="zh")


def open_search(page, text: str) -> list[str]:
    """Type ``text`` in the grid search box; return the option labels the browser shows."""
    page.click("#nav-search-dropdown")
    # Filled at once (one search, as after a pause in typing): the browser then filters the
    # server's options against their label and search text.
    page.fill("input.dash-dropdown-search", text)
    page.wait_for_timeout(1500)
    return page.locator(".dash-dropdown-option").all_inner_texts()


@pytest.mark.parametrize("text", ["dongzhen", "dong zhen", "DongZhen"])
def test_pinyin_search_in_the_chinese_page(zh_app, text):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(zh_app.server) as base, browser_page(base) as (page, _):
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        wait_map_idle(page)
        shown = open_search(page, text)
        page.screenshot(path=str(ARTIFACTS / f"search-{text.replace(' ', '_')}.png"))
        assert any(s.startswith("东镇1") for s in shown), shown
        assert any(s.startswith("东镇2") for s in shown), shown


def test_dropdown_texts_are_chinese(zh_app):
    require_chromium()
    with serve(zh_app.server) as base, browser_page(base) as (page, _):
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        # The dropdown's own texts come from its translated ``labels``.
        assert open_search(page, "zzzz") == ["没有匹配的选项"]
        assert "No options found" not in page.inner_text("body")
        assert page.get_attribute("input.dash-dropdown-search", "placeholder") == "搜索"


def test_unknown_grid_is_said(zh_app):
    require_chromium()
    with serve(zh_app.server) as base, browser_page(base) as (page, _):
        page.goto(base + "/?grid=bogus123")
        page.wait_for_selector("#detail-unknown-grid")
        assert "bogus123" in page.inner_text("#detail-unknown-grid")
        assert page.evaluate("() => document.querySelector('#nav-up-button').disabled")


def test_language_switch_keeps_the_dropdowns_values(zh_app):
    require_chromium()
    with serve(zh_app.server) as base, browser_page(base) as (page, _):
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        page.wait_for_function(
            "() => document.querySelector('#stats-rank-select')?.innerText.includes('按事件数')"
        )
        page.click("#app-lang-toggle")
        # The ranking dropdown kept its value (it went blank when its options came late).
        page.wait_for_function(
            "() => document.querySelector('#stats-rank-select')?.innerText.includes('By count')"
        )
