"""Database engines of the incident store: SQLite (WAL, busy timeout) or PostgreSQL set-up."""

from __future__ import annotations

import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from gridmap.errors import ConfigError
from gridmap.settings import PREFIX

#: A pooled PostgreSQL connection idle this long is pinged before it is handed out.
PING_AFTER_IDLE_S = 10.0
_RETURNED = "gridmap_returned_at"


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
    engine = sa.create_engine(parsed)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: sa.Engine) -> None:
    """Ping a pooled connection before use only when it sat idle (a restarted server is seen).

    ``pool_pre_ping`` pings on every checkout: a round trip before every query, several per
    request (7 % of a loaded server's time). A connection returned moments ago is alive; one
    idle for :data:`PING_AFTER_IDLE_S` is pinged, and a dead one replaced before anyone uses
    it. A server restarted while connections are busy fails the requests in flight (503), and
    SQLAlchemy then replaces every pooled connection.
    """

    @sa.event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:
        record.info[_RETURNED] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection, record, _proxy) -> None:
        returned = record.info.get(_RETURNED)
        if returned is not None and time.monotonic() - returned < PING_AFTER_IDLE_S:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error:
            alive = False
        if not alive:
            raise sa.exc.DisconnectionError("the pooled connection is gone")  # pool retries


def reading(engine: sa.Engine) -> sa.Connection:
    """Return a connection for reads, to use in a ``with`` block.

    On PostgreSQL in autocommit: a lone SELECT then goes alone, without the BEGIN before it
    and the ROLLBACK when the connection goes back to the pool (two round trips of three).
    Each statement sees the data committed when it starts, as in a READ COMMITTED
    transaction; never write through it.
    """
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        conn.execution_options(isolation_level="AUTOCOMMIT")
    return conn


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
