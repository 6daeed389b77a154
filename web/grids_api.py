"""JSON API for integrations: /api/v1/health and /api/v1/grids/<id>."""

from __future__ import annotations

from flask import Blueprint, jsonify

from gridmap.grids.schema import LEVELS
from gridmap.grids.summary import grid_summary
from web.cache import cache
from web.runtime import current

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


@cache.memoize()
def _summary(grid_id: str) -> dict | None:
    district = current().district
    return grid_summary(district, grid_id) if grid_id in district else None


@blueprint.get("/health")
def health():
    """Report that the server is up and which data it serves."""
    district = current().district
    counts = {str(level): len(district.level_ids(level)) for level in LEVELS}
    return jsonify(
        status="ok",
        district=district.record(district.root_id)["name_en"],
        data_version=district.version,
        demo=district.is_demo,
        grids=counts,
        posts=0 if district.posts is None else len(district.posts),
    )


@blueprint.get("/grids/<grid_id>")
def grid(grid_id: str):
    """Return a grid, its parent chain and its children with their figures; 404 if unknown."""
    summary = _summary(grid_id)
    if summary is None:
        return jsonify(error=f"no grid with id {grid_id!r}"), 404
    return jsonify(summary)
