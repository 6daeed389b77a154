"""The columns a grid's figures read, for every incident, held as arrays: read once per version.

A drill answers the new grid's statistics (:func:`gridmap.incidents.stats.grid_statistics`) and
its dispatch figures (:func:`gridmap.incidents.performance.figures`). Asked of the database and
pandas for each grid, they took 20-50 ms of every drill. A :class:`Snapshot` reads the columns
they need once per store version (one query, about 30 ms for 25,000 incidents) and answers any
grid, filter and scope with masks and counts over arrays, in a millisecond or two.

The definitions are those of the two modules (the same filters, the same figures, the same
tables, row for row); the tests compare both for every grid under several filters and scopes.
A store of more than :data:`MAX_ROWS` incidents is not held in memory: its callers keep asking
the database (:func:`snapshot_of` says None).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from gridmap.clock import LOCAL_TZ_NAME
from gridmap.grids.schema import LEVELS
from gridmap.incidents.categories import DONE_STATUSES, OPEN_STATUSES
from gridmap.incidents.performance import busiest
from gridmap.incidents.queries import bulk_frame
from gridmap.incidents.stats import FREQS, METRICS, StatsError, child_ranking, inside_scope

#: Stores up to this many incidents are held as arrays (about 100 bytes an incident).
MAX_ROWS = 300_000
#: The columns read (the statistics' and the dispatch figures').
COLUMNS: tuple[str, ...] = (
    "category", "status", "reported_at", "resolved_at", "dispatched_at", "closed_at",
    "due_at", "close_due_at", "reworks", "unit", *(f"g{level}" for level in LEVELS),
)  # fmt: skip
_HOUR_NS = 3_600_000_000_000
_DAY_NS = 86_400_000_000_000
#: The figures counted (ints); the others are rates and hours (rounded as ``as_records`` does).
_COUNTS = ("cases", "closed", "on_time", "reworked", "open", "overdue")


def _ns(values: pd.Series) -> np.ndarray:
    """Return aware times as int64 UTC nanoseconds (missing: the int64 minimum, NaT)."""
    return pd.to_datetime(values, utc=True).to_numpy(dtype="datetime64[ns]").view("int64")


def _hours(start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Return ``stop - start`` in hours (NaN where either is missing)."""
    nat = np.iinfo(np.int64).min
    out = (stop - start) / _HOUR_NS
    out[(start == nat) | (stop == nat)] = np.nan
    return out


def _time_ns(value: datetime) -> int:
    return int(pd.Timestamp(value).tz_convert("UTC").value)


