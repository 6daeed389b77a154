"""The sign-in page, sessions, tokens, kiosk links and the guard on a bare Flask app."""

import re

import pytest
import sqlalchemy as sa
from flask import Flask, jsonify

from gridmap.access.accounts import MAX_FAILURES, AccountStore
from gridmap.access.audit import AuditLog
from tests.fake_clock import FakeClock
from web.auth import KIOSK_COOKIE, AuthSettings, current_principal, init_auth

PASSWORD = "a-long-password-1"
ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture
def setup(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'auth.sqlite'}")
    clock = FakeClock()
    accounts = AccountStore(engine, clock=clock)
    audit = AuditLog(engine, clock=clock)
    app = Flask(__name__)
    app.secret_key = "test"
    app.limiter = init_auth(app, accounts, audit, AuthSettings(api_token="legacy-token-123"))

    @app.get("/")
    def home():
        return "map of " + current_principal().label()

    @app.get("/api/v1/incidents")
    def incidents():
        return jsonify(who=current_principal().label())

    @app.post("/api/v1/incidents")
    def post_incidents():
        return jsonify(ok=True)

    @app.post("/_dash-update-component")
    def callback():
        return jsonify(ok=True)

    @app.get("/wall/")
    def wall():
        return "wall of " + current_principal().label()

    @app.get("/planner/")
    def planner():
        return "planner"

    @app.get("/api/v1/unlisted")
    def unlisted():
        return "never"

    accounts.add_user("commander1", "commander", [], PASSWORD)
    accounts.add_user("town1", "township", ["T1"], PASSWORD)
    return app, accounts, audit, clock


def csrf_of(client, path="/login"):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client, name, password=PASSWORD, next_path="/"):
    token = csrf_of(client)
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": token, "next": next_path},
    )


def test_anonymous_is_sent_to_sign_in_or_refused(setup):
    app, *_ = setup
    client = app.test_client()
    res = client.get("/?grid=T1")
    assert res.status_code == 302 and res.headers["Location"] == "/login?next=/?grid=T1"
    res = client.get("/api/v1/incidents")
    assert res.status_code == 401 and "Bearer" in res.headers["WWW-Authenticate"]
    assert res.get_json()["error"].startswith("sign in")
    assert client.post("/_dash-update-component", json={}).status_code == 401
    # A route without a rule is refused even to an administrator.
    assert client.get("/api/v1/unlisted").status_code == 404


def test_sign_in_page_in_both_languages_escapes_values(setup):
    app, *_ = setup
    client = app.test_client()
    zh = client.get("/login").get_data(as_text=True)
    assert "用户名" in zh and "登录" in zh
    en = client.get("/login?lang=en&next=/%22%3E%3Cscript%3E").get_data(as_text=True)
    assert "User name" in en
    assert "<script>" not in en  # the next parameter is not a local path: dropped


def test_sign_in_then_sign_out(setup):
    app, accounts, audit, _ = setup
    client = app.test_client()
    res = sign_in(client, "commander1", next_path="/?grid=T1")
    assert res.status_code == 302 and res.headers["Location"] == "/?grid=T1"
    assert client.get("/").get_data(as_text=True) == "map of user:commander1"
    assert client.get("/api/v1/incidents").get_json()["who"] == "user:commander1"
    client.get("/logout")
    assert client.get("/").status_code == 302
    actions = [r["action"] for r in audit.query()]
    assert actions == ["sign-out", "sign-in"]


def test_open_redirect_refused(setup):
    app, *_ = setup
    client = app.test_client()
    res = sign_in(client, "commander1", next_path="//evil.example/x")
    assert res.headers["Location"] == "/"


def test_wrong_password_is_audited_and_locks(setup):
    app, accounts, audit, clock = setup
    app.limiter.enabled = False
    client = app.test_client()
    for _ in range(MAX_FAILURES):
        res = sign_in(client, "commander1", "wrong-password!")
        assert res.status_code == 401
        assert "用户名或密码错误" in res.get_data(as_text=True)
    res = sign_in(client, "commander1")
    assert res.status_code == 401 and "锁定" in res.get_data(as_text=True)
    failed = audit.query(action="sign-in-failed")
    assert len(failed) == MAX_FAILURES + 1 and failed[0]["target"] == "commander1"


