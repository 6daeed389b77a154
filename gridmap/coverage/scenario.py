"""A planner's what-if scenario: minutes, speed, new posts, posts out of service; as a URL."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

import shapely

from gridmap.coverage.params import (
    DEFAULT_MINUTES,
    MAX_MINUTES,
    MAX_SPEED_SCALE,
    MIN_MINUTES,
    MIN_SPEED_SCALE,
)
from gridmap.coverage.profiles import DEFAULT_PROFILE, PROFILES
from gridmap.csv_cells import csv_text
from gridmap.errors import ScenarioError
from gridmap.messages import Message

MINUTES_RANGE = (MIN_MINUTES, MAX_MINUTES)
SPEED_RANGE = (MIN_SPEED_SCALE, MAX_SPEED_SCALE)
MAX_ADDED = 50
#: A click closer than this many screen pixels to a post or a new post acts on it.
CLICK_RADIUS_PX = 12


@dataclass(frozen=True)
class Scenario:
    """What a planner changed against the posts in the data."""

    minutes: float = DEFAULT_MINUTES
    speed_scale: float = 1.0
    added: tuple[tuple[float, float], ...] = ()
    disabled: tuple[str, ...] = ()
    profile: str = DEFAULT_PROFILE

    def __post_init__(self) -> None:
        """Refuse values out of range, naming the parameter."""
        lo, hi = MINUTES_RANGE
        if not lo <= self.minutes <= hi:
            raise ScenarioError(
                Message(
                    "scenario-minutes-range", lo=f"{lo:g}", hi=f"{hi:g}", value=f"{self.minutes:g}"
                ),
                parameter="minutes",
            )
        lo, hi = SPEED_RANGE
        if not lo <= self.speed_scale <= hi:
            raise ScenarioError(
                Message(
                    "scenario-speed-range",
                    lo=f"{lo:g}",
                    hi=f"{hi:g}",
                    value=f"{self.speed_scale:g}",
                ),
                parameter="speed",
            )
        if self.profile not in PROFILES:
            raise ScenarioError(
                f"profile must be one of {', '.join(PROFILES)}, got {self.profile!r}",
                parameter="profile",
            )
        if len(self.added) > MAX_ADDED:
            raise ScenarioError(
                Message("scenario-too-many-posts", max=MAX_ADDED, n=len(self.added)),
                parameter="add",
            )

    @property
    def is_baseline(self) -> bool:
        """Whether the scenario changes no post (only minutes or speed may differ)."""
        return not self.added and not self.disabled

    def baseline(self) -> Scenario:
        """Return the same minutes and speed with the posts as in the data."""
        return replace(self, added=(), disabled=())

    def toggle_post(self, post_id: str) -> Scenario:
        """Take a post out of service, or put it back."""
        if post_id in self.disabled:
            return replace(self, disabled=tuple(p for p in self.disabled if p != post_id))
        return replace(self, disabled=tuple(sorted((*self.disabled, post_id))))

    def add_post(self, lon: float, lat: float) -> Scenario:
        """Add a new post at (lon, lat), rounded to about 1 m."""
        return replace(self, added=(*self.added, (round(lon, 5), round(lat, 5))))

    def remove_added(self, index: int) -> Scenario:
        """Remove the ``index``-th new post."""
        return replace(self, added=tuple(p for i, p in enumerate(self.added) if i != index))

    def to_query(self) -> str:
        """Return the scenario as a URL query string (``?minutes=5&add=lon,lat;...``)."""
        params: dict[str, str] = {"minutes": f"{self.minutes:g}"}
        if self.speed_scale != 1.0:
            params["speed"] = f"{self.speed_scale:g}"
        if self.profile != DEFAULT_PROFILE:
            params["profile"] = self.profile
        if self.added:
            params["add"] = ";".join(f"{lon:.5f},{lat:.5f}" for lon, lat in self.added)
        if self.disabled:
            params["off"] = ",".join(self.disabled)
        return "?" + urlencode(params, safe=",;")


def _number(query: dict, name: str, default: float) -> float:
    raw = (query.get(name) or [None])[0]
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ScenarioError(Message("scenario-not-a-number", name=name, raw=repr(raw))) from None
    if not math.isfinite(value):
        raise ScenarioError(Message("scenario-not-finite", name=name, raw=repr(raw)))
    return value


def parse_query(search: str | None) -> Scenario:
    """Read a scenario from a URL query string; raise ScenarioError naming a bad parameter."""
    query = parse_qs((search or "").lstrip("?"))
    added = []
    for i, pair in enumerate(x for x in ((query.get("add") or [""])[0]).split(";") if x):
        try:
            lon, lat = (float(v) for v in pair.split(","))
        except ValueError:
            raise ScenarioError(Message("scenario-add-format", n=i + 1, pair=repr(pair))) from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ScenarioError(Message("scenario-add-range", n=i + 1, pair=repr(pair)))
        added.append((lon, lat))
    disabled = tuple(sorted(p for p in ((query.get("off") or [""])[0]).split(",") if p))
    return Scenario(
        minutes=_number(query, "minutes", DEFAULT_MINUTES),
        speed_scale=_number(query, "speed", 1.0),
        added=tuple(added),
        disabled=disabled,
        profile=(query.get("profile") or [DEFAULT_PROFILE])[0],
    )


def metres_per_pixel(lat: float, zoom: float) -> float:
    """Return the ground size of one screen pixel on a web-mercator map (512-px tiles)."""
    return 40_075_016.7 * math.cos(math.radians(lat)) / (512 * 2**zoom)


def apply_click(
    scenario: Scenario,
    lon: float,
    lat: float,
    zoom: float,
    posts: list[dict],
) -> Scenario:
    """Return the scenario after a map click at (lon, lat).

    A click on (or within CLICK_RADIUS_PX of) a new post removes it; on an existing post it
    takes the post out of service or puts it back; anywhere else it adds a new post.
    """
    radius = CLICK_RADIUS_PX * metres_per_pixel(lat, zoom)

    def dist(plon: float, plat: float) -> float:
        dx = (plon - lon) * 111_320 * math.cos(math.radians(lat))
        return math.hypot(dx, (plat - lat) * 110_540)

    near_new = [(dist(*p), i) for i, p in enumerate(scenario.added)]
    near_post = [(dist(p["lon"], p["lat"]), p["post_id"]) for p in posts]
    best_new = min(near_new, default=(math.inf, -1))
    best_post = min(near_post, default=(math.inf, ""))
    if best_new[0] <= radius and best_new[0] <= best_post[0]:
        return scenario.remove_added(best_new[1])
    if best_post[0] <= radius:
        return scenario.toggle_post(best_post[1])
    return scenario.add_post(lon, lat)


def click_in_district(
    scenario: Scenario, click: dict, posts: list[dict], outline: shapely.Geometry
) -> Scenario | None:
    """Return the scenario after a map ``click`` (``lon``, ``lat``, ``zoom``), or None.

    None when the click would add a new post outside the district ``outline`` (EPSG:4326):
    such a click changes nothing.
    """
    new = apply_click(scenario, click["lon"], click["lat"], click["zoom"], posts)
    if len(new.added) > len(scenario.added) and not outline.covers(shapely.Point(new.added[-1])):
        return None
    return new


def movable_posts(scenario: Scenario, movable: list[str] | None) -> list[str]:
    """Return the posts a suggestion may move: those of ``movable`` still in service."""
    return [p for p in movable or () if p not in scenario.disabled]


def apply_suggestion(scenario: Scenario, suggestion: dict) -> Scenario:
    """Return the scenario with a suggestion applied.

    Applying takes the posts that may move (``suggestion["movable"]``) out of service: the
    chosen sites (``suggestion["sites"]``, which may include a post's own site) replace them.
    """
    new = scenario
    for post_id in suggestion.get("movable", []):
        if post_id not in new.disabled:
            new = new.toggle_post(post_id)
    for site in suggestion["sites"]:
        new = new.add_post(site["lon"], site["lat"])
    return new


def scenario_coverage(model: Any, scenario: Scenario) -> Any:
    """Return the coverage result of ``scenario`` on ``model`` (a ``CoverageModel``).

    The model memoizes its recent queries, so asking again is cheap.
    """
    return model.coverage(
        scenario.minutes,
        speed_scale=scenario.speed_scale,
        extra_posts=scenario.added,
        disabled_posts=scenario.disabled,
        profile=scenario.profile,
    )


def scenario_times(model: Any, scenario: Scenario) -> Any:
    """Return the travel times (no limit) of ``scenario`` on ``model``, from the model's memo."""
    return model.travel_times(
        scenario.speed_scale,
        extra_posts=scenario.added,
        disabled_posts=scenario.disabled,
        profile=scenario.profile,
    )


#: Decimals of coordinates (about 0.1 m) and of shares in the exports.
COORD_DECIMALS = 6
SHARE_DECIMALS = 4
#: The KPI rows of the CSV export.
EXPORT_KPIS = (
    "area_share",
    "population_share",
    "incident_share",
    "covered_population",
    "uncovered_population",
)
_NO_PLACE = {"township": "", "village": ""}


def rounded_kpis(kpis: dict) -> dict:
    """Return ``kpis`` with shares to 4 decimals and people or areas to whole units."""
    out = {}
    for key, value in kpis.items():
        if isinstance(value, float) and math.isfinite(value):
            value = round(value, SHARE_DECIMALS) if key.endswith("share") else round(value)
        out[key] = value
    return out


def describe(scenario: Scenario, texts: dict[str, str]) -> str:
    """Return the scenario as readable text (minutes, speed, new posts, posts off).

    ``texts`` holds ``summary`` (with ``{minutes}``, ``{speed}``, ``{added}``, ``{off}``) and
    ``none`` (said when no post is out of service), in the reader's language.
    """
    return texts["summary"].format(
        minutes=scenario.minutes,
        speed=scenario.speed_scale,
        added=len(scenario.added),
        off=", ".join(scenario.disabled) or texts["none"],
    )


def export_filename(name: str | None, default: str, day: str, extension: str) -> str:
    """Return ``<scenario name>-<day>.<extension>``, the name made safe for a file system.

    Characters other than letters, digits (any script), ``-`` and ``_`` become ``_``; an empty
    name takes ``default``.
    """
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in (name or "").strip())
    return f"{safe.strip('_')[:60] or default}-{day}.{extension}"


