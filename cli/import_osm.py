"""``python app.py import-osm FILE.osm|FILE.osm.pbf DIR``: roads and water from OpenStreetMap.

Prints a progress line while reading and a summary at the end. Exit codes: 0 written, 1 refused
(no outline in DIR, an unreadable file, or roads/water files present without ``--force``).
"""

from __future__ import annotations

import argparse
import sys

from gridmap.errors import DataError
from gridmap.grids.osm_import import import_osm

COMMANDS = ("import-osm",)


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add the ``import-osm`` command to ``app.py``'s parser."""
    cmd = sub.add_parser(
        "import-osm", help="write roads.gpkg and water.gpkg from an OpenStreetMap extract"
    )
    cmd.add_argument("osm_file", help="an .osm, .osm.pbf (or .osm.gz, .osm.bz2) extract")
    cmd.add_argument("folder", help="the district folder (its grids.* give the outline)")
    cmd.add_argument("--force", action="store_true", help="replace existing roads and water files")


def _progress(objects: int, roads: int, water: int) -> None:
    print(f"\rread {objects:,} objects: {roads:,} roads, {water:,} water", end="", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Run ``import-osm``; return the exit code."""
    try:
        summary = import_osm(args.osm_file, args.folder, force=args.force, progress=_progress)
    except FileExistsError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    print(file=sys.stderr)  # end the progress line
    for line in summary.lines():
        print(line)
    return 0
