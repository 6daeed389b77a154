"""The workbench's pieces: its table, case panel, actions, timeline, layout and small map."""

from __future__ import annotations

import json

import plotly.utils
import pytest

from layers.dispatch_figure import case_figure
from tests.dash_http import texts
from ui import dispatch_ids as ids
from ui.dispatch_layout import age_options, dispatch_page
from ui.dispatch_panels import (
    action_buttons,
    case_detail,
    duration_text,
    queue_table,
    time_left,
    timeline,
)


def tree(component) -> dict | list:
    return json.loads(json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder))


def ids_in(node) -> list:
    if isinstance(node, list):
        return [i for n in node for i in ids_in(n)]
    if isinstance(node, dict) and "props" in node:
        own = [node["props"]["id"]] if "id" in node["props"] else []
        return own + ids_in(node["props"].get("children"))
    return []


@pytest.mark.parametrize(
    ("seconds", "lang", "text"),
    [
        (59 * 60, "en", "59 min left"),
        (3 * 3600 + 5 * 60, "en", "3 h 5 min left"),
        (-(2 * 86400 + 4 * 3600), "en", "overdue by 2 d 4 h"),
        (-(30 * 60), "zh", "已超期 30 分钟"),
        (47 * 3600, "zh", "剩余 47 小时 0 分"),
    ],
)
def test_time_left_reads_in_minutes_hours_or_days(seconds, lang, text):
    assert time_left(seconds, lang) == text


def test_no_deadline_is_no_text():
    assert time_left(None, "en") == ""
    assert duration_text(0, "en") == "0 min"


ROW = {
    "id": "C-1",
    "category": "neighbourhood",
    "grid": "Grid 1111",
    "state": "registered",
    "reported_at": "2026-06-15T01:00:00+00:00",
    "unit": None,
    "seconds_left": -600.0,
    "overdue": True,
    "due_soon": False,
}


def test_the_queue_table_opens_and_picks_each_case_and_marks_overdue_ones():
    table = tree(queue_table([ROW], 7, "en"))
    found = ids_in(table)
    assert ids.open_case("C-1") in found and ids.pick("C-1") in found
    words = texts(table)
    assert "Registered" in words and "overdue by 10 min" in words
    assert "1 of 7 shown" in words
    assert "2026-06-15 09:00" in words  # local time (UTC+8)
    assert '"due due-overdue"' in json.dumps(table)


def test_an_empty_queue_says_so():
    assert texts(tree(queue_table([], 0, "zh"))) == ["该队列暂无案件"]


def test_user_text_is_text_never_markup():
    case = {
        "id": "C-2",
        "category": "family",
        "state": "handled",
        "reported_at": "2026-06-15T01:00:00+00:00",
        "description": "<b>bold</b> <script>x()</script>",
        "reporter": "<i>me</i>",
        "chain": ["Test District", "Dong Town 1"],
        "due": {"stage": "close", "due_at": "2026-06-16T01:00:00+00:00", "seconds_left": 90000},
        "escalation": 1,
    }
    detail = tree(case_detail(case, "en"))
    words = texts(detail)
    assert "<b>bold</b> <script>x()</script>" in words and "<i>me</i>" in words
    assert "Test District › Dong Town 1" in words
    assert "Escalated (district)" in words
    assert "dangerously_allow_html" not in json.dumps(detail)


def test_the_action_buttons_are_the_allowed_ones_in_the_loop_order():
    buttons = tree(action_buttons(["handle", "return", "comment"], "zh"))
    assert [b["props"]["id"] for b in buttons] == [
        ids.act(a) for a in ("handle", "return", "comment")
    ]
    assert texts(buttons) == ["处置", "退回", "备注"]
    assert texts(tree(action_buttons([], "en"))) == ["No action is open to you in this state"]


def test_the_timeline_names_who_when_what_and_the_note():
    rows = [
        {"actor": "demo-township", "role": "township", "at": "2026-06-15T02:00:00+00:00",
         "action": "dispatch", "from_state": "registered", "to_state": "dispatched",
         "unit": "Mediation centre", "note": None},
        {"actor": "unit-a", "role": "unit", "at": "2026-06-15T03:00:00+00:00",
         "action": "handle", "from_state": "dispatched", "to_state": "handled",
         "unit": None, "note": "<done>"},
    ]  # fmt: skip
    words = texts(tree(timeline(rows, "en")))
    assert "Dispatch" in words and "Registered → Dispatched" in words
    assert "demo-township · Township officer" in words or any(
        w.startswith("demo-township · ") for w in words
    )
    assert "unit-a · Unit staff" in words and "<done>" in words and "→ Mediation centre" in words
    assert "2026-06-15 11:00" in words


def test_the_age_filter_offers_hours_then_days():
    assert [o["label"] for o in age_options("en")] == [
        "Any age", "Older than 4 h", "Older than 24 h", "Older than 3 days", "Older than 7 days",
    ]  # fmt: skip


def test_the_page_has_every_queue_tab_with_a_count():
    page = tree(
        dispatch_page(
            "zh",
            "测试区",
            5,
            user_name="x",
            role="township",
            grid_options=[],
            category_options=[],
            unit_options=[],
        )  # fmt: skip
    )
    found = ids_in(page)
    for name in ids.QUEUES:
        assert ids.queue(name) in found and ids.queue_count(name) in found
    words = texts(page)
    for label in ("待受理", "待派遣", "已超期", "24小时内到期", "督办", "我的"):
        assert label in words


def test_the_case_map_draws_the_grid_and_the_point_offline():
    figure = case_figure(114.8, 33.7, ([114.79, 114.81, None], [33.69, 33.71, None]), 14.0,
                         {k: f"/geo/v/{k}.geojson" for k in
                          ("water", "roads-minor", "roads-major", "coverage", "gaps", "outline")},
                         "C-1")  # fmt: skip
    assert figure["layout"]["map"]["style"] == "white-bg"
    assert [t["type"] for t in figure["data"]] == ["scattermap", "scattermap"]
    assert figure["data"][1]["lon"] == [114.8]
    sources = [layer["source"] for layer in figure["layout"]["map"]["layers"]]
    assert all(str(s).startswith("/geo/") for s in sources)
