"""``python app.py db upgrade|current`` and the app refusing a database newer than its code."""

from __future__ import annotations

import sqlalchemy as sa

import app as app_module
from gridmap.coverage import migrate
from tests.incidents.test_migrations import make_legacy


def use_database(monkeypatch, tiny_dir, url):
    monkeypatch.setenv("GRIDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("GRIDMAP_DATABASE_URL", url)
    monkeypatch.setenv("GRIDMAP_DEMO_INCIDENTS", "0")


def test_db_upgrade_brings_todays_database_to_the_newest_schema(
    monkeypatch, tiny_dir, tmp_path, capsys
):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = sa.create_engine(url)
    make_legacy(engine, "")
    use_database(monkeypatch, tiny_dir, url)
    assert app_module.main(["db", "current"]) == 0
    assert "incidents: not migrated" in capsys.readouterr().out
    assert app_module.main(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert f"incidents: not migrated -> {migrate.head('incidents')}" in out
    assert f"scenarios: not migrated -> {migrate.head('scenarios')}" in out
    with engine.connect() as conn:
        states = dict(conn.execute(sa.text("SELECT id, state FROM incidents")).all())
    assert states["s"] == "handled" and len(states) == 4
    assert app_module.main(["db", "upgrade"]) == 0  # again: nothing to do
    head = migrate.head("incidents")
    assert f"incidents: {head} -> {head}" in capsys.readouterr().out
    engine.dispose()


def test_the_app_refuses_a_database_newer_than_its_code(monkeypatch, tiny_dir, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    use_database(monkeypatch, tiny_dir, url)
    assert app_module.main(["db", "upgrade"]) == 0
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE incident_alembic_version SET version_num = 'i0099'"))
    engine.dispose()
    capsys.readouterr()
    served = []
    monkeypatch.setattr("dash.Dash.run", lambda *a, **k: served.append(1))
    assert app_module.main(["serve"]) == 1
    err = capsys.readouterr().err
    assert "refusing to start" in err
    assert "'i0099', newer than this code" in err and "run a newer version" in err
    assert served == []
    assert app_module.main(["db", "upgrade"]) == 1
    assert "newer than this code" in capsys.readouterr().err
