"""Baseline: the account tables (people, API tokens, wall kiosk links) as they were before units.

A database made before this lineage already has them (``metadata.create_all``): the baseline
then adopts them as they are (detect and stamp), so their rows are kept and only the next
revisions run.

Revision ID: a0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "a0001"
down_revision = None
branch_labels = None
depends_on = None

MAX_NAME = 64


def _name(table: str) -> str:
    """Return ``table`` under the prefix the migrations run with."""
    return context.config.attributes.get("table_prefix", "") + table


def upgrade() -> None:
    """Create ``users``, ``api_tokens`` and ``kiosk_links`` unless they are there."""
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table(_name("users")):
        op.create_table(
            _name("users"),
            sa.Column("name", sa.String(MAX_NAME), primary_key=True),
            sa.Column("role", sa.String(16), nullable=False),
            sa.Column("grids", sa.Text, nullable=False),
            sa.Column("password_hash", sa.Text, nullable=False),
            sa.Column("disabled", sa.Boolean, nullable=False),
            sa.Column("failures", sa.Integer, nullable=False),
            sa.Column("locked_until", sa.String(32)),
            sa.Column("created_at", sa.String(32), nullable=False),
            sa.Column("last_sign_in", sa.String(32)),
        )
    if not inspector.has_table(_name("api_tokens")):
        op.create_table(
            _name("api_tokens"),
            sa.Column("name", sa.String(MAX_NAME), primary_key=True),
            sa.Column("digest", sa.String(64), nullable=False, unique=True),
            sa.Column("rights", sa.String(64), nullable=False),
            sa.Column("grid", sa.String(64)),
            sa.Column("created_at", sa.String(32), nullable=False),
            sa.Column("last_used", sa.String(32)),
            sa.Column("revoked_at", sa.String(32)),
        )
    if not inspector.has_table(_name("kiosk_links")):
        op.create_table(
            _name("kiosk_links"),
            sa.Column("label", sa.String(MAX_NAME), primary_key=True),
            sa.Column("digest", sa.String(64), nullable=False, unique=True),
            sa.Column("grid", sa.String(64)),
            sa.Column("created_at", sa.String(32), nullable=False),
            sa.Column("last_used", sa.String(32)),
            sa.Column("revoked_at", sa.String(32)),
        )


def downgrade() -> None:
    """Drop the three tables."""
    for table in ("kiosk_links", "api_tokens", "users"):
        op.drop_table(_name(table))
