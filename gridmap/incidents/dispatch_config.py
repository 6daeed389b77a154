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
import math
from pathlib import Path

from gridmap.errors import DataError, Problem, WorkflowError
from gridmap.incidents.categories import CATEGORIES, Category
from gridmap.incidents.deadlines import GROUP_HOURS, STAGES, Limits, load_limits

DISPATCH_FILE = "dispatch.json"
KEYS = ("deadlines",)


def base_limits(categories: tuple[Category, ...]) -> dict[str, Limits]:
    """Return the default limits of ``categories`` (by their group)."""
    return {c.id: Limits(*GROUP_HOURS[c.group]) for c in categories}


def read_limits(
    folder: str | Path, categories: tuple[Category, ...] = CATEGORIES
) -> tuple[dict[str, Limits], list[Problem]]:
    """Return the deadline limits of a data folder and every problem of its ``dispatch.json``.

    The defaults when the file is absent or broken (with the problems then). Each problem
    names the file, the entry and field (``deadlines.fire.close``) and the rule broken; every
    entry is checked, so ``python app.py check`` lists them all at once.
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
        message = 'the file must hold an object like {"deadlines": {...}}'
        return base, [Problem(DISPATCH_FILE, "dispatch", message)]
    problems = []
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        message = f"unknown key(s) {', '.join(unknown)} (known: {', '.join(KEYS)})"
        problems.append(Problem(DISPATCH_FILE, "dispatch", message))
    deadlines = data.get("deadlines")
    if deadlines is None:
        return (base, problems) if problems else (base, [])
    if not isinstance(deadlines, dict):
        message = (
            'deadlines: must map category ids to stages, like {"fire": {"close": 48}}, '
            f"got {deadlines!r}"
        )
        return base, [*problems, Problem(DISPATCH_FILE, "deadlines", message)]
    limits = dict(base)
    for category, stages in deadlines.items():
        found = entry_problems(category, stages, base)
        if found:
            problems += [Problem(DISPATCH_FILE, "deadlines", m, (str(category),)) for m in found]
            continue
        limits.update(load_limits({category: stages}, base=limits))
    if problems:
        return base, problems
    return limits, []


def entry_problems(category: str, stages: object, base: dict[str, Limits]) -> list[str]:
    """Return what is wrong with one entry of ``deadlines`` (each naming its field and rule)."""
    where = f"deadlines.{category}"
    if category not in base:
        return [f"{where}: unknown category (known: {', '.join(base)})"]
    if not isinstance(stages, dict) or not stages:
        return [
            f'{where}: must map stages to hours, like {{"close": 48}} '
            f"(stages: {', '.join(STAGES)}), got {stages!r}"
        ]
    errors = []
    for stage, hours in stages.items():
        if stage not in STAGES:
            errors.append(f"{where}.{stage}: unknown stage (one of {', '.join(STAGES)})")
        elif isinstance(hours, bool) or not isinstance(hours, int | float) or not hours > 0:
            errors.append(f"{where}.{stage}: hours must be a number > 0, got {hours!r}")
        elif not math.isfinite(hours):
            errors.append(f"{where}.{stage}: hours must be a finite number, got {hours!r}")
    if errors:
        return errors
    try:
        load_limits({category: stages}, base=base)
    except WorkflowError as exc:  # the order of the stages (the defaults included)
        return [str(exc)]
    return []


def dispatch_problems(folder: str | Path, meta: dict | None = None) -> list[Problem]:
    """Return the problems of a data folder's ``dispatch.json`` (none when absent).

    Checked against the district's categories (its ``categories.json``, else the defaults
    worded for ``meta``); when that file is broken (reported on its own), against the defaults.
    """
    from gridmap.incidents.categories import district_categories

    try:
        categories = tuple(district_categories(folder, meta))
    except DataError:
        categories = CATEGORIES
    return read_limits(folder, categories)[1]


def describe(folder: str | Path) -> str:
    """Return one line for ``check``: where the deadlines come from."""
    path = Path(folder) / DISPATCH_FILE
    if not path.is_file():
        return f"dispatch deadlines: the defaults by category group (no {DISPATCH_FILE})"
    data = json.loads(path.read_text("utf-8"))
    changed = sorted((data.get("deadlines") or {}) if isinstance(data, dict) else ())
    return f"dispatch deadlines: {DISPATCH_FILE} sets {', '.join(changed) or 'none'}"


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
