"""Memoized map updates for a navigation state: the changes a drill sends, and grid summaries."""

from __future__ import annotations

from gridmap.cache import cache
from gridmap.display_geometry import grid_outline_lines
from gridmap.grid_summary import grid_summary
from gridmap.map_view import VIEWPORT_PX, MapView, build_view
from gridmap.runtime import current
from gridmap.url_state import NavState


def level_url(level: int) -> str:
    """Return the display-geometry URL of ``level`` for the loaded data."""
    return f"/geo/{current().district.version}/level-{level}.geojson"


@cache.memoize()
def view_for(
    grid: str | None, view: str, metric: str, lang: str, width: int = 0, height: int = 0
) -> tuple[MapView, tuple]:
    """Return the map view and the selected grid's outline (lons, lats) for a state.

    ``width`` and ``height`` are the map's size in pixels (0: the default viewport).
    """
    district = current().district
    size = (width, height) if width > 100 and height > 100 else VIEWPORT_PX
    map_view = build_view(district, NavState(grid=grid, view=view), metric, lang, size)
    return map_view, grid_outline_lines(district, map_view.selected)


@cache.memoize()
def summary_for(grid_id: str) -> dict:
    """Return the grid summary shown in the detail panel and the API (memoized)."""
    return grid_summary(current().district, grid_id)
