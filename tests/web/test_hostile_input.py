"""Hostile and odd input to the incidents API: a 4xx naming the field, never a 5xx.

One named test per input of issue 10; the good records of a batch are stored. The API tests
run on SQLite and PostgreSQL (skipped when PostgreSQL is not reachable).
"""

import json
import sqlite3
from contextlib import ExitStack

import pytest
import sqlalchemy as sa
from flask import Flask

from gridmap.incidents.store import IncidentStore
from layers.map_figure import INCIDENT_TRACE
from tests.auth_support import signed_in
from tests.dash_http import incident_click, response_of
from tests.incident_fixtures import (
    NOW,
    open_store,
    pg_reachable,
    pg_schema_url,
    record,
    tiny_assigner,
)
from ui import ids
from web.error_answers import install_error_handlers
from web.incidents_api import create_blueprint

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LATE = "9999-12-31T23:00:00-05:00"
EARLY = "0001-01-01T00:00:00+05:00"


def make_client(store):
    app = Flask(__name__)
    app.register_blueprint(create_blueprint(store, tiny_assigner(), token=TOKEN, clock=lambda: NOW))
    return app.test_client()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "postgresql" and (reason := pg_reachable()):
        pytest.skip(reason)
    s = open_store(request.param, tmp_path)
    yield s
    if request.param == "postgresql":
        s.drop()
    s.dispose()


@pytest.fixture
def api(store):
    return make_client(store)


def post_raw(client, text, content_type="application/json"):
    return client.post("/api/v1/incidents", data=text, headers=AUTH, content_type=content_type)


def post(client, body):
    return post_raw(client, json.dumps(body))


def good_and_bad(client, bad_json: str):
    """POST ``[good, bad]`` where the bad record is raw JSON text; return the answer."""
    return post_raw(client, f"[{json.dumps(record('good'))}, {bad_json}]")


def assert_refused_field(response, store, field):
    assert response.status_code == 207, response.json
    assert response.json["stored_ids"] == ["good"]
    assert [(r["index"], r["field"]) for r in response.json["rejected"]] == [(1, field)]
    assert store.get("good") is not None
    assert store.count() == 1


# -- numbers -------------------------------------------------------------------------------
def test_integer_longitude_too_big_for_a_float(api, store):
    bad = json.dumps(record("bad"))[:-1] + ', "lon": 1' + "0" * 400 + "}"
    bad = bad.replace('"lon": 114.81, ', "")
    response = good_and_bad(api, bad)
    assert_refused_field(response, store, "lon")
    assert "must be a finite number between -180 and 180" in response.json["rejected"][0]["message"]


def test_json_integer_of_over_4300_digits(api, store):
    bad = json.dumps(record("bad")).replace('"lat": 33.705', '"lat": ' + "7" * 5000)
    response = good_and_bad(api, bad)
    assert_refused_field(response, store, "lat")


# -- times that overflow in UTC ------------------------------------------------------------
@pytest.mark.parametrize("when", [LATE, EARLY])
def test_reported_at_overflowing_utc_in_post(api, store, when):
    response = good_and_bad(api, json.dumps(record("bad", reported_at=when)))
    assert_refused_field(response, store, "reported_at")
    assert "out of range" in response.json["rejected"][0]["message"]


@pytest.mark.parametrize("when", [LATE, EARLY])
def test_at_overflowing_utc_in_patch(api, store, when):
    assert post(api, record("a")).status_code == 201
    response = api.patch("/api/v1/incidents/a", headers=AUTH,
                            json={"status": "dispatched", "at": when})  # fmt: skip
    assert response.status_code == 422
    assert response.json["field"] == "at"
    assert "'at'" in response.json["error"] and "out of range" in response.json["error"]
    assert store.get("a")["status"] == "reported"


@pytest.mark.parametrize("name", ["from", "to"])
@pytest.mark.parametrize("when", [LATE, EARLY])
def test_from_and_to_overflowing_utc_in_get(api, name, when):
    response = api.get("/api/v1/incidents", headers=AUTH, query_string={name: when})
    assert response.status_code == 400
    assert f"'{name}'" in response.json["error"] and "out of range" in response.json["error"]


