"""Memoized figures of the wall that do not change while the app runs."""

from __future__ import annotations

from gridmap.views.wall_refresh import finite_or_none
from web.cache import cache
from web.runtime import current


@cache.memoize()
def population_share(minutes: int = 5) -> float | None:
    """Return the share of the population within ``minutes`` of today's posts (None: unknown).

    The posts do not change while the app runs and the cache key prefix holds the data version,
    so the minutes are the whole key; incidents play no part in it.
    """
    kpis = current().coverage_model.coverage(minutes).kpis()
    return finite_or_none(kpis.get("population_share"))
