"""The array core of the police circle: travel seconds from cost matrices and graphs, no geometry.

Like spopt's ``MCLP.from_cost_matrix``, everything here takes plain numpy / scipy arrays
(a demand-by-source cost matrix, a road graph as a sparse matrix, cell-to-node tables) and
returns arrays; :class:`gridmap.coverage.model.CoverageModel` builds those arrays from
GeoDataFrames and delegates to these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from gridmap.errors import CoverageError
from gridmap.messages import Message


@dataclass(frozen=True)
class CostCoverage:
    """What a set of sources reaches within a time limit, from a demand-by-source cost matrix.

    Attributes
    ----------
    seconds : ndarray (n_demand,)
        Travel seconds from the nearest source (inf when no source).
    covered : ndarray of bool (n_demand,)
        Whether the demand point is reached within ``limit_seconds``.
    weights : ndarray (n_demand,)
        Weight of each demand point.
    limit_seconds : float
        The time limit.
    """

    seconds: np.ndarray
    covered: np.ndarray
    weights: np.ndarray
    limit_seconds: float

    @classmethod
    def from_cost_matrix(
        cls, cost_matrix: Any, weights: Any = None, limit_seconds: float = 300.0
    ) -> CostCoverage:
        """Cover demand points from a (n_demand, n_sources) matrix of travel seconds.

        Parameters
        ----------
        cost_matrix : array-like (n_demand, n_sources)
            Travel seconds from each source to each demand point (inf: unreachable).
        weights : array-like (n_demand,), optional
            Weight of each demand point (people, incidents); default 1 each.
        limit_seconds : float
            Time limit, seconds (> 0).

        Returns
        -------
        CostCoverage

        Raises
        ------
        CoverageError
            A matrix that is not 2-D, weights of the wrong length or negative, a bad limit.
        """
        cost = np.asarray(cost_matrix, dtype=float)
        if cost.ndim != 2:
            raise CoverageError(
                f"cost_matrix must be 2-D (demand, sources), got {cost.ndim}-D",
                parameter="cost_matrix",
            )
        if np.isnan(cost).any() or (cost < 0).any():
            raise CoverageError("cost_matrix must hold seconds >= 0", parameter="cost_matrix")
        w = np.ones(cost.shape[0]) if weights is None else np.asarray(weights, dtype=float).ravel()
        if len(w) != cost.shape[0]:
            raise CoverageError(
                f"weights has {len(w)} values for {cost.shape[0]} demand rows", parameter="weights"
            )
        if not np.all(np.isfinite(w)) or (w < 0).any():
            raise CoverageError("weights must be finite and >= 0", parameter="weights")
        if not (np.isfinite(limit_seconds) and limit_seconds > 0):
            raise CoverageError(
                f"limit_seconds must be > 0, got {limit_seconds!r}", parameter="limit_seconds"
            )
        seconds = cost.min(axis=1) if cost.shape[1] else np.full(cost.shape[0], np.inf)
        return cls(seconds, seconds <= limit_seconds, w, float(limit_seconds))

    @property
    def covered_weight(self) -> float:
        """Weight of the demand points reached."""
        return float(self.weights[self.covered].sum())

    @property
    def share(self) -> float | None:
        """Covered weight over total weight (None when the total is 0)."""
        total = float(self.weights.sum())
        return self.covered_weight / total if total > 0 else None


def near_nodes(
    tree: cKDTree, n_nodes: int, xy: np.ndarray, walk_k: int, walk_max_m: float, walk_mps: float
) -> tuple[np.ndarray, np.ndarray]:
    """For each point, the ``walk_k`` nearest nodes within ``walk_max_m`` and the walk (s).

    Missing neighbours point at index ``n_nodes`` (an infinite time) with a 0 s walk.
    """
    k = min(walk_k, n_nodes)
    d, idx = tree.query(xy, k=k, distance_upper_bound=walk_max_m * (1 + 1e-12))
    d = np.asarray(d, dtype=float).reshape(len(xy), k)
    idx = np.asarray(idx, dtype=np.int64).reshape(len(xy), k)
    walk = np.where(np.isfinite(d), d / walk_mps, 0.0)
    return idx.astype(np.int32), walk.astype(np.float64)


def source_matrix(
    road_coo: tuple[np.ndarray, np.ndarray, np.ndarray],
    n_road: int,
    nodes: np.ndarray,
    walk_m: np.ndarray,
    walk_mps: float,
    speed_scale: float,
) -> csr_matrix:
    """Road edges (row, col, seconds) at ``speed_scale``, plus a source node per post.

    Source ``n_road + p`` is linked to road node ``nodes[p]`` by its walk leg of ``walk_m[p]``
    metres (at least a microsecond, so the edge exists).
    """
    r, c, w = road_coo
    legs = np.maximum(np.asarray(walk_m, dtype=float) / walk_mps, 1e-6)
    n = n_road + len(nodes)
    return csr_matrix(
        (
            np.concatenate([w / speed_scale, legs]),
            (
                np.concatenate([r, n_road + np.arange(len(nodes))]),
                np.concatenate([c, np.asarray(nodes, dtype=np.int64)]),
            ),
        ),
        shape=(n, n),
    )


def network_seconds(matrix: csr_matrix, sources: np.ndarray, limit: float) -> np.ndarray:
    """Seconds from the nearest of ``sources`` to each node of ``matrix`` (inf past ``limit``)."""
    if len(sources):
        return dijkstra(matrix, directed=True, indices=sources, min_only=True, limit=limit)
    return np.full(matrix.shape[0], np.inf)


def cell_seconds(
    node_seconds: np.ndarray, cell_nodes: np.ndarray, cell_walk: np.ndarray
) -> np.ndarray:
    """Seconds to each cell: best of (seconds to a near node + walk from it), inf if none."""
    ext = np.append(node_seconds, np.inf)
    return (ext[cell_nodes] + cell_walk).min(axis=1)


def straight_seconds(
    post_xy: np.ndarray,
    xy: np.ndarray,
    *,
    detour_factor: float,
    speed_kmh: float,
    speed_scale: float,
) -> np.ndarray:
    """Seconds from the nearest post in a straight line, lengthened by ``detour_factor``."""
    if len(post_xy) == 0:
        return np.full(len(xy), np.inf)
    d, _ = cKDTree(post_xy).query(xy)
    return d * detour_factor / (speed_kmh / 3.6 * speed_scale)


def island_warnings(
    labels: np.ndarray, comp_len: np.ndarray, src_nodes: np.ndarray, ids: Sequence[str]
) -> list[str]:
    """Warn of posts on road islands and of road pieces no post reaches.

    Parameters
    ----------
    labels : ndarray (n_nodes,)
        Connected component of each road node.
    comp_len : ndarray (n_components,)
        Road length of each component, metres.
    src_nodes : ndarray
        Road node of each post in service, in the order of ``ids``.
    ids : sequence of str
        Post ids.
    """
    if len(comp_len) <= 1 or len(src_nodes) == 0:
        return []
    out = []
    main = int(np.argmax(comp_len))
    comp = labels[src_nodes]
    for c in np.unique(comp[comp != main]):
        on = [ids[k] for k in np.nonzero(comp == c)[0]]
        out.append(
            Message(
                "coverage-road-island",
                posts=", ".join(on[:10]),
                km=f"{comp_len[c] / 1000:.1f}",
                main=f"{comp_len[main] / 1000:.1f}",
            )
        )
    served = np.zeros(len(comp_len), dtype=bool)
    served[comp] = True
    lost = comp_len[~served].sum()
    if lost > 0:
        out.append(
            Message(
                "coverage-roads-unreached",
                share=f"{lost / comp_len.sum():.1%}",
                km=f"{lost / 1000:.1f}",
                pieces=int((~served).sum()),
            )
        )
    return out
