"""The detail panel's level wording (ui/panels.py): the district's own, else the default."""

from __future__ import annotations

import json

import plotly.utils

from gridmap.grids.district import load_district
from gridmap.grids.summary import grid_summary
from tests.dash_http import texts
from ui.panels import detail_panel


def _panel_texts(summary: dict, lang: str) -> list[str]:
    tree = json.loads(json.dumps(detail_panel(summary, lang), cls=plotly.utils.PlotlyJSONEncoder))
    return texts(tree)


def test_the_level_reads_as_the_district_names_it(tiny_dir, tmp_path):
    summary = grid_summary(load_district(tiny_dir), "T")
    assert "1 · 区" in _panel_texts(summary, "zh")
    county = {**summary, "grid": {**summary["grid"], "level_name": {"zh": "县", "en": "County"}}}
    assert "1 · 县" in _panel_texts(county, "zh")
    assert "1 · County" in _panel_texts(county, "en")
    bare = {**summary, "grid": {k: v for k, v in summary["grid"].items() if k != "level_name"}}
    assert "1 · District" in _panel_texts(bare, "en")
