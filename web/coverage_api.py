"""JSON API of the police circle: GET /api/v1/coverage and /api/v1/coverage/suggest.

Both answer within the asker's grids: the per-grid figures, the worst grids and the KPIs are those
of the grids inside the scope, and incident figures count only the incidents inside it. The scope
is part of every memo key, beside the incident store's version.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from gridmap.access.roles import Scope
from gridmap.coverage.mclp import DEFAULT_TIME_LIMIT_S
from gridmap.coverage.model import CoverageModel
from gridmap.coverage.params import (
    DEFAULT_MINUTES,
    MAX_MINUTES,
    MAX_SPEED_SCALE,
    MIN_MINUTES,
    MIN_SPEED_SCALE,
)
from gridmap.coverage.suggest import MAX_K, WEIGHTS, suggest_posts
from gridmap.errors import CoverageError, GridmapError, MCLPError, ParameterError
from web.cache import cache
from web.coverage_figures import answer, figures  # noqa: F401 (figures: the planner's tiles)

#: Domain parameter names (``CoverageModel.coverage``, ``suggest_posts``) -> query parameters.
QUERY_PARAMETER: dict[str, str] = {
    "minutes": "minutes",
    "speed_scale": "speed_scale",
    "extra_posts": "extra",
    "disabled_posts": "disabled",
    "k": "k",
    "weight": "weight",
    "movable": "movable",
    "method": "method",
    "time_limit": "time_limit",
}


def _as_parameter_error(err: GridmapError, default: str) -> ParameterError:
    """Return the domain error as a ParameterError naming the query parameter (by attribute)."""
    return ParameterError(QUERY_PARAMETER.get(err.parameter or "", default), str(err))


class CoverageBlueprint(Blueprint):
    """A Blueprint that also holds where its model and incidents come from."""

    def __init__(
        self,
        name: str,
        get_model: Callable[[], CoverageModel],
        get_incidents: Callable[[Scope], Any] | None,
        incident_version: Callable[[], int] | None,
        url_prefix: str,
        get_scope: Callable[[], Scope] = Scope.everything,
        get_counts: Callable[[Scope], Mapping[str, int]] | None = None,
    ):
        super().__init__(name, __name__, url_prefix=url_prefix)
        self.get_model = get_model
        self.get_incidents = get_incidents
        self.get_counts = get_counts
        self.incident_version = incident_version
        self.get_scope = get_scope

    def incidents(self, scope: Scope) -> Any:
        """Return the points of the incidents inside ``scope``, or None when there are none."""
        if self.get_incidents is None:
            return None
        points = self.get_incidents(scope)
        return points if points is not None and len(points) else None

    def version(self) -> int:
        """Return the incident store's version (0 when it is not known)."""
        return int(self.incident_version()) if self.incident_version is not None else 0


# The suggestion (seconds of MILP) is memoized with flask-caching on primitive arguments only.
# The model and the incidents are reached through the blueprint registered on the current app
# under ``blueprint`` (a primitive): no module registry to go stale between apps, and each app's
# cache holds its own entries. ``incident_version`` is part of the key, so a suggestion weighted
# by incidents is recomputed once new incidents arrive (and not before).
@cache.memoize()
def suggestion(
    blueprint: str,
    k: int,
    minutes: float,
    speed: float,
    weight: str,
    movable: tuple[str, ...],
    disabled: tuple[str, ...],
    method: str,
    time_limit: float,
    incident_version: int,
    roots: tuple[str, ...] | None = None,
) -> dict:
    """Return the JSON-ready suggestion of :func:`gridmap.coverage.suggest.suggest_posts`.

    Parameters
    ----------
    blueprint : str
        Name under which the :class:`CoverageBlueprint` is registered on the current app.
    k, minutes, speed, weight, movable, disabled, method, time_limit
        The query, already checked (see :func:`create_blueprint`).
    incident_version : int
        The incident store's version when ``weight`` is ``"incidents"`` (part of the key).
    roots : tuple of str or None
        The asker's scope (``Scope.roots``) when ``weight`` is ``"incidents"``: only the
        incidents inside it weigh. A population suggestion reads no incident and is shared.

    Raises
    ------
    ParameterError
        No incident data for ``weight="incidents"``, or a domain error, naming the query
        parameter (``k`` when it names none).
    """
    bp = current_app.blueprints[blueprint]
    incs = bp.incidents(Scope(roots)) if weight == "incidents" else None
    if weight == "incidents" and incs is None:
        raise ParameterError("weight", "no incident data is available")
    try:
        found = suggest_posts(
            bp.get_model(),
            k,
            minutes,
            weight=weight,
            incidents=incs,
            movable=list(movable),
            disabled_posts=list(disabled),
            speed_scale=speed,
            time_limit=time_limit,
            method=method,
        )
    except (MCLPError, CoverageError) as err:
        raise _as_parameter_error(err, "k") from None
    return found.to_dict()


def _number(name: str, default: float, lo: float, hi: float, integer: bool = False) -> float:
    raw = request.args.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "an integer" if integer else "a number"
        raise ParameterError(name, f"must be {kind}, got {raw!r}") from None
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ParameterError(name, f"must be between {lo:g} and {hi:g}, got {raw!r}")
    return value


