"""The array core: coverage from a hand-made cost matrix and the network helpers, no geometry."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import cKDTree

from gridmap.coverage import core
from gridmap.errors import CoverageError

INF = np.inf

# Four demand points, two sources; seconds from each source to each point.
COST = np.array(
    [
        [60.0, 400.0],
        [350.0, 200.0],
        [500.0, 700.0],
        [INF, 299.0],
    ]
)
WEIGHTS = np.array([10.0, 20.0, 30.0, 40.0])


def test_coverage_from_a_hand_made_cost_matrix():
    cov = core.CostCoverage.from_cost_matrix(COST, WEIGHTS, limit_seconds=300)
    assert cov.seconds.tolist() == [60.0, 200.0, 500.0, 299.0]
    assert cov.covered.tolist() == [True, True, False, True]
    assert cov.covered_weight == 70.0
    assert cov.share == pytest.approx(0.7)


def test_without_weights_each_point_counts_once_and_no_source_covers_nothing():
    cov = core.CostCoverage.from_cost_matrix(COST, limit_seconds=100)
    assert cov.covered.tolist() == [True, False, False, False]
    assert cov.share == pytest.approx(0.25)
    none = core.CostCoverage.from_cost_matrix(np.zeros((3, 0)), limit_seconds=100)
    assert np.isinf(none.seconds).all() and none.covered_weight == 0.0
    assert core.CostCoverage.from_cost_matrix(COST, np.zeros(4), 300).share is None


@pytest.mark.parametrize(
    ("args", "parameter", "message"),
    [
        ((np.ones(3), None, 300), "cost_matrix", "must be 2-D"),
        ((-COST, None, 300), "cost_matrix", "seconds >= 0"),
        ((COST, np.ones(3), 300), "weights", "3 values for 4 demand rows"),
        ((COST, -WEIGHTS, 300), "weights", "finite and >= 0"),
        ((COST, WEIGHTS, 0), "limit_seconds", "must be > 0"),
    ],
)
def test_bad_arrays_are_refused_naming_the_parameter(args, parameter, message):
    with pytest.raises(CoverageError, match=message) as info:
        core.CostCoverage.from_cost_matrix(*args)
    assert info.value.parameter == parameter


def test_network_seconds_on_a_hand_made_path():
    # Road 0 -> 1 -> 2 (100 s each way), one post walking 10 m at 1 m/s onto node 0.
    coo = (np.array([0, 1, 1, 2]), np.array([1, 0, 2, 1]), np.array([100.0, 100.0, 100.0, 100.0]))
    m = core.source_matrix(coo, 3, np.array([0]), np.array([10.0]), 1.0, speed_scale=2.0)
    seconds = core.network_seconds(m, np.array([3]), limit=1000)[:3]
    assert seconds.tolist() == [10.0, 60.0, 110.0]
    assert np.isinf(core.network_seconds(m, np.array([], dtype=int), limit=1000)).all()
    # Cells: the first walks 5 s from node 2; the second has no node near (index 3 = none).
    cells = core.cell_seconds(seconds, np.array([[2, 3], [3, 3]]), np.array([[5.0, 0], [0, 0]]))
    assert cells[0] == 115.0 and np.isinf(cells[1])


def test_near_nodes_and_straight_seconds():
    nodes = np.array([[0.0, 0.0], [100.0, 0.0], [1000.0, 0.0]])
    idx, walk = core.near_nodes(cKDTree(nodes), 3, np.array([[10.0, 0.0]]), 3, 200.0, 2.0)
    assert idx.tolist() == [[0, 1, 3]]  # the third is beyond 200 m: index n_nodes
    assert walk.tolist() == [[5.0, 45.0, 0.0]]
    s = core.straight_seconds(
        nodes[:1], np.array([[360.0, 0.0]]), detour_factor=1.5, speed_kmh=36.0, speed_scale=1.0
    )
    assert s.tolist() == [54.0]


def test_island_warnings_name_the_posts_off_the_main_network():
    labels = np.array([0, 0, 1, 2])
    comp_len = np.array([5000.0, 1000.0, 500.0])
    out = core.island_warnings(labels, comp_len, np.array([0, 2]), ["P1", "P2"])
    assert "posts P2 are on a road island of 1.0 km" in out[0]
    assert "unconnected piece(s)" in out[1]
    assert core.island_warnings(labels, comp_len[:1], np.array([0]), ["P1"]) == []
