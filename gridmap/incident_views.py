"""What the map shows of incidents: counts or rates per grid, the heat, and single incidents."""

from __future__ import annotations

from gridmap.district import Bounds, District
from gridmap.incident_categories import CATEGORIES
from gridmap.incident_density import Density, binned_density
from gridmap.incident_filters import IncidentFilters
from gridmap.incident_store import IncidentStore

#: Metrics of the choropleth computed from incidents (translation key ``metric-<id>``).
INCIDENT_METRICS = ("incidents", "incidents-per-1000")
#: Single incidents are drawn when the map shows grids of this level or deeper.
POINTS_FROM_LEVEL = 4
MAX_POINTS = 3000

_LABELS = {c.id: c for c in CATEGORIES}


def incident_values(
    store: IncidentStore,
    district: District,
    metric: str,
    grid_ids: list[str],
    filters: IncidentFilters,
) -> list[float | None]:
    """Return incident counts, or incidents per 1,000 residents, for ``grid_ids`` (one level)."""
    if not grid_ids:
        return []
    level = district.level_of(grid_ids[0])
    counts = store.counts_by_grid(level, **filters.store_filters())
    out: list[float | None] = []
    for gid in grid_ids:
        n = int(counts.get(gid, 0))
        if metric == "incidents":
            out.append(n)
        else:
            people = district.record(gid)["population"]
            out.append(round(1000 * n / people, 2) if people else None)
    return out


def heat(store: IncidentStore, bounds: Bounds, filters: IncidentFilters) -> Density:
    """Return the binned incident density over ``bounds``."""
    return binned_density(store, bounds, **filters.store_filters())


def incident_points(
    store: IncidentStore, grid_id: str, level: int, filters: IncidentFilters
) -> list[dict]:
    """Return the newest incidents (at most MAX_POINTS) inside one grid, for the point layer."""
    return store.query(
        grid=grid_id,
        grid_level=level,
        limit=MAX_POINTS,
        columns=["id", "category", "status", "reported_at", "lon", "lat", "g3"],
        **filters.store_filters(),
    )


def category_label(category: str, lang: str) -> str:
    """Return the label of a category id in ``lang`` (the id itself when unknown)."""
    found = _LABELS.get(category)
    return found.label(lang) if found else category
