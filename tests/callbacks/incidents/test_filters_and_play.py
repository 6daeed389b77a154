"""Incident callbacks of the main map: filters, playback, live refresh and translation.

Posted over HTTP the way the browser posts them.
The app holds the incidents of tests/incident_fixtures.py (see there).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gridmap.i18n import t
from gridmap.incidents.filters import IncidentFilters
from tests.callbacks.incident_support import (
    ALL_STATUSES,
    FILTER_OUTPUTS,
    PLAY_OUTPUTS,
    unchanged,
)
from tests.dash_http import call, response_of
from tests.incident_fixtures import incident
from ui import ids


def filters(client, start, end, categories=(), statuses=ALL_STATUSES, offset=0, play=None,
            step="week", lang="en", changed=None):  # fmt: skip
    inputs = [
        (ids.DATE_RANGE, "start_date", start),
        (ids.DATE_RANGE, "end_date", end),
        (ids.CATEGORY_SELECT, "value", list(categories)),
        (ids.STATUS_CHECKLIST, "value", statuses),
        (ids.TIME_SLIDER, "value", offset),
        (ids.PLAY_STORE, "data", play or {"playing": False}),
        (ids.STEP_RADIO, "value", step),
        (ids.LANG_STORE, "data", lang),
    ]
    out = response_of(call(client, FILTER_OUTPUTS, inputs, changed=changed))
    key = out[ids.FILTERS_STORE]["data"]
    return (
        IncidentFilters.from_key(key),
        out[ids.TIME_SLIDER]["max"],
        out[ids.WINDOW_LABEL]["children"],
    )


def test_filters_whole_range(client):
    chosen, last, label = filters(client, "2025-03-01", "2025-03-31")
    assert chosen == IncidentFilters("2025-03-01", "2025-03-31")
    assert chosen.statuses is None  # every status ticked means "all"
    assert last == 30
    assert label == "Showing 2025-03-01 to 2025-03-31"


def test_filters_swap_dates_and_cut_times(client):
    chosen, last, _ = filters(client, "2025-03-31T00:00:00", "2025-03-01T00:00:00")
    assert (chosen.start, chosen.end) == ("2025-03-01", "2025-03-31")
    assert last == 30
    # A one-day range still gives the slider a non-empty span.
    assert filters(client, "2025-03-05", "2025-03-05")[1] == 1


def test_filters_categories_sorted(client):
    chosen, _, _ = filters(client, "2025-03-01", "2025-03-31", categories=["security", "fire"])
    assert chosen.categories == ("fire", "security")


def test_filters_statuses_none_and_some(client):
    none, _, _ = filters(client, "2025-03-01", "2025-03-31", statuses=[])
    assert none.statuses == ()
    assert none.store_filters()["statuses"] == []
    some, _, _ = filters(client, "2025-03-01", "2025-03-31", statuses=["resolved", "reported"])
    assert some.statuses == ("reported", "resolved")
    every, _, _ = filters(client, "2025-03-01", "2025-03-31", statuses=None)
    assert every.statuses is None


def test_filters_playback_window(client):
    chosen, last, label = filters(
        client, "2025-03-01", "2025-03-31", offset=7, play={"playing": True}
    )
    assert (chosen.start, chosen.end) == ("2025-03-08", "2025-03-14")
    assert last == 30  # the slider spans the whole range, not the window
    assert label == "Showing 2025-03-08 to 2025-03-14"
    chosen, _, _ = filters(
        client, "2025-03-01", "2025-03-31", offset=0, play={"playing": True}, step="day"
    )
    assert (chosen.start, chosen.end) == ("2025-03-01", "2025-03-01")
    # Paused on a step (slider moved, not playing): still the window.
    chosen, _, _ = filters(client, "2025-03-01", "2025-03-31", offset=28)
    assert (chosen.start, chosen.end) == ("2025-03-29", "2025-03-31")


def test_filters_label_in_chinese(client):
    _, _, label = filters(client, "2025-03-01", "2025-03-31", lang="zh")
    assert label == "显示：2025-03-01 至 2025-03-31"


# -- play -----------------------------------------------------------------------------------
def play(client, changed, state, offset, last=30, step="week", lang="en"):
    inputs = [
        (ids.PLAY_BUTTON, "n_clicks", 1),
        (ids.PLAY_INTERVAL, "n_intervals", 1),
        (ids.LANG_STORE, "data", lang),
    ]
    states = [
        (ids.PLAY_STORE, "data", state),
        (ids.TIME_SLIDER, "value", offset),
        (ids.TIME_SLIDER, "max", last),
        (ids.STEP_RADIO, "value", step),
    ]
    out = response_of(call(client, PLAY_OUTPUTS, inputs, states, changed=[changed]))
    return (
        out[ids.PLAY_STORE]["data"]["playing"],
        out[ids.PLAY_INTERVAL]["disabled"],
        out[ids.PLAY_BUTTON]["children"],
        out[ids.TIME_SLIDER]["value"],
    )


CLICK = f"{ids.PLAY_BUTTON}.n_clicks"
TICK = f"{ids.PLAY_INTERVAL}.n_intervals"


def test_play_starts_from_the_first_day(client):
    assert play(client, CLICK, {"playing": False}, 12) == (True, False, "■ Stop", 0)


def test_play_stop_returns_to_the_whole_range(client):
    assert play(client, CLICK, {"playing": True}, 14) == (False, True, "▶ Play", 0)


@pytest.mark.parametrize(("step", "offset", "expected"), [("week", 7, 14), ("day", 7, 8)])
def test_tick_advances_by_step(client, step, offset, expected):
    assert play(client, TICK, {"playing": True}, offset, step=step) == (
        True,
        False,
        "■ Stop",
        expected,
    )


def test_tick_stops_at_the_end(client):
    # 28 + 7 runs past the last offset (30): stop and show the whole range again.
    assert play(client, TICK, {"playing": True}, 28) == (False, True, "▶ Play", 0)
    # Exactly on the last offset is still shown.
    assert play(client, TICK, {"playing": True}, 29, step="day")[3] == 30


def test_tick_while_paused_changes_nothing(client):
    assert play(client, TICK, {"playing": False}, 5) == (False, True, "▶ Play", 5)


def test_play_label_follows_language(client):
    assert play(client, f"{ids.LANG_STORE}.data", {"playing": False}, 0, lang="zh")[2] == "▶ 回放"


# -- refresh --------------------------------------------------------------------------------
def refresh(client, known):
    return call(
        client,
        [(ids.VERSION_STORE, "data")],
        [(ids.REFRESH_INTERVAL, "n_intervals", 3)],
        [(ids.VERSION_STORE, "data", known)],
    )


def test_refresh_only_when_the_version_changes(client, store):
    version = store.version()
    assert version > 0
    assert unchanged(refresh(client, version))  # no_update
    assert response_of(refresh(client, None))[ids.VERSION_STORE]["data"] == version
    # A new incident (in 2024: outside every range the other tests use) bumps the version.
    store.insert(
        [
            incident(
                "refresh-1", "T2222", 114.87, 33.77, reported_at=datetime(2024, 1, 5, tzinfo=UTC)
            )
        ]
    )
    new = response_of(refresh(client, version))[ids.VERSION_STORE]["data"]
    assert new == store.version() > version
    assert unchanged(refresh(client, new))


# -- translate ------------------------------------------------------------------------------
TRANSLATE_OUTPUTS = [
    (ids.CATEGORY_SELECT, "options"),
    (ids.CATEGORY_SELECT, "placeholder"),
    (ids.STATUS_CHECKLIST, "options"),
    (ids.STEP_RADIO, "options"),
    (ids.STATS_RANK, "options"),
    (ids.STATS_EXPORT, "children"),
    (ids.CATEGORY_SELECT, "labels"),
    (ids.STATS_RANK, "labels"),
]


@pytest.mark.parametrize(
    ("lang", "category", "placeholder", "status", "step", "rank", "export"),
    [
        ("en", "Neighbourhood disputes", "All categories", "Resolved", None, None, "Export CSV"),
        ("zh", "邻里纠纷", "全部类别", "已办结", None, None, "导出 CSV"),
    ],
)
def test_translate(client, lang, category, placeholder, status, step, rank, export):
    out = response_of(call(client, TRANSLATE_OUTPUTS, [(ids.LANG_STORE, "data", lang)]))
    categories = out[ids.CATEGORY_SELECT]["options"]
    assert categories[0] == {"label": category, "value": "neighbourhood"}
    assert len(categories) == 12
    assert out[ids.CATEGORY_SELECT]["placeholder"] == placeholder
    statuses = out[ids.STATUS_CHECKLIST]["options"]
    assert [o["value"] for o in statuses] == ALL_STATUSES
    assert statuses[2]["label"] == status
    assert [o["value"] for o in out[ids.STEP_RADIO]["options"]] == ["day", "week"]
    assert [o["value"] for o in out[ids.STATS_RANK]["options"]] == ["count", "per_1000"]
    assert out[ids.STATS_EXPORT]["children"] == export
    for dropdown in (ids.CATEGORY_SELECT, ids.STATS_RANK):
        assert out[dropdown]["labels"]["no_options_found"] == t("dropdown-no-options-found", lang)
    other = response_of(
        call(client, TRANSLATE_OUTPUTS, [(ids.LANG_STORE, "data", "zh" if lang == "en" else "en")])
    )
    assert other[ids.STEP_RADIO]["options"] != out[ids.STEP_RADIO]["options"]
    assert other[ids.STATS_RANK]["options"] != out[ids.STATS_RANK]["options"]


def test_the_page_starts_with_the_filters_first_answer(client, store):
    # The layout holds what the filter callbacks would answer on a load (they do not run then):
    # the map's first answer waits for no round trip of theirs.
    from tests.dash_http import find_component

    layout = client.get("/_dash-layout").get_json()
    props = {
        i: find_component(layout, i)["props"]
        for i in (ids.DATE_RANGE, ids.FILTERS_STORE, ids.VERSION_STORE, ids.TIME_SLIDER,
                  ids.WINDOW_LABEL, ids.LANG_STORE)
    }  # fmt: skip
    lang = props[ids.LANG_STORE]["data"]
    dates = props[ids.DATE_RANGE]
    chosen, last, label = filters(client, dates["start_date"], dates["end_date"], lang=lang)
    assert IncidentFilters.from_key(props[ids.FILTERS_STORE]["data"]) == chosen
    assert props[ids.TIME_SLIDER]["max"] == last
    assert props[ids.WINDOW_LABEL]["children"] == label
    assert props[ids.VERSION_STORE]["data"] == store.version()
