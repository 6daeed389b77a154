"""Every page draws its graphs with the app's Plotly bundle, never the full one; a reload refetches
no file."""

from __future__ import annotations

import pytest

from pages.assets import PLOTLY_BUNDLE
from tests.browser_support import (
    ARTIFACTS,
    browser_page,
    require_chromium,
    serve,
    wait_map_idle,
)
from tests.incident_fixtures import INCIDENTS

pytestmark = pytest.mark.browser

GRAPH = "#map-graph .js-plotly-plot"
PAGES = ("/?grid=T1", "/planner/", "/wall/", "/dispatch/")

# Each drawn graph's trace types, and whether Plotly found a module for each (an unregistered
# type is drawn as nothing).
GRAPHS_JS = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .filter(gd => gd._fullData)
    .map(gd => ({id: gd.parentElement && gd.parentElement.id,
                 types: gd.data.map(t => t.type || 'scatter'),
                 drawn: gd._fullData.every(t => Boolean(t._module))}))"""


@pytest.fixture(scope="module")
def app(make_tiny_app):
    app = make_tiny_app()
    app.server.extensions["gridmap"].incident_store.insert(INCIDENTS)
    return app


def test_every_page_draws_with_the_bundle_alone(app):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    seen_types: set[str] = set()
    with serve(app.server) as base, browser_page(base) as (page, foreign):
        scripts: list[str] = []
        page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else 0)
        for path in PAGES:
            scripts.clear()
            page.goto(base + path)
            page.wait_for_function(f"() => ({GRAPHS_JS})().length > 0", timeout=30_000)
            page.wait_for_timeout(500)  # graphs drawn later (charts) get their chance
            registered = set(page.evaluate("() => Object.keys(Plotly.PlotSchema.get().traces)"))
            graphs = page.evaluate(GRAPHS_JS)
            for graph in graphs:
                assert graph["drawn"], (path, graph)
                assert set(graph["types"]) <= registered, (path, graph)
                seen_types |= set(graph["types"])
            names = [url.rsplit("/", 1)[-1].split("?")[0] for url in scripts]
            full = [n for n in names if n.startswith("plotly.") and "min.js" in n]
            assert not full, (path, names)
            assert any(n.startswith(PLOTLY_BUNDLE.split(".")[0]) for n in names), (path, names)
        page.screenshot(path=str(ARTIFACTS / "plotly-bundle-dispatch.png"))
    assert {"choroplethmap", "scattermap", "densitymap"} <= seen_types
    assert foreign == [], foreign[:5]


def test_a_reload_fetches_no_script_style_or_geometry_again(app):
    """Versioned files are kept by the browser: a reload asks the server only for the page,
    its layout and its data (the 3 MB Plotly bundle among what is not fetched again).

    Dash loads four parts of its components from URLs without a version (``async-graph.js``):
    those are asked again, and answered 304 with no body.
    """
    require_chromium()
    asked: list[str] = []
    statuses: dict[str, str] = {}

    def recording(environ, start_response):
        url = environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", "")
        asked.append(url)

        def start(status, headers, *rest):
            statuses[url] = status.split()[0]
            return start_response(status, headers, *rest)

        return app.server.wsgi_app(environ, start)

    with serve(recording) as base, browser_page(base) as (page, _):
        page.goto(base + "/")
        wait_map_idle(page, GRAPH)
        page.wait_for_timeout(2_500)  # the geometry of the other levels is fetched ahead
        first = list(asked)
        asked.clear()
        page.reload()
        wait_map_idle(page, GRAPH)
        page.wait_for_timeout(2_500)
    files = (".js?", ".css?", ".geojson?")
    assert any(PLOTLY_BUNDLE in a for a in first)
    assert sum(a.endswith(files) or any(f in a for f in files) for a in first) >= 10
    again = [a for a in asked if any(f in a for f in files)]
    unversioned = [a for a in again if a.startswith("/_dash-component-suites/dash/dcc/async-")]
    assert again == unversioned, again
    assert [statuses[a] for a in unversioned] == ["304"] * len(unversioned)
    assert any(a.startswith("/_dash-layout") for a in asked)  # the reload did reach the server
