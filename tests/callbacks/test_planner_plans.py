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


def compare(client, a, b, lang="en"):
    return call(
        client,
        [(ids.COMPARE_MAP_A, "figure"), (ids.COMPARE_MAP_B, "figure"),
         (ids.COMPARE_TABLE, "children")],
        [(ids.COMPARE_A, "value", a), (ids.COMPARE_B, "value", b), (ids.LANG_STORE, "data", lang)],
        prefix=PREFIX,
    )  # fmt: skip


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
