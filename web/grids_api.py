"""JSON API for integrations: /api/v1/health and /api/v1/grids/<id> (inside the asker's grids)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, jsonify

from gridmap.access.roles import Scope
from gridmap.grids.district import District
from gridmap.grids.schema import LEVELS
from gridmap.grids.summary import grid_summary
from web import api_models as models
from web.cache import cache
from web.openapi import documented
from web.runtime import current


@cache.memoize()
def _summary(grid_id: str) -> dict | None:
    district = current().district
    return grid_summary(district, grid_id) if grid_id in district else None


def create_blueprint(
    district: District,
    *,
    summary: Callable[[str], dict | None] = _summary,
    scope: Callable[[], Scope] = Scope.everything,
    name: str = "api",
    url_prefix: str = "/api/v1",
) -> Blueprint:
    """Build the blueprint of the health check and the grid summaries.

    Parameters
    ----------
    district : District
        The loaded district the routes describe.
    summary : callable, optional
        Returns the summary of a grid id, or None for an unknown id (default: memoized).
    scope : callable, optional
        Returns the grids the current request may see (:func:`web.auth.current_scope` in the
        app; default the whole district): a grid outside answers 403, and only the children
        and posts inside are listed.
    name, url_prefix : str
        Blueprint name and URL prefix.

    Returns
    -------
    flask.Blueprint
        ``GET {prefix}/health`` and ``GET {prefix}/grids/<grid_id>`` (404 if unknown, 403
        outside the scope).
    """
    blueprint = Blueprint(name, __name__, url_prefix=url_prefix)

    @blueprint.get("/health")
    @documented("health", answers={200: models.Health}, public=True)
    def health():
        """Report that the server is up and which data it serves."""
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
    @documented(
        "grids", answers={200: models.GridSummary, 403: models.ErrorAnswer, 404: models.ErrorAnswer}
    )
    def grid(grid_id: str):
        """Return a grid, its parent chain and its children with their figures; 404 if unknown."""
        found = summary(grid_id)
        if found is None:
            return jsonify(error=f"no grid with id {grid_id!r}"), 404
        asked = scope()
        if asked.is_all:
            return jsonify(found)
        if not asked.contains(district.chain(grid_id)):
            return jsonify(error=f"grid {grid_id!r} is outside your grids"), 403
        # A subtree's children and posts are inside it; filtered all the same (deny by default).
        children = [c for c in found["children"] if asked.contains(district.chain(c["grid_id"]))]
        inside = _posts_within(district, asked)
        posts = [p for p in found["posts"] if p["post_id"] in inside]
        return jsonify({**found, "children": children, "posts": posts})

    return blueprint


def _posts_within(district: District, scope: Scope) -> set[str]:
    """Return the ids of the posts inside the grids of ``scope``."""
    roots = [r for r in scope.roots or () if r in district]
    return {p for r in roots for p in district.posts_in[r]}
