"""Metrics that colour the grids on the map, computed from a district's plain figures."""

from __future__ import annotations

from collections.abc import Callable

from gridmap.grids.district import District

_Metric = Callable[[District, str], float | None]


def _population(d: District, gid: str) -> float | None:
    return d.record(gid)["population"]


def _density(d: District, gid: str) -> float | None:
    rec = d.record(gid)
    if rec["population"] is None or rec["area_km2"] <= 0:
        return None
    return round(rec["population"] / rec["area_km2"], 1)


def _area(d: District, gid: str) -> float | None:
    return round(d.record(gid)["area_km2"], 3)


def _staff(d: District, gid: str) -> float | None:
    return d.record(gid)["staff"]


def _posts(d: District, gid: str) -> float | None:
    return len(d.posts_in[gid])


def _residents_per_staff(d: District, gid: str) -> float | None:
    rec = d.record(gid)
    if not rec["staff"] or rec["population"] is None:
        return None
    return round(rec["population"] / rec["staff"], 1)


#: Metric id -> function; the translation key of each is ``metric-<id>``.
METRICS: dict[str, _Metric] = {
    "population": _population,
    "density": _density,
    "area": _area,
    "staff": _staff,
    "posts": _posts,
    "residents-per-staff": _residents_per_staff,
}

DEFAULT_METRIC = "density"
#: The metric shown instead of one whose figures the district lacks: every grid has an area.
FALLBACK_METRIC = "area"

#: The grid fields (district.json columns) each metric needs; a metric not listed needs none.
METRIC_NEEDS: dict[str, tuple[str, ...]] = {
    "population": ("population",),
    "density": ("population",),
    "staff": ("staff",),
    "residents-per-staff": ("population", "staff"),
    "coverage-population": ("population",),
    "incidents-per-1000": ("population",),
}

#: Metrics read from the 5-minute police circle's per-grid table (column of each), as shares.
COVERAGE_METRICS: dict[str, str] = {
    "coverage-population": "population_share",
    "coverage-area": "area_share",
    "coverage-incidents": "incident_share",
}

#: Every metric offered on the map, in menu order (incident metrics: gridmap.incidents.views).
ALL_METRICS: tuple[str, ...] = (
    *METRICS,
    *COVERAGE_METRICS,
    "incidents",
    "incidents-per-1000",
)


def has_field(district: District, field: str) -> bool:
    """Return whether any grid of ``district`` has a value for ``field`` (population, staff)."""
    key = ("has-field", field)
    if key not in district.memo:
        district.memo[key] = any(
            district.record(g)[field] is not None for g in district.grids.index
        )
    return district.memo[key]


def missing_fields(district: District, metric: str) -> tuple[str, ...]:
    """Return the fields ``metric`` needs that ``district`` has no value for (empty: none)."""
    return tuple(f for f in METRIC_NEEDS.get(metric, ()) if not has_field(district, f))


def available_metrics(district: District) -> tuple[str, ...]:
    """Return the metrics of :data:`ALL_METRICS` that ``district``'s figures can give."""
    return tuple(m for m in ALL_METRICS if not missing_fields(district, m))


def default_metric(district: District) -> str:
    """Return :data:`DEFAULT_METRIC`, or :data:`FALLBACK_METRIC` when the district lacks it."""
    return DEFAULT_METRIC if not missing_fields(district, DEFAULT_METRIC) else FALLBACK_METRIC


def is_share(metric: str) -> bool:
    """Return whether ``metric`` is a share (0-1, shown as a percentage)."""
    return metric in COVERAGE_METRICS


def table_values(table, column: str, grid_ids: list[str]) -> list[float | None]:
    """Return ``table[column]`` (a frame indexed by grid id) for ``grid_ids``; NaN -> None."""
    values = table[column].reindex(grid_ids)
    return [None if v != v else round(float(v), 4) for v in values]


def metric_values(district: District, metric: str, grid_ids: list[str]) -> list[float | None]:
    """Return ``metric`` for each of ``grid_ids`` (None where the data lacks it).

    Values are computed once per district and metric, then looked up.

    Raises
    ------
    KeyError
        For an unknown metric, naming it and the known ones.
    """
    try:
        fn = METRICS[metric]
    except KeyError:
        raise KeyError(f"unknown metric {metric!r}; known: {sorted(METRICS)}") from None
    # A district never changes once loaded, so each metric column is computed once and kept on it.
    key = ("metric", metric)
    if key not in district.memo:
        district.memo[key] = {gid: fn(district, gid) for gid in district.grids.index}
    table = district.memo[key]
    return [table[gid] for gid in grid_ids]
