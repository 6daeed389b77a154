"""The dispatch figures: on-time closure, rework, time to dispatch and close, overdue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from gridmap.errors import StoreError
from gridmap.incidents.performance import as_records, total
from tests.incident_fixtures import open_store, pg_reachable, stored_record

T0 = datetime(2025, 3, 1, 8, tzinfo=UTC)
NOW = T0 + timedelta(days=10)
H = timedelta(hours=1)


def closed(rid, g5, dispatch_h, close_h, **fields):
    return stored_record(
        rid, g5, state="closed", status="closed", reported_at=T0, dispatched_at=T0 + dispatch_h * H,
        resolved_at=T0 + close_h * H, closed_at=T0 + close_h * H, **fields,
    )  # fmt: skip


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "postgresql":
        reason = pg_reachable()
        if reason:
            pytest.skip(reason)
    s = open_store(request.param, tmp_path)
    # neighbourhood disputes close within 7 days (168 h).
    s.insert(
        [
            closed("a", "D-1-1-1-1", 1, 24, unit="u1"),
            closed("b", "D-1-1-1-2", 2, 48, unit="u1", reworks=1),
            closed("c", "D-1-2-1-1", 3, 200, unit="u2"),  # late: after 168 h
            closed("d", "D-1-2-1-1", 4, 100, unit="u2"),
            stored_record("e", "D-2-1-1-1", reported_at=T0, unit="u2"),  # open, overdue
            stored_record("f", "D-2-1-1-1", reported_at=NOW - H, unit="u2"),  # open, in time
        ]
    )
    yield s
    if request.param == "postgresql":
        s.drop()
    s.dispose()


def test_figures_per_township(store):
    frame = store.performance(now=NOW, level=2)
    assert list(frame.index) == ["D-1", "D-2"]
    d1 = frame.loc["D-1"]
    assert (d1["cases"], d1["closed"], d1["on_time"], d1["reworked"]) == (4, 4, 3, 1)
    assert d1["on_time_rate"] == 0.75 and d1["rework_rate"] == 0.25
    assert d1["dispatch_mean_h"] == pytest.approx(2.5)
    assert d1["dispatch_p90_h"] == pytest.approx(np.percentile([1, 2, 3, 4], 90))
    assert d1["close_mean_h"] == pytest.approx(93.0)
    assert d1["close_p90_h"] == pytest.approx(np.percentile([24, 48, 200, 100], 90))
    d2 = frame.loc["D-2"]
    assert (d2["cases"], d2["closed"], d2["open"], d2["overdue"]) == (2, 0, 2, 1)
    assert np.isnan(d2["on_time_rate"]) and np.isnan(d2["close_mean_h"])  # nothing to divide
    records = {r["key"]: r for r in as_records(frame)}
    assert records["D-2"]["on_time_rate"] is None and records["D-1"]["closed"] == 4
    whole = total(frame)
    assert whole["cases"] == 6 and whole["on_time_rate"] == 0.75


def test_figures_per_unit_per_level_and_scope(store):
    by_unit = store.performance(now=NOW, by="unit")
    assert by_unit.loc["u1", "closed"] == 2 and by_unit.loc["u2", "overdue"] == 1
    level5 = store.performance(now=NOW, level=5, grid="D-1")
    assert list(level5.index) == ["D-1-1-1-1", "D-1-1-1-2", "D-1-2-1-1"]
    assert list(store.performance(now=NOW, within=[(2, "D-2")]).index) == ["D-2"]
    assert store.performance(now=NOW, within=[]).empty
    period = store.performance(now=NOW, start=NOW - 2 * H)
    assert int(period["cases"].sum()) == 1


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [({"level": 7}, "level"), ({"by": "moon"}, "by"), ({"now": datetime(2025, 1, 1)}, "now")],
)
def test_bad_arguments_are_named(store, kwargs, parameter):
    with pytest.raises(StoreError) as caught:
        store.performance(**{"now": NOW, **kwargs})
    assert caught.value.parameter == parameter
