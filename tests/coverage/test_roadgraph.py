"""Road graph: snapping, densifying, parallel edges, speeds, and travel times against networkx."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import shapely
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from gridmap.coverage.roadgraph import (
    DEFAULT_SPEEDS_KMH,
    EBIKE_LEGAL_CAP_KMH,
    RoadDataError,
    build_road_graph,
    densify_line,
    graph_from_lines,
    road_speeds,
)
from gridmap.grids.schema import ROAD_CLASSES

UTM = "EPSG:32650"


def test_default_speeds_cover_every_class_and_stay_under_the_legal_cap():
    assert set(DEFAULT_SPEEDS_KMH) == set(ROAD_CLASSES)
    assert all(0 < v <= EBIKE_LEGAL_CAP_KMH for v in DEFAULT_SPEEDS_KMH.values())


def test_densify_splits_long_segments_evenly_and_keeps_the_ends():
    pts = densify_line(np.array([[0.0, 0.0], [250.0, 0.0], [250.0, 50.0]]), 100.0)
    np.testing.assert_allclose(pts[:, 0], [0, 250 / 3, 500 / 3, 250, 250])
    np.testing.assert_allclose(pts[-1], [250, 50])
    assert np.hypot(*np.diff(pts, axis=0).T).max() <= 100.0


def test_end_points_within_snap_distance_become_one_node():
    a = np.array([[0.0, 0.0], [100.0, 0.0]])
    near = np.array([[100.3, 0.0], [100.3, 100.0]])
    far = np.array([[100.8, 0.0], [100.8, 100.0]])
    assert graph_from_lines([a, near], [18, 18], snap_m=0.5).n_components == 1
    assert graph_from_lines([a, far], [18, 18], snap_m=0.5).n_components == 2


def test_parallel_edges_keep_the_fastest_and_self_loops_are_dropped():
    line = np.array([[0.0, 0.0], [90.0, 0.0]])
    loop = np.array([[0.0, 0.0], [0.2, 0.0]])  # shorter than the snap distance
    g = graph_from_lines([line, line, line[::-1], loop], [10, 36, 18, 10], max_edge_m=100)
    assert g.n_nodes == 2
    assert g.n_edges == 1
    assert g.seconds[0] == pytest.approx(90 / 10)  # 36 km/h = 10 m/s
    # Through the sparse matrix too (which would add parallel entries up).
    assert dijkstra(g.matrix(), indices=0)[1] == pytest.approx(9.0)


def _random_network(seed: int) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, list]:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 25))
    xy = rng.uniform(0, 2000, (n, 2))
    edges = [(i, i + 1) for i in range(n - 1) if rng.random() < 0.8]
    edges += [tuple(rng.choice(n, 2, replace=False)) for _ in range(n)]
    edges += edges[:3]  # some parallel edges, at other speeds
    speeds = rng.choice([10.0, 15.0, 16.0, 20.0, 22.0], len(edges))
    lines = []
    for a, b in edges:
        # End points jitter by up to 0.1 m: snapping must still join them.
        pa = xy[a] + rng.uniform(-0.05, 0.05, 2)
        pb = xy[b] + rng.uniform(-0.05, 0.05, 2)
        mid = (pa + pb) / 2 + rng.uniform(-30, 30, 2)  # a bent road
        lines.append(np.array([pa, mid, pb]))
    return lines, speeds, xy, edges


@pytest.mark.parametrize("seed", range(6))
def test_travel_times_match_networkx(seed):
    lines, speeds, xy, edges = _random_network(seed)
    g = graph_from_lines(lines, speeds, snap_m=0.5, max_edge_m=100)
    ref = nx.Graph()
    for line, speed in zip(lines, speeds, strict=True):
        a, b = (int(cKDTree(xy).query(line[i])[1]) for i in (0, -1))
        if a == b:
            continue
        sec = float(np.hypot(*np.diff(line, axis=0).T).sum() / (speed / 3.6))
        if not ref.has_edge(a, b) or ref[a][b]["weight"] > sec:
            ref.add_edge(a, b, weight=sec)
    node_of = cKDTree(g.xy).query(xy)[1]
    on_roads = sorted(ref.nodes)
    sources = [on_roads[0], on_roads[len(on_roads) // 2]]
    ours = dijkstra(g.matrix(), directed=True, indices=node_of[sources], min_only=True)
    want = nx.multi_source_dijkstra_path_length(ref, sources)
    assert len(want) > 2
    for i in on_roads:
        if i in want:
            assert ours[node_of[i]] == pytest.approx(want[i], rel=1e-4, abs=0.05)
        else:  # on a piece of the network that no source reaches
            assert np.isinf(ours[node_of[i]])


def _roads(**columns) -> gpd.GeoDataFrame:
    geoms = [
        shapely.LineString([(500000, 3700000), (501000, 3700000)]),
        shapely.LineString([(501000, 3700000), (501000, 3701000)]),
    ]
    return gpd.GeoDataFrame(columns, geometry=geoms, crs=UTM)


def test_speed_kmh_overrides_the_class_and_the_class_gives_the_default():
    roads = _roads(road_id=["r1", "r2"], road_class=["arterial", "path"], speed_kmh=[None, 12.5])
    np.testing.assert_allclose(road_speeds(roads), [DEFAULT_SPEEDS_KMH["arterial"], 12.5])
    g = build_road_graph(roads)
    assert g.length_m.sum() == pytest.approx(2000, rel=1e-6)
    expected = 1000 / (DEFAULT_SPEEDS_KMH["arterial"] / 3.6) + 1000 / (12.5 / 3.6)
    assert g.seconds.sum() == pytest.approx(expected, rel=1e-6)
    assert g.crs.to_epsg() == 32650


def test_roads_with_no_usable_class_or_speed_are_named():
    roads = _roads(road_id=["r1", "r2"], road_class=["county", "motorway"])
    with pytest.raises(RoadDataError, match=r"no usable road_class .* road\(s\) r2"):
        build_road_graph(roads)
    with pytest.raises(RoadDataError, match=r"road\(s\) r1, r2"):
        build_road_graph(_roads(road_id=["r1", "r2"], name_zh=["a", "b"]))


def test_bad_speed_is_named():
    roads = _roads(road_id=["r1", "r2"], speed_kmh=[-3.0, 15.0])
    with pytest.raises(RoadDataError, match=r"speed_kmh must be .* r1"):
        build_road_graph(roads)


def test_geometry_crs_and_type_are_checked():
    with pytest.raises(RoadDataError, match="should be a GeoDataFrame"):
        build_road_graph("roads.gpkg")
    no_crs = _roads(road_class=["county", "county"]).set_crs(None, allow_override=True)
    with pytest.raises(RoadDataError, match="no CRS"):
        build_road_graph(no_crs)
    pts = gpd.GeoDataFrame(
        {"road_id": ["p1"], "road_class": ["county"]}, geometry=[shapely.Point(0, 0)], crs=UTM
    )
    with pytest.raises(RoadDataError, match="LineString .* p1"):
        build_road_graph(pts)
    with pytest.raises(RoadDataError, match="projected"):
        build_road_graph(_roads(road_class=["county", "county"]), crs="EPSG:4326")


def test_a_wgs84_layer_is_projected_to_its_utm_zone():
    roads = _roads(road_class=["county", "county"]).to_crs("EPSG:4326")
    g = build_road_graph(roads)
    assert g.crs.is_projected
    assert g.length_m.sum() == pytest.approx(2000, rel=1e-3)
    assert g.n_components == 1
