"""Benchmark (not a test): a planner what-if click, end to end on the server, on the demo data.

A click on the map runs two callbacks (the scenario edit, then the render of KPIs, worst grids
and the map Patch); the browser then fetches the coverage and gap polygons of the new scenario
by URL. Each is timed (median, Flask test client, cache off) beside the naive baseline of
rebuilding the coverage model for every click. Usage: python bench/bench_planner.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from gridmap.coverage.model import CoverageModel  # noqa: E402
from gridmap.coverage.scenario import Scenario  # noqa: E402
from tests.auth_support import signed_in  # noqa: E402
from tests.dash_http import call  # noqa: E402
from ui import planner_ids as pids  # noqa: E402

PREFIX = "/planner"


def median_ms(fn, repeats: int = 7) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    db = Path(tempfile.mkdtemp()) / "planner.sqlite"
    app = create_app({"database_url": f"sqlite:///{db}", "cache_type": "NullCache",
                      "demo_incidents": False})  # fmt: skip
    runtime = app.server.extensions["gridmap"]
    district = runtime.district
    client = signed_in(app)  # a person, as in the browser
    start = time.perf_counter()
    model = runtime.coverage_model
    build_s = time.perf_counter() - start
    model.coverage(5)  # the baseline, as on the page's first render

    clicks = iter([(114.86 + 0.002 * i, 33.62) for i in range(100)])

    def edit():
        lon, lat = next(clicks)
        resp = call(
            client,
            [(pids.URL, "search"), (pids.MINUTES, "value"), (pids.SPEED, "value")],
            [
                (pids.CLICK_STORE, "data", {"lon": lon, "lat": lat, "zoom": 10, "t": 1}),
                (pids.MINUTES, "value", 5),
                (pids.SPEED, "value", 1),
                (pids.RESET, "n_clicks", None),
                (pids.SUGGEST_APPLY, "n_clicks", None),
                (pids.SAVED_SELECT, "value", None),
                (pids.URL, "search", "?minutes=5"),
            ],
            state=[(pids.SUGGEST_STORE, "data", None)],
            prefix=PREFIX,
        )
        return resp.get_json()["response"][pids.URL]["search"]

    edit_ms, query = median_ms(edit)
    queries = iter([Scenario().add_post(114.86 + 0.002 * i, 33.63).to_query() for i in range(100)])

    def render():
        return call(
            client,
            [(pids.MAP, "figure"), (pids.KPIS, "children"), (pids.METHOD, "children"),
             (pids.ERROR, "children"), (pids.WORST_TABLE, "children")],
            [(pids.URL, "search", next(queries)), (pids.LANG_STORE, "data", "zh"),
             (pids.WORST_LEVEL, "value", 3)],
            prefix=PREFIX,
        )  # fmt: skip

    render_ms, resp = median_ms(render)
    body = resp.get_json()["response"]
    assert not body[pids.ERROR]["children"], body[pids.ERROR]["children"]
    polys = iter([Scenario().add_post(114.86 + 0.002 * i, 33.64).to_query() for i in range(100)])

    def polygons():
        q = next(polys)
        a = client.get(f"/geo/{district.version}/coverage-coverage.geojson{q}",
                       headers={"Accept-Encoding": "gzip"})  # fmt: skip
        b = client.get(f"/geo/{district.version}/coverage-gaps.geojson{q}",
                       headers={"Accept-Encoding": "gzip"})  # fmt: skip
        return len(a.data) + len(b.data)

    poly_ms, poly_bytes = median_ms(polygons)

    def naive():
        d = district
        m = CoverageModel.from_geodataframes(d.grids, d.posts, d.roads, d.outline)
        return m.coverage(5, extra_posts=[(114.9, 33.6)]).kpis()

    naive_ms, _ = median_ms(naive, repeats=3)
    print("# Planner what-if click (demo data, server time, medians)\n")
    print("| step | server ms | sent |")
    print("|---|---:|---:|")
    print(f"| scenario edit callback (click -> URL) | {edit_ms:.0f} | |")
    print(f"| render callback (coverage, KPIs vs baseline, worst grids, map Patch) | "
          f"{render_ms:.0f} | {len(resp.data) / 1024:.0f} kB |")  # fmt: skip
    print(f"| what-if click answered (edit + render) | {edit_ms + render_ms:.0f} | |")
    print(f"| coverage + gap polygons of the new scenario (2 GETs, gzip) | {poly_ms:.0f} | "
          f"{poly_bytes / 1024:.0f} kB |")  # fmt: skip
    print(f"| naive: rebuild the model for the click | {naive_ms:.0f} | |")
    print(f"\ncoverage model build, once per process: {build_s:.2f} s")


if __name__ == "__main__":
    main()
