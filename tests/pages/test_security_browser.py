"""The Content-Security-Policy in a real browser: the map, the planner and the wall draw with no
violation under the served policy, which has no ``'unsafe-eval'`` (web/security.py says why).

Violations are collected twice: by a ``securitypolicyviolation`` listener installed before any
page script runs, and from the console messages Chromium prints for each blocked action. Two probes
(a string evaluated, an inline script added) prove both would see a violation.
"""

from __future__ import annotations

import pytest

from tests import browser_support as support
from tests.browser_support import browser_page, require_chromium, serve

pytestmark = pytest.mark.browser

#: The pages and the Plotly graph each draws its map in.
PAGES = (
    ("/?grid=T12", "#map-graph .js-plotly-plot"),
    ("/planner/", "#planner-map .js-plotly-plot"),
    ("/wall/", "#wall-map .js-plotly-plot"),
)
LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""

PROBE = (
    "try { new Function('return 1')(); window.__probe = 'ran'; }"
    " catch (e) { window.__probe = 'blocked'; }"
)


@pytest.fixture(scope="module")
def app(make_tiny_app):
    require_chromium()
    return make_tiny_app()


def test_the_policy_has_no_unsafe_eval(app):
    policy = app.server.test_client().get("/login").headers["Content-Security-Policy"]
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src "))
    assert "'unsafe-eval'" not in script_src and "'unsafe-inline'" not in script_src
    assert "'sha256-" in script_src  # Dash's inline scripts, by hash


def test_no_violation_on_any_page(app):
    with serve(app.server) as base, browser_page(base, user="demo-commander") as (page, foreign):
        console: list[str] = []
        page.on(
            "console",
            lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.add_init_script(LISTENER)
        for path, graph in PAGES:
            page.goto(base + path)
            support.wait_map_idle(page, graph)
            violations = page.evaluate("window.__csp")
            assert violations == [] and console == [], f"{path}: {violations} {console}"
        # The instrument works: a script of the site that evaluates a string is blocked, and
        # both channels report it (code run by page.evaluate itself is exempt from the CSP).
        page.route(
            base + "/assets/csp-probe.js",
            lambda route: route.fulfill(body=PROBE, content_type="text/javascript"),
        )
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.src = '/assets/csp-probe.js'; document.head.appendChild(s); }"
        )
        page.wait_for_function("() => window.__probe !== undefined")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__probe") == "blocked"
        assert any(v.startswith("script-src eval") for v in page.evaluate("window.__csp"))
        # An inline script is refused too, and Chromium prints that to the console.
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__inline = true'; document.head.appendChild(s); }"
        )
        page.wait_for_timeout(300)
        assert page.evaluate("window.__inline") is None
        assert any(v.startswith("script-src-elem inline") for v in page.evaluate("window.__csp"))
        assert any("Executing inline script violates" in m for m in console), console
    assert foreign == []


def test_no_violation_on_a_unit_persons_workbench(app):
    from datetime import UTC, datetime, timedelta

    from tests.incident_fixtures import incident

    runtime = app.server.extensions["gridmap"]
    store, chief = runtime.incident_store, runtime.accounts.principal("demo-commander")
    store.insert([incident("csp-unit-1", "T1111", 114.8025, 33.7025,
                           reported_at=datetime.now(UTC) - timedelta(hours=1))])  # fmt: skip
    store.act("csp-unit-1", "register", chief)
    store.act("csp-unit-1", "dispatch", chief, unit=runtime.accounts.principal("demo-unit").unit)
    with serve(app.server) as base, browser_page(base, user="demo-unit") as (page, foreign):
        console: list[str] = []
        page.on(
            "console",
            lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.add_init_script(LISTENER)
        page.goto(base + "/dispatch/?incident=csp-unit-1")
        page.locator("#dispatch-case-title .state-pill", has_text="Dispatched").wait_for()
        support.wait_map_idle(page, "#dispatch-detail-map .js-plotly-plot")
        violations = page.evaluate("window.__csp")
        assert violations == [] and console == [], f"{violations} {console}"
        assert foreign == []
