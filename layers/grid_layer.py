"""The grid choropleth: geometry by URL, colours and hover from a MapView."""

from __future__ import annotations

from gridmap.views.map_view import MapView
from layers.overlay_style import COLORSCALE, grid_style

__all__ = ["COLORSCALE", "colorbar_format", "grid_changes", "grid_trace"]

#: Pixels above and below the colour bar: the map's toolbar (Plotly's modebar) stands in the
#: top right corner, where the bar's title would be.
COLORBAR_YPAD = 40


def _line_width(count: int) -> float:
    """Thinner grid borders when thousands of grids are drawn at once."""
    return 0.6 if count <= 500 else 0.25


def colorbar_format(value_format: str) -> str:
    """Return the colour bar's tick format: plain grouped numbers, never SI prefixes.

    ``~s`` wrote 0.2 as "200m" (read as metres); ``,~r`` writes 0.2, 800 and 7,000.
    """
    return value_format if value_format != "," else ",~r"


def grid_trace(view: MapView, geojson_url: str, layers: list[str] | None = None) -> dict:
    """Return the Choroplethmap trace drawing ``view``'s grids from ``geojson_url``.

    ``layers`` (the checked layer values) decide its palette and opacity
    (:func:`layers.overlay_style.grid_style`).
    """
    style = grid_style(layers)
    return {
        "type": "choroplethmap",
        "name": "grids",
        "geojson": geojson_url,
        "featureidkey": "id",
        "locations": view.keys,
        "z": view.values,
        "text": view.hover,
        "customdata": view.points,
        "hovertemplate": "%{text}<br>"
        + view.metric_label
        + ": %{z:"
        + view.value_format
        + "}<extra></extra>",
        "colorscale": style["colorscale"],
        "reversescale": style["reversescale"],
        "zmin": view.zrange[0] if view.zrange else None,
        "zmax": view.zrange[1] if view.zrange else None,
        "marker": {
            "opacity": style["marker.opacity"],
            "line": {"width": _line_width(len(view.ids)), "color": "#4a4a4a"},
        },
        "colorbar": {
            "title": {"text": view.metric_label, "font": {"size": 11}},
            "tickformat": colorbar_format(view.value_format),
            "thickness": 12,
            "len": 0.55,
            "x": 0.995,
            "xanchor": "right",
            "y": 1,
            "yanchor": "top",
            "ypad": COLORBAR_YPAD,
            "bgcolor": "rgba(255,255,255,0.8)",
        },
    }


def grid_changes(view: MapView, geojson_url: str) -> dict[str, object]:
    """Return the trace properties that change between views (for a partial update)."""
    trace = grid_trace(view, geojson_url)
    keys = ("geojson", "locations", "z", "zmin", "zmax", "text", "customdata", "hovertemplate")
    changes: dict[str, object] = {k: trace[k] for k in keys}
    changes["marker.line.width"] = trace["marker"]["line"]["width"]
    changes["colorbar.title.text"] = view.metric_label
    changes["colorbar.tickformat"] = trace["colorbar"]["tickformat"]
    return changes
