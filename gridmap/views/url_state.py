"""The map's navigation state as it lives in the page URL (``?grid=ID&view=level-5``)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from gridmap.grids.schema import LEVELS

VIEWS: tuple[str, ...] = ("drill",) + tuple(f"level-{n}" for n in LEVELS[1:])


@dataclass(frozen=True)
class NavState:
    """Which grid is selected, and whether the map drills or shows a whole level."""

    grid: str | None = None
    view: str = "drill"

    @property
    def whole_level(self) -> int | None:
        """Return the level shown whole, or None when drilling."""
        return int(self.view.split("-")[1]) if self.view.startswith("level-") else None


def parse(search: str | None) -> NavState:
    """Read the state from a URL query string; unknown views fall back to drilling."""
    query = parse_qs((search or "").lstrip("?"))
    grid = (query.get("grid") or [None])[0] or None
    view = (query.get("view") or ["drill"])[0]
    return NavState(grid=grid, view=view if view in VIEWS else "drill")


def format_query(state: NavState) -> str:
    """Write the state as a URL query string (``?grid=...``), leaving defaults out."""
    params = {}
    if state.grid:
        params["grid"] = state.grid
    if state.view != "drill":
        params["view"] = state.view
    return "?" + urlencode(params) if params else ""


def link_to(grid_id: str | None) -> str:
    """Return the href of a link drilling at ``grid_id`` (None: the district), for a breadcrumb.

    A link is a URL change like any other: the server draws it inside the reader's scope (one
    outside shows their home grid with a notice), so it needs no step of its own. The district's
    link is a bare ``?`` (an empty href would keep the current query).
    """
    return format_query(NavState(grid=grid_id)) or "?"
