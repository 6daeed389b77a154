"""Tests of gridmap.grids.columns: record labels, column coercion and defaults."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from gridmap.grids.columns import ID_COLUMN, coerce_columns, record_labels
from gridmap.grids.schema import GRIDS, POSTS, ROADS, WATER
from tests.fixtures import grid_frame, road_frame


def _posts(**columns) -> gpd.GeoDataFrame:
    n = len(next(iter(columns.values())))
    points = [Point(114.8 + i / 100, 33.7) for i in range(n)]
    return gpd.GeoDataFrame(columns, geometry=points, crs="EPSG:4326")


def test_id_columns():
    assert ID_COLUMN == {"grids": "grid_id", "posts": "post_id", "roads": "road_id"}


def test_grids_without_an_id_are_reported_and_dropped():
    frame = grid_frame().head(3).copy()
    frame["grid_id"] = frame["grid_id"].astype(object)
    frame.loc[1, "grid_id"] = "  "
    kept, labels, problems = record_labels(frame, GRIDS, "grids.gpkg")
    assert labels.tolist() == ["d", "d.2"]
    assert kept["grid_id"].tolist() == ["d", "d.2"]
    ((file, rule, message, ids),) = [(p.file, p.rule, p.message, p.ids) for p in problems]
    assert (file, rule, message, ids) == (
        "grids.gpkg",
        "column-type",
        "grid_id is empty",
        ("row 2",),
    )


def test_roads_without_ids_are_named_by_row():
    roads = road_frame().drop(columns="road_id")
    kept, labels, problems = record_labels(roads, ROADS, "roads.shp")
    assert problems == []
    assert labels.tolist() == kept["road_id"].tolist() == ["row 1", "row 2", "row 3"]


def test_blank_road_ids_keep_their_row_and_stay():
    roads = road_frame()
    roads.loc[0, "road_id"] = None
    kept, labels, problems = record_labels(roads, ROADS, "roads.shp")
    assert (problems, len(kept)) == ([], 3)
    assert labels.tolist() == ["row 1", "r2", "r3"]


def test_water_has_no_id_column():
    water = gpd.GeoDataFrame({"name_zh": ["湖"]}, geometry=[Point(0, 0)], crs="EPSG:4326")
    kept, labels, problems = record_labels(water, WATER, "water.gpkg")
    assert (labels.tolist(), problems, list(kept.columns)) == (
        ["row 1"],
        [],
        ["name_zh", "geometry"],
    )


def test_coerce_posts_types_and_defaults():
    posts = _posts(
        post_id=["p1", "p2", "p3"],
        name_zh=["一", "二", "三"],
        officers=["2", None, 3.0],
    )
    kept, labels, _ = record_labels(posts, POSTS, "posts.gpkg")
    frame, problems = coerce_columns(kept, POSTS, labels, "posts.gpkg")
    assert problems == []
    assert frame.index.tolist() == ["p1", "p2", "p3"]
    assert frame["officers"].tolist() == [2, 1, 3]
    assert frame["ebikes"].tolist() == [1, 1, 1]
    assert frame["officers"].dtype == np.int64
    assert frame["name_en"].tolist() == ["一", "二", "三"]  # defaults to name_zh
    assert list(frame.columns) == ["name_zh", "name_en", "officers", "ebikes", "geometry"]


@pytest.mark.parametrize(
    ("column", "value", "rule", "message"),
    [("officers", "two", "column-type", "officers 'two' is not an integer"),
     ("officers", -1, "column-type", "officers -1 is negative"),
     ("officers", 1.5, "column-type", "officers 1.5 is not an integer"),
     ("name_zh", " ", "column-type", "name_zh is empty")],
)  # fmt: skip
def test_coerce_reports_each_bad_value(column, value, rule, message):
    posts = _posts(post_id=["p1", "p2"], name_zh=["一", "二"], officers=[1, 1])
    posts[column] = posts[column].astype(object)
    posts.loc[1, column] = value
    kept, labels, _ = record_labels(posts, POSTS, "posts.gpkg")
    _, problems = coerce_columns(kept, POSTS, labels, "posts.gpkg")
    assert [(p.file, p.rule, p.message, p.ids) for p in problems] == [
        ("posts.gpkg", rule, message, ("p2",))
    ]


def test_bad_level_breaks_the_level_rule():
    grids = grid_frame().head(3).copy()
    grids["level"] = grids["level"].astype(object)
    grids.loc[2, "level"] = "two"
    kept, labels, _ = record_labels(grids, GRIDS, "grids.gpkg")
    frame, problems = coerce_columns(kept, GRIDS, labels, "grids.gpkg")
    assert [(p.rule, p.message, p.ids) for p in problems] == [
        ("level", "level 'two' is not an integer", ("d.2",))
    ]
    assert frame["level"].dtype == "Int64"  # stays nullable while a level is missing
    assert pd.isna(frame.loc["d.2", "level"])


def test_bad_float_is_not_a_number():
    roads = road_frame()
    roads["speed_kmh"] = roads["speed_kmh"].astype(object)
    roads.loc[2, "speed_kmh"] = "fast"
    kept, labels, _ = record_labels(roads, ROADS, "roads.shp")
    frame, problems = coerce_columns(kept, ROADS, labels, "roads.shp")
    assert [(p.rule, p.message, p.ids) for p in problems] == [
        ("column-type", "speed_kmh 'fast' is not a number", ("r3",))
    ]
    assert np.isnan(frame["speed_kmh"]).all()


def test_grid_defaults():
    grids = grid_frame().head(3).drop(columns=["pinyin", "kind"])
    kept, labels, _ = record_labels(grids, GRIDS, "grids.gpkg")
    frame, problems = coerce_columns(kept, GRIDS, labels, "grids.gpkg")
    assert problems == []
    assert frame.loc["d", "code"] == "d"
    # Without a pinyin column, search gets one made from the Chinese name (pypinyin).
    assert frame.loc["d", "name_zh"] == "网格d"
    assert (frame.loc["d", "pinyin"], frame.loc["d", "kind"]) == ("wang ge d", "")
    assert frame["level"].dtype == np.int64
    assert list(frame.columns[:3]) == ["parent_id", "level", "name_zh"]
