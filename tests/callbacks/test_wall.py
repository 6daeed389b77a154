"""The wall over HTTP (Flask test client): page, URL settings, refresh with Patch, DB errors."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from callbacks.wall import REFRESH_OUTPUTS
from gridmap.views.wall import format_kpis, wall_kpis
from tests.auth_support import signed_in
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
        [(ids.REFRESH_INTERVAL, "n_intervals", 3), (ids.SETTINGS_STORE, "data", settings)],
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
    answer = response_of(refresh(client, settings))
    share = runtime.coverage_model.coverage(5).kpis()["population_share"]
    expected = format_kpis(wall_kpis(store, clock(), share))
    for name, _ in ids.KPIS:
        assert answer[ids.kpi_value(name)]["children"] == expected[name], name
    ticker = json.dumps(answer[ids.TICKER]["children"], ensure_ascii=False)
    assert "Lizhuang Village 11" in ticker and "Dong Town 1" in ticker
    patch = answer[ids.MAP]["figure"]
    paths = {tuple(op["location"]) for op in patch["operations"]}
    assert paths == {("data", 1, k) for k in ("lon", "lat", "z", "zmin", "zmax")}
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
    again = response_of(refresh(client, settings, known))
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
    answer = response_of(refresh(client, {"lang": "zh", "refresh": 7}))
    assert set(answer) == {ids.ERROR_STORE}
    assert answer[ids.ERROR_STORE]["data"]["kind"] == "database"


def test_missing_settings_do_not_crash(client):
    answer = response_of(refresh(client, None))
    assert ids.LAST_OK_STORE in answer
    answer = response_of(refresh(client, {"lang": "klingon"}))
    assert ids.LAST_OK_STORE in answer
