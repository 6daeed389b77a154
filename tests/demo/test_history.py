"""The demo history: whole-week shifts, the year as it stood at a time, loading once.

The tiny district and its incidents: see tests/incident_fixtures.py.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from gridmap.demo import history as demo_history
from gridmap.demo.incidents import YEAR_END
from gridmap.grids.district import load_district
from tests.incident_fixtures import (
    incident,
)


# -- demo history ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("now", "weeks"),
    [
        (YEAR_END - timedelta(days=30), 0),  # before the demo year ends: never negative
        (YEAR_END, 0),
        (YEAR_END + timedelta(hours=1), 1),
        (YEAR_END + timedelta(days=6, hours=23), 1),
        (YEAR_END + timedelta(days=7), 1),
        (YEAR_END + timedelta(days=20), 3),
        (YEAR_END + timedelta(days=365), 53),
    ],
)
def test_week_shift_whole_weeks(now, weeks):
    shift = demo_history.week_shift(now)
    assert shift == timedelta(weeks=weeks)
    assert shift >= timedelta(0)
    assert shift % timedelta(weeks=1) == timedelta(0)
    # The shifted year ends at or after now, and less than a week after it.
    if now >= YEAR_END:
        assert now <= YEAR_END + shift < now + timedelta(weeks=1)
        assert (YEAR_END + shift).weekday() == YEAR_END.weekday()


def test_until_drops_the_future_and_undoes_later_steps():
    now = YEAR_END
    t = pd.Timestamp
    frame = pd.DataFrame(
        {
            "id": ["past", "open-now", "resolving", "future"],
            "status": ["closed", "resolved", "closed", "reported"],
            "reported_at": [t(now - timedelta(days=3)), t(now - timedelta(hours=5)),
                            t(now - timedelta(hours=2)), t(now + timedelta(hours=1))],
            "dispatched_at": [t(now - timedelta(days=2)), t(now + timedelta(hours=1)),
                              t(now - timedelta(hours=1)), pd.NaT],
            "resolved_at": [t(now - timedelta(days=1)), t(now + timedelta(hours=2)),
                            t(now + timedelta(hours=3)), pd.NaT],
            "closed_at": [t(now - timedelta(hours=12)), pd.NaT, t(now + timedelta(hours=4)),
                          pd.NaT],
        }
    )  # fmt: skip
    out = demo_history.until(frame, now).set_index("id")
    assert list(out.index) == ["past", "open-now", "resolving"]
    assert out.loc["past", "status"] == "closed"
    assert out.loc["open-now", "status"] == "reported"
    assert out.loc[["open-now"], ["dispatched_at", "resolved_at"]].isna().all(axis=None)
    assert out.loc["resolving", "status"] == "dispatched"
    assert pd.isna(out.loc["resolving", "resolved_at"]) and pd.isna(
        out.loc["resolving", "closed_at"]
    )


def small_demo_frame(grids) -> pd.DataFrame:
    """Return a three-incident demo frame (the shape of demo_incidents)."""
    rows = [
        incident(f"demo-{i}", g5, lon, lat, reported_at=YEAR_END - timedelta(days=d))
        for i, (g5, lon, lat, d) in enumerate(
            [
                ("T1111", 114.81, 33.71, 1),
                ("T1112", 114.81, 33.73, 10),
                ("T2222", 114.87, 33.77, 100),
            ]
        )
    ]
    frame = pd.DataFrame(rows)
    for column in ("dispatched_at", "resolved_at", "closed_at"):
        frame[column] = pd.NaT
    frame["reported_at"] = pd.to_datetime(frame["reported_at"], utc=True)
    for column in ("reporter", "description", "unit"):
        frame[column] = None
    return frame


def test_load_if_empty_loads_once(empty_store, district, monkeypatch):
    calls = []

    def fake(grids):
        calls.append(len(grids))
        return small_demo_frame(grids)

    monkeypatch.setattr(demo_history, "demo_incidents", fake)
    now = YEAR_END + timedelta(days=17)
    assert district.is_demo
    stored, shift = demo_history.load_if_empty(empty_store, district, now=now)
    # Shifted 3 weeks, demo-0 (a day before the year's end) would be reported 3 days from now:
    # it is left out; the other two are loaded.
    assert (stored, shift) == (2, timedelta(weeks=3))
    assert empty_store.count() == 2
    newest = empty_store.query(limit=1)[0]
    assert newest["id"] == "demo-1"
    assert newest["reported_at"] == YEAR_END - timedelta(days=10) + timedelta(weeks=3)
    # A second start finds incidents and loads nothing.
    assert demo_history.load_if_empty(empty_store, district, now=now) is None
    assert empty_store.count() == 2
    assert len(calls) == 1


def test_load_if_empty_not_for_other_districts(empty_store, tmp_path, monkeypatch):
    from tests.conftest import write_tiny_district

    plain = load_district(write_tiny_district(tmp_path / "plain", demo=False))
    assert not plain.is_demo
    monkeypatch.setattr(demo_history, "demo_incidents", lambda grids: pytest.fail("demo generated"))
    assert demo_history.load_if_empty(empty_store, plain) is None
    assert empty_store.count() == 0
