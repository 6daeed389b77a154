"""Response times: classes, weighted mean and 90th percentile per grid, against brute force."""

from __future__ import annotations

import numpy as np
import pytest

from gridmap.coverage.params import CoverageSettings
from gridmap.coverage.times import (
    summary_times,
    time_class,
    time_table,
    weighted_quantile,
)
from tests.coverage.toys import toy_lonlat, toy_model


def brute_quantile(values, weights, q):
    """The least v with (weight of values <= v) >= q * total, trying every value."""
    total = sum(weights)
    for v in sorted(set(values)):
        if sum(w for x, w in zip(values, weights, strict=True) if x <= v) >= q * total - 1e-9:
            return v
    return None


@pytest.mark.parametrize("seed", range(8))
def test_weighted_quantile_matches_its_definition(seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 15, 30).astype(float)
    values[rng.random(30) < 0.1] = np.inf
    weights = rng.integers(0, 5, 30).astype(float)
    for q in (0.5, 0.9, 1.0):
        assert weighted_quantile(values, weights, q) == brute_quantile(
            list(values), list(weights), q
        )


def test_time_classes():
    minutes = np.array([0.5, 2.0, 2.01, 5.0, 7.9, 8.0, 12.0, 12.5, np.inf])
    assert time_class(minutes * 60).tolist() == [0, 0, 1, 1, 2, 2, 3, 4, 4]


@pytest.fixture(scope="module")
def model():
    # A slow road: the farthest spots are more than 12 minutes away, some out of reach.
    return toy_model(split_sw=True, settings=CoverageSettings(cell_m=50), speed_kmh=5.0)


def test_time_table_matches_brute_force_per_grid(model):
    result = model.travel_times()
    table = time_table(model.index, result.cell_seconds).set_index("grid_id")
    index = model.index
    up = index.up.toarray() > 0
    density = index.leaf_population() / index.leaf_area()
    for g, row in enumerate(index.frame["grid_id"]):
        pieces = np.nonzero(up[g][index.piece_leaf])[0]
        t = result.cell_seconds[index.piece_cell[pieces]] / 60
        w = index.piece_area[pieces] * density[index.piece_leaf[pieces]]
        ok = np.isfinite(t)
        got = table.loc[row]
        assert got["weight"] == pytest.approx(w.sum())
        assert got["mean_minutes"] == pytest.approx((w[ok] * t[ok]).sum() / w[ok].sum())
        assert got["p90_minutes"] == pytest.approx(brute_quantile(list(t), list(w), 0.9))
        assert got["unreached_share"] == pytest.approx(w[~ok].sum() / w.sum())
    assert table["level"].tolist() == index.frame["level"].tolist()
    assert (table.loc["D", "p90_minutes"] > 12) and table.loc["D", "unreached_share"] > 0


def test_summary_is_the_root_row_and_a_scope_its_own(model):
    result = model.travel_times()
    table = time_table(model.index, result.cell_seconds).set_index("grid_id")
    whole = summary_times(model.index, result.cell_seconds)
    assert whole["basis"] == "population"
    assert whole["mean_minutes"] == pytest.approx(table.loc["D", "mean_minutes"])
    p90 = table.loc["D", "p90_minutes"]
    assert whole["p90_minutes"] == (pytest.approx(p90) if np.isfinite(p90) else None)
    sw = summary_times(model.index, result.cell_seconds, roots=("SW",))
    assert sw["weight"] == pytest.approx(100)
    assert sw["mean_minutes"] == pytest.approx(table.loc["SW", "mean_minutes"])
    assert summary_times(model.index, result.cell_seconds, roots=())["mean_minutes"] is None


def test_a_new_post_shortens_the_times_and_the_memo_keeps_them(model):
    before = model.travel_times()
    assert model.travel_times() is before  # memoized on the scenario's key
    east = toy_lonlat([(1900, 1000)])[0]  # on the road, far from P1
    after = model.travel_times(extra_posts=[tuple(east)])
    a = summary_times(model.index, after.cell_seconds)
    b = summary_times(model.index, before.cell_seconds)
    assert a["mean_minutes"] < b["mean_minutes"]
    assert np.all(after.cell_seconds <= before.cell_seconds + 1e-9)
    # Unlimited: the times beyond 15 minutes are kept, where coverage(15) stops.
    limited = model.coverage(15).cell_seconds
    assert np.isfinite(before.cell_seconds).sum() >= np.isfinite(limited).sum()


def test_area_is_the_weight_without_population():
    model = toy_model(settings=CoverageSettings(cell_m=100))
    model.index.frame["population"] = 0.0
    got = summary_times(model.index, model.travel_times().cell_seconds)
    assert got["basis"] == "area" and got["weight"] == pytest.approx(4.0)


def test_the_time_image_holds_each_cell_in_its_class_colour(model):
    import zlib

    from gridmap.coverage.time_layer import CLASS_COLOURS, image_corners, time_image

    seconds = model.travel_times().cell_seconds
    png = time_image(model, seconds, alpha=200)
    r = model.raster
    # One IDAT chunk: decode the rows (filter byte 0, then RGBA pixels).
    start = png.index(b"IDAT") + 4
    length = int.from_bytes(png[start - 8 : start - 4], "big")
    raw = np.frombuffer(zlib.decompress(png[start : start + length]), dtype=np.uint8)
    img = raw.reshape(r.ny, 1 + 4 * r.nx)[:, 1:].reshape(r.ny, r.nx, 4)
    cls = time_class(seconds)
    for k in (0, len(seconds) // 2, len(seconds) - 1):
        pixel = img[r.ny - 1 - r.j[k], r.i[k]]
        colour = CLASS_COLOURS[cls[k]]
        assert list(pixel[:3]) == [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        assert pixel[3] == 200
    corners = image_corners(model)
    assert corners[0][0] < corners[1][0] and corners[0][1] > corners[3][1]  # NW first, north up
