"""The planning routes of the coverage API: fewest posts, response times, p-median (4xx named)."""

from __future__ import annotations

import re

import pytest

from gridmap.access.roles import Scope
from tests.coverage.toys import INSTANT_WALK, toy_lonlat, toy_model
from tests.web.test_coverage_api import bare_app
from web.coverage_api import create_blueprint


@pytest.fixture(scope="module")
def model():
    return toy_model(settings=INSTANT_WALK)


@pytest.fixture
def asker():
    return {"scope": Scope.everything()}


@pytest.fixture
def client(model, asker):
    app = bare_app()
    incidents = toy_lonlat([(200, 1100), (1800, 1100)])
    app.register_blueprint(
        create_blueprint(
            lambda: model, get_incidents=lambda scope: incidents, scope=lambda: asker["scope"]
        )
    )
    return app.test_client()


def test_minimum_finds_the_fewest_posts(client):
    res = client.get("/api/v1/coverage/minimum?share=0.45&minutes=5")
    assert res.status_code == 200
    body = res.get_json()
    assert body["reachable"] is True and body["new_posts"] >= 1
    assert body["share_after"] >= 0.45 > body["share_before"]
    assert body["solver"]["status"] == "optimal" and body["solver"]["gap"] == 0
    assert len(body["sites"]) == body["new_posts"]
    assert {"township_zh", "village_zh", "adds"} <= set(body["sites"][0])
    movable = client.get("/api/v1/coverage/minimum?share=0.45&movable=P1").get_json()
    assert movable["movable"] == ["P1"] and movable["new_posts"] <= body["new_posts"]


def test_minimum_out_of_reach_says_what_is_reachable(client):
    body = client.get("/api/v1/coverage/minimum?share=0.95&weight=area").get_json()
    assert body["reachable"] is False and body["new_posts"] is None
    assert body["weight"] == "area" and 0 < body["max_share"] < 0.95
    assert body["unreached"] and "township_id" in body["unreached"][0]


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("minutes=5", "share", "is required"),
        ("share=0", "share", "between"),
        ("share=1.2", "share", "between"),
        ("share=lots", "share", "must be a number"),
        ("share=0.6&minutes=30", "minutes", "between 1 and 15"),
        ("share=0.6&weight=cars", "weight", "must be one of"),
        ("share=0.6&movable=P9", "movable", "unknown post id"),
        ("share=0.6&disabled=P9", "disabled", "unknown post id"),
        ("share=0.6&profile=dawn", "profile", "must be one of"),
        ("share=0.6&method=annealing", "method", "must be one of"),
        ("share=0.6&time_limit=0", "time_limit", "between"),
        ("share=0.6&speed_scale=9", "speed_scale", "between"),
    ],
)
def test_bad_minimum_parameters_are_400_naming_them(client, query, parameter, message):
    res = client.get(f"/api/v1/coverage/minimum?{query}")
    assert res.status_code == 400
    body = res.get_json()
    assert body["parameter"] == parameter and re.search(message, body["error"])


def test_times_before_and_after_per_grid_and_level(client):
    east = toy_lonlat([(1800, 1000)])[0]
    body = client.get(f"/api/v1/coverage/times?level=2&extra={east[0]},{east[1]}").get_json()
    assert body["classes_minutes"] == [2, 5, 8, 12]
    assert {g["grid_id"] for g in body["grids"]} == {"SW", "SE", "NW", "NE"}
    assert {"mean_minutes", "p90_minutes", "unreached_share"} <= set(body["grids"][0])
    assert body["summary"]["mean_minutes"] < body["baseline"]["mean_minutes"]
    assert body["summary"]["basis"] == "population"
    rush = client.get("/api/v1/coverage/times?profile=rush").get_json()
    assert rush["profile"] == "rush"
    assert len(client.get("/api/v1/coverage/times").get_json()["grids"]) == 5


def test_times_answer_within_the_scope(client, asker):
    asker["scope"] = Scope.of(["NE"])
    body = client.get("/api/v1/coverage/times").get_json()
    assert [g["grid_id"] for g in body["grids"]] == ["NE"]
    assert body["summary"]["weight"] == pytest.approx(400)
    assert body["summary"]["mean_minutes"] == pytest.approx(body["grids"][0]["mean_minutes"])


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("level=7", "level"), ("profile=x", "profile"), ("extra=1,2,3", "extra"),
     ("extra=120,30", "extra"), ("disabled=P9", "disabled")],
)  # fmt: skip
def test_bad_times_parameters_are_400(client, query, parameter):
    res = client.get(f"/api/v1/coverage/times?{query}")
    assert res.status_code == 400 and res.get_json()["parameter"] == parameter


def test_median_shortens_the_mean_time(client):
    body = client.get("/api/v1/coverage/median?k=1").get_json()
    assert len(body["sites"]) == 1
    assert body["times_after"]["mean_minutes"] < body["times_before"]["mean_minutes"]
    assert body["solver"]["gap"] is not None and body["solver"]["gap"] >= 0
    weighted = client.get("/api/v1/coverage/median?k=1&weight=incidents").get_json()
    assert weighted["weight"] == "incidents"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("k=0", "k"), ("k=99", "k"), ("weight=x", "weight"), ("method=x", "method"),
     ("profile=x", "profile"), ("disabled=P9", "disabled")],
)  # fmt: skip
def test_bad_median_parameters_are_400(client, query, parameter):
    res = client.get(f"/api/v1/coverage/median?{query}")
    assert res.status_code == 400 and res.get_json()["parameter"] == parameter


def test_incident_weight_without_data_is_400(model):
    app = bare_app()
    app.register_blueprint(create_blueprint(model))
    client = app.test_client()
    for url in ("/api/v1/coverage/minimum?share=0.5&weight=incidents",
                "/api/v1/coverage/median?k=1&weight=incidents"):  # fmt: skip
        res = client.get(url)
        assert res.status_code == 400 and res.get_json()["parameter"] == "weight"
