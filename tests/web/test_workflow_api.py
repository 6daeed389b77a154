"""The dispatch workflow API through the whole app: actions, timeline, queues, figures, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
import sqlalchemy as sa

from tests.auth_support import ORIGIN, signed_in
from tests.fake_clock import FakeClock

NOW = datetime(2025, 3, 20, 12, tzinfo=UTC)
UNIT = "村（社区）人民调解委员会"  # the neighbourhood category's unit
T1 = {"g1": "T", "g2": "T1", "g3": "T11", "g4": "T111", "g5": "T1111", "lon": 114.805,
      "lat": 33.705}  # fmt: skip
T2 = {"g1": "T", "g2": "T2", "g3": "T22", "g4": "T222", "g5": "T2222", "lon": 114.875,
      "lat": 33.775}  # fmt: skip


def case(rid, where=T1, **fields):
    return {"id": rid, "category": "neighbourhood", "status": "reported",
            "reported_at": NOW - timedelta(hours=1), **where, **fields}  # fmt: skip


@pytest.fixture(scope="module")
def shared_app(make_tiny_app):
    """One app for the module (building one takes seconds); each test refills its cases."""
    clock = FakeClock(NOW)
    app = make_tiny_app(clock=clock)
    app.clock = clock
    return app


@pytest.fixture()
def app(shared_app):
    app = shared_app
    app.clock.set(NOW)
    runtime = app.server.extensions["gridmap"]
    store = runtime.incident_store
    with store.engine.begin() as conn:
        conn.execute(sa.delete(store.table))
        conn.execute(sa.delete(store.events_table))
    runtime.incident_store.insert(
        [
            case("a"),
            case("b"),
            case("far", T2),
            case("late", reported_at=NOW - timedelta(days=3)),
            case("shut", status="closed", closed_at=NOW - timedelta(hours=1)),
        ]
    )
    return app


@pytest.fixture(scope="module")
def unit_token(shared_app):
    accounts = shared_app.server.extensions["gridmap"].accounts
    return {"Authorization": f"Bearer {accounts.add_token(UNIT, ['dispatch'])}"}


def act(client, rid, body, headers=None):
    return client.post(f"/api/v1/incidents/{rid}/actions", json=body, headers=headers or {})


def test_the_whole_loop_by_three_people(app, unit_token):
    town = signed_in(app, "demo-township")  # T1
    chief = signed_in(app, "demo-commander")
    server = app.server.test_client()
    r = act(town, "a", {"action": "register", "expect_state": "reported"})
    assert r.status_code == 200 and r.json["state"] == "registered"
    assert r.json["stage"] == "dispatch" and r.json["overdue"] is False
    r = act(town, "a", {"action": "dispatch", "unit": UNIT, "note": "调解"})
    assert r.status_code == 200 and r.json["unit"] == UNIT
    app.clock.advance(hours=3)
    r = act(server, "a", {"action": "handle", "note": "双方和解"}, unit_token)
    assert r.status_code == 200 and r.json["status"] == "resolved"
    r = act(chief, "a", {"action": "verify"})
    assert r.status_code == 200 and r.json["state"] == "closed" and r.json["due_at"] is None
    timeline = chief.get("/api/v1/incidents/a/timeline").json
    assert [(e["action"], e["actor"]) for e in timeline["timeline"]] == [
        ("register", "user:demo-township"),
        ("dispatch", "user:demo-township"),
        ("handle", f"token:{UNIT}"),
        ("verify", "user:demo-commander"),
    ]
    assert timeline["timeline"][2]["note"] == "双方和解"
    audit = app.server.extensions["gridmap"].audit.query(action="incident-action")
    assert len([a for a in audit if a["target"] == "a"]) >= 4
    details = [a["detail"] for a in audit if a["target"] == "a"]
    assert any('"action": "verify"' in str(d) or "'action': 'verify'" in str(d) for d in details)


@pytest.mark.parametrize(
    ("who", "rid", "body", "code", "field"),
    [
        ("demo-commander", "a", {"action": "verify"}, 409, "state"),
        ("demo-commander", "a", {"action": "register", "expect_state": "handled"}, 409, "state"),
        ("demo-township", "far", {"action": "register"}, 403, "scope"),
        ("demo-viewer", "far", {"action": "register"}, 403, None),
        ("demo-planner", "a", {"action": "register"}, 403, None),
        ("demo-commander", "a", {"action": "teleport"}, 422, "action"),
        ("demo-commander", "a", {"note": "x"}, 422, "action"),
        ("demo-commander", "a", {"action": "register", "colour": "red"}, 422, "colour"),
        ("demo-commander", "a", {"action": "register", "at": "yesterday"}, 422, "at"),
        ("demo-commander", "a", {"action": "register", "at": "2030-01-01T00:00:00Z"}, 422, "at"),
        ("demo-commander", "a", {"action": "escalate"}, 422, "note"),
        ("demo-commander", "a", {"action": "comment", "note": 5}, 422, "note"),
        ("demo-commander", "a", ["register"], 422, "body"),
        ("demo-commander", "ghost", {"action": "register"}, 404, None),
    ],
)
def test_error_codes(app, who, rid, body, code, field):
    client = signed_in(app, who)
    r = act(client, rid, body)
    assert r.status_code == code, r.json
    if field:
        assert r.json["field"] == field
    store = app.server.extensions["gridmap"].incident_store
    if store.get(rid):
        assert store.timeline(rid) == []


def test_dispatch_to_an_unknown_unit_is_422(app):
    chief = signed_in(app, "demo-commander")
    act(chief, "a", {"action": "register"})
    r = act(chief, "a", {"action": "dispatch", "unit": "Ministry of Magic"})
    assert r.status_code == 422 and r.json["field"] == "unit"
    assert "unknown unit" in r.json["error"]


def test_a_unit_acts_only_on_what_is_dispatched_to_it(app, unit_token):
    chief = signed_in(app, "demo-commander")
    server = app.server.test_client()
    act(chief, "b", {"action": "register"})
    act(chief, "b", {"action": "dispatch", "unit": "区人民调解中心"})
    r = act(server, "b", {"action": "handle", "note": "x"}, unit_token)
    assert r.status_code == 403 and r.json["field"] == "scope"
    r = act(server, "a", {"action": "register"}, unit_token)
    assert r.status_code == 403 and r.json["field"] == "role"


def test_cookie_posts_need_the_origin(app):
    chief = signed_in(app, "demo-commander")
    chief.environ_base.pop("HTTP_ORIGIN", None)
    r = act(chief, "a", {"action": "register"})
    assert r.status_code == 403
    chief.environ_base["HTTP_ORIGIN"] = ORIGIN
    assert act(chief, "a", {"action": "register"}).status_code == 200


def test_anonymous_and_read_tokens_are_refused(app):
    accounts = app.server.extensions["gridmap"].accounts
    reader = {
        "Authorization": f"Bearer {accounts.add_token(f'reader-{uuid4().hex[:6]}', ['read'])}"
    }
    client = app.server.test_client()
    assert act(client, "a", {"action": "register"}).status_code == 401
    assert act(client, "a", {"action": "register"}, reader).status_code == 403
    assert client.get("/api/v1/dispatch/queues", headers=reader).status_code == 403


def test_the_old_patch_is_in_the_timeline(app):
    accounts = app.server.extensions["gridmap"].accounts
    name = f"legacy-{uuid4().hex[:6]}"
    token = {"Authorization": f"Bearer {accounts.add_token(name, ['dispatch', 'read'])}"}
    client = app.server.test_client()
    r = client.patch("/api/v1/incidents/a", json={"status": "dispatched"}, headers=token)
    assert r.status_code == 200 and r.json["state"] == "dispatched"
    events = client.get("/api/v1/incidents/a/timeline", headers=token).json["timeline"]
    assert [(e["action"], e["actor"], e["from_state"]) for e in events] == [
        ("dispatch", f"token:{name}", "reported")
    ]


def test_timeline_is_scoped(app):
    town = signed_in(app, "demo-township")
    assert town.get("/api/v1/incidents/far/timeline").status_code == 404
    assert town.get("/api/v1/incidents/ghost/timeline").status_code == 404
    r = town.get("/api/v1/incidents/a/timeline")
    assert r.status_code == 200 and r.json["timeline"] == []
    assert r.json["seconds_left"] == 3600.0  # neighbourhood: registered within 2 h


def test_overdue_and_due_before_filters(app):
    chief = signed_in(app, "demo-commander")
    ids = {i["id"] for i in chief.get("/api/v1/incidents?overdue=true").json["incidents"]}
    assert ids == {"late"}
    both = {i["id"] for i in chief.get("/api/v1/incidents?overdue=false").json["incidents"]}
    assert both == {"a", "b", "far", "late", "shut"}
    soon = (NOW + timedelta(hours=2)).isoformat().replace("+00:00", "Z")
    ids = {i["id"] for i in chief.get(f"/api/v1/incidents?due_before={soon}").json["incidents"]}
    assert ids == {"a", "b", "far", "late"}
    town = signed_in(app, "demo-township")
    ids = {i["id"] for i in town.get(f"/api/v1/incidents?due_before={soon}").json["incidents"]}
    assert ids == {"a", "b", "late"}
    r = chief.get("/api/v1/incidents?overdue=maybe")
    assert r.status_code == 400 and "'overdue' must be true or false" in r.json["error"]
    r = chief.get("/api/v1/incidents?due_before=soon")
    assert r.status_code == 400 and "'due_before'" in r.json["error"]


def test_queues_with_counts_and_rows(app, unit_token):
    town = signed_in(app, "demo-township")
    body = town.get("/api/v1/dispatch/queues?queue=register").json
    assert body["counts"]["register"] == 3 and body["counts"]["overdue"] == 1
    assert [r["id"] for r in body["rows"]] == ["late", "a", "b"]
    assert body["rows"][0]["overdue"] is True
    act(town, "a", {"action": "register"})
    body = town.get("/api/v1/dispatch/queues?queue=mine").json
    assert [r["id"] for r in body["rows"]] == ["a"] and body["counts"]["mine"] == 1
    chief = signed_in(app, "demo-commander")
    assert chief.get("/api/v1/dispatch/queues").json["counts"]["register"] == 3  # + far
    unit = app.server.test_client().get("/api/v1/dispatch/queues", headers=unit_token).json
    assert unit["counts"]["register"] == 0  # nothing dispatched to the unit yet
    for query, parameter in (("queue=lost", "queue"), ("limit=0", "limit"),
                             ("age_hours=x", "age_hours"), ("colour=red", "colour")):  # fmt: skip
        base = "" if query.startswith("queue=") else "queue=register&"
        r = chief.get(f"/api/v1/dispatch/queues?{base}{query}")
        assert r.status_code == 400 and r.json["parameter"] == parameter, query


def test_performance_figures(app):
    chief = signed_in(app, "demo-commander")
    for step in ("register", "dispatch"):
        act(chief, "a", {"action": step, "unit": UNIT})
    act(chief, "a", {"action": "handle", "note": "ok"})
    act(chief, "a", {"action": "rework", "note": "again"})
    act(chief, "a", {"action": "dispatch", "unit": UNIT})
    act(chief, "a", {"action": "handle", "note": "ok"})
    act(chief, "a", {"action": "verify"})
    body = chief.get("/api/v1/incidents/performance?level=2").json
    rows = {r["key"]: r for r in body["rows"]}
    assert set(rows) == {"T1", "T2"}
    t1 = rows["T1"]
    assert (t1["cases"], t1["closed"], t1["reworked"], t1["overdue"]) == (4, 2, 1, 1)
    assert t1["rework_rate"] == 0.5 and t1["dispatch_mean_h"] == 1.0
    assert body["total"]["cases"] == 5
    by_unit = chief.get("/api/v1/incidents/performance?by=unit").json
    assert UNIT in {r["key"] for r in by_unit["rows"]}
    town = signed_in(app, "demo-township")
    assert {r["key"] for r in town.get("/api/v1/incidents/performance").json["rows"]} == {"T1"}
    r = town.get("/api/v1/incidents/performance?grid=T2")
    assert r.status_code == 403 and r.json["parameter"] == "grid"
    planner = signed_in(app, "demo-planner")  # counts and rates only: allowed
    assert planner.get("/api/v1/incidents/performance?grid=T1&level=3").status_code == 200
    for query, parameter in (("level=9", "level"), ("by=moon", "by"), ("from=x", "from"),
                             ("grid=nowhere", "grid"), ("colour=1", "colour")):  # fmt: skip
        r = chief.get(f"/api/v1/incidents/performance?{query}")
        assert r.status_code in (400, 404) and r.json["parameter"] == parameter, query


DEMO_UNIT = "区城市管理局"  # the environment category's unit: the demo unit account works for it


def test_a_signed_in_unit_person_acts_on_its_units_cases_only(app):
    runtime = app.server.extensions["gridmap"]
    assert runtime.accounts.principal("demo-unit").unit == DEMO_UNIT
    chief = signed_in(app, "demo-commander")
    for rid, unit in (("a", DEMO_UNIT), ("b", UNIT)):
        act(chief, rid, {"action": "register"})
        act(chief, rid, {"action": "dispatch", "unit": unit})
    staff = signed_in(app, "demo-unit")
    # Its queues hold only what is dispatched to its unit: "a", waiting on it ("mine").
    body = staff.get("/api/v1/dispatch/queues?queue=mine").json
    assert [r["id"] for r in body["rows"]] == ["a"]
    assert body["counts"]["mine"] == 1 and body["counts"]["register"] == 0
    # Asking for another unit's cases changes nothing: the unit is the account's.
    body = staff.get(f"/api/v1/dispatch/queues?queue=mine&unit={UNIT}").json
    assert [r["id"] for r in body["rows"]] == ["a"]
    # Not its unit's case: refused, a comment too.
    for action in ({"action": "handle", "note": "x"}, {"action": "comment", "note": "x"}):
        r = act(staff, "b", action)
        assert r.status_code == 403 and r.json["field"] == "scope", action
    # Not a unit's action: refused by role, whatever the case.
    for action in ({"action": "register"}, {"action": "dispatch", "unit": DEMO_UNIT},
                   {"action": "verify"}, {"action": "escalate", "note": "x"}):  # fmt: skip
        r = act(staff, "a", action)
        assert r.status_code == 403 and r.json["field"] == "role", action
    assert act(staff, "a", {"action": "handle"}).json["field"] == "note"  # a note is needed
    r = act(staff, "a", {"action": "comment", "note": "约双方周五调解"})
    assert r.status_code == 200 and r.json["state"] == "dispatched"
    r = act(staff, "a", {"action": "handle", "note": "调解成功"})
    assert r.status_code == 200 and r.json["state"] == "handled"
    body = staff.get("/api/v1/dispatch/queues?queue=verify").json
    assert [r["id"] for r in body["rows"]] == ["a"] and body["counts"]["mine"] == 0
    events = runtime.incident_store.timeline("a")
    assert [(e["action"], e["actor"], e["role"]) for e in events][-2:] == [
        ("comment", "user:demo-unit", "unit"), ("handle", "user:demo-unit", "unit"),
    ]  # fmt: skip
    r = act(chief, "a", {"action": "verify"})
    assert r.status_code == 200 and r.json["state"] == "closed"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/incidents", "/api/v1/incidents/a", "/api/v1/incidents/a/timeline",
     "/api/v1/incidents/performance", "/api/v1/grids/T", "/api/v1/coverage",
     "/api/v1/openapi.json", "/admin/users", "/planner/", "/wall/"],
)  # fmt: skip
def test_a_unit_person_reads_nothing_outside_the_workbench(app, path):
    staff = signed_in(app, "demo-unit")
    assert staff.get(path).status_code == 403, path


def test_a_unit_person_may_not_use_the_old_patch(app):
    # The old PATCH checks only the grids: a unit's staff (the whole district, their unit's
    # cases only) would move any case with it. Refused; the case is unchanged.
    staff = signed_in(app, "demo-unit")
    r = staff.patch("/api/v1/incidents/a", json={"status": "dispatched", "unit": DEMO_UNIT},
                    headers={"Origin": ORIGIN})  # fmt: skip
    assert r.status_code == 403
    assert app.server.extensions["gridmap"].incident_store.get("a")["state"] == "reported"


def test_a_unit_persons_home_is_the_workbench(app):
    staff = signed_in(app, "demo-unit")
    r = staff.get("/")
    assert r.status_code == 302 and r.headers["Location"].endswith("/dispatch/")
    assert staff.get("/dispatch/").status_code == 200
    assert staff.post("/_dash-update-component", json={},
                      headers={"Origin": ORIGIN}).status_code == 403  # fmt: skip
