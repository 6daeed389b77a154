"""Deadlines of a case: time to register, to dispatch and to close, by category; due and overdue.

Defaults by the kind of problem (hours), with their reasoning:

- **security** (治安): register within 0.5 h, dispatch within 1 h, close within 24 h: public order
  is the 5-minute police circle's own business and is handled the same day.
- **hazard** (fire, flood, traffic safety hazards): 1 h, 2 h, 72 h: a hazard is looked at at once
  and made safe within three days (rectification notices usually give a few days).
- **dispute** (neighbourhood, family, land, labour): 2 h, 4 h, 7 days: mediation needs the parties
  together, which takes days; "small matters stay in the village" (小事不出村).
- **petition** (信访): 24 h, 48 h, 60 days: the Letters and Calls Regulations (信访工作条例, 2022)
  give 15 days to accept and 60 days to handle; registering the next day is the centre's own aim.
- **service** and **other** (environment, epidemic, other): 4 h, 8 h, 5 days.

A district sets its own by category in a mapping ``{category: {"register": h, "dispatch": h,
"close": h}}`` (for example from a file in its data folder).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from gridmap.errors import WorkflowError
from gridmap.incidents.categories import CATEGORIES

#: Default hours (register, dispatch, close) by category group.
GROUP_HOURS: dict[str, tuple[float, float, float]] = {
    "security": (0.5, 1.0, 24.0),
    "hazard": (1.0, 2.0, 72.0),
    "dispute": (2.0, 4.0, 7 * 24.0),
    "petition": (24.0, 48.0, 60 * 24.0),
    "service": (4.0, 8.0, 5 * 24.0),
    "other": (4.0, 8.0, 5 * 24.0),
}
#: Cases due within this many hours are "due soon" (the workbench's "due within 24 h" queue).
DUE_SOON_HOURS = 24.0
STAGES = ("register", "dispatch", "close")


@dataclass(frozen=True)
class Limits:
    """Hours a case of one category may take to be registered, dispatched and closed."""

    register: float
    dispatch: float
    close: float


def default_limits() -> dict[str, Limits]:
    """Return the default limits of every category (by its group; see the module doc)."""
    return {c.id: Limits(*GROUP_HOURS[c.group]) for c in CATEGORIES}


def load_limits(
    overrides: Mapping | None, base: Mapping[str, Limits] | None = None
) -> dict[str, Limits]:
    """Return the limits with a district's ``overrides`` applied, checked.

    ``base`` gives the limits before the overrides (default :func:`default_limits`; a
    district with its own categories passes theirs).

    Raises
    ------
    WorkflowError
        An unknown category or stage, or hours that are not a positive number, or a stage
        later than the next one (dispatch after close); ``field`` names it (``deadlines.fire``).
    """
    limits = dict(default_limits() if base is None else base)
    for category, stages in (overrides or {}).items():
        where = f"deadlines.{category}"
        if category not in limits:
            raise WorkflowError(f"{where}: unknown category", field=where)
        if not isinstance(stages, Mapping):
            raise WorkflowError(f"{where}: must map stages to hours", field=where)
        values = dict(vars(limits[category]))
        for stage, hours in stages.items():
            if stage not in STAGES:
                raise WorkflowError(
                    f"{where}.{stage}: unknown stage (one of {', '.join(STAGES)})",
                    field=f"{where}.{stage}",
                )
            if isinstance(hours, bool) or not isinstance(hours, int | float) or not hours > 0:
                raise WorkflowError(
                    f"{where}.{stage}: hours must be a number > 0, got {hours!r}",
                    field=f"{where}.{stage}",
                )
            values[stage] = float(hours)
        if not values["register"] <= values["dispatch"] <= values["close"]:
            raise WorkflowError(
                f"{where}: register <= dispatch <= close hours, got {values}", field=where
            )
        limits[category] = Limits(**values)
    return limits


#: Which deadline a case in each open state is running against.
STAGE_OF_STATE = {
    "reported": "register",
    "returned": "register",
    "registered": "dispatch",
    "dispatched": "close",
    "handled": "close",
    "rework": "close",
}


@dataclass(frozen=True)
class Due:
    """A case's running deadline: the stage, when it falls due, and where it stands at ``now``."""

    stage: str | None
    due_at: datetime | None
    overdue: bool
    due_soon: bool
    seconds_left: float | None


def due(
    category: str, state: str, reported_at: datetime, now: datetime, limits: Mapping[str, Limits]
) -> Due:
    """Return the deadline a case runs against at ``now`` (every deadline counts from reporting).

    Parameters
    ----------
    category, state : str
        The case's category and state.
    reported_at, now : datetime
        Aware times (any zone: deadlines are absolute, so a day boundary in another zone
        changes nothing).
    limits : mapping
        From :func:`load_limits`.
    """
    for name, when in (("reported_at", reported_at), ("now", now)):
        if when.tzinfo is None:
            raise WorkflowError(f"{name} must carry a time zone", field=name)
    stage = STAGE_OF_STATE.get(state)
    if stage is None:
        return Due(None, None, False, False, None)
    if category not in limits:
        raise WorkflowError(f"unknown category {category!r}", field="category")
    due_at = reported_at + timedelta(hours=getattr(limits[category], stage))
    left = (due_at - now).total_seconds()
    return Due(stage, due_at, left < 0, 0 <= left <= DUE_SOON_HOURS * 3600, left)
