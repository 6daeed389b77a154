"""Workers starting together on one new SQLite file migrate it one after the other."""

from __future__ import annotations

import multiprocessing

import sqlalchemy as sa

from gridmap.coverage import migrate

WORKERS = 4


def _worker(url: str, barrier, errors) -> None:
    engine = sa.create_engine(url, connect_args={"timeout": 30})
    barrier.wait()
    try:
        for lineage in migrate.LINEAGES:
            migrate.upgrade(engine, "", lineage=lineage)
    except Exception as error:  # noqa: BLE001 - reported to the test
        errors.put(f"{type(error).__name__}: {error}"[:300])
    finally:
        engine.dispose()


def test_workers_starting_together_all_migrate_the_same_new_file(tmp_path):
    spawn = multiprocessing.get_context("spawn")
    for round_ in range(3):
        url = f"sqlite:///{tmp_path / f'race-{round_}.sqlite'}"
        barrier, errors = spawn.Barrier(WORKERS), spawn.Queue()
        workers = [
            spawn.Process(target=_worker, args=(url, barrier, errors)) for _ in range(WORKERS)
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
        engine = sa.create_engine(url)
        for lineage in migrate.LINEAGES:
            assert migrate.current(engine, "", lineage) == migrate.head(lineage)
        engine.dispose()
