"""Memoized map updates for a navigation state: the changes a drill sends, and grid summaries.

Kept in the worker (:mod:`web.local_memo`): a view or a summary costs less to compute than to
send through the shared cache and back.
"""

from __future__ import annotations

from datetime import timedelta

from gridmap.access.roles import Scope
from gridmap.clock import Clock, system_clock
from gridmap.coverage.params import DEFAULT_MINUTES
from gridmap.grids.display_geometry import grid_outline_lines
from gridmap.grids.metrics import COVERAGE_METRICS, table_values
from gridmap.grids.summary import grid_summary
from gridmap.incidents.filters import IncidentFilters
from gridmap.incidents.views import INCIDENT_METRICS, incident_values
from gridmap.views import urls
from gridmap.views.map_view import VIEWPORT_PX, MapView, build_view, in_scope, shown_grids
from gridmap.views.url_state import NavState
from web.local_memo import local_memo
from web.runtime import current


def scope_of_key(key: str) -> Scope:
    """Return the scope written by ``Scope.key()`` ("*": everything; "": nothing)."""
    if key == "*":
        return Scope.everything()
    return Scope.of(r for r in key.split(",") if r)


def last_year_points(store, clock: Clock = system_clock, within=None):
    """Return the lon/lat of the incidents reported in the 365 days before ``clock()``, (n, 2).

    ``within`` is the reader's scope (``Scope.within``; None: every incident).
    """
    now = clock()
    if within is None:
        return store.points(start=now - timedelta(days=365), end=now)
    return store.points(start=now - timedelta(days=365), end=now, within=within)


def level_url(level: int, scope_key: str = "*") -> str:
    """Return the display-geometry URL of ``level`` for the loaded data, seen by a scope."""
    return urls.level_url(current().district.version, level, scope_key)


@local_memo(256)
def view_for(
    scope_key: str,
    grid: str | None,
    view: str,
    metric: str,
    lang: str,
    width: int = 0,
    height: int = 0,
    filters_key: str = "",
    version: int = 0,
) -> tuple[MapView, tuple]:
    """Return the map view and the selected grid's outline (lons, lats) for a state.

    ``width`` and ``height`` are the map's size in pixels (0: the default viewport). For the
    incident metrics, ``filters_key`` (IncidentFilters.key) and the store's ``version`` are part
    of the memo key, so new incidents give new values. ``scope_key`` (``Scope.key()``) is the
    reader's scope: only grids and incidents inside it are drawn, and one reader's memoized
    view never reaches another.
    """
    runtime = current()
    district = runtime.district
    scope = scope_of_key(scope_key)
    within = scope.within(district.level_of)
    size = (width, height) if width > 100 and height > 100 else VIEWPORT_PX
    state = NavState(grid=grid, view=view)
    values = None
    if metric in COVERAGE_METRICS:
        result = runtime.coverage_model.coverage(DEFAULT_MINUTES)
        if metric == "coverage-incidents":
            table = result.grid_table(
                incidents=last_year_points(runtime.incident_store, runtime.clock, within)
            )
        else:
            table = result.grid_table()
        _, ids = shown_grids(district, state, scope)
        values = table_values(table.set_index("grid_id"), COVERAGE_METRICS[metric], ids)
    if metric in INCIDENT_METRICS:
        _, ids = shown_grids(district, state, scope)
        filters = IncidentFilters.from_key(filters_key)
        values = incident_values(runtime.incident_store, district, metric, ids, filters, within)
    map_view = build_view(district, state, metric, lang, size, values, scope)
    return map_view, grid_outline_lines(district, map_view.selected)


@local_memo(4096)
def summary_for(scope_key: str, grid_id: str) -> dict | None:
    """Return the grid summary shown in the detail panel and the API (memoized).

    None when the grid lies outside the scope ``scope_key`` (``Scope.key()``): its figures are
    not the reader's.
    """
    district = current().district
    if not in_scope(district, scope_of_key(scope_key), grid_id):
        return None
    return grid_summary(district, grid_id)
