"""Baseline: the incident tables as they were before the dispatch workflow.

A database made before migrations already has them (``metadata.create_all``): the baseline then
adopts them as they are (detect and stamp), so their rows are kept and only the next revisions
run.

Revision ID: i0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "i0001"
down_revision = None
branch_labels = None
depends_on = None

LEVELS = (1, 2, 3, 4, 5)


def _name(table: str) -> str:
    """Return ``table`` under the prefix the migrations run with."""
    return context.config.attributes.get("table_prefix", "") + table


def upgrade() -> None:
    """Create ``incidents`` and ``incident_version`` (and their indexes) unless they are there."""
    inspector = sa.inspect(op.get_bind())
    name = _name("incidents")
    if not inspector.has_table(name):
        op.create_table(
            name,
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("category", sa.String(32), nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("dispatched_at", sa.DateTime(timezone=True)),
            sa.Column("resolved_at", sa.DateTime(timezone=True)),
            sa.Column("closed_at", sa.DateTime(timezone=True)),
            sa.Column("lon", sa.Float, nullable=False),
            sa.Column("lat", sa.Float, nullable=False),
            *[sa.Column(f"g{level}", sa.String(64), nullable=False) for level in LEVELS],
            sa.Column("reporter", sa.String(64)),
            sa.Column("description", sa.String(2000)),
            sa.Column("unit", sa.String(100)),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        )
        for level in LEVELS:
            op.create_index(
                f"ix_{name}_g{level}",
                name,
                [f"g{level}", "reported_at", "category", "status",
                 *[f"g{k}" for k in LEVELS if k > level]],
            )  # fmt: skip
        op.create_index(f"ix_{name}_reported_at", name, ["reported_at"])
        op.create_index(f"ix_{name}_status", name, ["status"])
    version = _name("incident_version")
    if not inspector.has_table(version):
        op.create_table(
            version,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("version", sa.BigInteger, nullable=False),
        )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table(_name("incident_version"))
    op.drop_table(_name("incidents"))
