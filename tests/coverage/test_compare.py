"""Two scenarios side by side on the toy district: places gained and lost, the table."""

from __future__ import annotations

import pytest

from gridmap.coverage.compare import compare_table, difference_geojson, difference_masks
from tests.coverage.toys import INSTANT_WALK, toy_lonlat, toy_model


@pytest.fixture(scope="module")
def model():
    return toy_model(settings=INSTANT_WALK)


def test_moving_the_post_gains_the_east_and_loses_the_west(model):
    a = model.coverage(5)
    east = toy_lonlat([(2000, 1000)])[0]
    b = model.coverage(5, extra_posts=[tuple(east)], disabled_posts=["P1"])
    gained, lost = difference_masks(a, b)
    assert gained.any() and lost.any() and not (gained & lost).any()
    assert ((b.covered & ~gained) == (a.covered & ~lost)).all()  # the rest is the same
    doc = difference_geojson(model, a, b)
    by = {f["id"]: f["properties"] for f in doc["features"]}
    people = model.index.cell_population(model.raster.n_cells)
    assert by["gained"]["people"] == round(people[gained].sum())
    assert by["lost"]["people"] == round(people[lost].sum())
    assert by["gained"]["area_km2"] > 0 and by["lost"]["area_km2"] > 0
    same = difference_geojson(model, a, a)
    assert all(f["properties"]["area_km2"] == 0 for f in same["features"])


def test_table_says_which_side_is_better():
    a = {"population_share": 0.4, "posts": 3, "mean_minutes": 6.0, "p90_minutes": None}
    b = {"population_share": 0.5, "posts": 3, "mean_minutes": 7.0, "p90_minutes": 9.0}
    rows = {r["key"]: r for r in compare_table(a, b)}
    assert rows["population_share"]["diff"] == pytest.approx(0.1)
    assert rows["population_share"]["better"] == "b"
    assert rows["mean_minutes"]["better"] == "a"  # longer times are worse
    assert rows["posts"]["diff"] == 0 and rows["posts"]["better"] is None
    assert rows["p90_minutes"]["diff"] is None and rows["area_share"]["a"] is None
