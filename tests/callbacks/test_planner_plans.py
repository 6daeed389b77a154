"""The planner's second step through the Flask test client: time of day, response times,
fewest posts and p-median goals, scenarios side by side."""

from __future__ import annotations

import pytest

from gridmap.coverage.scenario import Scenario, parse_query
from tests.auth_support import signed_in
from tests.callbacks.test_planner import (
    PREFIX,
    ROAD_JUNCTION,
    assigns,
    edit,
    edited,
    kpi_value,
    render,
    save,
    suggest,
    texts,
)
from tests.dash_http import call, response_of
from ui import planner_ids as ids


@pytest.fixture(scope="module")
def app(make_tiny_app):
    return make_tiny_app()


@pytest.fixture()
def client(app):
    return signed_in(app)


@pytest.fixture(scope="module")
def outputs(app):
    deps = signed_in(app).get(f"{PREFIX}/_dash-dependencies").get_json()
    return [d["output"] for d in deps]


@pytest.fixture(scope="module")
def version(app):
    return app.server.extensions["gridmap"].district.version


def test_the_time_of_day_goes_into_the_url_and_back(client):
    new, *_ = edited(edit(client, "?minutes=5", profile="rush", changed=f"{ids.PROFILE}.value"))
    assert parse_query(new).profile == "rush"
    out = response_of(edit(client, "?minutes=5&profile=night", changed=f"{ids.URL}.search"))
    assert out[ids.PROFILE]["value"] == "night"
    reset, *_ = edited(edit(client, "?profile=rush", changed=f"{ids.RESET}.n_clicks"))
    assert parse_query(reset).profile == "free"


def test_the_response_time_layer_and_its_kpis(client, version):
    search = Scenario(added=(ROAD_JUNCTION,)).to_query()
    out = response_of(render(client, search, layer="times"))
    ops = assigns(out[ids.MAP]["figure"])
    assert ops[("data", 4, "visible")] is True
    assert ops[("layout", "map", "layers", 6, "source")] == f"/geo/{version}/times.png{search}"
    assert ops[("layout", "map", "layers", 6, "visible")] is True
    assert len(ops[("layout", "map", "layers", 6, "coordinates")]) == 4
    assert ops[("data", 0, "visible")] is False
    assert ops[("layout", "map", "layers", 0, "visible")] is False
    kpis = out[ids.KPIS]["children"]
    mean = kpi_value(kpis, "planner-kpi-mean-time")
    assert mean.endswith(" min") and float(mean.split()[0]) > 0
    # A post at the junction shortens the mean: the tile says by how much, in green.
    delta = next(k for k in kpis if k["props"]["id"] == "planner-kpi-mean-time")
    assert delta["props"]["children"][2]["props"]["className"] == "kpi-delta up"
    assert out[ids.REPORT_LINK]["href"] == f"/planner/report{search}&lang=en"
    plain = assigns(response_of(render(client, search))[ids.MAP]["figure"])
    assert plain[("data", 4, "visible")] is False
    assert ("layout", "map", "layers", 6, "source") not in plain


def test_the_fewest_posts_goal(client, outputs):
    out = response_of(suggest(client, outputs, goal="fewest", share=5))
    data = out[ids.SUGGEST_STORE]["data"]
    assert data["goal"] == "fewest" and data["reachable"] is True
    assert len(data["sites"]) == data["new_posts"] >= 1
    panel = " ".join(texts(out[ids.SUGGEST_PANEL]["children"]))
    assert f"{data['new_posts']} new posts bring" in panel and "proof gap" in panel
    new, *_ = edited(edit(client, "?minutes=5", changed=f"{ids.SUGGEST_APPLY}.n_clicks", sug=data))
    assert len(parse_query(new).added) == data["new_posts"]


def test_an_unreachable_share_says_so(client, outputs):
    out = response_of(suggest(client, outputs, goal="fewest", share=50))
    data = out[ids.SUGGEST_STORE]["data"]
    assert data["reachable"] is False and out[ids.SUGGEST_APPLY]["disabled"] is True
    panel = " ".join(texts(out[ids.SUGGEST_PANEL]["children"]))
    assert "50.0% cannot be reached: at most" in panel and "Places no site reaches" in panel


