"""Benchmark helper (not a test): a PostgreSQL schema of its own holding a copy of a SQLite store.

The app's tables (incidents, accounts, audit...) all go to the schema through the URL's
``search_path``, so a benchmark never touches another schema of the ``test`` database.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

from gridmap.incidents.store import IncidentStore
from gridmap.incidents.tables import COLUMNS

#: The PostgreSQL the project's tests use (trust auth on loopback).
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_url(schema: str, base: str = PG_BASE) -> str:
    """Return ``base`` with ``search_path`` set to ``schema`` (made when missing)."""
    engine = sa.create_engine(base, connect_args={"connect_timeout": 3})
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    engine.dispose()
    return f"{base}?options={quote(f'-csearch_path={schema}')}"


def pg_available(base: str = PG_BASE) -> str | None:
    """Return None when PostgreSQL answers, else why not."""
    try:
        engine = sa.create_engine(base, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 (any reason: the benchmark says it and goes on)
        return str(error).splitlines()[0]
    return None


def copy_store(sqlite_file: Path, url: str, n: int) -> IncidentStore:
    """Fill the store at ``url`` with the first ``n`` incidents of ``sqlite_file`` (COPY).

    Kept while the PostgreSQL table holds ``n`` or more incidents; planner statistics are
    refreshed after the load.
    """
    store = IncidentStore(url)
    have = store.count()
    if have >= n:
        return store
    start = time.perf_counter()
    cols = ", ".join(COLUMNS)
    source = sqlite3.connect(sqlite_file)
    rows = source.execute(f"SELECT {cols} FROM incidents ORDER BY id LIMIT ?", (n,))
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SET TIME ZONE 'UTC'")
        cur.execute("TRUNCATE incidents")
        with cur.copy(f"COPY incidents ({cols}) FROM STDIN") as copy:
            for k, row in enumerate(rows):
                copy.write_row(row)
                if k and k % 200_000 == 0:
                    print(f"  {k:,} copied to PostgreSQL ({time.perf_counter() - start:.0f} s)")
        cur.execute("UPDATE incident_version SET version = version + 1")
        raw.commit()
    finally:
        raw.close()
        source.close()
    store.analyze()
    print(f"  {store.count():,} incidents in PostgreSQL ({time.perf_counter() - start:.0f} s)")
    return store
