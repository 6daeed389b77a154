"""Saved scenarios have an owner (the person who saved them).

Rows saved before owners get owner '' (nobody's): only administrators see them.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _name(table: str) -> str:
    """Return ``table`` under the prefix the migrations run with."""
    return context.config.attributes.get("table_prefix", "") + table


def upgrade() -> None:
    """Add ``owner`` (text, not null, '' for the rows already there)."""
    op.add_column(
        _name("scenarios"),
        sa.Column("owner", sa.String(80), nullable=False, server_default=""),
    )


def downgrade() -> None:
    """Drop ``owner`` (SQLite rebuilds the table: batch mode)."""
    with op.batch_alter_table(_name("scenarios")) as batch:
        batch.drop_column("owner")
