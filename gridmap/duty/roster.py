"""A district's duty roster: ``duty.json`` in its data folder (who is on duty, where, when).

The file is optional: without it nothing about staff on duty is shown (never a made-up
number). It names shifts once and gives, for each team of a post, a unit or a grid, how many
auxiliary police officers (辅警, role ``officer``) or grid members (网格员, role
``grid_member``) work those shifts::

    {
      "synthetic": false,
      "source": "roster of the district command centre, week 48",
      "shifts": {
        "day":      {"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "start": "08:00",
                     "end": "20:00"},
        "night":    {"days": ["sun"], "start": "20:00", "end": "08:00"}
      },
      "teams": [
        {"post": "JWS001", "grid": "411603001001", "role": "officer", "count": 1,
         "shifts": ["day"]},
        {"unit": "城管执法中队", "grid": "411603100", "role": "grid_member", "count": 4,
         "shifts": ["day", "night"]}
      ]
    }

Times are the district's local time (:data:`gridmap.clock.LOCAL_TZ`), ``HH:MM``; a shift whose
end is at or before its start ends on the next day (``"08:00"`` to ``"08:00"``: 24 hours), and
its ``days`` are the days it starts on. ``grid`` (any level) places the team in the tree, so a
township's wall counts its own teams; ``post`` must be a post of the district when given.
Every problem names the file, the team (its position and post, unit or grid) and the field.
No web framework here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from gridmap.errors import DataError, Problem

DUTY_FILE = "duty.json"
#: The roles a team may have, and how the wall names them.
ROLES = ("officer", "grid_member")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FILE_KEYS = ("synthetic", "source", "shifts", "teams")
SHIFT_KEYS = ("days", "start", "end")
TEAM_KEYS = ("id", "post", "unit", "grid", "role", "count", "shifts")
#: More people than this in one team is taken for a typing error.
MAX_COUNT = 10_000


@dataclass(frozen=True)
class Shift:
    """A weekly shift: the weekdays it starts on (0 = Monday) and its minutes of the day."""

    name: str
    days: frozenset[int]
    start: int
    end: int

    @property
    def overnight(self) -> bool:
        """Return whether the shift ends on the day after it starts (24 h when end == start)."""
        return self.end <= self.start


@dataclass(frozen=True)
class Team:
    """``count`` people of ``role`` working ``shifts`` at ``grid`` (``chain``: district first)."""

    position: int
    role: str
    count: int
    grid: str
    chain: tuple[str, ...]
    shifts: tuple[Shift, ...]
    post: str | None = None
    unit: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Roster:
    """A checked duty roster."""

    teams: tuple[Team, ...]
    #: True when the file says it is made up (the demo's): the wall marks it so.
    synthetic: bool
    source: str


def _minutes(text: object) -> int | None:
    """Return the minutes of ``"HH:MM"`` (``24:00`` allowed as 1440), None when not such a time."""
    if not isinstance(text, str) or len(text) != 5 or text[2] != ":":
        return None
    hours, minutes = text[:2], text[3:]
    if not (hours.isdigit() and minutes.isdigit()):
        return None
    value = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or value > 24 * 60:
        return None
    return value


def _shifts(raw: object, problems: list[Problem]) -> dict[str, Shift]:
    if not isinstance(raw, dict) or not raw:
        problems.append(Problem(DUTY_FILE, "shifts", "'shifts' must be an object naming shifts"))
        return {}
    out: dict[str, Shift] = {}
    for name, spec in raw.items():
        where = f"shift {name!r}"

        def bad(field: str, message: str, where=where, name=name) -> None:
            problems.append(Problem(DUTY_FILE, f"shifts.{field}", f"{where}: {message}", (name,)))

        if not isinstance(spec, dict):
            bad("shift", "must be an object with days, start and end")
            continue
        unknown = sorted(set(spec) - set(SHIFT_KEYS))
        if unknown:
            bad("shift", f"unknown field(s) {', '.join(unknown)} (known: {', '.join(SHIFT_KEYS)})")
        days = spec.get("days")
        if not isinstance(days, list) or not days:
            bad("days", f"'days' must be a list of weekdays ({', '.join(DAYS)})")
            days = None
        elif wrong := [d for d in days if d not in DAYS]:
            bad("days", f"unknown weekday(s) {wrong} (known: {', '.join(DAYS)})")
            days = None
        elif len(set(days)) != len(days):
            bad("days", "a weekday is given twice")
            days = None
        times = {}
        for field in ("start", "end"):
            value = _minutes(spec.get(field))
            if value is None or (field == "start" and value == 24 * 60):
                bad(field, f"'{field}' must be a time HH:MM (00:00-23:59), got {spec.get(field)!r}")
            times[field] = value
        if days is not None and None not in times.values():
            out[str(name)] = Shift(str(name), frozenset(DAYS.index(d) for d in days),
                                   times["start"], times["end"] % (24 * 60))  # fmt: skip
    return out


def parse_roster(
    data: object,
    grid_chain: Callable[[str], tuple[str, ...] | None],
    posts: Collection[str] | None = None,
) -> tuple[Roster | None, list[Problem]]:
    """Return the roster in ``data`` (the parsed JSON) and its problems (None when any).

    Parameters
    ----------
    data : object
        The file's JSON.
    grid_chain : callable
        Grid id -> the ids from the district down to it, or None for a grid the district does
        not have.
    posts : collection of str, optional
        The district's post ids (a team's ``post`` must be one); None skips that check.
    """
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return None, [Problem(DUTY_FILE, "duty", "the file must hold an object")]
    unknown = sorted(set(data) - set(FILE_KEYS))
    if unknown:
        message = f"unknown key(s) {', '.join(unknown)} (known: {', '.join(FILE_KEYS)})"
        problems.append(Problem(DUTY_FILE, "duty", message))
    synthetic = data.get("synthetic", False)
    if not isinstance(synthetic, bool):
        problems.append(Problem(DUTY_FILE, "synthetic", "'synthetic' must be true or false"))
    source = data.get("source", "")
    if not isinstance(source, str):
        problems.append(Problem(DUTY_FILE, "source", "'source' must be a text"))
    shifts = _shifts(data.get("shifts"), problems)
    raw_teams = data.get("teams")
    if not isinstance(raw_teams, list):
        problems.append(Problem(DUTY_FILE, "teams", "'teams' must be a list of teams"))
        raw_teams = []
    teams: list[Team] = []
    seen_ids: set[str] = set()
    for position, raw in enumerate(raw_teams, start=1):
        label = f"team {position}"
        if isinstance(raw, dict):
            named = raw.get("id") or raw.get("post") or raw.get("unit") or raw.get("grid")
            label += f" ({named})" if isinstance(named, str | int) else ""
        found: list[Problem] = []

        def bad(field: str, message: str, label=label, position=position, found=found) -> None:
            found.append(Problem(DUTY_FILE, f"teams.{field}", f"{label}: {message}",
                                 (str(position),)))  # fmt: skip

        if not isinstance(raw, dict):
            bad("team", "must be an object with grid, role, count and shifts")
            problems += found
            continue
        unknown = sorted(set(raw) - set(TEAM_KEYS))
        if unknown:
            bad("team", f"unknown field(s) {', '.join(unknown)} (known: {', '.join(TEAM_KEYS)})")
        for field in ("id", "post", "unit"):
            if field in raw and not (isinstance(raw[field], str) and raw[field].strip()):
                bad(field, f"'{field}' must be a non-empty text")
        if isinstance(raw.get("id"), str):
            if raw["id"] in seen_ids:
                bad("id", f"id {raw['id']!r} is used by another team")
            seen_ids.add(raw["id"])
        role = raw.get("role")
        if role not in ROLES:
            bad("role", f"'role' must be one of {', '.join(ROLES)}, got {role!r}")
        count = raw.get("count")
        if isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= MAX_COUNT:
            bad("count", f"'count' must be a whole number 1-{MAX_COUNT:,}, got {count!r}")
        grid = raw.get("grid")
        chain = grid_chain(grid) if isinstance(grid, str) else None
        if chain is None:
            bad("grid", f"'grid' must be a grid id of the district, got {grid!r}")
        post = raw.get("post")
        if posts is not None and isinstance(post, str) and post not in posts:
            bad("post", f"unknown post {post!r} (not in the district's posts)")
        names = raw.get("shifts")
        if not isinstance(names, list) or not names:
            bad("shifts", "'shifts' must be a non-empty list of shift names")
            names = []
        elif missing := [n for n in names if not isinstance(n, str) or n not in shifts]:
            known = ", ".join(sorted(shifts)) or "none"
            bad("shifts", f"unknown shift(s) {missing} (defined: {known})")
        problems += found
        if not found:
            teams.append(
                Team(
                    position,
                    role,
                    count,
                    grid,
                    tuple(chain or ()),
                    tuple(shifts[n] for n in dict.fromkeys(names)),
                    post=post,
                    unit=raw.get("unit"),
                    id=raw.get("id"),
                )  # fmt: skip
            )
    if problems:
        return None, problems
    return Roster(tuple(teams), synthetic, source), []


def read_roster(
    folder: str | Path,
    grid_chain: Callable[[str], tuple[str, ...] | None],
    posts: Collection[str] | None = None,
) -> tuple[Roster | None, list[Problem]]:
    """Return the roster of a data folder and its problems; (None, []) without ``duty.json``."""
    path = Path(folder) / DUTY_FILE
    if not path.is_file():
        return None, []
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [Problem(DUTY_FILE, "duty", f"cannot read the JSON: {exc}")]
    return parse_roster(data, grid_chain, posts)


def district_lookups(
    district_chain: Callable[[str], list[str]], grid_ids: Collection[str]
) -> Callable[[str], tuple[str, ...] | None]:
    """Return ``grid_chain`` for :func:`read_roster` from a district's ``chain`` and its ids."""

    def chain(grid: str) -> tuple[str, ...] | None:
        return tuple(district_chain(grid)) if grid in grid_ids else None

    return chain


def load_roster(
    folder: str | Path,
    grid_chain: Callable[[str], tuple[str, ...] | None],
    posts: Collection[str] | None = None,
) -> Roster | None:
    """Return the roster of a data folder (None without ``duty.json``).

    Raises
    ------
    DataError
        Naming ``duty.json``, the team and the field of every problem.
    """
    roster, problems = read_roster(folder, grid_chain, posts)
    if problems:
        raise DataError(problems)
    return roster


def roster_summary(roster: Roster | None) -> str:
    """Return one line about the roster, as ``app.py check`` prints it."""
    if roster is None:
        return f"no {DUTY_FILE}: the wall shows no staff on duty"
    totals: Mapping[str, int] = {r: sum(t.count for t in roster.teams if t.role == r)
                                 for r in ROLES}  # fmt: skip
    kind = "synthetic " if roster.synthetic else ""
    return (
        f"{DUTY_FILE}: {kind}roster of {len(roster.teams):,} teams, "
        f"{totals['officer']:,} officers, {totals['grid_member']:,} grid members"
    )
