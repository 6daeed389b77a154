"""Navigation rules: what a map click, a breadcrumb, 'up', search or view change selects."""

from __future__ import annotations

from dataclasses import replace

from gridmap.grids.district import District
from gridmap.views.map_view import shown_grids
from gridmap.views.url_state import NavState


def clicked_grid(district: District, state: NavState, point: dict) -> str | None:
    """Return the grid a map click means, or None when it means nothing.

    A click on a grid gives its key (the feature id in served geometry), hence its id. A click
    on a police post means the grid drawn under it, so posts never steal clicks from grids.
    """
    location = point.get("location")
    if location is not None:
        return district.grid_of_key.get(str(location))
    post_id = point.get("customdata")
    if post_id is None or district.posts is None or post_id not in district.posts.index:
        return None
    level5 = district.locate(district.posts.loc[[post_id]])[0]
    if level5 is None:
        return None
    _, shown = shown_grids(district, state)
    if not shown:
        return None
    level = district.level_of(shown[0])
    return district.chain(level5)[level - 1]


def select(state: NavState, grid_id: str | None, drill: bool = False) -> NavState:
    """Return ``state`` with ``grid_id`` selected (and back in drill view when ``drill``)."""
    if grid_id is None:
        return state
    return replace(state, grid=grid_id, view="drill" if drill else state.view)


def up(district: District, state: NavState) -> NavState:
    """Return the state one level up from the selection (the district stays the district)."""
    current = state.grid if state.grid in district else district.root_id
    parent = district.parent(current)
    if parent is None:
        return replace(state, grid=None, view="drill")
    return replace(state, grid=None if parent == district.root_id else parent, view="drill")


def canonical(district: District, state: NavState) -> NavState:
    """Return ``state`` with the district itself as no selection (its URL carries no grid)."""
    if state.grid == district.root_id:
        return NavState(grid=None, view=state.view)
    return state
