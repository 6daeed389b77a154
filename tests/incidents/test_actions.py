"""The store's workflow: actions with compare-and-set, stage times, deadlines and the timeline."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from gridmap.access.roles import Principal, Scope
from gridmap.errors import IncidentNotFound, StaleState, WorkflowError
from gridmap.incidents.workflow import ACTIONS, STATES
from tests.fake_clock import FakeClock
from tests.incident_fixtures import open_store, pg_reachable, stored_record

T0 = datetime(2025, 3, 1, 8, tzinfo=UTC)
COMMANDER = Principal("chief", "user", role="commander")
TOWN = Principal("town-1", "user", role="township", scope=Scope.of(["D-1"]))
OTHER_TOWN = Principal("town-2", "user", role="township", scope=Scope.of(["D-2"]))
VIEWER = Principal("viewer-1", "user", role="viewer", scope=Scope.of(["D-1"]))
UNIT = Principal("调解委员会", "token", rights=frozenset({"dispatch"}))
OTHER_UNIT = Principal("区水利局", "token", rights=frozenset({"dispatch"}))
READER = Principal("reader", "token", rights=frozenset({"read"}))

#: (action, from-state, to-state) the loop allows (workflow.ACTIONS).
ALLOWED = [
    (name, source, rule.target or source)
    for name, rule in ACTIONS.items()
    for source in sorted(rule.sources)
]
REFUSED = [(name, s) for name, rule in ACTIONS.items() for s in STATES if s not in rule.sources]
NEEDS = {"unit": "调解委员会", "note": "checked on site"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "postgresql":
        reason = pg_reachable()
        if reason:
            pytest.skip(reason)
    clock = FakeClock(T0 + timedelta(hours=1))
    s = open_store(request.param, tmp_path, clock=clock)
    s.fake_clock = clock
    yield s
    if request.param == "postgresql":
        s.drop()
    s.dispose()


def put(store, rid="a", state="reported", **fields):
    """Store one case in ``state`` (in D-1-1-1-1, the township officer's grids)."""
    store.insert([stored_record(rid, state=state, status="reported", **fields)])
    return store.get(rid)


def args_of(action):
    return {k: v for k, v in NEEDS.items() if k in ACTIONS[action].needs}


@pytest.mark.parametrize(("action", "source", "target"), ALLOWED)
def test_every_allowed_action_moves_the_state_and_writes_the_timeline(
    store, action, source, target
):
    put(store, state=source)
    before = store.version()
    row = store.act("a", action, COMMANDER, **args_of(action))
    assert row["state"] == target
    assert store.version() == before + 1
    (event,) = store.timeline("a")
    assert (event["action"], event["from_state"], event["to_state"]) == (action, source, target)
    assert event["actor"] == "user:chief" and event["role"] == "commander"
    assert event["at"] == T0 + timedelta(hours=1)
    assert (row["due_at"] is None) == (target == "closed")
    if action == "verify":
        assert row["closed_at"] == event["at"]


@pytest.mark.parametrize(("action", "state"), REFUSED)
def test_every_refused_action_changes_nothing(store, action, state):
    put(store, state=state)
    before = store.version()
    with pytest.raises(WorkflowError) as caught:
        store.act("a", action, COMMANDER, **args_of(action))
    assert caught.value.field == "state"
    assert store.get("a")["state"] == state
    assert store.timeline("a") == [] and store.version() == before


@pytest.mark.parametrize(
    ("who", "action", "state", "field"),
    [
        (VIEWER, "register", "reported", "role"),
        (READER, "comment", "reported", "role"),
        (OTHER_TOWN, "register", "reported", "scope"),
        (UNIT, "dispatch", "registered", "role"),
        (UNIT, "verify", "handled", "role"),
        (OTHER_UNIT, "handle", "dispatched", "scope"),
    ],
)
def test_refused_by_role_and_scope(store, who, action, state, field):
    put(store, state=state)
    with pytest.raises(WorkflowError, match="may not|outside|dispatched to") as caught:
        store.act("a", action, who, **args_of(action))
    assert caught.value.field == field
    assert store.timeline("a") == []


def test_the_township_acts_inside_its_grids_and_the_unit_on_its_cases(store):
    put(store)
    store.act("a", "register", TOWN)
    row = store.act("a", "dispatch", TOWN, unit="调解委员会")
    assert row["owner"] == "user:town-1" and row["unit"] == "调解委员会"
    assert store.act("a", "handle", UNIT, note="mediated")["state"] == "handled"
    assert store.act("a", "verify", TOWN)["state"] == "closed"
    assert [e["actor"] for e in store.timeline("a")] == [
        "user:town-1", "user:town-1", "token:调解委员会", "user:town-1",
    ]  # fmt: skip


def test_stage_times_and_legacy_status_follow_the_state(store):
    put(store)
    clock = store.fake_clock
    store.act("a", "register", TOWN)
    clock.advance(hours=1)
    row = store.act("a", "dispatch", TOWN, unit="调解委员会")
    assert row["status"] == "dispatched" and row["dispatched_at"] == clock()
    first_dispatch = clock()
    clock.advance(hours=5)
    row = store.act("a", "handle", UNIT, note="done")
    assert (row["status"], row["handled_at"], row["resolved_at"]) == ("resolved", clock(), clock())
    row = store.act("a", "rework", COMMANDER, note="the fence is still broken")
    assert (row["state"], row["status"], row["reworks"]) == ("rework", "dispatched", 1)
    assert row["handled_at"] is None and row["resolved_at"] is None
    clock.advance(hours=1)
    row = store.act("a", "dispatch", TOWN, unit="调解委员会")
    assert row["dispatched_at"] == first_dispatch  # time to dispatch counts to the first one
    row = store.act("a", "escalate", COMMANDER, note="three days late")
    assert (row["escalation"], row["state"]) == (1, "dispatched")
    with pytest.raises(WorkflowError, match="already escalated"):
        store.act("a", "escalate", COMMANDER, note="again")


def test_the_given_time_is_kept_and_checked(store):
    put(store)
    at = T0 + timedelta(minutes=20)
    assert store.act("a", "register", TOWN, at=at)["registered_at"] == at
    with pytest.raises(WorkflowError) as caught:
        store.act("a", "comment", TOWN, note="x", at=T0 - timedelta(hours=1))
    assert caught.value.field == "at"
    with pytest.raises(WorkflowError) as caught:
        store.act("a", "comment", TOWN, note="x", at=datetime(2025, 3, 1, 9))
    assert caught.value.field == "at"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"unit": "x" * 101}, "unit"),
        ({"unit": "  "}, "unit"),
        ({"unit": "a\x00b"}, "unit"),
        ({"unit": 5}, "unit"),
    ],
)
def test_bad_unit_or_note_is_named(store, kwargs, field):
    put(store, state="registered")
    with pytest.raises(WorkflowError) as caught:
        store.act("a", "dispatch", TOWN, **kwargs)
    assert caught.value.field == field


