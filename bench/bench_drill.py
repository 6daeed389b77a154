"""Benchmark (not a test): server time and size of drills and of the whole level-5 view.

Beside each, a naive baseline built in the same run: a plotly express map with the same grids
inlined. Prints a markdown table. Usage: python bench/bench_drill.py [DATA_DIR]
"""

from __future__ import annotations

import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import plotly.express as px  # noqa: E402

from app import create_app  # noqa: E402
from tests.auth_support import signed_in  # noqa: E402
from tests.dash_http import map_call  # noqa: E402
from ui import ids  # noqa: E402
from web.cache import cache  # noqa: E402
from web.local_memo import clear_local_memos  # noqa: E402

REPEATS = 15


def render(client, search: str, metric: str = "density", changed: str = f"{ids.URL}.search"):
    """Post the map page's one callback as a URL change (or ``changed``) does."""
    return map_call(
        client,
        search,
        [changed],
        lang="zh",
        metric=metric,
        layers=("posts", "roads"),
        size=[1200, 850],
    )


def timed(fn, repeats: int = REPEATS) -> tuple[float, float, object]:
    """Return (first call ms, median of the next calls ms, last result)."""
    start = time.perf_counter()
    result = fn()
    first = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return first, statistics.median(times), result


def naive(district, grid_ids: list[str]) -> tuple[float, int]:
    """Build a plotly express choropleth with the grids inlined; return (ms, JSON bytes)."""

    def build():
        gdf = district.grids.loc[grid_ids, ["geometry", "population", "area_km2"]].copy()
        gdf["density"] = gdf["population"].astype(float) / gdf["area_km2"]
        fig = px.choropleth_map(
            gdf,
            geojson=gdf.geometry.__geo_interface__,
            locations=gdf.index,
            color="density",
            map_style="white-bg",
        )
        return fig.to_json()

    _, median, text = timed(build, repeats=3)
    return median, len(text.encode())


def main() -> None:
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data" / "geo"
    start = time.perf_counter()
    app = create_app(
        {
            "data_dir": data_dir,
            "lang": "zh",
            "cache_type": "SimpleCache",
            "database_url": f"sqlite:///{tempfile.mkdtemp()}/drill.sqlite",
            "demo_incidents": False,
        }
    )
    startup = time.perf_counter() - start
    district = app.server.extensions["gridmap"].district
    client = signed_in(app)  # a person, as in the browser

    # A path from the district down to a level-5 grid: the first child at every level.
    path = [district.root_id]
    while district.children(path[-1]):
        path.append(district.children(path[-1])[0])
    rows = []
    for grid in path:
        level = district.level_of(grid)
        search = "" if grid == district.root_id else f"?grid={grid}"
        with app.server.app_context():
            cache.clear()
            clear_local_memos(app.server)
        first, median, resp = timed(lambda s=search: render(client, s))
        assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
        shown = district.children(grid) or district.children(district.parent(grid))
        naive_ms, naive_bytes = naive(district, shown)
        rows.append(
            (
                f"drill: level {level} selected ({len(shown)} grids shown)",
                first,
                median,
                len(resp.data),
                naive_ms,
                naive_bytes,
            )
        )

    with app.server.app_context():
        cache.clear()
        clear_local_memos(app.server)
    first, median, resp = timed(lambda: render(client, "?view=level-5"))
    level5 = district.level_ids(5)
    naive_ms, naive_bytes = naive(district, level5)
    rows.append(
        (
            f"whole level 5 ({len(level5)} grids): figure update",
            first,
            median,
            len(resp.data),
            naive_ms,
            naive_bytes,
        )
    )

    # The same view recoloured (the metric menu): only the colours and their labels go out.
    first, median, resp = timed(
        lambda: render(client, "?view=level-5", "population", f"{ids.METRIC_SELECT}.value")
    )
    rows.append(
        (
            f"whole level 5 ({len(level5)} grids): metric change",
            first,
            median,
            len(resp.data),
            naive_ms,
            naive_bytes,
        )
    )

    url = f"/geo/{district.version}/level-5.geojson"
    with app.server.app_context():
        cache.clear()
        clear_local_memos(app.server)
    g_first, g_median, g_resp = timed(
        lambda: client.get(url, headers={"Accept-Encoding": "gzip"}), repeats=5
    )
    raw = gzip.decompress(g_resp.data)
    print(f"# Drill benchmark on {data_dir} (startup incl. load and checks: {startup:.1f} s)\n")
    print(
        "| step | server ms, first (cold cache) | server ms, median warm | sent | "
        "naive px.choropleth_map ms | naive sent | size ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, first, median, size, n_ms, n_bytes in rows:
        print(
            f"| {name} | {first:.1f} | {median:.1f} | {size / 1024:.1f} kB | {n_ms:.0f} | "
            f"{n_bytes / 1024:.0f} kB | {n_bytes / size:.0f}x |"
        )
    print(
        f"| level-5 geometry, fetched once (`{url.split('/')[-1]}`) | {g_first:.0f} | "
        f"{g_median:.1f} | {len(g_resp.data) / 1024:.0f} kB gzip ({len(raw) / 1024:.0f} kB raw)"
        " | | | |"
    )


if __name__ == "__main__":
    main()
