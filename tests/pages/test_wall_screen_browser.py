"""The wall as a command-centre screen, in Chromium on the demo district (21 townships).

At 1920x1080, 2560x1440 and 3840x2160: no scroll bars, every panel on screen and filled, the
district filling its panel, no two township labels overlapping (their boxes measured); a posted
incident pulses at its place and enters the ticker; an overdue case is listed; the presets.
"""

from __future__ import annotations

import json
import random
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from app import create_app
from gridmap.settings import ROOT
from tests.browser_support import ARTIFACTS, browser_page, require_chromium, serve
from web.runtime import EXTENSION_KEY

pytestmark = pytest.mark.browser

TOKEN = "wall-screen-token"
GRAPH = "#wall-map .js-plotly-plot"
SIZES = [(1920, 1080), (2560, 1440), (3840, 2160)]
#: The panels of the overview and what in each must not be empty.
FILLED = {
    "#wall-panel-kpis": "#wall-kpi-today-value",
    "#wall-panel-coverage": "#wall-coverage-value",
    "#wall-panel-duty": ".wall-duty-value",
    "#wall-panel-trend": ".wall-bar",
    "#wall-panel-split": ".wall-split-row",
    "#wall-panel-ranking": ".wall-rank-row",
    "#wall-panel-overdue": ".wall-overdue-row",
    "#wall-panel-ticker": ".wall-ticker-row",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    database = tmp_path_factory.mktemp("wall-screen") / "wall.sqlite"
    app = create_app(
        {
            "data_dir": ROOT / "data" / "geo",
            "lang": "zh",
            "cache_type": "SimpleCache",
            "database_url": f"sqlite:///{database}",
            "demo_incidents": False,
            "api_token": TOKEN,
            "login_limit": "100000 per minute",
            "login_name_limit": "100000 per minute",
        }
    )
    runtime = app.server.extensions[EXTENSION_KEY]
    runtime.incident_store.insert(_incidents(runtime, 400))
    return app


def _incidents(runtime, n: int) -> list[dict]:
    """Return ``n`` incidents over the last 40 days, and the one overdue case (``late-1``)."""
    rng = random.Random(3)
    district = runtime.district
    box = district.bounds(district.root_id)
    now = datetime.now(UTC)
    out = []
    while len(out) < n + 1:
        lon = box.west + rng.random() * (box.east - box.west)
        lat = box.south + rng.random() * (box.north - box.south)
        chain = runtime.assigner.assign_one(lon, lat)
        if chain is None:
            continue
        late = not out
        age = timedelta(hours=6) if late else timedelta(minutes=rng.randint(20, 40 * 24 * 60))
        reported = now - age
        # Older cases are closed, newer ones dispatched or resolved (within their time to
        # close): the one overdue case is late-1, reported 6 h ago and never registered.
        if late:
            status = "reported"
        elif age > timedelta(days=2.5):
            status = "closed"
        else:
            status = rng.choice(["dispatched", "resolved"])
        record = {
            "id": "late-1" if late else f"s{len(out)}",
            "category": "neighbourhood" if late else rng.choice(["fire", "traffic", "labour"]),
            "status": status,
            "reported_at": reported,
            "lon": lon,
            "lat": lat,
            **{f"g{k}": chain[k - 1] for k in range(1, 6)},
        }
        if status != "reported":
            # Every case past the report was dispatched, within 20 to 59 minutes.
            record["dispatched_at"] = reported + timedelta(minutes=20 + len(out) % 40)
        if status in ("resolved", "closed"):
            record["resolved_at"] = min(now, reported + timedelta(hours=rng.randint(1, 80)))
        if status == "closed":
            record["closed_at"] = min(now, record["resolved_at"] + timedelta(hours=1))
        out.append(record)
    return out


def open_wall(page, base: str, query: str = "") -> None:
    page.goto(base + "/wall/?tour=3600" + query)
    page.wait_for_function(
        f"""() => {{
            const gd = document.querySelector('{GRAPH}');
            const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
            return sub && sub.map && sub.map.loaded()
                && document.querySelectorAll('.wall-label').length > 0;
        }}""",
        timeout=60_000,
    )
    page.wait_for_function(
        "() => (document.querySelector('#wall-kpi-today-value')?.textContent ?? '—') !== '—'",
        timeout=30_000,
    )
    page.wait_for_selector(".wall-ticker-row", state="attached")


def no_scroll_bars(page) -> bool:
    return page.evaluate(
        """() => document.documentElement.scrollWidth <= innerWidth
            && document.documentElement.scrollHeight <= innerHeight
            && document.body.scrollWidth <= innerWidth
            && document.body.scrollHeight <= innerHeight"""
    )


def label_boxes(page) -> list[dict]:
    """Return the text and box of every label shown, and the map panel's box."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.wall-label')]
            .filter(e => e.style.display !== 'none')
            .map(e => {
                const r = e.getBoundingClientRect();
                return {text: e.textContent, x: r.left, y: r.top, w: r.width, h: r.height};
            })"""
    )


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]:
                if a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]:
                    out.append((a["text"], b["text"]))
    return out


