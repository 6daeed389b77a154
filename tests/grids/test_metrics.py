"""Pure functions of gridmap/grids/metrics.py, on the tiny district."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from gridmap.grids.district import District, load_district
from gridmap.grids.metrics import (
    ALL_METRICS,
    COVERAGE_METRICS,
    DEFAULT_METRIC,
    METRICS,
    is_share,
    metric_values,
    table_values,
)


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


def test_metric_menu():
    assert DEFAULT_METRIC in METRICS
    assert ALL_METRICS == (
        "population",
        "density",
        "area",
        "staff",
        "posts",
        "residents-per-staff",
        "coverage-population",
        "coverage-area",
        "coverage-incidents",
        "incidents",
        "incidents-per-1000",
    )


@pytest.mark.parametrize(
    ("metric", "share"),
    [("coverage-population", True), ("coverage-area", True), ("coverage-incidents", True),
     ("population", False), ("density", False), ("incidents", False), ("nope", False)],
)  # fmt: skip
def test_is_share(metric, share):
    assert is_share(metric) is share


def test_table_values_reindexes_rounds_and_turns_nan_into_none():
    table = pd.DataFrame({"population_share": [0.123456, np.nan]}, index=["A", "B"])
    assert table_values(table, "population_share", ["B", "A", "C"]) == [None, 0.1235, None]
    assert COVERAGE_METRICS["coverage-population"] == "population_share"


def test_metric_values_of_the_tiny_district(tiny_district):
    d = tiny_district
    assert metric_values(d, "population", ["T", "T2112"]) == [13_600, 1000]
    assert metric_values(d, "posts", ["T2112", "T2111"]) == [1, 0]
    (area,) = metric_values(d, "area", ["T"])
    assert area == round(d.record("T")["area_km2"], 3) == pytest.approx(65.793, abs=1e-3)
    (density,) = metric_values(d, "density", ["T"])
    assert density == round(13_600 / d.record("T")["area_km2"], 1) == pytest.approx(206.7, abs=0.1)
    assert metric_values(d, "residents-per-staff", ["T", "T2112"]) == [850.0, 1000.0]
    assert metric_values(d, "density", []) == []


def test_metric_values_are_kept_on_the_district(tiny_district):
    metric_values(tiny_district, "staff", ["T"])
    assert tiny_district.memo[("metric", "staff")]["T2222"] == 1


def test_metrics_without_population_or_staff(tiny_district):
    grids = tiny_district.data.grids.copy()
    grids["population"] = pd.array([None] * len(grids), dtype="Int64")
    grids.loc["T1", "staff"] = 0
    d = District(replace(tiny_district.data, grids=grids))
    assert metric_values(d, "population", ["T"]) == [None]
    assert metric_values(d, "density", ["T"]) == [None]
    assert metric_values(d, "residents-per-staff", ["T", "T1"]) == [None, None]


def test_unknown_metric_names_the_known_ones(tiny_district):
    with pytest.raises(KeyError, match=r"unknown metric 'coverage-area'; known: \['area', "):
        metric_values(tiny_district, "coverage-area", ["T"])


# -- a district without population or staff ----------------------------------------------------
@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    from tests.bare_district import write_bare_district

    return load_district(write_bare_district(tmp_path_factory.mktemp("bare") / "geo"))


def test_missing_fields_name_what_a_metric_lacks(bare, district):
    from gridmap.grids.metrics import has_field, missing_fields

    assert not has_field(bare, "population") and not has_field(bare, "staff")
    assert missing_fields(bare, "density") == ("population",)
    assert missing_fields(bare, "residents-per-staff") == ("population", "staff")
    assert missing_fields(bare, "area") == ()
    assert missing_fields(district, "density") == ()


def test_available_and_default_metrics_follow_the_data(bare, district):
    from gridmap.grids.metrics import FALLBACK_METRIC, available_metrics, default_metric

    assert available_metrics(district) == ALL_METRICS
    shown = available_metrics(bare)
    assert "area" in shown and "posts" in shown and "incidents" in shown
    for gone in ("population", "density", "staff", "residents-per-staff", "coverage-population"):
        assert gone not in shown
    assert default_metric(district) == DEFAULT_METRIC
    assert default_metric(bare) == FALLBACK_METRIC == "area"
