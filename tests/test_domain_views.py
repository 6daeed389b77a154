"""Pure functions behind the map: viewport fitting, shown grids, URL state, search, metrics,
summaries and display geometry, on the tiny district."""

from __future__ import annotations

import gzip
import json
import math

import pytest
import shapely

from gridmap.grids import display_geometry
from gridmap.grids.district import Bounds, load_district
from gridmap.grids.metrics import METRICS, metric_values
from gridmap.grids.search import GridSearch, normalise
from gridmap.grids.summary import grid_summary
from gridmap.views import url_state
from gridmap.views.map_view import FIT_PADDING, VIEWPORT_PX, build_view, fit_zoom, shown_grids
from gridmap.views.url_state import NavState


@pytest.fixture(scope="module")
def district(tiny_dir):
    return load_district(tiny_dir)


# -- map_view -------------------------------------------------------------------------------
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
    assert view.center == pytest.approx((114.82, 33.74))
    whole = build_view(district, NavState(view="level-4"), "density", "zh")
    assert whole.level == 4 and len(whole.ids) == 8
    assert whole.hover == whole.ids and whole.points == []
    assert whole.center == pytest.approx((114.84, 33.74))


# -- url_state ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("state", "query"),
    [
        (NavState(), ""),
        (NavState(grid="T1"), "?grid=T1"),
        (NavState(view="level-5"), "?view=level-5"),
        (NavState(grid="T11", view="level-3"), "?grid=T11&view=level-3"),
        (NavState(grid="4116 01&x"), "?grid=4116+01%26x"),
    ],
)
def test_url_state_round_trip(state, query):
    assert url_state.format_query(state) == query
    assert url_state.parse(query) == state
    assert url_state.parse(query.lstrip("?")) == state


@pytest.mark.parametrize(
    ("search", "state"),
    [
        (None, NavState()),
        ("?", NavState()),
        ("?grid=", NavState()),
        ("?view=level-1", NavState()),  # level 1 is the district: not a whole-level view
        ("?view=bogus&grid=T2", NavState(grid="T2")),
        ("?grid=T2&grid=T1", NavState(grid="T2")),
        ("?x=1&view=level-2", NavState(view="level-2")),
    ],
)
def test_url_state_parse_tolerates_odd_queries(search, state):
    assert url_state.parse(search) == state


def test_whole_level_property():
    assert NavState().whole_level is None
    assert NavState(view="level-4").whole_level == 4
    assert url_state.VIEWS == ("drill", "level-2", "level-3", "level-4", "level-5")


# -- grid_search ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def index(district):
    return GridSearch(district)


def test_search_exact_id_first(index):
    found = index.find("T12")
    assert found[0] == "T12"
    assert found[1:] == ["T121", "T122", "T1211", "T1212", "T1221", "T1222"]


def test_search_names_rank_before_contains(index):
    # "dong" starts Dong Town names (rank 1); higher levels first.
    assert index.find("dong") == ["T1", "T2"]
    # "zhen" only appears inside "dongzhen": still found.
    assert index.find("zhen") == ["T1", "T2"]
    # Chinese name prefix: the township before the villages named after nothing else.
    assert index.find("李庄村2")[:2] == ["T21", "T22"]


def test_search_limit_and_empty(index):
    assert len(index.find("wang ge")) == 20
    assert index.find("wangge", limit=3) == index.find("wang ge")[:3]
    assert index.find("") == []
    assert index.find(" - ") == []
    assert index.find("nothing-like-it") == []


@pytest.mark.parametrize(
    ("text", "expected"), [("Liu Hu", "liuhu"), ("li-zhuang_cun", "lizhuangcun"), ("东 镇", "东镇")]
)
def test_normalise(text, expected):
    assert normalise(text) == expected


# -- grid_metrics ---------------------------------------------------------------------------
def test_unknown_metric(district):
    with pytest.raises(KeyError, match=r"unknown metric 'crime'; known: \['area', "):
        metric_values(district, "crime", ["T"])


