import csv
import io
import json

import pytest
from flask import Flask

from gridmap.access.roles import Principal, Scope
from tests.auth_support import signed_in
from tests.incident_fixtures import INCIDENTS, NOW, open_store, record, tiny_assigner
from web.incidents_api import AUDIT_IDS, create_blueprint

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def make_app(store, token=TOKEN, **kwargs):
    app = Flask(__name__)
    app.register_blueprint(
        create_blueprint(store, tiny_assigner(), token=token, clock=lambda: NOW,
                                   **kwargs)
    )  # fmt: skip
    return app


@pytest.fixture
def store(tmp_path):
    s = open_store("sqlite", tmp_path)
    yield s
    s.dispose()


@pytest.fixture
def client(store):
    return make_app(store, max_records=5, max_bytes=4096).test_client()


def post(client, body, headers=AUTH, raw=None):
    data = raw if raw is not None else json.dumps(body)
    return client.post("/api/v1/incidents", data=data, headers=headers,
                       content_type="application/json")  # fmt: skip


# -- authentication -------------------------------------------------------------------------
@pytest.mark.parametrize("token", ["", None])
def test_no_token_configured_refuses_everything(store, token):
    client = make_app(store, token=token).test_client()
    for response in (post(client, record("a")), client.get("/api/v1/incidents", headers=AUTH)):
        assert response.status_code == 503
        assert "GRIDMAP_API_TOKEN is not set" in response.json["error"]
    assert store.count() == 0


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "missing 'Authorization: Bearer <token>' header"),
        ({"Authorization": "Bearer wrong"}, "invalid token"),
        ({"Authorization": f"Basic {TOKEN}"}, "must be 'Bearer <token>'"),
        ({"Authorization": "Bearer "}, "must be 'Bearer <token>'"),
    ],
)
def test_bad_credentials_are_401(client, store, headers, message):
    response = post(client, record("a"), headers=headers)
    assert response.status_code == 401
    assert message in response.json["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert store.count() == 0


# -- limits and malformed bodies ------------------------------------------------------------
def test_body_too_large_is_413(client):
    big = [record(f"x{i}", description="长" * 300) for i in range(4)]
    response = post(client, big)
    assert response.status_code == 413
    assert "at most 4096" in response.json["error"]


def test_batch_too_big_is_413(client):
    response = post(client, [record(f"x{i}", description=None, reporter=None) for i in range(6)])
    assert response.status_code == 413
    assert response.json["error"] == "batch of 6 incidents; at most 5 per request"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"id": "a", ', "malformed JSON: Expecting property name enclosed in double quotes"),
        ("", "empty body"),
        ('"just a string"', "expected an incident object, a list of them"),
        ("[]", "no incidents in the request"),
        ('{"incidents": 3}', "'incidents' must be a list"),
        ("[" * 2000 + "]" * 2000, "nested too deeply"),
    ],
)
def test_malformed_bodies_are_400(client, raw, message):
    response = post(client, None, raw=raw)
    assert response.status_code == 400
    assert message in response.json["error"]


def test_non_utf8_body_is_400(client):
    response = post(client, None, raw=b"\xff\xfe{}")
    assert response.status_code == 400 and "UTF-8" in response.json["error"]


