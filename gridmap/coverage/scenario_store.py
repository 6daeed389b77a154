"""Saved planner scenarios (name -> scenario query, owner), in the app's SQL database.

A scenario belongs to the person who saved it: each person lists and loads only their own;
an administrator sees every one, with its owner. A name is unique across owners, so saving
under a name someone else holds is refused (never a silent overwrite). The table's schema is
kept by the migrations (:mod:`gridmap.coverage.migrate`), run when the store opens.
"""

from __future__ import annotations

import sqlalchemy as sa

from gridmap.clock import Clock, system_clock
from gridmap.coverage import migrate
from gridmap.coverage.scenario import parse_query
from gridmap.errors import ScenarioStoreError  # noqa: F401 (re-exported)
from gridmap.messages import Message

MAX_NAME = 80
#: The owner of the rows saved before scenarios had owners: only administrators see them.
NOBODY = ""


class ScenarioStore:
    """Named scenarios in table ``<prefix>scenarios`` of ``engine``'s database.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The database.
    table_prefix : str
        Put before the table names (the scenarios and their migration version table).
    clock : callable
        Returns "now" (an aware datetime), the time a scenario is saved.
    """

    def __init__(self, engine: sa.Engine, table_prefix: str = "", clock: Clock = system_clock):
        self.engine = engine
        self.clock = clock
        self.table_prefix = table_prefix
        self.metadata = sa.MetaData()
        self.table = sa.Table(
            f"{table_prefix}scenarios",
            self.metadata,
            sa.Column("name", sa.String(MAX_NAME), primary_key=True),
            sa.Column("query", sa.Text, nullable=False),
            sa.Column("saved_at", sa.String(32), nullable=False),
            sa.Column("owner", sa.String(80), nullable=False, server_default=NOBODY),
        )
        migrate.upgrade(engine, table_prefix)

    def drop(self) -> None:
        """Drop the table and its migration version table (tests)."""
        version = sa.Table(f"{self.table_prefix}alembic_version", self.metadata)
        with self.engine.begin() as conn:
            self.table.drop(conn, checkfirst=True)
            version.drop(conn, checkfirst=True)

    def _owned(self, owner: str | None):
        """Return the WHERE clause of the rows ``owner`` may see (None: every row)."""
        return sa.true() if owner is None else self.table.c.owner == owner

    def save(self, name: str, query: str, owner: str) -> str:
        """Save (or replace) ``owner``'s scenario ``query`` under ``name``; return the clean name.

        Raises
        ------
        ScenarioStoreError
            No name or a name too long (``field`` "name"), no owner, or a name that another
            owner already holds (``field`` "owner": it is not replaced).
        ScenarioError
            The query is not a usable scenario.
        """
        name = (name or "").strip()
        if not name:
            raise ScenarioStoreError(Message("scenario-name-missing"), field="name")
        if len(name) > MAX_NAME:
            raise ScenarioStoreError(Message("scenario-name-long", max=MAX_NAME), field="name")
        if not owner:
            raise ScenarioStoreError("a scenario needs an owner", field="owner")
        clean = parse_query(query).to_query()  # refuses a bad scenario before storing it
        now = self.clock().isoformat(timespec="seconds")
        t = self.table
        taken = ScenarioStoreError(
            f"the name {name!r} belongs to another person's scenario", field="owner"
        )
        try:
            with self.engine.begin() as conn:
                holder = conn.execute(sa.select(t.c.owner).where(t.c.name == name)).scalar()
                if holder is not None and holder != owner:
                    raise taken
                conn.execute(sa.delete(t).where(t.c.name == name, t.c.owner == owner))
                conn.execute(sa.insert(t).values(name=name, query=clean, saved_at=now, owner=owner))
        except sa.exc.IntegrityError:
            # Someone else saved the same new name between our check and our insert.
            raise taken from None
        return name

    def load(self, name: str, owner: str | None) -> str:
        """Return the query saved under ``name``, if ``owner`` may see it.

        Parameters
        ----------
        name : str
            The scenario's name.
        owner : str or None
            Who asks (their own scenarios only); None for an administrator (every scenario).

        Raises
        ------
        ScenarioStoreError
            No such scenario among those ``owner`` may see (someone else's is not named).
        """
        t = self.table
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(t.c.query).where(t.c.name == name, self._owned(owner))
            ).first()
        if row is None:
            raise ScenarioStoreError(Message("scenario-unknown", name=repr(name)), field="name")
        return str(row[0])

    def entries(self, owner: str | None) -> list[dict]:
        """Return ``name``, ``owner`` and ``saved_at`` of the scenarios ``owner`` may see.

        Newest first (then by name); ``owner`` None lists every scenario (an administrator).
        """
        t = self.table
        stmt = (
            sa.select(t.c.name, t.c.owner, t.c.saved_at)
            .where(self._owned(owner))
            .order_by(t.c.saved_at.desc(), t.c.name)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def names(self, owner: str | None) -> list[str]:
        """Return the names of :meth:`entries`, newest first."""
        return [e["name"] for e in self.entries(owner)]