def test_unknown_incident_and_unknown_action(store):
    with pytest.raises(IncidentNotFound):
        store.act("nope", "register", COMMANDER)
    put(store)
    with pytest.raises(WorkflowError) as caught:
        store.act("a", "teleport", COMMANDER)
    assert caught.value.field == "action"
    assert store.timeline("nope") == []


def test_expect_state_refuses_a_stale_view(store):
    put(store)
    store.act("a", "register", TOWN)
    with pytest.raises(StaleState, match="now 'registered', not 'reported'"):
        store.act("a", "register", COMMANDER, expect_state="reported")
    assert store.act("a", "dispatch", COMMANDER, unit="u", expect_state="registered")


def test_two_people_acting_at_once_one_wins(store):
    put(store, state="registered")
    barrier = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def dispatch(who, unit):
        barrier.wait()
        try:
            outcome[who.name] = store.act("a", "dispatch", who, unit=unit)["unit"]
        except WorkflowError as exc:  # StaleState, or "a case that is dispatched cannot"
            outcome[who.name] = exc

    threads = [
        threading.Thread(target=dispatch, args=(TOWN, "unit-a")),
        threading.Thread(target=dispatch, args=(COMMANDER, "unit-b")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [v for v in outcome.values() if isinstance(v, WorkflowError)]
    wins = [v for v in outcome.values() if isinstance(v, str)]
    assert len(errors) == 1 and len(wins) == 1
    assert errors[0].field == "state"
    assert store.get("a")["unit"] == wins[0]
    assert len(store.timeline("a")) == 1


def test_the_legacy_patch_is_a_timeline_action(store):
    put(store, unit="调解委员会")
    row = store.update_status("a", "dispatched", actor=UNIT)
    assert (row["state"], row["status"]) == ("dispatched", "dispatched")
    row = store.update_status("a", "resolved", actor=UNIT)
    assert row["state"] == "handled" and row["handled_at"] is not None
    row = store.update_status("a", "dispatched", actor=UNIT)
    assert row["reworks"] == 1 and row["state"] == "dispatched"
    events = store.timeline("a")
    assert [e["action"] for e in events] == ["dispatch", "handle", "rework"]
    assert events[0]["note"] == "PATCH status=dispatched"
    assert events[1]["from_state"] == "dispatched" and events[1]["to_state"] == "handled"