class Snapshot:
    """Every incident's :data:`COLUMNS` of one store version, as arrays.

    Parameters
    ----------
    frame : DataFrame
        The incidents with :data:`COLUMNS`, in the store's order (newest first, then id).
    tz : str
        Time zone of the trend's days.
    """

    def __init__(self, frame: pd.DataFrame, tz: str = LOCAL_TZ_NAME) -> None:
        self.size = len(frame)
        self.tz = tz
        self.codes: dict[int, np.ndarray] = {}
        self.lookup: dict[int, dict[str, int]] = {}
        self.grid_ids: dict[int, np.ndarray] = {}
        for level in LEVELS:
            codes, uniques = pd.factorize(frame[f"g{level}"])
            self.codes[level] = codes
            self.grid_ids[level] = np.asarray(uniques, dtype=object)
            self.lookup[level] = {str(g): i for i, g in enumerate(uniques)}
        self.category, categories = pd.factorize(frame["category"])
        self.category_ids = [str(c) for c in categories]
        self.status, statuses = pd.factorize(frame["status"])
        self.status_ids = [str(s) for s in statuses]
        self.open = np.isin(frame["status"].to_numpy(dtype=object), OPEN_STATUSES)
        self.done = np.isin(frame["status"].to_numpy(dtype=object), DONE_STATUSES)
        reported = _ns(frame["reported_at"])
        self.reported = reported
        nat = np.iinfo(np.int64).min
        # Local days since 1970-01-01, for the trend's periods (read once, in the store's zone).
        local = pd.to_datetime(frame["reported_at"], utc=True).dt.tz_convert(tz)
        naive = local.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").view("int64")
        self.local_day = np.where(reported == nat, 0, naive // _DAY_NS)
        self.resolve_hours = _hours(reported, _ns(frame["resolved_at"]))
        self.dispatch_hours = _hours(reported, _ns(frame["dispatched_at"]))
        closed_at = _ns(frame["closed_at"])
        self.close_hours = _hours(reported, closed_at)
        self.closed = closed_at != nat
        close_due = _ns(frame["close_due_at"])
        self.on_time = self.closed & (close_due != nat) & (closed_at <= close_due)
        reworks = pd.to_numeric(frame["reworks"], errors="coerce").to_numpy(dtype=float)
        self.reworked = self.closed & (np.nan_to_num(reworks) > 0)
        self.due = _ns(frame["due_at"])
        self.has_due = self.due != nat
        self.unit, units = pd.factorize(frame["unit"].fillna("").astype(str))
        self.unit_ids = [str(u) for u in units]

    # -- filters ---------------------------------------------------------------------------
    def rows(
        self,
        *,
        grid: str | None = None,
        grid_level: int | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        categories: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        within: Sequence[tuple[int, str]] | None = None,
    ) -> np.ndarray:
        """Return the positions of the incidents matching every filter (those of the store).

        The filters must have been checked (``IncidentStore.where_clauses``): this only
        selects.
        """
        keep = np.ones(self.size, dtype=bool)
        if grid is not None:
            keep &= self._grid_mask(grid_level, grid)
        if start is not None:
            keep &= self.reported >= _time_ns(start)
        if end is not None:
            keep &= self.reported < _time_ns(end)
        if categories is not None:
            chosen = set(categories)
            wanted = [i for i, c in enumerate(self.category_ids) if c in chosen]
            keep &= np.isin(self.category, wanted)
        if statuses is not None:
            chosen = set(statuses)
            wanted = [i for i, s in enumerate(self.status_ids) if s in chosen]
            keep &= np.isin(self.status, wanted)
        if within is not None:
            inside = np.zeros(self.size, dtype=bool)
            for level, root in within:
                inside |= self._grid_mask(level, root)
            keep &= inside
        return np.flatnonzero(keep)

    def _grid_mask(self, level: int | None, grid: str) -> np.ndarray:
        code = self.lookup.get(int(level or 0), {}).get(str(grid))
        if code is None:
            return np.zeros(self.size, dtype=bool)
        return self.codes[int(level)] == code

    # -- statistics (gridmap.incidents.stats) ----------------------------------------------
    def summary(self, rows: np.ndarray) -> dict[str, Any]:
        """Return :func:`gridmap.incidents.stats.summary` of the incidents at ``rows``."""
        total = len(rows)
        resolved = int(self.done[rows].sum())
        hours = self.resolve_hours[rows]
        hours = hours[~np.isnan(hours)]
        return {
            "total": total,
            "open": int(self.open[rows].sum()),
            "resolved": resolved,
            "resolution_rate": (resolved / total) if total else None,
            "median_hours_to_resolve": float(np.median(hours)) if len(hours) else None,
        }

    def trend(self, rows: np.ndarray, freq: str, start: datetime, end: datetime) -> pd.DataFrame:
        """Return :func:`gridmap.incidents.stats.trend` of ``rows`` over ``start <= t < end``."""
        if freq not in FREQS:
            raise StatsError(f"freq must be one of {list(FREQS)}, got {freq!r}")
        first = pd.Timestamp(start).tz_convert(self.tz).tz_localize(None).normalize()
        last = (pd.Timestamp(end) - pd.Timedelta(microseconds=1)).tz_convert(self.tz)
        first_day = first.value // _DAY_NS
        last_day = last.tz_localize(None).normalize().value // _DAY_NS
        days = self.local_day[rows]
        if freq == "day":
            step, origin, top = 1, first_day, last_day
        else:
            # Weeks start on Monday (1970-01-01 was a Thursday: day 3 of its week).
            step, origin, top = 7, first_day - (first_day + 3) % 7, last_day - (last_day + 3) % 7
        starts = np.arange(origin, top + 1, step, dtype="int64")
        keys = (days - origin) // step
        inside = (keys >= 0) & (keys < len(starts))
        counts = np.bincount(keys[inside], minlength=len(starts))
        resolved = np.bincount(keys[inside & self.done[rows]], minlength=len(starts))
        cut = np.minimum(starts + step - 1, last_day) - np.maximum(starts, first_day) + 1
        # Pandas' own period starts (their unit is pandas'), as the query path has them.
        code = FREQS[freq]
        period = pd.period_range(
            first.to_period(code), last.tz_localize(None).to_period(code), freq=code
        ).start_time.tz_localize(self.tz)
        return pd.DataFrame(
            {
                "period": period,
                "count": counts.astype("int64"),
                "resolved": resolved.astype("int64"),
                "days": cut.astype("int64"),
            }
        )

    def categories(self, rows: np.ndarray, lang: str, categories) -> pd.DataFrame:
        """Return :func:`gridmap.incidents.stats.category_breakdown` of ``rows``."""
        columns = ["category", "label", "count", "share", "open", "resolved",
                   "median_hours_to_resolve"]  # fmt: skip
        if not len(rows):
            return pd.DataFrame(columns=columns)
        codes = self.category[rows]
        present = np.unique(codes)
        n = len(self.category_ids)
        count = np.bincount(codes, minlength=n)
        opened = np.bincount(codes[self.open[rows]], minlength=n)
        resolved = np.bincount(codes[self.done[rows]], minlength=n)
        hours = self.resolve_hours[rows]
        order = {c: i for i, c in enumerate(categories.ids)}
        table = []
        for code in present:
            ids = self.category_ids[code]
            mine = hours[codes == code]
            mine = mine[~np.isnan(mine)]
            median = float(np.median(mine)) if len(mine) else np.nan
            table.append((ids, int(count[code]), int(opened[code]), int(resolved[code]),
                          median, order.get(ids, len(order))))  # fmt: skip
        table.sort(key=lambda r: (-r[1], r[5], r[0]))
        return pd.DataFrame(
            {
                "category": pd.array([r[0] for r in table], dtype=object),
                "label": [categories.label(r[0], lang) for r in table],
                "count": np.array([r[1] for r in table], dtype="int64"),
                "share": np.array([r[1] / len(rows) for r in table], dtype=float),
                "open": np.array([r[2] for r in table], dtype="int64"),
                "resolved": np.array([r[3] for r in table], dtype="int64"),
                "median_hours_to_resolve": np.array([r[4] for r in table], dtype=float),
            }
        )[columns]

    def counts(self, rows: np.ndarray, level: int) -> pd.Series:
        """Return the incidents at ``rows`` per grid of ``level`` (``counts_by_grid``)."""
        codes = self.codes[level][rows]
        codes = codes[codes >= 0]
        found = np.bincount(codes, minlength=len(self.grid_ids[level]))
        nonzero = np.flatnonzero(found)
        return pd.Series(
            found[nonzero].astype("int64"),
            index=pd.Index(self.grid_ids[level][nonzero], dtype=object, name="grid_id"),
            name="count",
        ).sort_index()

    def statistics(
        self,
        grids: pd.DataFrame,
        grid_id: str,
        *,
        start: datetime,
        end: datetime,
        categories: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        freq: str = "week",
        metric: str = "count",
        lang: str = "zh",
        within: Sequence[tuple[int, str]] | None = None,
        known=None,
        child_ids: Sequence[str] | None = None,
    ) -> dict[str, Any]:
        """Return :func:`gridmap.incidents.stats.grid_statistics` of one grid from the arrays.

        ``grids`` as there (``level`` and ``parent_id``, names and population; no geometry
        needed); ``known`` the district's categories; ``child_ids`` the grid's child grids
        when known (``District.children``; default looked up in ``grids``). Children outside
        ``within`` are not ranked, as there.
        """
        if grid_id not in grids.index:
            raise StatsError(f"unknown grid {grid_id!r}")
        if metric not in METRICS:
            raise StatsError(f"metric must be one of {list(METRICS)}, got {metric!r}")
        level = int(grids.loc[grid_id, "level"])
        rows = self.rows(grid=grid_id, grid_level=level, start=start, end=end,
                         categories=categories, statuses=statuses, within=within)  # fmt: skip
        result: dict[str, Any] = {
            "freq": freq,
            "summary": self.summary(rows),
            "trend": self.trend(rows, freq, start, end),
            "categories": self.categories(rows, lang, known),
        }
        if level < 5:
            if child_ids is None:
                children = grids[grids["parent_id"] == grid_id]
            else:
                children = grids.loc[list(child_ids)]
            if within is not None:
                children = children[[inside_scope(grids, g, within) for g in children.index]]
            result["children"] = child_ranking(self.counts(rows, level + 1), children, metric, lang)
        else:
            result["children"] = child_ranking({}, grids.iloc[:0], metric, lang)
        return result

    # -- dispatch figures (gridmap.incidents.performance) ----------------------------------
    def figures(self, rows: np.ndarray, key: str, now_ns: int) -> dict[str, Any]:
        """Return one record of :func:`gridmap.incidents.performance.as_records` for ``rows``."""
        closed = int(self.closed[rows].sum())
        on_time = int(self.on_time[rows].sum())
        reworked = int(self.reworked[rows].sum())
        record: dict[str, Any] = {
            "key": key,
            "cases": len(rows),
            "closed": closed,
            "on_time": on_time,
            "on_time_rate": round(on_time / closed, 4) if closed else None,
            "reworked": reworked,
            "rework_rate": round(reworked / closed, 4) if closed else None,
        }
        for stage, hours in (("dispatch", self.dispatch_hours), ("close", self.close_hours)):
            values = hours[rows]
            values = values[~np.isnan(values)]
            record[f"{stage}_mean_h"] = round(float(values.mean()), 4) if len(values) else None
            record[f"{stage}_p90_h"] = (
                round(float(np.quantile(values, 0.9)), 4) if len(values) else None
            )
        due = self.has_due[rows]
        record["open"] = int(due.sum())
        record["overdue"] = int((due & (self.due[rows] < now_ns)).sum())
        return record

    def dispatch(
        self,
        grid_id: str,
        level: int,
        *,
        now: datetime,
        start: datetime | None = None,
        end: datetime | None = None,
        within: Sequence[tuple[int, str]] | None = None,
        top: int = 6,
    ) -> dict[str, Any]:
        """Return ``{"grid": figures or None, "units": [figures, ...]}`` of one grid.

        The grid's own figures, and those of its ``top`` busiest units (a case with no unit is
        not listed), as ``web.dispatch_stats.grid_dispatch_figures`` answers them.
        """
        rows = self.rows(grid=grid_id, grid_level=level, start=start, end=end, within=within)
        if not len(rows):
            return {"grid": None, "units": []}
        now_ns = _time_ns(now)
        mine = self.figures(rows, grid_id, now_ns)
        codes = self.unit[rows]
        units = []
        for code in np.unique(codes):
            name = self.unit_ids[code]
            if name:
                units.append(self.figures(rows[codes == code], name, now_ns))
        return {"grid": mine, "units": busiest(units, top)}


def snapshot_of(store, *, max_rows: int | None = None, tz: str = LOCAL_TZ_NAME) -> Snapshot | None:
    """Read ``store``'s incidents into a :class:`Snapshot` (one query).

    None when it holds more than ``max_rows`` (default :data:`MAX_ROWS`): its callers then ask
    the database.
    """
    if store.count() > (MAX_ROWS if max_rows is None else max_rows):
        return None
    return Snapshot(bulk_frame(store.engine, store.table, COLUMNS), tz)
