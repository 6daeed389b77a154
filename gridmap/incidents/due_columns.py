"""The stored deadlines of a case (``due_at``, ``close_due_at``) and the legacy status of a state.

Queues at a million incidents must be index seeks, so the deadline each open case runs against
is stored, not computed per request: ``due_at`` is the deadline of the running stage
(:data:`gridmap.incidents.deadlines.STAGE_OF_STATE`; NULL once closed) and ``close_due_at`` the
close deadline (kept after closing, for the on-time closure rate). Both count from
``reported_at``, as :func:`gridmap.incidents.deadlines.due` does. A category without limits
(a district's own) runs on the hours of the ``other`` group. When a district's limits change,
:func:`refresh` recomputes every stored deadline in SQL (one UPDATE per category).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime, timedelta

import sqlalchemy as sa

from gridmap.incidents.deadlines import GROUP_HOURS, STAGE_OF_STATE, Limits

#: The four-value ``status`` old readers know, for each workflow state.
STATUS_OF_STATE: dict[str, str] = {
    "reported": "reported",
    "registered": "reported",
    "returned": "reported",
    "dispatched": "dispatched",
    "rework": "dispatched",
    "handled": "resolved",
    "closed": "closed",
}
#: Limits of a category the limits do not name.
FALLBACK = Limits(*GROUP_HOURS["other"])


def seconds(hours: float) -> int:
    """Return ``hours`` as whole seconds (the SQL and the Python side round alike)."""
    return int(round(hours * 3600))


def limits_of(category: str, limits: Mapping[str, Limits]) -> Limits:
    """Return the limits of ``category`` (the ``other`` group's when it has none)."""
    return limits.get(category, FALLBACK)


def deadline_values(
    category: str, state: str, reported_at: datetime, limits: Mapping[str, Limits]
) -> dict[str, datetime | None]:
    """Return ``{"due_at", "close_due_at"}`` of a case in ``state`` (due_at None once closed)."""
    lim = limits_of(category, limits)
    stage = STAGE_OF_STATE.get(state)
    due = None if stage is None else reported_at + timedelta(seconds=seconds(getattr(lim, stage)))
    return {"due_at": due, "close_due_at": reported_at + timedelta(seconds=seconds(lim.close))}


def limits_key(limits: Mapping[str, Limits]) -> str:
    """Return a short fingerprint of ``limits`` (stored beside the deadlines computed with it)."""
    plain = {c: [seconds(v.register), seconds(v.dispatch), seconds(v.close)]
             for c, v in sorted(limits.items())}  # fmt: skip
    text = json.dumps([plain, [seconds(h) for h in FALLBACK.__dict__.values()]])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def plus_seconds(dialect: str, column: sa.ColumnElement, secs: int) -> sa.ColumnElement:
    """Return the SQL of ``column + secs seconds`` for ``dialect`` (stored format kept)."""
    if dialect == "sqlite":
        # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff' (naive UTC): shift the seconds, keep the fraction.
        shifted = sa.func.strftime("%Y-%m-%d %H:%M:%S", column, f"{secs:+d} seconds")
        return shifted.op("||")(sa.func.substr(column, 20))
    return column + sa.literal_column(f"interval '{int(secs)} seconds'")


def refresh(conn: sa.Connection, table: sa.Table, limits: Mapping[str, Limits]) -> None:
    """Recompute ``due_at`` and ``close_due_at`` of every stored case with ``limits``.

    One UPDATE per category (and one for the categories ``limits`` does not name), inside the
    caller's transaction.
    """
    dialect = conn.dialect.name
    t = table

    def update(where, lim: Limits) -> None:
        whens = {
            state: plus_seconds(dialect, t.c.reported_at, seconds(getattr(lim, stage)))
            for state, stage in STAGE_OF_STATE.items()
        }
        due = sa.case(*[(t.c.state == s, e) for s, e in whens.items()], else_=sa.null())
        close = plus_seconds(dialect, t.c.reported_at, seconds(lim.close))
        conn.execute(sa.update(t).where(where).values(due_at=due, close_due_at=close))

    for category, lim in limits.items():
        update(t.c.category == category, lim)
    update(t.c.category.not_in(list(limits)) if limits else sa.true(), FALLBACK)