# -- validation ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"category": "aliens"}, "category", "unknown category 'aliens'"),
        ({"reported_at": "yesterday"}, "reported_at", "is not an ISO-8601 time"),
        ({"reported_at": "2025-03-01"}, "reported_at", "date without a time of day"),
        ({"reported_at": "2026-06-01T00:00:00Z"}, "reported_at", "is in the future"),
        ({"lon": 116.0, "lat": 33.7}, "lon/lat", "(116.0, 33.7) is outside the district"),
        ({"lon": "114.8"}, "lon", "must be a number, got a string '114.8'"),
        ({"lat": 95.0}, "lat", "between -90 and 90"),
        ({"category": None}, "category", "is required"),
        ({"status": "done"}, "status", "unknown status 'done'"),
        ({"status": "resolved"}, "resolved_at", "is required when status is 'resolved'"),
        ({"resolved_at": "2025-03-02T00:00:00Z"}, "resolved_at", "not allowed while status"),
        ({"status": "dispatched", "dispatched_at": "2025-02-28T00:00:00Z"}, "dispatched_at",
         "is before reported_at"),
        ({"description": "x" * 2001}, "description", "2001 characters long; at most 2000"),
        ({"reporter": 7}, "reporter", "must be a string, got the number 7"),
        ({"id": "bad id/with slash"}, "id", "must be 1-64 characters"),
        ({"g5": "D-1-1-1-1"}, "g5", "unknown field"),
        ({"category": ["land"]}, "category", "must be a string, got a list"),
        ({"status": {"x": 1}}, "status", "must be a string, got an object"),
        ({"lon": True}, "lon", "must be a number, got a boolean True"),
        ({"reported_at": 1740787200}, "reported_at", "must be an ISO-8601 time string"),
    ],
)  # fmt: skip
def test_bad_record_is_422_naming_the_field(client, store, fields, field, message):
    response = post(client, [record("a", **fields)])
    assert response.status_code == 422
    rejected = response.json["rejected"]
    assert {"index": 0, "field": field}.items() <= rejected[0].items()
    assert any(r["field"] == field and message in r["message"] for r in rejected), rejected
    assert response.json["stored"] == 0 and store.count() == 0


def test_record_that_is_not_an_object(client):
    response = post(client, [3])
    assert response.status_code == 422
    assert response.json["rejected"] == [
        {
            "index": 0,
            "id": None,
            "field": "record",
            "message": "must be an object, got the number 3",
        }
    ]


def test_partial_batch_is_207(client, store):
    batch = [record("ok1"), record("bad", category="aliens"), record("ok2", lon=114.95, lat=33.77)]
    response = post(client, batch)
    assert response.status_code == 207
    body = response.json
    assert body["received"] == 3 and body["stored"] == 2 and body["stored_ids"] == ["ok1", "ok2"]
    assert [(r["index"], r["id"], r["field"]) for r in body["rejected"]] == [(1, "bad", "category")]
    assert store.get("ok2")["g5"] == "D-2-2-2-2"


def test_single_object_and_wrapped_list(client, store):
    assert post(client, record("one")).status_code == 201
    assert post(client, {"incidents": [record("two")]}).status_code == 201
    row = store.get("one")
    assert row["status"] == "reported" and row["g1"] == "D" and row["g5"] == "D-1-1-1-1"
    assert row["reported_at"].isoformat() == "2025-03-01T00:30:00+00:00"  # +08:00 -> UTC
    assert row["unit"] == "村（社区）人民调解委员会"  # the category's default unit


def test_idempotent_retry(client, store):
    first = post(client, [record("a"), record("b")])
    assert first.status_code == 201 and first.json["stored"] == 2
    retry = post(client, [record("a"), record("b")])
    assert retry.status_code == 200
    assert retry.json["stored"] == 0 and retry.json["duplicate_ids"] == ["a", "b"]
    mixed = post(client, [record("a"), record("c")])
    assert mixed.status_code == 201 and mixed.json["duplicates"] == 1
    assert store.count() == 3


def test_history_record_with_times(client, store):
    body = record(
        "h",
        status="closed",
        dispatched_at="2025-03-01T09:00:00+08:00",
        resolved_at="2025-03-01T12:00:00",
        closed_at="2025-03-02T00:00:00Z",
    )
    assert post(client, body).status_code == 201
    row = store.get("h")
    assert row["resolved_at"].isoformat() == "2025-03-01T12:00:00+00:00"  # no offset: UTC


# -- PATCH -------------------------------------------------------------------------------
def patch(client, rid, body, headers=AUTH, raw=None):
    data = raw if raw is not None else json.dumps(body)
    return client.patch(f"/api/v1/incidents/{rid}", data=data, headers=headers,
                        content_type="application/json")  # fmt: skip


