"""Roads that meet without a shared point are split there, keeping their attributes."""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry import LineString, MultiLineString

from gridmap.grids.noding import node_roads


def roads(*geoms, ids=None):
    ids = ids or [f"r{i}" for i in range(len(geoms))]
    return gpd.GeoDataFrame(
        {"road_id": ids, "road_class": ["village"] * len(geoms)},
        geometry=list(geoms),
        crs="EPSG:4326",
    )


def test_a_crossing_splits_both_roads():
    x = roads(LineString([(0, 0), (0.002, 0)]), LineString([(0.001, -0.001), (0.001, 0.001)]))
    out, junctions = node_roads(x)
    assert junctions == 2 and len(out) == 4
    assert sorted(out["road_id"]) == ["r0-1", "r0-2", "r1-1", "r1-2"]
    assert (out["road_class"] == "village").all()
    # Every piece now ends or starts at the crossing.
    at_crossing = [
        any(abs(x - 0.001) < 1e-12 and abs(y) < 1e-12 for x, y in (g.coords[0], g.coords[-1]))
        for g in out.geometry
    ]
    assert all(at_crossing)
    assert (
        abs(shapely.length(out.geometry.array).sum() - shapely.length(x.geometry.array).sum())
        < 1e-12
    )


def test_a_road_ending_on_another_splits_that_one():
    t = roads(LineString([(0, 0), (0.002, 0)]), LineString([(0.001, 0), (0.001, 0.001)]))
    out, junctions = node_roads(t)
    assert junctions == 1 and len(out) == 3
    assert sorted(out["road_id"]) == ["r0-1", "r0-2", "r1"]


def test_noded_roads_are_left_alone():
    noded = roads(LineString([(0, 0), (0.001, 0)]), LineString([(0.001, 0), (0.001, 0.001)]))
    out, junctions = node_roads(noded)
    assert junctions == 0 and out is noded


def test_multilines_are_split_into_parts():
    multi = roads(
        MultiLineString([[(0, 0), (0.002, 0)], [(0.003, 0), (0.004, 0)]]),
        LineString([(0.001, -0.001), (0.001, 0.001)]),
    )
    out, junctions = node_roads(multi)
    assert junctions == 2 and len(out) == 5
    assert set(out.geom_type) == {"LineString"}


def test_empty_and_none():
    assert node_roads(None) == (None, 0)
    empty = roads()
    assert node_roads(empty)[1] == 0
