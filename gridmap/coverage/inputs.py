"""The checks of the coverage model's input layers (type, CRS, geometry types), in metres."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from gridmap.coverage.profiles import URBAN_KINDS
from gridmap.errors import CoverageError
from gridmap.grids.schema import WGS84


def check_gdf(gdf: Any, name: str, types: tuple[int, ...]) -> None:
    """Refuse a layer that is no GeoDataFrame, has no CRS or has other geometry ``types``.

    Parameters
    ----------
    gdf : Any
        The layer.
    name : str
        Its parameter name, carried by the error (``"grids"``, ``"posts"``).
    types : tuple of int
        Shapely geometry type ids allowed (0 Point, 3 Polygon, 6 MultiPolygon).

    Raises
    ------
    CoverageError
        Naming the parameter and the ids of the bad rows.
    """
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise CoverageError(
            f"'{name}' should be a GeoDataFrame, got {type(gdf).__name__}", parameter=name
        )
    if gdf.crs is None:
        raise CoverageError(f"{name} has no CRS; set one (e.g. EPSG:4326)", parameter=name)
    kinds = shapely.get_type_id(gdf.geometry.to_numpy())
    bad = ~np.isin(kinds, types)
    if bad.any():
        want = {0: "Point", 3: "Polygon", 6: "MultiPolygon"}
        ids = gdf.index.astype(str).to_numpy()[bad]
        raise CoverageError(
            f"{name}: geometry must be {' or '.join(want[t] for t in types)}, not for "
            f"{', '.join(ids[:10])}",
            parameter=name,
        )


def metric_outline(
    grids: gpd.GeoDataFrame, outline: shapely.Geometry | None, metric: CRS
) -> shapely.Geometry:
    """Return the district outline in ``metric``: ``outline`` (EPSG:4326) or the level-1 grids.

    Raises
    ------
    CoverageError
        No outline and no level-1 grid, an outline that is not a polygon, or an empty one.
    """
    if outline is None:
        if "level" not in grids.columns:
            raise CoverageError(
                "no outline given and grids has no level column", parameter="outline"
            )
        roots = grids[pd.to_numeric(grids["level"], errors="coerce") == 1]
        if roots.empty:
            raise CoverageError(
                "no outline given and grids has no level-1 grid", parameter="outline"
            )
        outline_m = shapely.union_all(roots.to_crs(metric).geometry.to_numpy())
    else:
        if not isinstance(outline, shapely.Geometry) or shapely.get_type_id(outline) not in (
            3,
            6,
        ):
            raise CoverageError(
                f"'outline' should be a shapely Polygon or MultiPolygon, got "
                f"{type(outline).__name__}",
                parameter="outline",
            )
        outline_m = gpd.GeoSeries([outline], crs=WGS84).to_crs(metric).iloc[0]
    if outline_m.is_empty or outline_m.area <= 0:
        raise CoverageError("the district outline is empty", parameter="outline")
    return shapely.make_valid(outline_m) if not outline_m.is_valid else outline_m


def metric_posts(
    posts: gpd.GeoDataFrame | None, metric: CRS
) -> tuple[list[str], np.ndarray, dict[str, dict[str, Any]]]:
    """Return the post ids, their (x, y) in ``metric`` and their names (``name_zh``, ``name_en``).

    Raises
    ------
    CoverageError
        Posts that are not points, have no CRS, or share an id.
    """
    post_ids: list[str] = []
    post_xy = np.zeros((0, 2))
    names: dict[str, dict[str, Any]] = {}
    if posts is not None and len(posts):
        check_gdf(posts, "posts", (0,))
        ids = (
            posts["post_id"].astype(str).to_numpy()
            if "post_id" in posts.columns
            else posts.index.astype(str).to_numpy()
        )
        dup = pd.Index(ids).duplicated()
        if dup.any():
            raise CoverageError(
                f"posts: duplicate post_id {', '.join(ids[dup][:10])}", parameter="posts"
            )
        post_ids = list(ids)
        post_xy = shapely.get_coordinates(posts.to_crs(metric).geometry.to_numpy())
        for k, pid in enumerate(post_ids):
            names[pid] = {
                c: (None if pd.isna(posts[c].iloc[k]) else str(posts[c].iloc[k]))
                for c in ("name_zh", "name_en")
                if c in posts.columns
            }
    return post_ids, post_xy, names


def urban_area(grids: gpd.GeoDataFrame) -> shapely.Geometry | None:
    """Return the town seat: the union of the grids whose ``kind`` is urban (None: no such grid)."""
    if "kind" not in grids.columns:
        return None
    urban = grids[grids["kind"].astype("object").isin(URBAN_KINDS)]
    if urban.empty:
        return None
    area = shapely.union_all(urban.geometry.to_numpy())
    shapely.prepare(area)
    return area


def model_info(model: Any) -> dict:
    """Sizes of the model (graph, raster, grids, posts), for logs and the benchmark."""
    g = model.graph
    return {
        "method": model.method,
        "crs": model.crs.to_string(),
        "nodes": g.n_nodes if g else 0,
        "edges": g.n_edges if g else 0,
        "components": g.n_components if g else 0,
        "road_km": float(g.length_m.sum() / 1000) if g else 0.0,
        "cells": model.raster.n_cells,
        "cell_m": model.settings.cell_m,
        "grids": len(model.index.frame),
        "leaves": model.index.n_leaves,
        "posts": len(model.post_ids),
    }
