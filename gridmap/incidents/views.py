"""What the map shows of incidents: counts or rates per grid, the heat, and single incidents."""

from __future__ import annotations

from gridmap.grids.district import District
from gridmap.i18n import name_of
from gridmap.incidents.categories import DEFAULTS, Categories
from gridmap.incidents.density import Density, binned_density
from gridmap.incidents.filters import IncidentFilters
from gridmap.incidents.store import IncidentStore

#: Metrics of the choropleth computed from incidents (translation key ``metric-<id>``).
INCIDENT_METRICS = ("incidents", "incidents-per-1000")
#: Single incidents are drawn when the map shows grids of this level or deeper.
POINTS_FROM_LEVEL = 4
MAX_POINTS = 3000


def incident_values(
    store: IncidentStore,
    district: District,
    metric: str,
    grid_ids: list[str],
    filters: IncidentFilters,
    within: list[tuple[int, str]] | None = None,
) -> list[float | None]:
    """Return incident counts, or incidents per 1,000 residents, for ``grid_ids`` (one level).

    ``within`` is the reader's scope (``Scope.within``): incidents outside it are not counted.
    """
    if not grid_ids:
        return []
    level = district.level_of(grid_ids[0])
    where = time_clipped(store, filters.store_filters())
    counts = store.counts_by_grid(level, within=within, **where)
    found = counts.reindex(grid_ids, fill_value=0).astype(int).tolist()
    if metric == "incidents":
        return found
    out: list[float | None] = []
    for gid, n in zip(grid_ids, found, strict=True):
        people = district.record(gid)["population"]
        out.append(round(1000 * n / people, 2) if people else None)
    return out


def time_clipped(store: IncidentStore, where: dict) -> dict:
    """Return ``where`` without its time bounds when they hold every stored incident.

    Reading the covering index without a range on the time is about a third faster (a wide
    range makes the database test every entry); the counts are the same.
    """
    first, last = store.time_span()
    if first is None:
        return where
    start, end = where.get("start"), where.get("end")
    if (start is None or start <= first) and (end is None or end > last):
        return {k: v for k, v in where.items() if k not in ("start", "end")}
    return where


#: Above this many incidents in view, the heat is built from counts per level-5 grid (read
#: from the covering index) rather than from the incidents' own positions.
MAX_BINNED = 50_000


def heat(
    store: IncidentStore,
    district: District,
    focus: str,
    filters: IncidentFilters,
    within: list[tuple[int, str]] | None = None,
) -> Density:
    """Return the incident density inside the grid ``focus`` (and the reader's scope ``within``).

    Up to MAX_BINNED incidents are binned by position (about 160 bins across the view). Beyond
    that, each level-5 grid contributes its count at its label point: the same picture at the
    zoom such a view is seen at, and it reads only the per-level index (no table rows).
    """
    level = district.level_of(focus)
    where = time_clipped(store, filters.store_filters())
    grid = None if level == 1 else focus
    where = {**where, "grid": grid, "grid_level": level if grid else None, "within": within}
    n = store.count(**where)
    bounds = district.bounds(focus)
    if n <= MAX_BINNED:
        return binned_density(store, bounds, **where)
    counts = store.counts_by_grid(5, **where)
    points = district.label_points
    lon = [points[g][0] for g in counts.index if g in points]
    lat = [points[g][1] for g in counts.index if g in points]
    count = [int(c) for g, c in counts.items() if g in points]
    mean_area = district.record(focus)["area_km2"] / max(len(district.level_ids(5)), 1)
    if grid is not None:
        leaves = [g for g in counts.index if g in points]
        mean_area = district.grids.loc[leaves, "area_km2"].mean() if leaves else mean_area
    cell = (float(mean_area) ** 0.5) / 111.0
    return Density(lon, lat, count, cell)


def incident_points(
    store: IncidentStore,
    grid_id: str,
    level: int,
    filters: IncidentFilters,
    within: list[tuple[int, str]] | None = None,
) -> list[dict]:
    """Return the newest incidents (at most MAX_POINTS) inside one grid, for the point layer.

    ``within`` is the reader's scope: incidents outside it are left out.
    """
    return store.query(
        grid=grid_id,
        grid_level=level,
        within=within,
        limit=MAX_POINTS,
        columns=["id", "category", "status", "reported_at", "lon", "lat", "g3"],
        **filters.store_filters(),
    )


def category_label(category: str, lang: str, categories: Categories = DEFAULTS) -> str:
    """Return the label of a category id in ``lang`` (the id itself when unknown).

    ``categories`` are the district's (``District.categories``).
    """
    return categories.label(category, lang)


def incident_grid_name(district: District, row: dict, lang: str) -> str:
    """Return the name of the level-5 grid of an incident in ``lang``, or "—" when unknown."""
    grid = row.get("g5")
    return name_of(district.record(grid), lang) if grid in district else "—"
