"""JSON API of the police circle: GET /api/v1/coverage and /api/v1/coverage/suggest.

Both answer within the asker's grids: the per-grid figures, the worst grids and the KPIs are those
of the grids inside the scope, and incident figures count only the incidents inside it. The scope
is part of every memo key, beside the incident store's version.
"""

from __future__ import annotations

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
from gridmap.coverage.profiles import DEFAULT_PROFILE, PROFILES
from gridmap.coverage.suggest import MAX_K, WEIGHTS, suggest_posts
from gridmap.errors import CoverageError, MCLPError, ParameterError
from web import api_models as models
from web import coverage_planning
from web.cache import cache
from web.compression import compressed_once
from web.coverage_figures import answer, figures  # noqa: F401 (figures: the planner's tiles)
from web.coverage_params import as_parameter_error, choice, flag, ids, number, points
from web.openapi import documented


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
    profile: str = DEFAULT_PROFILE,
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
    profile : str
        The time-of-day speed profile.

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
            profile=profile,
        )
    except (MCLPError, CoverageError) as err:
        raise as_parameter_error(err, "k") from None
    return found.to_dict()


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
    @documented(
        "coverage", query=models.CoverageQuery,
        answers={200: models.Coverage, 400: models.ErrorAnswer},
    )  # fmt: skip
    def coverage():
        """Return KPIs, per-grid figures and (optionally) coverage and gap polygons."""
        m = bp.get_model()
        minutes = number("minutes", DEFAULT_MINUTES, MIN_MINUTES, MAX_MINUTES)
        raw_level = request.args.get("level")
        level = None if raw_level in (None, "") else int(number("level", 5, 1, 5, integer=True))
        speed = number("speed_scale", 1.0, MIN_SPEED_SCALE, MAX_SPEED_SCALE)
        disabled = ids("disabled", set(m.post_ids))
        extra = points("extra")
        geometry = flag("geometry", True)
        profile = choice("profile", DEFAULT_PROFILE, tuple(PROFILES))
        worst = int(number("worst", 10, 0, 1000, integer=True))
        query = (
            request.blueprint, minutes, speed, tuple(map(tuple, extra)), tuple(disabled),
            level, geometry, worst, bp.version(), bp.get_scope().roots, profile,
        )  # fmt: skip
        try:
            # The answer (1.6 MB with its polygons) is compressed once per query and version.
            return compressed_once(repr(query), lambda: answer(*query), "application/json")
        except CoverageError as err:
            raise as_parameter_error(err, "minutes") from None

    @bp.get("/coverage/suggest")
    @documented(
        "coverage", query=models.SuggestQuery,
        answers={200: models.Suggestion, 400: models.ErrorAnswer},
    )  # fmt: skip
    def suggest():
        """Return K new post sites maximising the people (or incidents) newly covered."""
        m = bp.get_model()
        k = int(number("k", 10, 1, MAX_K, integer=True))
        minutes = number("minutes", DEFAULT_MINUTES, MIN_MINUTES, MAX_MINUTES)
        speed = number("speed_scale", 1.0, MIN_SPEED_SCALE, MAX_SPEED_SCALE)
        weight = choice("weight", "population", WEIGHTS)
        movable = ids("movable", set(m.post_ids))
        disabled = ids("disabled", set(m.post_ids))
        method = choice("method", "auto", ("auto", "milp", "greedy"))
        profile = choice("profile", DEFAULT_PROFILE, tuple(PROFILES))
        time_limit = number("time_limit", DEFAULT_TIME_LIMIT_S, 0.1, 60.0)
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
            profile,
        )
        return jsonify(body)

    coverage_planning.add_routes(bp)
    return bp
