"""People of role ``unit`` carry the unit they work for.

Accounts made before get no unit (NULL): none of them has the role ``unit``.

Revision ID: a0002
Revises: a0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "a0002"
down_revision = "a0001"
branch_labels = None
depends_on = None


def _name(table: str) -> str:
    """Return ``table`` under the prefix the migrations run with."""
    return context.config.attributes.get("table_prefix", "") + table


def upgrade() -> None:
    """Add ``users.unit`` (text, NULL for every account already there)."""
    op.add_column(_name("users"), sa.Column("unit", sa.String(100), nullable=True))


def downgrade() -> None:
    """Drop ``users.unit`` (SQLite rebuilds the table: batch mode)."""
    with op.batch_alter_table(_name("users")) as batch:
        batch.drop_column("unit")
