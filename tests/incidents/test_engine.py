"""The PostgreSQL engine: a pooled connection idle for a while is checked before use."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from gridmap.incidents import engine as engines
from tests.incident_fixtures import PG_URL, pg_reachable

pytestmark = pytest.mark.skipif(pg_reachable() is not None, reason=str(pg_reachable()))


def _backend_pid(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()


def test_a_connection_killed_while_idle_is_replaced_before_use(monkeypatch):
    engine = engines.make_engine(PG_URL)
    try:
        first = _backend_pid(engine)
        killer = sa.create_engine(PG_URL)
        with killer.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": first})
        killer.dispose()
        monkeypatch.setattr(engines, "PING_AFTER_IDLE_S", 0.0)  # it has been idle "long"
        second = _backend_pid(engine)  # no error: the dead one was seen and replaced
        assert second != first
    finally:
        engine.dispose()


def test_a_connection_returned_moments_ago_is_not_pinged():
    engine = engines.make_engine(PG_URL)
    try:
        _backend_pid(engine)
        pings: list[int] = []
        real = engine.dialect.do_ping
        engine.dialect.do_ping = lambda c: pings.append(1) or real(c)
        for _ in range(3):
            _backend_pid(engine)
        assert pings == []
    finally:
        engine.dispose()


def test_reads_go_without_a_transaction_and_writes_keep_theirs():
    engine = engines.make_engine(PG_URL)
    try:
        with engines.reading(engine) as conn:
            assert conn.connection.driver_connection.autocommit is True
            pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        # The same pooled connection, taken for a write, is in a transaction again.
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT pg_backend_pid()")).scalar() == pid
            assert conn.connection.driver_connection.autocommit is False
            conn.execute(sa.text("CREATE TEMP TABLE reading_probe (x int)"))
            assert conn.execute(sa.text("SELECT count(*) FROM reading_probe")).scalar() == 0
        with engine.connect() as conn:
            conn.execute(sa.text("CREATE TEMP TABLE IF NOT EXISTS rolled_back (x int)"))
            conn.rollback()  # not committed: gone
            found = conn.execute(sa.text("SELECT to_regclass('pg_temp.rolled_back')")).scalar()
            assert found is None
    finally:
        engine.dispose()
