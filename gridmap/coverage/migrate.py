"""Bring the app's own tables to the newest schema with Alembic (``migrations/`` at the root).

Schema changes are migrations, never ``create_all`` on a changed table: a database made by an
older version keeps its rows. Every table prefix has its own version table, so several sets of
tables can live in one database.

Three lineages share ``migrations/env.py``: ``scenarios`` (``migrations/versions``, version
table ``<prefix>alembic_version``), ``incidents`` (``migrations/incidents``, version table
``<prefix>incident_alembic_version``) and ``accounts`` (``migrations/accounts``, version table
``<prefix>accounts_alembic_version``), so each store migrates its own tables under its own
prefix.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

try:  # POSIX: the lock beside a SQLite file; elsewhere the retry below is all there is
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None

#: The migration scripts (``alembic.ini`` at the root points here too).
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"

#: Lineage name -> (folder of its revisions, version table name after the prefix).
LINEAGES: dict[str, tuple[Path, str]] = {
    "scenarios": (MIGRATIONS / "versions", "alembic_version"),
    "incidents": (MIGRATIONS / "incidents", "incident_alembic_version"),
    "accounts": (MIGRATIONS / "accounts", "accounts_alembic_version"),
}


def _config(prefix: str, lineage: str = "scenarios") -> Config:
    folder, version_table = LINEAGES[lineage]
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(folder))
    config.attributes["table_prefix"] = prefix
    config.attributes["version_table"] = f"{prefix}{version_table}"
    return config


def head(lineage: str = "scenarios") -> str:
    """Return the newest revision of the migration scripts of ``lineage``."""
    return ScriptDirectory.from_config(_config("", lineage)).get_current_head()


def known(revision: str, lineage: str = "scenarios") -> bool:
    """Return whether ``revision`` is a script of ``lineage`` (else newer code made it)."""
    script = ScriptDirectory.from_config(_config("", lineage))
    return any(r.revision == revision for r in script.walk_revisions())


def current(engine: sa.Engine, prefix: str = "", lineage: str = "scenarios") -> str | None:
    """Return the revision the tables of ``prefix`` are at (None: never migrated)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"version_table": _config(prefix, lineage).attributes["version_table"]}
        )
        return context.get_current_revision()


def upgrade(
    engine: sa.Engine, prefix: str = "", revision: str = "head", lineage: str = "scenarios"
) -> None:
    """Run the migrations of the tables of ``prefix`` on ``engine`` up to ``revision``.

    Workers starting together migrate one after the other (the second finds nothing to do):
    on PostgreSQL the run holds a transaction-scoped advisory lock named by the prefix; on a
    SQLite file, an exclusive lock on ``<file>.migrate-lock`` beside it (SQLite runs a
    ``CREATE TABLE`` outside the transaction, so two workers could both find no table and
    both make it). A worker that still loses a race on SQLite tries once more.
    """
    _run(engine, prefix, command.upgrade, revision, lineage)


def bring_to_head(
    engine: sa.Engine, prefix: str, lineage: str, metadata: sa.MetaData, probe: str
) -> None:
    """Make the tables of ``metadata`` at the newest schema, or migrate them there, rows kept.

    A new database (no revision stamped, no table ``probe``) gets the tables at once and is
    stamped; an older one is upgraded in place. The whole check-create-stamp runs under the
    lock :func:`upgrade` holds, so workers starting together on a new database do it one after
    the other (the second finds the tables made and stamped).
    """
    with file_lock(engine):
        fresh = current(engine, prefix, lineage) is None and not sa.inspect(engine).has_table(probe)
        if not fresh:
            _steps(engine, prefix, command.upgrade, "head", lineage)
            return
        with engine.begin() as conn:
            advisory_lock(conn, f"gridmap-migrate:{lineage}:{prefix}")
            metadata.create_all(conn, checkfirst=True)
        _steps(engine, prefix, command.stamp, "head", lineage)


def stamp(engine: sa.Engine, prefix: str = "", lineage: str = "scenarios") -> None:
    """Mark the tables of ``prefix`` as at the newest revision (just made at that schema)."""
    _run(engine, prefix, command.stamp, "head", lineage)


def downgrade(engine: sa.Engine, prefix: str, revision: str, lineage: str = "scenarios") -> None:
    """Undo the migrations of the tables of ``prefix`` down to ``revision`` (kept)."""
    _run(engine, prefix, command.downgrade, revision, lineage)


def advisory_lock(conn: sa.Connection, name: str) -> None:
    """Hold a PostgreSQL advisory lock named ``name`` till ``conn``'s transaction ends.

    Nothing on other databases (SQLite writers take :func:`file_lock`).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("select pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


@contextmanager
def file_lock(engine: sa.Engine) -> Iterator[None]:
    """Hold an exclusive lock beside a SQLite database file (nothing for other databases).

    Taken by the migrations and by a store's first writes after them (its stored settings),
    which workers starting together must not make twice.
    """
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:") or fcntl is None:
        yield
        return
    with open(f"{path}.migrate-lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(engine: sa.Engine, prefix: str, step, revision: str, lineage: str) -> None:
    with file_lock(engine):
        _steps(engine, prefix, step, revision, lineage)


def _steps(engine: sa.Engine, prefix: str, step, revision: str, lineage: str) -> None:
    config = _config(prefix, lineage)
    for attempt in (1, 2):
        try:
            with engine.begin() as conn:
                advisory_lock(conn, f"gridmap-migrate:{lineage}:{prefix}")
                config.attributes["connection"] = conn
                step(config, revision)
            return
        except sa.exc.DatabaseError:
            if attempt == 2 or engine.dialect.name == "postgresql":
                raise
        finally:
            config.attributes.pop("connection", None)
