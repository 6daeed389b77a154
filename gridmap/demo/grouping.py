"""Graph tools that group level-5 cells into contiguous parents: apportioning, centres, growth."""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np
from scipy.spatial import cKDTree

#: Adjacency: for each cell, the sorted indices of the cells sharing an edge with it.
Adjacency = list[list[int]]


def apportion(
    total: int, weights: Sequence[float], lo: Sequence[int], hi: Sequence[int]
) -> list[int]:
    """Split ``total`` into integers near ``weights`` within ``lo..hi`` (largest remainders).

    Parameters
    ----------
    total : int
        Sum of the result.
    weights : sequence of float
        Non-negative target shares.
    lo, hi : sequence of int
        Bounds of each part.

    Returns
    -------
    list of int

    Raises
    ------
    ValueError
        When the bounds cannot hold ``total``.
    """
    w = np.asarray(weights, dtype=float)
    lo_a, hi_a = np.asarray(lo, dtype=np.int64), np.asarray(hi, dtype=np.int64)
    if (lo_a > hi_a).any() or lo_a.sum() > total or hi_a.sum() < total:
        raise ValueError(
            f"cannot split {total} into {len(w)} parts within bounds "
            f"(minimum {int(lo_a.sum())}, maximum {int(hi_a.sum())})"
        )
    out = lo_a.copy()
    # Water-filling: raise a common scale until the clipped shares reach the total.
    if w.sum() <= 0:
        w = np.ones_like(w)
    lo_s, hi_s = 0.0, float(total) / max(w[w > 0].min(), 1e-12) * 2 + 1
    for _ in range(100):
        mid = (lo_s + hi_s) / 2
        if np.clip(np.floor(w * mid), lo_a, hi_a).sum() > total:
            hi_s = mid
        else:
            lo_s = mid
    out = np.clip(np.floor(w * lo_s), lo_a, hi_a).astype(np.int64)
    frac = w * lo_s - np.floor(w * lo_s)
    order = sorted(range(len(w)), key=lambda i: (-frac[i], -w[i], i))
    missing = total - int(out.sum())
    while missing > 0:
        moved = False
        for i in order:
            if missing == 0:
                break
            if out[i] < hi_a[i]:
                out[i] += 1
                missing -= 1
                moved = True
        if not moved:  # pragma: no cover - excluded by the bound check above
            raise ValueError("apportion did not converge")
    return [int(x) for x in out]


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Return non-negative integers summing to ``total``, proportional to ``weights``."""
    w = np.asarray(weights, dtype=float)
    exact = w / w.sum() * total
    out = np.floor(exact).astype(np.int64)
    rest = total - int(out.sum())
    order = np.lexsort((np.arange(len(w)), -(exact - out)))
    out[order[:rest]] += 1
    return out


def kmeans_centres(
    points: np.ndarray, k: int, rng: np.random.Generator, iterations: int = 8
) -> list[int]:
    """Pick ``k`` distinct indices of ``points`` spread like k-means centres.

    k-means++ start, a few Lloyd steps, then each centre snaps to the nearest unused point.
    """
    n = len(points)
    if k >= n:
        return list(range(n))
    first = int(rng.integers(n))
    centres = [points[first]]
    d2 = ((points - points[first]) ** 2).sum(axis=1)
    for _ in range(1, k):
        p = d2 / d2.sum() if d2.sum() > 0 else np.full(n, 1.0 / n)
        nxt = int(rng.choice(n, p=p))
        centres.append(points[nxt])
        d2 = np.minimum(d2, ((points - points[nxt]) ** 2).sum(axis=1))
    c = np.array(centres)
    for _ in range(iterations):
        label = cKDTree(c).query(points)[1]
        for j in range(k):
            members = points[label == j]
            if len(members):
                c[j] = members.mean(axis=0)
    tree = cKDTree(points)
    used: set[int] = set()
    chosen: list[int] = []
    for j in range(k):
        kk = min(n, 16)
        while True:
            _, idx = tree.query(c[j], k=kk)
            idx = np.atleast_1d(idx)
            free = [int(i) for i in idx if int(i) not in used]
            if free:
                break
            kk = min(n, kk * 4)
        used.add(free[0])
        chosen.append(free[0])
    return chosen


def grow(
    adjacency: Adjacency,
    points: np.ndarray,
    sources: Sequence[int],
    allowed: np.ndarray,
) -> np.ndarray:
    """Multi-source Dijkstra: label each allowed cell with the index of its nearest source.

    Distances run along the adjacency graph (edge length = distance of the seed points), so every
    label's cells form one connected group that contains its source. Unreached cells get -1.
    """
    label = np.full(len(points), -1, dtype=np.int64)
    dist = np.full(len(points), np.inf)
    heap: list[tuple[float, int, int]] = []
    for rank, s in enumerate(sources):
        dist[s] = 0.0
        heapq.heappush(heap, (0.0, rank, int(s)))
    while heap:
        d, rank, node = heapq.heappop(heap)
        if label[node] != -1:
            continue
        label[node] = rank
        for nb in adjacency[node]:
            if not allowed[nb] or label[nb] != -1:
                continue
            nd = d + float(np.hypot(*(points[nb] - points[node])))
            if nd < dist[nb]:
                dist[nb] = nd
                heapq.heappush(heap, (nd, rank, nb))
    return label


def components(adjacency: Adjacency, members: np.ndarray) -> list[list[int]]:
    """Return the connected components of the cells ``members`` (sorted, largest first)."""
    inside = set(int(m) for m in members)
    seen: set[int] = set()
    comps: list[list[int]] = []
    for start in sorted(inside):
        if start in seen:
            continue
        stack, comp = [start], []
        seen.add(start)
        while stack:
            node = stack.pop()
            comp.append(node)
            for nb in adjacency[node]:
                if nb in inside and nb not in seen:
                    seen.add(nb)
                    stack.append(nb)
        comps.append(sorted(comp))
    comps.sort(key=lambda c: (-len(c), c[0]))
    return comps


def absorb_orphans(adjacency: Adjacency, label: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Give every cell labelled -1 the label of a labelled neighbour (or of the nearest cell)."""
    label = label.copy()
    while (label == -1).any():
        changed = False
        for node in np.flatnonzero(label == -1):
            nbs = [nb for nb in adjacency[node] if label[nb] != -1]
            if nbs:
                nearest = min(nbs, key=lambda nb: (np.hypot(*(points[nb] - points[node])), nb))
                label[node] = label[nearest]
                changed = True
        if not changed:
            known = np.flatnonzero(label != -1)
            tree = cKDTree(points[known])
            for node in np.flatnonzero(label == -1):
                label[node] = label[known[tree.query(points[node])[1]]]
    return label
