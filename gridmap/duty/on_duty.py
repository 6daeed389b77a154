"""Who is on duty now: the roster's teams whose shift covers the time, inside a scope.

Plain values in (a :class:`~gridmap.duty.roster.Roster`, an aware time, the scope's roots),
plain numbers out; no web framework. Days and times are the district's (:data:`LOCAL_TZ`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from gridmap.clock import LOCAL_TZ
from gridmap.duty.roster import ROLES, Roster, Shift, Team


def covers(shift: Shift, now: datetime) -> bool:
    """Return whether ``shift`` is running at ``now`` (aware; read in the district's time).

    A shift runs from its start on one of its days to its end that day, or, when it ends at or
    before its start, to its end on the next day.
    """
    local = now.astimezone(LOCAL_TZ)
    minute = local.hour * 60 + local.minute
    today = local.weekday()
    yesterday = (local - timedelta(days=1)).weekday()
    if not shift.overnight:
        return today in shift.days and shift.start <= minute < shift.end
    return (today in shift.days and minute >= shift.start) or (
        yesterday in shift.days and minute < shift.end
    )


def in_scope(team: Team, roots: Collection[str] | None) -> bool:
    """Return whether ``team`` is inside the subtrees of ``roots`` (None: the whole district)."""
    return roots is None or any(g in roots for g in team.chain)


@dataclass(frozen=True)
class OnDuty:
    """People on duty now and people on the roster, by role, in a scope."""

    on_duty: dict[str, int]
    rostered: dict[str, int]


def on_duty(roster: Roster, now: datetime, roots: Collection[str] | None = None) -> OnDuty:
    """Return who of ``roster`` is on duty at ``now`` inside the subtrees of ``roots``.

    Parameters
    ----------
    roster : Roster
        The checked roster.
    now : datetime
        The time (aware).
    roots : collection of str, optional
        The scope's grids (a township wall's township); None counts the whole district, an
        empty collection nobody.

    Returns
    -------
    OnDuty
        ``on_duty[role]``: people of teams with a shift running at ``now`` (a team counts once
        even when two of its shifts overlap); ``rostered[role]``: everyone of the role in scope.
    """
    if now.tzinfo is None:
        raise ValueError("'now' must be a timezone-aware time")
    roots = None if roots is None else set(roots)
    duty = dict.fromkeys(ROLES, 0)
    rostered = dict.fromkeys(ROLES, 0)
    for team in roster.teams:
        if not in_scope(team, roots):
            continue
        rostered[team.role] += team.count
        if any(covers(s, now) for s in team.shifts):
            duty[team.role] += team.count
    return OnDuty(duty, rostered)
