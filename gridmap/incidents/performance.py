"""The dispatch figures per grid or per unit: on-time closure, rework, time to dispatch and close.

Definitions (also in ``docs/dispatch.md``), over the cases *reported* in the period asked
(``start <= reported_at < end``; the whole store by default), inside the asker's scope:

- **closed**: cases of the period now closed (办结).
- **on-time closure rate** (按期办结率): closed cases with ``closed_at <= close_due_at``
  (closed within their category's close limit, counted from the report) / closed cases.
- **rework rate** (返工率): closed cases sent back at least once at verification
  (``reworks > 0``) / closed cases.
- **time to dispatch**: hours from the report to the first dispatch (``dispatched_at -
  reported_at``), over the dispatched cases: mean and 90th percentile (linear interpolation).
- **time to close**: hours from the report to closing (``closed_at - reported_at``), over the
  closed cases: mean and 90th percentile.
- **open** and **overdue**: cases not closed, and those past the running stage's deadline at
  ``now`` (``due_at < now``).

A rate is None (not 0) when there is no closed case to divide by; a time None when there is
no case to average. Counts come from one ``GROUP BY`` in SQL; the means and percentiles from the
durations in pandas.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from gridmap.errors import StoreError
from gridmap.grids.schema import LEVELS, LEVELS_TEXT
from gridmap.incidents.engine import reading
from gridmap.incidents.queries import where_clauses

#: The figures of one grid or unit, in output order.
FIGURES: tuple[str, ...] = (
    "cases", "closed", "on_time", "on_time_rate", "reworked", "rework_rate",
    "dispatch_mean_h", "dispatch_p90_h", "close_mean_h", "close_p90_h", "open", "overdue",
)  # fmt: skip
FIGURE_LABELS: dict[str, dict[str, str]] = {
    "cases": {"zh": "案件数", "en": "Cases"},
    "closed": {"zh": "已办结", "en": "Closed"},
    "on_time": {"zh": "按期办结", "en": "Closed on time"},
    "on_time_rate": {"zh": "按期办结率", "en": "On-time closure rate"},
    "reworked": {"zh": "返工案件", "en": "Reworked"},
    "rework_rate": {"zh": "返工率", "en": "Rework rate"},
    "dispatch_mean_h": {"zh": "平均派遣用时（小时）", "en": "Mean time to dispatch (h)"},
    "dispatch_p90_h": {"zh": "派遣用时90分位（小时）", "en": "90th pct. time to dispatch (h)"},
    "close_mean_h": {"zh": "平均办结用时（小时）", "en": "Mean time to close (h)"},
    "close_p90_h": {"zh": "办结用时90分位（小时）", "en": "90th pct. time to close (h)"},
    "open": {"zh": "在办", "en": "Open"},
    "overdue": {"zh": "超期", "en": "Overdue"},
}


def figures(
    engine: sa.Engine,
    table: sa.Table,
    *,
    now: datetime,
    level: int | None = None,
    by: str = "grid",
    grid: str | None = None,
    grid_level: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    within: Sequence[tuple[int, str]] | None = None,
) -> pd.DataFrame:
    """Return the figures of :data:`FIGURES`, one row per grid of ``level`` or per unit.

    Parameters
    ----------
    engine, table
        The incident store's engine and table.
    now : datetime
        When "overdue" is judged (aware).
    level : int, optional
        With ``by="grid"``: the level of the grids (1..5; default 2, the townships).
    by : {"grid", "unit"}
        One row per grid of ``level`` or per responsible unit.
    grid, grid_level : optional
        Restrict to one grid's subtree (its level found when not given).
    start, end : datetime, optional
        The period: cases reported in ``start <= reported_at < end``.
    within : sequence of (level, grid id), optional
        The asker's scope.

    Returns
    -------
    pandas.DataFrame
        Indexed by grid id or unit (named ``key``), sorted; empty when nothing matches.

    Raises
    ------
    StoreError
        A bad level, ``by``, or a naive time (``parameter`` names it).
    """
    if by not in ("grid", "unit"):
        raise StoreError(f"'by' must be grid or unit, got {by!r}", parameter="by")
    level = 2 if level is None else level
    if level not in LEVELS:
        raise StoreError(f"level must be {LEVELS_TEXT}, got {level!r}", parameter="level")
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise StoreError("'now' must be a timezone-aware time", parameter="now")
    empty = pd.DataFrame(columns=list(FIGURES), index=pd.Index([], name="key", dtype=object))
    clauses = where_clauses(engine, table, grid=grid, grid_level=grid_level, start=start,
                            end=end, within=within)  # fmt: skip
    if clauses is None:
        return empty
    t = table
    key = (t.c.unit if by == "unit" else t.c[f"g{level}"]).label("key")
    closed = t.c.closed_at.is_not(None)

    def total(condition) -> sa.ColumnElement:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    counts_stmt = (
        sa.select(
            key,
            sa.func.count().label("cases"),
            total(closed).label("closed"),
            total(sa.and_(closed, t.c.closed_at <= t.c.close_due_at)).label("on_time"),
            total(sa.and_(closed, t.c.reworks > 0)).label("reworked"),
            total(t.c.due_at.is_not(None)).label("open"),
            total(t.c.due_at < now).label("overdue"),
        )
        .where(*clauses)
        .group_by(key)
    )
    dialect = engine.dialect.name
    times_stmt = sa.select(
        key,
        _hours_sql(dialect, t.c.reported_at, t.c.dispatched_at).label("dispatch"),
        _hours_sql(dialect, t.c.reported_at, t.c.closed_at).label("close"),
    ).where(*clauses, sa.or_(t.c.dispatched_at.is_not(None), closed))
    with reading(engine) as conn:
        # Plain tuples and hours computed by the database: a DataFrame of row mappings and
        # three datetimes converted per row were most of a township's time.
        counts = pd.DataFrame.from_records(
            [tuple(r) for r in conn.execute(counts_stmt).all()],
            columns=["key", "cases", "closed", "on_time", "reworked", "open", "overdue"],
        )
        times = pd.DataFrame.from_records(
            [tuple(r) for r in conn.execute(times_stmt).all()], columns=["key", "dispatch", "close"]
        )
    if counts.empty:
        return empty
    counts["key"] = counts["key"].fillna("")
    out = counts.set_index("key").astype("int64")
    closed_n = out["closed"].where(out["closed"] > 0)
    out["on_time_rate"] = out["on_time"] / closed_n
    out["rework_rate"] = out["reworked"] / closed_n
    times["key"] = times["key"].fillna("")
    for stage in ("dispatch", "close"):
        grouped = times[stage].astype(float).groupby(times["key"])
        out[f"{stage}_mean_h"] = grouped.mean()
        out[f"{stage}_p90_h"] = grouped.quantile(0.9)
    out = out[list(FIGURES)].sort_index()
    out.index.name = "key"
    return out


def _hours_sql(dialect: str, start: sa.ColumnElement, stop: sa.ColumnElement) -> sa.ColumnElement:
    """Return the hours from ``start`` to ``stop`` as the database computes them (NULL: not yet).

    SQLite keeps naive UTC text (``julianday`` reads it); PostgreSQL has ``timestamptz``.
    """
    if dialect == "sqlite":
        return (sa.func.julianday(stop) - sa.func.julianday(start)) * 24.0
    return sa.extract("epoch", stop - start) / 3600.0


def total(frame: pd.DataFrame) -> dict[str, Any]:
    """Return the figures of all the rows of :func:`figures` together (rates re-derived).

    Means and percentiles of a whole are not those of its parts: callers that need them for
    the whole ask :func:`figures` one level up.
    """
    sums = {c: int(frame[c].sum()) for c in ("cases", "closed", "on_time", "reworked",
                                              "open", "overdue")}  # fmt: skip
    closed = sums["closed"]
    sums["on_time_rate"] = sums["on_time"] / closed if closed else None
    sums["rework_rate"] = sums["reworked"] / closed if closed else None
    return sums


def as_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return ``frame`` as JSON-ready records (NaN as None, counts as int)."""
    records = []
    for key, row in frame.iterrows():
        item: dict[str, Any] = {"key": key}
        for name in FIGURES:
            value = row[name]
            if value is None or (isinstance(value, float) and np.isnan(value)):
                item[name] = None
            elif name in ("cases", "closed", "on_time", "reworked", "open", "overdue"):
                item[name] = int(value)
            else:
                item[name] = round(float(value), 4)
        records.append(item)
    return records


def grid_figures(
    store,
    grid_id: str,
    level: int,
    *,
    now: datetime,
    start: datetime | None = None,
    end: datetime | None = None,
    within: Sequence[tuple[int, str]] | None = None,
    top: int = 6,
) -> dict[str, Any]:
    """Return ``{"grid": figures or None, "units": [figures, ...]}`` of one grid, from SQL.

    The grid's own figures (:func:`as_records` of its row) and those of its ``top`` busiest
    units, busiest first, ties by name (a case with no unit is not listed).
    :meth:`gridmap.incidents.snapshot.Snapshot.dispatch` answers the same from memory.
    """
    options = {"now": now, "grid": grid_id, "grid_level": level, "start": start, "end": end,
               "within": within}  # fmt: skip
    rows = as_records(store.performance(level=level, **options))
    mine = next((r for r in rows if r["key"] == grid_id), None)
    units = as_records(store.performance(by="unit", **options))
    return {"grid": mine, "units": busiest([u for u in units if u["key"]], top)}


def busiest(units: list[dict[str, Any]], top: int) -> list[dict[str, Any]]:
    """Return the ``top`` records with the most cases, ties by key (name)."""
    return sorted(units, key=lambda u: (-u["cases"], u["key"]))[:top]
