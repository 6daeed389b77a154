"""The wall over HTTP (Flask test client): page, URL settings, refresh with Patch, DB errors."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from callbacks.wall import FRESH_HEADER, REFRESH_OUTPUTS
from gridmap.views.wall import format_kpis, wall_kpis
from gridmap.views.wall_changes import change_text, value_text
from gridmap.views.wall_panels import read_rows, scope_on_time, tiles
from tests.auth_support import ORIGIN, signed_in
from tests.dash_http import call, response_of
from tests.fake_clock import FakeClock
from tests.incident_fixtures import stored_record
from ui import wall_ids as ids
from web.runtime import EXTENSION_KEY

TOKEN = "wall-test-token"


@pytest.fixture(scope="module")
def clock():
    # 10:00 in the district: "today" does not end during the test, whatever the real time.
    return FakeClock("2026-06-15T02:00:00+00:00")


@pytest.fixture(scope="module")
def app(make_clocked_app, clock):
    return make_clocked_app(clock, api_token=TOKEN, refresh_seconds=7)


@pytest.fixture(scope="module")
def runtime(app):
    return app.server.extensions[EXTENSION_KEY]


@pytest.fixture()
def client(app):
    return signed_in(app)


def dependency(client, first_output: str) -> dict:
    for dep in client.get("/wall/_dash-dependencies").get_json():
        if dep["output"].lstrip(".").startswith(first_output):
            return dep
    raise AssertionError(f"no wall callback writes {first_output}")


def configure(client, search: str) -> dict:
    """Call the wall's configure callback the way the browser does; return its response."""
    dep = dependency(client, f"{ids.SETTINGS_STORE}.data")
    outputs = []
    for part in dep["output"].strip(".").split("..."):
        target, prop = part.rsplit(".", 1)
        if target.startswith("{"):
            keys = ["wall-title", "wall-kpi-today", "wall-ticker"]
            outputs.append(
                [{"id": {"type": "wall-i18n", "index": k}, "property": prop} for k in keys]
            )
        else:
            outputs.append({"id": target, "property": prop})
    body = {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [{"id": ids.URL, "property": "search", "value": search}],
        "state": [],
        "changedPropIds": [f"{ids.URL}.search"],
    }
    return response_of(client.post("/wall/_dash-update-component", json=body))


def refresh(client, settings: dict | None, known=None):
    return call(
        client,
        list(REFRESH_OUTPUTS),
        [(ids.REFRESH_GATE_STORE, "data", 3), (ids.SETTINGS_STORE, "data", settings)],
        [(ids.VERSION_STORE, "data", known)],
        prefix="/wall",
    )


def test_wall_page_is_served(client):
    assert client.get("/wall/").status_code == 200
    layout = client.get("/wall/_dash-layout")
    assert layout.status_code == 200
    text = layout.get_data(as_text=True)
    for name, _ in ids.KPIS:
        assert ids.kpi_value(name) in text
    # Geometry only by URL: the initial figure names the level-2 layer, never coordinates.
    figure = json.dumps(_find(layout.get_json(), ids.MAP)["figure"])
    assert "/level-2.geojson" in figure and '"coordinates": [[[114' not in figure
    # The main page still works and does not get the wall's class.
    assert client.get("/").status_code == 200


def _find(node, component_id):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node["props"]
        for value in node.values():
            found = _find(value, component_id)
            if found:
                return found
    if isinstance(node, list):
        for value in node:
            found = _find(value, component_id)
            if found:
                return found
    return None


