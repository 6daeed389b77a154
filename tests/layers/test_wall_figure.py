"""The wall's figure builders (layers/wall_figure.py)."""

from __future__ import annotations

from layers.wall_figure import HEAT_TRACE, POSTS_TRACE, heat_values, visibility_changes


def test_heat_values_top_out_at_the_98th_percentile():
    counts = [1] * 99 + [1000]
    values = heat_values({"lon": [0] * 100, "lat": [0] * 100, "count": counts})
    assert values["zmin"] == 0 and values["zmax"] == 1  # one busy bin does not set the scale
    assert heat_values({"lon": [], "lat": [], "count": []})["zmax"] == 1
    spread = heat_values({"lon": [0] * 200, "lat": [0] * 200, "count": list(range(200))})
    assert spread["zmax"] == 196


def test_visibility_changes():
    changes = visibility_changes(("heat", "gaps"))
    assert changes[f"data.{HEAT_TRACE}.visible"] is True
    assert changes[f"data.{POSTS_TRACE}.visible"] is False
    assert changes["layout.map.layers.3.visible"] is False
    assert changes["layout.map.layers.4.visible"] is True
