"""Tiny synthetic district folders (EPSG:32650 metres) for the loader and check tests."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point, box

#: The CRS the fixtures are drawn in, so that loading exercises reprojection.
CRS = "EPSG:32650"
#: Lower-left corner of the fixture district (near Huaiyang, UTM zone 50N).
X0, Y0 = 305_000.0, 3_730_000.0
#: File extension written for each format name.
FORMATS = {"gpkg": ".gpkg", "geojson": ".geojson", "shp": ".shp"}
#: Driver per format name.
DRIVERS = {"gpkg": "GPKG", "geojson": "GeoJSON", "shp": "ESRI Shapefile"}


def grid_frame(width: float = 16_000.0, height: float = 8_000.0) -> gpd.GeoDataFrame:
    """Return a 1/2/4/8/16-grid hierarchy of rectangles, each split in half along its long side.

    Ids are ``d`` for the district and ``<parent>.<k>`` below (``d.1.2``); level-5 grids have
    a population of 100 + their position, parents the sum of their children's.
    """
    rows = [
        {
            "grid_id": "d",
            "parent_id": None,
            "level": 1,
            "geometry": box(X0, Y0, X0 + width, Y0 + height),
        }
    ]
    frontier = [rows[0]]
    for level in range(2, 6):
        nxt = []
        for parent in frontier:
            x0, y0, x1, y1 = parent["geometry"].bounds
            if x1 - x0 >= y1 - y0:
                xm = (x0 + x1) / 2
                halves = [box(x0, y0, xm, y1), box(xm, y0, x1, y1)]
            else:
                ym = (y0 + y1) / 2
                halves = [box(x0, y0, x1, ym), box(x0, ym, x1, y1)]
            for k, geom in enumerate(halves, start=1):
                nxt.append(
                    {
                        "grid_id": f"{parent['grid_id']}.{k}",
                        "parent_id": parent["grid_id"],
                        "level": level,
                        "geometry": geom,
                    }
                )
        rows += nxt
        frontier = nxt
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
    frame["name_zh"] = "网格" + frame["grid_id"]
    frame["name_en"] = "Grid " + frame["grid_id"]
    frame["pinyin"] = "wangge"
    frame["staff"] = frame["level"]
    frame["kind"] = frame["level"].map({1: "district", 2: "township", 3: "village"}).fillna("grid")
    pop = {}
    leaves = frame.loc[frame["level"] == 5, "grid_id"]
    for pos, gid in enumerate(leaves):
        pop[gid] = 100 + pos
    for level in (4, 3, 2, 1):
        for gid, parent in frame.loc[frame["level"] == level + 1, ["grid_id", "parent_id"]].values:
            pop[parent] = pop.get(parent, 0) + pop[gid]
    frame["population"] = frame["grid_id"].map(pop).astype("int64")
    return frame[
        ["grid_id", "parent_id", "level", "name_zh", "name_en", "pinyin", "population", "staff"]
        + ["kind", "geometry"]
    ]


def indexed(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``frame`` indexed by ``grid_id``, as the loader returns it."""
    return frame.set_index("grid_id")


def post_frame() -> gpd.GeoDataFrame:
    """Return two police posts inside the fixture district."""
    return gpd.GeoDataFrame(
        {
            "post_id": ["p1", "p2"],
            "name_zh": ["城关警务室", "新站警务室"],
            "name_en": ["Chengguan", "Xinzhan"],
            "officers": [2, 1],
            "ebikes": [3, 1],
        },
        geometry=[Point(X0 + 1_000, Y0 + 1_000), Point(X0 + 12_000, Y0 + 6_000)],
        crs=CRS,
    )


def road_frame() -> gpd.GeoDataFrame:
    """Return three road segments: two with a class, one with only a speed."""
    a, b, c = (X0 + 500, Y0 + 500), (X0 + 8_000, Y0 + 500), (X0 + 8_000, Y0 + 7_000)
    return gpd.GeoDataFrame(
        {
            "road_id": ["r1", "r2", "r3"],
            "road_class": ["arterial", "village", None],
            "speed_kmh": [np.nan, np.nan, 12.5],
            "name_zh": ["大道", "村道", "小路"],
        },
        geometry=[LineString([a, b]), LineString([b, c]), LineString([a, c])],
        crs=CRS,
    )


def water_frame() -> gpd.GeoDataFrame:
    """Return one lake."""
    return gpd.GeoDataFrame(
        {"name_zh": ["龙湖"], "name_en": ["Dragon Lake"]},
        geometry=[Point(X0 + 4_000, Y0 + 4_000).buffer(500)],
        crs=CRS,
    )


def write_layer(frame: gpd.GeoDataFrame, folder: Path, stem: str, fmt: str) -> Path:
    """Write ``frame`` as ``folder/<stem>.<ext>`` in format ``fmt`` and return the path."""
    path = Path(folder) / f"{stem}{FORMATS[fmt]}"
    frame.to_file(path, driver=DRIVERS[fmt], engine="pyogrio")
    return path


