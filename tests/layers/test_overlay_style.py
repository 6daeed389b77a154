"""The overlay stack (layers/overlay_style.py): the choropleth yields to the overlays on it."""

from __future__ import annotations

import pytest

from layers.basemap import (
    COVERAGE_OPACITY,
    GAPS_OPACITY,
    LAYER_ORDER,
    basemap_layers,
    layer_index,
    toggled_layers,
)
from layers.coverage_layer import GAPS_COLOR
from layers.grid_layer import COLORBAR_YPAD
from layers.overlay_style import COLORSCALE, GREY_SCALE, OPACITY, grid_mode, grid_style

URLS = {k: f"/{k}.geojson" for k in ("water", "roads-minor", "roads-major", "outline")}
URLS.update(coverage="/coverage.geojson", gaps="/gaps.geojson")


@pytest.mark.parametrize(
    ("layers", "mode"),
    [
        (None, "alone"),
        (["posts", "roads"], "alone"),
        (["posts", "heat", "incidents"], "heat"),
        (["coverage"], "coverage"),
        (["gaps"], "coverage"),
        (["posts", "roads", "coverage", "gaps", "heat", "incidents"], "coverage"),
    ],
)
def test_mode_follows_the_overlays(layers, mode):
    assert grid_mode(layers) == mode


def test_coverage_or_gaps_turn_the_choropleth_grey_and_lighter():
    alone, covered = grid_style(["posts"]), grid_style(["coverage", "gaps", "heat"])
    assert alone["colorscale"] == COLORSCALE and alone["reversescale"] is True
    assert covered["colorscale"] == GREY_SCALE and covered["reversescale"] is False
    # Grey from light to dark: no hue that the coverage's green or the gaps' red could mix with.
    for _, colour in GREY_SCALE:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert r == g == b
    assert covered["marker.opacity"] < alone["marker.opacity"]


def test_heat_fades_the_choropleth_and_keeps_its_palette():
    heat = grid_style(["heat"])
    assert heat["colorscale"] == COLORSCALE
    assert heat["marker.opacity"] == OPACITY["heat"] < OPACITY["alone"]


def test_coverage_is_a_light_wash_and_gaps_have_a_red_edge():
    layers = basemap_layers(URLS, True, coverage_visible=(True, True))
    assert len(layers) == len(LAYER_ORDER)
    coverage = layers[layer_index("coverage", False)]
    gaps = layers[layer_index("gaps", False)]
    edge = layers[layer_index("gaps-edge", False)]
    assert coverage["opacity"] == COVERAGE_OPACITY <= 0.25
    assert gaps["opacity"] == GAPS_OPACITY < COVERAGE_OPACITY
    assert edge["type"] == "line" and edge["source"] == gaps["source"]
    assert edge["color"] == GAPS_COLOR


def test_gaps_edge_toggles_with_the_gaps():
    shown = toggled_layers(["gaps"], False)
    assert shown[layer_index("gaps-edge", False)] is True
    assert shown[layer_index("coverage", False)] is False
    assert toggled_layers([], False)[layer_index("gaps-edge", False)] is False


def test_colour_bar_leaves_room_for_the_toolbar():
    # Plotly's modebar is about 30 px tall in the top right corner, where the bar starts.
    assert COLORBAR_YPAD >= 34
