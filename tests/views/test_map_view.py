"""Pure functions of gridmap/views/map_view.py, on the tiny district."""

from __future__ import annotations

import math

import pytest

from gridmap.access.roles import Scope
from gridmap.grids.district import Bounds, load_district
from gridmap.views.map_view import (
    FIT_PADDING,
    MAP_MARGINS_PX,
    VIEWPORT_PX,
    build_view,
    fit_center,
    fit_zoom,
    focus_grid,
    home_grid,
    scoped_state,
    shown_grids,
)
from gridmap.views.url_state import NavState


@pytest.fixture(scope="module")
def district(tiny_dir):
    return load_district(tiny_dir)


def _merc_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)


def _extent_px(bounds: Bounds, zoom: float) -> tuple[float, float]:
    """Return the box's (width, height) in pixels at ``zoom`` (512-px world at zoom 0)."""
    world = 512 * 2**zoom
    return (
        world * (bounds.east - bounds.west) / 360,
        world * (_merc_y(bounds.north) - _merc_y(bounds.south)),
    )


@pytest.mark.parametrize(
    "bounds",
    [
        Bounds(114.80, 33.70, 114.88, 33.78),  # the tiny district
        Bounds(114.80, 33.70, 114.84, 33.78),  # tall
        Bounds(114.60, 33.70, 115.20, 33.75),  # wide
        Bounds(114.8, 33.7, 114.81, 33.701),  # a street
    ],
)
@pytest.mark.parametrize("size", [VIEWPORT_PX, (300, 200), (1600, 400)])
def test_fit_zoom_fits_and_is_the_largest(bounds, size):
    zoom = fit_zoom(bounds, size)
    width, height = _extent_px(bounds, zoom)
    assert width <= size[0] and height <= size[1]
    # A little closer and the box no longer fits in the padded viewport.
    wider, taller = _extent_px(bounds, zoom + 0.05)
    assert wider > size[0] * FIT_PADDING or taller > size[1] * FIT_PADDING


def test_bigger_box_gives_smaller_zoom():
    small = Bounds(114.80, 33.70, 114.84, 33.74)
    big = Bounds(114.70, 33.60, 114.94, 33.84)
    assert fit_zoom(big) < fit_zoom(small)
    assert fit_zoom(small, (1800, 1280)) > fit_zoom(small)


def test_fit_zoom_is_clamped():
    assert fit_zoom(Bounds(1, 1, 1, 1)) == 18.0  # a point
    assert fit_zoom(Bounds(114.8, 33.7, 114.8005, 33.7005)) == 18.0
    assert fit_zoom(Bounds(-180, -80, 180, 80), (300, 200)) == 0.0  # the world in 300 px


@pytest.mark.parametrize(
    ("state", "selected", "shown"),
    [
        (NavState(), "T", ["T1", "T2"]),
        (NavState(grid="T"), "T", ["T1", "T2"]),
        (NavState(grid="T2"), "T2", ["T21", "T22"]),
        (NavState(grid="T212"), "T212", ["T2121", "T2122"]),
        (NavState(grid="T2122"), "T2122", ["T2121", "T2122"]),  # level 5: its siblings
        (NavState(grid="NOPE"), "T", ["T1", "T2"]),
        (NavState(view="level-3"), "T", ["T11", "T12", "T21", "T22"]),
        (NavState(grid="T2122", view="level-2"), "T2122", ["T1", "T2"]),
    ],
)
def test_shown_grids(district, state, selected, shown):
    assert shown_grids(district, state) == (selected, shown)


def test_shown_whole_level_5(district):
    _, shown = shown_grids(district, NavState(view="level-5"))
    assert shown == district.level_ids(5)
    assert len(shown) == 16


def test_build_view_drill_and_whole_level(district):
    view = build_view(district, NavState(grid="T1"), "population", "en")
    assert (view.level, view.ids, view.values) == (3, ["T11", "T12"], [1000, 2600])
    assert view.hover == ["Lizhuang Village 11", "Lizhuang Village 12"]
    assert len(view.points) == 2
    assert view.metric_label == "Population"
    assert view.center == pytest.approx(
        fit_center(district.bounds("T1"), view.zoom, MAP_MARGINS_PX)
    )
    assert view.center[0] > 114.82  # the box's centre, moved clear of the colour bar
    whole = build_view(district, NavState(view="level-4"), "density", "zh")
    assert whole.level == 4 and len(whole.ids) == 8
    assert whole.hover == whole.ids and whole.points == []
    assert whole.center == pytest.approx(
        fit_center(district.bounds("T"), whole.zoom, MAP_MARGINS_PX)
    )


# -- the reader's scope -------------------------------------------------------------------
T1 = Scope.of(["T1"])


def test_scoped_state_opens_on_the_home_grid(district):
    assert scoped_state(district, NavState(), None) == (NavState(grid="T"), True)
    assert scoped_state(district, NavState(), T1) == (NavState(grid="T1"), True)
    assert scoped_state(district, NavState(grid="T11", view="level-5"), T1) == (
        NavState(grid="T11", view="level-5"),
        True,
    )
    # Several roots: the first is home.
    assert home_grid(district, Scope.of(["T21", "T12"])) == "T12"
    assert home_grid(district, Scope.of(["gone", "T21"])) == "T21"


