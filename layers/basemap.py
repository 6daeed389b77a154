"""The offline basemap: the district's own water, roads and outline from the app's URLs.

Over a blank background, or a local raster tile server when one is set.
"""

from __future__ import annotations

from layers.coverage_layer import GAPS_COLOR, coverage_layers

#: Order of the map layers; callbacks address a layer by its index. (The selection outline is a
#: trace, not a layer: changing a layer's source makes Plotly re-add it, which MapLibre refuses.)
LAYER_ORDER = (
    "water",
    "roads-minor",
    "roads-major",
    "coverage",
    "gaps",
    "gaps-edge",
    "outline",
)


#: The minor roads are drawn from a township's zoom in (a district view is about 9.4 on a
#: 1,100 px wide map, a township 10.8-11.6): across the whole district they were a grey mesh
#: over the grids, and the largest source MapLibre cut into tiles on the first load.
MINOR_ROADS_MINZOOM = 10.2

#: Fill opacity of the coverage and its gaps over the main map's grids.
COVERAGE_OPACITY = 0.22
GAPS_OPACITY = 0.1


def layer_index(name: str, has_tiles: bool) -> int:
    """Return the index of the basemap layer ``name`` (a tile layer, when set, comes first)."""
    return LAYER_ORDER.index(name) + (1 if has_tiles else 0)


def map_style() -> str:
    """Return the built-in blank style, which loads nothing.

    A style dict makes Plotly re-add its sources on every update, which MapLibre refuses. No
    glyphs: text drawn by the map would fetch fonts from the internet.
    """
    return "white-bg"


def tile_layer(tile_url: str) -> dict:
    """Return a raster layer from a local tile server (``{z}/{x}/{y}`` URL template)."""
    return {
        "sourcetype": "raster",
        "source": [tile_url],
        "below": "traces",
        "sourceattribution": "",
    }


def basemap_layers(
    urls: dict[str, str],
    roads_visible: bool,
    tile_url: str = "",
    coverage_visible: tuple[bool, bool] = (False, False),
) -> list:
    """Return the map layers in LAYER_ORDER: water and roads under the grids, lines above.

    Parameters
    ----------
    urls : dict
        GeoJSON URLs for ``water``, ``roads-minor``, ``roads-major``, ``coverage``, ``gaps``
        and ``outline``.
    roads_visible : bool
        Whether the road layers are shown.
    tile_url : str
        A local raster tile server, drawn first when set.
    coverage_visible : (bool, bool)
        Whether the 5-minute coverage and its gaps are shown.
    """
    tiles = [tile_layer(tile_url)] if tile_url else []
    coverage, gaps = coverage_layers(urls["coverage"], urls["gaps"], coverage_visible)
    # Over the grids the coverage is a light wash of one hue and the gaps mostly their edge:
    # two full fills over the choropleth mixed into mud (the wall and planner keep theirs).
    coverage["opacity"], gaps["opacity"] = COVERAGE_OPACITY, GAPS_OPACITY
    return tiles + [
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
            "minzoom": MINOR_ROADS_MINZOOM,
        },
        {
            "sourcetype": "geojson",
            "source": urls["roads-major"],
            "type": "line",
            "color": "#c98d4a",
            "line": {"width": 1.3},
            "visible": roads_visible,
        },
        coverage,
        gaps,
        # The gaps' own edge: a red line, so a gap reads as a drawn shape over a grey map
        # (a fill alone mixed with the choropleth's reds into one brown).
        {
            "sourcetype": "geojson",
            "source": urls["gaps"],
            "type": "line",
            "color": GAPS_COLOR,
            "line": {"width": 1.6},
            "visible": coverage_visible[1],
        },
        {
            "sourcetype": "geojson",
            "source": urls["outline"],
            "type": "line",
            "color": "#303030",
            "line": {"width": 2.2},
        },
    ]


#: Map layer -> the layer checklist value that shows it.
LAYER_TOGGLES = {
    "roads-minor": "roads",
    "roads-major": "roads",
    "coverage": "coverage",
    "gaps": "gaps",
    "gaps-edge": "gaps",
}


def toggled_layers(shown: list[str] | None, has_tiles: bool) -> dict[int, bool]:
    """Return the visibility of each toggled basemap layer by index, for the checked ``shown``.

    Parameters
    ----------
    shown : list of str or None
        The checked values of the layer checklist (``roads``, ``coverage``, ``gaps``, ...).
    has_tiles : bool
        Whether a tile layer comes first (it shifts every index by one).

    Returns
    -------
    dict
        Layer index -> visible.
    """
    checked = set(shown or [])
    return {
        layer_index(name, has_tiles): toggle in checked for name, toggle in LAYER_TOGGLES.items()
    }
