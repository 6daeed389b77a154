"""Benchmark (not a test): the planner's second step on the demo data.

Fewest posts for a target share (LSCP, HiGHS) beside greedy, the p-median beside greedy, the
response-time layer (time raster, per-grid table, classed polygons) cold and from the memo, and
the side-by-side update through the Flask test client. Usage: python bench/bench_plans.py
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
from gridmap.coverage.median import suggest_median  # noqa: E402
from gridmap.coverage.minimum import fewest_posts  # noqa: E402
from gridmap.coverage.scenario import Scenario  # noqa: E402
from gridmap.coverage.time_layer import time_image, time_layer  # noqa: E402
from gridmap.coverage.times import summary_times, time_table  # noqa: E402
from tests.auth_support import signed_in  # noqa: E402
from tests.dash_http import call  # noqa: E402
from ui import planner_ids as pids  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def median_ms(fn, repeats: int = 5) -> float:
    return statistics.median(timed(fn)[0] * 1000 for _ in range(repeats))


def gap(x) -> str:
    return "—" if x is None else f"{x * 100:.2f} %"


def main() -> None:
    db = Path(tempfile.mkdtemp()) / "plans.sqlite"
    app = create_app({"database_url": f"sqlite:///{db}", "cache_type": "NullCache",
                      "demo_incidents": False})  # fmt: skip
    runtime = app.server.extensions["gridmap"]
    model = runtime.coverage_model
    rows: list[tuple[str, str]] = []

    for share in (0.5, 0.6):
        s, exact = timed(lambda share=share: fewest_posts(model, share).to_dict())
        g, greedy = timed(lambda share=share: fewest_posts(model, share, method="greedy").to_dict())
        sol = exact["solver"]
        rows.append((
            f"fewest posts for {share:.0%} of the people within 5 min (LSCP, HiGHS)",
            f"{s:.1f} s: {exact['new_posts']} new posts, {sol['status']}, proof gap "
            f"{gap(sol['gap'])} ({sol['sizes']['candidates']:,} sites, "
            f"{sol['sizes'].get('demand_merged', 0):,} merged rows); greedy {greedy['new_posts']} "
            f"in {g:.1f} s; share {exact['share_before']:.1%} -> {exact['share_after']:.1%}",
        ))  # fmt: skip
    s, out = timed(lambda: fewest_posts(model, 0.95).to_dict())
    rows.append(("fewest posts for 95 % (out of reach)",
                 f"{s:.1f} s: at most {out['max_share']:.1%}; {len(out['unreached'])} villages "
                 "named that no site reaches"))  # fmt: skip
    for k in (5, 10):
        s, exact = timed(lambda k=k: suggest_median(model, k).to_dict())
        g, greedy = timed(lambda k=k: suggest_median(model, k, method="greedy").to_dict())
        sol = exact["solver"]
        rows.append((
            f"p-median K = {k} (mean response time, HiGHS on 500 m blocks)",
            f"{s:.1f} s: mean {exact['times_before']['mean_minutes']:.2f} -> "
            f"{exact['times_after']['mean_minutes']:.2f} min, {sol['status']}, gap "
            f"{gap(sol['gap'])} ({sol['sizes']['demand']:,} blocks, "
            f"{sol['sizes']['candidates']} sites, {sol['sizes']['pairs']:,} pairs); greedy "
            f"{greedy['times_after']['mean_minutes']:.2f} min in {g:.1f} s",
        ))  # fmt: skip

    scenarios = iter([Scenario().add_post(114.86 + 0.002 * i, 33.62) for i in range(200)])

    def cold_times():
        sc = next(scenarios)
        return model.travel_times(extra_posts=sc.added)

    t_cold = median_ms(cold_times)
    hit = Scenario().add_post(114.9, 33.6)
    model.travel_times(extra_posts=hit.added)
    t_memo = median_ms(lambda: model.travel_times(extra_posts=hit.added), 15)
    cells = model.travel_times().cell_seconds
    t_summary = median_ms(lambda: summary_times(model.index, cells))
    t_table = median_ms(lambda: time_table(model.index, cells), 3)
    t_layer, layer = timed(lambda: time_layer(model, cells))
    t_image = median_ms(lambda: time_image(model, cells))
    image_kb = len(time_image(model, cells)) / 1024
    import json

    size = len(json.dumps(layer)) / 1024
    rows.append(("time raster of a new scenario (unlimited Dijkstra + cells)", f"{t_cold:.0f} ms"))
    rows.append(("the same from the model's memo (scenario key)", f"{t_memo:.2f} ms"))
    rows.append(("district mean and P90 (the planner's KPI tiles)", f"{t_summary:.0f} ms"))
    rows.append(("per-grid mean and P90 at every level (9,017 grids, API)", f"{t_table:.0f} ms"))
    rows.append(("the time layer as an image, a pixel a 100 m cell (what the planner draws)",
                 f"{t_image:.0f} ms, {image_kb:,.0f} kB"))  # fmt: skip
    rows.append(("naive: the time classes as polygons (GeoJSON, 5 classes)",
                 f"{t_layer * 1000:,.0f} ms, {size:,.0f} kB raw"))  # fmt: skip

    client = signed_in(app)
    store = runtime.scenario_store
    for i in range(12):
        sc = Scenario(added=((114.86 + 0.003 * i, 33.63),), disabled=("JWS001",) if i % 2 else ())
        store.save(f"bench-{i}", sc.to_query(), "demo-commander")
    pairs = iter([("__today__", f"bench-{i}") for i in range(12)])

    def compare():
        a, b = next(pairs)
        resp = call(
            client,
            [(pids.COMPARE_MAP_A, "figure"), (pids.COMPARE_MAP_B, "figure"),
             (pids.COMPARE_TABLE, "children")],
            [(pids.COMPARE_A, "value", a), (pids.COMPARE_B, "value", b),
             (pids.LANG_STORE, "data", "zh")],
            prefix="/planner",
        )  # fmt: skip
        return resp

    t_cmp = median_ms(compare, 7)
    resp = compare()
    rows.append(("side-by-side update (two scenarios: maps, KPI table, difference URLs)",
                 f"{t_cmp:.0f} ms ({len(resp.data) / 1024:.0f} kB)"))  # fmt: skip
    version = runtime.district.version
    from gridmap.views.urls import difference_url

    moved = [Scenario(added=((114.9, 33.6 + 0.002 * i),)) for i in range(10)]
    urls = iter([difference_url(version, "gained", Scenario(), s) for s in moved])
    t_diff = median_ms(lambda: client.get(next(urls), headers={"Accept-Encoding": "gzip"}), 5)
    rows.append(("places gained (GET, gzip, cold)", f"{t_diff:.0f} ms"))

    print("# The planner's second step (demo data, 2-core machine)\n")
    print("| step | figure |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
