"""Real browser: a district without population draws and drills to level 5 (default metric)."""

from __future__ import annotations

import pytest

from tests.bare_district import write_bare_district
from tests.browser_support import browser_page, require_chromium, serve
from tests.pages.test_browser import GRAPH, drill_to_level5

pytestmark = pytest.mark.browser


def test_a_district_without_population_drills_to_level_5(make_tiny_app, tmp_path):
    require_chromium()
    app = make_tiny_app(data_dir=write_bare_district(tmp_path / "geo"))
    with serve(app.server) as base, browser_page(base) as (page, _foreign):
        page.goto(base + "/")
        page.wait_for_selector(GRAPH)
        z = page.evaluate(f"() => document.querySelector('{GRAPH}').data[0].z")
        assert len(z) == 2 and None not in z
        chosen = drill_to_level5(page, base, "T")
        assert [len(g) for g in chosen] == [2, 3, 4, 5, 5]
        title = page.evaluate(
            f"() => document.querySelector('{GRAPH}').data[0].colorbar.title.text"
        )
        # The menu offers only what the data has and starts on area: no fallback note needed.
        assert title == "Area (km²)"