def test_the_shortest_mean_time_goal(client, outputs):
    out = response_of(suggest(client, outputs, goal="median", k=1))
    data = out[ids.SUGGEST_STORE]["data"]
    assert data["goal"] == "median" and len(data["sites"]) == 1
    assert data["times_after"]["mean_minutes"] < data["times_before"]["mean_minutes"]
    panel = " ".join(texts(out[ids.SUGGEST_PANEL]["children"]))
    assert "1 new posts: mean time" in panel and "min on the mean" in panel


def test_a_bad_goal_or_share_shows_the_error(client, outputs):
    out = response_of(suggest(client, outputs, goal="fewest", share=0))
    assert "share must be above 0" in out[ids.SUGGEST_PANEL]["children"]
    out = response_of(suggest(client, outputs, goal="annealing"))
    assert "goal must be one of" in out[ids.SUGGEST_PANEL]["children"]


def compare(client, a, b, lang="en", minutes=5, profile="free"):
    return call(
        client,
        [(ids.COMPARE_MAP_A, "figure"), (ids.COMPARE_MAP_B, "figure"),
         (ids.COMPARE_TABLE, "children")],
        [(ids.COMPARE_A, "value", a), (ids.COMPARE_B, "value", b), (ids.LANG_STORE, "data", lang),
         (ids.COMPARE_MINUTES, "value", minutes), (ids.COMPARE_PROFILE, "value", profile)],
        prefix=PREFIX,
    )  # fmt: skip


def table_of(out) -> tuple[list[list[str]], dict[str, list[str]]]:
    """Return the KPI table's head rows and its body rows by id, a text a cell (" / " joined)."""
    thead, tbody = out[ids.COMPARE_TABLE]["children"]["props"]["children"]

    def cells(row) -> list[str]:
        return [" / ".join(texts(c)) for c in row["props"]["children"]]

    head = [cells(r) for r in thead["props"]["children"]]
    body = {r["props"]["id"]: cells(r) for r in tbody["props"]["children"]}
    return head, body


def test_two_saved_scenarios_side_by_side(client, version):
    moved = Scenario(added=(ROAD_JUNCTION,), disabled=("P1",)).to_query()
    save(client, "cmp-moved", moved)
    save(client, "cmp-more", Scenario(added=(ROAD_JUNCTION,)).to_query())
    from callbacks.planner_compare import options

    values = [o["value"] for o in options([{"label": "x", "value": "x"}], "en")]
    assert values == ["__today__", "x"]
    out = response_of(compare(client, "__today__", "cmp-moved"))
    rows = {r["props"]["id"]: texts(r) for r in out[ids.COMPARE_TABLE]["children"]["props"][
        "children"][1]["props"]["children"]}  # fmt: skip
    assert rows["compare-row-posts"][1:] == ["3", "3", "0"]
    assert rows["compare-row-mean_minutes"][0] == "Mean response time"
    a, b = assigns(out[ids.COMPARE_MAP_A]["figure"]), assigns(out[ids.COMPARE_MAP_B]["figure"])
    assert a[("data", 2, "lon")] == [] and b[("data", 2, "lon")] == [ROAD_JUNCTION[0]]
    gained = b[("layout", "map", "layers", 4, "source")]
    assert gained.startswith(f"/geo/{version}/difference-gained.geojson?a=")
    assert client.get(gained).status_code == 200
    assert a[("layout", "map", "layers", 4, "source")]["features"] == []


def test_another_persons_scenario_cannot_be_compared(app, client):
    save(client, "cmp-mine", "?minutes=6")
    other = signed_in(app, "demo-planner")
    out = response_of(compare(other, "__today__", "cmp-mine"))
    assert "no saved scenario called 'cmp-mine'" in out[ids.COMPARE_TABLE]["children"]
    assert ids.COMPARE_MAP_A not in out