def _ids(name: str, known: set[str]) -> list[str]:
    raw = request.args.get(name, "")
    ids = [p.strip() for p in raw.split(",") if p.strip()]
    unknown = [p for p in ids if p not in known]
    if unknown:
        raise ParameterError(name, f"unknown post id(s) {', '.join(unknown[:10])}")
    return ids


def _points(name: str) -> list[tuple[float, float]]:
    raw = request.args.get(name, "")
    out = []
    for part in (p for p in raw.split(";") if p.strip()):
        try:
            lon, lat = (float(v) for v in part.split(","))
        except ValueError:
            raise ParameterError(name, f"must be 'lon,lat;lon,lat...', got {part!r}") from None
        if not (
            math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90
        ):
            raise ParameterError(name, f"not a lon,lat pair: {part!r}")
        out.append((lon, lat))
    return out


def _choice(name: str, default: str, allowed: tuple[str, ...]) -> str:
    raw = request.args.get(name, default)
    if raw not in allowed:
        raise ParameterError(name, f"must be one of {', '.join(allowed)}, got {raw!r}")
    return raw


def _flag(name: str, default: bool) -> bool:
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ParameterError(name, f"must be 1 or 0, got {raw!r}")


def create_blueprint(
    get_model: Callable[[], CoverageModel] | CoverageModel,
    *,
    get_incidents: Callable[[Scope], Any] | None = None,
    incident_version: Callable[[], int] | None = None,
    scope: Callable[[], Scope] = Scope.everything,
    get_counts: Callable[[Scope], Mapping[str, int]] | None = None,
    url_prefix: str = "/api/v1",
    name: str = "coverage_api",
) -> Blueprint:
    """Build the Blueprint serving coverage figures and post suggestions.

    The app must have :data:`web.cache.cache` initialised (suggestions are memoized in it).

    Parameters
    ----------
    get_model : callable or CoverageModel
        Returns the (already built) :class:`CoverageModel` of the current data.
    get_incidents : callable, optional
        ``get_incidents(scope)`` returns the points of the incidents inside a
        :class:`~gridmap.access.roles.Scope` (GeoSeries or (n, 2) lon/lat) for the incident
        figures (when ``get_counts`` is not given) and ``weight=incidents``; without either
        incident figures are zero.
    incident_version : callable, optional
        Returns the incident store's version (an int bumped by every write), part of the key
        of the memoized figures and suggestions weighted by incidents.
    scope : callable, optional
        Returns the grids the current request may see (:func:`web.auth.current_scope` in the
        app; default the whole district).
    get_counts : callable, optional
        ``get_counts(scope)`` returns the incidents per level-5 grid id inside a scope (e.g.
        ``IncidentStore.counts_by_grid(5, within=...)``): the coverage figures then count each
        incident as its grid's covered share of area and read no point (see
        :func:`web.coverage_figures.figures`).
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
    model_of = get_model if callable(get_model) else (lambda: get_model)
    bp = CoverageBlueprint(
        name, model_of, get_incidents, incident_version, url_prefix, scope, get_counts
    )

    @bp.errorhandler(ParameterError)
    def bad_parameter(err: ParameterError):
        return jsonify(error=str(err), parameter=err.parameter), 400

    @bp.get("/coverage")
    def coverage():
        """Return KPIs, per-grid figures and (optionally) coverage and gap polygons."""
        m = bp.get_model()
        minutes = _number("minutes", DEFAULT_MINUTES, MIN_MINUTES, MAX_MINUTES)
        raw_level = request.args.get("level")
        level = None if raw_level in (None, "") else int(_number("level", 5, 1, 5, integer=True))
        speed = _number("speed_scale", 1.0, MIN_SPEED_SCALE, MAX_SPEED_SCALE)
        disabled = _ids("disabled", set(m.post_ids))
        extra = _points("extra")
        geometry = _flag("geometry", True)
        worst = int(_number("worst", 10, 0, 1000, integer=True))
        try:
            text = answer(
                request.blueprint, minutes, speed, tuple(map(tuple, extra)), tuple(disabled),
                level, geometry, worst, bp.version(), bp.get_scope().roots,
            )  # fmt: skip
        except CoverageError as err:
            raise _as_parameter_error(err, "minutes") from None
        return current_app.response_class(text, mimetype="application/json")

    @bp.get("/coverage/suggest")
    def suggest():
        """Return K new post sites maximising the people (or incidents) newly covered."""
        m = bp.get_model()
        k = int(_number("k", 10, 1, MAX_K, integer=True))
        minutes = _number("minutes", DEFAULT_MINUTES, MIN_MINUTES, MAX_MINUTES)
        speed = _number("speed_scale", 1.0, MIN_SPEED_SCALE, MAX_SPEED_SCALE)
        weight = _choice("weight", "population", WEIGHTS)
        movable = _ids("movable", set(m.post_ids))
        disabled = _ids("disabled", set(m.post_ids))
        method = _choice("method", "auto", ("auto", "milp", "greedy"))
        time_limit = _number("time_limit", DEFAULT_TIME_LIMIT_S, 0.1, 60.0)
        by_incidents = weight == "incidents"
        version = bp.version() if by_incidents else 0
        roots = bp.get_scope().roots if by_incidents else None
        body = suggestion(
            request.blueprint,
            k,
            minutes,
            speed,
            weight,
            tuple(movable),
            tuple(disabled),
            method,
            time_limit,
            version,
            roots,
        )
        return jsonify(body)

    return bp
