"""Saved planner scenarios (name -> scenario query), in the app's SQL database."""

from __future__ import annotations

import sqlalchemy as sa

from gridmap.clock import Clock, system_clock
from gridmap.coverage.scenario import parse_query
from gridmap.errors import ScenarioStoreError  # noqa: F401 (re-exported)

MAX_NAME = 80


class ScenarioStore:
    """Named scenarios in table ``<prefix>scenarios`` of ``engine``'s database."""

    def __init__(self, engine: sa.Engine, table_prefix: str = "", clock: Clock = system_clock):
        self.engine = engine
        self.clock = clock
        self.metadata = sa.MetaData()
        self.table = sa.Table(
            f"{table_prefix}scenarios",
            self.metadata,
            sa.Column("name", sa.String(MAX_NAME), primary_key=True),
            sa.Column("query", sa.Text, nullable=False),
            sa.Column("saved_at", sa.String(32), nullable=False),
        )
        try:
            self.metadata.create_all(engine, checkfirst=True)
        except sa.exc.DatabaseError:
            # Another worker created it between the check and the create.
            self.metadata.create_all(engine, checkfirst=True)

    def save(self, name: str, query: str) -> str:
        """Save (or replace) the scenario ``query`` under ``name``; return the clean name."""
        name = (name or "").strip()
        if not name:
            raise ScenarioStoreError("a scenario needs a name")
        if len(name) > MAX_NAME:
            raise ScenarioStoreError(f"scenario name longer than {MAX_NAME} characters")
        clean = parse_query(query).to_query()  # refuses a bad scenario before storing it
        now = self.clock().isoformat(timespec="seconds")
        with self.engine.begin() as conn:
            conn.execute(sa.delete(self.table).where(self.table.c.name == name))
            conn.execute(sa.insert(self.table).values(name=name, query=clean, saved_at=now))
        return name

    def load(self, name: str) -> str:
        """Return the query saved under ``name``."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(self.table.c.query).where(self.table.c.name == name)
            ).first()
        if row is None:
            raise ScenarioStoreError(f"no saved scenario called {name!r}")
        return str(row[0])

    def names(self) -> list[str]:
        """Return the saved names, newest first."""
        t = self.table
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.c.name).order_by(t.c.saved_at.desc(), t.c.name))
            return [r[0] for r in rows]
