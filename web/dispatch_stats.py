"""The dispatch figures of the main page's statistics panel: one grid's, and its units'.

On-time closure rate (按期办结率), rework rate, mean and 90th-percentile time to dispatch and to
close, open and overdue cases, from :meth:`IncidentStore.performance` under the panel's date
filter and the reader's scope (definitions in :mod:`gridmap.incidents.performance`). Memoized on
the store's version and the minute (overdue is judged at now).
"""

from __future__ import annotations

from gridmap.incidents.filters import IncidentFilters
from gridmap.views.map_view import in_scope
from web.cache import cache
from web.incident_snapshot import incident_snapshot
from web.map_updates import scope_of_key
from web.runtime import current

#: Units listed under a grid's figures (the busiest first).
TOP_UNITS = 6


@cache.memoize()
def grid_dispatch_figures(
    scope_key: str, grid_id: str, filters_key: str, version: int, minute: str
) -> dict | None:
    """Return ``{"grid": figures, "units": [figures, ...]}`` of one grid, or None outside scope.

    ``minute`` is now to the minute (ISO), part of the memo key only: the app clock is read.
    """
    from gridmap.incidents.performance import grid_figures

    runtime = current()
    district, store = runtime.district, runtime.incident_store
    scope = scope_of_key(scope_key)
    if not in_scope(district, scope, grid_id):
        return None
    filters = IncidentFilters.from_key(filters_key).store_filters()
    level = district.level_of(grid_id)
    options = {
        "now": runtime.clock(),
        "start": filters["start"],
        "end": filters["end"],
        "within": scope.within(district.level_of),
    }
    snapshot = incident_snapshot()
    if snapshot is None:
        return grid_figures(store, grid_id, level, **options, top=TOP_UNITS)
    # The same checks as the query's (a naive time, a bad scope level are refused).
    store.where_clauses(start=options["start"], end=options["end"], within=options["within"])
    return snapshot.dispatch(grid_id, level, **options, top=TOP_UNITS)
