"""Coverage incident figures from counts per level-5 grid, beside the point-by-point answer."""

from __future__ import annotations

import gzip
import json
import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

import web.coverage_api
import web.coverage_figures
from gridmap.errors import GridIndexError
from tests.auth_support import signed_in
from web.runtime import EXTENSION_KEY

N = 300
TOKEN = "coverage-counts-token"
#: A new post on the tiny district's roads (its own posts are far from them) and 10 minutes:
#: some level-5 grids partly covered, the others not at all.
EXTRA = (114.84, 33.74)
QUERY = f"minutes=10&extra={EXTRA[0]},{EXTRA[1]}&geometry=0"


def _incidents(runtime, n: int, seed: int = 3, prefix: str = "c") -> list[dict]:
    """Return ``n`` incidents at random places of the tiny district."""
    rng = random.Random(seed)
    district = runtime.district
    now = datetime.now(UTC)
    out = []
    for i in range(n):
        lon, lat = 114.80 + rng.random() * 0.08, 33.70 + rng.random() * 0.08
        g5 = runtime.assigner.assign_one(lon, lat)[-1]
        chain = district.chain(g5)
        out.append(
            {
                "id": f"{prefix}{i}",
                "category": "fire",
                "status": "reported",
                "reported_at": now - timedelta(hours=rng.randint(1, 500)),
                "lon": lon,
                "lat": lat,
                **{f"g{k}": chain[k - 1] for k in range(1, 6)},
            }
        )
    return out


@pytest.fixture(scope="module")
def app(make_tiny_app):
    app = make_tiny_app(api_token=TOKEN)
    runtime = app.server.extensions[EXTENSION_KEY]
    runtime.incident_store.insert(_incidents(runtime, N))
    return app


def _naive(runtime):
    """Return the per-grid table from every incident point, and from each point's grid."""
    store = runtime.incident_store
    result = runtime.coverage_model.coverage(10, extra_posts=[EXTRA])
    frame = store.frame(columns=["lon", "lat", "g5"])
    exact = result.grid_table(frame[["lon", "lat"]].to_numpy(dtype=float))
    by_grid = result.grid_table(frame["g5"].to_numpy(dtype=str))
    return exact.set_index("grid_id"), by_grid.set_index("grid_id")


def test_figures_equal_the_per_grid_approximation_and_the_counts_equal_the_points(app):
    runtime = app.server.extensions[EXTENSION_KEY]
    body = signed_in(app).get(f"/api/v1/coverage?level=2&{QUERY}").get_json()
    exact, by_grid = _naive(runtime)
    assert body["grids"], body
    for row in body["grids"]:
        gid = row["grid_id"]
        # Counts are exact: the same incidents as reading every point.
        assert row["incidents"] == exact.loc[gid, "incidents"]
        # Covered: each incident as its level-5 grid's covered share (the documented rule).
        assert row["covered_incidents"] == pytest.approx(by_grid.loc[gid, "covered_incidents"])
    kpis = body["kpis"]
    assert kpis["incidents"] == N
    assert kpis["covered_incidents"] == pytest.approx(by_grid["covered_incidents"].max())
    assert kpis["covered_incidents"] > 0


def test_the_approximation_is_exact_in_wholly_covered_or_uncovered_grids(app):
    runtime = app.server.extensions[EXTENSION_KEY]
    body = signed_in(app).get(f"/api/v1/coverage?level=5&{QUERY}").get_json()
    exact, _ = _naive(runtime)
    whole = [r for r in body["grids"] if r["area_share"] in (0.0, 1.0) and r["incidents"]]
    partial = [r for r in body["grids"] if r["area_share"] not in (0.0, 1.0, None)]
    assert whole and partial, "the fixture should have both kinds of level-5 grids"
    assert any(exact.loc[r["grid_id"], "covered_incidents"] for r in partial)
    for row in whole:
        assert row["covered_incidents"] == exact.loc[row["grid_id"], "covered_incidents"]
    # Elsewhere the error is bounded by the grid's incidents.
    for row in partial:
        gap = abs(row["covered_incidents"] - exact.loc[row["grid_id"], "covered_incidents"])
        assert gap <= row["incidents"]


def test_no_point_is_read_and_a_warm_call_reads_no_count(make_tiny_app, monkeypatch):
    app = make_tiny_app()
    runtime = app.server.extensions[EXTENSION_KEY]
    store = runtime.incident_store
    store.insert(_incidents(runtime, 30, seed=4, prefix="w"))
    reads = {"points": 0, "counts": 0}
    real_counts = store.grid_counts

    def no_points(**_filters):
        reads["points"] += 1
        raise AssertionError("the coverage answer read incident points")

    def counting(*args, **kwargs):
        reads["counts"] += 1
        return real_counts(*args, **kwargs)

    monkeypatch.setattr(store, "points", no_points)
    monkeypatch.setattr(store, "grid_counts", counting)
    client = signed_in(app)
    first = client.get("/api/v1/coverage?level=3&minutes=7&geometry=0")
    assert first.status_code == 200
    again = client.get("/api/v1/coverage?level=3&minutes=7&geometry=0")
    assert again.get_data() == first.get_data()
    # Other minutes reuse the counts of the same store version.
    assert client.get("/api/v1/coverage?level=3&minutes=9&geometry=0").status_code == 200
    assert reads == {"points": 0, "counts": 1}


