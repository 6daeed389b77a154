"""The coverage API through a tiny Flask app and its test client."""

from __future__ import annotations

import re

import numpy as np
import pytest
from flask import Flask

import web.coverage_api
from gridmap.access.roles import Scope
from tests.coverage.toys import INSTANT_WALK, toy_lonlat, toy_model
from web.cache import cache
from web.coverage_api import create_blueprint


def bare_app() -> Flask:
    """A bare Flask app with the cache the suggestions are memoized in."""
    app = Flask(__name__)
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    return app


@pytest.fixture(scope="module")
def model():
    return toy_model(settings=INSTANT_WALK)


@pytest.fixture
def client(model):
    app = bare_app()
    incidents = toy_lonlat([(200, 1100), (1800, 1100)])
    app.register_blueprint(create_blueprint(lambda: model, get_incidents=lambda scope: incidents))
    return app.test_client()


def test_coverage_returns_kpis_grids_and_polygons(client):
    res = client.get("/api/v1/coverage?minutes=5")
    assert res.status_code == 200
    body = res.get_json()
    assert body["method"] == "network"
    assert body["minutes"] == 5
    assert body["kpis"]["area_share"] == pytest.approx(0.348, abs=0.005)
    assert body["kpis"]["incidents"] == 2 and body["kpis"]["covered_incidents"] == 1
    assert {g["grid_id"] for g in body["grids"]} == {"D", "SW", "SE", "NW", "NE"}
    kinds = [f["properties"]["kind"] for f in body["geojson"]["features"]]
    assert kinds == ["coverage", "gaps"]
    assert body["worst"][0]["grid_id"] in ("SE", "NE")


def test_level_and_geometry_parameters(client):
    body = client.get("/api/v1/coverage?minutes=3&level=2&geometry=0").get_json()
    assert {g["level"] for g in body["grids"]} == {2}
    assert "geojson" not in body
    assert body["minutes"] == 3


def test_what_if_parameters(client):
    base = client.get("/api/v1/coverage?geometry=0").get_json()["kpis"]["area_share"]
    east = toy_lonlat([(2000, 1000)])[0]
    url = f"/api/v1/coverage?geometry=0&extra={east[0]},{east[1]}"
    more = client.get(url).get_json()
    assert more["kpis"]["area_share"] > base
    assert more["posts"] == ["P1", "new-1"]
    none = client.get("/api/v1/coverage?geometry=0&disabled=P1").get_json()
    assert none["kpis"]["covered_area_km2"] == 0


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("minutes=20", "minutes", "between 1 and 15"),
        ("minutes=abc", "minutes", "must be a number"),
        ("minutes=nan", "minutes", "between 1 and 15"),
        ("level=9", "level", "between 1 and 5"),
        ("level=x", "level", "must be an integer"),
        ("speed_scale=0", "speed_scale", "between"),
        ("disabled=P1,P9", "disabled", "unknown post id.*P9"),
        ("extra=1,2,3", "extra", "lon,lat"),
        ("extra=120,30", "extra", "outside the district"),
        ("geometry=maybe", "geometry", "1 or 0"),
    ],
)
def test_bad_coverage_parameters_are_400_naming_the_parameter(client, query, parameter, message):
    res = client.get(f"/api/v1/coverage?{query}")
    assert res.status_code == 400
    body = res.get_json()
    assert body["parameter"] == parameter
    assert parameter in body["error"]
    assert re.search(message, body["error"])


def test_suggest_returns_sites_and_the_new_kpis(client):
    res = client.get("/api/v1/coverage/suggest?k=1&minutes=5")
    assert res.status_code == 200
    body = res.get_json()
    assert len(body["sites"]) == 1
    site = body["sites"][0]
    assert {"lon", "lat", "adds", "rank", "site"} <= set(site)
    assert body["solver"]["method"] in ("milp", "greedy")
    assert body["kpis_after"]["covered_population"] > body["kpis_before"]["covered_population"]
    weighted = client.get("/api/v1/coverage/suggest?k=1&weight=incidents").get_json()
    assert weighted["weight"] == "incidents"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("k=0", "k"),
        ("k=51", "k"),
        ("k=two", "k"),
        ("weight=votes", "weight"),
        ("method=annealing", "method"),
        ("movable=P9", "movable"),
        ("minutes=0", "minutes"),
        ("time_limit=0", "time_limit"),
    ],
)
def test_bad_suggest_parameters_are_400(client, query, parameter):
    res = client.get(f"/api/v1/coverage/suggest?{query}")
    assert res.status_code == 400
    assert res.get_json()["parameter"] == parameter


