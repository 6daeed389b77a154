"""The demo year through the dispatch loop: states, timeline, reworks, escalations, overdue."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from gridmap.demo import history as demo_history
from gridmap.demo.incidents import (
    AS_OF,
    YEAR_END,
    demo_incidents,
    first_half_disputes,
    timeline,
)
from gridmap.incidents.deadlines import default_limits
from gridmap.incidents.due_columns import STATUS_OF_STATE
from gridmap.incidents.workflow import ACTIONS
from tests.incident_fixtures import tiny_grids


@pytest.fixture(scope="module")
def frame():
    return demo_incidents(tiny_grids())


@pytest.fixture(scope="module")
def events(frame):
    return timeline(frame)


def test_the_article_disputes_are_all_closed(frame):
    disputes = first_half_disputes(frame)
    assert len(disputes) == 510
    assert (disputes["state"] == "closed").all()


def test_states_agree_with_the_statuses_and_the_timeline(frame, events):
    assert (frame["state"].map(STATUS_OF_STATE) == frame["status"]).all()
    last = events.groupby("incident_id")["to_state"].last()
    assert (frame.set_index("id")["state"] == last.reindex(frame["id"]).values).all()
    assert (events["at"] <= pd.Timestamp(AS_OF)).all()
    # Every step is one the loop allows, from the state the case was in.
    for action, source, target in events[["action", "from_state", "to_state"]].drop_duplicates(
    ).itertuples(index=False):  # fmt: skip
        rule = ACTIONS[action]
        assert source in rule.sources, (action, source)
        assert target == (rule.target or source), (action, target)
    for _, rows in events.groupby("incident_id"):
        assert rows["at"].is_monotonic_increasing
        changes = rows[rows["from_state"] != rows["to_state"]]
        assert (changes["from_state"].iloc[1:].values == changes["to_state"].iloc[:-1].values).all()


def test_registration_follows_the_category_limits(frame):
    limits = default_limits()
    took = (frame["registered_at"] - frame["reported_at"]).dt.total_seconds() / 3600
    allowed = frame["category"].map(lambda c: limits[c].register)
    late = (took > allowed).mean()
    assert 0 < late < 0.15  # mostly in time, a few late
    median = took.groupby(frame["category"]).median()
    assert median["security"] < median["neighbourhood"] < median["petition"]
    assert (
        (frame["registered_at"] <= frame["dispatched_at"]) | frame["dispatched_at"].isna()
    ).all()


def test_a_few_reworks_and_escalations(frame, events):
    share_rework = (frame["reworks"] > 0).mean()
    share_escalated = (frame["escalation"] > 0).mean()
    assert 0.005 < share_rework < 0.05 and 0.005 < share_escalated < 0.06
    assert set(events["action"]) >= {"register", "dispatch", "handle", "verify", "rework",
                                     "escalate"}  # fmt: skip


def test_deterministic(frame):
    again = demo_incidents(tiny_grids())
    pd.testing.assert_frame_equal(frame, again)


def test_loaded_history_has_overdue_cases_today_and_timelines(empty_store, district):
    now = YEAR_END + timedelta(days=3, hours=5)
    stored, _shift = demo_history.load_if_empty(empty_store, district, now=now)
    assert stored > 20_000
    counts = empty_store.queue_counts(now=now)
    assert counts["overdue"] > 0 and counts["escalated"] > 0
    overdue = empty_store.queue("overdue", now=now, limit=5)
    assert all(r["overdue"] for r in overdue)
    some = overdue[0]["id"]
    steps = empty_store.timeline(some)
    assert steps and steps[0]["action"] == "register"
    assert all(s["at"] <= now for s in steps)
    assert empty_store.get(some)["state"] == steps[-1]["to_state"]
    figures = empty_store.performance(now=now, level=1)
    assert 0.6 < figures["on_time_rate"].iloc[0] < 0.98
    assert 0 < figures["rework_rate"].iloc[0] < 0.05


def test_cases_open_at_the_years_end_are_recent_and_the_slow_ones_closed_late(frame):
    limits = default_limits()
    end = pd.Timestamp(AS_OF)
    still = frame[frame["state"] != "closed"]
    assert 0 < len(still) < 0.02 * len(frame)
    close_due = still["reported_at"] + pd.to_timedelta(
        still["category"].map(lambda c: limits[c].close), unit="h"
    )
    # Open today means reported lately: past the close limit by three weeks at most.
    assert ((end - close_due) <= timedelta(days=21)).all()
    assert (end - still["reported_at"]).max() < timedelta(days=60 + 21)
    # No case is left open for good: the slow ones are closed, late by days to three weeks.
    closed = frame[frame["state"] == "closed"]
    took = (closed["closed_at"] - closed["reported_at"]).dt.total_seconds() / 3600
    over = took - closed["category"].map(lambda c: limits[c].close)
    petitions = over[closed["category"] == "petition"]
    assert (petitions > 0).sum() >= 10 and petitions.max() < 21 * 24 + 24 * 7
    assert 0.05 < (over > 0).mean() < 0.3  # some closed late, most in time


def test_the_overdue_queue_starts_with_cases_days_not_months_late(empty_store, district):
    now = YEAR_END + timedelta(days=3, hours=5)
    demo_history.load_if_empty(empty_store, district, now=now)
    first = empty_store.queue("overdue", now=now, limit=1000)
    assert first and all(r["overdue"] for r in first)
    worst = -min(r["seconds_left"] for r in first)
    assert 3600 <= worst <= 28 * 86400  # hours to a few weeks, never a year
    assert empty_store.queue_counts(now=now)["overdue"] == len(first)
