"""The audit trail: an append-only table of who did what, when and from where.

Sign-ins (and refused ones), incident writes and status changes, scenario saves, account and token
changes are each one row. The store offers only :meth:`AuditLog.record` and queries: nothing the app
does deletes or rewrites a row.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from gridmap.clock import Clock, system_clock
from gridmap.csv_cells import csv_text
from gridmap.errors import AccessError

#: Longest text kept in one column (longer is cut, so a hostile value cannot bloat the table).
MAX_TEXT = 500
COLUMNS = ("id", "at", "actor", "action", "target", "address", "detail")


def _clip(value: Any) -> str:
    text = "" if value is None else str(value)
    return text[:MAX_TEXT]


class AuditLog:
    """Rows of table ``<prefix>audit_log`` of ``engine``'s database; append-only."""

    def __init__(self, engine: sa.Engine, table_prefix: str = "", clock: Clock = system_clock):
        self.engine = engine
        self.clock = clock
        self.metadata = sa.MetaData()
        self.table = sa.Table(
            f"{table_prefix}audit_log",
            self.metadata,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("at", sa.String(32), nullable=False, index=True),
            sa.Column("actor", sa.String(100), nullable=False, index=True),
            sa.Column("action", sa.String(64), nullable=False, index=True),
            sa.Column("target", sa.String(MAX_TEXT), nullable=False, default=""),
            sa.Column("address", sa.String(64), nullable=False, default=""),
            sa.Column("detail", sa.Text, nullable=False, default="{}"),
        )
        try:
            self.metadata.create_all(engine, checkfirst=True)
        except sa.exc.DatabaseError:
            self.metadata.create_all(engine, checkfirst=True)

    def record(
        self,
        actor: str,
        action: str,
        target: str = "",
        *,
        address: str = "",
        detail: dict | None = None,
    ) -> None:
        """Append one row: ``actor`` (``user:NAME``, ``token:NAME``...) did ``action``."""
        row = {
            "at": self.clock().isoformat(timespec="seconds"),
            "actor": _clip(actor)[:100],
            "action": _clip(action)[:64],
            "target": _clip(target),
            "address": _clip(address)[:64],
            "detail": json.dumps(detail or {}, ensure_ascii=False, default=str)[: 4 * MAX_TEXT],
        }
        with self.engine.begin() as conn:
            conn.execute(sa.insert(self.table).values(**row))

    def query(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
    ) -> list[dict]:
        """Return rows, newest first, filtered by actor, action (exact) and time.

        Raises
        ------
        AccessError
            ``limit`` outside 1-100000, or naive ``since``/``until``.
        """
        if not 1 <= limit <= 100_000:
            raise AccessError(f"limit must be 1-100000, got {limit}", field="limit")
        t = self.table
        sql = sa.select(t).order_by(t.c.id.desc()).limit(limit)
        if actor:
            sql = sql.where(t.c.actor == actor)
        if action:
            sql = sql.where(t.c.action == action)
        for name, when, op in (("since", since, "ge"), ("until", until, "lt")):
            if when is None:
                continue
            if when.tzinfo is None:
                raise AccessError(f"{name} must carry a time zone", field=name)
            stamp = when.astimezone(self.clock().tzinfo).isoformat(timespec="seconds")
            sql = sql.where(t.c.at >= stamp if op == "ge" else t.c.at < stamp)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sql)]

    def csv(self, rows: list[dict]) -> str:
        """Return ``rows`` (from :meth:`query`) as a spreadsheet-safe CSV document."""
        return csv_text(COLUMNS, ([r[c] for c in COLUMNS] for r in rows))
