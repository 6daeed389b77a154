"""Memoized incident figures for the pages: a grid's statistics, keyed by filters and version."""

from __future__ import annotations

from gridmap.incidents.filters import IncidentFilters
from gridmap.incidents.stats import grid_statistics
from web.cache import cache
from web.runtime import current


@cache.memoize()
def statistics_for(grid_id: str, filters_key: str, version: int, rank: str, lang: str) -> dict:
    """Return a grid's incident statistics (memoized by filters and the store's version)."""
    runtime = current()
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
    )
