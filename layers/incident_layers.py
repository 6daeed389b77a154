"""Incident overlays: a heatmap of binned counts and single incidents as points."""

from __future__ import annotations

import math

from gridmap.i18n import t
from gridmap.incidents.density import Density
from gridmap.incidents.views import category_label

STATUS_COLORS = {
    "reported": "#d6453d",
    "dispatched": "#f08c00",
    "resolved": "#2e9d5b",
    "closed": "#7a8794",
}
HEAT_SCALE = [
    [0, "rgba(255,255,178,0)"],
    [0.2, "rgba(254,204,92,0.55)"],
    [0.5, "rgba(253,141,60,0.75)"],
    [0.8, "rgba(240,59,32,0.85)"],
    [1, "rgba(189,0,38,0.9)"],
]


def heat_radius(cell_deg: float, zoom: float) -> int:
    """Return a Densitymap radius (px) about 1.6 bins wide at ``zoom`` (3-40 px)."""
    pixels = cell_deg / 360.0 * 512 * 2**zoom
    return int(max(3, min(40, math.ceil(1.6 * pixels))))


def heat_trace(density: Density, zoom: float, visible: bool) -> dict:
    """Return a Densitymap trace of binned counts (weights), hover off."""
    return {
        "type": "densitymap",
        "name": "heat",
        "lon": density.lon,
        "lat": density.lat,
        "z": density.count,
        "radius": heat_radius(density.cell_deg, zoom),
        "colorscale": HEAT_SCALE,
        "showscale": False,
        "hoverinfo": "skip",
        "visible": visible,
    }


def points_trace(rows: list[dict], lang: str, visible: bool) -> dict:
    """Return single incidents as points coloured by status; customdata is the incident id."""
    hover = [
        f"<b>{category_label(r['category'], lang)}</b><br>{t('status-' + r['status'], lang)}"
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
