"""Validation of incoming incident records (API bodies, imported files) before they are stored.

A record is a JSON object with these fields (unknown fields are refused, so a typo such as
``catgory`` is reported rather than silently dropped):

=============== ======== ==================================================================
field           required rule
=============== ======== ==================================================================
id              yes      1-64 characters ``A-Z a-z 0-9 . _ : -``, first a letter or digit;
                         the reporter's own id: sending it again stores nothing new
category        yes      a category id of the district (its ``categories.json``)
reported_at     yes      ISO-8601 time (see below)
lon, lat        yes      numbers (degrees, WGS84) inside the district
status          no       ``reported`` (default), ``dispatched``, ``resolved``, ``closed``
dispatched_at   no       ISO-8601; only when status is dispatched or later
resolved_at     no       ISO-8601; required when status is resolved or closed, else refused
closed_at       no       ISO-8601; only when status is closed
reporter        no       grid member, up to 64 characters
description     no       up to 2,000 characters
unit            no       responsible unit, up to 100 characters (default: the category's)
=============== ======== ==================================================================

Times: ISO-8601 (``2025-03-01T08:30:00+08:00``, ``2025-03-01T00:30:00Z``). A time without an
offset is taken as **UTC**. Times must be in order (reported <= dispatched <= resolved <=
closed) and not more than 10 minutes in the future. Every problem is reported, each naming the
record (index in the batch, and its id when readable) and the field. A sender limited to some
grids (a token made with ``--grid``) may only report incidents inside them: a record elsewhere is
refused (field ``lon/lat``, "outside the token's grid").
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from gridmap.access.roles import Scope
from gridmap.clock import Clock, system_clock
from gridmap.errors import IntakeError  # noqa: F401 (re-exported)
from gridmap.incidents.assign import OUTSIDE, GridAssigner
from gridmap.incidents.categories import DEFAULTS, STATUSES, Categories
from gridmap.incidents.tables import GRID_COLUMNS, MAX_LENGTHS, TIME_COLUMNS

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
#: Fields a record may carry.
FIELDS: tuple[str, ...] = (
    "id", "category", "status", *TIME_COLUMNS, "lon", "lat", "reporter", "description", "unit",
)  # fmt: skip
REQUIRED: tuple[str, ...] = ("id", "category", "reported_at", "lon", "lat")
TEXT_FIELDS: tuple[str, ...] = ("reporter", "description", "unit")
#: Clock skew tolerated for times in the future.
FUTURE_TOLERANCE = timedelta(minutes=10)
#: Which status a time field needs at least (its stage), in workflow order.
_STAGE = {"dispatched_at": 1, "resolved_at": 2, "closed_at": 3}


@dataclass(frozen=True)
class Rejection:
    """One problem with one record: where (index, id), which field, and what is wrong."""

    index: int
    id: str | None
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form ``{index, id, field, message}``."""
        return asdict(self)


@dataclass(frozen=True)
class IntakeResult:
    """Outcome of :func:`validate_records`."""

    #: Clean records ready for :meth:`IncidentStore.insert` (with g1..g5), in input order.
    records: list[dict[str, Any]]
    #: Input index of each clean record.
    indexes: list[int]
    #: Every problem found, by record index then field order.
    rejected: list[Rejection]

    @property
    def rejected_indexes(self) -> list[int]:
        """Return the indexes of refused records, each once, sorted."""
        return sorted({r.index for r in self.rejected})


