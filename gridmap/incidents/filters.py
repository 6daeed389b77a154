"""The incident filters of the map (dates, categories, statuses, playback window) as plain data."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from gridmap.incidents.categories import CATEGORY_IDS, STATUSES

#: Days are the district's days (China Standard Time).
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
STEPS = {"day": 1, "week": 7}


@dataclass(frozen=True)
class IncidentFilters:
    """Which incidents the map shows: reported from ``start`` to ``end`` (local dates, inclusive).

    Empty ``categories`` means every category; ``statuses`` None means every status, and an
    empty tuple means none (nothing is shown).
    """

    start: str
    end: str
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        """Refuse unknown categories or statuses and bad dates, naming them."""
        date.fromisoformat(self.start)
        date.fromisoformat(self.end)
        unknown = sorted(set(self.categories) - set(CATEGORY_IDS))
        if unknown:
            raise ValueError(f"unknown categories {unknown}")
        unknown = sorted(set(self.statuses or ()) - set(STATUSES))
        if unknown:
            raise ValueError(f"unknown statuses {unknown}")

    def store_filters(self) -> dict:
        """Return the keyword filters of :meth:`IncidentStore.query`."""
        start = datetime.combine(date.fromisoformat(self.start), time(), LOCAL_TZ)
        end = datetime.combine(date.fromisoformat(self.end) + timedelta(days=1), time(), LOCAL_TZ)
        return {
            "start": start,
            "end": end,
            "categories": list(self.categories) or None,
            "statuses": None if self.statuses is None else list(self.statuses),
        }

    def key(self) -> str:
        """Return a short stable text for cache keys."""
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_key(cls, key: str) -> IncidentFilters:
        """Rebuild filters from :meth:`key`."""
        data = json.loads(key)
        data["categories"] = tuple(data.get("categories") or ())
        statuses = data.get("statuses")
        data["statuses"] = None if statuses is None else tuple(statuses)
        return cls(**data)


def default_range(today: date, days: int = 365) -> tuple[str, str]:
    """Return the default date range: the last ``days`` days up to ``today``."""
    return (today - timedelta(days=days - 1)).isoformat(), today.isoformat()


def local_today(now: datetime | None = None) -> date:
    """Return today's date in the district."""
    return (now or datetime.now(LOCAL_TZ)).astimezone(LOCAL_TZ).date()


def playback_window(start: str, end: str, offset_days: int, step: str) -> tuple[str, str]:
    """Return the window a playback step shows: ``step`` days from ``start + offset_days``.

    The window never runs past ``end``.
    """
    days = STEPS[step]
    first = date.fromisoformat(start) + timedelta(days=int(offset_days))
    last = min(first + timedelta(days=days - 1), date.fromisoformat(end))
    return first.isoformat(), last.isoformat()


def span_days(start: str, end: str) -> int:
    """Return the number of days from ``start`` to ``end`` inclusive."""
    return (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
