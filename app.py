"""Grid-management dashboard: the app factory and the command line.

``python app.py [serve]`` serves it, ``check [DIR]`` checks a district folder, ``init DIR``
writes a first district.json for one (cli/init_district.py), ``import-osm FILE DIR`` its roads
and water from OpenStreetMap (cli/import_osm.py), ``user``,
``token`` and ``wall-link`` manage who may sign in (cli/accounts.py), ``db upgrade`` brings the
database to the newest schema (cli/database.py).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dash import Dash
from flask import Flask

from cli import accounts as account_commands
from cli import database as database_commands
from cli import import_osm, init_district
from gridmap.clock import Clock, system_clock
from gridmap.coverage.speeds_file import read_speeds
from gridmap.duty.roster import read_roster, roster_summary
from gridmap.errors import ConfigError, DataError, SchemaError
from gridmap.grids.district import load_district
from gridmap.grids.loader import check_folder
from gridmap.grids.schema import LEVELS
from gridmap.incidents.categories import district_categories
from gridmap.incidents.dispatch_config import describe as describe_dispatch
from gridmap.settings import load_settings
from pages import dispatch as dispatch_page
from pages import main as main_page
from pages import planner as planner_page
from pages import wall as wall_page
from web.incident_snapshot import warm as warm_snapshot
from web.runtime import Runtime
from web.server import init_access, init_server, prepare_incidents


def create_app(config: Mapping[str, Any] | None = None, *, clock: Clock = system_clock) -> Dash:
    """Build the dashboard for the district in ``GRIDMAP_DATA_DIR``.

    Parameters
    ----------
    config : mapping, optional
        Settings overriding the ``GRIDMAP_*`` environment (keys like ``data_dir``, ``lang``).
    clock : callable, optional
        Where the app reads "now" (tests pass a :class:`tests.fake_clock.FakeClock`).

    Returns
    -------
    dash.Dash
        The map page's app; ``.server`` is the Flask server of all three pages.

    Raises
    ------
    DataError
        If the district data breaks any rule (all problems listed).
    SchemaError
        If the database was migrated by a newer version of the app.
    """
    settings = load_settings(config)
    runtime = Runtime(settings=settings, district=load_district(settings.data_dir), clock=clock)
    # A broken duty roster stops the start, as broken grids do (naming file, team and field).
    _ = runtime.duty_roster
    server = Flask(__name__)
    init_server(server, runtime)
    prepare_incidents(runtime)
    app = main_page.create(server, runtime)
    planner = planner_page.create(server, runtime)
    wall = wall_page.create(server, runtime)
    dispatch = dispatch_page.create(server, runtime)
    init_access(server, runtime, (app, planner, wall, dispatch))
    warm_snapshot(server)
    return app


def create_server(config: Mapping[str, Any] | None = None):
    """Return the Flask server of :func:`create_app` (for ``gunicorn 'app:create_server()'``)."""
    return create_app(config).server


def check(folder: Path) -> int:
    """Check a district folder; print one line per level, or every problem. Return exit code."""
    data, problems = check_folder(folder)
    # What the loader decided (column mapping, encodings, road classes, junctions split).
    for note in data.notes if data is not None else ():
        print(f"note: {note}")
    if data is not None and not problems:
        # Which incident categories the app will use: the folder's file or the defaults.
        print(f"note: {district_categories(folder, data.meta).describe()}")
        # And the deadlines the workbench will run on: the folder's dispatch.json or the defaults.
        print(f"note: {describe_dispatch(folder)}")
        # Which e-bike speeds the coverage uses: the folder's speeds.json or the defaults.
        print(f"note: {read_speeds(folder)[0].describe()}")
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) in {folder}", file=sys.stderr)
        return 1
    assert data is not None
    roster, found = _check_roster(folder, data)
    if found:
        for problem in found:
            print(problem, file=sys.stderr)
        print(f"{len(found)} problem(s) in {folder}", file=sys.stderr)
        return 1
    print(f"note: {roster_summary(roster)}")
    levels = data.grids["level"].astype(int)
    for level in LEVELS:
        print(f"level {level}: {int((levels == level).sum())} grids")
    if data.posts is not None:
        print(f"posts: {len(data.posts)}")
    if data.roads is not None:
        print(f"roads: {len(data.roads)} segments")
    print(f"{folder}: OK")
    return 0


def _check_roster(folder: Path, data):
    """Return the folder's duty roster and its problems, checked against its grids and posts."""
    grids = data.grids
    parents = {str(g): (None if p is None or p != p or p == "" else str(p))
               for g, p in zip(grids.index, grids["parent_id"], strict=True)}  # fmt: skip

    def chain(grid: str) -> tuple[str, ...] | None:
        if grid not in parents:
            return None
        out = [grid]
        while (parent := parents.get(out[-1])) is not None and len(out) < 10:
            out.append(parent)
        return tuple(out[::-1])

    posts = None if data.posts is None else {str(p) for p in data.posts.index}
    return read_roster(folder, chain, posts)


def main(argv: list[str] | None = None) -> int:
    """Run ``serve`` (the default), ``check [DIR]`` or an account command; return the exit code."""
    parser = argparse.ArgumentParser(prog="python app.py", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve the dashboard (default)")
    check_cmd = sub.add_parser("check", help="check a district data folder")
    check_cmd.add_argument("folder", nargs="?", help="default: GRIDMAP_DATA_DIR or data/geo")
    account_commands.add_commands(sub)
    init_district.add_commands(sub)
    import_osm.add_commands(sub)
    database_commands.add_commands(sub)
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"bad setting: {error}", file=sys.stderr)
        return 2
    if args.command == "check":
        return check(Path(args.folder) if args.folder else settings.data_dir)
    if args.command in init_district.COMMANDS:
        return init_district.run(args)
    if args.command in import_osm.COMMANDS:
        return import_osm.run(args)
    if args.command in account_commands.COMMANDS:
        return account_commands.run(args, settings)
    if args.command in database_commands.COMMANDS:
        return database_commands.run(args, settings)
    try:
        app = create_app()
    except (DataError, SchemaError) as error:
        print(f"refusing to start: {error}", file=sys.stderr)
        return 1
    print(f"Serving {settings.data_dir} on http://{settings.host}:{settings.port}/", flush=True)
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
