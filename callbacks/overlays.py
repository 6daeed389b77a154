"""The incident overlays of the main map (heat and single incidents), as changes to its figure.

Sent in the same Patch as the grids (callbacks/render.py): one figure update per step, so
Plotly redraws the map once, not once for the grids and again for the overlays.
"""

from __future__ import annotations

from gridmap.incidents.filters import IncidentFilters
from gridmap.incidents.views import POINTS_FROM_LEVEL, heat, incident_points
from gridmap.views import url_state
from gridmap.views.map_view import (
    MAP_MARGINS_PX,
    VIEWPORT_PX,
    fit_zoom,
    focus_grid,
    scoped_state,
    shown_grids,
)
from layers.incident_layers import heat_trace, points_trace
from layers.map_figure import HEAT_TRACE, INCIDENT_TRACE
from web.auth import current_scope, may_read_incidents
from web.runtime import Runtime

HEAT_KEYS = ("lon", "lat", "z", "radius", "zmin", "zmax", "visible")
POINT_KEYS = ("lon", "lat", "customdata", "text", "marker", "visible")


def overlay_changes(
    runtime: Runtime,
    search: str | None,
    filters_key: str,
    layers: list[str] | None,
    lang: str,
    size: list | None,
) -> dict[str, object]:
    """Return ``{path: value}`` of the heat and incident traces for the reader (Patch paths)."""
    district = runtime.district
    shown = set(layers or [])
    filters = IncidentFilters.from_key(filters_key)
    # Only incidents inside the reader's scope, filtered in the store's query.
    scope = current_scope()
    # A grid asked outside the scope draws the reader's home (the explained empty state): its
    # overlays are the home's, as on a plain visit.
    state, _ = scoped_state(district, url_state.parse(search), scope)
    within = scope.within(district.level_of)
    _, grids = shown_grids(district, state, scope)
    level = district.level_of(grids[0]) if grids else 1
    focus = focus_grid(district, state, scope)
    width, height = size if size else VIEWPORT_PX
    zoom = fit_zoom(district.bounds(focus), (int(width), int(height)), MAP_MARGINS_PX)
    changes: dict[str, object] = {}
    if "heat" in shown:
        density = heat(runtime.incident_store, district, focus, filters, within)
        trace = heat_trace(density, zoom, True)
        changes.update({f"data.{HEAT_TRACE}.{k}": trace[k] for k in HEAT_KEYS})
    else:
        changes[f"data.{HEAT_TRACE}.visible"] = False
    # Single incidents (positions, descriptions) only for roles that may read them; a planner
    # sees counts and heat.
    if (
        may_read_incidents()
        and "incidents" in shown
        and level >= POINTS_FROM_LEVEL
        and not state.whole_level
    ):
        rows = incident_points(
            runtime.incident_store, focus, district.level_of(focus), filters, within
        )
        trace = points_trace(rows, lang, True, district.categories)
        changes.update({f"data.{INCIDENT_TRACE}.{k}": trace[k] for k in POINT_KEYS})
    else:
        changes[f"data.{INCIDENT_TRACE}.visible"] = False
    return changes
