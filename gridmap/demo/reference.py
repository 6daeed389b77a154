"""Read the real reference facts of data/reference/huaiyang: outline, names, seats, census."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from gridmap.grids.schema import WGS84

#: Folder of the reference files, relative to the repository root.
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference" / "huaiyang"

#: Metric CRS used while building (UTM zone 50N).
UTM = "EPSG:32650"

DISTRICT_CODE = "411603"
DISTRICT_ZH = "淮阳区"
DISTRICT_EN = "Huaiyang District"
LIUHU_CODE = "411603001"
CHENGGUAN_CODE = "411603100"


@dataclass(frozen=True)
class Reference:
    """The real facts the demo is built on."""

    outline_wgs84: BaseGeometry
    townships: pd.DataFrame  # code, name_zh, name_en, pinyin, kind, lng, lat
    villages: pd.DataFrame  # code, name_zh (short), kind, town_code, status
    district_seat: tuple[float, float]  # lng, lat
    old_town: tuple[float, float]  # lng, lat
    population: int
    urban_share: float


def _short_name(full: str) -> str:
    """Return the short name of a village committee (劳桥村民委员会 -> 劳桥村)."""
    for suffix, short in (("社区居民委员会", "社区"), ("居民委员会", "社区"), ("村民委员会", "村")):
        if full.endswith(suffix):
            return full[: -len(suffix)] + short
    return full


def load_reference(folder: Path = REFERENCE_DIR) -> Reference:
    """Read the reference files of ``folder``.

    Parameters
    ----------
    folder : Path
        Folder holding the files listed in its SOURCES.md.

    Returns
    -------
    Reference
    """
    fence = gpd.read_file(folder / "huaiyang_county_fence_amap_wgs84.geojson")
    outline = shapely.make_valid(shapely.union_all(fence.to_crs(WGS84).geometry.values))

    towns = pd.read_csv(folder / "huaiyang_townships.csv", dtype=str)
    marks = pd.read_csv(folder / "huaiyang_landmarks.csv", dtype=str)
    seat_row = marks[marks["name_en"] == "Huaiyang District seat"].iloc[0]
    seat = (float(seat_row["lng_wgs84"]), float(seat_row["lat_wgs84"]))
    old_row = marks[marks["name_en"].str.startswith("Chengguan Hui Town centre")].iloc[0]
    old_town = (float(old_row["lng_wgs84"]), float(old_row["lat_wgs84"]))

    lng = pd.to_numeric(towns["seat_lng_wgs84"])
    lat = pd.to_numeric(towns["seat_lat_wgs84"])
    # 柳湖街道 has no published seat: it was carved from the town seat west of the old town.
    lng = lng.fillna(seat[0])
    lat = lat.fillna(seat[1])
    townships = pd.DataFrame(
        {
            "code": towns["code_2023"],
            "name_zh": towns["name_zh"],
            "name_en": towns["name_en"],
            "pinyin": towns["pinyin"],
            "kind": towns["type"].str.split("(").str[0],
            "lng": lng,
            "lat": lat,
        }
    ).sort_values("code", ignore_index=True)

    vil = pd.read_csv(folder / "huaiyang_villages.csv", dtype=str)
    full = vil["name_2023"].fillna(vil["name_2021"])
    villages = pd.DataFrame(
        {
            "code": vil["code_2023"].fillna(vil["code_2021"]),
            "name_zh": full.map(_short_name),
            "kind": vil["kind"].str.split("(").str[0],
            "town_code": vil["town_code_2023"],
            "status": vil["status_2023"],
        }
    ).sort_values("code", ignore_index=True)

    census = (folder / "huaiyang_census2020_tudigong.csv").read_text(encoding="utf-8").splitlines()
    header, values = census[1].split(","), census[2].split(",")
    row = dict(zip(header, values, strict=True))
    return Reference(
        outline_wgs84=outline,
        townships=townships,
        villages=villages,
        district_seat=seat,
        old_town=old_town,
        population=int(row["POPU"]),
        urban_share=float(row["POPU_URB"]),
    )
