"""What the map shows for a navigation state: which grids, their values, the viewport."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gridmap.access.roles import Scope
from gridmap.grids.district import Bounds, District
from gridmap.grids.metrics import FALLBACK_METRIC, is_share, metric_values, missing_fields
from gridmap.i18n import name_of, t
from gridmap.views.url_state import NavState

#: The map's size in pixels that views are fitted to (the dashboard's map panel at 1080p).
VIEWPORT_PX = (900, 640)
#: Share of the viewport the fitted box may fill.
FIT_PADDING = 0.9
#: Pixels of the dashboard map kept clear of the grids when a view is fitted: (left, top,
#: right, bottom). The colour bar stands at the right edge (bar, ticks and title), the hint
#: line at the top left; a view fitted to the whole panel would run under them.
MAP_MARGINS_PX = (8, 26, 104, 8)


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
    #: Why the map shows another metric than the one asked (empty: it shows that one).
    note: str = ""


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


def _merc_y(lat: float) -> float:
    """Return the web-mercator y of ``lat`` as a share of the world (north positive)."""
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)


def _lat_of(merc_y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(merc_y * 2 * math.pi)) - math.pi / 2)


def fit_zoom(
    bounds: Bounds,
    size_px: tuple[int, int] = VIEWPORT_PX,
    margins_px: tuple[int, int, int, int] = (0, 0, 0, 0),
) -> float:
    """Return the largest web-mercator zoom at which ``bounds`` fits in ``size_px``.

    ``margins_px`` (left, top, right, bottom) are kept clear of the box.
    """
    left, top, right, bottom = margins_px
    width = max(size_px[0] - left - right, 1)
    height = max(size_px[1] - top - bottom, 1)
    fx = max((bounds.east - bounds.west) / 360.0, 1e-9)
    fy = max(_merc_y(bounds.north) - _merc_y(bounds.south), 1e-9)
    # MapLibre's world is 512 px wide at zoom 0.
    zoom = math.log2(min(width * FIT_PADDING / (512 * fx), height * FIT_PADDING / (512 * fy)))
    return round(max(0.0, min(zoom, 18.0)), 2)


def fit_center(
    bounds: Bounds, zoom: float, margins_px: tuple[int, int, int, int] = (0, 0, 0, 0)
) -> tuple[float, float]:
    """Return the map centre that puts ``bounds`` in the middle of the area inside the margins.

    A wider right margin (the colour bar) moves the centre east, so the box sits left of it.
    """
    left, top, right, bottom = margins_px
    world = 512 * 2**zoom
    cx = (bounds.west + bounds.east) / 2 + (right - left) / 2 / world * 360.0
    cy = (_merc_y(bounds.north) + _merc_y(bounds.south)) / 2 + (top - bottom) / 2 / world
    return (round(cx, 6), round(_lat_of(cy), 6))


def in_scope(district: District, scope: Scope | None, grid_id: str) -> bool:
    """Return whether ``grid_id`` is a grid of ``district`` inside ``scope`` (None: all)."""
    if grid_id not in district:
        return False
    return scope is None or scope.contains(district.chain(grid_id))


def home_grid(district: District, scope: Scope | None) -> str:
    """Return the grid a reader's map opens on.

    The district for the whole-district scope; else the first root of the scope that the
    district knows (the others are reached by search and breadcrumb), or the district itself
    when none is known (then nothing is inside the scope).
    """
    if scope is None or scope.is_all:
        return district.root_id
    return next((r for r in scope.roots or () if r in district), district.root_id)


def scoped_state(district: District, state: NavState, scope: Scope | None) -> tuple[NavState, bool]:
    """Return (the state to draw, whether the asked grid lies inside ``scope``).

    No grid (or an unknown one) means the reader's home grid. A grid outside the scope is never
    drawn: the state becomes the home grid, drilling, and the flag is False (the explained empty
    state). ``scope`` None is the whole district.
    """
    home = home_grid(district, scope)
    grid = state.grid if state.grid in district else home
    if in_scope(district, scope, grid):
        return NavState(grid=grid, view=state.view), True
    return NavState(grid=home, view="drill"), False


def shown_grids(
    district: District, state: NavState, scope: Scope | None = None
) -> tuple[str, list[str]]:
    """Return (the selected grid, the grids drawn) for ``state``.

    Drilling shows the selected grid's children, or its siblings when it has none (a level-5
    grid); a whole-level view shows every grid of that level. Only grids inside ``scope`` (None:
    the whole district) are drawn; a selection outside it is the reader's home grid.
    """
    state, _ = scoped_state(district, state, scope)
    selected = state.grid
    if state.whole_level:
        shown = district.level_ids(state.whole_level)
    elif children := district.children(selected):
        shown = children
    else:
        parent = district.parent(selected)
        shown = district.children(parent) if parent else [selected]
    if scope is not None and not scope.is_all:
        shown = [g for g in shown if scope.contains(district.chain(g))]
    return selected, shown


def focus_grid(district: District, state: NavState, scope: Scope | None = None) -> str:
    """Return the grid the map is fitted to.

    In a whole-level view the district (or the reader's only root); else the selected grid, or
    its parent when it has no children (a level-5 grid shown among its siblings), as long as
    that parent lies inside ``scope``.
    """
    state, _ = scoped_state(district, state, scope)
    selected = state.grid
    if state.whole_level:
        roots = None if scope is None else scope.roots
        if roots is not None and len(roots) == 1 and roots[0] in district:
            return roots[0]
        return district.root_id
    if district.children(selected):
        return selected
    parent = district.parent(selected)
    return parent if parent and in_scope(district, scope, parent) else selected


def build_view(
    district: District,
    state: NavState,
    metric: str,
    lang: str,
    size_px: tuple[int, int] = VIEWPORT_PX,
    values: list[float | None] | None = None,
    scope: Scope | None = None,
) -> MapView:
    """Return the map view for a navigation state, a metric, a language and a map size.

    ``values`` gives the metric for every shown grid when it does not come from the district's
    own figures (coverage, incidents); see :func:`shown_grids` for their order. ``scope``
    (None: the whole district) limits the grids drawn and the selection to the reader's.
    A metric whose field the district lacks (density without population) is drawn as
    :data:`~gridmap.grids.metrics.FALLBACK_METRIC`, with the reason in ``note`` and the label.

    In a whole-level view the hover shows grid ids, not names, and there are no label points:
    names for 6,438 grids would make the update large. Drilling shows names and labels.
    """
    selected, ids = shown_grids(district, state, scope)
    if values is None and not missing_fields(district, metric):
        values = metric_values(district, metric, ids)
    note = ""
    asked = metric
    # Plotly draws no polygon whose value is null: with every value unknown because the data
    # lacks a field (density in a district without population) the map could not be clicked.
    # Colour by area and say why.
    missing = missing_fields(district, metric)
    if ids and missing and (values is None or all(v is None for v in values)):
        metric = FALLBACK_METRIC
        values = metric_values(district, metric, ids)
        note = t(
            "metric-fallback-note",
            lang,
            metric=t(f"metric-{asked}", lang),
            field=t(f"field-{missing[0]}", lang),
            shown=t(f"metric-{metric}", lang),
        )
    elif values is None:
        values = []
    if state.whole_level:
        hover, points = list(ids), []
    else:
        hover = [name_of(district.record(g), lang) for g in ids]
        points = [list(district.label_points[g]) for g in ids]
    box = district.bounds(focus_grid(district, state, scope))
    level = district.level_of(ids[0]) if ids else 1
    zoom = fit_zoom(box, size_px, MAP_MARGINS_PX)
    return MapView(
        level=level,
        ids=ids,
        keys=[district.key_of[g] for g in ids],
        values=values,
        hover=hover,
        points=points,
        selected=selected,
        center=fit_center(box, zoom, MAP_MARGINS_PX),
        zoom=zoom,
        metric=metric,
        metric_label=t(f"metric-{metric}", lang) + (f" · {note}" if note else ""),
        zrange=(0.0, 1.0) if is_share(metric) else robust_range(values),
        value_format=".0%" if is_share(metric) else ",",
        note=note,
    )
