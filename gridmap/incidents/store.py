"""The incident store, the one entry point to incidents in SQL: SQLite by default, or PostgreSQL.

The database is the app's (:class:`gridmap.settings.Settings`): ``GRIDMAP_DATABASE_URL``, an
SQLAlchemy URL such as ``postgresql+psycopg://postgres@127.0.0.1:5432/test``, or when empty the
SQLite file ``GRIDMAP_DATABASE_FILE`` (default ``instance/gridmap.sqlite``), created with its
folder on first start, in WAL mode so readers (the dashboard) never wait for the writer (the
intake API). ``GRIDMAP_API_TOKEN`` is the intake API's bearer token (:mod:`web.incidents_api`).

:class:`IncidentStore` holds the engine, the tables and the clock; its methods delegate to the
modules of each concern: :mod:`~gridmap.incidents.tables` (columns and table definitions),
:mod:`~gridmap.incidents.engine` (engine set-up), :mod:`~gridmap.incidents.writes` (inserts,
status changes) and :mod:`~gridmap.incidents.queries` (filters, rows, counts). Table
``incident_version`` holds one counter bumped by every write, so a page can poll
:meth:`IncidentStore.version` cheaply and refetch only when it changed.

Time ranges are half-open: ``start <= reported_at < end``.

The dispatch workflow (the contract other layers rely on):

- ``act(incident_id, action, principal, *, chain=None, unit=None, note=None, at=None,
  expect_state=None) -> dict``: applies :func:`gridmap.incidents.workflow.decide` and a
  compare-and-set on the state; writes the state (and the legacy ``status``), the stage time,
  the stored deadlines and one timeline row, bumps the version; returns the case after it.
  Raises ``IncidentNotFound`` (unknown id), ``WorkflowError`` whose ``field`` says why
  (``action``/``unit``/``note``/``at``: bad input; ``role``/``scope``: may not; ``state``:
  not from this state) and ``StaleState`` (a ``WorkflowError``, field ``state``: someone acted
  first, or ``expect_state`` is not the state now). ``chain`` defaults to the case's own
  ``g1..g5``.
- ``timeline(incident_id) -> list[dict]``: the case's actions, oldest first (``id``, ``at``,
  ``actor``, ``role``, ``action``, ``from_state``, ``to_state``, ``unit``, ``note``).
- ``queue_counts(*, now, within=None, unit=None, actor=None) -> dict``: the size of each
  queue of :data:`gridmap.incidents.queues.QUEUES`.
- ``queue(name, *, now, within=None, unit=None, actor=None, grid=None, category=None,
  age_hours=None, limit=200) -> list[dict]``: the queue's cases, soonest due first, each with
  ``due_at``, ``seconds_left``, ``overdue`` and ``stage``.

Deadlines come from ``limits`` (:func:`gridmap.incidents.deadlines.load_limits`, a district's
``dispatch.json``); the stored ``due_at`` are recomputed when the store opens with other limits
than they were computed with. The schema is the migrations' (``migrations/incidents``), run
when the store opens; a database migrated by newer code is refused (:class:`SchemaError`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from gridmap.access.roles import Principal
from gridmap.clock import Clock, system_clock
from gridmap.coverage import migrate
from gridmap.errors import (
    ConfigError,
    IllegalTransition,
    IncidentNotFound,
    SchemaError,
    StaleState,
    StoreError,
    WorkflowError,
)
from gridmap.incidents import (
    actions,
    due_columns,
    performance,
    queries,
    queues,
    timeline,
    writes,
)
from gridmap.incidents import engine as engines
from gridmap.incidents.categories import DEFAULTS, Categories
from gridmap.incidents.deadlines import Limits, default_limits
from gridmap.incidents.engine import make_engine
from gridmap.incidents.tables import (
    COLUMNS,
    GRID_COLUMNS,
    MAX_LENGTHS,
    REQUIRED,
    STATUS_TIME,
    TIME_COLUMNS,
    UTCDateTime,
    events_table,
    incidents_table,
    meta_table,
    sqlite_time,
    version_table,
)
from gridmap.incidents.writes import InsertResult
from gridmap.settings import Settings, load_settings

#: Names callers import from here (the store's modules define them).
__all__ = [
    "COLUMNS", "GRID_COLUMNS", "MAX_LENGTHS", "REQUIRED", "STATUS_TIME", "TIME_COLUMNS",
    "ConfigError", "IllegalTransition", "IncidentNotFound", "IncidentStore", "InsertResult",
    "SchemaError", "StaleState", "StoreError", "UTCDateTime", "WorkflowError", "make_engine",
]  # fmt: skip


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
        Bring the tables to the newest schema (migrations) when opening (default True).
    clock : callable, optional
        Returns the current aware datetime (default :func:`gridmap.clock.system_clock`; tests
        pass a fake clock).
    categories : Categories, optional
        The district's categories (``District.categories``; default the twelve defaults):
        filters naming another category are refused.
    limits : mapping, optional
        Deadline limits by category (:func:`gridmap.incidents.deadlines.load_limits`);
        default the documented defaults.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        table_prefix: str = "",
        engine: sa.Engine | None = None,
        create: bool = True,
        clock: Clock = system_clock,
        categories: Categories = DEFAULTS,
        limits: Mapping[str, Limits] | None = None,
    ):
        if engine is None:
            engine = make_engine(url or load_settings().sqlalchemy_url)
        if table_prefix and not table_prefix.replace("_", "").isalnum():
            raise StoreError(
                f"table_prefix must be letters, digits and _, got {table_prefix!r}",
                parameter="table_prefix",
            )
        self.engine = engine
        self.dialect = engine.dialect.name
        self.prefix = table_prefix
        self.clock = clock
        self.metadata = sa.MetaData()
        self.table = incidents_table(self.metadata, table_prefix)
        self.version_table = version_table(self.metadata, table_prefix)
        self.categories = categories
        self.events_table = events_table(self.metadata, table_prefix)
        self.meta_table = meta_table(self.metadata, table_prefix)
        self.limits: dict[str, Limits] = dict(
            default_limits(categories) if limits is None else limits
        )
        if create:
            self.create()

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **kwargs) -> IncidentStore:
        """Open the store of the app settings' database (the environment's, by default)."""
        settings = settings or load_settings()
        return cls(settings.sqlalchemy_url, **kwargs)

    @property
    def categories(self) -> Categories:
        """Return the district's categories (the ones filters may name)."""
        return self._categories

    @categories.setter
    def categories(self, categories: Categories) -> None:
        self._categories = categories
        # The query modules read the known ids from the table (queries.known_categories).
        self.table.info["categories"] = categories.ids

    def __repr__(self) -> str:
        """Show the database (without password) and the table."""
        return f"IncidentStore({self.engine.url!r}, table={self.table.name!r})"

    # -- schema -----------------------------------------------------------------------------
    def create(self) -> None:
        """Bring the tables to the newest schema, then the stored deadlines to ``limits``.

        A database made by ``metadata.create_all`` before migrations is adopted as it is
        (the baseline revision) and upgraded in place; safe to call again.

        Raises
        ------
        SchemaError
            The tables are at a revision this code does not know (newer code migrated them).
        """
        self.check_schema()
        # A new database gets the tables at the newest schema at once, then stamped (the tests
        # check that this and the migrations give the same schema).
        migrate.bring_to_head(
            self.engine, self.prefix, "incidents", self.metadata, probe=self.table.name
        )
        insert = engines.upsert_insert(self.dialect, self.version_table).on_conflict_do_nothing(
            index_elements=["id"]
        )
        with self.engine.begin() as conn:
            conn.execute(insert, {"id": 1, "version": 0})
        with migrate.file_lock(self.engine):
            self.refresh_deadlines()

    def check_schema(self) -> None:
        """Raise :class:`SchemaError` when the tables were migrated by newer code."""
        revision = migrate.current(self.engine, self.prefix, lineage="incidents")
        if revision is not None and not migrate.known(revision, lineage="incidents"):
            raise SchemaError(
                f"the incident tables{f' ({self.prefix}*)' if self.prefix else ''} are at "
                f"schema revision {revision!r}, newer than this code (which knows up to "
                f"{migrate.head('incidents')!r}): run a newer version of the app, or restore "
                "a backup made for this one"
            )

    def refresh_deadlines(self) -> bool:
        """Recompute the stored deadlines when ``limits`` changed since; return whether it did."""
        key = due_columns.limits_key(self.limits)
        m = self.meta_table
        with self.engine.begin() as conn:
            # Workers starting together: one recomputes, the next finds the key stored.
            migrate.advisory_lock(conn, f"gridmap-deadlines:{self.prefix}")
            stored = conn.execute(sa.select(m.c.value).where(m.c.key == "limits")).scalar()
            if stored == key:
                return False
            due_columns.refresh(conn, self.table, self.limits)
            conn.execute(sa.delete(m).where(m.c.key == "limits"))
            conn.execute(sa.insert(m), {"key": "limits", "value": key})
            writes.bump(conn, self.version_table)
        return True

    def drop(self) -> None:
        """Drop the tables and their migration version table (tests; irreversible)."""
        self.metadata.drop_all(self.engine, checkfirst=True)
        with self.engine.begin() as conn:
            name = f"{self.prefix}incident_alembic_version"
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{name}"'))

    def analyze(self) -> None:
        """Refresh the planner statistics of the incident table (after bulk loads)."""
        engines.analyze(self.engine, self.table)

    def has_statistics(self) -> bool:
        """Return whether the planner has statistics for the incident table (SQLite only)."""
        return engines.has_statistics(self.engine, self.table)

    def dispose(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()

    def version(self) -> int:
        """Return the change counter (a one-row read, cheap to poll).

        It grows with every insert that stored rows and every status change, so a page polls
        it and refetches only when it changed.
        """
        with engines.reading(self.engine) as conn:
            value = conn.execute(
                sa.select(self.version_table.c.version).where(self.version_table.c.id == 1)
            ).scalar()
        return int(value or 0)

    # -- writes -----------------------------------------------------------------------------
    def insert(self, records: Iterable[Mapping[str, Any]]) -> InsertResult:
        """Store new incidents; ids already stored are ignored (:func:`writes.insert`)."""
        return writes.insert(
            self.engine, self.table, self.version_table, records, self.clock, self.limits
        )

    def add_events(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Append timeline rows as they are (imports of a history; actions use :meth:`act`)."""
        keep = [c.name for c in self.events_table.columns if c.name != "id"]
        sqlite = self.dialect == "sqlite"
        batch = [
            tuple(sqlite_time(row.get(c)) if sqlite and c == "at" else row.get(c) for c in keep)
            for row in rows
        ]
        if not batch:
            return 0
        mark = "?" if sqlite else "%s"
        sql = (
            f'INSERT INTO "{self.events_table.name}" ({", ".join(keep)}) '
            f"VALUES ({', '.join([mark] * len(keep))})"
        )
        with self.engine.begin() as conn:
            if self.engine.dialect.driver == "psycopg":  # COPY: 100,000 rows in about a second
                cursor = conn.connection.driver_connection.cursor()
                columns = ", ".join(keep)
                with cursor.copy(f'COPY "{self.events_table.name}" ({columns}) FROM STDIN') as cp:
                    for row in batch:
                        cp.write_row(row)
                cursor.close()
            else:
                conn.exec_driver_sql(sql, batch)
            writes.bump(conn, self.version_table)
        return len(batch)

    def update_status(
        self,
        incident_id: str,
        status: str,
        *,
        at: datetime | None = None,
        unit: str | None = None,
        within: Sequence[tuple[int, str]] | None = None,
        actor: Principal | None = None,
    ) -> dict[str, Any]:
        """Move an incident along the legacy workflow (:func:`writes.update_status`).

        ``within`` is the writer's scope: an incident outside it is not found. The change is
        a row of the timeline, by ``actor``.
        """
        return writes.update_status(
            self.engine, self.table, self.version_table, incident_id, status,
            clock=self.clock, at=at, unit=unit, within=within,
            events=self.events_table, limits=self.limits, actor=actor,
        )  # fmt: skip

    def act(
        self,
        incident_id: str,
        action: str,
        principal: Principal,
        *,
        chain: Sequence[str] | None = None,
        unit: str | None = None,
        note: str | None = None,
        at: datetime | None = None,
        expect_state: str | None = None,
    ) -> dict[str, Any]:
        """Apply a workflow ``action`` to one case (see the module doc for the contract)."""
        return actions.act(
            self.engine, (self.table, self.version_table, self.events_table), incident_id,
            action, principal, clock=self.clock, limits=self.limits, chain=chain, unit=unit,
            note=note, at=at, expect_state=expect_state,
        )  # fmt: skip

    def timeline(self, incident_id: str) -> list[dict[str, Any]]:
        """Return the timeline of one case, oldest first."""
        return timeline.timeline(self.engine, self.events_table, incident_id)

    def queue_counts(
        self,
        *,
        now: datetime,
        within: Sequence[tuple[int, str]] | None = None,
        unit: str | None = None,
        actor: str | None = None,
        acting_unit: str | None = None,
    ) -> dict[str, int]:
        """Return the size of every workbench queue (:func:`queues.counts`)."""
        return queues.counts(
            self.engine, self.table, now=now, within=within, unit=unit, actor=actor,
            acting_unit=acting_unit,
        )  # fmt: skip

    def queue(
        self,
        name: str,
        *,
        now: datetime,
        within: Sequence[tuple[int, str]] | None = None,
        unit: str | None = None,
        actor: str | None = None,
        grid: str | None = None,
        category: str | None = None,
        age_hours: float | None = None,
        limit: int = 200,
        acting_unit: str | None = None,
    ) -> list[dict[str, Any]]:
        """Return the cases of one workbench queue, soonest due first (:func:`queues.rows`)."""
        return queues.rows(
            self.engine, self.table, name, now=now, within=within, unit=unit, actor=actor,
            grid=grid, category=category, age_hours=age_hours, limit=limit,
            acting_unit=acting_unit,
        )  # fmt: skip

    # -- reads ------------------------------------------------------------------------------
    def get(
        self, incident_id: str, *, within: Sequence[tuple[int, str]] | None = None
    ) -> dict[str, Any] | None:
        """Return one incident as a dict, or None (unknown, or outside the scope ``within``)."""
        return queries.get(self.engine, self.table, incident_id, within=within)

    def grid_level(self, grid_id: str) -> int | None:
        """Return the level at which ``grid_id`` appears in stored incidents (None if none)."""
        return queries.stored_level(self.engine, self.table, grid_id)

    def where_clauses(self, **filters: Any) -> list[sa.ColumnElement[bool]] | None:
        """Return the WHERE clauses of the filters of :meth:`query` (None: matches nothing).

        For queries of other modules over :attr:`table` (e.g. binned density).
        """
        return queries.where_clauses(self.engine, self.table, **filters)

    def query(self, **filters: Any) -> list[dict[str, Any]]:
        """Return the incidents matching every filter given, newest first.

        Filters and paging as in :func:`gridmap.incidents.queries.query`: ``grid``,
        ``grid_level``, ``start``, ``end``, ``categories``, ``statuses``, ``limit``,
        ``offset``, ``columns``.
        """
        return queries.query(self.engine, self.table, **filters)

    def frame(self, **filters: Any) -> pd.DataFrame:
        """Return :meth:`query` as a DataFrame with the columns of :data:`COLUMNS`."""
        return queries.frame(self.engine, self.table, **filters)

    def points(self, **filters: Any) -> np.ndarray:
        """Return the lon/lat of the matching incidents, as an (n, 2) float array."""
        return queries.points(self.engine, self.table, **filters)

    def time_span(self) -> tuple[datetime | None, datetime | None]:
        """Return the first and last ``reported_at`` stored (None, None when empty)."""
        return queries.time_span(self.engine, self.table)

    def count(self, **filters: Any) -> int:
        """Return how many incidents match the filters of :meth:`query` (no paging)."""
        return queries.count(self.engine, self.table, **filters)

    def counts_by_grid(
        self, level: int, *, by: str | None = None, **filters: Sequence[str] | Any
    ) -> pd.Series | pd.DataFrame:
        """Count incidents per grid of ``level`` (:func:`queries.counts_by_grid`)."""
        return queries.counts_by_grid(self.engine, self.table, level, by=by, **filters)

    def grid_counts(self, level: int, **filters: Any) -> dict[str, int]:
        """Incidents per grid of ``level`` as a dict (:func:`queries.grid_counts`)."""
        return queries.grid_counts(self.engine, self.table, level, **filters)

    def performance(self, *, now: datetime, **options: Any) -> pd.DataFrame:
        """Return the dispatch figures per grid or unit (:func:`performance.figures`)."""
        return performance.figures(self.engine, self.table, now=now, **options)
