"""The basemap layers (layers/basemap.py): indexes and the layer toggles."""

from __future__ import annotations

import pytest

from layers.basemap import LAYER_ORDER, layer_index, toggled_layers


def test_a_tile_layer_shifts_every_index():
    assert layer_index("water", False) == 0
    assert layer_index("water", True) == 1
    assert layer_index("outline", False) == len(LAYER_ORDER) - 1


@pytest.mark.parametrize(
    ("shown", "tiles", "expected"),
    [
        (["posts", "roads"], False, {1: True, 2: True, 3: False, 4: False, 5: False}),
        (None, False, {1: False, 2: False, 3: False, 4: False, 5: False}),
        (["coverage", "gaps"], True, {2: False, 3: False, 4: True, 5: True, 6: True}),
    ],
)
def test_toggled_layers(shown, tiles, expected):
    assert toggled_layers(shown, tiles) == expected
