"""The wall's map: dark ground, township outlines, incident heat, coverage; geometry by URL.

Trace and layer positions are fixed, so a refresh patches ``data.<HEAT_TRACE>`` only and the
URL settings switch ``visible`` flags: nothing re-sends geometry.
"""

from __future__ import annotations

from layers.basemap import map_style
from layers.coverage_layer import coverage_layers

TOWNSHIP_TRACE, HEAT_TRACE, POSTS_TRACE, OVERDUE_TRACE = 0, 1, 2, 3
#: Map layers, in order (indexes used by patches).
LAYER_ORDER = ("ground", "water", "roads-major", "coverage", "gaps", "outline")

GROUND_COLOR = "#07111d"
OUTLINE_COLOR = "#7fb8ff"
TOWNSHIP_LINE = "rgba(127, 184, 255, 0.45)"
#: Transparent at zero, then ember to white-hot: reads on the dark ground from far away.
HEAT_COLORSCALE = [
    [0.0, "rgba(255, 94, 0, 0)"],
    [0.08, "rgba(255, 94, 0, 0.55)"],
    [0.35, "rgba(255, 130, 20, 0.85)"],
    [0.75, "rgba(255, 205, 60, 0.92)"],
    [1.0, "rgba(255, 250, 225, 1)"],
]
HEAT_RADIUS = 20
POST_COLOR = "#4fc3f7"
OVERDUE_COLOR = "#ff4d4f"

#: A box around the world: the blank style is white, the wall is dark. (An inline source of
#: five points; a style dict instead would make Plotly re-add its sources on every update.)
_GROUND = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[-180, -85], [180, -85], [180, 85], [-180, 85], [-180, -85]]],
            },
        }
    ],
}


def township_trace(
    grid_url: str,
    keys: list[str],
    names: list[str],
    points: list,
    short: list[str] | None = None,
    priority: list[float] | None = None,
) -> dict:
    """Return the named grids (townships), outlined and lightly filled.

    Their names are drawn as HTML labels by ``assets/wall_map.js`` from ``text`` (names),
    ``customdata`` (label points) and ``meta`` (``short`` names and label ``priority``).
    """
    return {
        "type": "choroplethmap",
        "name": "townships",
        "geojson": grid_url,
        "featureidkey": "id",
        "locations": keys,
        "z": [1] * len(keys),
        "zmin": 0,
        "zmax": 1,
        "text": names,
        "customdata": points,
        "meta": {"short": short or names, "priority": priority or [0] * len(names)},
        "colorscale": [[0, "rgba(90, 150, 230, 0.07)"], [1, "rgba(90, 150, 230, 0.07)"]],
        "showscale": False,
        "hoverinfo": "skip",
        "marker": {"line": {"width": 1.2, "color": TOWNSHIP_LINE}},
    }


def heat_values(density: dict) -> dict:
    """Return the heat trace's changing properties from a density (``lon``, ``lat``, ``count``).

    The colour scale tops out at the 98th percentile of the bins, so one busy market square
    does not leave every other bin dark.
    """
    counts = sorted(density["count"])
    top = counts[min(len(counts) - 1, int(0.98 * len(counts)))] if counts else 1
    return {
        "lon": density["lon"],
        "lat": density["lat"],
        "z": density["count"],
        "zmin": 0,
        "zmax": max(int(top), 1),
    }


def heat_trace(density: dict, visible: bool) -> dict:
    """Return the Densitymap of the binned incidents."""
    return {
        "type": "densitymap",
        "name": "heat",
        **heat_values(density),
        "radius": HEAT_RADIUS,
        "colorscale": HEAT_COLORSCALE,
        "showscale": False,
        "hoverinfo": "skip",
        "visible": visible,
    }


def posts_trace(posts: list[dict], visible: bool) -> dict:
    """Return the police posts as small cyan dots."""
    return {
        "type": "scattermap",
        "name": "posts",
        "mode": "markers",
        "lon": [p["lon"] for p in posts],
        "lat": [p["lat"] for p in posts],
        "marker": {"size": 7, "color": POST_COLOR, "opacity": 0.9},
        "hoverinfo": "skip",
        "showlegend": False,
        "visible": visible,
    }


def overdue_trace(lon: list[float], lat: list[float]) -> dict:
    """Return the overdue cases as red rings (a marker trace: no text, so no glyphs)."""
    return {
        "type": "scattermap",
        "name": "overdue",
        "mode": "markers",
        "lon": lon,
        "lat": lat,
        "marker": {"size": 13, "color": OVERDUE_COLOR, "opacity": 0.85},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def map_layers(urls: dict[str, str], layers: tuple[str, ...]) -> list[dict]:
    """Return the map layers in :data:`LAYER_ORDER` (coverage and gaps as ``layers`` says)."""
    return [
        {
            "sourcetype": "geojson",
            "source": _GROUND,
            "type": "fill",
            "color": GROUND_COLOR,
            "below": "traces",
        },
        {
            "sourcetype": "geojson",
            "source": urls["water"],
            "type": "fill",
            "color": "#12365a",
            "below": "traces",
        },
        {
            "sourcetype": "geojson",
            "source": urls["roads-major"],
            "type": "line",
            "color": "#2c4258",
            "line": {"width": 1.2},
            "below": "traces",
        },
        *coverage_layers(urls["coverage"], urls["gaps"], ("coverage" in layers, "gaps" in layers)),
        {
            "sourcetype": "geojson",
            "source": urls["outline"],
            "type": "line",
            "color": OUTLINE_COLOR,
            "line": {"width": 3},
        },
    ]


def visibility_changes(layers: tuple[str, ...]) -> dict[str, bool]:
    """Return ``{path: visible}`` switching the optional layers as ``layers`` says."""
    cover, gaps = LAYER_ORDER.index("coverage"), LAYER_ORDER.index("gaps")
    return {
        f"data.{HEAT_TRACE}.visible": "heat" in layers,
        f"data.{POSTS_TRACE}.visible": "posts" in layers,
        f"layout.map.layers.{cover}.visible": "coverage" in layers,
        f"layout.map.layers.{gaps}.visible": "gaps" in layers,
    }


def wall_figure(
    townships: dict,
    density: dict,
    posts: list[dict],
    urls: dict[str, str],
    center: tuple[float, float],
    zoom: float,
    layers: tuple[str, ...],
) -> dict:
    """Return the whole wall map.

    Parameters
    ----------
    townships : dict
        Keyword arguments of :func:`township_trace`.
    density : dict
        ``lon``, ``lat``, ``count`` of the binned incidents.
    posts : list of dict
        Police posts (``lon``, ``lat``).
    urls : dict
        GeoJSON URLs: ``water``, ``roads-major``, ``coverage``, ``gaps``, ``outline``.
    center, zoom
        The initial view (the whole district).
    layers : tuple of str
        Optional layers shown: ``heat``, ``coverage``, ``gaps``, ``posts``.
    """
    return {
        "data": [
            township_trace(**townships),
            heat_trace(density, "heat" in layers),
            posts_trace(posts, "posts" in layers),
            overdue_trace([], []),
        ],
        "layout": {
            "map": {
                "style": map_style(),
                "center": {"lon": center[0], "lat": center[1]},
                "zoom": zoom,
                "layers": map_layers(urls, layers),
            },
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "paper_bgcolor": GROUND_COLOR,
            "plot_bgcolor": GROUND_COLOR,
            "showlegend": False,
            "dragmode": False,
            # The tour moves the map as a user would; a constant revision keeps its view when
            # a refresh patches the heat.
            "uirevision": "wall",
        },
    }
