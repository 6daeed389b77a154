"""What the map shows for a navigation state: which grids, their values, the viewport."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gridmap.grids.district import Bounds, District
from gridmap.grids.metrics import is_share, metric_values
from gridmap.i18n import name_of, t
from gridmap.views.url_state import NavState

#: The map's size in pixels that views are fitted to (the dashboard's map panel at 1080p).
VIEWPORT_PX = (900, 640)
#: Share of the viewport the fitted box may fill.
FIT_PADDING = 0.9


@dataclass(frozen=True)
class MapView:
    """Everything the grid layer and viewport need, as plain data."""

    level: int
    ids: list[str]
    keys: list[str]
    values: list[float | None]
    hover: list[str]
    points: list[list[float]]
    selected: str
    center: tuple[float, float]
    zoom: float
    metric: str
    metric_label: str
    zrange: tuple[float, float] | None
    value_format: str = ","


def robust_range(values: list[float | None]) -> tuple[float, float] | None:
    """Return the 2nd-98th percentile range of ``values`` (None when there are none).

    So one dense town grid does not wash out every other colour.
    """
    finite = np.array([v for v in values if v is not None], dtype=float)
    if finite.size == 0:
        return None
    low, high = (
        np.percentile(finite, [2, 98]) if finite.size >= 10 else (finite.min(), finite.max())
    )
    return (float(low), float(high if high > low else low + 1))


def fit_zoom(bounds: Bounds, size_px: tuple[int, int] = VIEWPORT_PX) -> float:
    """Return the largest web-mercator zoom at which ``bounds`` fits in ``size_px``."""
    width, height = size_px

    def merc_y(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)

    fx = max((bounds.east - bounds.west) / 360.0, 1e-9)
    fy = max(merc_y(bounds.north) - merc_y(bounds.south), 1e-9)
    # MapLibre's world is 512 px wide at zoom 0.
    zoom = math.log2(min(width * FIT_PADDING / (512 * fx), height * FIT_PADDING / (512 * fy)))
    return round(max(0.0, min(zoom, 18.0)), 2)


def shown_grids(district: District, state: NavState) -> tuple[str, list[str]]:
    """Return (the selected grid, the grids drawn) for ``state``.

    Drilling shows the selected grid's children, or its siblings when it has none (a level-5
    grid); a whole-level view shows every grid of that level.
    """
    selected = state.grid if state.grid in district else district.root_id
    if state.whole_level:
        return selected, district.level_ids(state.whole_level)
    children = district.children(selected)
    if children:
        return selected, children
    parent = district.parent(selected)
    return selected, district.children(parent) if parent else [selected]


def focus_grid(district: District, state: NavState) -> str:
    """Return the grid the map is fitted to.

    The district in a whole-level view; else the selected grid, or its parent when it has no
    children (a level-5 grid shown among its siblings).
    """
    selected = state.grid if state.grid in district else district.root_id
    if state.whole_level:
        return district.root_id
    if district.children(selected):
        return selected
    return district.parent(selected) or selected


def build_view(
    district: District,
    state: NavState,
    metric: str,
    lang: str,
    size_px: tuple[int, int] = VIEWPORT_PX,
    values: list[float | None] | None = None,
) -> MapView:
    """Return the map view for a navigation state, a metric, a language and a map size.

    ``values`` gives the metric for every shown grid when it does not come from the district's
    own figures (coverage, incidents); see :func:`shown_grids` for their order.

    In a whole-level view the hover shows grid ids, not names, and there are no label points:
    names for 6,438 grids would make the update large. Drilling shows names and labels.
    """
    selected, ids = shown_grids(district, state)
    if values is None:
        values = metric_values(district, metric, ids)
    if state.whole_level:
        hover, points = list(ids), []
    else:
        hover = [name_of(district.record(g), lang) for g in ids]
        points = [list(district.label_points[g]) for g in ids]
    box = district.bounds(focus_grid(district, state))
    level = district.level_of(ids[0]) if ids else 1
    return MapView(
        level=level,
        ids=ids,
        keys=[district.key_of[g] for g in ids],
        values=values,
        hover=hover,
        points=points,
        selected=selected,
        center=box.center,
        zoom=fit_zoom(box, size_px),
        metric=metric,
        metric_label=t(f"metric-{metric}", lang),
        zrange=(0.0, 1.0) if is_share(metric) else robust_range(values),
        value_format=".0%" if is_share(metric) else ",",
    )
