"""The overlay stack of the main map: how the grid choropleth yields to the overlays on it.

One colour means one thing. With the 5-minute coverage or its gaps on, the choropleth turns
grey (its values still read as light to dark) under the coverage's green and the gaps' red; with
the heat on it keeps its palette, faded, so the heat's cyan-to-violet stands out over it.
"""

from __future__ import annotations

#: The choropleth's own palette (reversed: light yellow for low values, dark red for high).
COLORSCALE = "YlOrRd"
#: The grey ramp of the choropleth under the coverage and gaps (light for low values).
GREY_SCALE = [[0.0, "#f3f3f3"], [1.0, "#5c5c5c"]]
#: Fill opacity of the choropleth alone, under the heat, and under coverage or gaps.
OPACITY = {"alone": 0.62, "heat": 0.4, "coverage": 0.5}
#: The overlays with colours of their own that the choropleth yields to.
COVERAGE_LAYERS = frozenset({"coverage", "gaps"})


def grid_mode(layers: list[str] | tuple[str, ...] | None) -> str:
    """Return how the choropleth is drawn under the checked ``layers``.

    ``"coverage"`` (grey, under the coverage or gaps), ``"heat"`` (its palette faded, under the
    heat) or ``"alone"`` (its palette).
    """
    shown = set(layers or ())
    if shown & COVERAGE_LAYERS:
        return "coverage"
    if "heat" in shown:
        return "heat"
    return "alone"


def grid_style(layers: list[str] | tuple[str, ...] | None) -> dict[str, object]:
    """Return the choropleth's style under ``layers``, as trace paths (for a figure or Patch)."""
    mode = grid_mode(layers)
    grey = mode == "coverage"
    return {
        "colorscale": GREY_SCALE if grey else COLORSCALE,
        "reversescale": not grey,
        "marker.opacity": OPACITY[mode],
    }
