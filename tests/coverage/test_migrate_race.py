"""Workers starting together on one new database migrate it one after the other.

The migrations alone, and the stores a worker opens (the incidents, the accounts): on a new
database those make their tables at the newest schema and stamp them, which two workers must
not both try (two gunicorn workers once failed with "table incidents already exists").
"""

from __future__ import annotations

import multiprocessing
import uuid

import pytest
import sqlalchemy as sa

from gridmap.coverage import migrate
from tests.incident_fixtures import PG_URL, pg_reachable

WORKERS = 4


def _migrations(engine: sa.Engine, prefix: str) -> None:
    for lineage in migrate.LINEAGES:
        migrate.upgrade(engine, prefix, lineage=lineage)


def _stores(engine: sa.Engine, prefix: str) -> None:
    from gridmap.access.accounts import AccountStore
    from gridmap.incidents.store import IncidentStore

    IncidentStore(engine=engine, table_prefix=prefix)
    AccountStore(engine, table_prefix=prefix)


def _worker(url: str, prefix: str, what: str, barrier, errors) -> None:
    engine = sa.create_engine(url, connect_args={"timeout": 30} if "sqlite" in url else {})
    barrier.wait()
    try:
        {"migrations": _migrations, "stores": _stores}[what](engine, prefix)
    except Exception as error:  # noqa: BLE001 - reported to the test
        errors.put(f"{type(error).__name__}: {error}"[:300])
    finally:
        engine.dispose()


def _race(url: str, prefix: str, what: str) -> None:
    spawn = multiprocessing.get_context("spawn")
    barrier, errors = spawn.Barrier(WORKERS), spawn.Queue()
    workers = [
        spawn.Process(target=_worker, args=(url, prefix, what, barrier, errors))
        for _ in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert found == [], found
    assert all(worker.exitcode == 0 for worker in workers)


def test_a_store_on_a_new_file_waits_for_the_migration_lock(tmp_path):
    # The check for a new database, the tables' creation and the stamp are one step under
    # the lock: while another worker holds it, a worker opening the stores makes nothing.
    url = f"sqlite:///{tmp_path / 'stores.sqlite'}"
    engine = sa.create_engine(url)
    spawn = multiprocessing.get_context("spawn")
    barrier, errors = spawn.Barrier(1), spawn.Queue()
    with migrate.file_lock(engine):
        worker = spawn.Process(target=_worker, args=(url, "", "stores", barrier, errors))
        worker.start()
        worker.join(8)  # enough for the worker to start and reach the lock
        assert worker.is_alive()
        assert sa.inspect(engine).get_table_names() == []
    worker.join(120)
    assert errors.empty() and worker.exitcode == 0
    for lineage in ("incidents", "accounts"):
        assert migrate.current(engine, "", lineage) == migrate.head(lineage)
    engine.dispose()


def test_workers_opening_the_stores_together_on_a_new_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'together.sqlite'}"
    _race(url, "", "stores")
    engine = sa.create_engine(url)
    for lineage in ("incidents", "accounts"):
        assert migrate.current(engine, "", lineage) == migrate.head(lineage)
    engine.dispose()


def test_workers_opening_the_stores_together_on_postgresql():
    if reason := pg_reachable():
        pytest.skip(reason)
    prefix = f"r{uuid.uuid4().hex[:8]}_"
    _race(PG_URL, prefix, "stores")
    engine = sa.create_engine(PG_URL)
    try:
        for lineage in ("incidents", "accounts"):
            assert migrate.current(engine, prefix, lineage) == migrate.head(lineage)
    finally:
        with engine.begin() as conn:
            names = sa.inspect(conn).get_table_names()
            for name in names:
                if name.startswith(prefix):
                    conn.execute(sa.text(f'drop table if exists "{name}" cascade'))
        engine.dispose()


def test_workers_starting_together_all_migrate_the_same_new_file(tmp_path):
    for round_ in range(3):
        url = f"sqlite:///{tmp_path / f'race-{round_}.sqlite'}"
        _race(url, "", "migrations")
        engine = sa.create_engine(url)
        for lineage in migrate.LINEAGES:
            assert migrate.current(engine, "", lineage) == migrate.head(lineage)
        engine.dispose()
