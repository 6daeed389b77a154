"""The planner's scenario: validation, URL round trip, edits, map clicks and exports."""

from __future__ import annotations

import csv
import io
import math

import pytest

from gridmap.coverage.scenario import (
    CLICK_RADIUS_PX,
    MAX_ADDED,
    Scenario,
    ScenarioError,
    apply_click,
    export_csv,
    export_geojson,
    metres_per_pixel,
    parse_query,
)
from gridmap.errors import GridmapError

POSTS = [
    {
        "post_id": "P1",
        "name_zh": "一号警务室",
        "name_en": "Post 1",
        "officers": 1,
        "ebikes": 1,
        "lon": 114.81,
        "lat": 33.71,
    },
    {
        "post_id": "P2",
        "name_zh": "二号警务室",
        "name_en": "Post 2",
        "officers": 2,
        "ebikes": 0,
        "lon": 114.85,
        "lat": 33.73,
    },
]
KPIS = {
    "area_share": 0.5,
    "population_share": 0.6,
    "incident_share": None,
    "covered_population": 60,
}
BASE = {
    "area_share": 0.4,
    "population_share": 0.5,
    "incident_share": None,
    "covered_population": 50,
}

M_PER_DEG_LAT = 110_540


def m_per_deg_lon(lat: float) -> float:
    return 111_320 * math.cos(math.radians(lat))


# --- validation -------------------------------------------------------------------------------


def test_defaults_are_the_five_minute_baseline():
    s = Scenario()
    assert (s.minutes, s.speed_scale, s.added, s.disabled) == (5.0, 1.0, (), ())
    assert s.is_baseline
    assert s.to_query() == "?minutes=5"
    assert issubclass(ScenarioError, GridmapError)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"minutes": 0.5}, r"minutes must be 1-15, got 0\.5"),
        ({"minutes": 15.5}, r"minutes must be 1-15, got 15\.5"),
        ({"minutes": math.nan}, r"minutes must be 1-15, got nan"),
        ({"speed_scale": 0.2}, r"speed must be 0\.25-3, got 0\.2"),
        ({"speed_scale": 3.5}, r"speed must be 0\.25-3, got 3\.5"),
        (
            {"added": tuple((114.0 + i / 1000, 33.0) for i in range(MAX_ADDED + 1))},
            rf"at most {MAX_ADDED} new posts, got {MAX_ADDED + 1}",
        ),
    ],
)
def test_out_of_range_values_are_refused(kwargs, match):
    with pytest.raises(ScenarioError, match=match):
        Scenario(**kwargs)


@pytest.mark.parametrize(
    ("kwargs"),
    [
        {"minutes": 1.0},
        {"minutes": 15.0},
        {"speed_scale": 0.25},
        {"speed_scale": 3.0},
        {"added": tuple((114.0 + i / 1000, 33.0) for i in range(MAX_ADDED))},
    ],
)
def test_range_ends_are_accepted(kwargs):
    Scenario(**kwargs)


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ("?minutes=abc", r"minutes must be a number, got 'abc'"),
        ("?speed=fast", r"speed must be a number, got 'fast'"),
        ("?minutes=inf", r"minutes must be a finite number, got 'inf'"),
        ("?speed=nan", r"speed must be a finite number, got 'nan'"),
        ("?minutes=20", r"minutes must be 1-15, got 20"),
        ("?speed=0.1", r"speed must be 0\.25-3, got 0\.1"),
        ("?add=114.8", r"add: new post 1 must be 'lon,lat', got '114\.8'"),
        ("?add=114.8,33.7;1,2,3", r"add: new post 2 must be 'lon,lat', got '1,2,3'"),
        ("?add=x,y", r"add: new post 1 must be 'lon,lat', got 'x,y'"),
        ("?add=200,33.7", r"add: new post 1 is not a lon,lat position: '200,33\.7'"),
        ("?add=114.8,33.7;114.8,-91", r"add: new post 2 is not a lon,lat position"),
        (
            "?add=" + ";".join(f"114.{i:03d},33.7" for i in range(MAX_ADDED + 1)),
            rf"at most {MAX_ADDED} new posts",
        ),
    ],
)
def test_parse_query_names_the_bad_parameter(query, match):
    with pytest.raises(ScenarioError, match=match):
        parse_query(query)