def test_metric_values(district):
    assert metric_values(district, "population", ["T1", "T2"]) == [3600, 10000]
    assert metric_values(district, "staff", ["T", "T2222"]) == [16, 1]
    assert metric_values(district, "posts", ["T", "T1", "T2", "T12"]) == [3, 1, 2, 0]
    assert metric_values(district, "residents-per-staff", ["T1"]) == [3600 / 8]
    density, area = (metric_values(district, m, ["T11"])[0] for m in ("density", "area"))
    assert density == pytest.approx(1000 / area, rel=1e-3)
    for metric in METRICS:
        assert len(metric_values(district, metric, district.level_ids(5))) == 16


# -- grid_summary ---------------------------------------------------------------------------
def test_summary_population_sums(district):
    for gid in district.grids.index:
        summary = grid_summary(district, gid)
        if summary["children"]:
            total = sum(c["population"] for c in summary["children"])
            assert total == summary["grid"]["population"], gid
    assert grid_summary(district, "T")["grid"]["population"] == 13_600


@pytest.mark.parametrize(
    ("grid_id", "posts"),
    [("T", ["P1", "P2", "P3"]), ("T1", ["P1"]), ("T2", ["P2", "P3"]), ("T12", []),
     ("T1111", ["P1"]), ("T2112", ["P2"]), ("T2222", ["P3"])],
)  # fmt: skip
def test_summary_posts_inside(district, grid_id, posts):
    summary = grid_summary(district, grid_id)
    assert sorted(p["post_id"] for p in summary["posts"]) == posts
    assert summary["grid"]["posts"] == len(posts)


def test_summary_of_unknown_grid(district):
    with pytest.raises(KeyError, match="NOPE"):
        grid_summary(district, "NOPE")


# -- display_geometry -----------------------------------------------------------------------
@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_level_geojson(district, level):
    payload = display_geometry.level_geojson(district, level)
    body = json.loads(payload.raw)
    assert body["type"] == "FeatureCollection"
    # Features are named by the grids' short keys, and carry no other properties.
    assert [district.grid_of_key[f["id"]] for f in body["features"]] == district.level_ids(level)
    assert all(f["properties"] == {} for f in body["features"])
    assert gzip.decompress(payload.gzipped) == payload.raw
    assert len(payload.gzipped) < len(payload.raw)
    assert len(payload.etag) == 16
    geoms = [shapely.geometry.shape(f["geometry"]) for f in body["features"]]
    assert bool(shapely.coverage_is_valid(geoms))


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_level_geojson_ids_are_the_keys_of_the_level(district, level):
    body = json.loads(display_geometry.level_geojson(district, level).raw)
    feature_ids = [f["id"] for f in body["features"]]
    level_keys = [district.key_of[g] for g in district.level_ids(level)]
    assert feature_ids == level_keys
    assert len(set(feature_ids)) == len(feature_ids) == len(district.level_ids(level))
    # Keys are not grid ids (the tiny ids all start with "T"; keys are base-36 digits).
    assert not set(feature_ids) & set(district.level_ids(level))
    assert all(k.isalnum() and k == k.lower() for k in feature_ids)


def test_payload_is_deterministic(district):
    a = display_geometry.level_geojson(district, 5)
    b = display_geometry.level_geojson(district, 5)
    assert (a.raw, a.gzipped, a.etag) == (b.raw, b.gzipped, b.etag)
    assert a.etag != display_geometry.level_geojson(district, 4).etag


def test_outline_lines(district):
    lons, lats = display_geometry.grid_outline_lines(district, "T12")
    assert (min(lons), max(lons)) == pytest.approx((114.80, 114.84))
    assert (min(lats), max(lats)) == pytest.approx((33.74, 33.78))
    assert None not in lons and lons[0] == lons[-1]
