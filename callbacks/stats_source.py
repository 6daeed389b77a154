"""A grid's incident statistics for the panel and its CSV, memoized, with every page filter.

Like :func:`web.incident_updates.statistics_for`, and passing the status filter on too (the
panel and its export follow the status checklist, as the map's overlays do).
"""

from __future__ import annotations

from datetime import timedelta

from gridmap.incidents.filters import IncidentFilters
from gridmap.incidents.stats import grid_statistics
from gridmap.views.map_view import in_scope
from web.cache import cache
from web.map_updates import scope_of_key
from web.runtime import current

#: Windows up to this long get a daily trend (a playback week: seven days, not two weeks).
DAILY_UP_TO = timedelta(days=31)


def trend_freq(window: timedelta) -> str:
    """Return the trend's period for a date window: days up to a month, else weeks."""
    return "day" if window <= DAILY_UP_TO else "week"


@cache.memoize()
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
