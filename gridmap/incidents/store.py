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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from gridmap.clock import Clock, system_clock
from gridmap.errors import ConfigError, IllegalTransition, IncidentNotFound, StoreError
from gridmap.incidents import engine as engines
from gridmap.incidents import queries, writes
from gridmap.incidents.categories import DEFAULTS, Categories
from gridmap.incidents.engine import make_engine
from gridmap.incidents.tables import (
    COLUMNS,
    GRID_COLUMNS,
    MAX_LENGTHS,
    REQUIRED,
    STATUS_TIME,
    TIME_COLUMNS,
    UTCDateTime,
    incidents_table,
    version_table,
)
from gridmap.incidents.writes import InsertResult
from gridmap.settings import Settings, load_settings

#: Names callers import from here (the store's modules define them).
__all__ = [
    "COLUMNS", "GRID_COLUMNS", "MAX_LENGTHS", "REQUIRED", "STATUS_TIME", "TIME_COLUMNS",
    "ConfigError", "IllegalTransition", "IncidentNotFound", "IncidentStore", "InsertResult",
    "StoreError", "UTCDateTime", "make_engine",
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
        Create the tables and indexes when missing (default True).
    clock : callable, optional
        Returns the current aware datetime (default :func:`gridmap.clock.system_clock`; tests
        pass a fake clock).
    categories : Categories, optional
        The district's categories (``District.categories``; default the twelve defaults):
        filters naming another category are refused.
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
        """Create the tables and indexes when missing (safe to call again)."""
        try:
            self.metadata.create_all(self.engine, checkfirst=True)
        except sa.exc.DatabaseError:
            # Another process (a second app worker) created them between check and create.
            self.metadata.create_all(self.engine, checkfirst=True)
        insert = engines.upsert_insert(self.dialect, self.version_table).on_conflict_do_nothing(
            index_elements=["id"]
        )
        with self.engine.begin() as conn:
            conn.execute(insert, {"id": 1, "version": 0})

    def drop(self) -> None:
        """Drop the two tables (tests; irreversible)."""
        self.metadata.drop_all(self.engine, checkfirst=True)

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
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(self.version_table.c.version).where(self.version_table.c.id == 1)
            ).scalar()
        return int(value or 0)

    # -- writes -----------------------------------------------------------------------------
    def insert(self, records: Iterable[Mapping[str, Any]]) -> InsertResult:
        """Store new incidents; ids already stored are ignored (:func:`writes.insert`)."""
        return writes.insert(self.engine, self.table, self.version_table, records, self.clock)

    def update_status(
        self,
        incident_id: str,
        status: str,
        *,
        at: datetime | None = None,
        unit: str | None = None,
        within: Sequence[tuple[int, str]] | None = None,
    ) -> dict[str, Any]:
        """Move an incident along the workflow (:func:`writes.update_status`).

        ``within`` is the writer's scope: an incident outside it is not found.
        """
        return writes.update_status(
            self.engine, self.table, self.version_table, incident_id, status,
            clock=self.clock, at=at, unit=unit, within=within,
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
