import numpy as np
import pandas as pd
import pytest

from gridmap.demo.incidents import (
    FIRST_HALF_DISPUTES,
    HALF_YEAR_END,
    TOTAL,
    YEAR_END,
    YEAR_START,
    DemoError,
    demo_incidents,
    first_half_disputes,
    load_demo,
)
from gridmap.incidents.assign import GridAssigner
from gridmap.incidents.categories import CATEGORY_IDS, STATUSES
from tests.incident_fixtures import open_store, tiny_grids


@pytest.fixture(scope="module")
def grids():
    return tiny_grids()


@pytest.fixture(scope="module")
def frame(grids):
    return demo_incidents(grids)


def local_month(frame):
    return frame["reported_at"].dt.tz_convert("Asia/Shanghai").dt.month


def test_deterministic(grids, frame):
    again = demo_incidents(grids)
    pd.testing.assert_frame_equal(frame, again)
    other = demo_incidents(grids, seed=1)
    assert not other["lon"].equals(frame["lon"])


def test_counts_and_range(frame):
    assert len(frame) == TOTAL == 25_000
    assert frame["id"].is_unique
    assert frame["reported_at"].min() >= pd.Timestamp(YEAR_START)
    assert frame["reported_at"].max() < pd.Timestamp(YEAR_END)
    assert frame["reported_at"].is_monotonic_increasing
    assert set(frame["category"]) == set(CATEGORY_IDS)
    assert set(frame["status"]) <= set(STATUSES)


def test_first_half_year_has_510_typical_disputes_all_resolved(frame):
    disputes = first_half_disputes(frame)
    assert len(disputes) == FIRST_HALF_DISPUTES == 510
    assert disputes["status"].isin(["resolved", "closed"]).all()
    assert disputes["reported_at"].max() < pd.Timestamp(HALF_YEAR_END)


def test_seasons(frame):
    month = local_month(frame)
    land = month[frame["category"] == "land"].value_counts()
    harvest = land.reindex([6, 9, 10]).mean()
    rest = land.drop([6, 9, 10]).mean()
    assert harvest > 1.8 * rest
    flood = month[frame["category"] == "flood"]
    assert flood.isin([7, 8]).mean() > 0.5


def test_weekly_and_daily_rhythm(frame):
    local = frame["reported_at"].dt.tz_convert("Asia/Shanghai")
    per_weekday = local.dt.day_of_week.value_counts().sort_index()
    assert per_weekday.loc[[5, 6]].mean() < 0.8 * per_weekday.loc[[0, 1, 2, 3, 4]].mean()
    hours = local.dt.hour.value_counts()
    assert hours.loc[[9, 10]].mean() > 10 * hours.loc[[2, 3]].mean()


def test_times_follow_the_workflow(frame):
    rep, dis, res, clo = (frame[c] for c in ("reported_at", "dispatched_at", "resolved_at",
                                             "closed_at"))  # fmt: skip
    assert ((dis >= rep) | dis.isna()).all()
    assert ((res >= rep) | res.isna()).all()
    assert ((res >= dis) | res.isna() | dis.isna()).all()
    assert ((clo >= res) | clo.isna()).all()
    assert res[frame["status"].isin(["resolved", "closed"])].notna().all()
    assert res[frame["status"].isin(["reported", "dispatched"])].isna().all()
    assert clo[frame["status"] == "closed"].notna().all()
    assert (frame["status"] == "closed").mean() > 0.9
    assert frame["status"].isin(["reported", "dispatched"]).sum() > 0  # the last days are open


def test_resolution_times_differ_by_category(frame):
    hours = (frame["resolved_at"] - frame["reported_at"]).dt.total_seconds() / 3600
    median = hours.groupby(frame["category"]).median()
    assert median["flood"] < median["neighbourhood"] < median["land"] < median["petition"]


def test_points_lie_in_their_grids(grids, frame):
    assigner = GridAssigner.from_grids(grids)
    ids = assigner.assign_ids(frame["lon"].to_numpy(), frame["lat"].to_numpy())
    for level in range(1, 6):
        np.testing.assert_array_equal(ids[f"g{level}"].to_numpy(), frame[f"g{level}"].to_numpy())


def test_population_weighting(frame, grids):
    counts = frame["g5"].value_counts()
    # The most populous level-5 grid (D-2-2-2-2, 1,600 residents) gets more than the least.
    assert counts["D-2-2-2-2"] > counts["D-1-1-1-1"]


def test_load_is_idempotent(tmp_path, frame):
    store = open_store("sqlite", tmp_path)
    part = frame.iloc[:1500]
    assert load_demo(store, frame=part) == (1500, 0)
    assert load_demo(store, frame=part) == (0, 1500)
    row = store.get(part["id"].iloc[0])
    assert row["reported_at"] == part["reported_at"].iloc[0].to_pydatetime()
    store.dispose()


def test_bad_grids(grids):
    with pytest.raises(DemoError, match="should be a GeoDataFrame in EPSG:4326"):
        demo_incidents(grids.to_crs("EPSG:3857"))
    with pytest.raises(DemoError, match="no level-5 grid"):
        demo_incidents(grids[grids["level"] < 5])


def test_csv_round_trips_through_the_importer(tmp_path, grids, frame):
    from gridmap.demo.incidents import write_csv
    from gridmap.incidents.file_import import import_file

    part = frame.iloc[:300]
    path = tmp_path / "demo.csv"
    write_csv(part, path)
    store = open_store("sqlite", tmp_path)
    report = import_file(path, store, GridAssigner.from_grids(grids))
    assert (report.stored, report.refused_records) == (300, 0), report.summary()
    back = store.frame().set_index("id").loc[part["id"]]
    np.testing.assert_array_equal(back["g5"].to_numpy(), part["g5"].to_numpy())
    assert list(back["status"]) == list(part["status"])
    store.dispose()
