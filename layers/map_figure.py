"""The whole map figure, and the partial changes a navigation step makes to it."""

from __future__ import annotations

from gridmap.map_view import MapView
from layers.basemap import HIGHLIGHT_INDEX, basemap_layers, map_style
from layers.grid_layer import grid_changes, grid_trace
from layers.posts_layer import posts_trace

GRID_TRACE = 0
POSTS_TRACE = 1


def map_figure(
    view: MapView,
    grid_url: str,
    basemap_urls: dict[str, str],
    highlight: dict | None,
    posts: list[dict],
    lang: str,
    tile_url: str = "",
    tile_attribution: str = "",
    show_posts: bool = True,
    show_roads: bool = True,
) -> dict:
    """Return the complete figure dict for ``view`` (grids, posts, offline basemap)."""
    return {
        "data": [grid_trace(view, grid_url), posts_trace(posts, lang, show_posts)],
        "layout": {
            "map": {
                "style": map_style(tile_url, tile_attribution),
                "center": {"lon": view.center[0], "lat": view.center[1]},
                "zoom": view.zoom,
                "layers": basemap_layers(basemap_urls, highlight, show_roads),
            },
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "clickmode": "event",
            "hoverlabel": {"namelength": -1},
            "uirevision": view.selected,
        },
    }


def view_changes(view: MapView, grid_url: str, highlight: dict | None) -> dict[str, object]:
    """Return ``{path: value}`` for what a navigation step changes (paths as in a Patch)."""
    changes = {f"data.{GRID_TRACE}.{k}": v for k, v in grid_changes(view, grid_url).items()}
    changes["layout.map.center"] = {"lon": view.center[0], "lat": view.center[1]}
    changes["layout.map.zoom"] = view.zoom
    changes["layout.uirevision"] = view.selected
    changes[f"layout.map.layers.{HIGHLIGHT_INDEX}.source"] = highlight or {
        "type": "FeatureCollection",
        "features": [],
    }
    return changes
