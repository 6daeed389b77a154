"""The planner's second step in a real browser: scenarios side by side (synchronised maps, the
KPI table, places gained and lost), the response-time layer, and the report printed to PDF."""

from __future__ import annotations

import io

import pytest

from gridmap.coverage.scenario import Scenario
from tests import browser_support as support
from tests.browser_support import ARTIFACTS, browser_page, require_chromium, serve

pytestmark = pytest.mark.browser

MAP_A = "#planner-compare-map-a .js-plotly-plot"
MAP_B = "#planner-compare-map-b .js-plotly-plot"
GRAPH = "#planner-map .js-plotly-plot"
ROAD_JUNCTION = (114.84, 33.74)


@pytest.fixture(scope="module")
def app(make_tiny_app):
    app = make_tiny_app()
    store = app.server.extensions["gridmap"].scenario_store
    moved = Scenario(added=(ROAD_JUNCTION,), disabled=("P1",)).to_query()
    store.save("browser-moved", moved, "demo-commander")
    store.save("browser-more", Scenario(added=(ROAD_JUNCTION,)).to_query(), "demo-commander")
    return app


def pick(page, dropdown: str, label: str) -> None:
    """Choose ``label`` in the Dash dropdown ``dropdown`` (open, type, Enter).

    Typed at a person's pace: the dropdown's search box is a controlled input, and keys sent
    with no pause on a loaded machine were lost (``bowser-moved``) as it re-rendered between them.
    """
    page.click(f"#{dropdown}")
    page.keyboard.type(label, delay=40)
    page.wait_for_selector(f"text={label}", timeout=30_000)
    page.keyboard.press("Enter")


def test_two_scenarios_side_by_side_move_together(app):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(app.server) as base, browser_page(base) as (page, foreign):
        # The planner at 6 minutes: the comparison takes its parameters from the planner's.
        page.goto(base + "/planner/?minutes=6")
        page.wait_for_selector(MAP_A)
        page.wait_for_function(
            "() => document.querySelector('#planner-compare-minutes')?.value === '6'",
            timeout=30_000,
        )
        page.locator("#planner-compare").scroll_into_view_if_needed()
        pick(page, "planner-compare-a", "Today")
        pick(page, "planner-compare-b", "browser-moved")
        page.wait_for_selector("#compare-row-posts", timeout=30_000)
        cells = page.locator("#compare-row-posts td").all_inner_texts()
        assert cells[1:] == ["3", "3", "0"]
        assert page.locator("#compare-row-mean_minutes td").count() == 4
        # Both columns say what they were computed at; B was saved at 5 minutes.
        at6 = "6 min · Off-peak · speed ×1"
        assert page.locator("#compare-row-params th").all_inner_texts()[1:3] == [at6, at6]
        assert page.locator("#compare-saved-b").inner_text() == "saved at: 5 min"
        assert page.locator("#compare-saved-a").count() == 0  # today has no saved parameters
        # Another minute count for the comparison: both sides are computed again at it.
        page.fill("#planner-compare-minutes", "7")
        page.press("#planner-compare-minutes", "Enter")
        page.wait_for_function(
            "() => [...document.querySelectorAll('#compare-row-params th')]"
            ".filter(c => c.textContent === '7 min · Off-peak · speed ×1').length === 2",
            timeout=30_000,
        )
        assert page.locator("#compare-saved-b").inner_text() == "saved at: 5 min"
        # Map B draws the new post and the places gained and lost.
        page.wait_for_function(
            f"() => document.querySelector('{MAP_B}').data[2].lon.length === 1", timeout=30_000
        )
        sources = page.evaluate(
            f"() => document.querySelector('{MAP_B}').layout.map.layers.slice(4, 6)"
            ".map(l => l.source)"
        )
        assert "difference-gained" in sources[0] and "difference-lost" in sources[1]
        assert all("minutes%3D7" in src for src in sources), sources
        support.wait_map_idle(page, MAP_A)
        support.wait_map_idle(page, MAP_B)
        # Zoom map A: map B follows (relayout sync in the browser, no server round trip).
        page.evaluate(
            f"() => Plotly.relayout(document.querySelector('{MAP_A}'),"
            " {'map.zoom': 13.5, 'map.center': {lon: 114.84, lat: 33.74}})"
        )
        page.wait_for_function(
            f"() => Math.abs(document.querySelector('{MAP_B}').layout.map.zoom - 13.5) < 1e-6",
            timeout=30_000,
        )
        centre = page.evaluate(f"() => document.querySelector('{MAP_B}').layout.map.center")
        assert abs(centre["lon"] - 114.84) < 1e-6 and abs(centre["lat"] - 33.74) < 1e-6
        # And back: B moves A.
        page.evaluate(
            f"() => Plotly.relayout(document.querySelector('{MAP_B}'), {{'map.zoom': 12}})"
        )
        page.wait_for_function(
            f"() => Math.abs(document.querySelector('{MAP_A}').layout.map.zoom - 12) < 1e-6",
            timeout=30_000,
        )
        support.wait_map_idle(page, MAP_B)
        page.locator("#planner-compare").screenshot(path=str(ARTIFACTS / "planner-compare.png"))
        assert page.locator("#planner-error").inner_text() == ""
    assert foreign == [], f"requests left the app's server: {foreign[:5]}"


def test_the_response_time_layer_and_the_printed_report(app):
    require_chromium()
    from pypdf import PdfReader

    ARTIFACTS.mkdir(exist_ok=True)
    query = Scenario(added=(ROAD_JUNCTION,)).to_query()
    with serve(app.server) as base, browser_page(base) as (page, foreign):
        page.goto(base + "/planner/" + query)
        page.wait_for_selector("#planner-kpi-mean-time .kpi-value")
        page.get_by_text("Response time", exact=True).click()
        page.wait_for_function(
            # The graph may be between renders: wait, never throw, while it is not there.
            f"() => document.querySelector('{GRAPH}')?.data?.[4]?.visible === true"
            f" && String(document.querySelector('{GRAPH}')?.layout?.map?.layers?.[6]?.source)"
            ".includes('times.png')",
            timeout=30_000,
        )
        support.wait_map_idle(page, GRAPH)
        page.screenshot(path=str(ARTIFACTS / "planner-times.png"))
        href = page.locator("#planner-report-link").get_attribute("href")
        assert href.startswith("/planner/report?") and "add=114.84" in href
        page.goto(base + href)
        page.wait_for_selector("#report-sites-table")
        page.screenshot(path=str(ARTIFACTS / "planner-report.png"), full_page=True)
        page.emulate_media(media="print")
        assert not page.locator("#report-print").is_visible()  # the toolbar is not printed
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert foreign == [], f"requests left the app's server: {foreign[:5]}"
    (ARTIFACTS / "planner-report.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    for heading in ("Map", "Figures before and after", "New post sites", "Method and parameters"):
        assert heading in text, heading
    assert "Dong Town" in text and "Generated on" in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert abs(float(width) - 595) < 2 and abs(float(height) - 842) < 2  # A4 in points
