"""The toy district of the coverage tests: four 1-km grids, a road across the middle."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import shapely

from gridmap.coverage.model import CoverageModel
from gridmap.coverage.params import CoverageSettings

UTM = "EPSG:32650"
X0, Y0 = 500000.0, 3700000.0
POPULATION = {"SW": 100, "SE": 200, "NW": 300, "NE": 400}


def toy_grids(split_sw: bool = False) -> gpd.GeoDataFrame:
    """A 2 x 2 km district (D) split into four 1 km² grids; SW optionally split in two."""
    rows = [("D", None, 1, shapely.box(X0, Y0, X0 + 2000, Y0 + 2000), 1000)]
    for name, (i, j) in {"SW": (0, 0), "SE": (1, 0), "NW": (0, 1), "NE": (1, 1)}.items():
        x, y = X0 + i * 1000, Y0 + j * 1000
        rows.append((name, "D", 2, shapely.box(x, y, x + 1000, y + 1000), POPULATION[name]))
    if split_sw:  # SW's people: 90 in its western half, 10 in its eastern half
        rows.append(("SW-w", "SW", 3, shapely.box(X0, Y0, X0 + 500, Y0 + 1000), 90))
        rows.append(("SW-e", "SW", 3, shapely.box(X0 + 500, Y0, X0 + 1000, Y0 + 1000), 10))
    ids, parent, level, geoms, pop = zip(*rows, strict=True)
    frame = gpd.GeoDataFrame(
        {"parent_id": parent, "level": level, "population": pop, "name_zh": ids},
        geometry=list(geoms),
        index=pd.Index(list(ids), name="grid_id"),
        crs=UTM,
    )
    return frame.to_crs("EPSG:4326")


def toy_posts(*points: tuple[float, float], ids: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    ids = ids or tuple(f"P{k + 1}" for k in range(len(points)))
    geoms = [shapely.Point(X0 + x, Y0 + y) for x, y in points]
    gdf = gpd.GeoDataFrame(
        {"name_zh": [f"警务室{i}" for i in ids]}, geometry=geoms, index=list(ids), crs=UTM
    )
    return gdf.to_crs("EPSG:4326")


def toy_roads(*lines, speed_kmh: float = 12.6, ids: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    ids = ids or tuple(f"r{k + 1}" for k in range(len(lines)))
    geoms = [shapely.LineString([(X0 + x, Y0 + y) for x, y in line]) for line in lines]
    gdf = gpd.GeoDataFrame(
        {"road_id": list(ids), "speed_kmh": [speed_kmh] * len(lines)}, geometry=geoms, crs=UTM
    )
    return gdf.to_crs("EPSG:4326")


MIDDLE_ROAD = [(0, 1000), (2000, 1000)]  # west to east across the middle


def toy_model(
    posts=((0, 1000),), roads=(MIDDLE_ROAD,), settings=None, split_sw=False, speed_kmh=12.6
) -> CoverageModel:
    grids = toy_grids(split_sw)
    outline = grids.loc["D"].geometry
    return CoverageModel.from_geodataframes(
        grids,
        toy_posts(*posts),
        toy_roads(*roads, speed_kmh=speed_kmh) if roads else None,
        outline,
        crs=UTM,
        settings=settings or CoverageSettings(),
    )


# Walking is instant but limited to 500 m: what is reached in 5 minutes is then every point
# within 500 m of a road node reached in time. At 12.6 km/h (3.5 m/s) the post at the west end
# rides 1050 m in 5 min, so the nodes (every 100 m) up to x = 1000 m are reached: the covered
# area is the band 0 <= x <= 1000, 500 <= y <= 1500, plus a half disc of 500 m around (1000, 1000).
INSTANT_WALK = CoverageSettings(walk_kmh=1e9, walk_max_m=500, cell_m=20, simplify_m=0)
HALF_DISC = math.pi * 500**2 / 2
WEST_SHARE = 0.5  # SW and NW: half their square is in the band
EAST_SHARE = HALF_DISC / 2 / 1e6  # SE and NE: a quarter disc each


def toy_lonlat(points):
    pts = gpd.GeoSeries([shapely.Point(X0 + x, Y0 + y) for x, y in points], crs=UTM)
    return shapely.get_coordinates(pts.to_crs("EPSG:4326").to_numpy())
