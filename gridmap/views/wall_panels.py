"""The wall's panels from the store: the 30-day trend, the category split, the ranking, overdue.

Two reads of the store per data change (:func:`read_rows`): the incidents reported in the last
five weeks, and the cases that are open or were resolved in that time (the "active" ones, for
the figures of 24 hours ago). What the dispatch workflow defines is read from it: the overdue
cases from the store's ``overdue`` queue (``due_at < now``), the on-time closure rates from
:mod:`gridmap.incidents.performance`. Everything else is plain Python over the rows; no Dash.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pandas as pd
import sqlalchemy as sa

from gridmap.clock import LOCAL_TZ
from gridmap.incidents import performance
from gridmap.incidents.categories import BY_ID, OPEN_STATUSES
from gridmap.incidents.deadlines import Limits
from gridmap.incidents.store import IncidentStore
from gridmap.views.wall_changes import (
    SAME_WEEKDAY_WEEKS,
    TREND_DAYS,
    Change,
    change,
    daily_counts,
    day_start,
    same_weekday_average,
    tile_changes,
    tile_figures,
    week_start,
)

#: Columns read for the panels.
ROW_COLUMNS = (
    "id", "category", "status", "reported_at", "registered_at", "dispatched_at", "handled_at",
    "resolved_at", "closed_at", "lon", "lat", "g2", "g3",
)  # fmt: skip
#: Categories shown by name in the split (the rest are summed as "other").
SPLIT_TOP = 5
#: Rows of the overdue list sent to the page (the panel shows as many as fit).
OVERDUE_ROWS = 12
#: Overdue cases marked on the map at most.
OVERDUE_MARKS = 500


@dataclass(frozen=True)
class WallRows:
    """What one refresh reads of the store."""

    #: Incidents reported since :func:`window_start`.
    recent: list[dict]
    #: Cases open now, or resolved or closed since :func:`window_start`.
    active: list[dict]


def window_start(now: datetime) -> datetime:
    """Return the start of what the panels need: the trend's first day or last week's Monday."""
    trend = day_start(now) - timedelta(days=TREND_DAYS - 1)
    weekday = day_start(now) - timedelta(weeks=SAME_WEEKDAY_WEEKS)
    last_week = week_start(now) - timedelta(weeks=1)
    return min(trend, weekday, last_week)


def read_rows(store: IncidentStore, now: datetime, within=None) -> WallRows:
    """Read the rows of every panel ``within`` the scope (None: every incident, []: none)."""
    start = window_start(now)
    recent = store.query(start=start, columns=list(ROW_COLUMNS), within=within)
    clauses = store.where_clauses(within=within)
    if clauses is None:
        return WallRows(recent, [])
    t = store.table
    since = start.astimezone(UTC)
    stmt = sa.select(*(t.c[c] for c in ROW_COLUMNS)).where(
        sa.or_(
            t.c.status.in_(list(OPEN_STATUSES)), t.c.resolved_at >= since, t.c.closed_at >= since
        ),
        *clauses,
    )
    with store.engine.connect() as conn:
        active = [dict(r) for r in conn.execute(stmt).mappings()]
    return WallRows(recent, active)


# -- trend ---------------------------------------------------------------------------------
def trend_panel(rows: WallRows, now: datetime, days: int = TREND_DAYS) -> dict:
    """Return the 30-day trend: counts per day, today, the same-weekday average and the change.

    Returns
    -------
    dict
        ``days`` (list of ``{"day": "MM-DD", "weekday": 0-6, "count": n}``, oldest first,
        today last and counted up to now), ``today``, ``average`` (the mean of the same
        weekday of the previous 4 weeks up to now's time), ``change`` (:class:`Change` of
        today against that average; fewer is good), ``max``.
    """
    times = [r["reported_at"] for r in rows.recent]
    counts = daily_counts(times, now, days)
    average = same_weekday_average(times, now)
    today = counts[-1][1]
    return {
        "days": [
            {"day": d.strftime("%m-%d"), "weekday": d.weekday(), "count": n} for d, n in counts
        ],
        "today": today,
        "average": average,
        "change": change(today, average, "down"),
        "max": max([n for _, n in counts] + [average, 1]),
    }


# -- category split ------------------------------------------------------------------------
def category_split(rows: WallRows, now: datetime, lang: str, days: int = TREND_DAYS) -> list[dict]:
    """Return the incidents of the last ``days`` days by category, largest first.

    The :data:`SPLIT_TOP` largest by name, the others summed into one row (``id`` "rest").
    Each row: ``id``, ``label``, ``count``, ``share`` (of the total).
    """
    start = day_start(now) - timedelta(days=days - 1)
    counts = Counter(r["category"] for r in rows.recent if r["reported_at"] >= start)
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    out = []
    for cid, n in ranked[:SPLIT_TOP]:
        category = BY_ID.get(cid)
        out.append({"id": cid, "label": category.label(lang) if category else cid, "count": n})
    rest = sum(n for _, n in ranked[SPLIT_TOP:])
    if rest:
        out.append({"id": "rest", "label": "其他类别" if lang == "zh" else "Others", "count": rest})
    for row in out:
        row["share"] = row["count"] / total
    return out


# -- ranking -------------------------------------------------------------------------------
def ranking(
    rows: WallRows,
    units: Sequence[tuple[str, int, str, int | None]],
    now: datetime,
    on_time: Mapping[str, float | None],
    overdue: Mapping[str, int],
    days: int = TREND_DAYS,
) -> list[dict]:
    """Rank the wall's units (townships, or a township's villages) by incidents per 1,000 people.

    Parameters
    ----------
    rows : WallRows
        From :func:`read_rows`.
    units : sequence of (grid id, level, name, population)
        The grids ranked (level 2 or 3).
    now : datetime
        The current time.
    on_time : mapping
        Grid id to its on-time closure rate of the window (:func:`on_time_rates`).
    overdue : mapping
        Grid id to its cases overdue now (:func:`overdue_by_grid`).
    days : int
        The window of the incident counts (the last ``days`` days).

    Returns
    -------
    list of dict
        Worst first (most incidents per 1,000 residents; units without people last, by
        count): ``id``, ``name``, ``count``, ``per_1000`` (None without population),
        ``on_time`` (share resolved on time in the window; None without resolved cases),
        ``overdue`` (cases overdue now), ``rank``; and ``worst``: the columns in which this
        unit is the worst of all (``count``, ``per_1000``, ``on_time``, ``overdue``).
    """
    start = day_start(now) - timedelta(days=days - 1)
    out = []
    for grid_id, level, name, population in units:
        column = f"g{level}"
        count = sum(1 for r in rows.recent if r[column] == grid_id and r["reported_at"] >= start)
        out.append(
            {
                "id": grid_id,
                "name": name,
                "count": count,
                "per_1000": count * 1000.0 / population if population else None,
                "on_time": on_time.get(grid_id),
                "overdue": int(overdue.get(grid_id, 0)),
            }
        )
    out.sort(key=lambda u: (u["per_1000"] is None, -(u["per_1000"] or 0), -u["count"], u["id"]))
    worst: dict[str, float] = {}
    for key, pick in (("count", max), ("per_1000", max), ("overdue", max), ("on_time", min)):
        values = [u[key] for u in out if u[key] is not None]
        # A column where everyone is equal (or nobody has a value) has no worst.
        if values and len(set(values)) > 1:
            worst[key] = pick(values)
    for rank, unit in enumerate(out, start=1):
        unit["rank"] = rank
        unit["worst"] = [k for k, v in worst.items() if unit[k] == v]
    return out


# -- overdue -------------------------------------------------------------------------------
def overdue_cases(queue: list[dict], names: Mapping[str, str], lang: str) -> list[dict]:
    """Return the overdue cases of the store's ``overdue`` queue as the wall lists them.

    ``queue`` is :meth:`IncidentStore.queue` ``("overdue", ...)``: soonest due first, so the
    longest past its deadline first. Each: ``id``, ``category`` (label), ``category_id``,
    ``village``, ``township``, ``stage`` (``register``, ``dispatch`` or ``close``),
    ``over_seconds``, ``over`` (text: "3小时20分" / "3 h 20 min", or days), ``escalated``,
    ``reported`` (local ``MM-DD HH:MM``), ``lon``, ``lat``.
    """
    out = []
    for row in queue:
        category = BY_ID.get(row["category"])
        over = -float(row["seconds_left"])
        out.append(
            {
                "id": row["id"],
                "category": category.label(lang) if category else row["category"],
                "category_id": row["category"],
                "village": names.get(row["g3"], row["g3"]),
                "township": names.get(row["g2"], row["g2"]),
                "stage": row["stage"] or "close",
                "over_seconds": over,
                "over": duration_text(over, lang),
                "escalated": bool(row.get("escalation")),
                "reported": row["reported_at"].astimezone(LOCAL_TZ).strftime("%m-%d %H:%M"),
                "lon": row["lon"],
                "lat": row["lat"],
            }
        )
    return out


def overdue_by_grid(store: IncidentStore, level: int, now: datetime, within=None) -> dict[str, int]:
    """Return grid id of ``level`` -> its cases overdue now (``due_at < now``), within scope."""
    clauses = store.where_clauses(within=within)
    if clauses is None:
        return {}
    t = store.table
    column = t.c[f"g{level}"]
    stmt = (
        sa.select(column, sa.func.count())
        .where(t.c.due_at.is_not(None), t.c.due_at < now.astimezone(UTC), *clauses)
        .group_by(column)
    )
    with store.engine.connect() as conn:
        return {str(g): int(n) for g, n in conn.execute(stmt).all()}


def on_time_rates(
    store: IncidentStore, level: int, now: datetime, start: datetime, end: datetime, within=None
) -> dict[str, float | None]:
    """Return grid id of ``level`` -> on-time closure rate of the cases reported in the period.

    As the dispatch figures define it (:func:`gridmap.incidents.performance.figures`): closed
    cases closed by their close deadline / closed cases; None without a closed case.
    """
    table = performance.figures(
        store.engine, store.table, now=now, level=level, start=start, end=end, within=within
    )
    return {
        str(key): (None if pd.isna(rate) else float(rate))
        for key, rate in table["on_time_rate"].items()
    }


def scope_weeks(store: IncidentStore, now: datetime, within=None) -> dict[str, tuple]:
    """Return the dispatch figures of the last 7 days' cases and of the 7 days before.

    Rolling weeks, not calendar ones: on a Monday morning a calendar week has closed nothing
    yet. As :func:`gridmap.incidents.performance.figures` defines them, over the whole scope.

    Returns
    -------
    dict
        ``on_time_rate``, ``dispatch_mean_h``, ``dispatch_p90_h``: each (this week, last week),
        None where the week has no case to count.
    """
    one_week = timedelta(weeks=1)
    names = ("on_time_rate", "dispatch_mean_h", "dispatch_p90_h")

    def week(start, end) -> dict[str, float | None]:
        table = performance.figures(
            store.engine, store.table, now=now, level=1, start=start, end=end, within=within
        )
        if len(table) != 1:
            return dict.fromkeys(names)
        row = table.iloc[0]
        return {n: None if pd.isna(row[n]) else float(row[n]) for n in names}

    this, last = week(now - one_week, now), week(now - 2 * one_week, now - one_week)
    return {n: (this[n], last[n]) for n in names}


def scope_on_time(
    store: IncidentStore, now: datetime, within=None
) -> tuple[float | None, float | None]:
    """Return the on-time closure rates of the last 7 days' cases and of the 7 days before."""
    return scope_weeks(store, now, within)["on_time_rate"]


def duration_text(seconds: float, lang: str) -> str:
    """Return a time past a deadline as the wall says it: minutes, hours and minutes, or days."""
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes}分钟" if lang == "zh" else f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}小时{rest}分" if lang == "zh" else f"{hours} h {rest} min"
    days, hours = divmod(hours, 24)
    return f"{days}天{hours}小时" if lang == "zh" else f"{days} d {hours} h"


# -- tiles ---------------------------------------------------------------------------------
def tiles(
    rows: WallRows,
    now: datetime,
    limits: Mapping[str, Limits],
    overdue_now: int | None = None,
    on_time: tuple[float | None, float | None] | None = None,
    dispatch: tuple[float | None, float | None] | None = None,
) -> dict[str, Change]:
    """Return the :class:`Change` of every KPI tile (see :func:`wall_changes.tile_figures`)."""
    reported = [r["reported_at"] for r in rows.recent]
    figures = tile_figures(reported, rows.active, now, limits, overdue_now, on_time, dispatch)
    return tile_changes(figures)
