"""Memoized incident figures for the pages: a grid's statistics under every filter and scope.

Read from the worker's snapshot of the store (:mod:`web.incident_snapshot`), or asked of the
database when the store is too large to hold.

The panel and its export follow the date, category and status filters, as the map's overlays do.
"""

from __future__ import annotations

from gridmap.incidents.filters import IncidentFilters
from gridmap.incidents.stats import grid_statistics, trend_freq
from gridmap.views.map_view import in_scope
from web.incident_snapshot import grid_table, incident_snapshot
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
    store, within = runtime.incident_store, scope.within(district.level_of)
    snapshot = incident_snapshot()
    if snapshot is not None:
        # The same checks as the query's (an unknown category or status is refused).
        store.where_clauses(**filters, within=within)
        return snapshot.statistics(
            grid_table(district.version),
            grid_id,
            **filters,
            freq=trend_freq(filters["end"] - filters["start"]),
            metric=rank,
            lang=lang,
            within=within,
            known=store.categories,
            child_ids=district.children(grid_id),
        )
    return grid_statistics(
        runtime.incident_store,
        district.grids,
        grid_id,
        **filters,
        freq=trend_freq(filters["end"] - filters["start"]),
        metric=rank,
        lang=lang,
        within=within,
    )
