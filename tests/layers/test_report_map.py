"""The report's static SVG map: fitted, every layer drawn, text escaped."""

from __future__ import annotations

import re

import shapely

from layers.report_map import NEW, OFF, POST, report_svg


def test_svg_draws_the_district_the_reached_area_and_numbered_posts():
    outline = shapely.box(114.0, 33.0, 114.2, 33.1)
    svg = report_svg(
        outline,
        [shapely.box(114.0, 33.0, 114.1, 33.1)],
        shapely.box(114.0, 33.0, 114.05, 33.05),
        [(114.02, 33.02, True), (114.15, 33.05, False)],
        [(114.1, 33.05), (114.18, 33.08)],
        title="<map> & co",
        width=1000,
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<title>&lt;map&gt; &amp; co</title>" in svg
    width, height = map(float, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    # Equirectangular at 33° N: the box is 0.2° x cos(33°) wide and 0.1° high.
    assert abs((height - 24) / (width - 24) - 0.1 / (0.2 * 0.8387)) < 0.01
    assert svg.count(f'fill="{POST}"') == 1 and svg.count(f'fill="{OFF}"') == 1
    assert svg.count(f'fill="{NEW}"') == 2 and ">1</text>" in svg and ">2</text>" in svg
    xs = [float(x) for x in re.findall(r'cx="([\d.]+)"', svg)]
    assert all(12 <= x <= 988 for x in xs)
