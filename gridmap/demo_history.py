"""The demo district's incident history, loaded on the first start of an empty store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd

from gridmap.demo_incidents import YEAR_END, demo_incidents, load_demo
from gridmap.district import District
from gridmap.incident_store import IncidentStore

TIME_COLUMNS = ("reported_at", "dispatched_at", "resolved_at", "closed_at")


def week_shift(now: datetime, year_end: datetime = YEAR_END) -> timedelta:
    """Return the whole number of weeks that moves the demo year to end before ``now``.

    Whole weeks keep the weekly rhythm on the right weekdays; the content stays deterministic.
    """
    weeks = max(0, (now - year_end) // timedelta(weeks=1))
    return timedelta(weeks=weeks)


def shifted(frame: pd.DataFrame, shift: timedelta) -> pd.DataFrame:
    """Return ``frame`` with every time moved by ``shift``."""
    out = frame.copy()
    for column in TIME_COLUMNS:
        if column in out:
            out[column] = out[column] + shift
    return out


def load_if_empty(
    store: IncidentStore, district: District, now: datetime | None = None
) -> tuple[int, timedelta] | None:
    """Load the demo year into an empty store, moved so that it ends in the last week.

    Returns (stored, shift), or None when the store already holds incidents or the district
    is not the demo.
    """
    if not district.is_demo or store.count() > 0:
        return None
    now = now or datetime.now(UTC)
    shift = week_shift(now)
    frame = shifted(demo_incidents(district.grids), shift)
    stored, _ = load_demo(store, district.grids, frame=frame)
    store.analyze()
    return stored, shift
