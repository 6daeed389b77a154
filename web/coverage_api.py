"""JSON API of the police circle: GET /api/v1/coverage and /api/v1/coverage/suggest."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import Blueprint, jsonify, request

from gridmap.coverage.grid_shares import worst_grids
from gridmap.coverage.mclp import DEFAULT_TIME_LIMIT_S, MAX_K, MCLPError, suggest_posts
from gridmap.coverage.model import (
    DEFAULT_MINUTES,
    MAX_MINUTES,
    MAX_SPEED_SCALE,
    MIN_MINUTES,
    MIN_SPEED_SCALE,
    CoverageError,
    CoverageModel,
    records,
)

#: Most suggestions kept in memory by one blueprint (each costs seconds to compute).
SUGGEST_MEMO_SIZE = 32


class BadParameter(ValueError):
    """A query parameter that cannot be used; answered with 400 and the parameter's name."""

    def __init__(self, name: str, message: str):
        self.name = name
        super().__init__(f"parameter {name!r}: {message}")


def _number(name: str, default: float, lo: float, hi: float, integer: bool = False) -> float:
    raw = request.args.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "an integer" if integer else "a number"
        raise BadParameter(name, f"must be {kind}, got {raw!r}") from None
    if not (math.isfinite(value) and lo <= value <= hi):
        raise BadParameter(name, f"must be between {lo:g} and {hi:g}, got {raw!r}")
    return value


def _ids(name: str, known: set[str]) -> list[str]:
    raw = request.args.get(name, "")
    ids = [p.strip() for p in raw.split(",") if p.strip()]
    unknown = [p for p in ids if p not in known]
    if unknown:
        raise BadParameter(name, f"unknown post id(s) {', '.join(unknown[:10])}")
    return ids


def _points(name: str) -> list[tuple[float, float]]:
    raw = request.args.get(name, "")
    out = []
    for part in (p for p in raw.split(";") if p.strip()):
        try:
            lon, lat = (float(v) for v in part.split(","))
        except ValueError:
            raise BadParameter(name, f"must be 'lon,lat;lon,lat...', got {part!r}") from None
        if not (
            math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90
        ):
            raise BadParameter(name, f"not a lon,lat pair: {part!r}")
        out.append((lon, lat))
    return out


def _choice(name: str, default: str, allowed: tuple[str, ...]) -> str:
    raw = request.args.get(name, default)
    if raw not in allowed:
        raise BadParameter(name, f"must be one of {', '.join(allowed)}, got {raw!r}")
    return raw


def _flag(name: str, default: bool) -> bool:
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise BadParameter(name, f"must be 1 or 0, got {raw!r}")


