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
        [(ids.SEARCH_DROPDOWN, "search_value", query), (ids.LANG_STORE, "data", lang)],
        state=[(ids.SEARCH_DROPDOWN, "value", value)],
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
    assert options[0]["label"] == "Lizhuang Village 12 (Village · Dong Town 1)"
    assert options[0]["value"] == "T12"
    options = response_of(suggest(client, "T12", lang="zh"))[ids.SEARCH_DROPDOWN]["options"]
    assert options[0]["label"] == "李庄村12 (村（社区） · 东镇1)"
    options = response_of(suggest(client, "T"))[ids.SEARCH_DROPDOWN]["options"]
    assert (options[0]["label"], options[0]["value"]) == ("Test District (District)", "T")


def test_search_keeps_the_chosen_value_listed(client):
    assert option_values(suggest(client, "dong", value="T2112"))[0] == "T2112"


def test_search_without_match_or_query(client):
    assert option_values(suggest(client, "zzz")) == []
    assert option_values(suggest(client, "")) == []
    assert option_values(suggest(client, None)) == []
    # An empty query with a chosen value keeps the options (the dropdown still shows it).
    resp = suggest(client, "", value="T1")
    assert response_of(resp) == {}  # no_update: the dropdown keeps its options


@pytest.mark.parametrize("query", ["dongzhen", "dong zhen", "DongZhen", "Dong Town", "dz"])
def test_options_carry_what_the_browser_matches(client, query):
    # The Dash 4 dropdown filters the options again against label and ``search``: in the
    # Chinese page the label is Chinese, so every typed word must appear in ``search``.
    options = response_of(suggest(client, query, lang="zh"))[ids.SEARCH_DROPDOWN]["options"]
    assert options and options[0]["label"].startswith("东镇")
    for option in options:
        words = option["search"].lower().split()
        assert all(any(w.startswith(q) for w in words) for q in query.lower().split())
    first = options[0]["search"].lower()
    assert all(part in first for part in ("dong zhen", "dongzhen", "dz", "dong town 1", "t1"))


def test_chosen_value_follows_the_language(client):
    # After a language switch the chosen grid's label is re-sent in the new language.
    resp = call(
        client,
        [(ids.SEARCH_DROPDOWN, "options")],
        [(ids.SEARCH_DROPDOWN, "search_value", None), (ids.LANG_STORE, "data", "en")],
        state=[(ids.SEARCH_DROPDOWN, "value", "T12")],
        changed=[f"{ids.LANG_STORE}.data"],
    )
    options = response_of(resp)[ids.SEARCH_DROPDOWN]["options"]
    assert [(o["label"], o["value"]) for o in options] == [
        ("Lizhuang Village 12 (Village · Dong Town 1)", "T12")
    ]
