"""The wall's figures over time: daily counts, the same-weekday average, changes of the tiles.

Plain rows in (dicts with aware ``reported_at``, ``resolved_at``, ``closed_at``,
``dispatched_at``, ``category``, ``status``), plain numbers out; no Dash. Every function that
depends on the time takes ``now`` (aware). Days are local days (:data:`LOCAL_TZ`, UTC+8).

A change compares a figure with the same figure one period earlier *at the same point of the
period*: "today" (since local midnight, up to now) against yesterday up to the same time of day
(环比 of the day), "this week" against last week up to the same day and time, a state such as
"open" or "overdue" against the state 24 hours ago. So a morning never looks like a collapse
against a whole day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from gridmap.clock import LOCAL_TZ
from gridmap.incidents.categories import OPEN_STATUSES
from gridmap.incidents.deadlines import Limits
from gridmap.incidents.due_columns import limits_of

#: Days of the trend panel (today included).
TREND_DAYS = 30
#: Weeks of the same-weekday average (the same weekday of each of the previous weeks).
SAME_WEEKDAY_WEEKS = 4
#: Which direction of change is good, by tile: "down" (fewer is good), "up" (more is good).
GOOD_DIRECTION: dict[str, str] = {
    "today": "down",
    "week": "down",
    "open": "down",
    "overdue": "down",
    "resolved_today": "up",
    "on_time_rate": "up",
    # Hours from the report to the first dispatch: faster is good.
    "dispatch_time": "down",
}
#: The period each tile is compared with: one day earlier, or one week earlier.
PERIOD: dict[str, str] = {
    "today": "day",
    "week": "week",
    "open": "day",
    "overdue": "day",
    "resolved_today": "day",
    "on_time_rate": "week",
    "dispatch_time": "week",
}


def day_start(now: datetime) -> datetime:
    """Return local midnight of ``now``'s day (aware, in :data:`LOCAL_TZ`)."""
    local = now.astimezone(LOCAL_TZ)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def week_start(now: datetime) -> datetime:
    """Return Monday 00:00 local of ``now``'s week."""
    start = day_start(now)
    return start - timedelta(days=start.weekday())


def count_between(times: Iterable[datetime | None], start: datetime, end: datetime) -> int:
    """Return how many of ``times`` fall in ``[start, end)`` (None never does)."""
    return sum(1 for t in times if t is not None and start <= t < end)


def daily_counts(
    times: Sequence[datetime], now: datetime, days: int = TREND_DAYS
) -> list[tuple[date, int]]:
    """Return (local day, incidents reported that day) for the ``days`` days up to today.

    Oldest first; today (the last) counts up to ``now`` only.
    """
    today = day_start(now)
    out = []
    for back in range(days - 1, -1, -1):
        start = today - timedelta(days=back)
        out.append((start.date(), count_between(times, start, min(start + timedelta(1), now))))
    return out


def same_weekday_average(
    times: Sequence[datetime], now: datetime, weeks: int = SAME_WEEKDAY_WEEKS
) -> float:
    """Return the mean count of the same weekday in the previous ``weeks`` weeks, up to now's time.

    For Thursday 10:00 it is the mean of the incidents reported on the four previous
    Thursdays between 00:00 and 10:00: the fair yardstick of today so far.
    """
    start, elapsed = day_start(now), now - day_start(now)
    counts = [
        count_between(times, start - timedelta(weeks=k), start - timedelta(weeks=k) + elapsed)
        for k in range(1, weeks + 1)
    ]
    return sum(counts) / weeks


@dataclass(frozen=True)
class Change:
    """A figure against its value one period earlier, and what the change means."""

    current: float | None
    previous: float | None
    #: "up", "down" or "flat" (None when either value is unknown).
    direction: str | None
    #: "good", "bad" or "neutral" (flat or unknown).
    meaning: str
    #: current - previous (None when either is unknown).
    delta: float | None
    #: delta / previous (None when previous is 0 or unknown).
    ratio: float | None