def test_patch_transitions(client):
    post(client, record("p"))
    r = patch(client, "p", {"status": "dispatched", "at": "2025-03-01T10:00:00+08:00",
                            "unit": "派出所"})  # fmt: skip
    assert r.status_code == 200
    assert (
        r.json["status"] == "dispatched" and r.json["dispatched_at"] == "2025-03-01T02:00:00+00:00"
    )
    assert r.json["unit"] == "派出所"
    r = patch(client, "p", {"status": "resolved"})
    assert r.status_code == 200 and r.json["resolved_at"] == NOW.isoformat()
    assert patch(client, "p", {"status": "closed"}).status_code == 200
    r = patch(client, "p", {"status": "dispatched"})
    assert r.status_code == 409 and "cannot go from 'closed'" in r.json["error"]


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"status": "closed"}, 409, "cannot go from 'reported' to 'closed'"),
        ({"status": "done"}, 422, "'status' must be one of"),
        ({"status": "dispatched", "at": "soon"}, 422, "'at': 'soon' is not an ISO-8601 time"),
        ({"status": "dispatched", "at": "2027-01-01T00:00:00Z"}, 422, "is in the future"),
        ({"status": "dispatched", "at": "2025-01-01T00:00:00Z"}, 422, "is before reported_at"),
        ({"status": "dispatched", "who": "me"}, 422, "unknown field(s) ['who']"),
        ({"status": "dispatched", "unit": 5}, 422, "'unit' must be a string"),
        ([1], 422, "body must be an object"),
    ],
)
def test_patch_errors(client, body, code, message):
    post(client, record("p"))
    r = patch(client, "p", body)
    assert r.status_code == code
    assert message in r.json["error"]


def test_patch_unknown_id_is_404(client):
    r = patch(client, "ghost", {"status": "dispatched"})
    assert r.status_code == 404 and "no incident with id 'ghost'" in r.json["error"]


def test_patch_needs_token(client):
    post(client, record("p"))
    assert patch(client, "p", {"status": "dispatched"}, headers={}).status_code == 401
    assert patch(client, "p", None, raw="{oops").status_code == 400


# -- GET ---------------------------------------------------------------------------------
@pytest.fixture
def filled(client):
    post(client, [record("g1", category="land", reported_at="2025-03-01T00:00:00Z"),
                  record("g2", category="fire", reported_at="2025-03-05T00:00:00Z",
                         lon=114.95, lat=33.77),
                  record("g3", category="land", reported_at="2025-03-09T00:00:00Z",
                         lon=114.95, lat=33.77)])  # fmt: skip
    patch(client, "g3", {"status": "dispatched", "at": "2025-03-09T01:00:00Z"})
    return client


def get(client, query="", headers=AUTH):
    return client.get(f"/api/v1/incidents{query}", headers=headers)


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("", ["g3", "g2", "g1"]),
        ("?grid=D-2", ["g3", "g2"]),
        ("?grid=D-2-2-2-2&level=5", ["g3", "g2"]),
        ("?grid=D-1-1", ["g1"]),
        ("?from=2025-03-02T00:00:00Z&to=2025-03-09T00:00:00Z", ["g2"]),
        ("?category=land", ["g3", "g1"]),
        ("?category=land,fire&status=dispatched", ["g3"]),
        ("?status=reported&status=dispatched&limit=1&offset=1", ["g2"]),
    ],
)
def test_get_filters_json(filled, query, ids):
    r = get(filled, query)
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert [i["id"] for i in r.json["incidents"]] == ids
    assert r.json["count"] == len(ids)


def test_get_one(filled):
    assert get(filled, "/g2").json["category"] == "fire"
    assert get(filled, "/nope").status_code == 404