def parse_time(value: Any) -> datetime:
    """Parse an ISO-8601 time; no offset means UTC. Return an aware UTC datetime.

    Raises
    ------
    ValueError
        With a message fit for the API answer.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"{value!r} is not an ISO-8601 time (e.g. 2025-03-01T08:30:00+08:00)"
            ) from None
        if "T" not in text and " " not in text:
            raise ValueError(f"{value!r} is a date without a time of day")
    else:
        raise ValueError(f"must be an ISO-8601 time string, got {_kind(value)}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        # 9999-12-31T23:00-05:00 or 0001-01-01T00:00+05:00: no such time in UTC.
        raise ValueError(f"{value!r} is out of range (years 1-9999 in UTC)") from None


def text_problem(value: str) -> str | None:
    r"""Return why ``value`` cannot be stored as text (NUL, lone surrogate), or None.

    PostgreSQL refuses NUL in text and no database encodes a lone surrogate (``"\ud800"``),
    so both are refused here, the same on every database, before anything is written.
    """
    if "\x00" in value:
        return "must not contain the NUL character (\\u0000)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text (it holds a lone surrogate such as \\ud800)"
    return None


def records_of(payload: Any) -> list[Any]:
    """Return the list of records in a JSON body: one object, a list, or ``{"incidents": []}``.

    Raises
    ------
    IntakeError
        When the body is none of these.
    """
    if isinstance(payload, list):
        return payload
    if isinstance(payload, Mapping):
        if set(payload) == {"incidents"}:
            inner = payload["incidents"]
            if not isinstance(inner, list):
                raise IntakeError(f"'incidents' must be a list, got {_kind(inner)}")
            return inner
        return [payload]
    raise IntakeError(
        f'expected an incident object, a list of them or {{"incidents": [...]}}, '
        f"got {_kind(payload)}"
    )


def validate_records(
    records: Sequence[Any],
    assigner: GridAssigner,
    *,
    now: datetime | None = None,
    first_index: int = 0,
    clock: Clock = system_clock,
    scope: Scope | None = None,
    categories: Categories = DEFAULTS,
) -> IntakeResult:
    """Check records and assign their grids; return the clean ones and every problem.

    Parameters
    ----------
    records : sequence
        Parsed JSON values (each should be an object).
    assigner : GridAssigner
        The district's grids: a location must fall inside the district.
    now : datetime, optional
        The present (aware), for the "not in the future" rule; default ``clock()``.
    first_index : int
        Index of ``records[0]`` in the whole batch or file (the importer validates chunks).
    clock : callable
        Gives the present when ``now`` is not given (default the system clock).
    scope : Scope, optional
        The sender's grids: a location outside them is refused (default: the whole district).
    categories : Categories, optional
        The district's categories (``District.categories``; default the twelve defaults): a
        record of another category is refused, and one without ``unit`` gets its default unit.

    Returns
    -------
    IntakeResult
    """
    now = now or clock()
    problems: list[Rejection] = []
    candidates: list[tuple[int, dict[str, Any]]] = []
    for offset, raw in enumerate(records):
        index = first_index + offset
        clean, found = _check_one(raw, index, now, categories)
        problems.extend(found)
        if not found:
            candidates.append((index, clean))
    good: list[tuple[int, dict[str, Any]]] = []
    if candidates:
        lon = np.array([c["lon"] for _, c in candidates], dtype=float)
        lat = np.array([c["lat"] for _, c in candidates], dtype=float)
        where = assigner.assign(lon, lat)
        for (index, clean), cell in zip(candidates, where, strict=True):
            if cell == OUTSIDE:
                problems.append(
                    Rejection(
                        index, clean["id"], "lon/lat",
                        f"({clean['lon']}, {clean['lat']}) is outside the district",
                    )
                )  # fmt: skip
                continue
            chain = assigner.ancestors[cell]
            if scope is not None and not scope.contains(chain):
                problems.append(
                    Rejection(
                        index, clean["id"], "lon/lat",
                        f"({clean['lon']}, {clean['lat']}) is outside the token's grid "
                        f"{', '.join(scope.roots or ()) or '(none)'}",
                    )
                )  # fmt: skip
                continue
            clean.update(zip(GRID_COLUMNS, chain, strict=True))
            good.append((index, clean))
    problems.sort(key=lambda p: p.index)
    return IntakeResult(
        records=[c for _, c in good], indexes=[i for i, _ in good], rejected=problems
    )


def _check_one(
    raw: Any, index: int, now: datetime, categories: Categories
) -> tuple[dict[str, Any], list[Rejection]]:
    if not isinstance(raw, Mapping):
        return {}, [Rejection(index, None, "record", f"must be an object, got {_kind(raw)}")]
    rid = raw.get("id")
    shown_id = rid if isinstance(rid, str) else None
    problems: list[Rejection] = []

    def bad(field: str, message: str) -> None:
        problems.append(Rejection(index, shown_id, field, message))

    for name in raw:
        if name not in FIELDS:
            bad(str(name)[:64], f"unknown field; known: {', '.join(FIELDS)}")
    for name in REQUIRED:
        if raw.get(name) is None or raw.get(name) == "":
            bad(name, "is required")
    clean: dict[str, Any] = {}
    if isinstance(rid, str) and rid:
        if ID_PATTERN.fullmatch(rid):
            clean["id"] = rid
        else:
            bad("id", "must be 1-64 characters A-Z a-z 0-9 . _ : - starting with a letter or digit")
    elif rid is not None and rid != "":
        bad("id", f"must be a string, got {_kind(rid)}")

    category = raw.get("category")
    if category is not None and category != "":
        if not isinstance(category, str):
            bad("category", f"must be a string, got {_kind(category)}")
        elif category in categories:
            clean["category"] = category
        else:
            known = ", ".join(categories.ids)
            bad("category", f"unknown category {_short(category)}; known: {known}")

    status = raw.get("status")
    if status is None or status == "":
        status = "reported"
    if not isinstance(status, str):
        bad("status", f"must be a string, got {_kind(status)}")
    elif status in STATUSES:
        clean["status"] = status
    else:
        bad("status", f"unknown status {_short(status)}; known: {', '.join(STATUSES)}")

    for name in ("lon", "lat"):
        value = raw.get(name)
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            bad(name, f"must be a number, got {_kind(value)}")
            continue
        limit = 180 if name == "lon" else 90
        # abs() first: math.isfinite(10**400) raises OverflowError on an int too big for float.
        if abs(value) > limit or not math.isfinite(value):
            bad(name, f"must be a finite number between -{limit} and {limit}, got {_short(value)}")
            continue
        clean[name] = float(value)

    for name in TIME_COLUMNS:
        value = raw.get(name)
        if value is None or value == "":
            continue
        try:
            when = parse_time(value)
        except ValueError as exc:
            bad(name, str(exc))
            continue
        if when > now + FUTURE_TOLERANCE:
            bad(name, f"{when.isoformat()} is in the future")
            continue
        clean[name] = when

    if "status" in clean:
        stage = STATUSES.index(clean["status"])
        for name, needs in _STAGE.items():
            if raw.get(name) not in (None, "") and stage < needs:
                bad(name, f"not allowed while status is {clean['status']!r}")
                clean.pop(name, None)
        if stage >= _STAGE["resolved_at"] and raw.get("resolved_at") in (None, ""):
            bad("resolved_at", f"is required when status is {clean['status']!r}")
    # Each stage's time no earlier than the one before it.
    last_name, last = None, None
    for name in TIME_COLUMNS:
        if name in clean:
            if last is not None and clean[name] < last:
                bad(name, f"{clean[name].isoformat()} is before {last_name} {last.isoformat()}")
            last_name, last = name, clean[name]

    for name in TEXT_FIELDS:
        value = raw.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            bad(name, f"must be a string, got {_kind(value)}")
        elif text_problem(value):
            bad(name, str(text_problem(value)))
        elif len(value) > MAX_LENGTHS[name]:
            bad(name, f"is {len(value)} characters long; at most {MAX_LENGTHS[name]}")
        else:
            clean[name] = value or None
    if "unit" not in clean and clean.get("category"):
        clean["unit"] = categories.default_unit(clean["category"]).zh
    return clean, problems


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    for kind, name in names.items():
        if isinstance(value, kind):
            return f"{name} {_short(value)}" if kind in (str, bool) else name
    if isinstance(value, int | float):
        return f"the number {_short(value)}"
    return type(value).__name__


def _short(value: Any, width: int = 60) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int of more digits than Python turns into text
        text = f"<an integer of {value.bit_length()} bits>"
    return text if len(text) <= width else text[: width - 3] + "..."
