"""Wire the search box to the grid index: typing lists matches, choosing one navigates."""

from __future__ import annotations

from dash import Dash, Input, Output, State, ctx, no_update

from gridmap.grids.search import GridSearch, suggestions
from ui import ids
from web.auth import current_scope
from web.runtime import Runtime


def register(app: Dash, runtime: Runtime) -> None:
    """Register the search callback."""
    district = runtime.district
    index = GridSearch(district)

    @app.callback(
        Output(ids.SEARCH_DROPDOWN, "options"),
        Input(ids.SEARCH_DROPDOWN, "search_value"),
        Input(ids.LANG_STORE, "data"),
        State(ids.SEARCH_DROPDOWN, "value"),
    )
    def suggest(query, lang, value):
        if ctx.triggered_id == ids.LANG_STORE:
            # The chosen grid's label follows the language (the list keeps only it).
            return suggestions(index, district, "", value, lang, current_scope()) if value else []
        if not query:
            return no_update if value else []
        # Only the reader's grids are listed (the scope is the server's, never the page's).
        return suggestions(index, district, query, value, lang, current_scope())
