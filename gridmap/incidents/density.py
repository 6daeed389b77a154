"""Incident density for the heatmap, binned in the database so a million rows send kilobytes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from gridmap.grids.district import Bounds
from gridmap.incidents.engine import reading
from gridmap.incidents.store import IncidentStore

#: Bins across the longer side of the view: fine enough for a heatmap at any zoom, and at most
#: BINS_ACROSS² / 2 points sent (a few thousand) whatever the number of incidents.
BINS_ACROSS = 160


@dataclass(frozen=True)
class Density:
    """Bin centres (lon, lat) with the number of incidents in each bin."""

    lon: list[float]
    lat: list[float]
    count: list[int]
    cell_deg: float

    @property
    def total(self) -> int:
        """Return the number of incidents binned."""
        return int(sum(self.count))


def cell_size(bounds: Bounds, bins_across: int = BINS_ACROSS) -> float:
    """Return the bin side in degrees for a view of ``bounds`` (a round number of degrees)."""
    span = max(bounds.east - bounds.west, bounds.north - bounds.south, 1e-4)
    raw = span / bins_across
    # Snap to 1, 2 or 5 x 10^n so bins do not shift when a view moves a little.
    exponent = math.floor(math.log10(raw))
    for step in (1, 2, 5, 10):
        if raw <= step * 10**exponent:
            return step * 10**exponent
    return 10 ** (exponent + 1)


def binned_density(
    store: IncidentStore,
    bounds: Bounds,
    *,
    grid: str | None = None,
    grid_level: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    categories: list[str] | None = None,
    statuses: list[str] | None = None,
    within: list[tuple[int, str]] | None = None,
    bins_across: int = BINS_ACROSS,
) -> Density:
    """Count the incidents matching the filters in square bins over ``bounds``.

    The counting is a GROUP BY in the database (SQLite or PostgreSQL), so the cost does not
    grow with what is sent: the answer has at most one point per non-empty bin.

    Parameters
    ----------
    store : IncidentStore
        Where the incidents are.
    bounds : Bounds
        The area shown (lon/lat).
    grid, grid_level, start, end, categories, statuses, within
        Filters, as in :meth:`IncidentStore.query` (``within``: the reader's scope).
    bins_across : int
        About how many bins across the longer side of ``bounds``.
    """
    cell = cell_size(bounds, bins_across)
    clauses = store.where_clauses(
        grid=grid,
        grid_level=grid_level,
        start=start,
        end=end,
        categories=categories,
        statuses=statuses,
        within=within,
    )
    if clauses is None:
        return Density([], [], [], cell)
    t = store.table
    # Bin indices relative to a fixed origin (0, 0): the same incident always lands in the same
    # bin, whichever view asked.
    ix = sa.func.floor(t.c.lon / cell).label("ix")
    iy = sa.func.floor(t.c.lat / cell).label("iy")
    stmt = (
        sa.select(ix, iy, sa.func.count().label("n"))
        .where(
            *clauses,
            t.c.lon >= bounds.west,
            t.c.lon <= bounds.east,
            t.c.lat >= bounds.south,
            t.c.lat <= bounds.north,
        )
        .group_by(ix, iy)
    )
    lon, lat, count = [], [], []
    with reading(store.engine) as conn:
        for bx, by, n in conn.execute(stmt):
            lon.append(round((float(bx) + 0.5) * cell, 6))
            lat.append(round((float(by) + 0.5) * cell, 6))
            count.append(int(n))
    return Density(lon, lat, count, cell)
