"""Deadlines by category, due and overdue at a given time, across days and time zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from gridmap.errors import WorkflowError
from gridmap.incidents.categories import CATEGORIES
from gridmap.incidents.deadlines import default_limits, due, load_limits

REPORTED = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)  # 23:30 in Huaiyang


def test_every_category_has_ordered_defaults():
    limits = default_limits()
    assert set(limits) == {c.id for c in CATEGORIES}
    for lim in limits.values():
        assert 0 < lim.register <= lim.dispatch <= lim.close
    assert limits["security"].close == 24 and limits["petition"].close == 60 * 24


def test_the_running_deadline_follows_the_state():
    limits = default_limits()
    now = REPORTED + timedelta(minutes=20)
    assert due("security", "reported", REPORTED, now, limits).stage == "register"
    assert due("security", "registered", REPORTED, now, limits).stage == "dispatch"
    assert due("security", "dispatched", REPORTED, now, limits).stage == "close"
    closed = due("security", "closed", REPORTED, now, limits)
    assert closed.stage is None and not closed.overdue


def test_overdue_and_due_soon_across_midnight_and_zones():
    limits = default_limits()
    # Registered at 23:30 local; dispatch due 1 h later, 00:30 the next local day.
    d = due("security", "registered", REPORTED, REPORTED + timedelta(minutes=50), limits)
    assert not d.overdue and d.due_soon and d.seconds_left == 600
    late = REPORTED.astimezone(timezone(timedelta(hours=8))) + timedelta(hours=1, seconds=1)
    d = due("security", "registered", REPORTED, late, limits)
    assert d.overdue and d.seconds_left == -1
    assert d.due_at == datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
    # A dispute has a week: not due soon the next day.
    d = due("neighbourhood", "dispatched", REPORTED, REPORTED + timedelta(days=1), limits)
    assert not d.overdue and not d.due_soon


def test_district_overrides_and_their_checks():
    limits = load_limits({"fire": {"close": 48}})
    assert limits["fire"].close == 48 and limits["fire"].register == 1.0
    for overrides, message in [
        ({"arson": {"close": 1}}, "deadlines.arson: unknown category"),
        ({"fire": {"close": -1}}, "hours must be a number > 0"),
        ({"fire": {"finish": 2}}, "unknown stage"),
        ({"fire": {"register": 80}}, "register <= dispatch <= close"),
        ({"fire": 3}, "must map stages to hours"),
    ]:
        with pytest.raises(WorkflowError, match=message) as err:
            load_limits(overrides)
        assert err.value.field.startswith("deadlines.")


def test_naive_times_are_refused():
    with pytest.raises(WorkflowError, match="now must carry a time zone"):
        due("fire", "reported", REPORTED, datetime(2026, 3, 2), default_limits())