def test_today_is_computed_at_the_comparisons_parameters_not_the_scenarios(client):
    """Today vs a scenario saved at 7 min in the rush hour, compared at 5 min off-peak."""
    rush7 = Scenario(minutes=7, profile="rush", added=(ROAD_JUNCTION,))
    save(client, "cmp-rush7", rush7.to_query())
    out = response_of(compare(client, "__today__", "cmp-rush7", minutes=5, profile="free"))
    head, rows = table_of(out)
    assert head[0][1] == "Scenario A: Today (the posts as they are)"
    assert head[0][2] == "Scenario B: cmp-rush7 / saved at: 7 min · Rush hour (7–9, 17–19 h)"
    # Every column says what it was computed at: the same minutes and time of day.
    at = "5 min · Off-peak · speed ×1"
    assert head[1] == ["Computed at", at, at, ""]
    # Today's column is today at 5 min off-peak; B's column its posts at the same.
    uncovered = "compare-row-uncovered_population"
    assert rows[uncovered][1] == uncovered_at(client, Scenario(minutes=5))
    assert rows[uncovered][2] == uncovered_at(client, Scenario(minutes=5, added=(ROAD_JUNCTION,)))
    assert rows[uncovered][2] != uncovered_at(client, rush7)  # not at its saved parameters
    a, b = assigns(out[ids.COMPARE_MAP_A]["figure"]), assigns(out[ids.COMPARE_MAP_B]["figure"])
    sources = [m[("layout", "map", "layers", 0, "source")] for m in (a, b)]
    assert all("minutes=5" in src and "profile" not in src for src in sources), sources


def test_the_comparison_at_other_parameters_moves_both_sides(client):
    save(client, "cmp-seven", Scenario(minutes=7, added=(ROAD_JUNCTION,)).to_query())
    at5 = table_of(response_of(compare(client, "__today__", "cmp-seven", minutes=5)))
    at7 = table_of(response_of(compare(client, "__today__", "cmp-seven", minutes=7)))
    rush = table_of(
        response_of(compare(client, "__today__", "cmp-seven", minutes=7, profile="rush"))
    )
    # At its own 7 minutes the saved scenario needs no note; at 5 it does.
    assert at7[0][0][2] == "Scenario B: cmp-seven"
    assert at5[0][0][2] == "Scenario B: cmp-seven / saved at: 7 min"
    assert at7[0][1][1:3] == ["7 min · Off-peak · speed ×1"] * 2
    assert rush[0][1][1:3] == ["7 min · Rush hour (7–9, 17–19 h) · speed ×1"] * 2
    assert rush[0][0][2] == "Scenario B: cmp-seven / saved at: Off-peak"
    uncovered = "compare-row-uncovered_population"
    area, mean = "compare-row-area_share", "compare-row-mean_minutes"
    assert at5[1][area][2] != at7[1][area][2]  # B moves with the comparison's minutes
    # Today (its posts reach no place within 15 min in the tiny district) moves with its time of
    # day: the rush hour lengthens its mean response time.
    assert at7[1][mean][1] == "28.8 min" and rush[1][mean][1] == "28.9 min"
    assert at7[1][uncovered][2] == uncovered_at(client, Scenario(minutes=7, added=(ROAD_JUNCTION,)))
    assert rush[1][uncovered][2] == uncovered_at(
        client, Scenario(minutes=7, profile="rush", added=(ROAD_JUNCTION,))
    )
    assert rush[1][uncovered][2] != at7[1][uncovered][2]


def test_two_saved_scenarios_are_both_computed_at_the_comparisons_parameters(client):
    save(client, "cmp-two-a", Scenario(minutes=4).to_query())
    save(client, "cmp-two-b", Scenario(minutes=8, added=(ROAD_JUNCTION,)).to_query())
    head, _ = table_of(response_of(compare(client, "cmp-two-a", "cmp-two-b", minutes=6)))
    assert head[0][1:3] == [
        "Scenario A: cmp-two-a / saved at: 4 min",
        "Scenario B: cmp-two-b / saved at: 8 min",
    ]
    assert head[1][1:3] == ["6 min · Off-peak · speed ×1"] * 2