def test_get_geojson(filled):
    for r in (
        get(filled, "?format=geojson&category=fire"),
        get(filled, "?category=fire", headers={**AUTH, "Accept": "application/geo+json"}),
    ):
        assert r.status_code == 200 and r.mimetype == "application/geo+json"
        body = json.loads(r.data)
        assert body["type"] == "FeatureCollection"
        feature = body["features"][0]
        assert feature["geometry"] == {"type": "Point", "coordinates": [114.95, 33.77]}
        assert feature["properties"]["g5"] == "D-2-2-2-2" and "lon" not in feature["properties"]


def test_get_csv(filled):
    for r in (
        get(filled, "?format=csv&grid=D-1"),
        get(filled, "?grid=D-1", headers={**AUTH, "Accept": "text/csv"}),
    ):
        assert r.status_code == 200 and r.mimetype == "text/csv"
        assert r.data.startswith("\ufeff".encode())  # the BOM: Excel reads it as UTF-8
        rows = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig"))))
        assert [row["id"] for row in rows] == ["g1"]
        assert rows[0]["reported_at"] == "2025-03-01T00:00:00+00:00" and rows[0]["g2"] == "D-1"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?category=aliens", "unknown category(s) ['aliens']"),
        ("?status=lost", "unknown status(s) ['lost']"),
        ("?from=tomorrow", "'from': 'tomorrow' is not an ISO-8601 time"),
        ("?limit=0", "'limit' must be between 1 and 10000"),
        ("?limit=many", "'limit' must be an integer"),
        ("?level=7&grid=D", "'level' must be between 1 and 5"),
        ("?format=xml", "'format' must be one of json, geojson, csv"),
        ("?colour=red", "unknown parameter(s) ['colour']"),
    ],
)
def test_get_bad_parameters_are_400(filled, query, message):
    r = get(filled, query)
    assert r.status_code == 400
    assert message in r.json["error"]


def test_get_needs_token(filled):
    assert get(filled, headers={}).status_code == 401


def test_lazy_store_and_assigner(store):
    app = Flask(__name__)
    app.register_blueprint(create_blueprint(lambda: store, tiny_assigner, token=TOKEN,
                                                      clock=lambda: NOW))  # fmt: skip
    assert post(app.test_client(), record("lazy")).status_code == 201
    assert store.get("lazy") is not None


# -- scope: only the asker's grids (bare app, a fake principal) -----------------------------
EVERY_RIGHT = frozenset({"intake", "read", "dispatch"})
WEST = Principal("west-app", "token", rights=EVERY_RIGHT, scope=Scope.of(["D-1"]))
ALL = Principal("hq", "token", rights=EVERY_RIGHT)
#: Descriptions and units a hostile sender may post: they come back as text, never markup, and
#: as neutralised cells in CSV.
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://x","y")',
    "+1",
    "@SUM(A1)",
    "-2+3",
]


@pytest.fixture
def scoped(store):
    """Return (client, asker, audit rows): the asker is switched by ``asker["who"] = ...``."""
    asker = {"who": ALL}
    rows = []

    def audit(actor, action, target="", *, address="", detail=None):
        rows.append({"actor": actor, "action": action, "target": target,
                     "address": address, "detail": detail})  # fmt: skip

    app = make_app(store, principal=lambda: asker["who"], audit=audit)
    client = app.test_client()
    post(client, [record("w1"), record("w2", lat=33.75),
                  record("e1", lon=114.95, lat=33.77, description="东边的秘密")])  # fmt: skip
    rows.clear()
    asker["who"] = WEST
    return client, asker, rows


def test_scoped_list_holds_only_the_incidents_inside(scoped):
    client, _, _ = scoped
    body = get(client).json
    assert sorted(i["id"] for i in body["incidents"]) == ["w1", "w2"] and body["count"] == 2
    features = json.loads(get(client, "?format=geojson").data)["features"]
    assert sorted(f["id"] for f in features) == ["w1", "w2"]
    text = get(client, "?format=csv").data.decode("utf-8-sig")
    assert "e1" not in text and "东边的秘密" not in text and "114.95" not in text
    assert [i["id"] for i in get(client, "?grid=D-1-2").json["incidents"]] == ["w2"]


