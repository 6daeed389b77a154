"""The dispatch workflow: states, stage times, escalation, stored deadlines and the timeline.

Today's four statuses map onto the loop's states (``workflow.LEGACY_STATES``): reported stays
reported, dispatched stays dispatched, resolved becomes handled, closed stays closed. A case past
reporting gets ``registered_at`` from its first later time; ``handled_at`` is ``resolved_at``.
The deadlines are computed with the default limits; the store recomputes them when it opens
with a district's own (``dispatch.json``).

Revision ID: i0002
Revises: i0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from gridmap.incidents import due_columns
from gridmap.incidents.deadlines import default_limits
from gridmap.incidents.tables import QUEUE_INDEX
from gridmap.incidents.workflow import LEGACY_STATES

revision = "i0002"
down_revision = "i0001"
branch_labels = None
depends_on = None


def _new_columns() -> tuple[sa.Column, ...]:
    """Return fresh copies of the new columns (a Column belongs to one table)."""
    return (
        sa.Column("state", sa.String(16), nullable=False, server_default="reported"),
        sa.Column("registered_at", sa.DateTime(timezone=True)),
        sa.Column("handled_at", sa.DateTime(timezone=True)),
        sa.Column("escalation", sa.Integer, nullable=False, server_default="0"),
        sa.Column("reworks", sa.Integer, nullable=False, server_default="0"),
        sa.Column("owner", sa.String(100)),
        sa.Column("due_at", sa.DateTime(timezone=True)),
        sa.Column("close_due_at", sa.DateTime(timezone=True)),
    )


def _name(table: str) -> str:
    """Return ``table`` under the prefix the migrations run with."""
    return context.config.attributes.get("table_prefix", "") + table


def upgrade() -> None:
    """Add the workflow columns, fill them from the statuses, add the timeline and meta tables."""
    name = _name("incidents")
    for column in _new_columns():
        op.add_column(name, column)
    t = sa.table(
        name,
        *(sa.column(c) for c in ("status", "state", "category", "reported_at", "dispatched_at",
                                 "resolved_at", "closed_at", "registered_at", "handled_at",
                                 "due_at", "close_due_at")),
    )  # fmt: skip
    bind = op.get_bind()
    bind.execute(
        sa.update(t).values(
            state=sa.case(*[(t.c.status == old, new) for old, new in LEGACY_STATES.items()],
                          else_=t.c.status),
            registered_at=sa.case(
                (t.c.status != "reported",
                 sa.func.coalesce(t.c.dispatched_at, t.c.resolved_at, t.c.closed_at)),
                else_=sa.null(),
            ),
            handled_at=t.c.resolved_at,
        )
    )  # fmt: skip
    due_columns.refresh(bind, t, default_limits())
    op.create_index(
        f"ix_{name}_open", name, list(QUEUE_INDEX),
        sqlite_where=sa.text("due_at IS NOT NULL"),
        postgresql_where=sa.text("due_at IS NOT NULL"),
    )  # fmt: skip
    op.create_index(
        f"ix_{name}_open_due", name, ["due_at"],
        sqlite_where=sa.text("due_at IS NOT NULL"),
        postgresql_where=sa.text("due_at IS NOT NULL"),
    )  # fmt: skip
    op.create_index(f"ix_{name}_closed_at", name, ["closed_at"])
    events = _name("incident_events")
    op.create_table(
        events,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16)),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_state", sa.String(16)),
        sa.Column("to_state", sa.String(16)),
        sa.Column("unit", sa.String(100)),
        sa.Column("note", sa.String(2000)),
    )
    op.create_index(f"ix_{events}_incident", events, ["incident_id", "id"])
    op.create_table(
        _name("incident_meta"),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop the timeline, the meta table and the workflow columns (statuses are kept)."""
    name = _name("incidents")
    op.drop_table(_name("incident_meta"))
    op.drop_table(_name("incident_events"))
    op.drop_index(f"ix_{name}_closed_at", table_name=name)
    op.drop_index(f"ix_{name}_open_due", table_name=name)
    op.drop_index(f"ix_{name}_open", table_name=name)
    with op.batch_alter_table(name) as batch:
        for column in _new_columns():
            batch.drop_column(column.name)
