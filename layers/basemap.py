"""The offline basemap: a plain background (or a local raster tile server) and the district's
own water, roads and outline, drawn from the app's own GeoJSON URLs."""

from __future__ import annotations

BACKGROUND = "#eef0ea"

#: Order of the map layers; callbacks address the highlight layer by its index.
LAYER_ORDER = ("water", "roads-minor", "roads-major", "outline", "highlight")
HIGHLIGHT_INDEX = LAYER_ORDER.index("highlight")


def map_style(tile_url: str = "", attribution: str = "") -> dict:
    """Return a MapLibre style that loads nothing from outside the app (or only ``tile_url``).

    No glyphs or sprites: text drawn by the map would fetch fonts from the internet.
    """
    sources: dict = {}
    layers: list[dict] = [
        {"id": "background", "type": "background", "paint": {"background-color": BACKGROUND}}
    ]
    if tile_url:
        sources["local-tiles"] = {
            "type": "raster",
            "tiles": [tile_url],
            "tileSize": 256,
            "attribution": attribution,
        }
        layers.append({"id": "local-tiles", "type": "raster", "source": "local-tiles"})
    return {"version": 8, "sources": sources, "layers": layers}


def basemap_layers(urls: dict[str, str], highlight: dict | None, roads_visible: bool) -> list:
    """Return the map layers in LAYER_ORDER: water and roads under the grids, lines above.

    Parameters
    ----------
    urls : dict
        GeoJSON URLs for ``water``, ``roads-minor``, ``roads-major`` and ``outline``.
    highlight : dict or None
        GeoJSON of the selected grid's boundary.
    roads_visible : bool
    """
    return [
        {
            "sourcetype": "geojson",
            "source": urls["water"],
            "type": "fill",
            "color": "#9cc3e6",
            "below": "traces",
        },
        {
            "sourcetype": "geojson",
            "source": urls["roads-minor"],
            "type": "line",
            "color": "#b8b2a6",
            "line": {"width": 0.7},
            "below": "traces",
            "visible": roads_visible,
        },
        {
            "sourcetype": "geojson",
            "source": urls["roads-major"],
            "type": "line",
            "color": "#d08a3c",
            "line": {"width": 1.8},
            "visible": roads_visible,
        },
        {
            "sourcetype": "geojson",
            "source": urls["outline"],
            "type": "line",
            "color": "#303030",
            "line": {"width": 2.2},
        },
        {
            "sourcetype": "geojson",
            "source": highlight or {"type": "FeatureCollection", "features": []},
            "type": "line",
            "color": "#0b63ce",
            "line": {"width": 3.5},
        },
    ]
