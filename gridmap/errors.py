"""Project exceptions: one base, every error naming the file, the record, the field or parameter.

Every exception of the project subclasses :class:`GridmapError` (a ``ValueError``) and carries what
was bad as attributes (``parameter``, ``field``, ``record``), so the web layer maps an error to its
answer without reading the message.
"""

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
    """Base class of the project's errors.

    Parameters
    ----------
    message : str
        What is wrong, for a person.
    parameter : str, optional
        The query or call parameter that was bad (``"k"``, ``"minutes"``).
    field : str, optional
        The record field that was bad (``"lon"``, ``"reported_at"``).
    record : str or int, optional
        The record (id or position) the error is about.
    """

    def __init__(
        self,
        message: str = "",
        *,
        parameter: str | None = None,
        field: str | None = None,
        record: str | int | None = None,
    ):
        super().__init__(message)
        self.parameter = parameter
        self.field = field
        self.record = record


class DataError(GridmapError):
    """A district data folder breaks one or more rules; ``problems`` lists them all."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: Sequence[Problem] = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the district data:\n{lines}")


class ConfigError(GridmapError):
    """A setting (GRIDMAP_* variable or config key) has a value that cannot be used."""


class ParameterError(GridmapError):
    """A request parameter that cannot be used; ``parameter`` names it (answered with 400)."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"parameter {parameter!r}: {message}", parameter=parameter)


class StatsError(GridmapError):
    """A statistic was asked with an argument it cannot use."""


class IntakeError(GridmapError):
    """A request body or file is not a record or a list of records at all."""


class IncidentImportError(GridmapError):
    """The file (or the district's grids) cannot be imported at all."""


class AssignError(GridmapError):
    """The grids given to the assigner cannot be used (CRS, columns, broken parent chain)."""


class StoreError(GridmapError):
    """The incident store was given something it cannot store or query."""


class IncidentNotFound(StoreError, LookupError):
    """No incident has the id asked for."""


class IllegalTransition(StoreError):
    """The status change breaks the workflow (e.g. anything after ``closed``)."""


class CoverageError(GridmapError):
    """Coverage cannot be computed from these inputs (names the post, setting or parameter)."""


class GridIndexError(GridmapError):
    """The grids cannot be indexed for coverage statistics (names the grid ids)."""


class RoadDataError(GridmapError):
    """The roads layer cannot be turned into a graph (names the road ids and the rule)."""


class MCLPError(GridmapError):
    """The covering problem cannot be set up (names the parameter)."""


class ScenarioStoreError(GridmapError):
    """A scenario that cannot be saved or loaded; the message says why."""


class ScenarioError(GridmapError):
    """A scenario parameter that cannot be used; the message names it."""


class DemoError(GridmapError):
    """The grids cannot host the demo history (no level-5 grid, wrong CRS)."""


class AccessError(GridmapError):
    """An account, token or kiosk link that cannot be made or used (``field`` names what)."""


class AuthError(GridmapError):
    """Sign-in refused: unknown name, wrong password, disabled or locked account."""


class WorkflowError(GridmapError):
    """An action a case may not take: ``field`` says why (action, state, role, scope, ...)."""


class StaleState(WorkflowError):
    """Someone else acted on the case first: its state is not the one the action was decided on."""


class SchemaError(StoreError):
    """The database's tables are at a revision this code does not know (made by newer code)."""
