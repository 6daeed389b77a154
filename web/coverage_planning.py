"""The planning routes of the coverage API: fewest posts, response times, p-median.

``GET /api/v1/coverage/minimum``, ``/coverage/times`` and ``/coverage/median``, added to the
coverage blueprint (:func:`web.coverage_api.create_blueprint`). Each answer is memoized with
flask-caching on primitive arguments, the model reached through the blueprint registered on
the current app; the scope (and the incident store's version, when incidents weigh) is part
of the key.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request

from gridmap.access.roles import Scope
from gridmap.coverage.grid_shares import rows_within
from gridmap.coverage.mclp import DEFAULT_TIME_LIMIT_S
from gridmap.coverage.median import suggest_median
from gridmap.coverage.minimum import fewest_posts
from gridmap.coverage.params import (
    DEFAULT_MINUTES,
    MAX_MINUTES,
    MAX_SPEED_SCALE,
    MIN_MINUTES,
    MIN_SPEED_SCALE,
)
from gridmap.coverage.profiles import DEFAULT_PROFILE, PROFILES
from gridmap.coverage.serialize import json_safe, records
from gridmap.coverage.suggest import MAX_K, WEIGHTS
from gridmap.coverage.times import CLASS_BOUNDS_MIN, summary_times, time_table
from gridmap.errors import CoverageError, MCLPError, ParameterError
from web import api_models as models
from web.cache import cache
from web.coverage_params import as_parameter_error, choice, ids, number, points
from web.openapi import documented

METHODS = ("auto", "milp", "greedy")


def _incidents(bp: Any, weight: str, roots: tuple[str, ...] | None) -> Any:
    incs = bp.incidents(Scope(roots)) if weight == "incidents" else None
    if weight == "incidents" and incs is None:
        raise ParameterError("weight", "no incident data is available")
    return incs


@cache.memoize()
def minimum(
    blueprint: str,
    share: float,
    minutes: float,
    speed: float,
    profile: str,
    weight: str,
    movable: tuple[str, ...],
    disabled: tuple[str, ...],
    method: str,
    time_limit: float,
    incident_version: int,
    roots: tuple[str, ...] | None,
) -> dict:
    """Return the JSON-ready answer of :func:`gridmap.coverage.minimum.fewest_posts`.

    ``incident_version`` and ``roots`` matter (and are keys) only when incidents weigh.
    """
    bp = current_app.blueprints[blueprint]
    try:
        found = fewest_posts(
            bp.get_model(), share, minutes, weight=weight, incidents=_incidents(bp, weight, roots),
            movable=list(movable), disabled_posts=list(disabled), speed_scale=speed,
            profile=profile, time_limit=time_limit, method=method,
        )  # fmt: skip
    except (MCLPError, CoverageError) as err:
        raise as_parameter_error(err, "share") from None
    return json_safe(found.to_dict())


@cache.memoize()
def median(
    blueprint: str,
    k: int,
    speed: float,
    profile: str,
    weight: str,
    disabled: tuple[str, ...],
    method: str,
    time_limit: float,
    incident_version: int,
    roots: tuple[str, ...] | None,
) -> dict:
    """Return the JSON-ready answer of :func:`gridmap.coverage.median.suggest_median`."""
    bp = current_app.blueprints[blueprint]
    try:
        found = suggest_median(
            bp.get_model(), k, weight=weight, incidents=_incidents(bp, weight, roots),
            disabled_posts=list(disabled), speed_scale=speed, profile=profile,
            time_limit=time_limit, method=method,
        )  # fmt: skip
    except (MCLPError, CoverageError) as err:
        raise as_parameter_error(err, "k") from None
    return json_safe(found.to_dict())


@cache.memoize()
def times(
    blueprint: str,
    speed: float,
    extra: tuple[tuple[float, float], ...],
    disabled: tuple[str, ...],
    profile: str,
    roots: tuple[str, ...] | None,
    with_grids: bool = True,
) -> dict:
    """Return the response times of a scenario within a scope: summary and (or not) per grid.

    The time raster comes from the model's memo (:meth:`CoverageModel.travel_times`, keyed on
    the scenario), so the planner and the API share it.
    """
    bp = current_app.blueprints[blueprint]
    model = bp.get_model()
    try:
        result = model.travel_times(
            speed, extra_posts=list(extra), disabled_posts=list(disabled), profile=profile
        )
    except CoverageError as err:
        raise as_parameter_error(err, "extra") from None
    out = {"summary": summary_times(model.index, result.cell_seconds, roots)}
    if with_grids:
        out["table"] = rows_within(time_table(model.index, result.cell_seconds), roots)
    return out


def add_routes(bp: Any) -> None:
    """Add the planning routes to the coverage blueprint ``bp``."""

    def weighted(weight: str) -> tuple[int, tuple[str, ...] | None]:
        if weight != "incidents":
            return 0, None
        return bp.version(), bp.get_scope().roots

    @bp.get("/coverage/minimum")
    @documented(
        "coverage", query=models.MinimumQuery,
        answers={200: models.Minimum, 400: models.ErrorAnswer},
    )  # fmt: skip
    def coverage_minimum():
        """Return the fewest new posts that bring ``share`` of the people within ``minutes``."""
        m = bp.get_model()
        if request.args.get("share") in (None, ""):
            raise ParameterError("share", "is required (a share of 0-1, e.g. 0.6)")
        share = number("share", 0.6, 1e-9, 1.0)
        minutes = number("minutes", DEFAULT_MINUTES, MIN_MINUTES, MAX_MINUTES)
        speed = number("speed_scale", 1.0, MIN_SPEED_SCALE, MAX_SPEED_SCALE)
        profile = choice("profile", DEFAULT_PROFILE, tuple(PROFILES))
        weight = choice("weight", "population", WEIGHTS)
        movable = tuple(ids("movable", set(m.post_ids)))
        disabled = tuple(ids("disabled", set(m.post_ids)))
        method = choice("method", "auto", METHODS)
        time_limit = number("time_limit", DEFAULT_TIME_LIMIT_S, 0.1, 60.0)
        version, roots = weighted(weight)
        return jsonify(
            minimum(request.blueprint, share, minutes, speed, profile, weight, movable,
                    disabled, method, time_limit, version, roots)
        )  # fmt: skip

    @bp.get("/coverage/median")
    @documented(
        "coverage", query=models.MedianQuery,
        answers={200: models.Median, 400: models.ErrorAnswer},
    )  # fmt: skip
    def coverage_median():
        """Return K new posts minimising the weighted mean response time (p-median)."""
        m = bp.get_model()
        k = int(number("k", 5, 1, MAX_K, integer=True))
        speed = number("speed_scale", 1.0, MIN_SPEED_SCALE, MAX_SPEED_SCALE)
        profile = choice("profile", DEFAULT_PROFILE, tuple(PROFILES))
        weight = choice("weight", "population", WEIGHTS)
        disabled = tuple(ids("disabled", set(m.post_ids)))
        method = choice("method", "auto", METHODS)
        time_limit = number("time_limit", DEFAULT_TIME_LIMIT_S, 0.1, 60.0)
        version, roots = weighted(weight)
        return jsonify(
            median(request.blueprint, k, speed, profile, weight, disabled, method, time_limit,
                   version, roots)
        )  # fmt: skip

    @bp.get("/coverage/times")
    @documented(
        "coverage", query=models.TimesQuery,
        answers={200: models.Times, 400: models.ErrorAnswer},
    )  # fmt: skip
    def coverage_times():
        """Return the weighted mean and 90th-percentile time, before and after, per grid."""
        m = bp.get_model()
        raw_level = request.args.get("level")
        level = None if raw_level in (None, "") else int(number("level", 5, 1, 5, integer=True))
        speed = number("speed_scale", 1.0, MIN_SPEED_SCALE, MAX_SPEED_SCALE)
        profile = choice("profile", DEFAULT_PROFILE, tuple(PROFILES))
        disabled = tuple(ids("disabled", set(m.post_ids)))
        extra = tuple(map(tuple, points("extra")))
        roots = bp.get_scope().roots
        now = times(request.blueprint, speed, extra, disabled, profile, roots)
        base = times(request.blueprint, speed, (), (), profile, roots, False)
        table = now["table"]
        rows = table if level is None else table[table["level"] == level]
        return jsonify(
            {
                "speed_scale": speed,
                "profile": profile,
                "classes_minutes": list(CLASS_BOUNDS_MIN),
                "summary": json_safe(now["summary"]),
                "baseline": json_safe(base["summary"]),
                "grids": records(rows),
            }
        )
