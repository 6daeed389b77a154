"""The incident tables: column names, lengths, the UTC time type and the table definitions.

Table ``incidents`` (``<prefix>incidents``): ``id`` (text primary key: the reporter's own id, so
a retried report is stored once), ``category``, ``status``, ``reported_at``, ``dispatched_at``,
``resolved_at``, ``closed_at`` (UTC), ``lon``, ``lat``, ``g1`` .. ``g5`` (grid ids at the five
levels, assigned once at ingest, indexed), ``reporter``, ``description``, ``unit``,
``updated_at``, and the dispatch workflow's columns (:data:`WORKFLOW_COLUMNS`: ``state`` of
:mod:`gridmap.incidents.workflow`, ``registered_at``, ``handled_at``, ``escalation``, ``reworks``,
``owner`` (who registered it), ``due_at`` (deadline of the running stage; NULL once closed) and
``close_due_at`` (the close deadline, kept after closing)). ``status`` stays the four-value
projection of ``state`` old readers know. Table ``incident_version`` holds one counter bumped by
every write; ``incident_events`` the timeline (one row per action); ``incident_meta`` small
key/value facts (the deadline limits the stored ``due_at`` were computed with).

The schema changes only through the migrations in ``migrations/incidents`` (the store runs
them when it opens).
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
#: The dispatch workflow's columns (migration i0002).
WORKFLOW_COLUMNS: tuple[str, ...] = (
    "state", "registered_at", "handled_at", "escalation", "reworks", "owner", "due_at",
    "close_due_at",
)  # fmt: skip
#: Every column written by an insert.
INSERT_COLUMNS: tuple[str, ...] = (*COLUMNS, *WORKFLOW_COLUMNS)
#: Every time column of the incident table.
ALL_TIME_COLUMNS: tuple[str, ...] = (
    *TIME_COLUMNS, "updated_at", "registered_at", "handled_at", "due_at", "close_due_at",
)  # fmt: skip
#: Columns of the partial index of open cases (the workbench's queues read it alone).
QUEUE_INDEX: tuple[str, ...] = (
    "state", "due_at", "escalation", "category", "g1", "g2", "g3", "g4", "g5", "unit",
    "owner", "reported_at",
)  # fmt: skip

#: Columns a record must carry to be inserted.
REQUIRED: tuple[str, ...] = ("id", "category", "status", "reported_at", "lon", "lat", *GRID_COLUMNS)

#: Lengths of the text columns (the intake checks them before the database does).
MAX_LENGTHS: dict[str, int] = {
    "id": 64, "category": 32, "status": 16, "reporter": 64, "description": 2000, "unit": 100,
    **{g: 64 for g in GRID_COLUMNS}, "state": 16, "owner": 100, "actor": 100, "note": 2000,
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
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M:%S.%f}"


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
        sa.Column("state", sa.String(16), nullable=False, server_default="reported"),
        sa.Column("registered_at", UTCDateTime()),
        sa.Column("handled_at", UTCDateTime()),
        sa.Column("escalation", sa.Integer, nullable=False, server_default="0"),
        sa.Column("reworks", sa.Integer, nullable=False, server_default="0"),
        sa.Column("owner", sa.String(100)),
        sa.Column("due_at", UTCDateTime()),
        sa.Column("close_due_at", UTCDateTime()),
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
        # Open cases only (closed ones have no running deadline): every queue and its count
        # is a seek on this small covering index, whatever the number of closed cases.
        sa.Index(
            f"ix_{name}_open",
            *QUEUE_INDEX,
            sqlite_where=sa.text("due_at IS NOT NULL"),
            postgresql_where=sa.text("due_at IS NOT NULL"),
        ),
        # Overdue and due-soon cases in deadline order, whatever their state: a range seek.
        sa.Index(
            f"ix_{name}_open_due",
            "due_at",
            sqlite_where=sa.text("due_at IS NOT NULL"),
            postgresql_where=sa.text("due_at IS NOT NULL"),
        ),
        sa.Index(f"ix_{name}_closed_at", "closed_at"),
    )


def events_table(metadata: sa.MetaData, prefix: str) -> sa.Table:
    """Define the ``<prefix>incident_events`` timeline (one row per action) on ``metadata``."""
    name = f"{prefix}incident_events"
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.String(MAX_LENGTHS["id"]), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(MAX_LENGTHS["actor"]), nullable=False),
        sa.Column("role", sa.String(16)),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_state", sa.String(16)),
        sa.Column("to_state", sa.String(16)),
        sa.Column("unit", sa.String(MAX_LENGTHS["unit"])),
        sa.Column("note", sa.String(MAX_LENGTHS["note"])),
        sa.Index(f"ix_{name}_incident", "incident_id", "id"),
    )


def meta_table(metadata: sa.MetaData, prefix: str) -> sa.Table:
    """Define the ``<prefix>incident_meta`` key/value table on ``metadata``."""
    return sa.Table(
        f"{prefix}incident_meta",
        metadata,
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def version_table(metadata: sa.MetaData, prefix: str) -> sa.Table:
    """Define the one-row ``<prefix>incident_version`` change counter on ``metadata``."""
    return sa.Table(
        f"{prefix}incident_version",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
