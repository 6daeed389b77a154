"""Display geometry: per-level grids simplified as a coverage, roads and water, as GeoJSON bytes."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely

from gridmap.grids.district import District

#: Simplification tolerance per level, in metres (about the width of a line on screen at the zoom
#: the level is usually seen at). Shared edges stay shared: shapely.coverage_simplify.
TOLERANCE_M: dict[int, float] = {1: 40.0, 2: 30.0, 3: 15.0, 4: 10.0, 5: 10.0}

#: Coordinates are written with 5 decimals (about 1 m), after simplification.
PRECISION_DEG = 1e-5

METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class GeoJSONPayload:
    """GeoJSON text ready to serve: raw and gzip bytes and a strong ETag."""

    raw: bytes
    gzipped: bytes
    etag: str

    @classmethod
    def from_obj(cls, obj: dict) -> GeoJSONPayload:
        """Serialise ``obj`` compactly and compress it once."""
        raw = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
        return cls(raw, gzip.compress(raw, 6, mtime=0), hashlib.sha1(raw).hexdigest()[:16])


def _simplify_coverage(geoms: np.ndarray, tolerance_m: float) -> np.ndarray:
    tolerance = tolerance_m / METRES_PER_DEGREE
    simplified = shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
    return shapely.set_precision(simplified, PRECISION_DEG)


def _features(ids: list[str], geoms: np.ndarray, props: list[dict] | None = None) -> dict:
    """Return a FeatureCollection of ``geoms`` named by ``ids``, with ``props`` (or ``{}``)."""
    texts = shapely.to_geojson(geoms)
    features = []
    for i, (gid, text) in enumerate(zip(ids, texts, strict=True)):
        feature = {"type": "Feature", "id": gid, "properties": props[i] if props else {}}
        feature["geometry"] = json.loads(text)
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def _level_outlines(district: District, level: int) -> tuple[list[str], np.ndarray]:
    """Return (grid ids, simplified outlines) of ``level``, simplified once per district.

    The whole level is simplified as one coverage, so the whole file and a scope's part of it
    draw a grid with the same outline.
    """
    key = ("display-outlines", level)
    if key not in district.memo:
        grids = district.grids[district.grids["level"] == level]
        geoms = _simplify_coverage(grids.geometry.to_numpy(), TOLERANCE_M[level])
        district.memo[key] = ([str(g) for g in grids.index], geoms)
    return district.memo[key]


def level_geojson(
    district: District, level: int, inside: Callable[[str], bool] | None = None
) -> GeoJSONPayload:
    """Return the grids of ``level`` simplified for display; features carry only their key.

    The feature id is the grid's short key (``District.key_of``), not its grid id.

    Parameters
    ----------
    district : District
        The loaded district.
    level : int
        1 to 5.
    inside : callable, optional
        Keeps only the grids (by id) it answers True for: a reader's scope.
    """
    ids, geoms = _level_outlines(district, level)
    if inside is not None:
        kept = [i for i, g in enumerate(ids) if inside(g)]
        ids, geoms = [ids[i] for i in kept], geoms[kept]
    keys = [district.key_of[g] for g in ids]
    return GeoJSONPayload.from_obj(_features(keys, geoms))


#: Road classes drawn as the basemap's major roads; the others are drawn thinner.
MAJOR_ROADS = ("arterial", "county")


def roads_geojson(district: District, major: bool) -> GeoJSONPayload:
    """Return the major (arterial, county) or the minor roads, simplified to about 5 m."""
    if district.roads is None or district.roads.empty:
        return GeoJSONPayload.from_obj({"type": "FeatureCollection", "features": []})
    roads = district.roads
    is_major = roads["road_class"].isin(MAJOR_ROADS).to_numpy()
    roads = roads[is_major if major else ~is_major]
    geoms = shapely.simplify(roads.geometry.to_numpy(), 5.0 / METRES_PER_DEGREE)
    geoms = shapely.set_precision(geoms, PRECISION_DEG)
    classes = roads["road_class"].fillna("").astype(str).tolist()
    props = [{"c": c} for c in classes]
    ids = [str(i) for i in range(len(roads))]
    return GeoJSONPayload.from_obj(_features(ids, geoms, props))


def water_geojson(district: District) -> GeoJSONPayload:
    """Return lakes and rivers, simplified to about 5 m."""
    if district.water is None or district.water.empty:
        return GeoJSONPayload.from_obj({"type": "FeatureCollection", "features": []})
    geoms = shapely.simplify(district.water.geometry.to_numpy(), 5.0 / METRES_PER_DEGREE)
    geoms = shapely.set_precision(geoms, PRECISION_DEG)
    ids = [str(i) for i in range(len(geoms))]
    return GeoJSONPayload.from_obj(_features(ids, geoms))


def grid_outline_lines(district: District, grid_id: str) -> tuple[list, list]:
    """Return one grid's simplified boundary as (lons, lats), rings separated by None."""
    geom = district.grids.geometry.loc[grid_id]
    tolerance = TOLERANCE_M[district.level_of(grid_id)] / METRES_PER_DEGREE
    boundary = shapely.set_precision(shapely.simplify(geom.boundary, tolerance), PRECISION_DEG)
    lons: list[float | None] = []
    lats: list[float | None] = []
    for part in shapely.get_parts(boundary):
        coords = shapely.get_coordinates(part)
        if lons:
            lons.append(None)
            lats.append(None)
        lons.extend(coords[:, 0].round(5).tolist())
        lats.extend(coords[:, 1].round(5).tolist())
    return lons, lats
