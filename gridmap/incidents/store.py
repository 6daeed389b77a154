"""The one data-access module for incidents (SQLAlchemy Core): SQLite by default, or PostgreSQL.

The database is the app's (:class:`gridmap.settings.Settings`): ``GRIDMAP_DATABASE_URL``, an
SQLAlchemy URL such as ``postgresql+psycopg://postgres@127.0.0.1:5432/test``, or when empty the
SQLite file ``GRIDMAP_DATABASE_FILE`` (default ``instance/gridmap.sqlite``), created with its
folder on first start, in WAL mode so readers (the dashboard) never wait for the writer (the
intake API). ``GRIDMAP_API_TOKEN`` is the intake API's bearer token (:mod:`web.incidents_api`).

Table ``incidents`` (``<prefix>incidents``): ``id`` (text primary key: the reporter's own id, so
a retried report is stored once), ``category``, ``status``, ``reported_at``, ``dispatched_at``,
``resolved_at``, ``closed_at`` (UTC), ``lon``, ``lat``, ``g1`` .. ``g5`` (grid ids at the five
levels, assigned once at ingest, indexed), ``reporter``, ``description``, ``unit``,
``updated_at``. Table ``incident_version`` holds one counter bumped by every write, so a page
can poll :meth:`IncidentStore.version` cheaply and refetch only when it changed.

Time ranges are half-open: ``start <= reported_at < end``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from gridmap.errors import ConfigError, IllegalTransition, IncidentNotFound, StoreError  # noqa: F401 (re-exported)
from gridmap.grids.schema import LEVELS
from gridmap.incidents.categories import CATEGORY_IDS, STATUSES, TRANSITIONS
from gridmap.settings import PREFIX, Settings, load_settings

GRID_COLUMNS: tuple[str, ...] = tuple(f"g{level}" for level in LEVELS)
TIME_COLUMNS: tuple[str, ...] = ("reported_at", "dispatched_at", "resolved_at", "closed_at")
#: Columns of a stored incident, in output order.
COLUMNS: tuple[str, ...] = (
    "id", "category", "status", *TIME_COLUMNS, "lon", "lat", *GRID_COLUMNS,
    "reporter", "description", "unit", "updated_at",
)  # fmt: skip
#: Columns a record must carry to be inserted.
REQUIRED: tuple[str, ...] = ("id", "category", "status", "reported_at", "lon", "lat", *GRID_COLUMNS)

#: Lengths of the text columns (the intake checks them before the database does).
MAX_LENGTHS: dict[str, int] = {
    "id": 64, "category": 32, "status": 16, "reporter": 64, "description": 2000, "unit": 100,
    **{g: 64 for g in GRID_COLUMNS},
}  # fmt: skip

#: Time set by each status when it is entered.
STATUS_TIME: dict[str, str] = {
    "dispatched": "dispatched_at",
    "resolved": "resolved_at",
    "closed": "closed_at",
}

#: Rows per INSERT call (SQLAlchemy splits it further into multi-row VALUES batches).
_BATCH = 50_000


# -- types ----------------------------------------------------------------------------------
class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC; binds aware datetimes only and always returns aware UTC."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Convert to UTC; SQLite has no time zone type, so it gets naive UTC."""
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise StoreError(f"times must be timezone-aware datetimes, got {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_time(value: datetime | None) -> str | None:
    """Format like SQLAlchemy's SQLite DATETIME storage (naive UTC, microseconds)."""
    if value is None:
        return None
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M:%S.%f}"


def _now() -> datetime:
    return datetime.now(UTC)


# -- the store ------------------------------------------------------------------------------
@dataclass(frozen=True)
class InsertResult:
    """What :meth:`IncidentStore.insert` did: ids stored and ids already present."""

    stored: tuple[str, ...]
    duplicates: tuple[str, ...]


