"""The incident tables: column names, lengths, the UTC time type and the table definitions.

Table ``incidents`` (``<prefix>incidents``): ``id`` (text primary key: the reporter's own id, so
a retried report is stored once), ``category``, ``status``, ``reported_at``, ``dispatched_at``,
``resolved_at``, ``closed_at`` (UTC), ``lon``, ``lat``, ``g1`` .. ``g5`` (grid ids at the five
levels, assigned once at ingest, indexed), ``reporter``, ``description``, ``unit``,
``updated_at``. Table ``incident_version`` holds one counter bumped by every write.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from gridmap.errors import StoreError
from gridmap.grids.schema import LEVELS

GRID_COLUMNS: tuple[str, ...] = tuple(f"g{level}" for level in LEVELS)
TIME_COLUMNS: tuple[str, ...] = ("reported_at", "dispatched_at", "resolved_at", "closed_at")
#: Columns of a stored incident, in output order.
COLUMNS: tuple[str, ...] = (
    "id", "category", "status", *TIME_COLUMNS, "lon", "lat", *GRID_COLUMNS,
    "reporter", "description", "unit", "updated_at",
)  # fmt: skip
#: Columns a record must carry to be inserted.
REQUIRED: tuple[str, ...] = ("id", "category", "status", "reported_at", "lon", "lat", *GRID_COLUMNS)

#: Lengths of the text columns (the intake checks them before the database does).
MAX_LENGTHS: dict[str, int] = {
    "id": 64, "category": 32, "status": 16, "reporter": 64, "description": 2000, "unit": 100,
    **{g: 64 for g in GRID_COLUMNS},
}  # fmt: skip

#: Time set by each status when it is entered.
STATUS_TIME: dict[str, str] = {
    "dispatched": "dispatched_at",
    "resolved": "resolved_at",
    "closed": "closed_at",
}


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC; binds aware datetimes only and always returns aware UTC."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Convert to UTC; SQLite has no time zone type, so it gets naive UTC."""
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise StoreError(f"times must be timezone-aware datetimes, got {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def sqlite_time(value: datetime | None) -> str | None:
    """Format like SQLAlchemy's SQLite DATETIME storage (naive UTC, microseconds)."""
    if value is None:
        return None
    value = value.astimezone(UTC)
    # Four-digit year by hand: strftime's %Y gives "950" for the year 950, which SQLite's
    # reader then refuses ("Invalid isoformat string").
    return f"{value.year:04d}-{value:%m-%d %H:%M:%S.%f}"


def incidents_table(metadata: sa.MetaData, prefix: str) -> sa.Table:
    """Define the ``<prefix>incidents`` table and its indexes on ``metadata``."""
    name = f"{prefix}incidents"
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.String(MAX_LENGTHS["id"]), primary_key=True),
        sa.Column("category", sa.String(MAX_LENGTHS["category"]), nullable=False),
        sa.Column("status", sa.String(MAX_LENGTHS["status"]), nullable=False),
        sa.Column("reported_at", UTCDateTime(), nullable=False),
        sa.Column("dispatched_at", UTCDateTime()),
        sa.Column("resolved_at", UTCDateTime()),
        sa.Column("closed_at", UTCDateTime()),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        *[sa.Column(g, sa.String(MAX_LENGTHS[g]), nullable=False) for g in GRID_COLUMNS],
        sa.Column("reporter", sa.String(MAX_LENGTHS["reporter"])),
        sa.Column("description", sa.String(MAX_LENGTHS["description"])),
        sa.Column("unit", sa.String(MAX_LENGTHS["unit"])),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        # One covering index per level: (g<l>, reported_at, category, status, g<l+1>..g5).
        # GROUP BY g<l> for the choropleth, with any time/category/status filter, and the
        # drill-down (children of one grid: WHERE g<l> = ? GROUP BY g<l+k>) read the index
        # alone; "newest in this grid" and grid + time range seek on it.
        *[
            sa.Index(
                f"ix_{name}_g{level}",
                f"g{level}",
                "reported_at",
                "category",
                "status",
                *[f"g{k}" for k in LEVELS if k > level],
            )  # fmt: skip
            for level in LEVELS
        ],
        sa.Index(f"ix_{name}_reported_at", "reported_at"),
        sa.Index(f"ix_{name}_status", "status"),
    )


def version_table(metadata: sa.MetaData, prefix: str) -> sa.Table:
    """Define the one-row ``<prefix>incident_version`` change counter on ``metadata``."""
    return sa.Table(
        f"{prefix}incident_version",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
