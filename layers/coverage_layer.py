"""Coverage of the 5-minute police circle and its gaps, as fill layers served by URL."""

from __future__ import annotations

COVERAGE_COLOR = "#2e9d5b"
GAPS_COLOR = "#d6453d"


def coverage_layers(coverage_url: str, gaps_url: str, visible: tuple[bool, bool]) -> list[dict]:
    """Return two map layers: the area reached within the limit (green) and the gaps (red)."""
    return [
        {
            "sourcetype": "geojson",
            "source": coverage_url,
            "type": "fill",
            "color": COVERAGE_COLOR,
            "opacity": 0.35,
            "visible": visible[0],
        },
        {
            "sourcetype": "geojson",
            "source": gaps_url,
            "type": "fill",
            "color": GAPS_COLOR,
            "opacity": 0.28,
            "visible": visible[1],
        },
    ]
