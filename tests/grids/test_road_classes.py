"""Road classes as county files and OpenStreetMap write them."""

from __future__ import annotations

import pytest

from gridmap.grids.road_classes import ROAD_CLASS_ALIASES, normalise_class
from gridmap.grids.schema import ROAD_CLASSES


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("国道", "arterial"),
        ("省道", "arterial"),
        ("县道", "county"),
        ("乡道", "village"),
        ("村道", "village"),
        ("城市道路", "street"),
        ("primary", "arterial"),
        ("Tertiary", "county"),
        ("residential", "street"),
        ("footway", "path"),
        ("motorway", None),
        ("高速公路", None),
    ],
)
def test_written_classes_map(written, expected):
    assert normalise_class(written, ROAD_CLASSES) == (expected, True)


def test_schema_classes_and_unknowns_are_kept():
    assert normalise_class("arterial", ROAD_CLASSES) == ("arterial", False)
    assert normalise_class("bridleway", ROAD_CLASSES) == ("bridleway", False)
    assert normalise_class(None, ROAD_CLASSES) == (None, False)


def test_every_alias_maps_to_a_schema_class_or_none():
    assert {v for v in ROAD_CLASS_ALIASES.values() if v} <= set(ROAD_CLASSES)


@pytest.mark.parametrize(("written", "expected"), sorted(ROAD_CLASS_ALIASES.items()))
def test_each_written_class_of_the_table_maps(written, expected):
    # A class written as the schema's own (OpenStreetMap's "path") is kept, not "mapped".
    mapped = written not in ROAD_CLASSES
    assert normalise_class(written, ROAD_CLASSES) == (expected, mapped)
    assert normalise_class(f" {written.upper()} ", ROAD_CLASSES)[0] == expected
