"""What a wall shows of its scope: the grids it is about, its title, its tour, its coverage KPI.

A wall (a kiosk link, or a person) sees the subtrees of its scope's roots, or the whole district.
Everything here takes the roots as a plain value (None: the whole district); the incident
figures take the scope as the store's ``within`` filter (:meth:`Scope.within`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from gridmap.grids.district import Bounds, District
from gridmap.i18n import name_of
from gridmap.views.map_view import fit_zoom
from gridmap.views.wall import MAP_PX, MAX_HOME_ZOOM, grid_view, tour_views


def scope_roots(district: District, roots: Iterable[str] | None) -> list[str] | None:
    """Return the scope's roots that are grids of ``district``, outermost only, in file order.

    None stays None (the whole district); a root inside another root's subtree is dropped (it
    adds nothing), and so is an id the district does not know (it sees nothing).
    """
    if roots is None:
        return None
    known = {g for g in roots if g in district}
    outer = {g for g in known if not any(a in known for a in district.chain(g)[:-1])}
    return [g for g in district.grids.index if g in outer]


def scope_title(district: District, roots: list[str] | None, lang: str) -> str:
    """Return the wall's title: the scope's grid names, or the district's for the whole one."""
    if not roots:
        return district.name(lang)
    return " · ".join(name_of(district.record(g), lang) for g in roots)


def scope_views(district: District, roots: list[str] | None, size_px=MAP_PX) -> dict:
    """Return the tour's views of a scope (as :func:`gridmap.views.wall.tour_views`).

    The whole district: the district, then every township. One grid: that grid, then each of
    its children (a township's villages). Several grids: all of them together, then each.
    ``scoped`` tells the browser to caption the home view by its name.
    """
    if roots is None:
        return {**tour_views(district, size_px), "scoped": False}
    if not roots:
        home = grid_view(district, district.root_id, size_px, max_zoom=MAX_HOME_ZOOM)
        return {"district": home, "townships": [], "size": list(size_px), "scoped": True}
    if len(roots) == 1:
        home = grid_view(district, roots[0], size_px, max_zoom=MAX_HOME_ZOOM)
        stops = district.children(roots[0])
        stops = [g for g in district.grids.index if g in set(stops)]
    else:
        boxes = [district.bounds(g) for g in roots]
        box = Bounds(
            min(b.west for b in boxes),
            min(b.south for b in boxes),
            max(b.east for b in boxes),
            max(b.north for b in boxes),
        )
        names = {lang: " · ".join(name_of(district.record(g), lang) for g in roots)
                 for lang in ("zh", "en")}  # fmt: skip
        home = {
            "id": ",".join(roots),
            "center": [round(box.center[0], 6), round(box.center[1], 6)],
            "zoom": min(fit_zoom(box, size_px), MAX_HOME_ZOOM),
            "bounds": [round(v, 6) for v in (box.west, box.south, box.east, box.north)],
            "max_zoom": MAX_HOME_ZOOM,
            **names,
        }
        stops = roots
    return {
        "district": home,
        "townships": [grid_view(district, g, size_px) for g in stops],
        "size": list(size_px),
        "scoped": True,
    }


def scope_population_share(table: pd.DataFrame, roots: list[str] | None) -> float | None:
    """Return the share of the scope's people within reach of a post (None: nobody lives there).

    Parameters
    ----------
    table : pandas.DataFrame
        A coverage grid table (``grid_id``, ``parent_id``, ``population``,
        ``covered_population``), every level.
    roots : list of str or None
        The scope's outermost roots (:func:`scope_roots`); None for the whole district.
    """
    if roots is None:
        rows = table[table["parent_id"].isna()]
    else:
        rows = table[table["grid_id"].isin(roots)]
    people = float(rows["population"].sum())
    covered = float(rows["covered_population"].sum())
    return covered / people if people > 0 else None
