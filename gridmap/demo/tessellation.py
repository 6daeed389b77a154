"""Level-5 tessellation: density-weighted seed points, clipped Voronoi cells, their adjacency."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from scipy.spatial import Delaunay
from shapely.geometry.base import BaseGeometry

from gridmap.demo.grouping import Adjacency


def density(
    xy: np.ndarray,
    town_seat: Sequence[tuple[float, float]],
    seats: Sequence[tuple[float, float]],
    water: BaseGeometry,
    zone_centre: tuple[float, float],
) -> np.ndarray:
    """Return the relative grid density at points ``xy`` (metres): high in the town seat.

    The town seat (old town and district seat) is about 20x denser than the countryside, township
    seats about 4x; on the lake it drops to a quarter.
    """
    d = np.ones(len(xy))
    for cx, cy in town_seat:
        d += 20.0 * np.exp(-((xy[:, 0] - cx) ** 2 + (xy[:, 1] - cy) ** 2) / (2 * 1500.0**2))
    for cx, cy in seats:
        d += 4.0 * np.exp(-((xy[:, 0] - cx) ** 2 + (xy[:, 1] - cy) ** 2) / (2 * 800.0**2))
    zx, zy = zone_centre
    d += 3.0 * np.exp(-((xy[:, 0] - zx) ** 2 + (xy[:, 1] - zy) ** 2) / (2 * 1200.0**2))
    wet = shapely.contains_xy(water, xy[:, 0], xy[:, 1])
    d[wet] = 0.25
    return d


def sample_seeds(outline: BaseGeometry, n: int, rng: np.random.Generator, density_fn) -> np.ndarray:
    """Draw ``n`` points inside ``outline`` by rejection sampling against ``density_fn``.

    A point is kept with probability min(1, density / 25): the cap keeps the grids of the town
    seat's core from getting tiny.
    """
    x0, y0, x1, y1 = outline.bounds
    shapely.prepare(outline)
    out: list[np.ndarray] = []
    have = 0
    while have < n:
        cand = np.column_stack([rng.uniform(x0, x1, 4 * n), rng.uniform(y0, y1, 4 * n)])
        cand = cand[shapely.contains_xy(outline, cand[:, 0], cand[:, 1])]
        dens = density_fn(cand)
        keep = cand[rng.uniform(0, 25.0, len(cand)) < dens]
        out.append(keep)
        have += len(keep)
    return np.concatenate(out)[:n]


def voronoi_cells(outline: BaseGeometry, seeds: np.ndarray) -> np.ndarray:
    """Return the Voronoi cells of ``seeds`` clipped to ``outline``, in seed order."""
    mp = shapely.multipoints(seeds)
    cells = shapely.get_parts(shapely.voronoi_polygons(mp, extend_to=outline, ordered=True))
    shapely.prepare(outline)
    inside = shapely.contains_properly(outline, cells)
    clipped = cells.copy()
    border = ~inside
    clipped[border] = shapely.intersection(cells[border], outline)
    return clipped


def relax(outline: BaseGeometry, seeds: np.ndarray, iterations: int) -> np.ndarray:
    """Move each seed towards its clipped cell's centroid (Lloyd), halfway, to remove clumps."""
    for _ in range(iterations):
        cells = voronoi_cells(outline, seeds)
        cent = shapely.get_coordinates(shapely.centroid(cells))
        seeds = 0.5 * seeds + 0.5 * cent
    return seeds


def tessellate(outline: BaseGeometry, seeds: np.ndarray) -> np.ndarray:
    """Return the level-5 coverage: clipped Voronoi cells on a 1 m precision grid.

    Raises
    ------
    ValueError
        When the cells do not form a valid coverage.
    """
    cells = voronoi_cells(outline, seeds)
    cells = merge_stray_parts(shapely.set_precision(cells, 1.0), seeds)
    bad = shapely.is_empty(cells) | ~shapely.is_valid(cells)
    if bad.any():
        raise ValueError(f"{int(bad.sum())} level-5 cells are empty or invalid after snapping")
    if not shapely.coverage_is_valid(cells):
        raise ValueError("level-5 cells are not a valid coverage after snapping")
    return cells


def merge_stray_parts(cells: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """Keep one polygon per cell, so every grid of every level stays in one piece.

    A part cut off by a notch of the outline joins the neighbour sharing the longest edge with it.
    """
    cells = cells.copy()
    tree = shapely.STRtree(cells)
    for i in np.flatnonzero(shapely.get_num_geometries(cells) > 1):
        parts = shapely.get_parts(cells[i])
        home = shapely.contains_xy(parts, seeds[i][0], seeds[i][1])
        keep = int(np.argmax(home)) if home.any() else int(np.argmax(shapely.area(parts)))
        cells[i] = parts[keep]
        for k, part in enumerate(parts):
            if k == keep:
                continue
            near = [int(c) for c in tree.query(part, predicate="intersects") if int(c) != i]
            shared = shapely.length(
                shapely.intersection(part.boundary, shapely.boundary(cells[near]))
            )
            c = near[int(np.argmax(shared))]
            cells[c] = shapely.coverage_union_all([cells[c], part])
    return cells


def adjacency(cells: np.ndarray, seeds: np.ndarray) -> Adjacency:
    """Return, for each cell, the cells sharing a boundary segment with it (not just a corner)."""
    tri = Delaunay(seeds)
    indptr, indices = tri.vertex_neighbor_vertices
    pairs = np.array(
        [
            (i, int(j))
            for i in range(len(seeds))
            for j in indices[indptr[i] : indptr[i + 1]]
            if i < j
        ],
        dtype=np.int64,
    )
    shared = shapely.length(shapely.intersection(cells[pairs[:, 0]], cells[pairs[:, 1]]))
    pairs = pairs[shared > 0.5]
    adj: Adjacency = [[] for _ in range(len(seeds))]
    for i, j in pairs:
        adj[int(i)].append(int(j))
        adj[int(j)].append(int(i))
    return [sorted(a) for a in adj]
