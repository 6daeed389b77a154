"""Time-of-day speed profiles: a factor on the e-bike speed per road class, and in the town seat.

A profile multiplies the class speed of every road (:data:`gridmap.coverage.roadgraph.
DEFAULT_SPEEDS_KMH`, or a road's own ``speed_kmh``) by its class factor, and the roads inside the
town seat (the grids of :data:`URBAN_KINDS`) once more by ``urban_factor``. ``speed_scale`` (the
planner's what-if slider) comes on top. The factors are documented, with their reasons, in
docs/coverage.md ("Time of day"); a district may set its own in ``speeds.json``
(:mod:`gridmap.coverage.speeds_file`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gridmap.errors import CoverageError

#: The kinds of grid (the ``kind`` column) whose roads form the town seat (城区): a
#: subdistrict (街道) and an urban community (社区).
URBAN_KINDS: tuple[str, ...] = ("subdistrict", "community")


@dataclass(frozen=True)
class SpeedProfile:
    """Factors on the e-bike speed by road class, and inside the town seat.

    Attributes
    ----------
    name : str
        The profile's key (``free``, ``rush``, ``night``).
    class_factor : mapping
        Factor per road class (missing classes: 1).
    urban_factor : float
        Extra factor on the roads inside the town seat.
    """

    name: str
    class_factor: Mapping[str, float] = field(default_factory=dict)
    urban_factor: float = 1.0

    def factor(self, road_class: str | None, urban: bool) -> float:
        """Return the speed factor of a road of ``road_class``, inside the town seat or not."""
        f = float(self.class_factor.get(road_class or "", 1.0))
        return f * (self.urban_factor if urban else 1.0)


#: Off-peak (free flow): the class speeds as they are; the default.
FREE = SpeedProfile("free")

#: Peak-hour congestion delay index assumed for the town seat of a small prefecture-level
#: city: travel time over free-flow travel time for cars (AutoNavi/Gaode's 高峰拥堵延时指数).
#: Gaode's 2020 annual report gives 1.609 as the mean of the 50 major cities and finds 59.8 %
#: of the 361 cities it monitors free-flowing at the commute peak; Zhoukou is not among the
#: 50, so the major-city mean, rounded to 1.6, is taken as a pessimistic value for Huaiyang's
#: town seat. Sources and derivation: docs/coverage.md ("Time of day").
TOWN_SEAT_DELAY_INDEX = 1.6
#: The same for the through roads (national, provincial and county roads) outside the town.
THROUGH_ROAD_DELAY_INDEX = 1.2
#: Share of the cars' delay an e-bike also suffers: it waits at the same signals (Gaode's
#: index includes the signal delay) but rides its own lane between them. An assumption.
EBIKE_DELAY_SHARE = 0.5


def ebike_factor(delay_index: float, share: float = EBIKE_DELAY_SHARE) -> float:
    """Return the e-bike speed factor of a car delay index: ``1 / (1 + share (D - 1))``."""
    return round(1.0 / (1.0 + share * (delay_index - 1.0)), 2)


#: Rush hour (07:00-09:00 and 17:00-19:00, Gaode's peak hours): the through roads slowed by
#: their delay index; inside the town seat every road slowed once more by the town's.
RUSH = SpeedProfile(
    "rush",
    {
        "arterial": ebike_factor(THROUGH_ROAD_DELAY_INDEX),
        "county": ebike_factor(THROUGH_ROAD_DELAY_INDEX),
        "street": 1.0,
        "village": 1.0,
        "path": 1.0,
    },
    urban_factor=ebike_factor(TOWN_SEAT_DELAY_INDEX),
)
#: Night (22:00-06:00): no published measure found; assumed: empty main roads and streets
#: (+10 %), unlit village roads (-10 %) and paths (-20 %) ridden slower; no class goes above
#: the legal 25 km/h cap (22 km/h x 1.1 = 24.2 km/h).
NIGHT = SpeedProfile(
    "night",
    {"arterial": 1.1, "county": 1.1, "street": 1.1, "village": 0.9, "path": 0.8},
)

PROFILES: dict[str, SpeedProfile] = {p.name: p for p in (FREE, RUSH, NIGHT)}
DEFAULT_PROFILE = FREE.name


def check_profile(name: Any) -> str:
    """Return ``name`` if it is a known profile, or raise :class:`CoverageError` naming it."""
    if name in (None, ""):
        return DEFAULT_PROFILE
    if not isinstance(name, str) or name not in PROFILES:
        raise CoverageError(
            f"profile must be one of {', '.join(PROFILES)}, got {name!r}", parameter="profile"
        )
    return name