def district_fill(page, bounds) -> dict:
    return page.evaluate(
        f"""(b) => {{
            const map = document.querySelector('{GRAPH}')._fullLayout.map._subplot.map;
            const box = map.getContainer();
            const sw = map.project([b[0], b[1]]), ne = map.project([b[2], b[3]]);
            return {{
                width: (ne.x - sw.x) / box.clientWidth,
                height: (sw.y - ne.y) / box.clientHeight,
                left: sw.x, right: box.clientWidth - ne.x,
                top: ne.y, bottom: box.clientHeight - sw.y,
            }};
        }}""",
        bounds,
    )


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_screen_at_every_size(app, width, height):
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    runtime = app.server.extensions[EXTENSION_KEY]
    box = runtime.district.bounds(runtime.district.root_id)
    with serve(app.server) as base, browser_page(base, width, height) as (page, foreign):
        open_wall(page, base)
        page.wait_for_selector(".wall-overdue-row", state="attached")
        page.wait_for_timeout(1500)  # the first view's move and the labels after it
        assert no_scroll_bars(page)
        for panel, content in FILLED.items():
            section = page.locator(panel)
            assert section.is_visible(), panel
            r = section.bounding_box()
            assert r["x"] >= 0 and r["y"] >= 0, panel
            assert r["x"] + r["width"] <= width + 0.5 and r["y"] + r["height"] <= height + 0.5
            first = page.locator(f"{panel} {content}").first
            assert first.is_visible(), panel
            text = page.locator(panel).inner_text().strip()
            assert text and "—" not in page.locator(f"{panel} {content}").first.inner_text()
        assert page.locator(".wall-bar").count() == 30
        assert page.locator(".wall-rank-first .wall-worst, .wall-rank-row .wall-worst").count() > 0
        # Every tile: a figure and its change (with an arrow or "持平"), coloured by meaning.
        for tile in page.locator(".wall-kpi").all():
            change = tile.locator(".wall-kpi-change")
            assert change.inner_text().startswith(("较昨日", "较上周")), change.inner_text()
        # The map takes the body's height; the district fills its panel's limiting side.
        panel = page.locator("#wall-panel-map").bounding_box()
        body = page.locator(".wall-body").bounding_box()
        assert panel["height"] >= 0.98 * body["height"]
        fill = district_fill(page, [box.west, box.south, box.east, box.north])
        assert max(fill["width"], fill["height"]) >= 0.9, fill
        assert min(fill["left"], fill["right"], fill["top"], fill["bottom"]) >= 0, fill
        # Township labels: most of the 21 shown, none overlapping another, all inside the map.
        boxes = label_boxes(page)
        assert len(boxes) >= 18, [b["text"] for b in boxes]
        assert overlapping(boxes) == []
        for b in boxes:
            assert panel["x"] <= b["x"] and b["x"] + b["w"] <= panel["x"] + panel["width"]
            assert panel["y"] <= b["y"] and b["y"] + b["h"] <= panel["y"] + panel["height"]
        size = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('.wall-kpi-value')).fontSize)"
        )
        assert size >= 0.06 * height
        assert page.locator("#wall-kpi-overdue .wall-kpi-label").inner_text() == "超期未办结"
        page.screenshot(path=str(ARTIFACTS / f"wall-screen-{height}.png"))
    assert foreign == [], f"requests left the app's server: {foreign[:5]}"