def test_url_settings_are_applied(client):
    answer = configure(client, "?tour=30&order=newest&layers=heat,gaps&refresh=5&lang=en")
    settings = answer[ids.SETTINGS_STORE]["data"]
    assert settings["tour"] == 30 and settings["order"] == "newest"
    assert settings["layers"] == ["heat", "gaps"] and settings["lang"] == "en"
    assert settings["texts"]["wall-updated"] == "Updated {n} s ago"
    assert answer[ids.REFRESH_INTERVAL]["interval"] == 5000
    assert answer[ids.TOUR_INTERVAL]["interval"] == 30000
    patch = next(v for k, v in answer.items() if k.startswith(ids.MAP))["figure"]
    assert patch["__dash_patch_update"] == "__dash_patch_update"
    ops = {tuple(op["location"]): op["params"]["value"] for op in patch["operations"]}
    assert ops[("data", 1, "visible")] is True  # heat
    assert ops[("data", 2, "visible")] is False  # posts
    assert ops[("layout", "map", "layers", 3, "visible")] is False  # coverage
    assert ops[("layout", "map", "layers", 4, "visible")] is True  # gaps
    assert "geojson" not in json.dumps(patch)
    texts = {k: v["children"] for k, v in answer.items() if "wall-i18n" in k}
    assert (
        texts[json.dumps({"index": "wall-kpi-today", "type": "wall-i18n"}, separators=(",", ":"))]
        == "Incidents today"
    )


@pytest.mark.parametrize(
    ("search", "layout"),
    [("", "overview"), ("?layout=township", "township"), ("?layout=DISPATCH", "dispatch"),
     ("?layout=<b>x</b>", "overview")],
)  # fmt: skip
def test_the_layout_preset_is_a_class_of_the_root(client, search, layout):
    answer = configure(client, search)
    assert answer[ids.ROOT]["className"] == f"wall wall-layout-{layout}"
    assert answer[ids.SETTINGS_STORE]["data"]["layout"] == layout
    assert answer[ids.RANKING_TITLE]["children"] == "乡镇（街道）排名"


@pytest.mark.parametrize(
    "search", ["?tour=0&refresh=-3&order=%00&layers=%%%&lang=xx", "?tour=" + "9" * 400, "", None]
)
def test_bad_url_values_fall_back_to_defaults(client, search):
    settings = configure(client, search)[ids.SETTINGS_STORE]["data"]
    assert settings["tour"] == 20
    assert settings["refresh"] == 7  # the app's refresh_seconds
    assert settings["order"] == "townships" and settings["lang"] == "zh"


