"""The admin pages: the audit trail with filters and CSV, people/tokens/links; admins only."""

from __future__ import annotations

import pytest

from tests.auth_support import signed_in
from web.admin_page import users_html

HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture(scope="module")
def admin_app(make_tiny_app):
    app = make_tiny_app()
    runtime = app.server.extensions["gridmap"]
    audit, accounts = runtime.audit, runtime.accounts
    audit.record("cli:ops", "token-add", "bot", detail={"note": HOSTILE})
    audit.record("user:" + HOSTILE, "scenario-save", HOSTILE)
    app.secrets = [accounts.add_token("bot-x", ["read"], "T1"), accounts.add_kiosk("hall", None)]
    return app


@pytest.fixture(scope="module")
def admin(admin_app):
    return signed_in(admin_app, "demo-admin")


@pytest.mark.parametrize("path", ["/admin/audit", "/admin/audit.csv", "/admin/users"])
@pytest.mark.parametrize(
    "user", ["demo-commander", "demo-township", "demo-planner", "demo-viewer", "demo-unit"]
)
def test_only_admins(admin_app, path, user):
    assert signed_in(admin_app, user).get(path).status_code == 403


@pytest.mark.parametrize("path", ["/admin/audit", "/admin/audit.csv", "/admin/users"])
def test_anonymous_goes_to_sign_in(admin_app, path):
    res = admin_app.server.test_client().get(path)
    assert res.status_code == 302 and res.headers["Location"].startswith("/login?next=/admin/")


def test_audit_newest_first_escaped(admin):
    html = admin.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "Audit trail" in html and 'id="audit-csv"' in html
    assert HOSTILE not in html and "&lt;img src=x onerror=" in html
    # Newest first: the admin's own sign-in comes before the rows written at start.
    assert html.index("sign-in") < html.index("scenario-save") < html.index("token-add")
    zh = admin.get("/admin/audit?lang=zh").get_data(as_text=True)
    assert "审计日志" in zh and "导出 CSV" in zh


def test_audit_filters(admin):
    html = admin.get("/admin/audit?lang=en&actor=cli:ops").get_data(as_text=True)
    assert "token-add" in html and "scenario-save" not in html
    assert 'value="cli:ops"' in html and "actor=cli%3Aops" in html  # kept in the CSV link
    html = admin.get("/admin/audit?lang=en&action=scenario-save").get_data(as_text=True)
    assert "scenario-save" in html and "token-add" not in html
    html = admin.get("/admin/audit?lang=en&to=2000-01-01").get_data(as_text=True)
    assert "Nothing here" in html
    html = admin.get("/admin/audit?lang=en&from=2000-01-01&to=2999-12-31").get_data(as_text=True)
    assert "token-add" in html


def test_audit_bad_date(admin):
    res = admin.get("/admin/audit?lang=en&from=yesterday")
    assert res.status_code == 400
    assert "parameter &#39;from&#39;: must read YYYY-MM-DD, got &#39;yesterday&#39;" in (
        res.get_data(as_text=True)
    )
    res = admin.get("/admin/audit.csv?to=31/12/2025")
    assert res.status_code == 400
    assert res.get_data(as_text=True) == "parameter 'to': must read YYYY-MM-DD, got '31/12/2025'"


def test_audit_csv(admin):
    res = admin.get("/admin/audit.csv?actor=user:" + HOSTILE)
    assert res.status_code == 200 and res.mimetype == "text/csv"
    assert res.headers["Content-Disposition"].startswith('attachment; filename="audit-')
    text = res.get_data(as_text=True)
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "id,at,actor,action,target,address,detail"
    assert len(lines) == 2 and "scenario-save" in lines[1]


def test_csv_neutralises_formulas(admin_app, admin):
    admin_app.server.extensions["gridmap"].audit.record("cli:ops", "note", "=HYPERLINK(1)")
    text = admin.get("/admin/audit.csv?action=note").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in text


def test_users_page_lists_people_tokens_links_never_secrets(admin_app, admin):
    html = admin.get("/admin/users?lang=en").get_data(as_text=True)
    assert "People and tokens" in html
    for name in ("demo-admin", "demo-township", "bot-x", "hall"):
        assert name in html
    assert "Township officer" in html and "whole district" in html and "never" in html
    assert "$argon2" not in html
    for secret in admin_app.secrets:
        assert secret not in html
    # The demo unit account: its role with its unit, in each language.
    assert "Unit staff · District Urban Management Bureau" in html
    zh = admin.get("/admin/users?lang=zh").get_data(as_text=True)
    assert "用户与令牌" in zh and "大屏链接" in zh
    assert "处置单位 · 区城市管理局" in zh


def test_users_page_escapes_names():
    users = [{"name": HOSTILE, "role": "viewer", "grids": ["T1"], "disabled": True,
              "created_at": "2026-01-01T00:00:00", "last_sign_in": None}]  # fmt: skip
    html = users_html("en", users, [], [])
    assert HOSTILE not in html and "&lt;img" in html and "disabled" in html


def test_times_are_local_and_grids_named():
    from gridmap.clock import local_stamp
    from web.admin_page import users_html

    assert local_stamp("2026-12-01T21:57:08+00:00") == "2026-12-02 05:57:08"
    assert local_stamp(None) == "" and local_stamp("not a time") == "not a time"
    user = {
        "name": "li", "role": "township", "grids": ["T1"], "disabled": False,
        "created_at": "2026-12-01T21:57:08+00:00", "last_sign_in": None,
    }  # fmt: skip
    html = users_html("zh", [user], [], [], grid_name=lambda g, lang: "东镇1")
    assert "东镇1 (T1)" in html and "2026-12-02 05:57:08" in html
