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


def test_minor_roads_start_below_a_township_view_of_the_demo():
    """The minor roads are left out of a whole-district view and drawn from a township's in."""
    from gridmap.grids.district import load_district
    from gridmap.settings import ROOT
    from gridmap.views.map_view import MAP_MARGINS_PX, fit_zoom
    from layers.basemap import MINOR_ROADS_MINZOOM, basemap_layers

    urls = {k: k for k in ("water", "roads-minor", "roads-major", "coverage", "gaps", "outline")}
    minor = basemap_layers(urls, True)[layer_index("roads-minor", False)]
    assert minor["source"] == "roads-minor" and minor["minzoom"] == MINOR_ROADS_MINZOOM
    assert "minzoom" not in basemap_layers(urls, True)[layer_index("roads-major", False)]
    district = load_district(ROOT / "data" / "geo")
    size = (1146, 784)
    whole = fit_zoom(district.bounds(district.root_id), size, MAP_MARGINS_PX)
    towns = [fit_zoom(district.bounds(g), size, MAP_MARGINS_PX)
             for g in district.children(district.root_id)]  # fmt: skip
    assert whole < MINOR_ROADS_MINZOOM < min(towns)
