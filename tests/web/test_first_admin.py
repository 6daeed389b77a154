"""The first start on a real (not demo) district: one administrator, its password printed once."""

from __future__ import annotations

import re

import pytest

from app import create_app
from tests.auth_support import sign_in
from tests.conftest import write_tiny_district

MESSAGE = re.compile(
    r"First start: made the administrator 'admin' with the one-time password (\S+) "
    r"\(shown once; change it: python app.py user passwd admin\)"
)


@pytest.fixture(scope="module")
def real_dir(tmp_path_factory):
    return write_tiny_district(tmp_path_factory.mktemp("real") / "geo", demo=False)


def test_first_start_prints_the_password_once(real_dir, tmp_path, capsys):
    config = {"data_dir": real_dir, "database_url": f"sqlite:///{tmp_path / 'real.sqlite'}"}
    app = create_app(config)
    err = capsys.readouterr().err
    found = MESSAGE.findall(err)
    assert len(found) == 1, err
    password = found[0]
    accounts = app.server.extensions["gridmap"].accounts
    assert [(u["name"], u["role"]) for u in accounts.list_users()] == [("admin", "admin")]
    # No demo account, and no one-click sign-in on the page.
    client = app.server.test_client()
    assert "demo-login" not in client.get("/login").get_data(as_text=True)
    assert sign_in(client, "demo-commander", "x" * 12).status_code == 401
    res = sign_in(client, "admin", password)
    assert res.status_code == 302 and res.headers["Location"] == "/"
    assert client.get("/admin/users").status_code == 200
    # A second start (a restart, or the second worker) finds the account and prints nothing.
    create_app(config)
    assert "First start" not in capsys.readouterr().err
    assert len(accounts.list_users()) == 1


def test_demo_district_without_demo_accounts_gets_an_admin(tiny_dir, tmp_path, capsys):
    config = {
        "data_dir": tiny_dir,
        "demo_accounts": False,
        "database_url": f"sqlite:///{tmp_path / 'demo.sqlite'}",
    }
    app = create_app(config)
    assert len(MESSAGE.findall(capsys.readouterr().err)) == 1
    names = [u["name"] for u in app.server.extensions["gridmap"].accounts.list_users()]
    assert names == ["admin"]
