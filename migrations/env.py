"""Alembic's environment: run the migrations on a given connection, tables under a prefix.

The app runs them itself on start (:mod:`gridmap.coverage.migrate` passes its connection and
the table prefix in ``config.attributes``). From the command line::

    alembic -x url=sqlite:///instance/gridmap.sqlite -x prefix= upgrade head

(without ``-x url`` the app's database from the ``GRIDMAP_*`` settings is used). Each table
prefix keeps its own version table, ``<prefix>alembic_version``, so several sets of tables can
share one database (the tests' PostgreSQL does).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

config = context.config
given = context.get_x_argument(as_dictionary=True)
if "prefix" in given:
    config.attributes["table_prefix"] = given["prefix"]
prefix = config.attributes.setdefault("table_prefix", "")
if "lineage" in given:  # alembic -x lineage=incidents: the incident tables' revisions
    from gridmap.coverage.migrate import LINEAGES

    folder, name = LINEAGES[given["lineage"]]
    config.set_main_option("version_locations", str(folder))
    config.attributes["version_table"] = f"{prefix}{name}"
version_table = config.attributes.get("version_table") or f"{prefix}alembic_version"


def run_on(connection: sa.Connection) -> None:
    """Run the pending migrations on ``connection`` (in its transaction)."""
    context.configure(connection=connection, version_table=version_table)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: give a database")

connection = config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    url = given.get("url")
    if not url:
        from gridmap.settings import load_settings

        url = load_settings().sqlalchemy_url
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            run_on(conn)
    finally:
        engine.dispose()
