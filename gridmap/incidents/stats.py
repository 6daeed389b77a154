"""Statistics of the incidents of a grid: totals, resolution, trend, categories, child ranking.

Pure functions over query results (a DataFrame with the columns of
:data:`gridmap.incidents.store.COLUMNS`, e.g. ``IncidentStore.frame(grid=...)``), plus one thin
adapter, :func:`grid_statistics`, that runs the queries for a grid and calls them.

Definitions
-----------
* open: status ``reported`` or ``dispatched``; resolved: ``resolved`` or ``closed``.
* resolution rate: resolved / total (None when there is no incident).
* time to resolve: ``resolved_at - reported_at``, in hours; the median over resolved incidents.
* trend periods: local days (Asia/Shanghai by default), or weeks starting on Monday; counted
  by ``reported_at``.
* rate per 1,000 residents: count x 1000 / population (None when the population is 0 or
  unknown).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from gridmap.clock import LOCAL_TZ_NAME
from gridmap.csv_cells import csv_text
from gridmap.errors import StatsError  # noqa: F401 (re-exported)
from gridmap.incidents.categories import DEFAULTS, DONE_STATUSES, OPEN_STATUSES, Categories

METRICS: tuple[str, ...] = ("count", "per_1000")
FREQS: dict[str, str] = {"day": "D", "week": "W-SUN"}
#: The columns :func:`grid_statistics` reads of a grid's incidents.
FRAME_COLUMNS: tuple[str, ...] = ("category", "status", "reported_at", "resolved_at")


def _times(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_datetime(frame[column], utc=True)


def summary(frame: pd.DataFrame) -> dict[str, Any]:
    """Return total, open, resolved, resolution rate and median hours to resolve.

    Parameters
    ----------
    frame : DataFrame
        Incidents with at least ``status``, ``reported_at`` and ``resolved_at``.

    Returns
    -------
    dict
        ``total``, ``open``, ``resolved`` (int), ``resolution_rate`` (0..1 or None),
        ``median_hours_to_resolve`` (float or None).
    """
    total = len(frame)
    status = frame["status"] if total else pd.Series(dtype=object)
    resolved = int(status.isin(DONE_STATUSES).sum())
    opened = int(status.isin(OPEN_STATUSES).sum())
    median = None
    if total:
        hours = hours_to_resolve(frame).dropna()
        if len(hours):
            median = float(hours.median())
    return {
        "total": total,
        "open": opened,
        "resolved": resolved,
        "resolution_rate": (resolved / total) if total else None,
        "median_hours_to_resolve": median,
    }


def hours_to_resolve(frame: pd.DataFrame) -> pd.Series:
    """Return ``resolved_at - reported_at`` in hours per incident (NaN when not resolved)."""
    if frame.empty:
        return pd.Series(dtype=float)
    delta = _times(frame, "resolved_at") - _times(frame, "reported_at")
    return delta.dt.total_seconds() / 3600.0


def trend(
    frame: pd.DataFrame,
    freq: str = "day",
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    tz: str = LOCAL_TZ_NAME,
) -> pd.DataFrame:
    """Count incidents reported per day or week, with the periods that have none.

    Parameters
    ----------
    frame : DataFrame
        Incidents with ``reported_at`` and ``status``.
    freq : {"day", "week"}
        Period; weeks start on Monday.
    start, end : datetime, optional
        Range to cover (``start <= t < end``); default the first and last incident.
    tz : str
        Time zone of the days (default the district's, Asia/Shanghai, UTC+8).

    Returns
    -------
    DataFrame
        ``period`` (start of the period: local midnight, aware in ``tz``), ``count``,
        ``resolved``, and ``days``: how many of the period's days lie in the range (fewer
        than 7 for a week cut by the range's start or end: a partial period).
    """
    if freq not in FREQS:
        raise StatsError(f"freq must be one of {list(FREQS)}, got {freq!r}")
    for name, value in (("start", start), ("end", end)):
        if value is not None and pd.Timestamp(value).tzinfo is None:
            raise StatsError(f"{name} must be timezone-aware")
    columns = ["period", "count", "resolved", "days"]
    if len(frame):
        reported = _times(frame, "reported_at").dt.tz_convert(tz)
    else:
        reported = pd.Series(dtype=f"datetime64[ns, {tz}]")
    if reported.empty and start is None:
        return pd.DataFrame(columns=columns)
    first = pd.Timestamp(start).tz_convert(tz) if start is not None else reported.min()
    if end is not None:
        last = (pd.Timestamp(end) - pd.Timedelta(microseconds=1)).tz_convert(tz)
    else:
        last = reported.max() if not reported.empty else first
    code = FREQS[freq]
    # Periods are computed on naive local times (pandas periods carry no time zone).
    periods = pd.period_range(
        first.tz_localize(None).to_period(code), last.tz_localize(None).to_period(code), freq=code
    )
    keys = reported.dt.tz_localize(None).dt.to_period(code)
    done = frame["status"].isin(DONE_STATUSES).to_numpy() if len(frame) else np.zeros(0, bool)
    counts = keys.value_counts().reindex(periods, fill_value=0)
    resolved = keys[done].value_counts().reindex(periods, fill_value=0)
    # Days of each period inside the range: a week cut by the range is partial.
    first_day = first.tz_localize(None).normalize()
    last_day = last.tz_localize(None).normalize()
    starts = np.maximum(periods.start_time.normalize(), first_day)
    ends = np.minimum(periods.end_time.normalize(), last_day)
    days = ((ends - starts).days + 1).to_numpy(dtype="int64")
    return pd.DataFrame(
        {
            "period": periods.start_time.tz_localize(tz),
            "count": counts.to_numpy(dtype="int64"),
            "resolved": resolved.to_numpy(dtype="int64"),
            "days": days,
        }
    )


def category_breakdown(
    frame: pd.DataFrame, lang: str = "zh", categories: Categories = DEFAULTS
) -> pd.DataFrame:
    """Return counts per category, most frequent first (ties in ``categories``' order, then id).

    Labels are the district's (``categories``); a stored id it does not know shows as itself.

    Returns
    -------
    DataFrame
        ``category``, ``label``, ``count``, ``share`` (0..1), ``open``, ``resolved``,
        ``median_hours_to_resolve``; only categories present.
    """
    columns = ["category", "label", "count", "share", "open", "resolved",
               "median_hours_to_resolve"]  # fmt: skip
    if frame.empty:
        return pd.DataFrame(columns=columns)
    work = pd.DataFrame(
        {
            "category": frame["category"].to_numpy(),
            "open": frame["status"].isin(OPEN_STATUSES).to_numpy(),
            "resolved": frame["status"].isin(DONE_STATUSES).to_numpy(),
            "hours": hours_to_resolve(frame).to_numpy(),
        }
    )
    grouped = work.groupby("category", sort=False)
    table = pd.DataFrame(
        {
            "count": grouped.size(),
            "open": grouped["open"].sum().astype("int64"),
            "resolved": grouped["resolved"].sum().astype("int64"),
            "median_hours_to_resolve": grouped["hours"].median(),
        }
    )
    order = {c: i for i, c in enumerate(categories.ids)}
    table["order"] = [order.get(c, len(order)) for c in table.index]
    # Ties: the district's order, then (categories it does not know) by id.
    table = table.rename_axis("category").reset_index()
    table = table.sort_values(["count", "order", "category"], ascending=[False, True, True])
    table["share"] = table["count"] / len(frame)
    table["label"] = [categories.label(c, lang) for c in table["category"]]
    return table[columns].reset_index(drop=True)


def child_ranking(
    counts: Mapping[str, int] | pd.Series,
    children: pd.DataFrame,
    metric: str = "count",
    lang: str = "zh",
) -> pd.DataFrame:
    """Rank child grids by incident count or by incidents per 1,000 residents.

    Parameters
    ----------
    counts : mapping or Series
        Incidents per grid id (e.g. ``IncidentStore.counts_by_grid(level, grid=parent)``);
        children absent from it have none.
    children : DataFrame
        The child grids, indexed by grid id, with ``population`` (optional) and ``name_zh`` /
        ``name_en`` (optional).
    metric : {"count", "per_1000"}
        What to rank by, highest first; ties by grid id; grids with no rate last.
    lang : {"zh", "en"}
        Language of the ``name`` column.

    Returns
    -------
    DataFrame
        ``rank``, ``grid_id``, ``name``, ``population``, ``count``, ``per_1000``.
    """
    if metric not in METRICS:
        raise StatsError(f"metric must be one of {list(METRICS)}, got {metric!r}")
    counts = pd.Series(counts, dtype="float64") if not isinstance(counts, pd.Series) else counts
    ids = [str(i) for i in children.index]
    count = counts.reindex(ids).fillna(0).astype("int64").to_numpy()
    if "population" in children.columns:
        population = pd.to_numeric(children["population"], errors="coerce").to_numpy(float)
    else:
        population = np.full(len(ids), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(population > 0, count * 1000.0 / population, np.nan)
    name_column = "name_zh" if lang == "zh" else "name_en"
    if name_column not in children.columns:
        name_column = "name_zh" if "name_zh" in children.columns else None
    names = children[name_column].astype(str).tolist() if name_column else ids
    table = pd.DataFrame(
        {
            "grid_id": ids,
            "name": names,
            "population": pd.array(
                [None if np.isnan(p) else int(p) for p in population], dtype="Int64"
            ),
            "count": count,
            "per_1000": rate,
        }
    )
    key = "count" if metric == "count" else "per_1000"
    table = table.sort_values([key, "grid_id"], ascending=[False, True], na_position="last")
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table.reset_index(drop=True)


def grid_statistics(
    store,
    grids: gpd.GeoDataFrame,
    grid_id: str,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    categories: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    freq: str = "week",
    metric: str = "count",
    lang: str = "zh",
    tz: str = LOCAL_TZ_NAME,
    within: Sequence[tuple[int, str]] | None = None,
) -> dict[str, Any]:
    """Run the queries for one grid and return every statistic (adapter over the store).

    Parameters
    ----------
    store : IncidentStore
        Where the incidents are.
    grids : GeoDataFrame
        The district's grids, indexed by grid id, with ``level``, ``parent_id``,
        ``population`` and names.
    grid_id : str
        The grid (any level).
    start, end : datetime, optional
        ``start <= reported_at < end``.
    categories : sequence of str, optional
        Keep only these categories.
    statuses : sequence of str, optional
        Keep only these statuses (None: every status; the page's status filter).
    freq : {"day", "week"}
        Period of the trend.
    metric : {"count", "per_1000"}
        Ranking of the child grids.
    lang : {"zh", "en"}
        Language of labels and names.
    tz : str
        Time zone of the trend's days.
    within : sequence of (level, grid id), optional
        The reader's scope (``Scope.within``): incidents outside it are not counted, and child
        grids outside it are not ranked (None: the whole district).

    Returns
    -------
    dict
        ``summary`` (dict), ``trend``, ``categories`` and ``children`` (DataFrames; children
        is empty for a level-5 grid).
    """
    if grid_id not in grids.index:
        raise StatsError(f"unknown grid {grid_id!r}")
    level = int(grids.loc[grid_id, "level"])
    filters = {"grid": grid_id, "grid_level": level, "start": start, "end": end,
               "categories": categories, "statuses": statuses, "within": within}  # fmt: skip
    # Only the columns the figures read: a whole district's rows with every text column took
    # most of the time of a statistics call.
    frame = store.frame(**filters, columns=FRAME_COLUMNS)
    result: dict[str, Any] = {
        "freq": freq,
        "summary": summary(frame),
        "trend": trend(frame, freq, start=start, end=end, tz=tz),
        "categories": category_breakdown(frame, lang, store.categories),
    }
    if level < 5:
        children = grids[grids["parent_id"] == grid_id]
        if within is not None:
            children = children[[inside_scope(grids, g, within) for g in children.index]]
        counts = store.counts_by_grid(level + 1, **filters)
        result["children"] = child_ranking(counts, children, metric, lang)
    else:
        result["children"] = child_ranking({}, grids.iloc[:0], metric, lang)
    return result


def inside_scope(grids: pd.DataFrame, grid_id: str, within: Sequence[tuple[int, str]]) -> bool:
    """Return whether ``grid_id`` or one of its ancestors is a root of ``within``."""
    roots = {root for _, root in within}
    current: str | None = str(grid_id)
    while current:
        if current in roots:
            return True
        parent = grids.loc[current, "parent_id"] if current in grids.index else None
        current = None if parent is None or pd.isna(parent) or parent == "" else str(parent)
    return False


def statistics_filename(grid_id: str) -> str:
    """Return the file name of a grid's statistics download."""
    return f"incidents-{grid_id}.csv"


def statistics_csv(stats: dict[str, Any], grid_id: str, name: str, filters: str) -> str:
    """Return what the statistics panel shows, as CSV (UTF-8 with BOM, formula cells made text).

    The grid and filters, the summary, then the trend, the categories and the child ranking,
    each under a heading line of its own. Names come from users' data: every text cell goes
    through :func:`gridmap.csv_cells.csv_text`, so ``=HYPERLINK(...)`` stays text.
    """
    rows: list[list[Any]] = [["filters", filters], []]
    for key, value in stats["summary"].items():
        rows.append([key, "" if value is None else value])
    for part in ("trend", "categories", "children"):
        table: pd.DataFrame = stats[part]
        rows += [[], [part], [str(c) for c in table.columns]]
        for record in table.itertuples(index=False):
            rows.append(["" if _missing(v) else v for v in record])
    return csv_text(["grid", grid_id, name], rows)


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


#: Windows up to this long get a daily trend (a playback week: seven days, not two weeks).
DAILY_UP_TO = timedelta(days=31)


def trend_freq(window: timedelta) -> str:
    """Return the trend's period for a date window: days up to a month, else weeks."""
    return "day" if window <= DAILY_UP_TO else "week"
