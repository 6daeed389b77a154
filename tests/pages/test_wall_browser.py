"""The wall in a real browser: fills 1080p and 4K, tours, survives the server going away."""

from __future__ import annotations

import json
import random
import socket
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.serving import make_server

from tests.browser_support import ARTIFACTS, browser_page, require_chromium, serve
from web.runtime import EXTENSION_KEY

pytestmark = pytest.mark.browser

TOKEN = "wall-browser-token"
GRAPH = "#wall-map .js-plotly-plot"
TODAY = "#wall-kpi-today-value"
BANNER = "#wall-stale-banner"
FRESHNESS = "#wall-freshness"


@pytest.fixture(scope="module")
def app(make_tiny_app):
    app = make_tiny_app(api_token=TOKEN)
    runtime = app.server.extensions[EXTENSION_KEY]
    runtime.incident_store.insert(_incidents(runtime, 160))
    return app


def _incidents(runtime, n: int) -> list[dict]:
    """Return ``n`` incidents at random places of the tiny district over the last 6 days."""
    rng = random.Random(7)
    district = runtime.district
    now = datetime.now(UTC)
    out = []
    for i in range(n):
        lon, lat = 114.80 + rng.random() * 0.08, 33.70 + rng.random() * 0.08
        g5 = runtime.assigner.assign_one(lon, lat)[-1]
        chain = district.chain(g5)
        out.append(
            {
                "id": f"b{i}",
                "category": rng.choice(["fire", "neighbourhood", "traffic", "labour"]),
                "status": rng.choice(["reported", "dispatched", "resolved"]),
                "reported_at": now - timedelta(minutes=rng.randint(30, 6 * 24 * 60)),
                "lon": lon,
                "lat": lat,
                **{f"g{k}": chain[k - 1] for k in range(1, 6)},
            }
        )
    return out


def wait_map_ready(page) -> None:
    page.wait_for_function(
        f"""() => {{
            const gd = document.querySelector('{GRAPH}');
            const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
            return sub && sub.map && sub.map.loaded();
        }}""",
        timeout=30_000,
    )


def map_center(page) -> list[float]:
    return page.evaluate(
        f"""() => {{
            const c = document.querySelector('{GRAPH}')._fullLayout.map._subplot.map.getCenter();
            return [c.lng, c.lat];
        }}"""
    )


def wait_kpis(page) -> None:
    page.wait_for_function(
        f"() => (document.querySelector('{TODAY}')?.textContent ?? '—') !== '—'", timeout=30_000
    )


def no_scroll_bars(page) -> bool:
    return page.evaluate(
        """() => document.documentElement.scrollWidth <= innerWidth
            && document.documentElement.scrollHeight <= innerHeight
            && document.body.scrollWidth <= innerWidth
            && document.body.scrollHeight <= innerHeight"""
    )


@pytest.mark.parametrize(("width", "height", "name"), [(1920, 1080, "1080"), (3840, 2160, "2160")])
def test_fills_the_screen_without_scroll_bars(app, width, height, name):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(app.server) as base, browser_page(base, width, height) as (page, foreign):
        page.goto(base + "/wall/")
        wait_map_ready(page)
        wait_kpis(page)
        page.wait_for_selector(".wall-ticker-row", state="attached")
        if height > 1080:
            # Heat spots are sized in pixels: bigger on the bigger screen.
            page.wait_for_function(
                f"() => document.querySelector('{GRAPH}')?.data?.[1]?.radius > 30", timeout=10_000
            )
        page.wait_for_timeout(1500)
        assert no_scroll_bars(page)
        for tile in page.locator(".wall-kpi").all():
            assert tile.is_visible()
            box = tile.bounding_box()
            assert box["x"] >= 0 and box["y"] >= 0
            assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height
        assert page.locator(".wall-kpi").count() == 7  # and the coverage figure
        # Legible across the room: KPI figures at least 6 % of the screen height.
        size = page.evaluate(
            f"() => parseFloat(getComputedStyle(document.querySelector('{TODAY}')).fontSize)"
        )
        assert size >= 0.06 * height
        # Chinese by default.
        assert page.locator("#wall-kpi-today .wall-kpi-label").inner_text() == "今日事件"
        page.screenshot(path=str(ARTIFACTS / f"wall-{name}.png"))
    assert foreign == [], f"requests left the app's server: {foreign[:5]}"