def test_the_comparison_in_chinese_and_without_minutes(client):
    save(client, "cmp-zh", Scenario(minutes=6, added=(ROAD_JUNCTION,)).to_query())
    head, _ = table_of(response_of(compare(client, "__today__", "cmp-zh", lang="zh")))
    assert head[0][1] == "方案A：现状（当前警务室）"
    assert head[0][2] == "方案B：cmp-zh / 保存时：6分钟"
    assert head[1][:2] == ["计算参数", "5分钟 · 平峰 · 速度×1"]
    out = response_of(compare(client, "__today__", "cmp-zh", minutes=None))
    assert out[ids.COMPARE_TABLE]["children"] == "Compared at: enter the minutes, 1 to 15"
    out = response_of(compare(client, "__today__", "cmp-zh", minutes=40))
    assert "minutes" in out[ids.COMPARE_TABLE]["children"]
    assert ids.COMPARE_MAP_A not in out


def test_the_comparisons_parameters_follow_the_planners(client):
    out = response_of(
        call(
            client,
            [(ids.COMPARE_MINUTES, "value"), (ids.COMPARE_PROFILE, "value")],
            [(ids.MINUTES, "value", 9), (ids.PROFILE, "value", "night")],
            prefix=PREFIX,
        )
    )
    assert out[ids.COMPARE_MINUTES]["value"] == 9 and out[ids.COMPARE_PROFILE]["value"] == "night"


def uncovered_at(client, scenario: Scenario) -> str:
    """Return the planner's "people not reached" tile of ``scenario`` (as rendered)."""
    out = response_of(render(client, scenario.to_query()))
    return kpi_value(out[ids.KPIS]["children"], "planner-kpi-uncovered")


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/coverage/suggest?k=2&minutes=5",
        "/api/v1/coverage/suggest?k=1&minutes=5&movable=P1",
        "/api/v1/coverage/minimum?share=0.02&minutes=10",
        "/api/v1/coverage/minimum?share=0.02&minutes=10&movable=P1",
        "/api/v1/coverage/median?k=2",
    ],
)
def test_every_suggested_site_names_its_village_and_township(client, query):
    """The API's sites of the three goals (and with a post that may move), in the tiny district."""
    res = client.get(query)
    assert res.status_code == 200, res.get_data(as_text=True)
    sites = res.get_json()["sites"]
    assert sites
    for site in sites:
        for level in ("township", "village"):
            assert site[f"{level}_id"] and site[f"{level}_zh"] and site[f"{level}_en"], site


def test_new_posts_on_the_planner_and_comparison_maps_name_their_place(client):
    from layers.planner_figure import NEW_TRACE

    query = Scenario(added=(ROAD_JUNCTION,)).to_query()
    for lang, head in (
        ("en", "New post 1 (Dong Town 2 · Lizhuang Village 21)"),
        ("zh", "新增警务室 1（"),
    ):
        out = response_of(render(client, query, lang=lang))
        (text,) = assigns(out[ids.MAP]["figure"])[("data", NEW_TRACE, "text")]
        assert text.startswith(head), text
    save(client, "cmp-named", query)
    out = response_of(compare(client, "__today__", "cmp-named"))
    (text,) = assigns(out[ids.COMPARE_MAP_B]["figure"])[("data", NEW_TRACE, "text")]
    assert text == "New post 1 (Dong Town 2 · Lizhuang Village 21)"


def test_the_comparison_menus_follow_the_language_toggle(client):
    save(client, "cmp-lang", "?minutes=5")
    out = response_of(
        call(
            client,
            [
                (ids.SAVE_STATUS, "children"),
                (ids.SAVED_SELECT, "options"),
                (ids.COMPARE_A, "options"),
                (ids.COMPARE_B, "options"),
            ],
            [
                (ids.SAVE_BUTTON, "n_clicks", None),
                (ids.URL, "pathname", "/planner/"),
                (ids.LANG_STORE, "data", "zh"),
            ],
            [(ids.SAVE_NAME, "value", None), (ids.URL, "search", "?minutes=5")],
            changed=[f"{ids.LANG_STORE}.data"],
            prefix=PREFIX,
        )  # fmt: skip
    )
    assert out[ids.SAVE_STATUS]["children"] == ""  # a toggle saves nothing
    for menu in (ids.COMPARE_A, ids.COMPARE_B):
        assert out[menu]["options"][0] == {"label": "现状（当前警务室）", "value": "__today__"}
