"""The JSON API: /api/v1/health and /api/v1/grids/<id>."""

from __future__ import annotations

import pytest
from flask import Flask

from gridmap.access.roles import Scope
from gridmap.grids.summary import grid_summary
from tests.auth_support import signed_in
from web.grids_api import create_blueprint


@pytest.fixture(scope="module")
def district(tiny_app):
    return tiny_app.server.extensions["gridmap"].district


def test_health(client, district):
    resp = client.get("/api/v1/health")
    assert resp.status_code == 200
    assert resp.get_json() == {
        "status": "ok",
        "district": "Test District",
        "data_version": district.version,
        "demo": True,
        "grids": {"1": 1, "2": 2, "3": 4, "4": 8, "5": 16},
        "posts": 3,
    }
    assert len(district.version) == 12


def test_grid_village(client):
    resp = client.get("/api/v1/grids/T11")
    assert resp.status_code == 200
    body = resp.get_json()
    grid = body["grid"]
    assert grid["grid_id"] == "T11"
    assert grid["level"] == 3
    assert grid["name_en"] == "Lizhuang Village 11"
    assert grid["name_zh"] == "李庄村11"
    assert grid["pinyin"] == "li zhuang"
    assert grid["population"] == 100 + 200 + 300 + 400
    assert grid["staff"] == 4
    assert grid["children"] == 2
    assert grid["posts"] == 1
    # A 0.04 x 0.04 degree box near 33.7 N: about 3.7 x 4.4 km.
    assert grid["area_km2"] == pytest.approx(16.4, rel=0.02)
    assert grid["density"] == pytest.approx(grid["population"] / grid["area_km2"], abs=0.1)
    lon, lat = grid["point"]
    assert 114.80 < lon < 114.84 and 33.70 < lat < 33.74
    assert [b["grid_id"] for b in body["chain"]] == ["T", "T1"]
    assert [b["level"] for b in body["chain"]] == [1, 2]
    children = body["children"]
    assert [c["grid_id"] for c in children] == ["T111", "T112"]
    assert [c["population"] for c in children] == [300, 700]
    assert [c["posts"] for c in children] == [1, 0]
    assert all(c["area_km2"] > 0 and c["density"] > 0 for c in children)
    assert [p["post_id"] for p in body["posts"]] == ["P1"]
    post = body["posts"][0]
    assert post["name_en"] == "Post 1" and post["officers"] == 1
    assert (post["lon"], post["lat"]) == pytest.approx((114.81, 33.71))


def test_grid_district_and_leaf(client):
    top = client.get("/api/v1/grids/T").get_json()
    assert top["chain"] == []
    assert top["grid"]["population"] == sum(100 * k for k in range(1, 17))
    assert sorted(p["post_id"] for p in top["posts"]) == ["P1", "P2", "P3"]
    assert sum(c["population"] for c in top["children"]) == top["grid"]["population"]
    leaf = client.get("/api/v1/grids/T2222").get_json()
    assert leaf["children"] == []
    assert leaf["grid"]["children"] == 0
    assert [b["grid_id"] for b in leaf["chain"]] == ["T", "T2", "T22", "T222"]
    assert [p["post_id"] for p in leaf["posts"]] == ["P3"]


@pytest.mark.parametrize("grid_id", ["NOPE", "t11", "T111111"])
def test_unknown_grid_is_404_json(client, grid_id):
    resp = client.get(f"/api/v1/grids/{grid_id}")
    assert resp.status_code == 404
    assert resp.is_json
    assert resp.get_json() == {"error": f"no grid with id {grid_id!r}"}


def test_grid_briefs_carry_the_map_key(client, district):
    body = client.get("/api/v1/grids/T1").get_json()
    assert body["grid"]["key"] == district.key_of["T1"]
    assert [c["key"] for c in body["children"]] == [district.key_of[c] for c in ("T11", "T12")]
    assert [b["key"] for b in body["chain"]] == [district.key_of["T"]]


# -- scope: a grid outside the asker's grids is 403 -----------------------------------------
def test_grids_outside_the_scope_are_403_through_the_app(tiny_app):
    township = signed_in(tiny_app, "demo-township")  # T1
    assert township.get("/api/v1/grids/T1").status_code == 200
    body = township.get("/api/v1/grids/T11").get_json()
    assert [c["grid_id"] for c in body["children"]] == ["T111", "T112"]
    assert [p["post_id"] for p in body["posts"]] == ["P1"]
    for grid_id in ("T", "T2", "T2222"):
        resp = township.get(f"/api/v1/grids/{grid_id}")
        assert resp.status_code == 403 and resp.is_json
        assert resp.get_json() == {"error": f"grid {grid_id!r} is outside your grids"}
    assert township.get("/api/v1/grids/NOPE").status_code == 404
    viewer = signed_in(tiny_app, "demo-viewer")  # T2
    assert viewer.get("/api/v1/grids/T1").status_code == 403
    assert [p["post_id"] for p in viewer.get("/api/v1/grids/T2").get_json()["posts"]] == [
        "P2",
        "P3",
    ]


def test_only_children_and_posts_inside_are_listed(tiny_district):
    """Deny by default: a summary naming a grid or post outside the scope loses it."""

    def summary(grid_id):
        found = grid_summary(tiny_district, grid_id)
        foreign = grid_summary(tiny_district, "T2")
        return {**found, "children": found["children"] + [foreign["grid"]],
                "posts": found["posts"] + foreign["posts"]}  # fmt: skip

    app = Flask(__name__)
    app.register_blueprint(
        create_blueprint(tiny_district, summary=summary, scope=lambda: Scope.of(["T1"]))
    )
    body = app.test_client().get("/api/v1/grids/T1").get_json()
    assert [c["grid_id"] for c in body["children"]] == ["T11", "T12"]
    assert [p["post_id"] for p in body["posts"]] == ["P1"]
    everything = Flask(__name__)
    everything.register_blueprint(create_blueprint(tiny_district, summary=summary))
    assert len(everything.test_client().get("/api/v1/grids/T1").get_json()["children"]) == 3
