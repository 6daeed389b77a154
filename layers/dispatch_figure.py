"""The workbench's small map of one case: its level-5 grid's outline and its point, offline."""

from __future__ import annotations

from layers.basemap import basemap_layers, map_style
from layers.selection_layer import selection_trace

CASE_COLOUR = "#d64545"


def case_figure(
    lon: float,
    lat: float,
    outline: tuple[list, list],
    zoom: float,
    basemap_urls: dict[str, str],
    label: str,
    tile_url: str = "",
    center: tuple[float, float] | None = None,
) -> dict:
    """Return the figure of one case's place: the grid outline, the case point, roads and water.

    Parameters
    ----------
    lon, lat : float
        Where the case was reported.
    outline : (list, list)
        The lons and lats of its grid's boundary (rings separated by None).
    zoom : float
        The map zoom that fits the grid.
    basemap_urls : dict
        The district's own basemap layers (``gridmap.views.urls.layer_urls``).
    label : str
        The point's hover text (the case id and category).
    tile_url : str
        A local raster tile server, when one is set.
    center : (float, float), optional
        The map's centre (the grid's); the case's point when not given.
    """
    lon0, lat0 = center if center is not None else (lon, lat)
    return {
        "data": [
            selection_trace(*outline),
            {
                "type": "scattermap",
                "name": "case",
                "mode": "markers",
                "lon": [lon],
                "lat": [lat],
                "marker": {"size": 14, "color": CASE_COLOUR},
                "text": [label],
                "hoverinfo": "text",
                "showlegend": False,
            },
        ],
        "layout": {
            "map": {
                "style": map_style(),
                "center": {"lon": lon0, "lat": lat0},
                "zoom": zoom,
                "layers": basemap_layers(basemap_urls, True, tile_url),
            },
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "showlegend": False,
            "uirevision": f"{lon},{lat}",
        },
    }
