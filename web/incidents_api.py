"""Flask blueprint of the incidents API: intake from the grid app, dispatch updates, queries.

Endpoints (every one needs ``Authorization: Bearer <GRIDMAP_API_TOKEN>``; with no token
configured the API answers 503 and stores nothing, it is never open):

``POST /api/v1/incidents``
    One record, a list, or ``{"incidents": [...]}`` (fields: :mod:`gridmap.incidents.intake`).
    At most :data:`MAX_RECORDS` records and :data:`MAX_BYTES` bytes per request (413 beyond).
    The body must be ``application/json`` (415 otherwise).
    Answers ``{received, stored, duplicates, stored_ids, duplicate_ids, rejected: [{index, id,
    field, message}], conflicts: [{id, fields}]}`` with 201 (something stored, nothing refused),
    200 (all already stored: a retry), 207 (some refused or in conflict, the rest stored),
    409 (every valid record a conflict) or 422 (all refused). A conflict is an id already
    stored (or earlier in the batch) sent with other content; ``fields`` names what differs.
    Its new content is not stored.
``PATCH /api/v1/incidents/<id>``
    ``{"status": "dispatched", "at": "...", "unit": "..."}``: 200 with the incident, 404 unknown
    id, 409 illegal transition, 422 bad body.
``GET /api/v1/incidents[/<id>]``
    Filters ``grid`` (any level), ``from``/``to`` (ISO-8601, ``from <= reported_at < to``),
    ``category`` and ``status`` (comma-separated or repeated), ``overdue=true`` and
    ``due_before`` (open cases past / due before a deadline), ``limit`` (default 1,000, at most
    10,000), ``offset``; ``format=json|geojson|csv`` or the ``Accept`` header. CSV cells are
    spreadsheet-safe (:func:`gridmap.csv_cells.csv_text`).

A busy or unreachable database answers 503 with ``Retry-After`` (nothing of that request is
stored); text holding NUL or a lone surrogate (a body field, ``?grid=``, the id in the path)
answers 422 naming the field, on every database.

Scope: every answer holds only the incidents inside the asker's grids (the principal's
:class:`~gridmap.access.roles.Scope`, filtered in SQL). An incident outside them answers 404
exactly like an unknown id (GET and PATCH); a ``grid=`` outside them answers 403 naming the
parameter; a sender limited to some grids has each record elsewhere refused ("outside the
token's grid"). Every POST and every status change is one row of the audit trail.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, request

from gridmap.access.roles import Principal, Scope
from gridmap.clock import Clock, system_clock
from gridmap.csv_cells import csv_text
from gridmap.errors import (
    GridmapError,
    IllegalTransition,
    IncidentNotFound,
    IntakeError,
    StoreError,
)
from gridmap.incidents.assign import GridAssigner
from gridmap.incidents.intake import records_of, text_problem, validate_records
from gridmap.incidents.scoping import GridChains
from gridmap.incidents.store import IncidentStore
from gridmap.incidents.tables import COLUMNS, STATUS_TIME
from web.auth import LEGACY_TOKEN
from web.error_answers import RETRY_AFTER
from web.incident_requests import (
    FORMATS,
    error,
    json_answer,
    query_args,
    read_body,
    status_change,
)

#: Most records accepted in one POST.
MAX_RECORDS = 1000
#: Largest request body accepted, in bytes (2 MiB).
MAX_BYTES = 2 * 1024 * 1024
#: Most incident ids listed in the audit row of one POST (the counts are always complete).
AUDIT_IDS = 50

#: ``audit(actor, action, target, address=..., detail=...)``, as :meth:`AuditLog.record`.
Audit = Callable[..., None]


def create_blueprint(
    store: IncidentStore | Callable[[], IncidentStore],
    assigner: GridAssigner | Callable[[], GridAssigner],
    *,
    token: str | None,
    guarded: bool = False,
    principal: Callable[[], Principal | None] = lambda: LEGACY_TOKEN,
    audit: Audit | None = None,
    max_records: int = MAX_RECORDS,
    max_bytes: int = MAX_BYTES,
    clock: Clock = system_clock,
    name: str = "incidents",
    url_prefix: str = "/api/v1",
) -> Blueprint:
    """Build the incidents blueprint.

    Parameters
    ----------
    store : IncidentStore or callable returning one
        Where incidents live (a callable is called per request, e.g. to open lazily).
    assigner : GridAssigner or callable returning one
        The district's grids, for the "inside the district" rule and grid ids.
    token : str or None
        The bearer token (``GRIDMAP_API_TOKEN``); empty or None refuses every request (503).
    guarded : bool
        True when the app's request guard (:mod:`web.auth`) checks people, tokens and rights
        before the blueprint: then ``token`` is not checked here.
    principal : callable
        Returns who asks in the current request (:func:`web.auth.current_principal` in the
        app); its scope bounds every answer and write (None: nothing). Default: the holder of
        ``token``, which sees the whole district.
    audit : callable, optional
        ``audit(actor, action, target, address=, detail=)`` (:meth:`AuditLog.record`): one row
        per POST (``incident-write``, the ids stored, clipped) and per status change
        (``incident-status``). None records nothing.
    max_records, max_bytes : int
        Limits of one POST (413 beyond).
    clock : callable
        Returns the current aware datetime (default the system clock; the app passes
        ``runtime.clock``, tests a fake one).
    name, url_prefix : str
        Blueprint name and URL prefix.

    Returns
    -------
    flask.Blueprint
    """
    blueprint = Blueprint(name, __name__, url_prefix=url_prefix)
    now = clock

    def get_store() -> IncidentStore:
        return store if isinstance(store, IncidentStore) else store()

    def get_assigner() -> GridAssigner:
        return assigner if isinstance(assigner, GridAssigner) else assigner()

    built: list[tuple[GridAssigner, GridChains]] = []

    def tree() -> GridChains:
        """Return the grid chains of the current assigner (built once per assigner)."""
        current = get_assigner()
        if not built or built[0][0] is not current:
            built[:] = [(current, GridChains(current.ancestors))]
        return built[0][1]

    def scope_of(asker: Principal | None) -> Scope:
        return asker.scope if asker is not None else Scope.of([])

    def record(action: str, target: str, detail: dict[str, Any]) -> None:
        if audit is None:
            return
        asker = principal()
        audit(
            asker.label() if asker is not None else "anonymous",
            action,
            target,
            address=request.remote_addr or "",
            detail=detail,
        )

    @blueprint.before_request
    def _authorize() -> Response | None:
        if guarded:
            return None  # the app's request guard (web.auth) has checked who asks and may
        if not token:
            return error(503, "incident API disabled: GRIDMAP_API_TOKEN is not set")
        header = request.headers.get("Authorization", "")
        scheme, _, given = header.partition(" ")
        if not header:
            return error(401, "missing 'Authorization: Bearer <token>' header", auth=True)
        if scheme.lower() != "bearer" or not given.strip():
            return error(401, "Authorization header must be 'Bearer <token>'", auth=True)
        if not hmac.compare_digest(given.strip().encode(), token.encode()):
            return error(401, "invalid token", auth=True)
        return None

    @blueprint.errorhandler(413)
    def _too_large(_exc) -> Response:
        return error(413, f"request body larger than {max_bytes} bytes")

    @blueprint.errorhandler(sa.exc.OperationalError)
    def _database_down(_exc) -> Response:
        return unavailable()

    def bad_id(incident_id: str) -> Response | None:
        problem = text_problem(incident_id)
        return error(422, f"'id' {problem}", field="id") if problem else None

    @blueprint.post("/incidents")
    def post_incidents() -> Response:
        """Store one incident or a batch; report the refused ones."""
        body = read_body(max_bytes)
        if isinstance(body, Response):
            return body
        try:
            records = records_of(body)
        except IntakeError as exc:
            return _error_of(exc)
        if not records:
            return error(400, "no incidents in the request")
        if len(records) > max_records:
            return error(
                413, f"batch of {len(records)} incidents; at most {max_records} per request"
            )
        scope = scope_of(principal())
        result = validate_records(
            records, get_assigner(), now=now(), scope=None if scope.is_all else scope
        )
        inserted = get_store().insert(result.records)
        rejected = [r.as_dict() for r in result.rejected]
        stored = list(inserted.stored)
        conflicts = [c.as_dict() for c in inserted.conflicts]
        # One row per batch (a 1,000-record batch is one write): counts, and the ids clipped.
        record(
            "incident-write",
            ",".join(stored[:AUDIT_IDS]),
            {
                "received": len(records),
                "stored": len(stored),
                "duplicates": len(inserted.same),
                "conflicts": len(conflicts),
                "rejected": len(result.rejected_indexes),
                "ids": stored[:AUDIT_IDS],
                "more_ids": max(0, len(stored) - AUDIT_IDS),
            },
        )
        payload = {
            "received": len(records),
            "stored": len(inserted.stored),
            "duplicates": len(inserted.same),
            "stored_ids": list(inserted.stored),
            "duplicate_ids": list(inserted.same),
            "rejected": rejected,
            "conflicts": conflicts,
        }
        if not result.records:
            code = 422
        elif conflicts and not inserted.stored and not inserted.same and not rejected:
            code = 409
        elif rejected or conflicts:
            code = 207
        elif inserted.stored:
            code = 201
        else:
            code = 200
        return json_answer(payload, code)

    @blueprint.patch("/incidents/<incident_id>")
    def patch_incident(incident_id: str) -> Response:
        """Change the status of one incident (dispatch workflow)."""
        refused = bad_id(incident_id)
        if refused is not None:
            return refused
        body = read_body(max_bytes)
        if isinstance(body, Response):
            return body
        try:
            status, at, unit = status_change(body, now)
            row = get_store().update_status(
                incident_id, status, at=at or now(), unit=unit,
                within=tree().within(scope_of(principal())), actor=principal(),
            )  # fmt: skip
        except (IntakeError, StoreError) as exc:
            return _error_of(exc)
        detail = {"status": status, "at": row.get(STATUS_TIME.get(status, "")), "unit": unit}
        record("incident-status", incident_id, {k: v for k, v in detail.items() if v})
        return json_answer(_plain(row), 200)

    @blueprint.get("/incidents/<incident_id>")
    def get_incident(incident_id: str) -> Response:
        """Return one incident; 404 if unknown or outside the asker's scope."""
        refused = bad_id(incident_id)
        if refused is not None:
            return refused
        row = get_store().get(incident_id, within=tree().within(scope_of(principal())))
        if row is None:
            return error(404, f"no incident with id {incident_id!r}")
        return json_answer(_plain(row), 200)

    @blueprint.get("/incidents")
    def list_incidents() -> Response:
        """Return the incidents matching the filters, as JSON, GeoJSON or CSV."""
        try:
            filters, limit, offset, fmt = query_args(now)
        except GridmapError as exc:
            return _error_of(exc)
        scope, grids = scope_of(principal()), tree()
        if "grid" in filters and not grids.contains(scope, filters["grid"]):
            return error(403, f"'grid': {filters['grid']!r} is outside your grids",
                          parameter="grid")  # fmt: skip
        store_ = get_store()
        rows = store_.query(**filters, limit=limit, offset=offset, within=grids.within(scope))
        if fmt == "csv":
            return Response(
                _csv(rows), 200, mimetype="text/csv",
                headers={"Content-Disposition": "attachment; filename=incidents.csv"},
            )  # fmt: skip
        if fmt == "geojson":
            features = [
                {
                    "type": "Feature",
                    "id": r["id"],
                    "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                    "properties": {k: v for k, v in _plain(r).items() if k not in ("lon", "lat")},
                }
                for r in rows
            ]
            return json_answer(
                {"type": "FeatureCollection", "features": features},
                200,
                mimetype=FORMATS["geojson"],
            )
        return json_answer(
            {"count": len(rows), "limit": limit, "offset": offset,
             "version": store_.version(), "incidents": [_plain(r) for r in rows]},
            200,
        )  # fmt: skip

    return blueprint


def _error_of(exc: GridmapError) -> Response:
    """Answer a domain error by its type and attributes (never by its message).

    Unknown incident 404; illegal workflow change 409; any other store error, or a body
    field (``field`` set) that cannot be used, 422; a body that is no record at all or a bad
    query parameter (``parameter`` set), 400.
    """
    if isinstance(exc, IncidentNotFound):
        code = 404
    elif isinstance(exc, IllegalTransition):
        code = 409
    elif isinstance(exc, StoreError) or (isinstance(exc, IntakeError) and exc.field):
        code = 422
    else:
        code = 400
    return error(code, str(exc), field=getattr(exc, "field", None))


def unavailable() -> Response:
    """Answer 503 with ``Retry-After``: the database is busy (locked) or unreachable."""
    response = error(503, "the incident database is busy or unreachable; retry shortly")
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}


def _csv(rows: list[dict[str, Any]]) -> str:
    """Return ``rows`` as a spreadsheet-safe CSV document (BOM, formula cells neutralised)."""
    plain = (_plain(row) for row in rows)
    return csv_text(COLUMNS, ([p.get(c) for c in COLUMNS] for p in plain))
