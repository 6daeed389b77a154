"""The workbench's queues and counts: stored deadlines against a fake clock, days and zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from gridmap.access.roles import Principal, Scope
from gridmap.errors import WorkflowError
from gridmap.incidents.queues import QUEUES
from tests.fake_clock import FakeClock
from tests.incident_fixtures import open_store, pg_reachable, stored_record

BEIJING = timezone(timedelta(hours=8))
#: 23:30 in Beijing on 1 March (15:30 UTC): the register deadlines below cross midnight there.
T0 = datetime(2025, 3, 1, 23, 30, tzinfo=BEIJING)
TOWN = Principal("town-1", "user", role="township", scope=Scope.of(["D-1"]))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "postgresql":
        reason = pg_reachable()
        if reason:
            pytest.skip(reason)
    clock = FakeClock(T0)
    s = open_store(request.param, tmp_path, clock=clock)
    s.fake_clock = clock
    s.insert(
        [
            # fire: register within 1 h (due 00:30 Beijing, the next day).
            stored_record("fire", category="fire", reported_at=T0),
            # neighbourhood: register within 2 h.
            stored_record("nb", reported_at=T0),
            # security in the other township: register within 0.5 h.
            stored_record("sec", "D-2-1-1-1", category="security", reported_at=T0),
            # a dispute dispatched 6 days ago: closes within 7 days of its report.
            stored_record("old", state="dispatched", status="dispatched", unit="区水利局",
                          reported_at=T0 - timedelta(days=6), dispatched_at=T0 - timedelta(days=6)),
            stored_record("done", state="closed", status="closed",
                          reported_at=T0 - timedelta(days=9), closed_at=T0 - timedelta(days=8)),
        ]
    )  # fmt: skip
    yield s
    if request.param == "postgresql":
        s.drop()
    s.dispose()


def ids(rows):
    return [r["id"] for r in rows]


def test_queues_follow_the_clock_across_midnight(store):
    clock = store.fake_clock
    counts = store.queue_counts(now=clock())
    assert counts == {"register": 3, "dispatch": 0, "overdue": 0, "due_soon": 4,
                      "escalated": 0, "mine": 0, "verify": 0}  # fmt: skip
    # Soonest due first: security (00:00), fire (00:30), neighbourhood (01:30), the old dispute.
    assert ids(store.queue("due_soon", now=clock())) == ["sec", "fire", "nb", "old"]
    clock.advance(minutes=45)  # 00:15 on 2 March in Beijing
    assert ids(store.queue("overdue", now=clock())) == ["sec"]
    clock.advance(hours=1)  # 01:15
    rows = store.queue("overdue", now=clock())
    assert ids(rows) == ["sec", "fire"]
    assert rows[1]["seconds_left"] == -45 * 60 and rows[1]["overdue"] is True
    assert rows[1]["stage"] == "register"
    clock.advance(days=1)
    assert store.queue_counts(now=clock())["overdue"] == 4  # the old dispute too (7 days)


def test_the_same_instant_in_any_zone_gives_the_same_answer(store):
    now = T0 + timedelta(minutes=45)
    in_utc = store.queue_counts(now=now.astimezone(UTC))
    in_beijing = store.queue_counts(now=now)
    in_new_york = store.queue_counts(now=now.astimezone(timezone(timedelta(hours=-5))))
    assert in_utc == in_beijing == in_new_york
    assert in_utc["overdue"] == 1


def test_due_soon_is_within_24_hours_and_not_overdue(store):
    now = T0 - timedelta(days=1)  # the old dispute is due in 2 days; the new ones not yet reported
    assert "old" not in ids(store.queue("due_soon", now=now))
    now = T0 + timedelta(days=1) - timedelta(minutes=1)
    assert ids(store.queue("due_soon", now=now)) == ["old"]  # the others are overdue by then


def test_actions_move_cases_between_queues(store):
    clock = store.fake_clock
    store.act("nb", "register", TOWN)
    counts = store.queue_counts(now=clock(), actor="user:town-1")
    assert counts["register"] == 2 and counts["dispatch"] == 1 and counts["mine"] == 1
    assert ids(store.queue("mine", now=clock(), actor="user:town-1")) == ["nb"]
    store.act("nb", "escalate", TOWN, note="late")
    assert ids(store.queue("escalated", now=clock())) == ["nb"]
    store.act("nb", "dispatch", TOWN, unit="区人民调解中心")
    assert store.queue_counts(now=clock(), unit="区人民调解中心")["escalated"] == 1
    assert store.queue_counts(now=clock(), unit="区水利局")["escalated"] == 0


def test_filters_and_scope(store):
    now = store.fake_clock()
    d1 = [(2, "D-1")]
    assert store.queue_counts(now=now, within=d1)["register"] == 2
    assert store.queue_counts(now=now, within=[])["register"] == 0
    assert ids(store.queue("register", now=now, grid="D-2")) == ["sec"]
    assert ids(store.queue("register", now=now, category="fire")) == ["fire"]
    assert ids(store.queue("due_soon", now=now, age_hours=24)) == ["old"]
    assert ids(store.queue("due_soon", now=now, unit="区水利局")) == ["old"]
    assert ids(store.queue("due_soon", now=now, limit=1)) == ["sec"]
    assert store.queue("mine", now=now) == []  # nobody asked: nothing is "mine"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "lost"}, "queue"),
        ({"name": "register", "limit": 0}, "limit"),
        ({"name": "register", "limit": 5000}, "limit"),
        ({"name": "register", "age_hours": -1}, "age_hours"),
        ({"name": "register", "now": datetime(2025, 3, 1)}, "now"),
        ({"name": "register", "category": "dragons"}, "categories"),
    ],
)
def test_bad_queue_arguments_are_named(store, kwargs, field):
    kwargs = {"now": T0, **kwargs}
    with pytest.raises(Exception) as caught:  # noqa: PT011 - the field is what matters
        store.queue(kwargs.pop("name"), **kwargs)
    assert caught.value.field == field


def test_every_queue_has_labels():
    from gridmap.incidents.queues import QUEUE_LABELS

    assert set(QUEUE_LABELS) == set(QUEUES)
    assert all(v["zh"] and v["en"] for v in QUEUE_LABELS.values())
    with pytest.raises(WorkflowError, match="unknown queue 'lost'"):
        from gridmap.incidents.queues import queue_clause
        from gridmap.incidents.store import IncidentStore

        queue_clause(IncidentStore("sqlite://", create=False).table, "lost", T0, None)


def test_a_units_own_queue_is_what_is_dispatched_to_it(store):
    clock = store.fake_clock
    unit = "区人民调解中心"
    before = ids(store.queue("mine", now=clock(), actor=f"token:{unit}"))
    assert "nb" not in before
    store.act("nb", "register", TOWN)
    store.act("nb", "dispatch", TOWN, unit=unit)
    after = ids(store.queue("mine", now=clock(), actor=f"token:{unit}"))
    assert sorted(after) == sorted([*before, "nb"])
    assert store.queue_counts(now=clock(), actor=f"token:{unit}")["mine"] == len(after)
    assert "nb" not in ids(store.queue("mine", now=clock(), actor="token:区水利局"))
    store.act("nb", "handle", Principal(unit, "token", rights=frozenset({"dispatch"})), note="done")
    assert "nb" not in ids(store.queue("mine", now=clock(), actor=f"token:{unit}"))
