"""Reads of the incident store: filters as WHERE clauses, rows, frames, points and counts.

Every function takes the engine and the incident table. Time ranges are half-open:
``start <= reported_at < end``.
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
from gridmap.incidents.categories import CATEGORY_IDS, STATUSES
from gridmap.incidents.engine import reading
from gridmap.incidents.intake import text_problem
from gridmap.incidents.tables import COLUMNS, UTCDateTime


def get(
    engine: sa.Engine,
    table: sa.Table,
    incident_id: str,
    within: Sequence[tuple[int, str]] | None = None,
) -> dict[str, Any] | None:
    """Return one incident as a dict, or None (also when it lies outside ``within``).

    ``within`` is the reader's scope as in :func:`where_clauses`: an incident outside it is
    answered exactly like an unknown one.
    """
    clauses = where_clauses(engine, table, within=within)
    if clauses is None or text_problem(incident_id):
        return None  # no stored id holds NUL or a lone surrogate: never sent to the database
    stmt = sa.select(table).where(table.c.id == incident_id, *clauses)
    with reading(engine) as conn:
        row = conn.execute(stmt).mappings().first()
    return None if row is None else dict(row)


def stored_level(engine: sa.Engine, table: sa.Table, grid_id: str) -> int | None:
    """Return the level at which ``grid_id`` appears in stored incidents (None if none)."""
    if text_problem(grid_id):
        return None  # a NUL (e.g. in a callback's customdata) would be a DataError on PostgreSQL
    with reading(engine) as conn:
        for level in LEVELS:
            column = table.c[f"g{level}"]
            if conn.execute(sa.select(column).where(column == grid_id).limit(1)).first():
                return level
    return None


def known_categories(table: sa.Table) -> tuple[str, ...]:
    """Return the category ids of the district whose incidents ``table`` holds.

    :class:`~gridmap.incidents.store.IncidentStore` puts its district's ids in
    ``table.info["categories"]``; a bare table has the default ones.
    """
    return tuple(table.info.get("categories", CATEGORY_IDS))


def where_clauses(
    engine: sa.Engine,
    table: sa.Table,
    grid: str | None = None,
    grid_level: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    categories: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    within: Sequence[tuple[int, str]] | None = None,
    due_before: datetime | None = None,
) -> list[sa.ColumnElement[bool]] | None:
    """Return the WHERE clauses of the filters of :func:`query` (None: matches nothing).

    ``within`` is a reader's scope: (level, grid id) of each subtree it may see; None sees
    every incident, an empty sequence none. ``due_before`` keeps the open cases whose running
    deadline falls before it (``due_at < due_before``; "overdue" is ``due_before=now``).

    Raises
    ------
    StoreError
        A bad grid level, a naive time, an unknown category or status (``field`` names it).
    """
    t = table
    clauses: list[sa.ColumnElement[bool]] = []
    if grid is not None:
        if text_problem(grid):
            return None  # no grid id holds NUL or a lone surrogate
        if grid_level is None:
            grid_level = stored_level(engine, table, grid)
            if grid_level is None:
                return None
        if grid_level not in LEVELS:
            raise StoreError(
                f"grid level must be {LEVELS_TEXT}, got {grid_level!r}", field="grid_level"
            )
        clauses.append(t.c[f"g{grid_level}"] == grid)
    for name, value in (("start", start), ("end", end), ("due_before", due_before)):
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            raise StoreError(
                f"{name!r} must be a timezone-aware datetime, got {value!r}", field=name
            )
    if start is not None:
        clauses.append(t.c.reported_at >= start)
    if end is not None:
        clauses.append(t.c.reported_at < end)
    if due_before is not None:
        clauses.append(t.c.due_at < due_before)
    if categories is not None:
        known = known_categories(table)
        unknown = sorted(set(categories) - set(known))
        if unknown:
            raise StoreError(
                f"unknown categories {unknown}; known: {', '.join(known)}",
                field="categories",
            )
        clauses.append(t.c.category.in_(list(categories)))
    if statuses is not None:
        unknown = sorted(set(statuses) - set(STATUSES))
        if unknown:
            raise StoreError(
                f"unknown statuses {unknown}; known: {', '.join(STATUSES)}", field="statuses"
            )
        clauses.append(t.c.status.in_(list(statuses)))
    if within is not None:
        roots = list(within)
        if not roots:
            return None
        bad = [level for level, _ in roots if level not in LEVELS]
        if bad:
            raise StoreError(f"scope levels must be {LEVELS_TEXT}, got {bad}", field="within")
        clauses.append(sa.or_(*(t.c[f"g{level}"] == grid_id for level, grid_id in roots)))
    return clauses


def query(
    engine: sa.Engine,
    table: sa.Table,
    *,
    grid: str | None = None,
    grid_level: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    categories: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
    columns: Sequence[str] | None = None,
    within: Sequence[tuple[int, str]] | None = None,
    due_before: datetime | None = None,
) -> list[dict[str, Any]]:
    """Return the incidents matching every filter given, newest first.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The database.
    table : sqlalchemy.Table
        The incident table.
    grid : str, optional
        A grid id of any level.
    grid_level : int, optional
        The level of ``grid`` when known (saves a look-up).
    start, end : datetime, optional
        ``start <= reported_at < end`` (aware datetimes).
    categories, statuses : sequence of str, optional
        Keep only these (an empty sequence matches nothing).
    limit, offset : int, optional
        Paging, in the order newest first, then id.
    columns : sequence of str, optional
        Columns to return (all of :data:`~gridmap.incidents.tables.COLUMNS` by default).
    within : sequence of (level, grid id), optional
        The reader's scope (see :func:`where_clauses`).
    due_before : datetime, optional
        Open cases due before this time only.

    Returns
    -------
    list of dict
    """
    stmt = statement(
        engine, table, grid=grid, grid_level=grid_level, start=start, end=end,
        categories=categories, statuses=statuses, limit=limit, offset=offset, columns=columns,
        within=within, due_before=due_before,
    )  # fmt: skip
    if stmt is None:
        return []
    with reading(engine) as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]


def statement(
    engine: sa.Engine,
    table: sa.Table,
    *,
    limit: int | None = None,
    offset: int = 0,
    columns: Sequence[str] | None = None,
    **filters: Any,
) -> sa.Select | None:
    """Return the SELECT of :func:`query`, None when nothing matches.

    ``filters`` are those of :func:`where_clauses` (an unknown one is a TypeError).
    """
    clauses = where_clauses(engine, table, **filters)
    if clauses is None:
        return None
    t = table
    cols = [t.c[c] for c in (columns or COLUMNS)]
    stmt = sa.select(*cols).where(*clauses).order_by(t.c.reported_at.desc(), t.c.id)
    if limit is not None:
        stmt = stmt.limit(int(limit))
    if offset:
        stmt = stmt.offset(int(offset))
    return stmt


def frame(engine: sa.Engine, table: sa.Table, **filters: Any) -> pd.DataFrame:
    """Return :func:`query` as a DataFrame with the columns asked (all by default).

    Read as plain tuples: a DataFrame of one dict per row cost about as much again as the
    query (pandas probes every row for its keys).
    """
    columns = list(filters.get("columns") or COLUMNS)
    stmt = statement(engine, table, **filters)
    if stmt is None:
        return pd.DataFrame([], columns=columns)
    with reading(engine) as conn:
        rows = [tuple(r) for r in conn.execute(stmt).all()]
    return pd.DataFrame.from_records(rows, columns=columns)


def points(engine: sa.Engine, table: sa.Table, **filters: Any) -> np.ndarray:
    """Return the lon/lat of the incidents matching the filters, as an (n, 2) float array.

    Filters as in :func:`query` except paging; for heatmaps and demand weights.
    """
    clauses = where_clauses(engine, table, **filters)
    if clauses is None:
        return np.empty((0, 2))
    stmt = sa.select(table.c.lon, table.c.lat).where(*clauses)
    with reading(engine) as conn:
        rows = conn.execute(stmt).all()
    return np.asarray(rows, dtype=float).reshape(-1, 2)


def time_span(engine: sa.Engine, table: sa.Table) -> tuple[datetime | None, datetime | None]:
    """Return the first and last ``reported_at`` stored (None, None when empty).

    Two seeks on the reported_at index, cheap enough to ask per request.
    """
    column = table.c.reported_at
    with reading(engine) as conn:
        if engine.dialect.name == "postgresql":
            # PostgreSQL seeks the index for both in one statement (one round trip).
            first, last = conn.execute(sa.select(sa.func.min(column), sa.func.max(column))).one()
            return first, last
        # Two queries: SQLite seeks the index for a lone min() or max(), not for both.
        first = conn.execute(sa.select(sa.func.min(column))).scalar()
        last = conn.execute(sa.select(sa.func.max(column))).scalar()
    return first, last


def count(engine: sa.Engine, table: sa.Table, **filters: Any) -> int:
    """Return how many incidents match the filters of :func:`query` (no paging)."""
    clauses = where_clauses(engine, table, **filters)
    if clauses is None:
        return 0
    stmt = sa.select(sa.func.count()).select_from(table).where(*clauses)
    with reading(engine) as conn:
        return int(conn.execute(stmt).scalar() or 0)


def counts_by_grid(
    engine: sa.Engine,
    table: sa.Table,
    level: int,
    *,
    by: str | None = None,
    grid: str | None = None,
    grid_level: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    categories: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    within: Sequence[tuple[int, str]] | None = None,
) -> pd.Series | pd.DataFrame:
    """Count incidents per grid of ``level`` (``GROUP BY g<level>``), for the choropleth.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The database.
    table : sqlalchemy.Table
        The incident table.
    level : int
        1..5: the level whose grids are counted.
    by : {None, "status", "category"}
        Also split the counts by this column.
    grid, grid_level, start, end, categories, statuses, within
        Filters, as in :func:`query` (``grid`` restricts to one parent's children).

    Returns
    -------
    pandas.Series or DataFrame
        Without ``by``: a Series of int counts indexed by grid id (grids with no incident
        are absent). With ``by``: a DataFrame, one row per grid, one column per known
        value (every status in workflow order, or every category in display order).
    """
    if level not in LEVELS:
        raise StoreError(f"level must be {LEVELS_TEXT}, got {level!r}", parameter="level")
    if by not in (None, "status", "category"):
        raise StoreError(f"'by' must be None, 'status' or 'category', got {by!r}", parameter="by")
    clauses = where_clauses(
        engine, table, grid, grid_level, start, end, categories, statuses, within
    )
    key = table.c[f"g{level}"]
    if clauses is None:
        empty = pd.Series(dtype="int64", name="count")
        return empty.rename_axis("grid_id") if by is None else empty.to_frame().iloc[:, :0]
    if by is None:
        found = _grid_counts(engine, key, clauses)
        return pd.Series(found, dtype="int64", name="count").rename_axis("grid_id").sort_index()
    # One pass, one column per known value (SUM(CASE ...)): streams along the covering
    # index, where GROUP BY g<l>, <by> would need a temporary B-tree.
    known = STATUSES if by == "status" else known_categories(table)
    column = table.c[by]
    sums = [sa.func.sum(sa.case((column == value, 1), else_=0)) for value in known]
    stmt = sa.select(key, *sums).where(*clauses).group_by(key)
    with reading(engine) as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame(
        [[int(v or 0) for v in r[1:]] for r in rows],
        index=pd.Index([r[0] for r in rows], dtype=object, name="grid_id"),
        columns=pd.Index(list(known), dtype=object, name=by),
        dtype="int64",
    ).sort_index()


def _grid_counts(engine: sa.Engine, key, clauses) -> dict[str, int]:
    stmt = sa.select(key, sa.func.count()).where(*clauses).group_by(key)
    with reading(engine) as conn:
        return {r[0]: int(r[1]) for r in conn.execute(stmt).all()}


def grid_counts(engine: sa.Engine, table: sa.Table, level: int, **filters: Any) -> dict[str, int]:
    """Return :func:`counts_by_grid` without ``by`` as a plain dict (no Series, unsorted).

    For callers that only look counts up (the coverage figures: 6,438 level-5 grids).
    """
    if level not in LEVELS:
        raise StoreError(f"level must be {LEVELS_TEXT}, got {level!r}", parameter="level")
    clauses = where_clauses(engine, table, **filters)
    if clauses is None:
        return {}
    return _grid_counts(engine, table.c[f"g{level}"], clauses)


def bulk_frame(engine: sa.Engine, table: sa.Table, columns: Sequence[str]) -> pd.DataFrame:
    """Return every incident's ``columns`` (in no order), times as UTC pandas times.

    For reads of the whole table (:mod:`gridmap.incidents.snapshot`): SQLite's times are read
    as their stored text and parsed by pandas at once; each row's parse into an aware datetime
    was most of the time (about 280 ms of 300 for 25,000 incidents).
    """
    sqlite = engine.dialect.name == "sqlite"
    times = [c for c in columns if isinstance(table.c[c].type, UTCDateTime)]
    cols = [
        sa.type_coerce(table.c[c], sa.Text).label(c) if sqlite and c in times else table.c[c]
        for c in columns
    ]
    with reading(engine) as conn:
        rows = [tuple(r) for r in conn.execute(sa.select(*cols)).all()]
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    for column in times:
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return frame
