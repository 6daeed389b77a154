"""Name a point by the village and township it lies in, from the district's grid index."""

from __future__ import annotations

import numpy as np
import shapely

from gridmap.coverage.grid_shares import GridIndex

#: The levels named: a township (2) and a village (3).
PLACE_LEVELS = {2: "township", 3: "village"}


def places_of(index: GridIndex, xy: np.ndarray) -> list[dict]:
    """Return the township and village of each point (metric coordinates of the index).

    Parameters
    ----------
    index : GridIndex
        The district's grids (see :func:`gridmap.coverage.grid_shares.build_grid_index`).
    xy : ndarray (n, 2)
        Points in the index's metric CRS.

    Returns
    -------
    list of dict
        One dict a point: ``township_id``, ``township_zh``, ``township_en``, ``village_id``,
        ``village_zh``, ``village_en`` (None where the data has no such level above the
        point's grid; a point outside every grid takes its nearest grid).
    """
    frame = index.frame
    pos = {g: i for i, g in enumerate(frame["grid_id"])}
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    leaf = index.leaf_of_points(xy)
    # A site on a road just beyond every grid (a border road) is named by its nearest grid.
    outside = np.nonzero(leaf < 0)[0]
    if len(outside) and len(index.leaf_geoms):
        tree = shapely.STRtree(index.leaf_geoms)
        p_idx, l_idx = tree.query_nearest(shapely.points(xy[outside]), all_matches=False)
        leaf[outside[p_idx]] = l_idx
    out = []
    for n in leaf:
        place = {f"{w}_{k}": None for w in PLACE_LEVELS.values() for k in ("id", "zh", "en")}
        row = int(index.leaf[n]) if n >= 0 else -1
        # Walk up from the leaf: the first grid of each named level is the place.
        while row >= 0:
            level = int(frame["level"].iat[row])
            if level in PLACE_LEVELS:
                what = PLACE_LEVELS[level]
                place[f"{what}_id"] = str(frame["grid_id"].iat[row])
                place[f"{what}_zh"] = frame["name_zh"].iat[row]
                place[f"{what}_en"] = frame["name_en"].iat[row]
            parent = frame["parent_id"].iat[row]
            row = pos.get(parent, -1) if parent is not None else -1
        out.append(place)
    return out


def place_label(place: dict, lang: str) -> str:
    """Return "Township · Village" in ``lang`` (the parts known; "" when none is)."""
    parts = [place.get(f"{w}_{lang}") or place.get(f"{w}_zh") for w in ("township", "village")]
    return " · ".join(str(p) for p in parts if p)


def place_records(model, lonlat: list[tuple[float, float]]) -> list[dict]:
    """Return the township and village (ids, both languages) of each lon/lat point.

    ``model`` is a :class:`gridmap.coverage.model.CoverageModel`; the dicts are those of
    :func:`places_of` (for :func:`place_label`).
    """
    if not lonlat:
        return []
    return places_of(model.index, model.to_metric(np.asarray(lonlat, dtype=float)))


def places_at(model, lonlat: list[tuple[float, float]], lang: str) -> list[dict]:
    """Return ``{"township", "village"}`` names in ``lang`` of each lon/lat point.

    ``model`` is a :class:`gridmap.coverage.model.CoverageModel` (its grid index and CRS).
    """
    if not lonlat:
        return []
    found = places_of(model.index, model.to_metric(np.asarray(lonlat, dtype=float)))
    return [
        {w: p.get(f"{w}_{lang}") or p.get(f"{w}_zh") or "" for w in ("township", "village")}
        for p in found
    ]