def test_refresh_sends_kpis_ticker_and_heat_then_nothing_heavy(client, runtime, clock):
    store = runtime.incident_store
    now = clock()
    store.insert(
        [
            {**stored_record(f"w{i}", reported_at=now - timedelta(minutes=5 + i)),
             "g1": "T", "g2": "T1", "g3": "T11", "g4": "T111", "g5": "T1111"}
            for i in range(3)
        ]
    )  # fmt: skip
    settings = {"lang": "en", "refresh": 7}
    first = refresh(client, settings)
    # The page learns an answer is fresh from its header, before it has parsed it.
    assert first.headers.get(FRESH_HEADER) == "1"
    answer = response_of(first)
    share = runtime.coverage_model.coverage(5).kpis()["population_share"]
    now = clock()
    overdue = store.queue_counts(now=now)["overdue"]
    moved = tiles(read_rows(store, now), now, store.limits, overdue, scope_on_time(store, now))
    for name, _ in ids.KPIS:
        assert answer[ids.kpi_value(name)]["children"] == value_text(name, moved[name].current)
        line = change_text(name, moved[name], "en")
        assert answer[ids.kpi_change(name)]["children"] == line["text"], name
        assert f"wall-change-{line['meaning']}" in answer[ids.kpi_change(name)]["className"]
    # The counts agree with the store's own (SQL) counts.
    counted = format_kpis(wall_kpis(store, clock(), share))
    for name in ("today", "week", "open", "resolved_today"):
        assert answer[ids.kpi_value(name)]["children"] == counted[name], name
    assert answer[ids.COVERAGE]["children"] == f"{share:.1%}"
    assert answer[ids.OVERDUE_COUNT]["children"] == f"{overdue:,}"
    assert answer[ids.kpi_change("today")]["children"].startswith("vs yesterday ▲3")
    assert "wall-change-bad" in answer[ids.kpi_change("today")]["className"]
    assert [f["id"] for f in answer[ids.FRESH_STORE]["data"]][:3] == ["w0", "w1", "w2"]
    for panel in (ids.TREND, ids.SPLIT, ids.RANKING):
        assert answer[panel]["children"], panel
    ticker = json.dumps(answer[ids.TICKER]["children"], ensure_ascii=False)
    assert "Lizhuang Village 11" in ticker and "Dong Town 1" in ticker
    patch = answer[ids.MAP]["figure"]
    paths = {tuple(op["location"]) for op in patch["operations"]}
    assert paths == {("data", 1, k) for k in ("lon", "lat", "z", "zmin", "zmax")} | {
        ("data", 3, "lon"),
        ("data", 3, "lat"),
    }
    assert (
        sum(next(op for op in patch["operations"] if op["location"][-1] == "z")["params"]["value"])
        == 3
    )
    body = json.dumps(answer)
    assert "geojson" not in body and "coordinates" not in body
    assert answer[ids.NEWEST_STORE]["data"]["id"] == "T11"
    known = answer[ids.VERSION_STORE]["data"]
    assert known["version"] == store.version()
    assert answer[ids.LAST_OK_STORE]["data"] > 0

    # Unchanged store: only the freshness moves.
    unchanged = refresh(client, settings, known)
    assert unchanged.headers.get(FRESH_HEADER) == "1"
    again = response_of(unchanged)
    assert set(again) == {ids.LAST_OK_STORE, ids.ERROR_STORE}
    assert again[ids.LAST_OK_STORE]["data"] >= answer[ids.LAST_OK_STORE]["data"]

    # A new incident (through the API) makes the next refresh send everything again.
    posted = client.post(
        "/api/v1/incidents",
        json={"id": "api-1", "category": "fire", "reported_at": now.isoformat(),
              "lon": 114.87, "lat": 33.77},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )  # fmt: skip
    assert posted.status_code == 201, posted.get_data(as_text=True)
    changed = response_of(refresh(client, settings, known))
    assert ids.TICKER in changed and ids.MAP in changed
    assert "api-1" in json.dumps(changed[ids.TICKER]["children"])


def test_a_database_error_is_reported_as_stale(client, runtime, monkeypatch):
    def broken():
        raise sa.exc.OperationalError("SELECT version", {}, Exception("database is locked"))

    monkeypatch.setattr(runtime.incident_store, "version", broken)
    failed = refresh(client, {"lang": "zh", "refresh": 7})
    # Not fresh: the page counts it as a failed refresh (the banner may show in time).
    assert failed.status_code == 200 and FRESH_HEADER not in failed.headers
    answer = response_of(failed)
    assert set(answer) == {ids.ERROR_STORE}
    assert answer[ids.ERROR_STORE]["data"]["kind"] == "database"


def test_missing_settings_do_not_crash(client):
    answer = response_of(refresh(client, None))
    assert ids.LAST_OK_STORE in answer
    answer = response_of(refresh(client, {"lang": "klingon"}))
    assert ids.LAST_OK_STORE in answer


# --- the wall's scope: a kiosk link of one township, a township officer ----------------------


def kiosk_client(app, key: str):
    """Return a client that opened the wall with ``?kiosk=KEY`` (the key is then a cookie)."""
    client = app.server.test_client()
    client.environ_base["HTTP_ORIGIN"] = ORIGIN
    assert client.get(f"/wall/?kiosk={key}").status_code == 200
    return client


@pytest.fixture(scope="module")
def hall(app, runtime):
    """A client of the wall signed in by a kiosk link scoped to township T1."""
    return kiosk_client(app, runtime.accounts.add_kiosk("hall", grid="T1"))


