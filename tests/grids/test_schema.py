"""Tests of gridmap.grids.schema: the documented layers and columns of a district folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridmap.grids.schema import (
    EXTENSIONS,
    GRIDS,
    LAYERS,
    LEVELS,
    POSTS,
    ROAD_CLASSES,
    ROADS,
    WATER,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-schema.md"


def test_layers_and_their_requirements():
    assert [layer.stem for layer in LAYERS] == ["grids", "posts", "roads", "water"]
    assert [layer.required for layer in LAYERS] == [True, False, False, False]
    assert GRIDS.geometry == WATER.geometry == ("Polygon", "MultiPolygon")
    assert POSTS.geometry == ("Point",)
    assert ROADS.geometry == ("LineString", "MultiLineString")
    assert LEVELS == (1, 2, 3, 4, 5)
    assert EXTENSIONS[0] == ".gpkg"


@pytest.mark.parametrize(
    ("layer", "name", "kind", "required"),
    [(GRIDS, "grid_id", "str", True), (GRIDS, "level", "int", True),
     (GRIDS, "population", "int", False), (POSTS, "officers", "int", False),
     (ROADS, "speed_kmh", "float", False), (WATER, "name_en", "str", False)],
)  # fmt: skip
def test_column_look_up(layer, name, kind, required):
    column = layer.column(name)
    assert (column.name, column.kind, column.required) == (name, kind, required)


def test_road_class_column_lists_the_classes():
    assert ROADS.column("road_class").doc == "One of arterial, county, village, street, path."
    assert ROAD_CLASSES[0] == "arterial"


def test_every_column_is_documented():
    text = DOC.read_text("utf-8")
    for layer in LAYERS:
        assert f"{layer.stem}." in text, layer.stem
        for column in layer.columns:
            assert column.name in text, (layer.stem, column.name)