def _rows(scenario: Scenario, posts: list[dict], places: list[dict] | None) -> list[dict]:
    """Return each post and new post: id, names, place, lon, lat (rounded), status."""
    rows = []
    for p in posts:
        status = "out-of-service" if p["post_id"] in scenario.disabled else "active"
        rows.append({**_post_props(p), "lon": p["lon"], "lat": p["lat"], "status": status})
    for i, (lon, lat) in enumerate(scenario.added, start=1):
        rows.append({"post_id": f"new-{i}", "lon": lon, "lat": lat, "status": "new"})
    for row, place in zip(rows, places or [_NO_PLACE] * len(rows), strict=True):
        row.update(township=place["township"], village=place["village"])
        row["lon"] = round(float(row["lon"]), COORD_DECIMALS)
        row["lat"] = round(float(row["lat"]), COORD_DECIMALS)
    return rows


def export_points(scenario: Scenario, posts: list[dict]) -> list[tuple[float, float]]:
    """Return the lon/lat of every exported row: the posts, then the new posts."""
    return [(p["lon"], p["lat"]) for p in posts] + list(scenario.added)


def export_geojson(
    scenario: Scenario,
    posts: list[dict],
    kpis: dict,
    baseline: dict,
    places: list[dict] | None = None,
    summary: str = "",
) -> dict:
    """Return the scenario's posts (status: active, out of service, new) and KPIs as GeoJSON.

    ``places`` (one ``township``/``village`` dict a row of :func:`export_points`) names where
    each post lies; ``summary`` is the readable scenario (:func:`describe`). Coordinates to 6
    decimals, shares to 4.
    """
    features = []
    for row in _rows(scenario, posts, places):
        lon, lat = row.pop("lon"), row.pop("lat")
        features.append(_point(lon, lat, row))
    return {
        "type": "FeatureCollection",
        "properties": {
            "scenario": summary or scenario.to_query(),
            "query": scenario.to_query(),
            "kpis": rounded_kpis(kpis),
            "baseline": rounded_kpis(baseline),
        },
        "features": features,
    }