def test_a_new_incident_changes_the_answer(make_tiny_app):
    app = make_tiny_app()
    runtime = app.server.extensions[EXTENSION_KEY]
    store = runtime.incident_store
    store.insert(_incidents(runtime, 20, seed=5, prefix="a"))
    client = signed_in(app)
    url = f"/api/v1/coverage?level=1&{QUERY}"
    before = client.get(url).get_json()
    assert client.get(url).get_json() == before  # warm: the same answer
    new = _incidents(runtime, 1, seed=11, prefix="new")
    store.insert(new)
    after = client.get(url).get_json()
    assert before["kpis"]["incidents"] == 20
    assert after["kpis"]["incidents"] == 21
    g5 = new[0]["g5"]
    level5 = client.get(f"/api/v1/coverage?level=5&{QUERY}").get_json()["grids"]
    five = {r["grid_id"]: r for r in level5}
    share = five[g5]["area_share"]
    gained = after["kpis"]["covered_incidents"] - before["kpis"]["covered_incidents"]
    assert gained == pytest.approx(share, abs=1e-5)  # shares are sent to 6 digits


@pytest.mark.parametrize("encoding", ["gzip", "zstd"])
def test_a_compressed_answer_is_made_once_and_follows_a_new_incident(
    make_tiny_app, monkeypatch, encoding
):
    from web import compression

    if encoding == "zstd" and compression._zstd is None:
        pytest.skip("no zstd module")
    app = make_tiny_app()
    runtime = app.server.extensions[EXTENSION_KEY]
    store = runtime.incident_store
    store.insert(_incidents(runtime, 20, seed=5, prefix="z"))
    made = []
    real = web.coverage_api.answer

    def counting(*args):
        made.append(args)
        return real(*args)

    monkeypatch.setattr(web.coverage_api, "answer", counting)
    client = signed_in(app)
    url = f"/api/v1/coverage?level=1&{QUERY}"
    plain = client.get(url).get_json()
    headers = {"Accept-Encoding": f"{encoding}, deflate"}
    first = client.get(url, headers=headers)
    again = client.get(url, headers=headers)
    assert first.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in first.headers["Vary"]
    assert again.get_data() == first.get_data()
    assert json.loads(_decode(first.get_data(), encoding)) == plain
    assert len(made) == 2  # the plain answer, then the compressed one once
    store.insert(_incidents(runtime, 1, seed=12, prefix="z-new"))
    after = json.loads(_decode(client.get(url, headers=headers).get_data(), encoding))
    assert after["kpis"]["incidents"] == plain["kpis"]["incidents"] + 1


def _decode(data: bytes, encoding: str) -> bytes:
    from web import compression

    return gzip.decompress(data) if encoding == "gzip" else compression._zstd.decompress(data)


def test_the_planner_tile_follows_the_counts(app):
    runtime = app.server.extensions[EXTENSION_KEY]
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with app.server.test_request_context("/api/v1/coverage", headers=auth):
        assert app.server.preprocess_request() is None  # the guard: who asks
        from callbacks.planner import scenario_kpis
        from gridmap.coverage.scenario import parse_query

        kpis = scenario_kpis(parse_query(f"?minutes=10&add={EXTRA[0]},{EXTRA[1]}"))
    _, by_grid = _naive(runtime)
    assert kpis["incidents"] == N
    assert kpis["covered_incidents"] == pytest.approx(by_grid["covered_incidents"].max())
    assert np.isfinite(kpis["incident_share"])


def test_the_counts_memo_is_keyed_by_the_store_version(app):
    runtime = app.server.extensions[EXTENSION_KEY]
    with app.server.test_request_context("/"):
        version = runtime.incident_store.version()
        counts = web.coverage_figures.incident_counts("coverage_api", version, None)
    assert sum(counts.values()) == N
    assert set(counts) <= set(runtime.district.level_ids(5))


def test_counts_on_the_cached_table_equal_the_whole_table_from_leaf_counts(app):
    from gridmap.coverage.grid_shares import grid_table
    from gridmap.coverage.leaf_counts import leaf_counts

    runtime = app.server.extensions[EXTENSION_KEY]
    model = runtime.coverage_model
    result = model.coverage(10, extra_posts=[EXTRA])
    counts = runtime.incident_store.counts_by_grid(5).to_dict()
    fast = result.grid_table(counts=counts)
    whole = grid_table(model.index, result.covered, leaf_incidents=leaf_counts(model.index, counts))
    assert fast.equals(whole) or np.allclose(
        fast[["incidents", "covered_incidents"]], whole[["incidents", "covered_incidents"]]
    )
    with pytest.raises(GridIndexError, match="one count per leaf"):
        grid_table(model.index, result.covered, leaf_incidents=np.zeros(2))
