"""The grid tree seen by the incident intake: each grid's chain, for a reader's or sender's scope.

The incident API knows the district through its :class:`~gridmap.incidents.assign.GridAssigner`
(level-5 grids with their ancestors); this turns that table into the chain of every grid, which
:meth:`gridmap.access.roles.Scope.contains` and :meth:`~gridmap.access.roles.Scope.within` take.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from gridmap.access.roles import Scope


class GridChains:
    """Every grid id of a district with its chain (the ids from level 1 down to itself).

    Parameters
    ----------
    ancestors : iterable of sequences of str
        For each level-5 grid its ids at levels 1..5 (``GridAssigner.ancestors``).
    """

    def __init__(self, ancestors: Iterable[Sequence[str]]):
        self.chains: dict[str, tuple[str, ...]] = {}
        for row in ancestors:
            ids = tuple(str(g) for g in row)
            for level in range(1, len(ids) + 1):
                self.chains.setdefault(ids[level - 1], ids[:level])

    def level_of(self, grid_id: str) -> int:
        """Return the level of ``grid_id`` (KeyError when unknown)."""
        return len(self.chains[grid_id])

    def contains(self, scope: Scope, grid_id: str) -> bool:
        """Return whether ``grid_id`` lies inside ``scope`` (an unknown id never does)."""
        if scope.is_all:
            return True
        chain = self.chains.get(grid_id)
        return chain is not None and scope.contains(chain)

    def within(self, scope: Scope) -> list[tuple[int, str]] | None:
        """Return ``scope`` as the incident store's ``within`` filter (None: every incident)."""
        return scope.within(self.level_of)
