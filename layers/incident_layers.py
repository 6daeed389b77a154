"""Incident overlays: a heatmap of binned counts and single incidents as points."""

from __future__ import annotations

import math

from gridmap.i18n import t
from gridmap.incidents.categories import DEFAULTS, Categories
from gridmap.incidents.density import Density
from gridmap.incidents.views import category_label

STATUS_COLORS = {
    "reported": "#d6453d",
    "dispatched": "#f08c00",
    "resolved": "#2e9d5b",
    "closed": "#7a8794",
}
#: The heat's own palette, cyan to violet: apart from the choropleth's yellow-to-red, so
#: hot spots read on top of it at every level.
HEAT_SCALE = [
    [0, "rgba(0,188,212,0)"],
    [0.2, "rgba(0,188,212,0.3)"],
    [0.45, "rgba(41,98,255,0.6)"],
    [0.7, "rgba(98,0,234,0.8)"],
    [1, "rgba(170,0,255,0.95)"],
]
#: The heat's hottest colour is reached at this quantile of the bins (a few very hot bins
#: would otherwise leave the rest transparent).
HEAT_TOP_QUANTILE = 0.9
MIN_RADIUS_PX = 10


def heat_radius(cell_deg: float, zoom: float) -> int:
    """Return a Densitymap radius (px) about 2.5 bins wide at ``zoom`` (10-40 px)."""
    pixels = cell_deg / 360.0 * 512 * 2**zoom
    return int(max(MIN_RADIUS_PX, min(40, math.ceil(2.5 * pixels))))


def heat_top(counts: list[float]) -> float:
    """Return the count drawn in the hottest colour: the bins' 90th percentile (at least 1)."""
    if not counts:
        return 1.0
    ordered = sorted(counts)
    return float(max(1.0, ordered[min(len(ordered) - 1, int(HEAT_TOP_QUANTILE * len(ordered)))]))


def heat_trace(density: Density, zoom: float, visible: bool) -> dict:
    """Return a Densitymap trace of binned counts (weights), hover off."""
    return {
        "type": "densitymap",
        "name": "heat",
        "lon": density.lon,
        "lat": density.lat,
        "z": density.count,
        "radius": heat_radius(density.cell_deg, zoom),
        "zmin": 0,
        "zmax": heat_top(list(density.count)),
        "colorscale": HEAT_SCALE,
        "showscale": False,
        "hoverinfo": "skip",
        "visible": visible,
    }


def points_trace(
    rows: list[dict], lang: str, visible: bool, categories: Categories = DEFAULTS
) -> dict:
    """Return single incidents as points coloured by status; customdata is the incident id.

    The hover names each category as the district's ``categories`` do.
    """
    hover = [
        f"<b>{category_label(r['category'], lang, categories)}</b>"
        f"<br>{t('status-' + r['status'], lang)}"
        f" · {r['reported_at']:%Y-%m-%d %H:%M}"
        for r in rows
    ]
    return {
        "type": "scattermap",
        "name": "incidents",
        "mode": "markers",
        "lon": [r["lon"] for r in rows],
        "lat": [r["lat"] for r in rows],
        "customdata": [r["id"] for r in rows],
        "text": hover,
        "hovertemplate": "%{text}<extra></extra>",
        "marker": {"size": 8, "color": [STATUS_COLORS.get(r["status"], "#444") for r in rows]},
        "visible": visible,
        "showlegend": False,
    }
