"""The incident filters of the map (dates, categories, statuses, playback window) as plain data."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from gridmap.clock import LOCAL_TZ
from gridmap.incidents.categories import DEFAULTS, STATUSES, Categories
from gridmap.incidents.playback import playback_window, span_days


@dataclass(frozen=True)
class IncidentFilters:
    """Which incidents the map shows: reported from ``start`` to ``end`` (local dates, inclusive).

    Empty ``categories`` means every category; ``statuses`` None means every status, and an
    empty tuple means none (nothing is shown). Category ids are checked against the
    district's by :meth:`refuse_unknown` (:func:`chosen_filters` does it).
    """

    start: str
    end: str
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        """Refuse unknown statuses, categories that are not text and bad dates, naming them."""
        date.fromisoformat(self.start)
        date.fromisoformat(self.end)
        odd = sorted(repr(c) for c in self.categories if not isinstance(c, str) or not c)
        if odd:
            raise ValueError(f"categories must be ids (text), got {', '.join(odd)}")
        unknown = sorted(set(self.statuses or ()) - set(STATUSES))
        if unknown:
            raise ValueError(f"unknown statuses {unknown}")

    def refuse_unknown(self, categories: Categories = DEFAULTS) -> IncidentFilters:
        """Return these filters, refusing categories that are not the district's."""
        unknown = sorted(set(self.categories) - set(categories.ids))
        if unknown:
            raise ValueError(f"unknown categories {unknown}")
        return self

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


def chosen_filters(
    start: str,
    end: str,
    categories: Iterable[str] | None,
    statuses: Iterable[str] | None,
    *,
    offset: int | None = 0,
    playing: bool = False,
    step: str | None = "week",
    known: Categories = DEFAULTS,
) -> tuple[IncidentFilters, int]:
    """Normalise the filter controls into the filters shown and the playback slider's last step.

    Parameters
    ----------
    start, end : str
        The date picker's dates (a time of day after the date is cut; swapped when reversed).
    categories : iterable of str or None
        The categories picked (none: every category); kept sorted.
    statuses : iterable of str or None
        The statuses ticked: None or every status means every status (``statuses=None``).
    offset : int, optional
        The playback slider's day offset; above 0 (or while ``playing``) the filters cover
        only the playback window of ``step`` (default ``"week"``).
    playing : bool
        Whether the playback runs.
    step : {"day", "week"}, optional
        Length of the playback window.
    known : Categories, optional
        The district's categories: another one is refused (ValueError).

    Returns
    -------
    tuple of (IncidentFilters, int)
        The filters and the slider's maximum (days of the range less one, at least 1).
    """
    start, end = str(start)[:10], str(end)[:10]
    if end < start:
        start, end = end, start
    days = span_days(start, end)
    first, last = start, end
    if playing or (offset or 0) > 0:
        first, last = playback_window(start, end, int(offset or 0), step or "week")
    every = statuses is None or set(statuses) >= set(STATUSES)
    chosen = IncidentFilters(
        start=first,
        end=last,
        categories=tuple(sorted(categories or ())),
        statuses=None if every else tuple(sorted(statuses)),
    ).refuse_unknown(known)
    return chosen, max(days - 1, 1)


def first_state(start: str, end: str, lang: str, known: Categories = DEFAULTS) -> dict:
    """Return the filter row's state on a page load: every category and status, no playback.

    ``{"filters": key, "max": the slider's last step, "label": the window's text}``: what the
    filter callback answers for the layout's controls (dates ``start``-``end``, ISO), so the
    page can start with it.
    """
    from gridmap.i18n import t

    chosen, last = chosen_filters(start, end, [], list(STATUSES), known=known)
    label = t("filters-window", lang, start=chosen.start, end=chosen.end)
    return {"filters": chosen.key(), "max": last, "label": label}
