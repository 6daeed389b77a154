"""Parameters of the police circle: the minute and speed ranges, the settings, their checks."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gridmap.coverage.roadgraph import EBIKE_MEAN_URBAN_KMH, MAX_EDGE_M, SNAP_M
from gridmap.errors import CoverageError
from gridmap.messages import Message

#: ``method`` of a result computed on the road network.
NETWORK = "network"
#: ``method`` of a result computed without roads (circles around the posts).
STRAIGHT_LINE = "straight-line (approximation)"

#: Time limits accepted, minutes (inclusive), and the default (the "5-minute police circle").
MIN_MINUTES: float = 1.0
MAX_MINUTES: float = 15.0
DEFAULT_MINUTES: float = 5.0

#: Accepted range of the what-if speed factor (1 = the class speeds).
MIN_SPEED_SCALE: float = 0.25
MAX_SPEED_SCALE: float = 3.0


@dataclass(frozen=True)
class CoverageSettings:
    """Settings of the coverage analysis, with their defaults and where they come from.

    Attributes
    ----------
    walk_kmh : float
        Walking speed on the leg between the road and the spot (and from a post to the road):
        4.5 km/h = 1.25 m/s, a usual adult walking speed (design values run 1.2-1.4 m/s).
    walk_max_m : float
        Longest walk from the road to a spot, m (300 m: about 4 minutes on foot). Spots farther
        from every road are not covered.
    cell_m : float
        Side of the raster cells on which the district is evaluated, m.
    detour_factor : float
        Road distance over straight-line distance, for the straight-line fallback; 1.3 is a
        common circuity figure for road networks (measured values mostly 1.2-1.4).
    fallback_speed_kmh : float
        E-bike speed of the straight-line fallback: the measured urban mean, about 17 km/h.
    walk_k : int
        Nearest road nodes tried for each spot (within ``walk_max_m``).
    snap_m, max_edge_m : float
        Road graph building (see :mod:`gridmap.coverage.roadgraph`).
    speeds : mapping, optional
        E-bike speed per road class, km/h (default
        :data:`gridmap.coverage.roadgraph.DEFAULT_SPEEDS_KMH`).
    simplify_m : float
        Tolerance used to simplify the coverage and gap polygons, m (0 keeps the cell steps).
    profiles : mapping, optional
        Time-of-day :class:`~gridmap.coverage.profiles.SpeedProfile` by name (default
        :data:`gridmap.coverage.profiles.PROFILES`; a district's ``speeds.json`` may set them).
    """

    walk_kmh: float = 4.5
    walk_max_m: float = 300.0
    cell_m: float = 100.0
    detour_factor: float = 1.3
    fallback_speed_kmh: float = EBIKE_MEAN_URBAN_KMH
    walk_k: int = 12
    snap_m: float = SNAP_M
    max_edge_m: float = MAX_EDGE_M
    speeds: Mapping[str, float] | None = None
    simplify_m: float = 10.0
    profiles: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        """Refuse values that cannot be used, naming the setting."""
        checks = {
            "walk_kmh": self.walk_kmh > 0,
            "walk_max_m": self.walk_max_m >= 0,
            "cell_m": self.cell_m > 0,
            "detour_factor": self.detour_factor >= 1,
            "fallback_speed_kmh": self.fallback_speed_kmh > 0,
            "walk_k": self.walk_k >= 1,
            "snap_m": self.snap_m >= 0,
            "max_edge_m": self.max_edge_m > 0,
            "simplify_m": self.simplify_m >= 0,
        }
        for name, ok in checks.items():
            value = getattr(self, name)
            if not ok or (isinstance(value, float) and math.isnan(value)):
                raise CoverageError(f"coverage setting {name} cannot be {value!r}", parameter=name)

    @property
    def walk_mps(self) -> float:
        """Walking speed, m/s."""
        return self.walk_kmh / 3.6


def check_minutes(minutes: Any) -> float:
    """Return ``minutes`` as a float, or raise :class:`CoverageError` if not within 1-15."""
    try:
        value = float(minutes)
    except (TypeError, ValueError):
        raise CoverageError(
            f"minutes must be a number, got {minutes!r}", parameter="minutes"
        ) from None
    if not MIN_MINUTES <= value <= MAX_MINUTES:
        raise CoverageError(
            Message(
                "coverage-minutes-range",
                lo=f"{MIN_MINUTES:g}",
                hi=f"{MAX_MINUTES:g}",
                value=repr(minutes),
            ),
            parameter="minutes",
        )
    return value


def check_speed_scale(speed_scale: Any) -> float:
    """Return ``speed_scale`` as a float, or raise :class:`CoverageError` if out of range."""
    try:
        value = float(speed_scale)
    except (TypeError, ValueError):
        raise CoverageError(
            f"speed_scale must be a number, got {speed_scale!r}", parameter="speed_scale"
        ) from None
    if not MIN_SPEED_SCALE <= value <= MAX_SPEED_SCALE:
        raise CoverageError(
            Message(
                "coverage-speed-range",
                lo=f"{MIN_SPEED_SCALE:g}",
                hi=f"{MAX_SPEED_SCALE:g}",
                value=repr(speed_scale),
            ),
            parameter="speed_scale",
        )
    return value


def check_lonlat(p: Any, k: int, parameter: str) -> tuple[float, float]:
    """Return the ``k``-th new post ``p`` as (lon, lat), or raise naming ``parameter``."""
    try:
        lon, lat = (float(v) for v in p)
    except (TypeError, ValueError):
        raise CoverageError(
            f"{parameter}: new post #{k + 1} must be (lon, lat), got {p!r}",
            parameter=parameter,
        ) from None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise CoverageError(
            f"{parameter}: new post #{k + 1} is not a lon, lat pair: {p!r}", parameter=parameter
        )
    return (lon, lat)