def change(
    current: float | None, previous: float | None, good: str = "down", tolerance: float = 1e-9
) -> Change:
    """Return the change from ``previous`` to ``current``; ``good`` says which way is good.

    Parameters
    ----------
    current, previous : float or None
        The figure now and one period earlier (None: unknown).
    good : {"down", "up"}
        "down": fewer is good (incidents, open and overdue cases); "up": more is good (resolved
        cases, on-time closure).
    tolerance : float
        Changes smaller than this are flat.
    """
    if good not in ("down", "up"):
        raise ValueError(f"good must be 'down' or 'up', got {good!r}")
    if current is None or previous is None:
        return Change(current, previous, None, "neutral", None, None)
    delta = current - previous
    direction = "flat" if abs(delta) <= tolerance else ("up" if delta > 0 else "down")
    if direction == "flat":
        meaning = "neutral"
    else:
        meaning = "good" if direction == good else "bad"
    ratio = delta / previous if previous else None
    return Change(current, previous, direction, meaning, delta, ratio)


# -- the states of cases at a time -------------------------------------------------------
def open_at(row: Mapping, when: datetime) -> bool:
    """Return whether ``row`` was open (reported, not resolved nor closed) at ``when``."""
    if row["reported_at"] > when:
        return False
    for column in ("resolved_at", "closed_at"):
        if row.get(column) is not None and row[column] <= when:
            return False
    return True


def stage_at(row: Mapping, when: datetime) -> str | None:
    """Return the deadline ``row`` was running against at ``when``, from its times.

    As the dispatch workflow counts it (:data:`~gridmap.incidents.deadlines.STAGE_OF_STATE`):
    ``register`` until registered, ``dispatch`` until dispatched, then ``close`` (handled
    cases too) until closed; None before it was reported or once closed.
    """
    if row["reported_at"] > when:
        return None
    closed = row.get("closed_at")
    if closed is not None and closed <= when:
        return None
    for column, stage in (("handled_at", "close"), ("dispatched_at", "close"),
                          ("registered_at", "dispatch")):  # fmt: skip
        at = row.get(column)
        if at is not None and at <= when:
            return stage
    return "register"


def is_open_now(row: Mapping) -> bool:
    """Return whether ``row``'s status now is an open one."""
    return row["status"] in OPEN_STATUSES


def overdue_at(row: Mapping, when: datetime, limits: Mapping[str, Limits]) -> float | None:
    """Return the seconds ``row`` was past its running deadline at ``when`` (None: it was not).

    Deadlines count from the report (:func:`gridmap.incidents.deadlines.due`); a category
    without limits takes the workflow's fallback limits.
    """
    stage = stage_at(row, when)
    if stage is None:
        return None
    limit = limits_of(row["category"], limits)
    due_at = row["reported_at"] + timedelta(hours=getattr(limit, stage))
    return (when - due_at).total_seconds() if due_at < when else None


def on_time(row: Mapping, limits: Mapping[str, Limits]) -> bool | None:
    """Return whether ``row`` was resolved in its closing limit (None: not resolved, no limit)."""
    done = row.get("resolved_at") or row.get("closed_at")
    if done is None or row["category"] not in limits:
        return None
    return done <= row["reported_at"] + timedelta(hours=limits[row["category"]].close)


def on_time_rate(
    rows: Iterable[Mapping], start: datetime, end: datetime, limits: Mapping[str, Limits]
) -> float | None:
    """Return the share of the cases resolved in ``[start, end)`` that were resolved on time."""
    verdicts = []
    for row in rows:
        done = row.get("resolved_at") or row.get("closed_at")
        if done is not None and start <= done < end:
            verdict = on_time(row, limits)
            if verdict is not None:
                verdicts.append(verdict)
    return sum(verdicts) / len(verdicts) if verdicts else None


