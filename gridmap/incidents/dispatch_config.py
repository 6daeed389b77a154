"""A district's dispatch settings: ``dispatch.json`` in its data folder (deadlines by category).

The file is optional; without it every category runs on the defaults of
:mod:`gridmap.incidents.deadlines` (by its group). Example::

    {"deadlines": {"fire": {"register": 0.5, "close": 48}, "petition": {"close": 720}}}

Hours per stage (``register``, ``dispatch``, ``close``), each counted from the report;
register <= dispatch <= close. The units and which categories each handles are the district's
``categories.json`` (:mod:`gridmap.incidents.categories`), not repeated here.
"""

from __future__ import annotations

import json
from pathlib import Path

from gridmap.errors import DataError, Problem, WorkflowError
from gridmap.incidents.categories import CATEGORIES, Category
from gridmap.incidents.deadlines import GROUP_HOURS, Limits, load_limits

DISPATCH_FILE = "dispatch.json"
KEYS = ("deadlines",)


def base_limits(categories: tuple[Category, ...]) -> dict[str, Limits]:
    """Return the default limits of ``categories`` (by their group)."""
    return {c.id: Limits(*GROUP_HOURS[c.group]) for c in categories}


def read_limits(
    folder: str | Path, categories: tuple[Category, ...] = CATEGORIES
) -> tuple[dict[str, Limits], list[Problem]]:
    """Return the deadline limits of a data folder and the problems of its ``dispatch.json``.

    The defaults when the file is absent or broken (with the problems then).
    """
    base = base_limits(categories)
    path = Path(folder) / DISPATCH_FILE
    if not path.is_file():
        return base, []
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return base, [Problem(DISPATCH_FILE, "dispatch", f"cannot read the JSON: {exc}")]
    if not isinstance(data, dict):
        return base, [Problem(DISPATCH_FILE, "dispatch", "the file must hold an object")]
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        message = f"unknown key(s) {', '.join(unknown)} (known: {', '.join(KEYS)})"
        return base, [Problem(DISPATCH_FILE, "dispatch", message)]
    try:
        return load_limits(data.get("deadlines") or {}, base=base), []
    except WorkflowError as exc:
        return base, [Problem(DISPATCH_FILE, exc.field or "deadlines", str(exc))]


def load_dispatch_limits(
    folder: str | Path, categories: tuple[Category, ...] = CATEGORIES
) -> dict[str, Limits]:
    """Return the deadline limits of a data folder (:func:`read_limits`).

    Raises
    ------
    DataError
        Naming ``dispatch.json`` and what is wrong in it.
    """
    limits, problems = read_limits(folder, categories)
    if problems:
        raise DataError(problems)
    return limits
