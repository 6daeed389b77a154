"""A county that is not Huaiyang, with its files as a county GIS office would have them.

青石县 (Qingshi County, invented): its own irregular outline (about 40 km across) and counts
(1 / 3 / 6 / 12 / 24 grids), raw Chinese column names (编码, 名称, 上级编码, 级别), CGCS2000
(EPSG:4490), the grids as a GBK Shapefile without ``.cpg``, no population, staff, pinyin or
English names; police posts with 编号 / 名称; roads with Chinese classes (国道, 县道, 乡道) that
cross without a shared point and run past the boundary; its own ``categories.json``. No
``district.json``: ``python app.py init`` writes it.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import LineString

from tests.fixtures import big_grids

#: Grids per level.
COUNTS = (1, 3, 6, 12, 24)
NAME = "青石县"
TOWNS = ("东关镇", "西河乡", "南岗乡")
CGCS2000 = "EPSG:4490"
#: The county's own categories: two defaults (worded for a county) and one of its own.
CATEGORIES = [
    {"id": "land"},
    {"id": "neighbourhood"},
    {
        "id": "grazing",
        "zh": "放牧纠纷",
        "en": "Grazing disputes",
        "group": "dispute",
        "unit_zh": "乡镇调解委员会",
        "unit_en": "Township mediation committee",
        "units": [{"zh": "县畜牧局", "en": "County Animal Husbandry Bureau"}],
    },
]


def county_grids() -> gpd.GeoDataFrame:
    """Return the county's grids in EPSG:4326 with schema column names (ids like 3416xx)."""
    grids = big_grids(COUNTS, seed=7).drop(columns=["population"])
    # The same metres one UTM zone east: about 121°E, 34°N, far from Huaiyang (114.9°E).
    grids = grids.to_crs("EPSG:32650").set_crs("EPSG:32651", allow_override=True)
    grids = grids.to_crs("EPSG:4326")
    rename = {"411626": "341622"}
    grids["grid_id"] = [rename.get(g[:6], g[:6]) + g[6:] for g in grids["grid_id"]]
    grids["parent_id"] = [
        None if not isinstance(p, str) else rename.get(p[:6], p[:6]) + p[6:]
        for p in grids["parent_id"]
    ]
    names = []
    for gid, level in zip(grids["grid_id"], grids["level"], strict=True):
        parts = gid.split("-")
        if level == 1:
            names.append(NAME)
        elif level == 2:
            names.append(TOWNS[int(parts[1]) - 1])
        elif level == 3:
            names.append(f"{TOWNS[int(parts[1]) - 1][:2]}{int(parts[2])}村")
        else:
            names.append(f"{'四' if level == 4 else '五'}级网格{'-'.join(parts[2:])}")
    grids["name_zh"] = names
    return grids


def write_county(folder: Path) -> Path:
    """Write the county's files into ``folder`` (created) and return it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    grids = county_grids()
    raw = grids.rename(
        columns={"grid_id": "编码", "parent_id": "上级编码", "level": "级别", "name_zh": "名称"}
    )
    raw.to_crs(CGCS2000).to_file(folder / "grids.shp", engine="pyogrio", encoding="GBK")
    (folder / "grids.cpg").unlink(missing_ok=True)
    towns = grids[grids["level"] == 2]
    points = towns.geometry.representative_point()
    posts = gpd.GeoDataFrame(
        {
            "编号": [f"JW{i}" for i in range(1, len(towns) + 1)],
            "名称": [f"{n}警务室" for n in towns["name_zh"]],
        },
        geometry=list(points),
        crs="EPSG:4326",
    )
    posts.to_crs(CGCS2000).to_file(folder / "posts.gpkg", engine="pyogrio")
    outline = grids.geometry[grids["level"] == 1].iloc[0]
    west, south, east, north = outline.bounds
    cx, cy = outline.centroid.x, outline.centroid.y
    # Three roads through the county, past its boundary, crossing without a shared point.
    lines = [
        LineString([(west - 0.02, cy), (east + 0.02, cy)]),
        LineString([(cx, south - 0.02), (cx, north + 0.02)]),
        LineString([(west + 0.05, south + 0.08), (east - 0.05, north - 0.08)]),
    ]
    for p in points:  # a village road from each post to the nearest trunk road
        near = shapely.ops.nearest_points(p, lines[0])[1]
        beyond = near.y - 0.002 if p.y > near.y else near.y + 0.002  # crosses the trunk road
        lines.append(LineString([(p.x, p.y), (p.x, beyond)]))
    roads = gpd.GeoDataFrame(
        {
            "道路等级": ["国道", "县道", "乡道"] + ["村道"] * len(towns),
            "名称": ["G1", "X1", "Y1"] + [f"村道{i}" for i in range(len(towns))],
        },
        geometry=lines,
        crs="EPSG:4326",
    )
    roads.to_crs(CGCS2000).to_file(folder / "roads.gpkg", engine="pyogrio")
    (folder / "categories.json").write_text(
        json.dumps(CATEGORIES, ensure_ascii=False, indent=2), "utf-8"
    )
    return folder
