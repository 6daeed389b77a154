"""Writes of the incident store: idempotent inserts and workflow status changes (compare-and-set).

Every function takes the plain parts of a store: the engine, the two tables and a clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from gridmap.clock import Clock
from gridmap.errors import IllegalTransition, IncidentNotFound, StoreError
from gridmap.incidents.categories import STATUSES, TRANSITIONS
from gridmap.incidents.deadlines import Limits, default_limits
from gridmap.incidents.due_columns import STATUS_OF_STATE, deadline_values
from gridmap.incidents.engine import upsert_insert
from gridmap.incidents.queries import where_clauses
from gridmap.incidents.tables import (
    ALL_TIME_COLUMNS,
    INSERT_COLUMNS,
    REQUIRED,
    STATUS_TIME,
    TIME_COLUMNS,
    sqlite_time,
)
from gridmap.incidents.timeline import event_row
from gridmap.incidents.workflow import LEGACY_STATES, STATES

#: The timeline's action for each legacy status change of ``PATCH`` (old clients).
LEGACY_ACTIONS: dict[tuple[str, str], str] = {
    ("reported", "dispatched"): "dispatch",
    ("reported", "resolved"): "handle",
    ("dispatched", "resolved"): "handle",
    ("resolved", "closed"): "verify",
    ("resolved", "dispatched"): "rework",
}

#: Rows per INSERT call (SQLAlchemy splits it further into multi-row VALUES batches).
BATCH = 50_000


#: The reporter's content of a record: a repeated id must repeat these to be a duplicate.
#: The workflow fields (status, its times, unit) change through PATCH and are not compared.
CONTENT: tuple[str, ...] = (
    "category", "reported_at", "lon", "lat", "reporter", "description",
)  # fmt: skip


@dataclass(frozen=True)
class Conflict:
    """A repeated id whose content differs from the stored one (nothing of it is stored)."""

    id: str
    fields: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form ``{id, fields}``."""
        return {"id": self.id, "fields": list(self.fields)}


@dataclass(frozen=True)
class InsertResult:
    """What :meth:`IncidentStore.insert` did: ids stored, ids not stored, conflicts.

    ``duplicates`` holds every id not stored because it was already there (or earlier in the
    batch), in input order. Those whose :data:`CONTENT` differs are also in ``conflicts``,
    naming the fields that differ: their new content is not stored, and is reported, never
    dropped silently. The others are plain retries (:attr:`same`).
    """

    stored: tuple[str, ...]
    duplicates: tuple[str, ...]
    conflicts: tuple[Conflict, ...] = ()

    @property
    def same(self) -> tuple[str, ...]:
        """Return the duplicates that repeat the stored content exactly (retries)."""
        clashing = Counter(c.id for c in self.conflicts)  # an id may be both, in one batch
        same: list[str] = []
        for rid in self.duplicates:
            if clashing[rid]:
                clashing[rid] -= 1
            else:
                same.append(rid)
        return tuple(same)


def bump(conn: sa.Connection, versions: sa.Table) -> None:
    """Add one to the change counter, inside the writing transaction ``conn``."""
    counter = versions.c.version
    conn.execute(sa.update(versions).where(versions.c.id == 1).values(version=counter + 1))


def insert(
    engine: sa.Engine,
    table: sa.Table,
    versions: sa.Table,
    records: Iterable[Mapping[str, Any]],
    clock: Clock,
    limits: Mapping[str, Limits] | None = None,
) -> InsertResult:
    """Store new incidents; ids already stored (or repeated in the batch) are ignored.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The database.
    table, versions : sqlalchemy.Table
        The incident table and the change counter.
    records : iterable of mapping
        Validated records (see :mod:`gridmap.incidents.intake`) with at least
        :data:`~gridmap.incidents.tables.REQUIRED`; times are aware datetimes; missing
        optional columns are NULL.
    clock : callable
        Gives ``updated_at`` of records without one.
    limits : mapping, optional
        Deadline limits for the stored ``due_at`` (default :func:`default_limits`).

    Returns
    -------
    InsertResult
        Ids stored now and ids that were duplicates, each in input order.
    """
    rows: list[dict[str, Any]] = []
    seen: dict[str, dict[str, Any]] = {}
    repeated: list[dict[str, Any]] = []
    now = clock()
    limits = default_limits() if limits is None else limits
    for index, record in enumerate(records):
        missing = [c for c in REQUIRED if record.get(c) is None]
        if missing:
            raise StoreError(
                f"record {index} ({record.get('id')!r}) lacks {missing}",
                field=missing[0],
                record=index,
            )
        rid = str(record["id"])
        for name in ALL_TIME_COLUMNS:
            value = record.get(name)
            if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
                raise StoreError(
                    f"record {index} ({rid!r}): {name} must be a timezone-aware datetime, "
                    f"got {value!r}",
                    field=name,
                    record=index,
                )
        row = {c: record.get(c) for c in INSERT_COLUMNS}
        row["id"] = rid
        row["lon"], row["lat"] = float(row["lon"]), float(row["lat"])
        row["updated_at"] = record.get("updated_at") or now
        _workflow_fields(row, index, limits)
        if rid in seen:
            repeated.append(row)
            continue
        seen[rid] = row
        rows.append(row)
    stored: set[str] = set()
    dialect = engine.dialect.name
    statement = (
        upsert_insert(dialect, table).on_conflict_do_nothing(index_elements=["id"])
        .returning(table.c.id)
    )  # fmt: skip
    with engine.begin() as conn:
        if dialect == "sqlite":
            stored.update(_insert_sqlite(conn, table, rows))
        elif engine.dialect.driver == "psycopg":
            stored.update(_insert_psycopg(conn, table, rows))
        else:
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                stored.update(conn.execute(statement, chunk).scalars().all())
        if stored:
            bump(conn, versions)
        present = [r["id"] for r in rows if r["id"] not in stored]
        before = _content(conn, table, present)
    # The batch's own first copy of a repeated id is what it is compared with when new.
    before.update({rid: seen[rid] for rid in stored})
    dupes: list[str] = []
    conflicts: list[Conflict] = []
    for row in [*(r for r in rows if r["id"] not in stored), *repeated]:
        dupes.append(row["id"])
        differ = _differences(row, before.get(row["id"]))
        if differ:
            conflicts.append(Conflict(row["id"], differ))
    ordered = tuple(r["id"] for r in rows if r["id"] in stored)
    return InsertResult(stored=ordered, duplicates=tuple(dupes), conflicts=tuple(conflicts))


