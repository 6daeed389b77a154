"""Pure functions of gridmap/grids/metrics.py, on the tiny district."""

from __future__ import annotations

import pytest

from gridmap.grids.district import load_district
from gridmap.grids.metrics import METRICS, metric_values


@pytest.fixture(scope="module")
def district(tiny_dir):
    return load_district(tiny_dir)


def test_unknown_metric(district):
    with pytest.raises(KeyError, match=r"unknown metric 'crime'; known: \['area', "):
        metric_values(district, "crime", ["T"])


def test_metric_values(district):
    assert metric_values(district, "population", ["T1", "T2"]) == [3600, 10000]
    assert metric_values(district, "staff", ["T", "T2222"]) == [16, 1]
    assert metric_values(district, "posts", ["T", "T1", "T2", "T12"]) == [3, 1, 2, 0]
    assert metric_values(district, "residents-per-staff", ["T1"]) == [3600 / 8]
    density, area = (metric_values(district, m, ["T11"])[0] for m in ("density", "area"))
    assert density == pytest.approx(1000 / area, rel=1e-3)
    for metric in METRICS:
        assert len(metric_values(district, metric, district.level_ids(5))) == 16