# --- URL round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario(),
        Scenario(minutes=1),
        Scenario(minutes=15, speed_scale=3.0),
        Scenario(minutes=7.5, speed_scale=0.25),
        Scenario(speed_scale=1.25, added=((114.81234, 33.75678),)),
        Scenario(added=((-0.12345, 51.5), (179.99999, -89.99999), (-180.0, 90.0))),
        Scenario(disabled=("P1",)),
        Scenario(disabled=("P1", "P2", "X-9")),
        Scenario(minutes=3, speed_scale=0.8, added=((114.8, 33.7),), disabled=("A", "B")),
        Scenario(added=tuple((114.0 + i / 1000, 33.0) for i in range(MAX_ADDED))),
    ],
    ids=lambda s: s.to_query()[:40],
)
def test_to_query_round_trips(scenario):
    query = scenario.to_query()
    assert query.startswith("?minutes=")
    assert parse_query(query) == scenario
    assert parse_query(query.lstrip("?")) == scenario
    assert parse_query(query).to_query() == query


@pytest.mark.parametrize("search", [None, "", "?", "?minutes=", "?foo=bar", "?add=&off="])
def test_empty_query_is_the_default(search):
    assert parse_query(search) == Scenario()


def test_query_text():
    s = Scenario(minutes=7, speed_scale=1.5, added=((114.8, 33.7),), disabled=("P2", "P1"))
    assert s.to_query() == "?minutes=7&speed=1.5&add=114.80000,33.70000&off=P2,P1"
    # Speed 1 is left out; the separators are not escaped (a readable, shareable URL).
    assert Scenario(speed_scale=1.0, added=((1, 2), (3, 4))).to_query() == (
        "?minutes=5&add=1.00000,2.00000;3.00000,4.00000"
    )


def test_parse_query_sorts_disabled_and_ignores_empty_items():
    s = parse_query("?off=P3,,P1,&add=;114.8,33.7;;")
    assert s.disabled == ("P1", "P3")
    assert s.added == ((114.8, 33.7),)


# --- edits ------------------------------------------------------------------------------------


def test_toggle_post_disables_and_restores():
    s = Scenario().toggle_post("P2")
    assert s.disabled == ("P2",) and not s.is_baseline
    s = s.toggle_post("P1")
    assert s.disabled == ("P1", "P2")
    s = s.toggle_post("P2")
    assert s.disabled == ("P1",)
    assert s.toggle_post("P1").is_baseline


def test_add_and_remove_new_posts():
    s = Scenario(minutes=3).add_post(114.812345678, 33.7098765)
    assert s.added == ((114.81235, 33.70988),)
    s = s.add_post(114.9, 33.8).add_post(115.0, 33.9)
    assert s.remove_added(1).added == ((114.81235, 33.70988), (115.0, 33.9))
    assert s.remove_added(0).remove_added(0).added == ((115.0, 33.9),)
    assert s.remove_added(99) == s
    assert s.minutes == 3


def test_baseline_keeps_minutes_and_speed():
    s = Scenario(minutes=9, speed_scale=2, added=((1, 2),), disabled=("P1",))
    assert s.baseline() == Scenario(minutes=9, speed_scale=2)
    assert s.baseline().is_baseline


def test_add_post_past_the_limit_is_refused():
    s = Scenario(added=tuple((114.0 + i / 1000, 33.0) for i in range(MAX_ADDED)))
    with pytest.raises(ScenarioError, match="at most"):
        s.add_post(115.0, 34.0)


# --- map clicks -------------------------------------------------------------------------------


