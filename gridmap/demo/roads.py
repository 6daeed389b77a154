"""Synthetic road network: a planar graph on the level-5 seed points, noded at shared end points.

Candidate edges are the Delaunay edges between dry-land seeds that stay inside the district and off
the lake (plus a few causeways into the old town). Chosen: arterials between township seats and
out to the district edge, county roads from each seat to its villages, a dense street net in the
town seat, a minimum spanning tree reaching every grid, and some extra short village links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, dijkstra, minimum_spanning_tree
from scipy.spatial import Delaunay
from shapely.geometry.base import BaseGeometry

CLASS_RANK = {"arterial": 0, "county": 1, "street": 2, "village": 3}


@dataclass(frozen=True)
class Road:
    """One segment between two seed points (indices into the seed array)."""

    a: int
    b: int
    road_class: str
    name_zh: str


def candidate_edges(
    seeds: np.ndarray,
    nodes: np.ndarray,
    outline: BaseGeometry,
    water: BaseGeometry,
    island: BaseGeometry,
    old_town: tuple[float, float],
) -> tuple[np.ndarray, dict[tuple[int, int], str]]:
    """Return the usable Delaunay edges (seed index pairs) and the causeways among them."""
    tri = Delaunay(seeds[nodes])
    indptr, indices = tri.vertex_neighbor_vertices
    pairs = np.array(
        [
            (nodes[i], nodes[int(j)])
            for i in range(len(nodes))
            for j in indices[indptr[i] : indptr[i + 1]]
            if i < j
        ],
        dtype=np.int64,
    )
    lines = shapely.linestrings(np.stack([seeds[pairs[:, 0]], seeds[pairs[:, 1]]], axis=1))
    shapely.prepare(outline)
    shapely.prepare(water)
    inside = shapely.covered_by(lines, outline)
    wet = shapely.intersects(lines, water)
    keep = inside & ~wet
    # Causeways: the shortest water crossing from the island in each compass quarter.
    on_island = shapely.contains_xy(island, seeds[:, 0], seeds[:, 1])
    cross = np.flatnonzero(inside & wet & (on_island[pairs[:, 0]] ^ on_island[pairs[:, 1]]))
    causeways: dict[tuple[int, int], str] = {}
    if len(cross):
        wet_len = shapely.length(shapely.intersection(lines[cross], water))
        mid = (seeds[pairs[cross, 0]] + seeds[pairs[cross, 1]]) / 2 - np.asarray(old_town)
        angle = np.degrees(np.arctan2(mid[:, 0], mid[:, 1])) % 360
        for label, lo, hi in (("北", 315, 45), ("东", 45, 135), ("南", 135, 225), ("西", 225, 315)):
            sel = (angle >= lo) & (angle < hi) if lo < hi else (angle >= lo) | (angle < hi)
            if sel.any():
                best = np.flatnonzero(sel)[np.lexsort((np.flatnonzero(sel), wet_len[sel]))[0]]
                e = cross[best]
                keep[e] = True
                causeways[(int(pairs[e, 0]), int(pairs[e, 1]))] = f"龙湖{label}堤路"
    return pairs[keep], causeways


def _path(pred: np.ndarray, target: int) -> list[int]:
    """Return the node path ending at ``target`` from a Dijkstra predecessor row."""
    out = [target]
    while pred[out[-1]] >= 0:
        out.append(int(pred[out[-1]]))
    return out[::-1]


def build_roads(
    seeds: np.ndarray,
    land: np.ndarray,
    outline: BaseGeometry,
    water: BaseGeometry,
    island: BaseGeometry,
    old_town: tuple[float, float],
    seats: Sequence[tuple[int, str]],
    village_centres: Sequence[tuple[int, int, str]],
    street_cells: np.ndarray,
    cell_name: Sequence[str],
    rng: np.random.Generator,
    extra_share: float = 0.22,
    street_share: float = 0.45,
) -> list[Road]:
    """Return the road segments.

    Parameters
    ----------
    seeds : ndarray, shape (n, 2)
        Seed points of the level-5 cells (metres): the network's nodes.
    land : ndarray of bool
        Seeds on dry land (only those become nodes).
    seats : sequence of (seed index, short name)
        Township and zone seats, joined by arterials.
    village_centres : sequence of (seed index, seat seed index, village name)
        Village centres, each joined to its seat by a county road.
    street_cells : ndarray of bool
        Cells of the town seat, where the tree and about half of the other edges become streets.
    cell_name : sequence of str
        Name of the village of each cell, for village roads and streets.
    outline, water, island : shapely geometry
        District outline, lake and old-town island (metres).
    old_town : tuple of float
        Centre of the old town, for naming the causeways.
    rng : numpy.random.Generator
        Random generator (edge costs and extra links).
    extra_share, street_share : float
        Share of the other short edges kept as village roads, and of town-seat edges as streets.
    """
    nodes = np.flatnonzero(land)
    pairs, causeways = candidate_edges(seeds, nodes, outline, water, island, old_town)
    n = len(seeds)
    length = np.hypot(*(seeds[pairs[:, 0]] - seeds[pairs[:, 1]]).T)
    cost = length * (1.0 + 0.3 * rng.uniform(size=len(pairs)))
    graph = coo_matrix((cost, (pairs[:, 0], pairs[:, 1])), shape=(n, n)).tocsr()
    graph = graph + graph.T
    _, comp = connected_components(graph, directed=False)
    main = np.bincount(comp[nodes]).argmax()
    edge_index = {(int(a), int(b)): i for i, (a, b) in enumerate(pairs)}
    chosen: dict[int, tuple[str, str]] = {}

    def mark(path: list[int], road_class: str, name: str) -> None:
        for a, b in zip(path[:-1], path[1:], strict=True):
            e = edge_index.get((min(a, b), max(a, b)))
            if e is None:
                continue
            old = chosen.get(e)
            if old is None or CLASS_RANK[road_class] < CLASS_RANK[old[0]]:
                chosen[e] = (road_class, name)

    def snap(i: int) -> int:
        if land[i] and comp[i] == main:
            return i
        ok = nodes[comp[nodes] == main]
        return int(ok[np.argmin(np.hypot(*(seeds[ok] - seeds[i]).T))])

    # Arterials: each seat to its two nearest seats, and the district seat out to the edge.
    seat_nodes = [(snap(s), nm) for s, nm in seats]
    sxy = seeds[[s for s, _ in seat_nodes]]
    arterial_pairs: set[tuple[int, int]] = set()
    for i in range(len(seat_nodes)):
        d = np.hypot(*(sxy - sxy[i]).T)
        for j in np.argsort(d, kind="stable")[1:3]:
            arterial_pairs.add((min(i, int(j)), max(i, int(j))))
    dist, pred = dijkstra(graph, indices=[s for s, _ in seat_nodes], return_predecessors=True)
    for i, j in sorted(arterial_pairs):
        name = f"{seat_nodes[i][1]}—{seat_nodes[j][1]}公路"
        mark(_path(pred[i], seat_nodes[j][0]), "arterial", name)
    ok = nodes[comp[nodes] == main]
    centre = seeds[ok].mean(axis=0)
    for k, label in enumerate(("北", "东北", "东", "东南", "南", "西南", "西", "西北")):
        ang = np.radians(45 * k)
        direction = np.array([np.sin(ang), np.cos(ang)])
        far = int(ok[np.argmax((seeds[ok] - centre) @ direction)])
        i = int(np.argmin(np.hypot(*(sxy - seeds[far]).T)))
        mark(_path(pred[i], far), "arterial", f"{seat_nodes[i][1]}{label}出境公路")
    # County roads: from each seat to its villages, preferring arterials already built.
    by_seat: dict[int, list[tuple[int, str]]] = {}
    for v, s, nm in village_centres:
        by_seat.setdefault(snap(s), []).append((snap(v), nm))
    cheap = graph.copy().tocoo()
    is_art = np.array(
        [
            chosen.get(edge_index.get((min(a, b), max(a, b)), -1), ("",))[0] == "arterial"
            for a, b in zip(cheap.row, cheap.col, strict=True)
        ]
    )
    cheap.data = np.where(is_art, cheap.data * 0.6, cheap.data)
    cheap = cheap.tocsr()
    for s in sorted(by_seat):
        _, pr = dijkstra(cheap, indices=s, return_predecessors=True)
        for v, nm in sorted(by_seat[s]):
            if v != s:
                mark(_path(pr, v), "county", f"通{nm}公路")
    # Village roads: a spanning tree reaching every grid, plus some extra short links; in the
    # town seat the tree and about half of the other edges become streets.
    tree = minimum_spanning_tree(graph).tocoo()
    in_tree = np.zeros(len(pairs), dtype=bool)
    for a, b in zip(tree.row, tree.col, strict=True):
        in_tree[edge_index[(min(int(a), int(b)), max(int(a), int(b)))]] = True
    short = length < np.median(length)
    dice = rng.uniform(size=len(pairs))
    for e, (a, b) in enumerate(pairs):
        a, b = int(a), int(b)
        if comp[a] != main:
            continue
        if street_cells[a] and street_cells[b]:
            if in_tree[e] or dice[e] < street_share:
                mark([a, b], "street", f"{cell_name[a]}街")
        elif in_tree[e] or (short[e] and dice[e] < extra_share):
            mark([a, b], "village", f"{cell_name[a]}道路")
    for (a, b), nm in causeways.items():
        e = edge_index[(a, b)]
        if e in chosen:
            chosen[e] = (chosen[e][0], nm)
        else:
            chosen[e] = ("county", nm)
    roads = [Road(int(pairs[e, 0]), int(pairs[e, 1]), c, nm) for e, (c, nm) in chosen.items()]
    roads.sort(key=lambda r: (CLASS_RANK[r.road_class], r.a, r.b))
    return roads