def test_the_tour_moves_on_and_english_by_setting(app):
    require_chromium()
    with serve(app.server) as base, browser_page(base, 1920, 1080) as (page, _):
        page.goto(base + "/wall/?tour=2&lang=en&layers=heat,coverage,posts")
        wait_map_ready(page)
        page.wait_for_function(
            "() => document.querySelector('#wall-kpi-today .wall-kpi-label')?.textContent"
            " === 'Incidents today'"
        )
        start = map_center(page)
        page.wait_for_function(
            f"""([lon, lat]) => {{
                const c = document.querySelector('{GRAPH}')._fullLayout.map._subplot.map
                    .getCenter();
                return Math.abs(c.lng - lon) > 1e-4 || Math.abs(c.lat - lat) > 1e-4;
            }}""",
            arg=start,
            timeout=20_000,
        )
        captions = set()
        for _ in range(12):
            captions.add(page.locator("#wall-tour-caption").inner_text())
            page.wait_for_timeout(500)
        # Townships and the whole district take turns.
        assert "Whole district" in captions and len(captions) >= 2, captions
        assert page.evaluate(f"() => document.querySelector('{GRAPH}').data[2].visible")


class Restartable:
    """A werkzeug server on a fixed loopback port that can be stopped and started again."""

    def __init__(self, flask_app):
        self.app = flask_app
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.server = None
        self.thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.shutdown()
        # Close the listening socket too: the browser then gets "connection refused".
        self.server.server_close()
        self.thread.join(timeout=10)
        self.server = None


def test_server_down_shows_stale_then_recovers_without_reload(app):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    server = Restartable(app.server)
    server.start()
    try:
        with browser_page(server.url, 1920, 1080) as (page, _):
            page.goto(server.url + "/wall/?refresh=1&tour=3600")
            wait_map_ready(page)
            wait_kpis(page)
            page.wait_for_function(
                f"() => /数据更新于 [0-2] 秒前/.test(document.querySelector('{FRESHNESS}')"
                "?.textContent)",
                timeout=15_000,
            )
            assert page.locator(BANNER).is_hidden()
            values = [v.inner_text() for v in page.locator(".wall-kpi-value").all()]
            ticker = page.locator(".wall-ticker-row").count()
            page.evaluate("() => { window.__wallLoaded = true; }")

            server.stop()
            # Stale after 3 x refresh (3 s) without an answer: the banner shows, the data stays.
            page.wait_for_selector(BANNER, state="visible", timeout=20_000)
            page.wait_for_timeout(2500)
            assert "数据连接中断" in page.locator(BANNER).inner_text()
            assert "wall-freshness-stale" in page.locator(FRESHNESS).get_attribute("class")
            assert [v.inner_text() for v in page.locator(".wall-kpi-value").all()] == values
            assert page.locator(".wall-ticker-row").count() == ticker
            page.screenshot(path=str(ARTIFACTS / "wall-stale.png"))

            server.start()
            # The interval keeps firing after failed requests: the next one succeeds.
            page.wait_for_selector(BANNER, state="hidden", timeout=30_000)
            page.wait_for_function(
                f"() => /数据更新于 [0-2] 秒前/.test(document.querySelector('{FRESHNESS}')"
                "?.textContent)",
                timeout=15_000,
            )
            assert "wall-freshness-stale" not in page.locator(FRESHNESS).get_attribute("class")
            # No reload happened.
            assert page.evaluate("() => window.__wallLoaded === true")
            assert [v.inner_text() for v in page.locator(".wall-kpi-value").all()] == values
    finally:
        server.stop()