@pytest.mark.parametrize("grid", ["T2", "T21", "T2222", "T"])
def test_a_grid_outside_the_scope_is_never_drawn(district, grid):
    state, inside = scoped_state(district, NavState(grid=grid, view="level-5"), T1)
    assert (state, inside) == (NavState(grid="T1"), False)
    selected, shown = shown_grids(district, NavState(grid=grid), T1)
    assert selected == "T1" and shown == ["T11", "T12"]


def test_a_scope_of_nothing_draws_nothing(district):
    assert scoped_state(district, NavState(), Scope.of([])) == (NavState(grid="T"), False)
    assert shown_grids(district, NavState(), Scope.of(["gone"])) == ("T", [])
    view = build_view(district, NavState(), "population", "en", scope=Scope.of([]))
    assert view.ids == [] and view.values == []


def test_whole_level_views_show_only_the_readers_grids(district):
    _, shown = shown_grids(district, NavState(view="level-5"), T1)
    assert shown == [g for g in district.level_ids(5) if g.startswith("T1")] and len(shown) == 8
    _, shown = shown_grids(district, NavState(view="level-2"), T1)
    assert shown == ["T1"]
    _, shown = shown_grids(district, NavState(view="level-4"), Scope.of(["T12", "T21"]))
    assert shown == ["T121", "T122", "T211", "T212"]
    view = build_view(district, NavState(view="level-5"), "population", "en", scope=T1)
    assert view.ids == [g for g in district.level_ids(5) if g.startswith("T1")]
    # Fitted to the reader's grid, not the district.
    assert focus_grid(district, NavState(view="level-5"), T1) == "T1"
    assert focus_grid(district, NavState(view="level-5"), Scope.of(["T12", "T21"])) == "T"
    assert focus_grid(district, NavState(view="level-5")) == "T"


def test_a_level5_root_is_shown_alone(district):
    scope = Scope.of(["T1111"])
    assert shown_grids(district, NavState(), scope) == ("T1111", ["T1111"])
    assert focus_grid(district, NavState(), scope) == "T1111"


# -- a district without population ------------------------------------------------------------
@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    from tests.bare_district import write_bare_district

    return load_district(write_bare_district(tmp_path_factory.mktemp("bare") / "geo"))


@pytest.mark.parametrize("view", ["drill", "level-5"])
@pytest.mark.parametrize("metric", ["density", "population", "residents-per-staff"])
def test_a_metric_the_data_lacks_colours_by_area_and_says_so(bare, metric, view):
    state = NavState(grid=None if view != "drill" else "T11", view=view)
    shown = build_view(bare, state, metric, "zh")
    assert shown.values and all(v is not None and v > 0 for v in shown.values)
    assert shown.metric == "area"
    assert "无人口数据" in shown.note and "按面积（km²）着色" in shown.note
    assert shown.metric_label.startswith("面积（km²） · 无人口数据")
    low, high = shown.zrange
    assert 0 < low <= high  # a real range: never a colour bar from "400m" to "-400m"
    en = build_view(bare, state, metric, "en")
    assert en.note.startswith("no population in the data")


def test_only_a_lacking_field_falls_back(bare, district):
    state = NavState(grid="T1", view="drill")
    shown = build_view(bare, state, "coverage-population", "en", values=[None, None])
    assert shown.metric == "area" and shown.note.startswith("no population in the data")
    kept = build_view(district, state, "coverage-incidents", "en", values=[None, None])
    assert kept.metric == "coverage-incidents" and kept.values == [None, None]
    assert build_view(district, state, "density", "en").note == ""
    assert build_view(bare, state, "area", "en").note == ""


# -- the fitted viewport keeps clear of the colour bar (issue 12, item 8) ------------------
def _pixels(lon: float, lat: float, center: tuple[float, float], zoom: float, size):
    """Return (x, y) of (lon, lat) on a map of ``size`` px at ``center`` and ``zoom``."""
    import math

    def merc(la: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / (2 * math.pi)

    world = 512 * 2**zoom
    x = size[0] / 2 + (lon - center[0]) / 360.0 * world
    y = size[1] / 2 - (merc(lat) - merc(center[1])) * world
    return x, y


@pytest.mark.parametrize("size", [(1146, 804), (880, 520), (600, 900)])
def test_fitted_box_stays_inside_the_margins(size):
    from gridmap.grids.district import Bounds
    from gridmap.views.map_view import MAP_MARGINS_PX, fit_center, fit_zoom

    box = Bounds(114.6, 33.4, 115.1, 34.0)
    zoom = fit_zoom(box, size, MAP_MARGINS_PX)
    center = fit_center(box, zoom, MAP_MARGINS_PX)
    left, top, right, bottom = MAP_MARGINS_PX
    x0, y0 = _pixels(box.west, box.north, center, zoom, size)
    x1, y1 = _pixels(box.east, box.south, center, zoom, size)
    assert x0 >= left - 0.5 and x1 <= size[0] - right + 0.5
    assert y0 >= top - 0.5 and y1 <= size[1] - bottom + 0.5
    # The colour bar's side is wider: the centre moves east of the box's.
    assert center[0] > box.center[0]
    assert zoom <= fit_zoom(box, size)


def test_no_margins_keep_the_plain_centre():
    from gridmap.grids.district import Bounds
    from gridmap.views.map_view import fit_center

    box = Bounds(114.6, 33.4, 115.1, 34.0)
    lon, lat = fit_center(box, 9.0)
    assert lon == pytest.approx(box.center[0])
    assert lat == pytest.approx(box.center[1], abs=0.01)