@pytest.mark.parametrize("grid", ["D-2", "D-2-2-2-2", "D", "nowhere"])
def test_a_grid_filter_outside_the_scope_is_403_naming_the_parameter(scoped, grid):
    client, _, _ = scoped
    for fmt in ("json", "csv", "geojson"):
        r = get(client, f"?grid={grid}&format={fmt}")
        assert r.status_code == 403 and r.mimetype == "application/json"
        assert r.json["parameter"] == "grid"
        assert r.json["error"] == f"'grid': {grid!r} is outside your grids"


def test_an_incident_outside_the_scope_is_404_like_an_unknown_one(scoped, store):
    client, _, rows = scoped
    outside, unknown = get(client, "/e1"), get(client, "/zz")
    assert outside.status_code == unknown.status_code == 404
    assert outside.json == {**unknown.json, "error": unknown.json["error"].replace("zz", "e1")}
    assert get(client, "/w1").json["id"] == "w1"
    changed, ghost = patch(client, "e1", {"status": "dispatched"}), patch(client, "zz", {
        "status": "dispatched"})  # fmt: skip
    assert changed.status_code == ghost.status_code == 404
    assert changed.json["error"] == "no incident with id 'e1'"
    assert store.get("e1")["status"] == "reported" and rows == []


@pytest.mark.parametrize("who", [None, Principal("nobody", "token", rights=EVERY_RIGHT,
                                                  scope=Scope.of([]))])  # fmt: skip
def test_no_principal_or_an_empty_scope_sees_nothing(scoped, who):
    client, asker, _ = scoped
    asker["who"] = who
    assert get(client).json["count"] == 0
    assert get(client, "/w1").status_code == 404
    assert patch(client, "w1", {"status": "dispatched"}).status_code == 404
    assert get(client, "?grid=D-1").status_code == 403


def test_a_scoped_sender_has_each_record_outside_its_grid_refused(scoped, store):
    client, _, rows = scoped
    r = post(client, [record("n1"), record("n2", lon=114.95, lat=33.77), record("n3", lat=33.75)])
    assert r.status_code == 207
    assert r.json["stored_ids"] == ["n1", "n3"]
    assert r.json["rejected"] == [
        {"index": 1, "id": "n2", "field": "lon/lat",
         "message": "(114.95, 33.77) is outside the token's grid D-1"}
    ]  # fmt: skip
    assert store.get("n2") is None
    assert post(client, record("n4", lon=114.95, lat=33.77)).status_code == 422
    assert [row["detail"]["stored"] for row in rows] == [2, 0]


def test_writes_and_status_changes_are_audited(scoped):
    client, asker, rows = scoped
    post(client, [record("a1"), record("a2")])
    patch(client, "a1", {"status": "dispatched", "unit": "派出所"})
    assert [(r["actor"], r["action"], r["target"]) for r in rows] == [
        ("token:west-app", "incident-write", "a1,a2"),
        ("token:west-app", "incident-status", "a1"),
    ]
    assert rows[0]["detail"] == {"received": 2, "stored": 2, "duplicates": 0, "conflicts": 0,
                                 "rejected": 0,
                                 "ids": ["a1", "a2"], "more_ids": 0}  # fmt: skip
    assert rows[1]["detail"] == {"status": "dispatched", "at": NOW, "unit": "派出所"}
    assert rows[1]["address"] == "127.0.0.1"


def test_a_big_batch_is_one_audit_row_with_the_ids_clipped(store):
    rows = []
    app = make_app(store, audit=lambda *a, **k: rows.append((a, k)))
    batch = [record(f"b{i:03}", description=None) for i in range(120)]
    assert post(app.test_client(), batch).status_code == 201
    ((args, kwargs),) = rows
    assert args[:2] == ("token:GRIDMAP_API_TOKEN", "incident-write")
    assert kwargs["detail"]["stored"] == 120 and kwargs["detail"]["more_ids"] == 120 - AUDIT_IDS
    assert kwargs["detail"]["ids"] == [f"b{i:03}" for i in range(AUDIT_IDS)]


