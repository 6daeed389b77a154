"""Navigation rules: what a map click, 'up', a search or a view change selects."""

from __future__ import annotations

from dataclasses import replace

from gridmap.access.roles import Scope
from gridmap.grids.district import District
from gridmap.views.map_view import home_grid, in_scope, scoped_state, shown_grids
from gridmap.views.url_state import NavState


def clicked_grid(
    district: District, state: NavState, point: dict, scope: Scope | None = None
) -> str | None:
    """Return the grid a map click means, or None when it means nothing.

    A click on a grid gives its key (the feature id in served geometry), hence its id. A click
    on a police post means the grid drawn under it, so posts never steal clicks from grids;
    a post outside the reader's ``scope`` (None: the whole district) means nothing.
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
    _, shown = shown_grids(district, state, scope)
    if not shown:
        return None
    level = district.level_of(shown[0])
    grid = district.chain(level5)[level - 1]
    return grid if in_scope(district, scope, grid) else None


def select(state: NavState, grid_id: str | None, drill: bool = False) -> NavState:
    """Return ``state`` with ``grid_id`` selected (and back in drill view when ``drill``)."""
    if grid_id is None:
        return state
    return replace(state, grid=grid_id, view="drill" if drill else state.view)


def up(district: District, state: NavState, scope: Scope | None = None) -> NavState:
    """Return the state one level up from the selection.

    The top stays the top: the district for the whole-district scope (None), a root of the
    scope for a scoped reader (nothing above it is theirs), and a grid outside the scope.
    """
    drawn, inside = scoped_state(district, state, scope)
    if not inside:
        return replace(state, view="drill")
    if at_top(district, state, scope):
        # An unknown grid (or the district itself) is written as no grid: the reader's home.
        known = state.grid in district and state.grid != district.root_id
        return replace(state, grid=state.grid if known else None, view="drill")
    parent = district.parent(drawn.grid)
    return replace(state, grid=None if parent == district.root_id else parent, view="drill")


def at_top(district: District, state: NavState, scope: Scope | None = None) -> bool:
    """Return whether 'up' leads nowhere: the selection is the top of the reader's tree.

    That is the district, or a root of ``scope``, or any grid outside the scope (the reader is
    then shown their home grid).
    """
    drawn, inside = scoped_state(district, state, scope)
    if not inside:
        return True
    parent = district.parent(drawn.grid)
    return parent is None or not in_scope(district, scope, parent)


def clamp(district: District, before: NavState, after: NavState, scope: Scope | None) -> NavState:
    """Return ``after`` when its grid lies inside ``scope``, else ``before`` (the step refused).

    A drill, 'up' or search that would leave the reader's subtrees
    (a forged request, a stale page) changes nothing.
    """
    grid = after.grid if after.grid is not None else home_grid(district, scope)
    return after if in_scope(district, scope, grid) else before


def breadcrumb_chain(district: District, grid_id: str, scope: Scope | None = None) -> list[str]:
    """Return the breadcrumb's grids: from the top of the reader's tree down to ``grid_id``.

    The district for the whole-district scope; the root of the scope above ``grid_id`` for a
    scoped reader (an empty list when ``grid_id`` lies outside the scope).
    """
    if not in_scope(district, scope, grid_id):
        return []
    return [g for g in district.chain(grid_id) if in_scope(district, scope, g)]


def canonical(district: District, state: NavState) -> NavState:
    """Return ``state`` with the district itself as no selection (its URL carries no grid)."""
    if state.grid == district.root_id:
        return NavState(grid=None, view=state.view)
    return state


#: The user steps :func:`step` knows: a map click, 'up', a search pick and a view change (the
#: breadcrumb and the ranking rows are links, :func:`url_state.link_to`: a URL change).
STEPS = ("click", "up", "search", "view")


def step(
    district: District,
    state: NavState,
    kind: str,
    value: object = None,
    scope: Scope | None = None,
) -> NavState:
    """Return the canonical state a user step of ``kind`` (one of :data:`STEPS`) leads to.

    ``value`` is the step's own datum: the click's points that may select a grid ("click"),
    the grid picked in the search ("search",
    None or an unknown id: nothing) or the view chosen ("view", None: back to drilling). A step
    that would leave the reader's ``scope`` (None: the whole district) changes nothing.
    """
    if kind == "click":
        points = value or []
        grid = clicked_grid(district, state, points[0], scope) if points else None
        new = select(state, grid)
    elif kind == "up":
        new = up(district, state, scope)
    elif kind == "search":
        new = select(state, value if value in district else None, drill=True)
    elif kind == "view":
        new = NavState(grid=state.grid, view=value or "drill")
    else:
        raise ValueError(f"unknown navigation step {kind!r}; known: {', '.join(STEPS)}")
    return canonical(district, clamp(district, state, new, scope))