@pytest.fixture(scope="module")
def both_townships(runtime, clock):
    """Today's incidents in T1 (two) and T2 (three, one newer than every T1 one)."""
    now = clock()
    t1 = [
        {**stored_record(f"scope-t1-{i}", reported_at=now - timedelta(minutes=30 + i)),
         "g1": "T", "g2": "T1", "g3": "T12", "g4": "T121", "g5": "T1211"}
        for i in range(2)
    ]  # fmt: skip
    t2 = [
        {**stored_record(f"scope-t2-{i}", reported_at=now - timedelta(minutes=i), lon=114.9),
         "g1": "T", "g2": "T2", "g3": "T21", "g4": "T211", "g5": "T2111"}
        for i in range(3)
    ]  # fmt: skip
    runtime.incident_store.insert(t1 + t2)


def test_a_kiosk_wall_of_t1_shows_no_t2_incident(hall, runtime, clock, both_townships):
    answer = response_of(refresh(hall, {"lang": "en", "refresh": 7}))
    ticker = json.dumps(answer[ids.TICKER]["children"], ensure_ascii=False)
    assert "scope-t1-0" in ticker and "scope-t1-1" in ticker
    assert "scope-t2" not in ticker and "Dong Town 2" not in ticker
    store, now = runtime.incident_store, clock()
    within = [(2, "T1")]
    expected = format_kpis(wall_kpis(store, now, None, within=within))
    everything = format_kpis(wall_kpis(store, now, None))
    assert expected["today"] != everything["today"]  # the T2 incidents count elsewhere
    for name in ("today", "week", "open", "resolved_today"):
        assert answer[ids.kpi_value(name)]["children"] == expected[name], name
    overdue = store.queue_counts(now=now, within=within)["overdue"]
    on_time = scope_on_time(store, now, within)
    moved = tiles(read_rows(store, now, within=within), now, store.limits, overdue, on_time)
    for name in ("overdue", "on_time_rate"):
        assert answer[ids.kpi_value(name)]["children"] == value_text(name, moved[name].current)
    # The coverage KPI is T1's people, not the district's.
    table = runtime.coverage_model.coverage(5).grid_table().set_index("grid_id")
    t1_share = table.loc["T1", "covered_population"] / table.loc["T1", "population"]
    assert answer[ids.COVERAGE]["children"] == f"{t1_share:.1%}"
    # The ranking is T1's villages, not the townships.
    ranking = json.dumps(answer[ids.RANKING]["children"], ensure_ascii=False)
    assert "Lizhuang Village 12" in ranking and "Dong Town 2" not in ranking
    # Heat: only T1's incidents (the T2 ones are far east, at lon 114.9).
    ops = {
        op["location"][-1]: op["params"]["value"] for op in answer[ids.MAP]["figure"]["operations"]
    }
    assert 114.9 not in [round(x, 1) for x in ops["lon"]]
    assert sum(ops["z"]) == store.count(start=now - timedelta(days=7), within=within)
    # The newest incident of the scope is in T1, though a T2 one is newer.
    assert answer[ids.NEWEST_STORE]["data"]["id"].startswith("T1")
    assert answer[ids.VERSION_STORE]["data"]["scope"] == "T1"


def test_a_kiosk_wall_of_t1_is_titled_and_toured_by_t1(hall):
    answer = configure(hall, "?lang=en")
    assert answer[ids.TITLE]["children"] == "Dong Town 1"
    views = answer[ids.VIEWS_STORE]["data"]
    assert views["scoped"] is True and views["district"]["id"] == "T1"
    assert [v["id"] for v in views["townships"]] == ["T11", "T12"]
    assert answer[ids.SETTINGS_STORE]["data"]["kiosk"] is True
    # The kiosk is named, with no sign-out link (there is no session to end).
    badge = answer[ids.USER]["children"]
    assert [c["props"]["children"] for c in badge] == ["Wall link: hall"]
    # Its map outlines and names T1's villages, and its ranking ranks them.
    patch = next(v for k, v in answer.items() if k.startswith(ids.MAP))["figure"]
    ops = {tuple(op["location"]): op["params"]["value"] for op in patch["operations"]}
    # The villages' outlines are T1's own file (the server refuses the wall any other).
    assert ops[("data", 0, "geojson")].endswith("level-3.geojson?scope=T1")
    assert ops[("data", 0, "text")] == ["Lizhuang Village 11", "Lizhuang Village 12"]
    assert ops[("data", 0, "meta")]["short"] == ops[("data", 0, "text")]  # nothing to drop
    assert len(ops[("data", 0, "customdata")]) == 2
    assert answer[ids.RANKING_TITLE]["children"] == "Villages ranked"
    assert views["district"]["max_zoom"] > 12.5  # fitted to the panel, however small


