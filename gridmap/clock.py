"""Time in one place: the district's local time zone and the clock that every time rule is given.

Code that needs "now" takes a ``clock`` argument (a callable returning an aware UTC datetime) rather
than reading the system time, so tests pass a fake clock and never sleep or depend on the date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

#: The district's local time zone (China Standard Time, UTC+8, no daylight saving).
LOCAL_TZ_NAME = "Asia/Shanghai"
LOCAL_TZ = ZoneInfo(LOCAL_TZ_NAME)

#: A clock: returns the current time as an aware UTC datetime.
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Return the system's current time, aware, in UTC."""
    return datetime.now(UTC)


def local_now(clock: Clock = system_clock) -> datetime:
    """Return ``clock()`` in the district's local time zone."""
    return clock().astimezone(LOCAL_TZ)


def local_today(clock: Clock = system_clock) -> date:
    """Return today's date in the district's local time zone, by ``clock``."""
    return local_now(clock).date()


def local_stamp(stamp: str | None) -> str:
    """Return an ISO time stamp (as stored, UTC) as local wall-clock time ``YYYY-MM-DD HH:MM:SS``.

    Text that is not an ISO time is returned unchanged; None or empty gives ``""``.
    """
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S")
