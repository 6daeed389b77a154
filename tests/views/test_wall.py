"""The wall's domain: URL settings, KPIs and ticker rows against hand-computed values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gridmap.incidents.store import IncidentStore
from gridmap.views.wall import (
    DEFAULT_LAYERS,
    DEFAULT_TOUR_SECONDS,
    LOCAL_TZ,
    MAX_HOME_ZOOM,
    MAX_TOUR_ZOOM,
    day_start,
    format_kpis,
    grid_view,
    newest_village,
    parse_wall_query,
    refresh_key,
    ticker_rows,
    tour_views,
    wall_kpis,
    week_start,
)
from tests.incident_fixtures import stored_record

# Thursday 2025-12-04 10:00 in Huaiyang (02:00 UTC): the week began on Monday 2025-12-01.
NOW = datetime(2025, 12, 4, 10, 0, tzinfo=LOCAL_TZ)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 12, day, hour, minute, tzinfo=LOCAL_TZ)


@pytest.fixture()
def store(tmp_path) -> IncidentStore:
    return IncidentStore(f"sqlite:///{tmp_path / 'wall.sqlite'}", clock=lambda: NOW)


@pytest.fixture()
def filled(store) -> IncidentStore:
    """Seven incidents around NOW (times local):

    a  today 09:00      reported                      village D-1-1-1
    b  today 00:30      resolved today 08:00          village D-1-2-1
    c  yesterday 23:59  dispatched                    village D-2-1-1
    d  Monday 00:00     closed (resolved Tue 10:00)   village D-1-1-1
    e  Sunday 23:59     reported (last week)          village D-2-2-1
    f  3 weeks ago      resolved today 09:30          village D-1-1-1
    g  Sunday 12:00     dispatched (last week)        village D-1-1-2
    """
    records = [
        stored_record("a", "D-1-1-1-1", reported_at=local(4, 9), category="fire"),
        stored_record(
            "b", "D-1-2-1-1", reported_at=local(4, 0, 30), status="resolved",
            resolved_at=local(4, 8),
        ),
        stored_record(
            "c", "D-2-1-1-1", reported_at=local(3, 23, 59), status="dispatched",
            dispatched_at=local(4, 0), category="labour",
        ),
        stored_record(
            "d", "D-1-1-1-2", reported_at=local(1, 0), status="closed",
            resolved_at=local(2, 10), closed_at=local(2, 12),
        ),
        stored_record("e", "D-2-2-1-1", reported_at=local(0 + 30, 23, 59).replace(month=11)),
        stored_record(
            "f", "D-1-1-1-1", reported_at=local(13, 8).replace(month=11), status="resolved",
            resolved_at=local(4, 9, 30),
        ),
        stored_record(
            "g", "D-1-1-2-1", reported_at=local(30, 12).replace(month=11), status="dispatched",
            dispatched_at=local(30, 13).replace(month=11),
        ),
    ]  # fmt: skip
    result = store.insert(records)
    assert len(result.stored) == 7
    return store


def test_day_and_week_start_are_local():
    assert day_start(NOW) == local(4, 0)
    assert week_start(NOW) == local(1, 0)
    # 23:30 UTC on Sunday is already Monday 07:30 in Huaiyang.
    late = datetime(2025, 11, 30, 23, 30, tzinfo=UTC)
    assert day_start(late) == local(1, 0)
    assert week_start(late) == local(1, 0)
    assert refresh_key(NOW) == "2025-12-04T10"


def test_kpis_by_hand(filled):
    kpis = wall_kpis(filled, NOW, 0.8125)
    # today: a, b (c is 23:59 yesterday); week (since Monday 00:00): a, b, c, d.
    assert kpis["today"] == 2
    assert kpis["week"] == 4
    # open = reported or dispatched, whenever reported: a, c, e, g.
    assert kpis["open"] == 4
    # resolved since local midnight: b (08:00) and f (09:30); d was resolved on Tuesday.
    assert kpis["resolved_today"] == 2
    # this week's a, b, c, d: b resolved and d closed -> 2 of 4.
    assert kpis["resolution_rate"] == pytest.approx(0.5)
    assert kpis["population_share"] == 0.8125
    assert format_kpis(kpis) == {
        "today": "2",
        "week": "4",
        "open": "4",
        "resolved_today": "2",
        "resolution_rate": "50.0%",
        "population_share": "81.2%",
    }


def test_kpis_of_an_empty_store(store):
    kpis = wall_kpis(store, NOW, None)
    assert kpis == {
        "today": 0,
        "week": 0,
        "open": 0,
        "resolved_today": 0,
        "resolution_rate": None,
        "population_share": None,
    }
    assert format_kpis(kpis)["resolution_rate"] == "—"
    assert ticker_rows(store, "zh") == []
    assert newest_village(store) is None


def test_ticker_rows_newest_first_with_names(filled):
    names = {"D-1-1": "李庄村", "D-1": "东镇", "D-2-1": "王庄村"}
    rows = ticker_rows(filled, "zh", names, limit=3, now=NOW)
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    first = rows[0]
    assert first["time"] == "09:00"
    assert first["village"] == "李庄村"
    assert first["township"] == "东镇"
    assert first["category"] == "消防安全隐患"
    assert first["status"] == "已上报" and first["open"] is True
    assert rows[1]["status_id"] == "resolved" and rows[1]["open"] is False
    # Yesterday's incident shows its date; an id without a name shows as is.
    assert rows[2]["time"] == "12-03 23:59"
    assert rows[2]["village"] == "王庄村" and rows[2]["township"] == "D-2"
    english = ticker_rows(filled, "en", {}, limit=1)
    assert english[0]["category"] == "Safety hazard: fire"
    assert english[0]["village"] == "D-1-1"
    assert newest_village(filled) == "D-1-1"


def test_new_incident_moves_kpis_and_ticker(filled):
    before = wall_kpis(filled, NOW, None)
    version = filled.version()
    filled.insert([stored_record("h", "D-2-2-2-2", reported_at=local(4, 9, 59))])
    assert filled.version() > version
    after = wall_kpis(filled, NOW, None)
    assert after["today"] == before["today"] + 1
    assert after["open"] == before["open"] + 1
    assert ticker_rows(filled, "zh", limit=1)[0]["id"] == "h"
    assert newest_village(filled) == "D-2-2"


@pytest.mark.parametrize(
    ("query", "expected", "ignored"),
    [
        ("", dict(tour=DEFAULT_TOUR_SECONDS, order="townships", refresh=7, lang="zh"), []),
        (
            "?tour=20&order=newest&layers=heat,coverage&refresh=10&lang=en",
            dict(tour=20, order="newest", refresh=10, lang="en"),
            [],
        ),
        ("tour=1&refresh=0&order=random&lang=fr", dict(tour=20, refresh=7, lang="zh"), 4),
        ("tour=abc&refresh=1e9&lang=", dict(tour=20, refresh=7, lang="zh"), 3),
        ("tour=2.0&refresh=1&tour=5", dict(tour=5, refresh=1), []),
    ],
)
def test_url_settings(query, expected, ignored):
    settings = parse_wall_query(query, refresh_default=7)
    for key, value in expected.items():
        assert getattr(settings, key) == value, key
    if isinstance(ignored, int):
        assert len(settings.ignored) == ignored
    else:
        assert list(settings.ignored) == ignored


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        ("heat", ("heat",)),
        ("posts,gaps,HEAT", ("heat", "gaps", "posts")),
        ("", ()),
        ("bogus", DEFAULT_LAYERS),
        ("heat,bogus", ("heat",)),
    ],
)
def test_url_layers(layers, expected):
    settings = parse_wall_query(f"layers={layers}")
    assert settings.layers == expected
    assert ("layers" in settings.ignored) == ("bogus" in layers)


def test_tour_views_cover_every_township(tiny_dir):
    from gridmap.grids.district import load_district

    district = load_district(tiny_dir)
    views = tour_views(district)
    assert [v["id"] for v in views["townships"]] == district.level_ids(2)
    home = views["district"]
    assert home["id"] == district.root_id and home["zh"] == "测试区"
    # A township is half the district (split west/east, so as tall): seen as close or closer,
    # up to the tour's cap; the home view is fitted to the panel (capped only at 15).
    assert all(v["zoom"] >= min(home["zoom"], MAX_TOUR_ZOOM) for v in views["townships"])
    assert home["max_zoom"] == MAX_HOME_ZOOM and home["zoom"] > MAX_TOUR_ZOOM
    assert views["townships"][0]["center"] != home["center"]
    # Small grids are not fitted to the whole map: the tour stays at most at MAX_TOUR_ZOOM.
    assert grid_view(district, "T1111")["zoom"] == MAX_TOUR_ZOOM
    assert grid_view(district, "T1111", max_zoom=20)["zoom"] > MAX_TOUR_ZOOM
    west, south, east, north = district.grids.total_bounds
    assert west < home["center"][0] < east and south < home["center"][1] < north


def test_now_is_only_read_from_the_argument(filled):
    # A clock a week later: nothing is "today" any more, and last week's incidents are old.
    later = NOW + timedelta(days=7)
    kpis = wall_kpis(filled, later, None)
    assert kpis["today"] == 0 and kpis["week"] == 0 and kpis["resolved_today"] == 0


@pytest.mark.parametrize(
    ("within", "expected"),
    [
        # D-1: a, b today; a, b, d this week (b resolved, d closed); open a, g; resolved b, f.
        ([(2, "D-1")], {"today": 2, "week": 3, "open": 2, "resolved_today": 2}),
        # D-2: c this week (dispatched); open c, e; nothing resolved.
        ([(2, "D-2")], {"today": 0, "week": 1, "open": 2, "resolved_today": 0}),
        ([], {"today": 0, "week": 0, "open": 0, "resolved_today": 0}),
    ],
)
def test_kpis_within_a_scope(filled, within, expected):
    kpis = wall_kpis(filled, NOW, None, within=within)
    assert {k: kpis[k] for k in expected} == expected
    rates = {"D-1": pytest.approx(2 / 3), "D-2": 0.0}
    assert kpis["resolution_rate"] == (rates[within[0][1]] if within else None)


def test_ticker_and_newest_village_within_a_scope(filled):
    assert [r["id"] for r in ticker_rows(filled, "en", within=[(2, "D-2")])] == ["c", "e"]
    assert newest_village(filled, within=[(2, "D-2")]) == "D-2-1"
    assert ticker_rows(filled, "en", within=[]) == []
    assert newest_village(filled, within=[]) is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_wall_and_the_main_pages_filters_say_the_same_word_for_a_status(lang):
    from gridmap.i18n import t
    from gridmap.incidents.categories import STATUSES, status_label

    # The wall writes the categories' own label; the filters' texts are the same words.
    assert [t(f"status-{s}", lang) for s in STATUSES] == [status_label(s, lang) for s in STATUSES]


def test_a_view_carries_its_bounds_for_the_browser_to_fit(district):
    view = grid_view(district, district.root_id)
    box = district.bounds(district.root_id)
    assert view["bounds"] == [round(v, 6) for v in (box.west, box.south, box.east, box.north)]
    assert view["max_zoom"] == MAX_TOUR_ZOOM
