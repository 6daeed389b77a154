"""Reading the requests of the incidents API: JSON bodies, status changes, query parameters.

Each reader raises a domain error naming the bad field or parameter (or returns an error answer
for a body that cannot be read at all); :mod:`web.incidents_api` maps them to HTTP answers.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import Response, jsonify, request

from gridmap.clock import Clock
from gridmap.errors import GridmapError, IntakeError
from gridmap.incidents.categories import CATEGORY_IDS, STATUSES
from gridmap.incidents.intake import FUTURE_TOLERANCE, parse_time, text_problem
from gridmap.incidents.tables import MAX_LENGTHS

#: Default and largest ``limit`` of a GET.
DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
FORMATS = {"json": "application/json", "geojson": "application/geo+json", "csv": "text/csv"}


def status_change(body: Any, now: Clock) -> tuple[str, datetime | None, str | None]:
    """Return the status, time and unit of a PATCH body.

    Raises
    ------
    IntakeError
        The body is not such an object; ``field`` names the bad field (``"body"`` when the
        body itself is wrong).
    """
    if not isinstance(body, dict):
        raise IntakeError('body must be an object like {"status": "dispatched"}', field="body")
    unknown = sorted(set(body) - {"status", "at", "unit"})
    if unknown:
        raise IntakeError(
            f"unknown field(s) {unknown}; known: status, at, unit", field=str(unknown[0])
        )
    status = body.get("status")
    if status not in STATUSES:
        raise IntakeError(
            f"'status' must be one of {', '.join(STATUSES)}, got {status!r}", field="status"
        )
    at = None
    if body.get("at") not in (None, ""):
        try:
            at = parse_time(body["at"])
        except ValueError as exc:
            raise IntakeError(f"'at': {exc}", field="at") from None
        if at > now() + FUTURE_TOLERANCE:
            raise IntakeError(f"'at': {at.isoformat()} is in the future", field="at")
    unit = body.get("unit")
    if unit is not None and (not isinstance(unit, str) or len(unit) > MAX_LENGTHS["unit"]):
        raise IntakeError(
            f"'unit' must be a string of at most {MAX_LENGTHS['unit']} chars", field="unit"
        )
    if unit is not None and text_problem(unit):
        raise IntakeError(f"'unit' {text_problem(unit)}", field="unit")
    return status, at, unit


def query_args(now: Clock | None = None) -> tuple[dict[str, Any], int, int, str]:
    """Return the filters, limit, offset and format of a GET.

    ``overdue=true`` keeps the cases past their running deadline at ``now()``, and
    ``due_before=TIME`` those due before TIME (both: the earlier); ``overdue=false`` is no
    filter.

    Raises
    ------
    GridmapError
        A parameter that cannot be used (``parameter`` names it).
    IntakeError
        A parameter holding text no database stores (NUL, lone surrogate): 422.
    """
    args = request.args
    known = {"grid", "level", "from", "to", "category", "status", "limit", "offset", "format",
             "overdue", "due_before"}  # fmt: skip
    unknown = sorted(set(args) - known)
    if unknown:
        raise GridmapError(
            f"unknown parameter(s) {unknown}; known: {', '.join(sorted(known))}",
            parameter=str(unknown[0]),
        )
    filters: dict[str, Any] = {}
    for name in sorted(known & set(args)):
        for value in args.getlist(name):
            if text_problem(value):
                raise IntakeError(f"'{name}' {text_problem(value)}", field=name)
    if args.get("grid"):
        filters["grid"] = args["grid"]
    if args.get("level"):
        level = _int(args["level"], "level", 1, 5)
        filters["grid_level"] = level
    for name, key in (("from", "start"), ("to", "end"), ("due_before", "due_before")):
        if args.get(name):
            try:
                filters[key] = parse_time(args[name])
            except ValueError as exc:
                raise GridmapError(f"'{name}': {exc}", parameter=name) from None
    for name, key, known_values in (
        ("category", "categories", CATEGORY_IDS),
        ("status", "statuses", STATUSES),
    ):
        values = [v for raw in args.getlist(name) for v in raw.split(",") if v]
        if values:
            bad = sorted(set(values) - set(known_values))
            if bad:
                raise GridmapError(
                    f"unknown {name}(s) {bad}; known: {', '.join(known_values)}", parameter=name
                )
            filters[key] = values
    overdue = args.get("overdue")
    if overdue is not None and overdue.lower() not in ("true", "false", "1", "0"):
        raise GridmapError(f"'overdue' must be true or false, got {overdue!r}",
                           parameter="overdue")  # fmt: skip
    if overdue is not None and overdue.lower() in ("true", "1") and now is not None:
        filters["due_before"] = min(filters.get("due_before") or now(), now())
    limit = _int(args.get("limit", DEFAULT_LIMIT), "limit", 1, MAX_LIMIT)
    offset = _int(args.get("offset", 0), "offset", 0, 10**9)
    fmt = args.get("format")
    if fmt is None:
        best = request.accept_mimetypes.best_match(list(FORMATS.values()), "application/json")
        fmt = next(k for k, v in FORMATS.items() if v == best)
    if fmt not in FORMATS:
        raise GridmapError(
            f"'format' must be one of {', '.join(FORMATS)}, got {fmt!r}", parameter="format"
        )
    return filters, limit, offset, fmt


def _int(value: Any, name: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise GridmapError(f"'{name}' must be an integer, got {value!r}", parameter=name) from None
    if not low <= number <= high:
        raise GridmapError(
            f"'{name}' must be between {low} and {high}, got {number}", parameter=name
        )
    return number


def read_body(max_bytes: int) -> Any:
    """Return the parsed JSON body, or an error response.

    415 when the body is not declared ``application/json``, 413 too large, 400 malformed.
    An integer too long for Python to read (over 4,300 digits) becomes an infinite float,
    so the record's own check names the field and the rest of the batch is kept.
    """
    if request.mimetype != "application/json":
        given = request.mimetype or "none"
        return error(415, f"Content-Type must be application/json, got {given}")
    length = request.content_length
    if length is not None and length > max_bytes:
        return error(413, f"request body of {length} bytes; at most {max_bytes}")
    data = request.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        return error(413, f"request body larger than {max_bytes} bytes")
    if not data.strip():
        return error(400, "empty body; expected JSON")
    try:
        return json.loads(data.decode("utf-8"), parse_int=_parse_int)
    except UnicodeDecodeError:
        return error(400, "body is not UTF-8 text")
    except json.JSONDecodeError as exc:
        return error(400, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    except RecursionError:
        return error(400, "malformed JSON: nested too deeply")
    except ValueError as exc:  # anything else json refuses to read
        return error(400, f"malformed JSON: {exc}"[:200])


def _parse_int(text: str) -> int | float:
    """Read a JSON integer; one beyond Python's digit limit becomes +-inf (refused later)."""
    try:
        return int(text)
    except ValueError:
        return float("-inf") if text.startswith("-") else float("inf")


def json_answer(payload: Any, code: int, mimetype: str = "application/json") -> Response:
    """Return ``payload`` as a JSON answer with status ``code``."""
    response = jsonify(payload)
    response.status_code = code
    response.mimetype = mimetype
    return response


def error(
    code: int,
    message: str,
    *,
    auth: bool = False,
    parameter: str | None = None,
    field: str | None = None,
) -> Response:
    """Return the JSON error answer ``{error, status[, parameter][, field]}``.

    A 401 carries the Bearer challenge.
    """
    payload: dict[str, Any] = {"error": message, "status": code}
    if parameter:
        payload["parameter"] = parameter
    if field:
        payload["field"] = field
    response = json_answer(payload, code)
    if auth:
        response.headers["WWW-Authenticate"] = 'Bearer realm="gridmap"'
    return response
