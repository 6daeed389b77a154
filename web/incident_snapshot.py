"""The incident store's snapshot for a drill's figures, per worker and store version.

:mod:`gridmap.incidents.snapshot` holds the columns a grid's statistics and dispatch figures
read as arrays; this keeps the current version's in the worker (read again after a write) and
the district's grid table without geometry, which those figures look names and populations up
in. ``None``: the store is too large to hold, and the figures are asked of the database.
"""

from __future__ import annotations

import pandas as pd

from gridmap.incidents.snapshot import Snapshot, snapshot_of
from web.local_memo import local_memo
from web.runtime import current


@local_memo(2)
def _snapshot(version: int) -> Snapshot | None:
    return snapshot_of(current().incident_store)


def incident_snapshot() -> Snapshot | None:
    """Return the snapshot of the store's current version (None: too many incidents)."""
    return _snapshot(current().incident_store.version())


@local_memo(2)
def grid_table(district_version: str) -> pd.DataFrame:
    """Return the district's grids without their geometry (levels, parents, names, people)."""
    grids = current().district.grids
    return pd.DataFrame(grids.drop(columns=grids.geometry.name))


def warm(server) -> None:
    """Read the store's snapshot once at start: the first drill should not wait for it."""
    with server.app_context():
        incident_snapshot()