def test_an_incident_posted_to_the_api_shows_up(app):
    require_chromium()
    with serve(app.server) as base, browser_page(base, 1920, 1080) as (page, _):
        page.goto(base + "/wall/?refresh=1&lang=en")
        wait_kpis(page)
        page.wait_for_selector(".wall-ticker-row")
        before = int(page.locator(TODAY).inner_text().replace(",", ""))
        body = {
            "id": "wall-live-1",
            "category": "flood",
            "reported_at": datetime.now(UTC).isoformat(),
            "lon": 114.83,
            "lat": 33.73,
            "description": "积水",
        }
        request = urllib.request.Request(
            base + "/api/v1/incidents",
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 201
        page.wait_for_function(
            f"() => document.querySelector('{TODAY}')?.textContent === '{before + 1}'",
            timeout=20_000,
        )
        first = page.locator(".wall-ticker-row").first
        page.wait_for_function(
            "() => document.querySelector('.wall-ticker-row .wall-ticker-category')"
            "?.textContent === 'Safety hazard: flood'",
            timeout=10_000,
        )
        assert "Reported" in first.inner_text()


def test_a_kiosk_link_opens_its_scope_then_stops_when_revoked(app):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    runtime = app.server.extensions[EXTENSION_KEY]
    key = runtime.accounts.add_kiosk("hall-browser", grid="T1")
    with serve(app.server) as base, browser_page(base, 1920, 1080, user=None) as (page, _):
        page.goto(base + f"/wall/?kiosk={key}&refresh=1&tour=3600")
        wait_map_ready(page)
        wait_kpis(page)
        page.wait_for_selector(".wall-ticker-row")
        page.wait_for_function(
            "() => document.querySelector('#wall-title')?.textContent === '东镇1'"
        )
        assert page.locator("#wall-user").inner_text() == "大屏链接：hall-browser"
        assert page.locator("#wall-user a").count() == 0  # a kiosk has no sign-out
        rows = page.locator(".wall-ticker-row").all_inner_texts()
        assert rows and not any("东镇2" in r for r in rows), rows
        expected = runtime.incident_store.count(
            start=datetime.now(UTC) - timedelta(days=7), within=[(2, "T1")]
        )
        assert expected < runtime.incident_store.count(start=datetime.now(UTC) - timedelta(days=7))
        assert page.locator("#wall-invalid").is_hidden()
        page.wait_for_timeout(1000)
        page.screenshot(path=str(ARTIFACTS / "wall-kiosk-t1.png"))

        runtime.accounts.revoke_kiosk("hall-browser")
        page.wait_for_selector("#wall-invalid", state="visible", timeout=15_000)
        assert page.locator("#wall-invalid").inner_text().startswith("此大屏链接已失效")
        assert page.locator(BANNER).is_hidden()  # not the generic stale banner
        assert page.evaluate("() => window.wallDisplay.refused()") == 401
        page.screenshot(path=str(ARTIFACTS / "wall-kiosk-revoked.png"))


def district_fill(page) -> dict:
    """Return the share of the map panel's width and height the district's box fills."""
    return page.evaluate(
        f"""() => {{
            const gd = document.querySelector('{GRAPH}');
            const map = gd._fullLayout.map._subplot.map;
            const box = map.getContainer();
            const b = [114.80, 33.70, 114.88, 33.78];  // the tiny district's bounds
            const sw = map.project([b[0], b[1]]), ne = map.project([b[2], b[3]]);
            return {{
                width: (ne.x - sw.x) / box.clientWidth,
                height: (sw.y - ne.y) / box.clientHeight,
                left: sw.x, right: box.clientWidth - ne.x,
                top: ne.y, bottom: box.clientHeight - sw.y,
            }};
        }}"""
    )


@pytest.mark.parametrize(("width", "height", "name"), [(1920, 1080, "1080"), (3840, 2160, "2160")])
def test_the_first_view_fits_the_district_to_the_real_map_panel(app, width, height, name):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(app.server) as base, browser_page(base, width, height) as (page, _foreign):
        page.goto(base + "/wall/?tour=600")  # no second step during the test
        wait_map_ready(page)
        wait_kpis(page)
        page.wait_for_timeout(2500)  # the first refreshes (heat, radius) in
        fill = district_fill(page)
        # The district fills the panel's limiting side (94 %), and all of it is on screen.
        assert max(fill["width"], fill["height"]) >= 0.9, fill
        assert min(fill["left"], fill["right"], fill["top"], fill["bottom"]) >= 0, fill
        assert page.locator("#wall-tour-caption").inner_text() == "全区"
        page.screenshot(path=str(ARTIFACTS / f"wall-first-view-{name}.png"))


class Slow:
    """WSGI middleware: every wall callback answers ``delay`` seconds late (a busy server)."""

    def __init__(self, wsgi_app, delay: float):
        self.wsgi_app = wsgi_app
        self.delay = delay

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/wall/_dash-update-component"):
            time.sleep(self.delay)
        return self.wsgi_app(environ, start_response)


def test_a_slow_server_never_shows_the_stale_banner(app):
    """Answers slower than the 2 s refresh period are slow, not lost: no false banner."""
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    slow = Slow(app.server.wsgi_app, 2.5)
    app.server.wsgi_app = slow
    try:
        with serve(app.server) as base, browser_page(base, 1920, 1080) as (page, _):
            # From the first script on, note whether the banner was ever shown.
            page.add_init_script(
                f"""setInterval(() => {{
                    const b = document.querySelector('{BANNER}');
                    if (b && !b.hidden) (window.__bannerSeen = window.__bannerSeen || []).push(
                        [Date.now(), b.textContent, window.wallDisplay.requests()]);
                }}, 100);"""
            )

            def refresh_answer(response) -> bool:
                request = response.request
                return "/wall/_dash-update-component" in response.url and (
                    "wall-last-ok-store" in (request.post_data or "")
                )

            page.goto(base + "/wall/?refresh=2&tour=3600")
            wait_kpis(page)
            # Five more refresh answers, each 2.5 s late: longer than the refresh period.
            for _ in range(5):
                with page.expect_response(refresh_answer, timeout=30_000) as answer:
                    pass
                assert answer.value.status == 200
            assert page.evaluate("() => window.__bannerSeen || []") == []
            assert "wall-freshness-stale" not in page.locator(FRESHNESS).get_attribute("class")
            page.screenshot(path=str(ARTIFACTS / "wall-slow-server.png"))
    finally:
        app.server.wsgi_app = slow.wsgi_app


def test_a_busy_page_never_shows_the_stale_banner(app):
    """A wall's browser too busy to ask (its timers late) is not an outage: no false banner."""
    require_chromium()
    with serve(app.server) as base, browser_page(base, 1920, 1080) as (page, _):
        page.add_init_script(
            f"""setInterval(() => {{
                const b = document.querySelector('{BANNER}');
                if (b && !b.hidden) (window.__bannerSeen = window.__bannerSeen || []).push(
                    [Date.now(), window.wallDisplay.requests()]);
            }}, 100);"""
        )
        page.goto(base + "/wall/?refresh=1&tour=3600")
        wait_kpis(page)
        page.wait_for_function(
            f"() => /数据更新于 [0-2] 秒前/.test("
            f"document.querySelector('{FRESHNESS}')?.textContent)",
            timeout=30_000,
        )
        # The main thread blocked for 5 s (longer than three 1 s refresh periods), twice: a
        # wall PC drawing the map in software under load. The server answered all along.
        for _ in range(2):
            page.evaluate("() => { const t = Date.now(); while (Date.now() - t < 5000) {} }")
            page.wait_for_timeout(1500)
        page.wait_for_function(
            f"() => /数据更新于 [0-2] 秒前/.test("
            f"document.querySelector('{FRESHNESS}')?.textContent)",
            timeout=30_000,
        )
        assert page.evaluate("() => window.__bannerSeen || []") == []