@pytest.mark.parametrize("when", ["0950-11-18T13:34:22Z", "0001-01-01T00:00:00Z"])
def test_a_time_before_the_year_1000_is_stored_and_read_back(api, store, when):
    """Found by the contract fuzz: SQLite stored the year 950 as "950-..." and could not read it."""
    assert post(api, record("old", reported_at=when)).status_code == 201
    response = api.get("/api/v1/incidents/old", headers=AUTH)
    assert response.status_code == 200
    assert response.json["reported_at"].startswith(when[:19])
    listed = api.get("/api/v1/incidents", headers=AUTH)
    assert listed.status_code == 200 and listed.json["count"] == 1


# -- text no database stores ---------------------------------------------------------------
def test_lone_surrogate_in_description(api, store):
    bad = json.dumps(record("bad")).replace('"description": ', '"description": "\\ud800", "x": ')
    bad = bad.replace(', "x": "\\u90bb\\u91cc\\u566a\\u97f3\\u7ea0\\u7eb7"', "")
    response = good_and_bad(api, bad)
    assert_refused_field(response, store, "description")
    assert "lone surrogate" in response.json["rejected"][0]["message"]


def test_lone_surrogate_in_unit_of_patch(api, store):
    assert post(api, record("a")).status_code == 201
    response = api.patch("/api/v1/incidents/a", headers=AUTH, content_type="application/json",
                            data='{"status": "dispatched", "unit": "\\ud800"}')  # fmt: skip
    assert response.status_code == 422
    assert response.json["field"] == "unit"
    assert store.get("a")["status"] == "reported"


@pytest.mark.parametrize("field", ["description", "reporter", "unit"])
def test_nul_in_body_text(api, store, field):
    response = good_and_bad(api, json.dumps(record("bad", **{field: "a\u0000b"})))
    assert_refused_field(response, store, field)
    assert "NUL" in response.json["rejected"][0]["message"]
    alone = post(api, record("bad", **{field: "a\u0000b"}))
    assert alone.status_code == 422


def test_nul_in_grid_parameter(api):
    response = api.get("/api/v1/incidents?grid=%00", headers=AUTH)
    assert response.status_code == 422
    assert response.json["field"] == "grid" and "NUL" in response.json["error"]


@pytest.mark.parametrize("method", ["get", "patch"])
def test_nul_in_incident_path(api, store, method):
    response = getattr(api, method)("/api/v1/incidents/a%00b", headers=AUTH,
                                       json={"status": "dispatched"})  # fmt: skip
    assert response.status_code == 422
    assert response.json["field"] == "id" and "NUL" in response.json["error"]


def test_nul_grid_in_store_reads_matches_nothing(store):
    """A callback's customdata holding NUL never reaches the database."""
    store.insert([])
    assert store.query(grid="a\x00b") == []
    assert store.count(grid="a\x00b", grid_level=2) == 0
    assert store.get("a\x00b") is None


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_nul_in_a_callbacks_customdata(make_tiny_app, tmp_path, backend):
    """A click on the map whose customdata holds NUL: the detail stays empty, never a 500."""
    if backend == "postgresql" and (reason := pg_reachable()):
        pytest.skip(reason)
    with ExitStack() as stack:
        url = (f"sqlite:///{tmp_path / 'nul.sqlite'}" if backend == "sqlite"
               else stack.enter_context(pg_schema_url()))  # fmt: skip
        app = make_tiny_app(database_url=url)
        stack.callback(lambda: app.server.extensions["gridmap"].engine.dispose())
        click = {"points": [{"curveNumber": INCIDENT_TRACE, "customdata": "a\x00b"}]}
        client = signed_in(app)
        response = incident_click(client, click)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        assert response_of(response)[ids.INCIDENT_DETAIL]["children"] == []


# -- content type --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
     "application/xml", ""],
)  # fmt: skip
def test_body_must_be_application_json(api, store, content_type):
    response = post_raw(api, json.dumps(record("a")), content_type=content_type)
    assert response.status_code == 415
    assert "Content-Type must be application/json" in response.json["error"]
    assert store.count() == 0