class IncidentStore:
    """Incidents in one SQL database: idempotent inserts, workflow updates, filtered queries.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; default the app settings' database (``Settings.sqlalchemy_url``).
    table_prefix : str
        Prefix of the two table names (tests use a unique one per run on a shared PostgreSQL).
    engine : sqlalchemy.Engine, optional
        An engine to use instead of ``url``.
    create : bool
        Create the tables and indexes when missing (default True).
    clock : callable, optional
        Returns the current aware datetime (tests pass a fake clock).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        table_prefix: str = "",
        engine: sa.Engine | None = None,
        create: bool = True,
        clock=_now,
    ):
        if engine is None:
            engine = make_engine(url or load_settings().sqlalchemy_url)
        if table_prefix and not table_prefix.replace("_", "").isalnum():
            raise StoreError(f"table_prefix must be letters, digits and _, got {table_prefix!r}")
        self.engine = engine
        self.dialect = engine.dialect.name
        self.prefix = table_prefix
        self.clock = clock
        self.metadata = sa.MetaData()
        self.table = _incidents_table(self.metadata, table_prefix)
        self.version_table = sa.Table(
            f"{table_prefix}incident_version",
            self.metadata,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("version", sa.BigInteger, nullable=False),
        )
        if create:
            self.create()

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **kwargs) -> IncidentStore:
        """Open the store of the app settings' database (the environment's, by default)."""
        settings = settings or load_settings()
        return cls(settings.sqlalchemy_url, **kwargs)

    def __repr__(self) -> str:
        """Show the database (without password) and the table."""
        return f"IncidentStore({self.engine.url!r}, table={self.table.name!r})"

    # -- schema -----------------------------------------------------------------------------
    def create(self) -> None:
        """Create the tables and indexes when missing (safe to call again)."""
        try:
            self.metadata.create_all(self.engine, checkfirst=True)
        except sa.exc.DatabaseError:
            # Another process (a second app worker) created them between check and create.
            self.metadata.create_all(self.engine, checkfirst=True)
        insert = self._insert(self.version_table).on_conflict_do_nothing(index_elements=["id"])
        with self.engine.begin() as conn:
            conn.execute(insert, {"id": 1, "version": 0})

    def drop(self) -> None:
        """Drop the two tables (tests; irreversible)."""
        self.metadata.drop_all(self.engine, checkfirst=True)

    def analyze(self) -> None:
        """Refresh the planner statistics of the incident table (after bulk loads).

        Without them SQLite answers a wide time range by the reported_at index and then reads
        every table row (seconds at a million incidents); with them it reads the per-level
        covering index alone (about 0.2 s).
        """
        name = self.table.name
        statement = f"ANALYZE {name}" if self.dialect == "sqlite" else f'ANALYZE "{name}"'
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(statement))

    def has_statistics(self) -> bool:
        """Return whether the planner has statistics for the incident table (SQLite only)."""
        if self.dialect != "sqlite":
            return True
        with self.engine.connect() as conn:
            try:
                found = conn.execute(
                    sa.text("SELECT 1 FROM sqlite_stat1 WHERE tbl = :t LIMIT 1"),
                    {"t": self.table.name},
                ).first()
            except sa.exc.OperationalError:  # no ANALYZE has ever run
                return False
        return found is not None

    def dispose(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()

    def _insert(self, table: sa.Table):
        return (sqlite.insert if self.dialect == "sqlite" else postgresql.insert)(table)

    def _bump(self, conn: sa.Connection) -> None:
        v = self.version_table
        conn.execute(sa.update(v).where(v.c.id == 1).values(version=v.c.version + 1))

    def version(self) -> int:
        """Return the change counter (a one-row read, cheap to poll).

        It grows with every insert that stored rows and every status change, so a page polls
        it and refetches only when it changed.
        """
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(self.version_table.c.version).where(self.version_table.c.id == 1)
            ).scalar()
        return int(value or 0)

    # -- writes -----------------------------------------------------------------------------
    def insert(self, records: Iterable[Mapping[str, Any]]) -> InsertResult:
        """Store new incidents; ids already stored (or repeated in the batch) are ignored.

        Parameters
        ----------
        records : iterable of mapping
            Validated records (see :mod:`gridmap.incidents.intake`) with at least
            :data:`REQUIRED`; times are aware datetimes; missing optional columns are NULL.

        Returns
        -------
        InsertResult
            Ids stored now and ids that were duplicates, each in input order.
        """
        rows: list[dict[str, Any]] = []
        seen: set[str] = set()
        repeated: list[str] = []
        now = self.clock()
        for index, record in enumerate(records):
            missing = [c for c in REQUIRED if record.get(c) is None]
            if missing:
                raise StoreError(f"record {index} ({record.get('id')!r}) lacks {missing}")
            rid = str(record["id"])
            for name in (*TIME_COLUMNS, "updated_at"):
                value = record.get(name)
                if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
                    raise StoreError(
                        f"record {index} ({rid!r}): {name} must be a timezone-aware datetime, "
                        f"got {value!r}"
                    )
            if rid in seen:
                repeated.append(rid)
                continue
            seen.add(rid)
            row = {c: record.get(c) for c in COLUMNS}
            row["id"] = rid
            row["lon"], row["lat"] = float(row["lon"]), float(row["lat"])
            row["updated_at"] = record.get("updated_at") or now
            rows.append(row)
        stored: set[str] = set()
        statement = (
            self._insert(self.table)
            .on_conflict_do_nothing(index_elements=["id"])
            .returning(self.table.c.id)
        )
        with self.engine.begin() as conn:
            if self.dialect == "sqlite":
                stored.update(self._insert_sqlite(conn, rows))
            elif self.engine.dialect.driver == "psycopg":
                stored.update(self._insert_psycopg(conn, rows))
            else:
                for start in range(0, len(rows), _BATCH):
                    chunk = rows[start : start + _BATCH]
                    stored.update(conn.execute(statement, chunk).scalars().all())
            if stored:
                self._bump(conn)
        ordered = tuple(r["id"] for r in rows if r["id"] in stored)
        dupes = tuple(r["id"] for r in rows if r["id"] not in stored) + tuple(repeated)
        return InsertResult(stored=ordered, duplicates=dupes)

    def _insert_sqlite(self, conn: sa.Connection, rows: list[dict[str, Any]]) -> list[str]:
        """Insert on SQLite with multi-row VALUES statements built here, returning new ids.

        Same SQL as the SQLAlchemy path (``ON CONFLICT (id) DO NOTHING RETURNING id``, so the
        ids are exact even with concurrent writers) but about 3x faster: times are formatted
        once, in SQLAlchemy's SQLite storage format, instead of through per-row processors.
        """
        times = {*TIME_COLUMNS, "updated_at"}
        one = "(" + ",".join("?" * len(COLUMNS)) + ")"
        head = f'INSERT INTO "{self.table.name}" ({",".join(COLUMNS)}) VALUES '
        tail = " ON CONFLICT (id) DO NOTHING RETURNING id"
        per = 999  # 999 x 18 parameters stays under SQLite's limit of 32,766
        stored: list[str] = []
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            params = [
                (_sqlite_time(row[c]) if c in times else row[c]) for row in chunk for c in COLUMNS
            ]
            sql = head + ",".join([one] * len(chunk)) + tail
            stored.extend(r[0] for r in conn.exec_driver_sql(sql, tuple(params)))
        return stored

    def _insert_psycopg(self, conn: sa.Connection, rows: list[dict[str, Any]]) -> list[str]:
        """Insert on PostgreSQL with psycopg's pipelined ``executemany(..., returning=True)``.

        About 10x faster than SQLAlchemy's multi-row VALUES here, whose long statements
        psycopg re-parses for every page.
        """
        sql = (
            f'INSERT INTO "{self.table.name}" ({",".join(COLUMNS)}) '
            f"VALUES ({','.join(['%s'] * len(COLUMNS))}) ON CONFLICT (id) DO NOTHING RETURNING id"
        )
        params = [tuple(row[c] for c in COLUMNS) for row in rows]
        stored: list[str] = []
        if not params:
            return stored
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.executemany(sql, params, returning=True)
            while True:
                stored.extend(r[0] for r in cursor.fetchall())
                if not cursor.nextset():
                    break
        finally:
            cursor.close()
        return stored

    def update_status(
        self,
        incident_id: str,
        status: str,
        *,
        at: datetime | None = None,
        unit: str | None = None,
    ) -> dict[str, Any]:
        """Move an incident along the workflow and set the time of the new status.

        Allowed changes are :data:`gridmap.incidents.categories.TRANSITIONS`; asking for the
        status it already has changes nothing (a retried request succeeds). Reopening
        (``resolved -> dispatched``) clears ``resolved_at``.

        Parameters
        ----------
        incident_id : str
            The incident's id.
        status : str
            One of ``reported``, ``dispatched``, ``resolved``, ``closed``.
        at : datetime, optional
            When it happened (aware); default now. Not before the earlier stages' times.
        unit : str, optional
            Responsible unit to record (e.g. when dispatching to another unit).

        Returns
        -------
        dict
            The incident after the change.

        Raises
        ------
        IncidentNotFound
            Unknown id.
        IllegalTransition
            The workflow does not allow the change.
        StoreError
            Unknown status, or ``at`` before an earlier stage.
        """
        if status not in STATUSES:
            raise StoreError(f"unknown status {status!r}; known: {', '.join(STATUSES)}")
        at = at or self.clock()
        if at.tzinfo is None:
            raise StoreError("'at' must be timezone-aware")
        t = self.table
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == incident_id)).mappings().first()
            if row is None:
                raise IncidentNotFound(f"no incident with id {incident_id!r}")
            current = row["status"]
            if current == status:
                return dict(row)
            if status not in TRANSITIONS[current]:
                allowed = ", ".join(sorted(TRANSITIONS[current])) or "none (final)"
                raise IllegalTransition(
                    f"incident {incident_id!r}: cannot go from {current!r} to {status!r}; "
                    f"allowed from {current!r}: {allowed}"
                )
            earlier = [c for c in TIME_COLUMNS if row[c] is not None]
            latest = max(earlier, key=lambda c: row[c])
            if at < row[latest]:
                raise StoreError(
                    f"incident {incident_id!r}: time {at.isoformat()} is before "
                    f"{latest} {row[latest].isoformat()}"
                )
            values: dict[str, Any] = {"status": status, "updated_at": self.clock()}
            values[STATUS_TIME[status]] = at
            if current == "resolved" and status == "dispatched":
                values["resolved_at"] = None
            if unit is not None:
                values["unit"] = unit
            # Compare-and-set on the status read above: a concurrent change makes this a no-op.
            done = conn.execute(
                sa.update(t).where(t.c.id == incident_id, t.c.status == current).values(values)
            )
            if done.rowcount != 1:
                raise IllegalTransition(
                    f"incident {incident_id!r} changed while updating; read it again"
                )
            self._bump(conn)
            updated = conn.execute(sa.select(t).where(t.c.id == incident_id)).mappings().one()
        return dict(updated)

    # -- reads ------------------------------------------------------------------------------
    def get(self, incident_id: str) -> dict[str, Any] | None:
        """Return one incident as a dict, or None."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(sa.select(self.table).where(self.table.c.id == incident_id))
                .mappings()
                .first()
            )
        return None if row is None else dict(row)

    def grid_level(self, grid_id: str) -> int | None:
        """Return the level at which ``grid_id`` appears in stored incidents (None if none)."""
        t = self.table
        with self.engine.connect() as conn:
            for level in LEVELS:
                column = t.c[f"g{level}"]
                if conn.execute(sa.select(column).where(column == grid_id).limit(1)).first():
                    return level
        return None

    def where_clauses(self, **filters: Any) -> list[sa.ColumnElement[bool]] | None:
        """Return the WHERE clauses of the filters of :meth:`query` (None: matches nothing).

        For queries of other modules over :attr:`table` (e.g. binned density).
        """
        return self._where(**filters)

    def _where(
        self,
        grid: str | None = None,
        grid_level: int | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        categories: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
    ) -> list[sa.ColumnElement[bool]] | None:
        """Build the WHERE clauses; None when the filter can match nothing."""
        t = self.table
        clauses: list[sa.ColumnElement[bool]] = []
        if grid is not None:
            if grid_level is None:
                grid_level = self.grid_level(grid)
                if grid_level is None:
                    return None
            if grid_level not in LEVELS:
                raise StoreError(f"grid level must be 1-5, got {grid_level!r}")
            clauses.append(t.c[f"g{grid_level}"] == grid)
        for name, value in (("start", start), ("end", end)):
            if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
                raise StoreError(f"{name!r} must be a timezone-aware datetime, got {value!r}")
        if start is not None:
            clauses.append(t.c.reported_at >= start)
        if end is not None:
            clauses.append(t.c.reported_at < end)
        if categories is not None:
            unknown = sorted(set(categories) - set(CATEGORY_IDS))
            if unknown:
                raise StoreError(f"unknown categories {unknown}; known: {', '.join(CATEGORY_IDS)}")
            clauses.append(t.c.category.in_(list(categories)))
        if statuses is not None:
            unknown = sorted(set(statuses) - set(STATUSES))
            if unknown:
                raise StoreError(f"unknown statuses {unknown}; known: {', '.join(STATUSES)}")
            clauses.append(t.c.status.in_(list(statuses)))
        return clauses

    def query(
        self,
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
    ) -> list[dict[str, Any]]:
        """Return the incidents matching every filter given, newest first.

        Parameters
        ----------
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
            Columns to return (all of :data:`COLUMNS` by default).
        """
        clauses = self._where(grid, grid_level, start, end, categories, statuses)
        if clauses is None:
            return []
        t = self.table
        cols = [t.c[c] for c in (columns or COLUMNS)]
        stmt = sa.select(*cols).where(*clauses).order_by(t.c.reported_at.desc(), t.c.id)
        if limit is not None:
            stmt = stmt.limit(int(limit))
        if offset:
            stmt = stmt.offset(int(offset))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def frame(self, **filters: Any) -> pd.DataFrame:
        """Return :meth:`query` as a DataFrame with the columns of :data:`COLUMNS`."""
        columns = filters.get("columns") or COLUMNS
        return pd.DataFrame(self.query(**filters), columns=list(columns))

    def points(self, **filters: Any) -> np.ndarray:
        """Return the lon/lat of the incidents matching the filters, as an (n, 2) float array.

        Filters as in :meth:`query` except paging; for heatmaps and demand weights.
        """
        clauses = self._where(**filters)
        if clauses is None:
            return np.empty((0, 2))
        stmt = sa.select(self.table.c.lon, self.table.c.lat).where(*clauses)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return np.asarray(rows, dtype=float).reshape(-1, 2)

    def time_span(self) -> tuple[datetime | None, datetime | None]:
        """Return the first and last ``reported_at`` stored (None, None when empty).

        Two seeks on the reported_at index, cheap enough to ask per request.
        """
        column = self.table.c.reported_at
        with self.engine.connect() as conn:
            # Two queries: SQLite seeks the index for a lone min() or max(), not for both.
            first = conn.execute(sa.select(sa.func.min(column))).scalar()
            last = conn.execute(sa.select(sa.func.max(column))).scalar()
        return first, last

    def count(self, **filters: Any) -> int:
        """Return how many incidents match the filters of :meth:`query` (no paging)."""
        clauses = self._where(**filters)
        if clauses is None:
            return 0
        stmt = sa.select(sa.func.count()).select_from(self.table).where(*clauses)
        with self.engine.connect() as conn:
            return int(conn.execute(stmt).scalar() or 0)

    def counts_by_grid(
        self,
        level: int,
        *,
        by: str | None = None,
        grid: str | None = None,
        grid_level: int | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        categories: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
    ) -> pd.Series | pd.DataFrame:
        """Count incidents per grid of ``level`` (``GROUP BY g<level>``), for the choropleth.

        Parameters
        ----------
        level : int
            1..5: the level whose grids are counted.
        by : {None, "status", "category"}
            Also split the counts by this column.
        grid, grid_level, start, end, categories, statuses
            Filters, as in :meth:`query` (``grid`` restricts to one parent's children).

        Returns
        -------
        pandas.Series or DataFrame
            Without ``by``: a Series of int counts indexed by grid id (grids with no incident
            are absent). With ``by``: a DataFrame, one row per grid, one column per known
            value (every status in workflow order, or every category in display order).
        """
        if level not in LEVELS:
            raise StoreError(f"level must be 1-5, got {level!r}")
        if by not in (None, "status", "category"):
            raise StoreError(f"'by' must be None, 'status' or 'category', got {by!r}")
        clauses = self._where(grid, grid_level, start, end, categories, statuses)
        key = self.table.c[f"g{level}"]
        if clauses is None:
            empty = pd.Series(dtype="int64", name="count")
            return empty.rename_axis("grid_id") if by is None else empty.to_frame().iloc[:, :0]
        if by is None:
            stmt = sa.select(key, sa.func.count()).where(*clauses).group_by(key)
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).all()
            return (
                pd.Series({r[0]: int(r[1]) for r in rows}, dtype="int64", name="count")
                .rename_axis("grid_id")
                .sort_index()
            )
        # One pass, one column per known value (SUM(CASE ...)): streams along the covering
        # index, where GROUP BY g<l>, <by> would need a temporary B-tree.
        known = STATUSES if by == "status" else CATEGORY_IDS
        column = self.table.c[by]
        sums = [sa.func.sum(sa.case((column == value, 1), else_=0)) for value in known]
        stmt = sa.select(key, *sums).where(*clauses).group_by(key)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return pd.DataFrame(
            [[int(v or 0) for v in r[1:]] for r in rows],
            index=pd.Index([r[0] for r in rows], dtype=object, name="grid_id"),
            columns=pd.Index(list(known), dtype=object, name=by),
            dtype="int64",
        ).sort_index()