def export_csv(
    scenario: Scenario,
    posts: list[dict],
    kpis: dict,
    baseline: dict,
    places: list[dict] | None = None,
    summary: str = "",
) -> str:
    """Return the scenario as CSV: one row per post, then the KPIs against the baseline.

    Spreadsheet-safe (:func:`gridmap.csv_cells.csv_text`): a UTF-8 BOM, so Excel reads the
    Chinese names, and post names that read like formulas kept as text. ``places`` and
    ``summary`` as in :func:`export_geojson`; coordinates to 6 decimals, shares to 4.
    """
    header = ["post_id", "name_zh", "name_en", "township", "village", "lon", "lat", "status"]
    rows: list[list] = [[r.get(k, "") for k in header] for r in _rows(scenario, posts, places)]
    rows.append([])
    rows.append(["kpi", "scenario", "baseline"])
    now, base = rounded_kpis(kpis), rounded_kpis(baseline)
    for key in EXPORT_KPIS:
        rows.append([key, now.get(key), base.get(key)])
    rows.append(["scenario", summary or scenario.to_query()])
    rows.append(["query", scenario.to_query()])
    return csv_text(header, rows)


def _post_props(p: dict) -> dict:
    return {k: p[k] for k in ("post_id", "name_zh", "name_en", "officers", "ebikes") if k in p}


def _point(lon: float, lat: float, props: dict) -> dict:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }
