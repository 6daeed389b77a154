"""The demo's duty roster: synthetic and labelled so, deterministic, the article's numbers."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import geopandas as gpd

from gridmap.clock import LOCAL_TZ
from gridmap.demo.duty import build_roster, roster_text
from gridmap.duty.on_duty import on_duty
from gridmap.duty.roster import district_lookups, parse_roster
from gridmap.grids.district import load_district

GEO = Path(__file__).resolve().parents[2] / "data" / "geo"


def test_the_committed_roster_is_the_builders_and_checks():
    grids = gpd.read_file(GEO / "grids.gpkg")
    posts = gpd.read_file(GEO / "posts.gpkg")
    built = build_roster(grids, posts)
    assert (GEO / "duty.json").read_text(encoding="utf-8") == roster_text(built)
    assert json.loads(roster_text(built)) == built
    assert built["synthetic"] is True and "Synthetic" in built["source"]
    district = load_district(GEO)
    found, problems = parse_roster(
        built, district_lookups(district.chain, district), set(district.posts.index)
    )
    assert problems == []
    officers = [t for t in found.teams if t.role == "officer"]
    members = [t for t in found.teams if t.role == "grid_member"]
    # The article: 100 police rooms, each with one auxiliary officer; grid members in every
    # level-5 grid (the grids' staff column).
    assert len(officers) == 100 and sum(t.count for t in officers) == 100
    assert len(members) == 6438
    assert sum(t.count for t in members) == int(grids.loc[grids["level"] == 5, "staff"].sum())
    # A Wednesday morning: officers on duty but those resting; at night none.
    morning = on_duty(found, datetime(2026, 12, 2, 10, 0, tzinfo=LOCAL_TZ))
    assert 80 <= morning.on_duty["officer"] < 100
    assert morning.on_duty["grid_member"] == morning.rostered["grid_member"]
    night = on_duty(found, datetime(2026, 12, 2, 23, 0, tzinfo=LOCAL_TZ))
    assert night.on_duty == {"officer": 0, "grid_member": 0}
    saturday = on_duty(found, datetime(2026, 12, 5, 10, 0, tzinfo=LOCAL_TZ))
    assert 0 < saturday.on_duty["grid_member"] < saturday.rostered["grid_member"] / 2