def make_district(
    folder: Path,
    fmt: str = "gpkg",
    grids: gpd.GeoDataFrame | None = None,
    posts: bool = True,
    roads: bool = True,
    water: bool = True,
    meta: dict | None = None,
) -> Path:
    """Write a complete fixture district folder in format ``fmt`` and return the folder.

    ``grids`` replaces the default hierarchy; ``meta`` (default: expected counts 1/2/4/8/16)
    is written as ``district.json`` unless it is ``{}``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_layer(grid_frame() if grids is None else grids, folder, "grids", fmt)
    if posts:
        write_layer(post_frame(), folder, "posts", fmt)
    if roads:
        write_layer(road_frame(), folder, "roads", fmt)
    if water:
        write_layer(water_frame(), folder, "water", fmt)
    if meta is None:
        meta = {
            "name_zh": "测试区",
            "name_en": "Test District",
            "demo": True,
            "expected_counts": {"1": 1, "2": 2, "3": 4, "4": 8, "5": 16},
        }
    if meta:
        (folder / "district.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    return folder


def big_grids(
    counts: tuple[int, ...] = (1, 21, 484, 2073, 6438), seed: int = 0
) -> gpd.GeoDataFrame:
    """Return a realistic hierarchy (default 9,017 grids like the demo) in EPSG:4326.

    Each parent is cut into Voronoi cells of random points clipped to it, starting from an
    irregular 40 km outline near Huaiyang; coordinates carry the noise of clipping and of
    reprojection from UTM, so the checks' tolerances are exercised. Populations sum up.
    """
    rng = np.random.default_rng(seed)
    angles = np.linspace(0, 2 * np.pi, 60, endpoint=False)
    radii = 20_000 * (1 + 0.15 * np.sin(5 * angles) + 0.05 * rng.standard_normal(60))
    cx, cy = X0 + 25_000, Y0 + 25_000
    outline = shapely.Polygon(np.c_[cx + radii * np.cos(angles), cy + radii * np.sin(angles)])
    ids, parents, levels, geoms = ["411626"], [None], [1], [outline]
    frontier = [0]
    for level, count in enumerate(counts[1:], start=2):
        share = np.full(len(frontier), count // len(frontier))
        share[: count - share.sum()] += 1
        nxt = []
        for pos, k in zip(frontier, share, strict=True):
            parent = geoms[pos]
            cells = _split(parent, int(k), rng)
            for j, cell in enumerate(cells, start=1):
                ids.append(f"{ids[pos]}-{j:02d}")
                parents.append(ids[pos])
                levels.append(level)
                geoms.append(cell)
                nxt.append(len(ids) - 1)
        frontier = nxt
    frame = gpd.GeoDataFrame(
        {"grid_id": ids, "parent_id": parents, "level": levels, "name_zh": ids},
        geometry=geoms,
        crs=CRS,
    ).to_crs("EPSG:4326")
    pop = pd.Series(0, index=frame["grid_id"], dtype="int64")
    leaves = frame["level"] == len(counts)
    pop[frame.loc[leaves, "grid_id"]] = rng.integers(50, 500, leaves.sum())
    for level in range(len(counts) - 1, 0, -1):
        rows = frame[frame["level"] == level + 1]
        sums = pop[rows["grid_id"]].groupby(rows["parent_id"].to_numpy()).sum()
        pop[sums.index] = sums.to_numpy()
    frame["population"] = pop[frame["grid_id"]].to_numpy()
    return frame


def _split(polygon: shapely.Polygon, k: int, rng: np.random.Generator) -> list:
    """Return ``k`` Voronoi cells of random points in ``polygon``, clipped to it."""
    if k == 1:
        return [polygon]
    x0, y0, x1, y1 = polygon.bounds
    points: list = []
    shapely.prepare(polygon)
    while len(points) < k:
        xy = rng.uniform((x0, y0), (x1, y1), size=(4 * k, 2))
        pts = shapely.points(xy)
        points += list(pts[shapely.contains(polygon, pts)])
    cells = shapely.voronoi_polygons(shapely.multipoints(points[:k]), extend_to=polygon)
    parts = shapely.intersection(np.asarray(cells.geoms), polygon)
    return [p for p in parts if not p.is_empty]


#: File name the check tests give their in-memory grids, and the level counts of grid_frame().
CHECKED_FILE = "grids.gpkg"
GRID_FRAME_COUNTS = {1: 1, 2: 2, 3: 4, 4: 8, 5: 16}


def rules(problems) -> set[str]:
    """Return the rules the ``problems`` break."""
    return {p.rule for p in problems}


def only(problems, rule):
    """Return the problems of ``rule``, asserting there are some, all in CHECKED_FILE."""
    found = [p for p in problems if p.rule == rule]
    assert found, f"no {rule} problem in {problems}"
    assert all(p.file == CHECKED_FILE for p in found)
    return found
