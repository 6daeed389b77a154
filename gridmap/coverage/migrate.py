"""Bring the app's own tables to the newest schema with Alembic (``migrations/`` at the root).

Schema changes are migrations, never ``create_all`` on a changed table: a database made by an
older version keeps its rows. Every table prefix has its own version table, so several sets of
tables can live in one database.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

#: The migration scripts (``alembic.ini`` at the root points here too).
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def _config(prefix: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["table_prefix"] = prefix
    return config


def head() -> str:
    """Return the newest revision of the migration scripts."""
    return ScriptDirectory.from_config(_config("")).get_current_head()


def current(engine: sa.Engine, prefix: str = "") -> str | None:
    """Return the revision the tables of ``prefix`` are at (None: never migrated)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"version_table": f"{prefix}alembic_version"}
        )
        return context.get_current_revision()


def upgrade(engine: sa.Engine, prefix: str = "", revision: str = "head") -> None:
    """Run the migrations of the tables of ``prefix`` on ``engine`` up to ``revision``.

    On PostgreSQL the run holds a transaction-scoped advisory lock named by the prefix, so
    workers starting together migrate one after the other (the second finds nothing to do).
    On SQLite a worker that lost the race to create a table tries once more.
    """
    _run(engine, prefix, command.upgrade, revision)


def downgrade(engine: sa.Engine, prefix: str, revision: str) -> None:
    """Undo the migrations of the tables of ``prefix`` down to ``revision`` (kept)."""
    _run(engine, prefix, command.downgrade, revision)


def _run(engine: sa.Engine, prefix: str, step, revision: str) -> None:
    config = _config(prefix)
    for attempt in (1, 2):
        try:
            with engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(
                        sa.text("select pg_advisory_xact_lock(hashtext(:name))"),
                        {"name": f"gridmap-migrate:{prefix}"},
                    )
                config.attributes["connection"] = conn
                step(config, revision)
            return
        except sa.exc.DatabaseError:
            if attempt == 2 or engine.dialect.name == "postgresql":
                raise
        finally:
            config.attributes.pop("connection", None)
