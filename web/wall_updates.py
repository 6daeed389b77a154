"""Memoized figures of the wall that do not change while the app runs (one per scope)."""

from __future__ import annotations

from gridmap.views.wall_refresh import finite_or_none
from gridmap.views.wall_scope import scope_population_share, scope_roots
from web.cache import cache
from web.runtime import current

#: The scope key of the whole district (:meth:`gridmap.access.roles.Scope.key`).
ALL_KEY = "*"


def roots_of_key(scope_key: str) -> list[str] | None:
    """Return the roots a scope key names (``*``: None, the whole district; ``""``: none)."""
    if scope_key == ALL_KEY:
        return None
    return [g for g in scope_key.split(",") if g]


@cache.memoize()
def population_share(minutes: int = 5, scope_key: str = ALL_KEY) -> float | None:
    """Return the share of the scope's people within ``minutes`` of today's posts (None: unknown).

    The posts do not change while the app runs and the cache key prefix holds the data version,
    so the minutes and the scope key (:meth:`Scope.key`) are the whole key; incidents play no
    part in it.
    """
    runtime = current()
    roots = scope_roots(runtime.district, roots_of_key(scope_key))
    table = runtime.coverage_model.coverage(minutes).grid_table()
    return finite_or_none(scope_population_share(table, roots))
