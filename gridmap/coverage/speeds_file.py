"""A district's own e-bike speeds: ``speeds.json`` in its data folder (class speeds, profiles).

The file is optional; without it the documented defaults are used (class speeds of
:data:`gridmap.coverage.roadgraph.DEFAULT_SPEEDS_KMH`, profiles of
:data:`gridmap.coverage.profiles.PROFILES`; sources in docs/coverage.md). A district that has
measured its officers' rides writes, for example::

    {
      "source": "GPS traces of the auxiliary officers, Oct 2026",
      "speeds_kmh": {"arterial": 21, "village": 14},
      "profiles": {"rush": {"arterial": 0.8, "town_seat": 0.7}, "night": {"path": 0.7}}
    }

Every key is optional; a class or factor left out keeps its default. ``speeds_kmh`` is the
off-peak speed per road class (0-25 km/h: the legal cap of GB 17761-2018); ``profiles`` holds
``rush`` and ``night`` (``free`` is the class speeds themselves), each a factor (0-2) per road
class and ``town_seat`` (the extra factor inside the town seat). No class may come out above
25 km/h in any profile.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridmap.coverage.profiles import DEFAULT_PROFILE, PROFILES, SpeedProfile
from gridmap.coverage.roadgraph import DEFAULT_SPEEDS_KMH, EBIKE_LEGAL_CAP_KMH
from gridmap.errors import DataError, Problem
from gridmap.grids.schema import ROAD_CLASSES

SPEEDS_FILE = "speeds.json"
KEYS = ("source", "speeds_kmh", "profiles")
#: The key of the town seat's extra factor in a profile.
TOWN_SEAT = "town_seat"
#: Accepted range of a profile factor (exclusive of 0).
MAX_FACTOR = 2.0
RULE = "speeds"


@dataclass(frozen=True)
class DistrictSpeeds:
    """The e-bike speeds of one district: class speeds, the profiles, where they come from.

    Attributes
    ----------
    speeds_kmh : dict
        Off-peak speed per road class, km/h.
    profiles : dict
        :class:`SpeedProfile` by name (``free``, ``rush``, ``night``).
    source : str or None
        ``speeds.json`` (and its ``source`` text) or None for the documented defaults.
    """

    speeds_kmh: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_SPEEDS_KMH))
    profiles: dict[str, SpeedProfile] = field(default_factory=lambda: dict(PROFILES))
    source: str | None = None

    def describe(self) -> str:
        """Return one line for ``check``: where the speeds come from."""
        where = self.source or f"the documented defaults (no {SPEEDS_FILE})"
        return f"e-bike speeds: {where}"


DEFAULTS = DistrictSpeeds()


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _problem(entry: str, message: str) -> Problem:
    return Problem(SPEEDS_FILE, RULE, message, (entry,))


def _speeds(raw: Any) -> tuple[dict[str, float], list[Problem]]:
    speeds = dict(DEFAULT_SPEEDS_KMH)
    if not isinstance(raw, dict):
        return speeds, [_problem("speeds_kmh", "must be an object of road class: km/h")]
    problems = []
    for cls, value in raw.items():
        entry = f"speeds_kmh.{cls}"
        if cls not in ROAD_CLASSES:
            known = ", ".join(ROAD_CLASSES)
            problems.append(_problem(entry, f"unknown road class (known: {known})"))
            continue
        kmh = _number(value)
        if kmh is None or not 0 < kmh <= EBIKE_LEGAL_CAP_KMH:
            problems.append(
                _problem(
                    entry,
                    f"must be a number above 0 and at most {EBIKE_LEGAL_CAP_KMH:g} km/h "
                    f"(the legal cap, GB 17761-2018), got {value!r}",
                )
            )
            continue
        speeds[cls] = kmh
    return speeds, problems


def _profile(name: str, raw: Any) -> tuple[SpeedProfile, list[Problem]]:
    base = PROFILES[name]
    if not isinstance(raw, dict):
        return base, [_problem(f"profiles.{name}", "must be an object of road class: factor")]
    factors = dict(base.class_factor)
    town = base.urban_factor
    problems = []
    for key, value in raw.items():
        entry = f"profiles.{name}.{key}"
        if key not in (*ROAD_CLASSES, TOWN_SEAT):
            known = ", ".join((*ROAD_CLASSES, TOWN_SEAT))
            problems.append(_problem(entry, f"unknown road class (known: {known})"))
            continue
        f = _number(value)
        if f is None or not 0 < f <= MAX_FACTOR:
            problems.append(
                _problem(
                    entry, f"must be a factor above 0 and at most {MAX_FACTOR:g}, got {value!r}"
                )
            )
            continue
        if key == TOWN_SEAT:
            town = f
        else:
            factors[key] = f
    return SpeedProfile(name, factors, urban_factor=town), problems


def _profiles(raw: Any) -> tuple[dict[str, SpeedProfile], list[Problem]]:
    profiles = dict(PROFILES)
    if not isinstance(raw, dict):
        return profiles, [_problem("profiles", "must be an object of profile name: factors")]
    problems = []
    for name, value in raw.items():
        if name == DEFAULT_PROFILE:
            message = "off-peak is the class speeds themselves: set speeds_kmh instead"
            problems.append(_problem(f"profiles.{name}", message))
        elif name not in PROFILES:
            known = ", ".join(p for p in PROFILES if p != DEFAULT_PROFILE)
            problems.append(_problem(f"profiles.{name}", f"unknown profile (known: {known})"))
        else:
            profiles[name], found = _profile(name, value)
            problems += found
    return profiles, problems


def _over_the_cap(speeds: dict[str, float], profiles: dict[str, SpeedProfile]) -> list[Problem]:
    problems = []
    for name, p in profiles.items():
        for cls, kmh in speeds.items():
            # The town seat's factor only matters where it speeds a road up.
            top = kmh * p.factor(cls, False) * max(1.0, p.urban_factor)
            if top > EBIKE_LEGAL_CAP_KMH + 1e-9:
                problems.append(
                    _problem(
                        f"profiles.{name}.{cls}",
                        f"{kmh:g} km/h x {top / kmh:g} = {top:.1f} km/h is above the legal "
                        f"{EBIKE_LEGAL_CAP_KMH:g} km/h (GB 17761-2018)",
                    )
                )
    return problems


def read_speeds(folder: str | Path) -> tuple[DistrictSpeeds, list[Problem]]:
    """Return a data folder's e-bike speeds and the problems of its ``speeds.json``.

    The documented defaults when the file is absent or broken (with every problem then:
    the file, the entry such as ``profiles.rush.arterial`` and what is wrong).
    """
    path = Path(folder) / SPEEDS_FILE
    if not path.is_file():
        return DEFAULTS, []
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return DEFAULTS, [Problem(SPEEDS_FILE, RULE, f"cannot read the JSON: {exc}")]
    if not isinstance(data, dict):
        return DEFAULTS, [Problem(SPEEDS_FILE, RULE, "the file must hold an object")]
    problems = []
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        message = f"unknown key(s) {', '.join(unknown)} (known: {', '.join(KEYS)})"
        problems.append(Problem(SPEEDS_FILE, RULE, message, tuple(unknown)))
    source = data.get("source")
    if source is not None and not isinstance(source, str):
        problems.append(_problem("source", f"must be a text, got {source!r}"))
    speeds, found = _speeds(data.get("speeds_kmh", {}))
    problems += found
    profiles, found = _profiles(data.get("profiles", {}))
    problems += found
    if not problems:
        problems += _over_the_cap(speeds, profiles)
    if problems:
        return DEFAULTS, problems
    where = f"{SPEEDS_FILE} ({source})" if source else SPEEDS_FILE
    return DistrictSpeeds(speeds, profiles, where), []


def speeds_problems(folder: str | Path) -> list[Problem]:
    """Return the problems of a data folder's ``speeds.json`` (none when absent)."""
    return read_speeds(folder)[1]


def load_speeds(folder: str | Path) -> DistrictSpeeds:
    """Return a data folder's e-bike speeds (:func:`read_speeds`).

    Raises
    ------
    DataError
        Naming ``speeds.json``, each bad entry and what is wrong with it.
    """
    speeds, problems = read_speeds(folder)
    if problems:
        raise DataError(problems)
    return speeds
