"""Wire the search box to the grid index: typing lists matches, choosing one navigates."""

from __future__ import annotations

from dash import Dash, Input, Output, State, no_update

from gridmap.grids.search import GridSearch
from gridmap.i18n import name_of, t
from ui import ids
from web.runtime import Runtime


def register(app: Dash, runtime: Runtime) -> None:
    """Register the search callback."""
    district = runtime.district
    index = GridSearch(district)

    def option(grid_id: str, lang: str) -> dict:
        rec = district.record(grid_id)
        parent = district.parent(grid_id)
        where = f" · {name_of(district.record(parent), lang)}" if parent else ""
        level = t("level-" + str(rec["level"]), lang)
        label = f"{name_of(rec, lang)} ({level}{where})"
        return {"label": label, "value": grid_id}

    @app.callback(
        Output(ids.SEARCH_DROPDOWN, "options"),
        Input(ids.SEARCH_DROPDOWN, "search_value"),
        State(ids.SEARCH_DROPDOWN, "value"),
        State(ids.LANG_STORE, "data"),
    )
    def suggest(query, value, lang):
        if not query:
            return no_update if value else []
        found = index.find(query)
        if value in district and value not in found:
            found = [value, *found]
        return [option(g, lang) for g in found]