def create_coverage_blueprint(
    get_model: Callable[[], CoverageModel] | CoverageModel,
    *,
    get_incidents: Callable[[], Any] | None = None,
    url_prefix: str = "/api/v1",
    name: str = "coverage_api",
) -> Blueprint:
    """Build the Blueprint serving coverage figures and post suggestions.

    Parameters
    ----------
    get_model : callable or CoverageModel
        Returns the (already built) :class:`CoverageModel` of the current data.
    get_incidents : callable, optional
        Returns incident points (GeoSeries or (n, 2) lon/lat) for the incident figures and
        ``weight=incidents``; without it incident figures are zero.
    url_prefix : str
        Where the routes are mounted.
    name : str
        Blueprint name (unique per app).

    Returns
    -------
    flask.Blueprint
        ``GET {prefix}/coverage``: ``minutes`` (1-15, default 5), ``level`` (1-5: per-grid
        figures of that level only), ``speed_scale``, ``disabled`` (post ids, comma separated),
        ``extra`` (new posts ``lon,lat;lon,lat``), ``geometry`` (1/0: coverage and gap
        polygons), ``worst`` (how many worst-covered grids of ``level``, or of the deepest
        level, default 10).
        ``GET {prefix}/coverage/suggest``: ``k`` (1-50, default 10), ``minutes``,
        ``speed_scale``, ``weight`` (population / incidents), ``movable``, ``disabled``,
        ``method`` (auto / milp / greedy), ``time_limit`` (seconds, 0.1-60).
        A bad parameter answers 400 ``{"error": ..., "parameter": ...}``.
    """
    bp = Blueprint(name, __name__, url_prefix=url_prefix)
    memo: OrderedDict[tuple, dict] = OrderedDict()

    def model() -> CoverageModel:
        return get_model() if callable(get_model) else get_model

    def incidents() -> Any:
        return get_incidents() if get_incidents is not None else None

    @bp.errorhandler(BadParameter)
    def bad_parameter(err: BadParameter):
        return jsonify(error=str(err), parameter=err.name), 400

    @bp.get("/coverage")
    def coverage():
        """Return KPIs, per-grid figures and (optionally) coverage and gap polygons."""
        m = model()
        minutes = _number("minutes", DEFAULT_MINUTES, MIN_MINUTES, MAX_MINUTES)
        raw_level = request.args.get("level")
        level = None if raw_level in (None, "") else int(_number("level", 5, 1, 5, integer=True))
        speed = _number("speed_scale", 1.0, MIN_SPEED_SCALE, MAX_SPEED_SCALE)
        disabled = _ids("disabled", set(m.post_ids))
        extra = _points("extra")
        geometry = _flag("geometry", True)
        worst = int(_number("worst", 10, 0, 1000, integer=True))
        try:
            result = m.coverage(minutes, speed, extra_posts=extra, disabled_posts=disabled)
        except CoverageError as err:
            raise BadParameter(
                "extra" if "extra_posts" in str(err) else "minutes", str(err)
            ) from None
        incs = incidents()
        table = result.grid_table(incs)
        rows = table if level is None else table[table["level"] == level]
        body = {
            "minutes": result.minutes,
            "method": result.method,
            "speed_scale": result.speed_scale,
            "posts": result.post_ids,
            "kpis": result.kpis(incs),
            "warnings": result.warnings,
            "grids": records(rows),
            "worst": records(worst_grids(table, level=level or int(table["level"].max()), n=worst)),
        }
        if geometry:
            body["geojson"] = result.geojson()
        return jsonify(body)

    @bp.get("/coverage/suggest")
    def suggest():
        """Return K new post sites maximising the people (or incidents) newly covered."""
        m = model()
        k = int(_number("k", 10, 1, MAX_K, integer=True))
        minutes = _number("minutes", DEFAULT_MINUTES, MIN_MINUTES, MAX_MINUTES)
        speed = _number("speed_scale", 1.0, MIN_SPEED_SCALE, MAX_SPEED_SCALE)
        weight = _choice("weight", "population", ("population", "incidents"))
        movable = _ids("movable", set(m.post_ids))
        disabled = _ids("disabled", set(m.post_ids))
        method = _choice("method", "auto", ("auto", "milp", "greedy"))
        time_limit = _number("time_limit", DEFAULT_TIME_LIMIT_S, 0.1, 60.0)
        incs = incidents() if weight == "incidents" else None
        if weight == "incidents" and incs is None:
            raise BadParameter("weight", "no incident data is available")
        key = (
            id(m),
            k,
            minutes,
            speed,
            weight,
            tuple(movable),
            tuple(disabled),
            method,
            time_limit,
        )
        if key not in memo:
            try:
                s = suggest_posts(
                    m,
                    k,
                    minutes,
                    weight=weight,
                    incidents=incs,
                    movable=movable,
                    disabled_posts=disabled,
                    speed_scale=speed,
                    time_limit=time_limit,
                    method=method,
                )
            except (MCLPError, CoverageError) as err:
                msg = str(err)
                param = next((p for p in ("movable", "disabled", "weight") if p in msg), "k")
                raise BadParameter(param, msg) from None
            memo[key] = s.to_dict()
            if len(memo) > SUGGEST_MEMO_SIZE:
                memo.popitem(last=False)
        memo.move_to_end(key)
        return jsonify(memo[key])

    return bp