def test_hostile_text_comes_back_as_plain_json_text_and_neutralised_csv_cells(scoped):
    client, asker, _ = scoped
    batch = [record(f"x{k}", description=text, unit=text, reported_at=f"2025-03-0{k + 1}T00:00Z")
             for k, text in enumerate(HOSTILE)]  # fmt: skip
    assert post(client, batch).status_code == 201
    r = get(client, "?category=neighbourhood&from=2025-03-01T00:00Z&to=2025-03-07T01:00Z")
    assert r.mimetype == "application/json"
    by_id = {i["id"]: i for i in r.json["incidents"]}
    for k, text in enumerate(HOSTILE):
        assert by_id[f"x{k}"]["description"] == text == by_id[f"x{k}"]["unit"]
        assert get(client, f"/x{k}").json["description"] == text
    r = get(client, "?format=csv&from=2025-03-01T00:00Z&to=2025-03-07T01:00Z")
    assert r.mimetype == "text/csv"
    cells = {row["id"]: row for row in csv.DictReader(io.StringIO(r.data.decode("utf-8-sig")))}
    expected = {
        "<script>alert(1)</script>": "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>': '"><img src=x onerror=alert(1)>',
        '=HYPERLINK("http://x","y")': '\'=HYPERLINK("http://x","y")',
        "+1": "'+1",
        "@SUM(A1)": "'@SUM(A1)",
        "-2+3": "'-2+3",
    }
    for k, text in enumerate(HOSTILE):
        assert cells[f"x{k}"]["description"] == expected[text] == cells[f"x{k}"]["unit"]


# -- scope through the real app: signed in as demo-township (T1), a token with --grid ------
SECRET = "T2-秘密-description"


@pytest.fixture(scope="module")
def real_app(make_tiny_app):
    """The tiny app with INCIDENTS stored (a, b, c, e in T1; d in T2, with a secret text)."""
    app = make_tiny_app()
    runtime = app.server.extensions["gridmap"]
    rows = [dict(r, description=SECRET, unit="T2-unit") if r["id"] == "d" else r
            for r in INCIDENTS]  # fmt: skip
    runtime.incident_store.insert(rows)
    return app


@pytest.fixture(scope="module")
def west_token(real_app):
    """Return the bearer header of a token made with ``--grid T1``."""
    accounts = real_app.server.extensions["gridmap"].accounts
    secret = accounts.add_token("west-app", ["intake", "read", "dispatch"], grid="T1")
    return {"Authorization": f"Bearer {secret}"}


def t1_record(rid, **fields):
    """A record of the tiny app's district in T1111 (fields override)."""
    base = {"id": rid, "category": "neighbourhood", "reported_at": "2025-03-20T08:00:00Z",
            "lon": 114.805, "lat": 33.705}  # fmt: skip
    return {**base, **fields}


def answers_of(client, headers=None):
    """Every read of the incidents API, as (name, text of the answer)."""
    paths = ["", "?format=geojson", "?format=csv", "?grid=T1", "?status=closed", "/d"]
    for path in paths:
        r = client.get(f"/api/v1/incidents{path}", headers=headers or {})
        yield path, r.status_code, r.get_data(as_text=True)


@pytest.mark.parametrize("who", ["demo-township", "token"])
def test_t2s_incidents_never_come_back_to_t1(real_app, west_token, who):
    client = (
        signed_in(real_app, "demo-township") if who != "token" else real_app.server.test_client()
    )
    headers = west_token if who == "token" else {}
    for path, status, text in answers_of(client, headers):
        assert SECRET not in text and "T2-unit" not in text and "114.8725" not in text, path
        assert "T2222" not in text, path
        assert status in (200, 404), path
    body = client.get("/api/v1/incidents?limit=100", headers=headers).json
    assert {"a", "b", "c", "e"} <= {i["id"] for i in body["incidents"]}
    assert "d" not in {i["id"] for i in body["incidents"]}
    outside = client.get("/api/v1/incidents/d", headers=headers)
    unknown = client.get("/api/v1/incidents/zz", headers=headers)
    assert outside.status_code == unknown.status_code == 404
    assert outside.json["error"] == unknown.json["error"].replace("zz", "d")
    r = client.get("/api/v1/incidents?grid=T2", headers=headers)
    assert r.status_code == 403 and r.json["parameter"] == "grid"
    r = client.patch("/api/v1/incidents/d", json={"status": "dispatched"}, headers=headers)
    assert r.status_code == 404
    store = real_app.server.extensions["gridmap"].incident_store
    assert store.get("d")["status"] == "closed"


