"""A fake clock for tests: time stands still until a test moves it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FakeClock:
    """A callable clock (see :mod:`gridmap.clock`): a set time, moved by :meth:`advance`."""

    def __init__(self, start: datetime | str = "2026-06-15T02:00:00+00:00"):
        now = datetime.fromisoformat(start) if isinstance(start, str) else start
        if now.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self.now = now.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward by ``timedelta(**delta)``; return the new time."""
        self.now += timedelta(**delta)
        return self.now

    def set(self, when: datetime | str) -> None:
        """Set the clock to ``when`` (aware)."""
        self.now = (datetime.fromisoformat(when) if isinstance(when, str) else when).astimezone(UTC)
