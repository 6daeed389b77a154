"""The API reference page in Chromium: drawn under the served CSP, nothing fetched elsewhere."""

from __future__ import annotations

import pytest

from tests.browser_support import ARTIFACTS, browser_page, require_chromium, serve
from tests.pages.test_security_browser import LISTENER

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app(make_tiny_app):
    require_chromium()
    return make_tiny_app()


def test_the_reference_page_reads_in_both_languages_with_no_violation(app):
    with serve(app.server) as base, browser_page(base, user="demo-viewer") as (page, foreign):
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        page.add_init_script(LISTENER)
        page.goto(f"{base}/api/v1/docs?lang=zh")
        page.wait_for_selector("#schemas")
        assert page.locator("h1").inner_text().endswith("API 参考")
        assert page.locator("#post_incidents h3").inner_text() == "POST/api/v1/incidents"
        page.locator("#api-docs-lang").click()
        page.wait_for_url("**/api/v1/docs?lang=en")
        assert page.locator("h2", has_text="Schemas").count() == 1
        page.locator("#post_incidents a", has_text="IncidentPost").click()
        assert page.locator("#schema-IncidentPost").is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "api-docs.png"))
        assert page.evaluate("window.__csp") == [] and console == []
    assert foreign == []