def tile_figures(
    reported: Sequence[datetime],
    active: Sequence[Mapping],
    now: datetime,
    limits: Mapping[str, Limits],
    overdue_now: int | None = None,
    on_time: tuple[float | None, float | None] | None = None,
    dispatch: tuple[float | None, float | None] | None = None,
) -> dict[str, tuple[float | None, float | None]]:
    """Return (now, one period earlier) of every tile of :data:`GOOD_DIRECTION`.

    ``overdue_now`` (the store's overdue queue) and ``on_time`` (the dispatch figures' on-time
    closure rates of this week and last week) replace the figures computed here from the rows;
    ``dispatch`` (the dispatch figures' mean hours to dispatch of the last 7 days and of the 7
    before) is the dispatch time tile's (unknown without it).

    Parameters
    ----------
    reported : sequence of datetime
        ``reported_at`` of every incident reported since at least last Monday a week ago.
    active : sequence of dict
        Every case open now or resolved (or closed) since last week's Monday: enough to tell
        the open and overdue cases 24 hours ago and the on-time rates of both weeks.
    now : datetime
        The current time (aware).
    limits : mapping
        Deadlines by category (:func:`gridmap.incidents.deadlines.load_limits`).
    overdue_now : int, optional
        The number of cases overdue now, as the store's queue counts them.
    on_time : (float or None, float or None), optional
        This week's and last week's on-time closure rates.
    dispatch : (float or None, float or None), optional
        This week's and last week's mean hours from report to dispatch.
    """
    day, week = day_start(now), week_start(now)
    one_day, one_week = timedelta(days=1), timedelta(weeks=1)
    before = now - one_day

    def resolved_between(start, end):
        return count_between((r.get("resolved_at") for r in active), start, end)

    return {
        "today": (
            count_between(reported, day, now),
            count_between(reported, day - one_day, before),
        ),
        "week": (
            count_between(reported, week, now),
            count_between(reported, week - one_week, now - one_week),
        ),
        "open": (
            sum(1 for r in active if is_open_now(r)),
            sum(1 for r in active if open_at(r, before)),
        ),
        "overdue": (
            overdue_now
            if overdue_now is not None
            else sum(1 for r in active if overdue_at(r, now, limits) is not None),
            sum(1 for r in active if overdue_at(r, before, limits) is not None),
        ),
        "resolved_today": (resolved_between(day, now), resolved_between(day - one_day, before)),
        "on_time_rate": on_time
        if on_time is not None
        else (
            on_time_rate(active, week, now, limits),
            on_time_rate(active, week - one_week, now - one_week, limits),
        ),
        "dispatch_time": dispatch if dispatch is not None else (None, None),
    }


def tile_changes(figures: Mapping[str, tuple[float | None, float | None]]) -> dict[str, Change]:
    """Return the :class:`Change` of every tile of ``figures`` (:func:`tile_figures`)."""
    return {
        name: change(current, previous, GOOD_DIRECTION[name])
        for name, (current, previous) in figures.items()
    }


#: Tiles whose figure is a share (shown in %, changes in percentage points).
RATES = ("on_time_rate", "population_share")
#: Tiles whose figure is a time in hours (shown with one decimal, changes in hours).
HOURS = ("dispatch_time",)


def value_text(name: str, value: float | None) -> str:
    """Return a tile's figure as shown (``—`` when undefined)."""
    if value is None:
        return "—"
    if name in HOURS:
        return f"{float(value):.1f}"
    return f"{float(value):.1%}" if name in RATES else f"{int(value):,}"


def change_text(name: str, moved: Change, lang: str) -> dict[str, str]:
    """Return the change line of the tile ``name``: its words, arrow and meaning.

    Returns
    -------
    dict
        ``text`` ("较昨日 ▲12 (+29%)", "较上周 ▼2.1个百分点", "较昨日 持平"; "" when either
        value is unknown), ``meaning`` (``good``, ``bad``, ``neutral``: the colour).
    """
    zh = lang == "zh"
    period = PERIOD.get(name, "day")
    against = (
        ("较昨日" if zh else "vs yesterday")
        if period == "day"
        else ("较上周" if zh else "vs last week")
    )
    if moved.direction is None:
        return {"text": "", "meaning": "neutral"}
    # A time that moved less than the tenth of an hour it is shown in has not moved.
    if moved.direction == "flat" or (name in HOURS and abs(moved.delta or 0.0) < 0.05):
        return {"text": f"{against} {'持平' if zh else 'unchanged'}", "meaning": "neutral"}
    arrow = "▲" if moved.direction == "up" else "▼"
    size = abs(moved.delta or 0.0)
    if name in RATES:
        points = f"{size * 100:.1f}"
        amount = f"{points}个百分点" if zh else f"{points} pp"
    elif name in HOURS:
        amount = f"{size:.1f}小时" if zh else f"{size:.1f} h"
    else:
        # A change against an average is fractional: 0.5 must not read "0".
        amount = f"{size:,.0f}" if size >= 10 or float(size).is_integer() else f"{size:.1f}"
        if moved.ratio is not None:
            amount += f" ({moved.ratio:+.0%})"
    return {"text": f"{against} {arrow}{amount}", "meaning": moved.meaning}
