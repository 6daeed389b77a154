"""The wall of a kiosk link scoped to several townships, and the staff on duty, on the demo data.

The demo district (21 townships, its synthetic duty.json): a link of two townships shows their
name, outlines, ranks and counts those two, never a third township's incidents, and its staff
on duty is theirs; the dispatch time tile is the scope's mean (and P90) against last week.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app import create_app
from gridmap.duty.on_duty import on_duty
from gridmap.settings import ROOT
from gridmap.views.wall import format_kpis, wall_kpis
from gridmap.views.wall_changes import value_text
from gridmap.views.wall_panels import scope_weeks
from tests.callbacks.test_wall import configure, kiosk_client, refresh
from tests.fake_clock import FakeClock
from tests.incident_fixtures import stored_record
from ui import wall_ids as ids
from web.runtime import EXTENSION_KEY

#: The kiosk's townships (in file order) and a third one whose data it must never show.
LIUHU, XINZHAN, OTHER = "411603001", "411603101", "411603102"


@pytest.fixture(scope="module")
def clock():
    # Monday 2026-06-15 10:00 in the district: the demo's officers and grid members work.
    return FakeClock("2026-06-15T02:00:00+00:00")


@pytest.fixture(scope="module")
def app(clock, tmp_path_factory):
    database = tmp_path_factory.mktemp("wall-townships") / "wall.sqlite"
    return create_app(
        {
            "data_dir": ROOT / "data" / "geo",
            "lang": "zh",
            "cache_type": "SimpleCache",
            "database_url": f"sqlite:///{database}",
            "demo_incidents": False,
            "login_limit": "100000 per minute",
            "login_name_limit": "100000 per minute",
        },
        clock=clock,
    )


@pytest.fixture(scope="module")
def runtime(app):
    return app.server.extensions[EXTENSION_KEY]


def leaf_of(district, grid: str) -> str:
    while district.children(grid):
        grid = district.children(grid)[0]
    return grid


@pytest.fixture(scope="module")
def incidents(runtime, clock):
    """Incidents in each of the three townships, today and last week, dispatched or not."""
    district, now = runtime.district, clock()
    records = []
    for town, n in ((LIUHU, 2), (XINZHAN, 3), (OTHER, 4)):
        leaf = leaf_of(district, town)
        chain = district.chain(leaf)
        point = district.label_points[leaf]
        for k in range(n):
            for week, minutes in ((0, 30), (1, 90)):
                reported = now - timedelta(days=7 * week, minutes=60 + k)
                records.append(
                    {**stored_record(f"{town}-{week}-{k}", reported_at=reported,
                                     status="dispatched", lon=point[0], lat=point[1],
                                     dispatched_at=reported + timedelta(minutes=minutes)),
                     **{f"g{lv}": chain[lv - 1] for lv in range(1, 6)}}
                )  # fmt: skip
    runtime.incident_store.insert(records)


@pytest.fixture(scope="module")
def hall(app, runtime):
    key = runtime.accounts.add_kiosk("two-towns", grid=[XINZHAN, LIUHU])
    return kiosk_client(app, key)


def test_the_kiosk_of_two_townships_is_named_outlined_and_toured_by_them(hall, runtime):
    answer = configure(hall, "?lang=zh")
    assert answer[ids.TITLE]["children"] == "柳湖街道 · 新站镇"
    views = answer[ids.VIEWS_STORE]["data"]
    assert views["scoped"] is True and views["district"]["id"] == f"{LIUHU},{XINZHAN}"
    assert [v["id"] for v in views["townships"]] == [LIUHU, XINZHAN]
    # The map outlines and names those two townships only.
    patch = next(v for k, v in answer.items() if k.startswith(ids.MAP))["figure"]
    ops = {tuple(op["location"]): op["params"]["value"] for op in patch["operations"]}
    assert ops[("data", 0, "geojson")].endswith("level-2.geojson")
    district = runtime.district
    assert ops[("data", 0, "locations")] == [district.key_of[LIUHU], district.key_of[XINZHAN]]
    assert ops[("data", 0, "text")] == ["柳湖街道", "新站镇"]
    assert answer[ids.RANKING_TITLE]["children"] == "乡镇（街道）排名"


def test_the_kiosk_of_two_townships_counts_theirs_and_no_other(hall, runtime, clock, incidents):
    answer = refresh(hall, {"lang": "zh", "refresh": 7}).get_json()["response"]
    store, now = runtime.incident_store, clock()
    within = [(2, LIUHU), (2, XINZHAN)]
    expected = format_kpis(wall_kpis(store, now, None, within=within))
    assert expected["today"] == "5"  # 2 + 3, not the third township's 4
    for name in ("today", "week", "open"):
        assert answer[ids.kpi_value(name)]["children"] == expected[name], name
    ticker = json.dumps(answer[ids.TICKER]["children"], ensure_ascii=False)
    assert f"{LIUHU}-0-0" in ticker and f"{XINZHAN}-0-2" in ticker and OTHER not in ticker
    assert "王店" not in ticker  # the other township's name
    ranking = json.dumps(answer[ids.RANKING]["children"], ensure_ascii=False)
    assert "柳湖街道" in ranking and "新站镇" in ranking
    names = [runtime.district.record(g)["name_zh"] for g in runtime.district.level_ids(2)]
    assert [n for n in names if n in ranking] == ["柳湖街道", "新站镇"]
    # Heat: only the two townships' incidents of the last 7 days.
    ops = {op["location"][-1]: op["params"]["value"] for op in
           answer[ids.MAP]["figure"]["operations"]}  # fmt: skip
    assert sum(ops["z"]) == store.count(start=now - timedelta(days=7), within=within) == 5
    # The dispatch time: theirs this week (30 min) against last week (90 min): faster, good.
    weeks = scope_weeks(store, now, within)
    assert weeks["dispatch_mean_h"] == (pytest.approx(0.5), pytest.approx(1.5))
    assert answer[ids.kpi_value("dispatch_time")]["children"] == value_text("dispatch_time", 0.5)
    assert answer[ids.kpi_change("dispatch_time")]["children"] == "较上周 ▼1.0小时"
    assert "wall-change-good" in answer[ids.kpi_change("dispatch_time")]["className"]
    assert answer[ids.DISPATCH_P90]["children"] == "P90 0.5小时"
    # The staff on duty: the two townships' officers and grid members, of their roster.
    duty = on_duty(runtime.duty_roster, now, [LIUHU, XINZHAN])
    everyone = on_duty(runtime.duty_roster, now)
    assert 0 < duty.rostered["officer"] < everyone.rostered["officer"]
    shown = json.dumps(answer[ids.DUTY]["children"], ensure_ascii=False)
    assert f'"{duty.on_duty["officer"]:,}"' in shown
    assert f'"/{duty.rostered["officer"]:,}"' in shown
    assert f'"{duty.on_duty["grid_member"]:,}"' in shown
    assert f'"{everyone.on_duty["grid_member"]:,}"' not in shown
    assert "合成" in shown  # the demo's roster is synthetic, and says so
    # The coverage figure is the two townships' people.
    table = runtime.coverage_model.coverage(5).grid_table().set_index("grid_id")
    rows = table.loc[[LIUHU, XINZHAN]]
    share = rows["covered_population"].sum() / rows["population"].sum()
    assert answer[ids.COVERAGE]["children"] == f"{share:.1%}"


def test_the_staff_on_duty_follows_the_clock(hall, runtime, clock, incidents):
    first = refresh(hall, {"lang": "zh", "refresh": 7}).get_json()["response"]
    known = first[ids.VERSION_STORE]["data"]
    # Nothing changed: no new figures.
    same = refresh(hall, {"lang": "zh", "refresh": 7}, known).get_json()["response"]
    assert ids.DUTY not in same
    # 20:30: the officers' shift is over, and the page is told though the data did not change.
    clock.advance(hours=10, minutes=30)
    try:
        later = refresh(hall, {"lang": "zh", "refresh": 7}, known).get_json()["response"]
        shown = json.dumps(later[ids.DUTY]["children"], ensure_ascii=False)
        assert '"0"' in shown
    finally:
        clock.advance(hours=-10, minutes=-30)
