"""Group level-5 cells into townships and zones, villages and level-4 areas (contiguous groups)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from gridmap.demo import names
from gridmap.demo.grouping import (
    Adjacency,
    absorb_orphans,
    apportion,
    components,
    grow,
    kmeans_centres,
)


@dataclass(frozen=True)
class Unit:
    """One level-2 unit: a real township or a management zone, with its seat in metres."""

    code: str
    name_zh: str
    name_en: str
    pinyin: str
    kind: str
    seat: tuple[float, float]
    synthetic: bool


@dataclass(frozen=True)
class Village:
    """One level-3 grid: its code, names, kind, parent and centre cell."""

    code: str
    name_zh: str
    kind: str
    parent: str
    centre: int
    synthetic: bool


def partition(
    adjacency: Adjacency, points: np.ndarray, members: np.ndarray, sources: Sequence[int]
) -> np.ndarray:
    """Split the cells ``members`` into contiguous groups grown from ``sources``.

    Returns the group rank of each member (same order as ``members``); every group holds at least
    its source. Members the growth cannot reach join a neighbouring group, else the nearest.
    """
    allowed = np.zeros(len(points), dtype=bool)
    allowed[members] = True
    label = grow(adjacency, points, sources, allowed)
    sub = label[members]
    if (sub == -1).any():
        known = members[sub != -1]
        tree = cKDTree(points[known])
        for pos in np.flatnonzero(sub == -1):
            label[members[pos]] = label[known[tree.query(points[members[pos]])[1]]]
        sub = label[members]
    return sub


def zone_cells(adjacency: Adjacency, members: np.ndarray, forbidden: set[int]) -> np.ndarray:
    """Return the largest connected part of ``members`` that avoids the ``forbidden`` cells."""
    keep = np.array([m for m in members if int(m) not in forbidden], dtype=np.int64)
    if len(keep) == 0:
        return keep
    return np.array(components(adjacency, keep)[0], dtype=np.int64)


def assign_units(
    units: Sequence[Unit],
    adjacency: Adjacency,
    seeds: np.ndarray,
    zone_members: dict[str, np.ndarray],
) -> tuple[np.ndarray, dict[str, int]]:
    """Label every cell with the index of its level-2 unit.

    Zones take their pre-assigned cells; townships grow from the cells holding their seats.
    Returns the labels and the seat cell of each unit (a zone's seat is its cell nearest its seat).
    """
    tree = cKDTree(seeds)
    label = np.full(len(seeds), -1, dtype=np.int64)
    seat_cell: dict[str, int] = {}
    for i, u in enumerate(units):
        if u.code in zone_members:
            cells = zone_members[u.code]
            label[cells] = i
            d = np.hypot(*(seeds[cells] - np.asarray(u.seat)).T)
            seat_cell[u.code] = int(cells[int(np.argmin(d))])
    towns = [i for i, u in enumerate(units) if u.code not in zone_members]
    sources = []
    for i in towns:
        k = 1
        while True:
            _, idx = tree.query(units[i].seat, k=k)
            free = [
                int(c) for c in np.atleast_1d(idx) if label[int(c)] == -1 and int(c) not in sources
            ]
            if free:
                break
            k *= 2
        sources.append(free[0])
        seat_cell[units[i].code] = free[0]
    members = np.flatnonzero(label == -1)
    allowed = np.zeros(len(seeds), dtype=bool)
    allowed[members] = True
    sub = grow(adjacency, seeds, sources, allowed)
    label[members] = np.where(sub[members] >= 0, np.asarray(towns)[sub[members]], -1)
    # Pockets the seats cannot reach (enclosed by a zone) join a neighbouring unit.
    return absorb_orphans(adjacency, label, seeds), seat_cell


def village_counts(
    n3: int, units: Sequence[Unit], villages: pd.DataFrame, label2: np.ndarray
) -> list[int]:
    """Return the number of village grids of each unit: the real ones plus the extra ones."""
    desired = []
    for u in units:
        real = int((villages["town_code"] == u.code).sum())
        desired.append(real + len(names.EXTRA_COMMUNITIES.get(u.code, ())))
    cells = [int((label2 == i).sum()) for i in range(len(units))]
    return apportion(n3, desired, [1] * len(units), cells)


def place_villages(
    units: Sequence[Unit],
    counts: Sequence[int],
    villages: pd.DataFrame,
    adjacency: Adjacency,
    seeds: np.ndarray,
    label2: np.ndarray,
    seat_cell: dict[str, int],
    rng: np.random.Generator,
) -> tuple[list[Village], np.ndarray]:
    """Choose each unit's villages, place their centres and grow them inside the unit.

    Communities (社区), real then synthetic, take the centres nearest the unit's seat; villages
    take the others in code order, clockwise from north around the seat.
    """
    out: list[Village] = []
    label3 = np.full(len(seeds), -1, dtype=np.int64)
    generic = 0
    for i, (u, k) in enumerate(zip(units, counts, strict=True)):
        own = villages[villages["town_code"] == u.code]
        comm = own[own["kind"] == "community"]
        vil = own[own["kind"] != "community"]
        pool: list[tuple[str, str, str, bool]] = [
            (r.code, r.name_zh, "community", False) for r in comm.itertuples()
        ] + [(r.code, r.name_zh, "village", False) for r in vil.itertuples()]
        extra = [
            (f"{u.code}9{j + 1:02d}", nm, "community", True)
            for j, nm in enumerate(names.EXTRA_COMMUNITIES.get(u.code, ()))
        ]
        pool += extra
        while len(pool) < k:
            generic += 1
            pool.append(
                (f"{u.code}8{generic:02d}", names.synthetic_community(generic), "community", True)
            )
        chosen = pool[:k]
        chosen.sort(key=lambda r: (r[2] != "community", r[3], r[0]))
        members = np.flatnonzero(label2 == i)
        centres = kmeans_centres(seeds[members], k, rng)
        centre_cells = [int(members[c]) for c in centres]
        seat = np.asarray(seeds[seat_cell[u.code]])
        n_comm = sum(1 for r in chosen if r[2] == "community")
        by_dist = sorted(centre_cells, key=lambda c: (float(np.hypot(*(seeds[c] - seat))), c))
        near, far = by_dist[:n_comm], by_dist[n_comm:]
        far.sort(
            key=lambda c: (
                float(np.arctan2(seeds[c][0] - seat[0], seeds[c][1] - seat[1])) % (2 * np.pi),
                c,
            )
        )
        ordered = near + far
        sub = partition(adjacency, seeds, members, ordered)
        base = len(out)
        label3[members] = base + sub
        for (code, nm, kind, synth), centre in zip(chosen, ordered, strict=True):
            out.append(Village(code, nm, kind, u.code, centre, synth))
    codes = [v.code for v in out]
    if len(set(codes)) != len(codes):
        raise ValueError("village codes are not unique")
    return out, label3


def split_villages(
    n4: int,
    villages: Sequence[Village],
    adjacency: Adjacency,
    seeds: np.ndarray,
    label3: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Split each village into level-4 areas (at least one cell each); return the area labels.

    Areas are numbered within a village from north-west to south-east; the label of a cell is
    ``village_index * 1000 + area_number``.
    """
    sizes = [int((label3 == v).sum()) for v in range(len(villages))]
    k4 = apportion(n4, sizes, [1] * len(sizes), sizes)
    label4 = np.full(len(seeds), -1, dtype=np.int64)
    for v, k in enumerate(k4):
        members = np.flatnonzero(label3 == v)
        centres = [int(members[c]) for c in kmeans_centres(seeds[members], k, rng)]
        centres.sort(key=lambda c: (-round(seeds[c][1] / 250.0), seeds[c][0], c))
        sub = partition(adjacency, seeds, members, centres)
        label4[members] = v * 1000 + 1 + sub
    return label4


def order_cells(seeds: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Return ``members`` ordered north-west to south-east (rows of 250 m)."""
    return np.array(
        sorted(members.tolist(), key=lambda c: (-round(seeds[c][1] / 250.0), seeds[c][0], c)),
        dtype=np.int64,
    )


def union(cells: np.ndarray, members: np.ndarray) -> BaseGeometry:
    """Return the union of a coverage subset, keeping shared edges identical."""
    return shapely.coverage_union_all(cells[members])
