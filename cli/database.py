"""``python app.py db upgrade|current``: bring the app's tables to the newest schema, or show it."""

from __future__ import annotations

import argparse
import sys

from gridmap.coverage import migrate
from gridmap.errors import GridmapError
from gridmap.incidents.engine import make_engine
from gridmap.settings import Settings

COMMANDS = ("db",)
LINEAGES = ("incidents", "scenarios", "accounts")


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add the ``db`` command to ``app.py``'s parser."""
    db = sub.add_parser("db", help="database schema: upgrade to the newest, or show the current")
    db.add_argument("step", choices=("upgrade", "current"))
    db.add_argument("--prefix", default="", help="table prefix (default none)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``db upgrade`` or ``db current``; return the exit code."""
    engine = make_engine(settings.sqlalchemy_url)
    where = str(engine.url.render_as_string(hide_password=True))
    try:
        for lineage in LINEAGES:
            before = migrate.current(engine, args.prefix, lineage=lineage)
            newest = migrate.head(lineage)
            if before is not None and not migrate.known(before, lineage=lineage):
                print(
                    f"{lineage}: the database ({where}) is at revision {before!r}, newer than "
                    f"this code (which knows up to {newest!r}); nothing changed",
                    file=sys.stderr,
                )
                return 1
            if args.step == "current":
                print(f"{lineage}: {before or 'not migrated'} (newest {newest})")
                continue
            if lineage == "incidents":
                from gridmap.incidents.store import IncidentStore

                IncidentStore(engine=engine, table_prefix=args.prefix)
            elif lineage == "accounts":
                from gridmap.access.accounts import AccountStore

                AccountStore(engine, table_prefix=args.prefix)
            else:
                migrate.upgrade(engine, args.prefix, lineage=lineage)
            after = migrate.current(engine, args.prefix, lineage=lineage)
            print(f"{lineage}: {before or 'not migrated'} -> {after}")
    except GridmapError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0
