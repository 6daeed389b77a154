"""Deny by default, proven on the real app: every Flask route and every Dash callback.

The routes are read from ``app.server.url_map`` and the callbacks from ``/_dash-dependencies`` of
the three Dash apps, so a new route or callback is checked without editing this file; a route
that no rule of :mod:`web.access_rules` covers fails here until it gets one.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.auth_support import signed_in
from web.access_rules import PUBLIC, is_api, required_action

#: Sample values of the URL arguments (anything that matches the route's converter).
SAMPLES = {
    "grid_id": "T1",
    "name": "level-1",
    "kind": "gaps",
    "incident_id": "INC-1",
    "package_name": "dash",
    "fingerprinted_path": "dash.v4.js",
    "filename": "app.css",
    "path": "anything",
}
#: The routes open to anonymous visitors: the sign-in page, the health check, code and styles.
PUBLIC_ROUTES = {
    "/login",
    "/logout",
    "/api/v1/health",
    "/_favicon.ico",
    "/planner/_favicon.ico",
    "/wall/_favicon.ico",
    "/dispatch/_favicon.ico",
    "/assets/<path:filename>",
    "/planner/assets/<path:filename>",
    "/wall/assets/<path:filename>",
    "/dispatch/assets/<path:filename>",
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>",
    "/planner/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>",
    "/wall/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>",
    "/dispatch/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>",
}
#: Routes Flask and Dash register that the app never uses: refused to everyone (404).
REFUSED_TO_ALL = {
    "/static/<path:filename>",  # Flask's static folder: the app serves its files as Dash assets
    "/<path:path>",  # Dash's catch-all for multi-page apps: each app has one page
    "/planner/<path:path>",
    "/wall/<path:path>",
    "/dispatch/<path:path>",
}
HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")
APPS = ("", "/planner", "/wall", "/dispatch")


def sample_path(rule: str, version: str) -> str:
    """Return a concrete path of the Flask ``rule`` (its arguments filled with samples)."""
    values = {**SAMPLES, "version": version}
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: values[m.group(1)], rule)


def routes(server: Flask):
    """Yield (rule, method) for every route of ``server`` (HEAD and OPTIONS aside)."""
    for rule in server.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.rule, method


def unruled(server: Flask, version: str = "v") -> list[str]:
    """Return ``METHOD rule`` of each route that no access rule covers (and is not refused)."""
    return [
        f"{method} {rule}"
        for rule, method in routes(server)
        if rule not in REFUSED_TO_ALL
        and required_action(method, sample_path(rule, version)) is None
    ]


@pytest.fixture(scope="module")
def app(make_tiny_app):
    return make_tiny_app()


@pytest.fixture(scope="module")
def version(app):
    return app.server.extensions["gridmap"].district.version


@pytest.fixture(scope="module")
def admin(app):
    return signed_in(app, "demo-admin")


def test_every_route_has_a_rule(app, version):
    assert unruled(app.server, version) == []
    found = {rule for rule, _ in routes(app.server)}
    assert PUBLIC_ROUTES | REFUSED_TO_ALL <= found, "a listed route no longer exists"


def test_a_new_route_without_a_rule_is_caught():
    server = Flask(__name__)
    server.add_url_rule("/api/v1/new-thing", "new", lambda: "data")
    server.add_url_rule("/api/v1/health", "health", lambda: "ok")
    assert unruled(server) == ["GET /api/v1/new-thing"]


def test_anonymous_gets_no_data_from_any_route(app, version):
    client = app.server.test_client()
    checked = 0
    for rule, method in routes(app.server):
        path = sample_path(rule, version)
        action = required_action(method, path)
        res = client.open(path, method=method, json={} if method != "GET" else None)
        where = f"{method} {rule} -> {res.status_code}"
        for header in HEADERS:
            assert header in res.headers, f"{where}: no {header}"
        if action == PUBLIC:
            assert rule in PUBLIC_ROUTES, f"{where}: public, but not a listed public route"
            continue
        checked += 1
        if action is None:
            assert rule in REFUSED_TO_ALL and res.status_code == 404, where
        elif is_api(path):
            assert res.status_code == 401, where
            assert res.get_json() == {"error": "sign in or send 'Authorization: Bearer <token>'"}, (
                where
            )
        else:
            assert res.status_code == 302, where
            assert res.headers["Location"].startswith("/login?next="), where
    assert checked >= 25


@pytest.mark.parametrize("rule", sorted(REFUSED_TO_ALL))
def test_unused_routes_are_refused_even_to_an_admin(admin, rule, version):
    res = admin.get(sample_path(rule, version))
    assert res.status_code == 404 and res.get_data(as_text=True) == "no such resource"


def _minimal_body(callback: dict) -> dict:
    """Return the smallest well-formed ``_dash-update-component`` body for ``callback``."""
    return {
        "output": callback["output"],
        "outputs": [],
        "inputs": [
            {"id": i["id"], "property": i["property"], "value": None} for i in callback["inputs"]
        ],  # fmt: skip
        "state": [
            {"id": s["id"], "property": s["property"], "value": None}
            for s in callback.get("state", [])
        ],  # fmt: skip
        "changedPropIds": [],
    }


@pytest.mark.parametrize("prefix", APPS)
def test_every_callback_refuses_anonymous(app, admin, prefix):
    res = admin.get(f"{prefix}/_dash-dependencies")
    assert res.status_code == 200
    callbacks = res.get_json()
    assert len(callbacks) >= 3
    anonymous = app.server.test_client()
    assert anonymous.get(f"{prefix}/_dash-dependencies").status_code == 401
    for callback in callbacks:
        answer = anonymous.post(f"{prefix}/_dash-update-component", json=_minimal_body(callback))
        assert answer.status_code == 401, callback["output"]
        assert set(answer.get_json()) == {"error"}, callback["output"]
        for header in HEADERS:
            assert header in answer.headers


def test_signed_in_answers_carry_the_headers(admin, version):
    for path in ("/", "/planner/", "/wall/", "/dispatch/", "/_dash-layout", "/api/v1/grids/T1",
                 f"/geo/{version}/level-1.geojson", "/admin/audit", "/login"):  # fmt: skip
        res = admin.get(path)
        assert res.status_code == 200, path
        assert res.headers["X-Content-Type-Options"] == "nosniff"
        assert res.headers["Referrer-Policy"] == "same-origin"
        assert "default-src 'self'" in res.headers["Content-Security-Policy"]
        assert "frame-ancestors 'self'" in res.headers["Content-Security-Policy"]


def test_frame_ancestors_follows_the_setting(make_tiny_app):
    app = make_tiny_app(frame_ancestors="https://portal.example")
    res = app.server.test_client().get("/login")
    policy = res.headers["Content-Security-Policy"]
    assert "frame-ancestors https://portal.example" in policy and "'self' https" not in policy