def test_a_person_with_the_wall_role_sees_their_own_scope(app, both_townships):
    officer = signed_in(app, "demo-township")  # scope: T1
    answer = response_of(refresh(officer, {"lang": "en", "refresh": 7}))
    ticker = json.dumps(answer[ids.TICKER]["children"], ensure_ascii=False)
    assert "scope-t1-0" in ticker and "scope-t2" not in ticker
    configured = configure(officer, "?lang=en")
    assert configured[ids.TITLE]["children"] == "Dong Town 1"
    assert configured[ids.SETTINGS_STORE]["data"]["kiosk"] is False
    badge = configured[ids.USER]["children"]
    assert badge[0]["props"]["children"] == "demo-township · Township officer"
    assert badge[1]["props"] == {"children": "Sign out", "href": "/logout", "className": "sign-out"}


def test_the_whole_district_wall_is_titled_by_the_district(client, both_townships):
    answer = configure(client, "?lang=en")  # demo-commander: every grid
    assert answer[ids.TITLE]["children"] == "Test District"
    views = answer[ids.VIEWS_STORE]["data"]
    assert views["scoped"] is False and [v["id"] for v in views["townships"]] == ["T1", "T2"]
    ticker = json.dumps(response_of(refresh(client, {"lang": "en"}))[ids.TICKER]["children"])
    assert "scope-t2-0" in ticker


def test_a_revoked_kiosk_link_is_refused_on_the_next_refresh(app, runtime):
    key = runtime.accounts.add_kiosk("hall-to-revoke", grid="T1")
    wall = kiosk_client(app, key)
    settings = configure(wall, "?lang=en")[ids.SETTINGS_STORE]["data"]
    # The page carries the notice of both cases, in the wall's language.
    assert settings["texts"]["wall-link-invalid"].startswith("This wall link is no longer valid")
    assert configure(wall, "?lang=zh")[ids.SETTINGS_STORE]["data"]["texts"][
        "wall-link-invalid"
    ].startswith("此大屏链接已失效")
    assert refresh(wall, settings).status_code == 200
    runtime.accounts.revoke_kiosk("hall-to-revoke")
    refused = refresh(wall, settings)
    assert refused.status_code == 401
    assert refused.get_json() == {"error": "sign in or send 'Authorization: Bearer <token>'"}
    # The page itself now sends the wall to the sign-in page.
    again = wall.get("/wall/")
    assert again.status_code == 302 and again.headers["Location"].startswith("/login")


def test_a_person_without_the_wall_role_is_refused(app):
    planner = signed_in(app, "demo-planner")
    answer = refresh(planner, {"lang": "en"})
    assert answer.status_code == 403
    assert answer.get_json() == {"error": "user:demo-planner may not view-wall"}


def test_without_a_duty_roster_the_wall_says_so_and_shows_no_number(client, runtime):
    assert runtime.duty_roster is None  # the tiny district has no duty.json
    answer = response_of(refresh(client, {"lang": "en", "refresh": 7}))
    assert json.dumps(answer[ids.DUTY]["children"]).count("no duty roster") == 1
    zh = response_of(refresh(client, {"lang": "zh", "refresh": 7}))
    shown = json.dumps(zh[ids.DUTY]["children"], ensure_ascii=False)
    assert "未配置值班表" in shown and not any(c.isdigit() for c in shown)
