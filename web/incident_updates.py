"""Memoized incident figures for the pages: a grid's statistics, keyed by filters and version."""

from __future__ import annotations

from gridmap.incidents.filters import IncidentFilters
from gridmap.incidents.stats import grid_statistics
from gridmap.views.map_view import in_scope
from web.cache import cache
from web.map_updates import scope_of_key
from web.runtime import current


@cache.memoize()
def statistics_for(
    scope_key: str, grid_id: str, filters_key: str, version: int, rank: str, lang: str
) -> dict | None:
    """Return a grid's incident statistics (memoized by filters, the store's version and scope).

    ``scope_key`` (``Scope.key()``) is the reader's scope: only incidents and child grids inside
    it are counted; None when the grid itself lies outside it.
    """
    runtime = current()
    district = runtime.district
    scope = scope_of_key(scope_key)
    if not in_scope(district, scope, grid_id):
        return None
    f = IncidentFilters.from_key(filters_key).store_filters()
    return grid_statistics(
        runtime.incident_store,
        runtime.district.grids,
        grid_id,
        start=f["start"],
        end=f["end"],
        categories=f["categories"],
        metric=rank,
        lang=lang,
        within=scope.within(district.level_of),
    )