def test_sign_in_is_rate_limited_per_name(setup):
    app, *_ = setup
    client = app.test_client()
    statuses = [sign_in(client, "town1", "wrong-password!").status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429


def test_csrf_required_on_sign_in(setup):
    app, *_ = setup
    client = app.test_client()
    res = client.post("/login", data={"name": "commander1", "password": PASSWORD})
    assert res.status_code == 400 and "过期" in res.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_roles_are_checked(setup):
    app, *_ = setup
    client = app.test_client()
    sign_in(client, "town1")
    assert client.get("/").status_code == 200
    assert client.get("/planner/").status_code == 403  # townships do not plan
    res = client.post("/api/v1/incidents", json={}, headers=ORIGIN)
    assert res.status_code == 403 and "may not write-incidents" in res.get_json()["error"]


def test_cookie_requests_must_come_from_the_site(setup):
    app, *_ = setup
    client = app.test_client()
    sign_in(client, "commander1")
    assert client.post("/_dash-update-component", json={}, headers=ORIGIN).status_code == 200
    res = client.post("/_dash-update-component", json={}, headers={"Origin": "http://evil"})
    assert res.status_code == 403 and "cross-site" in res.get_json()["error"]
    assert client.post("/_dash-update-component", json={}).status_code == 403


def test_tokens_legacy_and_named(setup):
    app, accounts, *_ = setup
    client = app.test_client()
    legacy = {"Authorization": "Bearer legacy-token-123"}
    assert client.get("/api/v1/incidents", headers=legacy).get_json()["who"] == (
        "token:GRIDMAP_API_TOKEN"
    )
    secret = accounts.add_token("grid-app", ["intake"])
    bearer = {"Authorization": f"Bearer {secret}"}
    # A token is not a cookie: no Origin needed, but only its rights.
    assert client.post("/api/v1/incidents", json={}, headers=bearer).status_code == 200
    assert client.get("/api/v1/incidents", headers=bearer).status_code == 403
    assert (
        client.get("/api/v1/incidents", headers={"Authorization": "Bearer nope"}).status_code == 401
    )
    assert client.get("/api/v1/incidents", headers={"Authorization": "Basic x"}).status_code == 401
    accounts.revoke_token("grid-app")
    assert client.post("/api/v1/incidents", json={}, headers=bearer).status_code == 401


def test_kiosk_link_opens_the_wall_and_revocation_stops_it(setup):
    app, accounts, *_ = setup
    key = accounts.add_kiosk("hall", grid="T1")
    client = app.test_client()
    res = client.get(f"/wall/?kiosk={key}")
    assert res.status_code == 200 and res.get_data(as_text=True) == "wall of kiosk:hall"
    cookie = client.get_cookie(KIOSK_COOKIE)
    assert cookie.value == key and cookie.http_only
    # Later refreshes carry only the cookie.
    assert client.get("/wall/").status_code == 200
    assert client.get("/").status_code == 403  # a kiosk sees the wall only
    assert client.get("/api/v1/incidents").status_code == 403
    accounts.revoke_kiosk("hall")
    assert client.get("/wall/").status_code == 302


def test_disabled_account_loses_its_session(setup):
    app, accounts, *_ = setup
    client = app.test_client()
    sign_in(client, "commander1")
    assert client.get("/").status_code == 200
    accounts.disable("commander1")
    assert client.get("/").status_code == 302


def test_the_demo_sign_in_list_has_a_unit_account_in_both_languages(tiny_app):
    client = tiny_app.server.test_client()
    en = client.get("/login?lang=en").get_data(as_text=True)
    assert "Unit staff (District Urban Management Bureau) · demo-unit" in en
    zh = client.get("/login?lang=zh").get_data(as_text=True)
    assert "处置单位（区城市管理局） · demo-unit" in zh
