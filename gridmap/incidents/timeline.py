"""The timeline of a case: one row per action (who, role, when, states, unit, note)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from gridmap.access.roles import Principal
from gridmap.incidents.intake import text_problem
from gridmap.incidents.workflow import actor_role


def event_row(
    incident_id: str,
    at: datetime,
    principal: Principal | None,
    action: str,
    source: str | None,
    target: str | None,
    unit: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Return one timeline row."""
    return {
        "incident_id": incident_id,
        "at": at,
        "actor": principal.label() if principal is not None else "system",
        "role": (actor_role(principal) or principal.kind) if principal is not None else None,
        "action": action,
        "from_state": source,
        "to_state": target,
        "unit": unit,
        "note": note,
    }


def timeline(engine: sa.Engine, events: sa.Table, incident_id: str) -> list[dict[str, Any]]:
    """Return the timeline of one case, oldest first (empty for an unknown id)."""
    if text_problem(incident_id):
        return []
    stmt = sa.select(events).where(events.c.incident_id == incident_id).order_by(events.c.id)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]