def test_the_label_placement_never_overlaps_and_shortens_first(app):
    require_chromium()
    with serve(app.server) as base, browser_page(base, 1920, 1080) as (page, _):
        open_wall(page, base)
        placed = page.evaluate(
            """() => window.wallMap.place(
                [
                  {point: {x: 100, y: 100}, texts: ['产业集聚区', '产业区'], priority: 1},
                  {point: {x: 110, y: 100}, texts: ['城关回族镇', '城关'], priority: 9},
                  {point: {x: 105, y: 104}, texts: ['柳湖街道', '柳湖'], priority: 5},
                  {point: {x: 120, y: 98}, texts: ['龙湖风景区', '龙湖'], priority: 3},
                  {point: {x: 100, y: 102}, texts: ['大连乡', '大连'], priority: 2},
                  {point: {x: 5, y: 5}, texts: ['边上', '边'], priority: 0},
                ],
                400, 300, [{x: 150, y: 0, w: 250, h: 60}],
                (text) => ({w: 20 * text.length, h: 22}))"""
        )
        # Too long for a narrow map at any offset: the short name fits.
        narrow = page.evaluate(
            """() => window.wallMap.place(
                [{point: {x: 75, y: 100}, texts: ['很长很长很长很长的名字', '短名'], priority: 1}],
                150, 300, [], (text) => ({w: 20 * text.length, h: 22}))"""
        )
    shown = [p for p in placed if p]
    boxes = [{"text": p["text"], "x": p["x"], "y": p["y"], "w": p["w"], "h": p["h"]} for p in shown]
    assert overlapping(boxes) == []
    # The most important keeps its full name at its point; others move or shorten.
    assert placed[1]["text"] == "城关回族镇" and placed[1]["x"] == 110 - 50
    assert narrow[0]["text"] == "短名" and narrow[0]["short"] is True
    assert placed[5] is None  # no room inside the edge
    for b in boxes:
        assert not (b["x"] < 400 and b["x"] + b["w"] > 150 and b["y"] < 60)  # the obstacle


