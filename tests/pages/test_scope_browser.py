"""Real-browser test: a township officer's map holds only their township, says who they are, and
explains a link to another township's grid instead of showing it."""

from __future__ import annotations

import pytest

from tests.browser_support import ARTIFACTS, browser_page, require_chromium, serve
from tests.pages.test_browser import GRAPH, shown_ids, wait_map_idle, wait_shown_keys

pytestmark = pytest.mark.browser

LISTBOX = "[role=listbox]"


def wait_text(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([sel, text]) => { const el = document.querySelector(sel);"
        " return el && el.innerText.includes(text); }",
        arg=[selector, text],
    )


def test_the_township_officer_sees_only_their_township(tiny_app):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    district = tiny_app.server.extensions["gridmap"].district
    own = sorted(district.key_of[g] for g in ("T11", "T12"))
    officer = "demo-township"
    with serve(tiny_app.server) as base, browser_page(base, user=officer) as (page, foreign):
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        page.wait_for_function(
            f"() => document.querySelector('{GRAPH}').data[0].locations.length === 2"
        )
        assert sorted(shown_ids(page)) == own
        # The header names the person and their role, with a way out.
        assert page.locator("#app-user-name").inner_text() == "demo-township"
        assert page.locator(".user-role").inner_text() == "Township officer"
        assert page.locator(".sign-out").get_attribute("href") == "/logout"
        assert page.locator("#nav-up-button").is_disabled()
        assert page.locator("#nav-breadcrumb").inner_text() == "Dong Town 1"
        # Search lists their grids only ("dong" also names Dong Town 2 for the commander).
        wait_map_idle(page)
        page.locator("#nav-search-dropdown").click()
        page.locator("input.dash-dropdown-search").press_sequentially("dong", delay=50)
        wait_text(page, LISTBOX, "Dong Town 1")
        listed = page.evaluate(f"() => document.querySelector('{LISTBOX}').innerText")
        assert "Dong Town 1" in listed and "Dong Town 2" not in listed
        page.keyboard.press("Escape")
        wait_map_idle(page)
        page.screenshot(path=str(ARTIFACTS / "scope-home-en.png"))

        # A link to the other township: the explained empty state, the map on their own grid.
        page.goto(base + "/?grid=T2")
        page.wait_for_selector("#detail-scope-message")
        wait_text(page, "#detail-scope-message", "Outside your area")
        panel = page.locator("#detail-panel").inner_text()
        assert "Dong Town 1" in panel and "Dong Town 2" not in panel
        assert "10,000" not in panel
        page.wait_for_selector(GRAPH)
        wait_shown_keys(page, own)  # the map's grids come in their own callback: wait for them
        assert sorted(shown_ids(page)) == own
        assert page.locator("#stats-panel").inner_text().strip() == ""
        wait_map_idle(page)
        page.screenshot(path=str(ARTIFACTS / "scope-outside-en.png"))
        page.locator("#app-lang-toggle").click()
        wait_text(page, "#detail-scope-message", "不在您的管辖范围内")
        wait_text(page, ".user-role", "乡镇（街道）")
        wait_text(page, ".sign-out", "退出")
        assert "东镇1" in page.locator("#detail-panel").inner_text()
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "scope-outside-zh.png"))
    assert foreign == [], f"requests left the app's server: {foreign[:5]}"
