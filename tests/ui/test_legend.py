"""The map legend: one row per overlay that is on, in both languages."""

from __future__ import annotations

import pytest

from tests.auth_support import signed_in
from tests.dash_http import call, response_of, texts
from ui import ids
from ui.legend import map_legend


def row_ids(rows) -> list[str]:
    return [r.id for r in rows]


def test_every_overlay_has_a_legend_row():
    rows = map_legend(["posts", "roads", "heat", "incidents", "coverage", "gaps"], "en")
    assert row_ids(rows) == [
        "map-legend-heat",
        "map-legend-incidents",
        "map-legend-coverage",
        "map-legend-gaps",
    ]
    assert map_legend(["posts", "roads"], "en") == []
    assert map_legend(None, "zh") == []


@pytest.mark.parametrize(("lang", "word"), [("en", "Incident heatmap"), ("zh", "事件热力")])
def test_legend_callback_follows_layers_and_language(tiny_app, lang, word):
    resp = call(
        signed_in(tiny_app),
        [(ids.MAP_LEGEND, "children")],
        [(ids.LAYER_CHECKLIST, "value", ["heat", "gaps"]), (ids.LANG_STORE, "data", lang)],
    )
    words = texts(response_of(resp)[ids.MAP_LEGEND]["children"])
    assert word in words
    assert {"en": "Coverage gaps", "zh": "覆盖盲区"}[lang] in words
