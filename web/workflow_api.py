"""Flask blueprint of the dispatch workflow: actions on a case, its timeline, queues, figures.

Endpoints (who may call each: :mod:`web.access_rules`; people signed in by cookie, whose
unsafe requests pass the app's same-origin check, and tokens with the ``dispatch`` right):

``POST /api/v1/incidents/<id>/actions``
    ``{"action": "dispatch", "unit": "...", "note": "...", "at": "...", "expect_state":
    "registered"}`` (only ``action`` is always needed; :mod:`gridmap.incidents.workflow`
    says which action needs a unit or a note). 200 with the case after it; 404 unknown id;
    403 a role or a scope that may not act; 409 not from the case's state now, or someone
    acted first (``expect_state`` not the state now); 422 naming the ``field``. One audit row
    (``incident-action``) per action taken.
``GET /api/v1/incidents/<id>/timeline``
    ``{"id", "state", "due_at", "seconds_left", "overdue", "timeline": [...]}``; 404 unknown
    or outside the asker's grids.
``GET /api/v1/dispatch/queues``
    ``{"counts": {queue: n}, "queue": name, "rows": [...]}``: every queue's size and, with
    ``queue=``, its cases (filters ``grid``, ``category``, ``age_hours``, ``unit``, ``limit``).
    A unit (its token, or a signed-in person of role ``unit``) sees only the cases dispatched
    to it.
``GET /api/v1/incidents/performance``
    ``?level=&grid=&by=grid|unit&from=&to=``: the figures of
    :mod:`gridmap.incidents.performance`, one row per grid or unit, and their total.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, request

from gridmap.access.roles import Principal, Scope
from gridmap.clock import Clock, system_clock
from gridmap.errors import GridmapError, IncidentNotFound, StoreError, WorkflowError
from gridmap.incidents import performance
from gridmap.incidents.deadlines import STAGE_OF_STATE
from gridmap.incidents.intake import FUTURE_TOLERANCE, parse_time, text_problem
from gridmap.incidents.queues import MAX_LIMIT, QUEUES
from gridmap.incidents.store import IncidentStore
from gridmap.incidents.workflow import TOKEN_ROLE, acting_unit, actor_role
from web import api_models as models
from web.incident_requests import error, json_answer, read_body
from web.openapi import documented

E = models.ErrorAnswer

#: Fields of an action's body.
BODY_FIELDS = ("action", "unit", "note", "at", "expect_state")
#: Largest action body, in bytes.
MAX_BYTES = 64 * 1024
#: WorkflowError fields answered 403 (who may not) and 409 (the case's state).
FORBIDDEN_FIELDS = frozenset({"role", "scope"})
CONFLICT_FIELDS = frozenset({"state"})

Audit = Callable[..., None]


def create_blueprint(
    store: Callable[[], IncidentStore],
    *,
    principal: Callable[[], Principal | None],
    level_of: Callable[[str], int],
    chain_of: Callable[[str], list[str]],
    units: Callable[[], frozenset[str] | None] = lambda: None,
    audit: Audit | None = None,
    clock: Clock = system_clock,
    name: str = "workflow",
    url_prefix: str = "/api/v1",
) -> Blueprint:
    """Build the workflow blueprint.

    Parameters
    ----------
    store : callable
        Returns the incident store (per request).
    principal : callable
        Returns who asks (:func:`web.auth.current_principal`); its scope bounds every answer.
    level_of, chain_of : callable
        A grid's level and chain (``District.level_of``, ``District.chain``; KeyError when
        unknown), for the scope's ``within`` filter and ``grid=`` inside the scope.
    units : callable
        Returns the unit names a case may be dispatched to (None: any).
    audit : callable, optional
        ``audit(actor, action, target, address=, detail=)`` (:meth:`AuditLog.record`).
    clock : callable
        "Now" (the app's clock).
    name, url_prefix : str
        Blueprint name and URL prefix.
    """
    blueprint = Blueprint(name, __name__, url_prefix=url_prefix)

    def asker() -> tuple[Principal | None, Scope]:
        who = principal()
        return who, (who.scope if who is not None else Scope.of([]))

    def within(scope: Scope):
        return scope.within(level_of)

    @blueprint.errorhandler(sa.exc.OperationalError)
    def _database_down(_exc) -> Response:
        from web.incidents_api import unavailable

        return unavailable()

    @blueprint.post("/incidents/<incident_id>/actions")
    @documented(
        "dispatch", json=models.ActionBody,
        answers={200: models.Case, 400: E, 401: E, 403: E, 404: E, 409: E, 413: E, 415: E,
                 422: E},
    )  # fmt: skip
    def post_action(incident_id: str) -> Response:
        """Take one workflow action on a case."""
        problem = text_problem(incident_id)
        if problem:
            return error(422, f"'id' {problem}", field="id")
        body = read_body(MAX_BYTES)
        if isinstance(body, Response):
            return body
        who, _scope = asker()
        if who is None:
            return error(401, "sign in first")
        try:
            fields = action_body(body, clock)
            if fields.get("unit") and fields["action"] == "dispatch":
                known = units()
                if known is not None and fields["unit"] not in known:
                    raise WorkflowError(
                        f"unknown unit {fields['unit']!r}; known: {', '.join(sorted(known))}",
                        field="unit",
                    )
            before = store().get(incident_id)
            row = store().act(incident_id, principal=who, **fields)
        except (WorkflowError, StoreError, IncidentNotFound) as exc:
            return error_of(exc)
        if audit is not None:
            audit(
                who.label(),
                "incident-action",
                incident_id,
                address=request.remote_addr or "",
                detail={k: v for k, v in {
                    "action": fields["action"],
                    "from": before["state"] if before else None,
                    "to": row["state"], "unit": fields.get("unit"),
                }.items() if v},
            )  # fmt: skip
        return json_answer(case_answer(row, clock()), 200)

    @blueprint.get("/incidents/<incident_id>/timeline")
    @documented("dispatch", answers={200: models.Timeline, 404: E, 422: E})
    def get_timeline(incident_id: str) -> Response:
        """Return a case's timeline (404 unknown or outside the asker's grids)."""
        problem = text_problem(incident_id)
        if problem:
            return error(422, f"'id' {problem}", field="id")
        _who, scope = asker()
        row = store().get(incident_id, within=within(scope))
        if row is None:
            return error(404, f"no incident with id {incident_id!r}")
        answer = case_answer(row, clock())
        answer["timeline"] = [plain(e) for e in store().timeline(incident_id)]
        return json_answer(answer, 200)

    @blueprint.get("/dispatch/queues")
    @documented("dispatch", query=models.QueuesQuery, answers={200: models.Queues, 400: E, 422: E})
    def get_queues() -> Response:
        """Return every queue's size and, with ``queue=``, one queue's cases."""
        who, scope = asker()
        args = request.args
        known = {"queue", "grid", "category", "age_hours", "unit", "limit"}
        unknown = sorted(set(args) - known)
        if unknown:
            return error(400, f"unknown parameter(s) {unknown}; known: {', '.join(sorted(known))}",
                         parameter=unknown[0])  # fmt: skip
        for key in known & set(args):
            if text_problem(args[key]):
                return error(422, f"'{key}' {text_problem(args[key])}", field=key)
        unit = args.get("unit") or None
        mine = acting_unit(who)
        if who is not None and actor_role(who) == TOKEN_ROLE and mine is None:
            return error(403, f"{who.label()} works for no unit", field="unit")
        actor = who.label() if who is not None else None
        now = clock()
        scoped = within(scope)
        try:
            # Checked whether or not a queue is asked for: a bad value is never ignored.
            age_hours, limit = _number(args, "age_hours"), _number(args, "limit")
            if age_hours is not None and age_hours < 0:
                raise WorkflowError("'age_hours' must be >= 0", field="age_hours")
            # A unit (its staff or its system) sees only what is dispatched to it.
            counts = store().queue_counts(
                now=now, within=scoped, unit=unit, actor=actor, acting_unit=mine
            )
            payload: dict[str, Any] = {"now": now.isoformat(), "counts": counts}
            name = args.get("queue")
            if name:
                if name not in QUEUES:
                    return error(400, f"'queue' must be one of {', '.join(QUEUES)}, got {name!r}",
                                 parameter="queue")  # fmt: skip
                rows = store().queue(
                    name, now=now, within=scoped, unit=unit, actor=actor,
                    grid=args.get("grid") or None, category=args.get("category") or None,
                    age_hours=age_hours, limit=int(limit or 200), acting_unit=mine,
                )  # fmt: skip
                payload["queue"] = name
                payload["rows"] = [plain(r) for r in rows]
        except (WorkflowError, StoreError) as exc:
            return error(400, str(exc), parameter=exc.field or exc.parameter)
        return json_answer(payload, 200)

    @blueprint.get("/incidents/performance")
    @documented(
        "dispatch", query=models.PerformanceQuery,
        answers={200: models.Performance, 400: E, 403: E, 404: E, 422: E},
    )  # fmt: skip
    def get_performance() -> Response:
        """Return the dispatch figures per grid (``level``) or per unit (``by=unit``)."""
        _who, scope = asker()
        args = request.args
        known = {"level", "grid", "by", "from", "to"}
        unknown = sorted(set(args) - known)
        if unknown:
            return error(400, f"unknown parameter(s) {unknown}; known: {', '.join(sorted(known))}",
                         parameter=unknown[0])  # fmt: skip
        for key in known & set(args):
            if text_problem(args[key]):
                return error(422, f"'{key}' {text_problem(args[key])}", field=key)
        try:
            options: dict[str, Any] = {"by": args.get("by") or "grid"}
            if args.get("level"):
                level = _number(args, "level")
                if level != int(level):
                    raise StoreError("'level' must be an integer", parameter="level")
                options["level"] = int(level)
            for key, option in (("from", "start"), ("to", "end")):
                if args.get(key):
                    try:
                        options[option] = parse_time(args[key])
                    except ValueError as exc:
                        raise StoreError(f"'{key}': {exc}", parameter=key) from None
            grid = args.get("grid") or None
            if grid is not None:
                try:
                    grid_level, chain = level_of(grid), chain_of(grid)
                except KeyError:
                    return error(404, f"no grid {grid!r}", parameter="grid")
                if not scope.contains(chain):
                    return error(403, f"'grid': {grid!r} is outside your grids",
                                 parameter="grid")  # fmt: skip
                options.update(grid=grid, grid_level=grid_level)
            frame = store().performance(now=clock(), within=within(scope), **options)
        except GridmapError as exc:
            return error(400, str(exc), parameter=exc.parameter or exc.field)
        return json_answer(
            {
                "by": options["by"],
                "level": options.get("level", 2) if options["by"] == "grid" else None,
                "grid": grid,
                "figures": list(performance.FIGURES),
                "rows": performance.as_records(frame),
                "total": performance.total(frame),
            },
            200,
        )

    return blueprint


def _number(args, name: str) -> float | None:
    raw = args.get(name)
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError:
        raise WorkflowError(f"'{name}' must be a number, got {raw!r}", field=name) from None
    if not math.isfinite(value):
        raise WorkflowError(f"'{name}' must be a finite number, got {raw!r}", field=name)
    if name == "limit" and not (1 <= value <= MAX_LIMIT and value == int(value)):
        raise WorkflowError(f"'limit' must be an integer 1..{MAX_LIMIT}", field="limit")
    return value


def action_body(body: Any, clock: Clock) -> dict[str, Any]:
    """Return the keyword arguments of :meth:`IncidentStore.act` from an action's JSON body.

    Raises
    ------
    WorkflowError
        ``field`` names what is wrong (``body`` when it is no object).
    """
    if not isinstance(body, dict):
        raise WorkflowError('body must be an object like {"action": "register"}', field="body")
    unknown = sorted(set(body) - set(BODY_FIELDS))
    if unknown:
        raise WorkflowError(
            f"unknown field(s) {unknown}; known: {', '.join(BODY_FIELDS)}", field=str(unknown[0])
        )
    action = body.get("action")
    if not isinstance(action, str) or not action:
        raise WorkflowError("'action' is needed (register, dispatch, ...)", field="action")
    fields: dict[str, Any] = {"action": action}
    for name in ("unit", "note", "expect_state"):
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise WorkflowError(f"'{name}' must be text", field=name)
        if value is not None:
            fields[name] = value
    if body.get("at") not in (None, ""):
        try:
            at = parse_time(body["at"])
        except ValueError as exc:
            raise WorkflowError(f"'at': {exc}", field="at") from None
        if at > clock() + FUTURE_TOLERANCE:
            raise WorkflowError(f"'at': {at.isoformat()} is in the future", field="at")
        fields["at"] = at
    return fields


def error_of(exc: GridmapError) -> Response:
    """Answer a workflow error by its type and ``field`` (never by its message)."""
    if isinstance(exc, IncidentNotFound):
        return error(404, str(exc))
    field = getattr(exc, "field", None)
    if isinstance(exc, WorkflowError) and field in FORBIDDEN_FIELDS:
        return error(403, str(exc), field=field)
    if isinstance(exc, WorkflowError) and field in CONFLICT_FIELDS:
        return error(409, str(exc), field=field)
    return error(422, str(exc), field=field or "body")


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """Return ``row`` JSON-ready (times as ISO-8601)."""
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}


def case_answer(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Return a case with where its running deadline stands at ``now``."""
    answer = plain(row)
    due = row.get("due_at")
    answer["stage"] = STAGE_OF_STATE.get(row.get("state"))
    answer["seconds_left"] = (due - now).total_seconds() if due is not None else None
    answer["overdue"] = bool(due is not None and due < now)
    return answer