def test_t2_sees_its_incident_and_only_it(real_app):
    viewer = signed_in(real_app, "demo-viewer")  # T2, read-only
    body = viewer.get("/api/v1/incidents").json
    assert [i["id"] for i in body["incidents"]] == ["d"]
    assert body["incidents"][0]["description"] == SECRET
    assert viewer.get("/api/v1/incidents/a").status_code == 404


def test_a_status_change_by_the_township_is_audited(real_app):
    township = signed_in(real_app, "demo-township")
    r = township.patch("/api/v1/incidents/a", json={"status": "dispatched"})
    assert r.status_code == 200
    audit = real_app.server.extensions["gridmap"].audit
    (row,) = audit.query(action="incident-status", actor="user:demo-township")
    assert row["target"] == "a" and json.loads(row["detail"])["status"] == "dispatched"


def test_a_token_with_a_grid_stores_only_inside_it_and_is_audited(real_app, west_token):
    client = real_app.server.test_client()
    batch = [t1_record("tok-1"), t1_record("tok-2", lon=114.87, lat=33.77), t1_record("tok-3")]
    r = client.post("/api/v1/incidents", json=batch, headers=west_token)
    assert r.status_code == 207 and r.json["stored_ids"] == ["tok-1", "tok-3"]
    assert r.json["rejected"] == [
        {"index": 1, "id": "tok-2", "field": "lon/lat",
         "message": "(114.87, 33.77) is outside the token's grid T1"}
    ]  # fmt: skip
    audit = real_app.server.extensions["gridmap"].audit
    (row,) = audit.query(action="incident-write", actor="token:west-app")
    assert row["target"] == "tok-1,tok-3"
    assert json.loads(row["detail"])["ids"] == ["tok-1", "tok-3"]
    assert json.loads(row["detail"])["rejected"] == 1


def test_hostile_text_through_the_app_is_plain_json_and_neutral_csv(real_app, west_token):
    client = real_app.server.test_client()
    batch = [t1_record(f"xss-{k}", description=text, unit=text,
                       reported_at=f"2025-04-0{k + 1}T00:00:00Z")
             for k, text in enumerate(HOSTILE)]  # fmt: skip
    assert client.post("/api/v1/incidents", json=batch, headers=west_token).status_code == 201
    township = signed_in(real_app, "demo-township")
    window = "from=2025-04-01T00:00:00Z&to=2025-04-08T00:00:00Z"
    r = township.get(f"/api/v1/incidents?{window}")
    assert r.mimetype == "application/json"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    texts = {i["id"]: (i["description"], i["unit"]) for i in r.json["incidents"]}
    assert texts == {f"xss-{k}": (t, t) for k, t in enumerate(HOSTILE)}
    csv_answer = township.get(f"/api/v1/incidents?{window}&format=csv")
    rows = list(csv.DictReader(io.StringIO(csv_answer.data.decode("utf-8-sig"))))
    cells = {row["id"]: row["description"] for row in rows}
    assert cells == {
        "xss-0": "<script>alert(1)</script>",
        "xss-1": '"><img src=x onerror=alert(1)>',
        "xss-2": '\'=HYPERLINK("http://x","y")',
        "xss-3": "'+1",
        "xss-4": "'@SUM(A1)",
        "xss-5": "'-2+3",
    }
    assert all(row["unit"] == row["description"] for row in rows)