# -- conflicts -----------------------------------------------------------------------------
def test_repeated_id_with_other_content_is_a_conflict(api, store):
    assert post(api, record("a")).status_code == 201
    response = post(api, [record("a", description="另一件事", lat=33.706), record("b")])
    assert response.status_code == 207
    assert response.json["conflicts"] == [{"id": "a", "fields": ["lat", "description"]}]
    assert response.json["duplicate_ids"] == [] and response.json["stored_ids"] == ["b"]
    assert store.get("a")["description"] == "邻里噪音纠纷"
    only = post(api, record("a", reporter="someone-else"))
    assert only.status_code == 409
    assert only.json["conflicts"] == [{"id": "a", "fields": ["reporter"]}]


def test_repeated_id_with_same_content_stays_a_duplicate(api):
    assert post(api, record("a")).status_code == 201
    response = post(api, record("a"))
    assert response.status_code == 200
    assert response.json["duplicate_ids"] == ["a"] and response.json["conflicts"] == []


def test_repeated_id_within_a_batch(api, store):
    response = post(api, [record("a"), record("a"), record("a", category="fire")])
    assert response.status_code == 207
    assert response.json["stored_ids"] == ["a"] and response.json["duplicate_ids"] == ["a"]
    assert response.json["conflicts"] == [{"id": "a", "fields": ["category"]}]


# -- busy or unreachable database ----------------------------------------------------------
def test_locked_sqlite_answers_503_with_retry_after(tmp_path):
    path = tmp_path / "locked.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})
    store = IncidentStore(engine=engine)
    client = make_client(store)
    assert post(client, record("a")).status_code == 201
    lock = sqlite3.connect(path)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        for response in (
            post(client, record("b")),
            client.get("/api/v1/incidents", headers=AUTH),
            client.patch("/api/v1/incidents/a", headers=AUTH, json={"status": "dispatched"}),
        ):
            assert response.status_code == 503
            assert response.headers["Retry-After"] == "5"
            assert "busy or unreachable" in response.json["error"]
    finally:
        lock.rollback()
        lock.close()
    # Nothing acknowledged is lost, nothing refused was half-stored; the retry succeeds.
    assert [r["id"] for r in store.query()] == ["a"]
    assert post(client, record("b")).status_code == 201
    assert store.count() == 2
    store.dispose()


def test_unreachable_database_answers_503_with_retry_after():
    engine = sa.create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    client = make_client(IncidentStore(engine=engine, create=False))
    for response in (post(client, record("a")), client.get("/api/v1/incidents", headers=AUTH)):
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"


def test_app_wide_database_errors_answer_503():
    app = Flask(__name__)
    install_error_handlers(app)

    @app.get("/api/v1/boom")
    def boom():
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("database is locked"))

    response = app.test_client().get("/api/v1/boom")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.json["status"] == 503


# -- paths of the whole app ----------------------------------------------------------------
@pytest.mark.parametrize("who", [None, "demo-commander"])
@pytest.mark.parametrize(
    "path", ["/api/v2/x", "/api/v1/unknown", "/api/v1/incidents/a/b", "/api/", "/api/v1/grids/"]
)
def test_unknown_api_paths_answer_json_404(tiny_app, who, path):
    client = signed_in(tiny_app, name=who) if who else tiny_app.server.test_client()
    for method in ("get", "post", "delete"):
        response = getattr(client, method)(path)
        assert response.status_code == 404, (method, path)
        assert response.is_json and response.json["error"] == "no such resource"


@pytest.mark.parametrize(
    "path", ["/_dash-component-suites/os/path.py", "/planner/_dash-component-suites/os/path.py"]
)
def test_dash_asset_outside_its_packages_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json["error"] == "no such resource"


@pytest.mark.parametrize("name", ["level-５", "level-01", "level-+1", "level-6", "level- 1"])
def test_geometry_routes_accept_only_canonical_names(client, tiny_app, name):
    version = tiny_app.server.extensions["gridmap"].district.version
    assert client.get(f"/geo/{version}/level-1.geojson").status_code == 200
    assert client.get(f"/geo/{version}/{name}.geojson").status_code == 404
