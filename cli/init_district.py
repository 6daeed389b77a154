"""``python app.py init DIR``: write a first ``district.json`` for a folder, for review.

Exit codes: 0 written, 1 refused (the file exists without ``--force``, or the folder's files
cannot be mapped: every problem is printed).
"""

from __future__ import annotations

import argparse
import sys

from gridmap.errors import DataError
from gridmap.grids.init_folder import write_district_json

COMMANDS = ("init",)


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add the ``init`` command to ``app.py``'s parser."""
    init = sub.add_parser("init", help="inspect a data folder and write a district.json to review")
    init.add_argument("folder", help="the folder holding grids.* (and posts, roads, water)")
    init.add_argument("--force", action="store_true", help="replace an existing district.json")


def run(args: argparse.Namespace) -> int:
    """Run ``init``; return the exit code."""
    try:
        target, meta, found = write_district_json(args.folder, force=args.force)
    except FileExistsError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s): nothing written", file=sys.stderr)
        return 1
    for line in found:
        print(f"found: {line}")
    counts = ", ".join(f"level {k}: {n}" for k, n in meta["expected_counts"].items())
    print(f"grids per level: {counts}")
    print(f"wrote {target}: review the names, level names and mapping, then run check")
    return 0
