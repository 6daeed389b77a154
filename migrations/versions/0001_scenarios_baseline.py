"""Baseline: the saved-scenarios table as it was before owners.

A database made before migrations already has this table (``create_all``): the baseline then
adopts it as it is, so its rows are kept and only the next revisions run.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _name(table: str) -> str:
    """Return ``table`` under the prefix the migrations run with."""
    return context.config.attributes.get("table_prefix", "") + table


def upgrade() -> None:
    """Create ``scenarios`` (name, query, saved_at) unless it is there already."""
    name = _name("scenarios")
    if sa.inspect(op.get_bind()).has_table(name):
        return
    op.create_table(
        name,
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("saved_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    """Drop ``scenarios``."""
    op.drop_table(_name("scenarios"))