def test_metres_per_pixel():
    assert metres_per_pixel(0, 0) == pytest.approx(40_075_016.7 / 512)
    assert metres_per_pixel(0, 1) == pytest.approx(metres_per_pixel(0, 0) / 2)
    assert metres_per_pixel(60, 10) == pytest.approx(metres_per_pixel(0, 10) / 2)


def test_click_on_a_post_toggles_it():
    p1 = POSTS[0]
    s = apply_click(Scenario(), p1["lon"], p1["lat"], 13, POSTS)
    assert s.disabled == ("P1",) and s.added == ()
    s = apply_click(s, p1["lon"] + 0.00001, p1["lat"], 13, POSTS)
    assert s.is_baseline


def test_click_near_a_new_post_removes_it():
    s = Scenario(added=((114.83, 33.75), (114.86, 33.76)))
    after = apply_click(s, 114.86001, 33.76001, 13, POSTS)
    assert after.added == ((114.83, 33.75),)
    assert after.disabled == ()


def test_new_post_wins_over_a_farther_post():
    p2 = POSTS[1]
    new = (p2["lon"] + 0.0004, p2["lat"])
    s = Scenario(added=(new,))
    # At zoom 11 the click radius (~1 km) holds both; the click sits on the new post.
    assert apply_click(s, new[0], new[1], 11, POSTS).added == ()
    # A click on the old post toggles it even though the new post is within reach.
    after = apply_click(s, p2["lon"], p2["lat"], 11, POSTS)
    assert after.disabled == ("P2",) and after.added == (new,)


def test_click_elsewhere_adds_a_post():
    s = apply_click(Scenario(), 114.8312345, 33.7554321, 13, POSTS)
    assert s.added == ((114.83123, 33.75543),)
    assert apply_click(Scenario(), 1.0, 2.0, 13, []).added == ((1.0, 2.0),)


@pytest.mark.parametrize("zoom", [9, 11, 13, 15, 17])
def test_click_radius_scales_with_zoom(zoom):
    p1 = POSTS[0]
    radius = CLICK_RADIUS_PX * metres_per_pixel(p1["lat"], zoom)
    inside = p1["lat"] + 0.9 * radius / M_PER_DEG_LAT
    outside = p1["lat"] + 1.1 * radius / M_PER_DEG_LAT
    assert apply_click(Scenario(), p1["lon"], inside, zoom, POSTS).disabled == ("P1",)
    assert apply_click(Scenario(), p1["lon"], outside, zoom, POSTS).added == (
        (round(p1["lon"], 5), round(outside, 5)),
    )
    # Same along the longitude (its metres per degree shrink with the latitude).
    east = p1["lon"] + 0.9 * radius / m_per_deg_lon(p1["lat"])
    assert apply_click(Scenario(), east, p1["lat"], zoom, POSTS).disabled == ("P1",)


def test_same_offset_hits_when_zoomed_out_and_misses_when_zoomed_in():
    p1 = POSTS[0]
    lat = p1["lat"] + 200 / M_PER_DEG_LAT  # 200 m north of the post
    assert apply_click(Scenario(), p1["lon"], lat, 11, POSTS).disabled == ("P1",)
    assert apply_click(Scenario(), p1["lon"], lat, 15, POSTS).added != ()


# --- exports ----------------------------------------------------------------------------------


def scenario_for_export() -> Scenario:
    return Scenario(minutes=7, added=((114.83, 33.75), (114.84, 33.76)), disabled=("P2",))


def test_export_geojson():
    s = scenario_for_export()
    doc = export_geojson(s, POSTS, KPIS, BASE)
    assert doc["type"] == "FeatureCollection"
    assert doc["properties"] == {
        "scenario": s.to_query(),
        "query": s.to_query(),
        "kpis": KPIS,
        "baseline": BASE,
    }
    feats = doc["features"]
    assert [f["properties"]["post_id"] for f in feats] == ["P1", "P2", "new-1", "new-2"]
    assert [f["properties"]["status"] for f in feats] == [
        "active",
        "out-of-service",
        "new",
        "new",
    ]
    assert feats[0]["properties"] == {
        "post_id": "P1",
        "name_zh": "一号警务室",
        "name_en": "Post 1",
        "officers": 1,
        "ebikes": 1,
        "status": "active",
        "township": "",
        "village": "",
    }
    assert all(f["type"] == "Feature" and f["geometry"]["type"] == "Point" for f in feats)
    assert feats[1]["geometry"]["coordinates"] == [114.85, 33.73]
    assert feats[3]["geometry"]["coordinates"] == [114.84, 33.76]


