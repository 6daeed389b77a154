"""The search callback (callbacks/search.py) through the Flask test client."""

from __future__ import annotations

import pytest

from tests.dash_http import (
    call,
    response_of,
)
from ui import ids


@pytest.fixture(scope="module")
def district(tiny_app):
    return tiny_app.server.extensions["gridmap"].district


def suggest(client, query, value=None, lang="en"):
    return call(
        client,
        [(ids.SEARCH_DROPDOWN, "options")],
        [(ids.SEARCH_DROPDOWN, "search_value", query)],
        state=[(ids.SEARCH_DROPDOWN, "value", value), (ids.LANG_STORE, "data", lang)],
    )


def option_values(resp) -> list[str]:
    return [o["value"] for o in response_of(resp)[ids.SEARCH_DROPDOWN]["options"]]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("东镇2", ["T2"]),
        ("东镇", ["T1", "T2"]),
        ("dong zhen", ["T1", "T2"]),
        ("dongzhen", ["T1", "T2"]),
        ("DongZhen", ["T1", "T2"]),
        ("dz", ["T1", "T2"]),  # pinyin initials
        ("Dong Town 2", ["T2"]),
        ("lizhuang village 12", ["T12"]),
        ("T11", ["T11", "T111", "T112"]),
        ("t2222", ["T2222"]),
    ],
)
def test_search_options(client, query, first):
    assert option_values(suggest(client, query))[: len(first)] == first


def test_search_option_labels(client):
    options = response_of(suggest(client, "T12"))[ids.SEARCH_DROPDOWN]["options"]
    assert options[0] == {"label": "Lizhuang Village 12 (Village · Dong Town 1)", "value": "T12"}
    options = response_of(suggest(client, "T12", lang="zh"))[ids.SEARCH_DROPDOWN]["options"]
    assert options[0]["label"] == "李庄村12 (村（社区） · 东镇1)"
    options = response_of(suggest(client, "T"))[ids.SEARCH_DROPDOWN]["options"]
    assert options[0] == {"label": "Test District (District)", "value": "T"}


def test_search_keeps_the_chosen_value_listed(client):
    assert option_values(suggest(client, "dong", value="T2112"))[0] == "T2112"


def test_search_without_match_or_query(client):
    assert option_values(suggest(client, "zzz")) == []
    assert option_values(suggest(client, "")) == []
    assert option_values(suggest(client, None)) == []
    # An empty query with a chosen value keeps the options (the dropdown still shows it).
    resp = suggest(client, "", value="T1")
    assert response_of(resp) == {}  # no_update: the dropdown keeps its options
