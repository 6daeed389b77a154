"""The whole map figure, and the partial changes a navigation step makes to it."""

from __future__ import annotations

from gridmap.incidents.density import Density
from gridmap.views.map_view import MapView
from layers.basemap import basemap_layers, map_style
from layers.grid_layer import grid_changes, grid_trace
from layers.incident_layers import heat_trace, points_trace
from layers.overlay_style import grid_style
from layers.posts_layer import posts_trace
from layers.selection_layer import selection_trace

GRID_TRACE = 0
SELECTION_TRACE = 1
POSTS_TRACE = 2
HEAT_TRACE = 3
INCIDENT_TRACE = 4


def map_figure(
    view: MapView,
    grid_url: str,
    basemap_urls: dict[str, str],
    outline: tuple[list, list],
    posts: list[dict],
    lang: str,
    tile_url: str = "",
    show_posts: bool = True,
    show_roads: bool = True,
    layers: list[str] | None = None,
) -> dict:
    """Return the complete figure dict for ``view`` (grids, posts, offline basemap).

    ``layers`` are the checked layer values the grids' style yields to (None: none).
    """
    return {
        "data": [
            grid_trace(view, grid_url, layers),
            selection_trace(*outline),
            posts_trace(posts, lang, show_posts),
            heat_trace(Density([], [], [], 0.01), view.zoom, False),
            points_trace([], lang, False),
        ],
        "layout": {
            "map": {
                "style": map_style(),
                "center": {"lon": view.center[0], "lat": view.center[1]},
                "zoom": view.zoom,
                "layers": basemap_layers(basemap_urls, show_roads, tile_url),
            },
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "clickmode": "event",
            "hoverlabel": {"namelength": -1},
            "uirevision": view.selected,
        },
    }


def view_changes(
    view: MapView,
    grid_url: str,
    outline: tuple[list, list],
    layers: list[str] | None = None,
) -> dict[str, object]:
    """Return ``{path: value}`` for what a navigation step changes (paths as in a Patch).

    The grids' palette and opacity follow the checked ``layers`` (the overlay stack).
    """
    changes = {f"data.{GRID_TRACE}.{k}": v for k, v in grid_changes(view, grid_url).items()}
    for key, value in grid_style(layers).items():
        changes[f"data.{GRID_TRACE}.{key}"] = value
    changes["layout.map.center"] = {"lon": view.center[0], "lat": view.center[1]}
    changes["layout.map.zoom"] = view.zoom
    changes["layout.uirevision"] = view.selected
    changes[f"data.{SELECTION_TRACE}.lon"], changes[f"data.{SELECTION_TRACE}.lat"] = outline
    return changes


#: What a metric change alters on a view's grids: the colours and what the colour bar and the
#: hover say. The grids, their names and points, the camera and the outline stay.
RECOLOUR_KEYS = (
    "z",
    "zmin",
    "zmax",
    "hovertemplate",
    "colorbar.title.text",
    "colorbar.tickformat",
)


def recolour_changes(view: MapView, layers: list[str] | None = None) -> dict[str, object]:
    """Return ``{path: value}`` for a metric change of the view already drawn (a Patch).

    The whole level-5 view re-sent its 6,438 keys, names and points with each recolour (491
    kB); only the values and their labels change.
    """
    changes = grid_changes(view, "")
    out = {f"data.{GRID_TRACE}.{k}": changes[k] for k in RECOLOUR_KEYS}
    for key, value in grid_style(layers).items():
        out[f"data.{GRID_TRACE}.{key}"] = value
    return out


def grid_click_points(click: dict | None) -> list[dict]:
    """Return the points of a map click that can select a grid (not the heat or incident dots)."""
    return [
        p
        for p in (click or {}).get("points") or []
        if p.get("curveNumber") not in (HEAT_TRACE, INCIDENT_TRACE)
    ]