def test_export_geojson_baseline_has_only_active_posts():
    doc = export_geojson(Scenario(), POSTS, {}, {})
    assert {f["properties"]["status"] for f in doc["features"]} == {"active"}
    assert doc["properties"]["scenario"] == "?minutes=5"


def test_export_csv():
    s = scenario_for_export()
    text = export_csv(s, POSTS, KPIS, BASE)
    assert text.startswith("\ufeff")  # Excel reads the Chinese names as UTF-8
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    header = ["post_id", "name_zh", "name_en", "township", "village", "lon", "lat", "status"]
    assert rows[0] == header
    assert rows[1] == ["P1", "一号警务室", "Post 1", "", "", "114.81", "33.71", "active"]
    assert rows[2] == ["P2", "二号警务室", "Post 2", "", "", "114.85", "33.73", "out-of-service"]
    assert rows[3] == ["new-1", "", "", "", "", "114.83", "33.75", "new"]
    assert rows[4] == ["new-2", "", "", "", "", "114.84", "33.76", "new"]
    assert rows[5] == []
    assert rows[6] == ["kpi", "scenario", "baseline"]
    assert rows[7:12] == [
        ["area_share", "0.5", "0.4"],
        ["population_share", "0.6", "0.5"],
        ["incident_share", "", ""],
        ["covered_population", "60", "50"],
        ["uncovered_population", "", ""],
    ]
    assert rows[12] == ["scenario", s.to_query()]  # no readable summary given
    assert rows[13] == ["query", s.to_query()]
    assert parse_query(rows[13][1]) == s
    assert len(rows) == 14


def test_exports_round_floats_name_places_and_describe_the_scenario():
    from gridmap.coverage.scenario import describe, export_filename, rounded_kpis

    s = Scenario(added=((114.123456789, 33.987654321),), disabled=("P2",))
    kpis = {"population_share": 0.123456789, "covered_population": 1234.56, "posts": 2}
    assert rounded_kpis(kpis) == {
        "population_share": 0.1235,
        "covered_population": 1235,
        "posts": 2,
    }
    places = [{"township": f"T{i}", "village": f"V{i}"} for i in range(3)]
    text = export_csv(s, POSTS, kpis, kpis, places, "readable")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[3][3:7] == ["T2", "V2", "114.123457", "33.987654"]
    assert {r[0]: r[1:] for r in rows if r}["population_share"] == ["0.1235", "0.1235"]
    posts = [{**POSTS[0], "lon": 114.123456789, "lat": 33.1}]
    doc = export_geojson(Scenario(), posts, {}, {}, places[:1], "readable")
    assert doc["features"][0]["geometry"]["coordinates"] == [114.123457, 33.1]
    assert doc["properties"]["scenario"] == "readable"
    texts = {"summary": "{minutes:g}|{speed:g}|{added}|{off}", "none": "-"}
    assert describe(s, texts) == "5|1|1|P2" and describe(Scenario(), texts) == "5|1|0|-"
    assert export_filename("a/b c", "x", "2026-01-02", "csv") == "a_b_c-2026-01-02.csv"
    assert export_filename("  ", "方案", "2026-01-02", "csv") == "方案-2026-01-02.csv"
    assert export_filename("../..", "x", "d", "csv") == "x-d.csv"


def test_export_csv_quotes_awkward_names():
    posts = [{**POSTS[0], "name_en": 'Post, "one"'}]
    text = export_csv(Scenario(), posts, {}, {}).removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][2] == 'Post, "one"'