def test_incident_weight_without_incident_data_is_400(model):
    app = bare_app()
    app.register_blueprint(create_blueprint(model))
    res = app.test_client().get("/api/v1/coverage/suggest?k=1&weight=incidents")
    assert res.status_code == 400
    assert res.get_json()["parameter"] == "weight"


def test_a_suggestion_is_recomputed_after_an_incident_is_added_and_not_before(model, monkeypatch):
    points = [toy_lonlat([(1800, 1100)])[0]]  # out of reach of today's posts
    store = {"version": 1}
    app = bare_app()
    app.register_blueprint(
        create_blueprint(
            lambda: model,
            get_incidents=lambda scope: np.array(points),
            incident_version=lambda: store["version"],
        )
    )
    client = app.test_client()
    calls = []
    real = web.coverage_api.suggest_posts

    def counting(*args, **kwargs):
        calls.append(len(kwargs["incidents"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(web.coverage_api, "suggest_posts", counting)
    url = "/api/v1/coverage/suggest?k=1&weight=incidents&method=greedy"
    first = client.get(url).get_json()
    assert "sites" in first, first
    again = client.get(url).get_json()
    assert calls == [1] and again == first
    # A new incident in the west, and the store's version moves on: computed afresh.
    points.append(toy_lonlat([(200, 1100)])[0])
    store["version"] = 2
    after = client.get(url).get_json()
    assert calls == [1, 2]
    assert after["kpis_before"]["incidents"] == 2 != first["kpis_before"]["incidents"]
    client.get(url)
    assert calls == [1, 2]


def test_domain_errors_are_mapped_to_query_parameters_by_attribute():
    from gridmap.errors import CoverageError, MCLPError
    from web.coverage_params import QUERY_PARAMETER
    from web.coverage_params import as_parameter_error as _as_parameter_error

    assert QUERY_PARAMETER["extra_posts"] == "extra"
    err = _as_parameter_error(CoverageError("no such post", parameter="disabled_posts"), "k")
    assert err.parameter == "disabled" and "no such post" in str(err)
    assert _as_parameter_error(MCLPError("too many"), "k").parameter == "k"


# -- scope: the asker's grids only ----------------------------------------------------------
def scoped_app(model, asker, calls):
    """A bare app whose asker's scope is ``asker["scope"]``; ``calls`` lists incident reads."""
    # (200, 1900) lies in NW beyond the reach of the post at the west end (a suggestion has
    # something to cover there).
    points = toy_lonlat([(200, 1900), (1800, 1100), (1900, 1200)])
    grid_of = ["NW", "NE", "NE"]  # where each point lies (the toy's 2 x 2 grids)

    def incidents(scope):
        calls.append(scope.key())
        keep = [scope.contains(("D", g)) for g in grid_of]
        return points[keep]

    app = bare_app()
    app.register_blueprint(
        create_blueprint(
            lambda: model,
            get_incidents=incidents,
            incident_version=lambda: asker["version"],
            scope=lambda: asker["scope"],
        )
    )
    return app.test_client()


def test_coverage_figures_hold_only_the_grids_and_incidents_inside(model):
    asker, calls = {"scope": Scope.of(["NW"]), "version": 1}, []
    client = scoped_app(model, asker, calls)
    body = client.get("/api/v1/coverage?geometry=0").get_json()
    assert [g["grid_id"] for g in body["grids"]] == ["NW"]
    assert [g["grid_id"] for g in body["worst"]] == ["NW"]
    nw = body["grids"][0]
    assert body["kpis"]["incidents"] == 1 == nw["incidents"]
    assert body["kpis"]["population"] == nw["population"]
    asker["scope"] = Scope.everything()
    everything = client.get("/api/v1/coverage?geometry=0").get_json()
    assert everything["kpis"]["incidents"] == 3
    assert everything["kpis"]["population"] > body["kpis"]["population"]
    asker["scope"] = Scope.of([])
    nothing = client.get("/api/v1/coverage?geometry=0&level=2").get_json()
    assert nothing["grids"] == [] and nothing["worst"] == [] and nothing["kpis"]["incidents"] == 0


def test_coverage_with_incidents_is_memoized_by_scope_and_incident_version(model):
    asker, calls = {"scope": Scope.of(["NE"]), "version": 1}, []
    client = scoped_app(model, asker, calls)
    url = "/api/v1/coverage?geometry=0&minutes=4"
    first = client.get(url).get_json()
    assert client.get(url + "&level=2").get_json()["kpis"] == first["kpis"]
    assert calls == ["NE"]  # the second asked the same figures: no incident read
    asker["scope"] = Scope.of(["NW"])
    assert client.get(url).get_json()["kpis"]["incidents"] == 1
    assert calls == ["NE", "NW"]
    asker["version"] = 2
    client.get(url)
    assert calls == ["NE", "NW", "NW"]
    client.get(url + "&speed_scale=0.5")
    client.get(url + "&disabled=P1")
    assert len(calls) == 5


def test_incident_weighted_suggestions_count_only_the_scope_and_key_on_it(model):
    asker, calls = {"scope": Scope.of(["NE"]), "version": 1}, []
    client = scoped_app(model, asker, calls)
    url = "/api/v1/coverage/suggest?k=1&weight=incidents&method=greedy"
    east = client.get(url).get_json()
    assert east["kpis_before"]["incidents"] == 2
    asker["scope"] = Scope.of(["NW"])
    west = client.get(url).get_json()
    assert west["kpis_before"]["incidents"] == 1
    client.get(url)
    assert calls == ["NE", "NW"]
    asker["scope"] = Scope.of(["SW"])  # no incident inside: as if there were no incident data
    r = client.get(url)
    assert r.status_code == 400 and r.get_json()["parameter"] == "weight"
    population = "/api/v1/coverage/suggest?k=1&method=greedy"
    assert client.get(population).get_json()["kpis_before"]["incidents"] == 0


# -- through the real app: T1's figures only -------------------------------------------------
@pytest.fixture(scope="module")
def tiny_with_incidents(make_tiny_app):
    from tests.incident_fixtures import INCIDENTS

    app = make_tiny_app()
    app.server.extensions["gridmap"].incident_store.insert(INCIDENTS)  # 4 in T1, d in T2
    return app


def test_the_township_gets_t1s_grids_and_incidents_only(tiny_with_incidents):
    from tests.auth_support import signed_in

    township = signed_in(tiny_with_incidents, "demo-township")
    body = township.get("/api/v1/coverage?geometry=0").get_json()
    ids = {g["grid_id"] for g in body["grids"]} | {g["grid_id"] for g in body["worst"]}
    assert ids and all(g.startswith("T1") for g in ids)
    assert body["kpis"]["incidents"] == 4 and body["kpis"]["population"] == 3600
    assert {g["grid_id"] for g in body["worst"]} <= {f"T1{a}{b}{c}" for a in "12" for b in "12"
                                                     for c in "12"}  # fmt: skip
    commander = signed_in(tiny_with_incidents, "demo-commander")
    whole = commander.get("/api/v1/coverage?geometry=0").get_json()
    assert whole["kpis"]["incidents"] == 5 and len(whole["grids"]) == 31
    url = "/api/v1/coverage/suggest?k=1&weight=incidents&method=greedy"
    assert township.get(url).get_json()["kpis_before"]["incidents"] == 4
    assert commander.get(url).get_json()["kpis_before"]["incidents"] == 5