def _workflow_fields(row: dict[str, Any], index: int, limits: Mapping[str, Limits]) -> None:
    """Fill the workflow columns of a new row: its state (from the status), times, deadlines."""
    state = row.get("state") or LEGACY_STATES.get(row["status"])
    if state not in STATES:
        raise StoreError(
            f"record {index} ({row['id']!r}): unknown state {state!r}", field="state", record=index
        )
    row["state"] = state
    row["status"] = STATUS_OF_STATE[state]
    if row["registered_at"] is None and state not in ("reported", "returned"):
        later = [row[c] for c in ("dispatched_at", "resolved_at", "closed_at") if row[c]]
        row["registered_at"] = min(later) if later else row["reported_at"]
    if row["handled_at"] is None and state in ("handled", "closed"):
        row["handled_at"] = row["resolved_at"]
    row["escalation"] = int(row["escalation"] or 0)
    row["reworks"] = int(row["reworks"] or 0)
    if row["due_at"] is None and row["close_due_at"] is None:
        row.update(deadline_values(row["category"], state, row["reported_at"], limits))


def _content(conn: sa.Connection, table: sa.Table, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Return the stored :data:`CONTENT` of ``ids`` (read in pages of 500 ids)."""
    found: dict[str, dict[str, Any]] = {}
    columns = [table.c.id, *(table.c[c] for c in CONTENT)]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in conn.execute(sa.select(*columns).where(table.c.id.in_(chunk))).mappings():
            found[row["id"]] = dict(row)
    return found


def _differences(row: Mapping[str, Any], stored: Mapping[str, Any] | None) -> tuple[str, ...]:
    """Return the :data:`CONTENT` fields where ``row`` differs from ``stored``."""
    if stored is None:
        return ()
    return tuple(c for c in CONTENT if _same_value(row.get(c)) != _same_value(stored.get(c)))


def _same_value(value: Any) -> Any:
    """Return ``value`` in a comparable form (times in UTC to the microsecond, "" as None)."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC)
    return None if value == "" else value


def _insert_sqlite(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> list[str]:
    """Insert on SQLite with multi-row VALUES statements built here, returning new ids.

    Same SQL as the SQLAlchemy path (``ON CONFLICT (id) DO NOTHING RETURNING id``, so the
    ids are exact even with concurrent writers) but about 3x faster: times are formatted
    once, in SQLAlchemy's SQLite storage format, instead of through per-row processors.
    """
    columns = INSERT_COLUMNS
    times = set(ALL_TIME_COLUMNS)
    one = "(" + ",".join("?" * len(columns)) + ")"
    head = f'INSERT INTO "{table.name}" ({",".join(columns)}) VALUES '
    tail = " ON CONFLICT (id) DO NOTHING RETURNING id"
    per = 999  # 999 x 26 parameters stays under SQLite's limit of 32,766
    stored: list[str] = []
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        params = [(sqlite_time(row[c]) if c in times else row[c]) for row in chunk for c in columns]
        sql = head + ",".join([one] * len(chunk)) + tail
        stored.extend(r[0] for r in conn.exec_driver_sql(sql, tuple(params)))
    return stored


def _insert_psycopg(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> list[str]:
    """Insert on PostgreSQL with psycopg's pipelined ``executemany(..., returning=True)``.

    About 10x faster than SQLAlchemy's multi-row VALUES here, whose long statements
    psycopg re-parses for every page.
    """
    columns = INSERT_COLUMNS
    sql = (
        f'INSERT INTO "{table.name}" ({",".join(columns)}) '
        f"VALUES ({','.join(['%s'] * len(columns))}) ON CONFLICT (id) DO NOTHING RETURNING id"
    )
    params = [tuple(row[c] for c in columns) for row in rows]
    stored: list[str] = []
    if not params:
        return stored
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.executemany(sql, params, returning=True)
        while True:
            stored.extend(r[0] for r in cursor.fetchall())
            if not cursor.nextset():
                break
    finally:
        cursor.close()
    return stored


def update_status(
    engine: sa.Engine,
    table: sa.Table,
    versions: sa.Table,
    incident_id: str,
    status: str,
    *,
    clock: Clock,
    at: datetime | None = None,
    unit: str | None = None,
    within: Sequence[tuple[int, str]] | None = None,
    events: sa.Table | None = None,
    limits: Mapping[str, Limits] | None = None,
    actor: Any = None,
) -> dict[str, Any]:
    """Move an incident along the legacy workflow and set the time of the new status.

    The loop's state follows (:data:`gridmap.incidents.workflow.LEGACY_STATES`), its stored
    deadlines too, and the change is one row of the timeline ``events`` (as the action of
    :data:`LEGACY_ACTIONS`, by ``actor``, a :class:`~gridmap.access.roles.Principal`).

    Allowed changes are :data:`gridmap.incidents.categories.TRANSITIONS`; asking for the
    status it already has changes nothing (a retried request succeeds). Reopening
    (``resolved -> dispatched``) clears ``resolved_at``.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The database.
    table, versions : sqlalchemy.Table
        The incident table and the change counter.
    incident_id : str
        The incident's id.
    status : str
        One of ``reported``, ``dispatched``, ``resolved``, ``closed``.
    clock : callable
        Gives ``updated_at``, and ``at`` when not given.
    at : datetime, optional
        When it happened (aware); default now. Not before the earlier stages' times.
    unit : str, optional
        Responsible unit to record (e.g. when dispatching to another unit).
    within : sequence of (level, grid id), optional
        The writer's scope (as in :func:`gridmap.incidents.queries.where_clauses`): an
        incident outside it is not found, exactly like an unknown one.
    events, limits, actor : optional
        The timeline table, the deadline limits and who acts.

    Returns
    -------
    dict
        The incident after the change.

    Raises
    ------
    IncidentNotFound
        Unknown id, or an incident outside ``within``.
    IllegalTransition
        The workflow does not allow the change.
    StoreError
        Unknown status, or ``at`` before an earlier stage.
    """
    if status not in STATUSES:
        raise StoreError(
            f"unknown status {status!r}; known: {', '.join(STATUSES)}",
            field="status",
            record=incident_id,
        )
    at = at or clock()
    if at.tzinfo is None:
        raise StoreError("'at' must be timezone-aware", field="at", record=incident_id)
    t = table
    scope = where_clauses(engine, table, within=within)
    with engine.begin() as conn:
        row = None
        if scope is not None:
            stmt = sa.select(t).where(t.c.id == incident_id, *scope)
            row = conn.execute(stmt).mappings().first()
        if row is None:
            raise IncidentNotFound(f"no incident with id {incident_id!r}", record=incident_id)
        current = row["status"]
        if current == status:
            return dict(row)
        if status not in TRANSITIONS[current]:
            allowed = ", ".join(sorted(TRANSITIONS[current])) or "none (final)"
            raise IllegalTransition(
                f"incident {incident_id!r}: cannot go from {current!r} to {status!r}; "
                f"allowed from {current!r}: {allowed}",
                field="status",
                record=incident_id,
            )
        earlier = [c for c in TIME_COLUMNS if row[c] is not None]
        latest = max(earlier, key=lambda c: row[c])
        if at < row[latest]:
            raise StoreError(
                f"incident {incident_id!r}: time {at.isoformat()} is before "
                f"{latest} {row[latest].isoformat()}",
                field="at",
                record=incident_id,
            )
        values: dict[str, Any] = {"status": status, "updated_at": clock()}
        values[STATUS_TIME[status]] = at
        state = LEGACY_STATES[status]
        values["state"] = state
        if current == "resolved" and status == "dispatched":
            values["resolved_at"] = None
            values["handled_at"] = None
            values["reworks"] = (row["reworks"] or 0) + 1
        if status == "resolved":
            values["handled_at"] = at
        if row["registered_at"] is None:
            values["registered_at"] = at
        if unit is not None:
            values["unit"] = unit
        limits = default_limits() if limits is None else limits
        values.update(deadline_values(row["category"], state, row["reported_at"], limits))
        # Compare-and-set on the status read above: a concurrent change makes this a no-op.
        done = conn.execute(
            sa.update(t).where(t.c.id == incident_id, t.c.status == current).values(values)
        )
        if done.rowcount != 1:
            raise IllegalTransition(
                f"incident {incident_id!r} changed while updating; read it again",
                field="status",
                record=incident_id,
            )
        if events is not None:
            action = LEGACY_ACTIONS[(current, status)]
            note = f"PATCH status={status}"
            conn.execute(
                sa.insert(events),
                event_row(incident_id, at, actor, action, row["state"], state, unit, note),
            )
        bump(conn, versions)
        updated = conn.execute(sa.select(t).where(t.c.id == incident_id)).mappings().one()
    return dict(updated)
