"""Figures of one grid (its record, parent chain, children and posts), as plain JSON-ready data."""

from __future__ import annotations

from gridmap.grids.district import District
from gridmap.grids.wording import level_names


def _brief(district: District, grid_id: str) -> dict:
    rec = district.record(grid_id)
    brief = {k: rec[k] for k in ("grid_id", "level", "name_zh", "name_en", "code")}
    brief["key"] = district.key_of[grid_id]
    # The district's own word for the level (县, 街道, ...), in both languages.
    brief["level_name"] = level_names(district.meta, rec["level"])
    return brief


def _figures(district: District, grid_id: str) -> dict:
    rec = district.record(grid_id)
    population = rec["population"]
    area = rec["area_km2"]
    return {
        **_brief(district, grid_id),
        "area_km2": round(area, 4),
        "population": population,
        "density": round(population / area, 1) if population is not None and area > 0 else None,
        "staff": rec["staff"],
        "children": len(district.children(grid_id)),
        "posts": len(district.posts_in[grid_id]),
        "point": list(district.label_points[grid_id]),
    }


def grid_summary(district: District, grid_id: str) -> dict:
    """Return a grid with its figures, its parent chain and its children with their figures.

    Parameters
    ----------
    district : District
        The loaded district.
    grid_id : str
        Must be a grid of ``district`` (KeyError otherwise).
    """
    if grid_id not in district:
        raise KeyError(grid_id)
    posts = {p["post_id"]: p for p in district.post_records()}
    return {
        "grid": {**_figures(district, grid_id), "pinyin": district.record(grid_id)["pinyin"]},
        "chain": [_brief(district, g) for g in district.chain(grid_id)[:-1]],
        "children": [_figures(district, c) for c in district.children(grid_id)],
        "posts": [posts[p] for p in district.posts_in[grid_id]],
    }
