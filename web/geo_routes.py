"""HTTP routes serving display geometry: compressed, cacheable, versioned by the data's hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from flask import Blueprint, Response, abort, request

from gridmap.access.roles import Scope
from gridmap.coverage.compare import difference_geojson
from gridmap.coverage.scenario import ScenarioError, parse_query, scenario_coverage, scenario_times
from gridmap.coverage.time_layer import time_image, time_layer
from gridmap.errors import CoverageError
from gridmap.grids import display_geometry
from gridmap.grids.schema import LEVELS
from gridmap.views.urls import SCOPED_FROM_LEVEL
from web import api_models as models
from web.auth import current_scope
from web.cache import cache
from web.openapi import documented
from web.runtime import current

#: The URL carries the data's version, so a payload never changes: browsers keep it a year.
CACHE_CONTROL = "public, max-age=31536000, immutable"
#: A scope's own grids: kept a year by the reader's browser, by no shared cache.
PRIVATE_CACHE_CONTROL = "private, max-age=31536000, immutable"

Payload = display_geometry.GeoJSONPayload


@cache.memoize()
def _payload(kind: str, level: int) -> Payload:
    district = current().district
    if kind == "level":
        return display_geometry.level_geojson(district, level)
    if kind in ("roads-major", "roads-minor"):
        return display_geometry.roads_geojson(district, major=kind == "roads-major")
    return display_geometry.water_geojson(district)


@cache.memoize()
def _scoped_payload(level: int, scope_key: str) -> Payload:
    district = current().district
    scope = Scope.of(scope_key.split(","))
    return display_geometry.level_geojson(
        district, level, lambda grid: scope.contains(district.chain(grid))
    )


def _send(payload: Payload, cache_control: str = CACHE_CONTROL) -> Response:
    if request.if_none_match.contains(payload.etag):
        response = Response(status=304)
    elif "gzip" in request.accept_encodings:
        response = Response(payload.gzipped, mimetype="application/geo+json")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(payload.raw, mimetype="application/geo+json")
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = cache_control
    response.set_etag(payload.etag)
    return response


def _refusal(status: int, message: str) -> Response:
    body = json.dumps({"error": message, "status": status, "parameter": "scope"})
    return Response(body, status=status, mimetype="application/json")


@cache.memoize()
def _coverage_payload(kind: str, query: str) -> Payload:
    result = scenario_coverage(current().coverage_model, parse_query(query))
    feature = next(f for f in result.geojson()["features"] if f["properties"]["kind"] == kind)
    return Payload.from_obj({"type": "FeatureCollection", "features": [feature]})


@cache.memoize()
def _times_payload(query: str) -> Payload:
    model = current().coverage_model
    return Payload.from_obj(
        time_layer(model, scenario_times(model, parse_query(query)).cell_seconds)
    )


@cache.memoize()
def _difference_payload(kind: str, query_a: str, query_b: str) -> Payload:
    model = current().coverage_model
    a = scenario_coverage(model, parse_query(query_a))
    b = scenario_coverage(model, parse_query(query_b))
    doc = difference_geojson(model, a, b)
    feature = next(f for f in doc["features"] if f["id"] == kind)
    return Payload.from_obj({"type": "FeatureCollection", "features": [feature]})


@cache.memoize()
def _times_png(query: str) -> bytes:
    model = current().coverage_model
    return time_image(model, scenario_times(model, parse_query(query)).cell_seconds)


def _send_png(data: bytes) -> Response:
    etag = hashlib.sha256(data).hexdigest()[:32]
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(data, mimetype="image/png")
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.set_etag(etag)
    return response


def create_blueprint(
    version: str,
    *,
    layer_payload: Callable[[str, int], Payload] = _payload,
    scoped_payload: Callable[[int, str], Payload] = _scoped_payload,
    coverage_payload: Callable[[str, str], Payload] = _coverage_payload,
    times_payload: Callable[[str], Payload] = _times_payload,
    difference_payload: Callable[[str, str, str], Payload] = _difference_payload,
    name: str = "geo",
    url_prefix: str = "/geo",
) -> Blueprint:
    """Build the blueprint serving the display-geometry layers of one data version.

    Parameters
    ----------
    version : str
        The loaded data's version; URLs naming another one answer 404.
    layer_payload : callable, optional
        Returns the payload of a layer kind (``level``, ``roads-major``, ``roads-minor``,
        ``water``) and level (0 for the non-level layers); default memoized.
    scoped_payload : callable, optional
        Returns the payload of a level's grids inside a scope (its ``Scope.key()``).
    coverage_payload : callable, optional
        Returns the payload of ``coverage`` or ``gaps`` for a normalised scenario query.
    times_payload : callable, optional
        Returns the response-time classes of a normalised scenario query.
    difference_payload : callable, optional
        Returns the places ``gained`` or ``lost`` from scenario A to B (normalised queries).
    name, url_prefix : str
        Blueprint name and URL prefix.

    Returns
    -------
    flask.Blueprint
        ``GET {prefix}/<version>/<name>.geojson``, ``.../coverage-<kind>.geojson`` and
        ``.../times.geojson`` (the response-time classes of the scenario in the query).
    """
    blueprint = Blueprint(name, __name__, url_prefix=url_prefix)

    def check_version(asked: str) -> None:
        if asked != version:
            abort(404, description=f"geometry version {asked!r} is not the loaded data's")

    versions = {"version": {"enum": [version], "description": "The data_version of health"}}
    geojson = {200: {"application/geo+json": None}}

    @blueprint.get("/<version>/coverage-<kind>.geojson")
    @documented(
        "geometry", query=models.ScenarioQuery,
        answers={200: models.FeatureCollection, 304: None, 400: models.ErrorAnswer,
                 404: models.ErrorAnswer},
        media=geojson, json_media=False,
        path={**versions, "kind": {"enum": ["coverage", "gaps"]}},
    )  # fmt: skip
    def coverage_layer(version: str, kind: str) -> Response:
        """Serve the coverage or gap polygons of the scenario in the query string."""
        check_version(version)
        if kind not in ("coverage", "gaps"):
            abort(404, description=f"no coverage layer {kind!r}")
        try:
            scenario = parse_query(request.query_string.decode())
            return _send(coverage_payload(kind, scenario.to_query()))
        except (ScenarioError, CoverageError) as error:
            body = json.dumps({"error": str(error)})
            return Response(body, status=400, mimetype="application/json")

    @blueprint.get("/<version>/times.geojson")
    @documented(
        "geometry", query=models.ScenarioQuery,
        answers={200: models.FeatureCollection if "times.geojson".endswith("json") else None,
                  304: None, 400: models.ErrorAnswer, 404: models.ErrorAnswer},
        media=geojson, json_media=False,
        path=versions,
    )  # fmt: skip
    def times_layer(version: str) -> Response:
        """Serve the response-time classes of the scenario in the query string."""
        check_version(version)
        try:
            scenario = parse_query(request.query_string.decode())
            return _send(times_payload(scenario.to_query()))
        except (ScenarioError, CoverageError) as error:
            body = json.dumps({"error": str(error)})
            return Response(body, status=400, mimetype="application/json")

    @blueprint.get("/<version>/times.png")
    @documented(
        "geometry", query=models.ScenarioQuery,
        answers={200: models.FeatureCollection if "times.png".endswith("json") else None,
                  304: None, 400: models.ErrorAnswer, 404: models.ErrorAnswer},
        media={200: {"image/png": None}}, json_media=False,
        path=versions,
    )  # fmt: skip
    def times_image(version: str) -> Response:
        """Serve the response-time classes of the scenario as an image (a pixel a cell)."""
        check_version(version)
        try:
            scenario = parse_query(request.query_string.decode())
            return _send_png(_times_png(scenario.to_query()))
        except (ScenarioError, CoverageError) as error:
            body = json.dumps({"error": str(error)})
            return Response(body, status=400, mimetype="application/json")

    @blueprint.get("/<version>/difference-<kind>.geojson")
    @documented(
        "geometry", query=models.DifferenceQuery,
        answers={200: models.FeatureCollection, 304: None, 400: models.ErrorAnswer,
                 404: models.ErrorAnswer},
        media=geojson, json_media=False,
        path={**versions, "kind": {"enum": ["gained", "lost"]}},
    )  # fmt: skip
    def difference_layer(version: str, kind: str) -> Response:
        """Serve the places gained or lost from scenario ``a`` to ``b`` (each a query string)."""
        check_version(version)
        if kind not in ("gained", "lost"):
            abort(404, description=f"no difference layer {kind!r}")
        try:
            a = parse_query(request.args.get("a", "")).to_query()
            b = parse_query(request.args.get("b", "")).to_query()
            return _send(difference_payload(kind, a, b))
        except (ScenarioError, CoverageError) as error:
            body = json.dumps({"error": str(error)})
            return Response(body, status=400, mimetype="application/json")

    def level_layer(level: int) -> Response:
        if level < SCOPED_FROM_LEVEL:
            return _send(layer_payload("level", level))
        asked = request.args.get("scope", "")
        reader = current_scope()
        if not reader.is_all:
            # A scoped reader gets only their own grids, at the URL naming their scope.
            if asked != reader.key():
                return _refusal(
                    403,
                    f"level {level} is served only inside your grids: ask with "
                    f"?scope={reader.key()}",
                )
            return _send(scoped_payload(level, asked), PRIVATE_CACHE_CONTROL)
        if not asked:
            return _send(layer_payload("level", level))
        roots = asked.split(",")
        unknown = [root for root in roots if root not in current().district]
        if unknown:
            return _refusal(400, f"scope: no grid {unknown[0]!r} in the district")
        return _send(scoped_payload(level, Scope.of(roots).key()), PRIVATE_CACHE_CONTROL)

    @blueprint.get("/<version>/<name>.geojson")
    @documented(
        "geometry",
        query=models.GeometryQuery,
        answers={200: models.FeatureCollection, 304: None, 400: models.ErrorAnswer,
                 403: models.ErrorAnswer, 404: models.ErrorAnswer},
        media=geojson, json_media=False,
        path={**versions, "name": {"enum": [*(f"level-{n}" for n in LEVELS),
                                            "roads-major", "roads-minor", "water"]}},
    )  # fmt: skip
    def layer(version: str, name: str) -> Response:
        """Serve one geometry layer; 404 for an unknown layer or a stale version.

        From level 3 the grids are a scope's: a reader seeing part of the district asks with
        ``?scope=`` their scope (403 otherwise) and gets their grids only; a reader of the
        whole district gets every grid, or those of the scope asked (400 for an unknown grid).
        """
        check_version(version)
        # Canonical names only: "level-05" or "level-５" (a full-width digit) is no alias.
        if name in {f"level-{level}" for level in LEVELS}:
            return level_layer(int(name[6:]))
        if name in ("roads-major", "roads-minor", "water"):
            return _send(layer_payload(name, 0))
        abort(404, description=f"no geometry layer {name!r}")

    return blueprint
