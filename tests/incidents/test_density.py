"""Binned density of incidents: cell sizes, counts per cell, bounds and the global origin.

The tiny district and its incidents: see tests/incident_fixtures.py.
"""

from __future__ import annotations

import math

import pytest

from gridmap.grids.district import Bounds
from gridmap.incidents.density import binned_density, cell_size
from gridmap.incidents.filters import IncidentFilters
from tests.incident_fixtures import (
    MARCH,
    TINY,
)


# -- binned density -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("span", "bins", "expected"),
    [
        (0.08, 8, 0.01),
        (0.08, 10, 0.01),  # raw 0.008 -> 0.01
        (0.03, 10, 0.005),  # raw 0.003 -> 0.005
        (0.015, 10, 0.002),  # raw 0.0015 -> 0.002
        (1.0, 160, 0.01),  # raw 0.00625 -> 0.01
        (0.08, 160, 0.0005),
        (0.0, 160, 1e-6),  # a point: the span floor of 1e-4 applies
    ],
)
def test_cell_size_snaps_to_1_2_5(span, bins, expected):
    bounds = Bounds(114.8, 33.7, 114.8 + span, 33.7 + span / 2)
    assert cell_size(bounds, bins) == pytest.approx(expected)


def test_cell_size_uses_the_longer_side_and_ignores_small_moves():
    tall = Bounds(114.8, 33.7, 114.81, 33.78)
    assert cell_size(tall, 8) == pytest.approx(0.01)
    a = cell_size(Bounds(114.80, 33.70, 114.87, 33.77))
    b = cell_size(Bounds(114.8013, 33.7007, 114.8733, 33.7697))
    assert a == b == pytest.approx(0.0005)


def test_binned_density_counts(store):
    d = binned_density(store, TINY, **MARCH.store_filters(), bins_across=8)
    assert d.cell_deg == pytest.approx(0.01)
    assert d.total == 4 == store.count(**MARCH.store_filters())
    bins = {
        (round(lon, 4), round(lat, 4)): n for lon, lat, n in zip(d.lon, d.lat, d.count, strict=True)
    }
    # a and b share the bin [114.80, 114.81) x [33.70, 33.71); c and d have one each.
    assert bins == {
        (114.805, 33.705): 2,
        (114.815, 33.735): 1,
        (114.875, 33.775): 1,
    }


def test_binned_density_total_matches_filters(store):
    for filters in (
        MARCH,
        IncidentFilters("2025-01-01", "2025-12-31"),
        IncidentFilters("2025-01-01", "2025-12-31", ("neighbourhood",)),
        IncidentFilters("2025-03-01", "2025-03-31", statuses=("resolved", "closed")),
    ):
        f = filters.store_filters()
        d = binned_density(store, TINY, **f)
        assert d.total == store.count(**f), filters
        assert len(d.lon) == len(d.lat) == len(d.count)
        assert all(n > 0 for n in d.count)
    assert binned_density(store, TINY).total == 5  # no filters: every incident


def test_binned_density_applies_filters(store):
    f = IncidentFilters("2025-03-01", "2025-03-31", ("fire",)).store_filters()
    d = binned_density(store, TINY, **f, bins_across=8)
    assert (d.lon, d.lat, d.count) == ([114.815], [33.735], [1])
    none = IncidentFilters("2025-03-01", "2025-03-31", statuses=()).store_filters()
    assert binned_density(store, TINY, **none).count == []


def test_binned_density_only_inside_bounds(store):
    west = Bounds(114.80, 33.70, 114.84, 33.78)
    assert binned_density(store, west, **MARCH.store_filters()).total == 3
    away = Bounds(120.0, 30.0, 120.1, 30.1)
    assert binned_density(store, away).count == []


def test_bins_are_fixed_to_a_global_origin(store):
    moved = Bounds(114.8004, 33.7003, 114.8804, 33.7803)  # same cell size, view moved a little
    a = binned_density(store, TINY, **MARCH.store_filters(), bins_across=10)
    b = binned_density(store, moved, **MARCH.store_filters(), bins_across=10)
    assert a.cell_deg == b.cell_deg == pytest.approx(0.01)
    assert sorted(zip(a.lon, a.lat, a.count, strict=True)) == sorted(
        zip(b.lon, b.lat, b.count, strict=True)
    )
    for value in a.lon + a.lat:
        # Bin centres sit at (k + 0.5) * cell from 0, whatever the view.
        k = value / a.cell_deg - 0.5
        assert math.isclose(k, round(k), abs_tol=1e-6), value


def test_binned_density_empty_store(empty_store):
    d = binned_density(empty_store, TINY)
    assert (d.lon, d.lat, d.count, d.total) == ([], [], [], 0)
    assert d.cell_deg == pytest.approx(cell_size(TINY))
