"""Memoized incident figures for the pages: a grid's statistics under every filter and scope.

The panel and its export follow the date, category and status filters, as the map's overlays do.
"""

from __future__ import annotations

from gridmap.incidents.filters import IncidentFilters
from gridmap.incidents.stats import grid_statistics, trend_freq
from gridmap.views.map_view import in_scope
from web.local_memo import local_memo
from web.map_updates import scope_of_key
from web.runtime import current


@local_memo(256)
def filtered_statistics(
    scope_key: str, grid_id: str, filters_key: str, version: int, rank: str, lang: str
) -> dict | None:
    """Return a grid's statistics under every filter (dates, categories, statuses) and scope.

    None when the grid lies outside the reader's scope (``scope_key``, ``Scope.key()``).
    """
    runtime = current()
    district = runtime.district
    scope = scope_of_key(scope_key)
    if not in_scope(district, scope, grid_id):
        return None
    filters = IncidentFilters.from_key(filters_key).store_filters()
    return grid_statistics(
        runtime.incident_store,
        district.grids,
        grid_id,
        **filters,
        freq=trend_freq(filters["end"] - filters["start"]),
        metric=rank,
        lang=lang,
        within=scope.within(district.level_of),
    )
