"""The demo district's incident history, loaded on the first start of an empty store."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from gridmap.clock import Clock, system_clock
from gridmap.demo import dispatch_year
from gridmap.demo.incidents import YEAR_END, demo_incidents, load_demo
from gridmap.grids.district import District
from gridmap.incidents.store import IncidentStore
from gridmap.incidents.tables import TIME_COLUMNS


def week_shift(now: datetime, year_end: datetime = YEAR_END) -> timedelta:
    """Return the whole number of weeks that moves the demo year to end in the week of ``now``.

    Whole weeks keep the weekly rhythm on the right weekdays; the content stays deterministic.
    The shifted year ends at or after ``now`` (less than a week after it), so today has
    incidents; :func:`until` drops what would lie in the future.
    """
    week = timedelta(weeks=1)
    weeks = max(0, -((year_end - now) // week))  # ceiling division
    return timedelta(weeks=weeks)


def until(frame: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """Return ``frame`` as it stood at ``now``: later reports dropped, later steps undone.

    An incident reported before ``now`` but resolved after it is still dispatched (or reported)
    at ``now``.
    """
    out = frame.copy()
    for column in TIME_COLUMNS:
        if column in out:
            out[column] = pd.to_datetime(out[column], utc=True)
    stamp = pd.Timestamp(now).tz_convert("UTC")
    out = out[out["reported_at"] <= stamp]
    for column, status in (
        ("closed_at", "resolved"),
        ("resolved_at", "dispatched"),
        ("dispatched_at", "reported"),
    ):
        if column not in out:
            continue
        later = out[column].notna() & (out[column] > stamp)
        out.loc[later, column] = pd.NaT
        if column == "resolved_at":
            out.loc[later, "closed_at"] = pd.NaT
        if column == "dispatched_at":
            out.loc[later, ["resolved_at", "closed_at"]] = pd.NaT
        out.loc[later, "status"] = status
    return out


def shifted(frame: pd.DataFrame, shift: timedelta) -> pd.DataFrame:
    """Return ``frame`` with every time moved by ``shift``."""
    out = frame.copy()
    for column in out.columns:
        if column in TIME_COLUMNS or pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column] + shift
    return out


def load_if_empty(
    store: IncidentStore,
    district: District,
    now: datetime | None = None,
    *,
    clock: Clock = system_clock,
) -> tuple[int, timedelta] | None:
    """Load the demo year into an empty store, moved so that it runs up to ``now``.

    Returns (stored, shift), or None when the store already holds incidents or the district
    is not the demo. ``now`` defaults to ``clock()``.
    """
    if not district.is_demo or store.count() > 0:
        return None
    now = now or clock()
    shift = week_shift(now)
    full = shifted(demo_incidents(district.grids), shift)
    frame = until(full, now)
    events = None
    if "registered_at" in full:  # the dispatch loop: the timeline, and the states at ``now``
        frame, events = dispatch_year.at(frame, dispatch_year.events(full), now)
    stored, _ = load_demo(store, district.grids, frame=frame, events=events)
    store.analyze()
    return stored, shift