def _incidents_table(metadata: sa.MetaData, prefix: str) -> sa.Table:
    name = f"{prefix}incidents"
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.String(MAX_LENGTHS["id"]), primary_key=True),
        sa.Column("category", sa.String(MAX_LENGTHS["category"]), nullable=False),
        sa.Column("status", sa.String(MAX_LENGTHS["status"]), nullable=False),
        sa.Column("reported_at", UTCDateTime(), nullable=False),
        sa.Column("dispatched_at", UTCDateTime()),
        sa.Column("resolved_at", UTCDateTime()),
        sa.Column("closed_at", UTCDateTime()),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        *[sa.Column(g, sa.String(MAX_LENGTHS[g]), nullable=False) for g in GRID_COLUMNS],
        sa.Column("reporter", sa.String(MAX_LENGTHS["reporter"])),
        sa.Column("description", sa.String(MAX_LENGTHS["description"])),
        sa.Column("unit", sa.String(MAX_LENGTHS["unit"])),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        # One covering index per level: (g<l>, reported_at, category, status, g<l+1>..g5).
        # GROUP BY g<l> for the choropleth, with any time/category/status filter, and the
        # drill-down (children of one grid: WHERE g<l> = ? GROUP BY g<l+k>) read the index
        # alone; "newest in this grid" and grid + time range seek on it.
        *[
            sa.Index(
                f"ix_{name}_g{level}",
                f"g{level}",
                "reported_at",
                "category",
                "status",
                *[f"g{k}" for k in LEVELS if k > level],
            )  # fmt: skip
            for level in LEVELS
        ],
        sa.Index(f"ix_{name}_reported_at", "reported_at"),
        sa.Index(f"ix_{name}_status", "status"),
    )


def make_engine(url: str) -> sa.Engine:
    """Create the engine; a SQLite file gets its folder, WAL mode and a busy timeout.

    Raises
    ------
    ConfigError
        The URL is not an SQLAlchemy URL, or names another database than SQLite/PostgreSQL.
    """
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise ConfigError(
            f"{PREFIX}DATABASE_URL is not an SQLAlchemy URL: {str(url).split('@')[-1]!r}"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA cache_size=-32768")  # 32 MiB page cache (default 2 MiB)
            cursor.close()

        return engine
    if parsed.get_backend_name() != "postgresql":
        raise ConfigError(
            f"{PREFIX}DATABASE_URL must be sqlite or postgresql, got {parsed.get_backend_name()!r}"
        )
    return sa.create_engine(parsed, pool_pre_ping=True)


#: Former name, kept for callers (web.runtime) that imported it.
_make_engine = make_engine
