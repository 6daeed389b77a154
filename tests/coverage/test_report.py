"""The report's figures on the toy district: what each new post adds, the KPI rows."""

from __future__ import annotations

import pytest

from gridmap.coverage.report import report_rows, site_gains
from gridmap.coverage.scenario import Scenario
from tests.coverage.toys import INSTANT_WALK, toy_lonlat, toy_model


@pytest.fixture(scope="module")
def model():
    return toy_model(settings=INSTANT_WALK)


def test_what_each_new_post_adds_sums_to_the_scenario_gain(model):
    spots = [tuple(round(v, 6) for v in p) for p in toy_lonlat([(1600, 1000), (1500, 1000)])]
    scenario = Scenario(added=tuple(spots))
    rows = site_gains(model, scenario)
    assert [r["rank"] for r in rows] == [1, 2]
    before = model.coverage(5).kpis()["covered_population"]
    after = model.coverage(5, extra_posts=spots).kpis()["covered_population"]
    assert sum(r["adds"] for r in rows) == pytest.approx(after - before, rel=1e-3)
    # The second post stands next to the first: it adds little on top of it.
    assert rows[0]["adds"] > rows[1]["adds"] >= 0
    assert rows[0]["township_id"] in ("SE", "NE")
    assert site_gains(model, Scenario()) == []


def test_a_post_out_of_service_is_not_counted_as_reaching(model):
    east = tuple(toy_lonlat([(1600, 1000)])[0])
    with_p1 = site_gains(model, Scenario(added=(east,)))[0]["adds"]
    without = site_gains(model, Scenario(added=(east,), disabled=("P1",)))[0]["adds"]
    assert without > with_p1


def test_report_rows_before_and_after():
    rows = {r["key"]: r for r in report_rows(
        {"population_share": 0.4, "mean_minutes": 6.0, "posts": 3},
        {"population_share": 0.5, "mean_minutes": 5.0, "posts": 3},
    )}  # fmt: skip
    assert rows["population_share"]["better"] is True
    assert rows["mean_minutes"]["better"] is True and rows["mean_minutes"]["diff"] == -1.0
    assert rows["posts"]["better"] is None and rows["area_share"]["diff"] is None