def test_a_posted_incident_pulses_at_its_place_and_enters_the_ticker(app):
    require_chromium()
    runtime = app.server.extensions[EXTENSION_KEY]
    box = runtime.district.bounds(runtime.district.root_id)
    lon, lat = 114.87, 33.73
    assert box.west < lon < box.east and box.south < lat < box.north
    with serve(app.server) as base, browser_page(base, 1920, 1080) as (page, _):
        open_wall(page, base, "&refresh=1")
        page.wait_for_timeout(1500)
        assert page.locator(".wall-pulse").count() == 0  # nothing new at load
        body = {
            "id": "wall-pulse-1",
            "category": "fire",
            "reported_at": datetime.now(UTC).isoformat(),
            "lon": lon,
            "lat": lat,
        }
        request = urllib.request.Request(
            base + "/api/v1/incidents",
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 201
        pulse = page.locator('.wall-pulse[data-id="wall-pulse-1"]')
        pulse.wait_for(state="attached", timeout=20_000)
        where = page.evaluate(
            f"""([lon, lat]) => {{
                const map = document.querySelector('{GRAPH}')._fullLayout.map._subplot.map;
                const p = map.project([lon, lat]);
                const el = document.querySelector('.wall-pulse[data-id="wall-pulse-1"]');
                return {{x: p.x, y: p.y, left: parseFloat(el.style.left),
                         top: parseFloat(el.style.top),
                         animation: getComputedStyle(el).animationName}};
            }}""",
            [lon, lat],
        )
        assert abs(where["x"] - where["left"]) <= 2 and abs(where["y"] - where["top"]) <= 2
        assert where["animation"] == "wall-ring"
        row = page.locator('.wall-ticker-row[data-id="wall-pulse-1"]')
        row.wait_for(timeout=10_000)
        assert "消防安全隐患" in row.inner_text()
        assert page.locator(".wall-ticker-row").first.get_attribute("data-id") == "wall-pulse-1"
        page.screenshot(path=str(ARTIFACTS / "wall-screen-pulse.png"))
        # Some seconds later the pulse is gone; the ticker row stays.
        pulse.wait_for(state="detached", timeout=20_000)
        assert row.count() == 1


def test_an_overdue_case_is_listed_with_its_time_past_deadline(app):
    require_chromium()
    with serve(app.server) as base, browser_page(base, 1920, 1080) as (page, _):
        open_wall(page, base, "&layout=dispatch")
        row = page.locator('.wall-overdue-row[data-id="late-1"]')
        row.wait_for(timeout=20_000)
        # A neighbourhood dispute reported 6 h ago and not registered (2 h): 4 h late.
        text = row.inner_text()
        assert "超期 4小时" in text and "邻里纠纷" in text and "待受理" in text, text
        count = int(page.locator("#wall-overdue-count").inner_text().replace(",", ""))
        assert count == 1
        assert count == int(page.locator("#wall-kpi-overdue-value").inner_text().replace(",", ""))
        # On the map: one red ring per overdue case.
        marks = page.evaluate(f"() => document.querySelector('{GRAPH}').data[3].lon.length")
        assert marks == count


@pytest.mark.parametrize(
    ("layout", "shown", "hidden"),
    [
        ("township", ["#wall-panel-ranking", "#wall-panel-trend"],
         ["#wall-panel-overdue", "#wall-panel-ticker"]),
        ("dispatch", ["#wall-panel-overdue", "#wall-panel-ticker"],
         ["#wall-panel-trend", "#wall-panel-split", "#wall-panel-ranking"]),
    ],
)  # fmt: skip
def test_the_presets_place_their_panels(app, layout, shown, hidden):
    require_chromium()
    with serve(app.server) as base, browser_page(base, 1920, 1080) as (page, _):
        open_wall(page, base, f"&layout={layout}")
        page.wait_for_selector(f".wall-layout-{layout}")
        assert no_scroll_bars(page)
        for panel in shown:
            assert page.locator(panel).is_visible(), panel
        for panel in hidden:
            assert page.locator(panel).is_hidden(), panel
        if layout == "township":
            # The ranking takes the whole column: every township is on screen.
            rows = page.locator(".wall-rank-row").all()
            assert len(rows) == 21
            bottom = page.locator("#wall-panel-ranking").bounding_box()
            last = rows[-1].bounding_box()
            assert last["y"] + last["height"] <= bottom["y"] + bottom["height"]
        page.screenshot(path=str(ARTIFACTS / f"wall-screen-{layout}.png"))


def test_a_wall_link_of_two_townships_shows_theirs_only(app):
    require_chromium()
    runtime = app.server.extensions[EXTENSION_KEY]
    district = runtime.district
    towns = ["411603100", "411603001"]  # 城关回族镇, 柳湖街道: the crowded centre
    names = [district.record(g)["name_zh"] for g in district.level_ids(2)]
    ours = [district.record(g)["name_zh"] for g in district.level_ids(2) if g in towns]
    key = runtime.accounts.add_kiosk("browser-two-towns", grid=towns)
    # The wall's screen signs in by its link alone (a person's session would take its place).
    with serve(app.server) as base, browser_page(base, 1920, 1080, user=None) as (page, foreign):
        open_wall(page, base, f"&kiosk={key}")
        page.wait_for_timeout(1500)
        assert no_scroll_bars(page)
        assert page.locator("#wall-title").inner_text() == " · ".join(ours)
        # The longer title of two townships is shown whole, not cut off.
        assert page.evaluate(
            "() => { const h = document.querySelector('.wall h1');"
            " return h.scrollWidth <= h.clientWidth; }"
        )
        # The map names those two only, the ranking ranks those two only.
        labels = {b["text"] for b in label_boxes(page)}
        assert labels and labels <= {n for n in ours} | {n[:2] for n in ours}, labels
        ranked = [r.inner_text() for r in page.locator(".wall-rank-row .wall-rank-name").all()]
        assert sorted(ranked) == sorted(ours)
        # The ticker and the overdue list: no other township's case.
        places = page.locator(".wall-ticker-township").all_inner_texts()
        places += [
            p.split(" · ")[-1] for p in page.locator(".wall-overdue-place").all_inner_texts()
        ]
        others = set(names) - set(ours)
        assert places and not others & set(places), places
        # Its staff on duty: the two townships' roster, not the district's.
        duty = page.locator("#wall-panel-duty")
        assert duty.is_visible()
        officers = page.locator(".wall-duty-officer .wall-duty-of").inner_text()
        assert officers.startswith("/") and int(officers[1:]) < 100
        page.screenshot(path=str(ARTIFACTS / "wall-screen-two-townships.png"))
    assert foreign == [], f"requests left the app's server: {foreign[:5]}"
