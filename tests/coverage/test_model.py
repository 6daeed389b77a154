"""The coverage model: travel times, shares per grid against hand-computed values, errors."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
import shapely

from gridmap.coverage.model import CoverageModel
from gridmap.coverage.params import NETWORK, STRAIGHT_LINE, CoverageSettings
from gridmap.errors import CoverageError, RoadDataError
from tests.coverage.toys import (
    EAST_SHARE,
    HALF_DISC,
    INSTANT_WALK,
    MIDDLE_ROAD,
    UTM,
    WEST_SHARE,
    toy_grids,
    toy_lonlat,
    toy_model,
    toy_posts,
    toy_roads,
)


def test_area_and_population_shares_match_the_hand_computed_values():
    result = toy_model(settings=INSTANT_WALK).coverage(5)
    assert result.method == NETWORK
    table = result.grid_table().set_index("grid_id")
    # 20 m cells approximate the disc's curved edge: 1 % of a grid's area is the tolerance.
    for grid, share in {
        "SW": WEST_SHARE,
        "NW": WEST_SHARE,
        "SE": EAST_SHARE,
        "NE": EAST_SHARE,
    }.items():
        assert table.loc[grid, "area_share"] == pytest.approx(share, abs=0.01)
        assert table.loc[grid, "population_share"] == pytest.approx(share, abs=0.01)
    covered_km2 = (1e6 + HALF_DISC) / 1e6
    assert table.loc["D", "covered_area_km2"] == pytest.approx(covered_km2, abs=0.02)
    people = 100 * 0.5 + 300 * 0.5 + (200 + 400) * EAST_SHARE
    kpis = result.kpis()
    assert kpis["population_share"] == pytest.approx(people / 1000, abs=0.01)
    assert kpis["area_share"] == pytest.approx(covered_km2 / 4, abs=0.005)
    assert kpis["method"] == NETWORK and kpis["warnings"] == []


def test_population_is_uniform_within_each_smallest_grid_and_summed_upwards():
    # SW is split: 90 people west of x = 500, 10 east of it; the band covers half of each.
    result = toy_model(settings=INSTANT_WALK, split_sw=True).coverage(5)
    table = result.grid_table().set_index("grid_id")
    assert table.loc["SW", "population"] == 100
    assert table.loc["SW-w", "covered_population"] == pytest.approx(45, abs=1)
    assert table.loc["SW", "covered_population"] == pytest.approx(
        table.loc["SW-w", "covered_population"] + table.loc["SW-e", "covered_population"]
    )
    leaves = table[table.index.isin(["SW-w", "SW-e", "SE", "NW", "NE"])]
    assert table.loc["D", "covered_population"] == pytest.approx(leaves.covered_population.sum())


def test_travel_minutes_add_the_ride_and_the_walk():
    settings = CoverageSettings(walk_kmh=4.5, walk_max_m=300, cell_m=50)
    result = toy_model(settings=settings).coverage(10)
    # A spot 40 m north of the road at x = 550: the best node is x = 500 or 600.
    xs = np.arange(0, 2001, 100.0)
    ride = xs / 3.5
    walk = np.hypot(xs - 550, 40) / 1.25
    best = np.min(np.where(np.hypot(xs - 550, 40) <= 300, ride + walk, np.inf))
    lonlat = toy_lonlat([(550, 1040)])
    assert result.minutes_at(lonlat)[0] == pytest.approx(best / 60, rel=1e-4)
    # 350 m from the road is beyond walk_max_m: never reached.
    assert np.isinf(result.minutes_at(toy_lonlat([(550, 1350)]))[0])


def test_speed_scale_shortens_the_ride_but_not_the_walk():
    settings = CoverageSettings(walk_kmh=4.5, walk_max_m=300, cell_m=50)
    model = toy_model(settings=settings)
    on_road = toy_lonlat([(700, 1000)])
    slow = model.coverage(10).minutes_at(on_road)[0]
    fast = model.coverage(10, speed_scale=2.0).minutes_at(on_road)[0]
    assert slow == pytest.approx(700 / 3.5 / 60, rel=1e-4)
    assert fast == pytest.approx(700 / 7.0 / 60, rel=1e-4)
    assert (
        model.coverage(5, speed_scale=2.0).kpis()["area_share"]
        > model.coverage(5).kpis()["area_share"]
    )


def test_node_times_match_networkx_with_the_walk_to_the_road():
    roads = ([(0, 1000), (2000, 1000)], [(1000, 0), (1000, 2000)], [(0, 0), (2000, 2000)])
    posts = ((30, 1040), (1500, 1520))
    model = toy_model(posts=posts, roads=roads, settings=CoverageSettings(cell_m=100))
    result = model.coverage(15)
    g = model.graph
    ref = nx.Graph()
    for a, b, s in zip(g.u, g.v, g.seconds, strict=True):
        ref.add_edge(int(a), int(b), weight=float(s))
    for k, node in enumerate(model.post_node):
        ref.add_edge(f"post{k}", int(node), weight=model.post_walk_m[k] / 1.25)
    want = nx.multi_source_dijkstra_path_length(ref, ["post0", "post1"])
    for node in range(g.n_nodes):
        if want[node] <= 15 * 60:
            assert result.node_seconds[node] == pytest.approx(want[node], rel=1e-9)
        else:
            assert np.isinf(result.node_seconds[node])


def test_straight_line_fallback_without_roads():
    fine = CoverageSettings(cell_m=20)
    result = toy_model(posts=((1000, 1000),), roads=(), settings=fine).coverage(3)
    assert result.method == STRAIGHT_LINE
    assert any("straight-line" in w for w in result.warnings)
    # radius = 17 km/h x 3 min / 1.3 = 653.8 m, a disc inside the district split in 4 quarters.
    r = 17 / 3.6 * 180 / 1.3
    disc = math.pi * r**2
    table = result.grid_table().set_index("grid_id")
    for grid in ("SW", "SE", "NW", "NE"):
        assert table.loc[grid, "area_share"] == pytest.approx(disc / 4 / 1e6, abs=0.01)
    covered = result.geojson()["features"][0]["properties"]["area_km2"]
    assert covered == pytest.approx(disc / 1e6, rel=0.01)
    assert result.to_dict()["method"] == "straight-line (approximation)"


def test_coverage_and_gap_polygons_tile_the_district_in_wgs84():
    result = toy_model(settings=INSTANT_WALK).coverage(5)
    covered, gaps = result.polygons()
    minx, miny, maxx, maxy = shapely.union_all([covered, gaps]).bounds
    assert 116.9 < minx < maxx < 117.1 and 33.4 < miny < maxy < 33.5  # UTM 50N: 117 E
    assert not covered.intersection(gaps).area > 1e-12
    feats = result.geojson()["features"]
    assert [f["properties"]["kind"] for f in feats] == ["coverage", "gaps"]
    total = sum(f["properties"]["area_km2"] for f in feats)
    assert total == pytest.approx(4.0, rel=1e-3)
    assert feats[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.parametrize("minutes", [0, 0.5, 15.5, 60, "abc", None])
def test_minutes_out_of_range_is_refused(minutes):
    model = toy_model()
    with pytest.raises(CoverageError, match="minutes must be"):
        model.coverage(minutes)


def test_speed_scale_out_of_range_is_refused():
    with pytest.raises(CoverageError, match="speed_scale must be between"):
        toy_model().coverage(5, speed_scale=10)


def test_a_post_outside_the_district_is_named():
    with pytest.raises(CoverageError, match="posts outside the district: P2"):
        toy_model(posts=((0, 1000), (2500, 1000)))


def test_a_road_without_class_or_speed_is_named():
    grids = toy_grids()
    roads = toy_roads(MIDDLE_ROAD, ids=("rx",)).drop(columns="speed_kmh")
    with pytest.raises(RoadDataError, match="rx"):
        CoverageModel.from_geodataframes(grids, toy_posts((0, 1000)), roads, crs=UTM)


def test_posts_on_a_road_island_are_a_warning_not_an_error():
    island = [(100, 1800), (600, 1800)]  # not connected to the middle road
    model = toy_model(posts=((0, 1000), (100, 1800)), roads=(MIDDLE_ROAD, island))
    result = model.coverage(5)
    assert any("P2" in w and "island of 0.5 km" in w for w in result.warnings)
    # Without P1, the main network (2 km, 80 % of the roads) has no post.
    alone = model.coverage(5, disabled_posts=["P1"])
    assert any("80.0% of the road network" in w for w in alone.warnings)
    assert alone.kpis()["covered_area_km2"] < result.kpis()["covered_area_km2"]


def test_a_post_far_from_any_road_is_a_warning():
    result = toy_model(posts=((0, 1000), (1500, 1800))).coverage(5)
    assert any("P2 is 800 m from the nearest road" in w for w in result.warnings)


def test_what_if_extra_and_disabled_posts():
    model = toy_model(settings=INSTANT_WALK)
    base = model.coverage(5)
    east = toy_lonlat([(2000, 1000)])[0]
    more = model.coverage(5, extra_posts=[tuple(east)])
    assert more.post_ids == ["P1", "new-1"]
    # Both ends ride 1050 m: the whole band 2000 x 1000 m is covered.
    assert more.kpis()["area_share"] == pytest.approx(0.5, abs=0.005)
    assert base.kpis()["area_share"] < more.kpis()["area_share"]
    none = model.coverage(5, disabled_posts=["P1"])
    assert none.kpis()["covered_area_km2"] == 0
    assert any("no post in service" in w for w in none.warnings)
    assert model.coverage(5) is base  # memoized
    with pytest.raises(CoverageError, match="unknown post id.*P9"):
        model.coverage(5, disabled_posts=["P9"])
    with pytest.raises(CoverageError, match="new post #1 .* outside the district"):
        model.coverage(5, extra_posts=[(120.0, 30.0)])
    with pytest.raises(CoverageError, match=r"new post #1 must be \(lon, lat\)"):
        model.coverage(5, extra_posts=["x"])


def test_incidents_as_points_or_as_grid_ids():
    model = toy_model(settings=INSTANT_WALK)
    result = model.coverage(5)
    pts = toy_lonlat([(200, 1100), (1800, 1100), (200, 300)])  # covered, far east, south
    table = result.grid_table(incidents=pts).set_index("grid_id")
    assert table.loc["NW", "incidents"] == 1 and table.loc["NW", "covered_incidents"] == 1
    assert table.loc["NE", "incidents"] == 1 and table.loc["NE", "covered_incidents"] == 0
    assert table.loc["SW", "covered_incidents"] == 0
    assert table.loc["D", "incident_share"] == pytest.approx(1 / 3)
    by_id = result.grid_table(incidents=np.array(["NW", "SE"])).set_index("grid_id")
    assert by_id.loc["D", "covered_incidents"] == pytest.approx(WEST_SHARE + EAST_SHARE, abs=0.01)
    with pytest.raises(CoverageError, match="not the id of a level-5 .* D"):
        result.grid_table(incidents=np.array(["D"]))
    assert result.kpis(pts)["incident_share"] == pytest.approx(1 / 3)


def test_inputs_are_checked_and_named():
    grids = toy_grids()
    with pytest.raises(CoverageError, match="'grids' should be a GeoDataFrame"):
        CoverageModel.from_geodataframes(grids.to_wkt(), None, None)
    with pytest.raises(CoverageError, match="posts: geometry must be Point"):
        CoverageModel.from_geodataframes(grids, toy_grids(), None)
    with pytest.raises(CoverageError, match="projected"):
        CoverageModel.from_geodataframes(grids, None, None, crs="EPSG:4326")
    with pytest.raises(CoverageError, match="'outline' should be"):
        CoverageModel.from_geodataframes(grids, None, None, outline=shapely.Point(0, 0))
    with pytest.raises(CoverageError, match="walk_kmh"):
        CoverageSettings(walk_kmh=0)


def test_the_outline_defaults_to_the_level_1_grid_and_utm():
    model = CoverageModel.from_geodataframes(toy_grids(), toy_posts((0, 1000)), None)
    assert model.crs.to_epsg() == 32650
    assert model.outline.area == pytest.approx(4e6, rel=1e-6)
    assert model.info()["method"] == STRAIGHT_LINE


def test_no_outline_and_no_level_is_named():
    grids = toy_grids().drop(columns="level")
    with pytest.raises(CoverageError, match="no outline given and grids has no level column"):
        CoverageModel.from_geodataframes(grids, None, None)


def test_cells_list_the_reached_cells_with_their_minutes():
    settings = CoverageSettings(walk_kmh=4.5, walk_max_m=300, cell_m=100)
    result = toy_model(settings=settings).coverage(5)
    cells = result.cells()
    assert len(cells) == int(result.covered.sum()) > 0
    assert cells["minutes"].max() <= 5
    # The fastest cell is next to the post's node: a 71 m walk from (0, 1000) to (50, 1050).
    first = cells.loc[cells["minutes"].idxmin()]
    post_lon, post_lat = toy_lonlat([(0, 1000)])[0]
    assert abs(first["lon"] - post_lon) < 0.002 and abs(first["lat"] - post_lat) < 0.002
    assert first["minutes"] == pytest.approx(np.hypot(50, 50) / 1.25 / 60, rel=1e-6)


@pytest.mark.parametrize(
    ("layers", "kwargs", "parameter", "message"),
    [
        (lambda g: (g.to_wkt(), None, None), {}, "grids", "'grids' should be a GeoDataFrame"),
        (lambda g: (g.set_crs(None, allow_override=True), None, None), {}, "grids", "no CRS"),
        (lambda g: (g, toy_grids(), None), {}, "posts", "posts: geometry must be Point"),
        (
            lambda g: (g, toy_posts((0, 1000)).set_crs(None, allow_override=True), None),
            {},
            "posts",
            "posts has no CRS",
        ),
        (
            lambda g: (g.assign(geometry=g.geometry.representative_point()), None, None),
            {},
            "grids",
            "grids: geometry must be Polygon or MultiPolygon",
        ),
        (lambda g: (g, None, None), {"crs": "EPSG:4326"}, "crs", "projected"),
        (lambda g: (g, None, None), {"outline": shapely.Point(0, 0)}, "outline", "'outline'"),
    ],
)
def test_the_adapter_refuses_bad_crs_and_geometry_types_naming_the_parameter(
    layers, kwargs, parameter, message
):
    with pytest.raises(CoverageError, match=message) as info:
        CoverageModel.from_geodataframes(*layers(toy_grids()), **kwargs)
    assert info.value.parameter == parameter


def test_query_errors_name_the_parameter():
    model = toy_model()
    for kwargs, parameter in (
        ({"minutes": 99}, "minutes"),
        ({"speed_scale": 9}, "speed_scale"),
        ({"disabled_posts": ["P9"]}, "disabled_posts"),
        ({"extra_posts": [(1, 2, 3)]}, "extra_posts"),
        ({"extra_posts": [(120.0, 30.0)]}, "extra_posts"),
    ):
        with pytest.raises(CoverageError) as info:
            model.coverage(**kwargs)
        assert info.value.parameter == parameter


def test_population_shares_follow_the_ids_asked_for():
    result = toy_model(settings=INSTANT_WALK).coverage(5)
    table = result.grid_table().set_index("grid_id")
    shares = result.population_shares(["NE", "SW", "nowhere"])
    assert shares[:2] == [
        pytest.approx(table.loc["NE", "population_share"]),
        pytest.approx(table.loc["SW", "population_share"]),
    ]
    assert shares[2] is None
