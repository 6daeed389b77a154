"""The report's map as a static SVG: district, townships, the area reached, the posts.

Drawn on the server from plain geometry (EPSG:4326), so the printed report needs no script, no
WebGL and no tile server: an equirectangular projection scaled by the cosine of the centre's
latitude (true to scale at this size), the district fitted to the width.
"""

from __future__ import annotations

import math

import shapely
from markupsafe import escape

#: Colours of the report map (the planner's: reached green, posts blue, new posts green).
REACHED, GAPS, POST, OFF, NEW = "#7bc47f", "#f4d9cf", "#1f4e9c", "#9aa3ad", "#12a150"


class _Frame:
    """Lon/lat to SVG pixels for a bounding box fitted into ``width``."""

    def __init__(self, bounds: tuple[float, float, float, float], width: float, pad: float):
        x0, y0, x1, y1 = bounds
        self.k = math.cos(math.radians((y0 + y1) / 2))
        self.x0, self.y1, self.pad = x0, y1, pad
        span = max((x1 - x0) * self.k, 1e-12)
        self.scale = (width - 2 * pad) / span
        self.width = width
        self.height = (y1 - y0) * self.scale + 2 * pad

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.pad + (lon - self.x0) * self.k * self.scale,
            self.pad + (self.y1 - lat) * self.scale,
        )

    def path(self, geom: shapely.Geometry) -> str:
        parts = []
        for poly in shapely.get_parts(geom):
            if shapely.get_type_id(poly) != 3:
                continue
            for ring in [poly.exterior, *poly.interiors]:
                pts = [self.xy(x, y) for x, y in ring.coords]
                if len(pts) >= 3:
                    parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
        return "".join(parts)


def report_svg(
    outline: shapely.Geometry,
    townships: list[shapely.Geometry],
    reached: shapely.Geometry,
    posts: list[tuple[float, float, bool]],
    new_posts: list[tuple[float, float]],
    *,
    title: str,
    width: float = 1000.0,
) -> str:
    """Return the map as an SVG element.

    Parameters
    ----------
    outline : shapely geometry
        The district (EPSG:4326).
    townships : list of shapely geometry
        Level-2 grids, drawn as thin boundaries.
    reached : shapely geometry
        The area reached within the limit.
    posts : list of (lon, lat, in_service)
        The existing posts.
    new_posts : list of (lon, lat)
        The scenario's new posts, numbered on the map in this order.
    title : str
        Accessible title of the image (escaped).
    width : float
        Width of the drawing in SVG units.
    """
    f = _Frame(outline.bounds, width, 12.0)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {f.width:.0f} {f.height:.0f}" '
        f'role="img" class="report-map-svg"><title>{escape(title)}</title>',
        f'<path d="{f.path(outline)}" fill="{GAPS}" stroke="none"/>',
        f'<path d="{f.path(reached)}" fill="{REACHED}" fill-rule="evenodd" stroke="none"/>',
    ]
    for geom in townships:
        out.append(f'<path d="{f.path(geom)}" fill="none" stroke="#8a8f96" stroke-width="0.8"/>')
    out.append(f'<path d="{f.path(outline)}" fill="none" stroke="#303030" stroke-width="2"/>')
    for lon, lat, active in posts:
        x, y = f.xy(lon, lat)
        colour = POST if active else OFF
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}" stroke="#fff"/>')
    for n, (lon, lat) in enumerate(new_posts, start=1):
        x, y = f.xy(lon, lat)
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="{NEW}" stroke="#fff" stroke-width="2"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" '
            f'font-weight="700" fill="#fff">{n}</text>'
        )
    out.append("</svg>")
    return "".join(out)