def test_the_minute_and_speed_ranges_come_from_the_coverage_parameters():
    from gridmap.coverage import params
    from gridmap.coverage.scenario import MINUTES_RANGE, SPEED_RANGE

    assert MINUTES_RANGE == (params.MIN_MINUTES, params.MAX_MINUTES) == (1.0, 15.0)
    assert SPEED_RANGE == (params.MIN_SPEED_SCALE, params.MAX_SPEED_SCALE)
    assert Scenario().minutes == params.DEFAULT_MINUTES


def test_a_click_adding_a_post_outside_the_district_changes_nothing():
    import shapely

    from gridmap.coverage.scenario import click_in_district

    outline = shapely.box(114.0, 33.0, 115.0, 34.0)
    posts = [{"post_id": "P1", "lon": 114.5, "lat": 33.5}]
    inside = click_in_district(Scenario(), {"lon": 114.2, "lat": 33.2, "zoom": 13}, posts, outline)
    assert inside.added == ((114.2, 33.2),)
    assert (
        click_in_district(Scenario(), {"lon": 116, "lat": 33.2, "zoom": 13}, posts, outline) is None
    )
    # Removing a new post outside the district is fine; so is a click on a post.
    outside = Scenario(added=((116.0, 33.2),))
    click = {"lon": 116.0, "lat": 33.2, "zoom": 13}
    assert click_in_district(outside, click, posts, outline).added == ()
    on_post = click_in_district(Scenario(), {"lon": 114.5, "lat": 33.5, "zoom": 13}, posts, outline)
    assert on_post.disabled == ("P1",)


def test_applying_a_suggestion_moves_the_movable_posts_to_the_sites():
    from gridmap.coverage.scenario import apply_suggestion, movable_posts

    scenario = Scenario(disabled=("P2",))
    assert movable_posts(scenario, ["P1", "P2"]) == ["P1"]
    assert movable_posts(scenario, None) == []
    suggestion = {"movable": ["P1", "P2"], "sites": [{"lon": 114.1, "lat": 33.1}]}
    applied = apply_suggestion(scenario, suggestion)
    assert applied.disabled == ("P1", "P2")
    assert applied.added == ((114.1, 33.1),)
    assert apply_suggestion(Scenario(), {"sites": []}) == Scenario()


def test_scenario_coverage_asks_the_model_for_the_scenario():
    from gridmap.coverage.scenario import scenario_coverage

    class Model:
        def coverage(self, minutes, **kwargs):
            return (minutes, kwargs)

    scenario = Scenario(7.0, 1.5, ((114.1, 33.1),), ("P1",))
    assert scenario_coverage(Model(), scenario) == (
        7.0,
        {
            "speed_scale": 1.5,
            "extra_posts": ((114.1, 33.1),),
            "disabled_posts": ("P1",),
            "profile": "free",
        },
    )


def test_export_csv_neutralises_formula_names():
    posts = [{**POSTS[0], "name_zh": '=HYPERLINK("http://x","y")', "name_en": "@SUM(A1)"}]
    text = export_csv(Scenario(), posts, {}, {}).removeprefix("\ufeff")
    row = next(csv.reader(io.StringIO(text.split("\r\n", 1)[1])))
    assert row[1] == '\'=HYPERLINK("http://x","y")' and row[2] == "'@SUM(A1)"


def test_the_time_of_day_profile_round_trips_through_the_url():
    rush = Scenario(added=((114.1, 33.1),), profile="rush")
    assert "profile=rush" in rush.to_query()
    assert parse_query(rush.to_query()) == rush
    assert "profile" not in Scenario().to_query()  # off-peak is the default
    assert rush.baseline().profile == "rush"  # the same time of day, posts as in the data
    with pytest.raises(ScenarioError, match="profile must be one of") as err:
        parse_query("?profile=dawn")
    assert err.value.parameter == "profile"
