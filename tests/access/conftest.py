"""Engines for the access tests: a SQLite file, and PostgreSQL (a unique table prefix)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from tests.fake_clock import FakeClock
from tests.incident_fixtures import PG_URL, pg_reachable


@pytest.fixture
def clock():
    return FakeClock("2026-06-15T02:00:00+00:00")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    """Yield (engine, table_prefix) on each backend; PostgreSQL tables are dropped afterwards."""
    if request.param == "sqlite":
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'access.sqlite'}")
        yield engine, ""
        engine.dispose()
        return
    reason = pg_reachable()
    if reason:
        pytest.skip(reason)
    engine = sa.create_engine(PG_URL)
    prefix = f"a{uuid.uuid4().hex[:10]}_"
    yield engine, prefix
    with engine.begin() as conn:
        for name in ("users", "api_tokens", "kiosk_links", "audit_log", "accounts_alembic_version"):
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{prefix}{name}"'))
    engine.dispose()
