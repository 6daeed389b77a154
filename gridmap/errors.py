"""Project exceptions: every one names the file, the record and the rule broken."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One broken rule in one file, for the records named by ``ids``."""

    file: str
    rule: str
    message: str
    ids: tuple[str, ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        """Return ``file: [rule] ids: message``, the form printed by ``app.py check``."""
        where = f" {', '.join(self.ids[:10])}" if self.ids else ""
        more = f" (+{len(self.ids) - 10} more)" if len(self.ids) > 10 else ""
        return f"{self.file}: [{self.rule}]{where}{more}: {self.message}"


class GridmapError(ValueError):
    """Base class of the project's errors."""


class DataError(GridmapError):
    """A district data folder breaks one or more rules; ``problems`` lists them all."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: Sequence[Problem] = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the district data:\n{lines}")


class ConfigError(GridmapError):
    """A setting (GRIDMAP_* variable or config key) has a value that cannot be used."""
