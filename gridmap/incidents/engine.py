"""Database engines of the incident store: SQLite (WAL, busy timeout) or PostgreSQL set-up."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from gridmap.errors import ConfigError
from gridmap.settings import PREFIX


def make_engine(url: str) -> sa.Engine:
    """Create the engine; a SQLite file gets its folder, WAL mode and a busy timeout.

    Parameters
    ----------
    url : str
        SQLAlchemy URL of an SQLite or PostgreSQL database.

    Returns
    -------
    sqlalchemy.Engine

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


def upsert_insert(dialect: str, table: sa.Table):
    """Return the dialect's INSERT for ``table`` (it has ``on_conflict_do_nothing``)."""
    return (sqlite.insert if dialect == "sqlite" else postgresql.insert)(table)


def analyze(engine: sa.Engine, table: sa.Table) -> None:
    """Refresh the planner statistics of ``table`` (after bulk loads).

    Without them SQLite answers a wide time range by the reported_at index and then reads
    every table row (seconds at a million incidents); with them it reads the per-level
    covering index alone (about 0.2 s).
    """
    name = table.name
    # On PostgreSQL VACUUM too: it sets the visibility map, without which an index-only scan
    # (the open cases' counts) still reads every table row it covers.
    statement = f"ANALYZE {name}" if engine.dialect.name == "sqlite" else f'VACUUM ANALYZE "{name}"'
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(statement))


def has_statistics(engine: sa.Engine, table: sa.Table) -> bool:
    """Return whether the planner has statistics for ``table`` (always True but on SQLite)."""
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as conn:
        try:
            found = conn.execute(
                sa.text("SELECT 1 FROM sqlite_stat1 WHERE tbl = :t LIMIT 1"),
                {"t": table.name},
            ).first()
        except sa.exc.OperationalError:  # no ANALYZE has ever run
            return False
    return found is not None
