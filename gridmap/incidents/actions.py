"""Workflow writes of the incident store: an action on one case, and its timeline.

:func:`act` reads the case, asks :func:`gridmap.incidents.workflow.decide` whether the action may
be taken, and writes the new state, the stage time, the stored deadlines and one timeline row in
one transaction, with a compare-and-set on the state and escalation it decided from: of two
people acting at once, one wins and the other gets :class:`~gridmap.errors.StaleState`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from gridmap.access.roles import Principal
from gridmap.clock import Clock
from gridmap.errors import IncidentNotFound, StaleState, WorkflowError
from gridmap.incidents.deadlines import Limits
from gridmap.incidents.due_columns import STATUS_OF_STATE, deadline_values
from gridmap.incidents.intake import text_problem
from gridmap.incidents.tables import GRID_COLUMNS, MAX_LENGTHS
from gridmap.incidents.timeline import event_row
from gridmap.incidents.workflow import actor_role, decide
from gridmap.incidents.writes import bump


def _check_text(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise WorkflowError(f"{name} must be text, got {type(value).__name__}", field=name)
    problem = text_problem(value)
    if problem:
        raise WorkflowError(f"{name} {problem}", field=name)
    if len(value) > MAX_LENGTHS[name]:
        raise WorkflowError(f"{name} longer than {MAX_LENGTHS[name]} characters", field=name)
    return value.strip() or None


def stage_values(action: str, row: Mapping[str, Any], at: datetime, unit: str | None) -> dict:
    """Return the columns ``action`` sets beside the state (stage times, unit, counters)."""
    values: dict[str, Any] = {}
    if action == "register":
        values["registered_at"] = at
    elif action == "dispatch":
        values["unit"] = unit
        values["registered_at"] = row["registered_at"] or at
        if row["dispatched_at"] is None:  # time to dispatch counts to the first dispatch
            values["dispatched_at"] = at
    elif action == "handle":
        values["handled_at"] = at
        values["resolved_at"] = at
    elif action == "verify":
        values["closed_at"] = at
    elif action == "rework":
        values["reworks"] = (row["reworks"] or 0) + 1
        values["handled_at"] = None
        values["resolved_at"] = None
    return values


def act(
    engine: sa.Engine,
    tables: tuple[sa.Table, sa.Table, sa.Table],
    incident_id: str,
    action: str,
    principal: Principal,
    *,
    clock: Clock,
    limits: Mapping[str, Limits],
    chain: Sequence[str] | None = None,
    unit: str | None = None,
    note: str | None = None,
    at: datetime | None = None,
    expect_state: str | None = None,
) -> dict[str, Any]:
    """Apply ``action`` to one case; return the case after it (see :meth:`IncidentStore.act`)."""
    t, versions, events = tables
    unit, note = _check_text("unit", unit), _check_text("note", note)
    now = clock()
    at = at or now
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise WorkflowError("'at' must be a timezone-aware time", field="at")
    if text_problem(incident_id):
        raise IncidentNotFound(f"no incident with id {incident_id!r}", record=incident_id)
    with engine.begin() as conn:
        row = conn.execute(sa.select(t).where(t.c.id == incident_id)).mappings().first()
        if row is None:
            raise IncidentNotFound(f"no incident with id {incident_id!r}", record=incident_id)
        if expect_state is not None and row["state"] != expect_state:
            raise StaleState(
                f"incident {incident_id!r} is now {row['state']!r}, not {expect_state!r}: "
                "someone acted first; read it again",
                field="state",
                record=incident_id,
            )
        chain = list(chain) if chain is not None else [row[g] for g in GRID_COLUMNS]
        if actor_role(principal) is not None and not principal.scope.contains(chain):
            # Any principal limited to some grids (a township officer, a token made with
            # --grid) acts inside them only; refused before the state is told.
            raise WorkflowError(f"the case lies outside {principal.label()}'s grids", field="scope")
        step = decide(
            action, row["state"], principal, chain,
            escalation=row["escalation"], unit=unit, note=note, case_unit=row["unit"],
        )  # fmt: skip
        if at < row["reported_at"]:
            raise WorkflowError(
                f"'at' {at.isoformat()} is before the report {row['reported_at'].isoformat()}",
                field="at",
            )
        values: dict[str, Any] = {
            "state": step.target,
            "status": STATUS_OF_STATE[step.target],
            "escalation": step.escalation,
            "updated_at": now,
            **stage_values(action, row, at, unit),
            **deadline_values(row["category"], step.target, row["reported_at"], limits),
        }
        if action == "register" or (action == "dispatch" and not row["owner"]):
            values["owner"] = principal.label()
        # Compare-and-set on what the decision was made from: a concurrent action wins once.
        done = conn.execute(
            sa.update(t)
            .where(t.c.id == incident_id, t.c.state == row["state"],
                   t.c.escalation == row["escalation"])
            .values(values)
        )  # fmt: skip
        if done.rowcount != 1:
            raise StaleState(
                f"incident {incident_id!r} changed while acting on it; read it again",
                field="state",
                record=incident_id,
            )
        conn.execute(
            sa.insert(events),
            event_row(incident_id, at, principal, action, step.source, step.target, unit, note),
        )
        bump(conn, versions)
        return dict(conn.execute(sa.select(t).where(t.c.id == incident_id)).mappings().one())
