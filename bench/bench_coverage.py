"""Benchmark of the 5-minute police circle on the demo data: prints a markdown table (not a test).

Run: ``.venv/bin/python bench/bench_coverage.py [--data data/geo] [--repeats 15]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
from scipy.sparse.csgraph import dijkstra

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gridmap.coverage import core  # noqa: E402
from gridmap.coverage.model import CoverageModel  # noqa: E402
from gridmap.coverage.suggest import suggest_posts  # noqa: E402


def median_ms(fn, repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=str(ROOT / "data" / "geo"))
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    data = Path(args.data)
    if not (data / "grids.gpkg").exists():
        sys.exit(f"no demo data in {data} (grids.gpkg, posts.gpkg, roads.gpkg)")
    rows: list[tuple[str, str]] = []

    t = time.perf_counter()
    grids = gpd.read_file(data / "grids.gpkg")
    posts = gpd.read_file(data / "posts.gpkg")
    roads = gpd.read_file(data / "roads.gpkg")
    read_s = time.perf_counter() - t
    grids = grids.set_index("grid_id")
    posts = posts.set_index("post_id")
    outline = grids[grids["level"] == 1].geometry.iloc[0]
    t = time.perf_counter()
    model = CoverageModel.from_geodataframes(grids, posts, roads, outline)
    build_s = time.perf_counter() - t
    info = model.info()
    rows.append(("read the three layers", f"{read_s:.2f} s"))
    rows.append(
        (
            "model build (graph, raster, grid pieces), once",
            f"{build_s:.2f} s",
        )
    )
    rows.append(
        (
            "road graph",
            f"{info['nodes']:,} nodes, {info['edges']:,} edges, {info['road_km']:,.0f} km, "
            f"{info['components']} component(s)",
        )
    )
    rows.append(
        (
            "raster / grids",
            f"{info['cells']:,} cells of {info['cell_m']:g} m; {info['grids']:,} grids, "
            f"{info['leaves']:,} leaves",
        )
    )

    minutes = args.minutes
    empty: frozenset[str] = frozenset()
    scipy_ms, result = median_ms(lambda: model._compute(minutes, 1.0, (), empty), args.repeats)
    rows.append(
        (
            f"coverage, {info['posts']} posts, {minutes:g} min, compute only "
            f"(scipy multi-source Dijkstra + cells), median of {args.repeats}",
            f"{scipy_ms:.1f} ms",
        )
    )

    # The same through networkx: one multi-source Dijkstra from the posts' source nodes.
    g = model.graph
    ref = nx.Graph()
    ref.add_weighted_edges_from(zip(g.u.tolist(), g.v.tolist(), g.seconds.tolist(), strict=True))
    legs = np.maximum(model.post_walk_m / model.settings.walk_mps, 1e-6)
    for k, node in enumerate(model.post_node):
        ref.add_edge(("post", k), int(node), weight=float(legs[k]))
    sources = [("post", k) for k in range(len(model.post_ids))]

    def with_networkx() -> np.ndarray:
        dist = nx.multi_source_dijkstra_path_length(ref, sources, cutoff=minutes * 60)
        t = np.full(g.n_nodes, np.inf)
        keys = [n for n in dist if not isinstance(n, tuple)]
        t[keys] = [dist[n] for n in keys]
        return core.cell_seconds(t, model._cell_nodes, model._cell_walk)

    nx_repeats = max(3, args.repeats // 3)
    nx_ms, nx_cells = median_ms(with_networkx, nx_repeats)
    same = np.allclose(nx_cells, result.cell_seconds, equal_nan=True)
    rows.append(
        (
            f"the same through networkx multi_source_dijkstra_path_length + cells, median of "
            f"{nx_repeats}",
            f"{nx_ms:.1f} ms ({nx_ms / scipy_ms:.1f}x the scipy time; same cell times: {same})",
        )
    )
    matrix = model._matrix(1.0, (), ())
    src = g.n_nodes + np.arange(len(model.post_ids))
    sp_ms, _ = median_ms(
        lambda: dijkstra(matrix, directed=True, indices=src, min_only=True, limit=minutes * 60),
        args.repeats,
    )
    nxd_ms, _ = median_ms(
        lambda: nx.multi_source_dijkstra_path_length(ref, sources, cutoff=minutes * 60),
        nx_repeats,
    )
    rows.append(
        (
            "shortest paths only: scipy csgraph.dijkstra(min_only) vs networkx",
            f"{sp_ms:.1f} ms vs {nxd_ms:.1f} ms ({nxd_ms / sp_ms:.0f}x)",
        )
    )
    kpis = result.kpis()
    rows.append(
        (
            f"district within {minutes:g} min (network)",
            f"{kpis['area_share']:.1%} of the area, {kpis['population_share']:.1%} of the people",
        )
    )

    # What-if: one extra post at a new place each time (so no memo), end to end.
    rng = np.random.default_rng(0)
    cells = model.raster.centres
    lonlat = []
    for idx in rng.choice(len(cells), args.repeats, replace=False):
        x, y = model._to_wgs.transform(cells[idx, 0], cells[idx, 1])
        lonlat.append((float(x), float(y)))
    it = iter(lonlat)
    whatif_ms, _ = median_ms(
        lambda: model.coverage(minutes, extra_posts=[next(it)]).kpis(), args.repeats
    )
    rows.append(
        ("what-if, one extra post: coverage + KPIs + per-grid table", f"{whatif_ms:.1f} ms")
    )
    it = iter(lonlat[::-1])
    geo_ms, _ = median_ms(
        lambda: model.coverage(minutes, speed_scale=0.9, extra_posts=[next(it)]).to_dict(),
        args.repeats,
    )
    rows.append(("what-if, the same + coverage and gap polygons as GeoJSON", f"{geo_ms:.1f} ms"))

    t = time.perf_counter()
    s = suggest_posts(model, k=args.k, minutes=minutes)
    milp_s = time.perf_counter() - t
    t = time.perf_counter()
    greedy = suggest_posts(model, k=args.k, minutes=minutes, method="greedy")
    greedy_s = time.perf_counter() - t
    sol = s.solution
    rows.append(
        (
            f"suggest K={args.k} new posts (MILP, HiGHS), end to end",
            f"{milp_s:.2f} s (solve {sol.seconds:.2f} s; {s.candidates:,} candidate sites, "
            f"{sol.sizes.get('demand', 0):,} uncovered cells merged to "
            f"{sol.sizes.get('demand_merged', 0):,}; {sol.status})",
        )
    )
    rows.append((f"suggest K={args.k}, greedy only, end to end", f"{greedy_s:.2f} s"))
    gain = round(sol.objective - sol.greedy_objective, 6) + 0.0
    rows.append(
        (
            "people newly covered: MILP vs greedy",
            f"{sol.objective:,.0f} vs {sol.greedy_objective:,.0f} ({gain:+,.0f}, "
            f"{gain / max(sol.greedy_objective, 1e-9):+.2%})",
        )
    )
    rows.append(
        (
            f"district within {minutes:g} min after the {args.k} suggested posts",
            f"{s.kpis_before['population_share']:.1%} -> {s.kpis_after['population_share']:.1%} "
            f"of the people",
        )
    )
    del greedy

    print("| measure | value |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
