"""The incident overlays' figure builders: heat radius, the heat trace and the points trace."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gridmap.incidents.density import Density
from layers.incident_layers import HEAT_SCALE, STATUS_COLORS, heat_radius, heat_trace, points_trace


@pytest.mark.parametrize(
    ("cell_deg", "zoom", "expected"),
    [
        (0.001, 0, 10),  # far below a pixel: the 10 px floor (heat that can be seen)
        (1.0, 10, 40),  # huge bins: the 40 px ceiling
        (0.002, 12, 30),  # 0.002 / 360 x 512 x 4096 = 11.65 px, x 2.5 = 29.1, rounded up
    ],
)
def test_heat_radius_is_2_5_bins_clamped(cell_deg, zoom, expected):
    assert heat_radius(cell_deg, zoom) == expected


def test_heat_radius_grows_with_zoom():
    radii = [heat_radius(0.0005, zoom) for zoom in (12, 13, 14, 15)]
    assert radii == sorted(radii) and radii[0] < radii[-1]


def test_heat_trace_carries_the_bins():
    density = Density(lon=[114.8, 114.81], lat=[33.7, 33.71], count=[3, 1], cell_deg=0.001)
    trace = heat_trace(density, 12, True)
    assert trace["type"] == "densitymap" and trace["name"] == "heat"
    assert trace["lon"] == [114.8, 114.81] and trace["lat"] == [33.7, 33.71]
    assert trace["z"] == [3, 1]
    assert trace["radius"] == heat_radius(0.001, 12)
    assert trace["colorscale"] == HEAT_SCALE and trace["showscale"] is False
    assert trace["hoverinfo"] == "skip" and trace["visible"] is True
    assert heat_trace(density, 12, False)["visible"] is False


def test_points_trace_colours_by_status_and_keeps_ids():
    rows = [
        {"id": "a", "category": "fire", "status": "reported", "lon": 114.8, "lat": 33.7,
         "reported_at": datetime(2025, 3, 10, 8, 5, tzinfo=UTC)},
        {"id": "b", "category": "nowhere", "status": "closed", "lon": 114.9, "lat": 33.75,
         "reported_at": datetime(2025, 3, 11, 9, 30, tzinfo=UTC)},
    ]  # fmt: skip
    trace = points_trace(rows, "en", True)
    assert trace["type"] == "scattermap" and trace["mode"] == "markers"
    assert trace["customdata"] == ["a", "b"]
    assert trace["lon"] == [114.8, 114.9] and trace["lat"] == [33.7, 33.75]
    assert trace["marker"]["color"] == [STATUS_COLORS["reported"], STATUS_COLORS["closed"]]
    assert trace["text"][0] == "<b>Safety hazard: fire</b><br>Reported · 2025-03-10 08:05"
    # An unknown category shows its id.
    assert trace["text"][1].startswith("<b>nowhere</b><br>Closed")
    assert trace["showlegend"] is False and trace["visible"] is True


def test_points_trace_of_no_rows():
    trace = points_trace([], "zh", False)
    assert trace["lon"] == [] and trace["customdata"] == [] and trace["text"] == []
    assert trace["visible"] is False


def test_heat_palette_is_not_the_choropleths():
    # The heat is cyan to violet, the grids yellow to red: no colour of one is in the other.
    from layers.grid_layer import COLORSCALE

    assert COLORSCALE == "YlOrRd"
    for _, colour in HEAT_SCALE[1:]:
        red, green, blue = (int(c) for c in colour[5:].split(",")[:3])
        assert blue > red  # blue-violet, never yellow/orange/red
    assert float(HEAT_SCALE[2][1].rsplit(",", 1)[1][:-1]) >= 0.5  # middling bins still read


def test_heat_top_is_the_ninetieth_percentile():
    from layers.incident_layers import heat_top

    assert heat_top([]) == 1.0
    assert heat_top([1] * 95 + [500] * 5) == 1.0  # five hot bins do not wash the rest out
    assert heat_top(list(range(1, 101))) == 91.0
    density = Density(lon=[1.0] * 10, lat=[1.0] * 10, count=list(range(10)), cell_deg=0.01)
    trace = heat_trace(density, 9, True)
    assert trace["zmin"] == 0 and trace["zmax"] == 9.0
