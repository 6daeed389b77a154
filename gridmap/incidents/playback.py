"""Playback of the incident map: the window each step shows and how the player moves on."""

from __future__ import annotations

from datetime import date, timedelta

#: Days per playback step.
STEPS = {"day": 1, "week": 7}


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


def play_step(
    playing: bool,
    offset: int | None,
    last: int | None,
    step: str | None,
    *,
    pressed: bool = False,
    ticked: bool = False,
) -> tuple[bool, int | None]:
    """Return whether the player runs and the slider's offset after a press or a tick.

    Parameters
    ----------
    playing : bool
        Whether it ran before.
    offset : int or None
        The slider's day offset.
    last : int or None
        The slider's last offset.
    step : {"day", "week"} or None
        Length of a step (anything but ``"week"`` is a day).
    pressed : bool
        The play button was pressed: play from the first day, or stop and go back to the
        whole range (offset 0).
    ticked : bool
        The player's interval ticked: move on one step while playing, and stop (offset 0)
        past the last offset.

    Returns
    -------
    tuple of (bool, int or None)
        ``(playing, offset)``; unchanged when neither pressed nor ticked while playing.
    """
    if pressed:
        return not playing, 0
    if ticked and playing:
        offset = int(offset or 0) + STEPS["week" if step == "week" else "day"]
        if offset > int(last or 0):
            return False, 0
    return playing, offset
